/* One side of ptc-report --compare: its files found, read and grouped per configuration, with
 * the machine values of each configuration checked to be one. */
#include "report/compare.h"

#include "core/grow.h"
#include "report/input_paths.h"
#include "report/kinds.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const ptc_compare_cols[PTC_CMP_N_COLS] = {"host",     "cpu_model", "kernel",
                                                      "compiler", "git_rev",   "runtime"};

const char *const ptc_compare_cond_cols[PTC_COND_N] = {[PTC_COND_CAPACITY] = "capacity",
                                                       [PTC_COND_STEAL] = "steal_cpus",
                                                       [PTC_COND_OTHER_BUSY] = "other_busy_cpus",
                                                       [PTC_COND_LOAD] = "load_1m",
                                                       [PTC_COND_NS_PER_ITER] = "ns_per_iter"};

/* The machine key of each header column that splits a configuration (cpu_model follows the
 * host, so it splits nothing). */
static const int col_key[PTC_CMP_N_COLS] = {
    [PTC_CMP_HOST] = PTC_KEY_HOST,       [PTC_CMP_CPU_MODEL] = -1,
    [PTC_CMP_KERNEL] = PTC_KEY_KERNEL,   [PTC_CMP_COMPILER] = PTC_KEY_COMPILER,
    [PTC_CMP_GIT_REV] = PTC_KEY_GIT_REV, [PTC_CMP_RUNTIME] = PTC_KEY_RUNTIME};

/* Records value as one of column c's values on the side. */
static int note_value(struct ptc_compare_side *s, size_t c, const char *value) {
    for (size_t i = 0; i < s->n_values[c] && i < PTC_CMP_MAX_VALUES; i++)
        if (strcmp(s->values[c][i], value) == 0)
            return 0;
    if (s->n_values[c] < PTC_CMP_MAX_VALUES &&
        (s->values[c][s->n_values[c]] = ptc_intern(&s->gs.strings, value)) == NULL)
        return -ENOMEM;
    s->n_values[c]++;
    return 0;
}

static int grow_machine(struct ptc_compare_side *s) {
    if (s->gs.n <= s->machine_cap)
        return 0;
    size_t cap = s->machine_cap ? 2 * s->machine_cap : 64;
    const char **m = realloc(s->machine, cap * PTC_CMP_N_COLS * sizeof *m);
    if (m == NULL)
        return -ENOMEM;
    s->machine = m;
    struct ptc_compare_origin *o = realloc(s->origin, cap * sizeof *o);
    if (o == NULL)
        return -ENOMEM;
    s->origin = o;
    double *sum = realloc(s->iters_sum, cap * sizeof *sum);
    if (sum == NULL)
        return -ENOMEM;
    s->iters_sum = sum;
    size_t *n = realloc(s->iters_n, cap * sizeof *n);
    if (n == NULL)
        return -ENOMEM;
    s->iters_n = n;
    s->machine_cap = cap;
    return 0;
}

/* Checks that group i's machine values agree with those of row r of t, or records them when
 * the row is the group's first. */
static int check_machine(struct ptc_compare_side *s, size_t i, bool first, const char **value,
                         const struct ptc_table *t, size_t r, char *msg, size_t msg_size) {
    const char **m = &s->machine[i * PTC_CMP_N_COLS];
    if (first) {
        for (size_t c = 0; c < PTC_CMP_N_COLS; c++)
            if ((m[c] = ptc_intern(&s->gs.strings, value[c])) == NULL)
                return -ENOMEM;
        s->origin[i] = (struct ptc_compare_origin){t, r};
        s->iters_sum[i] = 0;
        s->iters_n[i] = 0;
        return 0;
    }
    for (size_t c = 0; c < PTC_CMP_N_COLS; c++) {
        if (col_key[c] < 0 || strcmp(m[c], value[c]) == 0)
            continue;
        char cfg[256];
        const struct ptc_compare_origin *o = &s->origin[i];
        snprintf(msg, msg_size,
                 "%s: ambiguous: configuration %s has %s '%s' (%s:%zu) and '%s' (%s:%zu); "
                 "give each side one %s",
                 s->arg, ptc_compare_config_text(&s->gs.g[i], cfg, sizeof cfg), ptc_compare_cols[c],
                 m[c], o->t->path, o->t->lines[o->row], value[c], t->path, t->lines[r],
                 ptc_compare_cols[c]);
        return -EINVAL;
    }
    return 0;
}

