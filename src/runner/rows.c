#include "runner/rows.h"

#include "core/format.h"
#include "runner/timeline.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* A run row: started_at, the machine, these, the size settings (workload/settings.h), the
 * measurement, the workload settings, the outcome and the condition, then the machine's power
 * settings. */
static const char *const run_columns_head[] = {"program", "workload", "model",
                                               "workers", "tasks",    NULL};
static const char *const run_columns_measured[] = {
    "rep",         "wall_ns",     "user_ns",     "sys_ns",         "max_rss_kib",
    "vol_ctxsw",   "invol_ctxsw", "tasks_ok",    "ideal_ns",       "efficiency",
    "parallelism", "exec",        "coro_switch", "poller",         "sched_threads",
    "steals",      "file_io",     "ns_per_iter", "timer_slack_ns", NULL};
static const char *const run_columns_after[] = {
    "bytes",       "mb_per_s", "parent_maps", "load_1m",       "steal_cpus",  "other_busy_cpus",
    "margin_cpus", "capacity", "disturbed",   "disturbed_why", "net_refused", NULL};

static void names(struct ptc_csv_writer *w, const char *const *list) {
    for (; *list != NULL; list++)
        ptc_csv_str(w, *list);
}

static void setting_names(struct ptc_csv_writer *w, enum ptc_setting_place place) {
    const char *cols[PTC_MAX_SETTINGS + 1];
    ptc_setting_columns(place, cols);
    names(w, cols);
}

void ptc_rows_config_columns(const char **cols) {
    size_t n = 0;
    for (const char *const *c = run_columns_head; *c != NULL; c++)
        cols[n++] = *c;
    ptc_setting_columns(PTC_COLUMN_ANY, cols + n);
}

void ptc_rows_run_header(struct ptc_csv_writer *w) {
    ptc_csv_str(w, "started_at");
    names(w, ptc_machine_columns);
    names(w, run_columns_head);
    setting_names(w, PTC_COLUMN_SIZE);
    names(w, run_columns_measured);
    setting_names(w, PTC_COLUMN_WORKLOAD);
    names(w, run_columns_after);
    names(w, ptc_machine_power_columns);
    ptc_csv_end_row(w);
}

/* The values of the settings whose column is at place, "" where the workload ignores them. */
static void setting_fields(struct ptc_csv_writer *w, const struct ptc_workload_state *st,
                           enum ptc_setting_place place) {
    size_t n;
    const struct ptc_setting *all = ptc_settings_all(&n);
    for (size_t i = 0; i < n; i++)
        if (all[i].column != NULL && all[i].place == place) {
            char buf[64];
            ptc_setting_text(&all[i], st, buf, sizeof buf);
            ptc_csv_str(w, buf);
        }
}

/* Throughput in MB/s (10^6 bytes) of a run that moved bytes_per_run; NaN when it moved none. */
static double mb_per_s(const struct ptc_workload_state *st, double wall_ns) {
    return st->bytes_per_run > 0 && wall_ns > 0 ? (double)st->bytes_per_run / wall_ns * 1e3 : NAN;
}

/* The machine's condition during the run (core/condition.h), at the end of the row. */
static void condition_fields(struct ptc_csv_writer *w, const struct ptc_run_record *rec) {
    ptc_csv_f64(w, rec->cond.load_1m, 2);
    ptc_csv_f64(w, rec->cond.steal_cpus, 3);
    ptc_csv_f64(w, rec->cond.other_busy_cpus, 3);
    ptc_csv_f64(w, rec->cond.margin_cpus, 3);
    ptc_csv_f64(w, rec->cond.capacity, 3);
    ptc_csv_u64(w, rec->disturbed);
    ptc_csv_str(w, rec->disturbed_why);
}

/* The machine, then program, workload, model, workers, tasks: how every row of a configuration
 * starts (after started_at in a run row). */
static void config_fields(struct ptc_csv_writer *w, const struct ptc_row_context *ctx,
                          const struct ptc_config *c) {
    ptc_machine_csv_fields(w, ctx->machine);
    ptc_csv_str(w, ctx->program);
    ptc_csv_str(w, c->st->wl->name);
    ptc_csv_str(w, c->model->name);
    ptc_csv_u64(w, c->workers);
    ptc_csv_u64(w, c->tasks);
}

