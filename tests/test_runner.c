/* runner/grid, measure and rows: the configurations a grid lists (a product of settings, task
 * counts, models and workers), round-robin repetitions, one measured run's figures, CSV rows that
 * match their headers, and a summary that ptc-report's aggregation of the rows reproduces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/csv.h"
#include "core/machine.h"
#include "ptc_test.h"
#include "report/table.h"
#include "runner/grid.h"
#include "runner/ideal.h"
#include "runner/measure.h"
#include "runner/rows.h"

#include <errno.h>
#include <sys/wait.h>

static const uint64_t grid_workers[] = {1, 3};
static const uint64_t grid_tasks[] = {2, 5};

/* The five blocking models, in registry order: the grid's layout is what is under test here. */
static const struct ptc_model *grid_models[5];

static const struct ptc_workload_params grid_params = {.seed = 1};

static void grid_opts(struct ptc_grid_opts *o, const char *workload) {
    static const char *const names[] = {"seq", "fork", "procpool", "thread", "threadpool"};
    size_t n_models = sizeof names / sizeof names[0];
    for (size_t i = 0; i < n_models; i++)
        grid_models[i] = ptc_model_find(names[i]);
    const struct ptc_model *const *models = grid_models;
    *o = (struct ptc_grid_opts){
        .workload = ptc_workload_find(workload),
        .params = &grid_params,
        .n_params = 1,
        .models = models,
        .n_models = n_models,
        .workers = grid_workers,
        .n_workers = 2,
        .tasks = grid_tasks,
        .n_tasks = 2,
        .repeat = 2,
        .warmup = 1,
        .cpus = 2,
        .progress = NULL,
    };
}

static void test_uses_workers(void **state) {
    assert_false(ptc_model_uses_workers(ptc_model_find("seq")));
    assert_false(ptc_model_uses_workers(ptc_model_find("fork")));
    assert_false(ptc_model_uses_workers(ptc_model_find("thread")));
    assert_true(ptc_model_uses_workers(ptc_model_find("procpool")));
    assert_true(ptc_model_uses_workers(ptc_model_find("threadpool")));
}

static void test_grid_build(void **state) {
    struct ptc_grid_opts o;
    grid_opts(&o, "noop");
    struct ptc_grid g;
    char err[256] = "";
    assert_int_equal(ptc_grid_build(&g, &o, err, sizeof err), 0);
    /* Per task count: seq, fork and thread once; each pool once per W. */
    static const struct {
        const char *model;
        uint32_t workers, tasks;
    } want[] = {
        {"seq", 1, 2},        {"fork", 2, 2},       {"procpool", 1, 2},   {"procpool", 3, 2},
        {"thread", 2, 2},     {"threadpool", 1, 2}, {"threadpool", 3, 2}, {"seq", 1, 5},
        {"fork", 5, 5},       {"procpool", 1, 5},   {"procpool", 3, 5},   {"thread", 5, 5},
        {"threadpool", 1, 5}, {"threadpool", 3, 5},
    };
    assert_int_equal(g.n_configs, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < g.n_configs; i++) {
        const struct ptc_config *c = &g.configs[i];
        assert_string_equal(c->model->name, want[i].model);
        assert_int_equal(c->workers, want[i].workers);
        assert_int_equal(c->tasks, want[i].tasks);
        assert_int_equal(c->st->p.tasks, want[i].tasks);
        assert_ptr_equal(c->st, &g.states[want[i].tasks == 2 ? 0 : 1]);
        assert_int_equal(c->recorded, 0);
    }
    assert_int_equal(g.max_tasks, 5);
    assert_non_null(g.results);
    ptc_grid_free(&g);
    assert_null(g.configs);
}

static void test_grid_build_error(void **state) {
    struct ptc_grid_opts o;
    grid_opts(&o, "sleep"); /* no --task-ms */
    struct ptc_grid g;
    char err[256] = "";
    assert_int_equal(ptc_grid_build(&g, &o, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "task-ms"));
    assert_null(g.configs);
    assert_null(g.states);
}

