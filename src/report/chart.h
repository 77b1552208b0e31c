/* The chart tables: for each chart of plots/, the one table its gnuplot script draws, every
 * value already computed here (speedups and their 95 % CI, ideals, times in the unit of the
 * axis), written tab-separated (report/tsv.h) so that gnuplot reads every field whole. A chart
 * is one descriptor in the list of chart.c, defined in the file that writes its table. */
#ifndef PTC_REPORT_CHART_H
#define PTC_REPORT_CHART_H

#include "report/runs.h"
#include "report/table.h"
#include "report/tsv.h"

#include <stddef.h>
#include <stdio.h>

/* Everything ptc-report read: the tables as loaded, and the runs among them aggregated. */
struct ptc_chart_inputs {
    const struct ptc_table *tables; /* [n] */
    size_t n;
    const struct ptc_run_groups *gs;
};

struct ptc_chart {
    const char *name;   /* --chart NAME */
    const char *script; /* the script of plots/ that draws the table */
    const char *reads;  /* the inputs it takes, for --help */
    /* Writes the table through w, with arg the descriptor's own. Returns 0, or -EINVAL with
     * the reason in err when the inputs hold nothing the chart can draw (nothing is written
     * then). */
    int (*write)(const struct ptc_chart_inputs *in, const void *arg, struct ptc_tsv *w, char *err,
                 size_t err_size);
    const void *arg; /* what the table holds, for write: its columns */
    /* The kinds of input (1u << enum ptc_input_kind) it draws that a report skips: timelines */
    unsigned also_reads;
};

/* The chart called name, or NULL. */
const struct ptc_chart *ptc_chart_find(const char *name);

/* One line per chart: "  NAME  SCRIPT: READS". */
void ptc_charts_help(FILE *fp);

/* The charts (chart_*.c, hyperfine.c). */
extern const struct ptc_chart ptc_chart_speedup, ptc_chart_tasks, ptc_chart_crossover,
    ptc_chart_cost, ptc_chart_memory, ptc_chart_claims, ptc_chart_hyperfine, ptc_chart_gantt;

#endif
