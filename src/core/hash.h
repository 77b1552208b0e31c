/* FNV-1a, 64 bits: a cheap incremental hash for checksums of copied and received bytes. Not
 * cryptographic; it catches a wrong, missing, reordered or extra byte. Pure, thread-safe. */
#ifndef PTC_CORE_HASH_H
#define PTC_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>

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
