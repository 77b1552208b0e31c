#include "report/findings.h"

#include "report/md.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Text from a CSV, escaped into buf (an array) for a Markdown list item. */
#define MD(buf, s) ptc_md_esc(buf, sizeof buf, s)

char *ptc_findings_ms(char *buf, size_t size, double ns) {
    double ms = ns / 1e6;
    int decimals = ms >= 100 ? 1 : ms >= 10 ? 2 : 3;
    snprintf(buf, size, "%.*f ms", decimals, ms);
    return buf;
}

/* The classes the findings walk, built once, so that each line costs its own groups. */
struct views {
    const struct ptc_run_groups *gs;
    struct ptc_run_classes host, size, model; /* model: one model within one size */
    size_t *best;                             /* [gs->n] per group: see best() */
    bool build_varies[PTC_N_FIXED_KEYS];      /* the build keys whose value differs among gs */
};

static bool same_model(const struct ptc_run_group *a, const struct ptc_run_group *b) {
    return ptc_run_groups_same_size(a, b) &&
           strcmp(a->key[PTC_KEY_MODEL], b->key[PTC_KEY_MODEL]) == 0;
}

static bool same_host(const struct ptc_run_group *a, const struct ptc_run_group *b) {
    return strcmp(a->key[PTC_KEY_HOST], b->key[PTC_KEY_HOST]) == 0;
}

static bool is_seq(const struct ptc_run_group *g) {
    return strcmp(g->key[PTC_KEY_MODEL], "seq") == 0;
}

static double workers(const struct ptc_run_group *g) {
    return strtod(g->key[PTC_KEY_WORKERS], NULL);
}

/* The group of group i's model within i's size at its best W: the lowest median of them. */
static const struct ptc_run_group *best(const struct views *v, size_t i) {
    return &v->gs->g[v->best[v->model.first[i]]];
}

static size_t find_best(const struct views *v, size_t first) {
    size_t b = first;
    for (size_t j = first; j != PTC_CLASS_END; j = v->model.next[j])
        if (v->gs->g[j].s.median < v->gs->g[b].s.median)
            b = j;
    return b;
}

static void views_free(struct views *v) {
    ptc_classes_free(&v->host);
    ptc_classes_free(&v->size);
    ptc_classes_free(&v->model);
    free(v->best);
}

static int views_build(const struct ptc_run_groups *gs, struct views *v) {
    *v = (struct views){.gs = gs};
    uint64_t size = ptc_run_groups_size_keys(gs);
    if (ptc_run_groups_classes(gs, UINT64_C(1) << PTC_KEY_HOST, same_host, &v->host) < 0 ||
        ptc_run_groups_classes(gs, size, ptc_run_groups_same_size, &v->size) < 0 ||
        ptc_run_groups_classes(gs, size | UINT64_C(1) << PTC_KEY_MODEL, same_model, &v->model) <
            0 ||
        (v->best = malloc((gs->n ? gs->n : 1) * sizeof *v->best)) == NULL) {
        views_free(v);
        return -ENOMEM;
    }
    for (size_t i = 0; i < gs->n; i++)
        if (v->model.first[i] == i)
            v->best[i] = find_best(v, i);
    for (size_t k = 0; k < PTC_N_FIXED_KEYS; k++)
        for (size_t i = 1; i < gs->n && k != PTC_KEY_HOST && ptc_run_key_is_machine(k); i++)
            v->build_varies[k] |= strcmp(gs->g[i].key[k], gs->g[0].key[k]) != 0;
    return 0;
}

/* "(host h)", with the build keys that differ among the groups: "(host h, git_rev 1a2b)"; an
 * empty one as "-", but the runtime of the C runs, which is C. */
static void machine_label(const struct views *v, const struct ptc_run_group *g, FILE *md) {
    char e[PTC_MD_KEY_MAX];
    fprintf(md, "(host %s", MD(e, g->key[PTC_KEY_HOST]));
    for (size_t k = 0; k < PTC_N_FIXED_KEYS; k++)
        if (v->build_varies[k])
            fprintf(md, ", %s %s", ptc_run_key_col(k),
                    *g->key[k]             ? MD(e, g->key[k])
                    : k == PTC_KEY_RUNTIME ? "C"
                                           : "-");
    fprintf(md, ")");
}

/* CPU-bound speedups against the parallel capacity measured beside the same runs: a pool at
 * 1.26x on a machine that delivered 1.27x is at its limit, not slow. */
