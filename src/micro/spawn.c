/* The spawn entries: create a unit of execution, run it to completion, reclaim it. */
#include "core/affinity.h"
#include "core/lines.h"
#include "coro/config.h"
#include "coro/deal.h"
#include "coro/sched.h"
#include "micro/entry.h"
#include "model/group.h"

#include <errno.h>
#include <pthread.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* A child or thread of a placed entry: on its side's CPU, seen there, and done. */
static void *placed_thread(void *arg) {
    int rc = ptc_place_partner(arg);
    ptc_place_note(arg, 1);
    return (void *)(intptr_t)rc;
}

/* A forked child's note is a write fault on a shared page (about 1 us, 1 % of a fork): made only
 * where its CPU is not fixed by the placement, so the pinned rows stay bare fork loops. */
static void placed_child(const struct ptc_place *pl) {
    int rc = ptc_place_partner(pl);
    if (pl != NULL && pl->cpu[1] < 0)
        ptc_place_note(pl, 1);
    _exit(rc < 0 ? 1 : 0);
}

/* 0 for a child that exited 0, else -ECHILD. */
static int child_status(int status) {
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ECHILD;
}

/* The time since start; then side 0's CPU is noted for the placement record, outside the time. */
static ptc_ns stop_clock(ptc_ns start, const void *arg) {
    ptc_ns elapsed = ptc_now_ns() - start;
    ptc_place_note(arg, 0);
    return elapsed;
}

static int64_t fork_one_by_one(uint64_t n, const void *arg) {
    ptc_place_note(arg, 0);
    ptc_ns start = ptc_now_ns();
    for (uint64_t i = 0; i < n; i++) {
        int status;
        pid_t pid = fork();
        if (pid == 0)
            placed_child(arg);
        if (pid < 0 || waitpid(pid, &status, 0) != pid)
            return -errno;
        if (child_status(status) < 0)
            return -ECHILD;
    }
    ptc_ns elapsed = stop_clock(start, arg);
    return (int64_t)elapsed;
}

/* The fork model's pattern: every child started, then every child reaped. */
static int64_t fork_all_then_reap(uint64_t n, const void *arg) {
    pid_t *pids = malloc(n * sizeof *pids);
    if (pids == NULL)
        return -ENOMEM;
    int64_t rc = 0;
    uint64_t started = 0;
    ptc_place_note(arg, 0);
    ptc_ns start = ptc_now_ns();
    for (; started < n; started++) {
        pids[started] = fork();
        if (pids[started] == 0)
            placed_child(arg);
        if (pids[started] < 0) {
            rc = -errno;
            break;
        }
    }
    for (uint64_t i = 0; i < started; i++) {
        int status;
        waitpid(pids[i], &status, 0);
        if (rc == 0)
            rc = child_status(status);
    }
    ptc_ns elapsed = stop_clock(start, arg);
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
    ptc_place_note(arg, 0);
    ptc_ns start = ptc_now_ns();
    for (uint64_t i = 0; i < n; i++) {
        pthread_t t;
        void *ret;
        int rc = pthread_create(&t, NULL, placed_thread, (void *)arg);
        if (rc != 0)
            return -rc;
        pthread_join(t, &ret);
        if ((intptr_t)ret < 0)
            return (intptr_t)ret;
    }
    ptc_ns elapsed = stop_clock(start, arg);
    return (int64_t)elapsed;
}

/* The thread model's pattern: every thread created, then every thread joined. */
static int64_t pthread_all_then_join(uint64_t n, const void *arg) {
    pthread_t *t = malloc(n * sizeof *t);
    if (t == NULL)
        return -ENOMEM;
    int rc = 0;
    intptr_t failed = 0;
    uint64_t started = 0;
    ptc_place_note(arg, 0);
    ptc_ns start = ptc_now_ns();
    for (; started < n && rc == 0; started++)
        rc = pthread_create(&t[started], NULL, placed_thread, (void *)arg);
    if (rc != 0)
        started--;
    for (uint64_t i = 0; i < started; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        if ((intptr_t)ret < 0)
            failed = (intptr_t)ret;
    }
    ptc_ns elapsed = stop_clock(start, arg);
    free(t);
    return rc != 0 ? -rc : failed < 0 ? failed : (int64_t)elapsed;
}

