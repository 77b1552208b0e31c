/* The bodies the net server sends and the hash its clients check them with.
 *
 * Every body is a window of one pattern: PTC_NET_PATTERN_BYTES of seeded pseudo-random bytes,
 * made once per process and repeated. Task t's body starts at an offset that its number picks,
 * distinct for every task below PTC_NET_PATTERN_BYTES, so a client that got another task's body,
 * or its own shifted, truncated or damaged, has a different hash. Serving is then a send from
 * memory that was written once: no byte is generated per request. */
#ifndef PTC_WORKLOAD_NET_BODY_H
#define PTC_WORKLOAD_NET_BODY_H

#include <stddef.h>
#include <stdint.h>

#define PTC_NET_PATTERN_BYTES (1u << 20) /* the period of every body: 1 MiB */

/* Makes the pattern (about 1 ms, 2 MiB of memory); later calls return at once. The server start
 * calls it before forking, so the server and the benchmark share the pages the parent wrote.
 * The functions below call it themselves. Thread-safe. */
void ptc_net_body_prepare(void);

/* The bytes of task's body from offset on: a pointer into the pattern, valid for the whole
 * process, and in *len how many bytes follow contiguously there (at least
 * PTC_NET_PATTERN_BYTES). Thread-safe. */
const uint8_t *ptc_net_body_span(uint32_t task, uint64_t offset, size_t *len);

/* Body byte number offset (0-based) of task's answer. Thread-safe. */
uint8_t ptc_net_body_byte(uint32_t task, uint64_t offset);

/* The ptc_hash (XXH3-64, core/hash.h) of task's whole body of kib KiB: what a client that
 * hashed everything it received must have. About 0.1 ns per byte. Thread-safe. */
uint64_t ptc_net_body_checksum(uint32_t task, uint32_t kib);

#endif
