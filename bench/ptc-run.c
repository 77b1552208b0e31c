/* ptc-run: runs a grid of execution models x workers x task counts on one workload, writes one
 * CSV row per recorded run, and prints a summary table. */
#include "core/cli.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/json.h"
#include "core/machine.h"
#include "core/outfile.h"
#include "core/parse.h"
#include "core/tmpdir.h"
#include "coro/config.h"
#include "model/model.h"
#include "runner/grid.h"
#include "runner/rows.h"
#include "runner/watchdog.h"
#include "workload/settings.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#define PROG          "ptc-run"
#define EXIT_USAGE    2
#define MAX_TASKS     1000000
#define MAX_WORKERS   100000
#define MAX_LIST      64
#define MAX_TIMEOUT_S 1000000

/* text from column 24 on, broken at spaces (and at its newlines) before column 80. */
static void wrap(FILE *fp, const char *text) {
    size_t col = 24;
    while (*text != '\0') {
        size_t word = strcspn(text, " \n");
        if (col > 24 && col + 1 + word > 80) {
            fprintf(fp, "\n%24s", "");
            col = 24;
        } else if (col > 24) {
            fputc(' ', fp);
            col++;
        }
        fwrite(text, 1, word, fp);
        col += word;
        text += word;
        text += *text != '\0';
    }
    fputc('\n', fp);
}

/* The workload settings' lines of --help, from their table. */
static void usage_settings(FILE *fp) {
    size_t n;
    const struct ptc_setting *all = ptc_settings_all(&n);
    for (size_t i = 0; i < n; i++) {
        char left[64], text[512];
        snprintf(left, sizeof left, "--%s%s%s", all[i].flag, all[i].arg ? " " : "",
                 all[i].arg ? all[i].arg : "");
        ptc_setting_help(&all[i], text, sizeof text);
        fprintf(fp, "  %-21s ", left);
        wrap(fp, text);
    }
}

static void usage(FILE *fp) {
    char models[256], workloads[256], switches[128], pollers[128];
    ptc_ctx_names(switches, sizeof switches);
    ptc_poller_names(pollers, sizeof pollers);
    ptc_model_names(models, sizeof models);
    ptc_workload_names(workloads, sizeof workloads);
    fprintf(fp,
            "usage: " PROG " --workload W [options]\n"
            "Runs every combination of models, workers, task counts and workload settings on\n"
            "one workload and reports wall time, CPU time, memory and speedup against seq.\n\n"
            "  --workload W          one of: %s\n"
            "  --model M[,M...]      models, or 'all' (default all): %s\n"
            "  --workers N[,N...]    pool sizes W for the pooled models (default 4); seq runs\n"
            "                        with 1, fork and thread with one worker per task\n"
            "  --tasks N[,N...]      tasks per run, 1..%d (default 8)\n"
            "workload settings (each takes a comma-separated list, --fsync and --tmp-dir aside;\n"
            "the grid runs every combination, each against seq with the same settings):\n",
            workloads, models, MAX_TASKS);
    usage_settings(fp);
    fprintf(fp,
            "runs and output:\n"
            "  --repeat R            recorded runs per configuration (default 3; 6 or more give\n"
            "                        a 95 %% CI of the median, fewer are reported as too few)\n"
            "  --warmup K            unrecorded rounds first (default 1)\n"
            "  --out FILE            one CSV row per recorded run ('-' for stdout)\n"
            "  --summary FILE        one CSV row per configuration (medians, speedup)\n"
            "  --json FILE           the machine, each configuration's runs and summary as one\n"
            "                        JSON document (docs/json-schema.json)\n"
            "  --timeline FILE       one CSV row per task: start and end in ns from run start\n"
            "  --quiet               no summary table, no progress line\n"
            "  --no-capacity         skip the parallel capacity probe (about 30 ms before each\n"
            "                        recorded round and after the last): for timing ptc-run as\n"
            "                        a whole process (hyperfine-sweep)\n"
            "  --timeout SECONDS     end the program (status 1, workers killed, the stuck worker\n"
            "                        named) when no task of a run finishes for this long;\n"
            "                        0 turns the watchdog off (default: %d x the run's ideal\n"
            "                        time + %d s + %d us per task; raise it under valgrind)\n"
            "  --list                list models and workloads, then exit\n"
            "  --machine             print the machine description every CSV row carries, exit\n"
            "coroutine models (coro, coropool, coromn, coromnpool):\n"
            "  --coro-switch S       context switch: %s (default fcontext)\n"
            "  --poller P            auto, %s (default auto: io_uring where the kernel\n"
            "                        allows it, else epoll)\n"
            "  --stack-kib N         stack per coroutine, 8..65536 KiB (default 32)\n"
            "  --coro-guard G        guard page below each stack: off (default: guard pages make\n"
            "                        later forks in the same process slow), on, or auto (the\n"
            "                        first 30000 stacks, as vm.max_map_count allows)\n"
            "  --stack-mode M        private (default: a stack per coroutine) or shared (one\n"
            "                        stack per scheduler; a suspended coroutine keeps a copy of\n"
            "                        the frames it used; fcontext only; not file or net)\n"
            "  --mn-threads N        scheduler threads of coromn and coromnpool, 1..%u\n"
            "                        (default: one per online CPU)\n"
            "  --help                this text\n\n"
            "Repetitions are interleaved across configurations. Output files are written to a\n"
            "temporary file and renamed at the end: a failed run leaves none behind.\n"
            "Exit status: 0 ok, 1 a run failed, 2 bad usage.\n",
            PTC_WATCHDOG_IDEAL_FACTOR, (int)(PTC_WATCHDOG_SLACK_NS / PTC_NS_PER_S),
            (int)(PTC_WATCHDOG_PER_TASK_NS / PTC_NS_PER_US), switches, pollers, PTC_MN_MAX_THREADS);
}

