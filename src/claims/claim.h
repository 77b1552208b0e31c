/* The claims ledger: each claim of the tutorials in ../shared/seeds, the scenario that puts it to
 * the test through the library's models and workloads, what the tutorial expects, what was
 * measured, and a verdict. One file per group of related claims; the registry in registry.c.
 * A refuted claim is a result, not an error: run() fails only when the scenario could not run. */
#ifndef PTC_CLAIMS_CLAIM_H
#define PTC_CLAIMS_CLAIM_H

#include "core/clock.h"
#include "core/csv.h"

#include <stdbool.h>
#include <stddef.h>

/* PTC_NOT_JUDGED: a fixed overhead exceeds the tolerance at this time scale (claims/verdict.h). */
enum ptc_verdict { PTC_REPRODUCED, PTC_REFUTED, PTC_NOT_APPLICABLE, PTC_NOT_JUDGED };

struct ptc_machine;

struct ptc_claim_ctx {
    double time_scale;                 /* every tutorial sleep is multiplied by this */
    long cpus;                         /* online CPUs */
    uint64_t seed;                     /* every random choice derives from it */
    struct ptc_csv_writer *timeline;   /* runner/timeline.h rows; NULL when not asked for */
    const struct ptc_machine *machine; /* the timeline rows' machine */
};

struct ptc_claim_result {
    enum ptc_verdict verdict;
    char expected[256];                    /* what the tutorial expects, with the tolerance */
    char measured[512];                    /* what this run measured */
    char reason[256];                      /* why the verdict (or why not applicable) */
    double expected_value, measured_value; /* the main figure, for the chart; NaN if none */
    const char *unit;                      /* of the two values, e.g. "s" */
};

struct ptc_claim {
    const char *id;       /* first member: see core/registry.h */
    const char *seed;     /* the seed file(s) it comes from, e.g. "000" */
    const char *claim;    /* the claim in English */
    const char *original; /* the tutorial's own sentence */
    /* true: judged on durations against a tolerance (claims/verdict.h), so it runs at the time
     * scale asked for; false: judged on orders, counts or ratios, which any scale shows, so a
     * quick run may shrink it further (ptc-claims --untimed-scale). */
    bool timing;
    /* Runs the scenario and fills *r. Returns 0, or a negative errno when it could not run. */
    int (*run)(const struct ptc_claim_ctx *ctx, struct ptc_claim_result *r);
};

const struct ptc_claim *const *ptc_claims_all(size_t *n);
const struct ptc_claim *ptc_claim_find(const char *id);
void ptc_claim_ids(char *buf, size_t size);

/* "reproduced", "refuted", "not applicable here", "not judged at this scale". */
const char *ptc_verdict_name(enum ptc_verdict v);

#endif
