/* The Gantt chart's table (plots/gantt.gp): one row per task of every run of the timeline CSVs
 * among the inputs (runner/timeline.h), with what its panel shows computed here.
 *
 * A run is the rows of one file with the same claim, workload, model, workers, tasks and rep;
 * first_rep is 1 for the first run of each (claim, workload, model, workers, tasks) in its file.
 * Each row carries its run's panel: lanes (the distinct workers, lane 0 the lowest worker id),
 * xmax_ms (the axis end: the last end among the runs of the same file, claim, workload and
 * tasks, plus 4 %, so that the runs of one command share their axis), the machine text and the
 * panel title with its annotations:
 *   - "all done at X ms": the run's last end;
 *   - "tasks 4-15 wait for a free worker": the tasks that started on a worker after another
 *     task had started on it, or "no task waits for a free worker" when every task has a worker
 *     of its own.
 * A task's label is the longest of "task N (S-E ms)", "task N" and "N" that fits its bar: the
 * axis is taken as AXIS_CHARS characters of gantt.gp's label font wide, and a label of k
 * characters fits when the bar is at least k + 1 of them long; "" when none fits. */
#include "report/chart.h"

#include "report/inputs.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The axis' width in characters of the label font (gantt.gp: 1200 px, about 1050 px of axis,
 * labels at 11 pt, about 7 px a character; 110 leaves a margin). */
#define AXIS_CHARS 110.0

enum { K_CLAIM, K_WORKLOAD, K_MODEL, K_WORKERS, K_TASKS, K_REP, N_KEYS };
static const char *const key_names[N_KEYS] = {"claim",   "workload", "model",
                                              "workers", "tasks",    "rep"};
enum { N_NUMS = 4 };
static const char *const num_names[N_NUMS] = {"task", "worker", "start_ns", "end_ns"};
static const char *const machine_names[] = {"host", "cpu_model", "cpus", "kernel", "compiler"};
#define N_MACHINE (sizeof machine_names / sizeof machine_names[0])

struct bar {
    size_t run;
    double task, worker, start_ns, end_ns;
    unsigned lane;
    bool waited;
};

struct run {
    const struct ptc_table *t;
    size_t row; /* its first row, for the keys and the machine */
    const char *key[N_KEYS];
    double end_ns, xmax_ns;
    unsigned lanes;
    bool first_rep;
};

struct gantt {
    struct bar *bars;
    size_t n_bars;
    struct run *runs;
    size_t n_runs;
};

static bool same_keys(const struct run *r, const struct ptc_table *t, const char *const *key,
                      size_t n) {
    if (r->t != t)
        return false;
    for (size_t k = 0; k < n; k++)
        if (strcmp(r->key[k], key[k]) != 0)
            return false;
    return true;
}

/* The run of the row's keys in t, added when new; SIZE_MAX when out of memory. */
static size_t run_of(struct gantt *g, const struct ptc_table *t, size_t row,
                     const char *const *key) {
    if (g->n_runs > 0 && same_keys(&g->runs[g->n_runs - 1], t, key, N_KEYS))
        return g->n_runs - 1;
    bool first_rep = true;
    for (size_t i = 0; i < g->n_runs; i++) {
        if (same_keys(&g->runs[i], t, key, N_KEYS))
            return i;
        first_rep &= !same_keys(&g->runs[i], t, key, K_REP);
    }
    struct run *runs = realloc(g->runs, (g->n_runs + 1) * sizeof *runs);
    if (runs == NULL)
        return SIZE_MAX;
    g->runs = runs;
    struct run *r = &runs[g->n_runs];
    *r = (struct run){.t = t, .row = row, .first_rep = first_rep};
    memcpy(r->key, key, sizeof r->key);
    return g->n_runs++;
}

/* Every row of the timeline table t into g. Returns 0 or a negative errno with the reason. */
static int add_table(struct gantt *g, const struct ptc_table *t, char *err, size_t err_size) {
    ssize_t kc[N_KEYS], nc[N_NUMS];
    for (size_t k = 0; k < N_KEYS; k++)
        if ((kc[k] = ptc_table_col(t, key_names[k])) < 0) {
            snprintf(err, err_size, "%s: a timeline without the %s column", t->path, key_names[k]);
            return -EINVAL;
        }
    for (size_t k = 0; k < N_NUMS; k++)
        nc[k] = ptc_table_col(t, num_names[k]);
    struct bar *bars = realloc(g->bars, (g->n_bars + t->n_rows) * sizeof *bars);
    if (bars == NULL)
        return -ENOMEM;
    g->bars = bars;
    for (size_t r = 0; r < t->n_rows; r++) {
        const char *key[N_KEYS];
        double v[N_NUMS];
        for (size_t k = 0; k < N_KEYS; k++)
            key[k] = ptc_table_cell(t, r, (size_t)kc[k]);
        for (size_t k = 0; k < N_NUMS; k++) {
            int rc = ptc_table_number(t, r, (size_t)nc[k], &v[k], err, err_size);
            if (rc < 0)
                return rc;
            if (!(v[k] >= 0)) {
                snprintf(err, err_size, "%s:%zu: column %s is empty or negative", t->path,
                         t->lines[r], num_names[k]);
                return -EINVAL;
            }
        }
        if (v[3] < v[2]) {
            snprintf(err, err_size, "%s:%zu: end_ns is before start_ns", t->path, t->lines[r]);
            return -EINVAL;
        }
        size_t run = run_of(g, t, r, key);
        if (run == SIZE_MAX)
            return -ENOMEM;
        g->bars[g->n_bars++] = (struct bar){run, v[0], v[1], v[2], v[3], 0, false};
    }
    return 0;
}

