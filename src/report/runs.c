#include "report/runs.h"

#include "core/format.h"
#include "report/md.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The columns of enum ptc_run_key, in its order. */
static const char *const key_cols[PTC_N_FIXED_KEYS] = {"host",    "workload", "tasks",      "model",
                                                       "workers", "poller",   "coro_switch"};

static size_t count_cols(const char *const *cols) {
    size_t n = 0;
    while (cols != NULL && cols[n] != NULL)
        n++;
    return n;
}

/* The name of key k of gs. */
static const char *key_col(const struct ptc_run_groups *gs, size_t k) {
    return k < PTC_N_FIXED_KEYS ? key_cols[k] : gs->setting_cols[k - PTC_N_FIXED_KEYS];
}

bool ptc_report_is_runs(const struct ptc_table *t) {
    return ptc_table_col(t, "wall_ns") >= 0 && ptc_table_col(t, "model") >= 0 &&
           ptc_table_col(t, "workers") >= 0;
}

static const char *field(const struct ptc_table *t, size_t r, const char *name) {
    ssize_t c = ptc_table_col(t, name);
    return c >= 0 ? t->rows[r][c] : "";
}

static long find_or_add(struct ptc_run_groups *gs, const char *const *key) {
    for (size_t i = 0; i < gs->n; i++) {
        size_t k = 0;
        while (k < gs->n_keys && strcmp(gs->g[i].key[k], key[k]) == 0)
            k++;
        if (k == gs->n_keys)
            return (long)i;
    }
    struct ptc_run_group *grown = realloc(gs->g, (gs->n + 1) * sizeof *grown);
    if (grown == NULL)
        return -ENOMEM;
    gs->g = grown;
    struct ptc_run_group *g = &gs->g[gs->n];
    memset(g, 0, sizeof *g);
    gs->n++;
    g->setting_cols = gs->setting_cols;
    if ((g->key = calloc(gs->n_keys, sizeof *g->key)) == NULL)
        return -ENOMEM;
    for (size_t k = 0; k < gs->n_keys; k++)
        if ((g->key[k] = strdup(key[k])) == NULL)
            return -ENOMEM;
    return (long)(gs->n - 1);
}

static int add_sample(struct ptc_run_group *g, double wall_ns, double ideal_ns, double cpus,
                      double capacity) {
    if (g->n == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 8;
        double *grown = realloc(g->wall_ns, cap * sizeof *grown);
        if (grown == NULL)
            return -ENOMEM;
        g->wall_ns = grown;
        grown = realloc(g->capacity, cap * sizeof *grown);
        if (grown == NULL)
            return -ENOMEM;
        g->capacity = grown;
        g->cap = cap;
    }
    g->capacity[g->n] = capacity;
    g->wall_ns[g->n++] = wall_ns;
    g->ideal_ns = ideal_ns;
    g->cpus = cpus;
    return 0;
}

/* Row r's number in column name (NaN when the table has no such column). */
static int number(const struct ptc_table *t, size_t r, const char *name, double *out, char *err,
                  size_t err_size) {
    ssize_t c = ptc_table_col(t, name);
    *out = NAN;
    return c >= 0 ? ptc_table_number(t, r, (size_t)c, out, err, err_size) : 0;
}

void ptc_run_groups_init(struct ptc_run_groups *gs, const char *const *setting_cols) {
    *gs = (struct ptc_run_groups){.setting_cols = setting_cols,
                                  .n_keys = PTC_N_FIXED_KEYS + count_cols(setting_cols)};
}

long ptc_run_groups_add(struct ptc_run_groups *gs, const char *const *key, double wall_ns,
                        double ideal_ns, double cpus, double capacity, bool disturbed) {
    long i = find_or_add(gs, key);
    if (i < 0 || add_sample(&gs->g[i], wall_ns, ideal_ns, cpus, capacity) < 0)
        return -ENOMEM;
    gs->g[i].disturbed += disturbed;
    return i;
}

