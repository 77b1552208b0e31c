#include "runner/grid.h"

#include "core/format.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* About 30 ms of probing per second of runs at most: 3 % on a 2-CPU machine. */
#define PROBE_INTERVAL_NS (1 * PTC_NS_PER_S)

static int add_config(struct ptc_grid *g, const struct ptc_model *m, uint32_t workers,
                      struct ptc_workload_state *st) {
    struct ptc_config *grown = realloc(g->configs, (g->n_configs + 1) * sizeof *grown);
    if (grown == NULL)
        return -ENOMEM;
    g->configs = grown;
    g->configs[g->n_configs++] = (struct ptc_config){
        .model = m, .workers = workers, .tasks = st->p.tasks, .st = st, .group = -1};
    return 0;
}

/* The configurations of one workload state: each model, at each W when the model uses it. */
static int add_configs(struct ptc_grid *g, struct ptc_workload_state *st) {
    for (size_t m = 0; m < g->o.n_models; m++) {
        const struct ptc_model *model = g->o.models[m];
        if (!ptc_model_uses_workers(model)) {
            if (add_config(g, model, model->parallelism(1, st->p.tasks), st) < 0)
                return -ENOMEM;
            continue;
        }
        for (size_t w = 0; w < g->o.n_workers; w++)
            if (add_config(g, model, (uint32_t)g->o.workers[w], st) < 0)
                return -ENOMEM;
    }
    return 0;
}

int ptc_grid_build(struct ptc_grid *g, const struct ptc_grid_opts *o, char *err, size_t err_size) {
    memset(g, 0, sizeof *g);
    g->o = *o;
    ptc_setting_columns(PTC_COLUMN_ANY, g->setting_cols);
    ptc_run_groups_init(&g->groups, g->setting_cols);
    g->states = calloc(o->n_params * o->n_tasks + 1, sizeof *g->states);
    if (g->states == NULL)
        goto nomem;
    for (size_t s = 0; s < o->n_params; s++)
        for (size_t t = 0; t < o->n_tasks; t++) {
            struct ptc_workload_params p = o->params[s];
            p.tasks = (uint32_t)o->tasks[t];
            struct ptc_workload_state *st = &g->states[g->n_states];
            int rc = ptc_workload_init(st, o->workload, &p, err, err_size);
            if (rc < 0) {
                ptc_grid_free(g);
                return rc;
            }
            g->n_states++;
            if (p.tasks > g->max_tasks)
                g->max_tasks = p.tasks;
            if (add_configs(g, st) < 0)
                goto nomem;
        }
    g->results = ptc_results_alloc(g->max_tasks);
    if (g->results == NULL)
        goto nomem;
    g->capacity_after = NAN;
    g->worst = (struct ptc_run_condition){.load_1m = NAN,
                                          .steal_cpus = NAN,
                                          .other_busy_cpus = NAN,
                                          .capacity = NAN,
                                          .cpus = o->cpus};
    if (o->probe_capacity && ptc_capacity_init(&g->probe, o->cpus) < 0)
        goto nomem;
    return 0;
nomem:
    snprintf(err, err_size, "out of memory while building the grid");
    ptc_grid_free(g);
    return -ENOMEM;
}

void ptc_grid_free(struct ptc_grid *g) {
    free(g->configs);
    for (size_t s = 0; s < g->n_states; s++)
        ptc_workload_fini(&g->states[s]);
    free(g->states);
    ptc_results_free(g->results, g->max_tasks);
    ptc_run_groups_free(&g->groups);
    memset(g, 0, sizeof *g);
}

