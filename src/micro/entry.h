/* Microbenchmark entries: one measured mechanism each, run n times per sample. The programs
 * (ptc-spawn, ptc-switch) and the claims ledger share them. */
#ifndef PTC_MICRO_ENTRY_H
#define PTC_MICRO_ENTRY_H

#include "runner/micro.h"
#include "runner/micro_cli.h"

#include <stddef.h>
#include <stdint.h>

/* Runs the mechanism n times; returns the elapsed ns, or a negative errno. */
typedef int64_t (*ptc_micro_fn)(uint64_t n, const void *arg);

struct ptc_micro_entry {
    const char *name; /* first member: see core/registry.h; what --only takes */
    const char *mechanism, *variant;
    ptc_micro_fn fn;
    const void *arg;
    int pin;          /* 1: run with every participant on CPU 0 */
    uint64_t n_scale; /* cheap mechanisms run n x this per sample, for the clock to see them */
};

/* create + run to completion + reclaim: fork, posix_spawn, pthread, coroutines (spawn.c). */
const struct ptc_micro_entry *ptc_spawn_entries(size_t *n);
/* round trips between two units taking turns: pipe, futex, condvar, coroutines (switch.c). */
const struct ptc_micro_entry *ptc_switch_entries(size_t *n);

/* The entry called name in entries[n], or NULL. */
const struct ptc_micro_entry *ptc_micro_entry_find(const struct ptc_micro_entry *entries, size_t n,
                                                   const char *name);

/* Runs one entry once with n x its scale, pinned as it asks; returns ns per unit (elapsed / n'),
 * or a negative errno. Restores the CPU affinity it found. */
double ptc_micro_entry_ns_per_unit(const struct ptc_micro_entry *e, uint64_t n);

/* Runs every entry selected by o (--only), o->repeat samples for each size in o->n, samples
 * interleaved across entries so drift hits them alike, and writes one row per entry and size:
 * metric = the median of elapsed / (n x scale), in ns. Returns 0, or 1 when an entry failed
 * (its row then says why). */
int ptc_micro_sample(const struct ptc_micro_entry *entries, size_t n_entries,
                     const struct ptc_micro_opts *o, struct ptc_micro_out *out,
                     const char *benchmark, const char *metric);

/* The whole main of a microbenchmark that is a table of entries: cli (its only_names filled in
 * from the entries' names), the timer slack at its minimum, ptc_micro_sample, and the exit
 * status of ptc_micro_finish (or of the option parsing). */
int ptc_micro_entries_main(const struct ptc_micro_entry *entries, size_t n_entries,
                           struct ptc_micro_cli cli, int argc, char **argv, const char *benchmark,
                           const char *metric);

#endif
