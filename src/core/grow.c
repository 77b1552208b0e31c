#include "core/grow.h"

#include <stdint.h>
#include <stdlib.h>

void *ptc_grow(void *array, size_t n, size_t *cap, size_t item_bytes, size_t first_cap) {
    if (n < *cap)
        return array;
    size_t items = *cap ? 2 * *cap : first_cap;
    if (items <= *cap || item_bytes == 0 || items > SIZE_MAX / item_bytes)
        return NULL;
    void *grown = realloc(array, items * item_bytes);
    if (grown != NULL)
        *cap = items;
    return grown;
}
