#include "report/inputs.h"

#include "report/claims_check.h"
#include "report/hyperfine.h"
#include "report/runs.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>

enum ptc_input_kind ptc_input_kind(const struct ptc_table *t) {
    if (ptc_table_col(t, "metric") >= 0)
        return PTC_INPUT_MICRO;
    if (ptc_table_col(t, "verdict") >= 0)
        return PTC_INPUT_CLAIMS;
    if (ptc_report_is_hyperfine(t))
        return PTC_INPUT_HYPERFINE;
    if (ptc_table_col(t, "task") >= 0 && ptc_table_col(t, "worker") >= 0 &&
        ptc_table_col(t, "start_ns") >= 0 && ptc_table_col(t, "end_ns") >= 0)
        return PTC_INPUT_TIMELINE;
    return PTC_INPUT_RUNS;
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

/* The columns of ptc-run's runs that hold counts (at least 1), checked on load. */
static int check_counts(const struct ptc_table *t, char *err, size_t err_size) {
    static const char *const counts[] = {"tasks", "workers", NULL};
    for (const char *const *c = counts; *c; c++) {
        ssize_t k = ptc_table_col(t, *c);
        for (size_t r = 0; k >= 0 && r < t->n_rows; r++) {
            uint64_t v;
            int rc = ptc_table_count(t, r, (size_t)k, 1, &v, err, err_size);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

int ptc_inputs_load(char *const *paths, size_t n, struct ptc_table *t, char *msg, size_t msg_size) {
    static const char *const micro_numbers[] = {"value", "min", "max", NULL};
    static const char *const claim_numbers[] = {"expected_value", "measured_value", NULL};
    static const char *const hf_numbers[] = {"mean", "stddev", "median", "min", "max", NULL};
    static const char *const tl_numbers[] = {"task", "worker", "start_ns", "end_ns", NULL};
    static const char *const *const numbers[] = {[PTC_INPUT_RUNS] = NULL,
                                                 [PTC_INPUT_MICRO] = micro_numbers,
                                                 [PTC_INPUT_CLAIMS] = claim_numbers,
                                                 [PTC_INPUT_HYPERFINE] = hf_numbers,
                                                 [PTC_INPUT_TIMELINE] = tl_numbers};
    for (size_t i = 0; i < n; i++) {
        int rc = ptc_table_load(paths[i], &t[i], msg, msg_size);
        if (rc < 0)
            return rc;
        enum ptc_input_kind k = ptc_input_kind(&t[i]);
        if (k == PTC_INPUT_RUNS && !ptc_report_is_runs(&t[i])) {
            snprintf(msg, msg_size,
                     "%s: not a ptcbench CSV (no wall_ns, metric, verdict or hyperfine's mean "
                     "column)",
                     paths[i]);
            return -EINVAL;
        }
        if (numbers[k] != NULL && (rc = check_numbers(&t[i], numbers[k], msg, msg_size)) < 0)
            return rc;
        if (k == PTC_INPUT_RUNS && (rc = check_counts(&t[i], msg, msg_size)) < 0)
            return rc;
        if (k == PTC_INPUT_CLAIMS && (rc = ptc_claims_check(&t[i], msg, msg_size)) < 0)
            return rc;
    }
    return 0;
}
