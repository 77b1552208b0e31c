#include "core/lines.h"

#include <stdlib.h>
#include <string.h>

void *ptc_lines_calloc(size_t bytes) {
    size_t whole = (bytes + PTC_CACHE_LINE_BYTES - 1) / PTC_CACHE_LINE_BYTES * PTC_CACHE_LINE_BYTES;
    void *p = aligned_alloc(PTC_CACHE_LINE_BYTES, whole ? whole : PTC_CACHE_LINE_BYTES);
    if (p != NULL)
        memset(p, 0, whole ? whole : PTC_CACHE_LINE_BYTES);
    return p;
}
