#include "runner/timeline.h"

#include "core/machine.h"

void ptc_timeline_header(struct ptc_csv_writer *w) {
    static const char *const cols[] = {"claim", "workload", "model",    "workers", "tasks", "rep",
                                       "task",  "worker",   "start_ns", "end_ns",  NULL};
    for (const char *const *c = cols; *c; c++)
        ptc_csv_str(w, *c);
    for (const char *const *c = ptc_machine_columns; *c; c++)
        ptc_csv_str(w, *c);
    ptc_csv_end_row(w);
}

void ptc_timeline_row(struct ptc_csv_writer *w, const struct ptc_timeline_run *run, uint32_t task,
                      uint32_t worker, ptc_ns start_ns, ptc_ns end_ns) {
    ptc_csv_str(w, run->claim != NULL && *run->claim ? run->claim : "-");
    ptc_csv_str(w, run->workload);
    ptc_csv_str(w, run->model);
    ptc_csv_u64(w, run->workers);
    ptc_csv_u64(w, run->tasks);
    ptc_csv_u64(w, run->rep);
    ptc_csv_u64(w, task);
    ptc_csv_u64(w, worker);
    ptc_csv_u64(w, start_ns);
    ptc_csv_u64(w, end_ns);
    ptc_machine_csv_fields(w, run->machine);
    ptc_csv_end_row(w);
}

void ptc_timeline_tasks(struct ptc_csv_writer *w, const struct ptc_timeline_run *run,
                        const struct ptc_task_result *results, ptc_ns origin_ns) {
    for (uint32_t i = 0; i < run->tasks; i++)
        ptc_timeline_row(w, run, i, results[i].worker, results[i].start_ns - origin_ns,
                         results[i].end_ns - origin_ns);
}
