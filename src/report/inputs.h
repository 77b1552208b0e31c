/* ptc-report's inputs: the kinds of CSV it reads (ptc-run's runs, a microbenchmark's figures,
 * ptc-claims' ledger, hyperfine's --export-csv, a --timeline), each told by its columns, loaded
 * and checked. */
#ifndef PTC_REPORT_INPUTS_H
#define PTC_REPORT_INPUTS_H

#include "report/table.h"

#include <stddef.h>

enum ptc_input_kind {
    PTC_INPUT_RUNS,
    PTC_INPUT_MICRO,
    PTC_INPUT_CLAIMS,
    PTC_INPUT_HYPERFINE,
    PTC_INPUT_TIMELINE
};

/* The kind of a loaded table: micro (a metric column), claims (verdict), hyperfine, timeline
 * (runner/timeline.h: task, worker, start_ns and end_ns columns), else runs. */
enum ptc_input_kind ptc_input_kind(const struct ptc_table *t);

/* Loads paths[n] into t[n] and checks each: a runs table must have ptc-run's columns, the
 * others numbers where their kind has them. Returns 0, or a negative errno with the reason
 * ("file:line: ...") in msg; the tables loaded stay in t for ptc_table_free either way. */
int ptc_inputs_load(char *const *paths, size_t n, struct ptc_table *t, char *msg, size_t msg_size);

#endif