void ptc_rows_run(struct ptc_csv_writer *w, const struct ptc_row_context *ctx,
                  const struct ptc_config *c, uint32_t rep, const struct ptc_run_record *rec) {
    ptc_csv_str(w, rec->started_at);
    config_fields(w, ctx, c);
    setting_fields(w, c->st, PTC_COLUMN_SIZE);
    const uint64_t counts[] = {rep,
                               rec->wall_ns,
                               rec->user_ns,
                               rec->sys_ns,
                               rec->max_rss_kib,
                               rec->vol_ctxsw,
                               rec->invol_ctxsw,
                               rec->tasks_ok,
                               rec->ideal_ns};
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++)
        ptc_csv_u64(w, counts[k]);
    ptc_csv_f64(w, rec->efficiency, 4);
    ptc_csv_u64(w, rec->parallelism);
    ptc_csv_str(w, rec->info.exec);
    ptc_csv_str(w, rec->info.ctx);
    ptc_csv_str(w, rec->info.poller);
    if (rec->info.sched_threads > 0) { /* the M:N models */
        ptc_csv_u64(w, rec->info.sched_threads);
        ptc_csv_u64(w, rec->info.steals);
    } else {
        ptc_csv_str(w, "");
        ptc_csv_str(w, "");
    }
    ptc_csv_str(w, rec->info.file_io);
    ptc_csv_f64(w, c->st->ns_per_iter > 0 ? c->st->ns_per_iter : NAN, 4);
    ptc_csv_u64(w, ctx->timer_slack_ns);
    setting_fields(w, c->st, PTC_COLUMN_WORKLOAD);
    ptc_csv_u64(w, c->st->bytes_per_run);
    ptc_csv_f64(w, mb_per_s(c->st, (double)rec->wall_ns), 2);
    ptc_csv_u64(w, rec->parent_maps);
    condition_fields(w, rec);
    if (c->st->refused != NULL)
        ptc_csv_u64(w, rec->net_refused);
    else
        ptc_csv_str(w, "");
    ptc_machine_power_fields(w, ctx->machine);
    ptc_csv_end_row(w);
}

void ptc_rows_timeline_header(struct ptc_csv_writer *w) {
    ptc_timeline_header(w);
}

void ptc_rows_timeline(struct ptc_csv_writer *w, const struct ptc_row_context *ctx,
                       const struct ptc_config *c, uint32_t rep, const struct ptc_run_record *rec,
                       const struct ptc_task_result *results) {
    const struct ptc_timeline_run run = {.workload = c->st->wl->name,
                                         .model = c->model->name,
                                         .workers = c->workers,
                                         .tasks = c->tasks,
                                         .rep = rep,
                                         .machine = ctx->machine};
    ptc_timeline_tasks(w, &run, results, rec->run_start_ns);
}

static const char *const summary_columns[] = {
    "program",     "workload",      "model",          "workers",        "tasks",
    "task_ms",     "runs",          "wall_median_ns", "wall_min_ns",    "wall_max_ns",
    "wall_p25_ns", "wall_p75_ns",   "wall_mad_ns",    "per_task_ns",    "speedup",
    "ideal_ns",    "ideal_speedup", "efficiency",     "cpu_fraction",   "mb_per_s",
    "file_io",     "poller",        "capacity",       "disturbed_runs", NULL};

/* Last, after every other column: the interval of the median (ptc_median_ci) and its coverage. */
static const char *const summary_ci_columns[] = {"ci_lo_ns", "ci_hi_ns", "ci_coverage", NULL};

void ptc_rows_summary_header(struct ptc_csv_writer *w) {
    names(w, ptc_machine_columns);
    names(w, summary_columns);
    names(w, summary_ci_columns);
    ptc_csv_end_row(w);
}

/* The column of a setting for a configured workload, by flag. */
static void setting_field(struct ptc_csv_writer *w, const struct ptc_workload_state *st,
                          const char *flag) {
    char buf[64];
    ptc_setting_text(ptc_setting_find(flag), st, buf, sizeof buf);
    ptc_csv_str(w, buf);
}

void ptc_rows_summary(struct ptc_csv_writer *w, const struct ptc_row_context *ctx,
                      const struct ptc_grid *g) {
    static const struct ptc_run_group none = {
        .s = {.median = NAN, .min = NAN, .max = NAN, .p25 = NAN, .p75 = NAN, .mad = NAN},
        .ci = {.lo = NAN, .hi = NAN, .coverage = NAN},
        .speedup = NAN,
        .capacity_median = NAN};
    for (size_t i = 0; i < g->n_configs; i++) {
        const struct ptc_config *c = &g->configs[i];
        const struct ptc_run_group *gr = ptc_grid_group(g, c);
        if (gr == NULL)
            gr = &none;
        ptc_ns total = ptc_workload_total_ns(c->st);
        config_fields(w, ctx, c);
        setting_field(w, c->st, "task-ms");
        ptc_csv_u64(w, c->recorded);
        const double wall[] = {gr->s.median, gr->s.min, gr->s.max, gr->s.p25, gr->s.p75, gr->s.mad};
        for (size_t k = 0; k < sizeof wall / sizeof wall[0]; k++)
            ptc_csv_f64(w, wall[k], 0);
        ptc_csv_f64(w, gr->s.median / (c->tasks ? c->tasks : 1), 1);
        ptc_csv_f64(w, gr->speedup, 4);
        ptc_csv_u64(w, c->ideal_ns);
        ptc_csv_f64(w, c->ideal_ns > 0 ? (double)total / (double)c->ideal_ns : NAN, 4);
        ptc_csv_f64(w, c->ideal_ns > 0 ? (double)c->ideal_ns / gr->s.median : NAN, 4);
        setting_field(w, c->st, "cpu-fraction");
        ptc_csv_f64(w, mb_per_s(c->st, gr->s.median), 2);
        ptc_csv_str(w, c->file_io);
        ptc_csv_str(w, c->poller);
        /* The interval of the median with its exact coverage: below 6 runs, the min-max and the
         * coverage it reaches (75 % for 3), which the reader must not take for 95 %. */
        ptc_run_group_tail_csv(w, gr);
        ptc_csv_end_row(w);
    }
}

