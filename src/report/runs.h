/* The aggregation of ptc-run's run rows (one per recorded run) into one row per configuration
 * and machine: median, min, max, quartiles, IQR, a 95 % bootstrap interval of the median,
 * outliers by modified z-score, speedup against seq of the same workload and size on the same
 * host, efficiency against the ideal. */
#ifndef PTC_REPORT_RUNS_H
#define PTC_REPORT_RUNS_H

#include "core/csv.h"
#include "report/table.h"

#include <stdbool.h>
#include <stdio.h>

/* True when t has the columns of ptc-run's --out rows. */
bool ptc_report_is_runs(const struct ptc_table *t);

/* Aggregates the run rows of every runs table in tables[n]; writes the aggregated CSV through w
 * and a Markdown table to md (either may be NULL). Returns 0, or -EINVAL with "file:line: ..."
 * in err when a field is not what its column says. */
int ptc_report_runs(const struct ptc_table *tables, size_t n, struct ptc_csv_writer *w, FILE *md,
                    char *err, size_t err_size);

#endif
