#include "core/outfile.h"

#include "core/signals.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Paths the signal handler unlinks: fixed storage so the handler never touches malloc. */
#define MAX_OPEN 16
#define MAX_PATH 4096
static char pending[MAX_OPEN][MAX_PATH];
static volatile sig_atomic_t pending_used[MAX_OPEN];

static int pending_add(const char *tmp) {
    if (strlen(tmp) >= MAX_PATH)
        return -ENAMETOOLONG;
    for (int i = 0; i < MAX_OPEN; i++) {
        if (!pending_used[i]) {
            strcpy(pending[i], tmp);
            pending_used[i] = 1;
            return 0;
        }
    }
    return -EMFILE;
}

static void pending_remove(const char *tmp) {
    for (int i = 0; i < MAX_OPEN; i++)
        if (pending_used[i] && strcmp(pending[i], tmp) == 0)
            pending_used[i] = 0;
}

static void unlink_pending(void) {
    for (int i = 0; i < MAX_OPEN; i++)
        if (pending_used[i])
            unlink(pending[i]);
}

void ptc_outfile_cleanup_on_signals(void) {
    ptc_cleanup_add(unlink_pending);
}

/* "<resolved folder>/<name>" of a path that need not exist yet; the path itself when its folder
 * cannot be resolved. */
static void canonical(const char *path, char *out, size_t size) {
    char dir[PATH_MAX], base[PATH_MAX], real[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    snprintf(base, sizeof base, "%s", path);
    if (realpath(dirname(dir), real) != NULL)
        snprintf(out, size, "%s/%s", real, basename(base));
    else
        snprintf(out, size, "%s", path);
}

/* Whether writing a and b would write one file. Character devices (/dev/null) are never one. */
static bool same_file(const char *a, const char *b) {
    struct stat sa, sb;
    bool ea = stat(a, &sa) == 0, eb = stat(b, &sb) == 0;
    if (ea && eb)
        return !S_ISCHR(sa.st_mode) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    if (ea || eb)
        return false;
    char ca[2 * PATH_MAX], cb[2 * PATH_MAX];
    canonical(a, ca, sizeof ca);
    canonical(b, cb, sizeof cb);
    return strcmp(ca, cb) == 0;
}

int ptc_outputs_check(const struct ptc_output *outs, size_t n, const char *const *inputs,
                      size_t n_inputs, char *err, size_t size) {
    for (size_t i = 0; i < n; i++) {
        const struct ptc_output *o = &outs[i];
        if (o->path == NULL)
            continue;
        if (o->path[0] == '\0') {
            snprintf(err, size, "%s: the path is empty", o->flag);
            return -EINVAL;
        }
        for (size_t j = 0; j < i; j++) {
            const struct ptc_output *p = &outs[j];
            if (p->path == NULL)
                continue;
            bool out_a = strcmp(o->path, "-") == 0, out_b = strcmp(p->path, "-") == 0;
            if (out_a && out_b) {
                snprintf(err, size, "%s and %s both write to stdout ('-'): at most one may",
                         p->flag, o->flag);
                return -EINVAL;
            }
            if (!out_a && !out_b && same_file(o->path, p->path)) {
                snprintf(err, size, "%s: '%s' is also the file of %s", o->flag, o->path, p->flag);
                return -EINVAL;
            }
        }
        for (size_t k = 0; k < n_inputs && strcmp(o->path, "-") != 0; k++) {
            if (same_file(o->path, inputs[k])) {
                snprintf(err, size, "%s: '%s' is the input '%s': writing it would destroy it",
                         o->flag, o->path, inputs[k]);
                return -EINVAL;
            }
        }
    }
    return 0;
}

int ptc_outfile_open(struct ptc_outfile *of, const char *path) {
    memset(of, 0, sizeof *of);
    if (path[0] == '\0')
        return -ENOENT;
    if (strcmp(path, "-") == 0) {
        of->fp = stdout;
        of->path = strdup(path);
        return of->path ? 0 : -ENOMEM;
    }
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return -EISDIR;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* Renaming a file over /dev/null would replace the device: write to it instead.
         * O_NONBLOCK: a FIFO nobody reads fails here with ENXIO instead of blocking the program
         * before its first run; the writes block as usual afterwards. */
        of->path = strdup(path);
        int fd = of->path ? open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC) : -1;
        if (fd >= 0 && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == 0)
            of->fp = fdopen(fd, "w");
        int err = of->path == NULL ? -ENOMEM : of->fp == NULL ? -errno : 0;
        if (of->fp == NULL && fd >= 0)
            close(fd);
        if (err < 0) {
            free(of->path);
            memset(of, 0, sizeof *of);
            return err;
        }
        of->close_fp = 1;
        return 0;
    }
    size_t len = strlen(path);
    of->path = strdup(path);
    of->tmp_path = malloc(len + sizeof ".tmp.XXXXXX");
    if (of->path == NULL || of->tmp_path == NULL)
        goto fail_nomem;
    memcpy(of->tmp_path, path, len);
    memcpy(of->tmp_path + len, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
    /* Block the cleanup signals while the file exists but is not yet registered. */
    sigset_t old;
    ptc_cleanup_signals_block(&old);
    int fd = mkstemp(of->tmp_path);
    int err = fd < 0 ? -errno : pending_add(of->tmp_path);
    if (fd >= 0 && err < 0) {
        unlink(of->tmp_path);
        close(fd);
    }
    ptc_cleanup_signals_restore(&old);
    if (err < 0) {
        free(of->path);
        free(of->tmp_path);
        memset(of, 0, sizeof *of);
        return err;
    }
    fchmod(fd, 0644);
    of->fp = fdopen(fd, "w");
    if (of->fp == NULL) {
        err = -errno;
        close(fd);
        ptc_outfile_abort(of);
        return err;
    }
    return 0;
fail_nomem:
    free(of->path);
    free(of->tmp_path);
    memset(of, 0, sizeof *of);
    return -ENOMEM;
}

void ptc_outfile_abort(struct ptc_outfile *of) {
    if (of->close_fp && of->fp != NULL)
        fclose(of->fp);
    if (of->tmp_path != NULL) {
        if (of->fp != NULL)
            fclose(of->fp);
        unlink(of->tmp_path);
        pending_remove(of->tmp_path);
    }
    free(of->path);
    free(of->tmp_path);
    memset(of, 0, sizeof *of);
}

/* stdio keeps unwritten data after a failed write and tries again on fflush, so a failed fflush
 * says the cause (ENOSPC, EPIPE); an error it does not repeat is only known as EIO. */
static int flush_error(FILE *fp) {
    errno = 0;
    if (fflush(fp) != 0)
        return errno ? -errno : -EIO;
    return ferror(fp) ? -EIO : 0;
}

int ptc_outfile_commit(struct ptc_outfile *of) {
    if (of->tmp_path == NULL) {
        int err = flush_error(of->fp);
        if (of->close_fp && fclose(of->fp) != 0 && err == 0)
            err = -errno;
        free(of->path);
        memset(of, 0, sizeof *of);
        return err;
    }
    int err = flush_error(of->fp);
    if (fclose(of->fp) != 0 && err == 0)
        err = -errno;
    of->fp = NULL;
    if (err == 0 && rename(of->tmp_path, of->path) != 0)
        err = -errno;
    if (err != 0) {
        ptc_outfile_abort(of);
        return err;
    }
    pending_remove(of->tmp_path);
    free(of->path);
    free(of->tmp_path);
    memset(of, 0, sizeof *of);
    return 0;
}
