/* The charts of ptc-run's runs: one row per configuration and host (report/runs.h's groups, in
 * the order they first appear): the configuration's keys and run count, then the chart's own
 * columns. */
#include "report/chart.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

typedef const struct ptc_run_groups groups;
typedef const struct ptc_run_group group;

/* A column: a fixed key of the configuration, a workload setting (the column of that name), or
 * a number of the group's (key < 0, setting false). */
struct column {
    const char *name; /* NULL ends a list */
    int key;
    bool setting;
    double (*value)(groups *gs, group *g);
    int digits; /* after the decimal point */
};
#define KEY(name, k)                                                                               \
    { name, k, false, NULL, 0 }
#define SETTING(name)                                                                              \
    { name, -1, true, NULL, 0 }
#define NUM(name, fn)                                                                              \
    { name, -1, false, fn, 9 }

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

/* The columns every table of runs starts with. */
static const struct column config[] = {
    KEY("host", PTC_KEY_HOST),       KEY("workload", PTC_KEY_WORKLOAD),
    KEY("tasks", PTC_KEY_TASKS),     SETTING("task_ms"),
    KEY("model", PTC_KEY_MODEL),     KEY("workers", PTC_KEY_WORKERS),
    KEY("runtime", PTC_KEY_RUNTIME), {"runs", -1, false, runs, 0},
    {NULL, -1, false, NULL, 0}};

/* A peer runtime's seq (scripts/python, peers/go) is the baseline of its speedups, not a series
 * of its own: on a chart it would sit on C's seq at W = 1, and draw a line through the runtimes. */
static bool peer_seq(group *g) {
    return g->key[PTC_KEY_RUNTIME][0] != '\0' && strcmp(g->key[PTC_KEY_MODEL], "seq") == 0;
}

static void header(struct ptc_tsv *w, const struct column *c) {
    for (; c->name != NULL; c++)
        ptc_tsv_str(w, c->name);
}

static void fields(struct ptc_tsv *w, const struct column *c, groups *gs, group *g) {
    for (; c->name != NULL; c++)
        if (c->key >= 0)
            ptc_tsv_str(w, g->key[c->key]);
        else if (c->setting)
            ptc_tsv_str(w, ptc_run_group_setting(g, c->name));
        else
            ptc_tsv_f64(w, c->value(gs, g), c->digits);
}

static int write_groups(const struct ptc_chart_inputs *in, const void *arg, struct ptc_tsv *w,
                        char *err, size_t err_size) {
    const struct column *own = arg;
    if (in->gs->n == 0) {
        snprintf(err, err_size, "no ptc-run runs among the inputs");
        return -EINVAL;
    }
    header(w, config);
    header(w, own);
    ptc_tsv_end_row(w);
    for (size_t i = 0; i < in->gs->n; i++) {
        if (peer_seq(&in->gs->g[i]))
            continue;
        fields(w, config, in->gs, &in->gs->g[i]);
        fields(w, own, in->gs, &in->gs->g[i]);
        ptc_tsv_end_row(w);
    }
    return 0;
}

/* Speedup against W: seq's median / the median, its 95 % CI, and the ideal speedup. */
static const struct column speedup_cols[] = {NUM("speedup", speedup),
                                             NUM("speedup_lo", speedup_lo),
                                             NUM("speedup_hi", speedup_hi),
                                             NUM("ideal_speedup", ptc_run_group_ideal_speedup),
                                             {NULL, -1, false, NULL, 0}};

/* Wall time against the task count, in ms: the median, the ends of its 95 % CI (the median
 * without one), the min and max. */
static const struct column tasks_cols[] = {
    NUM("wall_median_ms", median_ms), NUM("wall_ci_lo_ms", ci_lo_ms),
    NUM("wall_ci_hi_ms", ci_hi_ms),   NUM("wall_min_ms", min_ms),
    NUM("wall_max_ms", max_ms),       {NULL, -1, false, NULL, 0}};

/* Speedup against the CPU fraction of the mixed workload, with its 95 % CI. */
static const struct column crossover_cols[] = {
    SETTING("mixed_wait"),         SETTING("cpu_fraction"),       NUM("speedup", speedup),
    NUM("speedup_lo", speedup_lo), NUM("speedup_hi", speedup_hi), {NULL, -1, false, NULL, 0}};

const struct ptc_chart ptc_chart_speedup = {
    .name = "speedup",
    .script = "speedup.gp",
    .reads = "ptc-run runs of one workload",
    .write = write_groups,
    .arg = speedup_cols,
};
const struct ptc_chart ptc_chart_tasks = {
    .name = "tasks",
    .script = "tasks.gp",
    .reads = "ptc-run runs of a task-count sweep",
    .write = write_groups,
    .arg = tasks_cols,
};
const struct ptc_chart ptc_chart_crossover = {
    .name = "crossover",
    .script = "crossover.gp",
    .reads = "ptc-run runs of the mixed workload over CPU fractions",
    .write = write_groups,
    .arg = crossover_cols,
};
