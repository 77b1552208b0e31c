#include "runner/rows.h"

#include "core/format.h"
#include "runner/timeline.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>

static const char *const run_columns_before[] = {"started_at", NULL};
static const char *const run_columns_after[] = {"program",         "workload",      "model",
                                                "workers",         "tasks",         "task_ms",
                                                "iterations",      "seed",          "rep",
                                                "wall_ns",         "user_ns",       "sys_ns",
                                                "max_rss_kib",     "vol_ctxsw",     "invol_ctxsw",
                                                "tasks_ok",        "ideal_ns",      "efficiency",
                                                "parallelism",     "exec",          "coro_switch",
                                                "poller",          "file_io",       "ns_per_iter",
                                                "timer_slack_ns",  "file_kib",      "fsync",
                                                "net_latency_ms",  "net_kib",       "cpu_fraction",
                                                "mixed_wait",      "bytes",         "mb_per_s",
                                                "parent_maps",     "load_1m",       "steal_cpus",
                                                "other_busy_cpus", "margin_cpus",   "capacity",
                                                "disturbed",       "disturbed_why", NULL};

static void names(struct ptc_csv_writer *w, const char *const *list) {
    for (; *list != NULL; list++)
        ptc_csv_str(w, *list);
}

void ptc_rows_run_header(struct ptc_csv_writer *w) {
    names(w, run_columns_before);
    names(w, ptc_machine_columns);
    names(w, run_columns_after);
    names(w, ptc_machine_power_columns);
    ptc_csv_end_row(w);
}

/* The per-task iteration count: one number when all tasks share it, else "LO:HI". */
static void iterations_field(struct ptc_csv_writer *w, const struct ptc_workload_state *st) {
    uint64_t lo = UINT64_MAX, hi = 0;
    for (uint32_t i = 0; i < st->p.tasks; i++) {
        lo = st->task_iters[i] < lo ? st->task_iters[i] : lo;
        hi = st->task_iters[i] > hi ? st->task_iters[i] : hi;
    }
    char buf[48];
    if (hi == 0)
        buf[0] = '\0';
    else if (lo == hi)
        snprintf(buf, sizeof buf, "%" PRIu64, lo);
    else
        snprintf(buf, sizeof buf, "%" PRIu64 ":%" PRIu64, lo, hi);
    ptc_csv_str(w, buf);
}

static void u64_or_empty(struct ptc_csv_writer *w, bool present, uint64_t v) {
    if (present)
        ptc_csv_u64(w, v);
    else
        ptc_csv_str(w, "");
}

