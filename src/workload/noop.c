/* noop: a task that does nothing but prove it ran under its own index. What a model costs per
 * task is the wall time of this workload divided by the task count. */
#include "workload/workload.h"

#define NOOP_STREAM 2

static int noop_run_task(const struct ptc_workload_state *st, struct ptc_exec *ex, uint32_t task,
                         uint64_t *checksum) {
    *checksum = ptc_task_random(st->p.seed, task, NOOP_STREAM);
    return 0;
}

static uint64_t noop_expected(struct ptc_workload_state *st, uint32_t task) {
    return ptc_task_random(st->p.seed, task, NOOP_STREAM);
}

const struct ptc_workload ptc_workload_noop = {
    .name = "noop",
    .summary = "does nothing: measures each model's per-task overhead",
    .cpu_bound = false,
    .run_task = noop_run_task,
    .expected_checksum = noop_expected,
};
