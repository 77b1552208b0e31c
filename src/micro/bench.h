/* The microbenchmark programs whose measurement is more than a table of entries (micro/entry.h):
 * ptc-lock, ptc-ipc, ptc-skynet, ptc-mem. Each is a descriptor here, its measurement in its own
 * file of src/micro/, and its program one call: ptc_micro_bench_main(&ptc_micro_lock, ...). */
#ifndef PTC_MICRO_BENCH_H
#define PTC_MICRO_BENCH_H

#include "runner/micro.h"
#include "runner/micro_cli.h"

struct ptc_micro_bench {
    struct ptc_micro_cli cli; /* the program's name, --help text, defaults and --only names */
    /* Runs what o selects and writes its rows to out. Returns 0, 1 when a figure failed (its row
     * says why), or 2 for bad usage found after parsing (its one-line message printed). */
    int (*run)(const struct ptc_micro_opts *o, struct ptc_micro_out *out);
};

/* shared state between threads: the tutorials' deposits and balance, and increments (lock.c) */
extern const struct ptc_micro_bench ptc_micro_lock;
/* messages between two units: pipe, socketpair, shm ring, condvar queue, coroutines (ipc.c) */
extern const struct ptc_micro_bench ptc_micro_ipc;
/* the skynet tree of 10^6 coroutines (skynet.c) */
extern const struct ptc_micro_bench ptc_micro_skynet;
/* memory per unit with N units alive (mem_bench.c, over mem.c) */
extern const struct ptc_micro_bench ptc_micro_mem;

/* The whole main of such a program: the command line (ptc_micro_start), b->run, and the CSV
 * renamed into place (or removed after bad usage). Returns the exit status. */
int ptc_micro_bench_main(const struct ptc_micro_bench *b, int argc, char **argv);

#endif
