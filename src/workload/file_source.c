#include "workload/file_source.h"

#include "core/hash.h"
#include "workload/workload.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* Writes all n bytes, retrying after a short write (a nearly full disk writes part of a chunk):
 * the write after it names the cause (ENOSPC, EFBIG), where errno after the short one is stale. */
static int write_all(int fd, const unsigned char *buf, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -errno;
        if (w == 0)
            return -ENOSPC;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

int ptc_file_write_source(const char *path, uint64_t seed, uint32_t task, uint32_t file_kib,
                          unsigned char *buf, uint64_t *hash) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -errno;
    uint64_t h = PTC_FNV1A64_INIT, left = (uint64_t)file_kib * 1024, word = 0;
    int rc = 0;
    while (left > 0 && rc == 0) {
        size_t n = left < PTC_FILE_CHUNK_BYTES ? (size_t)left : PTC_FILE_CHUNK_BYTES;
        for (size_t i = 0; i < n; i += 8) {
            uint64_t r = ptc_task_random(seed ^ word++, task, PTC_FILE_STREAM);
            memcpy(buf + i, &r, n - i < 8 ? n - i : 8);
        }
        h = ptc_fnv1a64(h, buf, n);
        rc = write_all(fd, buf, n);
        left -= n;
    }
    if (close(fd) != 0 && rc == 0)
        rc = -errno;
    *hash = h;
    return rc;
}
