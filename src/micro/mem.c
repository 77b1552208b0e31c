#include "micro/mem.h"

#include "core/child.h"
#include "core/procfs.h"
#include "coro/config.h"
#include "coro/sched.h"

#include <errno.h>
#include <linux/futex.h>
#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- processes: each blocks reading a pipe whose write end the parent holds ---- */

void ptc_mem_processes(uint64_t n, struct ptc_mem_result *r) {
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
        long kib = ptc_proc_kib(path, "Pss:");
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

void ptc_mem_threads(uint64_t n, struct ptc_mem_result *r) {
    pthread_t *t = calloc(n, sizeof *t);
    if (t == NULL) {
        r->err = -ENOMEM;
        return;
    }
    struct thread_gate g = {0};
    long rss0 = ptc_proc_kib("/proc/self/status", "VmRSS:");
    long kstack0 = ptc_proc_kib("/proc/meminfo", "KernelStack:");
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
    long rss1 = ptc_proc_kib("/proc/self/status", "VmRSS:");
    long kstack1 = ptc_proc_kib("/proc/meminfo", "KernelStack:");
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
static void coroutines_up(struct ptc_sched *s, uint64_t n, long base_kib,
                          struct ptc_mem_result *r) {
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
    long rss = ptc_proc_kib("/proc/self/status", "VmRSS:");
    size_t units = s->stacks->created > g.up ? s->stacks->created : g.up;
    r->kib_per_unit = units ? (double)(rss - base_kib) / (double)units : NAN;
    r->kstack_per_unit = NAN;
    for (uint64_t i = 0; i < g.up; i++)
        ptc_coro_wake(s, g.parked[i]);
    ptc_sched_run(s);
    free(g.parked);
}

/* n coroutines brought up on a fresh scheduler made from opts, torn down after. */
static void fresh_scheduler(const struct ptc_sched_opts *opts, uint64_t n,
                            struct ptc_mem_result *r) {
    struct ptc_sched s;
    long base = ptc_proc_kib("/proc/self/status", "VmRSS:");
    int rc = ptc_sched_init(&s, opts);
    if (rc < 0) {
        r->err = rc;
        return;
    }
    coroutines_up(&s, n, base, r);
    ptc_sched_fini(&s);
}

/* A fresh scheduler and stack pool per sample, unmapped after it: what N coroutines cost from
 * nothing, a first-touch page fault per stack included. */
void ptc_mem_coroutines(uint64_t n, struct ptc_mem_result *r) {
    struct ptc_sched_opts opts = *ptc_coro_config();
    opts.pool = NULL;
    fresh_scheduler(&opts, n, r);
}

/* The same on one shared stack (coro/shared.h): each suspended coroutine holds its record and a
 * copy of the frames it used, not a stack. Not in AddressSanitizer builds (-EINVAL). */
void ptc_mem_coroutines_shared(uint64_t n, struct ptc_mem_result *r) {
    struct ptc_sched_opts opts = *ptc_coro_config();
    opts.pool = NULL;
    opts.ctx = ptc_ctx_find("fcontext");
    opts.stack.shared = 1;
    fresh_scheduler(&opts, n, r);
    /* The records and saved frames are malloc's: freed, they stay resident in its heap and the
     * next sample would reuse them unseen (a second sample read half the first's). */
    malloc_trim(0);
}

/* The same from a stack pool kept across samples (and grown to n by the untimed warm-up round),
 * as a long-running program or the coro model runs them: no page faults, resident pages reused.
 * Memory per unit: RSS now minus RSS before the pool existed, over the stacks it holds. */
void ptc_mem_coroutines_pooled(uint64_t n, struct ptc_mem_result *r) {
    static struct ptc_stack_pool pool;
    static long base_kib = -1;
    if (base_kib < 0) {
        base_kib = ptc_proc_kib("/proc/self/status", "VmRSS:");
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