struct calls {
    size_t n;
    size_t n_configs;
    const struct ptc_config *first;
    size_t fail_at; /* 1-based; 0: never */
};

static int on_run(void *arg, const struct ptc_config *c, uint32_t rep,
                  const struct ptc_run_record *rec, const struct ptc_task_result *results) {
    struct calls *k = arg;
    size_t i = k->n++;
    /* Repetitions are interleaved: every configuration once per round, in order. */
    assert_ptr_equal(c, k->first + i % k->n_configs);
    assert_int_equal(rep, i / k->n_configs);
    assert_int_equal(rec->run_error, 0);
    assert_int_equal(rec->tasks_ok, c->tasks);
    assert_true(rec->wall_ns > 0);
    assert_int_equal(strlen(rec->started_at), 20);
    for (uint32_t t = 0; t < c->tasks; t++)
        assert_int_equal(results[t].runs, 1);
    return k->fail_at != 0 && k->n == k->fail_at ? -ENOSPC : 0;
}

static void test_grid_run(void **state) {
    struct ptc_grid_opts o;
    grid_opts(&o, "noop");
    struct ptc_grid g;
    char err[256] = "";
    assert_int_equal(ptc_grid_build(&g, &o, err, sizeof err), 0);
    struct calls k = {.n_configs = g.n_configs, .first = g.configs};
    assert_int_equal(ptc_grid_run(&g, on_run, &k, err, sizeof err), 0);
    ptc_test_assert_no_child("test_runner");
    assert_int_equal(k.n, 2 * g.n_configs); /* the warm-up round is not recorded */
    assert_int_equal(ptc_grid_summarize(&g), 0);
    for (size_t i = 0; i < g.n_configs; i++) {
        const struct ptc_config *c = &g.configs[i];
        const struct ptc_run_group *gr = ptc_grid_group(&g, c);
        assert_int_equal(c->recorded, 2);
        assert_int_equal(gr->n, 2);
        assert_true(gr->s.min <= gr->s.median && gr->s.median <= gr->s.max);
        assert_true(gr->speedup > 0);
        if (strcmp(c->model->name, "seq") == 0)
            assert_double_near(gr->speedup, 1.0, 0);
    }
    ptc_grid_free(&g);
}

/* With the capacity probe: every recorded run carries the probe before its round (one probe per
 * round, so the configurations of a round share it), and one more follows the last round. */
static void test_grid_capacity(void **state) {
    struct ptc_grid_opts o;
    grid_opts(&o, "noop");
    o.probe_capacity = true;
    o.cpus = sysconf(_SC_NPROCESSORS_ONLN);
    struct ptc_grid g;
    char err[256] = "";
    assert_int_equal(ptc_grid_build(&g, &o, err, sizeof err), 0);
    assert_int_equal(ptc_grid_run(&g, NULL, NULL, err, sizeof err), 0);
    assert_int_equal(ptc_grid_summarize(&g), 0);
    uint32_t disturbed = 0;
    for (size_t i = 0; i < g.n_configs; i++) {
        const struct ptc_config *c = &g.configs[i];
        const struct ptc_run_group *gr = ptc_grid_group(&g, c);
        for (uint32_t r = 0; r < c->recorded; r++) {
            assert_true(gr->capacity[r] > 0);
            assert_double_near(gr->capacity[r], ptc_grid_group(&g, &g.configs[0])->capacity[r], 0);
        }
        assert_true(gr->capacity_median > 0);
        assert_true(c->disturbed_runs <= c->recorded);
        disturbed += c->disturbed_runs;
    }
    assert_int_equal(g.disturbed_runs, disturbed);
    assert_int_equal(g.recorded_runs, 2 * g.n_configs);
    assert_true(g.capacity_after > 0);
    assert_true(g.worst.capacity > 0);
    ptc_grid_free(&g);
}

