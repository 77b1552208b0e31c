/* Lookup by name in a registry: an array of pointers to descriptors whose FIRST member is
 * `const char *name` (models and workloads follow that layout). Thread-safe (read-only). */
#ifndef PTC_CORE_REGISTRY_H
#define PTC_CORE_REGISTRY_H

#include <stddef.h>

/* The entry whose name equals name, or NULL. */
const void *ptc_registry_find(const void *const *entries, size_t n, const char *name);

/* Writes "a, b, c" (every entry's name) into buf, truncating to size. */
void ptc_registry_names(const void *const *entries, size_t n, char *buf, size_t size);

#endif
