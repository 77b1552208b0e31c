#include "workload/durations.h"

/* Random stream 1 is the duration draw; other workloads use other streams. */
#define DURATION_STREAM 1

void ptc_durations_fill(struct ptc_workload_state *st) {
    ptc_ns lo = st->p.task_lo_ns, hi = st->p.task_hi_ns;
    uint64_t span_ms = (hi - lo) / PTC_NS_PER_MS + 1;
    for (uint32_t i = 0; i < st->p.tasks; i++) {
        uint64_t draw = ptc_task_random(st->p.seed, i, DURATION_STREAM) % span_ms;
        st->task_ns[i] = lo == hi ? lo : lo + draw * PTC_NS_PER_MS;
    }
}