#define die_usage(...) ptc_cli_die_usage(PROG, __VA_ARGS__)

struct options {
    const struct ptc_workload *workload;
    const struct ptc_model *models[MAX_LIST];
    size_t n_models;
    uint64_t *workers, *tasks;
    size_t n_workers, n_tasks;
    struct ptc_setting_lists settings; /* the workload settings' values: the sweep's axes */
    uint64_t repeat, warmup;
    const char *out, *summary, *timeline, *json;
    int quiet;
    int no_capacity;
    double timeout_s; /* --timeout; negative: the watchdog's default */
};

static void list_and_exit(void) {
    size_t n;
    const struct ptc_model *const *models = ptc_model_all(&n);
    printf("models:\n");
    for (size_t i = 0; i < n; i++)
        printf("  %-11s %s (%s)\n", models[i]->name, models[i]->summary, models[i]->analogue);
    const struct ptc_workload *const *wls = ptc_workload_all(&n);
    printf("workloads:\n");
    for (size_t i = 0; i < n; i++)
        printf("  %-11s %s\n", wls[i]->name, wls[i]->summary);
    exit(0);
}

static void machine_and_exit(void) {
    struct ptc_machine m;
    ptc_machine_read(&m);
    printf("host: %s\ncpu_model: %s\ncpus: %ld\nkernel: %s\ncompiler: %s\ngit_rev: %s\n"
           "governor: %s\nidle_driver: %s\nsmt: %s\n",
           m.host, m.cpu_model, m.cpus, m.kernel, m.compiler, m.git_rev, m.governor, m.idle_driver,
           m.smt);
    exit(0);
}

static void parse_models(struct options *o, const char *arg) {
    char names[256];
    ptc_model_names(names, sizeof names);
    if (strcmp(arg, "all") == 0) {
        const struct ptc_model *const *all = ptc_model_all(&o->n_models);
        memcpy(o->models, all, o->n_models * sizeof *all);
        return;
    }
    char **items;
    size_t n;
    if (ptc_split_list(arg, &items, &n) < 0 || n > MAX_LIST)
        die_usage("--model: '%s' is not a comma-separated list of models (valid: %s)", arg, names);
    for (size_t i = 0; i < n; i++) {
        const struct ptc_model *m = ptc_model_find(items[i]);
        if (m == NULL)
            die_usage("--model: unknown model '%s' (valid: %s)", items[i], names);
        o->models[i] = m;
    }
    o->n_models = n;
    ptc_strv_free(items);
}

