/* coromnpool: at most W task coroutines at once over N scheduler threads (coromn_run.h), W split
 * evenly between the threads (the first W mod N threads one more), each thread's share bounded as
 * coropool bounds its one thread. Go's pool of W goroutines reading a channel of tasks. */
#include "model/coromn_run.h"

static int coromnpool_prepare(struct ptc_run_spec *spec) {
    return ptc_coromn_prepare(spec, spec->workers);
}

static int coromnpool_run(const struct ptc_run_spec *spec) {
    return ptc_coromn_run(spec, spec->workers);
}

const struct ptc_model ptc_model_coromnpool = {
    .name = "coromnpool",
    .summary = "at most W coroutines at once over N scheduler threads, work stealing",
    .analogue = "Go: W goroutines ranging over a channel of tasks",
    .parallelism = ptc_parallelism_workers,
    .run = coromnpool_run,
    .prepare = coromnpool_prepare,
    .release = ptc_coromn_release,
};
