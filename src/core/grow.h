/* Arrays that grow by doubling as items are appended: n appends cost O(n) copies in all. Each
 * array keeps its items in one realloc'ed block; items that belong together (a string and its
 * hash, a stack and its id) are one struct, so one block holds them. Thread-safe (no state). */
#ifndef PTC_CORE_GROW_H
#define PTC_CORE_GROW_H

#include <stddef.h>

/* The array of *cap items of item_bytes each, n of them in use (n <= *cap), with room for one
 * more: array itself while n < *cap, else moved to a block of twice *cap items (first_cap, at
 * least 1, when *cap is 0) and *cap set to that. NULL when out of memory or when the size
 * overflows: array and *cap unchanged, the array still the caller's to use and free. */
void *ptc_grow(void *array, size_t n, size_t *cap, size_t item_bytes, size_t first_cap);

#endif
