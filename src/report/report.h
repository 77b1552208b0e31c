/* ptc-report's outputs from its loaded inputs: the aggregate of the runs (CSV), the whole as
 * Markdown, the findings, hyperfine's pairs, and a chart's table. */
#ifndef PTC_REPORT_REPORT_H
#define PTC_REPORT_REPORT_H

#include "core/json.h"
#include "report/chart.h"
#include "report/table.h"

#include <stddef.h>
#include <stdio.h>

enum ptc_report_out { PTC_OUT_CSV, PTC_OUT_MD, PTC_OUT_FINDINGS, PTC_OUT_HF_PAIRS, PTC_N_OUT };

struct ptc_report_outputs {
    FILE *fp[PTC_N_OUT]; /* NULL: not written */
    /* Not NULL: fp[PTC_OUT_CSV] gets this chart's table (tab-separated) instead of the
     * aggregate. */
    const struct ptc_chart *chart;
    /* The workload settings' columns that make a configuration, NULL-terminated (the workload
     * layer's table, given by the program: this layer knows no workload). */
    const char *const *setting_cols;
    /* Not NULL: the aggregate's rows also go to this --json document, as summaries. */
    struct ptc_json_doc *json;
};

/* Aggregates the runs among t[n] and writes every output asked for. Everything that can fail
 * (pairing hyperfine tables, a chart without its inputs) is checked before a line goes to a
 * stream. Returns 0, or a negative errno with the reason in msg. */
int ptc_report_write(const struct ptc_table *t, size_t n, const struct ptc_report_outputs *out,
                     char *msg, size_t msg_size);

#endif
