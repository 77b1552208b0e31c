/* ptc-report --compare: the configurations of BASE and NEW paired by key and tested by ranks. */
#include "report/compare.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

char *ptc_compare_config_text(const struct ptc_run_group *g, char *buf, size_t size) {
    char sz[160];
    const char *poller = g->key[PTC_KEY_POLLER], *sw = g->key[PTC_KEY_CORO_SWITCH];
    int n = snprintf(buf, size, "%s, %s, %s", g->key[PTC_KEY_WORKLOAD],
                     ptc_run_group_size_text(g, sz, sizeof sz), g->key[PTC_KEY_MODEL]);
    if ((*poller || *sw) && n >= 0 && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n, " (%s%s%s)", poller, *poller && *sw ? ", " : "",
                      sw);
    if (n >= 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, " W=%s", g->key[PTC_KEY_WORKERS]);
    return buf;
}

int ptc_compare_run(struct ptc_compare *c, char *msg, size_t msg_size) {
    const struct ptc_run_groups *base = &c->side[0].gs, *new = &c->side[1].gs;
    c->rows = calloc(base->n ? base->n : 1, sizeof *c->rows);
    if (c->rows == NULL) {
        snprintf(msg, msg_size, "out of memory");
        return -ENOMEM;
    }
    for (size_t i = 0; i < base->n; i++) {
        const struct ptc_run_group *b = &base->g[i];
        long j = ptc_run_groups_find(new, b->key);
        if (j < 0)
            continue;
        const struct ptc_run_group *n = &new->g[j];
        struct ptc_compare_row *row = &c->rows[c->n_rows];
        int rc = ptc_rank_compare(b->wall_ns, b->n, n->wall_ns, n->n, PTC_COMPARE_LEVEL, &row->r);
        if (rc < 0) {
            char cfg[256];
            ptc_compare_config_text(b, cfg, sizeof cfg);
            if (rc == -E2BIG)
                snprintf(msg, msg_size, "%s: %zu x %zu runs are more pairs than the rank test's %u",
                         cfg, b->n, n->n, PTC_RANK_MAX_PAIRS);
            else
                snprintf(msg, msg_size, "%s: cannot compare: %s", cfg, strerror(-rc));
            return rc;
        }
        row->base = i;
        row->new = (size_t)j;
        row->significant = row->r.p_value < PTC_COMPARE_ALPHA;
        c->n_rows++;
    }
    c->only[0] = base->n - c->n_rows;
    c->only[1] = new->n - c->n_rows;
    return 0;
}

void ptc_compare_free(struct ptc_compare *c) {
    ptc_compare_side_free(&c->side[0]);
    ptc_compare_side_free(&c->side[1]);
    free(c->rows);
    c->rows = NULL;
    c->n_rows = 0;
}
