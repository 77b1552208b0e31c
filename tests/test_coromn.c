/* The M:N coroutine models (model/coromn_run.h) and their deque (coro/deque.h): the deque hands
 * every item out exactly once while its owner pops and thieves steal; coromn and coromnpool run
 * 10^5 tasks that yield at random each exactly once, under both context switches; idle threads
 * steal (counted); a task's sleep ends on the thread it began on (its timer is that thread's);
 * --mn-threads is obeyed and refused out of range; the models run on shared stacks too. Nothing
 * here depends on timing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "coro/config.h"
#include "coro/deque.h"
#include "model/model.h"
#include "ptc_test.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---- the deque ---- */

static void test_deque_owner_order(void **state) {
    struct ptc_deque d;
    assert_int_equal(ptc_deque_init(&d, 5), 0);
    for (uint32_t i = 0; i < 5; i++)
        ptc_deque_push(&d, i);
    uint32_t x;
    assert_int_equal(ptc_deque_steal(&d, &x), PTC_STEAL_OK);
    assert_int_equal(x, 0); /* thieves take the oldest */
    for (uint32_t want = 4; want >= 1; want--) {
        assert_int_equal(ptc_deque_pop(&d, &x), 1);
        assert_int_equal(x, want); /* the owner the newest */
    }
    assert_int_equal(ptc_deque_pop(&d, &x), 0);
    assert_int_equal(ptc_deque_steal(&d, &x), PTC_STEAL_EMPTY);
    ptc_deque_fini(&d);
}

#define DEQUE_ITEMS   100000u
#define DEQUE_THIEVES 3

struct race {
    struct ptc_deque d;
    _Atomic uint32_t *taken; /* [DEQUE_ITEMS] how often each item came out */
    _Atomic int go;
};

static void take(struct race *r, uint32_t x) {
    assert_true(x < DEQUE_ITEMS);
    atomic_fetch_add(&r->taken[x], 1);
}

static void *thief(void *arg) {
    struct race *r = arg;
    while (!atomic_load(&r->go))
        ;
    for (;;) {
        uint32_t x;
        enum ptc_steal got = ptc_deque_steal(&r->d, &x);
        if (got == PTC_STEAL_OK)
            take(r, x);
        else if (got == PTC_STEAL_EMPTY)
            return NULL;
    }
}

/* The owner pops while three thieves steal: every item out exactly once, the last ones raced. */
static void test_deque_race(void **state) {
    struct race r = {.taken = calloc(DEQUE_ITEMS, sizeof *r.taken)};
    assert_non_null(r.taken);
    assert_int_equal(ptc_deque_init(&r.d, DEQUE_ITEMS), 0);
    for (uint32_t i = 0; i < DEQUE_ITEMS; i++)
        ptc_deque_push(&r.d, i);
    pthread_t t[DEQUE_THIEVES];
    for (int i = 0; i < DEQUE_THIEVES; i++)
        assert_int_equal(pthread_create(&t[i], NULL, thief, &r), 0);
    atomic_store(&r.go, 1);
    uint32_t x;
    while (ptc_deque_pop(&r.d, &x))
        take(&r, x);
    for (int i = 0; i < DEQUE_THIEVES; i++)
        pthread_join(t[i], NULL);
    for (uint32_t i = 0; i < DEQUE_ITEMS; i++)
        if (atomic_load(&r.taken[i]) != 1)
            fail_msg("item %u came out %u times", i, atomic_load(&r.taken[i]));
    ptc_deque_fini(&r.d);
    free((void *)r.taken);
}

/* ---- the models, on workloads of their own ---- */

static _Atomic uint32_t *runs;   /* [tasks] how often each task ran */
static int baseline_threads = 1; /* TSan runs a thread of its own */

static uint64_t proof(uint32_t task) {
    return ((uint64_t)task + 1) * 0x9e3779b97f4a7c15ULL;
}

static uint64_t expected(struct ptc_workload_state *st, uint32_t task) {
    (void)st;
    return proof(task);
}

