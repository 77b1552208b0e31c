#include "core/procfs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long ptc_proc_kib(const char *path, const char *field) {
    FILE *fp = fopen(path, "re");
    if (fp == NULL)
        return -1;
    char line[256];
    long kib = -1;
    size_t len = strlen(field);
    while (fgets(line, sizeof line, fp) != NULL) {
        if (strncmp(line, field, len) == 0) {
            kib = strtol(line + len, NULL, 10);
            break;
        }
    }
    fclose(fp);
    return kib;
}

uint64_t ptc_peak_rss_kib(void) {
    long kib = ptc_proc_kib("/proc/self/status", "VmHWM:");
    return kib > 0 ? (uint64_t)kib : 0;
}