/* The columns of t a row is read from. */
struct cols {
    ssize_t *key; /* [gs.n_keys]; -1 for a machine key or a missing column */
    ssize_t machine[PTC_CMP_N_COLS], cond[PTC_COND_N], wall, task_ms, iterations;
};

static void find_cols(const struct ptc_compare_side *s, const struct ptc_table *t, struct cols *c) {
    for (size_t k = 0; k < s->gs.n_keys; k++) {
        const char *name =
            k < PTC_N_FIXED_KEYS ? ptc_run_key_col(k) : s->gs.setting_cols[k - PTC_N_FIXED_KEYS];
        c->key[k] = k < PTC_N_FIXED_KEYS && ptc_run_key_is_machine(k) ? -1 : ptc_table_col(t, name);
    }
    for (size_t m = 0; m < PTC_CMP_N_COLS; m++)
        c->machine[m] = ptc_table_col(t, ptc_compare_cols[m]);
    for (size_t k = 0; k < PTC_COND_N; k++)
        c->cond[k] = ptc_table_col(t, ptc_compare_cond_cols[k]);
    c->wall = ptc_table_col(t, "wall_ns");
    c->task_ms = ptc_table_col(t, "task_ms");
    c->iterations = ptc_table_col(t, "iterations");
}

/* Appends the number in cell (r, col) of t to *v; a blank or missing cell adds nothing. */
static int add_value(struct ptc_compare_values *v, const struct ptc_table *t, size_t r, ssize_t col,
                     const char *cell, char *msg, size_t msg_size) {
    double x;
    if (col < 0 || *cell == '\0')
        return 0;
    int rc = ptc_table_number(t, r, (size_t)col, &x, msg, msg_size);
    if (rc < 0 || !isfinite(x))
        return rc;
    double *grown = ptc_grow(v->v, v->n, &v->cap, sizeof *v->v, 64);
    if (grown == NULL)
        return -ENOMEM;
    v->v = grown;
    v->v[v->n++] = x;
    return 0;
}

/* Row r's condition values and, where its work was calibrated, its iterations into group i. */
static int add_condition(struct ptc_compare_side *s, size_t i, const struct ptc_table *t, size_t r,
                         const struct cols *c, const char **cells, bool calibrated, char *msg,
                         size_t msg_size) {
    int rc = 0;
    for (size_t k = 0; k < PTC_COND_N && rc == 0; k++)
        rc = add_value(&s->cond[k], t, r, c->cond[k], c->cond[k] >= 0 ? cells[c->cond[k]] : "", msg,
                       msg_size);
    double iters;
    if (rc == 0 && calibrated && *cells[c->iterations] != '\0' &&
        (rc = ptc_table_number(t, r, (size_t)c->iterations, &iters, msg, msg_size)) == 0) {
        s->iters_sum[i] += iters;
        s->iters_n[i]++;
    }
    return rc;
}

double ptc_compare_side_iters(const struct ptc_compare_side *s, size_t g) {
    return s->iters_n[g] ? s->iters_sum[g] / (double)s->iters_n[g] : NAN;
}

/* Every row of the run table t into the side's groups. */
static int collect(struct ptc_compare_side *s, const struct ptc_table *t, char *msg,
                   size_t msg_size) {
    const char **key = calloc(s->gs.n_keys, sizeof *key);
    const char **cells = calloc(t->n_cols ? t->n_cols : 1, sizeof *cells);
    struct cols c = {.key = calloc(s->gs.n_keys, sizeof *c.key)};
    int rc = key == NULL || cells == NULL || c.key == NULL ? -ENOMEM : 0;
    if (rc == 0)
        find_cols(s, t, &c);
    for (size_t m = 0; m < PTC_CMP_N_COLS; m++)
        s->has_col[m] |= c.machine[m] >= 0;
    for (size_t r = 0; r < t->n_rows && rc == 0; r++) {
        ptc_table_row(t, r, cells);
        for (size_t k = 0; k < s->gs.n_keys; k++)
            key[k] = c.key[k] >= 0 ? cells[c.key[k]] : "";
        /* ptc-run calibrates the iterations to --task-ms on each machine */
        bool calibrated = c.iterations >= 0 && c.task_ms >= 0 && *cells[c.task_ms] != '\0';
        if (calibrated)
            for (size_t k = PTC_N_FIXED_KEYS; k < s->gs.n_keys; k++)
                if (c.key[k] == c.iterations)
                    key[k] = "";
        double wall;
        if ((rc = ptc_table_number(t, r, (size_t)c.wall, &wall, msg, msg_size)) < 0)
            break;
        if (!(wall > 0)) {
            snprintf(msg, msg_size, "%s:%zu: column %zd (wall_ns): '%s' is not a positive time",
                     t->path, t->lines[r], c.wall + 1, cells[c.wall]);
            rc = -EINVAL;
            break;
        }
        size_t before = s->gs.n;
        long i = ptc_run_groups_add(&s->gs, key, wall, NAN, NAN, NAN, false);
        if (i < 0 || grow_machine(s) < 0) {
            rc = -ENOMEM;
            break;
        }
        const char *value[PTC_CMP_N_COLS];
        for (size_t m = 0; m < PTC_CMP_N_COLS && rc == 0; m++) {
            value[m] = c.machine[m] >= 0 ? cells[c.machine[m]] : "";
            rc = note_value(s, m, value[m]);
        }
        if (rc == 0)
            rc = check_machine(s, (size_t)i, s->gs.n > before, value, t, r, msg, msg_size);
        if (rc == 0)
            rc = add_condition(s, (size_t)i, t, r, &c, cells, calibrated, msg, msg_size);
        s->n_runs++;
    }
    if (rc == -ENOMEM)
        snprintf(msg, msg_size, "out of memory");
    free(key);
    free(cells);
    free(c.key);
    return rc;
}

