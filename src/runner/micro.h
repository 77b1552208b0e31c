/* Output of the microbenchmarks (ptc-spawn, ptc-switch, ptc-mem, ptc-skynet): one CSV row per
 * metric, with the machine columns, and the same line for people on stdout. */
#ifndef PTC_RUNNER_MICRO_H
#define PTC_RUNNER_MICRO_H

#include "core/csv.h"
#include "core/json.h"
#include "core/machine.h"
#include "core/outfile.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ptc_micro_out {
    const char *program;
    struct ptc_machine machine;
    struct ptc_outfile of;    /* of.fp NULL when no CSV was asked for */
    struct ptc_csv_writer w;  /* fp NULL when only the JSON was asked for */
    struct ptc_json_out json; /* the same rows as one document (--json); doc NULL: none */
    bool quiet;
    FILE *table; /* the table's stream: stdout, or stderr when the CSV goes to stdout ("-") */
    char started_at[32];
};

/* One measured metric. value is the median of samples[] when n_samples > 0 (min and max come
 * from them too); otherwise value stands alone. note: "" or why a figure is missing (e.g. the
 * limit that stopped a sweep), written in the `note` column. */
struct ptc_micro_row {
    const char *benchmark, *mechanism, *variant;
    uint64_t n;
    const char *metric, *unit;
    double value;
    const double *samples;
    size_t n_samples;
    const char *note;
    /* Where the two sides ran (core/affinity.h: "same-cpu", "cross-cpu", "unpinned"), and the
     * CPUs each side was seen on, one "S0/S1" per sample ("0/1 0/1 0,1/0"); NULL or "" for
     * figures without two sides to place. Written in the `placement` and `cpus_seen` columns. */
    const char *placement, *cpus_seen;
};

/* The note of a row whose figure is missing: "skipped: ..." for PTC_PLACE_SKIPPED (a placement
 * this machine cannot make), "failed: <strerror>" for another negative errno, "" for err >= 0. */
void ptc_micro_note(char *buf, size_t size, int64_t err);

/* Opens path (NULL: no CSV) and json_path (NULL: no JSON document) through ptc_outfile, writes
 * the header. Returns 0 or -errno, with *json_failed true when it was json_path's. */
int ptc_micro_open(struct ptc_micro_out *o, const char *program, const char *path,
                   const char *json_path, bool quiet, bool *json_failed);
/* Writes the row to the CSV and, unless quiet, a line to o->table. */
void ptc_micro_row(struct ptc_micro_out *o, const struct ptc_micro_row *r);
/* Renames the CSV and then the JSON document into place. Returns 0 or -errno, with *json_failed
 * true when it was the document's. */
int ptc_micro_commit(struct ptc_micro_out *o, bool *json_failed);
void ptc_micro_abort(struct ptc_micro_out *o);

#endif
