/* Task durations from --task-ms, shared by the workloads that take a duration. */
#ifndef PTC_WORKLOAD_DURATIONS_H
#define PTC_WORKLOAD_DURATIONS_H

#include "workload/workload.h"

/* Fills st->task_ns: every task lasts task_lo_ns when LO == HI; otherwise each task draws a
 * whole number of milliseconds uniformly from [LO, HI] (like Python's randint), from the seed. */
void ptc_durations_fill(struct ptc_workload_state *st);

#endif