/* Reads paths[n] into s->t: the run CSVs kept, the others skipped with a note (only a folder's
 * files may be skipped: a file named alone must be a run CSV). */
static int load_tables(struct ptc_compare_side *s, char **paths, size_t n, bool folder,
                       const char *prog, FILE *notes, char *msg, size_t msg_size) {
    if ((s->t = calloc(n ? n : 1, sizeof *s->t)) == NULL) {
        snprintf(msg, msg_size, "out of memory");
        return -ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        struct ptc_table *t = &s->t[s->n_tables];
        int rc = ptc_table_load(paths[i], t, msg, msg_size);
        if (rc < 0) {
            ptc_table_free(t);
            return rc;
        }
        const struct ptc_kind *k = ptc_kind_of(t);
        if (k != NULL && k->read && k->input == PTC_INPUT_RUNS) {
            s->n_tables++;
            continue;
        }
        if (k == NULL)
            ptc_kind_unknown(t, msg, msg_size);
        else if (!folder)
            snprintf(msg, msg_size, "%s: not a ptc-run run CSV (%s)", paths[i], k->name);
        else
            fprintf(notes, "%s: %s: skipped: not a ptc-run run CSV (%s)\n", prog, paths[i],
                    k->name);
        ptc_table_free(t);
        if (k == NULL || !folder)
            return -EINVAL;
    }
    if (s->n_tables == 0) {
        snprintf(msg, msg_size, "%s: no ptc-run run CSV in it", s->arg);
        return -EINVAL;
    }
    return 0;
}

int ptc_compare_side_load(struct ptc_compare_side *s, const char *arg,
                          const char *const *setting_cols, const char *prog, FILE *notes, char *msg,
                          size_t msg_size) {
    memset(s, 0, sizeof *s);
    s->arg = arg;
    ptc_run_groups_init(&s->gs, setting_cols);
    struct stat st;
    if (stat(arg, &st) != 0) {
        snprintf(msg, msg_size, "%s: %s", arg, strerror(errno));
        return -EINVAL;
    }
    bool folder = S_ISDIR(st.st_mode);
    struct ptc_input_paths p;
    int rc = ptc_input_paths_get(&p, (char *const[]){(char *)arg}, 1, prog, notes, msg, msg_size);
    if (rc == 0)
        rc = load_tables(s, p.path, p.n, folder, prog, notes, msg, msg_size);
    ptc_input_paths_free(&p);
    for (size_t i = 0; i < s->n_tables && rc == 0; i++)
        rc = collect(s, &s->t[i], msg, msg_size);
    if (rc == 0 && ptc_run_groups_summarize(&s->gs) < 0) {
        snprintf(msg, msg_size, "out of memory");
        rc = -ENOMEM;
    }
    return rc;
}

void ptc_compare_side_free(struct ptc_compare_side *s) {
    for (size_t i = 0; i < s->n_tables; i++)
        ptc_table_free(&s->t[i]);
    free(s->t);
    free(s->machine);
    free(s->origin);
    free(s->iters_sum);
    free(s->iters_n);
    for (size_t k = 0; k < PTC_COND_N; k++)
        free(s->cond[k].v);
    ptc_run_groups_free(&s->gs);
    memset(s, 0, sizeof *s);
}
