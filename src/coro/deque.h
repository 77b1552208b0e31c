/* A work-stealing deque of task numbers (Chase and Lev, "Dynamic circular work-stealing deque",
 * SPAA 2005, with the C11 orderings of Lê, Pop, Cohen and Zappa Nardelli, PPoPP 2013): its owner
 * pushes and pops at the bottom without a lock, any other thread steals from the top with one
 * compare-and-swap. Here the capacity is fixed when it is made (the M:N models fill a deque with
 * their share of the tasks before any thread starts, and nothing is pushed afterwards), so the
 * array never grows and never has to be reclaimed. Slots are atomics, so a thief reading a slot
 * the owner is writing is an atomic race, not undefined behaviour (and ThreadSanitizer agrees). */
#ifndef PTC_CORO_DEQUE_H
#define PTC_CORO_DEQUE_H

#include "core/lines.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct ptc_deque {
    _Alignas(PTC_CACHE_LINE_BYTES) _Atomic int64_t top;    /* thieves take here */
    _Alignas(PTC_CACHE_LINE_BYTES) _Atomic int64_t bottom; /* the owner pushes and pops here */
    _Alignas(PTC_CACHE_LINE_BYTES) _Atomic uint32_t *slot; /* [mask + 1] */
    uint64_t mask;
};

/* What ptc_deque_steal found. */
enum ptc_steal { PTC_STEAL_EMPTY, PTC_STEAL_OK, PTC_STEAL_LOST /* a race: try again */ };

/* Room for at least `capacity` items. Returns 0 or -ENOMEM. */
int ptc_deque_init(struct ptc_deque *d, size_t capacity);
void ptc_deque_fini(struct ptc_deque *d);

/* Owner only. The caller keeps the count within the capacity. */
void ptc_deque_push(struct ptc_deque *d, uint32_t item);

/* Owner only: the item pushed last, into *item. Returns 1, or 0 when empty (a thief took the
 * last one). */
int ptc_deque_pop(struct ptc_deque *d, uint32_t *item);

/* Any thread but the owner: the oldest item, into *item. */
enum ptc_steal ptc_deque_steal(struct ptc_deque *d, uint32_t *item);

#endif
