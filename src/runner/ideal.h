/* The ideal wall time of a run: the makespan a zero-overhead implementation of the model's own
 * discipline would reach on this workload. Every efficiency figure and the speedup chart's ideal
 * line divide by it.
 *
 * - Pools (procpool, threadpool, coropool; any model whose parallelism follows W) are
 *   non-preemptive: W workers take the tasks in submission order, each the next task as soon as
 *   it is free (list scheduling). Tasks are indivisible, so 6 equal tasks on 5 workers take two
 *   rounds, not 6/5 of one.
 * - seq is the same discipline on one worker: the sum of the tasks.
 * - Per-task models (fork, thread, coro) start every task at once: the fluid bound
 *   max(longest task, total / tasks).
 * In every case, the part of the tasks that computes is also spread over at most
 * min(parallelism, CPUs) CPUs: ideal = max(discipline's makespan, total CPU time / that). */
#ifndef PTC_RUNNER_IDEAL_H
#define PTC_RUNNER_IDEAL_H

#include "model/model.h"

#include <stdbool.h>

/* Makespan of list scheduling: durations_ns[0..n) taken in index order by `workers` workers,
 * each starting the next task the moment it is free (workers 0 counts as 1). Returns 0 when n is
 * 0, -1 cast to ptc_ns when a scratch allocation fails. Thread-safe. */
ptc_ns ptc_list_schedule_ns(const ptc_ns *durations_ns, uint32_t n, uint32_t workers);

/* The ideal of model m at W = workers with `cpus` CPUs (cpus <= 0: unknown, no CPU bound), as
 * defined above. 0 for a workload without durations (noop). */
ptc_ns ptc_ideal_ns(const struct ptc_model *m, const struct ptc_workload_state *st,
                    uint32_t workers, long cpus);

#endif
