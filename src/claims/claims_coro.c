/* Claims about coroutines (002): three requests on one thread overlap; a pool of 2 takes two
 * rounds. The tutorial's urllib requests are sleeps of different lengths here, waited on the
 * scheduler's timer (gevent's monkey-patched sleep). */
#include "claims/scenario.h"
#include "claims/verdict.h"
#include "model/model.h"

#include <stdio.h>

static int claim_coro_overlap(const struct ptc_claim_ctx *ctx, struct ptc_claim_result *r) {
    struct ptc_workload_params p = {.tasks = 3,
                                    .seed = ctx->seed,
                                    .task_lo_ns = ptc_seconds_ns(1.0 * ctx->time_scale),
                                    .task_hi_ns = ptc_seconds_ns(3.0 * ctx->time_scale)};
    const struct ptc_model *coro = ptc_model_find("coro"), *coropool = ptc_model_find("coropool");
    ptc_ns all_overhead = 0, pool_overhead = 0;
    struct ptc_scenario all, pool;
    int rc = ptc_scenario_overhead(ctx, coro, 3, 3, &all_overhead);
    if (rc < 0 || (rc = ptc_scenario_overhead(ctx, coropool, 3, 2, &pool_overhead)) < 0 ||
        (rc = ptc_scenario_run(ctx, "12", coro, ptc_workload_find("sleep"), &p, 3, &all)) < 0)
        return rc;
    rc = ptc_scenario_run(ctx, "12", coropool, ptc_workload_find("sleep"), &p, 2, &pool);
    if (rc < 0) {
        ptc_scenario_free(&all);
        return rc;
    }
    ptc_ns slowest = 0, sum = 0;
    for (int i = 0; i < 3; i++) {
        slowest = all.st.task_ns[i] > slowest ? all.st.task_ns[i] : slowest;
        sum += all.st.task_ns[i];
    }
    ptc_ns two_rounds = ptc_pool_makespan_ns(pool.st.task_ns, 3, 2);
    const struct ptc_duration_check checks[] = {
        {"coro", (double)all.rec.wall_ns, (double)slowest, (double)all_overhead},
        {"coropool W=2", (double)pool.rec.wall_ns, (double)two_rounds, (double)pool_overhead},
    };
    snprintf(r->expected, sizeof r->expected,
             "spawn + joinall: the slowest request (%.3f s), not the sum (%.3f s); Pool(2): two "
             "rounds, %.3f s; within 5 %% + 2 ms",
             ptc_s(slowest), ptc_s(sum), ptc_s(two_rounds));
    snprintf(r->measured, sizeof r->measured,
             "coro %.3f s, coropool W=2 %.3f s, on one thread's scheduler (not M:N: coromn)",
             ptc_s(all.rec.wall_ns), ptc_s(pool.rec.wall_ns));
    ptc_claim_judge(r, ctx->time_scale, true, checks, 2, PTC_CLAIM_TOLERANCE, PTC_CLAIM_SLACK_NS,
                    "waits overlap on one thread; a pool of 2 lets the third start when one ends",
                    "a time differs from the tutorial's");
    r->expected_value = ptc_s(slowest);
    r->measured_value = ptc_s(all.rec.wall_ns);
    r->unit = "s";
    ptc_scenario_free(&all);
    ptc_scenario_free(&pool);
    return 0;
}

const struct ptc_claim ptc_claim_12 = {
    .id = "12",
    .timing = true,
    .seed = "002",
    .claim = "Three requests with coroutines on one thread overlap (total about the slowest); a "
             "coroutine pool of 2 takes two rounds",
    .original = "3个网络操作是并发执行的， 而且结束顺序不同， 但其实只有一个线程",
    .run = claim_coro_overlap,
};
