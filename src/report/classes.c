#include "report/classes.h"

#include "report/index.h"

#include <errno.h>
#include <stdlib.h>

struct build {
    ptc_class_same_fn *same;
    const void *ctx;
    const uint64_t *hash; /* [n] */
    size_t i;             /* the item being placed */
};

static bool like(const void *ctx, size_t head) {
    const struct build *b = ctx;
    return b->hash[head] == b->hash[b->i] && b->same(b->ctx, head, b->i);
}

static uint64_t hash_of(const void *ctx, size_t head) {
    return ((const struct build *)ctx)->hash[head];
}

int ptc_classes_build(size_t n, ptc_class_hash_fn *hash, ptc_class_same_fn *same, const void *ctx,
                      struct ptc_run_classes *c) {
    size_t size = n ? n : 1;
    uint64_t *h = malloc(size * sizeof *h);
    size_t *tail = malloc(size * sizeof *tail);
    struct ptc_index ix = {0};
    c->first = malloc(size * sizeof *c->first);
    c->next = malloc(size * sizeof *c->next);
    struct build b = {same, ctx, h, 0};
    int rc = h == NULL || tail == NULL || c->first == NULL || c->next == NULL ||
                     ptc_index_reserve(&ix, n, hash_of, &b) < 0
                 ? -ENOMEM
                 : 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        h[i] = hash(ctx, i);
        b.i = i;
        size_t *slot = ptc_index_find(&ix, h[i], like, &b);
        c->next[i] = PTC_CLASS_END;
        if (*slot == 0) {
            *slot = i + 1;
            c->first[i] = tail[i] = i;
        } else {
            size_t head = *slot - 1;
            c->first[i] = head;
            c->next[tail[head]] = i;
            tail[head] = i;
        }
    }
    free(h);
    free(tail);
    ptc_index_free(&ix);
    if (rc < 0)
        ptc_classes_free(c);
    return rc;
}

void ptc_classes_free(struct ptc_run_classes *c) {
    free(c->first);
    free(c->next);
    *c = (struct ptc_run_classes){0};
}
