/* The findings across runtimes: for each workload and size that more than one runtime ran (C,
 * and the peers of scripts/python/peer.py and peers/go, told apart by the runtime column), the
 * best speedup against its own seq that each runtime's threads, processes and coroutines reach,
 * with the model and W that reached it, beside the parallel capacity the C runs measured. */
#include "report/findings.h"

#include "report/md.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum kind { THREADS, PROCESSES, COROUTINES, N_KINDS, OTHER = N_KINDS };
static const char *const kind_names[N_KINDS] = {"threads", "processes", "coroutines"};

/* What model m runs its tasks on; seq and a model of no family: OTHER. */
static enum kind kind_of(const char *m) {
    static const struct {
        const char *model;
        enum kind kind;
    } table[] = {
        {"fork", PROCESSES},          {"procpool", PROCESSES},
        {"py-process", PROCESSES},    {"py-pool", PROCESSES},
        {"thread", THREADS},          {"threadpool", THREADS},
        {"py-thread", THREADS},       {"py-threadpool", THREADS},
        {"coro", COROUTINES},         {"coropool", COROUTINES},
        {"coromn", COROUTINES},       {"coromnpool", COROUTINES},
        {"py-gevent", COROUTINES},    {"py-geventpool", COROUTINES},
        {"py-asyncio", COROUTINES},   {"py-asynciopool", COROUTINES},
        {"go-goroutine", COROUTINES}, {"go-pool", COROUTINES},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].model, m) == 0)
            return table[i].kind;
    return OTHER;
}

/* A setting the runtimes may differ in: the iterations of work calibrated to --task-ms (a
 * pure-Python step is a hundred C steps), and the task length itself (Python's cpu tasks outlast
 * the start of its processes): each runtime's speedup is against its own seq at its own length,
 * and the line names a length that differs from the first runtime's. */
static bool runtime_setting(const char *col) {
    return strcmp(col, "iterations") == 0 || strcmp(col, "task_ms") == 0;
}

/* The size keys but the runtime (and, for timed work, its runtime settings): the same work on the
 * same machine and build. */
static bool same_work(const struct ptc_run_group *a, const struct ptc_run_group *b) {
    bool timed = *ptc_run_group_setting(a, "task_ms") != '\0' &&
                 *ptc_run_group_setting(b, "task_ms") != '\0';
    for (size_t k = 0; k < PTC_N_FIXED_KEYS; k++)
        if (k != PTC_KEY_RUNTIME &&
            (ptc_run_key_is_machine(k) || k == PTC_KEY_WORKLOAD || k == PTC_KEY_TASKS) &&
            strcmp(a->key[k], b->key[k]) != 0)
            return false;
    for (size_t k = 0; a->setting_cols != NULL && a->setting_cols[k] != NULL; k++)
        if (!(timed && runtime_setting(a->setting_cols[k])) &&
            strcmp(a->key[PTC_N_FIXED_KEYS + k], b->key[PTC_N_FIXED_KEYS + k]) != 0)
            return false;
    return true;
}

/* The runtime's name as a reader says it: "C" for the C runs (no runtime column), else the
 * column's first word ("python 3.11.2 (gevent 22.10.2)": "python"; the versions are in the
 * machine label of each runtime's own findings). */
static void runtime_name(const struct ptc_run_group *g, char *buf, size_t size) {
    const char *r = g->key[PTC_KEY_RUNTIME];
    if (*r == '\0')
        snprintf(buf, size, "C");
    else
        snprintf(buf, size, "%.*s", (int)strcspn(r, " "), r);
}

/* Group i's class (next links in c): is its runtime the first of the class with that runtime? */
static bool first_of_runtime(const struct ptc_run_groups *gs, const struct ptc_run_classes *c,
                             size_t i) {
    for (size_t j = c->first[i]; j != i; j = c->next[j])
        if (strcmp(gs->g[j].key[PTC_KEY_RUNTIME], gs->g[i].key[PTC_KEY_RUNTIME]) == 0)
            return false;
    return true;
}

#define MD(buf, s) ptc_md_esc(buf, sizeof buf, s)

/* The group of the highest speedup among the groups of kind k and runtime of group r in r's
 * class; NULL when there is none. */
