#include "report/hosts.h"

#include "core/format.h"
#include "report/md.h"

#include <stdbool.h>
#include <string.h>

/* True when a and b are the same configuration, the host aside; and the iterations aside when
 * the task length is given, since ptc-run calibrates them to it on each machine. */
static bool same_config(const struct ptc_run_group *a, const struct ptc_run_group *b) {
    for (size_t k = 0; k < PTC_N_FIXED_KEYS; k++)
        if (k != PTC_KEY_HOST && strcmp(a->key[k], b->key[k]) != 0)
            return false;
    for (size_t k = 0; a->setting_cols[k] != NULL; k++) {
        bool calibrated = strcmp(a->setting_cols[k], "iterations") == 0 &&
                          *ptc_run_group_setting(a, "task_ms") != '\0';
        if (!calibrated && strcmp(a->key[PTC_N_FIXED_KEYS + k], b->key[PTC_N_FIXED_KEYS + k]) != 0)
            return false;
    }
    return true;
}

void ptc_run_groups_hosts_md(const struct ptc_run_groups *gs, FILE *md) {
    bool several = false;
    for (size_t i = 1; i < gs->n && !several; i++)
        several = strcmp(gs->g[i].key[PTC_KEY_HOST], gs->g[0].key[PTC_KEY_HOST]) != 0;
    if (!several)
        return;
    fprintf(md, "\n## Across hosts\n\nThe configurations that ran on more than one host: each "
                "host's median wall time, and in brackets its ratio to the first host's.\n\n"
                "| workload | size | model | W | medians |\n|---|---|---|---|---|\n");
    for (size_t i = 0; i < gs->n; i++) {
        const struct ptc_run_group *first = &gs->g[i];
        size_t hosts = 0;
        for (size_t j = i; j < gs->n; j++)
            hosts += same_config(&gs->g[j], first);
        if (!ptc_run_groups_first_of(gs, i, same_config) || hosts < 2)
            continue;
        char sz[160], med[24];
        fputs("| ", md);
        ptc_md_put(md, first->key[PTC_KEY_WORKLOAD]);
        fputs(" | ", md);
        ptc_md_put(md, ptc_run_group_size_text(first, sz, sizeof sz));
        fputs(" | ", md);
        ptc_md_put(md, first->key[PTC_KEY_MODEL]);
        fputs(" | ", md);
        ptc_md_put(md, first->key[PTC_KEY_WORKERS]);
        fputs(" | ", md);
        const char *sep = "";
        for (size_t j = i; j < gs->n; j++) {
            const struct ptc_run_group *g = &gs->g[j];
            if (!same_config(g, first))
                continue;
            fputs(sep, md);
            ptc_md_put(md, g->key[PTC_KEY_HOST]);
            fprintf(md, " %s (%.2fx)", ptc_fmt_ns(med, sizeof med, g->s.median),
                    g->s.median / first->s.median);
            sep = "; ";
        }
        fprintf(md, " |\n");
    }
}
