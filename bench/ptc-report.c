/* ptc-report: reads CSVs from ptc-run (--out), the microbenchmarks and ptc-claims, checks them
 * (a malformed file is an error naming the file, the line and the column), aggregates ptc-run's
 * runs per configuration and machine, and writes the aggregate as CSV and the whole as Markdown. */
#include "core/cli.h"
#include "core/csv.h"
#include "core/outfile.h"
#include "report/runs.h"
#include "report/table.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG "ptc-report"

static void usage(void) {
    printf("usage: " PROG " [--csv FILE] [--md FILE] INPUT.csv...\n"
           "Reads ptc-run --out CSVs (one row per run), microbenchmark CSVs and claims.csv,\n"
           "several machines at once (the host column), and writes:\n"
           "  --csv FILE   one row per configuration and host: runs, median, min, max, quartiles,\n"
           "               IQR, 95 %% bootstrap interval of the median, outliers (|modified\n"
           "               z| > 3.5), speedup against seq of the same workload and size,\n"
           "               efficiency against the ideal\n"
           "  --md FILE    the same as Markdown tables, with the microbenchmarks and claims\n"
           "               ('-' for stdout; the default when neither is given)\n"
           "A malformed input (wrong number of fields, a bad number, a truncated row) is an\n"
           "error naming the file, line and column. Exit status: 0 ok, 2 bad usage or input.\n");
}

/* The columns a table of each other kind must hold numbers in, checked on load. */
static int check_numbers(const struct ptc_table *t, const char *const *cols, char *err,
                         size_t err_size) {
    for (const char *const *c = cols; *c; c++) {
        ssize_t k = ptc_table_col(t, *c);
        for (size_t r = 0; k >= 0 && r < t->n_rows; r++) {
            double v;
            int rc = ptc_table_number(t, r, (size_t)k, &v, err, err_size);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

static const char *cell(const struct ptc_table *t, size_t r, const char *name) {
    ssize_t c = ptc_table_col(t, name);
    return c >= 0 ? t->rows[r][c] : "";
}

static void md_micro(FILE *md, const struct ptc_table *t) {
    fprintf(md,
            "\n### %s\n\n| host | benchmark | mechanism | variant | n | metric | median | "
            "min - max |\n|---|---|---|---|---|---|---|---|\n",
            t->path);
    for (size_t r = 0; r < t->n_rows; r++)
        fprintf(md, "| %s | %s | %s | %s | %s | %s | %s %s | %s - %s |\n", cell(t, r, "host"),
                cell(t, r, "benchmark"), cell(t, r, "mechanism"), cell(t, r, "variant"),
                cell(t, r, "n"), cell(t, r, "metric"), cell(t, r, "value"), cell(t, r, "unit"),
                cell(t, r, "min"), cell(t, r, "max"));
}

static void md_claims(FILE *md, const struct ptc_table *t) {
    fprintf(md,
            "\n### %s\n\n| host | id | language | verdict | measured |\n|---|---|---|---|---|\n",
            t->path);
    for (size_t r = 0; r < t->n_rows; r++) {
        char measured[256];
        snprintf(measured, sizeof measured, "%s", cell(t, r, "measured"));
        for (char *p = measured; *p; p++)
            if (*p == '|')
                *p = '/';
        fprintf(md, "| %s | %s | %s | %s | %s |\n", cell(t, r, "host"), cell(t, r, "id"),
                cell(t, r, "language"), cell(t, r, "verdict"), measured);
    }
}

int main(int argc, char **argv) {
    enum { O_CSV = 256, O_MD, O_HELP };
    static const struct option longopts[] = {{"csv", required_argument, 0, O_CSV},
                                             {"md", required_argument, 0, O_MD},
                                             {"help", no_argument, 0, O_HELP},
                                             {0, 0, 0, 0}};
    const char *csv_path = NULL, *md_path = NULL;
    char msg[512];
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == O_CSV)
            csv_path = optarg;
        else if (c == O_MD)
            md_path = optarg;
        else if (c == O_HELP) {
            usage();
            return 0;
        } else {
            ptc_cli_rejected(msg, sizeof msg, argv, optind, optopt, O_CSV);
            fprintf(stderr, PROG ": %s\n", msg);
            return 2;
        }
    }
    if (optind == argc) {
        fprintf(stderr, PROG ": no input CSV (see --help)\n");
        return 2;
    }
    if (csv_path == NULL && md_path == NULL)
        md_path = "-";
    size_t n = (size_t)(argc - optind);
    struct ptc_table *t = calloc(n, sizeof *t);
    int rc = t == NULL ? -ENOMEM : 0;
    static const char *const micro_numbers[] = {"value", "min", "max", NULL};
    static const char *const claim_numbers[] = {"expected_value", "measured_value", NULL};
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = ptc_table_load(argv[optind + (int)i], &t[i], msg, sizeof msg);
        if (rc == 0 && ptc_table_col(&t[i], "metric") >= 0)
            rc = check_numbers(&t[i], micro_numbers, msg, sizeof msg);
        else if (rc == 0 && ptc_table_col(&t[i], "verdict") >= 0)
            rc = check_numbers(&t[i], claim_numbers, msg, sizeof msg);
        else if (rc == 0 && !ptc_report_is_runs(&t[i])) {
            snprintf(msg, sizeof msg,
                     "%s: not a ptcbench CSV (no wall_ns, metric or verdict "
                     "column)",
                     argv[optind + (int)i]);
            rc = -EINVAL;
        }
    }
    struct ptc_outfile csv_of = {0}, md_of = {0};
    struct ptc_csv_writer w;
    if (rc == 0 && csv_path != NULL && (rc = ptc_outfile_open(&csv_of, csv_path)) < 0)
        snprintf(msg, sizeof msg, "--csv: cannot write '%s': %s", csv_path, strerror(-rc));
    if (rc == 0 && md_path != NULL && (rc = ptc_outfile_open(&md_of, md_path)) < 0)
        snprintf(msg, sizeof msg, "--md: cannot write '%s': %s", md_path, strerror(-rc));
    if (rc == 0) {
        ptc_outfile_cleanup_on_signals();
        if (csv_of.fp != NULL)
            ptc_csv_writer_init(&w, csv_of.fp);
        if (md_of.fp != NULL)
            fprintf(md_of.fp, "## Runs, per configuration\n\n");
        rc = ptc_report_runs(t, n, csv_of.fp ? &w : NULL, md_of.fp, msg, sizeof msg);
    }
    for (size_t i = 0; rc == 0 && md_of.fp != NULL && i < n; i++) {
        if (ptc_table_col(&t[i], "metric") >= 0)
            md_micro(md_of.fp, &t[i]);
        else if (ptc_table_col(&t[i], "verdict") >= 0)
            md_claims(md_of.fp, &t[i]);
    }
    int status = rc < 0 ? 2 : 0;
    if (rc < 0) {
        fprintf(stderr, PROG ": %s\n", msg);
        ptc_outfile_abort(&csv_of);
        ptc_outfile_abort(&md_of);
    } else if ((csv_of.fp && ptc_outfile_commit(&csv_of) < 0) ||
               (md_of.fp && ptc_outfile_commit(&md_of) < 0)) {
        fprintf(stderr, PROG ": writing the report failed\n");
        status = 1;
    }
    for (size_t i = 0; t != NULL && i < n; i++)
        ptc_table_free(&t[i]);
    free(t);
    return status;
}
