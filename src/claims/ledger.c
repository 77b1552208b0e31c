#include "claims/ledger.h"

#include "claims/seeds.h"
#include "core/json.h"
#include "core/machine.h"
#include "core/outfile.h"
#include "core/signals.h"
#include "report/md.h"
#include "runner/timeline.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROG "ptc-claims"

static int selected(const struct ptc_claims_opts *o, const char *id) {
    if (o->only == NULL)
        return 1;
    for (char **p = o->only; *p != NULL; p++)
        if (strcmp(*p, id) == 0)
            return 1;
    return 0;
}

/* A Markdown table cell and the bar after it. */
static void md_cell(FILE *fp, const char *s) {
    ptc_md_put(fp, s);
    fputs(" | ", fp);
}

/* The ledger's three files, each appearing whole or not at all. */
struct ledger {
    const struct ptc_claims_opts *o;
    struct ptc_machine machine;
    struct ptc_outfile csv, md, timeline;
    struct ptc_csv_writer csv_w, timeline_w;
    struct ptc_json_out json; /* claims.csv's rows again, as one document (--json) */
    struct ptc_py_rows py;
    char py_note[512]; /* "" or why the Python reference did not run */
    char started_at[32];
};

static void abort_all(struct ledger *l) {
    ptc_outfile_abort(&l->csv);
    ptc_outfile_abort(&l->md);
    ptc_outfile_abort(&l->timeline);
    ptc_json_out_abort(&l->json);
}

static int open_one(struct ledger *l, struct ptc_outfile *of, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", l->o->out, name);
    int rc = ptc_outfile_open(of, path);
    if (rc < 0) {
        abort_all(l);
        fprintf(stderr, PROG ": --out: cannot write '%s': %s\n", path, strerror(-rc));
    }
    return rc;
}

/* Opens the three files and writes the CSV headers. Returns 0 or a negative errno (said). */
static int ledger_open(struct ledger *l) {
    int rc;
    if ((rc = open_one(l, &l->csv, "claims.csv")) < 0 ||
        (rc = open_one(l, &l->md, "claims.md")) < 0 ||
        (rc = open_one(l, &l->timeline, "claims-timeline.csv")) < 0)
        return rc;
    /* a claim in one language at one scale and seed is a configuration; its verdict a sample */
    static const char *const key[] = {"program", "language", "time_scale", "seed", "id", NULL};
    if ((rc = ptc_json_out_open(&l->json, l->o->json, PROG, &l->machine, key)) < 0) {
        abort_all(l);
        fprintf(stderr, PROG ": --json: cannot write '%s': %s\n", l->o->json, strerror(-rc));
        return rc;
    }
    ptc_csv_writer_init(&l->csv_w, l->csv.fp);
    ptc_json_out_attach(&l->json, PTC_JSON_SAMPLES, &l->csv_w);
    ptc_csv_writer_init(&l->timeline_w, l->timeline.fp);
    ptc_timeline_header(&l->timeline_w);
    ptc_csv_str(&l->csv_w, "started_at");
    for (const char *const *c = ptc_machine_columns; *c; c++)
        ptc_csv_str(&l->csv_w, *c);
    static const char *const cols[] = {
        "program",        "language",       "time_scale", "seed",     "id",      "source",
        "claim",          "original",       "expected",   "measured", "verdict", "reason",
        "expected_value", "measured_value", "unit",       "wall_ns",  NULL};
    ptc_csv_header(&l->csv_w, cols);
    return 0;
}

static bool with_python(const struct ledger *l) {
    return l->o->python && !*l->py_note;
}

/* The Markdown file's title, machine and table head. */
static void md_intro(struct ledger *l) {
    const struct ptc_claims_opts *o = l->o;
    const struct ptc_machine *m = &l->machine;
    fprintf(l->md.fp,
            "# Tutorial claims, put to the test\n\n"
            "Machine: %s, %s, %ld CPUs, kernel %s, %s, ptcbench %s. Time scale %.3g for the "
            "claims judged on durations and %.3g for the others (every tutorial sleep multiplied "
            "by it; the time_scale column says which). Every figure comes from this run.\n\n",
            m->host, m->cpu_model, m->cpus, m->kernel, m->compiler, m->git_rev, o->time_scale,
            o->untimed_scale < 0 ? o->time_scale : o->untimed_scale);
    if (o->python && *l->py_note)
        fprintf(l->md.fp, "The Python reference did not run: %s.\n\n", l->py_note);
    if (with_python(l))
        fprintf(l->md.fp,
                "| id | tutorial | claim | expected | measured (C) | verdict (C) | "
                "measured (Python) | verdict (Python) |\n|---|---|---|---|---|---|---|---|\n");
    else
        fprintf(l->md.fp, "| id | tutorial | claim | expected | measured | verdict |\n"
                          "|---|---|---|---|---|---|\n");
}

