/* procpool: W worker processes forked once per run. Dispatch is a task counter in shared memory:
 * a free worker takes the next task with one atomic add, so the fifth task of a pool of four
 * starts when the first worker comes free, as in multiprocessing.Pool. Results land in the
 * caller's shared result array at the task's index: task order, whatever order they ran in. */
#include "model/group.h"

#include <errno.h>
#include <sys/mman.h>

struct procpool {
    const struct ptc_run_spec *spec;
    uint32_t *next; /* in MAP_SHARED memory: every worker process sees the same counter */
};

static void worker(void *arg, uint32_t id) {
    struct procpool *pool = arg;
    ptc_pool_worker_loop(pool->spec, pool->next, id);
}

static int procpool_run(const struct ptc_run_spec *spec) {
    struct procpool pool = {.spec = spec};
    pool.next =
        mmap(NULL, sizeof *pool.next, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (pool.next == MAP_FAILED)
        return -errno;
    *pool.next = 0;
    int rc = ptc_proc_group_run(spec->workers, worker, &pool, spec->children, spec->slots);
    munmap(pool.next, sizeof *pool.next);
    return rc;
}

const struct ptc_model ptc_model_procpool = {
    .name = "procpool",
    .summary = "W worker processes forked once, tasks taken from a shared-memory counter",
    .analogue = "multiprocessing.Pool(W).map",
    .parallelism = ptc_parallelism_workers,
    .run = procpool_run,
};
