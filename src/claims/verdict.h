/* The verdict of a claim about durations: one rule for the C ledger and the Python reference.
 *
 * A tutorial's duration is a wall time that also pays a fixed cost (starting a pool, a process,
 * a thread) which does not shrink with --time-scale, while the tolerance does. At a small scale
 * the fixed cost alone can exceed the tolerance and "refute" a claim that holds; at another the
 * same claim is reproduced. So each duration is judged beside its fixed overhead, measured in the
 * same run as the same scenario with empty tasks. The rule, given for each duration its measured
 * and expected wall time, its overhead, and its tolerance = tolerance * expected + slack:
 *   1. refuted, when a part of the claim that does not depend on time fails (an order, a result),
 *      or when a duration whose overhead is within its tolerance is off by more than it;
 *   2. otherwise "not judged at this scale", when some duration's overhead exceeds its tolerance
 *      (whatever it measured: the figure would be the overhead's as much as the mechanism's);
 *   3. otherwise reproduced.
 * No overhead is ever subtracted and no tolerance is widened. scripts/python/claims.py (judge)
 * mirrors this rule; tests/data/verdicts.csv holds cases that both must decide alike. */
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

/* The rule above, on n checks; a pure function. others_hold: the claim's parts that are not
 * durations hold (true when it has none). */
enum ptc_verdict ptc_judge_durations(bool others_hold, const struct ptc_duration_check *checks,
                                     size_t n, double tolerance, double slack_ns);

/* Sets r->verdict by ptc_judge_durations and r->reason: reproduced_why, refuted_why, or for "not
 * judged at this scale" the figures (each overhead against its tolerance, the time scale). Also
 * appends every overhead to r->measured. The strings are copied. */
void ptc_claim_judge(struct ptc_claim_result *r, double time_scale, bool others_hold,
                     const struct ptc_duration_check *checks, size_t n, double tolerance,
                     double slack_ns, const char *reproduced_why, const char *refuted_why);

#endif