/* Yields (a zero sleep goes through the scheduler) 0 to 3 times, chosen by the task's number. */
static int yielding_task(const struct ptc_workload_state *st, struct ptc_exec *ex, uint32_t task,
                         uint64_t *checksum) {
    uint64_t r = ptc_task_random(st->p.seed, task, 0);
    for (uint64_t k = 0; k < r % 4; k++)
        ptc_exec_sleep_ns(ex, 0);
    atomic_fetch_add(&runs[task], 1);
    *checksum = proof(task);
    return 0;
}

static const struct ptc_workload yielding = {
    .name = "yielding", .run_task = yielding_task, .expected_checksum = expected};

/* The first half of the tasks compute for a while; the second half end at once: the thread dealt
 * the second half runs out of its own work long before the other and must steal. */
static int lopsided_task(const struct ptc_workload_state *st, struct ptc_exec *ex, uint32_t task,
                         uint64_t *checksum) {
    (void)ex;
    if (task < st->p.tasks / 2) {
        ptc_ns until = ptc_now_ns() + 200 * PTC_NS_PER_US;
        while (ptc_now_ns() < until)
            ;
    }
    atomic_fetch_add(&runs[task], 1);
    *checksum = proof(task);
    return 0;
}

static const struct ptc_workload lopsided = {
    .name = "lopsided", .run_task = lopsided_task, .expected_checksum = expected};

/* Sleeps, and fails (-EXDEV) when it wakes on another thread than the one it slept on. */
static int sleeping_task(const struct ptc_workload_state *st, struct ptc_exec *ex, uint32_t task,
                         uint64_t *checksum) {
    pid_t before = (pid_t)syscall(SYS_gettid);
    int rc = ptc_exec_sleep_ns(ex, (ptc_ns)(task % 5) * PTC_NS_PER_MS);
    atomic_fetch_add(&runs[task], 1);
    *checksum = proof(task);
    return rc < 0 ? rc : (pid_t)syscall(SYS_gettid) != before ? -EXDEV : 0;
}

static const struct ptc_workload sleeping = {
    .name = "sleeping", .run_task = sleeping_task, .expected_checksum = expected};

/* Runs `tasks` tasks of wl under model at W = workers; checks each ran once, rightly; returns
 * the run's info. */
static struct ptc_run_info run(const char *model, const struct ptc_workload *wl, uint32_t tasks,
                               uint32_t workers) {
    const struct ptc_model *m = ptc_model_find(model);
    assert_non_null(m);
    struct ptc_workload_params p = {.tasks = tasks, .seed = 77};
    struct ptc_workload_state st;
    char err[256] = "";
    if (ptc_workload_init(&st, wl, &p, err, sizeof err) != 0)
        fail_msg("init %s: %s", wl->name, err);
    runs = calloc(tasks, sizeof *runs);
    struct ptc_task_result *results = ptc_results_alloc(tasks);
    assert_true(runs != NULL && results != NULL);
    struct ptc_child_usage children = {0};
    struct ptc_run_info info = {0};
    struct ptc_run_spec spec = {
        .wl = &st, .workers = workers, .results = results, .children = &children, .info = &info};
    int rc = m->prepare(&spec);
    if (rc == 0)
        rc = m->run(&spec);
    m->release(&spec);
    if (rc != 0)
        fail_msg("%s %s x%u W=%u: %d", model, wl->name, tasks, workers, rc);
    for (uint32_t i = 0; i < tasks; i++) {
        if (atomic_load(&runs[i]) != 1 || results[i].runs != 1)
            fail_msg("%s %s: task %u ran %u times", model, wl->name, i, atomic_load(&runs[i]));
        if (results[i].status != 0)
            fail_msg("%s %s: task %u: status %d", model, wl->name, i, results[i].status);
        if (strcmp(model, "coromnpool") == 0 && results[i].worker >= workers)
            fail_msg("%s: task %u on worker %u of %u", model, i, results[i].worker, workers);
    }
    assert_int_equal(ptc_workload_verify(&st, results), tasks);
    ptc_results_free(results, tasks);
    free((void *)runs);
    ptc_workload_fini(&st);
    ptc_test_assert_threads(model, baseline_threads);
    return info;
}

