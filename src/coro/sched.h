/* A coroutine scheduler: one per thread. Coroutines are cooperative: they run until they yield,
 * sleep, wait for a group or finish. The scheduler keeps a FIFO run queue (a ring of pointers),
 * a timer heap for sleeps and one for the time limits of waits, and a poller it blocks in when
 * nothing can run. Its lists are dense arrays, not links through the coroutines: queueing and
 * dequeueing touch no stack page, so creating and scheduling 20,000 coroutines does not chase
 * 20,000 cold pages one after another. A coroutine that gives up the CPU switches straight to the
 * next runnable one (one switch, not two through the loop); every PTC_SCHED_BUDGET such switches,
 * and whenever the run queue is empty, control goes back to the loop, which expires timers and
 * polls, so a coroutine that keeps yielding cannot starve them. Nothing here is thread-safe: a
 * scheduler and its coroutines belong to one thread at a time, the one that runs ptc_sched_run
 * (it may be made on another, as the M:N models make theirs before their threads start). */
#ifndef PTC_CORO_SCHED_H
#define PTC_CORO_SCHED_H

#include "core/clock.h"
#include "coro/coro.h"
#include "coro/ctx.h"
#include "coro/poller.h"
#include "coro/shared.h"
#include "coro/stack.h"
#include "coro/timers.h"

#include <stdint.h>

#define PTC_SCHED_BUDGET 64

struct ptc_sched_opts {
    const struct ptc_ctx_ops *ctx; /* NULL: fcontext */
    const char *poller;            /* "epoll", "io_uring", or NULL/"auto" */
    struct ptc_stack_opts stack;
    /* A pool to take stacks from and leave them in (not owned: it outlives the scheduler, so
     * the next scheduler reuses its stacks, pages already resident); NULL: a pool of the
     * scheduler's own, made from `stack` and unmapped by ptc_sched_fini. */
    struct ptc_stack_pool *pool;
};

struct ptc_sched {
    const struct ptc_ctx_ops *sw;
    struct ptc_ctx main;
    void *main_uc;            /* the main context's ucontext_t, for the ucontext backend */
    struct ptc_coro *current; /* NULL while the scheduler itself runs */
    /* The run queue: a ring of rq_len coroutines from rq[rq_head], capacity rq_mask + 1 (a power
     * of two). It and io are kept at least `live` long, so queueing never needs memory. */
    struct ptc_coro **rq;
    size_t rq_head, rq_len, rq_mask;
    struct ptc_coro **io; /* I/O completed in the current poll, in order: [0, io_n) */
    size_t io_n;
    struct ptc_timers timers;      /* sleeping coroutines, each timer's data */
    struct ptc_timers io_timers;   /* the time limits of waits in flight; data: the coroutine */
    ptc_ns io_wake_ns;             /* when the loop wakes for io_timers (io_wake in sched.c) */
    struct ptc_stack_pool *stacks; /* own_stacks or the caller's pool */
    struct ptc_stack_pool own_stacks;
    const struct ptc_poller_ops *poller_ops;
    struct ptc_poller *poller;
    struct ptc_coro *zombie; /* finished, its stack still under the switch that left it */
    /* The stack every coroutine runs on when opts.stack.shared; NULL: a stack each. Then every
     * switch goes through the loop, which moves frames on and off the stack. */
    struct ptc_shared_stack *shared;
    struct ptc_shared_stack shared_stack;
    uint32_t budget;     /* direct switches left before the loop checks timers and I/O */
    uint64_t live;       /* coroutines spawned and not finished */
    uint64_t pending_io; /* operations submitted to the poller and not completed */
};

/* Returns 0, or a negative errno: -EINVAL (bad stack size; shared stacks with a switch other
 * than fcontext, or in an AddressSanitizer build), or the poller's error when the requested
 * poller cannot be opened. */
int ptc_sched_init(struct ptc_sched *s, const struct ptc_sched_opts *o);
/* Frees the scheduler. Coroutines still alive are abandoned with their stacks. */
void ptc_sched_fini(struct ptc_sched *s);

/* Makes room for n coroutines alive at once (queues sized, stacks made) so that spawning them
 * allocates and maps nothing: for set-up outside a timed region. Returns 0 or -ENOMEM / -EAGAIN
 * (as ptc_stack_pool_reserve); what was reserved stays. */
int ptc_sched_reserve(struct ptc_sched *s, size_t n);

/* Creates a coroutine that will run fn(arg), queued behind the runnable ones; owner, when not
 * NULL, is told of its start and end (a group's &g->owner joins it to the group, group.h).
 * Callable from the scheduler's thread, inside a coroutine or not. Returns 0, -EAGAIN (stack
 * limit) or -ENOMEM (memory or mappings ran out). */
int ptc_coro_spawn(struct ptc_sched *s, ptc_coro_fn fn, void *arg, struct ptc_coro_owner *owner);

/* As ptc_coro_spawn, but the new coroutine goes to the FRONT of the run queue: it runs as soon
 * as the caller gives up the CPU (Go's runnext). A parent that spawns its children this way and
 * then waits for them walks a tree depth first, with few coroutines alive at once. */
