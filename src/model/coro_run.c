#include "model/coro_run.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

/* A coroutine's entry takes one pointer, which carries the task index; the run it belongs to is
 * the thread's current one. */
static __thread struct ptc_coro_run *current_run;

static void task_main(void *arg) {
    struct ptc_coro_run *r = current_run;
    uint32_t task = (uint32_t)(uintptr_t)arg;
    /* Per-task coroutines are their own worker; in a bounded group the worker is the slot. */
    uint32_t worker = r->group.limit ? ptc_coro_self(&r->sched)->slot : task;
    ptc_task_execute(r->spec->wl, &r->ex, task, worker, &r->spec->results[task]);
}

int ptc_coro_run_begin(struct ptc_coro_run *r, const struct ptc_run_spec *spec, uint32_t limit) {
    memset(r, 0, sizeof *r);
    r->spec = spec;
    struct ptc_sched_opts opts = *ptc_coro_config();
    opts.pool = ptc_coro_model_pool();
    if (opts.pool == NULL)
        return -EINVAL;
    int rc = ptc_sched_init(&r->sched, &opts);
    if (rc < 0)
        return rc;
    rc = ptc_group_init(&r->group, limit);
    if (rc < 0) {
        ptc_sched_fini(&r->sched);
        return rc;
    }
    ptc_coro_exec_init(&r->ex, &r->sched);
    if (spec->info != NULL) {
        spec->info->exec = r->ex.ops->name;
        spec->info->ctx = r->sched.sw->name;
        spec->info->poller = r->sched.poller_ops->name;
        spec->info->file_io = r->ex.ops->file_io(&r->ex);
    }
    current_run = r;
    return 0;
}

int ptc_coro_run_spawn_task(struct ptc_coro_run *r, uint32_t task) {
    int rc = ptc_group_spawn(&r->sched, &r->group, task_main, (void *)(uintptr_t)task);
    if (rc < 0 && r->spawn_error == 0)
        r->spawn_error = rc;
    return rc;
}

int ptc_coro_run_finish(struct ptc_coro_run *r) {
    int rc = ptc_sched_run(&r->sched);
    if (r->spawn_error != 0)
        rc = r->spawn_error;
    current_run = NULL;
    ptc_group_fini(&r->group);
    ptc_sched_fini(&r->sched);
    return rc;
}
