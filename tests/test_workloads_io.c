/* The workloads end to end (src/workload with src/model and src/runner/measure.c): every
 * workload, the I/O ones (file, net, mixed) included, under every model and, for the coroutine
 * models, under both pollers (the M:N ones under both switches too), on tiny sizes. Each run goes
 * through ptc_measure_run, the path ptc-run takes, and must verify every task; after each
 * ptc_workload_fini no child process (the net server included) and no temporary folder is left.
 * Also: a corrupted copy is caught by the file workload's run_end, a net answer meant for another
 * task fails the task, and a failed setup leaves nothing behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "coro/config.h"
#include "coro/poller.h"
#include "model/model.h"
#include "ptc_test.h"
#include "runner/measure.h"
#include "workload/workload.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>

#define MS        PTC_NS_PER_MS
#define WORKERS   2
#define FILE_TAG  "ptc-file."
#define SEED_BASE 4242

/* ---- one test's resources, released by the teardown even when an assertion jumps out ---- */

struct fixture {
    char *scratch; /* params.tmp_dir: the file workload's private folder goes in here */
    struct ptc_workload_state st;
    struct ptc_task_result *results;
    uint32_t results_n;
    const char *saved_poller;
};

static struct fixture fx;

static int fixture_setup(void **state) {
    memset(&fx, 0, sizeof fx);
    fx.saved_poller = ptc_coro_config()->poller;
    fx.scratch = ptc_test_mkdtemp();
    return fx.scratch == NULL ? -1 : 0;
}

static void release(void) {
    ptc_results_free(fx.results, fx.results_n);
    fx.results = NULL;
    fx.results_n = 0;
    if (fx.st.wl != NULL)
        ptc_workload_fini(&fx.st);
}

static int fixture_teardown(void **state) {
    release();
    ptc_coro_config()->poller = fx.saved_poller;
    ptc_test_rmdir(fx.scratch);
    fx.scratch = NULL;
    return 0;
}

/* ---- helpers ---- */

static bool is_coroutine_model(const struct ptc_model *m) {
    return strncmp(m->name, "coro", 4) == 0; /* coro, coropool, coromn, coromnpool */
}

/* Whether this kernel lets us open an io_uring (containers and seccomp profiles often refuse). */
static bool uring_available(void) {
    static int known = -1;
    if (known < 0) {
        const struct ptc_poller_ops *ops = NULL;
        struct ptc_poller *p = NULL;
        int rc = ptc_poller_open("io_uring", &ops, &p);
        if (rc == 0)
            ops->close(p);
        else
            print_message("io_uring unavailable here (%s): coroutine runs use epoll only\n",
                          strerror(-rc));
        known = rc == 0;
    }
    return known;
}

static void assert_scratch_empty(const char *what) {
    int n = ptc_test_count_entries(fx.scratch);
    if (n != 0)
        fail_msg("%s: %d entries left in the scratch directory %s", what, n, fx.scratch);
}

/* The file workload's private folder inside the scratch directory (malloc'ed), or NULL. */
static char *private_folder(void) {
    DIR *d = opendir(fx.scratch);
    if (d == NULL)
        return NULL;
    char *path = NULL;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && path == NULL)
        if (strncmp(e->d_name, FILE_TAG, strlen(FILE_TAG)) == 0)
            if (asprintf(&path, "%s/%s", fx.scratch, e->d_name) < 0)
                path = NULL;
    closedir(d);
    return path;
}

static void init_workload(const char *name, const struct ptc_workload_params *p) {
    const struct ptc_workload *wl = ptc_workload_find(name);
    if (wl == NULL)
        fail_msg("no workload '%s'", name);
    char err[256] = "";
    int rc = ptc_workload_init(&fx.st, wl, p, err, sizeof err);
    if (rc != 0)
        fail_msg("ptc_workload_init(%s): %d (%s): %s", name, rc, strerror(-rc), err);
    fx.results = ptc_results_alloc(p->tasks);
    assert_non_null(fx.results);
    fx.results_n = p->tasks;
}

static void measure(const struct ptc_model *m, struct ptc_run_record *rec, const char *what) {
    fflush(NULL); /* forked workers must not inherit cmocka's buffered output */
    int rc = ptc_measure_run(m, &fx.st, WORKERS, 2, fx.results, rec);
    if (rc != 0)
        fail_msg("%s: ptc_measure_run returned %d (%s)", what, rc, strerror(-rc));
    if (rec->run_error != 0)
        fail_msg("%s: the model returned %d (%s)", what, rec->run_error, strerror(-rec->run_error));
    for (uint32_t i = 0; i < fx.st.p.tasks; i++) {
        const struct ptc_task_result *r = &fx.results[i];
        if (r->runs != 1 || r->status != 0)
            fail_msg("%s: task %u ran %u times, status %d (%s)", what, i, r->runs, r->status,
                     strerror(-r->status));
    }
    if (rec->tasks_ok != fx.st.p.tasks)
        fail_msg("%s: tasks_ok %u of %u", what, rec->tasks_ok, fx.st.p.tasks);
}

