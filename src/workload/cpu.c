/* cpu: deterministic integer work with a checksum the parent verifies.
 *
 * Every task runs the same chain from the same start for its own number of iterations and then
 * folds in its task index, so the parent can verify ALL tasks by running the chain once to the
 * longest task's length (not once per task) and still catch a task that ran under the wrong index.
 */
#include "workload/cpu_chain.h"
#include "workload/durations.h"

#include <errno.h>
#include <stdio.h>
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

/* The fastest of several short trials: on a shared machine the minimum is the estimate least
 * disturbed by other load. */
static double calibrate_ns_per_iter(uint64_t seed) {
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

struct cpu_priv {
    uint64_t *expected; /* [tasks], computed at the first verification */
    int have_expected;
};

static int cpu_setup(struct ptc_workload_state *st, char *err, size_t err_size) {
    if (st->p.iterations == 0 && st->p.task_hi_ns == 0) {
        snprintf(err, err_size, "the cpu workload needs --iterations N or --task-ms MS|LO:HI");
        return -EINVAL;
    }
    struct cpu_priv *priv = calloc(1, sizeof *priv);
    if (priv != NULL)
        priv->expected = calloc(st->p.tasks ? st->p.tasks : 1, sizeof *priv->expected);
    if (priv == NULL || priv->expected == NULL) {
        free(priv);
        snprintf(err, err_size, "out of memory");
        return -ENOMEM;
    }
    st->priv = priv;
    st->ns_per_iter = calibrate_ns_per_iter(st->p.seed);
    if (st->p.iterations == 0)
        ptc_durations_fill(st);
    for (uint32_t i = 0; i < st->p.tasks; i++) {
        if (st->p.iterations != 0) {
            st->task_iters[i] = st->p.iterations;
            st->task_ns[i] = (ptc_ns)((double)st->p.iterations * st->ns_per_iter);
        } else {
            st->task_iters[i] = (uint64_t)((double)st->task_ns[i] / st->ns_per_iter);
        }
    }
    return 0;
}

static int cpu_run_task(const struct ptc_workload_state *st, struct ptc_exec *ex, uint32_t task,
                        uint64_t *checksum) {
    uint64_t chain = ptc_cpu_chain(ptc_cpu_chain_start(st->p.seed), st->task_iters[task]);
    *checksum = fold_task(chain, st->p.seed, task);
    return 0;
}

static int by_iters(const void *a, const void *b, void *arg) {
    const uint64_t *iters = arg;
    uint64_t x = iters[*(const uint32_t *)a], y = iters[*(const uint32_t *)b];
    return (x > y) - (x < y);
}

/* One pass along the chain, stopping at each task's length in increasing order. */
static int compute_expected(struct ptc_workload_state *st, struct cpu_priv *priv) {
    uint32_t n = st->p.tasks;
    uint32_t *order = malloc((n ? n : 1) * sizeof *order);
    if (order == NULL)
        return -ENOMEM;
    for (uint32_t i = 0; i < n; i++)
        order[i] = i;
    qsort_r(order, n, sizeof *order, by_iters, st->task_iters);
    uint64_t x = ptc_cpu_chain_start(st->p.seed), done = 0;
    for (uint32_t k = 0; k < n; k++) {
        uint64_t want = st->task_iters[order[k]];
        x = ptc_cpu_chain(x,
                          want - done); /* steps compose: chain(chain(x, a), b) = chain(x, a+b) */
        done = want;
        priv->expected[order[k]] = fold_task(x, st->p.seed, order[k]);
    }
    free(order);
    priv->have_expected = 1;
    return 0;
}

static uint64_t cpu_expected(struct ptc_workload_state *st, uint32_t task) {
    struct cpu_priv *priv = st->priv;
    if (!priv->have_expected && compute_expected(st, priv) < 0)
        return ~st->task_iters[task]; /* cannot verify: fail the check rather than pass it */
    return priv->expected[task];
}

static void cpu_teardown(struct ptc_workload_state *st) {
    struct cpu_priv *priv = st->priv;
    if (priv != NULL)
        free(priv->expected);
    free(priv);
    st->priv = NULL;
}

const struct ptc_workload ptc_workload_cpu = {
    .name = "cpu",
    .summary = "xorshift chain of --iterations N steps (or calibrated to --task-ms), checksummed",
    .cpu_bound = true,
    .setup = cpu_setup,
    .run_task = cpu_run_task,
    .expected_checksum = cpu_expected,
    .teardown = cpu_teardown,
};
