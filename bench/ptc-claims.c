/* ptc-claims: runs the claims ledger (src/claims/) and writes claims.csv, claims.md (the table a
 * person reads first) and claims-timeline.csv (task starts and ends of the scenarios where order
 * matters). A refuted claim is a result: the exit status says whether the scenarios ran. */
#include "claims/claim.h"
#include "core/cli.h"
#include "core/machine.h"
#include "core/outfile.h"
#include "core/parse.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROG "ptc-claims"

__attribute__((format(printf, 1, 2), noreturn)) static void die_usage(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs(PROG ": ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static void usage(void) {
    char ids[256];
    ptc_claim_ids(ids, sizeof ids);
    printf(
        "usage: " PROG " [--time-scale S] [--only ID[,ID...]] [--out DIR] [--seed N] [--list]\n"
        "Puts the claims of the Python concurrency tutorials to the test and writes the\n"
        "ledger: DIR/claims.csv, DIR/claims.md and DIR/claims-timeline.csv.\n\n"
        "  --time-scale S   multiply every tutorial sleep by S, 0.001..10 (default 1: the\n"
        "                   real 1-10 s durations; 0.05 runs in seconds)\n"
        "  --only ID,...    run only these claims (ids: %s)\n"
        "  --out DIR        where the ledger goes (default .; created if missing)\n"
        "  --seed N         seed of the random task durations (default 1)\n"
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
        printf("%s  [%s] %s\n      %s\n", all[i]->id, all[i]->seed, all[i]->claim,
               all[i]->original);
    exit(0);
}

struct options {
    double time_scale;
    char **only;
    const char *out;
    uint64_t seed;
    int quiet;
};

static void parse(struct options *o, int argc, char **argv) {
    enum { O_SCALE = 256, O_ONLY, O_OUT, O_SEED, O_LIST, O_QUIET, O_HELP };
    static const struct option longopts[] = {{"time-scale", required_argument, 0, O_SCALE},
                                             {"only", required_argument, 0, O_ONLY},
                                             {"out", required_argument, 0, O_OUT},
                                             {"seed", required_argument, 0, O_SEED},
                                             {"list", no_argument, 0, O_LIST},
                                             {"quiet", no_argument, 0, O_QUIET},
                                             {"help", no_argument, 0, O_HELP},
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

int main(int argc, char **argv) {
    struct options o = {.time_scale = 1.0, .out = ".", .seed = 1};
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
    static const char *const tl_cols[] = {"claim",  "model",    "workers", "task",
                                          "worker", "start_ns", "end_ns",  NULL};
    ptc_csv_header(&out.timeline_w, tl_cols);
    ptc_csv_str(&out.csv_w, "started_at");
    for (const char *const *c = ptc_machine_columns; *c; c++)
        ptc_csv_str(&out.csv_w, *c);
    static const char *const cols[] = {"program",        "time_scale", "seed",     "id",
                                       "source",         "claim",      "original", "expected",
                                       "measured",       "verdict",    "reason",   "expected_value",
                                       "measured_value", "unit",       "wall_ns",  NULL};
    ptc_csv_header(&out.csv_w, cols);

    fprintf(out.md.fp,
            "# Tutorial claims, put to the test\n\n"
            "Machine: %s, %s, %ld CPUs, kernel %s, %s, ptcbench %s. Time scale %.3g (every "
            "tutorial sleep multiplied by it). Every figure comes from this run.\n\n"
            "| id | seed | claim | expected | measured | verdict |\n"
            "|---|---|---|---|---|---|\n",
            machine.host, machine.cpu_model, machine.cpus, machine.kernel, machine.compiler,
            machine.git_rev, o.time_scale);

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
        int rc = c->run(&ctx, &r);
        ptc_ns wall = ptc_now_ns() - start;
        if (rc < 0) {
            fprintf(stderr, "%s" PROG ": claim %s could not run: %s\n",
                    isatty(STDERR_FILENO) ? "\r\033[K" : "", c->id, strerror(-rc));
            failed = 1;
            continue;
        }
        ptc_csv_str(&out.csv_w, started_at);
        ptc_machine_csv_fields(&out.csv_w, &machine);
        ptc_csv_str(&out.csv_w, PROG);
        ptc_csv_f64(&out.csv_w, o.time_scale, 4);
        ptc_csv_u64(&out.csv_w, o.seed);
        ptc_csv_str(&out.csv_w, c->id);
        ptc_csv_str(&out.csv_w, c->seed);
        ptc_csv_str(&out.csv_w, c->claim);
        ptc_csv_str(&out.csv_w, c->original);
        ptc_csv_str(&out.csv_w, r.expected);
        ptc_csv_str(&out.csv_w, r.measured);
        ptc_csv_str(&out.csv_w, ptc_verdict_name(r.verdict));
        ptc_csv_str(&out.csv_w, r.reason);
        ptc_csv_f64(&out.csv_w, r.expected_value, 6);
        ptc_csv_f64(&out.csv_w, r.measured_value, 6);
        ptc_csv_str(&out.csv_w, r.unit);
        ptc_csv_u64(&out.csv_w, wall);
        ptc_csv_end_row(&out.csv_w);
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
        fputc('\n', out.md.fp);
        if (!o.quiet)
            printf("%s%s %-20s %s\n    expected: %s\n    measured: %s\n",
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
    ptc_strv_free(o.only);
    return failed ? 1 : 0;
}
