/* A coroutine scheduler: one per thread. Coroutines are cooperative: they run until they yield,
 * sleep, wait for a group or finish. The scheduler keeps a FIFO run queue, a timer heap for
 * sleeps, and a poller it blocks in when nothing can run. Nothing here is thread-safe: a
 * scheduler and its coroutines belong to the thread that called ptc_sched_init. */
#ifndef PTC_CORO_SCHED_H
#define PTC_CORO_SCHED_H

#include "core/clock.h"
#include "coro/ctx.h"
#include "coro/poller.h"
#include "coro/stack.h"

#include <stdint.h>

struct ptc_sched;
struct ptc_coro_group;

typedef void (*ptc_coro_fn)(void *arg);

enum ptc_coro_state { PTC_CORO_READY = 1, PTC_CORO_RUNNING, PTC_CORO_WAITING, PTC_CORO_DONE };

/* Lives at the top of the coroutine's own stack: spawning allocates nothing else. */
struct ptc_coro {
    struct ptc_ctx ctx;
    struct ptc_coro *next; /* run queue or a wait list */
    struct ptc_sched *sched;
    ptc_coro_fn fn;
    void *arg;
    void *stack_lo;
    struct ptc_coro_group *group;
    ptc_ns deadline_ns; /* while sleeping */
    uint64_t timer_seq; /* breaks deadline ties: equal deadlines fire in arming order */
    uint32_t slot;      /* the group's concurrency slot, 0..limit-1 (bounded groups) */
    int state;
};

struct ptc_sched_opts {
    const struct ptc_ctx_ops *ctx; /* NULL: fcontext */
    const char *poller;            /* "epoll", "io_uring", or NULL/"auto" */
    struct ptc_stack_opts stack;
};

struct ptc_sched {
    const struct ptc_ctx_ops *sw;
    struct ptc_ctx main;
    void *main_uc;            /* the main context's ucontext_t, for the ucontext backend */
    struct ptc_coro *current; /* NULL while the scheduler itself runs */
    struct ptc_coro *rq_head, *rq_tail;
    struct ptc_coro **heap; /* timers: a binary min-heap on (deadline, seq) */
    size_t heap_n, heap_cap;
    uint64_t timer_seq;
    struct ptc_stack_pool stacks;
    const struct ptc_poller_ops *poller_ops;
    struct ptc_poller *poller;
    uint64_t live;       /* coroutines spawned and not finished */
    uint64_t pending_io; /* operations submitted to the poller and not completed */
    uint64_t switches;   /* context switches made, both directions */
};

/* Returns 0, or a negative errno: -EINVAL (bad stack size), or the poller's error when the
 * requested poller cannot be opened. */
int ptc_sched_init(struct ptc_sched *s, const struct ptc_sched_opts *o);
/* Frees the scheduler. Coroutines still alive are abandoned with their stacks. */
void ptc_sched_fini(struct ptc_sched *s);

/* Creates a coroutine that will run fn(arg), queued behind the runnable ones; it joins group g
 * when g is not NULL (see group.h). Callable from the scheduler's thread, inside a coroutine or
 * not. Returns 0, -EAGAIN (stack limit) or -ENOMEM (memory or mappings ran out). */
int ptc_coro_spawn(struct ptc_sched *s, ptc_coro_fn fn, void *arg, struct ptc_coro_group *g);

/* Runs coroutines until none can run and none waits for a timer or I/O. Returns 0 or the
 * poller's negative errno. Call from outside any coroutine. */
int ptc_sched_run(struct ptc_sched *s);

/* Inside a coroutine: lets every other runnable coroutine run once, then resumes. */
void ptc_coro_yield(struct ptc_sched *s);
/* Inside a coroutine: suspends for at least duration_ns, on the scheduler's timer. */
void ptc_coro_sleep_ns(struct ptc_sched *s, ptc_ns duration_ns);
/* Inside a coroutine: suspends until ptc_coro_wake; the caller has put it on a wait list. */
void ptc_coro_suspend(struct ptc_sched *s);
/* Makes a suspended coroutine runnable (at the back of the run queue). */
void ptc_coro_wake(struct ptc_sched *s, struct ptc_coro *c);

/* The running coroutine, or NULL outside coroutines. */
static inline struct ptc_coro *ptc_coro_self(const struct ptc_sched *s) {
    return s->current;
}

#endif
