/* core/stats: percentiles (Hyndman-Fan type 7), median, MAD and the summary, against values
 * computed by hand (and cross-checked with numpy.percentile's default method). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/stats.h"
#include "ptc_test.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#define EPS     1e-12
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void test_percentile_type7_even(void **state) {
    const double x[] = {4, 1, 3, 2}; /* unsorted on purpose */
    assert_double_near(ptc_percentile(x, 4, 0), 1.0, EPS);
    assert_double_near(ptc_percentile(x, 4, 10), 1.3, EPS);  /* h = 0.3 */
    assert_double_near(ptc_percentile(x, 4, 25), 1.75, EPS); /* h = 0.75 */
    assert_double_near(ptc_percentile(x, 4, 50), 2.5, EPS);  /* h = 1.5 */
    assert_double_near(ptc_percentile(x, 4, 75), 3.25, EPS); /* h = 2.25 */
    assert_double_near(ptc_percentile(x, 4, 100), 4.0, EPS);
}

static void test_percentile_type7_odd(void **state) {
    const double x[] = {5, 1, 3};
    assert_double_near(ptc_percentile(x, 3, 0), 1.0, EPS);
    assert_double_near(ptc_percentile(x, 3, 25), 2.0, EPS); /* h = 0.5: 1 + 0.5 * (3 - 1) */
    assert_double_near(ptc_percentile(x, 3, 50), 3.0, EPS);
    assert_double_near(ptc_percentile(x, 3, 75), 4.0, EPS);
    assert_double_near(ptc_percentile(x, 3, 100), 5.0, EPS);
}

static void test_percentile_large_shuffled(void **state) {
    enum { N = 1001 };
    double x[N];
    /* 0..1000 scrambled: i -> 3i mod 1001 is a permutation, as 3 is coprime to 7 * 11 * 13. */
    for (int i = 0; i < N; i++)
        x[i] = (double)((i * 3) % N);
    assert_double_near(ptc_percentile(x, N, 50), 500.0, EPS);
    assert_double_near(ptc_percentile(x, N, 25), 250.0, EPS);
    assert_double_near(ptc_percentile(x, N, 99), 990.0, EPS);
    assert_double_near(ptc_percentile(x, N, 99.95), 999.5, 1e-9);
    assert_double_near(ptc_percentile(x, N, 100), 1000.0, EPS);
}

static void test_n_equals_one(void **state) {
    const double x[] = {7.5};
    assert_double_near(ptc_percentile(x, 1, 0), 7.5, EPS);
    assert_double_near(ptc_percentile(x, 1, 37), 7.5, EPS);
    assert_double_near(ptc_percentile(x, 1, 100), 7.5, EPS);
    assert_double_near(ptc_median(x, 1), 7.5, EPS);
    assert_double_near(ptc_mad(x, 1), 0.0, EPS);
    struct ptc_summary s;
    assert_int_equal(ptc_summarize(x, 1, &s), 0);
    assert_int_equal(s.n, 1);
    assert_double_near(s.min, 7.5, EPS);
    assert_double_near(s.max, 7.5, EPS);
    assert_double_near(s.mean, 7.5, EPS);
    assert_double_near(s.median, 7.5, EPS);
    assert_double_near(s.p25, 7.5, EPS);
    assert_double_near(s.p75, 7.5, EPS);
    assert_double_near(s.mad, 0.0, EPS);
    assert_double_near(s.stddev, 0.0, EPS);
}

static void test_median(void **state) {
    const double odd[] = {9, -2, 4, 7, 1};
    const double even[] = {10, 2, 8, 4};
    const double neg[] = {-3, -1, -2};
    assert_double_near(ptc_median(odd, N_OF(odd)), 4.0, EPS);
    assert_double_near(ptc_median(even, N_OF(even)), 6.0, EPS);
    assert_double_near(ptc_median(neg, N_OF(neg)), -2.0, EPS);
}

static void test_duplicates(void **state) {
    const double same[] = {2, 2, 2, 2};
    const double dup[] = {3, 1, 3, 3, 1};
    assert_double_near(ptc_median(same, 4), 2.0, EPS);
    assert_double_near(ptc_percentile(same, 4, 25), 2.0, EPS);
    assert_double_near(ptc_mad(same, 4), 0.0, EPS);
    assert_double_near(ptc_median(dup, 5), 3.0, EPS);
    assert_double_near(ptc_percentile(dup, 5, 25), 1.0, EPS); /* sorted 1 1 3 3 3, h = 1 */
    assert_double_near(ptc_percentile(dup, 5, 30), 1.4, EPS); /* h = 1.2: 1 + 0.2 * 2 */
    assert_double_near(ptc_mad(dup, 5), 0.0, EPS);            /* deviations 2 0 0 0 2 */
}

