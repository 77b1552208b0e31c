/* ptc-spawn: what it costs to create a unit of execution, run it to completion and reclaim it:
 * fork + wait, posix_spawn + wait, pthread_create + join, and a coroutine (fcontext and
 * ucontext, stacks pooled or mapped per coroutine). Processes and threads run once per
 * --placement: the child on its parent's CPU, on another CPU, or where the scheduler puts it. */
#include "micro/entry.h"

#define PROG "ptc-spawn"

int main(int argc, char **argv) {
    size_t n_entries;
    const struct ptc_micro_entry *entries = ptc_spawn_entries(&n_entries);
    static const uint64_t default_n[] = {500};
    struct ptc_micro_cli cli = {
        .program = PROG,
        .usage = "Cost per unit of create + run to completion + reclaim, in ns per unit.\n"
                 "A sample creates n processes or threads, n x 1000 coroutines one by one\n"
                 "(x 100 all-then-run and ucontext, x 10 unpooled): --n sets n.",
        .default_repeat = 5,
        .default_n = default_n,
        .n_default_n = 1,
        .max_n = 100000,
    };
    return ptc_micro_entries_main(entries, n_entries, cli, argc, argv, "spawn", "ns_per_unit");
}
