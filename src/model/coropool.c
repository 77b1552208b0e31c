/* coropool: at most W task coroutines alive at once on the calling thread: gevent's
 * pool.Pool(W). A feeder coroutine spawns the tasks in order into a bounded group and is
 * suspended while the group is full, so task W+1 starts when the first task ends. */
#include "model/coro_run.h"

static void feeder(void *arg) {
    struct ptc_coro_run *r = arg;
    for (uint32_t i = 0; i < r->spec->wl->p.tasks; i++)
        if (ptc_coro_run_spawn_task(r, i) < 0)
            return;
}

/* W task coroutines and the feeder. */
static size_t coroutines(const struct ptc_run_spec *spec) {
    return (size_t)spec->workers + 1;
}

static int coropool_prepare(struct ptc_run_spec *spec) {
    return ptc_coro_run_prepare(spec, spec->workers, coroutines(spec));
}

static int coropool_run(const struct ptc_run_spec *spec) {
    struct ptc_coro_run *r;
    int rc = ptc_coro_run_begin(spec, spec->workers, coroutines(spec), &r);
    if (rc < 0)
        return rc;
    rc = ptc_coro_spawn(&r->sched, feeder, r, NULL);
    if (rc < 0)
        r->spawn_error = rc;
    return ptc_coro_run_finish(r);
}

const struct ptc_model ptc_model_coropool = {
    .name = "coropool",
    .summary = "at most W coroutines at once on one thread, spawned by a feeder",
    .analogue = "gevent.pool.Pool(W).map",
    .parallelism = ptc_parallelism_workers,
    .run = coropool_run,
    .prepare = coropool_prepare,
    .release = ptc_coro_run_release,
};
