/* Claims not yet put to the test: each says so in the ledger (not applicable, with the reason)
 * until its scenario lands in this file. */
#include "claims/claim.h"

#include <stdio.h>

static int not_yet(const struct ptc_claim_ctx *ctx, struct ptc_claim_result *r) {
    snprintf(r->expected, sizeof r->expected, "see the claim");
    snprintf(r->measured, sizeof r->measured, "not measured");
    r->verdict = PTC_NOT_APPLICABLE;
    snprintf(r->reason, sizeof r->reason, "no scenario yet: open in the claims issue");
    return 0;
}

const struct ptc_claim ptc_claim_13 = {
    .id = "13",
    .seed = "002, 004",
    .claim = "Processes cost more to create and switch than threads, threads more than coroutines",
    .original = "协程比线程更轻量",
    .run = not_yet,
};

const struct ptc_claim ptc_claim_14 = {
    .id = "14",
    .seed = "004",
    .claim = "Threads use less memory than processes",
    .original = "线程比进程占用资源少",
    .run = not_yet,
};
