/* What every execution context shares: whole reads and writes built on its read and write. */
#include "exec/exec.h"

#include <errno.h>

ssize_t ptc_exec_read_full(struct ptc_exec *ex, int fd, void *buf, size_t len, int64_t off) {
    size_t done = 0;
    while (done < len) {
        ssize_t n = ex->ops->read(ex, fd, (char *)buf + done, len - done,
                                  off >= 0 ? off + (int64_t)done : -1);
        if (n < 0)
            return n;
        if (n == 0)
            break;
        done += (size_t)n;
    }
    return (ssize_t)done;
}

ssize_t ptc_exec_write_full(struct ptc_exec *ex, int fd, const void *buf, size_t len, int64_t off) {
    size_t done = 0;
    while (done < len) {
        ssize_t n = ex->ops->write(ex, fd, (const char *)buf + done, len - done,
                                   off >= 0 ? off + (int64_t)done : -1);
        if (n < 0)
            return n;
        if (n == 0)
            return -EIO;
        done += (size_t)n;
    }
    return (ssize_t)done;
}
