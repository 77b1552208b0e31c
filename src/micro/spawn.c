/* The spawn entries: create a unit of execution, run it to completion, reclaim it. */
#include "coro/config.h"
#include "coro/sched.h"
#include "micro/entry.h"

#include <errno.h>
#include <pthread.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void *empty_thread(void *arg) {
    return arg;
}

static int64_t fork_one_by_one(uint64_t n, const void *arg) {
    ptc_ns start = ptc_now_ns();
    for (uint64_t i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        if (pid < 0 || waitpid(pid, NULL, 0) != pid)
            return -errno;
    }
    return (int64_t)(ptc_now_ns() - start);
}

/* The fork model's pattern: every child started, then every child reaped. */
static int64_t fork_all_then_reap(uint64_t n, const void *arg) {
    pid_t *pids = malloc(n * sizeof *pids);
    if (pids == NULL)
        return -ENOMEM;
    int64_t rc = 0;
    uint64_t started = 0;
    ptc_ns start = ptc_now_ns();
    for (; started < n; started++) {
        pids[started] = fork();
        if (pids[started] == 0)
            _exit(0);
        if (pids[started] < 0) {
            rc = -errno;
            break;
        }
    }
    for (uint64_t i = 0; i < started; i++)
        waitpid(pids[i], NULL, 0);
    ptc_ns elapsed = ptc_now_ns() - start;
    free(pids);
    return rc < 0 ? rc : (int64_t)elapsed;
}

static int64_t posix_spawn_true(uint64_t n, const void *arg) {
    char *argv[] = {"true", NULL};
    ptc_ns start = ptc_now_ns();
    for (uint64_t i = 0; i < n; i++) {
        pid_t pid;
        int rc = posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ);
        if (rc != 0)
            return -rc;
        if (waitpid(pid, NULL, 0) != pid)
            return -errno;
    }
    return (int64_t)(ptc_now_ns() - start);
}

static int64_t pthread_one_by_one(uint64_t n, const void *arg) {
    ptc_ns start = ptc_now_ns();
    for (uint64_t i = 0; i < n; i++) {
        pthread_t t;
        int rc = pthread_create(&t, NULL, empty_thread, NULL);
        if (rc != 0)
            return -rc;
        pthread_join(t, NULL);
    }
    return (int64_t)(ptc_now_ns() - start);
}

/* The thread model's pattern: every thread created, then every thread joined. */
static int64_t pthread_all_then_join(uint64_t n, const void *arg) {
    pthread_t *t = malloc(n * sizeof *t);
    if (t == NULL)
        return -ENOMEM;
    int rc = 0;
    uint64_t started = 0;
    ptc_ns start = ptc_now_ns();
    for (; started < n && rc == 0; started++)
        rc = pthread_create(&t[started], NULL, empty_thread, NULL);
    if (rc != 0)
        started--;
    for (uint64_t i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    ptc_ns elapsed = ptc_now_ns() - start;
    free(t);
    return rc != 0 ? -rc : (int64_t)elapsed;
}

struct coro_variant {
    const char *ctx;
    int unpooled;
    int one_by_one; /* 1: spawn, run to the end, next; 0: spawn all n, then run them */
};

static void empty_coro(void *arg) {}

/* n coroutines spawned and run to completion by the scheduler, their stacks reclaimed: one at a
 * time (each reuses the stack the last one freed), or all spawned first and then run (n stacks
 * live at once: what the coro model does). The scheduler and its stack pool are made once per
 * sample and warmed by one untimed round, so pooled stacks are measured as reused, as a
 * long-running program reuses them. */
static int64_t coro_spawn_run(uint64_t n, const void *arg) {
    const struct coro_variant *v = arg;
    struct ptc_sched_opts o = *ptc_coro_config();
    o.ctx = ptc_ctx_find(v->ctx);
    o.stack.unpooled = v->unpooled;
    struct ptc_sched s;
    int rc = ptc_sched_init(&s, &o);
    if (rc < 0)
        return rc;
    ptc_ns start = 0;
    for (int round = 0; round < 2 && rc == 0; round++) {
        start = ptc_now_ns();
        if (v->one_by_one) {
            for (uint64_t i = 0; i < n && rc == 0; i++) {
                rc = ptc_coro_spawn(&s, empty_coro, NULL, NULL);
                if (rc == 0)
                    rc = ptc_sched_run(&s);
            }
        } else {
            for (uint64_t i = 0; i < n && rc == 0; i++)
                rc = ptc_coro_spawn(&s, empty_coro, NULL, NULL);
            if (rc == 0)
                rc = ptc_sched_run(&s);
        }
    }
    ptc_ns elapsed = ptc_now_ns() - start;
    ptc_sched_fini(&s);
    return rc < 0 ? rc : (int64_t)elapsed;
}

static const struct coro_variant fc_pooled = {"fcontext", 0, 1}, fc_unpooled = {"fcontext", 1, 1},
                                 uc_pooled = {"ucontext", 0, 1}, uc_unpooled = {"ucontext", 1, 1},
                                 fc_batch = {"fcontext", 0, 0};

static const struct ptc_micro_entry entries[] = {
    {"fork", "fork+wait", "one-by-one", fork_one_by_one, NULL, 0, 1},
    {"fork-batch", "fork+wait", "all-then-reap", fork_all_then_reap, NULL, 0, 1},
    {"posix_spawn", "posix_spawn+wait", "/bin/true", posix_spawn_true, NULL, 0, 1},
    {"pthread", "pthread_create+join", "one-by-one", pthread_one_by_one, NULL, 0, 1},
    {"pthread-batch", "pthread_create+join", "all-then-join", pthread_all_then_join, NULL, 0, 1},
    {"coro-fcontext", "coroutine", "fcontext,pooled,one-by-one", coro_spawn_run, &fc_pooled, 0,
     1000},
    {"coro-fcontext-batch", "coroutine", "fcontext,pooled,all-then-run", coro_spawn_run, &fc_batch,
     0, 100},
    {"coro-fcontext-unpooled", "coroutine", "fcontext,unpooled,one-by-one", coro_spawn_run,
     &fc_unpooled, 0, 10},
    {"coro-ucontext", "coroutine", "ucontext,pooled,one-by-one", coro_spawn_run, &uc_pooled, 0,
     100},
    {"coro-ucontext-unpooled", "coroutine", "ucontext,unpooled,one-by-one", coro_spawn_run,
     &uc_unpooled, 0, 10},
};

const struct ptc_micro_entry *ptc_spawn_entries(size_t *n) {
    *n = sizeof entries / sizeof entries[0];
    return entries;
}
