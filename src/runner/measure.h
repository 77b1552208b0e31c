/* One measured run of one model on one configured workload. */
#ifndef PTC_RUNNER_MEASURE_H
#define PTC_RUNNER_MEASURE_H

#include "core/condition.h"
#include "model/model.h"

#include <stdbool.h>

struct ptc_run_record {
    char started_at[32];  /* UTC, ISO 8601 */
    uint32_t parallelism; /* workers that can run at once: 1, W or the task count */
    ptc_ns run_start_ns;  /* CLOCK_MONOTONIC at the start; task times are relative to it */
    ptc_ns wall_ns;
    ptc_ns user_ns, sys_ns; /* this process and every child it reaped during the run */
    uint64_t max_rss_kib;   /* peak resident set of this process or its largest child */
    uint64_t vol_ctxsw, invol_ctxsw;
    uint32_t tasks_ok;             /* tasks that ran exactly once with the right checksum */
    ptc_ns ideal_ns;               /* zero-overhead makespan of the model: runner/ideal.h */
    double efficiency;             /* ideal_ns / wall_ns; NaN when the ideal is 0 (noop) */
    int run_error;                 /* 0, or the negative errno the model returned */
    struct ptc_run_info info;      /* how the tasks waited */
    uint32_t parent_maps;          /* mappings of the process at the start (fork copies them) */
    struct ptc_run_condition cond; /* the machine during the run; capacity NaN: the caller
                                    * probes it beside the runs (the grid does) */
    bool disturbed;                /* left for the caller: ptc_condition_judge(&cond) once the
                                    * capacity is in (the grid judges each recorded run) */
    char disturbed_why[160];       /* its reasons, "" when not disturbed */
    uint64_t net_refused;          /* requests the workload's server refused during the run (net) */
    char fault[192];               /* when tasks did not finish: the worker that failed and how
                                    * (runner/watchdog.h: "worker 2 (pid 1234) killed by SIGKILL while running
                                    * task 9"), else "" */
};

/* Runs every task of st under model m with W = workers into results (from ptc_results_alloc,
 * reset here) and fills *rec. A watchdog (runner/watchdog.h) ends the program when no task
 * finishes within the deadline. Resource figures are deltas over the run. cpus bounds the ideal
 * parallelism of CPU-bound workloads. Returns 0 or a negative errno (setup of the run failed;
 * task failures only lower rec->tasks_ok). */
int ptc_measure_run(const struct ptc_model *m, struct ptc_workload_state *st, uint32_t workers,
                    long cpus, struct ptc_task_result *results, struct ptc_run_record *rec);

#endif
