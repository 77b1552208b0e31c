/* Running one scenario of a claim: a model on a workload, once, with the results kept. */
#ifndef PTC_CLAIMS_SCENARIO_H
#define PTC_CLAIMS_SCENARIO_H

#include "claims/claim.h"
#include "runner/measure.h"

struct ptc_scenario {
    struct ptc_workload_state st;
    struct ptc_task_result *results; /* [st.p.tasks] */
    struct ptc_run_record rec;
};

/* Sets up wl with p, runs model m with W = workers once, verifies every task, and writes the
 * tasks to ctx->timeline under claim_id when it is not NULL. Returns 0 or a negative errno (the
 * scenario could not run, or a task failed). Free with ptc_scenario_free. */
int ptc_scenario_run(const struct ptc_claim_ctx *ctx, const char *claim_id,
                     const struct ptc_model *m, const struct ptc_workload *wl,
                     const struct ptc_workload_params *p, uint32_t workers,
                     struct ptc_scenario *sc);
void ptc_scenario_free(struct ptc_scenario *sc);

/* The fixed cost of model m with W = workers running `tasks` empty tasks (the noop workload):
 * start-up, dispatch and teardown, what a scenario pays whatever its durations. Runs it once
 * (not counted), then PTC_OVERHEAD_RUNS times, and stores the largest wall time in *overhead_ns
 * (see claims/verdict.h); writes no timeline. Returns 0 or a negative errno. */
#define PTC_OVERHEAD_RUNS 3
int ptc_scenario_overhead(const struct ptc_claim_ctx *ctx, const struct ptc_model *m,
                          uint32_t tasks, uint32_t workers, ptc_ns *overhead_ns);

/* The wall time of n tasks of the given durations on a pool of w workers that hands the next task
 * to the first free worker, in order (list scheduling: what multiprocessing.Pool does). */
ptc_ns ptc_pool_makespan_ns(const ptc_ns *durations, uint32_t n, uint32_t w);

/* The tolerance of the tutorials' durations (claims/verdict.h): 5 % of the expected time, plus
 * 2 ms for process and thread start-up, which stays fixed whatever the time scale. */
#define PTC_CLAIM_TOLERANCE 0.05
#define PTC_CLAIM_SLACK_NS  (2 * PTC_NS_PER_MS)

/* |measured - expected| <= tolerance * expected + slack_ns. */
int ptc_within(double measured_ns, double expected_ns, double tolerance, double slack_ns);

/* Seconds with 3 decimals, for the ledger's texts. */
double ptc_s(ptc_ns ns);

#endif