static void capacity_sentence(const struct views *v, size_t i, const struct ptc_run_group *seq,
                              FILE *md) {
    const struct ptc_run_groups *gs = v->gs;
    size_t probes;
    double cap = ptc_run_groups_capacity(gs, &v->size, i, &probes);
    if (strcmp(gs->g[i].key[PTC_KEY_WORKLOAD], "cpu") != 0 || isnan(cap))
        return;
    fprintf(md, " Against the parallel capacity %.2fx (median of %zu runs' probes):", cap, probes);
    const char *sep = " ";
    for (size_t j = i; j != PTC_CLASS_END; j = v->size.next[j]) {
        const struct ptc_run_group *g = &gs->g[j];
        if (g == seq || best(v, j) != g || isnan(g->speedup))
            continue;
        char m[PTC_MD_KEY_MAX], w[PTC_MD_KEY_MAX];
        fprintf(md, "%s%s W=%s %.2fx = %.2f of it", sep, MD(m, g->key[PTC_KEY_MODEL]),
                MD(w, g->key[PTC_KEY_WORKERS]), g->speedup, g->speedup / cap);
        sep = ", ";
    }
    fprintf(md, ".");
}

/* The configurations of the size whose runs ptc-run called disturbed, with how many. */
static void disturbed_sentence(const struct views *v, size_t i, FILE *md) {
    const char *sep = " **Disturbed runs** (the machine was busy): ";
    for (size_t j = i; j != PTC_CLASS_END; j = v->size.next[j]) {
        const struct ptc_run_group *g = &v->gs->g[j];
        if (g->disturbed == 0)
            continue;
        char m[PTC_MD_KEY_MAX], w[PTC_MD_KEY_MAX];
        fprintf(md, "%s%s W=%s %zu/%zu", sep, MD(m, g->key[PTC_KEY_MODEL]),
                MD(w, g->key[PTC_KEY_WORKERS]), g->disturbed, g->n);
        sep = ", ";
    }
    if (*sep == ',')
        fprintf(md, ".");
}

/* Per host: how many runs were disturbed, and the range of the parallel capacity. */
static void condition_line(const struct views *v, size_t i, FILE *md) {
    const struct ptc_run_groups *gs = v->gs;
    size_t runs = 0, disturbed = 0, probes = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t j = i; j != PTC_CLASS_END; j = v->host.next[j]) {
        const struct ptc_run_group *g = &gs->g[j];
        runs += g->n;
        disturbed += g->disturbed;
        for (size_t k = 0; k < g->n; k++)
            if (!isnan(g->capacity[k])) {
                lo = fmin(lo, g->capacity[k]);
                hi = fmax(hi, g->capacity[k]);
            }
    }
    double median = ptc_run_groups_capacity(gs, &v->host, i, &probes);
    char h[PTC_MD_KEY_MAX];
    fprintf(md, "- Machine condition (host %s): %s%zu of %zu runs disturbed%s; ",
            MD(h, gs->g[i].key[PTC_KEY_HOST]), disturbed ? "**the machine was busy: " : "",
            disturbed, runs, disturbed ? "**" : "");
    if (probes > 0)
        fprintf(md, "parallel capacity %.2fx to %.2fx, median %.2fx over %zu runs.\n", lo, hi,
                median, probes);
    else
        fprintf(md, "parallel capacity not measured.\n");
}

/* A model's speedup against seq and its median, or the median alone without a seq. */
static void put_result(const struct ptc_run_group *g, FILE *md) {
    char ms[32];
    if (!isnan(g->speedup))
        fprintf(md, g->speedup >= 0.1 ? "%.2fx (%s)" : "%.2gx (%s)", g->speedup,
                ptc_findings_ms(ms, sizeof ms, g->s.median));
    else
        fprintf(md, "%s", ptc_findings_ms(ms, sizeof ms, g->s.median));
}

/* Orders groups (indices into the groups gs) by W, then as they appear in the input. */
static int by_workers(const void *pa, const void *pb, void *gs) {
    const struct ptc_run_group *g = ((const struct ptc_run_groups *)gs)->g;
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    double wa = workers(&g[a]), wb = workers(&g[b]);
    return wa < wb ? -1 : wa > wb ? 1 : (a > b) - (a < b);
}

/* True when an earlier group of at[0..k) has the model of group at[k]. */
static bool model_seen(const struct ptc_run_groups *gs, const size_t *at, size_t k) {
    for (size_t q = 0; q < k; q++)
        if (strcmp(gs->g[at[q]].key[PTC_KEY_MODEL], gs->g[at[k]].key[PTC_KEY_MODEL]) == 0)
            return true;
    return false;
}

/* Like with like: "at W=8: procpool 7.76x (51.5 ms), fork 7.74x (51.7 ms); " for every W that
 * more than one model (seq aside) ran at in group i's size; the first group of a model at a W
 * when it has several (pollers). Returns 0 or -ENOMEM. */