static int collect(const struct ptc_table *t, struct ptc_run_groups *gs, char *err,
                   size_t err_size) {
    ssize_t wall_c = ptc_table_col(t, "wall_ns");
    const char **key = calloc(gs->n_keys, sizeof *key);
    if (key == NULL)
        goto nomem;
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t k = 0; k < gs->n_keys; k++)
            key[k] = field(t, r, key_col(gs, k));
        double wall, ideal, cpus, capacity, disturbed;
        int rc = number(t, r, "wall_ns", &wall, err, err_size);
        if (rc == 0)
            rc = number(t, r, "ideal_ns", &ideal, err, err_size);
        if (rc == 0)
            rc = number(t, r, "cpus", &cpus, err, err_size);
        if (rc == 0)
            rc = number(t, r, "capacity", &capacity, err, err_size);
        if (rc == 0)
            rc = number(t, r, "disturbed", &disturbed, err, err_size);
        if (rc == 0 && !(wall > 0)) {
            snprintf(err, err_size, "%s:%zu: column %zd (wall_ns): '%s' is not a positive time",
                     t->path, t->lines[r], wall_c + 1, t->rows[r][wall_c]);
            rc = -EINVAL;
        }
        if (rc < 0) {
            free(key);
            return rc;
        }
        if (ptc_run_groups_add(gs, key, wall, ideal, cpus, capacity, disturbed > 0) < 0)
            goto nomem;
    }
    free(key);
    return 0;
nomem:
    free(key);
    snprintf(err, err_size, "out of memory");
    return -ENOMEM;
}

const char *ptc_run_group_setting(const struct ptc_run_group *g, const char *column) {
    for (size_t k = 0; g->setting_cols != NULL && g->setting_cols[k] != NULL; k++)
        if (strcmp(g->setting_cols[k], column) == 0)
            return g->key[PTC_N_FIXED_KEYS + k];
    return "";
}

bool ptc_run_groups_same_size(const struct ptc_run_group *a, const struct ptc_run_group *b) {
    static const enum ptc_run_key size_keys[] = {PTC_KEY_HOST, PTC_KEY_WORKLOAD, PTC_KEY_TASKS};
    for (size_t k = 0; k < sizeof size_keys / sizeof size_keys[0]; k++)
        if (strcmp(a->key[size_keys[k]], b->key[size_keys[k]]) != 0)
            return false;
    for (size_t k = PTC_N_FIXED_KEYS; k < PTC_N_FIXED_KEYS + count_cols(a->setting_cols); k++)
        if (strcmp(a->key[k], b->key[k]) != 0)
            return false;
    return true;
}

bool ptc_run_groups_first_of(const struct ptc_run_groups *gs, size_t i,
                             bool (*same)(const struct ptc_run_group *,
                                          const struct ptc_run_group *)) {
    for (size_t j = 0; j < i; j++)
        if (same(&gs->g[j], &gs->g[i]))
            return false;
    return true;
}

int ptc_run_groups_summarize(struct ptc_run_groups *gs) {
    for (size_t i = 0; i < gs->n; i++) {
        struct ptc_run_group *g = &gs->g[i];
        if (ptc_summarize(g->wall_ns, g->n, &g->s) < 0 ||
            ptc_median_ci(g->wall_ns, g->n, PTC_CI_LEVEL, &g->ci) < 0)
            return -ENOMEM;
        g->outliers = ptc_count_outliers(g->wall_ns, g->n, g->s.median, g->s.mad);
        g->capacity_median = ptc_run_groups_capacity(gs, g, NULL, NULL);
    }
    for (size_t i = 0; i < gs->n; i++) {
        struct ptc_run_group *g = &gs->g[i];
        g->speedup = NAN;
        for (size_t j = 0; j < gs->n; j++)
            if (strcmp(gs->g[j].key[PTC_KEY_MODEL], "seq") == 0 &&
                ptc_run_groups_same_size(&gs->g[j], g))
                g->speedup = gs->g[j].s.median / g->s.median;
    }
    return 0;
}

double ptc_run_groups_capacity(const struct ptc_run_groups *gs, const struct ptc_run_group *g,
                               bool (*same)(const struct ptc_run_group *,
                                            const struct ptc_run_group *),
                               size_t *n_out) {
    size_t n = 0, total = 0;
    for (size_t i = 0; i < gs->n; i++)
        if (same == NULL ? &gs->g[i] == g : same(&gs->g[i], g))
            total += gs->g[i].n;
    double *v = malloc((total ? total : 1) * sizeof *v);
    if (v == NULL)
        return NAN;
    for (size_t i = 0; i < gs->n; i++)
        if (same == NULL ? &gs->g[i] == g : same(&gs->g[i], g))
            for (size_t k = 0; k < gs->g[i].n; k++)
                if (!isnan(gs->g[i].capacity[k]))
                    v[n++] = gs->g[i].capacity[k];
    struct ptc_summary s;
    double median = n > 0 && ptc_summarize(v, n, &s) == 0 ? s.median : NAN;
    free(v);
    if (n_out != NULL)
        *n_out = n;
    return median;
}