static void test_grid_stops_on_callback_error(void **state) {
    struct ptc_grid_opts o;
    grid_opts(&o, "noop");
    struct ptc_grid g;
    char err[256] = "";
    assert_int_equal(ptc_grid_build(&g, &o, err, sizeof err), 0);
    struct calls k = {.n_configs = g.n_configs, .first = g.configs, .fail_at = 3};
    assert_int_equal(ptc_grid_run(&g, on_run, &k, err, sizeof err), -ENOSPC);
    assert_int_equal(k.n, 3);
    assert_non_null(strstr(err, "writing results"));
    ptc_test_assert_no_child("test_runner");
    ptc_grid_free(&g);
}

static void init_state(struct ptc_workload_state *st, const char *wl, uint32_t tasks,
                       ptc_ns task_ns, uint64_t iterations) {
    struct ptc_workload_params p = {.tasks = tasks,
                                    .task_lo_ns = task_ns,
                                    .task_hi_ns = task_ns,
                                    .iterations = iterations,
                                    .seed = 1};
    char err[256] = "";
    int rc = ptc_workload_init(st, ptc_workload_find(wl), &p, err, sizeof err);
    if (rc != 0)
        fail_msg("%s: %s", wl, err);
}

static void test_measure_run(void **state) {
    struct ptc_workload_state st;
    init_state(&st, "sleep", 4, 10 * PTC_NS_PER_MS, 0);
    struct ptc_task_result *res = ptc_results_alloc(4);
    struct ptc_run_record rec;
    const struct ptc_model *pool = ptc_model_find("threadpool");
    assert_int_equal(ptc_measure_run(pool, &st, 2, 8, res, &rec), 0);
    assert_int_equal(rec.run_error, 0);
    assert_int_equal(rec.tasks_ok, 4);
    assert_int_equal(rec.parallelism, 2);
    assert_int_equal(rec.ideal_ns, 20 * PTC_NS_PER_MS); /* 4 x 10 ms on 2 workers */
    assert_true(rec.wall_ns >= rec.ideal_ns);           /* sleeps last at least their time */
    assert_true(rec.efficiency > 0 && rec.efficiency <= 1.0);
    assert_double_near(rec.efficiency, (double)rec.ideal_ns / (double)rec.wall_ns, 1e-12);
    assert_true(rec.max_rss_kib > 0);
    for (uint32_t i = 0; i < 4; i++)
        assert_true(res[i].start_ns >= rec.run_start_ns);

    /* With processes the children's usage is part of the record. */
    const struct ptc_model *fork_model = ptc_model_find("fork");
    assert_int_equal(ptc_measure_run(fork_model, &st, 1, 8, res, &rec), 0);
    ptc_test_assert_no_child("test_runner");
    assert_int_equal(rec.tasks_ok, 4);
    assert_int_equal(rec.parallelism, 4);
    assert_int_equal(rec.ideal_ns, 10 * PTC_NS_PER_MS);
    assert_true(rec.wall_ns >= rec.ideal_ns);
    ptc_results_free(res, 4);
    ptc_workload_fini(&st);

    /* noop has no ideal time: efficiency is NaN, not 0 or infinity. */
    init_state(&st, "noop", 3, 0, 0);
    res = ptc_results_alloc(3);
    assert_int_equal(ptc_measure_run(ptc_model_find("seq"), &st, 1, 8, res, &rec), 0);
    assert_int_equal(rec.tasks_ok, 3);
    assert_int_equal(rec.ideal_ns, 0);
    assert_true(isnan(rec.efficiency));
    ptc_results_free(res, 3);
    ptc_workload_fini(&st);
}

