/* ptc-spawn: what it costs to create a unit of execution, run it to completion and reclaim it:
 * fork + wait, posix_spawn + wait, pthread_create + join, and a coroutine (fcontext and
 * ucontext, stacks pooled or mapped per coroutine). */
#include "coro/config.h"
#include "coro/sched.h"
#include "runner/micro.h"
#include "runner/micro_cli.h"

#include <errno.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROG "ptc-spawn"

extern char **environ;

/* Creates, runs and reclaims n units; returns the elapsed ns, or a negative errno. */
typedef int64_t (*spawn_fn)(uint64_t n, const void *arg);

struct entry {
    const char *name; /* for --only */
    const char *mechanism, *variant;
    spawn_fn fn;
    const void *arg;
    uint64_t n_scale; /* coroutines are cheap: n x this per sample for the clock to see them */
};

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

static const struct entry entries[] = {
    {"fork", "fork+wait", "one-by-one", fork_one_by_one, NULL, 1},
    {"fork-batch", "fork+wait", "all-then-reap", fork_all_then_reap, NULL, 1},
    {"posix_spawn", "posix_spawn+wait", "/bin/true", posix_spawn_true, NULL, 1},
    {"pthread", "pthread_create+join", "one-by-one", pthread_one_by_one, NULL, 1},
    {"pthread-batch", "pthread_create+join", "all-then-join", pthread_all_then_join, NULL, 1},
    {"coro-fcontext", "coroutine", "fcontext,pooled,one-by-one", coro_spawn_run, &fc_pooled, 1000},
    {"coro-fcontext-batch", "coroutine", "fcontext,pooled,all-then-run", coro_spawn_run, &fc_batch,
     100},
    {"coro-fcontext-unpooled", "coroutine", "fcontext,unpooled,one-by-one", coro_spawn_run,
     &fc_unpooled, 10},
    {"coro-ucontext", "coroutine", "ucontext,pooled,one-by-one", coro_spawn_run, &uc_pooled, 100},
    {"coro-ucontext-unpooled", "coroutine", "ucontext,unpooled,one-by-one", coro_spawn_run,
     &uc_unpooled, 10},
};
#define N_ENTRIES (sizeof entries / sizeof entries[0])

int main(int argc, char **argv) {
    static const char *names[N_ENTRIES + 1];
    for (size_t i = 0; i < N_ENTRIES; i++)
        names[i] = entries[i].name;
    static const uint64_t default_n[] = {500};
    const struct ptc_micro_cli cli = {
        .program = PROG,
        .usage = "Cost per unit of create + run to completion + reclaim, in ns per unit.\n"
                 "A sample creates n processes or threads, n x 1000 coroutines one by one\n"
                 "(x 100 all-then-run and ucontext, x 10 unpooled): --n sets n.",
        .only_help = "fork, fork-batch, posix_spawn, pthread, pthread-batch, coro-fcontext,\n"
                     "                    coro-fcontext-batch, coro-fcontext-unpooled, "
                     "coro-ucontext,\n                    coro-ucontext-unpooled",
        .only_names = names,
        .default_repeat = 5,
        .default_n = default_n,
        .n_default_n = 1,
        .max_n = 100000,
    };
    struct ptc_micro_opts o;
    ptc_micro_parse(&cli, argc, argv, &o);
    ptc_timer_slack_min();
    ptc_outfile_cleanup_on_signals();
    struct ptc_micro_out out;
    int rc = ptc_micro_open(&out, PROG, o.out, o.quiet);
    if (rc < 0) {
        fprintf(stderr, PROG ": --out: cannot write '%s': %s\n", o.out, strerror(-rc));
        ptc_micro_opts_free(&o);
        return 2;
    }
    double *samples = calloc(o.repeat, sizeof *samples);
    int failed = samples == NULL;
    /* Samples interleaved across mechanisms, so drift on a shared machine hits all alike. */
    for (size_t ni = 0; ni < o.n_n && !failed; ni++) {
        double *all = calloc(N_ENTRIES * o.repeat, sizeof *all);
        if (all == NULL) {
            failed = 1;
            break;
        }
        int64_t errs[N_ENTRIES] = {0};
        for (uint64_t r = 0; r < o.repeat; r++) {
            for (size_t e = 0; e < N_ENTRIES; e++) {
                if (!ptc_micro_selected(&o, entries[e].name) || errs[e] < 0)
                    continue;
                uint64_t n = o.n[ni] * entries[e].n_scale;
                int64_t ns = entries[e].fn(n, entries[e].arg);
                if (ns < 0)
                    errs[e] = ns;
                else
                    all[e * o.repeat + r] = (double)ns / (double)n;
            }
        }
        for (size_t e = 0; e < N_ENTRIES; e++) {
            if (!ptc_micro_selected(&o, entries[e].name))
                continue;
            char note[128] = "";
            if (errs[e] < 0) {
                snprintf(note, sizeof note, "failed: %s", strerror((int)-errs[e]));
                failed = 1;
            }
            struct ptc_micro_row row = {.benchmark = "spawn",
                                        .mechanism = entries[e].mechanism,
                                        .variant = entries[e].variant,
                                        .n = o.n[ni] * entries[e].n_scale,
                                        .metric = "ns_per_unit",
                                        .unit = "ns",
                                        .value = 0,
                                        .samples = errs[e] < 0 ? NULL : &all[e * o.repeat],
                                        .n_samples = errs[e] < 0 ? 0 : o.repeat,
                                        .note = note};
            if (errs[e] < 0)
                row.value = 0.0 / 0.0;
            ptc_micro_row(&out, &row);
        }
        free(all);
    }
    free(samples);
    if (ptc_micro_commit(&out) < 0) {
        fprintf(stderr, PROG ": writing '%s' failed\n", o.out);
        failed = 1;
    }
    ptc_micro_opts_free(&o);
    return failed ? 1 : 0;
}
