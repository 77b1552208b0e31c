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

const struct ptc_claim ptc_claim_06 = {
    .id = "06",
    .seed = "000",
    .claim = "100 threads each depositing 1 with a 10 ms pause in the critical section: with the "
             "lock the balance is 100 (about 1 s, serialised); without it updates are lost",
    .original = "不加锁的话，最终余额可能不是100",
    .run = not_yet,
};

const struct ptc_claim ptc_claim_07 = {
    .id = "07",
    .seed = "003",
    .claim = "Two threads running balance += n; balance -= n 100,000 times each: without a lock "
             "the balance drifts from 0; with it, 0",
    .original = "如果我们要确保balance计算正确，就要给change_it()上一把锁",
    .run = not_yet,
};

const struct ptc_claim ptc_claim_09 = {
    .id = "09",
    .seed = "001",
    .claim = "A thread-local variable holds a separate value per thread",
    .original = "ThreadLocal",
    .run = not_yet,
};