/* The parameters of the file, net and mixed workloads, empty where the workload ignores them. */
static void workload_fields(struct ptc_csv_writer *w, const struct ptc_workload_state *st) {
    const struct ptc_workload_params *p = &st->p;
    unsigned uses = st->wl->uses;
    bool file = uses & PTC_USES_FILE, net = uses & PTC_USES_NET, mixed = uses & PTC_USES_FRACTION;
    u64_or_empty(w, file, p->file_kib);
    u64_or_empty(w, file, (uint64_t)p->fsync);
    u64_or_empty(w, net || (mixed && p->mixed_wait_net), p->net_latency_ns / PTC_NS_PER_MS);
    u64_or_empty(w, net, p->net_kib);
    ptc_csv_f64(w, mixed ? p->cpu_fraction : NAN, 3);
    ptc_csv_str(w, mixed ? (p->mixed_wait_net ? "net" : "sleep") : "");
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

void ptc_rows_run(struct ptc_csv_writer *w, const struct ptc_row_context *ctx,
                  const struct ptc_config *c, uint32_t rep, const struct ptc_run_record *rec) {
    ptc_csv_str(w, rec->started_at);
    ptc_machine_csv_fields(w, ctx->machine);
    ptc_csv_str(w, ctx->program);
    ptc_csv_str(w, c->st->wl->name);
    ptc_csv_str(w, c->model->name);
    ptc_csv_u64(w, c->workers);
    ptc_csv_u64(w, c->tasks);
    ptc_csv_str(w, ctx->task_ms);
    iterations_field(w, c->st);
    ptc_csv_u64(w, c->st->p.seed);
    ptc_csv_u64(w, rep);
    ptc_csv_u64(w, rec->wall_ns);
    ptc_csv_u64(w, rec->user_ns);
    ptc_csv_u64(w, rec->sys_ns);
    ptc_csv_u64(w, rec->max_rss_kib);
    ptc_csv_u64(w, rec->vol_ctxsw);
    ptc_csv_u64(w, rec->invol_ctxsw);
    ptc_csv_u64(w, rec->tasks_ok);
    ptc_csv_u64(w, rec->ideal_ns);
    ptc_csv_f64(w, rec->efficiency, 4);
    ptc_csv_u64(w, rec->parallelism);
    ptc_csv_str(w, rec->info.exec);
    ptc_csv_str(w, rec->info.ctx);
    ptc_csv_str(w, rec->info.poller);
    ptc_csv_str(w, rec->info.file_io);
    ptc_csv_f64(w, c->st->ns_per_iter > 0 ? c->st->ns_per_iter : NAN, 4);
    ptc_csv_u64(w, ctx->timer_slack_ns);
    workload_fields(w, c->st);
    ptc_csv_u64(w, c->st->bytes_per_run);
    ptc_csv_f64(w, mb_per_s(c->st, (double)rec->wall_ns), 2);
    ptc_csv_u64(w, rec->parent_maps);
    condition_fields(w, rec);
    ptc_machine_power_fields(w, ctx->machine);
    ptc_csv_end_row(w);
}

void ptc_rows_timeline_header(struct ptc_csv_writer *w) {
    ptc_timeline_header(w);
}

void ptc_rows_timeline(struct ptc_csv_writer *w, const struct ptc_config *c, uint32_t rep,
                       const struct ptc_run_record *rec, const struct ptc_task_result *results) {
    const struct ptc_timeline_run run = {.workload = c->st->wl->name,
                                         .model = c->model->name,
                                         .workers = c->workers,
                                         .tasks = c->tasks,
                                         .rep = rep};
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

void ptc_rows_summary(struct ptc_csv_writer *w, const struct ptc_row_context *ctx,
                      const struct ptc_grid *g) {
    for (size_t i = 0; i < g->n_configs; i++) {
        const struct ptc_config *c = &g->configs[i];
        ptc_ns total = ptc_workload_total_ns(c->st);
        ptc_machine_csv_fields(w, ctx->machine);
        ptc_csv_str(w, ctx->program);
        ptc_csv_str(w, c->st->wl->name);
        ptc_csv_str(w, c->model->name);
        ptc_csv_u64(w, c->workers);
        ptc_csv_u64(w, c->tasks);
        ptc_csv_str(w, ctx->task_ms);
        ptc_csv_u64(w, c->recorded);
        ptc_csv_f64(w, c->wall.median, 0);
        ptc_csv_f64(w, c->wall.min, 0);
        ptc_csv_f64(w, c->wall.max, 0);
        ptc_csv_f64(w, c->wall.p25, 0);
        ptc_csv_f64(w, c->wall.p75, 0);
        ptc_csv_f64(w, c->wall.mad, 0);
        ptc_csv_f64(w, c->wall.median / (c->tasks ? c->tasks : 1), 1);
        ptc_csv_f64(w, c->speedup, 4);
        ptc_csv_u64(w, c->ideal_ns);
        ptc_csv_f64(w, c->ideal_ns > 0 ? (double)total / (double)c->ideal_ns : NAN, 4);
        ptc_csv_f64(w, c->ideal_ns > 0 ? (double)c->ideal_ns / c->wall.median : NAN, 4);
        ptc_csv_f64(w, c->st->wl->uses & PTC_USES_FRACTION ? c->st->p.cpu_fraction : NAN, 3);
        ptc_csv_f64(w, mb_per_s(c->st, c->wall.median), 2);
        ptc_csv_str(w, c->file_io);
        ptc_csv_str(w, c->poller);
        ptc_csv_f64(w, c->capacity_median, 3);
        ptc_csv_u64(w, c->disturbed_runs);
        /* The interval of the median with its exact coverage: below 6 runs, the min-max and the
         * coverage it reaches (75 % for 3), which the reader must not take for 95 %. */
        ptc_csv_f64(w, c->wall_ci.lo, 0);
        ptc_csv_f64(w, c->wall_ci.hi, 0);
        ptc_csv_f64(w, c->wall_ci.coverage, 4);
        ptc_csv_end_row(w);
    }
}

void ptc_print_summary(FILE *fp, const struct ptc_grid *g) {
    /* Throughput only where a workload moves bytes (file, net). */
    bool moves = false;
    for (size_t i = 0; i < g->n_configs; i++)
        moves |= g->configs[i].st->bytes_per_run > 0;
    fprintf(fp, "%-8s %-11s %6s %7s  %11s  %-34s %11s %9s %10s %9s%s%s\n", "workload", "model", "W",
            "tasks", "wall median", "95 % CI of the median (coverage)", "per task", "speedup",
            "efficiency", "tasks ok", moves ? "  throughput" : "",
            g->disturbed_runs > 0 ? "  machine" : "");
    for (size_t i = 0; i < g->n_configs; i++) {
        const struct ptc_config *c = &g->configs[i];
        char med[24], ci[80], per[24], speed[24], eff[24], tput[32] = "";
        ptc_fmt_ns(med, sizeof med, c->wall.median);
        ptc_fmt_median_ci(ci, sizeof ci, &c->wall_ci);
        ptc_fmt_ns(per, sizeof per, c->wall.median / (c->tasks ? c->tasks : 1));
        if (isnan(c->speedup))
            snprintf(speed, sizeof speed, "-");
        else
            snprintf(speed, sizeof speed, c->speedup >= 0.1 ? "%.2fx" : "%.2gx", c->speedup);
        if (c->ideal_ns > 0)
            snprintf(eff, sizeof eff, "%.1f %%", 100.0 * (double)c->ideal_ns / c->wall.median);
        else
            snprintf(eff, sizeof eff, "-");
        if (moves)
            snprintf(tput, sizeof tput, "  %8.1f MB/s", mb_per_s(c->st, c->wall.median));
        char mark[48] = "";
        if (c->disturbed_runs > 0)
            snprintf(mark, sizeof mark, "  DISTURBED %u/%u runs", c->disturbed_runs, c->recorded);
        fprintf(fp, "%-8s %-11s %6u %7u  %11s  %-34s %11s %9s %10s %5u/%u%s%s\n", c->st->wl->name,
                c->model->name, c->workers, c->tasks, med, ci, per, speed, eff,
                c->recorded ? c->tasks : 0, c->tasks, tput, mark);
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