/* By run, then worker, then start, then task: the order the lanes and waits are read in. */
static int by_worker(const void *a, const void *b) {
    const struct bar *x = a, *y = b;
    if (x->run != y->run)
        return x->run < y->run ? -1 : 1;
    if (x->worker != y->worker)
        return x->worker < y->worker ? -1 : 1;
    if (x->start_ns != y->start_ns)
        return x->start_ns < y->start_ns ? -1 : 1;
    return (x->task > y->task) - (x->task < y->task);
}

/* By run, then task: the order of the table. */
static int by_task(const void *a, const void *b) {
    const struct bar *x = a, *y = b;
    if (x->run != y->run)
        return x->run < y->run ? -1 : 1;
    return (x->task > y->task) - (x->task < y->task);
}

/* The lanes, the waits, each run's end and lane count, and the axis shared by the runs of one
 * file, claim, workload and tasks. */
static void compute(struct gantt *g) {
    qsort(g->bars, g->n_bars, sizeof *g->bars, by_worker);
    for (size_t i = 0; i < g->n_bars; i++) {
        struct bar *b = &g->bars[i];
        struct run *r = &g->runs[b->run];
        bool same_run = i > 0 && b[-1].run == b->run;
        bool same_worker = same_run && b[-1].worker == b->worker;
        b->waited = same_worker;
        b->lane = !same_run ? 0 : same_worker ? b[-1].lane : b[-1].lane + 1;
        r->lanes = b->lane + 1;
        r->end_ns = b->end_ns > r->end_ns ? b->end_ns : r->end_ns;
    }
    for (size_t i = 0; i < g->n_runs; i++) {
        struct run *r = &g->runs[i];
        r->xmax_ns = 0;
        for (size_t j = 0; j < g->n_runs; j++) {
            const struct run *o = &g->runs[j];
            if (same_keys(o, r->t, r->key, K_MODEL) &&
                strcmp(o->key[K_TASKS], r->key[K_TASKS]) == 0 && o->end_ns > r->xmax_ns)
                r->xmax_ns = o->end_ns;
        }
        r->xmax_ns *= 1.04;
    }
    qsort(g->bars, g->n_bars, sizeof *g->bars, by_task);
}

/* Appends the waiting tasks of run [b, e) (sorted by task) to s as ranges: "tasks 4-15, 17".
 * Returns how many waited. */
static size_t waited_text(const struct bar *b, const struct bar *e, char *s, size_t size) {
    size_t n = 0, ranges = 0, len = strlen(s);
    for (const struct bar *x = b; x < e; x++) {
        if (!x->waited)
            continue;
        n++;
        const struct bar *y = x;
        while (y + 1 < e && y[1].waited && y[1].task == y->task + 1)
            y++;
        if (ranges++ == 8) {
            len += (size_t)snprintf(s + len, len < size ? size - len : 0, ", ...");
        } else if (ranges <= 8) {
            len += (size_t)snprintf(s + len, len < size ? size - len : 0,
                                    y > x ? "%s%.0f-%.0f" : "%s%.0f", ranges > 1 ? ", " : "",
                                    x->task, y->task);
        }
        n += (size_t)(y - x);
        x = y;
    }
    return n;
}

static void panel_title(const struct run *r, const struct bar *b, const struct bar *e, char *s,
                        size_t size) {
    char list[256] = "";
    size_t waited = waited_text(b, e, list, sizeof list);
    int len =
        snprintf(s, size, "%s%s%s%s: %s, W = %s, %s tasks, rep %s: all done at %.1f ms; ",
                 strcmp(r->key[K_CLAIM], "-") != 0 ? "claim " : "",
                 strcmp(r->key[K_CLAIM], "-") != 0 ? r->key[K_CLAIM] : "",
                 strcmp(r->key[K_CLAIM], "-") != 0 ? ", " : "", r->key[K_WORKLOAD], r->key[K_MODEL],
                 r->key[K_WORKERS], r->key[K_TASKS], r->key[K_REP], r->end_ns / 1e6);
    size_t at = len > 0 && (size_t)len < size ? (size_t)len : 0;
    if (waited == 0)
        snprintf(s + at, size - at, "no task waits for a free worker");
    else
        snprintf(s + at, size - at, "task%s %s wait%s for a free worker", waited > 1 ? "s" : "",
                 list, waited > 1 ? "" : "s");
}

