/* The tutorials the claims come from (../shared/seeds/NNN_*.txt), by title and date, copied once
 * from those files so that a clone without ../shared still names them. */
#ifndef PTC_CLAIMS_SEEDS_H
#define PTC_CLAIMS_SEEDS_H

#include <stddef.h>

struct ptc_seed {
    const char *id;    /* first member (core/registry.h): "000", the file's number */
    const char *title; /* the file's title line, or what it opens with when it has none */
    const char *date;  /* as the file gives it, or "no date" */
};

/* The seed of id "000", or NULL when there is none. */
const struct ptc_seed *ptc_seed_find(const char *id);

/* The tutorials of a claim's seed list ("000, 004"), each "title (000, date)", joined by "; ",
 * into buf (truncated to size). An id the table lacks is given as it is. Returns buf. */
char *ptc_seed_names(const char *seeds, char *buf, size_t size);

#endif
