/* The verdict of a claim about durations: one rule for the C ledger and the Python reference.
 *
 * A tutorial's duration is a wall time that also pays a fixed cost (starting a pool, a process,
 * a thread) which does not shrink with --time-scale, while the tolerance does. At a small scale
 * the fixed cost alone can exceed the tolerance and "refute" a claim that holds; at another the
 * same claim is reproduced. So each duration is judged beside its fixed overhead, measured in the
 * same run as the same scenario with empty tasks. Given a duration's measured and expected wall
 * time, its overhead and its tolerance (tolerance * expected + slack), the duration is
 *   - not judged, when its overhead exceeds its tolerance (whatever it measured: the figure is
 *     the overhead's as much as the mechanism's), or when it is slow by more than its tolerance
 *     but by no more than its tolerance plus its overhead (the overhead can account for the miss);
 *   - a miss, when it is off by more than that: faster than expected by more than its tolerance
 *     (an overhead only adds time), or slower by more than its tolerance plus its overhead;
 *   - a hit otherwise (within its tolerance).
 * The claim is refuted when a part of it that does not depend on time fails (an order, a result)
 * or when a duration is a miss; otherwise "not judged at this scale" when a duration is not
 * judged; otherwise reproduced. A miss the overhead cannot explain is refuted at any scale. No
 * figure is corrected and no duration passes outside its tolerance. scripts/python/claims.py
 * (judge) mirrors this rule; tests/data/verdicts.csv holds cases that both must decide alike. */
#ifndef PTC_CLAIMS_VERDICT_H
#define PTC_CLAIMS_VERDICT_H

#include "claims/claim.h"

#include <stdbool.h>
#include <stddef.h>

struct ptc_duration_check {
    const char *what;   /* names the scenario in texts, e.g. "procpool W=5"; not owned */
    double measured_ns; /* its wall time in this run */
    double expected_ns; /* what the tutorial says, at this time scale */
    double overhead_ns; /* the same scenario with empty tasks, in this run */
};

/* tolerance * expected_ns + slack_ns: how far a duration may be from what is expected. */
double ptc_tolerance_ns(double expected_ns, double tolerance, double slack_ns);

/* One duration by the rule above: PTC_REPRODUCED a hit, PTC_REFUTED a miss, PTC_NOT_JUDGED not
 * judged. A pure function. */
enum ptc_verdict ptc_judge_duration(const struct ptc_duration_check *c, double tolerance,
                                    double slack_ns);

/* The claim by the rule above, on n durations; a pure function. others_hold: the claim's parts
 * that are not durations hold (true when it has none). */
enum ptc_verdict ptc_judge_durations(bool others_hold, const struct ptc_duration_check *checks,
                                     size_t n, double tolerance, double slack_ns);

/* Sets r->verdict by ptc_judge_durations and r->reason: reproduced_why, refuted_why, or for "not
 * judged at this scale" the figures of each duration not judged (its overhead, its tolerance, how
 * far off it was) and the time scale. Also appends every overhead to r->measured. The strings
 * are copied. */
void ptc_claim_judge(struct ptc_claim_result *r, double time_scale, bool others_hold,
                     const struct ptc_duration_check *checks, size_t n, double tolerance,
                     double slack_ns, const char *reproduced_why, const char *refuted_why);

#endif
