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

/* xorshift64*: a small, seedable generator; bootstrap needs reproducibility, not crypto. */
static uint64_t next_random(uint64_t *state) {
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

int ptc_bootstrap_median_ci(const double *samples, size_t n, unsigned resamples, uint64_t seed,
                            double *lo, double *hi) {
    if (n == 0 || resamples == 0)
        return -EINVAL;
    double *draw = malloc(n * sizeof *draw);
    double *medians = malloc(resamples * sizeof *medians);
    if (draw == NULL || medians == NULL) {
        free(draw);
        free(medians);
        return -ENOMEM;
    }
    uint64_t state = seed ? seed : 0x9e3779b97f4a7c15ULL;
    for (unsigned r = 0; r < resamples; r++) {
        for (size_t i = 0; i < n; i++)
            draw[i] = samples[next_random(&state) % n];
        qsort(draw, n, sizeof *draw, cmp_double);
        medians[r] = percentile_sorted(draw, n, 50.0);
    }
    qsort(medians, resamples, sizeof *medians, cmp_double);
    *lo = percentile_sorted(medians, resamples, 2.5);
    *hi = percentile_sorted(medians, resamples, 97.5);
    free(draw);
    free(medians);
    return 0;
}

double ptc_modified_z(double x, double median, double mad) {
    return mad > 0 ? 0.6745 * (x - median) / mad : 0.0;
}
