#include "core/hash.h"

void ptc_hash_update(struct ptc_hash *h, const void *buf, size_t len) {
#if defined(PTC_HASH_AVX2)
    /* libgcc fills the CPU model before main: this is a load and a test per call. */
    if (__builtin_cpu_supports("avx2")) {
        ptc_hash_update_avx2(h, buf, len);
        return;
    }
#endif
    XXH3_64bits_update(&h->xxh, buf, len);
}
