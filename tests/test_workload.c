/* workload/workload, durations, noop and sleep: seeded per-task randomness, task durations
 * from --task-ms, the ideal time, and the life cycle around setup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/model.h"
#include "ptc_test.h"
#include "workload/durations.h"
#include "workload/workload.h"

#include <errno.h>

static void test_task_random(void **state) {
    assert_int_equal(ptc_task_random(1, 2, 3), ptc_task_random(1, 2, 3));
    assert_int_not_equal(ptc_task_random(1, 2, 3), ptc_task_random(2, 2, 3)); /* seed */
    assert_int_not_equal(ptc_task_random(1, 2, 3), ptc_task_random(1, 3, 3)); /* task */
    assert_int_not_equal(ptc_task_random(1, 2, 3), ptc_task_random(1, 2, 4)); /* stream */
    /* Roughly uniform: over 4096 draws each of the 64 bits is set about half the time. */
    unsigned ones[64] = {0};
    for (uint32_t t = 0; t < 4096; t++) {
        uint64_t v = ptc_task_random(99, t, 1);
        for (int b = 0; b < 64; b++)
            ones[b] += (v >> b) & 1;
    }
    for (int b = 0; b < 64; b++)
        assert_in_range(ones[b], 1748, 2348); /* 2048 +- 300, about 9 sigma */
}

static void init(struct ptc_workload_state *st, const char *name, uint32_t tasks, ptc_ns lo,
                 ptc_ns hi, uint64_t seed) {
    struct ptc_workload_params p = {
        .tasks = tasks, .task_lo_ns = lo, .task_hi_ns = hi, .seed = seed};
    char err[256] = "";
    int rc = ptc_workload_init(st, ptc_workload_find(name), &p, err, sizeof err);
    if (rc != 0)
        fail_msg("init %s: %d: %s", name, rc, err);
}

static void test_fixed_duration(void **state) {
    struct ptc_workload_state st;
    init(&st, "sleep", 5, 50 * PTC_NS_PER_MS, 50 * PTC_NS_PER_MS, 1);
    for (uint32_t i = 0; i < 5; i++)
        assert_int_equal(st.task_ns[i], 50 * PTC_NS_PER_MS);
    assert_int_equal(ptc_workload_total_ns(&st), 250 * PTC_NS_PER_MS);
    assert_int_equal(ptc_workload_cpu_ns(&st, 0), 0); /* sleeping needs no CPU */
    ptc_workload_fini(&st);
    assert_null(st.task_ns);
}

static void test_random_durations(void **state) {
    enum { N = 200 };
    struct ptc_workload_state st, same, other;
    init(&st, "sleep", N, 3 * PTC_NS_PER_MS, 7 * PTC_NS_PER_MS, 5);
    init(&same, "sleep", N, 3 * PTC_NS_PER_MS, 7 * PTC_NS_PER_MS, 5);
    init(&other, "sleep", N, 3 * PTC_NS_PER_MS, 7 * PTC_NS_PER_MS, 6);
    bool seen[5] = {false};
    for (uint32_t i = 0; i < N; i++) {
        ptc_ns ns = st.task_ns[i];
        assert_int_equal(ns % PTC_NS_PER_MS, 0);
        assert_in_range(ns / PTC_NS_PER_MS, 3, 7); /* both ends included, like randint */
        seen[ns / PTC_NS_PER_MS - 3] = true;
    }
    for (int k = 0; k < 5; k++)
        assert_true(seen[k]);
    assert_memory_equal(st.task_ns, same.task_ns, N * sizeof *st.task_ns);
    assert_memory_not_equal(st.task_ns, other.task_ns, N * sizeof *st.task_ns);
    ptc_ns total = 0;
    for (uint32_t i = 0; i < N; i++)
        total += st.task_ns[i];
    assert_int_equal(ptc_workload_total_ns(&st), total);
    ptc_workload_fini(&st);
    ptc_workload_fini(&same);
    ptc_workload_fini(&other);
}