void ptc_print_summary(FILE *fp, const struct ptc_grid *g) {
    /* Throughput only where a workload moves bytes (file, net). */
    bool moves = false;
    for (size_t i = 0; i < g->n_configs; i++)
        moves |= g->configs[i].st->bytes_per_run > 0;
    fprintf(fp, "%-8s %-11s %6s %7s  %11s  %-34s %11s %9s %10s %9s%s%s%s\n", "workload", "model",
            "W", "tasks", "wall median", "95 % CI of the median (coverage)", "per task", "speedup",
            "efficiency", "tasks ok", moves ? "  throughput" : "",
            g->disturbed_runs > 0 ? "  machine" : "", g->o.n_params > 1 ? "  settings" : "");
    for (size_t i = 0; i < g->n_configs; i++) {
        const struct ptc_config *c = &g->configs[i];
        const struct ptc_run_group *gr = ptc_grid_group(g, c);
        if (gr == NULL)
            continue;
        char med[24], ci[80], per[24], speed[24], eff[24], tput[32] = "", set[160] = "";
        ptc_fmt_ns(med, sizeof med, gr->s.median);
        ptc_fmt_median_ci(ci, sizeof ci, &gr->ci);
        ptc_fmt_ns(per, sizeof per, gr->s.median / (c->tasks ? c->tasks : 1));
        if (isnan(gr->speedup))
            snprintf(speed, sizeof speed, "-");
        else
            snprintf(speed, sizeof speed, gr->speedup >= 0.1 ? "%.2fx" : "%.2gx", gr->speedup);
        if (c->ideal_ns > 0)
            snprintf(eff, sizeof eff, "%.1f %%", 100.0 * (double)c->ideal_ns / gr->s.median);
        else
            snprintf(eff, sizeof eff, "-");
        if (moves)
            snprintf(tput, sizeof tput, "  %8.1f MB/s", mb_per_s(c->st, gr->s.median));
        char mark[48] = "";
        if (c->disturbed_runs > 0)
            snprintf(mark, sizeof mark, "  DISTURBED %u/%u runs", c->disturbed_runs, c->recorded);
        if (g->o.n_params > 1)
            ptc_grid_config_settings(g, c, set, sizeof set);
        fprintf(fp, "%-8s %-11s %6u %7u  %11s  %-34s %11s %9s %10s %5u/%u%s%s%s%s\n",
                c->st->wl->name, c->model->name, c->workers, c->tasks, med, ci, per, speed, eff,
                c->recorded ? c->tasks : 0, c->tasks, tput, mark, set[0] ? "  " : "", set);
    }
}

/* v to 2 decimals with the suffix, or "-" when it was not measured (NaN). */
static char *figure(char *buf, size_t size, double v, const char *suffix) {
    if (isnan(v))
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%.2f%s", v, suffix);
    return buf;
}

void ptc_print_condition(FILE *fp, const struct ptc_grid *g, const struct ptc_machine *m) {
    char lo[16], after[16], load[16], others[16], steal[16];
    fprintf(fp,
            "machine: %ld CPUs, parallel capacity down to %s during the runs, %s after; load %s; "
            "others busy up to %s CPUs, steal up to %s CPUs (runs long enough to tell); governor "
            "%s, idle driver %s, SMT %s\n",
            m->cpus, figure(lo, sizeof lo, g->worst.capacity, "x"),
            figure(after, sizeof after, g->capacity_after, "x"),
            figure(load, sizeof load, g->worst.load_1m, ""),
            figure(others, sizeof others, g->worst.other_busy_cpus, ""),
            figure(steal, sizeof steal, g->worst.steal_cpus, ""), m->governor, m->idle_driver,
            m->smt);
    struct ptc_run_condition end = {.load_1m = NAN,
                                    .steal_cpus = NAN,
                                    .other_busy_cpus = NAN,
                                    .margin_cpus = NAN,
                                    .capacity = g->capacity_after,
                                    .cpus = m->cpus};
    char why[160];
    bool after_bad = ptc_condition_judge(&end, why, sizeof why);
    if (g->disturbed_runs > 0 || after_bad)
        fprintf(fp,
                "warning: the machine was busy: %u of %u runs disturbed%s%s (others busy > %.2f "
                "CPUs, steal > %.2f CPUs or capacity < %.2f x CPUs): their times include other "
                "work, not only the mechanism's\n",
                g->disturbed_runs, g->recorded_runs, after_bad ? ", and after the runs: " : "",
                after_bad ? why : "", ptc_condition_other_busy_max_cpus,
                ptc_condition_steal_max_cpus, ptc_condition_capacity_min_fraction);
}
