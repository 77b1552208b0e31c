/* ptc-claims: runs the claims ledger (src/claims/) and writes claims.csv, claims.md (the table a
 * person reads first) and claims-timeline.csv (task starts and ends of the scenarios where order
 * matters). A refuted claim is a result: the exit status says whether the scenarios ran. */
#include "claims/claim.h"
#include "core/cli.h"
#include "core/machine.h"
#include "core/outfile.h"
#include "core/parse.h"
#include "runner/timeline.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PTC_SOURCE_DIR
#define PTC_SOURCE_DIR "."
#endif
#define PYTHON "/usr/bin/python3" /* Debian's: the one python3-gevent installs into */

#define PROG "ptc-claims"

#define die_usage(...) ptc_cli_die_usage(PROG, __VA_ARGS__)

static void usage(void) {
    char ids[256];
    ptc_claim_ids(ids, sizeof ids);
    printf(
        "usage: " PROG " [--time-scale S] [--untimed-scale U] [--only ID[,ID...]] [--out DIR]\n"
        "                  [--seed N] [--python] [--list] [--quiet]\n"
        "Puts the claims of the Python concurrency tutorials to the test and writes the\n"
        "ledger: DIR/claims.csv, DIR/claims.md and DIR/claims-timeline.csv.\n\n"
        "  --time-scale S   multiply every tutorial sleep by S, 0.001..10 (default 1: the\n"
        "                   real 1-10 s durations; 0.05 runs in seconds). Below 1, fixed\n"
        "                   overheads may leave timing claims 'not judged at this scale'\n"
        "  --untimed-scale U  the scale of the claims judged on orders, counts or ratios\n"
        "                   rather than durations (default: S); the time_scale column and\n"
        "                   --list say which claim ran at which\n"
        "  --only ID,...    run only these claims (ids: %s)\n"
        "  --out DIR        where the ledger goes (default .; created if missing)\n"
        "  --seed N         seed of the random task durations (default 1)\n"
        "  --python         also run the Python reference (scripts/python/claims.py with\n"
        "                   " PYTHON ": multiprocessing, threading, gevent) and put its\n"
        "                   figures beside the C ones (PTC_PYTHON_SCRIPT overrides the path)\n"
        "  --list           list the claims and exit\n"
        "  --quiet          no table on stdout\n"
        "Exit status: 0 every scenario ran (whatever the verdicts), 1 a scenario could not run,\n"
        "2 bad usage.\n",
        ids);
    exit(0);
}

static void list(void) {
    size_t n;
    const struct ptc_claim *const *all = ptc_claims_all(&n);
    for (size_t i = 0; i < n; i++)
        printf("%s  [%s]%s %s\n      %s\n", all[i]->id, all[i]->seed,
               all[i]->timing ? " (timing)" : "", all[i]->claim, all[i]->original);
    exit(0);
}

struct options {
    double time_scale;
    double untimed_scale; /* for the claims not judged on durations; < 0: time_scale */
    char **only;
    const char *out;
    uint64_t seed;
    int quiet;
    int python;
};

static void parse(struct options *o, int argc, char **argv) {
    enum { O_SCALE = 256, O_ONLY, O_OUT, O_SEED, O_LIST, O_QUIET, O_HELP, O_PYTHON, O_UNTIMED };
    static const struct option longopts[] = {{"time-scale", required_argument, 0, O_SCALE},
                                             {"only", required_argument, 0, O_ONLY},
                                             {"out", required_argument, 0, O_OUT},
                                             {"seed", required_argument, 0, O_SEED},
                                             {"list", no_argument, 0, O_LIST},
                                             {"quiet", no_argument, 0, O_QUIET},
                                             {"help", no_argument, 0, O_HELP},
                                             {"python", no_argument, 0, O_PYTHON},
                                             {"untimed-scale", required_argument, 0, O_UNTIMED},
                                             {0, 0, 0, 0}};
    int c, rc;
    size_t n;
    char ids[256], msg[256];
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case O_SCALE:
            rc = ptc_parse_f64(optarg, 0.001, 10.0, &o->time_scale);
            if (rc < 0)
                die_usage("--time-scale: '%s' must be a number from 0.001 to 10 (%s)", optarg,
                          ptc_parse_strerror(rc));
            break;
        case O_UNTIMED:
            rc = ptc_parse_f64(optarg, 0.001, 10.0, &o->untimed_scale);
            if (rc < 0)
                die_usage("--untimed-scale: '%s' must be a number from 0.001 to 10 (%s)", optarg,
                          ptc_parse_strerror(rc));
            break;
        case O_ONLY:
            ptc_strv_free(o->only);
            ptc_claim_ids(ids, sizeof ids);
            if (ptc_split_list(optarg, &o->only, &n) < 0)
                die_usage("--only: '%s' is not a comma-separated list of claim ids", optarg);
            for (size_t i = 0; i < n; i++)
                if (ptc_claim_find(o->only[i]) == NULL)
                    die_usage("--only: unknown claim '%s' (ids: %s)", o->only[i], ids);
            break;
        case O_OUT:
            o->out = optarg;
            break;
        case O_SEED:
            rc = ptc_parse_u64(optarg, 0, UINT64_MAX, &o->seed);
            if (rc < 0)
                die_usage("--seed: '%s' must be a whole number (%s)", optarg,
                          ptc_parse_strerror(rc));
            break;
        case O_LIST:
            list();
            break;
        case O_QUIET:
            o->quiet = 1;
            break;
        case O_PYTHON:
            o->python = 1;
            break;
        case O_HELP:
            usage();
            break;
        default:
            ptc_cli_rejected(msg, sizeof msg, argv, optind, optopt, O_SCALE);
            die_usage("%s", msg);
        }
    }
    if (optind < argc)
        die_usage("unexpected argument '%s' (see --help)", argv[optind]);
}