static const char *const switches[] = {"fcontext", "ucontext"};

static void test_every_task_once(void **state) {
    for (size_t s = 0; s < sizeof switches / sizeof switches[0]; s++) {
        char err[128];
        assert_int_equal(ptc_coro_option("coro-switch", switches[s], err, sizeof err), 0);
        /* 10^5 under fcontext; ucontext's switch makes a system call, 10^4 suffice */
        uint32_t tasks = s == 0 ? 100000 : 10000;
        struct ptc_run_info info = run("coromn", &yielding, tasks, 1);
        assert_int_equal(info.sched_threads, ptc_coro_mn_threads());
        assert_string_equal(info.ctx, switches[s]);
        run("coromnpool", &yielding, tasks, 64);
        run("coromnpool", &yielding, 1000, 3); /* W not a multiple of the threads */
        run("coromnpool", &yielding, 10, 1);   /* one slot: one thread */
    }
}

static void test_stealing_is_counted(void **state) {
    char err[128];
    assert_int_equal(ptc_coro_option("mn-threads", "2", err, sizeof err), 0);
    struct ptc_run_info info = run("coromn", &lopsided, 400, 1);
    assert_int_equal(info.sched_threads, 2);
    if (info.steals == 0)
        fail_msg("the idle thread stole nothing from the busy one's 200 x 200 us");
    info = run("coromnpool", &lopsided, 400, 4);
    if (info.steals == 0)
        fail_msg("coromnpool: the idle thread stole nothing");
}

static void test_timers_fire_on_their_thread(void **state) {
    char err[128];
    assert_int_equal(ptc_coro_option("mn-threads", "3", err, sizeof err), 0);
    struct ptc_run_info info = run("coromn", &sleeping, 2000, 1);
    assert_int_equal(info.sched_threads, 3);
    run("coromnpool", &sleeping, 200, 8);
}

static void test_mn_threads_option(void **state) {
    char err[128];
    assert_int_equal(ptc_coro_option("mn-threads", "0", err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "--mn-threads: '0' must be a whole number from 1 to"));
    assert_int_equal(ptc_coro_option("mn-threads", "x", err, sizeof err), -EINVAL);
    assert_int_equal(ptc_coro_option("mn-threads", "1", err, sizeof err), 0);
    struct ptc_run_info info = run("coromn", &yielding, 100, 1);
    assert_int_equal(info.sched_threads, 1);
    assert_int_equal(info.steals, 0); /* nobody to steal from */
    /* more threads than tasks: one per task */
    assert_int_equal(ptc_coro_option("mn-threads", "8", err, sizeof err), 0);
    info = run("coromn", &yielding, 3, 1);
    assert_int_equal(info.sched_threads, 3);
}

/* The M:N models on shared stacks (one per scheduler thread, coro/shared.h). */
static void test_shared_stacks(void **state) {
#if defined(__SANITIZE_ADDRESS__)
    skip(); /* shared stacks are not in ASan builds */
#endif
    char err[128];
    assert_int_equal(ptc_coro_option("coro-switch", "fcontext", err, sizeof err), 0);
    assert_int_equal(ptc_coro_option("stack-mode", "shared", err, sizeof err), 0);
    assert_int_equal(ptc_coro_option("mn-threads", "2", err, sizeof err), 0);
    struct ptc_run_info info = run("coromn", &yielding, 20000, 1);
    assert_string_equal(info.ctx, "fcontext/shared");
    run("coromnpool", &sleeping, 300, 8);
    run("coro", &yielding, 1000, 1);
    assert_int_equal(ptc_coro_option("stack-mode", "private", err, sizeof err), 0);
}

int main(void) {
    baseline_threads = ptc_test_thread_baseline();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deque_owner_order),
        cmocka_unit_test(test_deque_race),
        cmocka_unit_test(test_every_task_once),
        cmocka_unit_test(test_stealing_is_counted),
        cmocka_unit_test(test_timers_fire_on_their_thread),
        cmocka_unit_test(test_mn_threads_option),
        cmocka_unit_test(test_shared_stacks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
