#include "core/ranktest.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* The null distribution of U for na against nb: cdf[u] = P(U <= u), u = 0 .. na nb. By the
 * largest of all na + nb values: from b (probability nb / (na + nb)) it beats every a, so
 * U = na + U(na, nb - 1); from a it beats nothing of b, so U = U(na - 1, nb). Probabilities, not
 * counts, so that nothing overflows. Returns NULL on allocation failure. */
static double *exact_cdf(size_t na, size_t nb) {
    size_t width = na * nb + 1;
    double *prev = calloc((nb + 1) * width, sizeof *prev); /* row i - 1: [j][u] */
    double *cur = calloc((nb + 1) * width, sizeof *cur);
    double *cdf = malloc(width * sizeof *cdf);
    if (prev == NULL || cur == NULL || cdf == NULL) {
        free(prev), free(cur), free(cdf);
        return NULL;
    }
    for (size_t i = 0; i <= na; i++) {
        memset(cur, 0, (nb + 1) * width * sizeof *cur);
        for (size_t j = 0; j <= nb; j++) {
            double *p = cur + j * width;
            if (i == 0 || j == 0) {
                p[0] = 1;
                continue;
            }
            double from_b = (double)j / (double)(i + j), from_a = 1 - from_b;
            const double *shorter_b = cur + (j - 1) * width, *shorter_a = prev + j * width;
            for (size_t u = 0; u <= i * j; u++)
                p[u] = from_a * shorter_a[u] + (u >= i ? from_b * shorter_b[u - i] : 0);
        }
        double *t = prev;
        prev = cur, cur = t;
    }
    const double *p = prev + nb * width;
    double sum = 0;
    for (size_t u = 0; u < width; u++)
        cdf[u] = (sum += p[u]);
    free(prev), free(cur);
    return cdf;
}

/* The standard normal's upper tail. */
static double upper_tail(double z) {
    return 0.5 * erfc(z / M_SQRT2);
}

/* The z above which the upper tail is q (0 < q < 0.5), by bisection: no libm inverse needed. */
static double upper_quantile(double q) {
    double lo = 0, hi = 40;
    for (int i = 0; i < 200; i++) {
        double mid = (lo + hi) / 2;
        if (upper_tail(mid) > q)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

/* U, and the tie term sum(t^3 - t) over groups of equal values in both samples. */
static double u_statistic(const double *a, size_t na, const double *b, size_t nb, double *ties) {
    size_t n = na + nb;
    double *all = malloc(n * sizeof *all);
    if (all == NULL)
        return NAN;
    memcpy(all, a, na * sizeof *a);
    memcpy(all + na, b, nb * sizeof *b);
    qsort(all, n, sizeof *all, cmp_double);
    /* rank sum of b by midranks: U = R_b - nb (nb + 1) / 2 */
    double rank_sum_b = 0, tie_term = 0;
    for (size_t i = 0; i < n;) {
        size_t k = i;
        while (k < n && all[k] == all[i])
            k++;
        double t = (double)(k - i), midrank = (double)(i + 1 + k) / 2;
        tie_term += t * t * t - t;
        size_t in_b = 0;
        for (size_t j = 0; j < nb; j++)
            in_b += b[j] == all[i];
        rank_sum_b += midrank * (double)in_b;
        i = k;
    }
    free(all);
    *ties = tie_term;
    return rank_sum_b - (double)nb * (double)(nb + 1) / 2;
}

int ptc_rank_compare(const double *a, size_t na, const double *b, size_t nb, double level,
                     struct ptc_rank_compare *out) {
    memset(out, 0, sizeof *out);
    if (na == 0 || nb == 0 || !(level > 0 && level < 1))
        return -EINVAL;
    if (na > PTC_RANK_MAX_PAIRS / nb)
        return -E2BIG;
    for (size_t i = 0; i < na + nb; i++) {
        double x = i < na ? a[i] : b[i - na];
        if (!isfinite(x) || x <= 0)
            return -EDOM;
    }
    size_t pairs = na * nb;
    out->n_a = na, out->n_b = nb, out->level = level;

    double ties = 0;
    out->u = u_statistic(a, na, b, nb, &ties);
    double *diff = malloc(pairs * sizeof *diff);
    if (isnan(out->u) || diff == NULL) {
        free(diff);
        return -ENOMEM;
    }
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            diff[i * nb + j] = log(b[j]) - log(a[i]);
    qsort(diff, pairs, sizeof *diff, cmp_double);
    out->ratio = exp(pairs % 2 ? diff[pairs / 2] : (diff[pairs / 2 - 1] + diff[pairs / 2]) / 2);

    /* c: the largest U with P(U <= c) <= (1 - level) / 2; the interval is
     * [D_(c+1), D_(pairs-c)] of the sorted differences, coverage 1 - 2 P(U <= c). */
    double alpha_half = (1 - level) / 2, mean = (double)pairs / 2;
    long c = -1;
    double tail_c = 0;
    out->exact = ties == 0 && pairs <= PTC_RANK_EXACT_MAX_PAIRS;
    if (out->exact) {
        double *cdf = exact_cdf(na, nb);
        if (cdf == NULL) {
            free(diff);
            return -ENOMEM;
        }
        while ((size_t)(c + 1) <= pairs / 2 && cdf[c + 1] <= alpha_half)
            c++;
        tail_c = c >= 0 ? cdf[c] : cdf[0];
        double u_low = fmin(out->u, (double)pairs - out->u);
        out->p_value = fmin(1, 2 * cdf[(size_t)u_low]);
        free(cdf);
    } else {
        size_t n = na + nb;
        double var =
            (double)na * (double)nb / 12 * ((double)(n + 1) - ties / ((double)n * (double)(n - 1)));
        double sd = sqrt(var > 0 ? var : 0);
        double dev = fabs(out->u - mean) - 0.5;
        out->p_value = sd > 0 ? fmin(1, 2 * upper_tail((dev > 0 ? dev : 0) / sd)) : 1;
        double z = upper_quantile(alpha_half);
        c = sd > 0 ? (long)floor(mean - z * sd - 0.5) : -1;
        tail_c = sd > 0 ? upper_tail((mean - (double)(c >= 0 ? c : 0) - 0.5) / sd) : 0.5;
    }
    if (c < 0) { /* too few samples for the level: the widest interval there is */
        out->supported = false;
        c = 0;
        out->coverage = fmax(0, 1 - 2 * tail_c);
    } else {
        out->supported = true;
        out->coverage = 1 - 2 * tail_c;
    }
    out->ratio_lo = exp(diff[c]);
    out->ratio_hi = exp(diff[pairs - 1 - (size_t)c]);
    free(diff);
    return 0;
}
