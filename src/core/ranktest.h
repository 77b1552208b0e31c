/* Did it change? Two samples of positive times (a: before, b: after) compared by ranks, as
 * benchstat does: the Mann-Whitney U test for the p-value, and the Hodges-Lehmann estimate of
 * the ratio b/a (the median of every log b_j - log a_i, exponentiated) with its distribution-free
 * confidence interval (Moses: two order statistics of those differences, ranked from the same
 * U distribution). No resampling, no assumption of normality; times often have long right tails
 * and few samples. The interval assumes only that b is a scaled a (a shift of the logs).
 *
 * Exact distribution of U when there are no ties and at most PTC_RANK_EXACT_MAX_PAIRS pairs;
 * otherwise the normal approximation with the tie correction and a continuity correction. */
#ifndef PTC_CORE_RANKTEST_H
#define PTC_CORE_RANKTEST_H

#include <stdbool.h>
#include <stddef.h>

/* Up to this many pairs (na x nb) the p-value and the interval come from the exact distribution
 * (50 x 50: a 2 MB table); above it from the normal approximation. */
#define PTC_RANK_EXACT_MAX_PAIRS 2500

/* More pairs than this and ptc_rank_compare refuses (-E2BIG): the differences are sorted. */
#define PTC_RANK_MAX_PAIRS (4u << 20)

struct ptc_rank_compare {
    size_t n_a, n_b;
    double u;        /* pairs (a_i, b_j) with b_j > a_i, ties counting 1/2: 0 .. na nb */
    double p_value;  /* two-sided: how likely a U this far from na nb / 2 is if nothing changed */
    bool exact;      /* p_value and the interval from the exact distribution */
    double ratio;    /* Hodges-Lehmann estimate of b / a */
    double ratio_lo; /* the interval of the ratio, at coverage */
    double ratio_hi;
    double coverage; /* the interval's coverage (exact, or by the normal approximation), 0..1 */
    double level;    /* the coverage asked for */
    bool supported;  /* coverage >= level; false when the samples are too few: the interval is
                      * then the smallest and largest ratio, with the coverage they reach
                      * (90 % for 3 against 3; 95 % needs at least 4 against 4) */
};

/* Compares b against a (every sample > 0 and finite) at the given confidence level (0..1).
 * Returns 0; -EINVAL when a side is empty or level is out of range; -EDOM when a sample is not
 * a positive finite number; -E2BIG above PTC_RANK_MAX_PAIRS pairs; -ENOMEM. */
int ptc_rank_compare(const double *a, size_t na, const double *b, size_t nb, double level,
                     struct ptc_rank_compare *out);

#endif
