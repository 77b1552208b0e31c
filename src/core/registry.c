#include "core/registry.h"

#include <stdio.h>
#include <string.h>

static const char *name_of(const void *entry) {
    return *(const char *const *)entry;
}

const void *ptc_registry_find(const void *const *entries, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(name_of(entries[i]), name) == 0)
            return entries[i];
    return NULL;
}

void ptc_registry_names(const void *const *entries, size_t n, char *buf, size_t size) {
    size_t used = 0;
    if (size > 0)
        buf[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++) {
        int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", name_of(entries[i]));
        if (w < 0)
            break;
        used += (size_t)w;
    }
}