int ptc_run_groups_build(const struct ptc_table *tables, size_t n, const char *const *setting_cols,
                         struct ptc_run_groups *gs, char *err, size_t err_size) {
    int rc = 0;
    ptc_run_groups_init(gs, setting_cols);
    for (size_t i = 0; i < n && rc == 0; i++)
        if (ptc_report_is_runs(&tables[i]))
            rc = collect(&tables[i], gs, err, err_size);
    if (rc == 0 && ptc_run_groups_summarize(gs) < 0) {
        snprintf(err, err_size, "out of memory");
        rc = -ENOMEM;
    }
    if (rc < 0)
        ptc_run_groups_free(gs);
    return rc;
}

void ptc_run_groups_free(struct ptc_run_groups *gs) {
    for (size_t i = 0; i < gs->n; i++) {
        for (size_t k = 0; gs->g[i].key != NULL && k < gs->n_keys; k++)
            free(gs->g[i].key[k]);
        free(gs->g[i].key);
        free(gs->g[i].wall_ns);
        free(gs->g[i].capacity);
    }
    free(gs->g);
    *gs = (struct ptc_run_groups){0};
}

char *ptc_run_group_size_text(const struct ptc_run_group *g, char *buf, size_t size) {
    const char *tasks = g->key[PTC_KEY_TASKS], *file_kib = ptc_run_group_setting(g, "file_kib"),
               *net_kib = ptc_run_group_setting(g, "net_kib"),
               *task_ms = ptc_run_group_setting(g, "task_ms"),
               *fraction = ptc_run_group_setting(g, "cpu_fraction");
    int n = snprintf(buf, size, "%s task%s", tasks, strcmp(tasks, "1") == 0 ? "" : "s");
    if (*file_kib && n >= 0 && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n, " × %s KiB", file_kib);
    else if (*net_kib && n >= 0 && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n, ", %s KiB after %s ms", net_kib,
                      ptc_run_group_setting(g, "net_latency_ms"));
    else if (*task_ms && n >= 0 && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n, " × %s ms", task_ms);
    if (*fraction && n >= 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, ", CPU fraction %s, wait: %s", fraction,
                 ptc_run_group_setting(g, "mixed_wait"));
    return buf;
}

/* ci_lo_ns, ci_hi_ns: the interval of the median, ci_coverage its exact coverage (below 0.95
 * with fewer than 6 runs: then the min-max and what it reaches). outliers empty below 5 runs. */
static const char *const out_cols[] = {
    "runs",        "wall_median_ns", "wall_min_ns", "wall_max_ns", "wall_p25_ns", "wall_p75_ns",
    "wall_iqr_ns", "outliers",       "speedup",     "efficiency",  "capacity",    "disturbed_runs",
    "ci_lo_ns",    "ci_hi_ns",       "ci_coverage", NULL};

/* The keys in the aggregate's column order: host, workload, tasks, the settings, then the rest. */
static size_t csv_key(const struct ptc_run_groups *gs, size_t i) {
    size_t n_settings = gs->n_keys - PTC_N_FIXED_KEYS;
    if (i <= PTC_KEY_TASKS)
        return i;
    if (i <= PTC_KEY_TASKS + n_settings)
        return PTC_N_FIXED_KEYS + i - PTC_KEY_TASKS - 1;
    return i - n_settings;
}

void ptc_run_group_tail_csv(struct ptc_csv_writer *w, const struct ptc_run_group *g) {
    ptc_csv_f64(w, g->capacity_median, 3);
    ptc_csv_u64(w, g->disturbed);
    ptc_csv_f64(w, g->ci.lo, 0);
    ptc_csv_f64(w, g->ci.hi, 0);
    ptc_csv_f64(w, g->ci.coverage, 4);
}

void ptc_run_groups_csv(const struct ptc_run_groups *gs, struct ptc_csv_writer *w) {
    for (size_t k = 0; k < gs->n_keys; k++)
        ptc_csv_str(w, key_col(gs, csv_key(gs, k)));
    for (const char *const *c = out_cols; *c; c++)
        ptc_csv_str(w, *c);
    ptc_csv_end_row(w);
    for (size_t i = 0; i < gs->n; i++) {
        const struct ptc_run_group *g = &gs->g[i];
        for (size_t k = 0; k < gs->n_keys; k++)
            ptc_csv_str(w, g->key[csv_key(gs, k)]);
        ptc_csv_u64(w, g->n);
        const double v[] = {g->s.median, g->s.min, g->s.max,
                            g->s.p25,    g->s.p75, g->s.p75 - g->s.p25};
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
            ptc_csv_f64(w, v[k], 0);
        if (g->outliers >= 0)
            ptc_csv_u64(w, (uint64_t)g->outliers);
        else
            ptc_csv_str(w, "");
        ptc_csv_f64(w, g->speedup, 4);
        ptc_csv_f64(w, g->ideal_ns > 0 ? g->ideal_ns / g->s.median : NAN, 4);
        ptc_run_group_tail_csv(w, g);
        ptc_csv_end_row(w);
    }
}