/* Adds a recorded run to the report's aggregation, keyed as ptc-report keys the run's row. */
static int record(struct ptc_grid *g, struct ptc_config *c, const struct ptc_run_record *rec) {
    char tasks[16], workers[16], values[PTC_MAX_SETTINGS][64];
    const char *key[PTC_N_FIXED_KEYS + PTC_MAX_SETTINGS] = {
        [PTC_KEY_HOST] = g->o.host != NULL ? g->o.host : "",
        [PTC_KEY_WORKLOAD] = c->st->wl->name,
        [PTC_KEY_TASKS] = tasks,
        [PTC_KEY_MODEL] = c->model->name,
        [PTC_KEY_WORKERS] = workers,
        [PTC_KEY_POLLER] = rec->info.poller != NULL ? rec->info.poller : "",
        [PTC_KEY_CORO_SWITCH] = rec->info.ctx != NULL ? rec->info.ctx : "",
        /* One program, one build and kernel: these keys cannot split its runs. */
        [PTC_KEY_GIT_REV] = "",
        [PTC_KEY_COMPILER] = "",
        [PTC_KEY_KERNEL] = "",
        [PTC_KEY_RUNTIME] = ""};
    snprintf(tasks, sizeof tasks, "%u", c->tasks);
    snprintf(workers, sizeof workers, "%u", c->workers);
    size_t n, k = 0;
    const struct ptc_setting *all = ptc_settings_all(&n);
    for (size_t i = 0; i < n; i++)
        if (all[i].column != NULL) {
            ptc_setting_text(&all[i], c->st, values[k], sizeof values[k]);
            key[PTC_N_FIXED_KEYS + k] = values[k];
            k++;
        }
    c->group = ptc_run_groups_add(&g->groups, key, (double)rec->wall_ns, (double)rec->ideal_ns,
                                  (double)g->o.cpus, rec->cond.capacity, rec->disturbed);
    return c->group < 0 ? -ENOMEM : 0;
}

void ptc_grid_config_settings(const struct ptc_grid *g, const struct ptc_config *c, char *buf,
                              size_t size) {
    size_t n, len = 0;
    const struct ptc_setting *all = ptc_settings_all(&n);
    const struct ptc_workload_params *mine =
        &g->o.params[(size_t)(c->st - g->states) / g->o.n_tasks];
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        char value[64], other[64];
        ptc_setting_value(&all[i], mine, value, sizeof value);
        bool varies = false;
        for (size_t k = 0; k < g->o.n_params && !varies; k++) {
            ptc_setting_value(&all[i], &g->o.params[k], other, sizeof other);
            varies = strcmp(value, other) != 0;
        }
        if (varies && len < size)
            len += (size_t)snprintf(buf + len, size - len, "%s%s=%s", len ? " " : "", all[i].flag,
                                    value);
    }
}

/* "coro W=2 tasks=8", then the settings that tell it apart in a sweep over them. */
static char *config_name(const struct ptc_grid *g, const struct ptc_config *c, char *buf,
                         size_t size) {
    char set[160];
    ptc_grid_config_settings(g, c, set, sizeof set);
    snprintf(buf, size, "%s W=%u tasks=%u%s%s", c->model->name, c->workers, c->tasks,
             set[0] ? " " : "", set);
    return buf;
}

static void describe_failure(const struct ptc_grid *g, const struct ptc_config *c,
                             const struct ptc_run_record *rec, char *err, size_t err_size) {
    char name[256];
    config_name(g, c, name, sizeof name);
    if (rec->run_error != 0) {
        snprintf(err, err_size, "%s: could not start workers: %s", name, strerror(-rec->run_error));
        return;
    }
    uint32_t first = 0;
    while (first < c->tasks && g->results[first].status == 0)
        first++;
    int status = first < c->tasks ? g->results[first].status : 0;
    /* A task that never ran is stored as -ENOEXEC: say so, and which worker failed it. */
    snprintf(err, err_size, "%s: %u of %u tasks failed (task %u: %s%s%s)", name,
             c->tasks - rec->tasks_ok, c->tasks, first,
             status == -ENOEXEC ? "never ran"
             : status != 0      ? strerror(-status)
                                : "?",
             rec->fault[0] ? "; " : "", rec->fault);
}

/* "\r[k/n] ..." on a terminal only: a log file should not fill with carriage returns. */
static void progress(const struct ptc_grid *g, size_t done, size_t total, ptc_ns started,
                     const struct ptc_config *c, const char *phase) {
    if (g->o.progress == NULL || !isatty(fileno(g->o.progress)))
        return;
    ptc_ns elapsed = ptc_now_ns() - started;
    char el[32], left[32];
    ptc_fmt_ns(el, sizeof el, (double)elapsed);
    if (done > 0)
        ptc_fmt_ns(left, sizeof left, (double)elapsed / (double)done * (double)(total - done));
    else
        snprintf(left, sizeof left, "?");
    char name[256];
    fprintf(g->o.progress, "\r\033[K[%zu/%zu] %s %s  elapsed %s, ~%s left", done + 1, total, phase,
            config_name(g, c, name, sizeof name), el, left);
    fflush(g->o.progress);
}

/* fmax and fmin return the other argument when one is NaN: the worst of what was read. Others'
 * use and steal only from runs long enough for /proc/stat's ticks to resolve them: a 2 ms run
 * that saw one 10 ms tick of a daemon reads 5 CPUs. */
