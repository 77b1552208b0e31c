/* Placement of the two sides of a round trip or of a spawn (a parent and its child): both on one
 * CPU, each on its own CPU, or wherever the scheduler puts them. On a virtual machine whose idle
 * CPU halts, a wake-up across CPUs costs tens of microseconds and one on the same CPU a few, so
 * an unpinned figure is whichever the scheduler chose: the placement is a parameter, and each
 * side records the CPUs it actually ran on (sched_getcpu). Side 0 is the one that measures (the
 * parent, the main thread); side 1 its partner or child. */
#ifndef PTC_CORE_AFFINITY_H
#define PTC_CORE_AFFINITY_H

#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>

enum ptc_placement {
    PTC_PLACE_SAME_CPU,  /* both sides pinned to the first CPU this process may use */
    PTC_PLACE_CROSS_CPU, /* side 0 on the first CPU, side 1 on the second */
    PTC_PLACE_UNPINNED,  /* no pinning: the scheduler decides */
    PTC_PLACE_COUNT
};

/* Bit masks of placements (1u << p). The default measures the pinned ones. */
#define PTC_PLACE_MASK(p) (1u << (p))
#define PTC_PLACEMENT_DEFAULT                                                                      \
    (PTC_PLACE_MASK(PTC_PLACE_SAME_CPU) | PTC_PLACE_MASK(PTC_PLACE_CROSS_CPU))

/* Room for the CPUs seen over a row's samples: "0/1 " each, 50 samples on 2 CPUs. */
#define PTC_CPUS_SEEN_BYTES 256

/* What ptc_place_run returns when the placement cannot be made here (cross-cpu when this
 * process may run on one CPU only): the row is skipped, not failed. */
#define PTC_PLACE_SKIPPED (-EOPNOTSUPP)

/* "same-cpu", "cross-cpu", "unpinned"; NULL out of range. */
const char *ptc_placement_name(enum ptc_placement p);

/* "same-cpu, cross-cpu, unpinned" into buf (for --help and errors). */
void ptc_placement_names(char *buf, size_t size);

/* Parses "NAME[,NAME...]" into a mask of PTC_PLACE_MASK bits. Returns 0, or -EINVAL for an
 * unknown or empty name or -ENOMEM (*mask untouched). */
int ptc_placement_parse(const char *list, unsigned *mask);

/* The CPUs each side was seen on: bit c of seen[side] for CPU c (CPUs 63 and up share bit 63).
 * Lives in shared memory, so forked children write to it as threads do. */
struct ptc_cpu_seen {
    uint64_t mask[2];
};

/* One placement being run: handed to the measured function. */
struct ptc_place {
    enum ptc_placement placement;
    int cpu[2];                /* the CPU of each side, -1 when not pinned */
    struct ptc_cpu_seen *seen; /* MAP_SHARED, written by ptc_place_note */
};

/* In side 1 (a new thread or a forked child of side 0), first: moves the calling thread to
 * side 1's CPU when that differs from side 0's, which it inherited; otherwise does nothing.
 * Returns 0 or a negative errno. Thread-safe and async-signal-safe. */
int ptc_place_partner(const struct ptc_place *pl);

/* Records the CPU the calling thread runs on now as one seen by `side` (0 or 1). pl may be NULL
 * (nothing is recorded). Costs a few ns (no system call where glibc has rseq); call it at the
 * edges of a timed loop, not in it. Thread-safe and async-signal-safe. */
void ptc_place_note(const struct ptc_place *pl, int side);

/* The function ptc_place_run measures: returns elapsed ns or a negative errno. */
typedef int64_t (*ptc_placed_fn)(const struct ptc_place *pl, void *arg);

/* Runs fn(pl, arg) with the calling thread (side 0) pinned as placement p asks, restores the
 * calling thread's CPU affinity afterwards, and appends to cpus_seen (a string of cpus_size
 * bytes, NUL-terminated, may be NULL) " " when not empty, then "S0/S1" with the CPUs each side
 * noted, comma-separated ("0/1", "0,1/0", "-" for none). Returns what fn returns, PTC_PLACE_SKIPPED
 * when the placement needs more CPUs than the calling thread may use, or another negative errno. */
int64_t ptc_place_run(enum ptc_placement p, ptc_placed_fn fn, void *arg, char *cpus_seen,
                      size_t cpus_size);

#endif
