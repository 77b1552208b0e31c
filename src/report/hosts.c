#include "report/hosts.h"

#include "core/format.h"
#include "report/md.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

/* True when a and b are the same configuration, the machine keys (host, kernel, build) aside;
 * and the iterations aside when the task length is given, since ptc-run calibrates them to it
 * on each machine. */
static bool same_config(const struct ptc_run_group *a, const struct ptc_run_group *b) {
    for (size_t k = 0; k < PTC_N_FIXED_KEYS; k++)
        if (!ptc_run_key_is_machine(k) && strcmp(a->key[k], b->key[k]) != 0)
            return false;
    for (size_t k = 0; a->setting_cols[k] != NULL; k++) {
        bool calibrated = strcmp(a->setting_cols[k], "iterations") == 0 &&
                          *ptc_run_group_setting(a, "task_ms") != '\0';
        if (!calibrated && strcmp(a->key[PTC_N_FIXED_KEYS + k], b->key[PTC_N_FIXED_KEYS + k]) != 0)
            return false;
    }
    return true;
}

/* The keys same_config requires equal: all but the machine keys and the iterations. */
static uint64_t config_keys(const struct ptc_run_groups *gs) {
    uint64_t keys = ptc_run_groups_settings_keys(gs);
    for (size_t k = 0; k < PTC_N_FIXED_KEYS; k++)
        if (!ptc_run_key_is_machine(k))
            keys |= UINT64_C(1) << k;
    for (size_t k = 0; gs->setting_cols[k] != NULL && PTC_N_FIXED_KEYS + k < 64; k++)
        if (strcmp(gs->setting_cols[k], "iterations") == 0)
            keys &= ~(UINT64_C(1) << (PTC_N_FIXED_KEYS + k));
    return keys;
}

int ptc_run_groups_hosts_md(const struct ptc_run_groups *gs, FILE *md) {
    bool several = false;
    for (size_t i = 1; i < gs->n && !several; i++)
        several = strcmp(gs->g[i].key[PTC_KEY_HOST], gs->g[0].key[PTC_KEY_HOST]) != 0;
    if (!several)
        return 0;
    struct ptc_run_classes c;
    if (ptc_run_groups_classes(gs, config_keys(gs), same_config, &c) < 0)
        return -ENOMEM;
    fprintf(md, "\n## Across hosts\n\nThe configurations that ran on more than one host: each "
                "host's median wall time, and in brackets its ratio to the first host's.\n\n"
                "| workload | size | model | W | medians |\n|---|---|---|---|---|\n");
    for (size_t i = 0; i < gs->n; i++) {
        const struct ptc_run_group *first = &gs->g[i];
        if (c.first[i] != i || c.next[i] == PTC_CLASS_END)
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
        for (size_t j = i; j != PTC_CLASS_END; j = c.next[j]) {
            const struct ptc_run_group *g = &gs->g[j];
            fputs(sep, md);
            ptc_md_put(md, g->key[PTC_KEY_HOST]);
            fprintf(md, " %s (%.2fx)", ptc_fmt_ns(med, sizeof med, g->s.median),
                    g->s.median / first->s.median);
            sep = "; ";
        }
        fprintf(md, " |\n");
    }
    ptc_classes_free(&c);
    return 0;
}
