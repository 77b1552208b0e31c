/* A program's results as one JSON document (docs/json-schema.json), built with jansson: the only
 * module that includes <jansson.h>. The document is filled from the rows a program writes through
 * its CSV writers (core/csv.h sinks), so the JSON holds exactly what the CSV holds, grouped:
 *
 *   {"schema_version": 1, "program": ..., "machine": {host, cpu_model, cpus, ...},
 *    "columns": {"samples": [...], "summary": [...]},
 *    "configurations": [{"configuration": {...}, "samples": [{...}], "summary": {...}}]}
 *
 * A row's key columns (and the machine's columns where they differ from the document's machine)
 * make its configuration; its other columns, except machine columns equal to the document's,
 * make one sample (or the configuration's summary). Strings stay strings, counts are integers,
 * figures are numbers rounded as the CSV rounds them, and a figure not measured is null. Not
 * thread-safe. */
#ifndef PTC_CORE_JSON_H
#define PTC_CORE_JSON_H

#include "core/csv.h"
#include "core/machine.h"
#include "core/outfile.h"

/* The schema's version, written in every document; see README "JSON output" for how it moves. */
#define PTC_JSON_SCHEMA_VERSION 1

struct ptc_json_doc;

enum ptc_json_part {
    PTC_JSON_SAMPLES, /* one row per measured sample: a run, a metric, a claim */
    PTC_JSON_SUMMARY, /* one row per configuration: its figures over the samples */
    PTC_JSON_N_PARTS
};

/* A new document of program, measured on m. key: the NULL-terminated names of the columns that
 * tell configurations apart (copied). Returns NULL when out of memory. */
struct ptc_json_doc *ptc_json_doc_new(const char *program, const struct ptc_machine *m,
                                      const char *const *key);

/* Makes the first n columns of the next header written to the document key columns as well:
 * for a table whose key columns are known only when it is written (ptc-report's aggregate). */
void ptc_json_doc_key_leading(struct ptc_json_doc *doc, size_t n);

/* Makes every row written through w from now on a row of part: w's first row is the header.
 * w may have no stream (fp NULL) when only the JSON is asked for. w must outlive the writes. */
void ptc_json_doc_attach(struct ptc_json_doc *doc, enum ptc_json_part part,
                         struct ptc_csv_writer *w);

/* Writes the document into of (opened by the caller, which commits it). Returns 0, -ENOMEM when
 * a row could not be kept, or -EIO when the write failed. */
int ptc_json_doc_write(const struct ptc_json_doc *doc, struct ptc_outfile *of);

void ptc_json_doc_free(struct ptc_json_doc *doc);

/* A program's --json output: its document and its file. Zeroed, it is "not asked for". */
struct ptc_json_out {
    struct ptc_json_doc *doc; /* NULL when --json was not given */
    struct ptc_outfile of;
};

/* Opens path (NULL: nothing to do) through ptc_outfile_open before any work is done, so that a
 * bad path fails first, and makes its document (ptc_json_doc_new). Returns 0 or a negative
 * errno (-ENOMEM for the document); on error nothing is left open or on disk. */
int ptc_json_out_open(struct ptc_json_out *o, const char *path, const char *program,
                      const struct ptc_machine *m, const char *const *key);

/* ptc_json_doc_attach when o has a document; nothing when --json was not asked for. */
void ptc_json_out_attach(struct ptc_json_out *o, enum ptc_json_part part, struct ptc_csv_writer *w);

/* Writes the document and renames its file into place (ptc_outfile_commit), or removes it when
 * the write failed. Frees the document. Returns 0 (also when nothing was asked for) or a negative
 * errno. */
int ptc_json_out_commit(struct ptc_json_out *o);

/* Removes the file and frees the document. Safe on a zeroed or finished output. */
void ptc_json_out_abort(struct ptc_json_out *o);

/* Reads a document written by ptc_json_doc_write as the table its samples came from: fn gets the
 * header (columns.samples) as line 1, then one row per sample, sample k of the file as line k + 1,
 * each field from the sample, else its configuration, else the machine, else "". Integers print
 * as integers, numbers in the shortest form that reads back the same, null as "". The same
 * contract as ptc_csv_read otherwise: on error "path: reason" (with jansson's line and column for
 * bad JSON) in err and a negative errno (-EINVAL for a document that is not one of ours, or of a
 * newer schema_version), or fn's non-zero value. */
int ptc_json_read(const char *path, ptc_csv_row_fn fn, void *arg, char *err, size_t err_size);

/* Whether path names a JSON document by its name (ends in ".json"). */
int ptc_json_is_path(const char *path);

#endif