/* ---- every workload x every model (x both pollers for the coroutine models) ---- */

struct io_case {
    const char *label;
    const char *workload;
    struct ptc_workload_params p;
};

static const struct io_case cases[] = {
    {"noop", "noop", {.tasks = 5}},
    {"sleep", "sleep", {.tasks = 5, .task_lo_ns = 5 * MS, .task_hi_ns = 5 * MS}},
    {"cpu", "cpu", {.tasks = 5, .iterations = 10000}},
    {"file 64 KiB", "file", {.tasks = 8, .file_kib = 64}},
    {"file 100 KiB", "file", {.tasks = 8, .file_kib = 100}},
    {"file 100 KiB fsync", "file", {.tasks = 3, .file_kib = 100, .fsync = 1}},
    {"net 4 KiB", "net", {.tasks = 5, .net_latency_ns = 5 * MS, .net_kib = 4}},
    {"net 0 KiB", "net", {.tasks = 5, .net_latency_ns = 5 * MS, .net_kib = 0}},
    /* longer than the 1 MiB pattern the bodies are cut from: the server and the hash wrap */
    {"net 1100 KiB", "net", {.tasks = 2, .net_latency_ns = 1 * MS, .net_kib = 1100}},
    {"mixed sleep",
     "mixed",
     {.tasks = 5, .task_lo_ns = 5 * MS, .task_hi_ns = 5 * MS, .cpu_fraction = 0.5}},
    {"mixed net",
     "mixed",
     {.tasks = 5,
      .task_lo_ns = 5 * MS,
      .task_hi_ns = 5 * MS,
      .cpu_fraction = 0.5,
      .mixed_wait_net = 1}},
};

/* What a file workload must have left in its folder after a run: every source and every copy,
 * each of the full size. */
static void check_file_copies(const char *what) {
    char *dir = private_folder();
    if (dir == NULL)
        fail_msg("%s: no %s* folder in %s", what, FILE_TAG, fx.scratch);
    int n = ptc_test_count_entries(dir);
    const uint32_t tasks = fx.st.p.tasks;
    if (n != (int)(2 * tasks))
        fail_msg("%s: %d files in %s, expected %u", what, n, dir, 2 * tasks);
    for (uint32_t i = 0; i < tasks; i++) {
        char path[1024];
        struct stat sb;
        snprintf(path, sizeof path, "%s/d%u", dir, i);
        if (stat(path, &sb) != 0 || sb.st_size != (off_t)fx.st.p.file_kib * 1024)
            fail_msg("%s: %s missing or of the wrong size", what, path);
    }
    free(dir);
}

/* Whether the scratch file system takes buffered writes with RWF_NOWAIT (tmpfs does; ext4 answers
 * EOPNOTSUPP), probed on a file of its own: an independent oracle for the coroutine exec's
 * file_io under io_uring. */