/* The columns of claims.csv up to the claim's original sentence. */
static void row_start(struct ledger *l, const struct ptc_claim *c, const char *program,
                      const char *language) {
    struct ptc_csv_writer *w = &l->csv_w;
    ptc_csv_str(w, l->started_at);
    ptc_machine_csv_fields(w, &l->machine);
    ptc_csv_str(w, program);
    ptc_csv_str(w, language);
    ptc_csv_f64(w, ptc_claims_scale(l->o, c), 4);
    ptc_csv_u64(w, l->o->seed);
    ptc_csv_str(w, c->id);
    ptc_csv_str(w, c->seed);
    ptc_csv_str(w, c->claim);
    ptc_csv_str(w, c->original);
}

/* Claim c's rows in claims.csv (C, then Python when it ran the claim) and in claims.md. */
static void write_claim(struct ledger *l, const struct ptc_claim *c,
                        const struct ptc_claim_result *r, ptc_ns wall_ns) {
    struct ptc_csv_writer *w = &l->csv_w;
    row_start(l, c, PROG, "C");
    ptc_csv_str(w, r->expected);
    ptc_csv_str(w, r->measured);
    ptc_csv_str(w, ptc_verdict_name(r->verdict));
    ptc_csv_str(w, r->reason);
    ptc_csv_f64(w, r->expected_value, 6);
    ptc_csv_f64(w, r->measured_value, 6);
    ptc_csv_str(w, r->unit);
    ptc_csv_u64(w, wall_ns);
    ptc_csv_end_row(w);
    const struct ptc_py_row *pr = ptc_py_find(&l->py, c->id);
    if (pr != NULL) { /* same columns; the figures are the Python run's */
        row_start(l, c, "scripts/python/claims.py", "Python");
        for (int k = 1; k <= 7; k++)
            ptc_csv_str(w, pr->f[k]);
        ptc_csv_str(w, "");
        ptc_csv_end_row(w);
    }
    FILE *md = l->md.fp;
    fputs("| ", md);
    md_cell(md, c->id);
    char both[1024];
    md_cell(md, ptc_seed_names(c->seed, both, sizeof both));
    snprintf(both, sizeof both, "%s (\"%s\")", c->claim, c->original);
    md_cell(md, both);
    md_cell(md, r->expected);
    md_cell(md, r->measured);
    snprintf(both, sizeof both, "**%s**: %s", ptc_verdict_name(r->verdict), r->reason);
    md_cell(md, both);
    if (with_python(l)) {
        md_cell(md, pr != NULL ? pr->f[2] : "(no Python scenario)");
        if (pr != NULL)
            snprintf(both, sizeof both, "**%s**: %s", pr->f[3], pr->f[4]);
        md_cell(md, pr != NULL ? both : "-");
    }
    fputc('\n', md);
}

/* Claim c's verdicts on stdout: C's, then the Python reference's when it ran. */
static void print_claim(const struct ledger *l, const struct ptc_claim *c,
                        const struct ptc_claim_result *r) {
    printf("%s%s %-24s %s\n    expected: %s\n    measured: %s\n",
           isatty(STDERR_FILENO) ? "\r\033[K" : "", c->id, ptc_verdict_name(r->verdict), r->reason,
           r->expected, r->measured);
    if (!with_python(l))
        return;
    const struct ptc_py_row *pr = ptc_py_find(&l->py, c->id);
    if (pr != NULL)
        printf("    Python: %s: %s\n    measured (Python): %s\n", pr->f[3], pr->f[4], pr->f[2]);
    else
        printf("    Python: no Python scenario\n");
}

