/* hyperfine's --export-csv next to ptc-run's in-process runs of the same configurations: the
 * whole-process time (start-up, the run, teardown) beside the wall time ptc-run measures inside
 * the process, and the difference per model. */
#ifndef PTC_REPORT_HYPERFINE_H
#define PTC_REPORT_HYPERFINE_H

#include "core/csv.h"
#include "report/runs.h"
#include "report/table.h"

#include <stdbool.h>
#include <stdio.h>

/* True when t is a hyperfine --export-csv file (command, mean, stddev, ... columns). */
bool ptc_report_is_hyperfine(const struct ptc_table *t);

/* Pairs each row of the hyperfine table t (its parameter_model column names the model) with the
 * one in-process group of that model in gs. Writes the pairs through w, as a Markdown table to
 * md and as a findings bullet to findings (any may be NULL). Returns 0, or -EINVAL with the reason
 * in err (no parameter_model column, a model with no or several in-process configurations). */
int ptc_report_hyperfine(const struct ptc_table *t, const struct ptc_run_groups *gs,
                         struct ptc_csv_writer *w, FILE *md, FILE *findings, char *err,
                         size_t err_size);

#endif
