/* Items split into classes by an equivalence, found by hash in one pass: walking a class costs
 * its members, not every item, so that the report stays linear in configurations (the run groups
 * by size, by host, by configuration across hosts: report/runs.h). */
#ifndef PTC_REPORT_CLASSES_H
#define PTC_REPORT_CLASSES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ptc_run_classes {
    size_t *first; /* [n] the first item like item i (i itself when it is the first) */
    size_t *next;  /* [n] the next item after i like it, PTC_CLASS_END after the last */
};
#define PTC_CLASS_END SIZE_MAX

/* hash(ctx, i) must be equal for items that same(ctx, i, j) calls alike. */
typedef uint64_t ptc_class_hash_fn(const void *ctx, size_t i);
typedef bool ptc_class_same_fn(const void *ctx, size_t i, size_t j);

/* Splits items 0..n-1. Returns 0 or -ENOMEM (c holds nothing). */
int ptc_classes_build(size_t n, ptc_class_hash_fn *hash, ptc_class_same_fn *same, const void *ctx,
                      struct ptc_run_classes *c);
void ptc_classes_free(struct ptc_run_classes *c);

#endif
