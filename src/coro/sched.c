#include "coro/sched.h"

#include "core/valgrind.h"
#include "coro/overflow.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The ring and the completion array always have room for every live coroutine (one is in at
 * most one of them at a time), so the ring operations of sched.h never fail; ensure_room grows
 * both before a spawn. */

/* Grows the ring and the completion array to hold n coroutines (doubling, from 256). Returns 0 or
 * -ENOMEM, leaving both as they were. */
static int ensure_room(struct ptc_sched *s, size_t n) {
    size_t cap = s->rq != NULL ? s->rq_mask + 1 : 0;
    if (n <= cap)
        return 0;
    size_t grown_cap = cap ? cap : 256;
    while (grown_cap < n)
        grown_cap *= 2;
    struct ptc_coro **rq = malloc(grown_cap * sizeof *rq);
    struct ptc_coro **io = realloc(s->io, grown_cap * sizeof *io);
    if (rq == NULL || io == NULL) {
        free(rq);
        if (io != NULL)
            s->io = io; /* the larger array serves as well */
        return -ENOMEM;
    }
    /* Written through now, so that queueing never takes a page fault later: a ring that wraps
     * reaches slots its growth did not copy into, and fresh pages cost microseconds each on
     * first write (20,000 coroutines: a ring of 64 pages, as many of completions). */
    memset(rq, 0, grown_cap * sizeof *rq);
    memset(io + cap, 0, (grown_cap - cap) * sizeof *io);
    /* The queue, unwrapped to the start of the new ring. */
    for (size_t i = 0; i < s->rq_len; i++)
        rq[i] = s->rq[(s->rq_head + i) & s->rq_mask];
    free(s->rq);
    s->rq = rq;
    s->io = io;
    s->rq_head = 0;
    s->rq_mask = grown_cap - 1;
    return 0;
}

int ptc_sched_reserve(struct ptc_sched *s, size_t n) {
    int rc = ensure_room(s, n);
    if (rc < 0)
        return rc;
    return s->shared != NULL ? ptc_shared_reserve(s->shared, n)
                             : ptc_stack_pool_reserve(s->stacks, n);
}

/* Shared stacks (coro/shared.h): copying frames needs the fcontext handle (the saved stack
 * pointer), and AddressSanitizer's shadow of the stack would still describe the frames copied
 * off it. */
static int shared_stack_init(struct ptc_sched *s, const struct ptc_sched_opts *o) {
#if defined(__SANITIZE_ADDRESS__)
    (void)o;
    return -EINVAL;
#else
    if (strcmp(s->sw->name, "fcontext") != 0)
        return -EINVAL;
    size_t bytes = o->stack.stack_bytes ? o->stack.stack_bytes : PTC_STACK_DEFAULT_BYTES;
    int rc = ptc_shared_init(&s->shared_stack, bytes);
    if (rc == 0)
        s->shared = &s->shared_stack;
    return rc;
#endif
}

/* The timers' wake callback: a sleeping coroutine's timer carries the coroutine. */
static void timer_wake(void *sched, void *coro) {
    ptc_coro_wake(sched, coro);
}

static void io_timer_fire(void *sched, void *coro);

int ptc_sched_init(struct ptc_sched *s, const struct ptc_sched_opts *o) {
    memset(s, 0, sizeof *s);
    ptc_timers_init(&s->timers, timer_wake, s);
    ptc_timers_init(&s->io_timers, io_timer_fire, s);
    s->sw = o->ctx != NULL ? o->ctx : ptc_ctx_default();
    int rc = 0;
    s->stacks = o->pool;
    if (s->stacks == NULL) {
        rc = ptc_stack_pool_init(&s->own_stacks, &o->stack);
        if (rc < 0)
            return rc;
        s->stacks = &s->own_stacks;
    }
    if (s->sw->reserve_bytes > 0) {
        s->main_uc = calloc(1, ptc_ctx_ucontext_bytes);
        if (s->main_uc == NULL) {
            if (s->stacks == &s->own_stacks)
                ptc_stack_pool_fini(&s->own_stacks);
            return -ENOMEM;
        }
    }
    s->sw->make_main(&s->main, s->main_uc);
    if (o->stack.shared)
        rc = shared_stack_init(s, o);
    if (rc == 0)
        rc = ptc_poller_open(o->poller, &s->poller_ops, &s->poller);
    if (rc < 0) {
        if (s->shared != NULL)
            ptc_shared_fini(s->shared);
        free(s->main_uc);
        if (s->stacks == &s->own_stacks)
            ptc_stack_pool_fini(&s->own_stacks);
        return rc;
    }
    return 0;
}

