#include "exec/exec.h"

#include <errno.h>
#include <sys/time.h>
#include <unistd.h>

static int blocking_sleep_ns(struct ptc_exec *ex, ptc_ns duration_ns) {
    return ptc_sleep_ns(duration_ns);
}

static ssize_t blocking_read(struct ptc_exec *ex, int fd, void *buf, size_t len, int64_t off) {
    ssize_t n;
    do {
        n = off >= 0 ? pread(fd, buf, len, (off_t)off) : read(fd, buf, len);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : n;
}

static ssize_t blocking_write(struct ptc_exec *ex, int fd, const void *buf, size_t len,
                              int64_t off) {
    ssize_t n;
    do {
        n = off >= 0 ? pwrite(fd, buf, len, (off_t)off) : write(fd, buf, len);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : n;
}

static int blocking_socket(struct ptc_exec *ex, int domain, int type, int protocol) {
    int fd = socket(domain, type | SOCK_CLOEXEC, protocol);
    return fd < 0 ? -errno : fd;
}

static int blocking_connect(struct ptc_exec *ex, int fd, const struct sockaddr *addr,
                            socklen_t len) {
    if (connect(fd, addr, len) == 0)
        return 0;
    if (errno != EINTR)
        return -errno;
    /* Interrupted: the connection goes on in the background; wait for it to finish. */
    int err = 0;
    socklen_t el = sizeof err;
    struct sockaddr_storage peer;
    socklen_t pl = sizeof peer;
    while (getpeername(fd, (struct sockaddr *)&peer, &pl) != 0) {
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err != 0)
            return -err;
        ptc_sleep_ns(PTC_NS_PER_MS);
        pl = sizeof peer;
    }
    return 0;
}

static int blocking_set_timeout(struct ptc_exec *ex, int fd, ptc_ns timeout_ns) {
    struct timeval tv = {.tv_sec = (time_t)(timeout_ns / PTC_NS_PER_S),
                         .tv_usec = (suseconds_t)(timeout_ns % PTC_NS_PER_S / 1000)};
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0)
        return -errno;
    return 0;
}

static int blocking_fsync(struct ptc_exec *ex, int fd) {
    int rc;
    do {
        rc = fsync(fd);
    } while (rc < 0 && errno == EINTR);
    return rc < 0 ? -errno : 0;
}

static const char *blocking_file_io(struct ptc_exec *ex) {
    return "blocking";
}

static const struct ptc_exec_ops blocking_ops = {
    .name = "blocking",
    .sleep_ns = blocking_sleep_ns,
    .read = blocking_read,
    .write = blocking_write,
    .socket = blocking_socket,
    .connect = blocking_connect,
    .set_timeout = blocking_set_timeout,
    .fsync = blocking_fsync,
    .file_io = blocking_file_io,
};

struct ptc_exec ptc_exec_blocking = {.ops = &blocking_ops, .impl = 0};
