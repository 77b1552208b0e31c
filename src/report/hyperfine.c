#include "report/hyperfine.h"

#include "core/format.h"
#include "report/chart.h"
#include "report/findings.h"
#include "report/md.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

bool ptc_report_is_hyperfine(const struct ptc_table *t) {
    return ptc_table_col(t, "command") >= 0 && ptc_table_col(t, "mean") >= 0 &&
           ptc_table_col(t, "stddev") >= 0 && ptc_table_col(t, "median") >= 0;
}

/* hyperfine's times, in seconds, of one row; in ns here. */
enum { HF_MEAN, HF_STDDEV, HF_MEDIAN, HF_MIN, HF_MAX, HF_N };
static const char *const hf_cols[HF_N] = {"mean", "stddev", "median", "min", "max"};

struct pair {
    const struct ptc_run_group *g;
    double hf_ns[HF_N];
};

/* Whether the command hyperfine timed gives flag the value value, or does not give flag: the
 * command is text compared with the groups' keys here, never run. */
static bool command_allows(const char *command, const char *flag, const char *value) {
    size_t flag_len = strlen(flag), value_len = strlen(value);
    bool given = false;
    for (const char *at = strstr(command, flag); at != NULL; at = strstr(at + 1, flag)) {
        if ((at != command && at[-1] != ' ') || at[flag_len] != ' ')
            continue;
        given = true;
        const char *v = at + flag_len + 1;
        if (strncmp(v, value, value_len) == 0 && (v[value_len] == ' ' || v[value_len] == '\0'))
            return true;
    }
    return !given;
}

/* The groups of model, narrowed while more than one is left by what hyperfine's command gives
 * ptc-run (--workload, --tasks, --task-ms; then --workers, which seq does not take): a results
 * folder holds the sweeps' runs beside the in-process runs of the hyperfine sweep. Returns how
 * many are left, the last of them in *g. */
static size_t pair_narrowed(const struct ptc_run_groups *gs, const char *model, const char *command,
                            const struct ptc_run_group **g) {
    static const char *const flags[] = {"--workload", "--tasks", "--task-ms", "--workers"};
    size_t found = 0, steps = 0;
    do {
        size_t n = 0;
        for (size_t i = 0; i < gs->n; i++) {
            const struct ptc_run_group *c = &gs->g[i];
            const char *v[] = {c->key[PTC_KEY_WORKLOAD], c->key[PTC_KEY_TASKS],
                               ptc_run_group_setting(c, "task_ms"), c->key[PTC_KEY_WORKERS]};
            bool fits = strcmp(c->key[PTC_KEY_MODEL], model) == 0;
            for (size_t k = 0; k < steps && fits; k++)
                fits = command_allows(command, flags[k], v[k]);
            n += fits;
            if (fits)
                *g = c;
        }
        if (n == 0 && steps > 0)
            break; /* the step before stands: seq runs at W=1 whatever --workers says */
        found = n;
    } while (found > 1 && steps++ < 4);
    return found;
}

static int pair_row(const struct ptc_table *t, size_t r, const struct ptc_run_groups *gs,
                    struct pair *p, char *err, size_t err_size) {
    ssize_t mc = ptc_table_col(t, "parameter_model");
    if (mc < 0) {
        snprintf(err, err_size,
                 "%s: no parameter_model column (time ptc-run with hyperfine -L model ...)",
                 t->path);
        return -EINVAL;
    }
    for (size_t k = 0; k < HF_N; k++) {
        ssize_t c = ptc_table_col(t, hf_cols[k]);
        int rc = c >= 0 ? ptc_table_number(t, r, (size_t)c, &p->hf_ns[k], err, err_size) : 0;
        if (rc < 0)
            return rc;
        p->hf_ns[k] = c >= 0 ? p->hf_ns[k] * 1e9 : NAN;
    }
    /* Only the model may vary across the rows: a sweep over other parameters (-L workers ...)
     * cannot be paired by model alone. */
    for (size_t c = 0; c < t->n_cols; c++)
        if (strncmp(t->header[c], "parameter_", 10) == 0 && (ssize_t)c != mc) {
            snprintf(err, err_size,
                     "%s: column '%s': only -L model can be paired with in-process runs", t->path,
                     t->header[c]);
            return -EINVAL;
        }
    const char *model = ptc_table_cell(t, r, (size_t)mc);
    for (size_t q = 0; q < r; q++)
        if (strcmp(ptc_table_cell(t, q, (size_t)mc), model) == 0) {
            snprintf(err, err_size, "%s:%zu: model '%s' a second time", t->path, t->lines[r],
                     model);
            return -EINVAL;
        }
    ssize_t cc = ptc_table_col(t, "command");
    size_t found = pair_narrowed(gs, model, cc >= 0 ? ptc_table_cell(t, r, (size_t)cc) : "", &p->g);
    if (found != 1) {
        snprintf(err, err_size,
                 "%s:%zu: model '%s' has %zu in-process configurations among the inputs; give "
                 "ptc-report exactly the in-process runs of this hyperfine sweep",
                 t->path, t->lines[r], model, found);
        return -EINVAL;
    }
    return 0;
}

