/* ptc-skynet: the skynet benchmark. A coroutine with a range of leaves spawns 10 children that
 * split the range, waits for them and passes the sum of their results up; a leaf returns its own
 * index. With 10^6 leaves the tree has 1,111,111 coroutines and the root's sum must be
 * 499999500000. Children are spawned to run next (depth first), as Go's runnext does for the
 * original benchmark, so few coroutines are alive at once and their stacks are recycled. */
#include "core/procfs.h"
#include "coro/config.h"
#include "coro/group.h"
#include "runner/micro.h"
#include "runner/micro_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG   "ptc-skynet"
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

int main(int argc, char **argv) {
    static const char *const names[] = {"skynet", NULL};
    static const uint64_t default_n[] = {1000000};
    const struct ptc_micro_cli cli = {
        .program = PROG,
        .usage =
            "The skynet tree: --n leaves (a power of 10, default 10^6: 1,111,111 coroutines),\n"
            "wall time per tree in ms, the root's sum checked, peak RSS of the process.\n"
            "One untimed tree first warms the stack pool.",
        .only_names = names,
        .default_repeat = 5,
        .default_n = default_n,
        .n_default_n = 1,
        .max_n = 100000000,
    };
    struct ptc_micro_opts o;
    struct ptc_micro_out out;
    int st = ptc_micro_start(&cli, argc, argv, &o, &out);
    if (st >= 0)
        return st;
    for (size_t i = 0; i < o.n_n; i++) {
        uint64_t p = 1;
        while (p < o.n[i])
            p *= FANOUT;
        if (p != o.n[i]) {
            fprintf(stderr, PROG ": --n: %llu is not a power of 10\n", (unsigned long long)o.n[i]);
            ptc_micro_abort(&out);
            ptc_micro_opts_free(&o);
            return 2;
        }
    }
    struct ptc_sched s;
    int rc = ptc_sched_init(&s, ptc_coro_config());
    if (rc < 0) {
        fprintf(stderr, PROG ": cannot start the scheduler: %s\n", strerror(-rc));
        ptc_micro_abort(&out);
        ptc_micro_opts_free(&o);
        return 1;
    }
    int failed = 0;
    double *ms = calloc(o.repeat, sizeof *ms);
    for (size_t i = 0; i < o.n_n && ms != NULL && !failed; i++) {
        uint64_t leaves = o.n[i], coroutines = 0, want = leaves * (leaves - 1) / 2, sum = 0;
        for (uint64_t level = 1; level <= leaves; level *= FANOUT)
            coroutines += level;
        for (uint64_t r = 0; r <= o.repeat && !failed; r++) {
            struct node root = {.s = &s, .first = 0, .leaves = leaves, .sum = &sum};
            sum = 0;
            ptc_ns start = ptc_now_ns();
            rc = ptc_coro_spawn(&s, skynet, &root, NULL);
            if (rc == 0)
                rc = ptc_sched_run(&s);
            ptc_ns elapsed = ptc_now_ns() - start;
            if (rc < 0 || sum != want) {
                fprintf(stderr, PROG ": tree of %llu leaves: %s (sum %llu, expected %llu)\n",
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
        ptc_micro_row(&out, &(struct ptc_micro_row){.benchmark = "skynet",
                                                    .mechanism = "coroutine",
                                                    .variant = s.sw->name,
                                                    .n = coroutines,
                                                    .metric = "wall_ms",
                                                    .unit = "ms",
                                                    .samples = ms,
                                                    .n_samples = o.repeat,
                                                    .note = note});
        ptc_micro_row(&out, &(struct ptc_micro_row){.benchmark = "skynet",
                                                    .mechanism = "coroutine",
                                                    .variant = s.sw->name,
                                                    .n = coroutines,
                                                    .metric = "peak_rss_kib",
                                                    .unit = "KiB",
                                                    .value = (double)ptc_peak_rss_kib(),
                                                    .note = "whole process, VmHWM"});
    }
    ptc_sched_fini(&s);
    free(ms);
    return ptc_micro_finish(&o, &out, failed);
}
