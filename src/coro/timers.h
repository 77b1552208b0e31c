/* Timers ordered by (deadline, arming order), each carrying a pointer that a wake callback gets
 * when the timer expires: the scheduler's sleeping coroutines, and nothing of the scheduler
 * (libuv's timer heap stands alone the same way). Sleeps of one duration arm deadlines in
 * increasing order, so those go to a FIFO (O(1), sequential memory); a deadline earlier than the
 * FIFO's last goes to a binary min-heap. The next timer is the earlier of the two heads. With
 * 100,000 equal sleeps, popping a heap whose lower levels miss the cache cost more than half a
 * microsecond per wake-up. Not thread-safe: one owner. */
#ifndef PTC_CORO_TIMERS_H
#define PTC_CORO_TIMERS_H

#include "core/clock.h"

#include <stddef.h>
#include <stdint.h>

/* Called for each expired timer with the timers' ctx and the timer's data. It may arm new
 * timers. */
typedef void (*ptc_timer_wake_fn)(void *ctx, void *data);

/* One armed timer. seq breaks deadline ties: equal deadlines fire in the order they were armed.
 * The keys live in the arrays themselves: comparing two entries then touches only the array, not
 * what data points at (for a coroutine, a cache and a TLB miss on its stack page each). */
struct ptc_timer {
    ptc_ns deadline_ns;
    uint64_t seq;
    void *data;
};

struct ptc_timers {
    struct ptc_timer *heap; /* timers armed out of order: a binary min-heap on (deadline, seq) */
    size_t heap_n, heap_cap;
    struct ptc_timer *fifo; /* timers armed in deadline order: [fifo_head, fifo_tail), in seq
                             * order too; a cancelled one stays as a tombstone until the head
                             * passes it (the head is never one) */
    size_t fifo_head, fifo_tail, fifo_cap;
    size_t fifo_cancelled; /* tombstones in the FIFO */
    uint64_t seq;
    ptc_timer_wake_fn wake;
    void *ctx;
};

/* No timers; wake(ctx, data) will be called for each one that expires. Allocates nothing. */
void ptc_timers_init(struct ptc_timers *t, ptc_timer_wake_fn wake, void *ctx);
/* Frees the arrays; timers still armed are dropped without a call. */
void ptc_timers_fini(struct ptc_timers *t);
/* Arms a timer for deadline_ns carrying data. Returns 0 or -ENOMEM. */
int ptc_timers_push(struct ptc_timers *t, ptc_ns deadline_ns, void *data);
/* As ptc_timers_push, and stores in *id what ptc_timers_cancel takes to disarm this timer. */
int ptc_timers_arm(struct ptc_timers *t, ptc_ns deadline_ns, void *data, uint64_t *id);
/* Disarms the timer armed as id, which must not have expired or been cancelled: wake will not be
 * called for it. O(log n) for a timer armed in deadline order (the FIFO: a binary search, and a
 * tombstone left behind), O(n) for one in the heap. Returns 0, or -ENOENT when no armed timer
 * has that id. */
int ptc_timers_cancel(struct ptc_timers *t, uint64_t id);
/* The earliest deadline, or PTC_DEADLINE_NONE. */
ptc_ns ptc_timers_next(const struct ptc_timers *t);
/* Calls wake for every timer whose deadline is <= now, earliest first, removing each before its
 * call. */
void ptc_timers_expire(struct ptc_timers *t, ptc_ns now);
/* Timers armed and not yet expired. */
static inline size_t ptc_timers_pending(const struct ptc_timers *t) {
    return t->heap_n + (t->fifo_tail - t->fifo_head) - t->fifo_cancelled;
}

#endif
