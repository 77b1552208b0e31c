/* Groups of workers: start `count` workers that each run body(arg, index), then wait for all.
 * The per-task models run one task per worker; the pools run a dispatch loop per worker. */
#ifndef PTC_MODEL_GROUP_H
#define PTC_MODEL_GROUP_H

#include "model/model.h"

typedef void (*ptc_worker_body)(void *arg, uint32_t index);

/* One child process per index, forked from the calling (main) thread, all started, then all
 * reaped with their rusage added to *children. A child that cannot be forked stops the starting;
 * the ones started are still reaped. slots ([count], may be NULL) receive each child's pid when
 * it is forked and its wait status when it is reaped. Returns 0 or the first negative errno. */
int ptc_proc_group_run(uint32_t count, ptc_worker_body body, void *arg,
                       struct ptc_child_usage *children, struct ptc_worker_slot *slots);

/* The same with one pthread per index, all started, then all joined. */
int ptc_thread_group_run(uint32_t count, ptc_worker_body body, void *arg);

/* The same, timed for a microbenchmark: all threads are started and waiting first, then released
 * together; *elapsed_ns is the time from the release to the return of the last body, without
 * the threads' creation and joining (group_timed.c). Returns 0 or the first negative errno (a
 * thread that could not be created: no body runs). */
int ptc_thread_group_run_timed(uint32_t count, ptc_worker_body body, void *arg, ptc_ns *elapsed_ns);

/* The per-task models' body: spec_arg is the run's ptc_run_spec; runs task `task` as worker `task`.
 */
void ptc_per_task_body(void *spec_arg, uint32_t task);

/* The pools' dispatch: take the next task index from *next with one atomic add and run it,
 * until the tasks run out. *next may live in shared memory (processes) or not (threads). */
void ptc_pool_worker_loop(const struct ptc_run_spec *spec, uint32_t *next, uint32_t worker);

#endif
