/* sleep: the tutorials' time.sleep() stand-in for a download. The wait goes through the
 * execution context, so coroutine models wait on their scheduler's timer. */
#include "workload/durations.h"

#include <errno.h>
#include <stdio.h>

#define SLEEP_STREAM 3

static int sleep_setup(struct ptc_workload_state *st, char *err, size_t err_size) {
    if (st->p.task_hi_ns == 0) {
        snprintf(err, err_size, "the sleep workload needs --task-ms MS or LO:HI");
        return -EINVAL;
    }
    ptc_durations_fill(st);
    return 0;
}

static int sleep_run_task(const struct ptc_workload_state *st, struct ptc_exec *ex, uint32_t task,
                          uint64_t *checksum) {
    *checksum = ptc_task_random(st->p.seed, task, SLEEP_STREAM);
    return ptc_exec_sleep_ns(ex, st->task_ns[task]);
}

static uint64_t sleep_expected(struct ptc_workload_state *st, uint32_t task) {
    return ptc_task_random(st->p.seed, task, SLEEP_STREAM);
}

const struct ptc_workload ptc_workload_sleep = {
    .name = "sleep",
    .summary = "waits --task-ms MS (or a seeded random LO:HI ms) through the execution context",
    .cpu_bound = false,
    .settings = PTC_SETTINGS("task-ms"),
    .setup = sleep_setup,
    .run_task = sleep_run_task,
    .expected_checksum = sleep_expected,
};
