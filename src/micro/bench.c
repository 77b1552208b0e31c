#include "micro/bench.h"

int ptc_micro_bench_main(const struct ptc_micro_bench *b, int argc, char **argv) {
    struct ptc_micro_opts o;
    struct ptc_micro_out out;
    int st = ptc_micro_start(&b->cli, argc, argv, &o, &out);
    if (st >= 0)
        return st;
    st = b->run(&o, &out);
    if (st == 2) {
        ptc_micro_abort(&out);
        ptc_micro_opts_free(&o);
        return 2;
    }
    return ptc_micro_finish(&o, &out, st);
}
