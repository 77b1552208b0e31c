/* mixed: each task computes for --cpu-fraction F of its --task-ms and waits for the rest, with a
 * sleep or (--mixed-wait net) a loopback request whose latency is that rest. Sweeping F finds the
 * crossover: at F = 0 waiting dominates and coroutines match threads; at F = 1 computing
 * dominates and only processes or threads on several CPUs help. */
#include "workload/cpu_chain.h"
#include "workload/durations.h"
#include "workload/net_client.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

struct mixed_priv {
    ptc_ns *wait_ns;    /* [tasks] the waiting part of each task */
    uint64_t *expected; /* [tasks] cpu checksums, computed at the first verification */
    int have_expected;
    struct ptc_net_server server; /* with --mixed-wait net */
};

static void mixed_teardown(struct ptc_workload_state *st) {
    struct mixed_priv *priv = st->priv;
    if (priv == NULL)
        return;
    ptc_net_server_stop(&priv->server);
    free(priv->wait_ns);
    free(priv->expected);
    free(priv);
    st->priv = NULL;
}

static int mixed_setup(struct ptc_workload_state *st, char *err, size_t err_size) {
    if (st->p.task_hi_ns == 0) {
        snprintf(err, err_size, "the mixed workload needs --task-ms MS|LO:HI");
        return -EINVAL;
    }
    if (st->p.mixed_wait_net && st->p.task_lo_ns != st->p.task_hi_ns) {
        snprintf(err, err_size,
                 "--mixed-wait net needs a fixed --task-ms (the server has one "
                 "latency)");
        return -EINVAL;
    }
    struct mixed_priv *priv = calloc(1, sizeof *priv);
    if (priv != NULL) {
        priv->wait_ns = calloc(st->p.tasks, sizeof *priv->wait_ns);
        priv->expected = calloc(st->p.tasks, sizeof *priv->expected);
    }
    st->priv = priv;
    if (priv == NULL || priv->wait_ns == NULL || priv->expected == NULL) {
        mixed_teardown(st);
        snprintf(err, err_size, "out of memory");
        return -ENOMEM;
    }
    ptc_durations_fill(st);
    st->ns_per_iter = ptc_cpu_calibrate_ns_per_iter(st->p.seed);
    for (uint32_t i = 0; i < st->p.tasks; i++) {
        double cpu_ns = st->p.cpu_fraction * (double)st->task_ns[i];
        st->task_iters[i] = (uint64_t)(cpu_ns / st->ns_per_iter);
        priv->wait_ns[i] = st->task_ns[i] - (ptc_ns)cpu_ns;
    }
    if (st->p.mixed_wait_net) {
        /* The server's latency is the waiting part of the task (what the CSV then reports). */
        st->p.net_latency_ns = priv->wait_ns[0];
        ptc_raise_nofile_limit();
        signal(SIGPIPE, SIG_IGN); /* a write to a closed socket is an error, not a death */
        struct ptc_net_server_opts o = {.latency_ns = priv->wait_ns[0]};
        int rc = ptc_net_server_start(&priv->server, &o, err, err_size);
        if (rc < 0) {
            mixed_teardown(st);
            return rc;
        }
    }
    return 0;
}

static int mixed_run_task(const struct ptc_workload_state *st, struct ptc_exec *ex, uint32_t task,
                          uint64_t *checksum) {
    const struct mixed_priv *priv = st->priv;
    *checksum = ptc_cpu_task_checksum(st->p.seed, task, st->task_iters[task]);
    if (st->p.mixed_wait_net) {
        uint64_t h;
        int rc = ptc_net_fetch(ex, &priv->server, task, 0, &h);
        *checksum ^= h;
        return rc;
    }
    return ptc_exec_sleep_ns(ex, priv->wait_ns[task]);
}

static uint64_t mixed_expected(struct ptc_workload_state *st, uint32_t task) {
    struct mixed_priv *priv = st->priv;
    if (!priv->have_expected) {
        if (ptc_cpu_expected_all(st->p.seed, st->task_iters, st->p.tasks, priv->expected) < 0)
            return ~st->task_iters[task];
        priv->have_expected = 1;
    }
    return priv->expected[task] ^ (st->p.mixed_wait_net ? ptc_net_body_checksum(task, 0) : 0);
}

/* The computing part: what the calibrated loop of this task costs. */
static ptc_ns mixed_cpu_ns(const struct ptc_workload_state *st, uint32_t task) {
    return (ptc_ns)((double)st->task_iters[task] * st->ns_per_iter);
}

/* With --mixed-wait net: the server's fault, as the net workload says it. */
static void mixed_describe_fault(const struct ptc_workload_state *st, char *buf, size_t size) {
    const struct mixed_priv *priv = st->priv;
    ptc_net_server_fault(&priv->server, buf, size);
}

const struct ptc_workload ptc_workload_mixed = {
    .name = "mixed",
    .summary = "computes --cpu-fraction F of --task-ms, then waits the rest (sleep or net)",
    .cpu_bound = false,
    .settings = PTC_SETTINGS("task-ms", "cpu-fraction", "mixed-wait"),
    .setup = mixed_setup,
    .run_task = mixed_run_task,
    .expected_checksum = mixed_expected,
    .cpu_ns = mixed_cpu_ns,
    .teardown = mixed_teardown,
    .describe_fault = mixed_describe_fault,
};