static void parse_list(const char *flag, const char *arg, uint64_t max, uint64_t **out, size_t *n) {
    free(*out);
    int rc = ptc_parse_u64_list(arg, 1, max, MAX_LIST, out, n);
    if (rc < 0)
        die_usage("%s: '%s': each item must be a whole number from 1 to %llu (%s)", flag, arg,
                  (unsigned long long)max, ptc_parse_strerror(rc));
}

static uint64_t parse_number(const char *flag, const char *arg, uint64_t min, uint64_t max) {
    uint64_t v;
    int rc = ptc_parse_u64(arg, min, max, &v);
    if (rc < 0)
        die_usage("%s: '%s' must be a whole number from %llu to %llu (%s)", flag, arg,
                  (unsigned long long)min, (unsigned long long)max, ptc_parse_strerror(rc));
    return v;
}

enum {
    O_WORKLOAD = 256,
    O_MODEL,
    O_WORKERS,
    O_TASKS,
    O_REPEAT,
    O_WARMUP,
    O_OUT,
    O_SUMMARY,
    O_TIMELINE,
    O_JSON,
    O_QUIET,
    O_NO_CAPACITY,
    O_TIMEOUT,
    O_LIST,
    O_MACHINE,
    O_CORO, /* every coroutine runtime option: ptc_coro_option takes its name */
    O_HELP,
    O_SETTING /* + the index of a workload setting in its table */
};

static const struct option fixed_opts[] = {{"workload", required_argument, 0, O_WORKLOAD},
                                           {"model", required_argument, 0, O_MODEL},
                                           {"workers", required_argument, 0, O_WORKERS},
                                           {"tasks", required_argument, 0, O_TASKS},
                                           {"repeat", required_argument, 0, O_REPEAT},
                                           {"warmup", required_argument, 0, O_WARMUP},
                                           {"out", required_argument, 0, O_OUT},
                                           {"summary", required_argument, 0, O_SUMMARY},
                                           {"timeline", required_argument, 0, O_TIMELINE},
                                           {"json", required_argument, 0, O_JSON},
                                           {"quiet", no_argument, 0, O_QUIET},
                                           {"no-capacity", no_argument, 0, O_NO_CAPACITY},
                                           {"timeout", required_argument, 0, O_TIMEOUT},
                                           {"list", no_argument, 0, O_LIST},
                                           {"machine", no_argument, 0, O_MACHINE},
                                           {"coro-switch", required_argument, 0, O_CORO},
                                           {"poller", required_argument, 0, O_CORO},
                                           {"stack-kib", required_argument, 0, O_CORO},
                                           {"coro-guard", required_argument, 0, O_CORO},
                                           {"mn-threads", required_argument, 0, O_CORO},
                                           {"stack-mode", required_argument, 0, O_CORO},
                                           {"help", no_argument, 0, O_HELP}};
#define N_FIXED_OPTS (sizeof fixed_opts / sizeof fixed_opts[0])

/* The fixed options, then one per workload setting, from the settings' table. */
static void long_options(struct option *opts) {
    size_t n;
    const struct ptc_setting *all = ptc_settings_all(&n);
    memcpy(opts, fixed_opts, sizeof fixed_opts);
    for (size_t i = 0; i < n; i++)
        opts[N_FIXED_OPTS + i] = (struct option){
            all[i].flag, all[i].kind == PTC_SETTING_FLAG ? no_argument : required_argument, 0,
            O_SETTING + (int)i};
    opts[N_FIXED_OPTS + n] = (struct option){0, 0, 0, 0};
}

