/* ptc-report --compare's outputs: the Markdown a reader reads and the CSV a script reads. */
#include "report/compare.h"

#include "core/format.h"
#include "core/stats.h"
#include "report/md.h"

#include <math.h>
#include <string.h>

static const char *const side_name[2] = {"BASE", "NEW"};

/* True when column c is worth a header line: recorded somewhere, and the sides differ in it. */
static bool col_differs(const struct ptc_compare *c, size_t col) {
    const struct ptc_compare_side *a = &c->side[0], *b = &c->side[1];
    if (!a->has_col[col] && !b->has_col[col])
        return false;
    if (a->has_col[col] != b->has_col[col] || a->n_values[col] != b->n_values[col])
        return true;
    for (size_t i = 0; i < a->n_values[col] && i < PTC_CMP_MAX_VALUES; i++) {
        bool found = false;
        for (size_t j = 0; j < b->n_values[col] && j < PTC_CMP_MAX_VALUES && !found; j++)
            found = strcmp(a->values[col][i], b->values[col][j]) == 0;
        if (!found)
            return true;
    }
    return false;
}

static void put_values(FILE *md, const struct ptc_compare_side *s, size_t col) {
    if (!s->has_col[col]) {
        fputs("(not recorded)", md);
        return;
    }
    for (size_t i = 0; i < s->n_values[col] && i < PTC_CMP_MAX_VALUES; i++) {
        fputs(i ? ", " : "", md);
        ptc_md_put(md, *s->values[col][i] ? s->values[col][i] : "(empty)");
    }
    if (s->n_values[col] > PTC_CMP_MAX_VALUES)
        fprintf(md, " and %zu more", s->n_values[col] - PTC_CMP_MAX_VALUES);
}

static void header_md(const struct ptc_compare *c, FILE *md) {
    fputs("## Comparison: NEW against BASE\n\n", md);
    for (size_t k = 0; k < 2; k++) {
        const struct ptc_compare_side *s = &c->side[k];
        fprintf(md, "- %s: `", side_name[k]);
        ptc_md_put(md, s->arg);
        fprintf(md, "`: %zu runs of %zu configurations from %zu file%s\n", s->n_runs, s->gs.n,
                s->n_tables, s->n_tables == 1 ? "" : "s");
    }
    bool any = false;
    for (size_t col = 0; col < PTC_CMP_N_COLS; col++) {
        if (!col_differs(c, col))
            continue;
        if (!any)
            fputs("\nWhat differs between the sides:\n\n| column | BASE | NEW |\n|---|---|---|\n",
                  md);
        any = true;
        fprintf(md, "| %s | ", ptc_compare_cols[col]);
        put_values(md, &c->side[0], col);
        fputs(" | ", md);
        put_values(md, &c->side[1], col);
        fputs(" |\n", md);
    }
    if (!any)
        fputs("\nThe sides do not differ in host, cpu_model, kernel, compiler, git_rev or "
              "runtime (the machine's condition may: below).\n",
              md);
    fputs("\n", md);
}

/* The unit each condition column is shown in. */
static const char *const cond_unit[PTC_COND_N] = {[PTC_COND_CAPACITY] = "x",
                                                  [PTC_COND_STEAL] = "CPUs",
                                                  [PTC_COND_OTHER_BUSY] = "CPUs",
                                                  [PTC_COND_LOAD] = "",
                                                  [PTC_COND_NS_PER_ITER] = "ns"};

static void put_cond(FILE *md, const struct ptc_compare_values *v, const char *unit) {
    if (v->n == 0) {
        fputs("(not recorded)", md);
        return;
    }
    fprintf(md, "%.3g%s%s (%.3g–%.3g, %zu runs)", ptc_median(v->v, v->n), *unit ? " " : "", unit,
            ptc_percentile(v->v, v->n, 25), ptc_percentile(v->v, v->n, 75), v->n);
}

/* The machine's condition on each side: the context of every "~" and every delta. */
static void condition_md(const struct ptc_compare *c, FILE *md) {
    bool any = false;
    for (size_t k = 0; k < PTC_COND_N; k++) {
        if (c->side[0].cond[k].n == 0 && c->side[1].cond[k].n == 0)
            continue;
        if (!any)
            fputs("The machine during each side's runs (median, quartiles):\n\n"
                  "| condition | BASE | NEW |\n|---|---|---|\n",
                  md);
        any = true;
        fprintf(md, "| %s | ", ptc_compare_cond_cols[k]);
        put_cond(md, &c->side[0].cond[k], cond_unit[k]);
        fputs(" | ", md);
        put_cond(md, &c->side[1].cond[k], cond_unit[k]);
        fputs(" |\n", md);
    }
    if (any)
        fputs("\ncapacity is what N spinning threads delivered beside the run (2.0x on two free "
              "CPUs); ns_per_iter is the cpu chain's speed as each process calibrated it. Runs of "
              "one session share its condition: two sessions of one revision differ by it, which "
              "the test below cannot tell from a real change: compare alternating sessions, A B A "
              "B (the README's \"Sessions drift\").\n\n",
              md);
}

