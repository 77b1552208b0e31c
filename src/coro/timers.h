/* The scheduler's timers: sleeping coroutines ordered by (deadline, arming order). Sleeps of one
 * duration arm deadlines in increasing order, so those go to a FIFO (O(1), sequential memory);
 * a deadline earlier than the FIFO's last goes to a binary min-heap. The next timer is the
 * earlier of the two heads. With 100,000 equal sleeps, popping a heap whose lower levels miss the
 * cache cost more than half a microsecond per wake-up. */
#ifndef PTC_CORO_TIMERS_H
#define PTC_CORO_TIMERS_H

#include "coro/sched.h"

/* Adds c with c->deadline_ns set. Returns 0 or -ENOMEM. */
int ptc_timers_push(struct ptc_sched *s, struct ptc_coro *c);
/* The earliest deadline, or PTC_DEADLINE_NONE. */
ptc_ns ptc_timers_next(const struct ptc_sched *s);
/* Moves every coroutine whose deadline is <= now to the run queue, earliest first. */
void ptc_timers_expire(struct ptc_sched *s, ptc_ns now);
/* Timers armed and not yet expired. */
size_t ptc_timers_pending(const struct ptc_sched *s);

#endif
