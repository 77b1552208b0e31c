#include "claims/claim.h"

#include "core/registry.h"
#include "core/verdicts.h"

extern const struct ptc_claim ptc_claim_01, ptc_claim_02, ptc_claim_03, ptc_claim_04, ptc_claim_05,
    ptc_claim_06, ptc_claim_07, ptc_claim_08, ptc_claim_09, ptc_claim_10, ptc_claim_11,
    ptc_claim_12, ptc_claim_13, ptc_claim_14, ptc_claim_15, ptc_claim_16;

static const struct ptc_claim *const claims[] = {
    &ptc_claim_01, &ptc_claim_02, &ptc_claim_03, &ptc_claim_04, &ptc_claim_05, &ptc_claim_06,
    &ptc_claim_07, &ptc_claim_08, &ptc_claim_09, &ptc_claim_10, &ptc_claim_11, &ptc_claim_12,
    &ptc_claim_13, &ptc_claim_14, &ptc_claim_15, &ptc_claim_16,
};
#define N_CLAIMS (sizeof claims / sizeof claims[0])

const struct ptc_claim *const *ptc_claims_all(size_t *n) {
    *n = N_CLAIMS;
    return claims;
}

const struct ptc_claim *ptc_claim_find(const char *id) {
    return ptc_registry_find((const void *const *)claims, N_CLAIMS, id);
}

void ptc_claim_ids(char *buf, size_t size) {
    ptc_registry_names((const void *const *)claims, N_CLAIMS, buf, size);
}

const char *ptc_verdict_name(enum ptc_verdict v) {
    return ptc_verdict_names[v];
}
