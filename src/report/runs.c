#include "report/runs.h"

#include "core/format.h"
#include "core/hash.h"
#include "report/index.h"
#include "report/md.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The columns of enum ptc_run_key, in its order. */
static const char *const key_cols[PTC_N_FIXED_KEYS] = {
    "host",        "workload", "tasks",    "model",  "workers", "poller",
    "coro_switch", "git_rev",  "compiler", "kernel", "runtime"};

bool ptc_run_key_is_machine(size_t k) {
    return k == PTC_KEY_HOST || (k >= PTC_KEY_GIT_REV && k < PTC_N_FIXED_KEYS);
}

const char *ptc_run_key_col(size_t k) {
    return key_cols[k];
}

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

struct key_probe {
    const struct ptc_run_groups *gs;
    const char *const *key;
    uint64_t hash;
};

static bool same_key(const void *ctx, size_t i) {
    const struct key_probe *p = ctx;
    const struct ptc_run_group *g = &p->gs->g[i];
    if (g->key_hash != p->hash)
        return false;
    for (size_t k = 0; k < p->gs->n_keys; k++)
        if (strcmp(g->key[k], p->key[k]) != 0)
            return false;
    return true;
}

static uint64_t group_hash(const void *ctx, size_t i) {
    return ((const struct ptc_run_groups *)ctx)->g[i].key_hash;
}

static struct key_probe probe(const struct ptc_run_groups *gs, const char *const *key) {
    struct key_probe p = {gs, key, PTC_FNV1A64_INIT};
    for (size_t k = 0; k < gs->n_keys; k++)
        p.hash = ptc_index_hash_str(p.hash, key[k]);
    return p;
}

long ptc_run_groups_find(const struct ptc_run_groups *gs, const char *const *key) {
    if (gs->n == 0)
        return -1;
    struct key_probe p = probe(gs, key);
    size_t *slot = ptc_index_find(&gs->index, p.hash, same_key, &p);
    return *slot != 0 ? (long)(*slot - 1) : -1;
}

