/* Claims about pools: who starts when in Pool(4) with five tasks (001, 003), and the pool's
 * default size (003). */
#include "claims/scenario.h"
#include "model/model.h"

#include <stdio.h>

#define TOLERANCE 0.05
#define SLACK_NS  (2 * PTC_NS_PER_MS)

/* ---- 02: Pool(4) with 5 tasks: tasks 0-3 start at once, task 4 when the first one ends ---- */

static int claim_pool_order(const struct ptc_claim_ctx *ctx, struct ptc_claim_result *r) {
    /* The tutorial's tasks sleep random.random() * 3 s: draw 0.5-3 s (seeded, whole ms). */
    struct ptc_workload_params p = {.tasks = 5,
                                    .seed = ctx->seed,
                                    .task_lo_ns = ptc_seconds_ns(0.5 * ctx->time_scale),
                                    .task_hi_ns = ptc_seconds_ns(3.0 * ctx->time_scale)};
    struct ptc_scenario sc;
    int rc = ptc_scenario_run(ctx, "02", ptc_model_find("procpool"), ptc_workload_find("sleep"), &p,
                              4, &sc);
    if (rc < 0)
        return rc;
    const struct ptc_task_result *t = sc.results;
    ptc_ns t0 = sc.rec.run_start_ns, last_start = 0, first_end = UINT64_MAX;
    for (int i = 0; i < 4; i++) {
        ptc_ns s = t[i].start_ns - t0, e = t[i].end_ns - t0;
        last_start = s > last_start ? s : last_start;
        first_end = e < first_end ? e : first_end;
    }
    ptc_ns start4 = t[4].start_ns - t0, shortest = sc.st.task_ns[0];
    for (int i = 1; i < 4; i++)
        shortest = sc.st.task_ns[i] < shortest ? sc.st.task_ns[i] : shortest;
    /* "At once": all four start before 5 % of the shortest task has passed (+2 ms of forks).
     * Task 4 starts when the first ends: after it, and within 5 % + 2 ms of it. */
    double window = TOLERANCE * (double)shortest + SLACK_NS;
    int together = (double)last_start <= window;
    int waits = start4 >= first_end && (double)(start4 - first_end) <= window;
    snprintf(r->expected, sizeof r->expected,
             "tasks 0-3 start within %.3f s of the start; task 4 starts when the first of them "
             "ends (within %.3f s after)",
             window / 1e9, window / 1e9);
    snprintf(r->measured, sizeof r->measured,
             "last of tasks 0-3 started at %.4f s; first end %.4f s; task 4 started at %.4f s "
             "(timeline in claims-timeline.csv)",
             ptc_s(last_start), ptc_s(first_end), ptc_s(start4));
    r->verdict = together && waits ? PTC_REPRODUCED : PTC_REFUTED;
    snprintf(r->reason, sizeof r->reason, "%s",
             together && waits ? "four workers, the fifth task waits for a free one"
             : !together       ? "tasks 0-3 did not start together"
                               : "task 4 did not start when the first task ended");
    r->expected_value = ptc_s(first_end);
    r->measured_value = ptc_s(start4);
    r->unit = "s";
    ptc_scenario_free(&sc);
    return 0;
}

/* ---- 03: the pool's default size is the number of CPUs ---- */

static int claim_default_size(const struct ptc_claim_ctx *ctx, struct ptc_claim_result *r) {
    snprintf(r->expected, sizeof r->expected, "Pool() without a size has os.cpu_count() workers");
    snprintf(r->measured, sizeof r->measured, "this machine has %ld CPUs", ctx->cpus);
    r->verdict = PTC_NOT_APPLICABLE;
    snprintf(r->reason, sizeof r->reason,
             "a C pool has no default: ptcbench's procpool always takes W; the Python reference "
             "is the place to check multiprocessing's default");
    r->expected_value = (double)ctx->cpus;
    r->measured_value = 0.0 / 0.0;
    r->unit = "workers";
    return 0;
}

const struct ptc_claim ptc_claim_02 = {
    .id = "02",
    .timing = true, /* its start window is 5 % of a task + 2 ms: forks fill it at small scales */
    .seed = "001, 003",
    .claim = "Pool(4) with 5 tasks: tasks 0-3 start at once, task 4 starts when the first ends",
    .original = "task 0，1，2，3是立刻执行的，而task 4要等待前面某个task完成后才执行",
    .run = claim_pool_order,
};

const struct ptc_claim ptc_claim_03 = {
    .id = "03",
    .seed = "003",
    .claim = "The pool's default size is the number of CPUs",
    .original = "Pool的默认大小在我的电脑上是4，因此，最多同时执行4个进程",
    .run = claim_default_size,
};
