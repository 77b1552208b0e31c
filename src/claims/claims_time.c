/* Claims about how long things take: two downloads at once (000), Pool(5).map over six 1-second
 * tasks (004), five threads started with and without join (004). */
#include "claims/scenario.h"
#include "claims/verdict.h"
#include "model/model.h"
#include "workload/durations.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* ---- 01: two downloads of randint(5, 10) s, in two processes and in two threads ---- */

static int claim_two_downloads(const struct ptc_claim_ctx *ctx, struct ptc_claim_result *r) {
    const char *names[] = {"fork", "thread"};
    struct ptc_duration_check checks[2] = {{.what = "two processes"}, {.what = "two threads"}};
    ptc_ns longest = 0, total = 0, overhead = 0;
    for (int i = 0; i < 2; i++) {
        struct ptc_workload_params p = {.tasks = 2,
                                        .seed = ctx->seed,
                                        .task_lo_ns = ptc_seconds_ns(5 * ctx->time_scale),
                                        .task_hi_ns = ptc_seconds_ns(10 * ctx->time_scale)};
        /* randint(5, 10) is whole seconds: draw whole ms of the scaled range, as sleep does */
        struct ptc_scenario sc;
        const struct ptc_model *m = ptc_model_find(names[i]);
        int rc = ptc_scenario_overhead(ctx, m, 2, 2, &overhead);
        if (rc < 0 ||
            (rc = ptc_scenario_run(ctx, "01", m, ptc_workload_find("sleep"), &p, 2, &sc)) < 0)
            return rc;
        longest = sc.st.task_ns[0] > sc.st.task_ns[1] ? sc.st.task_ns[0] : sc.st.task_ns[1];
        total = sc.st.task_ns[0] + sc.st.task_ns[1];
        checks[i].measured_ns = (double)sc.rec.wall_ns;
        checks[i].expected_ns = (double)longest;
        checks[i].overhead_ns = (double)overhead;
        ptc_scenario_free(&sc);
    }
    snprintf(r->expected, sizeof r->expected,
             "about the longest download (%.3f s), not the sum (%.3f s): within 5 %% + 2 ms",
             ptc_s(longest), ptc_s(total));
    snprintf(r->measured, sizeof r->measured, "two processes %.3f s, two threads %.3f s",
             checks[0].measured_ns / 1e9, checks[1].measured_ns / 1e9);
    ptc_claim_judge(r, ctx->time_scale, true, checks, 2, PTC_CLAIM_TOLERANCE, PTC_CLAIM_SLACK_NS,
                    "both overlap the downloads", "a wall time is off the longest download");
    r->expected_value = ptc_s(longest);
    r->measured_value = fmax(checks[0].measured_ns, checks[1].measured_ns) / 1e9;
    r->unit = "s";
    return 0;
}

/* ---- 04: Pool(5).map(run, [1..6]) with 1 s tasks: 6 s in sequence, 2 s in the pool ---- */

/* Sleeps --task-ms and returns its input squared, like the tutorial's run(x): time.sleep(1);
 * return x * x, with inputs 1..6. */
static int square_setup(struct ptc_workload_state *st, char *err, size_t err_size) {
    ptc_durations_fill(st);
    return 0;
}

static int square_run(const struct ptc_workload_state *st, struct ptc_exec *ex, uint32_t task,
                      uint64_t *checksum) {
    *checksum = (uint64_t)(task + 1) * (task + 1);
    return ptc_exec_sleep_ns(ex, st->task_ns[task]);
}

static uint64_t square_expected(struct ptc_workload_state *st, uint32_t task) {
    return (uint64_t)(task + 1) * (task + 1);
}

static const struct ptc_workload square = {
    .name = "square",
    .summary = "sleeps, then returns (task + 1)^2",
    .settings = PTC_SETTINGS("task-ms"),
    .setup = square_setup,
    .run_task = square_run,
    .expected_checksum = square_expected,
};

