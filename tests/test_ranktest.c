/* core/ranktest: the Mann-Whitney p-values against the exact distribution enumerated by hand
 * (every way to place nb of na + nb ranks, counted in Python), the Hodges-Lehmann ratio of a
 * scaled sample, the interval's stated coverage by simulation, and the error paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/rand.h"
#include "core/ranktest.h"
#include "ptc_test.h"

#include <errno.h>
#include <math.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void test_exact_p_values(void **state) {
    struct ptc_rank_compare r;
    /* every b above every a: U = 25, p = 2 / C(10, 5) */
    const double a1[] = {1, 2, 3, 4, 5}, b1[] = {6, 7, 8, 9, 10};
    assert_int_equal(ptc_rank_compare(a1, 5, b1, 5, 0.95, &r), 0);
    assert_true(r.exact);
    assert_double_near(r.u, 25, 1e-12);
    assert_double_near(r.p_value, 2.0 / 252, 1e-12);
    /* interleaved: U = 15, p = 0.690476 (enumerated) */
    const double a2[] = {1, 3, 5, 7, 9}, b2[] = {2, 4, 6, 8, 10};
    assert_int_equal(ptc_rank_compare(a2, 5, b2, 5, 0.95, &r), 0);
    assert_double_near(r.u, 15, 1e-12);
    assert_double_near(r.p_value, 0.6904761904761905, 1e-12);
}

static void test_unequal_sizes_p(void **state) {
    struct ptc_rank_compare r;
    /* U = 5 for 4 against 7: b holds one value above one a, one above two, one above two */
    const double a[] = {10, 20, 30, 40}, b[] = {1, 2, 3, 4, 15, 25, 26};
    assert_int_equal(ptc_rank_compare(a, 4, b, 7, 0.95, &r), 0);
    assert_double_near(r.u, 5, 1e-12);
    assert_double_near(r.p_value, 0.10909090909090909, 1e-12);
}

static void test_too_few_for_the_level(void **state) {
    struct ptc_rank_compare r;
    const double a[] = {1, 2, 3}, b[] = {4, 5, 6};
    assert_int_equal(ptc_rank_compare(a, 3, b, 3, 0.95, &r), 0);
    assert_double_near(r.p_value, 0.1, 1e-12); /* the smallest p that 3 against 3 can give */
    assert_false(r.supported);
    assert_double_near(r.coverage, 0.9, 1e-12);
    assert_double_near(r.ratio_lo, 4.0 / 3, 1e-12); /* smallest and largest ratio */
    assert_double_near(r.ratio_hi, 6.0, 1e-12);
    /* 4 against 4 reaches 95 %: 1 - 2 / 70 */
    const double a4[] = {1, 2, 3, 4}, b4[] = {5, 6, 7, 8};
    assert_int_equal(ptc_rank_compare(a4, 4, b4, 4, 0.95, &r), 0);
    assert_true(r.supported);
    assert_double_near(r.coverage, 1 - 2.0 / 70, 1e-12);
}

static void test_scaled_sample(void **state) {
    struct ptc_rank_compare r;
    const double a[] = {10, 11, 12, 13, 14, 15};
    double b[N_OF(a)];
    for (size_t i = 0; i < N_OF(a); i++)
        b[i] = 2 * a[i];
    assert_int_equal(ptc_rank_compare(a, N_OF(a), b, N_OF(b), 0.95, &r), 0);
    assert_double_near(r.ratio, 2.0, 1e-12); /* log(a_j / a_i) is symmetric about 0 */
    assert_true(r.ratio_lo <= 2.0 && 2.0 <= r.ratio_hi);
    assert_true(r.p_value < 0.01);
    assert_true(r.supported);
    /* the same sample: ratio 1, nothing changed, ties everywhere (normal approximation) */
    assert_int_equal(ptc_rank_compare(a, N_OF(a), a, N_OF(a), 0.95, &r), 0);
    assert_false(r.exact);
    assert_double_near(r.ratio, 1.0, 1e-12);
    assert_double_near(r.p_value, 1.0, 1e-12);
}

/* The interval covers the true ratio at least about as often as it says: 6 against 6 samples of
 * a long-tailed time (1 + exponential), b scaled by 1.5; exact and (with 60 against 60) normal. */
static void coverage_check(size_t n, double *coverage_said) {
    uint64_t seed = 12345;
    int trials = 2000, covered = 0;
    double a[60], b[60];
    struct ptc_rank_compare r;
    for (int t = 0; t < trials; t++) {
        for (size_t i = 0; i < n; i++) {
            a[i] = 1 - log(1 - ptc_unit_double(ptc_splitmix64(&seed)));
            b[i] = 1.5 * (1 - log(1 - ptc_unit_double(ptc_splitmix64(&seed))));
        }
        assert_int_equal(ptc_rank_compare(a, n, b, n, 0.95, &r), 0);
        covered += r.ratio_lo <= 1.5 && 1.5 <= r.ratio_hi;
    }
    *coverage_said = r.coverage;
    double seen = (double)covered / trials;
    /* 3 standard errors of a proportion near 0.95 over 2000 trials: 0.015 */
    assert_true(seen >= r.coverage - 0.015);
}

static void test_coverage_by_simulation(void **state) {
    double said;
    coverage_check(6, &said);
    assert_true(said >= 0.95);
    coverage_check(60, &said);
    assert_true(said >= 0.949);
}

static void test_errors(void **state) {
    struct ptc_rank_compare r;
    const double a[] = {1, 2}, bad[] = {1, 0}, inf[] = {1, INFINITY};
    assert_int_equal(ptc_rank_compare(a, 0, a, 2, 0.95, &r), -EINVAL);
    assert_int_equal(ptc_rank_compare(a, 2, a, 2, 1.0, &r), -EINVAL);
    assert_int_equal(ptc_rank_compare(a, 2, bad, 2, 0.95, &r), -EDOM);
    assert_int_equal(ptc_rank_compare(inf, 2, a, 2, 0.95, &r), -EDOM);
    assert_int_equal(ptc_rank_compare(a, 1u << 12, a, 1u << 12, 0.95, &r), -E2BIG);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_p_values),         cmocka_unit_test(test_unequal_sizes_p),
        cmocka_unit_test(test_too_few_for_the_level),  cmocka_unit_test(test_scaled_sample),
        cmocka_unit_test(test_coverage_by_simulation), cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
