/* Tasks dealt out to N threads with work stealing: the M:N schedulers' source of work. Each
 * thread owns a deque (coro/deque.h) holding one contiguous block of the task numbers, the lowest
 * at its owner's end; a thread takes its own next task, and when its deque is empty steals the
 * oldest task of another thread's (the threads after it first, so thieves spread over victims).
 * Every task number comes out exactly once per deal. */
#ifndef PTC_CORO_DEAL_H
#define PTC_CORO_DEAL_H

#include "coro/deque.h"

#include <stdatomic.h>
#include <stdint.h>

struct ptc_deal {
    uint32_t threads, tasks;
    struct ptc_deque *q;     /* [threads] */
    _Atomic uint64_t steals; /* tasks taken from another thread's deque since the last deal */
};

/* Room for `tasks` tasks over `threads` threads (at least 1). Returns 0 or -ENOMEM. */
int ptc_deal_init(struct ptc_deal *d, uint32_t threads, uint32_t tasks);
void ptc_deal_fini(struct ptc_deal *d);

/* Thread i's block: tasks [*first, *first + count), count returned. */
uint32_t ptc_deal_block(const struct ptc_deal *d, uint32_t i, uint32_t *first);

/* Fills the deques with every task again and zeroes the steals. Call while no thread takes. */
void ptc_deal_reset(struct ptc_deal *d);

/* Thread i's next task into *task: 1, or 0 when every deque is empty. */
int ptc_deal_take(struct ptc_deal *d, uint32_t i, uint32_t *task);

#endif
