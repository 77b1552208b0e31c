/* splitmix64 (Steele, Lea and Flood, 2014): well-mixed 64-bit numbers from a counter, seedable
 * and reproducible; every output bit depends on every bit of the state. Not for cryptography. */
#ifndef PTC_CORE_RAND_H
#define PTC_CORE_RAND_H

#include <stdint.h>

#define PTC_SPLITMIX64_GAMMA 0x9e3779b97f4a7c15ULL

/* splitmix64's output for state x (the state after the step that produced it, less gamma): a
 * well-mixed value from any 64-bit value, stateless. */
static inline uint64_t ptc_mix64(uint64_t x) {
    x += PTC_SPLITMIX64_GAMMA;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* The next number of the sequence whose state is *state; advances *state. */
static inline uint64_t ptc_splitmix64(uint64_t *state) {
    uint64_t x = *state;
    *state += PTC_SPLITMIX64_GAMMA;
    return ptc_mix64(x);
}

/* A double uniform in [0, 1) from the top 53 bits of r (Python's random.random()). */
static inline double ptc_unit_double(uint64_t r) {
    return (double)(r >> 11) / 9007199254740992.0;
}

#endif
