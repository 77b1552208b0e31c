/* The CSV layouts ptc-run writes: one row per recorded run, one per task (timeline), one per
 * configuration (summary, what the gnuplot scripts read). */
#ifndef PTC_RUNNER_ROWS_H
#define PTC_RUNNER_ROWS_H

#include "core/csv.h"
#include "core/machine.h"
#include "runner/grid.h"

/* What every row of a sweep shares. */
struct ptc_row_context {
    const struct ptc_machine *machine;
    const char *program;          /* "ptc-run" */
    unsigned long timer_slack_ns; /* this thread's timer slack, inherited by the workers */
};

/* The columns that tell ptc-run's configurations apart (the --json document's key): program,
 * workload, model, workers, tasks and every setting's column, into cols, NULL-terminated (room
 * for PTC_ROWS_CONFIG_COLUMNS). */
#define PTC_ROWS_CONFIG_COLUMNS (6 + PTC_MAX_SETTINGS)
void ptc_rows_config_columns(const char **cols);

void ptc_rows_run_header(struct ptc_csv_writer *w);
void ptc_rows_run(struct ptc_csv_writer *w, const struct ptc_row_context *ctx,
                  const struct ptc_config *c, uint32_t rep, const struct ptc_run_record *rec);

/* The timeline of runner/timeline.h: its header, and one row per task of a run, times relative
 * to the run's start, in ns, with ctx's machine. */
void ptc_rows_timeline_header(struct ptc_csv_writer *w);
void ptc_rows_timeline(struct ptc_csv_writer *w, const struct ptc_row_context *ctx,
                       const struct ptc_config *c, uint32_t rep, const struct ptc_run_record *rec,
                       const struct ptc_task_result *results);

void ptc_rows_summary_header(struct ptc_csv_writer *w);
/* One row per configuration of a summarized grid: its group's figures (report/runs.h). */
void ptc_rows_summary(struct ptc_csv_writer *w, const struct ptc_row_context *ctx,
                      const struct ptc_grid *g);

/* Prints the summary table for people from the summarized grid's groups: median wall with its
 * 95 % CI and the CI's exact coverage (or "n too small" below 6 runs), per-task time, speedup
 * against seq and efficiency, with units; and, when the grid sweeps settings, the settings that
 * tell its rows apart. */
void ptc_print_summary(FILE *fp, const struct ptc_grid *g);

/* Prints the machine's condition over the grid's runs (capacity, load, others' use, steal, the
 * governor, idle driver and SMT) and, when any run was disturbed or the capacity probed after
 * the last round fails the rule, a warning line saying so. */
void ptc_print_condition(FILE *fp, const struct ptc_grid *g, const struct ptc_machine *m);

#endif
