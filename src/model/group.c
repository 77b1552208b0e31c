#include "model/group.h"

void ptc_per_task_body(void *spec_arg, uint32_t task) {
    const struct ptc_run_spec *spec = spec_arg;
    ptc_task_execute(spec->wl, &ptc_exec_blocking, task, task, &spec->results[task]);
}

void ptc_pool_worker_loop(const struct ptc_run_spec *spec, uint32_t *next, uint32_t worker) {
    uint32_t n = spec->wl->p.tasks;
    for (;;) {
        uint32_t task = __atomic_fetch_add(next, 1, __ATOMIC_RELAXED);
        if (task >= n)
            return;
        ptc_task_execute(spec->wl, &ptc_exec_blocking, task, worker, &spec->results[task]);
    }
}
