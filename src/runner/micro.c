#include "runner/micro.h"

#include "core/affinity.h"
#include "core/clock.h"
#include "core/stats.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const columns[] = {"benchmark", "mechanism", "variant",   "n",   "metric",
                                      "unit",      "value",     "samples",   "min", "max",
                                      "note",      "placement", "cpus_seen", NULL};

void ptc_micro_note(char *buf, size_t size, int64_t err) {
    if (err == PTC_PLACE_SKIPPED)
        snprintf(buf, size, "skipped: cross-cpu needs two CPUs and this process may use one");
    else if (err < 0)
        snprintf(buf, size, "failed: %s", strerror((int)-err));
    else if (size > 0)
        buf[0] = '\0';
}

/* The columns that tell a document's configurations apart: a row without its figures. */
static const char *const key_columns[] = {"program", "benchmark", "mechanism", "variant", "n",
                                          "metric",  "unit",      "placement", NULL};

int ptc_micro_open(struct ptc_micro_out *o, const char *program, const char *path,
                   const char *json_path, bool quiet, bool *json_failed) {
    memset(o, 0, sizeof *o);
    o->program = program;
    o->quiet = quiet;
    o->table = (path != NULL && strcmp(path, "-") == 0) ||
                       (json_path != NULL && strcmp(json_path, "-") == 0)
                   ? stderr
                   : stdout;
    ptc_machine_read(&o->machine);
    ptc_utc_iso8601(o->started_at, sizeof o->started_at);
    *json_failed = true;
    int rc = ptc_json_out_open(&o->json, json_path, program, &o->machine, key_columns);
    if (rc < 0)
        return rc;
    *json_failed = false;
    if (path == NULL && json_path == NULL)
        return 0;
    if (path != NULL && (rc = ptc_outfile_open(&o->of, path)) < 0) {
        ptc_json_out_abort(&o->json);
        return rc;
    }
    ptc_csv_writer_init(&o->w, o->of.fp);
    ptc_json_out_attach(&o->json, PTC_JSON_SAMPLES, &o->w);
    ptc_csv_str(&o->w, "started_at");
    for (const char *const *c = ptc_machine_columns; *c != NULL; c++)
        ptc_csv_str(&o->w, *c);
    ptc_csv_str(&o->w, "program");
    for (const char *const *c = columns; *c != NULL; c++)
        ptc_csv_str(&o->w, *c);
    ptc_csv_end_row(&o->w);
    /* The header written through now: a full disk or /dev/full fails before the measurements. */
    if (o->of.fp != NULL && fflush(o->of.fp) != 0) {
        rc = -errno;
        ptc_outfile_abort(&o->of);
        ptc_json_out_abort(&o->json);
        return rc;
    }
    return 0;
}

void ptc_micro_row(struct ptc_micro_out *o, const struct ptc_micro_row *r) {
    struct ptc_summary s = {.median = r->value, .min = NAN, .max = NAN};
    if (r->n_samples > 0 && ptc_summarize(r->samples, r->n_samples, &s) < 0)
        s.median = NAN;
    const char *note = r->note ? r->note : "";
    if (o->of.fp != NULL || o->json.doc != NULL) {
        ptc_csv_str(&o->w, o->started_at);
        ptc_machine_csv_fields(&o->w, &o->machine);
        ptc_csv_str(&o->w, o->program);
        ptc_csv_str(&o->w, r->benchmark);
        ptc_csv_str(&o->w, r->mechanism);
        ptc_csv_str(&o->w, r->variant);
        ptc_csv_u64(&o->w, r->n);
        ptc_csv_str(&o->w, r->metric);
        ptc_csv_str(&o->w, r->unit);
        ptc_csv_f64(&o->w, s.median, 3);
        ptc_csv_u64(&o->w, r->n_samples);
        ptc_csv_f64(&o->w, s.min, 3);
        ptc_csv_f64(&o->w, s.max, 3);
        ptc_csv_str(&o->w, note);
        ptc_csv_str(&o->w, r->placement ? r->placement : "");
        ptc_csv_str(&o->w, r->cpus_seen ? r->cpus_seen : "");
        ptc_csv_end_row(&o->w);
    }
    if (o->quiet)
        return;
    char spread[64] = "";
    if (r->n_samples > 1)
        snprintf(spread, sizeof spread, " [%.4g - %.4g]", s.min, s.max);
    const char *place = r->placement ? r->placement : "";
    fprintf(o->table, "%-8s %-22s %-20s %-9s n=%-8llu %-14s %10.4g %s%s%s%s\n", r->benchmark,
            r->mechanism, r->variant, place, (unsigned long long)r->n, r->metric, s.median, r->unit,
            spread, *note ? "  " : "", note);
    fflush(o->table);
}

int ptc_micro_commit(struct ptc_micro_out *o, bool *json_failed) {
    *json_failed = false;
    int rc = 0;
    if (o->of.fp != NULL) {
        rc = ptc_csv_error(&o->w);
        if (rc < 0)
            ptc_outfile_abort(&o->of);
        else
            rc = ptc_outfile_commit(&o->of);
    }
    if (rc < 0) {
        ptc_json_out_abort(&o->json);
        return rc;
    }
    *json_failed = true;
    rc = ptc_json_out_commit(&o->json);
    *json_failed = rc < 0;
    return rc;
}

void ptc_micro_abort(struct ptc_micro_out *o) {
    if (o->of.fp != NULL)
        ptc_outfile_abort(&o->of);
    ptc_json_out_abort(&o->json);
}