/* The configuration of a pair, first in both of its tables. */
#define N_PAIR_KEYS 6
static void pair_keys(const struct ptc_run_group *g, const char *keys[N_PAIR_KEYS]) {
    const char *k[N_PAIR_KEYS] = {g->key[PTC_KEY_HOST],  g->key[PTC_KEY_WORKLOAD],
                                  g->key[PTC_KEY_TASKS], ptc_run_group_setting(g, "task_ms"),
                                  g->key[PTC_KEY_MODEL], g->key[PTC_KEY_WORKERS]};
    memcpy(keys, k, sizeof k);
}

static const char *const out_cols[] = {"host",
                                       "workload",
                                       "tasks",
                                       "task_ms",
                                       "model",
                                       "workers",
                                       "inproc_runs",
                                       "inproc_median_ns",
                                       "inproc_min_ns",
                                       "inproc_max_ns",
                                       "hyperfine_mean_ns",
                                       "hyperfine_stddev_ns",
                                       "hyperfine_median_ns",
                                       "hyperfine_min_ns",
                                       "hyperfine_max_ns",
                                       "overhead_median_ns",
                                       NULL};

static void write_csv(struct ptc_csv_writer *w, const struct pair *p, size_t n) {
    for (const char *const *c = out_cols; *c; c++)
        ptc_csv_str(w, *c);
    ptc_csv_end_row(w);
    for (size_t i = 0; i < n; i++) {
        const struct ptc_run_group *g = p[i].g;
        const char *keys[N_PAIR_KEYS];
        pair_keys(g, keys);
        for (size_t k = 0; k < N_PAIR_KEYS; k++)
            ptc_csv_str(w, keys[k]);
        ptc_csv_u64(w, g->n);
        ptc_csv_f64(w, g->s.median, 0);
        ptc_csv_f64(w, g->s.min, 0);
        ptc_csv_f64(w, g->s.max, 0);
        for (size_t k = 0; k < HF_N; k++)
            ptc_csv_f64(w, p[i].hf_ns[k], 0);
        ptc_csv_f64(w, p[i].hf_ns[HF_MEDIAN] - g->s.median, 0);
        ptc_csv_end_row(w);
    }
}

static void write_md(FILE *md, const struct pair *p, size_t n) {
    fprintf(md, "| model | W | in process: median [min - max] | whole process (hyperfine): mean "
                "± σ | whole process: median | difference of the medians |\n"
                "|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < n; i++) {
        const struct ptc_run_group *g = p[i].g;
        char med[24], lo[24], hi[24], mean[24], sd[24], hmed[24], diff[24];
        char model[PTC_MD_KEY_MAX], w[PTC_MD_KEY_MAX];
        fprintf(md, "| %s | %s | %s [%s - %s] | %s ± %s | %s | %s |\n",
                ptc_md_esc(model, sizeof model, g->key[PTC_KEY_MODEL]),
                ptc_md_esc(w, sizeof w, g->key[PTC_KEY_WORKERS]),
                ptc_fmt_ns(med, sizeof med, g->s.median), ptc_fmt_ns(lo, sizeof lo, g->s.min),
                ptc_fmt_ns(hi, sizeof hi, g->s.max),
                ptc_fmt_ns(mean, sizeof mean, p[i].hf_ns[HF_MEAN]),
                ptc_fmt_ns(sd, sizeof sd, p[i].hf_ns[HF_STDDEV]),
                ptc_fmt_ns(hmed, sizeof hmed, p[i].hf_ns[HF_MEDIAN]),
                ptc_findings_ms(diff, sizeof diff, p[i].hf_ns[HF_MEDIAN] - g->s.median));
    }
}

static void write_finding(FILE *md, const struct pair *p, size_t n) {
    fprintf(md, "- Whole process (hyperfine median) minus in process (ptc-run median): ");
    for (size_t i = 0; i < n; i++) {
        char diff[32], model[PTC_MD_KEY_MAX], w[PTC_MD_KEY_MAX];
        fprintf(md, "%s%s W=%s %s", i ? ", " : "",
                ptc_md_esc(model, sizeof model, p[i].g->key[PTC_KEY_MODEL]),
                ptc_md_esc(w, sizeof w, p[i].g->key[PTC_KEY_WORKERS]),
                ptc_findings_ms(diff, sizeof diff, p[i].hf_ns[HF_MEDIAN] - p[i].g->s.median));
    }
    fprintf(md, ".\n");
}

