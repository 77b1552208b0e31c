/* ptc-mem: N units alive at once, each blocked, and what they cost: resident memory per unit
 * (PSS for processes, from smaps_rollup, since RSS counts shared pages once per process; VmRSS
 * for threads and coroutines; the kernel stacks threads also take, from KernelStack), and the
 * time to bring all N up. N is swept; a mechanism that hits a limit (EAGAIN, ENOMEM) gets a row
 * that says so, and the sweep goes on with the next. */
#include "micro/bench.h"
#include "micro/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mechanism {
    const char *name, *variant, *metric;
    void (*measure)(uint64_t n, struct ptc_mem_result *r);
    uint64_t default_max_n; /* the default sweep stops here */
};

static const struct mechanism mechanisms[] = {
    {"processes", "fork, blocked in read()", "pss_kib_per_unit", ptc_mem_processes, 10000},
    {"threads", "pthread, blocked on a futex", "rss_kib_per_unit", ptc_mem_threads, 10000},
    {"coroutines", "suspended,fresh stacks", "rss_kib_per_unit", ptc_mem_coroutines, 1000000},
    {"coroutines-pooled", "suspended,pooled stacks", "rss_kib_per_unit", ptc_mem_coroutines_pooled,
     1000000},
#if !defined(__SANITIZE_ADDRESS__) /* shared stacks are not in ASan builds (coro/shared.h) */
    {"coroutines-shared", "suspended,shared stack", "rss_kib_per_unit", ptc_mem_coroutines_shared,
     1000000},
#endif
};
#define N_MECHANISMS (sizeof mechanisms / sizeof mechanisms[0])

static void report(struct ptc_micro_out *out, const struct mechanism *m, uint64_t n,
                   const double *kib, const double *kstack, const double *up_ms, size_t samples,
                   const char *note) {
    struct ptc_micro_row row = {.benchmark = "mem",
                                .mechanism = m->name,
                                .variant = m->variant,
                                .n = n,
                                .metric = m->metric,
                                .unit = "KiB",
                                .value = NAN,
                                .samples = kib,
                                .n_samples = samples,
                                .note = note};
    ptc_micro_row(out, &row);
    if (kstack != NULL) {
        row.metric = "kernel_stack_kib_per_unit";
        row.samples = kstack;
        ptc_micro_row(out, &row);
    }
    row.metric = "up_ms";
    row.unit = "ms";
    row.samples = up_ms;
    ptc_micro_row(out, &row);
}

static int run(const struct ptc_micro_opts *o, struct ptc_micro_out *out) {
    double *kib = calloc(o->repeat, sizeof *kib), *kstack = calloc(o->repeat, sizeof *kstack),
           *up_ms = calloc(o->repeat, sizeof *up_ms);
    for (size_t m = 0; m < N_MECHANISMS && kib && kstack && up_ms; m++) {
        const struct mechanism *mech = &mechanisms[m];
        if (!ptc_micro_selected(o, mech->name))
            continue;
        for (size_t ni = 0; ni < o->n_n; ni++) {
            uint64_t n = o->n[ni];
            if (!o->n_given && n > mech->default_max_n)
                continue;
            char note[160] = "";
            size_t samples = 0;
            struct ptc_mem_result warm = {0};
            mech->measure(n, &warm);
            for (uint64_t r = 0; r < o->repeat; r++) {
                struct ptc_mem_result res = {0};
                mech->measure(n, &res);
                if (res.err != 0) {
                    snprintf(note, sizeof note, "limit: %s after %llu of %llu units",
                             strerror(-res.err), (unsigned long long)res.up, (unsigned long long)n);
                    break;
                }
                kib[samples] = res.kib_per_unit;
                kstack[samples] = res.kstack_per_unit;
                up_ms[samples] = (double)res.up_ns / 1e6;
                samples++;
            }
            report(out, mech, n, kib, isnan(kstack[0]) ? NULL : kstack, up_ms, samples, note);
            if (samples < o->repeat)
                break; /* a limit: larger N will not fit either */
        }
    }
    free(kib);
    free(kstack);
    free(up_ms);
    return 0;
}

static const char *const names[] = {"processes",
                                    "threads",
                                    "coroutines",
                                    "coroutines-pooled",
#if !defined(__SANITIZE_ADDRESS__)
                                    "coroutines-shared",
#endif
                                    NULL};
static const uint64_t default_n[] = {1, 10, 100, 1000, 10000, 100000, 1000000};

const struct ptc_micro_bench ptc_micro_mem = {
    .cli = {.program = "ptc-mem",
            .usage =
                "N units alive at once, each blocked: resident KiB per unit (PSS for processes,\n"
                "VmRSS growth for threads and coroutines, plus the kernel stack of threads) and\n"
                "the ms to bring all N up. Default N: 1, 10, ..., 10^4 for processes and threads\n"
                "(pid_max bounds them), up to 10^6 for coroutines; --n overrides for all. A\n"
                "limit hit (EAGAIN, ENOMEM) is reported in the row's note. Each N starts with\n"
                "one untimed round (the first touch of memory the host has not backed yet is\n"
                "slow, and it warms the pool of coroutines-pooled).",
            .only_names = names,
            .default_repeat = 3,
            .default_n = default_n,
            .n_default_n = sizeof default_n / sizeof default_n[0],
            .max_n = 10000000},
    .run = run,
};
