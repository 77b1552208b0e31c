/* threadpool: W threads created once per run, tasks taken from a shared counter: the same
 * dispatch as procpool, so the two pools differ only in threads against processes. */
#include "model/group.h"

struct threadpool {
    const struct ptc_run_spec *spec;
    uint32_t next;
};

static void worker(void *arg, uint32_t id) {
    struct threadpool *pool = arg;
    ptc_pool_worker_loop(pool->spec, &pool->next, id);
}

static int threadpool_run(const struct ptc_run_spec *spec) {
    struct threadpool pool = {.spec = spec, .next = 0};
    return ptc_thread_group_run(spec->workers, worker, &pool);
}

const struct ptc_model ptc_model_threadpool = {
    .name = "threadpool",
    .summary = "W threads created once, tasks taken from a shared counter",
    .analogue = "concurrent.futures.ThreadPoolExecutor(W)",
    .parallelism = ptc_parallelism_workers,
    .run = threadpool_run,
};