static int claim_pool_map(const struct ptc_claim_ctx *ctx, struct ptc_claim_result *r) {
    ptc_ns task = ptc_seconds_ns(1 * ctx->time_scale), seq_overhead = 0, pool_overhead = 0;
    struct ptc_workload_params p = {
        .tasks = 6, .seed = ctx->seed, .task_lo_ns = task, .task_hi_ns = task};
    const struct ptc_model *seq_m = ptc_model_find("seq"), *pool_m = ptc_model_find("procpool");
    struct ptc_scenario seq, pool;
    int rc = ptc_scenario_overhead(ctx, seq_m, 6, 1, &seq_overhead);
    if (rc < 0 || (rc = ptc_scenario_overhead(ctx, pool_m, 6, 5, &pool_overhead)) < 0 ||
        (rc = ptc_scenario_run(ctx, "04", seq_m, &square, &p, 1, &seq)) < 0)
        return rc;
    rc = ptc_scenario_run(ctx, "04", pool_m, &square, &p, 5, &pool);
    if (rc < 0) {
        ptc_scenario_free(&seq);
        return rc;
    }
    char list[96] = "";
    bool in_order = true;
    for (uint32_t i = 0; i < 6; i++) {
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%llu", i ? ", " : "",
                 (unsigned long long)pool.results[i].checksum);
        in_order &= pool.results[i].checksum == (uint64_t)(i + 1) * (i + 1);
    }
    const struct ptc_duration_check checks[] = {
        {"sequence", (double)seq.rec.wall_ns, 6.0 * (double)task, (double)seq_overhead},
        {"procpool W=5", (double)pool.rec.wall_ns, 2.0 * (double)task, (double)pool_overhead},
    };
    snprintf(r->expected, sizeof r->expected,
             "%.3f s in sequence, %.3f s in Pool(5), results [1, 4, 9, 16, 25, 36] in input "
             "order; times within 5 %% + 2 ms",
             checks[0].expected_ns / 1e9, checks[1].expected_ns / 1e9);
    snprintf(r->measured, sizeof r->measured, "sequence %.3f s, procpool W=5 %.3f s, results [%s]",
             ptc_s(seq.rec.wall_ns), ptc_s(pool.rec.wall_ns), list);
    ptc_claim_judge(r, ctx->time_scale, in_order, checks, 2, PTC_CLAIM_TOLERANCE,
                    PTC_CLAIM_SLACK_NS, "the sixth task waits for a free worker: two rounds",
                    in_order ? "a time differs from the tutorial's"
                             : "the results are not in input order");
    r->expected_value = checks[1].expected_ns / 1e9;
    r->measured_value = ptc_s(pool.rec.wall_ns);
    r->unit = "s";
    ptc_scenario_free(&seq);
    ptc_scenario_free(&pool);
    return 0;
}

/* ---- 05: five threads of 1 s each: started and not joined "0 s", joined 1 s, sequence 5 s ---- */

static void *sleeper(void *arg) {
    ptc_sleep_ns(*(const ptc_ns *)arg);
    return NULL;
}

/* The tutorial's timing stops right after the last start(): no join. */
static int start_without_join(ptc_ns task, ptc_ns *elapsed) {
    pthread_t t[5];
    ptc_ns start = ptc_now_ns();
    for (int i = 0; i < 5; i++) {
        int rc = pthread_create(&t[i], NULL, sleeper, &task);
        if (rc != 0) {
            while (i-- > 0)
                pthread_join(t[i], NULL);
            return -rc;
        }
    }
    *elapsed = ptc_now_ns() - start;
    for (int i = 0; i < 5; i++) /* outside the timing: leave no thread behind */
        pthread_join(t[i], NULL);
    return 0;
}