/* The time scale claim c runs at: --time-scale for the timing claims, else --untimed-scale. */
static double claim_scale(const struct options *o, const struct ptc_claim *c) {
    return c->timing || o->untimed_scale < 0 ? o->time_scale : o->untimed_scale;
}

static int selected(const struct options *o, const char *id) {
    if (o->only == NULL)
        return 1;
    for (char **p = o->only; *p != NULL; p++)
        if (strcmp(*p, id) == 0)
            return 1;
    return 0;
}

/* Markdown table cells: a '|' would end the cell, a newline the row. */
static void md_cell(FILE *fp, const char *s) {
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", fp);
        else if (*s == '\n')
            fputc(' ', fp);
        else
            fputc(*s, fp);
    }
    fputs(" | ", fp);
}

/* The Python reference's rows: id -> its figures, as the CSV gave them. */
#define MAX_PY 32
struct py_row {
    char *f[8]; /* id, expected, measured, verdict, reason, expected_value, measured_value, unit */
};
struct py_rows {
    struct py_row row[MAX_PY];
    size_t n;
};

static int keep_py_row(void *arg, char **fields, size_t n_fields, size_t line) {
    struct py_rows *p = arg;
    if (line == 1 || n_fields != 8 || p->n == MAX_PY)
        return 0; /* the header, or a row of another shape */
    for (size_t i = 0; i < 8; i++)
        p->row[p->n].f[i] = strdup(fields[i]);
    p->n++;
    return 0;
}

static const struct py_row *py_find(const struct py_rows *p, const char *id) {
    for (size_t i = 0; i < p->n; i++)
        if (p->row[i].f[0] != NULL && strcmp(p->row[i].f[0], id) == 0)
            return &p->row[i];
    return NULL;
}

static void py_free(struct py_rows *p) {
    for (size_t i = 0; i < p->n; i++)
        for (size_t k = 0; k < 8; k++)
            free(p->row[i].f[k]);
    p->n = 0;
}

/* Runs the Python reference into path; returns 0, or a negative errno and a reason in why. */
static int run_python(const struct options *o, const char *path, char *why, size_t why_size) {
    const char *script = getenv("PTC_PYTHON_SCRIPT");
    char def[4096];
    snprintf(def, sizeof def, "%s/scripts/python/claims.py", PTC_SOURCE_DIR);
    if (script == NULL)
        script = def;
    if (access(PYTHON, X_OK) != 0) {
        snprintf(why, why_size, PYTHON " is not installed (Debian's python3 and python3-gevent)");
        return -ENOENT;
    }
    if (access(script, R_OK) != 0) {
        snprintf(why, why_size, "the Python reference %.400s is missing", script);
        return -ENOENT;
    }
    char scale[32], untimed[32], seed[32], only[256] = "", timed[256] = "";
    snprintf(scale, sizeof scale, "%g", o->time_scale);
    snprintf(untimed, sizeof untimed, "%g",
             o->untimed_scale < 0 ? o->time_scale : o->untimed_scale);
    /* The registry says which claims are timing claims; the Python side takes it from here. */
    size_t n;
    const struct ptc_claim *const *all = ptc_claims_all(&n);
    for (size_t i = 0; i < n; i++)
        if (all[i]->timing)
            snprintf(timed + strlen(timed), sizeof timed - strlen(timed), "%s%s", *timed ? "," : "",
                     all[i]->id);
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)o->seed);
    for (char **p = o->only; p != NULL && *p != NULL; p++)
        snprintf(only + strlen(only), sizeof only - strlen(only), "%s%s", *only ? "," : "", *p);
    char *argv[] = {PYTHON,   (char *)script, "--time-scale", scale,        "--untimed-scale",
                    untimed,  "--timed",      timed,          "--seed",     seed,
                    "--only", only,           "--out",        (char *)path, NULL};
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        execv(PYTHON, argv);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) {
        snprintf(why, why_size, "cannot run " PYTHON ": %s", strerror(errno));
        return -errno;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(why, why_size, "the Python reference failed (status %d)", status);
        return -ECHILD;
    }
    return 0;
}

