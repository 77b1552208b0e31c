/* ptc-report: reads CSVs from ptc-run (--out), the microbenchmarks and ptc-claims, checks them
 * (a malformed file is an error naming the file, the line and the column), aggregates ptc-run's
 * runs per configuration and machine, and writes the aggregate as CSV and the whole as Markdown. */
#include "core/cli.h"
#include "core/csv.h"
#include "core/outfile.h"
#include "report/findings.h"
#include "report/hosts.h"
#include "report/hyperfine.h"
#include "report/runs.h"
#include "report/table.h"
#include "workload/settings.h"

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
            "\n### %s\n\n| host | benchmark | mechanism | variant | placement | n | metric | "
            "median | min - max |\n|---|---|---|---|---|---|---|---|---|\n",
            t->path);
    /* placement: where the two sides ran (same-cpu, cross-cpu, unpinned), "" when not placed
     * or in a CSV from before the column */
    for (size_t r = 0; r < t->n_rows; r++)
        fprintf(md, "| %s | %s | %s | %s | %s | %s | %s | %s %s | %s - %s |\n", cell(t, r, "host"),
                cell(t, r, "benchmark"), cell(t, r, "mechanism"), cell(t, r, "variant"),
                cell(t, r, "placement"), cell(t, r, "n"), cell(t, r, "metric"), cell(t, r, "value"),
                cell(t, r, "unit"), cell(t, r, "min"), cell(t, r, "max"));
}

static void md_claims(FILE *md, const struct ptc_table *t) {
    fprintf(md,
            "\n### %s\n\n| host | id | language | verdict | measured |\n|---|---|---|---|---|\n",
            t->path);
    for (size_t r = 0; r < t->n_rows; r++) {
        fprintf(md, "| %s | %s | %s | %s | ", cell(t, r, "host"), cell(t, r, "id"),
                cell(t, r, "language"), cell(t, r, "verdict"));
        /* Whole, so that no UTF-8 sequence is cut; a '|' would end the table cell. */
        for (const char *p = cell(t, r, "measured"); *p; p++)
            fputc(*p == '|' ? '/' : *p, md);
        fprintf(md, " |\n");
    }
}

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

enum kind { K_RUNS, K_MICRO, K_CLAIMS, K_HYPERFINE };

static enum kind kind_of(const struct ptc_table *t) {
    if (ptc_table_col(t, "metric") >= 0)
        return K_MICRO;
    if (ptc_table_col(t, "verdict") >= 0)
        return K_CLAIMS;
    if (ptc_report_is_hyperfine(t))
        return K_HYPERFINE;
    return K_RUNS;
}

/* Loads and checks every input; each must be a kind ptc-report knows. */
static int load_all(char **paths, size_t n, struct ptc_table *t, char *msg, size_t msg_size) {
    static const char *const micro_numbers[] = {"value", "min", "max", NULL};
    static const char *const claim_numbers[] = {"expected_value", "measured_value", NULL};
    static const char *const hf_numbers[] = {"mean", "stddev", "median", "min", "max", NULL};
    static const char *const *const numbers[] = {[K_RUNS] = NULL,
                                                 [K_MICRO] = micro_numbers,
                                                 [K_CLAIMS] = claim_numbers,
                                                 [K_HYPERFINE] = hf_numbers};
    for (size_t i = 0; i < n; i++) {
        int rc = ptc_table_load(paths[i], &t[i], msg, msg_size);
        if (rc < 0)
            return rc;
        enum kind k = kind_of(&t[i]);
        if (k == K_RUNS && !ptc_report_is_runs(&t[i])) {
            snprintf(msg, msg_size,
                     "%s: not a ptcbench CSV (no wall_ns, metric, verdict or hyperfine's mean "
                     "column)",
                     paths[i]);
            return -EINVAL;
        }
        if (numbers[k] != NULL && (rc = check_numbers(&t[i], numbers[k], msg, msg_size)) < 0)
            return rc;
    }
    return 0;
}

/* The outputs, each written to a temporary file and renamed when all went well. */
enum { OUT_CSV, OUT_MD, OUT_FINDINGS, OUT_COMPARE, N_OUT };
static const char *const out_flags[N_OUT] = {"--csv", "--md", "--findings", "--compare"};

