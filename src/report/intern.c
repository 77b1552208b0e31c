#include "report/intern.h"

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
    return c->p->hash[i] == c->h && strcmp(c->p->str[i], c->s) == 0;
}

static uint64_t hash_of(const void *ctx, size_t i) {
    return ((const struct ptc_intern *)ctx)->hash[i];
}

const char *ptc_intern(struct ptc_intern *p, const char *s) {
    struct probe_ctx c = {p, s, ptc_index_hash_str(PTC_FNV1A64_INIT, s)};
    if (ptc_index_reserve(&p->index, p->n + 1, hash_of, p) < 0)
        return NULL;
    size_t *slot = ptc_index_find(&p->index, c.h, same_str, &c);
    if (*slot != 0)
        return p->str[*slot - 1];
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        char **str = realloc(p->str, cap * sizeof *str);
        if (str != NULL)
            p->str = str;
        uint64_t *hash = realloc(p->hash, cap * sizeof *hash);
        if (hash != NULL)
            p->hash = hash;
        if (str == NULL || hash == NULL)
            return NULL;
        p->cap = cap;
    }
    if ((p->str[p->n] = strdup(s)) == NULL)
        return NULL;
    p->hash[p->n] = c.h;
    *slot = ++p->n;
    return p->str[p->n - 1];
}

void ptc_intern_free(struct ptc_intern *p) {
    for (size_t i = 0; i < p->n; i++)
        free(p->str[i]);
    free(p->str);
    free(p->hash);
    ptc_index_free(&p->index);
    *p = (struct ptc_intern){0};
}
