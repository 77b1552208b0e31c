/* ptc-report's inputs: the kinds of CSV it reads (ptc-run's runs, a microbenchmark's figures,
 * ptc-claims' ledger, hyperfine's --export-csv, a --timeline for the Gantt chart), each told by
 * its columns (report/kinds.h), loaded and checked; the kinds it knows and does not read skipped.
 */
#ifndef PTC_REPORT_INPUTS_H
#define PTC_REPORT_INPUTS_H

#include "report/kinds.h"
#include "report/table.h"

#include <stddef.h>
#include <stdio.h>

/* The kind of a table ptc_inputs_load kept. */
enum ptc_input_kind ptc_input_kind(const struct ptc_table *t);

/* Loads paths[n] and checks each by its kind (report/kinds.h): the tables of a kind it reads, or
 * of a skipped kind whose input is in also_read (a mask of 1u << enum ptc_input_kind: what a
 * chart asks for), go to t[0..*n_read), in order; one of a kind it skips (ptc-report's own outputs,
 * ptc-run's
 * --summary, ...) is dropped with one line to notes, "prog: path: skipped: what it is".
 * Returns 0, or a negative errno with the reason in msg ("file:line: column N ...": a broken
 * file, a CSV of no kind, no table left to read); the tables loaded stay in t[0..n) for
 * ptc_table_free either way. */
int ptc_inputs_load(char *const *paths, size_t n, unsigned also_read, struct ptc_table *t,
                    size_t *n_read, const char *prog, FILE *notes, char *msg, size_t msg_size);

#endif
