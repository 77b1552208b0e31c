/* Memory on cache lines of its own. Two threads' hot fields on one 64-byte line make each
 * thread's writes wait for the other's (false sharing): the M:N schedulers, one per thread, and
 * the work-stealing deque's two ends each take whole lines. */
#ifndef PTC_CORE_LINES_H
#define PTC_CORE_LINES_H

#include <stddef.h>

#define PTC_CACHE_LINE_BYTES 64

/* bytes of zeroed memory, aligned to a cache line and rounded up to whole lines, so that nothing
 * else shares its lines; free() it. NULL when out of memory. */
void *ptc_lines_calloc(size_t bytes);

#endif