struct coro_variant {
    const char *ctx;
    int unpooled;
    int shared;     /* 1: one shared stack (coro/shared.h) */
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
    o.stack.shared = v->shared;
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

/* The same over the M:N models' N scheduler threads (--mn-threads, default one per CPU): n x N
 * tasks dealt out with work stealing (coro/deal.h), a feeder on each thread taking the next and
 * spawning its coroutine to run at once, as coromn does. A unit's time is the span over n: each
 * thread creates, runs and reclaims n of them meanwhile. Schedulers on cache lines of their own;
 * one untimed round first. */

struct mn_spawn {
    _Alignas(PTC_CACHE_LINE_BYTES) struct ptc_sched s;
    struct ptc_deal *deal;
    uint32_t i;
    int rc;
};

static void mn_feeder(void *arg) {
    struct mn_spawn *t = arg;
    uint32_t task;
    while (ptc_deal_take(t->deal, t->i, &task)) {
        if ((t->rc = ptc_coro_spawn_next(&t->s, empty_coro, NULL, NULL)) < 0)
            return;
        ptc_coro_yield(&t->s);
    }
}

static void mn_spawn_thread(void *arg, uint32_t i) {
    struct mn_spawn *t = &((struct mn_spawn *)arg)[i];
    int rc = ptc_coro_spawn(&t->s, mn_feeder, t, NULL);
    if (rc == 0)
        rc = ptc_sched_run(&t->s);
    t->rc = t->rc < 0 ? t->rc : rc;
}

static int64_t coro_mn_spawn_run(uint64_t n, const void *arg) {
    struct ptc_sched_opts o = *ptc_coro_config();
    o.ctx = ptc_ctx_find(arg);
    uint32_t threads = ptc_coro_mn_threads(), made = 0;
    if (n * threads > UINT32_MAX)
        return -E2BIG;
    struct ptc_deal deal;
    struct mn_spawn *t = ptc_lines_calloc(threads * sizeof(struct mn_spawn));
    int rc = t == NULL ? -ENOMEM : ptc_deal_init(&deal, threads, (uint32_t)(n * threads));
    if (rc < 0) {
        free(t);
        return rc;
    }
    for (; made < threads && rc == 0; made++) {
        t[made].deal = &deal;
        t[made].i = made;
        if ((rc = ptc_sched_init(&t[made].s, &o)) < 0)
            break;
    }
    /* The threads start before the clock: the figure is the coroutines', not pthread_create's.
     * Two rounds, the second timed (the first warms the stacks). */
    ptc_ns elapsed = 0;
    for (int round = 0; round < 2 && rc == 0; round++) {
        ptc_deal_reset(&deal);
        rc = ptc_thread_group_run_timed(threads, mn_spawn_thread, t, &elapsed);
        for (uint32_t i = 0; i < threads && rc == 0; i++)
            rc = t[i].rc;
    }
    for (uint32_t i = 0; i < made; i++)
        ptc_sched_fini(&t[i].s);
    ptc_deal_fini(&deal);
    free(t);
    return rc < 0 ? rc : (int64_t)elapsed;
}

/* The floor under coro-fcontext-batch: Boost's make_fcontext and one switch into each new
 * context and back, n stacks held in an array, no scheduler. The stacks come from a pool like the
 * scheduler's (same size and spacing, so the same pages and TLB entries) and are warmed by one
 * untimed round, as coro_spawn_run warms its pool: what remains is what creating and starting a
 * coroutine costs at the least. Sanitizer builds go through ptc_ctx, which tells the sanitizer of
 * each switch. */
extern void *make_fcontext(void *sp, size_t size, void (*fn)(ptc_fcontext_transfer));

#if defined(PTC_CTX_ANNOTATED)
static struct ptc_ctx floor_main, *floor_self;

static void floor_entry_asan(void *arg) {
    PTC_CTX_LAST_JUMP(floor_self);
    ptc_ctx_jump(&ptc_ctx_fcontext, floor_self, &floor_main);
}
#else
static void floor_entry(ptc_fcontext_transfer t) {
    jump_fcontext(t.fctx, NULL); /* back to the creator, never resumed */
    __builtin_unreachable();
}
#endif

static void floor_round(void **stacks, void **ctx, uint64_t n, size_t stack_bytes) {
#if defined(PTC_CTX_ANNOTATED)
    struct ptc_ctx *c = (struct ptc_ctx *)ctx;
    ptc_ctx_fcontext.make_main(&floor_main, NULL);
    for (uint64_t i = 0; i < n; i++)
        ptc_ctx_fcontext.make(&c[i], stacks[i], stack_bytes, floor_entry_asan, NULL);
    for (uint64_t i = 0; i < n; i++) {
        floor_self = &c[i];
        ptc_ctx_jump(&ptc_ctx_fcontext, &floor_main, &c[i]);
    }
#else
    for (uint64_t i = 0; i < n; i++)
        ctx[i] = make_fcontext((char *)stacks[i] + stack_bytes, stack_bytes, floor_entry);
    for (uint64_t i = 0; i < n; i++)
        jump_fcontext(ctx[i], NULL);
#endif
}

static int64_t fcontext_floor_batch(uint64_t n, const void *arg) {
    struct ptc_stack_pool pool;
    int rc = ptc_stack_pool_init(&pool, &ptc_coro_config()->stack);
    if (rc < 0)
        return rc;
    void **stacks = malloc(n * sizeof *stacks);
#if defined(PTC_CTX_ANNOTATED)
    void **ctx = malloc(n * sizeof(struct ptc_ctx));
#else
    void **ctx = malloc(n * sizeof *ctx);
#endif
    ptc_ns elapsed = 0;
    if (stacks == NULL || ctx == NULL)
        rc = -ENOMEM;
    for (uint64_t i = 0; i < n && rc == 0; i++)
        rc = ptc_stack_get(&pool, &stacks[i]);
    for (int round = 0; round < 2 && rc == 0; round++) {
        ptc_ns start = ptc_now_ns();
        floor_round(stacks, ctx, n, pool.o.stack_bytes);
        elapsed = ptc_now_ns() - start;
    }
    free(ctx);
    free(stacks);
    ptc_stack_pool_fini(&pool);
    return rc < 0 ? rc : (int64_t)elapsed;
}

static const struct coro_variant fc_pooled = {"fcontext", 0, 0, 1},
                                 fc_unpooled = {"fcontext", 1, 0, 1},
                                 uc_pooled = {"ucontext", 0, 0, 1},
                                 uc_unpooled = {"ucontext", 1, 0, 1},
                                 fc_batch = {"fcontext", 0, 0, 0};
#if !defined(__SANITIZE_ADDRESS__) /* shared stacks are not in ASan builds (coro/shared.h) */
static const struct coro_variant fc_shared = {"fcontext", 0, 1, 1};
#endif

static const struct ptc_micro_entry entries[] = {
    {"fork", "fork+wait", "one-by-one", fork_one_by_one, NULL, 1, 1},
    {"fork-batch", "fork+wait", "all-then-reap", fork_all_then_reap, NULL, 1, 1},
    {"posix_spawn", "posix_spawn+wait", "/bin/true", posix_spawn_true, NULL, 0, 1},
    {"pthread", "pthread_create+join", "one-by-one", pthread_one_by_one, NULL, 1, 1},
    {"pthread-batch", "pthread_create+join", "all-then-join", pthread_all_then_join, NULL, 1, 1},
    {"coro-fcontext", "coroutine", "fcontext,pooled,one-by-one", coro_spawn_run, &fc_pooled, 0,
     1000},
    {"coro-fcontext-batch", "coroutine", "fcontext,pooled,all-then-run", coro_spawn_run, &fc_batch,
     0, 100},
#if !defined(__SANITIZE_ADDRESS__) /* shared stacks are not in ASan builds (coro/shared.h) */
    {"coro-shared-fcontext", "coroutine", "fcontext,shared stack,one-by-one", coro_spawn_run,
     &fc_shared, 0, 1000},
#endif
    {"coro-mn-fcontext", "coroutine", "fcontext,pooled,M:N: every thread", coro_mn_spawn_run,
     "fcontext", 0, 1000},
    {"fcontext-floor-batch", "fcontext make+switch", "bare,warm stacks,all-then-run",
     fcontext_floor_batch, NULL, 0, 100},
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