/* Every row of t paired, into *out (freed by the caller, also on error). */
static int pair_all(const struct ptc_table *t, const struct ptc_run_groups *gs, struct pair **out,
                    char *err, size_t err_size) {
    struct pair *p = *out = calloc(t->n_rows ? t->n_rows : 1, sizeof *p);
    if (p == NULL) {
        snprintf(err, err_size, "out of memory");
        return -ENOMEM;
    }
    int rc = 0;
    for (size_t r = 0; r < t->n_rows && rc == 0; r++)
        rc = pair_row(t, r, gs, &p[r], err, err_size);
    return rc;
}

int ptc_report_hyperfine(const struct ptc_table *t, const struct ptc_run_groups *gs,
                         struct ptc_csv_writer *w, FILE *md, FILE *findings, char *err,
                         size_t err_size) {
    struct pair *p;
    int rc = pair_all(t, gs, &p, err, err_size);
    if (rc == 0 && w != NULL)
        write_csv(w, p, t->n_rows);
    if (rc == 0 && md != NULL && t->n_rows > 0)
        write_md(md, p, t->n_rows);
    if (rc == 0 && findings != NULL && t->n_rows > 0)
        write_finding(findings, p, t->n_rows);
    free(p);
    return rc;
}

/* The chart's table, in ms: per model the in-process median, min and max, hyperfine's mean,
 * mean - sigma (not below 0) and mean + sigma, its median, the differences whole - in process
 * of the medians and of the minimums, and the first as the label the chart prints. */
static void write_chart_rows(struct ptc_tsv *w, const struct pair *p, size_t n) {
    static const char *const cols[] = {"host",           "workload",
                                       "tasks",          "task_ms",
                                       "model",          "workers",
                                       "inproc_runs",    "inproc_median_ms",
                                       "inproc_min_ms",  "inproc_max_ms",
                                       "hf_mean_ms",     "hf_sigma_lo_ms",
                                       "hf_sigma_hi_ms", "hf_median_ms",
                                       "diff_median_ms", "diff_min_ms",
                                       "diff_label",     NULL};
    ptc_tsv_header(w, cols);
    for (size_t i = 0; i < n; i++) {
        const struct ptc_run_group *g = p[i].g;
        const char *keys[N_PAIR_KEYS];
        pair_keys(g, keys);
        for (size_t k = 0; k < N_PAIR_KEYS; k++)
            ptc_tsv_str(w, keys[k]);
        const double *hf = p[i].hf_ns;
        double lo = hf[HF_MEAN] - hf[HF_STDDEV];
        double diff_ms = (hf[HF_MEDIAN] - g->s.median) / 1e6;
        const double v[] = {g->s.median,
                            g->s.min,
                            g->s.max,
                            hf[HF_MEAN],
                            lo > 0 ? lo : 0,
                            hf[HF_MEAN] + hf[HF_STDDEV],
                            hf[HF_MEDIAN],
                            hf[HF_MEDIAN] - g->s.median,
                            hf[HF_MIN] - g->s.min};
        ptc_tsv_f64(w, (double)g->n, 0);
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
            ptc_tsv_f64(w, v[k] / 1e6, 6);
        char label[32] = "no hyperfine";
        if (!isnan(diff_ms))
            snprintf(label, sizeof label, "%+.*f ms",
                     fabs(diff_ms) >= 1     ? 1
                     : fabs(diff_ms) >= 0.1 ? 2
                                            : 3,
                     diff_ms);
        ptc_tsv_str(w, label);
        ptc_tsv_end_row(w);
    }
}

/* The one hyperfine table among the inputs, paired with the in-process runs. */
static int write_chart(const struct ptc_chart_inputs *in, const void *arg, struct ptc_tsv *w,
                       char *err, size_t err_size) {
    (void)arg;
    const struct ptc_table *t = NULL;
    size_t n_hf = 0;
    for (size_t i = 0; i < in->n; i++)
        if (ptc_report_is_hyperfine(&in->tables[i])) {
            t = &in->tables[i];
            n_hf++;
        }
    if (n_hf != 1) {
        snprintf(err, err_size, "needs exactly one hyperfine CSV among the inputs, not %zu", n_hf);
        return -EINVAL;
    }
    struct pair *p;
    int rc = pair_all(t, in->gs, &p, err, err_size);
    if (rc == 0)
        write_chart_rows(w, p, t->n_rows);
    free(p);
    return rc;
}

const struct ptc_chart ptc_chart_hyperfine = {
    .name = "hyperfine",
    .script = "hyperfine.gp",
    .reads = "hyperfine's --export-csv (-L model) and the in-process runs of the same sweep",
    .write = write_chart,
    .arg = NULL,
};