/* Runs every selected claim into the ledger. Returns 1 when one could not run, else 0. */
static int run_claims(struct ledger *l) {
    const struct ptc_claims_opts *o = l->o;
    int tty = isatty(STDERR_FILENO) && !o->quiet;
    struct ptc_claim_ctx ctx = {.cpus = l->machine.cpus,
                                .seed = o->seed,
                                .timeline = &l->timeline_w,
                                .machine = &l->machine};
    size_t n;
    const struct ptc_claim *const *all = ptc_claims_all(&n);
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        const struct ptc_claim *c = all[i];
        if (!selected(o, c->id))
            continue;
        if (tty)
            fprintf(stderr, "\r\033[K" PROG ": claim %s (%zu of %zu)...", c->id, i + 1, n);
        struct ptc_claim_result r = {.expected_value = NAN, .measured_value = NAN, .unit = ""};
        ptc_utc_iso8601(l->started_at, sizeof l->started_at);
        ptc_ns start = ptc_now_ns();
        ctx.time_scale = ptc_claims_scale(o, c);
        int rc = c->run(&ctx, &r);
        ptc_ns wall = ptc_now_ns() - start;
        if (rc < 0) {
            fprintf(stderr, "%s" PROG ": claim %s could not run: %s\n",
                    isatty(STDERR_FILENO) ? "\r\033[K" : "", c->id, strerror(-rc));
            failed = 1;
            continue;
        }
        write_claim(l, c, &r, wall);
        if (!o->quiet)
            print_claim(l, c, &r);
    }
    if (tty)
        fputs("\r\033[K", stderr);
    return failed;
}

/* The --out folder when this run made it, and the Python reference's file in it (and the
 * ".tmp" that claims.py writes first): removed again when the run ends without a ledger (a
 * failure, or a cleanup signal: fixed storage for that). */
static char made_dir[4096], made_py[4096 + 32], made_py_tmp[4096 + 32];

static void remove_made_dir(void) {
    if (made_dir[0] != '\0') {
        unlink(made_py);
        unlink(made_py_tmp);
        rmdir(made_dir);
    }
}

/* Makes the --out folder when it is missing. Returns 0, or 2 with the reason said. */
static int make_out_dir(const char *dir) {
    if (mkdir(dir, 0755) != 0) {
        if (errno == EEXIST)
            return 0;
        fprintf(stderr, PROG ": --out: cannot create '%s': %s\n", dir, strerror(errno));
        return 2;
    }
    snprintf(made_py, sizeof made_py, "%s/claims-python.csv", dir);
    snprintf(made_py_tmp, sizeof made_py_tmp, "%s/claims-python.csv.tmp", dir);
    snprintf(made_dir, sizeof made_dir, "%s", dir);
    ptc_cleanup_add(remove_made_dir);
    return 0;
}

int ptc_claims_run(const struct ptc_claims_opts *o) {
    ptc_outfile_cleanup_on_signals();
    ptc_timer_slack_min();
    if (make_out_dir(o->out) != 0)
        return 2;
    static struct ledger l; /* the Python rows make it large */
    memset(&l, 0, sizeof l);
    l.o = o;
    ptc_machine_read(&l.machine);
    if (ledger_open(&l) < 0) {
        remove_made_dir();
        return 2;
    }
    /* The Python reference first, so each table row can carry both languages. */
    int py_rc = 0;
    if (o->python) {
        char path[4096];
        snprintf(path, sizeof path, "%s/claims-python.csv", o->out);
        py_rc = ptc_py_run(o, path, &l.py, l.py_note, sizeof l.py_note);
        if (py_rc < 0)
            fprintf(stderr, PROG ": --python: %s\n", l.py_note);
    }
    md_intro(&l);
    int failed = run_claims(&l);
    int werr = ptc_csv_error(&l.csv_w);
    if (werr == 0)
        werr = ptc_csv_error(&l.timeline_w);
    if (werr == 0)
        werr = ptc_outfile_commit(&l.csv);
    if (werr == 0)
        werr = ptc_outfile_commit(&l.md);
    if (werr == 0)
        werr = ptc_outfile_commit(&l.timeline);
    if (werr == 0)
        werr = ptc_json_out_commit(&l.json);
    if (werr != 0) {
        fprintf(stderr, PROG ": writing the ledger into '%s' failed: %s\n", o->out,
                strerror(-werr));
        abort_all(&l);
        remove_made_dir();
        failed = 1;
    }
    made_dir[0] = '\0';
    ptc_py_free(&l.py);
    /* The C ledger is written either way; a Python reference that could not run still fails. */
    return failed || py_rc < 0 ? 1 : 0;
}