/* List scheduling against makespans worked out by hand. */
static void test_list_schedule(void **state) {
    const ptc_ns six[] = {100, 100, 100, 100, 100, 100};
    assert_int_equal(ptc_list_schedule_ns(six, 6, 5), 200); /* indivisible: two rounds */
    assert_int_equal(ptc_list_schedule_ns(six, 6, 6), 100);
    assert_int_equal(ptc_list_schedule_ns(six, 6, 1000), 100);
    assert_int_equal(ptc_list_schedule_ns(six, 6, 1), 600);
    assert_int_equal(ptc_list_schedule_ns(six, 6, 0), 600); /* 0 workers counts as 1 */
    assert_int_equal(ptc_list_schedule_ns(six, 6, 4), 200);
    assert_int_equal(ptc_list_schedule_ns(six, 0, 4), 0);
    /* In submission order on 2 workers: A takes 3 (t=0..3), B takes 1 (0..1), B takes 1 (1..2),
     * B takes 4 (2..6), A takes 2 (3..5): 6. */
    const ptc_ns mixed[] = {3, 1, 1, 4, 2};
    assert_int_equal(ptc_list_schedule_ns(mixed, 5, 2), 6);
    assert_int_equal(ptc_list_schedule_ns(mixed, 5, 3), 5); /* 3 | 1,4 | 1,2 */
    const ptc_ns long_last[] = {1, 1, 1, 1, 10};
    assert_int_equal(ptc_list_schedule_ns(long_last, 5, 2), 12); /* 1,1,10 | 1,1 */
}

/* The ideal of each discipline for sleep (waits) and cpu (computes) tasks. */
static void test_ideal(void **state) {
    struct ptc_workload_state sleep6, cpu8, noop;
    init_state(&sleep6, "sleep", 6, 50 * PTC_NS_PER_MS, 0);
    init_state(&cpu8, "cpu", 8, 0, 1000);
    init_state(&noop, "noop", 8, 0, 0);
    const struct ptc_model *seq = ptc_model_find("seq"), *thread = ptc_model_find("thread");
    const struct ptc_model *pool = ptc_model_find("procpool");
    ptc_ns t = cpu8.task_ns[0];
    assert_int_equal(ptc_ideal_ns(pool, &sleep6, 5, 2), 100 * PTC_NS_PER_MS); /* ceil(6/5) */
    assert_int_equal(ptc_ideal_ns(pool, &sleep6, 6, 2), 50 * PTC_NS_PER_MS);
    assert_int_equal(ptc_ideal_ns(pool, &sleep6, 4, 2), 100 * PTC_NS_PER_MS);
    assert_int_equal(ptc_ideal_ns(thread, &sleep6, 6, 2), 50 * PTC_NS_PER_MS);
    assert_int_equal(ptc_ideal_ns(seq, &sleep6, 1, 2), 300 * PTC_NS_PER_MS);
    /* Computing: per-task models spread over the CPUs, pools over min(W, CPUs) too. */
    assert_int_equal(ptc_ideal_ns(thread, &cpu8, 8, 2), 4 * t);
    assert_int_equal(ptc_ideal_ns(thread, &cpu8, 8, 0), t);    /* unknown cpus: no CPU bound */
    assert_int_equal(ptc_ideal_ns(pool, &cpu8, 3, 16), 3 * t); /* ceil(8/3) rounds */
    assert_int_equal(ptc_ideal_ns(pool, &cpu8, 3, 2), 4 * t);  /* 8 t of CPU on 2 CPUs */
    assert_int_equal(ptc_ideal_ns(seq, &cpu8, 1, 2), 8 * t);
    assert_int_equal(ptc_ideal_ns(pool, &noop, 4, 2), 0);
    ptc_workload_fini(&sleep6);
    ptc_workload_fini(&cpu8);
    ptc_workload_fini(&noop);
}

