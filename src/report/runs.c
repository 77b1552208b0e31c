#include "report/runs.h"

#include "core/format.h"
#include "core/stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BOOTSTRAP_RESAMPLES 2000
#define OUTLIER_Z           3.5

/* What makes a configuration: these columns when present (older files lack some). The first
 * ones up to N_SIZE_KEYS also define "the same workload and size" for the speedup against seq. */
static const char *const key_cols[] = {"host",         "workload",   "tasks",   "task_ms",
                                       "iterations",   "file_kib",   "net_kib", "net_latency_ms",
                                       "cpu_fraction", "mixed_wait", "model",   "workers",
                                       "poller",       "coro_switch"};
#define N_KEYS      (sizeof key_cols / sizeof key_cols[0])
#define N_SIZE_KEYS 10
#define K_MODEL     10
#define K_WORKERS   11

struct group {
    char *key[N_KEYS];
    double *wall, ideal;
    size_t n, cap;
    struct ptc_summary s;
    double ci_lo, ci_hi, speedup;
    size_t outliers;
};

struct groups {
    struct group *g;
    size_t n;
};

bool ptc_report_is_runs(const struct ptc_table *t) {
    return ptc_table_col(t, "wall_ns") >= 0 && ptc_table_col(t, "model") >= 0 &&
           ptc_table_col(t, "workers") >= 0;
}

static const char *field(const struct ptc_table *t, size_t r, const char *name) {
    ssize_t c = ptc_table_col(t, name);
    return c >= 0 ? t->rows[r][c] : "";
}

static struct group *find_or_add(struct groups *gs, const char *const *key) {
    for (size_t i = 0; i < gs->n; i++) {
        size_t k = 0;
        while (k < N_KEYS && strcmp(gs->g[i].key[k], key[k]) == 0)
            k++;
        if (k == N_KEYS)
            return &gs->g[i];
    }
    struct group *grown = realloc(gs->g, (gs->n + 1) * sizeof *grown);
    if (grown == NULL)
        return NULL;
    gs->g = grown;
    struct group *g = &gs->g[gs->n];
    memset(g, 0, sizeof *g);
    for (size_t k = 0; k < N_KEYS; k++)
        if ((g->key[k] = strdup(key[k])) == NULL)
            return NULL;
    gs->n++;
    return g;
}

static int add_sample(struct group *g, double wall, double ideal) {
    if (g->n == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 8;
        double *grown = realloc(g->wall, cap * sizeof *grown);
        if (grown == NULL)
            return -ENOMEM;
        g->wall = grown;
        g->cap = cap;
    }
    g->wall[g->n++] = wall;
    g->ideal = ideal;
    return 0;
}

static int collect(const struct ptc_table *t, struct groups *gs, char *err, size_t err_size) {
    ssize_t wall_c = ptc_table_col(t, "wall_ns"), ideal_c = ptc_table_col(t, "ideal_ns");
    for (size_t r = 0; r < t->n_rows; r++) {
        const char *key[N_KEYS];
        for (size_t k = 0; k < N_KEYS; k++)
            key[k] = field(t, r, key_cols[k]);
        double wall, ideal = NAN;
        int rc = ptc_table_number(t, r, (size_t)wall_c, &wall, err, err_size);
        if (rc == 0 && ideal_c >= 0)
            rc = ptc_table_number(t, r, (size_t)ideal_c, &ideal, err, err_size);
        if (rc == 0 && !(wall > 0)) {
            snprintf(err, err_size, "%s:%zu: column %zd (wall_ns): '%s' is not a positive time",
                     t->path, t->lines[r], wall_c + 1, t->rows[r][wall_c]);
            rc = -EINVAL;
        }
        if (rc < 0)
            return rc;
        struct group *g = find_or_add(gs, key);
        if (g == NULL || add_sample(g, wall, ideal) < 0) {
            snprintf(err, err_size, "out of memory");
            return -ENOMEM;
        }
    }
    return 0;
}

static int same_size(const struct group *a, const struct group *b) {
    for (size_t k = 0; k < N_SIZE_KEYS; k++)
        if (strcmp(a->key[k], b->key[k]) != 0)
            return 0;
    return 1;
}

