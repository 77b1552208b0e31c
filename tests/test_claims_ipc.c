/* The claims about processes and IPC (src/claims/: claims_globals.c 08, claims_queue.c 10 the
 * bounded queue, claims_pipe.c 11 the duplex pipe, claims_terminate.c 16 the terminated reader).
 * They are behavioural, so each must run and be reproduced on any Linux machine, at a small time
 * scale, and leave no child behind. Claim 10 compares its timeouts with a 5 % + 2 ms tolerance:
 * PTC_TEST_TIME_MULTIPLIER widens the time scale (a longer timeout makes the fixed 2 ms a smaller
 * share) on a loaded machine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "claims/claim.h"
#include "ptc_test.h"

#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

static void run_claim(const char *id) {
    const struct ptc_claim *c = ptc_claim_find(id);
    assert_non_null(c);
    struct ptc_claim_ctx ctx = {.time_scale = 0.01 * ptc_test_time_multiplier(),
                                .cpus = sysconf(_SC_NPROCESSORS_ONLN),
                                .seed = 1,
                                .timeline = NULL};
    struct ptc_claim_result r = {0};
    int rc = c->run(&ctx, &r);
    if (rc != 0)
        fail_msg("claim %s: run returned %d (%s)", id, rc, strerror(-rc));
    if (r.verdict != PTC_REPRODUCED)
        fail_msg("claim %s: %s\n  expected: %s\n  measured: %s\n  reason: %s", id,
                 ptc_verdict_name(r.verdict), r.expected, r.measured, r.reason);
    assert_true(r.expected[0] != '\0' && r.measured[0] != '\0' && r.reason[0] != '\0');
    assert_non_null(r.unit);
    ptc_test_assert_no_child("test_claims_ipc");
}

static void test_globals_not_shared(void **state) {
    run_claim("08");
}

static void test_bounded_queue(void **state) {
    run_claim("10");
}

static void test_duplex_pipe(void **state) {
    run_claim("11");
}

static void test_terminated_reader(void **state) {
    run_claim("16");
}

/* Twice in a row: nothing a run leaves (a global, an fd, a child) changes the next one. */
static void test_again(void **state) {
    run_claim("08");
    run_claim("10");
    run_claim("11");
    run_claim("16");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_globals_not_shared),
        cmocka_unit_test(test_bounded_queue),
        cmocka_unit_test(test_duplex_pipe),
        cmocka_unit_test(test_terminated_reader),
        cmocka_unit_test(test_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
