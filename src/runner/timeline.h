/* The one timeline format: one CSV row per task of a run, with the worker that ran it and its
 * start and end in ns from the run's start. ptc-run --timeline and ptc-claims'
 * claims-timeline.csv write it, through these functions only; plots/gantt.gp reads it.
 *
 * Columns: claim, workload, model, workers, tasks, rep, task, worker, start_ns, end_ns, then the
 * machine's (core/machine.h's ptc_machine_columns: host, cpu_model, cpus, kernel, compiler,
 * git_rev, as in the run CSV) so that a chart of the timeline can name the machine.
 * (claim: the ledger's claim id, "-" for ptc-run's runs: gnuplot 5.4 misreads empty fields). */
#ifndef PTC_RUNNER_TIMELINE_H
#define PTC_RUNNER_TIMELINE_H

#include "core/clock.h"
#include "core/csv.h"
#include "workload/workload.h"

struct ptc_machine;

#include <stdint.h>

/* What every row of one run repeats. */
struct ptc_timeline_run {
    const char *workload, *model;
    uint32_t workers, tasks, rep;
    const char *claim;                 /* NULL or "": not a claim of the ledger, written "-" */
    const struct ptc_machine *machine; /* where the run ran: never NULL */
};

/* The header row. */
void ptc_timeline_header(struct ptc_csv_writer *w);

/* One task's row: start_ns and end_ns already taken from the run's start. */
void ptc_timeline_row(struct ptc_csv_writer *w, const struct ptc_timeline_run *run, uint32_t task,
                      uint32_t worker, ptc_ns start_ns, ptc_ns end_ns);

/* The rows of results[0 .. run->tasks), their times from origin_ns (the run's start). */
void ptc_timeline_tasks(struct ptc_csv_writer *w, const struct ptc_timeline_run *run,
                        const struct ptc_task_result *results, ptc_ns origin_ns);

#endif
