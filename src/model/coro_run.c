#include "model/coro_run.h"

#include "core/lines.h"
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A coroutine's entry takes one pointer, which carries the task index; the run it belongs to is
 * the thread's current one. */
static __thread struct ptc_coro_run *current_run;

/* The stack pool the coroutine models share across runs on this thread, made on first use from
 * ptc_coro_config()->stack: runs after the first (the warm-up) find their stacks mapped and
 * resident, as a long-running program does. NULL when it cannot be made (bad stack size). */
static struct ptc_stack_pool *model_pool(void) {
    static __thread struct ptc_stack_pool pool;
    static __thread int ready;
    if (!ready) {
        if (ptc_stack_pool_init(&pool, &ptc_coro_config()->stack) < 0)
            return NULL;
        ready = 1;
    }
    return &pool;
}

static void task_main(void *arg) {
    struct ptc_coro_run *r = current_run;
    uint32_t task = (uint32_t)(uintptr_t)arg;
    /* Per-task coroutines are their own worker; in a bounded group the worker is the slot. */
    uint32_t worker = r->group.limit ? r->worker_base + ptc_coro_self(&r->sched)->slot : task;
    ptc_task_execute(r->spec->wl, &r->ex.ex, task, worker, &r->spec->results[task]);
}

int ptc_coro_run_make(struct ptc_coro_run **out, struct ptc_stack_pool *pool, uint32_t limit,
                      size_t coroutines) {
    /* On cache lines of its own: the M:N models run one per thread, and two schedulers' hot
     * fields on one line make each thread's switches wait for the other's. */
    struct ptc_coro_run *r = ptc_lines_calloc(sizeof(struct ptc_coro_run));
    if (r == NULL)
        return -ENOMEM;
    struct ptc_sched_opts opts = *ptc_coro_config();
    opts.pool = pool;
    int rc = opts.pool == NULL ? -EINVAL : ptc_sched_init(&r->sched, &opts);
    if (rc < 0)
        goto fail;
    rc = ptc_group_init(&r->group, limit);
    if (rc < 0)
        goto fail_sched;
    /* Queues sized and stacks made now: spawning in the run then allocates and maps nothing. */
    rc = ptc_sched_reserve(&r->sched, coroutines);
    if (rc < 0)
        goto fail_group;
    *out = r;
    return 0;
fail_group:
    ptc_group_fini(&r->group);
fail_sched:
    ptc_sched_fini(&r->sched);
fail:
    free(r);
    return rc;
}

static int make_run(struct ptc_coro_run **out, uint32_t limit, size_t coroutines) {
    return ptc_coro_run_make(out, model_pool(), limit, coroutines);
}

void ptc_coro_run_free(struct ptc_coro_run *r) {
    ptc_group_fini(&r->group);
    ptc_sched_fini(&r->sched);
    free(r);
}

int ptc_coro_run_prepare(struct ptc_run_spec *spec, uint32_t limit, size_t coroutines) {
    struct ptc_coro_run *r;
    int rc = make_run(&r, limit, coroutines);
    if (rc == 0)
        spec->runtime = r;
    return rc;
}

void ptc_coro_run_release(struct ptc_run_spec *spec) {
    if (spec->runtime != NULL)
        ptc_coro_run_free(spec->runtime);
    spec->runtime = NULL;
}

int ptc_coro_run_begin(const struct ptc_run_spec *spec, uint32_t limit, size_t coroutines,
                       struct ptc_coro_run **out) {
    struct ptc_coro_run *r = spec->runtime;
    if (r == NULL) {
        int rc = make_run(&r, limit, coroutines);
        if (rc < 0)
            return rc;
        r->owned = 1;
    }
    r->spec = spec;
    r->spawn_error = 0;
    ptc_coro_exec_init(&r->ex, &r->sched); /* this run's file I/O counts from zero */
    if (spec->info != NULL) {
        spec->info->exec = r->ex.ex.ops->name;
        spec->info->ctx = ptc_sched_switch_name(&r->sched);
        spec->info->poller = r->sched.poller_ops->name;
    }
    current_run = r;
    *out = r;
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
    if (r->spec->info != NULL)
        r->spec->info->file_io = r->ex.ex.ops->file_io(&r->ex.ex);
    if (r->owned)
        ptc_coro_run_free(r);
    return rc;
}