void ptc_sched_fini(struct ptc_sched *s) {
    if (s->poller != NULL)
        s->poller_ops->close(s->poller);
    if (s->stacks == &s->own_stacks)
        ptc_stack_pool_fini(&s->own_stacks);
    if (s->shared != NULL)
        ptc_shared_fini(s->shared);
    free(s->rq);
    free(s->io);
    ptc_timers_fini(&s->timers);
    ptc_timers_fini(&s->io_timers);
    free(s->main_uc);
    memset(s, 0, sizeof *s);
}

/* A finished coroutine cannot free the stack it stands on: the next context to run after it
 * (another coroutine or the loop) does, right after its switch returns. */
void ptc_coro_reap_zombie(struct ptc_sched *s) {
    struct ptc_coro *z = s->zombie;
    if (z != NULL) {
        s->zombie = NULL;
        if (s->shared != NULL)
            ptc_shared_release(s->shared, z);
        else
            ptc_stack_put(s->stacks, z->stack_lo);
    }
}

static inline void reap_zombie(struct ptc_sched *s) {
    if (s->zombie != NULL)
        ptc_coro_reap_zombie(s);
}

/* The running coroutine gives up the CPU (it has queued itself, or waits on something): switch
 * straight to the next runnable coroutine, or to the loop when there is none or the budget is
 * spent. Returns when something resumes it. */
static void leave(struct ptc_sched *s, struct ptc_coro *self) {
    struct ptc_coro *next = NULL;
    if (--s->budget > 0)
        next = ptc_rq_pop(s);
    if (next == self)
        return;
    if (next != NULL) {
        s->current = next;
        ptc_ctx_jump(s->sw, &self->ctx, &next->ctx);
    } else {
        s->current = NULL;
        ptc_ctx_jump(s->sw, &self->ctx, &s->main);
    }
    reap_zombie(s);
}

/* Every coroutine starts here and ends by switching away for the last time. */
static void coro_main(void *arg) {
    struct ptc_coro *c = arg;
    struct ptc_sched *s = c->sched;
    reap_zombie(s);
    c->fn(c->arg);
    s->live--;
    if (c->owner != NULL)
        c->owner->done(c->owner, s, c);
    s->zombie = c;
    PTC_CTX_LAST_JUMP(&c->ctx);
    leave(s, c);
    __builtin_unreachable();
}

static int spawn(struct ptc_sched *s, ptc_coro_fn fn, void *arg, struct ptc_coro_owner *owner,
                 int front) {
    int rc = ensure_room(s, s->live + 1);
    if (rc < 0)
        return rc;
    void *lo = NULL;
    struct ptc_coro *c;
    if (s->shared != NULL) {
        /* A record of its own; its context is made on the shared stack when it first runs */
        if ((c = ptc_shared_record(s->shared)) == NULL)
            return -ENOMEM;
        c->fresh = 1;
    } else {
        rc = ptc_stack_get(s->stacks, &lo);
        if (rc < 0)
            return rc;
        /* The struct sits at the top of the stack, in the cache lines the first switch to it
         * uses anyway. */
        uintptr_t top = (uintptr_t)lo + s->stacks->o.stack_bytes;
        c = (struct ptc_coro *)((top - sizeof(struct ptc_coro)) & ~(uintptr_t)63);
        c->saved = NULL;
        c->fresh = 0;
    }
    c->sched = s;
    c->fn = fn;
    c->arg = arg;
    c->stack_lo = lo;
    c->owner = owner;
    c->io_limit_ns = 0;
    c->io_timed_out = 0;
    c->io_op = NULL;
    if (lo != NULL)
        s->sw->make(&c->ctx, lo, (size_t)((uintptr_t)c - (uintptr_t)lo), coro_main, c);
    s->live++;
    if (owner != NULL)
        owner->added(owner, c);
    if (front)
        ptc_rq_push_front(s, c);
    else
        ptc_rq_push(s, c);
    return 0;
}

int ptc_coro_spawn(struct ptc_sched *s, ptc_coro_fn fn, void *arg, struct ptc_coro_owner *owner) {
    return spawn(s, fn, arg, owner, 0);
}

int ptc_coro_spawn_next(struct ptc_sched *s, ptc_coro_fn fn, void *arg,
                        struct ptc_coro_owner *owner) {
    return spawn(s, fn, arg, owner, 1);
}

