/* seq: every task in the calling thread, one after another. The baseline all speedups divide. */
#include "model/model.h"

static int seq_run(const struct ptc_run_spec *spec) {
    for (uint32_t i = 0; i < spec->wl->p.tasks; i++)
        ptc_task_execute(spec->wl, &ptc_exec_blocking, i, 0, &spec->results[i]);
    return 0;
}

const struct ptc_model ptc_model_seq = {
    .name = "seq",
    .summary = "tasks one after another in the calling thread",
    .analogue = "sequential loop",
    .parallelism = ptc_parallelism_one,
    .run = seq_run,
};
