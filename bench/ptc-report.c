/* ptc-report: reads CSVs from ptc-run (--out), the microbenchmarks and ptc-claims, checks them
 * (a malformed file is an error naming the file, the line and the column), aggregates ptc-run's
 * runs per configuration and machine, and writes the aggregate as CSV, the whole as Markdown,
 * and the table of one chart for plots/. With --compare, tests what changed between two results
 * folders (report/compare.h). */
#include "core/cli.h"
#include "core/json.h"
#include "core/machine.h"
#include "core/outfile.h"
#include "report/chart.h"
#include "report/compare.h"
#include "report/input_paths.h"
#include "report/inputs.h"
#include "report/report.h"
#include "report/table.h"
#include "workload/settings.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG "ptc-report"

static void usage(void) {
    printf("usage: " PROG " [--csv FILE] [--md FILE] [--json FILE] [--chart NAME] INPUT...\n"
           "       " PROG " --compare [--csv FILE] [--md FILE] BASE NEW\n"
           "Reads ptc-run --out CSVs (one row per run), microbenchmark CSVs, claims.csv and\n"
           "hyperfine's export, several machines at once (the host column; the Markdown then\n"
           "compares them). An INPUT folder gives its *.csv files; a --json document (*.json)\n"
           "is read when named. Each CSV is told by its columns; its own outputs, ptc-run's\n"
           "--summary and --timeline, and the Python claims' raw verdicts are skipped with one\n"
           "line on stderr; a CSV of no kind is an error naming the column that did not fit.\n"
           "It writes:\n"
           "  --csv FILE   one row per configuration and host: runs, median, min, max, quartiles,\n"
           "               IQR, outliers (|modified z| > 3.5; from 5 runs on), speedup against\n"
           "               seq of the same workload and size, efficiency against the ideal,\n"
           "               the order-statistic interval of the median and its exact coverage\n"
           "               (a 95 %% CI from 6 runs on; below, the min-max and what it covers)\n"
           "  --md FILE    the same as Markdown tables, with the microbenchmarks, the claims\n"
           "               and hyperfine's whole-process times beside the in-process ones\n"
           "               ('-' for stdout; the default when no output is given)\n"
           "  --findings FILE  Markdown bullets stating what the data says: per workload and\n"
           "               size, seq's median and each model's speedup and median (at W = the\n"
           "               CPU count when it ran several W), the fastest; per language, the\n"
           "               claims' verdicts; hyperfine's whole process minus in process\n"
           "  --hyperfine-pairs FILE  one hyperfine --export-csv input (timed with -L model)\n"
           "               paired with the in-process runs of each model, as CSV (ns)\n"
           "  --json FILE  the aggregate as one JSON document, a summary per configuration\n"
           "               (docs/json-schema.json); inputs may be ptc-run's --json documents\n"
           "  --chart NAME with --csv: write there the table the chart's gnuplot script draws,\n"
           "               tab-separated, every value computed (speedups and their 95 %% CI,\n"
           "               ideals, times in ms), in place of the aggregate. NAME is one of\n");
    ptc_charts_help(stdout);
    printf("--compare BASE NEW: did it change? BASE and NEW are each a results folder (its\n"
           "ptc-run run CSVs; other CSVs are skipped with a line on stderr) or one run CSV.\n"
           "Per configuration on both sides (host, git_rev, compiler, kernel and runtime\n"
           "aside): runs and median of each, the ratio NEW/BASE (Hodges-Lehmann) with its\n"
           "95 %% interval and the Mann-Whitney p-value, '~' where p >= 0.05; a geometric mean\n"
           "per workload; which machine and build columns differ. --md (default stdout) and\n"
           "--csv (one row per configuration, times in ns). A side holding one configuration\n"
           "from two hosts, revisions, compilers, kernels or runtimes is refused.\n"
           "Runs of different hosts, git revisions, compilers, kernels or runtimes are never\n"
           "pooled: they are separate configurations. A file given twice is read once.\n");
    printf("A malformed input (wrong number of fields, a bad number, a truncated row) is an\n"
           "error naming the file, line and column. Exit status: 0 ok, 2 bad usage or input.\n");
}

static const char *const out_flags[PTC_N_OUT] = {"--csv", "--md", "--findings",
                                                 "--hyperfine-pairs"};

/* The options into path[], *chart and *compare; 0, 1 after --help, or 2 with the reason in
 * msg. */
