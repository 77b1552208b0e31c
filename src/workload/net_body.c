/* The pattern is stored twice in a row, so any window of up to one period is contiguous: the
 * server sends straight from it, and a body longer than a period just wraps around. */
#include "workload/net_body.h"

#include "core/hash.h"
#include "core/rand.h"

#include <pthread.h>

static uint8_t pattern[2 * PTC_NET_PATTERN_BYTES] __attribute__((aligned(64)));
static pthread_once_t pattern_once = PTHREAD_ONCE_INIT;

static void make_pattern(void) {
    /* splitmix64: each output word depends on all 64 bits of the state, so there is no short
     * period inside the pattern for a wrong offset to match by chance. */
    uint64_t x = 0x6a09e667f3bcc908ULL;
    for (size_t i = 0; i < PTC_NET_PATTERN_BYTES; i += 8) {
        uint64_t z = ptc_splitmix64(&x);
        for (size_t b = 0; b < 8; b++)
            pattern[i + b] = pattern[PTC_NET_PATTERN_BYTES + i + b] = (uint8_t)(z >> (8 * b));
    }
}

void ptc_net_body_prepare(void) {
    pthread_once(&pattern_once, make_pattern);
}

/* An odd multiplier is a bijection modulo a power of two: tasks below the period start at
 * distinct offsets, and neighbouring tasks start far apart. */
static uint32_t body_start(uint32_t task) {
    return (task * 2654435761u) % PTC_NET_PATTERN_BYTES;
}

const uint8_t *ptc_net_body_span(uint32_t task, uint64_t offset, size_t *len) {
    ptc_net_body_prepare();
    size_t pos = (size_t)((body_start(task) + offset) % PTC_NET_PATTERN_BYTES);
    *len = sizeof pattern - pos;
    return pattern + pos;
}

uint8_t ptc_net_body_byte(uint32_t task, uint64_t offset) {
    size_t len;
    return *ptc_net_body_span(task, offset, &len);
}

uint64_t ptc_net_body_checksum(uint32_t task, uint32_t kib) {
    struct ptc_hash h;
    ptc_hash_init(&h);
    uint64_t total = (uint64_t)kib * 1024;
    for (uint64_t off = 0; off < total;) {
        size_t len;
        const uint8_t *p = ptc_net_body_span(task, off, &len);
        if (len > total - off)
            len = (size_t)(total - off);
        ptc_hash_update(&h, p, len);
        off += len;
    }
    return ptc_hash_digest(&h);
}
