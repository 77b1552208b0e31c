/* The claims about shared state (src/claims/claims_lock.c): 06 (100 deposits with a pause in the
 * critical section), 07 (balance += n; balance -= n from two threads) and 09 (a thread-local
 * variable). What is checked is behaviour, read back from the ledger's measured text: the
 * balances and counts, and that the verdict agrees with them. No timing is checked, and each
 * scenario must leave no thread behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "claims/claim.h"
#include "core/clock.h"
#include "ptc_test.h"

#include <pthread.h>
#include <sched.h>
#include <unistd.h>

static int baseline_threads = 1;

static void run_claim_scaled(const char *id, double time_scale, struct ptc_claim_result *r) {
    const struct ptc_claim *c = ptc_claim_find(id);
    assert_non_null(c);
    assert_string_equal(c->id, id);
    assert_non_null(c->run);
    assert_true(c->original != NULL && c->original[0] != '\0');
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    struct ptc_claim_ctx ctx = {
        .time_scale = time_scale, .cpus = cpus > 0 ? cpus : 1, .seed = 1, .timeline = NULL};
    *r = (struct ptc_claim_result){
        .expected_value = 0.0 / 0.0, .measured_value = 0.0 / 0.0, .unit = ""};
    assert_int_equal(c->run(&ctx, r), 0);
    assert_true(r->expected[0] != '\0');
    assert_true(r->measured[0] != '\0');
    assert_true(r->reason[0] != '\0');
    ptc_test_assert_threads(id, baseline_threads);
}

static void run_claim(const char *id, struct ptc_claim_result *r) {
    run_claim_scaled(id, 0.01, r);
}

/* Claim 06 at time_scale: its balances checked for consistency, the updates lost into *lost. */
static void deposits(double time_scale, struct ptc_claim_result *r, long long *lost) {
    run_claim_scaled("06", time_scale, r);
    long long locked = -1, unlocked = -1;
    double locked_s = 0;
    int got = sscanf(r->measured,
                     "with the lock: balance %lld in %lf s; without it: balance %lld (%lld updates "
                     "lost)",
                     &locked, &locked_s, &unlocked, lost);
    if (got != 4)
        fail_msg("06: measured text not as expected: %s", r->measured);
    assert_int_equal(locked, 100);
    assert_true(unlocked >= 1 && unlocked <= 100);
    assert_int_equal(*lost, 100 - unlocked);
    assert_double_near(r->measured_value, (double)*lost, 0.0);
    assert_string_equal(r->unit, "updates");
    assert_int_equal(r->verdict, *lost > 0 ? PTC_REPRODUCED : PTC_REFUTED);
}

static void test_deposits(void **state) {
    struct ptc_claim_result r;
    long long lost = 0;
    /* The threads are released together and all read the balance during the pause: some read it
     * before another has written it. A pause of 100 us (time scale 0.01) can still pass unraced
     * on a loaded machine or under a sanitizer that makes starting a thread slow; the claim is
     * run again with 1 ms and 5 ms pauses before an unraced run counts. */
    const double scales[] = {0.01, 0.1, 0.5};
    for (size_t k = 0; k < sizeof scales / sizeof scales[0] && lost == 0; k++)
        deposits(scales[k], &r, &lost);
    assert_true(lost > 0);
}

/* CPUs this process may run on (taskset can leave one of several online). */
static int cpus_usable(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 1;
    return CPU_COUNT(&set);
}

/* Runs 07 and checks what its measured text says; returns the verdict. */
static enum ptc_verdict check_balance(void) {
    struct ptc_claim_result r;
    run_claim("07", &r);
    int drifted = -1, attempts = -1, at_zero = -1, locked_attempts = -1;
    const char *with = strstr(r.measured, "with the lock: ");
    if (sscanf(r.measured, "without the lock: %d of %d attempts drifted", &drifted, &attempts) !=
            2 ||
        with == NULL ||
        sscanf(with, "with the lock: %d of %d at 0", &at_zero, &locked_attempts) != 2)
        fail_msg("07: measured text not as expected: %s", r.measured);
    assert_true(attempts >= 1 && locked_attempts >= 1);
    /* Under the lock no change is ever lost. */
    assert_int_equal(at_zero, locked_attempts);
    assert_non_null(strstr(with, "final balances [0, 0"));
    assert_true(drifted >= 0 && drifted <= attempts);
    assert_double_near(r.measured_value, (double)drifted, 0.0);
    assert_int_equal(r.verdict, drifted > 0 ? PTC_REPRODUCED : PTC_REFUTED);
    return r.verdict;
}

static void test_balance(void **state) {
    enum ptc_verdict v = check_balance();
    /* Two threads running at once race on every change. On a loaded machine they can still run
     * one after the other through every attempt (the loops take less than a time slice): the
     * claim is run again, up to ten times in all, before it counts as refuted. One CPU drifts only
     * if a thread is preempted between a read and its write: rare, not checked. */
    for (int again = 0; again < 9 && v == PTC_REFUTED && cpus_usable() >= 2; again++)
        v = check_balance();
    if (cpus_usable() >= 2)
        assert_int_not_equal(v, PTC_REFUTED);
}

static void test_thread_local(void **state) {
    struct ptc_claim_result r;
    run_claim("09", &r);
    int own = -1, threads = -1;
    if (sscanf(r.measured, "_Thread_local: %d of %d threads read their own value", &own,
               &threads) != 2)
        fail_msg("09: measured text not as expected: %s", r.measured);
    assert_true(threads >= 2);
    assert_int_equal(own, threads);
    assert_non_null(strstr(r.measured, "each at its own address"));
    assert_non_null(strstr(r.measured, "main thread's copy unchanged"));
    /* The contrast: one plain global, shared by all. */
    assert_non_null(strstr(r.measured, "all read the last writer's value"));
    assert_int_equal(r.verdict, PTC_REPRODUCED);
}

int main(void) {
    baseline_threads = ptc_test_thread_baseline();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deposits),
        cmocka_unit_test(test_balance),
        cmocka_unit_test(test_thread_local),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
