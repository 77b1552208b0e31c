/* 15 (003): "because of the GIL, threads cannot use several cores". True of CPython; for C
 * threads on CPU work it is put to the test: two threads against one, on this machine. */
#include "claims/scenario.h"
#include "model/model.h"

#include <stdio.h>

static int claim_gil(const struct ptc_claim_ctx *ctx, struct ptc_claim_result *r) {
    ptc_ns task = ptc_seconds_ns(1.0 * ctx->time_scale);
    struct ptc_workload_params p = {
        .tasks = 2, .seed = ctx->seed, .task_lo_ns = task, .task_hi_ns = task};
    struct ptc_scenario seq, two;
    int rc =
        ptc_scenario_run(ctx, "15", ptc_model_find("seq"), ptc_workload_find("cpu"), &p, 1, &seq);
    if (rc < 0)
        return rc;
    rc = ptc_scenario_run(ctx, "15", ptc_model_find("thread"), ptc_workload_find("cpu"), &p, 2,
                          &two);
    if (rc < 0) {
        ptc_scenario_free(&seq);
        return rc;
    }
    double speedup = (double)seq.rec.wall_ns / (double)two.rec.wall_ns;
    /* The claim holds if two threads are no faster than one (within 10 %). */
    int holds = speedup <= 1.10;
    snprintf(r->expected, sizeof r->expected,
             "2 threads on CPU work no faster than 1 (speedup <= 1.10x); %ld CPUs here", ctx->cpus);
    snprintf(r->measured, sizeof r->measured,
             "C: one thread %.3f s, two threads %.3f s: speedup %.2fx", ptc_s(seq.rec.wall_ns),
             ptc_s(two.rec.wall_ns), speedup);
    r->verdict = ctx->cpus < 2 ? PTC_NOT_APPLICABLE : holds ? PTC_REPRODUCED : PTC_REFUTED;
    snprintf(r->reason, sizeof r->reason, "%s",
             ctx->cpus < 2 ? "one CPU: nothing can run in parallel here"
             : holds       ? "C threads did not use a second CPU"
                           : "C threads have no GIL: they ran on both CPUs (the Python reference "
                             "is where the GIL shows)");
    r->expected_value = 1.0;
    r->measured_value = speedup;
    r->unit = "x";
    ptc_scenario_free(&seq);
    ptc_scenario_free(&two);
    return 0;
}

const struct ptc_claim ptc_claim_15 = {
    .id = "15",
    .seed = "003",
    .claim = "Because of the GIL, threads cannot use several cores (CPU work, 2 threads)",
    .original = "Python解释器由于设计时有GIL全局锁，导致了多线程无法利用多核",
    .run = claim_gil,
};
