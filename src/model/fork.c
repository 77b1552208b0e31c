/* fork: one child process per task; all are started, then all are reaped. */
#include "model/group.h"

static int fork_run(const struct ptc_run_spec *spec) {
    return ptc_proc_group_run(spec->wl->p.tasks, ptc_per_task_body, (void *)spec, spec->children,
                              spec->slots);
}

const struct ptc_model ptc_model_fork = {
    .name = "fork",
    .summary = "one child process per task, all started, then all reaped",
    .analogue = "multiprocessing.Process per task",
    .parallelism = ptc_parallelism_tasks,
    .run = fork_run,
};