static int write_all(const struct ptc_table *t, size_t n, FILE *const *fp, char *msg,
                     size_t msg_size) {
    struct ptc_run_groups gs;
    const char *settings[PTC_MAX_SETTINGS + 1];
    ptc_setting_columns(PTC_COLUMN_ANY, settings);
    int rc = ptc_run_groups_build(t, n, settings, &gs, msg, msg_size);
    if (rc < 0)
        return rc;
    /* Pair every hyperfine table first, writing nothing: an error is found before any output
     * (stdout included) has a line of it. */
    size_t n_hf = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        if (kind_of(&t[i]) == K_HYPERFINE) {
            rc = ptc_report_hyperfine(&t[i], &gs, NULL, NULL, NULL, msg, msg_size);
            n_hf++;
        }
    if (rc == 0 && fp[OUT_COMPARE] != NULL && n_hf != 1) {
        snprintf(msg, msg_size,
                 "--compare needs exactly one hyperfine CSV among the inputs, not %zu", n_hf);
        rc = -EINVAL;
    }
    if (rc < 0) {
        ptc_run_groups_free(&gs);
        return rc;
    }
    struct ptc_csv_writer w, cw;
    if (fp[OUT_CSV] != NULL) {
        ptc_csv_writer_init(&w, fp[OUT_CSV]);
        ptc_run_groups_csv(&gs, &w);
    }
    if (fp[OUT_COMPARE] != NULL)
        ptc_csv_writer_init(&cw, fp[OUT_COMPARE]);
    if (fp[OUT_MD] != NULL && gs.n > 0) {
        fprintf(fp[OUT_MD], "## Runs, per configuration\n\n");
        ptc_run_groups_md(&gs, fp[OUT_MD]);
        ptc_run_groups_hosts_md(&gs, fp[OUT_MD]);
    }
    if (fp[OUT_FINDINGS] != NULL)
        ptc_findings_runs(&gs, fp[OUT_FINDINGS]);
    for (size_t i = 0; i < n && rc == 0; i++) {
        switch (kind_of(&t[i])) {
        case K_MICRO:
            if (fp[OUT_MD] != NULL)
                md_micro(fp[OUT_MD], &t[i]);
            break;
        case K_CLAIMS:
            if (fp[OUT_MD] != NULL)
                md_claims(fp[OUT_MD], &t[i]);
            if (fp[OUT_FINDINGS] != NULL)
                ptc_findings_claims(&t[i], fp[OUT_FINDINGS]);
            break;
        case K_HYPERFINE:
            if (fp[OUT_MD] != NULL)
                fprintf(fp[OUT_MD], "\n### %s: whole process against in process\n\n",
                        base_name(t[i].path));
            rc = ptc_report_hyperfine(&t[i], &gs, fp[OUT_COMPARE] ? &cw : NULL, fp[OUT_MD],
                                      fp[OUT_FINDINGS], msg, msg_size);
            break;
        case K_RUNS:
            break;
        }
    }
    ptc_run_groups_free(&gs);
    return rc;
}

int main(int argc, char **argv) {
    enum { O_CSV = 256, O_MD, O_FINDINGS, O_COMPARE, O_HELP };
    static const struct option longopts[] = {{"csv", required_argument, 0, O_CSV},
                                             {"md", required_argument, 0, O_MD},
                                             {"findings", required_argument, 0, O_FINDINGS},
                                             {"compare", required_argument, 0, O_COMPARE},
                                             {"help", no_argument, 0, O_HELP},
                                             {0, 0, 0, 0}};
    const char *path[N_OUT] = {0};
    char msg[512];
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c >= O_CSV && c <= O_COMPARE)
            path[c - O_CSV] = optarg;
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
    if (path[OUT_CSV] == NULL && path[OUT_FINDINGS] == NULL && path[OUT_COMPARE] == NULL &&
        path[OUT_MD] == NULL)
        path[OUT_MD] = "-";
    size_t n = (size_t)(argc - optind);
    struct ptc_table *t = calloc(n, sizeof *t);
    int rc = t == NULL ? -ENOMEM : 0;
    if (rc == 0)
        rc = load_all(argv + optind, n, t, msg, sizeof msg);
    else
        snprintf(msg, sizeof msg, "out of memory");
    struct ptc_outfile of[N_OUT] = {0};
    FILE *fp[N_OUT] = {0};
    for (size_t k = 0; k < N_OUT && rc == 0; k++) {
        if (path[k] != NULL && (rc = ptc_outfile_open(&of[k], path[k])) < 0)
            snprintf(msg, sizeof msg, "%s: cannot write '%s': %s", out_flags[k], path[k],
                     strerror(-rc));
        fp[k] = of[k].fp;
    }
    if (rc == 0) {
        ptc_outfile_cleanup_on_signals();
        rc = write_all(t, n, fp, msg, sizeof msg);
    }
    int status = rc < 0 ? 2 : 0;
    for (size_t k = 0; k < N_OUT; k++) {
        if (fp[k] == NULL)
            continue;
        if (rc < 0)
            ptc_outfile_abort(&of[k]);
        else if (ptc_outfile_commit(&of[k]) < 0 && status == 0) {
            fprintf(stderr, PROG ": writing %s '%s' failed\n", out_flags[k], path[k]);
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
