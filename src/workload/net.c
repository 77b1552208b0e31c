/* net: the URL fetches of tutorials 000 and 002, on loopback only. Setup starts the server
 * process (net_server.h) with --net-latency-ms; each task connects, sends one request, reads and
 * hashes (XXH3, at memory speed) the whole --net-kib KiB answer; the parent checks every hash
 * against the one it computed at setup. Teardown stops the
 * server; it also dies with the benchmark if that is killed. */
#include "workload/net_client.h"
#include "workload/workload.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct net_priv {
    struct ptc_net_server server;
    uint64_t *expected; /* [tasks] */
};

static void net_teardown(struct ptc_workload_state *st) {
    struct net_priv *priv = st->priv;
    if (priv == NULL)
        return;
    ptc_net_server_stop(&priv->server);
    st->refused = NULL;
    free(priv->expected);
    free(priv);
    st->priv = NULL;
}

static int net_setup(struct ptc_workload_state *st, char *err, size_t err_size) {
    struct net_priv *priv = calloc(1, sizeof *priv);
    if (priv != NULL)
        priv->expected = calloc(st->p.tasks, sizeof *priv->expected);
    if (priv == NULL || priv->expected == NULL) {
        if (priv != NULL)
            free(priv->expected);
        free(priv);
        snprintf(err, err_size, "out of memory");
        return -ENOMEM;
    }
    st->priv = priv;
    /* Thousands of connections at once in one process (thread, coro) need descriptors. */
    ptc_raise_nofile_limit();
    signal(SIGPIPE, SIG_IGN); /* a write to a closed socket is an error, not a death */
    struct ptc_net_server_opts o = {.latency_ns = st->p.net_latency_ns};
    int rc = ptc_net_server_start(&priv->server, &o, err, err_size);
    if (rc < 0) {
        net_teardown(st);
        return rc;
    }
    for (uint32_t i = 0; i < st->p.tasks; i++) {
        priv->expected[i] = ptc_net_body_checksum(i, st->p.net_kib);
        st->task_ns[i] = st->p.net_latency_ns;
    }
    st->bytes_per_run = (uint64_t)st->p.tasks * st->p.net_kib * 1024;
    st->refused = priv->server.refused;
    return 0;
}

static int net_run_task(const struct ptc_workload_state *st, struct ptc_exec *ex, uint32_t task,
                        uint64_t *checksum) {
    const struct net_priv *priv = st->priv;
    return ptc_net_fetch(ex, &priv->server, task, st->p.net_kib, checksum);
}

static void net_describe_fault(const struct ptc_workload_state *st, char *buf, size_t size) {
    const struct net_priv *priv = st->priv;
    ptc_net_server_fault(&priv->server, buf, size);
}

static uint64_t net_expected(struct ptc_workload_state *st, uint32_t task) {
    const struct net_priv *priv = st->priv;
    return priv->expected[task];
}

const struct ptc_workload ptc_workload_net = {
    .name = "net",
    .summary = "one loopback request per task: --net-kib KiB after --net-latency-ms, verified",
    .cpu_bound = false,
    .settings = PTC_SETTINGS("net-latency-ms", "net-kib"),
    .setup = net_setup,
    .run_task = net_run_task,
    .expected_checksum = net_expected,
    .teardown = net_teardown,
    .describe_fault = net_describe_fault,
};
