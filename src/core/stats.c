#include "core/stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double *sorted_copy(const double *samples, size_t n) {
    double *copy = malloc(n * sizeof *copy);
    if (copy == NULL)
        return NULL;
    memcpy(copy, samples, n * sizeof *copy);
    qsort(copy, n, sizeof *copy, cmp_double);
    return copy;
}

/* Type 7: h = (n - 1) p, interpolate between floor(h) and floor(h) + 1. */
static double percentile_sorted(const double *sorted, size_t n, double p) {
    double h = (double)(n - 1) * p / 100.0;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n)
        return sorted[n - 1];
    return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

double ptc_percentile(const double *samples, size_t n, double p) {
    if (n == 0)
        return NAN;
    double *sorted = sorted_copy(samples, n);
    if (sorted == NULL)
        return NAN;
    double v = percentile_sorted(sorted, n, p);
    free(sorted);
    return v;
}

double ptc_median(const double *samples, size_t n) {
    return ptc_percentile(samples, n, 50.0);
}

double ptc_mad(const double *samples, size_t n) {
    if (n == 0)
        return NAN;
    double med = ptc_median(samples, n);
    double *dev = malloc(n * sizeof *dev);
    if (dev == NULL)
        return NAN;
    for (size_t i = 0; i < n; i++)
        dev[i] = fabs(samples[i] - med);
    double v = ptc_median(dev, n);
    free(dev);
    return v;
}

int ptc_summarize(const double *samples, size_t n, struct ptc_summary *out) {
    if (n == 0)
        return -EINVAL;
    double *sorted = sorted_copy(samples, n);
    if (sorted == NULL)
        return -ENOMEM;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += sorted[i];
    double mean = sum / (double)n, sq = 0;
    for (size_t i = 0; i < n; i++)
        sq += (sorted[i] - mean) * (sorted[i] - mean);
    *out = (struct ptc_summary){
        .n = n,
        .min = sorted[0],
        .max = sorted[n - 1],
        .mean = mean,
        .median = percentile_sorted(sorted, n, 50.0),
        .p25 = percentile_sorted(sorted, n, 25.0),
        .p75 = percentile_sorted(sorted, n, 75.0),
        .mad = ptc_mad(samples, n),
        .stddev = n > 1 ? sqrt(sq / (double)(n - 1)) : 0.0,
    };
    free(sorted);
    return isnan(out->mad) ? -ENOMEM : 0;
}

/* 1 - 2 P(B <= j - 1), B ~ Binomial(n, 1/2): the chance that the median lies between the j-th
 * smallest and the j-th largest of n samples. The terms are built in logarithms from C(n, 0) so
 * that 2^-n does not underflow at large n, and without lgamma, which is not thread-safe. */
static double rank_coverage(size_t n, size_t j) {
    double log_term = -(double)n * log(2.0), tail = 0;
    for (size_t i = 0; i < j; i++) {
        tail += exp(log_term);
        log_term += log((double)(n - i) / (double)(i + 1));
    }
    double c = 1.0 - 2.0 * tail;
    return c > 0 ? c : 0.0;
}

size_t ptc_median_ci_min_n(double level) {
    if (!(level > 0 && level < 1))
        return 0;
    size_t n = 1;
    while (rank_coverage(n, 1) < level)
        n++;
    return n;
}

int ptc_median_ci(const double *samples, size_t n, double level, struct ptc_median_ci *out) {
    if (n == 0 || !(level > 0 && level < 1))
        return -EINVAL;
    double *sorted = sorted_copy(samples, n);
    if (sorted == NULL)
        return -ENOMEM;
    /* Coverage falls as j grows: take the largest j that still reaches the level, or j = 1 (the
     * min-max, the most that n samples can give) when none does. */
    size_t j = 1;
    while (2 * (j + 1) <= n + 1 && rank_coverage(n, j + 1) >= level)
        j++;
    double coverage = rank_coverage(n, j);
    *out = (struct ptc_median_ci){
        .lo = sorted[j - 1],
        .hi = sorted[n - j],
        .lo_rank = j,
        .hi_rank = n + 1 - j,
        .coverage = coverage,
        .level = level,
        .supported = coverage >= level,
    };
    free(sorted);
    return 0;
}

/* Why a minimum: below 5 samples the MAD is the median of at most 4 deviations, one of them 0 for
 * an odd n, so the yardstick is one or two other runs; a wide but honest spread then reads as
 * "outliers", and one run among 3 is a third of the data, not an exception to it. From 5 on, the
 * median and the MAD each rest on at least 3 samples other than the one being judged. */
long ptc_count_outliers(const double *samples, size_t n, double median, double mad) {
    if (n < PTC_OUTLIER_MIN_N)
        return -EDOM;
    long count = 0;
    for (size_t i = 0; i < n; i++)
        count += fabs(ptc_modified_z(samples[i], median, mad)) > 3.5;
    return count;
}

double ptc_modified_z(double x, double median, double mad) {
    return mad > 0 ? 0.6745 * (x - median) / mad : 0.0;
}
