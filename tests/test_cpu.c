/* workload/cpu: the xorshift chain, its composition law, sizing by iterations or by calibrated
 * duration, and checksums that catch a wrong, missing or misplaced result. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/model.h"
#include "ptc_test.h"
#include "workload/cpu_chain.h"

#include <errno.h>

/* The chain written out independently of the library. */
static uint64_t reference_chain(uint64_t x, uint64_t iterations) {
    while (iterations-- > 0) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    return x;
}

static void test_chain_known_values(void **state) {
    /* One step from 1 by hand: 1 ^ 1<<13 = 8193; ^ 8193>>7 = 8257; ^ 8257<<17 = 1082269761. */
    assert_int_equal(ptc_cpu_chain(1, 1), 1082269761ULL);
    assert_int_equal(ptc_cpu_chain(42, 0), 42);
    const uint64_t starts[] = {1, 0x123456789abcdefULL, UINT64_MAX, 1ULL << 63};
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++)
        for (uint64_t n = 0; n < 1000; n += 37)
            assert_int_equal(ptc_cpu_chain(starts[i], n), reference_chain(starts[i], n));
    assert_int_equal(ptc_cpu_chain(0, 1000), 0); /* the fixed point the start value avoids */
}

static void test_chain_deterministic(void **state) {
    uint64_t a = ptc_cpu_chain(0xfeedULL, 100000);
    uint64_t b = ptc_cpu_chain(0xfeedULL, 100000);
    assert_int_equal(a, b);
    assert_int_not_equal(a, ptc_cpu_chain(0xfeedULL, 100001));
    assert_int_not_equal(a, ptc_cpu_chain(0xfeeeULL, 100000));
}

static void test_chain_composes(void **state) {
    const uint64_t x = ptc_cpu_chain_start(9);
    const uint64_t steps[][2] = {{0, 0}, {0, 5}, {5, 0}, {1, 1}, {1000, 2345}, {65536, 3}};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        uint64_t a = steps[i][0], b = steps[i][1];
        assert_int_equal(ptc_cpu_chain(ptc_cpu_chain(x, a), b), ptc_cpu_chain(x, a + b));
    }
}

static void test_chain_start(void **state) {
    for (uint64_t seed = 0; seed < 1000; seed++)
        assert_int_not_equal(ptc_cpu_chain_start(seed), 0);
    assert_int_equal(ptc_cpu_chain_start(7), ptc_cpu_chain_start(7));
    assert_int_not_equal(ptc_cpu_chain_start(7), ptc_cpu_chain_start(8));
}

/* ---- the cpu workload ---- */

struct cpu_run {
    struct ptc_workload_state st;
    struct ptc_task_result *results;
};

static void cpu_init(struct cpu_run *r, uint32_t tasks, uint64_t iterations, ptc_ns lo_ns,
                     ptc_ns hi_ns, uint64_t seed) {
    const struct ptc_workload *cpu = ptc_workload_find("cpu");
    assert_non_null(cpu);
    assert_true(cpu->cpu_bound);
    struct ptc_workload_params p = {.tasks = tasks,
                                    .iterations = iterations,
                                    .task_lo_ns = lo_ns,
                                    .task_hi_ns = hi_ns,
                                    .seed = seed};
    char err[256] = "";
    int rc = ptc_workload_init(&r->st, cpu, &p, err, sizeof err);
    if (rc != 0)
        fail_msg("cpu setup: %d: %s", rc, err);
    r->results = ptc_results_alloc(tasks);
    assert_non_null(r->results);
}

static void cpu_run(struct cpu_run *r, const char *model) {
    const struct ptc_model *m = ptc_model_find(model);
    assert_non_null(m);
    struct ptc_child_usage children = {0};
    ptc_results_reset(r->results, r->st.p.tasks);
    struct ptc_run_spec spec = {
        .wl = &r->st, .workers = 3, .results = r->results, .children = &children};
    assert_int_equal(m->run(&spec), 0);
}

static void cpu_free(struct cpu_run *r) {
    ptc_results_free(r->results, r->st.p.tasks);
    ptc_workload_fini(&r->st);
}

static void test_fixed_iterations_verify(void **state) {
    struct cpu_run r;
    cpu_init(&r, 8, 100000, 0, 0, 1);
    assert_true(r.st.ns_per_iter > 0);
    for (uint32_t i = 0; i < 8; i++) {
        assert_int_equal(r.st.task_iters[i], 100000);
        assert_true(r.st.task_ns[i] > 0);
    }
    cpu_run(&r, "seq");
    assert_int_equal(ptc_workload_verify(&r.st, r.results), 8);
    /* The checksum is the chain folded with something task-specific: all differ. */
    for (uint32_t i = 0; i < 8; i++)
        for (uint32_t j = 0; j < i; j++)
            assert_int_not_equal(r.results[i].checksum, r.results[j].checksum);
    cpu_free(&r);
}

static void test_every_model_verifies(void **state) {
    size_t n;
    const struct ptc_model *const *models = ptc_model_all(&n);
    struct cpu_run r;
    cpu_init(&r, 6, 50000, 0, 0, 2);
    for (size_t i = 0; i < n; i++) {
        cpu_run(&r, models[i]->name);
        uint32_t ok = ptc_workload_verify(&r.st, r.results);
        if (ok != 6)
            fail_msg("cpu under %s: %u of 6 verified", models[i]->name, ok);
    }
    cpu_free(&r);
}

