#include "coro/timers.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

static int fifo_push(struct ptc_timers *q, struct ptc_timer t) {
    if (q->fifo_tail == q->fifo_cap) {
        if (q->fifo_head > 0) { /* slide the live part down before growing */
            memmove(q->fifo, q->fifo + q->fifo_head,
                    (q->fifo_tail - q->fifo_head) * sizeof *q->fifo);
            q->fifo_tail -= q->fifo_head;
            q->fifo_head = 0;
        }
        if (q->fifo_tail == q->fifo_cap && grow(&q->fifo, &q->fifo_cap) < 0)
            return -ENOMEM;
    }
    q->fifo[q->fifo_tail++] = t;
    return 0;
}

static int heap_push(struct ptc_timers *q, struct ptc_timer t);

void ptc_timers_init(struct ptc_timers *q, ptc_timer_wake_fn wake, void *ctx) {
    *q = (struct ptc_timers){.wake = wake, .ctx = ctx};
}

void ptc_timers_fini(struct ptc_timers *q) {
    free(q->heap);
    free(q->fifo);
    *q = (struct ptc_timers){0};
}

int ptc_timers_push(struct ptc_timers *q, ptc_ns deadline_ns, void *data) {
    struct ptc_timer t = {.deadline_ns = deadline_ns, .seq = q->seq++, .data = data};
    if (q->fifo_head == q->fifo_tail || t.deadline_ns >= q->fifo[q->fifo_tail - 1].deadline_ns)
        return fifo_push(q, t);
    return heap_push(q, t);
}

static int heap_push(struct ptc_timers *q, struct ptc_timer t) {
    if (q->heap_n == q->heap_cap && grow(&q->heap, &q->heap_cap) < 0)
        return -ENOMEM;
    size_t i = q->heap_n++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!earlier(&t, &q->heap[parent]))
            break;
        q->heap[i] = q->heap[parent];
        i = parent;
    }
    q->heap[i] = t;
    return 0;
}

/* The earlier of the two heads, or NULL when no timer is armed. */
static const struct ptc_timer *first(const struct ptc_timers *q) {
    const struct ptc_timer *f = q->fifo_head < q->fifo_tail ? &q->fifo[q->fifo_head] : NULL;
    const struct ptc_timer *h = q->heap_n > 0 ? &q->heap[0] : NULL;
    if (f == NULL)
        return h;
    return h != NULL && earlier(h, f) ? h : f;
}

ptc_ns ptc_timers_next(const struct ptc_timers *q) {
    const struct ptc_timer *t = first(q);
    return t != NULL ? t->deadline_ns : PTC_DEADLINE_NONE;
}

static void *heap_pop(struct ptc_timers *q) {
    void *top = q->heap[0].data;
    struct ptc_timer last = q->heap[--q->heap_n];
    size_t i = 0, n = q->heap_n;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && earlier(&q->heap[child + 1], &q->heap[child]))
            child++;
        if (!earlier(&q->heap[child], &last))
            break;
        q->heap[i] = q->heap[child];
        i = child;
    }
    if (n > 0)
        q->heap[i] = last;
    return top;
}

void ptc_timers_expire(struct ptc_timers *q, ptc_ns now) {
    const struct ptc_timer *t;
    while ((t = first(q)) != NULL && t->deadline_ns <= now) {
        if (t == &q->heap[0] && q->heap_n > 0) {
            q->wake(q->ctx, heap_pop(q));
        } else {
            void *data = t->data;
            if (++q->fifo_head == q->fifo_tail)
                q->fifo_head = q->fifo_tail = 0;
            q->wake(q->ctx, data);
        }
    }
}
