#include "report/intern.h"

#include "core/grow.h"
#include "core/hash.h"

#include <stdlib.h>
#include <string.h>

struct probe_ctx {
    const struct ptc_intern *p;
    const char *s;
    uint64_t h;
};

static bool same_str(const void *ctx, size_t i) {
    const struct probe_ctx *c = ctx;
    return c->p->item[i].hash == c->h && strcmp(c->p->item[i].str, c->s) == 0;
}

static uint64_t hash_of(const void *ctx, size_t i) {
    return ((const struct ptc_intern *)ctx)->item[i].hash;
}

const char *ptc_intern(struct ptc_intern *p, const char *s) {
    struct probe_ctx c = {p, s, ptc_index_hash_str(PTC_FNV1A64_INIT, s)};
    if (ptc_index_reserve(&p->index, p->n + 1, hash_of, p) < 0)
        return NULL;
    size_t *slot = ptc_index_find(&p->index, c.h, same_str, &c);
    if (*slot != 0)
        return p->item[*slot - 1].str;
    struct ptc_interned *item = ptc_grow(p->item, p->n, &p->cap, sizeof *item, 64);
    if (item == NULL)
        return NULL;
    p->item = item;
    if ((item[p->n].str = strdup(s)) == NULL)
        return NULL;
    item[p->n].hash = c.h;
    *slot = ++p->n;
    return item[p->n - 1].str;
}

void ptc_intern_free(struct ptc_intern *p) {
    for (size_t i = 0; i < p->n; i++)
        free(p->item[i].str);
    free(p->item);
    ptc_index_free(&p->index);
    *p = (struct ptc_intern){0};
}
