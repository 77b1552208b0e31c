/* ptc-claims' command line (src/claims/cli.c): the options land in their fields, bad input is
 * status 2 and nothing exits, and each claim runs at the scale its kind asks for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "claims/ledger.h"

#include <getopt.h>
#include <string.h>

static int parse(struct ptc_claims_opts *o, int argc, char **argv) {
    ptc_claims_opts_init(o, "claims.py");
    optind = 0;
    return ptc_claims_parse(o, argc, argv);
}

static void test_options(void **state) {
    char *argv[] = {"ptc-claims", "--time-scale", "0.5", "--untimed-scale", "0.1", "--only",
                    "02,06",      "--seed",       "3",   "--out",           "d",   "--quiet"};
    struct ptc_claims_opts o;
    assert_int_equal(parse(&o, 12, argv), -1);
    assert_true(o.time_scale == 0.5 && o.untimed_scale == 0.1);
    assert_string_equal(o.only[0], "02");
    assert_string_equal(o.only[1], "06");
    assert_null(o.only[2]);
    assert_int_equal(o.seed, 3);
    assert_string_equal(o.out, "d");
    assert_true(o.quiet && !o.python);
    assert_string_equal(o.python_script, "claims.py");
    size_t n;
    const struct ptc_claim *const *all = ptc_claims_all(&n);
    for (size_t i = 0; i < n; i++)
        assert_true(ptc_claims_scale(&o, all[i]) == (all[i]->timing ? 0.5 : 0.1));
    ptc_claims_opts_free(&o);
}

static void test_defaults(void **state) {
    char *argv[] = {"ptc-claims"};
    struct ptc_claims_opts o;
    assert_int_equal(parse(&o, 1, argv), -1);
    assert_true(o.time_scale == 1.0);
    assert_null(o.only);
    assert_string_equal(o.out, ".");
    assert_int_equal(o.seed, 1);
    size_t n;
    const struct ptc_claim *const *all = ptc_claims_all(&n);
    assert_true(ptc_claims_scale(&o, all[0]) == 1.0); /* the untimed scale follows */
    ptc_claims_opts_free(&o);
}

static void test_bad_usage(void **state) {
    char *bad[][3] = {{"ptc-claims", "--time-scale", "0"}, {"ptc-claims", "--untimed-scale", "11"},
                      {"ptc-claims", "--only", "99"},      {"ptc-claims", "--seed", "-1"},
                      {"ptc-claims", "--bogus", "x"},      {"ptc-claims", "--quiet", "extra"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ptc_claims_opts o;
        assert_int_equal(parse(&o, 3, bad[i]), 2);
        ptc_claims_opts_free(&o);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_bad_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
