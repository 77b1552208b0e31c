/* Private temporary folders whose files are named by a prefix letter and an index ("s17", "d17"),
 * removed whole at the end, after a failure, and when a cleanup signal (SIGINT, SIGTERM, SIGHUP)
 * ends the program. Not thread-safe: create and remove from the main thread. */
#ifndef PTC_CORE_TMPDIR_H
#define PTC_CORE_TMPDIR_H

#include <stddef.h>
#include <stdint.h>

#define PTC_TMPDIR_PATH_MAX 512

struct ptc_tmpdir {
    char path[PTC_TMPDIR_PATH_MAX]; /* "" when not created */
    int slot;                       /* 1 + index in the signal cleanup registry; 0: none */
};

/* Creates "<base>/ptc-<tag>.XXXXXX" (base NULL: $TMPDIR, else /tmp), mode 0700, and registers it
 * for cleanup on signals. At most 64 at once (-EMFILE beyond). Returns 0 or a negative errno. */
int ptc_tmpdir_create(struct ptc_tmpdir *d, const char *base, const char *tag);

/* The folder private folders go in: base, else $TMPDIR when set and not empty, else /tmp. */
const char *ptc_tmpdir_base(const char *base);

/* Whether a private folder can be made in base (NULL: $TMPDIR, else /tmp) now: makes one and
 * removes it, before any work that would need it. Returns 0 or the negative errno that
 * ptc_tmpdir_create would meet (-ENOENT, -ENOTDIR, -EACCES, -EROFS, ...). */
int ptc_tmpdir_check(const char *base);

/* Writes "<dir>/<prefix><index>" into buf. */
void ptc_tmpdir_file(const struct ptc_tmpdir *d, char prefix, uint32_t index, char *buf,
                     size_t size);

/* Declares that files named with any letter of `prefixes` (at most 4) and an index below n may
 * exist: what the signal cleanup and ptc_tmpdir_remove unlink. */
void ptc_tmpdir_expect(struct ptc_tmpdir *d, const char *prefixes, uint32_t n);

/* Unlinks the declared files, removes the folder, forgets it. Safe on a zeroed tmpdir. */
void ptc_tmpdir_remove(struct ptc_tmpdir *d);

#endif
