/* file: the folder copy of tutorial 004. Setup writes --tasks source files of --file-kib KiB of
 * seeded random bytes into a private temporary folder; each task copies one file in 64 KiB
 * chunks through the execution context (so coroutines under io_uring copy asynchronously), and
 * fsyncs the copy with --fsync, through a buffer of its own made at setup. After each run, outside
 * the timed region, the parent reads every copy back and checks it against the source's hash. The
 * folder goes at teardown, after a failure, or on Ctrl-C. */
#include "core/hash.h"
#include "core/tmpdir.h"
#include "workload/file_source.h"
#include "workload/workload.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CHUNK_BYTES PTC_FILE_CHUNK_BYTES
#define FILE_STREAM PTC_FILE_STREAM

struct file_priv {
    struct ptc_tmpdir dir;
    uint64_t *src_hash;  /* [tasks] FNV-1a of each source file */
    unsigned char *bufs; /* [tasks][buf_bytes] each task's copy buffer, shared, resident */
    size_t buf_bytes, bufs_len;
};

static void file_teardown(struct ptc_workload_state *st) {
    struct file_priv *priv = st->priv;
    if (priv == NULL)
        return;
    ptc_tmpdir_remove(&priv->dir);
    if (priv->bufs != NULL)
        munmap(priv->bufs, priv->bufs_len);
    free(priv->src_hash);
    free(priv);
    st->priv = NULL;
}

static int file_setup(struct ptc_workload_state *st, char *err, size_t err_size) {
    if (st->p.file_kib == 0) {
        snprintf(err, err_size, "the file workload needs --file-kib N (N >= 1)");
        return -EINVAL;
    }
    struct file_priv *priv = calloc(1, sizeof *priv);
    unsigned char *buf = malloc(CHUNK_BYTES);
    if (priv != NULL)
        priv->src_hash = calloc(st->p.tasks, sizeof *priv->src_hash);
    if (priv == NULL || buf == NULL || priv->src_hash == NULL) {
        free(buf);
        if (priv != NULL)
            free(priv->src_hash);
        free(priv);
        snprintf(err, err_size, "out of memory");
        return -ENOMEM;
    }
    st->priv = priv;
    int rc = ptc_tmpdir_create(&priv->dir, st->p.tmp_dir, "file");
    if (rc < 0) {
        snprintf(err, err_size, "cannot create a folder in %s: %s", ptc_tmpdir_base(st->p.tmp_dir),
                 rc == -EMFILE ? "too many temporary folders at once" : strerror(-rc));
        free(buf);
        file_teardown(st);
        return rc;
    }
    ptc_tmpdir_expect(&priv->dir, "sd", st->p.tasks);
    char path[PTC_TMPDIR_PATH_MAX + 16];
    for (uint32_t i = 0; i < st->p.tasks && rc == 0; i++) {
        ptc_tmpdir_file(&priv->dir, 's', i, path, sizeof path);
        rc = ptc_file_write_source(path, st->p.seed, i, st->p.file_kib, buf, &priv->src_hash[i]);
        if (rc < 0)
            snprintf(err, err_size, "writing %s: %s", path, strerror(-rc));
    }
    free(buf);
    if (rc < 0) {
        file_teardown(st);
        return rc;
    }
    /* A buffer per task made here, not in the task: a malloc there grew the heap by a buffer
     * per task alive at once, and glibc gave it back at the end of each run, so every run paid
     * brk calls and a page fault per 4 KiB again. Shared, so that forked workers write into
     * the pages touched here instead of copying them; no larger than a file, so the memory
     * stays below what the files themselves hold. */
    priv->buf_bytes =
        (uint64_t)st->p.file_kib * 1024 < CHUNK_BYTES ? (size_t)st->p.file_kib * 1024 : CHUNK_BYTES;
    priv->bufs_len = (size_t)st->p.tasks * priv->buf_bytes;
    priv->bufs =
        mmap(NULL, priv->bufs_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (priv->bufs == MAP_FAILED) {
        rc = -errno;
        priv->bufs = NULL;
        snprintf(err, err_size, "copy buffers (%zu bytes): %s", priv->bufs_len, strerror(-rc));
        file_teardown(st);
        return rc;
    }
    memset(priv->bufs, 0, priv->bufs_len);
    st->bytes_per_run = (uint64_t)st->p.tasks * st->p.file_kib * 1024;
    return 0;
}

/* What a task reports: the bytes it copied, folded with its index. */
static uint64_t copied_checksum(const struct ptc_workload_state *st, uint32_t task,
                                uint64_t bytes) {
    return bytes ^ ptc_task_random(st->p.seed, task, FILE_STREAM + 1);
}

static int file_run_task(const struct ptc_workload_state *st, struct ptc_exec *ex, uint32_t task,
                         uint64_t *checksum) {
    const struct file_priv *priv = st->priv;
    char src[PTC_TMPDIR_PATH_MAX + 16], dst[PTC_TMPDIR_PATH_MAX + 16];
    ptc_tmpdir_file(&priv->dir, 's', task, src, sizeof src);
    ptc_tmpdir_file(&priv->dir, 'd', task, dst, sizeof dst);
    unsigned char *buf = priv->bufs + (size_t)task * priv->buf_bytes;
    int in = open(src, O_RDONLY | O_CLOEXEC);
    int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int rc = in < 0 || out < 0 ? -errno : 0;
    /* A copy, as cp makes it: no hashing here (that would add a byte-by-byte CPU loop that only
     * threads and processes could spread over CPUs). The parent checks the content after the
     * run; the task reports how many bytes it copied. */
    int64_t off = 0;
    while (rc == 0) {
        ssize_t n = ex->ops->read(ex, in, buf, priv->buf_bytes, off);
        if (n <= 0) {
            rc = (int)n;
            break;
        }
        ssize_t w = ptc_exec_write_full(ex, out, buf, (size_t)n, off);
        if (w < 0)
            rc = (int)w;
        off += n;
    }
    if (rc == 0 && st->p.fsync)
        rc = ex->ops->fsync(ex, out);
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) != 0 && rc == 0)
        rc = -errno;
    *checksum = copied_checksum(st, task, (uint64_t)off);
    return rc;
}

