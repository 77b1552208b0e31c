/* Checksums of copied and received bytes. Not cryptographic: they catch a wrong, missing,
 * reordered or extra byte. Pure, thread-safe.
 *
 * ptc_hash (XXH3, 64 bits, from Debian's libxxhash) runs at memory speed (tens of GB/s on
 * data in cache): the one to use inside a timed task. FNV-1a costs about 1.4 ns per byte: only
 * outside the timing (setup, checks after a run). */
#ifndef PTC_CORE_HASH_H
#define PTC_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define XXH_STATIC_LINKING_ONLY /* XXH3_state_t's size, so a state can live on the stack */
#include <xxhash.h>

/* An incremental XXH3-64 state: ptc_hash_init, ptc_hash_update over the bytes in order
 * (how they are split does not change the result), ptc_hash_digest. About 600 bytes, aligned
 * to 64: fits a coroutine stack. One state per thread of use. */
struct ptc_hash {
    XXH3_state_t xxh;
};

static inline void ptc_hash_init(struct ptc_hash *h) {
    XXH3_64bits_reset(&h->xxh);
}

/* Takes XXH3's AVX2 loop where the CPU has it (hash_avx2.c), else the library's. */
void ptc_hash_update(struct ptc_hash *h, const void *buf, size_t len);
/* hash.c's AVX2 path; call ptc_hash_update instead. */
void ptc_hash_update_avx2(struct ptc_hash *h, const void *buf, size_t len);

static inline uint64_t ptc_hash_digest(const struct ptc_hash *h) {
    return XXH3_64bits_digest(&h->xxh);
}

#define PTC_FNV1A64_INIT 0xcbf29ce484222325ULL

static inline uint64_t ptc_fnv1a64(uint64_t h, const void *buf, size_t len) {
    const unsigned char *p = buf;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

#endif
