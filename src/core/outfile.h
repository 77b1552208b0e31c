/* Output files that appear whole or not at all: written to a temporary file beside the target,
 * renamed over it on commit, unlinked on abort or when a fatal signal ends the program. */
#ifndef PTC_CORE_OUTFILE_H
#define PTC_CORE_OUTFILE_H

#include <stdio.h>

struct ptc_outfile {
    FILE *fp;       /* write here; owned by the outfile */
    char *path;     /* final path (owned) */
    char *tmp_path; /* temporary path beside it (owned); NULL for a stream such as stdout */
    int close_fp;   /* a device or FIFO opened directly: fclose it when done */
};

/* Creates "<path>.tmp.XXXXXX" in the target's directory, so an unwritable or missing directory
 * fails here, before any work is done. path "-" writes to stdout (no rename); a target that
 * exists and is not a regular file (/dev/null, a FIFO) is written directly, never replaced. At most
 * 16 files may be open at once. Returns 0 or a negative errno; on error nothing is left on disk. */
int ptc_outfile_open(struct ptc_outfile *of, const char *path);

/* Flushes, checks every write succeeded, renames the temporary file to the final path.
 * Returns 0 or a negative errno (then the temporary file is removed). Frees the outfile. */
int ptc_outfile_commit(struct ptc_outfile *of);

/* Closes and removes the temporary file. Safe on a zeroed or already-finished outfile. */
void ptc_outfile_abort(struct ptc_outfile *of);

/* Installs SIGINT, SIGTERM and SIGHUP handlers that unlink every open temporary file and then
 * end the program with the same signal. Call once, from main, before opening outfiles. */
void ptc_outfile_cleanup_on_signals(void);

#endif
