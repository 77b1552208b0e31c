/* core/clock and core/format: the monotonic clock, sleeps that last at least their time, the
 * UTC stamp, and durations printed with a unit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/format.h"
#include "ptc_test.h"

#include <ctype.h>
#include <signal.h>
#include <sys/prctl.h>
#include <time.h>

static void test_now_monotonic(void **state) {
    ptc_ns prev = ptc_now_ns();
    assert_true(prev > 0);
    for (int i = 0; i < 10000; i++) {
        ptc_ns now = ptc_now_ns();
        assert_true(now >= prev);
        prev = now;
    }
}

static void test_sleep_lasts_at_least(void **state) {
    const double mult = ptc_test_time_multiplier();
    const ptc_ns want[] = {0, 1 * PTC_NS_PER_MS, 20 * PTC_NS_PER_MS};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        ptc_ns t0 = ptc_now_ns();
        assert_int_equal(ptc_sleep_ns(want[i]), 0);
        ptc_ns took = ptc_now_ns() - t0;
        assert_true(took >= want[i]);
        /* Generous: only catches a sleep gone badly wrong (units, a lost deadline). */
        assert_true(took < want[i] + (ptc_ns)(200.0 * mult * (double)PTC_NS_PER_MS));
    }
}

static void on_alarm(int sig) {}

/* A signal in the middle resumes the sleep towards the same deadline, not a fresh one. */
static void test_sleep_survives_signals(void **state) {
    const double mult = ptc_test_time_multiplier();
    struct sigaction sa = {.sa_handler = on_alarm}, old;
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
    timer_t timer;
    struct sigevent sev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM};
    assert_int_equal(timer_create(CLOCK_MONOTONIC, &sev, &timer), 0);
    struct itimerspec every_5ms = {.it_value = {0, 5000000}, .it_interval = {0, 5000000}};
    assert_int_equal(timer_settime(timer, 0, &every_5ms, NULL), 0);
    ptc_ns t0 = ptc_now_ns();
    int rc = ptc_sleep_ns(40 * PTC_NS_PER_MS);
    ptc_ns took = ptc_now_ns() - t0;
    timer_delete(timer);
    sigaction(SIGALRM, &old, NULL);
    assert_int_equal(rc, 0);
    assert_true(took >= 40 * PTC_NS_PER_MS);
    assert_true(took < (ptc_ns)((40.0 + 200.0 * mult) * (double)PTC_NS_PER_MS));
}

static void test_timer_slack(void **state) {
    unsigned long before = (unsigned long)prctl(PR_GET_TIMERSLACK);
    assert_int_equal(ptc_timer_slack_min(), 0);
    assert_int_equal(prctl(PR_GET_TIMERSLACK), 1);
    prctl(PR_SET_TIMERSLACK, before, 0UL, 0UL, 0UL);
}

static void test_utc_iso8601(void **state) {
    char buf[32];
    memset(buf, 'x', sizeof buf);
    ptc_utc_iso8601(buf, sizeof buf);
    /* YYYY-MM-DDTHH:MM:SSZ */
    const char *shape = "dddd-dd-ddTdd:dd:ddZ";
    assert_int_equal(strlen(buf), strlen(shape));
    for (size_t i = 0; shape[i]; i++) {
        if (shape[i] == 'd')
            assert_true(isdigit((unsigned char)buf[i]));
        else
            assert_int_equal(buf[i], shape[i]);
    }
    assert_true(strncmp(buf, "20", 2) == 0);
}

static void check_fmt(double ns, const char *want) {
    char buf[32];
    assert_ptr_equal(ptc_fmt_ns(buf, sizeof buf, ns), buf);
    if (strcmp(buf, want) != 0)
        fail_msg("ptc_fmt_ns(%.17g) = \"%s\", expected \"%s\"", ns, buf, want);
}

static void test_fmt_ns(void **state) {
    check_fmt(0, "0 ns");
    check_fmt(812, "812 ns");
    check_fmt(999, "999 ns");
    check_fmt(1000, "1.000 us");
    check_fmt(13200, "13.20 us");
    check_fmt(123456, "123.5 us");
    check_fmt(50.26e6, "50.26 ms");
    check_fmt(6.003e9, "6.003 s");
    check_fmt(250e9, "250.0 s");
    check_fmt(-1500, "-1.500 us");
    check_fmt(NAN, "-");
    check_fmt(INFINITY, "-");
    char small[6];
    ptc_fmt_ns(small, sizeof small, 50.26e6); /* truncated, still terminated */
    assert_string_equal(small, "50.26");
}

/* Regression: a value that rounds up to 1000 of a unit
 * moves to the next unit instead of printing "1000.0 us". */
static void test_regression_fmt_unit_rollover(void **state) {
    check_fmt(999999, "1.000 ms");
    check_fmt(999.7, "1.000 us");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_now_monotonic),
        cmocka_unit_test(test_sleep_lasts_at_least),
        cmocka_unit_test(test_sleep_survives_signals),
        cmocka_unit_test(test_timer_slack),
        cmocka_unit_test(test_utc_iso8601),
        cmocka_unit_test(test_fmt_ns),
        cmocka_unit_test(test_regression_fmt_unit_rollover),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
