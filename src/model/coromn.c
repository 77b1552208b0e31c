/* coromn: one coroutine per task over N scheduler threads with work stealing (coromn_run.h):
 * Go's goroutine per task with GOMAXPROCS = N, Tokio's multi-threaded runtime. Waits overlap as
 * under coro; computing tasks run on N CPUs at once. */
#include "model/coromn_run.h"

static int coromn_prepare(struct ptc_run_spec *spec) {
    return ptc_coromn_prepare(spec, 0);
}

static int coromn_run(const struct ptc_run_spec *spec) {
    return ptc_coromn_run(spec, 0);
}

const struct ptc_model ptc_model_coromn = {
    .name = "coromn",
    .summary = "one coroutine per task over N scheduler threads (--mn-threads), work stealing",
    .analogue = "Go: go f() per task (GOMAXPROCS = N); asyncio has no equivalent",
    .parallelism = ptc_parallelism_tasks,
    .run = coromn_run,
    .prepare = coromn_prepare,
    .release = ptc_coromn_release,
};
