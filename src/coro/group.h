/* Groups of coroutines: wait for all of them (gevent's joinall) and, with a limit, a
 * bounded-concurrency spawner (gevent's pool.Pool(W)): spawning into a full group suspends the
 * spawner until a member finishes. Same thread rules as sched.h. */
#ifndef PTC_CORO_GROUP_H
#define PTC_CORO_GROUP_H

#include "coro/sched.h"

struct ptc_coro_group {
    struct ptc_coro_owner owner; /* what spawns into the group are given (ptc_coro_spawn) */
    uint32_t limit;              /* 0: unbounded */
    uint64_t live;               /* members running or runnable */
    uint64_t peak_live;          /* the most members ever alive at once */
    struct ptc_coro *joiners;    /* waiting in ptc_group_join, linked through next */
    struct ptc_coro *spawners;   /* waiting in ptc_group_spawn for a free slot */
    uint32_t *free_slots;        /* [limit] slot ids not in use (bounded groups) */
    uint32_t n_free;
};

/* limit 0: unbounded. Returns 0 or -ENOMEM. */
int ptc_group_init(struct ptc_coro_group *g, uint32_t limit);
void ptc_group_fini(struct ptc_coro_group *g);

/* Spawns fn(arg) into g. In a bounded group that is full, the calling coroutine waits for a free
 * slot; outside a coroutine a full group is -EBUSY. Returns 0 or ptc_coro_spawn's errors. */
int ptc_group_spawn(struct ptc_sched *s, struct ptc_coro_group *g, ptc_coro_fn fn, void *arg);
/* In a bounded group that is full, the calling coroutine waits until a slot is free; then returns
 * 0 (at once when the group has room or no limit). Outside a coroutine a full group is -EBUSY. A
 * spawner that takes work from a shared source waits here first, so that it never holds work it
 * cannot start (the M:N pools). */
int ptc_group_wait_slot(struct ptc_sched *s, struct ptc_coro_group *g);
/* As ptc_group_spawn, with the new member at the front of the run queue (ptc_coro_spawn_next). */
int ptc_group_spawn_next(struct ptc_sched *s, struct ptc_coro_group *g, ptc_coro_fn fn, void *arg);

/* Waits until every member has finished: inside a coroutine it suspends; outside, it runs the
 * scheduler. Returns 0 or the scheduler's negative errno. */
int ptc_group_join(struct ptc_sched *s, struct ptc_coro_group *g);

#endif