static void test_mad(void **state) {
    /* The textbook example: median 2, deviations 1 1 0 0 2 4 7, median of those 1. */
    const double x[] = {9, 1, 4, 2, 6, 1, 2};
    assert_double_near(ptc_mad(x, N_OF(x)), 1.0, EPS);
    /* Even n: median 2.5, deviations 1.5 0.5 0.5 1.5, median 1. */
    const double y[] = {4, 3, 2, 1};
    assert_double_near(ptc_mad(y, N_OF(y)), 1.0, EPS);
    /* A far outlier does not move the MAD. */
    const double z[] = {10, 11, 12, 13, 1e9};
    assert_double_near(ptc_mad(z, N_OF(z)), 1.0, EPS);
}

static void test_summarize(void **state) {
    const double x[] = {9, 4, 2, 5, 4, 7, 4, 5};
    struct ptc_summary s;
    memset(&s, 0xff, sizeof s);
    assert_int_equal(ptc_summarize(x, N_OF(x), &s), 0);
    assert_int_equal(s.n, 8);
    assert_double_near(s.min, 2.0, EPS);
    assert_double_near(s.max, 9.0, EPS);
    assert_double_near(s.mean, 5.0, EPS);
    assert_double_near(s.median, 4.5, EPS);                /* sorted 2 4 4 4 5 5 7 9, h = 3.5 */
    assert_double_near(s.p25, 4.0, EPS);                   /* h = 1.75 between 4 and 4 */
    assert_double_near(s.p75, 5.5, EPS);                   /* h = 5.25: 5 + 0.25 * (7 - 5) */
    assert_double_near(s.mad, 0.5, EPS);                   /* deviations 0.5 x5, 2.5 x2, 4.5 */
    assert_double_near(s.stddev, sqrt(32.0 / 7.0), 1e-12); /* sample (n - 1) */
}

static void test_summary_matches_functions(void **state) {
    const double x[] = {3.25, 17, -4, 0, 8.5, 8.5, 100, 2};
    struct ptc_summary s;
    assert_int_equal(ptc_summarize(x, N_OF(x), &s), 0);
    assert_double_near(s.median, ptc_median(x, N_OF(x)), EPS);
    assert_double_near(s.p25, ptc_percentile(x, N_OF(x), 25), EPS);
    assert_double_near(s.p75, ptc_percentile(x, N_OF(x), 75), EPS);
    assert_double_near(s.mad, ptc_mad(x, N_OF(x)), EPS);
}

static void test_input_not_modified(void **state) {
    const double orig[] = {5, -1, 3, 3, 10, 0.5, 2};
    double x[N_OF(orig)];
    memcpy(x, orig, sizeof x);
    struct ptc_summary s;
    (void)ptc_percentile(x, N_OF(x), 25);
    assert_memory_equal(x, orig, sizeof x);
    (void)ptc_median(x, N_OF(x));
    assert_memory_equal(x, orig, sizeof x);
    (void)ptc_mad(x, N_OF(x));
    assert_memory_equal(x, orig, sizeof x);
    assert_int_equal(ptc_summarize(x, N_OF(x), &s), 0);
    assert_memory_equal(x, orig, sizeof x);
}

static void test_empty(void **state) {
    const double x[] = {1.0};
    struct ptc_summary s;
    assert_true(isnan(ptc_percentile(x, 0, 50)));
    assert_true(isnan(ptc_median(x, 0)));
    assert_true(isnan(ptc_mad(x, 0)));
    assert_int_equal(ptc_summarize(x, 0, &s), -EINVAL);
}

/* The bootstrap interval of the median: reproducible for one seed, containing the median, a
 * single point for constant samples; the modified z-score as Iglewicz and Hoaglin define it. */
static void test_bootstrap_and_outliers(void **state) {
    const double x[] = {10, 11, 12, 13, 100};
    double lo, hi, lo2, hi2;
    assert_int_equal(ptc_bootstrap_median_ci(x, 5, 2000, 7, &lo, &hi), 0);
    assert_int_equal(ptc_bootstrap_median_ci(x, 5, 2000, 7, &lo2, &hi2), 0);
    assert_true(lo == lo2 && hi == hi2);
    assert_true(lo <= 12 && 12 <= hi && lo >= 10 && hi <= 100);
    const double same[] = {5, 5, 5, 5};
    assert_int_equal(ptc_bootstrap_median_ci(same, 4, 100, 1, &lo, &hi), 0);
    assert_true(lo == 5 && hi == 5);
    assert_int_equal(ptc_bootstrap_median_ci(x, 0, 100, 1, &lo, &hi), -EINVAL);
    /* median 12, MAD 1: z(100) = 0.6745 * 88 */
    assert_true(fabs(ptc_modified_z(100, 12, 1) - 59.356) < 1e-9);
    assert_true(fabs(ptc_modified_z(13, 12, 1)) < 3.5);
    assert_true(ptc_modified_z(100, 12, 0) == 0.0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bootstrap_and_outliers),
        cmocka_unit_test(test_percentile_type7_even),
        cmocka_unit_test(test_percentile_type7_odd),
        cmocka_unit_test(test_percentile_large_shuffled),
        cmocka_unit_test(test_n_equals_one),
        cmocka_unit_test(test_median),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_mad),
        cmocka_unit_test(test_summarize),
        cmocka_unit_test(test_summary_matches_functions),
        cmocka_unit_test(test_input_not_modified),
        cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
