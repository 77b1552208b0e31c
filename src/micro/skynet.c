/* ptc-skynet: the skynet benchmark. A coroutine with a range of leaves spawns 10 children that
 * split the range, waits for them and passes the sum of their results up; a leaf returns its own
 * index. With 10^6 leaves the tree has 1,111,111 coroutines and the root's sum must be
 * 499999500000. Children are spawned to run next (depth first), as Go's runnext does for the
 * original benchmark, so few coroutines are alive at once and their stacks are recycled. */
#include "micro/bench.h"

#include "core/procfs.h"
#include "coro/config.h"
#include "coro/group.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FANOUT 10

struct node {
    struct ptc_sched *s;
    uint64_t first, leaves; /* the leaves [first, first + leaves) */
    uint64_t *sum;          /* the parent's accumulator */
};

static void skynet(void *p) {
    struct node *n = p;
    if (n->leaves == 1) {
        *n->sum += n->first;
        return;
    }
    /* The children's arguments and their accumulator live on this coroutine's stack, which
     * stays put while it waits for them. */
    struct node kids[FANOUT];
    struct ptc_coro_group g;
    uint64_t sum = 0;
    ptc_group_init(&g, 0);
    uint64_t share = n->leaves / FANOUT;
    for (int i = FANOUT - 1; i >= 0; i--) {
        kids[i] = (struct node){
            .s = n->s, .first = n->first + (uint64_t)i * share, .leaves = share, .sum = &sum};
        if (ptc_group_spawn_next(n->s, &g, skynet, &kids[i]) < 0)
            abort(); /* out of stacks: the tree is 7 deep, a handful of stacks suffices */
    }
    ptc_group_join(n->s, &g);
    ptc_group_fini(&g);
    *n->sum += sum;
}

/* 0 when every size of o is a power of 10; else 2 after the message. */
static int check_sizes(const struct ptc_micro_opts *o, const char *program) {
    for (size_t i = 0; i < o->n_n; i++) {
        uint64_t p = 1;
        while (p < o->n[i])
            p *= FANOUT;
        if (p != o->n[i]) {
            fprintf(stderr, "%s: --n: %llu is not a power of 10\n", program,
                    (unsigned long long)o->n[i]);
            return 2;
        }
    }
    return 0;
}

/* One tree of `leaves` leaves on s: its wall time into *elapsed, its root's sum into *sum.
 * Returns 0 or a negative errno. */
static int tree(struct ptc_sched *s, uint64_t leaves, uint64_t *sum, ptc_ns *elapsed) {
    struct node root = {.s = s, .first = 0, .leaves = leaves, .sum = sum};
    *sum = 0;
    ptc_ns start = ptc_now_ns();
    int rc = ptc_coro_spawn(s, skynet, &root, NULL);
    if (rc == 0)
        rc = ptc_sched_run(s);
    *elapsed = ptc_now_ns() - start;
    return rc;
}

static int run(const struct ptc_micro_opts *o, struct ptc_micro_out *out) {
    const char *prog = out->program;
    if (check_sizes(o, prog) != 0)
        return 2;
    struct ptc_sched s;
    int rc = ptc_sched_init(&s, ptc_coro_config());
    if (rc < 0) {
        fprintf(stderr, "%s: cannot start the scheduler: %s\n", prog, strerror(-rc));
        return 1;
    }
    int failed = 0;
    double *ms = calloc(o->repeat, sizeof *ms);
    failed = ms == NULL;
    for (size_t i = 0; i < o->n_n && !failed; i++) {
        uint64_t leaves = o->n[i], coroutines = 0, want = leaves * (leaves - 1) / 2, sum = 0;
        for (uint64_t level = 1; level <= leaves; level *= FANOUT)
            coroutines += level;
        for (uint64_t r = 0; r <= o->repeat && !failed; r++) {
            ptc_ns elapsed;
            rc = tree(&s, leaves, &sum, &elapsed);
            if (rc < 0 || sum != want) {
                fprintf(stderr, "%s: tree of %llu leaves: %s (sum %llu, expected %llu)\n", prog,
                        (unsigned long long)leaves, rc < 0 ? strerror(-rc) : "wrong sum",
                        (unsigned long long)sum, (unsigned long long)want);
                failed = 1;
            }
            if (r > 0) /* round 0 warms the stack pool */
                ms[r - 1] = (double)elapsed / 1e6;
        }
        if (failed)
            break;
        char note[96];
        snprintf(note, sizeof note, "sum %llu ok, %zu stacks made", (unsigned long long)sum,
                 s.stacks->created);
        struct ptc_micro_row row = {.benchmark = "skynet",
                                    .mechanism = "coroutine",
                                    .variant = s.sw->name,
                                    .n = coroutines,
                                    .metric = "wall_ms",
                                    .unit = "ms",
                                    .samples = ms,
                                    .n_samples = o->repeat,
                                    .note = note};
        ptc_micro_row(out, &row);
        row.metric = "peak_rss_kib";
        row.unit = "KiB";
        row.samples = NULL;
        row.n_samples = 0;
        row.value = (double)ptc_peak_rss_kib();
        row.note = "whole process, VmHWM";
        ptc_micro_row(out, &row);
    }
    ptc_sched_fini(&s);
    free(ms);
    return failed;
}

static const char *const names[] = {"skynet", NULL};
static const uint64_t default_n[] = {1000000};

const struct ptc_micro_bench ptc_micro_skynet = {
    .cli = {.program = "ptc-skynet",
            .usage =
                "The skynet tree: --n leaves (a power of 10, default 10^6: 1,111,111 coroutines),\n"
                "wall time per tree in ms, the root's sum checked, peak RSS of the process.\n"
                "One untimed tree first warms the stack pool.",
            .only_names = names,
            .default_repeat = 5,
            .default_n = default_n,
            .n_default_n = 1,
            .max_n = 100000000},
    .run = run,
};