void ptc_run_groups_md(const struct ptc_run_groups *gs, FILE *md) {
    if (gs->n == 0)
        return;
    size_t disturbed = 0, runs = 0;
    for (size_t i = 0; i < gs->n; i++) {
        disturbed += gs->g[i].disturbed;
        runs += gs->g[i].n;
    }
    if (disturbed > 0)
        fprintf(md,
                "**Warning: %zu of %zu runs were disturbed** (the machine was busy: other "
                "processes, steal or a low parallel capacity, by ptc-run's rule); their "
                "configurations are marked in the last column.\n\n",
                disturbed, runs);
    fprintf(md,
            "| host | workload | size | model | W | runs | median wall | 95 %% CI of the median "
            "(coverage) | IQR | outliers | speedup | efficiency | machine |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < gs->n; i++) {
        const struct ptc_run_group *g = &gs->g[i];
        char med[24], ci[80], iqr[24], outl[24] = "-", speed[24] = "-", eff[24] = "-", sz[160];
        ptc_fmt_ns(med, sizeof med, g->s.median);
        ptc_fmt_median_ci(ci, sizeof ci, &g->ci);
        ptc_fmt_ns(iqr, sizeof iqr, g->s.p75 - g->s.p25);
        if (g->outliers >= 0)
            snprintf(outl, sizeof outl, "%ld", g->outliers);
        if (!isnan(g->speedup))
            snprintf(speed, sizeof speed, "%.2fx", g->speedup);
        if (g->ideal_ns > 0)
            snprintf(eff, sizeof eff, "%.1f %%", 100.0 * g->ideal_ns / g->s.median);
        char machine[64] = "-";
        if (g->disturbed > 0)
            snprintf(machine, sizeof machine, "**disturbed %zu/%zu**", g->disturbed, g->n);
        else if (!isnan(g->capacity_median))
            snprintf(machine, sizeof machine, "quiet, capacity %.2fx", g->capacity_median);
        char host[PTC_MD_KEY_MAX], wl[PTC_MD_KEY_MAX], size[PTC_MD_KEY_MAX], model[PTC_MD_KEY_MAX],
            w[PTC_MD_KEY_MAX];
        fprintf(md, "| %s | %s | %s | %s | %s | %zu | %s | %s | %s | %s | %s | %s | %s |\n",
                ptc_md_esc(host, sizeof host, g->key[PTC_KEY_HOST]),
                ptc_md_esc(wl, sizeof wl, g->key[PTC_KEY_WORKLOAD]),
                ptc_md_esc(size, sizeof size, ptc_run_group_size_text(g, sz, sizeof sz)),
                ptc_md_esc(model, sizeof model, g->key[PTC_KEY_MODEL]),
                ptc_md_esc(w, sizeof w, g->key[PTC_KEY_WORKERS]), g->n, med, ci, iqr, outl, speed,
                eff, machine);
    }
}

const struct ptc_run_group *ptc_run_groups_seq_of(const struct ptc_run_groups *gs,
                                                  const struct ptc_run_group *g) {
    const struct ptc_run_group *seq = NULL;
    for (size_t j = 0; j < gs->n; j++)
        if (strcmp(gs->g[j].key[PTC_KEY_MODEL], "seq") == 0 &&
            ptc_run_groups_same_size(&gs->g[j], g))
            seq = &gs->g[j];
    return seq;
}

void ptc_run_group_speedup_ci(const struct ptc_run_groups *gs, const struct ptc_run_group *g,
                              double *lo, double *hi) {
    const struct ptc_run_group *seq = ptc_run_groups_seq_of(gs, g);
    *lo = *hi = g->speedup;
    if (seq != NULL && g->ci.supported && g->ci.lo > 0) {
        *lo = seq->s.median / g->ci.hi;
        *hi = seq->s.median / g->ci.lo;
    }
}

double ptc_run_group_ideal_speedup(const struct ptc_run_groups *gs, const struct ptc_run_group *g) {
    const struct ptc_run_group *seq = ptc_run_groups_seq_of(gs, g);
    return seq != NULL && seq->ideal_ns > 0 && g->ideal_ns > 0 ? seq->ideal_ns / g->ideal_ns : NAN;
}
