/* ptc-claims: runs the claims ledger (src/claims/) and writes claims.csv, claims.md (the table a
 * person reads first) and claims-timeline.csv (task starts and ends of the scenarios where order
 * matters). A refuted claim is a result: the exit status says whether the scenarios ran. */
#include "claims/ledger.h"

#ifndef PTC_SOURCE_DIR
#define PTC_SOURCE_DIR "."
#endif

int main(int argc, char **argv) {
    struct ptc_claims_opts o;
    ptc_claims_opts_init(&o, PTC_SOURCE_DIR "/scripts/python/claims.py");
    int st = ptc_claims_parse(&o, argc, argv);
    if (st < 0)
        st = ptc_claims_run(&o);
    ptc_claims_opts_free(&o);
    return st;
}