static void parse_args(struct options *o, int argc, char **argv) {
    struct option longopts[N_FIXED_OPTS + PTC_MAX_SETTINGS + 1];
    long_options(longopts);
    size_t n_settings;
    const struct ptc_setting *settings = ptc_settings_all(&n_settings);
    char names[256], msg[256];
    int c;
    opterr = 0;
    int opt_index = 0;
    while ((c = getopt_long(argc, argv, "", longopts, &opt_index)) != -1) {
        if (c >= O_SETTING && c < O_SETTING + (int)n_settings) {
            if (ptc_setting_lists_set(&o->settings, &settings[c - O_SETTING], optarg, msg,
                                      sizeof msg) < 0)
                die_usage("%s", msg);
            continue;
        }
        switch (c) {
        case O_WORKLOAD:
            o->workload = ptc_workload_find(optarg);
            ptc_workload_names(names, sizeof names);
            if (o->workload == NULL)
                die_usage("--workload: unknown workload '%s' (valid: %s)", optarg, names);
            break;
        case O_MODEL:
            parse_models(o, optarg);
            break;
        case O_WORKERS:
            parse_list("--workers", optarg, MAX_WORKERS, &o->workers, &o->n_workers);
            break;
        case O_TASKS:
            parse_list("--tasks", optarg, MAX_TASKS, &o->tasks, &o->n_tasks);
            break;
        case O_REPEAT:
            o->repeat = parse_number("--repeat", optarg, 1, 100000);
            break;
        case O_WARMUP:
            o->warmup = parse_number("--warmup", optarg, 0, 100000);
            break;
        case O_OUT:
            o->out = optarg;
            break;
        case O_SUMMARY:
            o->summary = optarg;
            break;
        case O_TIMELINE:
            o->timeline = optarg;
            break;
        case O_JSON:
            o->json = optarg;
            break;
        case O_QUIET:
            o->quiet = 1;
            break;
        case O_NO_CAPACITY:
            o->no_capacity = 1;
            break;
        case O_TIMEOUT:
            if (ptc_parse_f64(optarg, 0, MAX_TIMEOUT_S, &o->timeout_s) < 0)
                die_usage("--timeout: '%s' must be a number of seconds from 0 to %d", optarg,
                          MAX_TIMEOUT_S);
            break;
        case O_LIST:
            list_and_exit();
            break;
        case O_CORO:
            if (ptc_coro_option(longopts[opt_index].name, optarg, names, sizeof names) < 0)
                die_usage("%s", names);
            break;
        case O_MACHINE:
            machine_and_exit();
            break;
        case O_HELP:
            usage(stdout);
            exit(0);
        default:
            ptc_cli_rejected(msg, sizeof msg, argv, optind, optopt, O_WORKLOAD);
            die_usage("%s", msg);
        }
    }
    if (optind < argc)
        die_usage("unexpected argument '%s' (see --help)", argv[optind]);
    if (o->workload == NULL)
        die_usage("--workload is required (see --help)");
    if (ptc_coro_config_check(msg, sizeof msg) < 0)
        die_usage("%s", msg);
    /* Their I/O keeps its operation and buffer on the waiting coroutine's stack (coro/shared.h) */
    if (ptc_coro_config()->stack.shared &&
        (strcmp(o->workload->name, "file") == 0 || strcmp(o->workload->name, "net") == 0))
        die_usage("--stack-mode shared: the %s workload does I/O, which shared stacks cannot "
                  "(use sleep, cpu, noop or mixed)",
                  o->workload->name);
}

struct sinks {
    struct ptc_outfile out, timeline, summary;
    struct ptc_csv_writer out_w, timeline_w, summary_w;
    struct ptc_row_context ctx;
    struct ptc_json_out json; /* the runs and summaries again, as one document */
};

