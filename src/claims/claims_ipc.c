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

const struct ptc_claim ptc_claim_08 = {
    .id = "08",
    .seed = "000, 004",
    .claim = "Processes do not share globals: a change in a child is invisible to the parent and "
             "its siblings",
    .original = "进程之间不共享全局变量",
    .run = not_yet,
};

const struct ptc_claim ptc_claim_10 = {
    .id = "10",
    .seed = "002, 004",
    .claim = "A bounded queue of 3: the 4th put blocks, a put with a 2 s timeout fails after 2 s, "
             "a non-blocking put fails at once; get on an empty queue likewise",
    .original = "第一个 try 会等待 2 秒后再抛出异常，第二个Try 会立刻抛出异常",
    .run = not_yet,
};

const struct ptc_claim ptc_claim_11 = {
    .id = "11",
    .seed = "002",
    .claim = "A duplex pipe carries messages both ways; reading a closed pipe reports end-of-file",
    .original = "Pipe",
    .run = not_yet,
};

const struct ptc_claim ptc_claim_16 = {
    .id = "16",
    .seed = "001, 003",
    .claim = "A reader process in an endless loop must be terminated; terminating it loses nothing "
             "already read and leaves no zombie",
    .original = "pr进程里是死循环，无法等待其结束，只能强行终止",
    .run = not_yet,
};
