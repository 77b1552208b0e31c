/* core/stats: percentiles (Hyndman-Fan type 7), median, MAD and the summary, against values
 * computed by hand (and cross-checked with numpy.percentile's default method); the interval of
 * the median against hand-computed ranks and, by simulation, against its stated coverage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/format.h"
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

/* The order-statistic interval at hand-computed n: ranks (j, n + 1 - j) with coverage
 * 1 - 2 P(Binomial(n, 1/2) <= j - 1), the largest j that reaches 95 %. */
static void test_median_ci_ranks(void **state) {
    static const struct {
        size_t n, lo_rank;
        double coverage;
    } cases[] = {
        {6, 1, 1 - 2.0 / 64},                    /* j = 2 would give 1 - 14/64 = 78 % */
        {8, 1, 1 - 2.0 / 256},                   /* j = 2: 1 - 18/256 = 93 % */
        {9, 2, 1 - 2.0 * (1 + 9) / 512},         /* 96.09 % */
        {12, 3, 1 - 2.0 * (1 + 12 + 66) / 4096}, /* 96.14 %; j = 4: 85 % */
        {20, 6, 1 - 2.0 * 21700 / 1048576},      /* 1+20+190+1140+4845+15504 = 21700 */
        {5, 1, 1 - 2.0 / 32},                    /* below: min-max, 93.75 % */
        {3, 1, 0.75},                            /* the old "95 % CI" of 3 runs */
        {1, 1, 0.0},
    };
    for (size_t c = 0; c < N_OF(cases); c++) {
        size_t n = cases[c].n;
        double y[20];
        for (size_t i = 0; i < n; i++) /* 1..n scrambled (7 is coprime to each n): rank r is r */
            y[i] = (double)((i * 7) % n) + 1;
        struct ptc_median_ci ci;
        assert_int_equal(ptc_median_ci(y, n, 0.95, &ci), 0);
        assert_int_equal(ci.lo_rank, cases[c].lo_rank);
        assert_int_equal(ci.hi_rank, n + 1 - cases[c].lo_rank);
        assert_double_near(ci.lo, (double)ci.lo_rank, EPS);
        assert_double_near(ci.hi, (double)ci.hi_rank, EPS);
        assert_double_near(ci.coverage, cases[c].coverage, 1e-12);
        assert_true(ci.supported == (n >= 6));
    }
}

/* Below the supporting n the function says so; bad arguments are refused. */
static void test_median_ci_refusal(void **state) {
    assert_int_equal(ptc_median_ci_min_n(0.95), 6);
    assert_int_equal(ptc_median_ci_min_n(0.99), 8);
    assert_int_equal(ptc_median_ci_min_n(0.5), 2); /* min-max of 2 covers 50 % */
    assert_int_equal(ptc_median_ci_min_n(0), 0);
    assert_int_equal(ptc_median_ci_min_n(1), 0);
    const double x[] = {10, 30, 20, 15, 25};
    struct ptc_median_ci ci;
    assert_int_equal(ptc_median_ci(x, 5, 0.95, &ci), 0);
    assert_false(ci.supported);
    assert_double_near(ci.lo, 10, EPS);
    assert_double_near(ci.hi, 30, EPS);
    assert_int_equal(ptc_median_ci(x, 5, 0.90, &ci), 0); /* 93.75 % >= 90 % */
    assert_true(ci.supported);
    assert_int_equal(ptc_median_ci(x, 0, 0.95, &ci), -EINVAL);
    assert_int_equal(ptc_median_ci(x, 5, 0, &ci), -EINVAL);
    assert_int_equal(ptc_median_ci(x, 5, 1, &ci), -EINVAL);
    assert_int_equal(ptc_median_ci(x, 5, NAN, &ci), -EINVAL);
    /* Large n: no underflow of 2^-n, coverage just above the level. */
    enum { BIG = 2000 };
    static double big[BIG];
    for (size_t i = 0; i < BIG; i++)
        big[i] = (double)((i * 3) % BIG);
    assert_int_equal(ptc_median_ci(big, BIG, 0.95, &ci), 0);
    assert_true(ci.supported && ci.coverage >= 0.95 && ci.coverage < 0.96);
    /* normal approximation: 1000 -+ 1.96 * sqrt(2000) / 2, so ranks near 956 and 1045 */
    assert_true(ci.lo_rank >= 950 && ci.lo_rank <= 960);
}

