/* ptc-ipc: how fast messages go between two units of execution, and how long one takes there
 * and back. Throughput (MB/s and messages/s: one side sends, the other receives) and round-trip
 * latency (ns: a message there, the same message back) of
 *   processes:  a pipe, an AF_UNIX socketpair, a shared-memory ring;
 *   threads:    a queue under a mutex and two condition variables;
 *   coroutines: a channel between two coroutines of one scheduler
 * (the channels: micro/ipc.h). The message size is --n, in bytes, swept from 8 B to 64 KiB by
 * default. Processes and threads run once per --placement (core/affinity.h): both sides on one
 * CPU, one CPU each, or unpinned. */
#include "micro/ipc.h"
#include "micro/bench.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#define BUFFER_BYTES  (64 * 1024)
#define MAX_MSG_BYTES (1024 * 1024)
#define STREAM_BYTES  (32ULL << 20) /* a throughput sample sends about this much ... */
/* Samples of tens of ms: a 3-6 ms sample on this 2-CPU VM was hit by an interruption often
 * enough that 5 pinned samples spread by up to 1.36x. */
#define STREAM_MIN 4000 /* ... in at least this many messages and at most */
#define STREAM_MAX 40000
#define TRIP_BYTES (4ULL << 20) /* the same for the round trips */
#define TRIP_MIN   500
#define TRIP_MAX   4000
/* shm-ring: how long a side polls before it sleeps on a futex. About what a futex sleep and
 * wake-up cost on a virtual machine (tens of us when the wakee's CPU is idle); much shorter and
 * the partner falls asleep between two messages of a round trip. */
#define SPIN_NS (20 * PTC_NS_PER_US)

static size_t ring_cap(size_t msg_bytes) {
    size_t cap = BUFFER_BYTES;
    while (cap < 2 * msg_bytes)
        cap *= 2;
    return cap;
}

struct entry {
    const char *name;
    const char *mechanism, *variant;
    const struct ptc_ipc_ops *ops;
    uint64_t n_scale; /* coroutines are cheap: more messages per sample */
    int placed;       /* 1: two sides to place (--placement); 0: one thread */
};

static const struct entry entries[] = {
    {"pipe", "processes", "pipe", &ptc_ipc_pipe_ops, 1, 1},
    {"socketpair", "processes", "socketpair,unix", &ptc_ipc_socketpair_ops, 1, 1},
    {"shm-ring", "processes", "shm ring,spin+futex", &ptc_ipc_shm_ops, 1, 1},
    {"condvar-queue", "threads", "mutex+condvar queue", &ptc_ipc_condvar_ops, 1, 1},
    {"coro-channel", "coroutines", "channel,suspend+wake", &ptc_ipc_coro_ops, 10, 0},
};
#define N_ENTRIES (sizeof entries / sizeof entries[0])

static uint64_t clamp_count(uint64_t budget_bytes, size_t size, uint64_t lo, uint64_t hi) {
    uint64_t n = budget_bytes / size;
    return n < lo ? lo : n > hi ? hi : n;
}

/* One sample: count messages one way (round_trips 0) or count round trips. Returns the elapsed
 * ns or a negative errno; -EBADMSG when a message arrived wrong. */
static int64_t sample(const struct entry *e, size_t size, uint64_t count, int round_trips,
                      const struct ptc_place *pl) {
    /* Polling pays only while the partner runs on another CPU: with both sides pinned to one,
     * it only keeps the partner from running, and sleeping at once is what an adaptive lock
     * does when the holder is not running. */
    int one_cpu = pl != NULL && pl->cpu[0] >= 0 && pl->cpu[0] == pl->cpu[1];
    struct ptc_ipc_chan c = {.ops = e->ops,
                             .cap = ring_cap(size),
                             .rfd = {-1, -1},
                             .wfd = {-1, -1},
                             .spin_ns = one_cpu ? 0 : SPIN_NS};
    struct ptc_ipc_job j = {
        .c = &c, .size = size, .count = count, .round_trips = round_trips, .pl = pl};
    j.buf[0] = calloc(1, size);
    j.buf[1] = calloc(1, size);
    int64_t ns = j.buf[0] != NULL && j.buf[1] != NULL ? 0 : -ENOMEM;
    if (ns == 0 && (ns = e->ops->open(&c)) == 0) {
        ns = e->ops->run(&j);
        e->ops->close(&c);
    }
    free(j.buf[0]);
    free(j.buf[1]);
    return ns >= 0 && j.corrupt != 0 ? -EBADMSG : ns;
}

enum { M_MB, M_MSGS, M_RTT, N_METRICS };

/* One row to fill: an entry, and its placement when it is placed. */
struct slot {
    const struct entry *e;
    enum ptc_placement p;
    int64_t err;
    char cpus_seen[PTC_CPUS_SEEN_BYTES];
};

/* One sample of each kind, throughput then round trips, in one placement. */
struct pair {
    const struct entry *e;
    size_t size;
    uint64_t msgs, trips;
    int64_t stream_ns, trips_ns;
};

static int64_t sample_pair(const struct ptc_place *pl, void *arg) {
    struct pair *p = arg;
    p->stream_ns = sample(p->e, p->size, p->msgs, 0, pl);
    if (p->stream_ns > 0)
        p->trips_ns = sample(p->e, p->size, p->trips, 1, pl);
    int64_t ns = p->stream_ns > 0 ? p->trips_ns : p->stream_ns;
    return ns > 0 ? 0 : ns < 0 ? ns : -EIO;
}

