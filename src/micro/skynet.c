/* ptc-skynet: the skynet benchmark. A coroutine with a range of leaves spawns 10 children that
 * split the range, waits for them and passes the sum of their results up; a leaf returns its own
 * index. With 10^6 leaves the tree has 1,111,111 coroutines and the root's sum must be
 * 499999500000. Children are spawned to run next (depth first), as Go's runnext does for the
 * original benchmark, so few coroutines are alive at once and their stacks are recycled. */
#include "micro/skynet.h"

#include "micro/bench.h"

#include "core/procfs.h"
#include "coro/config.h"
#include "coro/group.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ptc_skynet_node(void *p) {
    struct ptc_skynet_node *n = p;
    if (n->leaves == 1) {
        *n->sum += n->first;
        return;
    }
    /* The children's arguments and their accumulator live on this coroutine's stack, which
     * stays put while it waits for them. */
    struct ptc_skynet_node kids[PTC_SKYNET_FANOUT];
    struct ptc_coro_group g;
    uint64_t sum = 0;
    ptc_group_init(&g, 0);
    uint64_t share = n->leaves / PTC_SKYNET_FANOUT;
    for (int i = PTC_SKYNET_FANOUT - 1; i >= 0; i--) {
        kids[i] = (struct ptc_skynet_node){
            .s = n->s, .first = n->first + (uint64_t)i * share, .leaves = share, .sum = &sum};
        if (ptc_group_spawn_next(n->s, &g, ptc_skynet_node, &kids[i]) < 0)
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
            p *= PTC_SKYNET_FANOUT;
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
    struct ptc_skynet_node root = {.s = s, .first = 0, .leaves = leaves, .sum = sum};
    *sum = 0;
    ptc_ns start = ptc_now_ns();
    int rc = ptc_coro_spawn(s, ptc_skynet_node, &root, NULL);
    if (rc == 0)
        rc = ptc_sched_run(s);
    *elapsed = ptc_now_ns() - start;
    return rc;
}

/* What is measured of one variant at one size: its wall times and the last tree's figures. */
struct variant {
    const char *name; /* what --only takes */
    double *ms;       /* [repeat] */
    uint64_t sum, steals, coroutines;
    int failed;
};

/* One tree of variant v (0: one thread, 1: M:N); round 0 only warms the stack pools. */
static void one_tree(struct variant *v, int mn, struct ptc_sched *s, struct ptc_skynet_mn *m,
                     uint64_t leaves, uint64_t round, const char *prog) {
    ptc_ns elapsed;
    int rc = mn ? ptc_skynet_mn_tree(m, leaves, &v->sum, &elapsed, &v->steals, &v->coroutines)
                : tree(s, leaves, &v->sum, &elapsed);
    uint64_t want = leaves * (leaves - 1) / 2;
    if (rc < 0 || v->sum != want) {
        fprintf(stderr, "%s: %s tree of %llu leaves: %s (sum %llu, expected %llu)\n", prog, v->name,
                (unsigned long long)leaves, rc < 0 ? strerror(-rc) : "wrong sum",
                (unsigned long long)v->sum, (unsigned long long)want);
        v->failed = 1;
    }
    if (round > 0)
        v->ms[round - 1] = (double)elapsed / 1e6;
}

static void rows(struct ptc_micro_out *out, const struct variant *v, const char *sw,
                 const char *note, size_t repeat) {
    struct ptc_micro_row row = {.benchmark = v->name,
                                .mechanism = "coroutine",
                                .variant = sw,
                                .n = v->coroutines,
                                .metric = "wall_ms",
                                .unit = "ms",
                                .samples = v->ms,
                                .n_samples = repeat,
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

/* Both variants at each size, their trees interleaved (one, M:N, one, M:N, ...) so that the
 * machine's drift falls on both alike. */
static int run(const struct ptc_micro_opts *o, struct ptc_micro_out *out) {
    const char *prog = out->program;
    if (check_sizes(o, prog) != 0)
        return 2;
    if (ptc_coro_config()->stack.shared) {
        /* children read their arguments off the parent's stack and add into its locals */
        fprintf(stderr, "%s: --stack-mode shared: the tree's nodes share their stack frames\n",
                prog);
        return 2;
    }
    struct ptc_sched s;
    struct ptc_skynet_mn *m = NULL;
    struct variant v[2] = {{.name = "skynet"}, {.name = "skynet-mn"}};
    int on[2] = {ptc_micro_selected(o, v[0].name), ptc_micro_selected(o, v[1].name)};
    int rc = ptc_sched_init(&s, ptc_coro_config());
    if (rc == 0 && on[1])
        rc = ptc_skynet_mn_init(&m, ptc_coro_mn_threads());
    if (rc < 0) {
        fprintf(stderr, "%s: cannot start the schedulers: %s\n", prog, strerror(-rc));
        ptc_sched_fini(&s);
        return 1;
    }
    int failed = 0;
    for (int k = 0; k < 2; k++)
        failed |= (v[k].ms = calloc(o->repeat, sizeof *v[k].ms)) == NULL;
    for (size_t i = 0; i < o->n_n && !failed; i++) {
        uint64_t leaves = o->n[i];
        v[0].coroutines = 0;
        for (uint64_t level = 1; level <= leaves; level *= PTC_SKYNET_FANOUT)
            v[0].coroutines += level;
        for (uint64_t r = 0; r <= o->repeat && !failed; r++)
            for (int k = 0; k < 2 && !failed; k++)
                if (on[k]) {
                    one_tree(&v[k], k, &s, m, leaves, r, prog);
                    failed = v[k].failed;
                }
        char note[160];
        if (!failed && on[0]) {
            snprintf(note, sizeof note, "sum %llu ok, %zu stacks made",
                     (unsigned long long)v[0].sum, s.stacks->created);
            rows(out, &v[0], ptc_sched_switch_name(&s), note, o->repeat);
        }
        if (!failed && on[1]) {
            snprintf(note, sizeof note,
                     "sum %llu ok, %u threads, %llu of the subtrees stolen, %zu stacks made",
                     (unsigned long long)v[1].sum, ptc_skynet_mn_threads(m),
                     (unsigned long long)v[1].steals, ptc_skynet_mn_stacks(m));
            rows(out, &v[1], ptc_sched_switch_name(&s), note, o->repeat);
        }
    }
    if (m != NULL)
        ptc_skynet_mn_fini(m);
    ptc_sched_fini(&s);
    free(v[0].ms);
    free(v[1].ms);
    return failed;
}

static const char *const names[] = {"skynet", "skynet-mn", NULL};
static const uint64_t default_n[] = {1000000};

const struct ptc_micro_bench ptc_micro_skynet = {
    .cli =
        {.program = "ptc-skynet",
         .usage =
             "The skynet tree: --n leaves (a power of 10, default 10^6: 1,111,111 coroutines),\n"
             "wall time per tree in ms, the root's sum checked, peak RSS of the process.\n"
             "skynet runs the tree on one thread; skynet-mn over --mn-threads N threads (default\n"
             "one per CPU), its 100 subtrees two levels down dealt out with work stealing.\n"
             "The two alternate tree by tree. One untimed tree of each first warms the stacks.",
         .only_names = names,
         .default_repeat = 5,
         .default_n = default_n,
         .n_default_n = 1,
         .max_n = 100000000},
    .run = run,
};
