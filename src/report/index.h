/* An open-addressing hash index over items the caller keeps in its own arrays (groups, strings):
 * it stores item numbers only, so that finding an item by key costs O(1) and the items stay
 * where they are. Not thread-safe. */
#ifndef PTC_REPORT_INDEX_H
#define PTC_REPORT_INDEX_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ptc_index {
    size_t *slot; /* [mask + 1] item + 1, 0 when empty */
    size_t mask;  /* a power of two minus one; 0 before the first ptc_index_reserve */
};

/* Called with the caller's ctx: is item the one sought; the hash of item. */
typedef bool ptc_index_eq_fn(const void *ctx, size_t item);
typedef uint64_t ptc_index_hash_fn(const void *ctx, size_t item);

/* Makes room for n_items (at most half full), rehashing items 0..n_items-1 by hash(ctx, i) when
 * it grows. Returns 0 or -ENOMEM (the index unchanged). */
int ptc_index_reserve(struct ptc_index *ix, size_t n_items, ptc_index_hash_fn *hash,
                      const void *ctx);
/* The slot of the item with hash h that eq(ctx, item) accepts, or the empty slot where such an
 * item goes (*slot == 0): store item + 1 there. Needs a ptc_index_reserve first. */
size_t *ptc_index_find(const struct ptc_index *ix, uint64_t h, ptc_index_eq_fn *eq,
                       const void *ctx);
void ptc_index_free(struct ptc_index *ix);

/* FNV-1a of a string, its NUL included, continuing from h: keys of several strings hash apart. */
uint64_t ptc_index_hash_str(uint64_t h, const char *s);

#endif
