#include "core/tmpdir.h"

#include "core/signals.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What the signal handler removes: fixed storage, no malloc, no stdio. */
#define MAX_DIRS 64 /* as many as ptc-run accepts task counts */
static struct {
    char path[PTC_TMPDIR_PATH_MAX];
    char prefixes[5];
    volatile uint32_t n;
    volatile sig_atomic_t used;
} dirs[MAX_DIRS];

/* "<dir>/<prefix><index>" without snprintf, which is not async-signal-safe. */
static void file_path(const char *dir, char prefix, uint32_t index, char *buf, size_t size) {
    size_t len = strlen(dir);
    char digits[11];
    int nd = 0;
    do {
        digits[nd++] = (char)('0' + index % 10);
        index /= 10;
    } while (index > 0);
    if (len + 2 + (size_t)nd + 1 > size) {
        buf[0] = '\0';
        return;
    }
    memcpy(buf, dir, len);
    buf[len++] = '/';
    buf[len++] = prefix;
    while (nd > 0)
        buf[len++] = digits[--nd];
    buf[len] = '\0';
}

static void remove_slot(int i) {
    char buf[PTC_TMPDIR_PATH_MAX + 16];
    for (const char *p = dirs[i].prefixes; *p != '\0'; p++) {
        for (uint32_t k = 0; k < dirs[i].n; k++) {
            file_path(dirs[i].path, *p, k, buf, sizeof buf);
            unlink(buf);
        }
    }
    rmdir(dirs[i].path);
}

static void remove_all(void) {
    for (int i = 0; i < MAX_DIRS; i++)
        if (dirs[i].used)
            remove_slot(i);
}

const char *ptc_tmpdir_base(const char *base) {
    if (base == NULL)
        base = getenv("TMPDIR");
    return base == NULL || *base == '\0' ? "/tmp" : base;
}

int ptc_tmpdir_create(struct ptc_tmpdir *d, const char *base, const char *tag) {
    memset(d, 0, sizeof *d);
    base = ptc_tmpdir_base(base);
    int slot = -1;
    for (int i = 0; i < MAX_DIRS && slot < 0; i++)
        if (!dirs[i].used)
            slot = i;
    if (slot < 0)
        return -EMFILE;
    if (snprintf(d->path, sizeof d->path, "%s/ptc-%s.XXXXXX", base, tag) >= (int)sizeof d->path)
        return -ENAMETOOLONG;
    if (ptc_cleanup_add(remove_all) < 0)
        return -ENOSPC;
    sigset_t old;
    ptc_cleanup_signals_block(&old);
    int err = mkdtemp(d->path) == NULL ? -errno : 0;
    if (err == 0) {
        strcpy(dirs[slot].path, d->path);
        dirs[slot].prefixes[0] = '\0';
        dirs[slot].n = 0;
        dirs[slot].used = 1;
        d->slot = slot + 1;
    } else {
        d->path[0] = '\0';
    }
    ptc_cleanup_signals_restore(&old);
    return err;
}

int ptc_tmpdir_check(const char *base) {
    struct ptc_tmpdir d;
    int rc = ptc_tmpdir_create(&d, base, "check");
    ptc_tmpdir_remove(&d);
    return rc;
}

void ptc_tmpdir_file(const struct ptc_tmpdir *d, char prefix, uint32_t index, char *buf,
                     size_t size) {
    file_path(d->path, prefix, index, buf, size);
}

void ptc_tmpdir_expect(struct ptc_tmpdir *d, const char *prefixes, uint32_t n) {
    if (d->slot == 0)
        return;
    snprintf(dirs[d->slot - 1].prefixes, sizeof dirs[d->slot - 1].prefixes, "%s", prefixes);
    dirs[d->slot - 1].n = n;
}

void ptc_tmpdir_remove(struct ptc_tmpdir *d) {
    if (d->slot != 0) {
        sigset_t old;
        ptc_cleanup_signals_block(&old);
        remove_slot(d->slot - 1);
        dirs[d->slot - 1].used = 0;
        ptc_cleanup_signals_restore(&old);
    }
    memset(d, 0, sizeof *d);
}