struct outputs {
    struct ptc_outfile csv, md, timeline;
    struct ptc_csv_writer csv_w, timeline_w;
};

static void open_output(struct outputs *out, struct ptc_outfile *of, const char *dir,
                        const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int rc = ptc_outfile_open(of, path);
    if (rc < 0) {
        ptc_outfile_abort(&out->csv);
        ptc_outfile_abort(&out->md);
        ptc_outfile_abort(&out->timeline);
        die_usage("--out: cannot write '%s': %s", path, strerror(-rc));
    }
}

/* What the C and the Python row of one claim share: the run, the machine, the claim. */
struct row_head {
    const char *started_at;
    const struct ptc_machine *machine;
    const struct options *o;
    const struct ptc_claim *c;
};

/* The columns of claims.csv up to the claim's original sentence. */
static void row_start(struct ptc_csv_writer *w, const struct row_head *h, const char *program,
                      const char *language) {
    ptc_csv_str(w, h->started_at);
    ptc_machine_csv_fields(w, h->machine);
    ptc_csv_str(w, program);
    ptc_csv_str(w, language);
    ptc_csv_f64(w, claim_scale(h->o, h->c), 4);
    ptc_csv_u64(w, h->o->seed);
    ptc_csv_str(w, h->c->id);
    ptc_csv_str(w, h->c->seed);
    ptc_csv_str(w, h->c->claim);
    ptc_csv_str(w, h->c->original);
}