static int on_run(void *arg, const struct ptc_config *c, uint32_t rep,
                  const struct ptc_run_record *rec, const struct ptc_task_result *results) {
    struct sinks *s = arg;
    if (s->out.fp != NULL || s->json.doc != NULL) {
        ptc_rows_run(&s->out_w, &s->ctx, c, rep, rec);
        if (ptc_csv_error(&s->out_w))
            return ptc_csv_error(&s->out_w);
    }
    if (s->timeline.fp != NULL) {
        ptc_rows_timeline(&s->timeline_w, &s->ctx, c, rep, rec, results);
        if (ptc_csv_error(&s->timeline_w))
            return ptc_csv_error(&s->timeline_w);
    }
    return 0;
}

static void abort_sinks(struct sinks *s) {
    ptc_outfile_abort(&s->out);
    ptc_outfile_abort(&s->timeline);
    ptc_outfile_abort(&s->summary);
    ptc_json_out_abort(&s->json);
}

/* Opens path (NULL: none) for w; w also feeds part of the --json document when there is one
 * (PTC_JSON_N_PARTS: no part), with no stream when only the JSON is asked for. */
static void open_sink(struct ptc_outfile *of, struct ptc_csv_writer *w, const char *flag,
                      const char *path, void (*header)(struct ptc_csv_writer *), struct sinks *s,
                      enum ptc_json_part part) {
    ptc_csv_writer_init(w, NULL);
    bool in_json = s->json.doc != NULL && part < PTC_JSON_N_PARTS;
    if (in_json)
        ptc_json_out_attach(&s->json, part, w);
    if (path == NULL) {
        if (in_json)
            header(w);
        return;
    }
    int rc = ptc_outfile_open(of, path);
    if (rc == 0) {
        w->fp = of->fp;
        header(w);
        /* The header written through now: a full disk or /dev/full fails before the grid runs. */
        if (fflush(of->fp) != 0)
            rc = -errno;
    }
    if (rc < 0) {
        abort_sinks(s);
        die_usage("%s: cannot write '%s': %s", flag, path,
                  rc == -ENXIO ? "a FIFO that no process reads" : strerror(-rc));
    }
}

static int commit_sink(struct ptc_outfile *of, const char *flag) {
    if (of->fp == NULL)
        return 0;
    char *path = strdup(of->path);
    int rc = ptc_outfile_commit(of);
    if (rc < 0)
        fprintf(stderr, PROG ": %s: writing '%s' failed: %s\n", flag, path, strerror(-rc));
    free(path);
    return rc;
}

static void free_options(struct options *o, struct ptc_workload_params *params) {
    free(params);
    ptc_setting_lists_free(&o->settings);
    free(o->workers);
    free(o->tasks);
}