static int same_w_sentences(const struct views *v, size_t i, FILE *md) {
    const struct ptc_run_groups *gs = v->gs;
    size_t n = 0;
    for (size_t j = i; j != PTC_CLASS_END; j = v->size.next[j])
        n += !is_seq(&gs->g[j]);
    size_t *at = malloc((n ? n : 1) * sizeof *at);
    if (at == NULL)
        return -ENOMEM;
    n = 0;
    for (size_t j = i; j != PTC_CLASS_END; j = v->size.next[j])
        if (!is_seq(&gs->g[j]))
            at[n++] = j;
    qsort_r(at, n, sizeof *at, by_workers, (void *)gs);
    for (size_t lo = 0, hi; lo < n; lo = hi) {
        size_t models = 0;
        for (hi = lo; hi < n && workers(&gs->g[at[hi]]) == workers(&gs->g[at[lo]]); hi++)
            models += !model_seen(gs, at + lo, hi - lo);
        if (models < 2)
            continue;
        char e[PTC_MD_KEY_MAX];
        fprintf(md, "at W=%s: ", MD(e, gs->g[at[lo]].key[PTC_KEY_WORKERS]));
        for (size_t k = lo; k < hi; k++) {
            if (model_seen(gs, at + lo, k - lo))
                continue;
            fprintf(md, "%s%s ", k > lo ? ", " : "", MD(e, gs->g[at[k]].key[PTC_KEY_MODEL]));
            put_result(&gs->g[at[k]], md);
        }
        fprintf(md, "; ");
    }
    free(at);
    return 0;
}

/* One bullet per workload and size: seq, the models at each W more than one of them ran, each
 * model at its best W, the fastest, then the capacity and disturbed runs. Returns 0 or -ENOMEM. */
static int size_line(const struct views *v, size_t i, FILE *md) {
    const struct ptc_run_groups *gs = v->gs;
    const struct ptc_run_group *seq = NULL, *fastest = NULL;
    for (size_t j = i; j != PTC_CLASS_END; j = v->size.next[j]) {
        const struct ptc_run_group *g = &gs->g[j];
        if (is_seq(g))
            seq = g;
        if (fastest == NULL || g->s.median < fastest->s.median)
            fastest = g;
    }
    char sz[160], ms[32], e1[PTC_MD_KEY_MAX], e2[PTC_MD_KEY_MAX];
    fprintf(md, "- **%s**, %s ", MD(e1, gs->g[i].key[PTC_KEY_WORKLOAD]),
            MD(e2, ptc_run_group_size_text(&gs->g[i], sz, sizeof sz)));
    machine_label(v, &gs->g[i], md);
    fprintf(md, ": ");
    if (seq != NULL)
        fprintf(md, "seq %s; ", ptc_findings_ms(ms, sizeof ms, seq->s.median));
    else
        fprintf(md, "no seq run at this size; ");
    if (same_w_sentences(v, i, md) < 0)
        return -ENOMEM;
    const char *sep = "each at its best W: ";
    for (size_t j = i; j != PTC_CLASS_END; j = v->size.next[j]) {
        const struct ptc_run_group *g = &gs->g[j];
        if (g == seq || best(v, j) != g)
            continue;
        fprintf(md, "%s%s W=%s ", sep, MD(e1, g->key[PTC_KEY_MODEL]),
                MD(e2, g->key[PTC_KEY_WORKERS]));
        put_result(g, md);
        sep = ", ";
    }
    if (*sep == ',')
        fprintf(md, "; ");
    fprintf(md, "fastest: %s W=%s, %s.", MD(e1, fastest->key[PTC_KEY_MODEL]),
            MD(e2, fastest->key[PTC_KEY_WORKERS]),
            ptc_findings_ms(ms, sizeof ms, fastest->s.median));
    capacity_sentence(v, i, seq, md);
    disturbed_sentence(v, i, md);
    fprintf(md, "\n");
    return 0;
}

/* "96.1 %" or "93.8-98.4 %": a range of percentages, one number when it is one. */
static char *percent_range(char *buf, size_t size, double lo, double hi) {
    if (lo == hi)
        snprintf(buf, size, "%.1f %%", 100 * lo);
    else
        snprintf(buf, size, "%.1f-%.1f %%", 100 * lo, 100 * hi);
    return buf;
}

/* How far the medians above can be trusted: how many configurations had enough runs for a 95 %
 * interval of the median and the coverage their intervals reach, and how many did not, with what
 * their min-max would cover, so that a reader never takes the range of 3 runs for a 95 % CI. */
