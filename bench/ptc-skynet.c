/* ptc-skynet: the skynet benchmark, a tree of 10^6 leaf coroutines spawned 10 at a time, the
 * root's sum checked (src/micro/skynet.c). */
#include "micro/bench.h"

int main(int argc, char **argv) {
    return ptc_micro_bench_main(&ptc_micro_skynet, argc, argv);
}
