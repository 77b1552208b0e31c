/* The charts of ptc-run's runs: one row per configuration and host (report/runs.h's groups, in
 * the order they first appear), its keys as text and the values the chart draws. */
#include "report/chart.h"

#include <errno.h>
#include <math.h>

typedef const struct ptc_run_groups groups;
typedef const struct ptc_run_group group;

/* A column: a key of the configuration, or a number of the group's (key < 0). */
struct column {
    const char *name;
    int key;
    double (*value)(groups *gs, group *g);
    int digits;
};
#define KEY(name, k)                                                                               \
    { name, k, NULL, 0 }
#define NUM(name, fn, digits)                                                                      \
    { name, -1, fn, digits }

static double runs(groups *gs, group *g) {
    (void)gs;
    return (double)g->n;
}
static double speedup(groups *gs, group *g) {
    (void)gs;
    return g->speedup;
}
static double speedup_lo(groups *gs, group *g) {
    double lo, hi;
    ptc_run_group_speedup_ci(gs, g, &lo, &hi);
    return lo;
}
static double speedup_hi(groups *gs, group *g) {
    double lo, hi;
    ptc_run_group_speedup_ci(gs, g, &lo, &hi);
    return hi;
}
static double ms(double ns) {
    return ns / 1e6;
}
static double median_ms(groups *gs, group *g) {
    (void)gs;
    return ms(g->s.median);
}
static double min_ms(groups *gs, group *g) {
    (void)gs;
    return ms(g->s.min);
}
static double max_ms(groups *gs, group *g) {
    (void)gs;
    return ms(g->s.max);
}
/* The ends of the 95 % CI of the median; the median itself without one (under 6 runs). */
static double ci_lo_ms(groups *gs, group *g) {
    (void)gs;
    return ms(g->ci.supported && g->ci.lo > 0 ? g->ci.lo : g->s.median);
}
static double ci_hi_ms(groups *gs, group *g) {
    (void)gs;
    return ms(g->ci.supported && g->ci.lo > 0 ? g->ci.hi : g->s.median);
}

static int write_groups(const struct column *cols, size_t n_cols, const struct ptc_chart_inputs *in,
                        struct ptc_tsv *w, char *err, size_t err_size) {
    if (in->gs->n == 0) {
        snprintf(err, err_size, "no ptc-run runs among the inputs");
        return -EINVAL;
    }
    for (size_t c = 0; c < n_cols; c++)
        ptc_tsv_str(w, cols[c].name);
    ptc_tsv_end_row(w);
    for (size_t i = 0; i < in->gs->n; i++) {
        group *g = &in->gs->g[i];
        for (size_t c = 0; c < n_cols; c++)
            if (cols[c].key >= 0)
                ptc_tsv_str(w, g->key[cols[c].key]);
            else
                ptc_tsv_f64(w, cols[c].value(in->gs, g), cols[c].digits);
        ptc_tsv_end_row(w);
    }
    return 0;
}
#define WRITE_GROUPS(cols, in, w, err, size)                                                       \
    write_groups(cols, sizeof cols / sizeof cols[0], in, w, err, size)

/* Speedup against W: seq's median / the median, its 95 % CI, and the ideal speedup. */
static int write_speedup(const struct ptc_chart_inputs *in, struct ptc_tsv *w, char *err,
                         size_t err_size) {
    static const struct column cols[] = {
        KEY("host", PTC_KEY_HOST),
        KEY("workload", PTC_KEY_WORKLOAD),
        KEY("task_ms", PTC_KEY_TASK_MS),
        KEY("model", PTC_KEY_MODEL),
        KEY("tasks", PTC_KEY_TASKS),
        KEY("workers", PTC_KEY_WORKERS),
        NUM("runs", runs, 0),
        NUM("speedup", speedup, 6),
        NUM("speedup_lo", speedup_lo, 6),
        NUM("speedup_hi", speedup_hi, 6),
        NUM("ideal_speedup", ptc_run_group_ideal_speedup, 6),
    };
    return WRITE_GROUPS(cols, in, w, err, err_size);
}

/* Wall time against the task count, in ms: the median, the ends of its 95 % CI (the median
 * without one), the min and max. */
static int write_tasks(const struct ptc_chart_inputs *in, struct ptc_tsv *w, char *err,
                       size_t err_size) {
    static const struct column cols[] = {
        KEY("host", PTC_KEY_HOST),
        KEY("workload", PTC_KEY_WORKLOAD),
        KEY("task_ms", PTC_KEY_TASK_MS),
        KEY("model", PTC_KEY_MODEL),
        KEY("tasks", PTC_KEY_TASKS),
        KEY("workers", PTC_KEY_WORKERS),
        NUM("runs", runs, 0),
        NUM("wall_median_ms", median_ms, 6),
        NUM("wall_ci_lo_ms", ci_lo_ms, 6),
        NUM("wall_ci_hi_ms", ci_hi_ms, 6),
        NUM("wall_min_ms", min_ms, 6),
        NUM("wall_max_ms", max_ms, 6),
    };
    return WRITE_GROUPS(cols, in, w, err, err_size);
}

/* Speedup against the CPU fraction of the mixed workload, with its 95 % CI. */
static int write_crossover(const struct ptc_chart_inputs *in, struct ptc_tsv *w, char *err,
                           size_t err_size) {
    static const struct column cols[] = {
        KEY("host", PTC_KEY_HOST),
        KEY("workload", PTC_KEY_WORKLOAD),
        KEY("tasks", PTC_KEY_TASKS),
        KEY("task_ms", PTC_KEY_TASK_MS),
        KEY("mixed_wait", PTC_KEY_MIXED_WAIT),
        KEY("cpu_fraction", PTC_KEY_CPU_FRACTION),
        KEY("model", PTC_KEY_MODEL),
        KEY("workers", PTC_KEY_WORKERS),
        NUM("runs", runs, 0),
        NUM("speedup", speedup, 6),
        NUM("speedup_lo", speedup_lo, 6),
        NUM("speedup_hi", speedup_hi, 6),
    };
    return WRITE_GROUPS(cols, in, w, err, err_size);
}

const struct ptc_chart ptc_chart_speedup = {
    .name = "speedup",
    .script = "speedup.gp",
    .reads = "ptc-run runs of one workload",
    .write = write_speedup,
};
const struct ptc_chart ptc_chart_tasks = {
    .name = "tasks",
    .script = "tasks.gp",
    .reads = "ptc-run runs of a task-count sweep",
    .write = write_tasks,
};
const struct ptc_chart ptc_chart_crossover = {
    .name = "crossover",
    .script = "crossover.gp",
    .reads = "ptc-run runs of the mixed workload over CPU fractions",
    .write = write_crossover,
};
