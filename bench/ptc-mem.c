/* ptc-mem: N units alive at once, each blocked, and what they cost: resident memory per unit
 * (PSS for processes, from smaps_rollup, since RSS counts shared pages once per process; VmRSS
 * for threads and coroutines; the kernel stacks threads also take, from KernelStack), and the
 * time to bring all N up. N is swept; a mechanism that hits a limit (EAGAIN, ENOMEM) gets a row
 * that says so, and the sweep goes on with the next. */
#include "coro/config.h"
#include "coro/sched.h"
#include "model/proc.h"
#include "runner/micro.h"
#include "runner/micro_cli.h"

#include <errno.h>
#include <linux/futex.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROG "ptc-mem"

struct mem_result {
    int err;                /* 0, or the limit that stopped bringing units up (-EAGAIN, ...) */
    uint64_t up;            /* units that were up when measured */
    ptc_ns up_ns;           /* time to bring them all up */
    double kib_per_unit;    /* resident memory per unit */
    double kstack_per_unit; /* kernel stack per unit (threads), NaN otherwise */
};

/* One field of a /proc file such as "VmRSS:" or "KernelStack:", in kB; -1 if absent. */
static long proc_kib(const char *path, const char *field) {
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return -1;
    char line[256];
    long kib = -1;
    size_t len = strlen(field);
    while (fgets(line, sizeof line, fp) != NULL) {
        if (strncmp(line, field, len) == 0) {
            kib = strtol(line + len, NULL, 10);
            break;
        }
    }
    fclose(fp);
    return kib;
}

/* ---- processes: each blocks reading a pipe whose write end the parent holds ---- */

static void measure_processes(uint64_t n, struct mem_result *r) {
    pid_t *pids = calloc(n, sizeof *pids);
    int hold[2], ready[2];
    if (pids == NULL || pipe(hold) != 0) {
        r->err = -ENOMEM;
        free(pids);
        return;
    }
    if (pipe(ready) != 0) {
        r->err = -errno;
        close(hold[0]);
        close(hold[1]);
        free(pids);
        return;
    }
    fflush(NULL);
    ptc_ns start = ptc_now_ns();
    uint64_t started = 0;
    for (; started < n; started++) {
        pid_t pid = ptc_fork_worker();
        if (pid == 0) {
            char b = 1;
            close(hold[1]);
            if (write(ready[1], &b, 1) != 1)
                _exit(1);
            while (read(hold[0], &b, 1) > 0) {
            }
            _exit(0);
        }
        if (pid < 0) {
            r->err = -errno;
            break;
        }
        pids[started] = pid;
    }
    /* Up means every child has run and is blocked: each says so with one byte. */
    char buf[4096];
    for (uint64_t got = 0; got < started;) {
        ssize_t k = read(ready[0], buf, started - got < sizeof buf ? started - got : sizeof buf);
        if (k <= 0)
            break;
        got += (uint64_t)k;
    }
    r->up_ns = ptc_now_ns() - start;
    r->up = started;
    double pss = 0;
    for (uint64_t i = 0; i < started; i++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/smaps_rollup", pids[i]);
        long kib = proc_kib(path, "Pss:");
        pss += kib > 0 ? (double)kib : 0;
    }
    r->kib_per_unit = started ? pss / (double)started : NAN;
    r->kstack_per_unit = NAN;
    close(hold[1]); /* every child reads end-of-file and exits */
    struct ptc_child_usage usage = {0};
    for (uint64_t i = 0; i < started; i++)
        ptc_reap(pids[i], &usage);
    close(hold[0]);
    close(ready[0]);
    close(ready[1]);
    free(pids);
}

/* ---- threads: each blocks on a futex word until released ---- */

struct thread_gate {
    uint32_t release; /* 0 while the threads must stay blocked */
    uint32_t up;      /* threads that have reached the gate */
};

