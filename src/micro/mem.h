/* Memory per unit of execution: N units alive at once, each blocked, measured as ptc-mem reports
 * them. Shared by ptc-mem and the claims ledger. Each call brings the units up, measures, and
 * tears them all down again (no child or thread left). */
#ifndef PTC_MICRO_MEM_H
#define PTC_MICRO_MEM_H

#include "core/clock.h"

#include <stdint.h>

struct ptc_mem_result {
    int err;                /* 0, or the limit that stopped bringing units up (-EAGAIN, ...) */
    uint64_t up;            /* units that were up when measured */
    ptc_ns up_ns;           /* time to bring them all up */
    double kib_per_unit;    /* resident memory per unit */
    double kstack_per_unit; /* kernel stack per unit (threads), NaN otherwise */
};

/* n child processes blocked in read(): PSS per process from smaps_rollup. */
void ptc_mem_processes(uint64_t n, struct ptc_mem_result *r);
/* n threads blocked on a futex: VmRSS growth per thread, and KernelStack growth per thread. */
void ptc_mem_threads(uint64_t n, struct ptc_mem_result *r);
/* n suspended coroutines on fresh stacks (first-touch faults included): VmRSS growth each. */
void ptc_mem_coroutines(uint64_t n, struct ptc_mem_result *r);
/* The same from a pool kept across calls (warm): RSS over the pool's stacks. */
void ptc_mem_coroutines_pooled(uint64_t n, struct ptc_mem_result *r);
/* n coroutines suspended on one shared stack (coro/shared.h): records and saved frames. */
void ptc_mem_coroutines_shared(uint64_t n, struct ptc_mem_result *r);

#endif
