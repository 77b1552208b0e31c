/* A set of strings kept once each: the run groups' keys repeat the same few hosts, workloads and
 * models over millions of rows, and pointers into one copy cost 8 bytes where a copy per group
 * cost a malloc. Not thread-safe. */
#ifndef PTC_REPORT_INTERN_H
#define PTC_REPORT_INTERN_H
#include "report/index.h"

struct ptc_interned {
    char *str; /* owned */
    uint64_t hash;
};

struct ptc_intern {
    struct ptc_interned *item; /* [n] */
    size_t n, cap;
    struct ptc_index index;
};

/* The pool's copy of s, added when new (the pool owns it until ptc_intern_free); NULL when out
 * of memory. */
const char *ptc_intern(struct ptc_intern *p, const char *s);
void ptc_intern_free(struct ptc_intern *p);

#endif
