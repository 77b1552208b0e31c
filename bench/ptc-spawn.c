/* ptc-spawn: what it costs to create a unit of execution, run it to completion and reclaim it:
 * fork + wait, posix_spawn + wait, pthread_create + join, and a coroutine (fcontext and
 * ucontext, stacks pooled or mapped per coroutine). */
#include "core/clock.h"
#include "micro/entry.h"

#include <stdio.h>
#include <string.h>

#define PROG "ptc-spawn"

int main(int argc, char **argv) {
    size_t n_entries;
    const struct ptc_micro_entry *entries = ptc_spawn_entries(&n_entries);
    const char *names[32] = {0};
    for (size_t i = 0; i < n_entries && i < 31; i++)
        names[i] = entries[i].name;
    static const uint64_t default_n[] = {500};
    const struct ptc_micro_cli cli = {
        .program = PROG,
        .usage = "Cost per unit of create + run to completion + reclaim, in ns per unit.\n"
                 "A sample creates n processes or threads, n x 1000 coroutines one by one\n"
                 "(x 100 all-then-run and ucontext, x 10 unpooled): --n sets n.",
        .only_names = names,
        .default_repeat = 5,
        .default_n = default_n,
        .n_default_n = 1,
        .max_n = 100000,
    };
    struct ptc_micro_opts o;
    struct ptc_micro_out out;
    int st = ptc_micro_start(&cli, argc, argv, &o, &out);
    if (st >= 0)
        return st;
    ptc_timer_slack_min();
    int failed = ptc_micro_sample(entries, n_entries, &o, &out, "spawn", "ns_per_unit");
    return ptc_micro_finish(&o, &out, failed);
}