void ptc_coro_yield_slow(struct ptc_sched *s) {
    struct ptc_coro *c = s->current;
    ptc_rq_push(s, c);
    leave(s, c);
}

void ptc_coro_sleep_ns(struct ptc_sched *s, ptc_ns duration_ns) {
    struct ptc_coro *c = s->current;
    ptc_ns now = ptc_now_ns();
    /* Saturate: a deadline that wrapped around would lie in the past and fire at once. */
    c->deadline_ns =
        duration_ns > PTC_DEADLINE_NONE - 1 - now ? PTC_DEADLINE_NONE - 1 : now + duration_ns;
    if (ptc_timers_push(&s->timers, c->deadline_ns, c) < 0) {
        /* No memory for the timer: keep the promise "at least duration_ns" by blocking. */
        ptc_sleep_ns(duration_ns);
        return;
    }
    leave(s, c);
}

void ptc_coro_suspend(struct ptc_sched *s) {
    struct ptc_coro *c = s->current;
    leave(s, c);
}

void ptc_coro_wake(struct ptc_sched *s, struct ptc_coro *c) {
    ptc_rq_push(s, c);
}

void ptc_coro_wake_next(struct ptc_sched *s, struct ptc_coro *c) {
    ptc_rq_push_front(s, c);
}

static void io_done(void *udata, int result) {
    struct ptc_coro *c = udata;
    struct ptc_sched *s = c->sched;
    if (c->io_op != NULL) { /* done within its limit */
        ptc_timers_cancel(&s->io_timers, c->io_timer);
        c->io_op = NULL;
    }
    /* Withdrawn for its limit, unless it completed before the withdrawal reached it. */
    if (c->io_timed_out) {
        if (result == -ECANCELED || result == -EINTR)
            result = -ETIMEDOUT;
        c->io_timed_out = 0;
    }
    c->io_result = result;
    s->pending_io--;
    s->io[s->io_n++] = c;
}

/* Waits for I/O until deadline (0: only what is ready) and puts the first coroutines whose I/O
 * completed at the front of the run queue, in the order it completed: work in flight finishes
 * before work not yet started or that yielded. A request goes out as soon as its connection is
 * up instead of after every other coroutine has started (Go's runnext and Tokio's LIFO slot make
 * the same choice for woken tasks). At most half a budget goes to the front per poll, the rest
 * to the back: of every PTC_SCHED_BUDGET switches between polls, at least half reach the queue
 * as it was, so a steady stream of completions cannot starve it. */
static int poll_io(struct ptc_sched *s, ptc_ns deadline) {
    int rc = s->poller_ops->wait(s->poller, deadline, io_done);
    size_t front = s->io_n < PTC_SCHED_BUDGET / 2 ? s->io_n : PTC_SCHED_BUDGET / 2;
    /* io[0, front) to the front, last first so that io[0] ends up at the head; the rest to the
     * back. */
    for (size_t i = front; i > 0; i--)
        ptc_rq_push_front(s, s->io[i - 1]);
    for (size_t i = front; i < s->io_n; i++)
        ptc_rq_push(s, s->io[i]);
    s->io_n = 0;
    return rc;
}

/* A wait's limit has passed (io_timers' wake callback). A poller that withdraws the operation
 * at once (epoll) leaves the wait to end here; otherwise (io_uring) its completion ends it
 * through io_done. A withdrawal that cannot be asked for now is tried again a millisecond later:
 * the operation still owns its buffers until it is withdrawn. */
static void io_timer_fire(void *sched, void *coro) {
    struct ptc_sched *s = sched;
    struct ptc_coro *c = coro;
    const struct ptc_io_op *op = c->io_op;
    c->io_op = NULL;
    int rc = s->poller_ops->cancel(s->poller, op, c);
    if (rc < 0) {
        if (ptc_timers_arm(&s->io_timers, ptc_now_ns() + PTC_NS_PER_MS, c, &c->io_timer) == 0)
            c->io_op = op;
        return;
    }
    if (rc == 1) {
        c->io_result = -ETIMEDOUT;
        s->pending_io--;
        ptc_coro_wake(s, c);
    } else {
        c->io_timed_out = 1; /* for io_done, when the withdrawn operation completes */
    }
}

void ptc_coro_limit_io(struct ptc_sched *s, int fd, ptc_ns timeout_ns) {
    struct ptc_coro *c = s->current;
    c->io_limit_fd = fd;
    c->io_limit_ns = timeout_ns;
}

