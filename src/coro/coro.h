/* A coroutine as the scheduler keeps it (coro/sched.h), apart so that the shared-stack code
 * (coro/shared.h) can read its saved frames without the scheduler's header. */
#ifndef PTC_CORO_CORO_H
#define PTC_CORO_CORO_H

#include "core/clock.h"
#include "coro/ctx.h"

#include <stdint.h>

struct ptc_io_op;

struct ptc_sched;
struct ptc_coro;

typedef void (*ptc_coro_fn)(void *arg);

/* What coroutines can be spawned into, told of each one's start and end: the scheduler knows
 * nothing more of it (a group, coro/group.h, is one). Both calls run on the scheduler's thread;
 * added runs inside the spawn, before the coroutine is queued; done runs in the finished
 * coroutine, after its function returned and before its stack is released. */
struct ptc_coro_owner {
    void (*added)(struct ptc_coro_owner *o, struct ptc_coro *c);
    void (*done)(struct ptc_coro_owner *o, struct ptc_sched *s, struct ptc_coro *c);
};

/* Lives at the top of the coroutine's own stack: spawning allocates nothing else. */
struct ptc_coro {
    struct ptc_ctx ctx;
    struct ptc_coro *next; /* an owner's wait list (group.c) */
    struct ptc_sched *sched;
    ptc_coro_fn fn;
    void *arg;
    void *stack_lo;
    struct ptc_coro_owner *owner; /* what it was spawned into, or NULL */
    ptc_ns deadline_ns;           /* the deadline of its latest sleep */
    uint32_t slot;                /* the group's concurrency slot, 0..limit-1 (bounded groups) */
    int64_t io_result;            /* the result of the last operation it waited for */
    /* Its time limit on waits (ptc_coro_limit_io): on fd io_limit_fd, io_limit_ns each; 0: none */
    ptc_ns io_limit_ns;
    int io_limit_fd;
    int io_timed_out; /* its wait's limit passed and the poller withdraws the operation: its
                       * completion (-ECANCELED) ends the wait with -ETIMEDOUT */
    /* While a limited wait is in flight with its timer armed: the operation and the timer's id in
     * the scheduler's io_timers; NULL otherwise. */
    const struct ptc_io_op *io_op;
    uint64_t io_timer;
    /* Shared-stack schedulers only (coro/shared.h): the frames it left on the shared stack when it
     * was last moved off, [saved, saved + saved_bytes), in a buffer of saved_cap bytes; fresh
     * until it first runs (its context is made on the shared stack then, not at spawn). */
    void *saved;
    uint32_t saved_bytes, saved_cap;
    uint8_t fresh;
};

#endif
