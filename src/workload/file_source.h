/* The file workload's source files: --file-kib KiB of seeded bytes per task, the same for every
 * program that copies them (ptc-run's file workload, and the peer runners through ptc-aid). */
#ifndef PTC_WORKLOAD_FILE_SOURCE_H
#define PTC_WORKLOAD_FILE_SOURCE_H

#include <stdint.h>

#define PTC_FILE_CHUNK_BYTES (64 * 1024) /* what a copy reads and writes at once */
#define PTC_FILE_STREAM      6           /* the random stream of the contents */

/* Writes task's source file at path (created 0600, truncated): 8-byte little-endian words, word
 * k being ptc_task_random(seed ^ k, task, PTC_FILE_STREAM). buf holds PTC_FILE_CHUNK_BYTES.
 * Stores the content's FNV-1a 64 hash in *hash. Returns 0 or a negative errno (a short write
 * on a full disk names its cause: -ENOSPC, -EFBIG). */
int ptc_file_write_source(const char *path, uint64_t seed, uint32_t task, uint32_t file_kib,
                          unsigned char *buf, uint64_t *hash);

#endif
