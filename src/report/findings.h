/* Findings: what the aggregate says, in sentences whose every number comes from it, for the
 * top of a report. tests/check_findings.py recomputes each number from the CSVs (run by
 * smoke_ptcbench). */
#ifndef PTC_REPORT_FINDINGS_H
#define PTC_REPORT_FINDINGS_H

#include "report/runs.h"
#include "report/table.h"

#include <stdio.h>

/* One bullet per host on the machine's condition (runs disturbed, parallel capacity), then one
 * per workload and size, labelled with its host and the build keys (git_rev, compiler, kernel,
 * runtime) that differ among gs: seq's median; for each W that more than one other model ran,
 * those models at that W; each model at its best W (its lowest median), named; the speedups
 * against seq with the median wall times, and the fastest; for cpu, the best-W speedups against
 * the parallel capacity; the configurations with disturbed runs. Then one "Statistics" bullet:
 * how many configurations have a 95 % CI of the median, with the coverage reached, and how many
 * have too few runs for one. Returns 0 or -ENOMEM (the caller discards what was written). */
int ptc_findings_runs(const struct ptc_run_groups *gs, FILE *md);

/* One bullet per workload and size that more than one runtime ran (C and the peer runners,
 * told apart by the runtime column; src/report/findings_runtimes.c): the best speedup against
 * its own seq that each runtime's threads, processes and coroutines reach, with the model and W,
 * and the parallel capacity the C runs measured. Returns 0 or -ENOMEM. */
int ptc_findings_runtimes(const struct ptc_run_groups *gs, FILE *md);

/* One bullet per language of a claims.csv: how many claims got each verdict, and which. */
void ptc_findings_claims(const struct ptc_table *claims, FILE *md);

/* A wall time in ms, to 4 significant digits at most: "404.1 ms", "12.35 ms", "0.412 ms". */
char *ptc_findings_ms(char *buf, size_t size, double ns);

#endif
