/* ptc-report: reads CSVs from ptc-run (--out), the microbenchmarks and ptc-claims, checks them
 * (a malformed file is an error naming the file, the line and the column), aggregates ptc-run's
 * runs per configuration and machine, and writes the aggregate as CSV, the whole as Markdown,
 * and the table of one chart for plots/. */
#include "core/cli.h"
#include "core/outfile.h"
#include "report/chart.h"
#include "report/inputs.h"
#include "report/report.h"
#include "report/table.h"
#include "workload/settings.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG "ptc-report"

static void usage(void) {
    printf("usage: " PROG " [--csv FILE] [--md FILE] [--chart NAME] INPUT.csv...\n"
           "Reads ptc-run --out CSVs (one row per run), microbenchmark CSVs and claims.csv,\n"
           "several machines at once (the host column; the Markdown then compares them), and\n"
           "writes:\n"
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
           "  --compare FILE  one hyperfine --export-csv input (timed with -L model) paired\n"
           "               with the in-process runs of each model, as CSV (ns)\n"
           "  --chart NAME with --csv: write there the table the chart's gnuplot script draws,\n"
           "               tab-separated, every value computed (speedups and their 95 %% CI,\n"
           "               ideals, times in ms), in place of the aggregate. NAME is one of\n");
    ptc_charts_help(stdout);
    printf("A malformed input (wrong number of fields, a bad number, a truncated row) is an\n"
           "error naming the file, line and column. Exit status: 0 ok, 2 bad usage or input.\n");
}

static const char *const out_flags[PTC_N_OUT] = {"--csv", "--md", "--findings", "--compare"};

/* The options into path[] and *chart; 0, 1 after --help, or 2 with the reason in msg. */
static int parse(int argc, char **argv, const char **path, const struct ptc_chart **chart,
                 char *msg, size_t msg_size) {
    enum { O_CSV = 256, O_MD, O_FINDINGS, O_COMPARE, O_CHART, O_HELP };
    static const struct option longopts[] = {{"csv", required_argument, 0, O_CSV},
                                             {"md", required_argument, 0, O_MD},
                                             {"findings", required_argument, 0, O_FINDINGS},
                                             {"compare", required_argument, 0, O_COMPARE},
                                             {"chart", required_argument, 0, O_CHART},
                                             {"help", no_argument, 0, O_HELP},
                                             {0, 0, 0, 0}};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c >= O_CSV && c <= O_COMPARE)
            path[c - O_CSV] = optarg;
        else if (c == O_CHART && (*chart = ptc_chart_find(optarg)) == NULL) {
            snprintf(msg, msg_size, "--chart: unknown chart '%s' (see --help)", optarg);
            return 2;
        } else if (c == O_HELP) {
            usage();
            return 1;
        } else if (c != O_CHART) {
            ptc_cli_rejected(msg, msg_size, argv, optind, optopt, O_CSV);
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
        path[PTC_OUT_COMPARE] == NULL && path[PTC_OUT_MD] == NULL)
        path[PTC_OUT_MD] = "-";
    return 0;
}

int main(int argc, char **argv) {
    const char *path[PTC_N_OUT] = {0};
    struct ptc_report_outputs out = {0};
    const char *settings[PTC_MAX_SETTINGS + 1];
    ptc_setting_columns(PTC_COLUMN_ANY, settings);
    out.setting_cols = settings;
    char msg[512];
    int rc = parse(argc, argv, path, &out.chart, msg, sizeof msg);
    if (rc == 1)
        return 0;
    if (rc == 2) {
        fprintf(stderr, PROG ": %s\n", msg);
        return 2;
    }
    size_t n = (size_t)(argc - optind);
    struct ptc_output outs[PTC_N_OUT];
    for (size_t k = 0; k < PTC_N_OUT; k++)
        outs[k] = (struct ptc_output){out_flags[k], path[k]};
    if (ptc_outputs_check(outs, PTC_N_OUT, (const char *const *)argv + optind, n, msg, sizeof msg) <
        0) {
        fprintf(stderr, PROG ": %s\n", msg);
        return 2;
    }
    struct ptc_table *t = calloc(n, sizeof *t);
    rc = t == NULL ? -ENOMEM : 0;
    if (rc == 0)
        rc = ptc_inputs_load(argv + optind, n, t, msg, sizeof msg);
    else
        snprintf(msg, sizeof msg, "out of memory");
    struct ptc_outfile of[PTC_N_OUT] = {0};
    for (size_t k = 0; k < PTC_N_OUT && rc == 0; k++) {
        if (path[k] != NULL && (rc = ptc_outfile_open(&of[k], path[k])) < 0)
            snprintf(msg, sizeof msg, "%s: cannot write '%s': %s", out_flags[k], path[k],
                     strerror(-rc));
        out.fp[k] = of[k].fp;
    }
    if (rc == 0) {
        ptc_outfile_cleanup_on_signals();
        rc = ptc_report_write(t, n, &out, msg, sizeof msg);
    }
    int status = rc < 0 ? 2 : 0, werr;
    for (size_t k = 0; k < PTC_N_OUT; k++) {
        if (out.fp[k] == NULL)
            continue;
        if (rc < 0)
            ptc_outfile_abort(&of[k]);
        else if ((werr = ptc_outfile_commit(&of[k])) < 0 && status == 0) {
            fprintf(stderr, PROG ": %s: writing '%s' failed: %s\n", out_flags[k], path[k],
                    strerror(-werr));
            status = 1;
        }
    }
    if (rc < 0)
        fprintf(stderr, PROG ": %s\n", msg);
    for (size_t i = 0; t != NULL && i < n; i++)
        ptc_table_free(&t[i]);
    free(t);
    return status;
}