static const struct ptc_run_group *best_of(const struct ptc_run_groups *gs,
                                           const struct ptc_run_classes *c, size_t r, enum kind k) {
    const struct ptc_run_group *best = NULL;
    for (size_t j = r; j != PTC_CLASS_END; j = c->next[j]) {
        const struct ptc_run_group *g = &gs->g[j];
        if (strcmp(g->key[PTC_KEY_RUNTIME], gs->g[r].key[PTC_KEY_RUNTIME]) == 0 &&
            kind_of(g->key[PTC_KEY_MODEL]) == k && !isnan(g->speedup) &&
            (best == NULL || g->speedup > best->speedup))
            best = g;
    }
    return best;
}

/* "- **Across runtimes**, cpu, 8 tasks × 50 ms: threads: C 1.96x (threadpool W=2, 1.97 CPUs
 * busy), python 0.97x (py-thread W=8, 1.00 CPUs busy); processes: ...; the parallel capacity
 * 1.98x (...)." The CPUs busy ((user + sys) / wall) say what a speedup cannot when the machine's
 * speed changed between the runs compared. */
static void class_line(const struct ptc_run_groups *gs, const struct ptc_run_classes *c,
                       size_t first, FILE *md) {
    char sz[160], e1[PTC_MD_KEY_MAX], e2[PTC_MD_KEY_MAX], e3[PTC_MD_KEY_MAX], rt[64];
    const struct ptc_run_group *g0 = &gs->g[first];
    fprintf(md, "- **Across runtimes**, %s, %s: ", MD(e1, g0->key[PTC_KEY_WORKLOAD]),
            MD(e2, ptc_run_group_size_text(g0, sz, sizeof sz)));
    const char *kind_sep = "";
    for (int k = 0; k < N_KINDS; k++) {
        const char *sep = NULL;
        for (size_t r = first; r != PTC_CLASS_END; r = c->next[r]) {
            const struct ptc_run_group *best;
            if (!first_of_runtime(gs, c, r) || (best = best_of(gs, c, r, (enum kind)k)) == NULL)
                continue;
            if (sep == NULL)
                fprintf(md, "%s%s: ", kind_sep, kind_names[k]);
            runtime_name(best, rt, sizeof rt);
            fprintf(md, "%s%s %.2fx (%s W=%s", sep != NULL ? sep : "", MD(e1, rt), best->speedup,
                    MD(e2, best->key[PTC_KEY_MODEL]), MD(e3, best->key[PTC_KEY_WORKERS]));
            const char *tms = ptc_run_group_setting(best, "task_ms");
            if (strcmp(tms, ptc_run_group_setting(g0, "task_ms")) != 0)
                fprintf(md, ", %s ms tasks", MD(e2, tms));
            double busy = ptc_run_group_cpus_busy(best);
            fprintf(md, isnan(busy) ? ")" : ", %.2f CPUs busy)", busy);
            sep = ", ";
            kind_sep = "; ";
        }
    }
    /* The median of every probe of the class (ptc-run and the Python peer probe it). */
    size_t probes;
    double capacity = ptc_run_groups_capacity(gs, c, first, &probes);
    if (!isnan(capacity))
        fprintf(md, "%sthe parallel capacity %.2fx (median of %zu runs' probes)", kind_sep,
                capacity, probes);
    fprintf(md, ".\n");
}

/* How many runtimes of the class of first have a speedup of some kind to show (a task-count
 * sweep without its seq has none). */
static size_t runtimes_in(const struct ptc_run_groups *gs, const struct ptc_run_classes *c,
                          size_t first) {
    size_t n = 0;
    for (size_t j = first; j != PTC_CLASS_END; j = c->next[j]) {
        bool any = false;
        for (int k = 0; k < N_KINDS && !any; k++)
            any = best_of(gs, c, j, (enum kind)k) != NULL;
        n += first_of_runtime(gs, c, j) && any;
    }
    return n;
}

int ptc_findings_runtimes(const struct ptc_run_groups *gs, FILE *md) {
    struct ptc_run_classes c;
    uint64_t keys = ptc_run_groups_size_keys(gs) & ~(UINT64_C(1) << PTC_KEY_RUNTIME);
    for (size_t k = 0; gs->setting_cols != NULL && gs->setting_cols[k] != NULL; k++)
        if (runtime_setting(gs->setting_cols[k]) && PTC_N_FIXED_KEYS + k < 64)
            keys &= ~(UINT64_C(1) << (PTC_N_FIXED_KEYS + k));
    if (ptc_run_groups_classes(gs, keys, same_work, &c) < 0)
        return -ENOMEM;
    for (size_t i = 0; i < gs->n; i++)
        if (c.first[i] == i && runtimes_in(gs, &c, i) > 1)
            class_line(gs, &c, i, md);
    ptc_classes_free(&c);
    return 0;
}