/* Work differs by more than this fraction before a line says so. */
#define WORK_NOTE_FRACTION 0.01

/* The configurations whose calibrated work differs between the sides, one line per workload and
 * size (every model of a session shares the session's calibration). */
static void work_md(const struct ptc_compare *c, FILE *md) {
    const struct ptc_compare_side *a = &c->side[0], *b = &c->side[1];
    bool any = false;
    for (size_t i = 0; i < c->n_rows; i++) {
        const struct ptc_compare_row *row = &c->rows[i];
        double ib = ptc_compare_side_iters(a, row->base), in = ptc_compare_side_iters(b, row->new);
        if (!(fabs(in / ib - 1) > WORK_NOTE_FRACTION))
            continue;
        char sz[160], prev[160];
        const struct ptc_run_group *g = &a->gs.g[row->base];
        ptc_run_group_size_text(g, sz, sizeof sz);
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++) {
            const struct ptc_compare_row *o = &c->rows[j];
            const struct ptc_run_group *h = &a->gs.g[o->base];
            double ob = ptc_compare_side_iters(a, o->base), on = ptc_compare_side_iters(b, o->new);
            seen = fabs(on / ob - 1) > WORK_NOTE_FRACTION &&
                   h->key[PTC_KEY_WORKLOAD] == g->key[PTC_KEY_WORKLOAD] &&
                   strcmp(ptc_run_group_size_text(h, prev, sizeof prev), sz) == 0;
        }
        if (seen)
            continue;
        if (!any)
            fprintf(md,
                    "\nThe work differs between the sides by more than %.0f %% (ptc-run sets a "
                    "task's iterations from --task-ms by timing the chain in each process; these "
                    "times compare different amounts of work: give --iterations N to pin it):\n\n",
                    100 * WORK_NOTE_FRACTION);
        any = true;
        fputs("- ", md);
        ptc_md_put(md, g->key[PTC_KEY_WORKLOAD]);
        fputs(", ", md);
        ptc_md_put(md, sz);
        fprintf(md, ": %.4g M → %.4g M iterations per task (NEW/BASE %.3f)\n", ib / 1e6, in / 1e6,
                in / ib);
    }
}

/* "2.01 (1.95-2.08)", or with the coverage it reaches when the runs are too few for 95 %. */
static void ratio_text(char *buf, size_t size, const struct ptc_rank_compare *r) {
    if (r->supported)
        snprintf(buf, size, "%.3f (%.3f–%.3f)", r->ratio, r->ratio_lo, r->ratio_hi);
    else
        snprintf(buf, size, "%.3f (%.3f–%.3f covers only %.0f %%: too few runs for 95 %%)",
                 r->ratio, r->ratio_lo, r->ratio_hi, 100 * r->coverage);
}

static void row_md(const struct ptc_compare *c, const struct ptc_compare_row *row, FILE *md) {
    const struct ptc_run_group *b = &c->side[0].gs.g[row->base], *n = &c->side[1].gs.g[row->new];
    char sz[160], model[160], med_b[24], med_n[24], ratio[128], delta[24] = "~";
    snprintf(model, sizeof model, "%s", b->key[PTC_KEY_MODEL]);
    if (*b->key[PTC_KEY_POLLER] || *b->key[PTC_KEY_CORO_SWITCH])
        snprintf(model, sizeof model, "%s (%s %s)", b->key[PTC_KEY_MODEL], b->key[PTC_KEY_POLLER],
                 b->key[PTC_KEY_CORO_SWITCH]);
    ratio_text(ratio, sizeof ratio, &row->r);
    if (row->significant)
        snprintf(delta, sizeof delta, "%+.1f %%", 100 * (row->r.ratio - 1));
    fputs("| ", md);
    const char *cells[] = {b->key[PTC_KEY_WORKLOAD], ptc_run_group_size_text(b, sz, sizeof sz),
                           model, b->key[PTC_KEY_WORKERS]};
    for (size_t k = 0; k < sizeof cells / sizeof cells[0]; k++) {
        ptc_md_put(md, cells[k]);
        fputs(" | ", md);
    }
    fprintf(md, "%zu | %s | %zu | %s | %s | %s | %.3g |\n", b->n,
            ptc_fmt_ns(med_b, sizeof med_b, b->s.median), n->n,
            ptc_fmt_ns(med_n, sizeof med_n, n->s.median), ratio, delta, row->r.p_value);
}

/* One line per workload: the geometric mean of its ratios, and how many changed which way. */
static void geomeans_md(const struct ptc_compare *c, FILE *md) {
    const struct ptc_run_groups *gs = &c->side[0].gs;
    fputs("\nGeometric mean of NEW/BASE per workload:\n\n", md);
    for (size_t i = 0; i < c->n_rows; i++) {
        const char *wl = gs->g[c->rows[i].base].key[PTC_KEY_WORKLOAD];
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = gs->g[c->rows[j].base].key[PTC_KEY_WORKLOAD] == wl; /* interned */
        if (seen)
            continue;
        double log_sum = 0;
        size_t n = 0, slower = 0, faster = 0;
        for (size_t j = i; j < c->n_rows; j++) {
            const struct ptc_compare_row *r = &c->rows[j];
            if (gs->g[r->base].key[PTC_KEY_WORKLOAD] != wl)
                continue;
            log_sum += log(r->r.ratio);
            n++;
            slower += r->significant && r->r.ratio > 1;
            faster += r->significant && r->r.ratio < 1;
        }
        fputs("- **", md);
        ptc_md_put(md, wl);
        fprintf(md,
                "**: %.3f over %zu configuration%s (%zu significantly slower, %zu faster, "
                "%zu ~)\n",
                exp(log_sum / (double)n), n, n == 1 ? "" : "s", slower, faster,
                n - slower - faster);
    }
}

