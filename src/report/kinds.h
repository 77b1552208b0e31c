/* The kinds of CSV a results folder holds, each told by its columns: those ptc-report reads
 * (enum ptc_input_kind) and those it skips (its own outputs, other programs' summaries and
 * timelines). One registry, read by the report and by --compare: a new kind is one entry. */
#ifndef PTC_REPORT_KINDS_H
#define PTC_REPORT_KINDS_H

#include "report/table.h"

#include <stdbool.h>
#include <stddef.h>

enum ptc_input_kind {
    PTC_INPUT_RUNS,
    PTC_INPUT_MICRO,
    PTC_INPUT_CLAIMS,
    PTC_INPUT_HYPERFINE,
    PTC_INPUT_TIMELINE, /* read only when a chart asks for it (struct ptc_chart's also_reads) */
    PTC_INPUT_NONE      /* a kind skipped whatever is asked */
};

struct ptc_kind {
    const char *name; /* "ptc-run's runs": what the file was recognised as, in messages */
    /* The columns that tell the kind, all present, NULL-terminated; an empty list with
     * tab_separated: any header of one field holding a tab (a chart's .tsv) */
    const char *const *cols;
    bool tab_separated;
    bool read; /* false: skipped with a line saying what it is, unless its input is asked for */
    enum ptc_input_kind input; /* the kind of a table read */
    /* Checks the table's values on load (numbers, counts, words); NULL: none. Returns 0, or
     * -EINVAL with "path:line: column N (name): ..." in err. */
    int (*check)(const struct ptc_table *t, char *err, size_t err_size);
};

/* The first kind of the registry whose columns t has, or NULL when none fits. */
const struct ptc_kind *ptc_kind_of(const struct ptc_table *t);

/* Why t is of no kind, into err: "path:1: not a CSV ptc-report knows: no column 'wall_ns' (the
 * nearest kind, ptc-run's runs, has ...)", the first column that the nearest kind (the most of
 * its columns present) misses; with no kind near, t's first column. Returns -EINVAL. */
int ptc_kind_unknown(const struct ptc_table *t, char *err, size_t err_size);

#endif