static int parse(int argc, char **argv, const char **path, const char **json,
                 const struct ptc_chart **chart, bool *compare, char *msg, size_t msg_size) {
    enum { O_CSV = 256, O_MD, O_FINDINGS, O_HF_PAIRS, O_CHART, O_COMPARE, O_HELP, O_JSON };
    static const struct option longopts[] = {{"csv", required_argument, 0, O_CSV},
                                             {"md", required_argument, 0, O_MD},
                                             {"findings", required_argument, 0, O_FINDINGS},
                                             {"hyperfine-pairs", required_argument, 0, O_HF_PAIRS},
                                             {"chart", required_argument, 0, O_CHART},
                                             {"compare", no_argument, 0, O_COMPARE},
                                             {"help", no_argument, 0, O_HELP},
                                             {"json", required_argument, 0, O_JSON},
                                             {0, 0, 0, 0}};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c >= O_CSV && c <= O_HF_PAIRS)
            path[c - O_CSV] = optarg;
        else if (c == O_CHART && (*chart = ptc_chart_find(optarg)) == NULL) {
            snprintf(msg, msg_size, "--chart: unknown chart '%s' (see --help)", optarg);
            return 2;
        } else if (c == O_HELP) {
            usage();
            return 1;
        } else if (c == O_COMPARE) {
            *compare = true;
        } else if (c == O_JSON) {
            *json = optarg;
        } else if (c != O_CHART) {
            ptc_cli_rejected(msg, msg_size, argv, optind, optopt, O_CSV);
            return 2;
        }
    }
    if (*compare) {
        if (argc - optind != 2) {
            snprintf(msg, msg_size, "--compare: needs BASE and NEW, not %d input%s", argc - optind,
                     argc - optind == 1 ? "" : "s");
            return 2;
        }
        for (size_t k = 0; k < PTC_N_OUT; k++)
            if (path[k] != NULL && k != PTC_OUT_CSV && k != PTC_OUT_MD) {
                snprintf(msg, msg_size, "--compare: writes --md and --csv only, not %s",
                         out_flags[k]);
                return 2;
            }
        if (*chart != NULL || *json != NULL) {
            snprintf(msg, msg_size, "--compare: writes no %s", *chart ? "--chart" : "--json");
            return 2;
        }
    }
    if (optind == argc) {
        snprintf(msg, msg_size, "no input CSV (see --help)");
        return 2;
    }
    if (*chart != NULL && path[PTC_OUT_CSV] == NULL) {
        snprintf(msg, msg_size, "--chart %s: no --csv FILE to write its table into",
                 (*chart)->name);
        return 2;
    }
    if (path[PTC_OUT_CSV] == NULL && path[PTC_OUT_FINDINGS] == NULL &&
        path[PTC_OUT_HF_PAIRS] == NULL && path[PTC_OUT_MD] == NULL && *json == NULL)
        path[PTC_OUT_MD] = "-";
    return 0;
}

/* Opens every output asked for into of[] and fp[]. Returns 0, or a negative errno with the
 * reason in msg. */
static int open_outputs(const char *const *path, struct ptc_outfile *of, FILE **fp, char *msg,
                        size_t msg_size) {
    for (size_t k = 0; k < PTC_N_OUT; k++) {
        int rc = path[k] != NULL ? ptc_outfile_open(&of[k], path[k]) : 0;
        if (rc < 0) {
            snprintf(msg, msg_size, "%s: cannot write '%s': %s", out_flags[k], path[k],
                     strerror(-rc));
            return rc;
        }
        fp[k] = of[k].fp;
    }
    return 0;
}

/* Commits the outputs opened when rc is 0, else removes them all. Returns the exit status. */
static int close_outputs(const char *const *path, struct ptc_outfile *of, FILE *const *fp, int rc) {
    int status = rc < 0 ? 2 : 0, werr;
    for (size_t k = 0; k < PTC_N_OUT; k++) {
        if (fp[k] == NULL)
            continue;
        if (rc < 0)
            ptc_outfile_abort(&of[k]);
        else if ((werr = ptc_outfile_commit(&of[k])) < 0 && status == 0) {
            fprintf(stderr, PROG ": %s: writing '%s' failed: %s\n", out_flags[k], path[k],
                    strerror(-werr));
            status = 1;
        }
    }
    return status;
}

/* --compare: both sides read and tested before an output is opened. */
static int compare(const char *const *path, char *const *sides, const char *const *settings,
                   struct ptc_outfile *of, FILE **fp, char *msg, size_t msg_size) {
    struct ptc_compare c = {0};
    int rc = 0;
    for (size_t k = 0; k < 2 && rc == 0; k++)
        rc = ptc_compare_side_load(&c.side[k], sides[k], settings, PROG, stderr, msg, msg_size);
    if (rc == 0)
        rc = ptc_compare_run(&c, msg, msg_size);
    if (rc == 0)
        rc = open_outputs(path, of, fp, msg, msg_size);
    if (rc == 0) {
        ptc_outfile_cleanup_on_signals();
        if (fp[PTC_OUT_MD] != NULL)
            ptc_compare_md(&c, fp[PTC_OUT_MD]);
        if (fp[PTC_OUT_CSV] != NULL) {
            struct ptc_csv_writer w;
            ptc_csv_writer_init(&w, fp[PTC_OUT_CSV]);
            ptc_compare_csv(&c, &w);
        }
    }
    ptc_compare_free(&c);
    return rc;
}

