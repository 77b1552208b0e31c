/* What the coroutine models share: a scheduler on the calling thread set up from the coroutine
 * settings (coro/config.h), a group the task coroutines join, and the task body. */
#ifndef PTC_MODEL_CORO_RUN_H
#define PTC_MODEL_CORO_RUN_H

#include "coro/config.h"
#include "coro/group.h"
#include "model/model.h"

struct ptc_coro_run {
    const struct ptc_run_spec *spec;
    struct ptc_sched sched;
    struct ptc_exec ex;
    struct ptc_coro_group group; /* the task coroutines */
    int spawn_error;             /* the first failed spawn, or 0 */
};

/* Sets up r for spec with a group of at most limit concurrent tasks (0: no limit) and records
 * the runtime in spec->info. Only one run per thread at a time. Returns 0 or a negative errno. */
int ptc_coro_run_begin(struct ptc_coro_run *r, const struct ptc_run_spec *spec, uint32_t limit);

/* Spawns task number `task` into r's group (waiting for a slot when the group is bounded and the
 * caller is a coroutine). Returns 0 or ptc_group_spawn's negative errno. */
int ptc_coro_run_spawn_task(struct ptc_coro_run *r, uint32_t task);

/* Runs the scheduler until every coroutine has finished, tears r down, and returns the first
 * error: a failed spawn or the scheduler's. */
int ptc_coro_run_finish(struct ptc_coro_run *r);

#endif