static int summarize(struct groups *gs) {
    for (size_t i = 0; i < gs->n; i++) {
        struct group *g = &gs->g[i];
        if (ptc_summarize(g->wall, g->n, &g->s) < 0 ||
            ptc_bootstrap_median_ci(g->wall, g->n, BOOTSTRAP_RESAMPLES, 1, &g->ci_lo, &g->ci_hi) <
                0)
            return -ENOMEM;
        for (size_t k = 0; k < g->n; k++)
            g->outliers += fabs(ptc_modified_z(g->wall[k], g->s.median, g->s.mad)) > OUTLIER_Z;
    }
    for (size_t i = 0; i < gs->n; i++) {
        struct group *g = &gs->g[i];
        g->speedup = NAN;
        for (size_t j = 0; j < gs->n; j++)
            if (strcmp(gs->g[j].key[K_MODEL], "seq") == 0 && same_size(&gs->g[j], g))
                g->speedup = gs->g[j].s.median / g->s.median;
    }
    return 0;
}

static const char *const out_cols[] = {
    "runs",        "wall_median_ns", "wall_min_ns", "wall_max_ns", "wall_p25_ns",
    "wall_p75_ns", "wall_iqr_ns",    "ci95_lo_ns",  "ci95_hi_ns",  "outliers",
    "speedup",     "efficiency",     NULL};

static void write_csv(struct ptc_csv_writer *w, const struct groups *gs) {
    for (size_t k = 0; k < N_KEYS; k++)
        ptc_csv_str(w, key_cols[k]);
    for (const char *const *c = out_cols; *c; c++)
        ptc_csv_str(w, *c);
    ptc_csv_end_row(w);
    for (size_t i = 0; i < gs->n; i++) {
        const struct group *g = &gs->g[i];
        for (size_t k = 0; k < N_KEYS; k++)
            ptc_csv_str(w, g->key[k]);
        ptc_csv_u64(w, g->n);
        const double v[] = {g->s.median,         g->s.min, g->s.max, g->s.p25, g->s.p75,
                            g->s.p75 - g->s.p25, g->ci_lo, g->ci_hi};
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
            ptc_csv_f64(w, v[k], 0);
        ptc_csv_u64(w, g->outliers);
        ptc_csv_f64(w, g->speedup, 4);
        ptc_csv_f64(w, g->ideal > 0 ? g->ideal / g->s.median : NAN, 4);
        ptc_csv_end_row(w);
    }
}

static void write_md(FILE *md, const struct groups *gs) {
    fprintf(md,
            "| host | workload | tasks | model | W | runs | median wall | 95 %% CI of the median "
            "| IQR | outliers | speedup | efficiency |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < gs->n; i++) {
        const struct group *g = &gs->g[i];
        char med[24], lo[24], hi[24], iqr[24], speed[24] = "-", eff[24] = "-";
        ptc_fmt_ns(med, sizeof med, g->s.median);
        ptc_fmt_ns(lo, sizeof lo, g->ci_lo);
        ptc_fmt_ns(hi, sizeof hi, g->ci_hi);
        ptc_fmt_ns(iqr, sizeof iqr, g->s.p75 - g->s.p25);
        if (!isnan(g->speedup))
            snprintf(speed, sizeof speed, "%.2fx", g->speedup);
        if (g->ideal > 0)
            snprintf(eff, sizeof eff, "%.1f %%", 100.0 * g->ideal / g->s.median);
        fprintf(md, "| %s | %s | %s | %s | %s | %zu | %s | %s - %s | %s | %zu | %s | %s |\n",
                g->key[0], g->key[1], g->key[2], g->key[K_MODEL], g->key[K_WORKERS], g->n, med, lo,
                hi, iqr, g->outliers, speed, eff);
    }
}

int ptc_report_runs(const struct ptc_table *tables, size_t n, struct ptc_csv_writer *w, FILE *md,
                    char *err, size_t err_size) {
    struct groups gs = {0};
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        if (ptc_report_is_runs(&tables[i]))
            rc = collect(&tables[i], &gs, err, err_size);
    if (rc == 0 && summarize(&gs) < 0) {
        snprintf(err, err_size, "out of memory");
        rc = -ENOMEM;
    }
    if (rc == 0 && w != NULL)
        write_csv(w, &gs);
    if (rc == 0 && md != NULL && gs.n > 0)
        write_md(md, &gs);
    for (size_t i = 0; i < gs.n; i++) {
        for (size_t k = 0; k < N_KEYS; k++)
            free(gs.g[i].key[k]);
        free(gs.g[i].wall);
    }
    free(gs.g);
    return rc;
}
