#include "report/report.h"

#include "core/csv.h"
#include "report/findings.h"
#include "report/hosts.h"
#include "report/hyperfine.h"
#include "report/inputs.h"
#include "report/md.h"
#include "report/runs.h"
#include "report/tables_md.h"

#include <errno.h>
#include <string.h>

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Pairs every hyperfine table, writing nothing, and checks that --hyperfine-pairs has its one. */
static int check_hyperfine(const struct ptc_table *t, size_t n, const struct ptc_run_groups *gs,
                           FILE *pairs, char *msg, size_t msg_size) {
    size_t n_hf = 0;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        if (ptc_input_kind(&t[i]) == PTC_INPUT_HYPERFINE) {
            rc = ptc_report_hyperfine(&t[i], gs, NULL, NULL, NULL, msg, msg_size);
            n_hf++;
        }
    if (rc == 0 && pairs != NULL && n_hf != 1) {
        snprintf(msg, msg_size,
                 "--hyperfine-pairs needs exactly one hyperfine CSV among the inputs, not %zu",
                 n_hf);
        rc = -EINVAL;
    }
    return rc;
}

/* The aggregate or the chart's table into fp[PTC_OUT_CSV], the runs into the Markdown and the
 * findings. */
static int write_runs(const struct ptc_table *t, size_t n, const struct ptc_run_groups *gs,
                      const struct ptc_report_outputs *out, char *msg, size_t msg_size) {
    FILE *const *fp = out->fp;
    if (fp[PTC_OUT_CSV] != NULL && out->chart != NULL) {
        struct ptc_tsv tw;
        ptc_tsv_init(&tw, fp[PTC_OUT_CSV]);
        struct ptc_chart_inputs in = {t, n, gs};
        int rc = out->chart->write(&in, out->chart->arg, &tw, msg, msg_size);
        if (rc < 0) {
            char why[256];
            snprintf(why, sizeof why, "%s", msg);
            snprintf(msg, msg_size, "--chart %s: %s", out->chart->name, why);
            return rc;
        }
    }
    if ((fp[PTC_OUT_CSV] != NULL && out->chart == NULL) || out->json != NULL) {
        /* the aggregate to --csv (unless a chart's table went there) and to --json */
        struct ptc_csv_writer w;
        ptc_csv_writer_init(&w, out->chart == NULL ? fp[PTC_OUT_CSV] : NULL);
        if (out->json != NULL) {
            ptc_json_doc_key_leading(out->json, gs->n_keys);
            ptc_json_doc_attach(out->json, PTC_JSON_SUMMARY, &w);
        }
        ptc_run_groups_csv(gs, &w);
    }
    int rc = 0;
    if (fp[PTC_OUT_MD] != NULL && gs->n > 0) {
        fprintf(fp[PTC_OUT_MD], "## Runs, per configuration\n\n");
        ptc_run_groups_md(gs, fp[PTC_OUT_MD]);
        rc = ptc_run_groups_hosts_md(gs, fp[PTC_OUT_MD]);
    }
    if (rc == 0 && fp[PTC_OUT_FINDINGS] != NULL)
        rc = ptc_findings_runs(gs, fp[PTC_OUT_FINDINGS]);
    if (rc < 0)
        snprintf(msg, msg_size, "out of memory");
    return rc;
}

/* What one input of a kind adds to the Markdown, the findings and --hyperfine-pairs (cw: NULL when
 * not asked for). */
typedef int write_fn(const struct ptc_table *t, const struct ptc_run_groups *gs, FILE *const *fp,
                     struct ptc_csv_writer *cw, char *msg, size_t msg_size);

static int write_micro(const struct ptc_table *t, const struct ptc_run_groups *gs, FILE *const *fp,
                       struct ptc_csv_writer *cw, char *msg, size_t msg_size) {
    (void)gs, (void)cw, (void)msg, (void)msg_size;
    if (fp[PTC_OUT_MD] != NULL)
        ptc_md_micro(fp[PTC_OUT_MD], t);
    return 0;
}

static int write_claims(const struct ptc_table *t, const struct ptc_run_groups *gs, FILE *const *fp,
                        struct ptc_csv_writer *cw, char *msg, size_t msg_size) {
    (void)gs, (void)cw, (void)msg, (void)msg_size;
    if (fp[PTC_OUT_MD] != NULL)
        ptc_md_claims(fp[PTC_OUT_MD], t);
    if (fp[PTC_OUT_FINDINGS] != NULL)
        ptc_findings_claims(t, fp[PTC_OUT_FINDINGS]);
    return 0;
}

static int write_hyperfine(const struct ptc_table *t, const struct ptc_run_groups *gs,
                           FILE *const *fp, struct ptc_csv_writer *cw, char *msg, size_t msg_size) {
    char name[PTC_MD_KEY_MAX];
    if (fp[PTC_OUT_MD] != NULL)
        fprintf(fp[PTC_OUT_MD], "\n### %s: whole process against in process\n\n",
                ptc_md_esc(name, sizeof name, base_name(t->path)));
    return ptc_report_hyperfine(t, gs, cw, fp[PTC_OUT_MD], fp[PTC_OUT_FINDINGS], msg, msg_size);
}

/* Per kind of input; the runs are written whole by write_runs. */
static write_fn *const writers[] = {[PTC_INPUT_RUNS] = NULL,
                                    [PTC_INPUT_MICRO] = write_micro,
                                    [PTC_INPUT_CLAIMS] = write_claims,
                                    [PTC_INPUT_HYPERFINE] = write_hyperfine,
                                    [PTC_INPUT_TIMELINE] = NULL};

/* Each other input into the Markdown, the findings and --hyperfine-pairs, in input order. */
static int write_others(const struct ptc_table *t, size_t n, const struct ptc_run_groups *gs,
                        FILE *const *fp, char *msg, size_t msg_size) {
    struct ptc_csv_writer cw;
    if (fp[PTC_OUT_HF_PAIRS] != NULL)
        ptc_csv_writer_init(&cw, fp[PTC_OUT_HF_PAIRS]);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        write_fn *write = writers[ptc_input_kind(&t[i])];
        if (write != NULL)
            rc = write(&t[i], gs, fp, fp[PTC_OUT_HF_PAIRS] ? &cw : NULL, msg, msg_size);
    }
    return rc;
}

int ptc_report_write(const struct ptc_table *t, size_t n, const struct ptc_report_outputs *out,
                     char *msg, size_t msg_size) {
    struct ptc_run_groups gs;
    int rc = ptc_run_groups_build(t, n, out->setting_cols, &gs, msg, msg_size);
    if (rc < 0)
        return rc;
    rc = check_hyperfine(t, n, &gs, out->fp[PTC_OUT_HF_PAIRS], msg, msg_size);
    if (rc == 0)
        rc = write_runs(t, n, &gs, out, msg, msg_size);
    if (rc == 0)
        rc = write_others(t, n, &gs, out->fp, msg, msg_size);
    ptc_run_groups_free(&gs);
    return rc;
}
