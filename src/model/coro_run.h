/* What the coroutine models share: a scheduler on the calling thread set up from the coroutine
 * settings (coro/config.h), a group the task coroutines join, and the task body. The runtime is
 * built by the models' prepare hook, outside the timed run (its io_uring ring alone takes about
 * 120 us), and torn down by release; a run given no prepared runtime builds its own. */
#ifndef PTC_MODEL_CORO_RUN_H
#define PTC_MODEL_CORO_RUN_H

#include "coro/config.h"
#include "coro/group.h"
#include "exec/exec_coro.h"
#include "model/model.h"

struct ptc_coro_run {
    const struct ptc_run_spec *spec;
    struct ptc_sched sched;
    struct ptc_coro_exec ex;
    struct ptc_coro_group group; /* the task coroutines */
    int spawn_error;             /* the first failed spawn, or 0 */
    uint32_t worker_base; /* a bounded group's slot s is worker worker_base + s (M:N pools) */
    int owned;            /* 1: made by ptc_coro_run_begin, freed by ptc_coro_run_finish */
};

/* A runtime of its own (not in a spec) taking stacks from pool, which outlives it and is used by
 * one thread at a time: what the M:N models make one of per scheduler thread. limit and
 * coroutines as below. Returns 0 or a negative errno; free with ptc_coro_run_free. */
int ptc_coro_run_make(struct ptc_coro_run **out, struct ptc_stack_pool *pool, uint32_t limit,
                      size_t coroutines);
void ptc_coro_run_free(struct ptc_coro_run *r);

/* The prepare hook's body: a runtime for spec with a group of at most limit concurrent tasks
 * (0: no limit), room made for `coroutines` alive at once, in spec->runtime. Returns 0 or a
 * negative errno (then spec->runtime stays NULL). */
int ptc_coro_run_prepare(struct ptc_run_spec *spec, uint32_t limit, size_t coroutines);

/* The release hook of the coroutine models. */
void ptc_coro_run_release(struct ptc_run_spec *spec);

/* In a model's run: the prepared runtime, or a new one made as ptc_coro_run_prepare does (then
 * inside the timing); records the runtime in spec->info. Only one run per thread at a time.
 * Returns 0 with *r set, or a negative errno. */
int ptc_coro_run_begin(const struct ptc_run_spec *spec, uint32_t limit, size_t coroutines,
                       struct ptc_coro_run **r);

/* Spawns task number `task` into r's group (waiting for a slot when the group is bounded and the
 * caller is a coroutine). Returns 0 or ptc_group_spawn's negative errno. */
int ptc_coro_run_spawn_task(struct ptc_coro_run *r, uint32_t task);

/* Runs the scheduler until every coroutine has finished, records how file I/O went in
 * spec->info, tears r down if ptc_coro_run_begin made it, and returns the first error: a failed
 * spawn or the scheduler's. */
int ptc_coro_run_finish(struct ptc_coro_run *r);

#endif
