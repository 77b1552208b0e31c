#include "workload/cpu_chain.h"

#include "core/clock.h"
#include "workload/workload.h"

#include <errno.h>
#include <stdlib.h>

#define CPU_STREAM         4
#define CALIBRATION_ITERS  2000000ULL
#define CALIBRATION_TRIALS 7

__attribute__((noinline)) uint64_t ptc_cpu_chain(uint64_t x, uint64_t iterations) {
    for (uint64_t i = 0; i < iterations; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    return x;
}

uint64_t ptc_cpu_chain_start(uint64_t seed) {
    uint64_t x = ptc_task_random(seed, 0, CPU_STREAM);
    return x ? x : 1;
}

static uint64_t fold_task(uint64_t chain, uint64_t seed, uint32_t task) {
    return chain ^ ptc_task_random(seed, task, CPU_STREAM + 1);
}

uint64_t ptc_cpu_task_checksum(uint64_t seed, uint32_t task, uint64_t iterations) {
    return fold_task(ptc_cpu_chain(ptc_cpu_chain_start(seed), iterations), seed, task);
}

double ptc_cpu_calibrate_ns_per_iter(uint64_t seed) {
    double best = 0;
    uint64_t x = ptc_cpu_chain_start(seed);
    for (int t = 0; t < CALIBRATION_TRIALS; t++) {
        ptc_ns start = ptc_now_ns();
        x = ptc_cpu_chain(x, CALIBRATION_ITERS);
        double ns = (double)(ptc_now_ns() - start) / (double)CALIBRATION_ITERS;
        if (t == 0 || ns < best)
            best = ns;
    }
    __asm__ volatile("" : : "r"(x));
    return best;
}

static int by_iters(const void *a, const void *b, void *arg) {
    const uint64_t *iters = arg;
    uint64_t x = iters[*(const uint32_t *)a], y = iters[*(const uint32_t *)b];
    return (x > y) - (x < y);
}

int ptc_cpu_expected_all(uint64_t seed, const uint64_t *iters, uint32_t n, uint64_t *out) {
    uint32_t *order = malloc((n ? n : 1) * sizeof *order);
    if (order == NULL)
        return -ENOMEM;
    for (uint32_t i = 0; i < n; i++)
        order[i] = i;
    qsort_r(order, n, sizeof *order, by_iters, (void *)iters);
    uint64_t x = ptc_cpu_chain_start(seed), done = 0;
    for (uint32_t k = 0; k < n; k++) {
        uint64_t want = iters[order[k]];
        x = ptc_cpu_chain(x,
                          want - done); /* steps compose: chain(chain(x, a), b) = chain(x, a+b) */
        done = want;
        out[order[k]] = fold_task(x, seed, order[k]);
    }
    free(order);
    return 0;
}
