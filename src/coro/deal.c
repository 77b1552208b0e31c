#include "coro/deal.h"

#include <errno.h>
#include <stdlib.h>

uint32_t ptc_deal_block(const struct ptc_deal *d, uint32_t i, uint32_t *first) {
    *first = (uint32_t)((uint64_t)d->tasks * i / d->threads);
    return (uint32_t)((uint64_t)d->tasks * (i + 1) / d->threads) - *first;
}

int ptc_deal_init(struct ptc_deal *d, uint32_t threads, uint32_t tasks) {
    d->threads = threads ? threads : 1;
    d->tasks = tasks;
    atomic_init(&d->steals, 0);
    d->q = calloc(d->threads, sizeof *d->q);
    if (d->q == NULL)
        return -ENOMEM;
    for (uint32_t i = 0; i < d->threads; i++) {
        uint32_t first, count = ptc_deal_block(d, i, &first);
        if (ptc_deque_init(&d->q[i], count ? count : 1) < 0) {
            d->threads = i + 1; /* fini frees what was made */
            ptc_deal_fini(d);
            return -ENOMEM;
        }
    }
    return 0;
}

void ptc_deal_fini(struct ptc_deal *d) {
    for (uint32_t i = 0; d->q != NULL && i < d->threads; i++)
        ptc_deque_fini(&d->q[i]);
    free(d->q);
    d->q = NULL;
}

void ptc_deal_reset(struct ptc_deal *d) {
    atomic_store_explicit(&d->steals, 0, memory_order_relaxed);
    for (uint32_t i = 0; i < d->threads; i++) {
        struct ptc_deque *q = &d->q[i];
        atomic_store_explicit(&q->top, 0, memory_order_relaxed);
        atomic_store_explicit(&q->bottom, 0, memory_order_relaxed);
        uint32_t first, count = ptc_deal_block(d, i, &first);
        for (uint32_t k = count; k-- > 0;) /* the lowest number at the owner's end */
            ptc_deque_push(q, first + k);
    }
}

int ptc_deal_take(struct ptc_deal *d, uint32_t i, uint32_t *task) {
    if (ptc_deque_pop(&d->q[i], task))
        return 1;
    for (;;) {
        int lost = 0;
        for (uint32_t k = 1; k < d->threads; k++) {
            enum ptc_steal got = ptc_deque_steal(&d->q[(i + k) % d->threads], task);
            if (got == PTC_STEAL_OK) {
                atomic_fetch_add_explicit(&d->steals, 1, memory_order_relaxed);
                return 1;
            }
            lost |= got == PTC_STEAL_LOST;
        }
        if (!lost)
            return 0;
    }
}
