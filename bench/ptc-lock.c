/* ptc-lock: shared state between threads: the tutorials' deposits and balance under a mutex and
 * unprotected, and one increment of a shared counter by 1 to 8 threads under a mutex, a
 * spinlock, an atomic fetch_add and unprotected (src/micro/lock.c). */
#include "micro/bench.h"

int main(int argc, char **argv) {
    return ptc_micro_bench_main(&ptc_micro_lock, argc, argv);
}
