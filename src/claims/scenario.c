#include "claims/scenario.h"

#include "runner/timeline.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int ptc_scenario_run(const struct ptc_claim_ctx *ctx, const char *claim_id,
                     const struct ptc_model *m, const struct ptc_workload *wl,
                     const struct ptc_workload_params *p, uint32_t workers,
                     struct ptc_scenario *sc) {
    memset(sc, 0, sizeof *sc);
    char err[256];
    int rc = ptc_workload_init(&sc->st, wl, p, err, sizeof err);
    if (rc < 0)
        return rc;
    sc->results = ptc_results_alloc(p->tasks);
    if (sc->results == NULL) {
        ptc_workload_fini(&sc->st);
        return -ENOMEM;
    }
    rc = ptc_measure_run(m, &sc->st, workers, ctx->cpus, sc->results, &sc->rec);
    if (rc == 0 && sc->rec.run_error != 0)
        rc = sc->rec.run_error;
    if (rc == 0 && sc->rec.tasks_ok != p->tasks)
        rc = -EBADMSG;
    if (rc == 0 && ctx->timeline != NULL) {
        const struct ptc_timeline_run run = {.workload = wl->name,
                                             .model = m->name,
                                             .workers = workers,
                                             .tasks = p->tasks,
                                             .claim = claim_id,
                                             .machine = ctx->machine};
        ptc_timeline_tasks(ctx->timeline, &run, sc->results, sc->rec.run_start_ns);
    }
    if (rc < 0)
        ptc_scenario_free(sc);
    return rc;
}

void ptc_scenario_free(struct ptc_scenario *sc) {
    if (sc->results != NULL)
        ptc_results_free(sc->results, sc->st.p.tasks);
    if (sc->st.wl != NULL)
        ptc_workload_fini(&sc->st);
    memset(sc, 0, sizeof *sc);
}

int ptc_scenario_overhead(const struct ptc_claim_ctx *ctx, const struct ptc_model *m,
                          uint32_t tasks, uint32_t workers, ptc_ns *overhead_ns) {
    struct ptc_claim_ctx quiet = *ctx;
    quiet.timeline = NULL;
    struct ptc_workload_params p = {.tasks = tasks, .seed = ctx->seed};
    *overhead_ns = 0;
    /* The first run pays what only a first run does (lazy binding, a runtime's one-time set-up),
     * which the claim's own run, coming later, does not: it is not counted. Then the largest of a
     * few runs: a verdict of refuted must not rest on an overhead caught at a quiet moment while
     * the timed run paid more. */
    for (int i = 0; i <= PTC_OVERHEAD_RUNS; i++) {
        struct ptc_scenario sc;
        int rc = ptc_scenario_run(&quiet, "", m, ptc_workload_find("noop"), &p, workers, &sc);
        if (rc < 0)
            return rc;
        if (i > 0 && sc.rec.wall_ns > *overhead_ns)
            *overhead_ns = sc.rec.wall_ns;
        ptc_scenario_free(&sc);
    }
    return 0;
}

ptc_ns ptc_pool_makespan_ns(const ptc_ns *durations, uint32_t n, uint32_t w) {
    ptc_ns *free_at = calloc(w ? w : 1, sizeof *free_at), end = 0;
    if (free_at == NULL)
        return 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t first = 0;
        for (uint32_t k = 1; k < w; k++)
            if (free_at[k] < free_at[first])
                first = k;
        free_at[first] += durations[i];
        if (free_at[first] > end)
            end = free_at[first];
    }
    free(free_at);
    return end;
}

int ptc_within(double measured_ns, double expected_ns, double tolerance, double slack_ns) {
    return fabs(measured_ns - expected_ns) <= tolerance * expected_ns + slack_ns;
}

double ptc_s(ptc_ns ns) {
    return (double)ns / 1e9;
}