static void *blocked_thread(void *p) {
    struct thread_gate *g = p;
    __atomic_add_fetch(&g->up, 1, __ATOMIC_RELEASE);
    while (__atomic_load_n(&g->release, __ATOMIC_ACQUIRE) == 0)
        syscall(SYS_futex, &g->release, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    return NULL;
}

static void measure_threads(uint64_t n, struct mem_result *r) {
    pthread_t *t = calloc(n, sizeof *t);
    if (t == NULL) {
        r->err = -ENOMEM;
        return;
    }
    struct thread_gate g = {0};
    long rss0 = proc_kib("/proc/self/status", "VmRSS:");
    long kstack0 = proc_kib("/proc/meminfo", "KernelStack:");
    ptc_ns start = ptc_now_ns();
    uint64_t started = 0;
    for (; started < n; started++) {
        int rc = pthread_create(&t[started], NULL, blocked_thread, &g);
        if (rc != 0) {
            r->err = -rc;
            break;
        }
    }
    while (__atomic_load_n(&g.up, __ATOMIC_ACQUIRE) < started)
        sched_yield();
    r->up_ns = ptc_now_ns() - start;
    r->up = started;
    long rss1 = proc_kib("/proc/self/status", "VmRSS:");
    long kstack1 = proc_kib("/proc/meminfo", "KernelStack:");
    r->kib_per_unit = started ? (double)(rss1 - rss0) / (double)started : NAN;
    r->kstack_per_unit = started ? (double)(kstack1 - kstack0) / (double)started : NAN;
    __atomic_store_n(&g.release, 1, __ATOMIC_RELEASE);
    syscall(SYS_futex, &g.release, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
    for (uint64_t i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    free(t);
}

/* ---- coroutines: each suspends until the sweep wakes it ---- */

struct coro_gate {
    struct ptc_sched *s;
    struct ptc_coro **parked; /* [n] */
    uint64_t up;
};

static void blocked_coro(void *p) {
    struct coro_gate *g = p;
    g->parked[g->up++] = ptc_coro_self(g->s);
    ptc_coro_suspend(g->s);
}

/* Brings n coroutines up on s and measures them against the RSS base_kib; per-unit memory is
 * divided by `units` (the stacks that hold resident pages). */
static void coroutines_up(struct ptc_sched *s, uint64_t n, long base_kib, struct mem_result *r) {
    struct coro_gate g = {.s = s, .parked = calloc(n, sizeof *g.parked)};
    if (g.parked == NULL) {
        r->err = -ENOMEM;
        return;
    }
    ptc_ns start = ptc_now_ns();
    for (uint64_t i = 0; i < n; i++) {
        int rc = ptc_coro_spawn(s, blocked_coro, &g, NULL);
        if (rc < 0) {
            r->err = rc;
            break;
        }
    }
    ptc_sched_run(s); /* returns when every coroutine is suspended */
    r->up_ns = ptc_now_ns() - start;
    r->up = g.up;
    long rss = proc_kib("/proc/self/status", "VmRSS:");
    size_t units = s->stacks->created > g.up ? s->stacks->created : g.up;
    r->kib_per_unit = units ? (double)(rss - base_kib) / (double)units : NAN;
    r->kstack_per_unit = NAN;
    for (uint64_t i = 0; i < g.up; i++)
        ptc_coro_wake(s, g.parked[i]);
    ptc_sched_run(s);
    free(g.parked);
}

/* A fresh scheduler and stack pool per sample, unmapped after it: what N coroutines cost from
 * nothing, a first-touch page fault per stack included. */
static void measure_coroutines(uint64_t n, struct mem_result *r) {
    struct ptc_sched s;
    struct ptc_sched_opts opts = *ptc_coro_config();
    opts.pool = NULL;
    long base = proc_kib("/proc/self/status", "VmRSS:");
    int rc = ptc_sched_init(&s, &opts);
    if (rc < 0) {
        r->err = rc;
        return;
    }
    coroutines_up(&s, n, base, r);
    ptc_sched_fini(&s);
}

/* The same from a stack pool kept across samples (and grown to n by the untimed warm-up round),
 * as a long-running program or the coro model runs them: no page faults, resident pages reused.
 * Memory per unit: RSS now minus RSS before the pool existed, over the stacks it holds. */
static void measure_coroutines_pooled(uint64_t n, struct mem_result *r) {
    static struct ptc_stack_pool pool;
    static long base_kib = -1;
    if (base_kib < 0) {
        base_kib = proc_kib("/proc/self/status", "VmRSS:");
        if (ptc_stack_pool_init(&pool, &ptc_coro_config()->stack) < 0) {
            r->err = -EINVAL;
            return;
        }
    }
    struct ptc_sched s;
    struct ptc_sched_opts opts = *ptc_coro_config();
    opts.pool = &pool;
    int rc = ptc_sched_init(&s, &opts);
    if (rc < 0) {
        r->err = rc;
        return;
    }
    coroutines_up(&s, n, base_kib, r);
    ptc_sched_fini(&s);
}

struct mechanism {
    const char *name, *variant, *metric;
    void (*measure)(uint64_t n, struct mem_result *r);
    uint64_t default_max_n; /* the default sweep stops here */
};

static const struct mechanism mechanisms[] = {
    {"processes", "fork, blocked in read()", "pss_kib_per_unit", measure_processes, 10000},
    {"threads", "pthread, blocked on a futex", "rss_kib_per_unit", measure_threads, 10000},
    {"coroutines", "suspended,fresh stacks", "rss_kib_per_unit", measure_coroutines, 1000000},
    {"coroutines-pooled", "suspended,pooled stacks", "rss_kib_per_unit", measure_coroutines_pooled,
     1000000},
};
#define N_MECHANISMS (sizeof mechanisms / sizeof mechanisms[0])

static void report(struct ptc_micro_out *out, const struct mechanism *m, uint64_t n,
                   const double *kib, const double *kstack, const double *up_ms, size_t samples,
                   const char *note) {
    struct ptc_micro_row row = {.benchmark = "mem",
                                .mechanism = m->name,
                                .variant = m->variant,
                                .n = n,
                                .metric = m->metric,
                                .unit = "KiB",
                                .value = NAN,
                                .samples = kib,
                                .n_samples = samples,
                                .note = note};
    ptc_micro_row(out, &row);
    if (kstack != NULL) {
        row.metric = "kernel_stack_kib_per_unit";
        row.samples = kstack;
        ptc_micro_row(out, &row);
    }
    row.metric = "up_ms";
    row.unit = "ms";
    row.samples = up_ms;
    ptc_micro_row(out, &row);
}

int main(int argc, char **argv) {
    static const char *const names[] = {"processes", "threads", "coroutines", "coroutines-pooled",
                                        NULL};
    static const uint64_t default_n[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    const struct ptc_micro_cli cli = {
        .program = PROG,
        .usage = "N units alive at once, each blocked: resident KiB per unit (PSS for processes,\n"
                 "VmRSS growth for threads and coroutines, plus the kernel stack of threads) and\n"
                 "the ms to bring all N up. Default N: 1, 10, ..., 10^4 for processes and threads\n"
                 "(pid_max bounds them), up to 10^6 for coroutines; --n overrides for all. A\n"
                 "limit hit (EAGAIN, ENOMEM) is reported in the row's note. Each N starts with\n"
                 "one untimed round (the first touch of memory the host has not backed yet is\n"
                 "slow, and it warms the pool of coroutines-pooled).",
        .only_help = "processes, threads, coroutines, coroutines-pooled",
        .only_names = names,
        .default_repeat = 3,
        .default_n = default_n,
        .n_default_n = sizeof default_n / sizeof default_n[0],
        .max_n = 10000000,
    };
    struct ptc_micro_opts o;
    ptc_micro_parse(&cli, argc, argv, &o);
    int explicit_n = 0;
    for (int i = 1; i < argc; i++)
        explicit_n |= strncmp(argv[i], "--n", 3) == 0;
    ptc_outfile_cleanup_on_signals();
    struct ptc_micro_out out;
    int rc = ptc_micro_open(&out, PROG, o.out, o.quiet);
    if (rc < 0) {
        fprintf(stderr, PROG ": --out: cannot write '%s': %s\n", o.out, strerror(-rc));
        ptc_micro_opts_free(&o);
        return 2;
    }
    double *kib = calloc(o.repeat, sizeof *kib), *kstack = calloc(o.repeat, sizeof *kstack),
           *up_ms = calloc(o.repeat, sizeof *up_ms);
    for (size_t m = 0; m < N_MECHANISMS && kib && kstack && up_ms; m++) {
        const struct mechanism *mech = &mechanisms[m];
        if (!ptc_micro_selected(&o, mech->name))
            continue;
        for (size_t ni = 0; ni < o.n_n; ni++) {
            uint64_t n = o.n[ni];
            if (!explicit_n && n > mech->default_max_n)
                continue;
            char note[160] = "";
            size_t samples = 0;
            struct mem_result warm = {0};
            mech->measure(n, &warm);
            for (uint64_t r = 0; r < o.repeat; r++) {
                struct mem_result res = {0};
                mech->measure(n, &res);
                if (res.err != 0) {
                    snprintf(note, sizeof note, "limit: %s after %llu of %llu units",
                             strerror(-res.err), (unsigned long long)res.up, (unsigned long long)n);
                    break;
                }
                kib[samples] = res.kib_per_unit;
                kstack[samples] = res.kstack_per_unit;
                up_ms[samples] = (double)res.up_ns / 1e6;
                samples++;
            }
            report(&out, mech, n, kib, isnan(kstack[0]) ? NULL : kstack, up_ms, samples, note);
            if (samples < o.repeat)
                break; /* a limit: larger N will not fit either */
        }
    }
    free(kib);
    free(kstack);
    free(up_ms);
    int failed = ptc_micro_commit(&out) < 0;
    ptc_micro_opts_free(&o);
    return failed ? 1 : 0;
}
