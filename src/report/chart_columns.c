/* The charts of the microbenchmarks' and the claims' CSVs: every row of the inputs of that kind
 * (in input order) with the columns the chart reads; a column a file lacks is empty. */
#include "report/chart.h"

#include "report/inputs.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

struct columns {
    enum ptc_input_kind kind;
    const char *what; /* the kind, in the error when no input is of it */
    const char *const *names;
    /* a last column computed from row r (NULL: none), with its name */
    const char *extra_name;
    double (*extra)(const struct ptc_table *t, size_t r);
};

static int write_columns(const struct ptc_chart_inputs *in, const void *arg, struct ptc_tsv *w,
                         char *err, size_t err_size) {
    const struct columns *cs = arg;
    size_t found = 0;
    for (size_t i = 0; i < in->n; i++)
        found += ptc_input_kind(&in->tables[i]) == cs->kind;
    if (found == 0) {
        snprintf(err, err_size, "no %s among the inputs", cs->what);
        return -EINVAL;
    }
    for (const char *const *c = cs->names; *c; c++)
        ptc_tsv_str(w, *c);
    if (cs->extra != NULL)
        ptc_tsv_str(w, cs->extra_name);
    ptc_tsv_end_row(w);
    for (size_t i = 0; i < in->n; i++) {
        const struct ptc_table *t = &in->tables[i];
        if (ptc_input_kind(t) != cs->kind)
            continue;
        for (size_t r = 0; r < t->n_rows; r++) {
            for (const char *const *c = cs->names; *c; c++) {
                ssize_t k = ptc_table_col(t, *c);
                ptc_tsv_str(w, k >= 0 ? ptc_table_cell(t, r, (size_t)k) : "");
            }
            if (cs->extra != NULL)
                ptc_tsv_f64(w, cs->extra(t, r), 9);
            ptc_tsv_end_row(w);
        }
    }
    return 0;
}

static const char *const micro_names[] = {
    "host",    "cpu_model", "cpus", "kernel", "benchmark", "mechanism",
    "variant", "placement", "n",    "metric", "unit",      "value",
    "samples", "min",       "max",  "note",   NULL};

/* Cost per unit (one bar per mechanism and variant of the first metric) and memory per unit
 * (one line per mechanism and memory metric) read the same columns. */
static const struct columns micro = {PTC_INPUT_MICRO, "microbenchmark CSV", micro_names, NULL,
                                     NULL};

/* measured_value / expected_value of a claim; NaN when either is missing or expected <= 0. */
static double claim_ratio(const struct ptc_table *t, size_t r) {
    ssize_t e = ptc_table_col(t, "expected_value"), m = ptc_table_col(t, "measured_value");
    double ev = NAN, mv = NAN;
    char err[8];
    if (e < 0 || m < 0 || ptc_table_number(t, r, (size_t)e, &ev, err, sizeof err) < 0 ||
        ptc_table_number(t, r, (size_t)m, &mv, err, sizeof err) < 0)
        return NAN;
    return ev > 0 ? mv / ev : NAN;
}

/* The claims ledger: one bar per claim and language, measured / expected. */
static const char *const claim_names[] = {
    "host",  "cpu_model", "cpus",           "kernel",         "time_scale", "language", "id",
    "claim", "verdict",   "expected_value", "measured_value", "unit",       NULL};
static const struct columns claims = {PTC_INPUT_CLAIMS, "claims CSV", claim_names, "ratio",
                                      claim_ratio};

const struct ptc_chart ptc_chart_cost = {
    .name = "cost",
    .script = "cost.gp",
    .reads = "one microbenchmark CSV (ptc-spawn, ptc-switch)",
    .write = write_columns,
    .arg = &micro,
};
const struct ptc_chart ptc_chart_memory = {
    .name = "memory",
    .script = "memory.gp",
    .reads = "ptc-mem's CSV",
    .write = write_columns,
    .arg = &micro,
};
const struct ptc_chart ptc_chart_claims = {
    .name = "claims",
    .script = "claims.gp",
    .reads = "ptc-claims' claims.csv",
    .write = write_columns,
    .arg = &claims,
};
