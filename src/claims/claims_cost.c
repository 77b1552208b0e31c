/* Claims about cost (002, 004): processes cost more to create and switch than threads, threads
 * more than coroutines; threads use less memory than processes. Measured with the same code as
 * ptc-spawn, ptc-switch and ptc-mem, at small sizes, medians of 3. */
#include "claims/claim.h"
#include "micro/entry.h"
#include "micro/mem.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define SAMPLES 3

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median ns per unit of entry `name` over SAMPLES runs of n; negative errno on failure. */
static double median_ns(const struct ptc_micro_entry *all, size_t n_all, const char *name,
                        uint64_t n) {
    const struct ptc_micro_entry *e = ptc_micro_entry_find(all, n_all, name);
    if (e == NULL)
        return -ENOENT;
    double v[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
        v[i] = ptc_micro_entry_ns_per_unit(e, n, PTC_PLACE_SAME_CPU, NULL, 0);
        if (v[i] < 0)
            return v[i];
    }
    qsort(v, SAMPLES, sizeof v[0], cmp_double);
    return v[SAMPLES / 2];
}

static int claim_cost_order(const struct ptc_claim_ctx *ctx, struct ptc_claim_result *r) {
    size_t ns, nw;
    const struct ptc_micro_entry *spawn = ptc_spawn_entries(&ns), *sw = ptc_switch_entries(&nw);
    /* Both sides on one CPU (spawns and switches): a cross-CPU wake-up would measure the
     * hypervisor, not the mechanism. */
    double c_proc = median_ns(spawn, ns, "fork", 100), c_thr = median_ns(spawn, ns, "pthread", 100),
           c_coro = median_ns(spawn, ns, "coro-fcontext", 100),
           s_proc = median_ns(sw, nw, "pipe", 2000), s_thr = median_ns(sw, nw, "futex", 2000),
           s_coro = median_ns(sw, nw, "coro-fcontext", 100);
    double all[] = {c_proc, c_thr, c_coro, s_proc, s_thr, s_coro};
    for (int i = 0; i < 6; i++)
        if (all[i] < 0)
            return (int)all[i];
    int ok = c_proc > c_thr && c_thr > c_coro && s_proc > s_thr && s_thr > s_coro;
    snprintf(r->expected, sizeof r->expected,
             "create and switch: process > thread > coroutine (an ordering; ratios measured)");
    snprintf(r->measured, sizeof r->measured,
             "create: process %.0f ns, thread %.0f ns, coroutine %.1f ns (%.0fx, %.0fx); switch "
             "round trip, one CPU: pipe %.0f ns, futex %.0f ns, coroutine yield %.1f ns (%.1fx, "
             "%.0fx)",
             c_proc, c_thr, c_coro, c_proc / c_thr, c_thr / c_coro, s_proc, s_thr, s_coro,
             s_proc / s_thr, s_thr / s_coro);
    r->verdict = ok ? PTC_REPRODUCED : PTC_REFUTED;
    snprintf(r->reason, sizeof r->reason, "%s",
             ok ? "the ordering holds for both creating and switching"
                : "the ordering breaks somewhere (see measured)");
    r->expected_value = NAN;
    r->measured_value = c_thr / c_coro;
    r->unit = "x";
    return 0;
}

static int claim_memory(const struct ptc_claim_ctx *ctx, struct ptc_claim_result *r) {
    struct ptc_mem_result p = {0}, t = {0};
    ptc_mem_processes(100, &p);
    if (p.err != 0)
        return p.err;
    ptc_mem_threads(100, &t);
    if (t.err != 0)
        return t.err;
    double thread_kib = t.kib_per_unit + (isnan(t.kstack_per_unit) ? 0 : t.kstack_per_unit);
    int ok = thread_kib < p.kib_per_unit;
    snprintf(r->expected, sizeof r->expected,
             "a thread costs less memory than a process (100 of each, blocked)");
    snprintf(r->measured, sizeof r->measured,
             "process %.1f KiB PSS each; thread %.1f KiB RSS + %.1f KiB kernel stack each",
             p.kib_per_unit, t.kib_per_unit, t.kstack_per_unit);
    r->verdict = ok ? PTC_REPRODUCED : PTC_REFUTED;
    snprintf(r->reason, sizeof r->reason, "%s",
             ok ? "a process carries its own page tables and private pages"
                : "a thread cost as much as a process here");
    r->expected_value = p.kib_per_unit;
    r->measured_value = thread_kib;
    r->unit = "KiB";
    return 0;
}

const struct ptc_claim ptc_claim_13 = {
    .id = "13",
    .seed = "002, 004",
    .claim = "Processes cost more to create and switch than threads, threads more than coroutines",
    .original = "线程是轻量级进程，而协程又是轻量级线程",
    .run = claim_cost_order,
};

const struct ptc_claim ptc_claim_14 = {
    .id = "14",
    .seed = "004",
    .claim = "Threads use less memory than processes",
    .original = "进程在执行过程中拥有独立的内存单元, 而多个线程共享内存",
    .run = claim_memory,
};
