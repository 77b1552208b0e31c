/* The cpu workload's unit of work, exposed for its tests and its calibration. */
#ifndef PTC_WORKLOAD_CPU_CHAIN_H
#define PTC_WORKLOAD_CPU_CHAIN_H

#include <stdint.h>

/* Advances a xorshift64 chain `iterations` steps from x (steps compose: chain(chain(x, a), b) ==
 * chain(x, a + b)). Each step depends on the previous one,
 * so the compiler can neither drop, vectorise nor shorten the loop, and the CPU cannot overlap
 * steps: the time is proportional to iterations. Pure; thread-safe. */
uint64_t ptc_cpu_chain(uint64_t x, uint64_t iterations);

/* The chain's starting value for a seed (never 0, which xorshift cannot leave). */
uint64_t ptc_cpu_chain_start(uint64_t seed);

#endif