static int claim_five_threads(const struct ptc_claim_ctx *ctx, struct ptc_claim_result *r) {
    ptc_ns task = ptc_seconds_ns(1 * ctx->time_scale), unjoined = 0, thread_overhead = 0,
           seq_overhead = 0;
    const struct ptc_model *thread_m = ptc_model_find("thread"), *seq_m = ptc_model_find("seq");
    int rc = start_without_join(task, &unjoined);
    if (rc < 0 || (rc = ptc_scenario_overhead(ctx, thread_m, 5, 5, &thread_overhead)) < 0 ||
        (rc = ptc_scenario_overhead(ctx, seq_m, 5, 1, &seq_overhead)) < 0)
        return rc;
    struct ptc_workload_params p = {
        .tasks = 5, .seed = ctx->seed, .task_lo_ns = task, .task_hi_ns = task};
    struct ptc_scenario joined, seq;
    rc = ptc_scenario_run(ctx, "05", thread_m, ptc_workload_find("sleep"), &p, 5, &joined);
    if (rc < 0)
        return rc;
    rc = ptc_scenario_run(ctx, "05", seq_m, ptc_workload_find("sleep"), &p, 1, &seq);
    if (rc < 0) {
        ptc_scenario_free(&joined);
        return rc;
    }
    /* "0 s" is the tutorial's %d of a few microseconds: anything under 5 % of one task is 0. */
    bool zero = (double)unjoined < PTC_CLAIM_TOLERANCE * (double)task;
    const struct ptc_duration_check checks[] = {
        {"joined", (double)joined.rec.wall_ns, (double)task, (double)thread_overhead},
        {"in sequence", (double)seq.rec.wall_ns, 5.0 * (double)task, (double)seq_overhead},
    };
    snprintf(r->expected, sizeof r->expected,
             "not joined ~0 s (under 5 %% of %.3f s), joined %.3f s, in sequence %.3f s; within "
             "5 %% + 2 ms",
             ptc_s(task), ptc_s(task), 5 * ptc_s(task));
    snprintf(r->measured, sizeof r->measured,
             "not joined %.6f s, joined %.3f s, in sequence %.3f s", ptc_s(unjoined),
             ptc_s(joined.rec.wall_ns), ptc_s(seq.rec.wall_ns));
    ptc_claim_judge(r, ctx->time_scale, zero, checks, 2, PTC_CLAIM_TOLERANCE, PTC_CLAIM_SLACK_NS,
                    "the '0 s' only times the five start() calls; the work takes 1 s",
                    zero ? "a time differs from the tutorial's"
                         : "starting the threads took 5 % of a task or more");
    r->expected_value = ptc_s(task);
    r->measured_value = ptc_s(joined.rec.wall_ns);
    r->unit = "s";
    ptc_scenario_free(&joined);
    ptc_scenario_free(&seq);
    return 0;
}

const struct ptc_claim ptc_claim_01 = {
    .id = "01",
    .timing = true,
    .seed = "000",
    .claim = "Two downloads of 5-10 s in two processes, and in two threads, take about the "
             "longest one, not the sum",
    .original = "两个下载任务“同时”启动了，而且程序的执行时间将大大缩短，不再是两个任务的时间总和",
    .run = claim_two_downloads,
};

const struct ptc_claim ptc_claim_04 = {
    .id = "04",
    .timing = true,
    .seed = "004",
    .claim = "Pool(5).map over [1..6] with 1 s tasks: 6 s in sequence, 2 s in the pool, results "
             "[1, 4, 9, 16, 25, 36] in input order",
    .original = "顺序执行时间: 6 / 并行执行时间: 2 / [1, 4, 9, 16, 25, 36]",
    .run = claim_pool_map,
};

const struct ptc_claim ptc_claim_05 = {
    .id = "05",
    .timing = true,
    .seed = "004",
    .claim = "Five threads of 1 s each, started and not joined, 'take 0 s'; joined, 1 s; in "
             "sequence, 5 s",
    .original = "耗时: 0 (多线程, 未 join) / 耗时: 5 (顺序执行)",
    .run = claim_five_threads,
};
