#include "micro/entry.h"

#include "core/clock.h"

#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct ptc_micro_entry *ptc_micro_entry_find(const struct ptc_micro_entry *entries, size_t n,
                                                   const char *name) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(entries[i].name, name) == 0)
            return &entries[i];
    return NULL;
}

double ptc_micro_entry_ns_per_unit(const struct ptc_micro_entry *e, uint64_t n) {
    cpu_set_t all, cpu0;
    sched_getaffinity(0, sizeof all, &all);
    CPU_ZERO(&cpu0);
    CPU_SET(0, &cpu0);
    if (e->pin)
        sched_setaffinity(0, sizeof cpu0, &cpu0);
    uint64_t units = n * e->n_scale;
    int64_t ns = e->fn(units, e->arg);
    if (e->pin)
        sched_setaffinity(0, sizeof all, &all);
    return ns < 0 ? (double)ns : (double)ns / (double)units;
}

int ptc_micro_sample(const struct ptc_micro_entry *entries, size_t n_entries,
                     const struct ptc_micro_opts *o, struct ptc_micro_out *out,
                     const char *benchmark, const char *metric) {
    int failed = 0;
    for (size_t ni = 0; ni < o->n_n; ni++) {
        double *samples = calloc(n_entries * o->repeat, sizeof *samples);
        int *errs = calloc(n_entries, sizeof *errs);
        if (samples == NULL || errs == NULL) {
            free(samples);
            free(errs);
            return 1;
        }
        for (uint64_t r = 0; r < o->repeat; r++) {
            for (size_t e = 0; e < n_entries; e++) {
                if (!ptc_micro_selected(o, entries[e].name) || errs[e] < 0)
                    continue;
                double v = ptc_micro_entry_ns_per_unit(&entries[e], o->n[ni]);
                if (v < 0)
                    errs[e] = (int)v;
                else
                    samples[e * o->repeat + r] = v;
            }
        }
        for (size_t e = 0; e < n_entries; e++) {
            if (!ptc_micro_selected(o, entries[e].name))
                continue;
            char note[128] = "";
            if (errs[e] < 0) {
                snprintf(note, sizeof note, "failed: %s", strerror(-errs[e]));
                failed = 1;
            }
            struct ptc_micro_row row = {.benchmark = benchmark,
                                        .mechanism = entries[e].mechanism,
                                        .variant = entries[e].variant,
                                        .n = o->n[ni] * entries[e].n_scale,
                                        .metric = metric,
                                        .unit = "ns",
                                        .value = errs[e] < 0 ? NAN : 0,
                                        .samples = errs[e] < 0 ? NULL : &samples[e * o->repeat],
                                        .n_samples = errs[e] < 0 ? 0 : o->repeat,
                                        .note = note};
            ptc_micro_row(out, &row);
        }
        free(samples);
        free(errs);
    }
    return failed;
}

int ptc_micro_entries_main(const struct ptc_micro_entry *entries, size_t n_entries,
                           struct ptc_micro_cli cli, int argc, char **argv, const char *benchmark,
                           const char *metric) {
    const char *names[64] = {0};
    for (size_t i = 0; i < n_entries && i < 63; i++)
        names[i] = entries[i].name;
    cli.only_names = names;
    struct ptc_micro_opts o;
    struct ptc_micro_out out;
    int st = ptc_micro_start(&cli, argc, argv, &o, &out);
    if (st >= 0)
        return st;
    ptc_timer_slack_min();
    int failed = ptc_micro_sample(entries, n_entries, &o, &out, benchmark, metric);
    return ptc_micro_finish(&o, &out, failed);
}
