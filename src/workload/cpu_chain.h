/* The unit of CPU work shared by the cpu and mixed workloads: a xorshift64 chain, its checksum,
 * its calibration, and the parent's verification of many tasks in one pass. */
#ifndef PTC_WORKLOAD_CPU_CHAIN_H
#define PTC_WORKLOAD_CPU_CHAIN_H

#include <stdint.h>

/* Advances a xorshift64 chain `iterations` steps from x (steps compose: chain(chain(x, a), b) ==
 * chain(x, a + b)). Each step depends on the previous one, so the compiler can neither drop,
 * vectorise nor shorten the loop, and the CPU cannot overlap steps: the time is proportional to
 * iterations. Pure; thread-safe. */
uint64_t ptc_cpu_chain(uint64_t x, uint64_t iterations);

/* The chain's starting value for a seed (never 0, which xorshift cannot leave). */
uint64_t ptc_cpu_chain_start(uint64_t seed);

/* What a task that runs `iterations` steps reports: the chain from the seed's start, folded with
 * the task's index so a task run under the wrong index is caught. */
uint64_t ptc_cpu_task_checksum(uint64_t seed, uint32_t task, uint64_t iterations);

/* ns per chain step: the fastest of several short trials (on a shared machine the minimum is the
 * estimate least disturbed by other load). Takes ~20 ms. */
double ptc_cpu_calibrate_ns_per_iter(uint64_t seed);

/* The checksums of n tasks with the given iteration counts, computed with one pass along the
 * chain to the longest task (not one chain per task) into out[n]. Returns 0 or -ENOMEM. */
int ptc_cpu_expected_all(uint64_t seed, const uint64_t *iters, uint32_t n, uint64_t *out);

#endif
