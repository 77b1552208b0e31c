/* Order statistics over samples. Kept apart from measurement and from output (wrk's stats.c).
 * No function modifies its input; all are thread-safe. n must be at least 1 unless stated. */
#ifndef PTC_CORE_STATS_H
#define PTC_CORE_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Summary of n samples, in the samples' own unit. */
struct ptc_summary {
    size_t n;
    double min, max, mean;
    double median;
    double p25, p75; /* quartiles, linear interpolation (as numpy's default) */
    double mad;      /* median absolute deviation from the median, unscaled */
    double stddev;   /* sample standard deviation (n-1); 0 when n == 1 */
};

/* The p-th percentile (0 <= p <= 100) with linear interpolation between closest ranks
 * (Hyndman-Fan type 7, numpy's default). Returns NaN when n == 0. */
double ptc_percentile(const double *samples, size_t n, double p);

/* The median (the 50th percentile). Returns NaN when n == 0. */
double ptc_median(const double *samples, size_t n);

/* Median absolute deviation: median(|x - median(x)|), unscaled. Returns NaN when n == 0. */
double ptc_mad(const double *samples, size_t n);

/* Fills *out. Returns 0, or -EINVAL when n == 0, -ENOMEM when a scratch copy fails. */
int ptc_summarize(const double *samples, size_t n, struct ptc_summary *out);

/* A distribution-free confidence interval of the median from two order statistics: with the
 * samples sorted, [x_(lo_rank), x_(hi_rank)] holds the population median with probability
 * coverage = 1 - 2 P(B <= lo_rank - 1), B ~ Binomial(n, 1/2), hi_rank = n + 1 - lo_rank, for any
 * continuous distribution (at least that with ties, the interval being closed). No resampling,
 * no assumption of shape. */
struct ptc_median_ci {
    double lo, hi;           /* the interval, in the samples' unit */
    size_t lo_rank, hi_rank; /* 1-based ranks into the sorted samples */
    double coverage;         /* the exact coverage of these ranks, 0..1 */
    double level;            /* the coverage asked for, 0..1 */
    bool supported;          /* coverage >= the level asked for; false when n is too small:
                              * then lo, hi are the min and max and coverage is what they reach */
};

/* The confidence level of every interval of the median that ptcbench prints or writes. */
#define PTC_CI_LEVEL 0.95

/* The fewest samples whose min and max already cover the median with probability >= level
 * (0 < level < 1): 6 for 0.95 (min-max of 5 covers 93.75 %), 8 for 0.99. 0 when level is out
 * of range. */
size_t ptc_median_ci_min_n(double level);

/* The narrowest symmetric order-statistic interval of the median whose coverage is at least
 * `level` (0 < level < 1), with its exact coverage; below ptc_median_ci_min_n(level) samples,
 * out->supported is false and the min-max with its lower coverage (75 % for n = 3, 0 for n = 1).
 * Returns 0, -EINVAL when n == 0 or level is out of range, -ENOMEM when a scratch copy fails. */
int ptc_median_ci(const double *samples, size_t n, double level, struct ptc_median_ci *out);

/* Fewer samples than this and outliers are not counted (ptc_count_outliers says -EDOM). */
#define PTC_OUTLIER_MIN_N 5

/* The number of samples whose |modified z-score| exceeds 3.5 against the given median and MAD
 * (of the same samples). Returns the count, or -EDOM when n < PTC_OUTLIER_MIN_N. */
long ptc_count_outliers(const double *samples, size_t n, double median, double mad);

/* Modified z-score of x (Iglewicz and Hoaglin): 0.6745 (x - median) / MAD. 0 when MAD is 0. A
 * sample with |z| > 3.5 is an outlier (the rule hyperfine uses). */
double ptc_modified_z(double x, double median, double mad);

#endif
