/* XXH3's AVX2 loop, compiled with -mavx2 (CMakeLists.txt) and called by hash.c only on CPUs
 * that have AVX2. Debian's libxxhash is built for baseline x86-64 (SSE2): 0.2-0.25 ns per byte
 * here, against 0.05-0.06 for the same code with AVX2. The state is the library's own (same
 * header, same layout), so either loop may continue it and the digest is the same. */
#include "core/hash.h"

#if defined(__x86_64__) && defined(__AVX2__)
#undef XXH_STATIC_LINKING_ONLY
#define XXH_INLINE_ALL /* private static copies, renamed: no clash with the library */
#include <xxhash.h>

void ptc_hash_update_avx2(struct ptc_hash *h, const void *buf, size_t len) {
    XXH3_64bits_update((XXH3_state_t *)(void *)&h->xxh, buf, len);
}
#endif