static void machine_text(const struct run *r, char *s, size_t size) {
    const char *v[N_MACHINE];
    for (size_t k = 0; k < N_MACHINE; k++) {
        ssize_t c = ptc_table_col(r->t, machine_names[k]);
        v[k] = c >= 0 ? ptc_table_cell(r->t, r->row, (size_t)c) : "";
    }
    if (*v[0] == '\0')
        snprintf(s, size, "(the timeline CSV records no machine)");
    else
        snprintf(s, size, "host %s, %s, %s CPUs, kernel %s, %s", v[0], v[1], v[2], v[3], v[4]);
}

/* The longest label that fits bar b of run r, or "". */
static void label(const struct run *r, const struct bar *b, char *s, size_t size) {
    double char_ns = r->xmax_ns / AXIS_CHARS, width_ns = b->end_ns - b->start_ns;
    char c[3][64];
    snprintf(c[0], sizeof c[0], "task %.0f (%.1f-%.1f ms)", b->task, b->start_ns / 1e6,
             b->end_ns / 1e6);
    snprintf(c[1], sizeof c[1], "task %.0f", b->task);
    snprintf(c[2], sizeof c[2], "%.0f", b->task);
    *s = '\0';
    for (size_t k = 0; k < 3; k++)
        if (width_ns >= (double)(strlen(c[k]) + 1) * char_ns) {
            snprintf(s, size, "%s", c[k]);
            return;
        }
}

static const char *const columns[] = {
    "run",  "first_rep", "claim",   "workload", "model",  "workers", "tasks",
    "rep",  "lanes",     "xmax_ms", "machine",  "title",  "task",    "worker",
    "lane", "start_ms",  "end_ms",  "mid_ms",   "waited", "label",   NULL};

static void write_table(const struct gantt *g, struct ptc_tsv *w) {
    ptc_tsv_header(w, columns);
    char title[512], machine[1024], text[64];
    for (size_t i = 0, e; i < g->n_bars; i = e) {
        const struct run *r = &g->runs[g->bars[i].run];
        for (e = i; e < g->n_bars && g->bars[e].run == g->bars[i].run; e++)
            ;
        panel_title(r, &g->bars[i], &g->bars[e], title, sizeof title);
        machine_text(r, machine, sizeof machine);
        for (size_t j = i; j < e; j++) {
            const struct bar *b = &g->bars[j];
            ptc_tsv_f64(w, (double)b->run + 1, 0);
            ptc_tsv_f64(w, r->first_rep, 0);
            for (size_t k = 0; k < N_KEYS; k++)
                ptc_tsv_str(w, r->key[k]);
            ptc_tsv_f64(w, r->lanes, 0);
            ptc_tsv_f64(w, r->xmax_ns / 1e6, 6);
            ptc_tsv_str(w, machine);
            ptc_tsv_str(w, title);
            ptc_tsv_f64(w, b->task, 0);
            ptc_tsv_f64(w, b->worker, 0);
            ptc_tsv_f64(w, b->lane, 0);
            ptc_tsv_f64(w, b->start_ns / 1e6, 6);
            ptc_tsv_f64(w, b->end_ns / 1e6, 6);
            ptc_tsv_f64(w, (b->start_ns + b->end_ns) / 2e6, 6);
            ptc_tsv_f64(w, b->waited, 0);
            label(r, b, text, sizeof text);
            ptc_tsv_str(w, text);
            ptc_tsv_end_row(w);
        }
    }
}

static int write_gantt(const struct ptc_chart_inputs *in, const void *arg, struct ptc_tsv *w,
                       char *err, size_t err_size) {
    (void)arg;
    struct gantt g = {0};
    int rc = 0;
    for (size_t i = 0; i < in->n && rc == 0; i++)
        if (ptc_input_kind(&in->tables[i]) == PTC_INPUT_TIMELINE)
            rc = add_table(&g, &in->tables[i], err, err_size);
    if (rc == -ENOMEM)
        snprintf(err, err_size, "out of memory");
    else if (rc == 0 && g.n_bars == 0) {
        snprintf(err, err_size, "no task of a timeline CSV (ptc-run --timeline) among the inputs");
        rc = -EINVAL;
    }
    if (rc == 0) {
        compute(&g);
        write_table(&g, w);
    }
    free(g.bars);
    free(g.runs);
    return rc;
}

const struct ptc_chart ptc_chart_gantt = {
    .name = "gantt",
    .script = "gantt.gp",
    .reads = "timeline CSVs (ptc-run --timeline, ptc-claims' claims-timeline.csv)",
    .write = write_gantt,
    .arg = NULL,
    .also_reads = 1u << PTC_INPUT_TIMELINE,
};