int main(int argc, char **argv) {
    struct options o = {.time_scale = 1.0, .untimed_scale = -1.0, .out = ".", .seed = 1};
    ptc_outfile_cleanup_on_signals();
    parse(&o, argc, argv);
    ptc_timer_slack_min();
    if (mkdir(o.out, 0755) != 0 && errno != EEXIST)
        die_usage("--out: cannot create '%s': %s", o.out, strerror(errno));

    struct ptc_machine machine;
    ptc_machine_read(&machine);
    struct outputs out;
    memset(&out, 0, sizeof out);
    open_output(&out, &out.csv, o.out, "claims.csv");
    open_output(&out, &out.md, o.out, "claims.md");
    open_output(&out, &out.timeline, o.out, "claims-timeline.csv");
    ptc_csv_writer_init(&out.csv_w, out.csv.fp);
    ptc_csv_writer_init(&out.timeline_w, out.timeline.fp);
    ptc_timeline_header(&out.timeline_w);
    ptc_csv_str(&out.csv_w, "started_at");
    for (const char *const *c = ptc_machine_columns; *c; c++)
        ptc_csv_str(&out.csv_w, *c);
    static const char *const cols[] = {
        "program",        "language",       "time_scale", "seed",     "id",      "source",
        "claim",          "original",       "expected",   "measured", "verdict", "reason",
        "expected_value", "measured_value", "unit",       "wall_ns",  NULL};
    ptc_csv_header(&out.csv_w, cols);

    /* The Python reference first, so each table row can carry both languages. */
    struct py_rows py = {0};
    char py_note[512] = "";
    if (o.python) {
        char path[4096], err[512];
        snprintf(path, sizeof path, "%s/claims-python.csv", o.out);
        if (run_python(&o, path, py_note, sizeof py_note) == 0 &&
            ptc_csv_read(path, keep_py_row, &py, err, sizeof err) < 0)
            snprintf(py_note, sizeof py_note, "the Python reference's CSV: %.400s", err);
        if (*py_note)
            fprintf(stderr, PROG ": --python: %s\n", py_note);
    }
    fprintf(out.md.fp,
            "# Tutorial claims, put to the test\n\n"
            "Machine: %s, %s, %ld CPUs, kernel %s, %s, ptcbench %s. Time scale %.3g for the "
            "claims judged on durations and %.3g for the others (every tutorial sleep multiplied "
            "by it; the time_scale column says which). Every figure comes from this run.\n\n",
            machine.host, machine.cpu_model, machine.cpus, machine.kernel, machine.compiler,
            machine.git_rev, o.time_scale, o.untimed_scale < 0 ? o.time_scale : o.untimed_scale);
    if (o.python && *py_note)
        fprintf(out.md.fp, "The Python reference did not run: %s.\n\n", py_note);
    if (o.python && !*py_note)
        fprintf(out.md.fp, "| id | seed | claim | expected | measured (C) | verdict (C) | measured "
                           "(Python) | verdict (Python) |\n|---|---|---|---|---|---|---|---|\n");
    else
        fprintf(out.md.fp, "| id | seed | claim | expected | measured | verdict |\n"
                           "|---|---|---|---|---|---|\n");

    struct ptc_claim_ctx ctx = {.time_scale = o.time_scale,
                                .cpus = machine.cpus,
                                .seed = o.seed,
                                .timeline = &out.timeline_w};
    size_t n;
    const struct ptc_claim *const *all = ptc_claims_all(&n);
    int failed = 0;
    char started_at[32];
    for (size_t i = 0; i < n; i++) {
        const struct ptc_claim *c = all[i];
        if (!selected(&o, c->id))
            continue;
        if (isatty(STDERR_FILENO) && !o.quiet)
            fprintf(stderr, "\r\033[K" PROG ": claim %s (%zu of %zu)...", c->id, i + 1, n);
        struct ptc_claim_result r = {
            .expected_value = 0.0 / 0.0, .measured_value = 0.0 / 0.0, .unit = ""};
        ptc_utc_iso8601(started_at, sizeof started_at);
        ptc_ns start = ptc_now_ns();
        ctx.time_scale = claim_scale(&o, c);
        int rc = c->run(&ctx, &r);
        ptc_ns wall = ptc_now_ns() - start;
        if (rc < 0) {
            fprintf(stderr, "%s" PROG ": claim %s could not run: %s\n",
                    isatty(STDERR_FILENO) ? "\r\033[K" : "", c->id, strerror(-rc));
            failed = 1;
            continue;
        }
        const struct row_head head = {started_at, &machine, &o, c};
        row_start(&out.csv_w, &head, PROG, "C");
        ptc_csv_str(&out.csv_w, r.expected);
        ptc_csv_str(&out.csv_w, r.measured);
        ptc_csv_str(&out.csv_w, ptc_verdict_name(r.verdict));
        ptc_csv_str(&out.csv_w, r.reason);
        ptc_csv_f64(&out.csv_w, r.expected_value, 6);
        ptc_csv_f64(&out.csv_w, r.measured_value, 6);
        ptc_csv_str(&out.csv_w, r.unit);
        ptc_csv_u64(&out.csv_w, wall);
        ptc_csv_end_row(&out.csv_w);
        const struct py_row *pr = py_find(&py, c->id);
        if (pr != NULL) { /* same columns; the figures are the Python run's */
            row_start(&out.csv_w, &head, "scripts/python/claims.py", "Python");
            for (int k = 1; k <= 7; k++)
                ptc_csv_str(&out.csv_w, pr->f[k]);
            ptc_csv_str(&out.csv_w, "");
            ptc_csv_end_row(&out.csv_w);
        }
        fputs("| ", out.md.fp);
        md_cell(out.md.fp, c->id);
        md_cell(out.md.fp, c->seed);
        char both[1024];
        snprintf(both, sizeof both, "%s (\"%s\")", c->claim, c->original);
        md_cell(out.md.fp, both);
        md_cell(out.md.fp, r.expected);
        md_cell(out.md.fp, r.measured);
        snprintf(both, sizeof both, "**%s**: %s", ptc_verdict_name(r.verdict), r.reason);
        md_cell(out.md.fp, both);
        if (o.python && !*py_note) {
            md_cell(out.md.fp, pr != NULL ? pr->f[2] : "(no Python scenario)");
            if (pr != NULL)
                snprintf(both, sizeof both, "**%s**: %s", pr->f[3], pr->f[4]);
            md_cell(out.md.fp, pr != NULL ? both : "-");
        }
        fputc('\n', out.md.fp);
        if (!o.quiet)
            printf("%s%s %-24s %s\n    expected: %s\n    measured: %s\n",
                   isatty(STDERR_FILENO) ? "\r\033[K" : "", c->id, ptc_verdict_name(r.verdict),
                   r.reason, r.expected, r.measured);
    }
    if (isatty(STDERR_FILENO) && !o.quiet)
        fputs("\r\033[K", stderr);
    int werr = ptc_csv_error(&out.csv_w) | ptc_csv_error(&out.timeline_w);
    if (werr != 0 || ptc_outfile_commit(&out.csv) < 0 || ptc_outfile_commit(&out.md) < 0 ||
        ptc_outfile_commit(&out.timeline) < 0) {
        fprintf(stderr, PROG ": writing the ledger into '%s' failed\n", o.out);
        ptc_outfile_abort(&out.csv);
        ptc_outfile_abort(&out.md);
        ptc_outfile_abort(&out.timeline);
        failed = 1;
    }
    py_free(&py);
    ptc_strv_free(o.only);
    return failed ? 1 : 0;
}
