/* core/condition: the disturbed rule on hand-made conditions, the /proc readings around a span,
 * and the capacity probe's range. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/condition.h"
#include "ptc_test.h"

/* A quiet 2-CPU machine over a 1 s run: nothing else ran, the capacity is 1.98x. */
static struct ptc_run_condition quiet(void) {
    return (struct ptc_run_condition){.load_1m = 0.1,
                                      .steal_cpus = 0,
                                      .other_busy_cpus = 0.02,
                                      .margin_cpus = 0.04,
                                      .capacity = 1.98,
                                      .cpus = 2};
}

static void test_quiet_is_not_disturbed(void **state) {
    struct ptc_run_condition c = quiet();
    char why[160] = "stale";
    assert_false(ptc_condition_judge(&c, why, sizeof why));
    assert_string_equal(why, "");
    /* A figure that could not be read disturbs nothing. */
    c.steal_cpus = c.other_busy_cpus = c.margin_cpus = c.capacity = NAN;
    assert_false(ptc_condition_judge(&c, why, sizeof why));
    /* A high load average alone (processes waiting on I/O count in it) is not a disturbance. */
    c = quiet();
    c.load_1m = 23;
    assert_false(ptc_condition_judge(&c, NULL, 0));
}

static void test_others_busy(void **state) {
    struct ptc_run_condition c = quiet();
    char why[160];
    c.other_busy_cpus = 1.0; /* one spinning neighbour */
    assert_true(ptc_condition_judge(&c, why, sizeof why));
    assert_string_equal(why, "others busy 1.00 CPUs (+-0.04)");
    /* Just below and above the threshold, beyond the margin. */
    c.other_busy_cpus = ptc_condition_other_busy_max_cpus + c.margin_cpus - 0.01;
    assert_false(ptc_condition_judge(&c, why, sizeof why));
    c.other_busy_cpus = ptc_condition_other_busy_max_cpus + c.margin_cpus + 0.01;
    assert_true(ptc_condition_judge(&c, why, sizeof why));
    /* A short run's tick margin absorbs what its counters cannot resolve. */
    c.other_busy_cpus = 0.6;
    c.margin_cpus = 0.4;
    assert_false(ptc_condition_judge(&c, why, sizeof why));
}

static void test_steal(void **state) {
    struct ptc_run_condition c = quiet();
    char why[160];
    c.steal_cpus = 0.3;
    assert_true(ptc_condition_judge(&c, why, sizeof why));
    assert_string_equal(why, "steal 0.30 CPUs (+-0.04)");
    c.steal_cpus = 0.1;
    assert_false(ptc_condition_judge(&c, why, sizeof why));
}

static void test_capacity(void **state) {
    struct ptc_run_condition c = quiet();
    char why[160];
    c.capacity = 1.27; /* two threads beside one busy process */
    assert_true(ptc_condition_judge(&c, why, sizeof why));
    assert_string_equal(why, "capacity 1.27x of 2 CPUs");
    c.capacity = 1.75; /* above 0.85 x 2 */
    assert_false(ptc_condition_judge(&c, why, sizeof why));
    c.cpus = 1; /* one CPU: capacity 1 is all there is */
    c.capacity = 0.97;
    assert_false(ptc_condition_judge(&c, why, sizeof why));
}

static void test_reasons_joined(void **state) {
    struct ptc_run_condition c = quiet();
    char why[160], small[12];
    c.other_busy_cpus = 1.9;
    c.steal_cpus = 0.5;
    c.capacity = 0.9;
    assert_true(ptc_condition_judge(&c, why, sizeof why));
    assert_string_equal(
        why, "others busy 1.90 CPUs (+-0.04); steal 0.50 CPUs (+-0.04); capacity 0.90x of 2 CPUs");
    assert_true(ptc_condition_judge(&c, small, sizeof small)); /* truncated, terminated */
    assert_int_equal(strlen(small), sizeof small - 1);
}

/* The readings around a span in which this process alone computes: others' figure and steal
 * stay within what a machine can hold, whatever else runs beside the test. */
static void test_span(void **state) {
    struct ptc_condition_mark m;
    ptc_condition_begin(&m);
    if (!m.ok)
        skip(); /* no /proc/stat */
    struct ptc_run_condition c;
    ptc_condition_end(&m, 0, 2, &c);
    assert_true(c.other_busy_cpus >= 0);
    assert_true(c.steal_cpus >= 0);
    assert_true(c.margin_cpus > 0);
    assert_true(isnan(c.capacity));
    assert_int_equal(c.cpus, 2);
}

static void test_probe(void **state) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    struct ptc_capacity_probe p;
    assert_int_equal(ptc_capacity_init(&p, cpus), 0);
    assert_true(p.iterations > 0);
    double capacity = NAN;
    assert_int_equal(ptc_capacity_measure(&p, &capacity, NULL, 0), 0);
    /* Not a speed check: only that the ratio is a ratio N threads can give. */
    assert_true(capacity > 0 && capacity <= (double)cpus * 1.2);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quiet_is_not_disturbed),
        cmocka_unit_test(test_others_busy),
        cmocka_unit_test(test_steal),
        cmocka_unit_test(test_capacity),
        cmocka_unit_test(test_reasons_joined),
        cmocka_unit_test(test_span),
        cmocka_unit_test(test_probe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