static long find_or_add(struct ptc_run_groups *gs, const char *const *key) {
    struct key_probe p = probe(gs, key);
    if (ptc_index_reserve(&gs->index, gs->n + 1, group_hash, gs) < 0)
        return -ENOMEM;
    size_t *slot = ptc_index_find(&gs->index, p.hash, same_key, &p);
    if (*slot != 0)
        return (long)(*slot - 1);
    if (gs->n == gs->cap) {
        size_t cap = gs->cap ? 2 * gs->cap : 16;
        struct ptc_run_group *grown = realloc(gs->g, cap * sizeof *grown);
        if (grown == NULL)
            return -ENOMEM;
        gs->g = grown;
        gs->cap = cap;
    }
    struct ptc_run_group *g = &gs->g[gs->n];
    memset(g, 0, sizeof *g);
    g->setting_cols = gs->setting_cols;
    g->key_hash = p.hash;
    g->seq = -1;
    if ((g->key = calloc(gs->n_keys, sizeof *g->key)) == NULL)
        return -ENOMEM;
    gs->n++;
    for (size_t k = 0; k < gs->n_keys; k++)
        if ((g->key[k] = ptc_intern(&gs->strings, key[k])) == NULL)
            return -ENOMEM;
    *slot = gs->n;
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

/* Row r's number in column c (NaN when the table has no such column: c < 0). */
static int number(const struct ptc_table *t, size_t r, ssize_t c, double *out, char *err,
                  size_t err_size) {
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

/* The numbers collect reads from each row, in the order of its variables. */
enum { WALL, IDEAL, CPUS, CAPACITY, DISTURBED, USER, SYS, N_NUMBERS };
static const char *const number_cols[N_NUMBERS] = {"wall_ns",   "ideal_ns", "cpus",  "capacity",
                                                   "disturbed", "user_ns",  "sys_ns"};

static int collect(const struct ptc_table *t, struct ptc_run_groups *gs, char *err,
                   size_t err_size) {
    const char **key = calloc(gs->n_keys, sizeof *key);
    const char **cells = calloc(t->n_cols, sizeof *cells);
    ssize_t *key_c = calloc(gs->n_keys, sizeof *key_c), num_c[N_NUMBERS];
    if (key == NULL || cells == NULL || key_c == NULL)
        goto nomem;
    for (size_t k = 0; k < gs->n_keys; k++)
        key_c[k] = ptc_table_col(t, key_col(gs, k));
    for (size_t k = 0; k < N_NUMBERS; k++)
        num_c[k] = ptc_table_col(t, number_cols[k]);
    for (size_t r = 0; r < t->n_rows; r++) {
        ptc_table_row(t, r, cells);
        for (size_t k = 0; k < gs->n_keys; k++)
            key[k] = key_c[k] >= 0 ? cells[key_c[k]] : "";
        double v[N_NUMBERS];
        int rc = 0;
        for (size_t k = 0; k < N_NUMBERS && rc == 0; k++)
            rc = number(t, r, num_c[k], &v[k], err, err_size);
        if (rc == 0 && !(v[WALL] > 0)) {
            snprintf(err, err_size, "%s:%zu: column %zd (wall_ns): '%s' is not a positive time",
                     t->path, t->lines[r], num_c[WALL] + 1, cells[num_c[WALL]]);
            rc = -EINVAL;
        }
        if (rc < 0) {
            free(key);
            free(cells);
            free(key_c);
            return rc;
        }
        long i =
            ptc_run_groups_add(gs, key, v[WALL], v[IDEAL], v[CPUS], v[CAPACITY], v[DISTURBED] > 0);
        if (i < 0)
            goto nomem;
        if (!isnan(v[USER]) && !isnan(v[SYS])) {
            gs->g[i].cpu_ns_sum += v[USER] + v[SYS];
            gs->g[i].cpu_wall_ns_sum += v[WALL];
        }
    }
    free(key);
    free(cells);
    free(key_c);
    return 0;
nomem:
    free(key);
    free(cells);
    free(key_c);
    snprintf(err, err_size, "out of memory");
    return -ENOMEM;
}

double ptc_run_group_cpus_busy(const struct ptc_run_group *g) {
    return g->cpu_wall_ns_sum > 0 ? g->cpu_ns_sum / g->cpu_wall_ns_sum : NAN;
}

const char *ptc_run_group_setting(const struct ptc_run_group *g, const char *column) {
    for (size_t k = 0; g->setting_cols != NULL && g->setting_cols[k] != NULL; k++)
        if (strcmp(g->setting_cols[k], column) == 0)
            return g->key[PTC_N_FIXED_KEYS + k];
    return "";
}

bool ptc_run_groups_same_size(const struct ptc_run_group *a, const struct ptc_run_group *b) {
    for (size_t k = 0; k < PTC_N_FIXED_KEYS; k++)
        if ((ptc_run_key_is_machine(k) || k == PTC_KEY_WORKLOAD || k == PTC_KEY_TASKS) &&
            strcmp(a->key[k], b->key[k]) != 0)
            return false;
    for (size_t k = PTC_N_FIXED_KEYS; k < PTC_N_FIXED_KEYS + count_cols(a->setting_cols); k++)
        if (strcmp(a->key[k], b->key[k]) != 0)
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
        g->capacity_median = ptc_run_groups_capacity(gs, NULL, i, NULL);
    }
    struct ptc_run_classes size;
    if (ptc_run_groups_classes(gs, ptc_run_groups_size_keys(gs), ptc_run_groups_same_size, &size) <
        0)
        return -ENOMEM;
    /* The last seq of each size, kept on the first group of the size, then given to all. */
    for (size_t i = 0; i < gs->n; i++) {
        gs->g[i].seq = -1;
        if (strcmp(gs->g[i].key[PTC_KEY_MODEL], "seq") == 0)
            gs->g[size.first[i]].seq = (long)i;
    }
    for (size_t i = 0; i < gs->n; i++) {
        struct ptc_run_group *g = &gs->g[i];
        g->seq = gs->g[size.first[i]].seq;
        g->speedup = g->seq >= 0 ? gs->g[g->seq].s.median / g->s.median : NAN;
    }
    ptc_classes_free(&size);
    return 0;
}

struct class_ctx {
    const struct ptc_run_groups *gs;
    uint64_t keys;
    ptc_run_same_fn *same;
};

static uint64_t class_hash(const void *ctx, size_t i) {
    const struct class_ctx *c = ctx;
    uint64_t h = PTC_FNV1A64_INIT;
    for (size_t k = 0; k < c->gs->n_keys && k < 64; k++)
        if (c->keys & (UINT64_C(1) << k))
            h = ptc_index_hash_str(h, c->gs->g[i].key[k]);
    return h;
}

static bool class_same(const void *ctx, size_t i, size_t j) {
    const struct class_ctx *c = ctx;
    return c->same(&c->gs->g[i], &c->gs->g[j]);
}

int ptc_run_groups_classes(const struct ptc_run_groups *gs, uint64_t keys, ptc_run_same_fn *same,
                           struct ptc_run_classes *c) {
    struct class_ctx ctx = {gs, keys, same};
    return ptc_classes_build(gs->n, class_hash, class_same, &ctx, c);
}

uint64_t ptc_run_groups_settings_keys(const struct ptc_run_groups *gs) {
    uint64_t bits = 0;
    for (size_t k = PTC_N_FIXED_KEYS; k < gs->n_keys && k < 64; k++)
        bits |= UINT64_C(1) << k;
    return bits;
}

uint64_t ptc_run_groups_size_keys(const struct ptc_run_groups *gs) {
    uint64_t bits = (UINT64_C(1) << PTC_KEY_WORKLOAD) | (UINT64_C(1) << PTC_KEY_TASKS);
    for (size_t k = 0; k < PTC_N_FIXED_KEYS; k++)
        if (ptc_run_key_is_machine(k))
            bits |= UINT64_C(1) << k;
    return bits | ptc_run_groups_settings_keys(gs);
}

/* Group i alone without classes, else its whole class. */
static size_t class_next(const struct ptc_run_classes *c, size_t j) {
    return c == NULL ? PTC_CLASS_END : c->next[j];
}

double ptc_run_groups_capacity(const struct ptc_run_groups *gs, const struct ptc_run_classes *c,
                               size_t i, size_t *n_out) {
    size_t n = 0, total = 0, first = c == NULL ? i : c->first[i];
    for (size_t j = first; j != PTC_CLASS_END; j = class_next(c, j))
        total += gs->g[j].n;
    double *v = malloc((total ? total : 1) * sizeof *v);
    if (v == NULL)
        return NAN;
    for (size_t j = first; j != PTC_CLASS_END; j = class_next(c, j))
        for (size_t k = 0; k < gs->g[j].n; k++)
            if (!isnan(gs->g[j].capacity[k]))
                v[n++] = gs->g[j].capacity[k];
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
        free(gs->g[i].key);
        free(gs->g[i].wall_ns);
        free(gs->g[i].capacity);
    }
    free(gs->g);
    ptc_index_free(&gs->index);
    ptc_intern_free(&gs->strings);
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
    bool varies[PTC_N_FIXED_KEYS] = {0};
    for (size_t k = PTC_KEY_GIT_REV; k < PTC_N_FIXED_KEYS; k++)
        for (size_t i = 1; i < gs->n && !varies[k]; i++)
            varies[k] = strcmp(gs->g[i].key[k], gs->g[0].key[k]) != 0;
    fputs("| host | ", md);
    for (size_t k = PTC_KEY_GIT_REV; k < PTC_N_FIXED_KEYS; k++)
        if (varies[k])
            fprintf(md, "%s | ", key_cols[k]);
    fprintf(md, "workload | size | model | W | runs | median wall | 95 %% CI of the median "
                "(coverage) | IQR | outliers | speedup | efficiency | machine |\n|---|");
    for (size_t k = PTC_KEY_GIT_REV; k < PTC_N_FIXED_KEYS; k++)
        if (varies[k])
            fputs("---|", md);
    fputs("---|---|---|---|---|---|---|---|---|---|---|---|\n", md);
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
        fprintf(md, "| %s | ", ptc_md_esc(host, sizeof host, g->key[PTC_KEY_HOST]));
        for (size_t k = PTC_KEY_GIT_REV; k < PTC_N_FIXED_KEYS; k++)
            if (varies[k]) {
                ptc_md_put(md, g->key[k]);
                fputs(" | ", md);
            }
        fprintf(md, "%s | %s | %s | %s | %zu | %s | %s | %s | %s | %s | %s | %s |\n",
                ptc_md_esc(wl, sizeof wl, g->key[PTC_KEY_WORKLOAD]),
                ptc_md_esc(size, sizeof size, ptc_run_group_size_text(g, sz, sizeof sz)),
                ptc_md_esc(model, sizeof model, g->key[PTC_KEY_MODEL]),
                ptc_md_esc(w, sizeof w, g->key[PTC_KEY_WORKERS]), g->n, med, ci, iqr, outl, speed,
                eff, machine);
    }
}

const struct ptc_run_group *ptc_run_groups_seq_of(const struct ptc_run_groups *gs,
                                                  const struct ptc_run_group *g) {
    return g->seq >= 0 ? &gs->g[g->seq] : NULL;
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
