#include "coro/timers.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* What a cancelled FIFO timer carries instead of its data. */
static char cancelled_mark;
#define PTC_TIMER_CANCELLED ((void *)&cancelled_mark)

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

int ptc_timers_arm(struct ptc_timers *q, ptc_ns deadline_ns, void *data, uint64_t *id) {
    struct ptc_timer t = {.deadline_ns = deadline_ns, .seq = q->seq++, .data = data};
    *id = t.seq;
    if (q->fifo_head == q->fifo_tail || t.deadline_ns >= q->fifo[q->fifo_tail - 1].deadline_ns)
        return fifo_push(q, t);
    return heap_push(q, t);
}

int ptc_timers_push(struct ptc_timers *q, ptc_ns deadline_ns, void *data) {
    uint64_t id;
    return ptc_timers_arm(q, deadline_ns, data, &id);
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

/* Removes the FIFO's head and the tombstones behind it, so that the head is a live timer or the
 * FIFO is empty. */
static void fifo_pop(struct ptc_timers *q) {
    q->fifo_head++;
    while (q->fifo_head < q->fifo_tail && q->fifo[q->fifo_head].data == PTC_TIMER_CANCELLED) {
        q->fifo_head++;
        q->fifo_cancelled--;
    }
    if (q->fifo_head == q->fifo_tail)
        q->fifo_head = q->fifo_tail = 0;
}

/* Removes heap entry i: the last entry takes its place and moves up or down to where it
 * belongs. */
static void heap_remove(struct ptc_timers *q, size_t i) {
    struct ptc_timer last = q->heap[--q->heap_n];
    size_t n = q->heap_n;
    if (i == n)
        return;
    while (i > 0 && earlier(&last, &q->heap[(i - 1) / 2])) {
        q->heap[i] = q->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
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
    q->heap[i] = last;
}

static void *heap_pop(struct ptc_timers *q) {
    void *top = q->heap[0].data;
    heap_remove(q, 0);
    return top;
}

int ptc_timers_cancel(struct ptc_timers *q, uint64_t id) {
    /* The FIFO holds its timers in arming order: a binary search by seq. */
    size_t lo = q->fifo_head, hi = q->fifo_tail;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (q->fifo[mid].seq < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < q->fifo_tail && q->fifo[lo].seq == id) {
        if (q->fifo[lo].data == PTC_TIMER_CANCELLED)
            return -ENOENT;
        if (lo == q->fifo_head) {
            fifo_pop(q);
        } else if (lo + 1 == q->fifo_tail) {
            q->fifo_tail--; /* the tail, never the head here: a live timer stays before it */
        } else {
            q->fifo[lo].data = PTC_TIMER_CANCELLED;
            q->fifo_cancelled++;
        }
        return 0;
    }
    for (size_t i = 0; i < q->heap_n; i++) {
        if (q->heap[i].seq == id) {
            heap_remove(q, i);
            return 0;
        }
    }
    return -ENOENT;
}

void ptc_timers_expire(struct ptc_timers *q, ptc_ns now) {
    const struct ptc_timer *t;
    while ((t = first(q)) != NULL && t->deadline_ns <= now) {
        if (t == &q->heap[0] && q->heap_n > 0) {
            q->wake(q->ctx, heap_pop(q));
        } else {
            void *data = t->data;
            fifo_pop(q);
            q->wake(q->ctx, data);
        }
    }
}
