/* The files a reader's arguments name: each folder replaced by its *.csv files, and every file
 * named twice kept once (report/dedup.h). ptc-report and each side of --compare read these. */
#ifndef PTC_REPORT_INPUT_PATHS_H
#define PTC_REPORT_INPUT_PATHS_H

#include <stddef.h>
#include <stdio.h>

struct ptc_input_paths {
    char **path; /* [n] the files to read, in argument order, a folder's in name order */
    size_t n;
    char **owned; /* [n_owned] every path expanded, path's included: freed by _free */
    size_t n_owned;
};

/* The files of args[n] into p: a folder's regular *.csv files (not its subfolders'), a file as
 * given (one that cannot be opened too, for the loader to report). Repeats are dropped with a
 * line each to notes ("prog: B: the same file as A, read once"). Returns 0, or a negative errno
 * with "folder: cannot read the folder: ..." or "out of memory" in msg; p is freed either way
 * by ptc_input_paths_free. */
int ptc_input_paths_get(struct ptc_input_paths *p, char *const *args, size_t n, const char *prog,
                        FILE *notes, char *msg, size_t msg_size);
void ptc_input_paths_free(struct ptc_input_paths *p);

#endif
