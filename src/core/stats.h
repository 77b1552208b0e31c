/* Order statistics over samples. Kept apart from measurement and from output (wrk's stats.c).
 * No function modifies its input; all are thread-safe. n must be at least 1 unless stated. */
#ifndef PTC_CORE_STATS_H
#define PTC_CORE_STATS_H

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

/* 95 % bootstrap confidence interval of the median: `resamples` resamples with replacement drawn
 * from a generator seeded with `seed` (the same inputs give the same interval), percentile
 * method. Returns 0, -EINVAL when n == 0, -ENOMEM. */
int ptc_bootstrap_median_ci(const double *samples, size_t n, unsigned resamples, uint64_t seed,
                            double *lo, double *hi);

/* Modified z-score of x (Iglewicz and Hoaglin): 0.6745 (x - median) / MAD. 0 when MAD is 0. A
 * sample with |z| > 3.5 is an outlier (the rule hyperfine uses). */
double ptc_modified_z(double x, double median, double mad);

#endif
