#include "claims/verdict.h"

#include <stdio.h>
#include <string.h>

double ptc_tolerance_ns(double expected_ns, double tolerance, double slack_ns) {
    return tolerance * expected_ns + slack_ns;
}

enum ptc_verdict ptc_judge_duration(const struct ptc_duration_check *c, double tolerance,
                                    double slack_ns) {
    double tol_ns = ptc_tolerance_ns(c->expected_ns, tolerance, slack_ns);
    double off_ns = c->measured_ns - c->expected_ns;
    if (c->overhead_ns > tol_ns)
        return PTC_NOT_JUDGED;
    /* A fixed overhead only ever adds time: it can account for a slow figure, never a fast one. */
    if (off_ns < -tol_ns || off_ns > tol_ns + c->overhead_ns)
        return PTC_REFUTED;
    return off_ns > tol_ns ? PTC_NOT_JUDGED : PTC_REPRODUCED;
}

enum ptc_verdict ptc_judge_durations(bool others_hold, const struct ptc_duration_check *checks,
                                     size_t n, double tolerance, double slack_ns) {
    bool unjudged = false;
    /* A miss refutes the claim even when another duration is not judged: the scale is not why
     * it failed. */
    for (size_t i = 0; i < n; i++) {
        enum ptc_verdict v = ptc_judge_duration(&checks[i], tolerance, slack_ns);
        others_hold &= v != PTC_REFUTED;
        unjudged |= v == PTC_NOT_JUDGED;
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
             "at time scale %g a fixed overhead can account for the figure:", time_scale);
    const char *sep = "";
    for (size_t i = 0; i < n; i++) {
        const struct ptc_duration_check *c = &checks[i];
        if (ptc_judge_duration(c, tolerance, slack_ns) != PTC_NOT_JUDGED)
            continue;
        APPEND(r->reason, "%s %s overhead %.4f s, tolerance %.4f s, off by %+.4f s", sep, c->what,
               c->overhead_ns / 1e9, ptc_tolerance_ns(c->expected_ns, tolerance, slack_ns) / 1e9,
               (c->measured_ns - c->expected_ns) / 1e9);
        sep = ";";
    }
}