/* Seeded random durations: the pool's ideal is list scheduling, never below the fluid bound. */
static void test_ideal_random(void **state) {
    struct ptc_workload_params p = {
        .tasks = 40, .task_lo_ns = 3 * PTC_NS_PER_MS, .task_hi_ns = 17 * PTC_NS_PER_MS, .seed = 7};
    struct ptc_workload_state st;
    char err[256] = "";
    if (ptc_workload_init(&st, ptc_workload_find("sleep"), &p, err, sizeof err) != 0)
        fail_msg("sleep: %s", err);
    const struct ptc_model *pool = ptc_model_find("threadpool");
    for (uint32_t w = 1; w <= 40; w++) {
        ptc_ns longest = 0, total = 0, finish[40] = {0}, makespan = 0;
        for (uint32_t i = 0; i < 40; i++) {
            longest = st.task_ns[i] > longest ? st.task_ns[i] : longest;
            total += st.task_ns[i];
            uint32_t k = 0; /* the earliest free worker, the lowest index on a tie */
            for (uint32_t j = 1; j < w; j++)
                k = finish[j] < finish[k] ? j : k;
            finish[k] += st.task_ns[i];
            makespan = finish[k] > makespan ? finish[k] : makespan;
        }
        ptc_ns ideal = ptc_ideal_ns(pool, &st, w, 2);
        assert_int_equal(ideal, makespan);
        assert_true(ideal >= longest && ideal >= total / w);
    }
    ptc_workload_fini(&st);
}

/* ---- rows: written, read back with the CSV reader, every row as wide as its header ---- */

#define MAX_ROWS 128

struct table {
    size_t n;
    size_t width[MAX_ROWS];
    char *cell[MAX_ROWS][64];
};

static int keep(void *arg, char **fields, size_t n, size_t line) {
    struct table *t = arg;
    assert_true(t->n < MAX_ROWS);
    assert_true(n <= 64);
    t->width[t->n] = n;
    for (size_t i = 0; i < n; i++)
        t->cell[t->n][i] = strdup(fields[i]);
    t->n++;
    return 0;
}

static void table_free(struct table *t) {
    for (size_t r = 0; r < t->n; r++)
        for (size_t i = 0; i < t->width[r]; i++)
            free(t->cell[r][i]);
    t->n = 0;
}

static int column(const struct table *t, const char *name) {
    for (size_t i = 0; i < t->width[0]; i++)
        if (strcmp(t->cell[0][i], name) == 0)
            return (int)i;
    fail_msg("no column \"%s\"", name);
    return -1;
}

struct written {
    struct ptc_grid g;
    struct ptc_machine machine;
    struct ptc_row_context ctx;
    struct ptc_csv_writer run_w, timeline_w;
};

static int write_rows(void *arg, const struct ptc_config *c, uint32_t rep,
                      const struct ptc_run_record *rec, const struct ptc_task_result *results) {
    struct written *w = arg;
    ptc_rows_run(&w->run_w, &w->ctx, c, rep, rec);
    ptc_rows_timeline(&w->timeline_w, &w->ctx, c, rep, rec, results);
    /* The next run forks: a child must not inherit rows still in a stdio buffer (under
     * valgrind a child's _exit flushes them again; see the report). */
    fflush(w->run_w.fp);
    fflush(w->timeline_w.fp);
    return 0;
}

static void read_table(const char *path, struct table *t) {
    char err[512] = "";
    int rc = ptc_csv_read(path, keep, t, err, sizeof err);
    if (rc != 0)
        fail_msg("reading %s: %s", path, err);
    assert_true(t->n >= 1);
    for (size_t r = 1; r < t->n; r++)
        if (t->width[r] != t->width[0])
            fail_msg("%s: row %zu has %zu fields, the header %zu", path, r, t->width[r],
                     t->width[0]);
}