static void report(struct ptc_micro_out *out, const struct slot *sl, uint64_t size,
                   double *samples[N_METRICS], uint64_t repeat) {
    static const char *const metrics[] = {"MB_per_s", "msgs_per_s", "ns_per_round_trip"};
    static const char *const units[] = {"MB/s", "1/s", "ns"};
    const struct entry *e = sl->e;
    int64_t err = sl->err;
    char note[128];
    ptc_micro_note(note, sizeof note, err);
    for (int m = 0; m < N_METRICS; m++) {
        struct ptc_micro_row row = {.benchmark = "ipc",
                                    .mechanism = e->mechanism,
                                    .variant = e->variant,
                                    .n = size,
                                    .metric = metrics[m],
                                    .unit = units[m],
                                    .value = NAN,
                                    .samples = err < 0 ? NULL : samples[m],
                                    .n_samples = err < 0 ? 0 : repeat,
                                    .note = note,
                                    .placement = e->placed ? ptc_placement_name(sl->p) : "",
                                    .cpus_seen = sl->cpus_seen};
        ptc_micro_row(out, &row);
    }
}

static int run(const struct ptc_micro_opts *o, struct ptc_micro_out *out) {
    /* A partner that died shows as EPIPE on the next write, not as a signal that ends us. */
    signal(SIGPIPE, SIG_IGN);
    int failed = 0;
    struct slot slots[N_ENTRIES * PTC_PLACE_COUNT];
    double *all = calloc(N_ENTRIES * PTC_PLACE_COUNT * N_METRICS * o->repeat, sizeof *all);
    for (size_t ni = 0; ni < o->n_n && all != NULL; ni++) {
        size_t size = (size_t)o->n[ni], n_slots = 0;
        for (size_t e = 0; e < N_ENTRIES; e++) {
            enum ptc_placement ps[PTC_PLACE_COUNT];
            size_t n_ps = ptc_micro_placements(o, entries[e].placed, ps);
            for (size_t k = 0; k < n_ps && ptc_micro_selected(o, entries[e].name); k++)
                slots[n_slots++] = (struct slot){.e = &entries[e], .p = ps[k]};
        }
        /* Samples interleaved across mechanisms and placements, so drift hits them all alike. */
        for (uint64_t r = 0; r < o->repeat; r++) {
            for (size_t i = 0; i < n_slots; i++) {
                struct slot *sl = &slots[i];
                const struct entry *en = sl->e;
                if (sl->err < 0)
                    continue;
                double *s = &all[i * N_METRICS * o->repeat];
                struct pair pr = {
                    .e = en,
                    .size = size,
                    .msgs = clamp_count(STREAM_BYTES, size, STREAM_MIN, STREAM_MAX) * en->n_scale,
                    .trips = clamp_count(TRIP_BYTES, size, TRIP_MIN, TRIP_MAX) * en->n_scale};
                sl->err = en->placed ? ptc_place_run(sl->p, sample_pair, &pr, sl->cpus_seen,
                                                     sizeof sl->cpus_seen)
                                     : sample_pair(NULL, &pr);
                if (sl->err < 0)
                    continue;
                s[M_MB * o->repeat + r] =
                    (double)size * (double)pr.msgs / (double)pr.stream_ns * 1e3;
                s[M_MSGS * o->repeat + r] = (double)pr.msgs / (double)pr.stream_ns * 1e9;
                s[M_RTT * o->repeat + r] = (double)pr.trips_ns / (double)pr.trips;
            }
        }
        for (size_t i = 0; i < n_slots; i++) {
            double *s = &all[i * N_METRICS * o->repeat];
            double *by_metric[N_METRICS] = {s, s + o->repeat, s + 2 * o->repeat};
            report(out, &slots[i], size, by_metric, o->repeat);
            failed |= slots[i].err < 0 && slots[i].err != PTC_PLACE_SKIPPED;
        }
    }
    if (all == NULL) {
        fprintf(stderr, "%s: out of memory\n", out->program);
        failed = 1;
    }
    free(all);
    return failed;
}

static const char usage[] =
    "Messages between two units: throughput one way (MB/s, MB = 10^6 bytes, and\n"
    "messages/s) and the round trip of one message there and back (ns). --n is the\n"
    "message size in bytes (default 8,64,512,4096,65536; at most 1 MiB), and the n\n"
    "column of the CSV. A throughput sample sends 32 MiB / size messages, clamped to\n"
    "4000..40000; a latency sample makes 4 MiB / size round trips, clamped to\n"
    "500..4000; both x10 between coroutines. Every message carries its sequence number,\n"
    "checked on arrival. Processes: pipe, AF_UNIX socketpair (kernel buffers), and a\n"
    "shared-memory ring (spins, then sleeps on a futex); threads: a mutex+condvar\n"
    "queue; coroutines: a channel (suspend/wake on one scheduler). The rings buffer\n"
    "64 KiB per direction (2 messages when that is more), as a pipe does by default.\n"
    "Processes and threads run once per --placement; coroutines on one thread.";
static const char *const names[] = {"pipe",          "socketpair",   "shm-ring",
                                    "condvar-queue", "coro-channel", NULL};
static const uint64_t default_n[] = {8, 64, 512, 4096, 65536};

const struct ptc_micro_bench ptc_micro_ipc = {
    .cli = {.program = "ptc-ipc",
            .usage = usage,
            .only_names = names,
            .default_repeat = 3,
            .default_n = default_n,
            .n_default_n = sizeof default_n / sizeof default_n[0],
            .max_n = MAX_MSG_BYTES,
            .placement = true},
    .run = run,
};
