/* The aggregation of ptc-run's run rows (one per recorded run) into one group per configuration
 * and machine: median, min, max, quartiles, IQR, the order-statistic interval of the median with
 * its exact coverage (a 95 % CI from 6 runs on), outliers by modified z-score (from 5 runs on),
 * speedup against seq of the same workload, settings and task count on the same host, efficiency
 * against the ideal. Both ptc-report (from CSV tables) and ptc-run (from its runs as they happen)
 * aggregate here, so their figures agree. */
#ifndef PTC_REPORT_RUNS_H
#define PTC_REPORT_RUNS_H

#include "core/csv.h"
#include "core/stats.h"
#include "report/classes.h"
#include "report/intern.h"
#include "report/table.h"

#include <stdbool.h>
#include <stdio.h>

/* The columns that make a configuration: these, then the workload's setting columns the caller
 * names (workload/settings.h; older files lack some: then ""). In the aggregate CSV they come in
 * the order host, workload, tasks, settings..., model, workers, poller, coro_switch, git_rev,
 * compiler, kernel, runtime. The machine keys (host, git_rev, compiler, kernel, runtime) keep runs
 * of different machines or builds apart: they are never pooled. */
enum ptc_run_key {
    PTC_KEY_HOST,
    PTC_KEY_WORKLOAD,
    PTC_KEY_TASKS,
    PTC_KEY_MODEL,
    PTC_KEY_WORKERS,
    PTC_KEY_POLLER,
    PTC_KEY_CORO_SWITCH,
    PTC_KEY_GIT_REV,
    PTC_KEY_COMPILER,
    PTC_KEY_KERNEL,
    PTC_KEY_RUNTIME, /* issue 15's column; "" in files without it */
    PTC_N_FIXED_KEYS /* the setting columns' values follow */
};

/* True for the keys that name the machine or the build rather than what ran: host, git_rev,
 * compiler, kernel, runtime. */
bool ptc_run_key_is_machine(size_t k);
/* The column of fixed key k (k < PTC_N_FIXED_KEYS). */
const char *ptc_run_key_col(size_t k);

struct ptc_run_group {
    const char **key;  /* [PTC_N_FIXED_KEYS + the settings], interned in the groups' strings */
    uint64_t key_hash; /* of every key, for the groups' index */
    const char *const *setting_cols; /* the names of key[PTC_N_FIXED_KEYS...], NULL-terminated */
    double *wall_ns;                 /* [n] in input order */
    size_t n, cap;
    double ideal_ns; /* NaN when the rows have none */
    double cpus;     /* the CPUs online the rows record, NaN when absent */
    struct ptc_summary s;
    struct ptc_median_ci ci; /* at PTC_CI_LEVEL; ci.supported false below 6 runs */
    double speedup;          /* seq median / this median, NaN without a seq of the same size */
    long seq;                /* the index of that seq group, -1 without one */
    long outliers;           /* -EDOM below PTC_OUTLIER_MIN_N runs: not counted */
    double *capacity;        /* [n] the parallel capacity each run's row records, NaN if none */
    double capacity_median;  /* of the capacities recorded, NaN when none was */
    size_t disturbed;        /* runs whose row says disturbed (ptc-run's rule, core/condition.h) */
    /* Over the runs whose rows record their CPU time: user + sys, and their wall times. Their
     * ratio is the CPUs the configuration kept busy, which a change of the machine's speed
     * between runs does not move (a GIL holds Python's threads at 1 whatever the speed). */
    double cpu_ns_sum, cpu_wall_ns_sum;
};

struct ptc_run_groups {
    struct ptc_run_group *g; /* in the order configurations first appear in the input */
    size_t n;
    const char *const *setting_cols; /* not owned: must outlive the groups */
    size_t n_keys;                   /* PTC_N_FIXED_KEYS + the setting columns */
    size_t cap;                      /* of g */
    struct ptc_index index;          /* of g by key: one lookup per run, not one per group */
    struct ptc_intern strings;       /* the keys' text, each once */
};

/* True when t has the columns of ptc-run's --out rows. */
bool ptc_report_is_runs(const struct ptc_table *t);

/* Groups and summarizes the run rows of every runs table in tables[n], keyed by the fixed keys
 * and setting_cols (NULL-terminated; not copied). Returns 0, or -EINVAL with "file:line: ..." in
 * err when a field is not what its column says, or -ENOMEM. */
int ptc_run_groups_build(const struct ptc_table *tables, size_t n, const char *const *setting_cols,
                         struct ptc_run_groups *gs, char *err, size_t err_size);

