#include "coro/sched.h"

#include "coro/group.h"
#include "coro/timers.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void rq_push(struct ptc_sched *s, struct ptc_coro *c) {
    c->next = NULL;
    if (s->rq_tail != NULL)
        s->rq_tail->next = c;
    else
        s->rq_head = c;
    s->rq_tail = c;
}

static struct ptc_coro *rq_pop(struct ptc_sched *s) {
    struct ptc_coro *c = s->rq_head;
    if (c != NULL) {
        s->rq_head = c->next;
        if (s->rq_head == NULL)
            s->rq_tail = NULL;
    }
    return c;
}

int ptc_sched_init(struct ptc_sched *s, const struct ptc_sched_opts *o) {
    memset(s, 0, sizeof *s);
    s->sw = o->ctx != NULL ? o->ctx : ptc_ctx_default();
    int rc = ptc_stack_pool_init(&s->stacks, &o->stack);
    if (rc < 0)
        return rc;
    if (s->sw->reserve_bytes > 0) {
        s->main_uc = calloc(1, ptc_ctx_ucontext_bytes);
        if (s->main_uc == NULL)
            return -ENOMEM;
    }
    s->sw->make_main(&s->main, s->main_uc);
    rc = ptc_poller_open(o->poller, &s->poller_ops, &s->poller);
    if (rc < 0) {
        free(s->main_uc);
        ptc_stack_pool_fini(&s->stacks);
        return rc;
    }
    return 0;
}

void ptc_sched_fini(struct ptc_sched *s) {
    if (s->poller != NULL)
        s->poller_ops->close(s->poller);
    ptc_stack_pool_fini(&s->stacks);
    free(s->heap);
    free(s->main_uc);
    memset(s, 0, sizeof *s);
}

/* Every coroutine starts here. It ends by switching to the scheduler for the last time: the
 * scheduler, not the coroutine, frees the stack the coroutine is still standing on. */
static void coro_main(void *arg) {
    struct ptc_coro *c = arg;
    c->fn(c->arg);
    c->state = PTC_CORO_DONE;
    c->sched->switches++;
    c->sched->sw->jump(&c->ctx, &c->sched->main);
    __builtin_unreachable();
}

int ptc_coro_spawn(struct ptc_sched *s, ptc_coro_fn fn, void *arg, struct ptc_coro_group *g) {
    void *lo;
    int rc = ptc_stack_get(&s->stacks, &lo);
    if (rc < 0)
        return rc;
    uintptr_t top = (uintptr_t)lo + s->stacks.o.stack_bytes;
    struct ptc_coro *c = (struct ptc_coro *)((top - sizeof(struct ptc_coro)) & ~(uintptr_t)63);
    c->sched = s;
    c->fn = fn;
    c->arg = arg;
    c->stack_lo = lo;
    c->group = g;
    c->state = PTC_CORO_READY;
    s->sw->make(&c->ctx, lo, (size_t)((uintptr_t)c - (uintptr_t)lo), coro_main, c);
    s->live++;
    rq_push(s, c);
    return 0;
}

/* From a coroutine back to the scheduler loop. */
static void to_scheduler(struct ptc_sched *s, struct ptc_coro *c) {
    s->switches++;
    s->sw->jump(&c->ctx, &s->main);
}

void ptc_coro_yield(struct ptc_sched *s) {
    struct ptc_coro *c = s->current;
    c->state = PTC_CORO_READY;
    rq_push(s, c);
    to_scheduler(s, c);
}

void ptc_coro_sleep_ns(struct ptc_sched *s, ptc_ns duration_ns) {
    struct ptc_coro *c = s->current;
    c->deadline_ns = ptc_now_ns() + duration_ns;
    c->state = PTC_CORO_WAITING;
    if (ptc_timers_push(s, c) < 0) {
        /* No memory for the timer: keep the promise "at least duration_ns" by blocking. */
        c->state = PTC_CORO_RUNNING;
        ptc_sleep_ns(duration_ns);
        return;
    }
    to_scheduler(s, c);
}

void ptc_coro_suspend(struct ptc_sched *s) {
    struct ptc_coro *c = s->current;
    c->state = PTC_CORO_WAITING;
    to_scheduler(s, c);
}

void ptc_coro_wake(struct ptc_sched *s, struct ptc_coro *c) {
    c->state = PTC_CORO_READY;
    rq_push(s, c);
}

static void finish(struct ptc_sched *s, struct ptc_coro *c) {
    s->live--;
    if (c->group != NULL)
        ptc_group_member_done(s, c);
    ptc_stack_put(&s->stacks, c->stack_lo);
}

static void io_done(void *udata, int result) {
    /* I/O completions arrive with the issue that adds file and network operations. */
}

int ptc_sched_run(struct ptc_sched *s) {
    for (;;) {
        struct ptc_coro *c;
        while ((c = rq_pop(s)) != NULL) {
            s->current = c;
            c->state = PTC_CORO_RUNNING;
            s->switches++;
            s->sw->jump(&s->main, &c->ctx);
            s->current = NULL;
            if (c->state == PTC_CORO_DONE)
                finish(s, c);
        }
        if (s->heap_n == 0 && s->pending_io == 0)
            return 0;
        ptc_ns deadline = ptc_timers_next(s);
        if (deadline > ptc_now_ns()) {
            int rc = s->poller_ops->wait(s->poller, deadline, io_done);
            if (rc < 0)
                return rc;
        }
        ptc_timers_expire(s, ptc_now_ns());
    }
}