int main(int argc, char **argv) {
    struct options o = {.repeat = 3, .warmup = 1, .timeout_s = -1};
    ptc_outfile_cleanup_on_signals();
    parse_args(&o, argc, argv);
    if (o.timeout_s > 0)
        ptc_watchdog_set_timeout((ptc_ns)(o.timeout_s * 1e9) + 1);
    else if (o.timeout_s == 0)
        ptc_watchdog_set_timeout(0);
    const struct ptc_output outs[] = {
        {"--out", o.out}, {"--timeline", o.timeline}, {"--summary", o.summary}, {"--json", o.json}};
    char msg[512];
    if (ptc_outputs_check(outs, sizeof outs / sizeof outs[0], NULL, 0, msg, sizeof msg) < 0)
        die_usage("%s", msg);
    if (o.n_models == 0)
        parse_models(&o, "all");
    if (o.n_workers == 0)
        parse_list("--workers", "4", MAX_WORKERS, &o.workers, &o.n_workers);
    if (o.n_tasks == 0)
        parse_list("--tasks", "8", MAX_TASKS, &o.tasks, &o.n_tasks);
    struct ptc_workload_params *params;
    size_t n_params;
    int rc = ptc_settings_product(&o.settings, &params, &n_params);
    if (rc == -E2BIG)
        die_usage("the workload settings' lists make more than %d combinations",
                  PTC_MAX_COMBINATIONS);
    if (rc < 0) {
        fprintf(stderr, PROG ": out of memory for the settings' combinations\n");
        return 1;
    }
    if (ptc_workload_uses(o.workload, "tmp-dir") && (rc = ptc_tmpdir_check(params->tmp_dir)) < 0)
        die_usage("%s: cannot make a folder in %s: %s", params->tmp_dir ? "--tmp-dir" : "TMPDIR",
                  ptc_tmpdir_base(params->tmp_dir), strerror(-rc));
    if (ptc_timer_slack_min() < 0)
        fprintf(stderr, PROG ": warning: cannot set timer slack to 1 ns: sleeps overshoot more\n");

    struct ptc_machine machine;
    ptc_machine_read(&machine);
    struct sinks s = {.ctx = {.machine = &machine,
                              .program = PROG,
                              .timer_slack_ns = (unsigned long)prctl(PR_GET_TIMERSLACK)}};
    const char *key[PTC_ROWS_CONFIG_COLUMNS];
    ptc_rows_config_columns(key);
    rc = ptc_json_out_open(&s.json, o.json, PROG, &machine, key);
    if (rc < 0)
        die_usage("--json: cannot write '%s': %s", o.json,
                  rc == -ENXIO ? "a FIFO that no process reads" : strerror(-rc));
    open_sink(&s.out, &s.out_w, "--out", o.out, ptc_rows_run_header, &s, PTC_JSON_SAMPLES);
    /* the timeline's rows are tasks, not samples: not in the document */
    open_sink(&s.timeline, &s.timeline_w, "--timeline", o.timeline, ptc_rows_timeline_header, &s,
              PTC_JSON_N_PARTS);
    open_sink(&s.summary, &s.summary_w, "--summary", o.summary, ptc_rows_summary_header, &s,
              PTC_JSON_SUMMARY);

    struct ptc_grid_opts go = {
        .workload = o.workload,
        .params = params,
        .n_params = n_params,
        .host = machine.host,
        .models = o.models,
        .n_models = o.n_models,
        .workers = o.workers,
        .n_workers = o.n_workers,
        .tasks = o.tasks,
        .n_tasks = o.n_tasks,
        .repeat = (uint32_t)o.repeat,
        .warmup = (uint32_t)o.warmup,
        .cpus = machine.cpus,
        .progress = o.quiet ? NULL : stderr,
        .probe_capacity = !o.no_capacity,
    };
    struct ptc_grid g;
    char err[512];
    rc = ptc_grid_build(&g, &go, err, sizeof err);
    if (rc < 0) {
        abort_sinks(&s);
        fprintf(stderr, PROG ": %s\n", err);
        free_options(&o, params);
        return rc == -EINVAL ? EXIT_USAGE : 1;
    }
    rc = ptc_grid_run(&g, on_run, &s, err, sizeof err);
    if (rc == 0 && ptc_grid_summarize(&g) < 0) {
        snprintf(err, sizeof err, "out of memory for the summary");
        rc = -ENOMEM;
    }
    if (rc < 0) {
        abort_sinks(&s);
        ptc_grid_free(&g);
        fprintf(stderr, PROG ": %s\n", err);
        free_options(&o, params);
        return 1;
    }
    if (s.summary.fp != NULL || s.json.doc != NULL)
        ptc_rows_summary(&s.summary_w, &s.ctx, &g);
    int failed = commit_sink(&s.out, "--out") | commit_sink(&s.timeline, "--timeline") |
                 commit_sink(&s.summary, "--summary");
    if (o.json != NULL && (rc = ptc_json_out_commit(&s.json)) < 0) {
        fprintf(stderr, PROG ": --json: writing '%s' failed: %s\n", o.json, strerror(-rc));
        failed = 1;
    }
    if (!o.quiet) {
        bool out_stdout = (o.out != NULL && strcmp(o.out, "-") == 0) ||
                          (o.json != NULL && strcmp(o.json, "-") == 0);
        FILE *table = out_stdout ? stderr : stdout;
        ptc_print_summary(table, &g);
        ptc_print_condition(table, &g, &machine);
    }
    ptc_grid_free(&g);
    free_options(&o, params);
    return failed ? 1 : 0;
}