static uint64_t file_expected(struct ptc_workload_state *st, uint32_t task) {
    return copied_checksum(st, task, (uint64_t)st->p.file_kib * 1024);
}

/* The task's checksum says how much it copied; this says what landed in the copy. */
static void file_run_end(struct ptc_workload_state *st, struct ptc_task_result *results) {
    const struct file_priv *priv = st->priv;
    unsigned char *buf = malloc(CHUNK_BYTES);
    char path[PTC_TMPDIR_PATH_MAX + 16];
    for (uint32_t i = 0; i < st->p.tasks; i++) {
        if (results[i].status != 0)
            continue;
        ptc_tmpdir_file(&priv->dir, 'd', i, path, sizeof path);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        uint64_t h = PTC_FNV1A64_INIT;
        ssize_t n = fd < 0 || buf == NULL ? -1 : 0;
        while (fd >= 0 && buf != NULL && (n = read(fd, buf, CHUNK_BYTES)) > 0)
            h = ptc_fnv1a64(h, buf, (size_t)n);
        if (fd >= 0)
            close(fd);
        if (n < 0 || h != priv->src_hash[i])
            results[i].status = -EBADMSG;
    }
    free(buf);
}

const struct ptc_workload ptc_workload_file = {
    .name = "file",
    .summary = "copies one --file-kib KiB file per task in 64 KiB chunks (--fsync), verified",
    .cpu_bound = false,
    .settings = PTC_SETTINGS("file-kib", "fsync", "tmp-dir"),
    .setup = file_setup,
    .run_end = file_run_end,
    .run_task = file_run_task,
    .expected_checksum = file_expected,
    .teardown = file_teardown,
};
