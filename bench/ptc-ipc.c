/* ptc-ipc: messages between two units of execution, throughput one way and the round trip, over
 * a pipe, a socketpair and a shared-memory ring between processes, a condvar queue between
 * threads and a channel between coroutines (src/micro/ipc.c). */
#include "micro/bench.h"

int main(int argc, char **argv) {
    return ptc_micro_bench_main(&ptc_micro_ipc, argc, argv);
}
