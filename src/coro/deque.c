#include "coro/deque.h"

#include <errno.h>
#include <stdlib.h>

int ptc_deque_init(struct ptc_deque *d, size_t capacity) {
    size_t n = 1;
    while (n < capacity)
        n <<= 1;
    atomic_init(&d->top, 0);
    atomic_init(&d->bottom, 0);
    d->mask = n - 1;
    d->slot = calloc(n, sizeof *d->slot);
    return d->slot == NULL ? -ENOMEM : 0;
}

void ptc_deque_fini(struct ptc_deque *d) {
    free((void *)d->slot);
    d->slot = NULL;
}

void ptc_deque_push(struct ptc_deque *d, uint32_t item) {
    int64_t b = atomic_load_explicit(&d->bottom, memory_order_relaxed);
    atomic_store_explicit(&d->slot[(uint64_t)b & d->mask], item, memory_order_relaxed);
    /* the item is in place before a thief can see the new bottom */
    atomic_thread_fence(memory_order_release);
    atomic_store_explicit(&d->bottom, b + 1, memory_order_relaxed);
}

int ptc_deque_pop(struct ptc_deque *d, uint32_t *item) {
    int64_t b = atomic_load_explicit(&d->bottom, memory_order_relaxed) - 1;
    atomic_store_explicit(&d->bottom, b, memory_order_relaxed);
    /* the claim on slot b is visible before top is read: a thief and the owner cannot both miss
     * each other's move on the last item */
    atomic_thread_fence(memory_order_seq_cst);
    int64_t t = atomic_load_explicit(&d->top, memory_order_relaxed);
    if (t > b) { /* empty */
        atomic_store_explicit(&d->bottom, b + 1, memory_order_relaxed);
        return 0;
    }
    *item = atomic_load_explicit(&d->slot[(uint64_t)b & d->mask], memory_order_relaxed);
    if (t < b)
        return 1; /* more than one left: no thief can reach this one */
    /* the last item: the owner races the thieves for it on top */
    int won = atomic_compare_exchange_strong_explicit(&d->top, &t, t + 1, memory_order_seq_cst,
                                                      memory_order_relaxed);
    atomic_store_explicit(&d->bottom, b + 1, memory_order_relaxed);
    return won;
}

enum ptc_steal ptc_deque_steal(struct ptc_deque *d, uint32_t *item) {
    int64_t t = atomic_load_explicit(&d->top, memory_order_acquire);
    atomic_thread_fence(memory_order_seq_cst);
    int64_t b = atomic_load_explicit(&d->bottom, memory_order_acquire);
    if (t >= b)
        return PTC_STEAL_EMPTY;
    uint32_t x = atomic_load_explicit(&d->slot[(uint64_t)t & d->mask], memory_order_relaxed);
    if (!atomic_compare_exchange_strong_explicit(&d->top, &t, t + 1, memory_order_seq_cst,
                                                 memory_order_relaxed))
        return PTC_STEAL_LOST;
    *item = x;
    return PTC_STEAL_OK;
}
