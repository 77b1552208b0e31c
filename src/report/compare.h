/* ptc-report --compare BASE NEW: did it change? Each side is a results folder (every ptc-run run
 * CSV in it) or one run CSV. Runs are grouped per configuration without the machine keys (host,
 * git_rev, compiler, kernel, runtime: what the comparison is about) and without the iterations
 * where a task length is given (ptc-run calibrates them per machine); each configuration on both
 * sides is compared by ranks (core/ranktest.h: Mann-Whitney U, Hodges-Lehmann ratio NEW/BASE with
 * its 95 % interval). Statistics here, the tables in compare_write.c. */
#ifndef PTC_REPORT_COMPARE_H
#define PTC_REPORT_COMPARE_H

#include "core/csv.h"
#include "core/ranktest.h"
#include "report/runs.h"
#include "report/table.h"

#include <stdbool.h>
#include <stdio.h>

/* A change is significant below this p-value (benchstat's alpha). */
#define PTC_COMPARE_ALPHA 0.05
/* The interval's coverage asked of ptc_rank_compare. */
#define PTC_COMPARE_LEVEL 0.95

/* The machine and build columns the header compares between the sides. */
enum ptc_compare_col {
    PTC_CMP_HOST,
    PTC_CMP_CPU_MODEL,
    PTC_CMP_KERNEL,
    PTC_CMP_COMPILER,
    PTC_CMP_GIT_REV,
    PTC_CMP_RUNTIME,
    PTC_CMP_N_COLS
};
extern const char *const ptc_compare_cols[PTC_CMP_N_COLS];

/* Distinct values of a column kept per side for the header; more are counted. */
#define PTC_CMP_MAX_VALUES 4

/* The machine's condition during a side's runs (core/condition.h), shown beside the comparison:
 * two sessions of one revision differ by what the machine did, not only by chance within a
 * session. ns_per_iter is the cpu chain's calibration (workload/cpu_chain.h). */
enum ptc_compare_cond {
    PTC_COND_CAPACITY,
    PTC_COND_STEAL,
    PTC_COND_OTHER_BUSY,
    PTC_COND_LOAD,
    PTC_COND_NS_PER_ITER,
    PTC_COND_N
};
extern const char *const ptc_compare_cond_cols[PTC_COND_N];

/* The values of one condition column over a side's runs (blank cells left out). */
struct ptc_compare_values {
    double *v;
    size_t n, cap;
};

/* Where a group's machine values were first seen: for the message naming an ambiguous side. */
struct ptc_compare_origin {
    const struct ptc_table *t;
    size_t row;
};

struct ptc_compare_side {
    const char *arg;     /* the folder or file as given (not owned) */
    struct ptc_table *t; /* [n_tables] the run CSVs read */
    size_t n_tables, n_runs;
    struct ptc_run_groups gs;          /* keyed with the machine keys "" */
    const char **machine;              /* [gs.n * PTC_CMP_N_COLS], interned in gs.strings */
    struct ptc_compare_origin *origin; /* [gs.n] */
    double *iters_sum;                 /* [gs.n] calibrated iterations per task, summed over runs */
    size_t *iters_n;                   /* [gs.n] the runs summed: 0 where the work was not
                                        * calibrated (no task_ms) or not recorded */
    size_t machine_cap;                /* of machine, origin, iters_sum and iters_n */
    struct ptc_compare_values cond[PTC_COND_N];
    bool has_col[PTC_CMP_N_COLS]; /* some file of the side has the column */
    const char *values[PTC_CMP_N_COLS][PTC_CMP_MAX_VALUES]; /* distinct, in order seen */
    size_t n_values[PTC_CMP_N_COLS];                        /* may exceed PTC_CMP_MAX_VALUES */
};

/* Reads one side: arg is a folder (its *.csv files in name order; files that are not run CSVs,
 * ptc-report's own outputs among them, are skipped with one line each to notes) or one run CSV;
 * a file given twice (report/dedup.h) counts once. setting_cols as for ptc_run_groups_build.
 * Returns 0, or -EINVAL with the reason in msg: a malformed file ("file:line: ..."), no run CSV,
 * or an ambiguous side (one configuration from two hosts, revisions, compilers, kernels or
 * runtimes, both values named). Free with ptc_compare_side_free either way. */
int ptc_compare_side_load(struct ptc_compare_side *s, const char *arg,
                          const char *const *setting_cols, const char *prog, FILE *notes, char *msg,
                          size_t msg_size);
void ptc_compare_side_free(struct ptc_compare_side *s);

/* The mean calibrated iterations per task of group g on side s, NaN where not calibrated. */
double ptc_compare_side_iters(const struct ptc_compare_side *s, size_t g);

/* One configuration on both sides. */
struct ptc_compare_row {
    size_t base, new; /* the groups of side[0] and side[1] */
    struct ptc_rank_compare r;
    bool significant; /* r.p_value < PTC_COMPARE_ALPHA */
};

struct ptc_compare {
    struct ptc_compare_side side[2]; /* BASE, NEW */
    struct ptc_compare_row *rows;    /* [n_rows] in BASE's order of configurations */
    size_t n_rows;
    size_t only[2]; /* configurations on one side only */
};

/* Pairs the configurations of the two loaded sides and tests each pair. Returns 0, or a negative
 * errno with the reason in msg. */
int ptc_compare_run(struct ptc_compare *c, char *msg, size_t msg_size);
void ptc_compare_free(struct ptc_compare *c);

/* The comparison as Markdown (header, table, one-sided counts, geometric means, how to read) and
 * as CSV (one row per configuration, times in ns). */
void ptc_compare_md(const struct ptc_compare *c, FILE *md);
void ptc_compare_csv(const struct ptc_compare *c, struct ptc_csv_writer *w);

/* The configuration of g in words: "cpu, 16 tasks × 10 ms, coro (epoll, fcontext) W=4". */
char *ptc_compare_config_text(const struct ptc_run_group *g, char *buf, size_t size);

#endif