int ptc_coro_spawn_next(struct ptc_sched *s, ptc_coro_fn fn, void *arg,
                        struct ptc_coro_owner *owner);

/* Inside a coroutine: starts op on the scheduler's poller and suspends until it completes.
 * Returns the operation's result (bytes, 0, or revents for PTC_IO_POLL) or a negative errno;
 * -EOPNOTSUPP when the poller cannot do op->kind or the scheduler's stack is shared (op and its
 * buffer live on the coroutine's stack, which holds others' frames while it waits); then nothing
 * was started. */
int64_t ptc_coro_io(struct ptc_sched *s, const struct ptc_io_op *op);

/* Inside a coroutine: from now on each of its ptc_coro_io waits on fd gives up when timeout_ns
 * pass before the operation completes: the operation is withdrawn from the poller and the wait
 * returns -ETIMEDOUT. timeout_ns 0 lifts the limit. One descriptor at a time; the limit ends with
 * the coroutine. The limit is a timer in user space (armed and disarmed per wait, no system
 * call); the poller's clock is re-armed only when the earliest limit moves earlier or has
 * passed, so a limit is noticed on time and healthy waits cost no system call for it. */
void ptc_coro_limit_io(struct ptc_sched *s, int fd, ptc_ns timeout_ns);

/* Runs coroutines until none can run and none waits for a timer or I/O. Returns 0 or the
 * poller's negative errno. Call from outside any coroutine. */
int ptc_sched_run(struct ptc_sched *s);

/* Inside a coroutine: lets every other runnable coroutine run once, then resumes. */
static inline void ptc_coro_yield(struct ptc_sched *s);
/* Inside a coroutine: suspends for at least duration_ns, on the scheduler's timer. */
void ptc_coro_sleep_ns(struct ptc_sched *s, ptc_ns duration_ns);
/* Inside a coroutine: suspends until ptc_coro_wake; the caller has put it on a wait list. */
void ptc_coro_suspend(struct ptc_sched *s);
/* Makes a suspended coroutine runnable (at the back of the run queue). */
void ptc_coro_wake(struct ptc_sched *s, struct ptc_coro *c);
/* The same at the front: it runs as soon as the running coroutine gives up the CPU. */
void ptc_coro_wake_next(struct ptc_sched *s, struct ptc_coro *c);

/* The run queue's ring (struct ptc_sched.rq), for the scheduler and its tests. The caller makes
 * sure of room (the scheduler keeps the ring as large as the live coroutines); pop returns NULL
 * when the ring is empty. */
static inline void ptc_rq_push(struct ptc_sched *s, struct ptc_coro *c) {
    s->rq[(s->rq_head + s->rq_len++) & s->rq_mask] = c;
}

static inline void ptc_rq_push_front(struct ptc_sched *s, struct ptc_coro *c) {
    s->rq_head = (s->rq_head - 1) & s->rq_mask;
    s->rq[s->rq_head] = c;
    s->rq_len++;
}

static inline struct ptc_coro *ptc_rq_pop(struct ptc_sched *s) {
    if (s->rq_len == 0)
        return NULL;
    struct ptc_coro *c = s->rq[s->rq_head];
    s->rq_head = (s->rq_head + 1) & s->rq_mask;
    s->rq_len--;
    return c;
}

/* Out-of-line parts of ptc_coro_yield; not for direct use. */
void ptc_coro_yield_slow(struct ptc_sched *s);
void ptc_coro_reap_zombie(struct ptc_sched *s);

/* Inlined so that a coroutine's yield is its own call to the switch and nothing else: a switch
 * that resumes another coroutine at the same code address leaves the return-stack buffer and the
 * switch's indirect jump correctly predicted, where a return out of a shared yield function
 * would be mispredicted on every switch (~20 cycles each). */
static inline void ptc_coro_yield(struct ptc_sched *s) {
    struct ptc_coro *self = s->current;
    if (s->rq_len == 0 || s->budget <= 1) {
        ptc_coro_yield_slow(s);
        return;
    }
    s->budget--;
    /* Pop the head and push self at the back: the ring keeps its length, self takes the slot
     * just past the last one. */
    size_t head = s->rq_head;
    struct ptc_coro *next = s->rq[head];
    s->rq[(head + s->rq_len) & s->rq_mask] = self;
    s->rq_head = (head + 1) & s->rq_mask;
    s->current = next;
    ptc_ctx_jump(s->sw, &self->ctx, &next->ctx);
    if (s->zombie != NULL)
        ptc_coro_reap_zombie(s);
}

/* How its coroutines switch, for the CSVs: the backend's name ("fcontext", "ucontext"), or
 * "fcontext/shared" on a shared stack. */
static inline const char *ptc_sched_switch_name(const struct ptc_sched *s) {
    return s->shared != NULL ? "fcontext/shared" : s->sw->name;
}

/* The running coroutine, or NULL outside coroutines. */
static inline struct ptc_coro *ptc_coro_self(const struct ptc_sched *s) {
    return s->current;
}

#endif
