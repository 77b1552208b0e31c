#include "core/outfile.h"

#include "core/signals.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

int ptc_outfile_open(struct ptc_outfile *of, const char *path) {
    memset(of, 0, sizeof *of);
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

int ptc_outfile_commit(struct ptc_outfile *of) {
    if (of->tmp_path == NULL) {
        int err = (fflush(of->fp) != 0 || ferror(of->fp)) ? -EIO : 0;
        if (of->close_fp && fclose(of->fp) != 0 && err == 0)
            err = -EIO;
        free(of->path);
        memset(of, 0, sizeof *of);
        return err;
    }
    int err = 0;
    if (fflush(of->fp) != 0 || ferror(of->fp))
        err = -EIO;
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