static void test_corruption_detected(void **state) {
    struct cpu_run r;
    cpu_init(&r, 8, 100000, 0, 0, 1);
    cpu_run(&r, "seq");
    r.results[3].checksum ^= 1ULL << 40;
    assert_int_equal(ptc_workload_verify(&r.st, r.results), 7);
    assert_int_equal(r.results[3].status, -EBADMSG);

    /* Two results swapped (tasks that ran under each other's index) fail both. */
    cpu_run(&r, "seq");
    uint64_t tmp = r.results[0].checksum;
    r.results[0].checksum = r.results[1].checksum;
    r.results[1].checksum = tmp;
    assert_int_equal(ptc_workload_verify(&r.st, r.results), 6);
    assert_int_equal(r.results[0].status, -EBADMSG);
    assert_int_equal(r.results[1].status, -EBADMSG);
    cpu_free(&r);
}

static void test_seeds_differ(void **state) {
    struct cpu_run a, b, c;
    cpu_init(&a, 4, 20000, 0, 0, 1);
    cpu_init(&b, 4, 20000, 0, 0, 2);
    cpu_init(&c, 4, 20000, 0, 0, 1);
    cpu_run(&a, "seq");
    cpu_run(&b, "seq");
    cpu_run(&c, "seq");
    for (uint32_t i = 0; i < 4; i++) {
        assert_int_not_equal(a.results[i].checksum, b.results[i].checksum);
        assert_int_equal(a.results[i].checksum, c.results[i].checksum);
    }
    /* A result from another seed does not pass. */
    a.results[2].checksum = b.results[2].checksum;
    assert_int_equal(ptc_workload_verify(&a.st, a.results), 3);
    cpu_free(&a);
    cpu_free(&b);
    cpu_free(&c);
}

static void test_sized_by_duration(void **state) {
    const ptc_ns two_ms = 2 * PTC_NS_PER_MS;
    struct cpu_run r;
    cpu_init(&r, 4, 0, two_ms, two_ms, 1);
    assert_true(r.st.ns_per_iter > 0);
    for (uint32_t i = 0; i < 4; i++) {
        assert_int_equal(r.st.task_ns[i], two_ms);
        assert_true(r.st.task_iters[i] > 0);
        assert_int_equal(r.st.task_iters[i], r.st.task_iters[0]);
        /* iterations = duration / calibrated cost, rounded down */
        double est = (double)r.st.task_iters[i] * r.st.ns_per_iter;
        assert_true(est <= (double)two_ms * 1.0001);
        assert_true(est >= (double)two_ms * 0.99);
    }
    cpu_run(&r, "seq");
    assert_int_equal(ptc_workload_verify(&r.st, r.results), 4);
    cpu_free(&r);
}

static void test_random_durations(void **state) {
    enum { N = 8 };
    struct cpu_run r, again;
    cpu_init(&r, N, 0, 1 * PTC_NS_PER_MS, 5 * PTC_NS_PER_MS, 11);
    uint64_t lo = UINT64_MAX, hi = 0;
    for (uint32_t i = 0; i < N; i++) {
        ptc_ns ns = r.st.task_ns[i];
        assert_true(ns >= 1 * PTC_NS_PER_MS && ns <= 5 * PTC_NS_PER_MS);
        assert_int_equal(ns % PTC_NS_PER_MS, 0); /* whole milliseconds */
        assert_true(r.st.task_iters[i] > 0);
        lo = r.st.task_iters[i] < lo ? r.st.task_iters[i] : lo;
        hi = r.st.task_iters[i] > hi ? r.st.task_iters[i] : hi;
    }
    assert_true(lo < hi); /* the sizes vary */
    cpu_run(&r, "seq");
    assert_int_equal(ptc_workload_verify(&r.st, r.results), N);
    cpu_run(&r, "threadpool");
    assert_int_equal(ptc_workload_verify(&r.st, r.results), N);
    /* The same seed draws the same durations (iterations follow the calibration). */
    cpu_init(&again, N, 0, 1 * PTC_NS_PER_MS, 5 * PTC_NS_PER_MS, 11);
    assert_memory_equal(r.st.task_ns, again.st.task_ns, N * sizeof *r.st.task_ns);
    cpu_free(&again);
    cpu_free(&r);
}

static void test_needs_a_size(void **state) {
    const struct ptc_workload *cpu = ptc_workload_find("cpu");
    struct ptc_workload_params p = {.tasks = 3, .seed = 1};
    struct ptc_workload_state st;
    char err[256] = "";
    assert_int_equal(ptc_workload_init(&st, cpu, &p, err, sizeof err), -EINVAL);
    assert_true(strlen(err) > 0);
    assert_null(st.task_ns); /* nothing left allocated */
    assert_null(st.task_iters);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chain_known_values),
        cmocka_unit_test(test_chain_deterministic),
        cmocka_unit_test(test_chain_composes),
        cmocka_unit_test(test_chain_start),
        cmocka_unit_test(test_fixed_iterations_verify),
        cmocka_unit_test(test_every_model_verifies),
        cmocka_unit_test(test_corruption_detected),
        cmocka_unit_test(test_seeds_differ),
        cmocka_unit_test(test_sized_by_duration),
        cmocka_unit_test(test_random_durations),
        cmocka_unit_test(test_needs_a_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
