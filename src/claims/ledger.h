/* ptc-claims: runs the claims ledger and writes claims.csv, claims.md (the table a person reads
 * first) and claims-timeline.csv (runner/timeline.h: task starts and ends of the scenarios where
 * order matters), with the Python reference beside the C figures when asked. A refuted claim is
 * a result: the exit status says whether the scenarios ran. */
#ifndef PTC_CLAIMS_LEDGER_H
#define PTC_CLAIMS_LEDGER_H

#include "claims/claim.h"

#include <stdbool.h>
#include <stdint.h>

struct ptc_claims_opts {
    double time_scale;    /* --time-scale */
    double untimed_scale; /* for the claims not judged on durations; < 0: time_scale */
    char **only;          /* NULL: every claim; else NULL-terminated ids */
    const char *out;      /* the ledger's directory */
    const char *json;     /* --json FILE: claims.csv's rows as one document; NULL: none */
    uint64_t seed;
    bool quiet;
    bool python;
    const char *python_script; /* the Python reference; PTC_PYTHON_SCRIPT overrides it */
};

/* The defaults: time scale 1, untimed scale as it, out ".", seed 1, python_script as given. */
void ptc_claims_opts_init(struct ptc_claims_opts *o, const char *python_script);

/* Parses ptc-claims' command line into *o. Returns -1 to go on, or the exit status the program
 * must return at once: 0 after --help or --list (printed), 2 after a one-line error on stderr.
 * Free *o with ptc_claims_opts_free either way. */
int ptc_claims_parse(struct ptc_claims_opts *o, int argc, char **argv);
void ptc_claims_opts_free(struct ptc_claims_opts *o);

/* The time scale claim c runs at: --time-scale for the timing claims, else --untimed-scale. */
double ptc_claims_scale(const struct ptc_claims_opts *o, const struct ptc_claim *c);

/* Runs the claims o selects and writes the ledger into o->out (created if missing). Returns the
 * exit status: 0 every scenario ran (whatever the verdicts), 1 a scenario could not run or the
 * ledger could not be written, 2 an --out that cannot be created or opened. */
int ptc_claims_run(const struct ptc_claims_opts *o);

/* The Python that runs the reference: Debian's, the one python3-gevent installs into. */
#define PTC_PYTHON "/usr/bin/python3"

/* The Python reference's rows (python.c): up to PTC_PY_MAX rows of eight fields: id, expected,
 * measured, verdict, reason, expected_value, measured_value, unit. */
#define PTC_PY_MAX 32
struct ptc_py_row {
    char *f[8];
};
struct ptc_py_rows {
    struct ptc_py_row row[PTC_PY_MAX];
    size_t n;
};

/* Runs the Python reference (Debian's /usr/bin/python3, o->python_script) into path and reads
 * its rows into *py. Returns 0, or a negative errno with the reason in why. */
int ptc_py_run(const struct ptc_claims_opts *o, const char *path, struct ptc_py_rows *py, char *why,
               size_t why_size);
/* The row of claim id, or NULL. */
const struct ptc_py_row *ptc_py_find(const struct ptc_py_rows *p, const char *id);
void ptc_py_free(struct ptc_py_rows *p);

#endif
