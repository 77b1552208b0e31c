/* The verdict rule of the claims about durations (src/claims/verdict.h), on hand-made numbers:
 * the cases of tests/data/verdicts.csv, which tests/check_verdicts.py also puts to the Python
 * reference's judge(), so that both decide alike; and the texts of ptc_claim_judge. No timing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "claims/verdict.h"
#include "core/csv.h"
#include "ptc_test.h"

#ifndef PTC_SOURCE_DIR
#define PTC_SOURCE_DIR "."
#endif

enum { COL_CASE, COL_OTHERS, COL_TOL, COL_SLACK, COL_CHECK1, COL_VERDICT = COL_CHECK1 + 6, N_COLS };

static double ms_to_ns(const char *s) {
    return strtod(s, NULL) * 1e6;
}

/* One case: the rule's verdict must be the name in the last column. */
static int check_case(void *arg, char **f, size_t n, size_t line) {
    int *cases = arg;
    if (line == 1)
        return 0;
    if (n != N_COLS)
        fail_msg("verdicts.csv:%zu: %zu fields, expected %d", line, n, N_COLS);
    struct ptc_duration_check checks[2];
    size_t n_checks = 0;
    for (int k = 0; k < 2 && *f[COL_CHECK1 + 3 * k] != '\0'; k++, n_checks++)
        checks[k] = (struct ptc_duration_check){.what = "x",
                                                .measured_ns = ms_to_ns(f[COL_CHECK1 + 3 * k]),
                                                .expected_ns = ms_to_ns(f[COL_CHECK1 + 3 * k + 1]),
                                                .overhead_ns = ms_to_ns(f[COL_CHECK1 + 3 * k + 2])};
    enum ptc_verdict v = ptc_judge_durations(strcmp(f[COL_OTHERS], "1") == 0, checks, n_checks,
                                             strtod(f[COL_TOL], NULL), ms_to_ns(f[COL_SLACK]));
    if (strcmp(ptc_verdict_name(v), f[COL_VERDICT]) != 0)
        fail_msg("verdicts.csv:%zu (%s): %s, expected %s", line, f[COL_CASE], ptc_verdict_name(v),
                 f[COL_VERDICT]);
    (*cases)++;
    return 0;
}

static void test_shared_cases(void **state) {
    (void)state;
    char err[256];
    int cases = 0;
    int rc = ptc_csv_read(PTC_SOURCE_DIR "/tests/data/verdicts.csv", check_case, &cases, err,
                          sizeof err);
    if (rc < 0)
        fail_msg("%s", err);
    assert_true(cases >= 10);
}

static void test_no_durations(void **state) {
    (void)state;
    assert_int_equal(ptc_judge_durations(true, NULL, 0, 0.05, 2e6), PTC_REPRODUCED);
    assert_int_equal(ptc_judge_durations(false, NULL, 0, 0.05, 2e6), PTC_REFUTED);
}

static void test_tolerance(void **state) {
    (void)state;
    assert_double_near(ptc_tolerance_ns(100e6, 0.05, 5e6), 10e6, 1e-3);
    assert_double_near(ptc_tolerance_ns(0, 0.05, 2e6), 2e6, 1e-3);
}

/* Not judged: the reason gives each overhead against its tolerance and the scale; every overhead
 * goes into the measured text. */
static void test_texts(void **state) {
    (void)state;
    const struct ptc_duration_check checks[] = {
        {"sequence", 301e6, 300e6, 0.1e6},
        {"Pool(5)", 224e6, 100e6, 110e6},
    };
    struct ptc_claim_result r = {.measured = "sequence 0.301 s"};
    ptc_claim_judge(&r, 0.05, true, checks, 2, 0.05, 5e6, "ok", "off");
    assert_int_equal(r.verdict, PTC_NOT_JUDGED);
    assert_string_equal(ptc_verdict_name(r.verdict), "not judged at this scale");
    assert_string_equal(r.reason, "at time scale 0.05 a fixed overhead can account for the figure: "
                                  "Pool(5) overhead 0.1100 s, tolerance 0.0100 s, off by "
                                  "+0.1240 s");
    assert_string_equal(r.measured, "sequence 0.301 s; fixed overhead (empty tasks): sequence "
                                    "0.0001 s, Pool(5) 0.1100 s");
    struct ptc_claim_result q = {0};
    ptc_claim_judge(&q, 1, true, checks, 1, 0.05, 5e6, "ok", "off");
    assert_int_equal(q.verdict, PTC_REPRODUCED);
    assert_string_equal(q.reason, "ok");
    ptc_claim_judge(&q, 1, false, checks, 1, 0.05, 5e6, "ok", "off");
    assert_int_equal(q.verdict, PTC_REFUTED);
    assert_string_equal(q.reason, "off");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_cases),
        cmocka_unit_test(test_no_durations),
        cmocka_unit_test(test_tolerance),
        cmocka_unit_test(test_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
