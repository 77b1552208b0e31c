#include "claims/verdict.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double ptc_tolerance_ns(double expected_ns, double tolerance, double slack_ns) {
    return tolerance * expected_ns + slack_ns;
}

static bool judged(const struct ptc_duration_check *c, double tolerance, double slack_ns) {
    return c->overhead_ns <= ptc_tolerance_ns(c->expected_ns, tolerance, slack_ns);
}

enum ptc_verdict ptc_judge_durations(bool others_hold, const struct ptc_duration_check *checks,
                                     size_t n, double tolerance, double slack_ns) {
    bool unjudged = false;
    /* A miss that the overhead cannot explain refutes the claim even when another duration is
     * not judged: the scale is not why it failed. */
    for (size_t i = 0; i < n; i++) {
        double tol_ns = ptc_tolerance_ns(checks[i].expected_ns, tolerance, slack_ns);
        if (!judged(&checks[i], tolerance, slack_ns))
            unjudged = true;
        else if (fabs(checks[i].measured_ns - checks[i].expected_ns) > tol_ns)
            others_hold = false;
    }
    return !others_hold ? PTC_REFUTED : unjudged ? PTC_NOT_JUDGED : PTC_REPRODUCED;
}

/* Appends printf-style text to buf, never past its end. */
#define APPEND(buf, ...) snprintf((buf) + strlen(buf), sizeof(buf) - strlen(buf), __VA_ARGS__)

void ptc_claim_judge(struct ptc_claim_result *r, double time_scale, bool others_hold,
                     const struct ptc_duration_check *checks, size_t n, double tolerance,
                     double slack_ns, const char *reproduced_why, const char *refuted_why) {
    r->verdict = ptc_judge_durations(others_hold, checks, n, tolerance, slack_ns);
    APPEND(r->measured, "; fixed overhead (empty tasks):");
    for (size_t i = 0; i < n; i++)
        APPEND(r->measured, "%s %s %.4f s", i ? "," : "", checks[i].what,
               checks[i].overhead_ns / 1e9);
    if (r->verdict != PTC_NOT_JUDGED) {
        snprintf(r->reason, sizeof r->reason, "%s",
                 r->verdict == PTC_REPRODUCED ? reproduced_why : refuted_why);
        return;
    }
    snprintf(r->reason, sizeof r->reason,
             "the fixed overhead exceeds the tolerance at time scale %g:", time_scale);
    const char *sep = "";
    for (size_t i = 0; i < n; i++) {
        if (judged(&checks[i], tolerance, slack_ns))
            continue;
        APPEND(r->reason, "%s %s %.4f s > %.4f s", sep, checks[i].what, checks[i].overhead_ns / 1e9,
               ptc_tolerance_ns(checks[i].expected_ns, tolerance, slack_ns) / 1e9);
        sep = ";";
    }
}
