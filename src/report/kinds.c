#include "report/kinds.h"

#include "report/claims_check.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Every value of the columns cols (those t has) must be a number or empty. */
static int check_numbers(const struct ptc_table *t, const char *const *cols, char *err,
                         size_t err_size) {
    for (const char *const *c = cols; *c; c++) {
        ssize_t k = ptc_table_col(t, *c);
        for (size_t r = 0; k >= 0 && r < t->n_rows; r++) {
            double v;
            int rc = ptc_table_number(t, r, (size_t)k, &v, err, err_size);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

/* ptc-run's runs: tasks and workers are counts (at least 1); wall_ns is checked when grouped. */
static int check_runs(const struct ptc_table *t, char *err, size_t err_size) {
    static const char *const counts[] = {"tasks", "workers", NULL};
    for (const char *const *c = counts; *c; c++) {
        ssize_t k = ptc_table_col(t, *c);
        for (size_t r = 0; k >= 0 && r < t->n_rows; r++) {
            uint64_t v;
            int rc = ptc_table_count(t, r, (size_t)k, 1, &v, err, err_size);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

static int check_micro(const struct ptc_table *t, char *err, size_t err_size) {
    static const char *const numbers[] = {"value", "min", "max", NULL};
    return check_numbers(t, numbers, err, err_size);
}

static int check_claims(const struct ptc_table *t, char *err, size_t err_size) {
    static const char *const numbers[] = {"expected_value", "measured_value", NULL};
    int rc = check_numbers(t, numbers, err, err_size);
    return rc < 0 ? rc : ptc_claims_check(t, err, err_size);
}

static int check_timeline(const struct ptc_table *t, char *err, size_t err_size) {
    static const char *const numbers[] = {"task", "worker", "start_ns", "end_ns", NULL};
    return check_numbers(t, numbers, err, err_size);
}

static int check_hyperfine(const struct ptc_table *t, char *err, size_t err_size) {
    static const char *const numbers[] = {"mean", "stddev", "median", "min", "max", NULL};
    return check_numbers(t, numbers, err, err_size);
}

#define COLS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* First match wins: a kind whose columns another kind's include comes after it. */
static const struct ptc_kind kinds[] = {
    {"ptc-run's runs", COLS("wall_ns", "model", "workers"), false, true, PTC_INPUT_RUNS,
     check_runs},
    {"a microbenchmark's CSV", COLS("metric", "value"), false, true, PTC_INPUT_MICRO, check_micro},
    {"ptc-claims' ledger", COLS("program", "id", "verdict"), false, true, PTC_INPUT_CLAIMS,
     check_claims},
    {"hyperfine's export", COLS("command", "mean", "stddev", "median"), false, true,
     PTC_INPUT_HYPERFINE, check_hyperfine},
    {"ptc-run's --summary", COLS("program", "workload", "wall_median_ns", "per_task_ns"), false,
     false, PTC_INPUT_NONE, NULL},
    {"ptc-report's aggregate (--csv)", COLS("workload", "runs", "wall_median_ns", "ci_coverage"),
     false, false, PTC_INPUT_NONE, NULL},
    {"ptc-report's --compare CSV", COLS("base_median_ns", "new_median_ns", "ratio_new_over_base"),
     false, false, PTC_INPUT_NONE, NULL},
    {"ptc-report's --hyperfine-pairs CSV", COLS("inproc_median_ns", "hyperfine_median_ns"), false,
     false, PTC_INPUT_NONE, NULL},
    {"the Python tutorials' verdicts (claims.csv holds them)",
     COLS("id", "verdict", "measured_value"), false, false, PTC_INPUT_NONE, NULL},
    {"a --timeline CSV", COLS("task", "worker", "start_ns", "end_ns"), false, false,
     PTC_INPUT_TIMELINE, check_timeline},
    {"a chart's table (tab-separated, ptc-report --chart)", COLS(NULL), true, false, PTC_INPUT_NONE,
     NULL},
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

static bool tab_header(const struct ptc_table *t) {
    return t->n_cols == 1 && strchr(t->header[0], '\t') != NULL;
}

/* How many of kind k's columns t has. */
static size_t present(const struct ptc_kind *k, const struct ptc_table *t) {
    size_t n = 0;
    for (const char *const *c = k->cols; *c; c++)
        n += ptc_table_col(t, *c) >= 0;
    return n;
}

static size_t count(const char *const *cols) {
    size_t n = 0;
    while (cols[n] != NULL)
        n++;
    return n;
}

const struct ptc_kind *ptc_kind_of(const struct ptc_table *t) {
    for (size_t i = 0; i < N_KINDS; i++) {
        const struct ptc_kind *k = &kinds[i];
        if (k->tab_separated ? tab_header(t) : present(k, t) == count(k->cols))
            return k;
    }
    return NULL;
}

int ptc_kind_unknown(const struct ptc_table *t, char *err, size_t err_size) {
    const struct ptc_kind *near = NULL;
    size_t best = 0;
    for (size_t i = 0; i < N_KINDS; i++) {
        size_t n = present(&kinds[i], t);
        if (n > best)
            best = n, near = &kinds[i];
    }
    if (near == NULL) {
        snprintf(err, err_size,
                 "%s:1: column 1 ('%s'): not a CSV ptc-report knows: no kind it reads or skips "
                 "has this column (see --help)",
                 t->path, t->n_cols > 0 ? t->header[0] : "");
        return -EINVAL;
    }
    const char *missing = "";
    char cols[256];
    size_t used = 0;
    cols[0] = '\0';
    for (const char *const *c = near->cols; *c; c++) {
        if (*missing == '\0' && ptc_table_col(t, *c) < 0)
            missing = *c;
        int n = snprintf(cols + used, sizeof cols - used, "%s%s", c == near->cols ? "" : ", ", *c);
        if (n > 0 && (size_t)n < sizeof cols - used)
            used += (size_t)n;
    }
    snprintf(err, err_size,
             "%s:1: not a CSV ptc-report knows: no column '%s' (the nearest kind, %s, has %s)",
             t->path, missing, near->name, cols);
    return -EINVAL;
}
