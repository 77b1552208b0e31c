/* cpu: deterministic integer work with a checksum the parent verifies: a xorshift chain of
 * --iterations N steps per task, or as many as --task-ms takes on this machine (calibrated, and
 * the calibration is recorded). See cpu_chain.h for why the compiler cannot remove the work. */
#include "workload/cpu_chain.h"
#include "workload/durations.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

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
    st->ns_per_iter = ptc_cpu_calibrate_ns_per_iter(st->p.seed);
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
    *checksum = ptc_cpu_task_checksum(st->p.seed, task, st->task_iters[task]);
    return 0;
}

static uint64_t cpu_expected(struct ptc_workload_state *st, uint32_t task) {
    struct cpu_priv *priv = st->priv;
    if (!priv->have_expected) {
        if (ptc_cpu_expected_all(st->p.seed, st->task_iters, st->p.tasks, priv->expected) < 0)
            return ~st->task_iters[task]; /* cannot verify: fail the check rather than pass it */
        priv->have_expected = 1;
    }
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
    .settings = PTC_SETTINGS("task-ms", "iterations"),
    .setup = cpu_setup,
    .run_task = cpu_run_task,
    .expected_checksum = cpu_expected,
    .teardown = cpu_teardown,
};
