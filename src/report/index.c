#include "report/index.h"

#include "core/hash.h"
#include "core/rand.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Items with equal hashes share a probe sequence; eq tells them apart. The start slot comes from
 * the hash mixed again: the low bits a mask keeps of FNV-1a follow only the low bits of each byte
 * while the table has fewer than 256 slots. On sweep-shaped keys (smoke_report_scale_sweep.sh)
 * the unmixed hash probed as few slots; the mix costs a few ns a lookup. */
static size_t *probe(size_t *slot, size_t mask, uint64_t h, ptc_index_eq_fn *eq, const void *ctx) {
    for (size_t i = (size_t)ptc_mix64(h) & mask;; i = (i + 1) & mask)
        if (slot[i] == 0 || (eq != NULL && eq(ctx, slot[i] - 1)))
            return &slot[i];
}

int ptc_index_reserve(struct ptc_index *ix, size_t n_items, ptc_index_hash_fn *hash,
                      const void *ctx) {
    if (ix->mask != 0 && 2 * n_items <= ix->mask + 1)
        return 0;
    size_t size = 16;
    while (size < 2 * n_items)
        size *= 2;
    size_t *slot = calloc(size, sizeof *slot);
    if (slot == NULL)
        return -ENOMEM;
    for (size_t i = 0; ix->slot != NULL && i <= ix->mask; i++)
        if (ix->slot[i] != 0)
            *probe(slot, size - 1, hash(ctx, ix->slot[i] - 1), NULL, NULL) = ix->slot[i];
    free(ix->slot);
    ix->slot = slot;
    ix->mask = size - 1;
    return 0;
}

size_t *ptc_index_find(const struct ptc_index *ix, uint64_t h, ptc_index_eq_fn *eq,
                       const void *ctx) {
    return probe(ix->slot, ix->mask, h, eq, ctx);
}

void ptc_index_free(struct ptc_index *ix) {
    free(ix->slot);
    *ix = (struct ptc_index){0};
}

uint64_t ptc_index_hash_str(uint64_t h, const char *s) {
    return ptc_fnv1a64(h, s, strlen(s) + 1);
}
