/* The same input given twice is read once: a results folder globbed beside one of its files, or
 * a copy of a file, would otherwise count every run twice. */
#ifndef PTC_REPORT_DEDUP_H
#define PTC_REPORT_DEDUP_H

#include <stddef.h>
#include <stdio.h>

/* Removes from paths[n], keeping the order, every path that names the same file as an earlier
 * one (the same device and inode) or holds the same bytes (the same size and XXH3-64 of the
 * content), and writes one line per removal to notes: "prog: B: the same file as A, read once".
 * A path that cannot be opened is kept, for the loader to report. Returns the paths kept. */
size_t ptc_inputs_dedup(char **paths, size_t n, const char *prog, FILE *notes);

#endif