static bool nowait_writes_supported(void) {
    char path[1024];
    snprintf(path, sizeof path, "%s/nowait-probe", fx.scratch);
    int fd = open(path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
    assert_true(fd >= 0);
    char byte = 1;
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    ssize_t n;
    do
        n = pwritev2(fd, &iov, 1, 0, RWF_NOWAIT);
    while (n < 0 && errno == EINTR);
    bool supported = n == 1 || (n < 0 && errno != EOPNOTSUPP);
    close(fd);
    unlink(path);
    return supported;
}

/* file_io as the exec that ran the case must report it. Under io_uring, the file workload's
 * reads find its sources in the page cache (just written) and its writes go there at once or,
 * where the file system cannot try without blocking, in place; other workloads do no file I/O. */
static void check_file_io(const char *what, const char *got, const char *poller, bool file) {
    if (got == NULL)
        fail_msg("%s: no file_io", what);
    if (poller == NULL || strcmp(poller, "io_uring") != 0 || !file) {
        const char *want = poller == NULL                    ? "blocking"
                           : strcmp(poller, "io_uring") == 0 ? "page cache, else async"
                                                             : "blocks the thread";
        if (strcmp(got, want) != 0)
            fail_msg("%s: file_io '%s', expected '%s'", what, got, want);
        return;
    }
    bool in_place = !nowait_writes_supported();
    if (strncmp(got, "page cache", 10) != 0 ||
        (strstr(got, "blocks the thread") != NULL) != in_place)
        fail_msg("%s: file_io '%s', expected 'page cache...' %s 'blocks the thread'", what, got,
                 in_place ? "with" : "without");
}

static void run_one(const struct io_case *c, const struct ptc_model *m, const char *poller) {
    char what[160];
    snprintf(what, sizeof what, "%s / %s%s%s", c->label, m->name, poller ? " / " : "",
             poller ? poller : "");
    struct ptc_workload_params p = c->p;
    p.seed = SEED_BASE;
    p.tmp_dir = fx.scratch;
    if (poller != NULL)
        ptc_coro_config()->poller = poller;
    init_workload(c->workload, &p);
    const bool file = strcmp(c->workload, "file") == 0, net = strcmp(c->workload, "net") == 0;
    if (file)
        assert_int_equal(fx.st.bytes_per_run, (uint64_t)p.tasks * p.file_kib * 1024);
    else if (net)
        assert_int_equal(fx.st.bytes_per_run, (uint64_t)p.tasks * p.net_kib * 1024);
    else
        assert_int_equal(fx.st.bytes_per_run, 0);

    struct ptc_run_record rec;
    measure(m, &rec, what);
    check_file_io(what, rec.info.file_io, poller, file);
    const char *want_poller = poller == NULL ? "" : poller;
    if (rec.info.poller == NULL || strcmp(rec.info.poller, want_poller) != 0)
        fail_msg("%s: poller '%s', expected '%s'", what, rec.info.poller ? rec.info.poller : "",
                 want_poller);
    const char *want_exec = poller == NULL ? "blocking" : "coroutine";
    if (rec.info.exec == NULL || strcmp(rec.info.exec, want_exec) != 0)
        fail_msg("%s: exec '%s', expected '%s'", what, rec.info.exec ? rec.info.exec : "",
                 want_exec);
    if (file)
        check_file_copies(what);
    /* A second run on the same setup (as --repeat does) verifies too. */
    measure(m, &rec, what);

    release();
    ptc_test_assert_no_child(what);
    assert_scratch_empty(what);
    ptc_coro_config()->poller = fx.saved_poller;
}

static void test_case(void **state) {
    const struct io_case *c = *state;
    size_t n_models;
    const struct ptc_model *const *models = ptc_model_all(&n_models);
    assert_int_equal(n_models, 9);
    for (size_t i = 0; i < n_models; i++) {
        if (!is_coroutine_model(models[i])) {
            run_one(c, models[i], NULL);
            continue;
        }
        /* the M:N models under both switches: their threads make their contexts */
        bool mn = strncmp(models[i]->name, "coromn", 6) == 0;
        for (int uc = 0; uc <= (int)mn; uc++) {
            const struct ptc_ctx_ops *saved = ptc_coro_config()->ctx;
            if (uc)
                ptc_coro_config()->ctx = ptc_ctx_find("ucontext");
            run_one(c, models[i], "epoll");
            if (uring_available())
                run_one(c, models[i], "io_uring");
            ptc_coro_config()->ctx = saved;
        }
    }
}

/* ---- corruption ---- */

/* Overwrites one byte of path at off with its complement. */
static void flip_byte(const char *path, off_t off) {
    int fd = open(path, O_RDWR | O_CLOEXEC);
    assert_true(fd >= 0);
    unsigned char b;
    assert_int_equal(pread(fd, &b, 1, off), 1);
    b = (unsigned char)~b;
    assert_int_equal(pwrite(fd, &b, 1, off), 1);
    assert_int_equal(close(fd), 0);
}

/* A copy damaged after the run (a flipped byte, a lost tail, a missing file) is caught by the
 * file workload's run_end: that task, and only it, is reported wrong. */
static void check_corruption(const char *model, const char *poller) {
    struct ptc_workload_params p = {
        .tasks = 8, .file_kib = 100, .seed = SEED_BASE + 1, .tmp_dir = fx.scratch};
    if (poller != NULL)
        ptc_coro_config()->poller = poller;
    init_workload("file", &p);
    struct ptc_run_record rec;
    const struct ptc_model *m = ptc_model_find(model);
    assert_non_null(m);
    measure(m, &rec, model);
    assert_int_equal(ptc_workload_verify(&fx.st, fx.results), 8);

    char *dir = private_folder();
    assert_non_null(dir);
    char path[1024];
    snprintf(path, sizeof path, "%s/d3", dir);
    flip_byte(path, 70 * 1024); /* in the second, partial chunk */
    snprintf(path, sizeof path, "%s/d5", dir);
    assert_int_equal(truncate(path, 100 * 1024 - 1), 0);
    snprintf(path, sizeof path, "%s/d6", dir);
    assert_int_equal(unlink(path), 0);
    free(dir);

    fx.st.wl->run_end(&fx.st, fx.results);
    assert_int_equal(ptc_workload_verify(&fx.st, fx.results), 5);
    for (uint32_t i = 0; i < 8; i++) {
        int want = i == 3 || i == 5 || i == 6 ? -EBADMSG : 0;
        if (fx.results[i].status != want)
            fail_msg("%s: task %u status %d, expected %d", model, i, fx.results[i].status, want);
    }

    /* The next run rewrites every copy: all good again. */
    measure(m, &rec, model);
    release();
    ptc_test_assert_no_child(model);
    assert_scratch_empty(model);
    ptc_coro_config()->poller = fx.saved_poller;
}

static void test_file_corruption_detected(void **state) {
    check_corruption("seq", NULL);
    check_corruption("procpool", NULL);
    check_corruption("coropool", "epoll");
    if (uring_available())
        check_corruption("coro", "io_uring");
}

/* A source file changed behind the workload's back: the task's own checksum (what it read) no
 * longer matches the source hash taken at setup. */
static void test_file_source_change_detected(void **state) {
    struct ptc_workload_params p = {
        .tasks = 4, .file_kib = 64, .seed = SEED_BASE + 2, .tmp_dir = fx.scratch};
    init_workload("file", &p);
    char *dir = private_folder();
    assert_non_null(dir);
    char path[1024];
    snprintf(path, sizeof path, "%s/s2", dir);
    flip_byte(path, 0);
    free(dir);
    struct ptc_run_record rec;
    fflush(NULL);
    assert_int_equal(
        ptc_measure_run(ptc_model_find("thread"), &fx.st, WORKERS, 2, fx.results, &rec), 0);
    assert_int_equal(rec.tasks_ok, 3);
    assert_int_equal(fx.results[2].status, -EBADMSG);
    release();
    ptc_test_assert_no_child("source change");
    assert_scratch_empty("source change");
}

/* ---- failed setups leave nothing ---- */

static void expect_init_fails(const char *name, const struct ptc_workload_params *p, int want_rc,
                              const char *err_needle) {
    char err[256] = "";
    int rc = ptc_workload_init(&fx.st, ptc_workload_find(name), p, err, sizeof err);
    if (want_rc != 0 ? rc != want_rc : rc >= 0)
        fail_msg("%s: ptc_workload_init returned %d (%s), expected %d", name, rc, err, want_rc);
    if (err[0] == '\0' || strchr(err, '\n') != NULL)
        fail_msg("%s: the reason is not one line: '%s'", name, err);
    if (err_needle != NULL && strstr(err, err_needle) == NULL)
        fail_msg("%s: the reason '%s' does not mention '%s'", name, err, err_needle);
    /* A failed init leaves the state zeroed: nothing to fini. */
    assert_null(fx.st.wl);
    assert_null(fx.st.task_ns);
    assert_null(fx.st.priv);
    ptc_test_assert_no_child(name);
    assert_scratch_empty(name);
}

static void test_file_setup_fails_cleanly(void **state) {
    char *missing = NULL;
    assert_true(asprintf(&missing, "%s/no-such-dir", fx.scratch) > 0);
    struct ptc_workload_params p = {.tasks = 4, .file_kib = 64, .seed = 1, .tmp_dir = missing};
    expect_init_fails("file", &p, -ENOENT, missing);
    free(missing);
    /* A regular file where the directory should be. */
    char *notdir = NULL;
    assert_true(asprintf(&notdir, "%s/plain", fx.scratch) > 0);
    int fd = open(notdir, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    assert_true(fd >= 0);
    close(fd);
    p.tmp_dir = notdir;
    char err[256] = "";
    assert_int_equal(ptc_workload_init(&fx.st, ptc_workload_find("file"), &p, err, sizeof err),
                     -ENOTDIR);
    assert_null(fx.st.wl);
    assert_int_equal(unlink(notdir), 0);
    free(notdir);
    assert_scratch_empty("file in a regular file");
    /* --file-kib 0 is refused before anything is made. */
    p.tmp_dir = fx.scratch;
    p.file_kib = 0;
    expect_init_fails("file", &p, -EINVAL, "file-kib");
}

/* The net server starts, then goes at fini even though no run happened. */
static void test_net_init_fini_without_run(void **state) {
    struct ptc_workload_params p = {.tasks = 3, .net_latency_ns = 5 * MS, .net_kib = 1, .seed = 1};
    init_workload("net", &p);
    errno = 0;
    assert_int_equal(waitpid(-1, NULL, WNOHANG), 0); /* the server is our child, alive */
    release();
    ptc_test_assert_no_child("net init+fini");
    /* The same with a zero latency. */
    p.net_latency_ns = 0;
    init_workload("net", &p);
    release();
    ptc_test_assert_no_child("net latency 0");
    /* and for mixed --mixed-wait net, whose server answers after the waiting part */
    struct ptc_workload_params mp = {.tasks = 3,
                                     .task_lo_ns = 4 * MS,
                                     .task_hi_ns = 4 * MS,
                                     .cpu_fraction = 0.25,
                                     .mixed_wait_net = 1,
                                     .seed = 1};
    init_workload("mixed", &mp);
    assert_int_equal(waitpid(-1, NULL, WNOHANG), 0);
    release();
    ptc_test_assert_no_child("mixed net init+fini");
}

/* Each task's answer is its own: a run whose answers were exchanged between two tasks (as a
 * server that mixed up its requests would do) fails those two tasks, and only them. A damaged,
 * short or long answer is caught inside ptc_net_fetch: test_net_server. */
static void test_net_answers_are_per_task(void **state) {
    struct ptc_workload_params p = {.tasks = 4, .net_latency_ns = 1 * MS, .net_kib = 4, .seed = 1};
    init_workload("net", &p);
    struct ptc_run_record rec;
    const struct ptc_model *m = ptc_model_find("coro");
    assert_non_null(m);
    measure(m, &rec, "net coro");
    uint64_t swap = fx.results[1].checksum;
    fx.results[1].checksum = fx.results[2].checksum;
    fx.results[2].checksum = swap;
    assert_int_equal(ptc_workload_verify(&fx.st, fx.results), 2);
    for (uint32_t i = 0; i < 4; i++)
        assert_int_equal(fx.results[i].status, i == 1 || i == 2 ? -EBADMSG : 0);
}

static void test_mixed_refusals(void **state) {
    struct ptc_workload_params p = {.tasks = 3,
                                    .task_lo_ns = 2 * MS,
                                    .task_hi_ns = 6 * MS,
                                    .cpu_fraction = 0.5,
                                    .mixed_wait_net = 1,
                                    .seed = 1};
    expect_init_fails("mixed", &p, -EINVAL, "mixed-wait net");
    /* without any --task-ms */
    p.task_lo_ns = p.task_hi_ns = 0;
    expect_init_fails("mixed", &p, -EINVAL, "task-ms");
    p.mixed_wait_net = 0;
    expect_init_fails("mixed", &p, -EINVAL, "task-ms");
    /* A range is fine with a sleep wait. */
    p.task_lo_ns = 2 * MS;
    p.task_hi_ns = 6 * MS;
    init_workload("mixed", &p);
    struct ptc_run_record rec;
    measure(ptc_model_find("threadpool"), &rec, "mixed sleep range");
    release();
    ptc_test_assert_no_child("mixed sleep range");
}

int main(void) {
    enum { N_CASES = sizeof cases / sizeof cases[0] };
    struct CMUnitTest tests[N_CASES + 6];
    size_t n = 0;
    static char names[N_CASES][64];
    for (size_t i = 0; i < N_CASES; i++) {
        snprintf(names[i], sizeof names[i], "every model: %s", cases[i].label);
        tests[n++] = (struct CMUnitTest){.name = names[i],
                                         .test_func = test_case,
                                         .setup_func = fixture_setup,
                                         .teardown_func = fixture_teardown,
                                         .initial_state = (void *)&cases[i]};
    }
    tests[n++] = (struct CMUnitTest)cmocka_unit_test_setup_teardown(
        test_file_corruption_detected, fixture_setup, fixture_teardown);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test_setup_teardown(
        test_file_source_change_detected, fixture_setup, fixture_teardown);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test_setup_teardown(
        test_file_setup_fails_cleanly, fixture_setup, fixture_teardown);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test_setup_teardown(
        test_net_init_fini_without_run, fixture_setup, fixture_teardown);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test_setup_teardown(
        test_net_answers_are_per_task, fixture_setup, fixture_teardown);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test_setup_teardown(
        test_mixed_refusals, fixture_setup, fixture_teardown);
    assert_true(n == sizeof tests / sizeof tests[0]);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
