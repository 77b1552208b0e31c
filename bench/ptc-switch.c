/* ptc-switch: the round trip between two units of execution that take turns: processes over a
 * pipe, threads over a futex and over a mutex + condition variable, coroutines through the
 * scheduler (a yield each), and the bare context-switch backends under the scheduler. Processes
 * and threads are measured with both sides on one CPU, on two CPUs, or unpinned (--placement). */
#include "micro/entry.h"

#define PROG "ptc-switch"

int main(int argc, char **argv) {
    size_t n_entries;
    const struct ptc_micro_entry *entries = ptc_switch_entries(&n_entries);
    static const uint64_t default_n[] = {20000};
    struct ptc_micro_cli cli = {
        .program = PROG,
        .usage = "Round trip between two units taking turns (A hands over to B, B back to A), in\n"
                 "ns; a switch is half of it. A sample makes n round trips between processes or\n"
                 "threads, n x 1000 between fcontext coroutines, n x 20 with ucontext.\n"
                 "Processes and threads run once per --placement; coroutines on one thread.",
        .default_repeat = 5,
        .default_n = default_n,
        .n_default_n = 1,
        .max_n = 10000000,
    };
    return ptc_micro_entries_main(entries, n_entries, cli, argc, argv, "switch",
                                  "ns_per_round_trip");
}
