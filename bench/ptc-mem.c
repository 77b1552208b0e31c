/* ptc-mem: N units alive at once, each blocked, and what they cost: resident memory per unit and
 * the time to bring all N up, N swept (src/micro/mem_bench.c over src/micro/mem.c). */
#include "micro/bench.h"

int main(int argc, char **argv) {
    return ptc_micro_bench_main(&ptc_micro_mem, argc, argv);
}
