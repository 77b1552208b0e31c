/* What the M:N coroutine models share (Go's and Tokio's shape): N scheduler threads (--mn-threads,
 * default one per CPU), each with a coroutine runtime of its own (coro_run.h: run queue, timers,
 * poller, stack pool), and one work-stealing deque of task numbers per thread (coro/deque.h).
 * The tasks are dealt out in contiguous blocks, one per thread. On each thread a feeder coroutine
 * takes the next task from its own deque (or, when that is empty, steals the oldest from another
 * thread's) and spawns its coroutine, then yields: a task is taken only when the thread has run
 * everything runnable before it, so tasks that wait let the next one start at once and tasks that
 * compute leave the rest of the deque to an idle thread. A coroutine, once started, stays on its
 * thread (its timers and I/O belong to that thread's scheduler): what is stolen is work not yet
 * started, not a suspended coroutine. No scheduler thread blocks on a task's sleep or socket I/O;
 * regular-file I/O blocks its thread under epoll, as it does for coro. */
#ifndef PTC_MODEL_COROMN_RUN_H
#define PTC_MODEL_COROMN_RUN_H

#include "model/model.h"

/* The prepare hook's body: N runtimes and deques for spec, W = limit coroutines at once in all
 * (0: one per task), in spec->runtime. Returns 0 or a negative errno. */
int ptc_coromn_prepare(struct ptc_run_spec *spec, uint32_t limit);

/* The release hook of the M:N models. */
void ptc_coromn_release(struct ptc_run_spec *spec);

/* Runs every task of spec on the scheduler threads (started here, joined before it returns),
 * on the prepared runtime or, without one, on one made here (then inside the timing). Records
 * the threads and the steals in spec->info. Returns 0 or the first thread's negative errno. */
int ptc_coromn_run(const struct ptc_run_spec *spec, uint32_t limit);

#endif