/* The report of the inputs: loaded and checked before an output is opened. */
static int report(const char *const *path, char *const *inputs, size_t n,
                  struct ptc_report_outputs *out, struct ptc_outfile *of, char *msg,
                  size_t msg_size) {
    struct ptc_table *t = calloc(n ? n : 1, sizeof *t);
    size_t n_read = 0;
    int rc = t == NULL ? -ENOMEM : 0;
    if (rc == 0)
        rc = ptc_inputs_load(inputs, n, out->chart ? out->chart->also_reads : 0, t, &n_read, PROG,
                             stderr, msg, msg_size);
    else
        snprintf(msg, msg_size, "out of memory");
    if (rc == 0)
        rc = open_outputs(path, of, out->fp, msg, msg_size);
    if (rc == 0) {
        ptc_outfile_cleanup_on_signals();
        rc = ptc_report_write(t, n_read, out, msg, msg_size);
    }
    for (size_t i = 0; t != NULL && i < n; i++)
        ptc_table_free(&t[i]);
    free(t);
    return rc;
}

int main(int argc, char **argv) {
    const char *path[PTC_N_OUT] = {0};
    struct ptc_report_outputs out = {0};
    const char *settings[PTC_MAX_SETTINGS + 1];
    ptc_setting_columns(PTC_COLUMN_ANY, settings);
    out.setting_cols = settings;
    char msg[512];
    bool compare_mode = false;
    const char *json = NULL;
    int rc = parse(argc, argv, path, &json, &out.chart, &compare_mode, msg, sizeof msg);
    if (rc == 1)
        return 0;
    if (rc == 2) {
        fprintf(stderr, PROG ": %s\n", msg);
        return 2;
    }
    size_t n = (size_t)(argc - optind);
    /* BASE and NEW may be the same file: a run against itself; each side drops its own repeats */
    struct ptc_input_paths in = {.path = argv + optind, .n = n};
    if (!compare_mode &&
        ptc_input_paths_get(&in, argv + optind, n, PROG, stderr, msg, sizeof msg) < 0) {
        ptc_input_paths_free(&in);
        fprintf(stderr, PROG ": %s\n", msg);
        return 2;
    }
    struct ptc_output outs[PTC_N_OUT + 1];
    for (size_t k = 0; k < PTC_N_OUT; k++)
        outs[k] = (struct ptc_output){out_flags[k], path[k]};
    outs[PTC_N_OUT] = (struct ptc_output){"--json", json};
    if (ptc_outputs_check(outs, PTC_N_OUT + 1, (const char *const *)in.path, in.n, msg,
                          sizeof msg) < 0)
        rc = -EINVAL;
    /* --json: the aggregate's rows as summaries, on the machine ptc-report runs on (rows of other
     * machines carry theirs in their configuration) */
    struct ptc_json_out json_out = {0};
    if (rc == 0 && json != NULL) {
        struct ptc_machine machine;
        ptc_machine_read(&machine);
        static const char *const no_key[] = {NULL};
        int jrc = ptc_json_out_open(&json_out, json, PROG, &machine, no_key);
        if (jrc < 0) {
            snprintf(msg, sizeof msg, "--json: cannot write '%s': %s", json, strerror(-jrc));
            rc = -EINVAL;
        }
        out.json = json_out.doc;
    }
    struct ptc_outfile of[PTC_N_OUT] = {0};
    if (rc == 0 && compare_mode)
        rc = compare(path, argv + optind, settings, of, out.fp, msg, sizeof msg);
    else if (rc == 0)
        rc = report(path, in.path, in.n, &out, of, msg, sizeof msg);
    if (!compare_mode)
        ptc_input_paths_free(&in);
    int status = close_outputs(path, of, out.fp, rc);
    if (rc < 0)
        fprintf(stderr, PROG ": %s\n", msg);
    if (rc < 0 || status != 0)
        ptc_json_out_abort(&json_out);
    else if ((rc = ptc_json_out_commit(&json_out)) < 0) {
        fprintf(stderr, PROG ": --json: writing '%s' failed: %s\n", json, strerror(-rc));
        status = 1;
    }
    return status;
}
