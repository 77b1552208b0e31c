/* Microbenchmark entries: one measured mechanism each, run n times per sample. The programs
 * (ptc-spawn, ptc-switch) and the claims ledger share them. */
#ifndef PTC_MICRO_ENTRY_H
#define PTC_MICRO_ENTRY_H

#include "core/affinity.h"
#include "runner/micro.h"
#include "runner/micro_cli.h"

#include <stddef.h>
#include <stdint.h>

/* Runs the mechanism n times; returns the elapsed ns, or a negative errno. arg: the entry's arg,
 * or for a placed entry the const struct ptc_place * of the placement being measured
 * (core/affinity.h: side 1 calls ptc_place_partner first, and both sides ptc_place_note). */
typedef int64_t (*ptc_micro_fn)(uint64_t n, const void *arg);

struct ptc_micro_entry {
    const char *name; /* first member: see core/registry.h; what --only takes */
    const char *mechanism, *variant;
    ptc_micro_fn fn;
    const void *arg;
    int placed;       /* 1: two sides whose CPUs matter, one row per --placement; arg NULL */
    uint64_t n_scale; /* cheap mechanisms run n x this per sample, for the clock to see them */
};

/* create + run to completion + reclaim: fork, posix_spawn, pthread, coroutines (spawn.c). */
const struct ptc_micro_entry *ptc_spawn_entries(size_t *n);
/* round trips between two units taking turns: pipe, futex, condvar, coroutines (switch.c). */
const struct ptc_micro_entry *ptc_switch_entries(size_t *n);

/* The entry called name in entries[n], or NULL. */
const struct ptc_micro_entry *ptc_micro_entry_find(const struct ptc_micro_entry *entries, size_t n,
                                                   const char *name);

/* Runs one entry once with n x its scale; returns ns per unit (elapsed / n'), or a negative
 * errno (PTC_PLACE_SKIPPED: the placement cannot be made here). A placed entry runs with
 * placement p (restoring the CPU affinity it found) and appends the CPUs each side was seen on to
 * cpus_seen (cpus_size bytes, may be NULL: see ptc_place_run); others ignore p. */
double ptc_micro_entry_ns_per_unit(const struct ptc_micro_entry *e, uint64_t n,
                                   enum ptc_placement p, char *cpus_seen, size_t cpus_size);

/* Runs every entry selected by o (--only), o->repeat samples for each size in o->n, samples
 * interleaved across entries so drift hits them alike, and writes one row per entry, size and
 * placement (o->placements, for placed entries; one row for the others): metric = the median of
 * elapsed / (n x scale), in ns. Returns 0, or 1 when an entry failed
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