/* The group of key[gs->n_keys] (as for ptc_run_groups_add), or -1 when gs has none. */
long ptc_run_groups_find(const struct ptc_run_groups *gs, const char *const *key);

/* The same from runs as they happen (ptc-run): init, one add per run, then summarize. */
void ptc_run_groups_init(struct ptc_run_groups *gs, const char *const *setting_cols);
/* One run of the configuration key[gs->n_keys] (enum ptc_run_key, then the settings); NaN for
 * what was not measured. Returns the index of its group, or -ENOMEM. */
long ptc_run_groups_add(struct ptc_run_groups *gs, const char *const *key, double wall_ns,
                        double ideal_ns, double cpus, double capacity, bool disturbed);
/* Medians, intervals, outliers, capacities and speedups of every group. Returns 0 or -ENOMEM. */
int ptc_run_groups_summarize(struct ptc_run_groups *gs);
void ptc_run_groups_free(struct ptc_run_groups *gs);

/* The CPUs group g kept busy: (user + sys) / wall over its runs that record both; NaN when none
 * does. */
double ptc_run_group_cpus_busy(const struct ptc_run_group *g);

/* The value of a group's setting column, "" when the groups have no such column. */
const char *ptc_run_group_setting(const struct ptc_run_group *g, const char *column);

/* True when a and b ran the same workload with the same settings and tasks on the same host and
 * build (the machine keys). */
bool ptc_run_groups_same_size(const struct ptc_run_group *a, const struct ptc_run_group *b);

/* "8 tasks × 50 ms", "16 tasks × 1024 KiB", "32 tasks, 16 KiB after 50 ms", with the CPU fraction
 * and wait of mixed: the workload's size in words, into buf. Returns buf. */
char *ptc_run_group_size_text(const struct ptc_run_group *g, char *buf, size_t size);

/* The groups split by same(), an equivalence that requires equal the keys whose bit is set in
 * keys (bit k: key k of enum ptc_run_key, then the settings; keys past 63 are not hashed, which
 * is slower, never wrong). Returns 0 or -ENOMEM. Free with ptc_classes_free. */
typedef bool ptc_run_same_fn(const struct ptc_run_group *a, const struct ptc_run_group *b);
int ptc_run_groups_classes(const struct ptc_run_groups *gs, uint64_t keys, ptc_run_same_fn *same,
                           struct ptc_run_classes *c);
/* The bits of the setting keys of gs, all of them. */
uint64_t ptc_run_groups_settings_keys(const struct ptc_run_groups *gs);
/* The bits of ptc_run_groups_same_size: the machine keys, workload, tasks and the settings. */
uint64_t ptc_run_groups_size_keys(const struct ptc_run_groups *gs);
/* The median of the parallel capacities recorded by every run of group i's class in c (classes.h;
 * NULL: group i alone), NaN when none was; *n_out (may be NULL) gets how many runs recorded one. */
double ptc_run_groups_capacity(const struct ptc_run_groups *gs, const struct ptc_run_classes *c,
                               size_t i, size_t *n_out);

/* The seq group of g's workload and size on g's host (the last of them), or NULL; after
 * ptc_run_groups_summarize. */
const struct ptc_run_group *ptc_run_groups_seq_of(const struct ptc_run_groups *gs,
                                                  const struct ptc_run_group *g);

/* The interval of g's speedup that its 95 % CI of the median gives: seq's median / ci.hi to
 * seq's median / ci.lo. Without a 95 % CI (under 6 runs) or without a seq, both ends are
 * g->speedup (NaN without a seq). */
void ptc_run_group_speedup_ci(const struct ptc_run_groups *gs, const struct ptc_run_group *g,
                              double *lo, double *hi);

/* The ideal speedup of g: the total task time (seq's ideal) / g's ideal; NaN when either has
 * none (noop, or no seq of the same size). */
double ptc_run_group_ideal_speedup(const struct ptc_run_groups *gs, const struct ptc_run_group *g);

/* The fields capacity, disturbed_runs, ci_lo_ns, ci_hi_ns, ci_coverage of g: the last columns
 * of the aggregate and of ptc-run's summary. */
void ptc_run_group_tail_csv(struct ptc_csv_writer *w, const struct ptc_run_group *g);

/* The aggregate as CSV (one row per group), and as a Markdown table. */
void ptc_run_groups_csv(const struct ptc_run_groups *gs, struct ptc_csv_writer *w);
void ptc_run_groups_md(const struct ptc_run_groups *gs, FILE *md);

#endif