void ptc_compare_md(const struct ptc_compare *c, FILE *md) {
    header_md(c, md);
    condition_md(c, md);
    if (c->n_rows > 0) {
        fputs("| workload | size | model | W | BASE runs | BASE median | NEW runs | NEW median | "
              "NEW/BASE (95 % CI) | delta | p |\n|---|---|---|---|---|---|---|---|---|---|---|\n",
              md);
        for (size_t i = 0; i < c->n_rows; i++)
            row_md(c, &c->rows[i], md);
        work_md(c, md);
        geomeans_md(c, md);
    } else {
        fputs("No configuration ran on both sides.\n", md);
    }
    fprintf(md,
            "\nOnly in BASE: %zu configuration%s.\nOnly in NEW: %zu configuration%s.\n\n"
            "NEW/BASE is the Hodges-Lehmann ratio (the median of every NEW run's time over every "
            "BASE run's): below 1 NEW is faster. Its interval holds the true ratio with the "
            "coverage shown (95 %% when the runs suffice: 4 against 4 at least) if NEW's times are "
            "BASE's scaled. delta is the change in %% where the Mann-Whitney p is below %.2f, "
            "\"~\" where it is not: no significant change.\n",
            c->only[0], c->only[0] == 1 ? "" : "s", c->only[1], c->only[1] == 1 ? "" : "s",
            PTC_COMPARE_ALPHA);
}

static const char *const stat_cols[] = {"base_runs",
                                        "base_median_ns",
                                        "new_runs",
                                        "new_median_ns",
                                        "ratio_new_over_base",
                                        "ratio_ci_lo",
                                        "ratio_ci_hi",
                                        "ratio_ci_coverage",
                                        "ratio_ci_supported",
                                        "p_value",
                                        "significant",
                                        "base_iterations_mean",
                                        "new_iterations_mean",
                                        NULL};

/* The keys come as workload, tasks, the settings, model, workers, poller, coro_switch; the
 * machine keys are "" on both sides and not written. */
void ptc_compare_csv(const struct ptc_compare *c, struct ptc_csv_writer *w) {
    const struct ptc_run_groups *gs = &c->side[0].gs;
    static const size_t order[] = {PTC_KEY_WORKLOAD, PTC_KEY_TASKS};
    static const size_t tail[] = {PTC_KEY_MODEL, PTC_KEY_WORKERS, PTC_KEY_POLLER,
                                  PTC_KEY_CORO_SWITCH};
    for (size_t k = 0; k < 2; k++)
        ptc_csv_str(w, ptc_run_key_col(order[k]));
    for (size_t k = PTC_N_FIXED_KEYS; k < gs->n_keys; k++)
        ptc_csv_str(w, gs->setting_cols[k - PTC_N_FIXED_KEYS]);
    for (size_t k = 0; k < 4; k++)
        ptc_csv_str(w, ptc_run_key_col(tail[k]));
    for (const char *const *s = stat_cols; *s; s++)
        ptc_csv_str(w, *s);
    ptc_csv_end_row(w);
    for (size_t i = 0; i < c->n_rows; i++) {
        const struct ptc_compare_row *row = &c->rows[i];
        const struct ptc_run_group *b = &gs->g[row->base], *n = &c->side[1].gs.g[row->new];
        for (size_t k = 0; k < 2; k++)
            ptc_csv_str(w, b->key[order[k]]);
        for (size_t k = PTC_N_FIXED_KEYS; k < gs->n_keys; k++)
            ptc_csv_str(w, b->key[k]);
        for (size_t k = 0; k < 4; k++)
            ptc_csv_str(w, b->key[tail[k]]);
        ptc_csv_u64(w, b->n);
        ptc_csv_f64(w, b->s.median, 0);
        ptc_csv_u64(w, n->n);
        ptc_csv_f64(w, n->s.median, 0);
        ptc_csv_f64(w, row->r.ratio, 4);
        ptc_csv_f64(w, row->r.ratio_lo, 4);
        ptc_csv_f64(w, row->r.ratio_hi, 4);
        ptc_csv_f64(w, row->r.coverage, 4);
        ptc_csv_u64(w, row->r.supported);
        ptc_csv_f64(w, row->r.p_value, 6);
        ptc_csv_u64(w, row->significant);
        ptc_csv_f64(w, ptc_compare_side_iters(&c->side[0], row->base), 0);
        ptc_csv_f64(w, ptc_compare_side_iters(&c->side[1], row->new), 0);
        ptc_csv_end_row(w);
    }
}
