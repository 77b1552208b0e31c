/* Output files that appear whole or not at all: written to a temporary file beside the target,
 * renamed over it on commit, unlinked on abort or when a fatal signal ends the program. */
#ifndef PTC_CORE_OUTFILE_H
#define PTC_CORE_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

struct ptc_outfile {
    FILE *fp;       /* write here; owned by the outfile */
    char *path;     /* final path (owned) */
    char *tmp_path; /* temporary path beside it (owned); NULL for a stream such as stdout */
    int close_fp;   /* a device or FIFO opened directly: fclose it when done */
};

/* One file a program is asked to write: the flag that named it and its path (NULL: not asked). */
struct ptc_output {
    const char *flag;
    const char *path;
};

/* Checks a program's outputs before any work is done, the same way in every program: no path is
 * empty, at most one is "-" (stdout; two would interleave), no two name the same file and none
 * names one of the inputs (the same file: by device and inode when it exists, else by its
 * resolved folder and name; devices such as /dev/null may be shared). Writes the one-line reason
 * into err, starting with the flag ("--summary: 'x' is also the file of --out"). Returns 0 or
 * -EINVAL. */
int ptc_outputs_check(const struct ptc_output *outs, size_t n, const char *const *inputs,
                      size_t n_inputs, char *err, size_t size);

/* Creates "<path>.tmp.XXXXXX" in the target's directory, so an unwritable or missing directory
 * fails here, before any work is done. path "-" writes to stdout (no rename); a target that
 * exists and is not a regular file (/dev/null, a FIFO) is written directly, never replaced. At most
 * 16 files may be open at once. An empty path is -ENOENT. Returns 0 or a negative errno; on error
 * nothing is left on disk. */
int ptc_outfile_open(struct ptc_outfile *of, const char *path);

/* Flushes, checks every write succeeded, renames the temporary file to the final path.
 * Returns 0 or a negative errno, the cause of the first failed write when it is known (-ENOSPC
 * for a full disk, -EPIPE for a closed pipe), else -EIO; then the temporary file is removed.
 * Frees the outfile. */
int ptc_outfile_commit(struct ptc_outfile *of);

/* Closes and removes the temporary file. Safe on a zeroed or already-finished outfile. */
void ptc_outfile_abort(struct ptc_outfile *of);

/* Installs SIGINT, SIGTERM and SIGHUP handlers that unlink every open temporary file and then
 * end the program with the same signal. Call once, from main, before opening outfiles. */
void ptc_outfile_cleanup_on_signals(void);

#endif
