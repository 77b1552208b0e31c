/* The scheduler's timer heap: a binary min-heap of sleeping coroutines on (deadline, seq). */
#ifndef PTC_CORO_TIMERS_H
#define PTC_CORO_TIMERS_H

#include "coro/sched.h"

/* Adds c with c->deadline_ns set. Returns 0 or -ENOMEM. */
int ptc_timers_push(struct ptc_sched *s, struct ptc_coro *c);
/* The earliest deadline, or PTC_DEADLINE_NONE. */
ptc_ns ptc_timers_next(const struct ptc_sched *s);
/* Moves every coroutine whose deadline is <= now to the run queue, earliest first. */
void ptc_timers_expire(struct ptc_sched *s, ptc_ns now);

#endif
