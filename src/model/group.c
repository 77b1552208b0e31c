#include "model/group.h"

/* Marks worker `worker` as running task `task` (or none: task UINT32_MAX) for the watchdog. */
static void mark(const struct ptc_run_spec *spec, uint32_t worker, uint32_t task) {
    if (spec->slots != NULL)
        __atomic_store_n(&spec->slots[worker].task, task + 1, __ATOMIC_RELAXED);
}

void ptc_per_task_body(void *spec_arg, uint32_t task) {
    const struct ptc_run_spec *spec = spec_arg;
    mark(spec, task, task);
    ptc_task_execute(spec->wl, &ptc_exec_blocking, task, task, &spec->results[task]);
    mark(spec, task, UINT32_MAX);
}

void ptc_pool_worker_loop(const struct ptc_run_spec *spec, uint32_t *next, uint32_t worker) {
    uint32_t n = spec->wl->p.tasks;
    for (;;) {
        uint32_t task = __atomic_fetch_add(next, 1, __ATOMIC_RELAXED);
        if (task >= n)
            return;
        mark(spec, worker, task);
        ptc_task_execute(spec->wl, &ptc_exec_blocking, task, worker, &spec->results[task]);
        mark(spec, worker, UINT32_MAX);
    }
}
