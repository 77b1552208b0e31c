/* The execution models (src/model): every model runs every task exactly once, records it in the
 * task's own slot, reports the right worker ids and leaves no child process or thread behind.
 * Checked with a deterministic counting workload (hyperfine's MockExecutor idea), so nothing here
 * depends on timing except the one pool-dispatch test, whose tolerances scale with
 * PTC_TEST_TIME_MULTIPLIER. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "coro/config.h"
#include "model/model.h"
#include "ptc_test.h"

#include <errno.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/wait.h>

/* ---- the counting workload ---- */

/* Per-task run counters in MAP_SHARED memory, so increments made in forked children reach the
 * parent. */
struct counting {
    uint32_t *counters;
    size_t bytes;
};

static uint64_t counting_checksum(uint64_t seed, uint32_t task) {
    return (seed * 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)task + 1) * 0xff51afd7ed558ccdULL;
}

static int counting_setup(struct ptc_workload_state *st, char *err, size_t err_size) {
    struct counting *c = calloc(1, sizeof *c);
    if (c == NULL)
        return -ENOMEM;
    c->bytes = (st->p.tasks ? st->p.tasks : 1) * sizeof *c->counters;
    c->counters = mmap(NULL, c->bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (c->counters == MAP_FAILED) {
        snprintf(err, err_size, "mmap: %s", strerror(errno));
        free(c);
        return -ENOMEM;
    }
    st->priv = c;
    return 0;
}

static void counting_teardown(struct ptc_workload_state *st) {
    struct counting *c = st->priv;
    munmap(c->counters, c->bytes);
    free(c);
    st->priv = NULL;
}

static int counting_run_task(const struct ptc_workload_state *st, struct ptc_exec *ex,
                             uint32_t task, uint64_t *checksum) {
    struct counting *c = st->priv;
    __atomic_fetch_add(&c->counters[task], 1, __ATOMIC_SEQ_CST);
    *checksum = counting_checksum(st->p.seed, task);
    return 0;
}

static uint64_t counting_expected(struct ptc_workload_state *st, uint32_t task) {
    return counting_checksum(st->p.seed, task);
}

static const struct ptc_workload counting_workload = {
    .name = "counting",
    .summary = "counts how often each task ran",
    .setup = counting_setup,
    .run_task = counting_run_task,
    .expected_checksum = counting_expected,
    .teardown = counting_teardown,
};

/* The same, with one task (the middle one) failing with -EIO. */
static int failing_run_task(const struct ptc_workload_state *st, struct ptc_exec *ex, uint32_t task,
                            uint64_t *checksum) {
    int rc = counting_run_task(st, ex, task, checksum);
    return task == st->p.tasks / 2 ? -EIO : rc;
}

static const struct ptc_workload failing_workload = {
    .name = "failing",
    .setup = counting_setup,
    .run_task = failing_run_task,
    .expected_checksum = counting_expected,
    .teardown = counting_teardown,
};

/* The same, with the parent expecting a different checksum for the last task. */
static uint64_t wrong_expected(struct ptc_workload_state *st, uint32_t task) {
    uint64_t v = counting_checksum(st->p.seed, task);
    return task == st->p.tasks - 1 ? v ^ 1 : v;
}

static const struct ptc_workload wrong_checksum_workload = {
    .name = "wrong-checksum",
    .setup = counting_setup,
    .run_task = counting_run_task,
    .expected_checksum = wrong_expected,
    .teardown = counting_teardown,
};

/* ---- helpers ---- */

enum kind { KIND_SEQ, KIND_PER_TASK, KIND_POOL };

/* What worker ids to expect, probed from the model's parallelism rather than its name. */
static enum kind model_kind(const struct ptc_model *m) {
    uint32_t par = m->parallelism(3, 7);
    if (par == 1)
        return KIND_SEQ;
    if (par == 7)
        return KIND_PER_TASK;
    if (par != 3)
        fail_msg("%s: parallelism(3, 7) = %u", m->name, par);
    return KIND_POOL;
}

static bool model_forks(const struct ptc_model *m) {
    return strcmp(m->name, "fork") == 0 || strcmp(m->name, "procpool") == 0;
}

static int baseline_threads = 1;

static void assert_nothing_left(const struct ptc_model *m) {
    ptc_test_assert_no_child(m->name);
    ptc_test_assert_threads(m->name, baseline_threads);
}

struct run {
    struct ptc_workload_state st;
    struct ptc_task_result *results;
    struct ptc_child_usage children;
    ptc_ns before_ns, after_ns;
    int rc;
};

static void run_model(struct run *r, const struct ptc_model *m, const struct ptc_workload *wl,
                      const struct ptc_workload_params *p, uint32_t workers) {
    char err[256] = "";
    memset(r, 0, sizeof *r);
    int rc = ptc_workload_init(&r->st, wl, p, err, sizeof err);
    if (rc != 0)
        fail_msg("ptc_workload_init(%s): %d: %s", wl->name, rc, err);
    r->results = ptc_results_alloc(p->tasks);
    assert_non_null(r->results);
    struct ptc_run_spec spec = {
        .wl = &r->st, .workers = workers, .results = r->results, .children = &r->children};
    fflush(NULL); /* forked workers must not inherit cmocka's buffered output */
    r->before_ns = ptc_now_ns();
    r->rc = m->run(&spec);
    r->after_ns = ptc_now_ns();
}

static void run_free(struct run *r) {
    ptc_results_free(r->results, r->st.p.tasks);
    ptc_workload_fini(&r->st);
}

/* Runs n counting tasks on W workers under m and checks everything a model promises. */
static void check_model(const struct ptc_model *m, uint32_t n, uint32_t w) {
    struct ptc_workload_params p = {.tasks = n, .seed = 12345 + n};
    struct run r;
    run_model(&r, m, &counting_workload, &p, w);
    if (r.rc != 0)
        fail_msg("%s n=%u W=%u: run returned %d", m->name, n, w, r.rc);
    assert_nothing_left(m);
    const struct counting *c = r.st.priv;
    enum kind kind = model_kind(m);
    for (uint32_t i = 0; i < n; i++) {
        const struct ptc_task_result *t = &r.results[i];
        if (c->counters[i] != 1 || t->runs != 1)
            fail_msg("%s n=%u W=%u: task %u ran %u times (runs = %u)", m->name, n, w, i,
                     c->counters[i], t->runs);
        if (t->status != 0)
            fail_msg("%s n=%u W=%u: task %u status %d", m->name, n, w, i, t->status);
        /* Results in task order: slot i holds task i's proof of work. */
        if (t->checksum != counting_checksum(p.seed, i))
            fail_msg("%s n=%u W=%u: slot %u holds a checksum not of task %u", m->name, n, w, i, i);
        if (!(r.before_ns <= t->start_ns && t->start_ns <= t->end_ns && t->end_ns <= r.after_ns))
            fail_msg("%s n=%u W=%u: task %u times %llu..%llu outside the run %llu..%llu", m->name,
                     n, w, i, (unsigned long long)t->start_ns, (unsigned long long)t->end_ns,
                     (unsigned long long)r.before_ns, (unsigned long long)r.after_ns);
        bool worker_ok = kind == KIND_SEQ        ? t->worker == 0
                         : kind == KIND_PER_TASK ? t->worker == i
                                                 : t->worker < w;
        if (!worker_ok)
            fail_msg("%s n=%u W=%u: task %u ran on worker %u", m->name, n, w, i, t->worker);
    }
    uint32_t ok = ptc_workload_verify(&r.st, r.results);
    if (ok != n)
        fail_msg("%s n=%u W=%u: verify counted %u of %u", m->name, n, w, ok, n);
    if (model_forks(m)) {
        if (r.children.max_rss_kib == 0)
            fail_msg("%s: no child usage was accumulated", m->name);
    } else {
        struct ptc_child_usage zero = {0};
        if (memcmp(&r.children, &zero, sizeof zero) != 0)
            fail_msg("%s: child usage changed though it forks nothing", m->name);
    }
    run_free(&r);
}

/* ---- tests ---- */

static void test_every_model_runs_every_task_once(void **state) {
    static const uint32_t tasks[] = {1, 7, 100};
    size_t n_models;
    const struct ptc_model *const *models = ptc_model_all(&n_models);
    assert_int_equal(n_models, 9);
    for (size_t m = 0; m < n_models; m++) {
        for (size_t t = 0; t < sizeof tasks / sizeof tasks[0]; t++) {
            const uint32_t workers[] = {1, 3, tasks[t] + 5}; /* more workers than tasks */
            for (size_t w = 0; w < sizeof workers / sizeof workers[0]; w++)
                check_model(models[m], tasks[t], workers[w]);
        }
    }
}

static void test_parallelism(void **state) {
    size_t n;
    const struct ptc_model *const *models = ptc_model_all(&n);
    for (size_t i = 0; i < n; i++) {
        const struct ptc_model *m = models[i];
        uint32_t par = m->parallelism(4, 10);
        switch (model_kind(m)) {
        case KIND_SEQ:
            assert_int_equal(par, 1);
            break;
        case KIND_PER_TASK:
            assert_int_equal(par, 10);
            break;
        case KIND_POOL:
            assert_int_equal(par, 4);
            break;
        }
        assert_non_null(m->summary);
        assert_non_null(m->analogue);
    }
    assert_int_equal(model_kind(ptc_model_find("seq")), KIND_SEQ);
    assert_int_equal(model_kind(ptc_model_find("fork")), KIND_PER_TASK);
    assert_int_equal(model_kind(ptc_model_find("thread")), KIND_PER_TASK);
    assert_int_equal(model_kind(ptc_model_find("procpool")), KIND_POOL);
    assert_int_equal(model_kind(ptc_model_find("threadpool")), KIND_POOL);
}

static void test_failed_task_is_reported(void **state) {
    size_t n_models;
    const struct ptc_model *const *models = ptc_model_all(&n_models);
    for (size_t m = 0; m < n_models; m++) {
        struct ptc_workload_params p = {.tasks = 7, .seed = 3};
        struct run r;
        run_model(&r, models[m], &failing_workload, &p, 3);
        assert_int_equal(r.rc, 0); /* a task failure is not a run failure */
        assert_nothing_left(models[m]);
        uint32_t ok = ptc_workload_verify(&r.st, r.results);
        if (ok != 6)
            fail_msg("%s: verify counted %u of 7 with one failed task", models[m]->name, ok);
        for (uint32_t i = 0; i < 7; i++) {
            assert_int_equal(r.results[i].runs, 1);
            if (r.results[i].status != (i == 3 ? -EIO : 0))
                fail_msg("%s: task %u status %d", models[m]->name, i, r.results[i].status);
        }
        run_free(&r);
    }
}

static void test_wrong_checksum_is_caught(void **state) {
    size_t n_models;
    const struct ptc_model *const *models = ptc_model_all(&n_models);
    for (size_t m = 0; m < n_models; m++) {
        struct ptc_workload_params p = {.tasks = 5, .seed = 4};
        struct run r;
        run_model(&r, models[m], &wrong_checksum_workload, &p, 2);
        assert_int_equal(r.rc, 0);
        assert_nothing_left(models[m]);
        assert_int_equal(ptc_workload_verify(&r.st, r.results), 4);
        for (uint32_t i = 0; i < 4; i++)
            assert_int_equal(r.results[i].status, 0);
        assert_int_equal(r.results[4].status, -EBADMSG);
        run_free(&r);
    }
}

static void test_verify_run_counts(void **state) {
    struct ptc_workload_params p = {.tasks = 4, .seed = 5};
    struct run r;
    run_model(&r, ptc_model_find("seq"), &counting_workload, &p, 1);
    r.results[1].runs = 0; /* never ran */
    r.results[2].runs = 2; /* ran twice */
    r.results[3].checksum ^= 0x10;
    assert_int_equal(ptc_workload_verify(&r.st, r.results), 1);
    assert_int_equal(r.results[0].status, 0);
    assert_int_equal(r.results[1].status, -ENOEXEC);
    assert_int_equal(r.results[2].status, -EALREADY);
    assert_int_equal(r.results[3].status, -EBADMSG);
    run_free(&r);
}

/* Pool dispatch with the real sleep workload: with W = 4 and 5 tasks of 50 ms, tasks 0-3 start
 * together and task 4 starts only when a worker comes free (after the earliest end). */
static void test_pool_dispatch_timing(void **state) {
    const double mult = ptc_test_time_multiplier();
    const ptc_ns task_ns = 50 * PTC_NS_PER_MS;
    const ptc_ns together_ns = (ptc_ns)(40.0 * mult * (double)PTC_NS_PER_MS);
    const struct ptc_workload *sleep_wl = ptc_workload_find("sleep");
    assert_non_null(sleep_wl);
    const char *const pools[] = {"procpool", "threadpool"};
    for (size_t k = 0; k < 2; k++) {
        const struct ptc_model *m = ptc_model_find(pools[k]);
        assert_non_null(m);
        struct ptc_workload_params p = {
            .tasks = 5, .task_lo_ns = task_ns, .task_hi_ns = task_ns, .seed = 1};
        struct run r;
        run_model(&r, m, sleep_wl, &p, 4);
        assert_int_equal(r.rc, 0);
        assert_nothing_left(m);
        assert_int_equal(ptc_workload_verify(&r.st, r.results), 5);
        const struct ptc_task_result *t = r.results;
        ptc_ns first_start = t[0].start_ns, last_start = t[0].start_ns, first_end = t[0].end_ns;
        uint32_t first_end_worker = t[0].worker;
        for (uint32_t i = 0; i < 5; i++)
            if (t[i].end_ns - t[i].start_ns < task_ns) /* a sleep lasts at least its time */
                fail_msg("%s: task %u lasted %llu ns", m->name, i,
                         (unsigned long long)(t[i].end_ns - t[i].start_ns));
        for (uint32_t i = 1; i < 4; i++) {
            first_start = t[i].start_ns < first_start ? t[i].start_ns : first_start;
            last_start = t[i].start_ns > last_start ? t[i].start_ns : last_start;
            if (t[i].end_ns < first_end) {
                first_end = t[i].end_ns;
                first_end_worker = t[i].worker;
            }
        }
        if (last_start - first_start > together_ns)
            fail_msg("%s: tasks 0-3 started %llu ns apart (tolerance %llu ns)", m->name,
                     (unsigned long long)(last_start - first_start),
                     (unsigned long long)together_ns);
        /* Four different workers for the first four tasks: implied when they started less
         * than a task's length apart (a worker takes a second task only after a first ends). */
        for (uint32_t i = 0; i < 4 && last_start - first_start < task_ns; i++)
            for (uint32_t j = 0; j < i; j++)
                if (t[i].worker == t[j].worker)
                    fail_msg("%s: tasks %u and %u both ran on worker %u", m->name, j, i,
                             t[i].worker);
        if (t[4].start_ns < first_end)
            fail_msg("%s: task 4 started %llu ns before the earliest end of tasks 0-3", m->name,
                     (unsigned long long)(first_end - t[4].start_ns));
        /* Task 4 ran on a worker that had finished its first task by then. */
        bool free_worker = false;
        for (uint32_t i = 0; i < 4; i++)
            free_worker |= t[i].worker == t[4].worker && t[i].end_ns <= t[4].start_ns;
        if (!free_worker)
            fail_msg("%s: task 4 ran on worker %u, busy at its start (first free: %u)", m->name,
                     t[4].worker, first_end_worker);
        run_free(&r);
    }
}

/* The coroutine models with the real sleep workload, once per switch backend (the coroutine
 * settings are process-wide: set for the run, then restored). */
static const char *const coro_backends[] = {"fcontext", "ucontext"};

static void run_coro_model(struct run *r, const char *model, const char *backend, uint32_t tasks,
                           ptc_ns task_ns, uint32_t workers) {
    struct ptc_sched_opts *cfg = ptc_coro_config();
    const struct ptc_ctx_ops *saved = cfg->ctx;
    cfg->ctx = ptc_ctx_find(backend);
    assert_non_null(cfg->ctx);
    const struct ptc_model *m = ptc_model_find(model);
    assert_non_null(m);
    struct ptc_workload_params p = {
        .tasks = tasks, .task_lo_ns = task_ns, .task_hi_ns = task_ns, .seed = 9};
    run_model(r, m, ptc_workload_find("sleep"), &p, workers);
    cfg->ctx = saved;
    if (r->rc != 0)
        fail_msg("%s/%s: run returned %d", model, backend, r->rc);
    assert_nothing_left(m);
    uint32_t ok = ptc_workload_verify(&r->st, r->results);
    if (ok != tasks)
        fail_msg("%s/%s: verify counted %u of %u", model, backend, ok, tasks);
    for (uint32_t i = 0; i < tasks; i++) {
        const struct ptc_task_result *t = &r->results[i];
        if (t->end_ns - t->start_ns < task_ns) /* a sleep lasts at least its time */
            fail_msg("%s/%s: task %u lasted %llu ns", model, backend, i,
                     (unsigned long long)(t->end_ns - t->start_ns));
    }
}

/* coro: 200 sleeps of 20 ms overlap on one thread, so the run takes about one sleep, far less
 * than the 4 s they would take one after another. Each backend's timed run follows a warm-up run,
 * as ptc-run's do: under TSan the warm-up creates the 200 coroutines' fibers (~10 ms each, more
 * than the limit for all of them) and the timed run reuses them (src/coro/ctx.c). */
static void test_coro_sleeps_overlap(void **state) {
    const uint32_t n = 200;
    const ptc_ns task_ns = 20 * PTC_NS_PER_MS;
    const ptc_ns limit_ns = (ptc_ns)(500.0 * ptc_test_time_multiplier() * (double)PTC_NS_PER_MS);
    for (size_t b = 0; b < 2; b++) {
        struct run r;
        run_coro_model(&r, "coro", coro_backends[b], n, task_ns, 0); /* the warm-up */
        run_free(&r);
        run_coro_model(&r, "coro", coro_backends[b], n, task_ns, 0);
        ptc_ns wall = r.after_ns - r.before_ns;
        if (wall > limit_ns)
            fail_msg("coro/%s: %u tasks of 20 ms took %llu ns (limit %llu ns)", coro_backends[b], n,
                     (unsigned long long)wall, (unsigned long long)limit_ns);
        for (uint32_t i = 0; i < n; i++)
            assert_int_equal(r.results[i].worker, i);
        run_free(&r);
    }
}

/* coropool with W = 4 and 8 sleeps of 20 ms: never more than 4 tasks in flight, and task 4 starts
 * only after one of the first four has ended. */
static void test_coropool_bounded_sleeps(void **state) {
    const uint32_t n = 8, w = 4;
    const ptc_ns task_ns = 20 * PTC_NS_PER_MS;
    for (size_t b = 0; b < 2; b++) {
        const char *backend = coro_backends[b];
        struct run r;
        run_coro_model(&r, "coropool", backend, n, task_ns, w);
        const struct ptc_task_result *t = r.results;
        for (uint32_t i = 0; i < n; i++) {
            assert_true(t[i].worker < w);
            /* Tasks in flight when task i starts, itself included. */
            uint32_t in_flight = 0;
            for (uint32_t j = 0; j < n; j++)
                in_flight += t[j].start_ns <= t[i].start_ns && t[i].start_ns < t[j].end_ns;
            if (in_flight > w)
                fail_msg("coropool/%s: %u tasks in flight when task %u started", backend, in_flight,
                         i);
            /* No two tasks in flight at once share a worker (a slot of the group). */
            for (uint32_t j = 0; j < i; j++)
                if (t[j].worker == t[i].worker && t[j].start_ns < t[i].end_ns &&
                    t[i].start_ns < t[j].end_ns)
                    fail_msg("coropool/%s: tasks %u and %u overlap on worker %u", backend, j, i,
                             t[i].worker);
        }
        ptc_ns first_end = t[0].end_ns;
        for (uint32_t i = 1; i < w; i++)
            first_end = t[i].end_ns < first_end ? t[i].end_ns : first_end;
        if (t[w].start_ns < first_end)
            fail_msg("coropool/%s: task %u started %llu ns before the earliest end of tasks 0-%u",
                     backend, w, (unsigned long long)(first_end - t[w].start_ns), w - 1);
        run_free(&r);
    }
}

/* procpool hands results back in task order whatever order the tasks ran in. */
static void test_procpool_task_order(void **state) {
    const struct ptc_model *m = ptc_model_find("procpool");
    assert_non_null(m);
    struct ptc_workload_params p = {.tasks = 64, .seed = 77};
    struct run r;
    run_model(&r, m, &counting_workload, &p, 4);
    assert_int_equal(r.rc, 0);
    assert_nothing_left(m);
    for (uint32_t i = 0; i < 64; i++) {
        assert_int_equal(r.results[i].checksum, counting_checksum(77, i));
        assert_true(r.results[i].worker < 4);
    }
    run_free(&r);
}

static void test_results_alloc(void **state) {
    struct ptc_task_result *res = ptc_results_alloc(10);
    assert_non_null(res);
    for (uint32_t i = 0; i < 10; i++)
        assert_int_equal(res[i].runs, 0);
    /* Shared with children: a write in a forked child is seen here. */
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        res[9].checksum = 0xabcdef;
        res[9].runs = 1;
        _exit(0);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(res[9].checksum, 0xabcdef);
    ptc_results_reset(res, 10);
    assert_int_equal(res[9].checksum, 0);
    assert_int_equal(res[9].runs, 0);
    ptc_results_free(res, 10);
    ptc_results_free(NULL, 10);
    res = ptc_results_alloc(0);
    assert_non_null(res);
    ptc_results_free(res, 0);
}

int main(void) {
    baseline_threads = ptc_test_thread_baseline();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_model_runs_every_task_once),
        cmocka_unit_test(test_parallelism),
        cmocka_unit_test(test_failed_task_is_reported),
        cmocka_unit_test(test_wrong_checksum_is_caught),
        cmocka_unit_test(test_verify_run_counts),
        cmocka_unit_test(test_pool_dispatch_timing),
        cmocka_unit_test(test_coro_sleeps_overlap),
        cmocka_unit_test(test_coropool_bounded_sleeps),
        cmocka_unit_test(test_procpool_task_order),
        cmocka_unit_test(test_results_alloc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