/* dir/name, opened for writing; its path into path. */
static FILE *create(const char *dir, const char *name, char *path, size_t size) {
    snprintf(path, size, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    return fp;
}

static void test_rows(void **state) {
    char *dir = ptc_test_mkdtemp();
    assert_non_null(dir);
    char run_path[4200], timeline_path[4200], summary_path[4200];
    FILE *run_fp = create(dir, "run.csv", run_path, sizeof run_path);
    FILE *timeline_fp = create(dir, "timeline.csv", timeline_path, sizeof timeline_path);
    FILE *summary_fp = create(dir, "summary.csv", summary_path, sizeof summary_path);

    struct written w;
    ptc_machine_read(&w.machine);
    w.ctx =
        (struct ptc_row_context){.machine = &w.machine, .program = "ptc-run", .timer_slack_ns = 1};
    ptc_csv_writer_init(&w.run_w, run_fp);
    ptc_csv_writer_init(&w.timeline_w, timeline_fp);
    ptc_rows_run_header(&w.run_w);
    ptc_rows_timeline_header(&w.timeline_w);
    fflush(NULL);

    struct ptc_grid_opts o;
    grid_opts(&o, "noop");
    char err[256] = "";
    assert_int_equal(ptc_grid_build(&w.g, &o, err, sizeof err), 0);
    assert_int_equal(ptc_grid_run(&w.g, write_rows, &w, err, sizeof err), 0);
    ptc_grid_summarize(&w.g);
    struct ptc_csv_writer summary_w;
    ptc_csv_writer_init(&summary_w, summary_fp);
    ptc_rows_summary_header(&summary_w);
    ptc_rows_summary(&summary_w, &w.ctx, &w.g);
    assert_int_equal(ptc_csv_error(&w.run_w), 0);
    assert_int_equal(ptc_csv_error(&w.timeline_w), 0);
    assert_int_equal(ptc_csv_error(&summary_w), 0);
    fclose(run_fp);
    fclose(timeline_fp);
    fclose(summary_fp);
    const size_t n_configs = w.g.n_configs;

    struct table t = {0};
    read_table(run_path, &t);
    static const char *const required[] = {
        "started_at",  "host",     "cpu_model", "cpus",      "kernel", "compiler",    "git_rev",
        "program",     "workload", "model",     "workers",   "tasks",  "task_ms",     "iterations",
        "seed",        "rep",      "wall_ns",   "user_ns",   "sys_ns", "max_rss_kib", "vol_ctxsw",
        "invol_ctxsw", "tasks_ok", "ideal_ns",  "efficiency"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        (void)column(&t, required[i]);
    assert_int_equal(t.n, 1 + 2 * n_configs);
    int c_model = column(&t, "model"), c_tasks = column(&t, "tasks");
    int c_ok = column(&t, "tasks_ok"), c_rep = column(&t, "rep");
    int c_host = column(&t, "host"), c_prog = column(&t, "program");
    for (size_t r = 1; r < t.n; r++) {
        const struct ptc_config *c = &w.g.configs[(r - 1) % n_configs];
        assert_string_equal(t.cell[r][c_model], c->model->name);
        assert_string_equal(t.cell[r][c_ok], t.cell[r][c_tasks]);
        assert_int_equal(atoi(t.cell[r][c_rep]), (int)((r - 1) / n_configs));
        assert_string_equal(t.cell[r][c_host], w.machine.host);
        assert_string_equal(t.cell[r][c_prog], "ptc-run");
    }
    table_free(&t);

    read_table(timeline_path, &t);
    size_t task_rows = 0;
    for (size_t i = 0; i < n_configs; i++)
        task_rows += 2 * w.g.configs[i].tasks;
    assert_int_equal(t.n, 1 + task_rows);
    int c_start = column(&t, "start_ns"), c_end = column(&t, "end_ns");
    for (size_t r = 1; r < t.n; r++)
        assert_true(strtoull(t.cell[r][c_start], NULL, 10) <= strtoull(t.cell[r][c_end], NULL, 10));
    table_free(&t);

    read_table(summary_path, &t);
    assert_int_equal(t.n, 1 + n_configs);
    int c_runs = column(&t, "runs");
    for (size_t r = 1; r < t.n; r++)
        assert_string_equal(t.cell[r][c_runs], "2");
    table_free(&t);

    ptc_grid_free(&w.g);
    ptc_test_rmdir(dir);
}

/* Two settings (1 ms and 2 ms sleeps) x two task counts x the models: one workload state per
 * settings and task count, each configuration's speedup against seq of its own state, and the
 * same figures from ptc-report's aggregation of the rows written. */
static void test_grid_settings_product(void **state) {
    char *dir = ptc_test_mkdtemp(), run_path[4200];
    assert_non_null(dir);
    FILE *run_fp = create(dir, "run.csv", run_path, sizeof run_path);
    struct written w = {0};
    ptc_machine_read(&w.machine);
    w.ctx = (struct ptc_row_context){.machine = &w.machine, .program = "ptc-run"};
    ptc_csv_writer_init(&w.run_w, run_fp);
    ptc_csv_writer_init(&w.timeline_w, fopen("/dev/null", "w"));
    ptc_rows_run_header(&w.run_w);
    fflush(NULL);

    struct ptc_workload_params params[2] = {{.seed = 1}, {.seed = 1}};
    for (size_t i = 0; i < 2; i++)
        params[i].task_lo_ns = params[i].task_hi_ns = (i + 1) * PTC_NS_PER_MS;
    struct ptc_grid_opts o;
    grid_opts(&o, "sleep");
    o.params = params;
    o.n_params = 2;
    o.host = w.machine.host;
    char err[256] = "";
    assert_int_equal(ptc_grid_build(&w.g, &o, err, sizeof err), 0);
    assert_int_equal(w.g.n_states, 4);
    /* Per state: seq, fork, thread once; procpool and threadpool at W = 1 and 3. */
    assert_int_equal(w.g.n_configs, 4 * 7);
    for (size_t i = 0; i < w.g.n_configs; i++)
        assert_int_equal(w.g.configs[i].st->p.task_hi_ns, (i < 14 ? 1 : 2) * PTC_NS_PER_MS);
    assert_int_equal(ptc_grid_run(&w.g, write_rows, &w, err, sizeof err), 0);
    assert_int_equal(ptc_grid_summarize(&w.g), 0);
    fclose(run_fp);
    fclose(w.timeline_w.fp);

    struct ptc_table t;
    assert_int_equal(ptc_table_load(run_path, &t, err, sizeof err), 0);
    struct ptc_run_groups report;
    assert_int_equal(ptc_run_groups_build(&t, 1, w.g.setting_cols, &report, err, sizeof err), 0);
    assert_int_equal(report.n, w.g.n_configs);
    for (size_t i = 0; i < w.g.n_configs; i++) {
        const struct ptc_config *c = &w.g.configs[i];
        const struct ptc_run_group *gr = ptc_grid_group(&w.g, c), *seq = NULL;
        for (size_t j = 0; j < w.g.n_configs; j++)
            if (w.g.configs[j].st == c->st && strcmp(w.g.configs[j].model->name, "seq") == 0)
                seq = ptc_grid_group(&w.g, &w.g.configs[j]);
        assert_non_null(seq);
        assert_double_near(gr->speedup, seq->s.median / gr->s.median, 1e-12);
        /* ptc-report groups the rows in the order they first appear: the grid's order. */
        const struct ptc_run_group *r = &report.g[i];
        assert_string_equal(r->key[PTC_KEY_MODEL], c->model->name);
        assert_string_equal(ptc_run_group_setting(r, "task_ms"),
                            ptc_run_group_setting(gr, "task_ms"));
        assert_true(r->s.median == gr->s.median);
        assert_true(r->speedup == gr->speedup);
        assert_true(r->ci.lo == gr->ci.lo && r->ci.hi == gr->ci.hi);
    }
    ptc_run_groups_free(&report);
    ptc_table_free(&t);
    ptc_grid_free(&w.g);
    ptc_test_rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uses_workers),
        cmocka_unit_test(test_grid_build),
        cmocka_unit_test(test_grid_build_error),
        cmocka_unit_test(test_grid_run),
        cmocka_unit_test(test_grid_capacity),
        cmocka_unit_test(test_grid_stops_on_callback_error),
        cmocka_unit_test(test_measure_run),
        cmocka_unit_test(test_list_schedule),
        cmocka_unit_test(test_ideal),
        cmocka_unit_test(test_ideal_random),
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_grid_settings_product),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