static void note_worst(struct ptc_run_condition *w, const struct ptc_run_condition *c) {
    w->load_1m = fmax(w->load_1m, c->load_1m);
    if (c->margin_cpus <= ptc_condition_other_busy_max_cpus) {
        w->steal_cpus = fmax(w->steal_cpus, c->steal_cpus);
        w->other_busy_cpus = fmax(w->other_busy_cpus, c->other_busy_cpus);
    }
    w->capacity = fmin(w->capacity, c->capacity);
}

int ptc_grid_run(struct ptc_grid *g, ptc_grid_on_run on_run, void *arg, char *err,
                 size_t err_size) {
    uint32_t rounds = g->o.warmup + g->o.repeat;
    size_t total = (size_t)rounds * g->n_configs, done = 0;
    ptc_ns started = ptc_now_ns();
    int rc = 0;
    double capacity = NAN;
    ptc_ns probed_at = 0;
    bool probing = g->o.probe_capacity;
    for (uint32_t round = 0; round <= rounds && rc == 0; round++) {
        bool warm = round < g->o.warmup;
        /* Beside the runs rather than around each one: a neighbour that stays is seen by every
         * probe. Before the first recorded round, after the last, and between rounds at most once
         * per PROBE_INTERVAL_NS, so that many short rounds do not spend their time probing. */
        bool due = round == g->o.warmup || round == rounds ||
                   ptc_now_ns() - probed_at >= PROBE_INTERVAL_NS;
        if (probing && !warm && due) {
            char why[160];
            int probe_rc = ptc_capacity_measure(&g->probe, &capacity, why, sizeof why);
            if (probe_rc < 0)
                capacity = NAN;
            /* A probe that never answers would cost its time limit again at each round; the
             * capacity is the machine's condition beside the runs, not their measurement, so
             * the runs go on without it. */
            if (probe_rc == -ETIMEDOUT) {
                fprintf(stderr, "%s: warning: %s: the runs go on without the capacity figure\n",
                        program_invocation_short_name, why);
                probing = false;
            }
            probed_at = ptc_now_ns();
        }
        if (round == rounds) {
            g->capacity_after = capacity;
            break;
        }
        for (size_t i = 0; i < g->n_configs && rc == 0; i++, done++) {
            struct ptc_config *c = &g->configs[i];
            struct ptc_run_record rec;
            progress(g, done, total, started, c, warm ? "warm-up" : "run");
            rc = ptc_measure_run(c->model, c->st, c->workers, g->o.cpus, g->results, &rec);
            if (rc < 0) {
                char name[256];
                snprintf(err, err_size, "%s: %s", config_name(g, c, name, sizeof name),
                         strerror(-rc));
                break;
            }
            if (rec.run_error != 0 || rec.tasks_ok != c->tasks) {
                describe_failure(g, c, &rec, err, err_size);
                rc = rec.run_error != 0 ? rec.run_error : -EBADMSG;
                break;
            }
            c->ideal_ns = rec.ideal_ns;
            c->file_io = rec.info.file_io;
            c->poller = rec.info.poller;
            c->coro_switch = rec.info.ctx;
            if (warm)
                continue;
            rec.cond.capacity = capacity;
            rec.disturbed =
                ptc_condition_judge(&rec.cond, rec.disturbed_why, sizeof rec.disturbed_why);
            c->disturbed_runs += rec.disturbed;
            g->disturbed_runs += rec.disturbed;
            g->recorded_runs++;
            note_worst(&g->worst, &rec.cond);
            c->recorded++;
            rc = record(g, c, &rec);
            if (rc == 0 && on_run != NULL)
                rc = on_run(arg, c, round - g->o.warmup, &rec, g->results);
            if (rc < 0)
                snprintf(err, err_size, "writing results: %s", strerror(-rc));
        }
    }
    if (g->o.progress != NULL && isatty(fileno(g->o.progress))) {
        fprintf(g->o.progress, "\r\033[K");
        fflush(g->o.progress);
    }
    return rc;
}

int ptc_grid_summarize(struct ptc_grid *g) {
    return ptc_run_groups_summarize(&g->groups);
}

const struct ptc_run_group *ptc_grid_group(const struct ptc_grid *g, const struct ptc_config *c) {
    return c->group >= 0 ? &g->groups.g[c->group] : NULL;
}