/* What the tables print: the interval with its coverage, or the refusal, never a bare min-max. */
static void test_median_ci_text(void **state) {
    const double six[] = {10e6, 12e6, 11e6, 13e6, 14e6, 15e6};
    struct ptc_median_ci ci;
    char buf[80];
    assert_int_equal(ptc_median_ci(six, 6, PTC_CI_LEVEL, &ci), 0);
    assert_string_equal(ptc_fmt_median_ci(buf, sizeof buf, &ci), "10.00 ms - 15.00 ms (96.9 %)");
    assert_int_equal(ptc_median_ci(six, 3, PTC_CI_LEVEL, &ci), 0);
    assert_string_equal(ptc_fmt_median_ci(buf, sizeof buf, &ci), "n = 3 too small for a 95 % CI");
    ci = (struct ptc_median_ci){.lo = NAN, .hi = NAN, .coverage = NAN}; /* no run recorded */
    assert_string_equal(ptc_fmt_median_ci(buf, sizeof buf, &ci), "-");
}

/* splitmix64, then a double in (0, 1): the simulation is seeded, so reproducible. */
static double uniform01(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

/* Skewed populations with a known median: exponential (median ln 2) and log-normal (median 1,
 * sigma 1, by Box-Muller). */
static double draw_exponential(uint64_t *st) {
    return -log(uniform01(st));
}
static double draw_lognormal(uint64_t *st) {
    double u = uniform01(st), v = uniform01(st);
    return exp(sqrt(-2 * log(u)) * cos(2 * M_PI * v));
}

/* The stated coverage is the real one: 10,000 seeded samples of each n from 6 to 20 from two
 * skewed distributions; the share of intervals holding the true median is within 1.5 points of
 * the stated coverage (the binomial standard error of the share is 0.2 points), and the min-max
 * of 3 runs holds it about 75 % of the time, not 95 %. */
static void test_median_ci_coverage_simulated(void **state) {
    enum { TRIALS = 10000 };
    static const struct {
        double (*draw)(uint64_t *);
        double median;
    } pops[] = {{draw_exponential, M_LN2}, {draw_lognormal, 1.0}};
    uint64_t seed = 42;
    for (size_t p = 0; p < N_OF(pops); p++)
        for (size_t n = 3; n <= 20; n++) {
            size_t hits = 0;
            double stated = 0;
            for (int t = 0; t < TRIALS; t++) {
                double x[20];
                for (size_t i = 0; i < n; i++)
                    x[i] = pops[p].draw(&seed);
                struct ptc_median_ci ci;
                assert_int_equal(ptc_median_ci(x, n, 0.95, &ci), 0);
                hits += ci.lo <= pops[p].median && pops[p].median <= ci.hi;
                stated = ci.coverage;
                assert_true(ci.supported == (n >= 6));
            }
            double observed = (double)hits / TRIALS;
            if (!(observed >= stated - 0.015 && observed <= stated + 0.015))
                fail_msg("population %zu, n = %zu: observed coverage %.4f, stated %.4f", p, n,
                         observed, stated);
            if (n >= 6 && observed < 0.95 - 0.015)
                fail_msg("n = %zu: observed coverage %.4f below 95 %%", n, observed);
        }
}

/* The modified z-score as Iglewicz and Hoaglin define it; outliers counted from 5 samples on. */
static void test_outliers(void **state) {
    const double x[] = {10, 11, 12, 13, 100};
    /* median 12, MAD 1: z(100) = 0.6745 * 88 */
    assert_true(fabs(ptc_modified_z(100, 12, 1) - 59.356) < 1e-9);
    assert_true(fabs(ptc_modified_z(13, 12, 1)) < 3.5);
    assert_true(ptc_modified_z(100, 12, 0) == 0.0);
    assert_int_equal(ptc_count_outliers(x, 5, 12, 1), 1);
    assert_int_equal(ptc_count_outliers(x, 4, 11.5, 1), -EDOM);
    const double three[] = {10, 11, 100};
    assert_int_equal(ptc_count_outliers(three, 3, 11, 1), -EDOM);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_median_ci_ranks),
        cmocka_unit_test(test_median_ci_refusal),
        cmocka_unit_test(test_median_ci_coverage_simulated),
        cmocka_unit_test(test_median_ci_text),
        cmocka_unit_test(test_outliers),
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