static void test_sleep_needs_duration(void **state) {
    struct ptc_workload_params p = {.tasks = 3, .seed = 1};
    struct ptc_workload_state st;
    char err[256] = "";
    assert_int_equal(ptc_workload_init(&st, ptc_workload_find("sleep"), &p, err, sizeof err),
                     -EINVAL);
    assert_non_null(strstr(err, "task-ms"));
    assert_null(st.task_ns);
    assert_null(st.wl);
}

/* Runs st under seq and returns how many tasks verify. */
static uint32_t run_seq(struct ptc_workload_state *st, struct ptc_task_result *res) {
    struct ptc_child_usage children = {0};
    struct ptc_run_spec spec = {.wl = st, .workers = 1, .results = res, .children = &children};
    ptc_results_reset(res, st->p.tasks);
    assert_int_equal(ptc_model_find("seq")->run(&spec), 0);
    return ptc_workload_verify(st, res);
}

static void test_noop(void **state) {
    struct ptc_workload_state st;
    init(&st, "noop", 10, 0, 0, 3);
    assert_false(st.wl->cpu_bound);
    struct ptc_task_result *res = ptc_results_alloc(10);
    assert_int_equal(run_seq(&st, res), 10);
    assert_int_equal(ptc_workload_total_ns(&st), 0);
    res[7].checksum++;
    assert_int_equal(ptc_workload_verify(&st, res), 9);
    assert_int_equal(res[7].status, -EBADMSG);
    ptc_results_free(res, 10);
    ptc_workload_fini(&st);
}

static void test_sleep_sleeps(void **state) {
    const double mult = ptc_test_time_multiplier();
    struct ptc_workload_state st;
    init(&st, "sleep", 3, 10 * PTC_NS_PER_MS, 10 * PTC_NS_PER_MS, 2);
    struct ptc_task_result *res = ptc_results_alloc(3);
    ptc_ns t0 = ptc_now_ns();
    assert_int_equal(run_seq(&st, res), 3);
    ptc_ns wall = ptc_now_ns() - t0;
    for (uint32_t i = 0; i < 3; i++) {
        assert_true(res[i].end_ns - res[i].start_ns >= 10 * PTC_NS_PER_MS);
        if (i > 0)
            assert_true(res[i].start_ns >= res[i - 1].end_ns); /* seq: one after another */
    }
    assert_true(wall >= 30 * PTC_NS_PER_MS);
    assert_true(wall < (ptc_ns)((30.0 + 500.0 * mult) * (double)PTC_NS_PER_MS));
    ptc_results_free(res, 3);
    ptc_workload_fini(&st);
}

static void test_task_execute(void **state) {
    struct ptc_workload_state st;
    init(&st, "noop", 4, 0, 0, 8);
    struct ptc_task_result *res = ptc_results_alloc(4);
    ptc_task_execute(&st, &ptc_exec_blocking, 2, 17, &res[2]);
    assert_int_equal(res[2].runs, 1);
    assert_int_equal(res[2].worker, 17);
    assert_int_equal(res[2].status, 0);
    assert_int_equal(res[2].checksum, st.wl->expected_checksum(&st, 2));
    assert_true(res[2].start_ns <= res[2].end_ns);
    ptc_task_execute(&st, &ptc_exec_blocking, 2, 17, &res[2]);
    assert_int_equal(res[2].runs, 2); /* a second run shows */
    ptc_results_free(res, 4);
    ptc_workload_fini(&st);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_task_random),
        cmocka_unit_test(test_fixed_duration),
        cmocka_unit_test(test_random_durations),
        cmocka_unit_test(test_sleep_needs_duration),
        cmocka_unit_test(test_noop),
        cmocka_unit_test(test_sleep_sleeps),
        cmocka_unit_test(test_task_execute),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