int64_t ptc_coro_io(struct ptc_sched *s, const struct ptc_io_op *op) {
    struct ptc_coro *c = s->current;
    if (s->shared != NULL)
        return -EOPNOTSUPP;
    int rc = s->poller_ops->submit(s->poller, op, c);
    if (rc < 0)
        return rc;
    s->pending_io++;
    if (c->io_limit_ns != 0 && op->fd == c->io_limit_fd) {
        ptc_ns now = ptc_now_ns();
        ptc_ns deadline = c->io_limit_ns > PTC_DEADLINE_NONE - 1 - now ? PTC_DEADLINE_NONE - 1
                                                                       : now + c->io_limit_ns;
        /* No memory for the timer: the wait goes on without its limit. */
        if (ptc_timers_arm(&s->io_timers, deadline, c, &c->io_timer) == 0)
            c->io_op = op;
    }
    leave(s, c);
    /* io_uring's kernel side filled the buffer where Valgrind cannot see it: without this,
     * memcheck took every byte read for uninitialised (the net workload's checksum). */
    if (op->kind == PTC_IO_READ && c->io_result > 0)
        PTC_VG_DEFINED(op->buf, (size_t)c->io_result);
    return c->io_result;
}

/* When the loop wakes for the waits' limits: the earliest limit's deadline, kept while it lies
 * ahead and no limit is earlier. Limits of one length are armed in deadline order, so the
 * earliest one moves later with nearly every completion; following it would re-arm the poller's
 * clock (a timerfd_settime under epoll) about once per request. Kept, it wakes the loop early
 * at most once per limit length, and never late. */
static ptc_ns io_wake(struct ptc_sched *s, ptc_ns now) {
    ptc_ns next = ptc_timers_next(&s->io_timers);
    if (s->io_wake_ns <= now || s->io_wake_ns > next)
        s->io_wake_ns = next;
    return s->io_wake_ns;
}

/* Fires the sleeps' and the waits' timers that are due. */
static void expire_timers(struct ptc_sched *s) {
    if (ptc_timers_pending(&s->timers) == 0 && ptc_timers_pending(&s->io_timers) == 0)
        return;
    ptc_ns now = ptc_now_ns();
    ptc_timers_expire(&s->timers, now);
    ptc_timers_expire(&s->io_timers, now);
}

/* Before the loop switches to c: on a shared stack, c's frames go on it (and whose were there go
 * off), and a budget of 1 makes every switch of c come back to the loop, where copying is safe. */
static void dispatch(struct ptc_sched *s, struct ptc_coro *c) {
    if (s->shared == NULL) {
        s->budget = PTC_SCHED_BUDGET;
        return;
    }
    if (ptc_shared_enter(s->shared, c))
        s->sw->make(&c->ctx, s->shared->lo, s->shared->bytes, coro_main, c);
    s->budget = 1;
}

static int run_loop(struct ptc_sched *s) {
    for (;;) {
        struct ptc_coro *c = ptc_rq_pop(s);
        if (c != NULL) {
            dispatch(s, c);
            s->current = c;
            ptc_ctx_jump(s->sw, &s->main, &c->ctx);
            s->current = NULL;
            reap_zombie(s);
            /* Back because the run queue ran dry or the budget is spent: timers and I/O are due a
             * look either way; the cost is shared by PTC_SCHED_BUDGET switches at least. */
            if (s->pending_io > 0) {
                int rc = poll_io(s, 0);
                if (rc < 0)
                    return rc;
            }
            expire_timers(s);
            continue;
        }
        /* A limited wait is pending I/O: the loop cannot end while one is armed. */
        if (ptc_timers_pending(&s->timers) == 0 && s->pending_io == 0)
            return 0;
        ptc_ns now = ptc_now_ns();
        ptc_ns deadline = ptc_timers_next(&s->timers);
        if (s->pending_io > 0) {
            ptc_ns wake = io_wake(s, now);
            if (wake < deadline)
                deadline = wake;
        }
        if (deadline > now || s->pending_io > 0) {
            int rc = poll_io(s, deadline);
            if (rc < 0)
                return rc;
        }
        expire_timers(s);
    }
}

int ptc_sched_run(struct ptc_sched *s) {
    /* The main context is the thread that runs the loop, which need not be the one that made the
     * scheduler (the M:N models make theirs before their threads start): TSan's fiber of it is
     * that thread's. */
    s->sw->make_main(&s->main, s->main_uc);
    /* A fault in the shared stack's guard page is reported on a stack of the thread's own */
    if (s->shared != NULL)
        ptc_overflow_thread();
    return run_loop(s);
}
