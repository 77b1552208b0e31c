#include "micro/entry.h"

#include "core/clock.h"

#include <math.h>
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

struct call {
    const struct ptc_micro_entry *e;
    uint64_t units;
};

static int64_t placed_call(const struct ptc_place *pl, void *arg) {
    const struct call *c = arg;
    return c->e->fn(c->units, pl);
}

double ptc_micro_entry_ns_per_unit(const struct ptc_micro_entry *e, uint64_t n,
                                   enum ptc_placement p, char *cpus_seen, size_t cpus_size) {
    struct call c = {.e = e, .units = n * e->n_scale};
    int64_t ns = e->placed ? ptc_place_run(p, placed_call, &c, cpus_seen, cpus_size)
                           : e->fn(c.units, e->arg);
    return ns < 0 ? (double)ns : (double)ns / (double)c.units;
}

/* One row to fill: an entry, and its placement when it is placed. */
struct slot {
    const struct ptc_micro_entry *e;
    enum ptc_placement p;
    int err;
    char cpus_seen[PTC_CPUS_SEEN_BYTES];
};

/* The selected entries, each placed one once per selected placement, in table order. Returns
 * the count written into slots (room for n_entries x PTC_PLACE_COUNT). */
static size_t list_slots(const struct ptc_micro_entry *entries, size_t n_entries,
                         const struct ptc_micro_opts *o, struct slot *slots) {
    size_t n = 0;
    for (size_t e = 0; e < n_entries; e++) {
        if (!ptc_micro_selected(o, entries[e].name))
            continue;
        enum ptc_placement ps[PTC_PLACE_COUNT];
        size_t n_ps = ptc_micro_placements(o, entries[e].placed, ps);
        for (size_t k = 0; k < n_ps; k++)
            slots[n++] = (struct slot){.e = &entries[e], .p = ps[k]};
    }
    return n;
}

int ptc_micro_sample(const struct ptc_micro_entry *entries, size_t n_entries,
                     const struct ptc_micro_opts *o, struct ptc_micro_out *out,
                     const char *benchmark, const char *metric) {
    int failed = 0;
    struct slot *slots = calloc(n_entries * PTC_PLACE_COUNT, sizeof *slots);
    double *samples = calloc(n_entries * PTC_PLACE_COUNT * o->repeat, sizeof *samples);
    if (slots == NULL || samples == NULL) {
        free(slots);
        free(samples);
        return 1;
    }
    for (size_t ni = 0; ni < o->n_n; ni++) {
        size_t n_slots = list_slots(entries, n_entries, o, slots);
        for (uint64_t r = 0; r < o->repeat; r++) {
            for (size_t i = 0; i < n_slots; i++) {
                struct slot *s = &slots[i];
                if (s->err < 0)
                    continue;
                double v = ptc_micro_entry_ns_per_unit(s->e, o->n[ni], s->p, s->cpus_seen,
                                                       sizeof s->cpus_seen);
                if (v < 0)
                    s->err = (int)v;
                else
                    samples[i * o->repeat + r] = v;
            }
        }
        for (size_t i = 0; i < n_slots; i++) {
            const struct slot *s = &slots[i];
            char note[128];
            ptc_micro_note(note, sizeof note, s->err);
            failed |= s->err < 0 && s->err != PTC_PLACE_SKIPPED;
            struct ptc_micro_row row = {.benchmark = benchmark,
                                        .mechanism = s->e->mechanism,
                                        .variant = s->e->variant,
                                        .n = o->n[ni] * s->e->n_scale,
                                        .metric = metric,
                                        .unit = "ns",
                                        .value = s->err < 0 ? NAN : 0,
                                        .samples = s->err < 0 ? NULL : &samples[i * o->repeat],
                                        .n_samples = s->err < 0 ? 0 : o->repeat,
                                        .note = note,
                                        .placement = s->e->placed ? ptc_placement_name(s->p) : "",
                                        .cpus_seen = s->cpus_seen};
            ptc_micro_row(out, &row);
        }
    }
    free(slots);
    free(samples);
    return failed;
}

int ptc_micro_entries_main(const struct ptc_micro_entry *entries, size_t n_entries,
                           struct ptc_micro_cli cli, int argc, char **argv, const char *benchmark,
                           const char *metric) {
    const char *names[64] = {0};
    for (size_t i = 0; i < n_entries && i < 63; i++)
        names[i] = entries[i].name;
    cli.only_names = names;
    for (size_t i = 0; i < n_entries; i++)
        cli.placement |= entries[i].placed != 0;
    struct ptc_micro_opts o;
    struct ptc_micro_out out;
    int st = ptc_micro_start(&cli, argc, argv, &o, &out);
    if (st >= 0)
        return st;
    ptc_timer_slack_min();
    int failed = ptc_micro_sample(entries, n_entries, &o, &out, benchmark, metric);
    return ptc_micro_finish(&o, &out, failed);
}
