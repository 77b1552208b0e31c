/* The grid runner behind ptc-run: every (settings, tasks, model, workers) combination, where the
 * settings are each a set of workload parameters (one per combination of the values given:
 * workload/settings.h), repetitions interleaved round-robin across configurations so that drift
 * on a shared machine hits all configurations alike, warm-up rounds run first and not recorded.
 * Every recorded run goes into the report's aggregation (report/runs.h), so that ptc-run's
 * summary and ptc-report's come from the same code. */
#ifndef PTC_RUNNER_GRID_H
#define PTC_RUNNER_GRID_H

#include "report/runs.h"
#include "runner/measure.h"
#include "workload/settings.h"

#include <stdbool.h>
#include <stdio.h>

struct ptc_grid_opts {
    const struct ptc_workload *workload;
    const struct ptc_workload_params *params; /* [n_params] the settings' combinations; tasks is
                                               * taken from the tasks list */
    size_t n_params;
    const char *host; /* the report's host key of every run; NULL: "" */
    const struct ptc_model *const *models;
    size_t n_models;
    const uint64_t *workers;
    size_t n_workers;
    const uint64_t *tasks;
    size_t n_tasks;
    uint32_t repeat; /* recorded repetitions per configuration, >= 1 */
    uint32_t warmup; /* unrecorded rounds before them */
    long cpus;
    FILE *progress;      /* a progress line goes here when it is a terminal; NULL for none */
    bool probe_capacity; /* measure the parallel capacity before the first recorded round, before
                          * each later one when a second has passed since the last probe, and
                          * after the last (about 30 ms each on 2 CPUs: core/condition.h) */
};

struct ptc_config {
    const struct ptc_model *model;
    uint32_t workers; /* W given to the model: 1 for seq, the task count for per-task models */
    uint32_t tasks;
    struct ptc_workload_state *st; /* shared by the configurations with the same settings and
                                    * task count: seq among them is their speedup's reference */
    uint32_t recorded;
    ptc_ns ideal_ns;
    const char *file_io, *poller; /* from the last run: how file I/O behaved, the poller used */
    const char *coro_switch;      /* from the last run: the context switch, NULL when none */
    long group;                   /* its index in ptc_grid.groups once a run is recorded, else -1 */
    uint32_t disturbed_runs;      /* recorded runs that ptc_condition_judge called disturbed */
};

struct ptc_grid {
    struct ptc_grid_opts o;
    struct ptc_config *configs;
    size_t n_configs;
    struct ptc_workload_state *states; /* one per settings and task count */
    size_t n_states;
    struct ptc_task_result *results; /* shared memory, for the largest task count */
    uint32_t max_tasks;
    struct ptc_capacity_probe probe;
    double capacity_after;                  /* probed after the last round; NaN when not probed */
    struct ptc_run_condition worst;         /* over the recorded runs: the highest load, the lowest
                                             * capacity, the highest steal and others' use of the runs
                                             * long enough to resolve them (margin <= 0.25 CPU); NaN
                                             * where none was read */
    uint32_t disturbed_runs, recorded_runs; /* over all configurations */
    const char *setting_cols[PTC_MAX_SETTINGS + 1]; /* the report's setting keys */
    struct ptc_run_groups groups;                   /* every recorded run, summarized by
                                                     * ptc_grid_summarize */
};

/* Called after every recorded run, in the order runs happen. Return 0 to go on, or a negative
 * errno to stop the grid (ptc_grid_run then returns it). */
typedef int (*ptc_grid_on_run)(void *arg, const struct ptc_config *c, uint32_t rep,
                               const struct ptc_run_record *rec,
                               const struct ptc_task_result *results);

/* Sets up the workload for each combination of settings and task count and lists the
 * configurations. Per-task models and seq are listed once per settings and task count whatever
 * the workers list says. Returns 0 or a negative errno with err filled. */
int ptc_grid_build(struct ptc_grid *g, const struct ptc_grid_opts *o, char *err, size_t err_size);

/* Runs warm-up rounds, then the recorded repetitions. A run whose model fails or with any task
 * not correct stops the grid with an error naming the configuration. */
int ptc_grid_run(struct ptc_grid *g, ptc_grid_on_run on_run, void *arg, char *err, size_t err_size);

/* Summarizes the recorded runs (report/runs.h: medians, intervals, speedup against seq of the
 * same settings and tasks). Returns 0 or -ENOMEM. */
int ptc_grid_summarize(struct ptc_grid *g);

/* The summarized group of configuration c, or NULL when it has no recorded run. */
const struct ptc_run_group *ptc_grid_group(const struct ptc_grid *g, const struct ptc_config *c);

void ptc_grid_free(struct ptc_grid *g);

/* The settings given more than one value, with the values c runs with, as "flag=value ..." into
 * buf ("" when the grid sweeps no setting): what tells c apart from the configurations that
 * differ only in them. */
void ptc_grid_config_settings(const struct ptc_grid *g, const struct ptc_config *c, char *buf,
                              size_t size);

#endif
