/* coro: one coroutine per task on the calling thread, all spawned, then joined: gevent's
 * spawn + joinall. Waits suspend the coroutine on the scheduler's timer or poller; CPU work runs
 * one task after another, since coroutines on one thread never run at the same time. */
#include "model/coro_run.h"

/* Every task's coroutine is alive at once. */
static int coro_prepare(struct ptc_run_spec *spec) {
    return ptc_coro_run_prepare(spec, 0, spec->wl->p.tasks);
}

static int coro_run(const struct ptc_run_spec *spec) {
    struct ptc_coro_run *r;
    int rc = ptc_coro_run_begin(spec, 0, spec->wl->p.tasks, &r);
    if (rc < 0)
        return rc;
    for (uint32_t i = 0; i < spec->wl->p.tasks; i++)
        if (ptc_coro_run_spawn_task(r, i) < 0)
            break; /* out of stacks: run the ones spawned, then report */
    return ptc_coro_run_finish(r);
}

const struct ptc_model ptc_model_coro = {
    .name = "coro",
    .summary = "one coroutine per task on one thread, all spawned, then joined",
    .analogue = "gevent.spawn per task + gevent.joinall",
    .parallelism = ptc_parallelism_tasks,
    .run = coro_run,
    .prepare = coro_prepare,
    .release = ptc_coro_run_release,
};