static void stats_line(const struct ptc_run_groups *gs, FILE *md) {
    size_t ok = 0, few = 0, few_lo_n = SIZE_MAX, few_hi_n = 0;
    double ok_lo = 1, ok_hi = 0, few_lo = 1, few_hi = 0;
    for (size_t i = 0; i < gs->n; i++) {
        const struct ptc_median_ci *ci = &gs->g[i].ci;
        if (ci->supported) {
            ok++;
            ok_lo = fmin(ok_lo, ci->coverage);
            ok_hi = fmax(ok_hi, ci->coverage);
        } else {
            few++;
            few_lo = fmin(few_lo, ci->coverage);
            few_hi = fmax(few_hi, ci->coverage);
            few_lo_n = gs->g[i].n < few_lo_n ? gs->g[i].n : few_lo_n;
            few_hi_n = gs->g[i].n > few_hi_n ? gs->g[i].n : few_hi_n;
        }
    }
    char pct[48];
    fprintf(md,
            "- Statistics: %zu of %zu configurations have %zu or more runs and a %.4g %% CI of "
            "the median from order statistics",
            ok, gs->n, ptc_median_ci_min_n(PTC_CI_LEVEL), 100 * PTC_CI_LEVEL);
    if (ok > 0)
        fprintf(md, " (exact coverage %s)", percent_range(pct, sizeof pct, ok_lo, ok_hi));
    if (few > 0 && few_lo_n == few_hi_n)
        fprintf(md, "; %zu have %zu runs", few, few_lo_n);
    else if (few > 0)
        fprintf(md, "; %zu have %zu-%zu runs", few, few_lo_n, few_hi_n);
    if (few > 0)
        fprintf(md, ", too few for one: their min-max holds the median only %s of the time",
                percent_range(pct, sizeof pct, few_lo, few_hi));
    fprintf(md, ".\n");
}

int ptc_findings_runs(const struct ptc_run_groups *gs, FILE *md) {
    struct views v;
    if (views_build(gs, &v) < 0)
        return -ENOMEM;
    for (size_t i = 0; i < gs->n; i++)
        if (v.host.first[i] == i)
            condition_line(&v, i, md);
    for (size_t i = 0; i < gs->n; i++)
        if (v.size.first[i] == i && size_line(&v, i, md) < 0) {
            views_free(&v);
            return -ENOMEM;
        }
    if (ptc_findings_runtimes(gs, md) < 0) {
        views_free(&v);
        return -ENOMEM;
    }
    if (gs->n > 0)
        stats_line(gs, md);
    views_free(&v);
    return 0;
}

static const char *cell(const struct ptc_table *t, size_t r, ssize_t c) {
    return c >= 0 ? ptc_table_cell(t, r, (size_t)c) : "";
}

/* True when no row before r has the same value in column c. */
static bool first_value(const struct ptc_table *t, size_t r, ssize_t c, ssize_t within,
                        size_t within_row) {
    for (size_t q = 0; q < r; q++)
        if (strcmp(cell(t, q, c), cell(t, r, c)) == 0 &&
            (within < 0 || strcmp(cell(t, q, within), cell(t, within_row, within)) == 0))
            return false;
    return true;
}

void ptc_findings_claims(const struct ptc_table *t, FILE *md) {
    ssize_t lang = ptc_table_col(t, "language"), verdict = ptc_table_col(t, "verdict"),
            id = ptc_table_col(t, "id");
    for (size_t r = 0; r < t->n_rows; r++) {
        if (!first_value(t, r, lang, -1, 0))
            continue;
        char e1[PTC_MD_KEY_MAX], e2[PTC_MD_KEY_MAX];
        fprintf(md,
                "- Claims ledger, %s (%s): ", *cell(t, r, lang) ? MD(e1, cell(t, r, lang)) : "-",
                MD(e2, t->path));
        const char *sep = "";
        for (size_t v = 0; v < t->n_rows; v++) {
            if (strcmp(cell(t, v, lang), cell(t, r, lang)) != 0 ||
                !first_value(t, v, verdict, lang, v))
                continue;
            size_t count = 0;
            for (size_t q = 0; q < t->n_rows; q++)
                count += strcmp(cell(t, q, lang), cell(t, r, lang)) == 0 &&
                         strcmp(cell(t, q, verdict), cell(t, v, verdict)) == 0;
            fprintf(md, "%s%zu %s (", sep, count, MD(e1, cell(t, v, verdict)));
            const char *idsep = "";
            for (size_t q = 0; q < t->n_rows; q++)
                if (strcmp(cell(t, q, lang), cell(t, r, lang)) == 0 &&
                    strcmp(cell(t, q, verdict), cell(t, v, verdict)) == 0) {
                    fprintf(md, "%s%s", idsep, MD(e1, cell(t, q, id)));
                    idsep = " ";
                }
            fprintf(md, ")");
            sep = ", ";
        }
        fprintf(md, ".\n");
    }
}
