/* thread: one pthread per task; all are started, then all are joined. */
#include "model/group.h"

static int thread_run(const struct ptc_run_spec *spec) {
    return ptc_thread_group_run(spec->wl->p.tasks, ptc_per_task_body, (void *)spec);
}

const struct ptc_model ptc_model_thread = {
    .name = "thread",
    .summary = "one pthread per task, all started, then all joined",
    .analogue = "threading.Thread per task",
    .parallelism = ptc_parallelism_tasks,
    .run = thread_run,
};
