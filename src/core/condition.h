/* The machine's condition while ptcbench measures: how loaded it was, what the hypervisor and
 * other processes took during a run, and the parallel capacity (how much faster N spinning
 * threads finish a fixed amount of computation than one). A run on a machine that was not
 * quiet is marked disturbed by one rule, ptc_condition_judge, whose thresholds live in
 * condition.c with their reasons. The machine's fixed facts (governor, idle driver, SMT) are
 * in core/machine. */
#ifndef PTC_CORE_CONDITION_H
#define PTC_CORE_CONDITION_H

#include "core/clock.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The condition during one run. Figures that could not be read are NaN. */
struct ptc_run_condition {
    double load_1m;         /* /proc/loadavg's 1-minute load average at the start */
    double steal_cpus;      /* average CPUs the hypervisor took (steal) during the run */
    double other_busy_cpus; /* average CPUs busy with anything but this process and its
                             * children (/proc/stat busy time minus rusage and live children) */
    double margin_cpus;     /* the tick quantization of the two figures above: /proc/stat counts
                             * in 1/USER_HZ s per CPU, so a short run reads up to this much off */
    double capacity;        /* parallel capacity probed beside the run (x); NaN when not probed */
    long cpus;              /* online CPUs, the capacity's ideal */
};

/* A snapshot taken before a run; ptc_condition_end turns two of them into a condition. */
struct ptc_condition_mark {
    ptc_ns at_ns;
    uint64_t busy_ticks, steal_ticks; /* /proc/stat's "cpu" line, all CPUs */
    uint64_t children_ticks;          /* utime + stime of this process's live children */
    double load_1m;
    bool ok; /* /proc/stat was readable */
};

/* Takes the snapshot (reads /proc/stat, /proc/loadavg and the live children's /proc/PID/stat).
 * Call it outside the timed region: it costs some tens of us. Never fails: what cannot be read
 * comes out NaN in the condition. Not thread-safe with respect to forking children. */
void ptc_condition_begin(struct ptc_condition_mark *m);

/* Fills *out for the span since m. own_cpu_ns: CPU time (user + sys) this process and the
 * children it reaped used in that span (from getrusage). capacity is left NaN. */
void ptc_condition_end(const struct ptc_condition_mark *m, ptc_ns own_cpu_ns, long cpus,
                       struct ptc_run_condition *out);

/* The rule. Returns true when the run was disturbed, with the reasons ("others busy 1.92 CPUs;
 * capacity 1.31x of 2 CPUs") in why (may be NULL); false and "" otherwise. Pure: reads only c. */
bool ptc_condition_judge(const struct ptc_run_condition *c, char *why, size_t why_size);

/* The thresholds of the rule, for the documentation and the tables. */
extern const double ptc_condition_other_busy_max_cpus;
extern const double ptc_condition_steal_max_cpus;
extern const double ptc_condition_capacity_min_fraction;

/* The parallel capacity probe: a fixed amount of pure computation (integer hashing in registers,
 * no memory traffic) done by one thread, then by N = cpus threads at once, each doing the same
 * amount; capacity = N x t(1) / t(N). Quiet 2-CPU machine: about 2.0; one other busy process:
 * about 1.3. */
struct ptc_capacity_probe {
    uint64_t iterations; /* per thread per pass, calibrated to ptc_capacity_unit_ns */
    long cpus;
};

/* How long one thread's pass takes; a probe is 3 pairs of passes (1 thread, then N), so it costs
 * about 6 x this in wall time, plus a calibration of about 2 x this on init. */
extern const ptc_ns ptc_capacity_unit_ns;

/* Calibrates the probe for cpus threads. Returns 0 or a negative errno. */
int ptc_capacity_init(struct ptc_capacity_probe *p, long cpus);

/* How long the probe's child process may take to answer and end (ten times as long under
 * Valgrind). */
extern const ptc_ns ptc_capacity_timeout_ns;

/* Measures the capacity into *capacity (x), in a child process. Returns 0 or a negative errno:
 * -ETIMEDOUT when the child did not answer and end within ptc_capacity_timeout_ns (stopped, say;
 * it is then killed and reaped, and why, which may be NULL, names it and its state in one line),
 * -EAGAIN when it failed (threads could not be started). Uses every CPU for its duration: never
 * call it while a run is being timed. */
int ptc_capacity_measure(const struct ptc_capacity_probe *p, double *capacity, char *why,
                         size_t why_size);

#endif
