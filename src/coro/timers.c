#include "coro/timers.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The keys live in the arrays themselves: comparing two entries then touches only the array,
 * not two coroutines on two different stack pages (a cache and a TLB miss each), which made
 * waking 100,000 sleepers cost microseconds apiece. */
static int earlier(const struct ptc_timer *a, const struct ptc_timer *b) {
    return a->deadline_ns < b->deadline_ns || (a->deadline_ns == b->deadline_ns && a->seq < b->seq);
}

/* Doubles the array *a of *cap timers (from 1024). Returns 0 or -ENOMEM. */
static int grow(struct ptc_timer **a, size_t *cap) {
    size_t n = *cap ? 2 * *cap : 1024;
    struct ptc_timer *grown = realloc(*a, n * sizeof *grown);
    if (grown == NULL)
        return -ENOMEM;
    *a = grown;
    *cap = n;
    return 0;
}

static int fifo_push(struct ptc_sched *s, struct ptc_timer t) {
    if (s->fifo_tail == s->fifo_cap) {
        if (s->fifo_head > 0) { /* slide the live part down before growing */
            memmove(s->fifo, s->fifo + s->fifo_head,
                    (s->fifo_tail - s->fifo_head) * sizeof *s->fifo);
            s->fifo_tail -= s->fifo_head;
            s->fifo_head = 0;
        }
        if (s->fifo_tail == s->fifo_cap && grow(&s->fifo, &s->fifo_cap) < 0)
            return -ENOMEM;
    }
    s->fifo[s->fifo_tail++] = t;
    return 0;
}

static int heap_push(struct ptc_sched *s, struct ptc_timer t);

int ptc_timers_push(struct ptc_sched *s, struct ptc_coro *c) {
    struct ptc_timer t = {.deadline_ns = c->deadline_ns, .seq = s->timer_seq++, .coro = c};
    if (s->fifo_head == s->fifo_tail || t.deadline_ns >= s->fifo[s->fifo_tail - 1].deadline_ns)
        return fifo_push(s, t);
    return heap_push(s, t);
}

static int heap_push(struct ptc_sched *s, struct ptc_timer t) {
    if (s->heap_n == s->heap_cap && grow(&s->heap, &s->heap_cap) < 0)
        return -ENOMEM;
    size_t i = s->heap_n++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!earlier(&t, &s->heap[parent]))
            break;
        s->heap[i] = s->heap[parent];
        i = parent;
    }
    s->heap[i] = t;
    return 0;
}

/* The earlier of the two heads, or NULL when no timer is armed. */
static const struct ptc_timer *first(const struct ptc_sched *s) {
    const struct ptc_timer *f = s->fifo_head < s->fifo_tail ? &s->fifo[s->fifo_head] : NULL;
    const struct ptc_timer *h = s->heap_n > 0 ? &s->heap[0] : NULL;
    if (f == NULL)
        return h;
    return h != NULL && earlier(h, f) ? h : f;
}

ptc_ns ptc_timers_next(const struct ptc_sched *s) {
    const struct ptc_timer *t = first(s);
    return t != NULL ? t->deadline_ns : PTC_DEADLINE_NONE;
}

size_t ptc_timers_pending(const struct ptc_sched *s) {
    return s->heap_n + (s->fifo_tail - s->fifo_head);
}

static struct ptc_coro *heap_pop(struct ptc_sched *s) {
    struct ptc_coro *top = s->heap[0].coro;
    struct ptc_timer last = s->heap[--s->heap_n];
    size_t i = 0, n = s->heap_n;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && earlier(&s->heap[child + 1], &s->heap[child]))
            child++;
        if (!earlier(&s->heap[child], &last))
            break;
        s->heap[i] = s->heap[child];
        i = child;
    }
    if (n > 0)
        s->heap[i] = last;
    return top;
}

void ptc_timers_expire(struct ptc_sched *s, ptc_ns now) {
    const struct ptc_timer *t;
    while ((t = first(s)) != NULL && t->deadline_ns <= now) {
        if (t == &s->heap[0] && s->heap_n > 0) {
            ptc_coro_wake(s, heap_pop(s));
        } else {
            ptc_coro_wake(s, t->coro);
            if (++s->fifo_head == s->fifo_tail)
                s->fifo_head = s->fifo_tail = 0;
        }
    }
}
