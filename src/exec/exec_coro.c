/* The execution context of the coroutine models: every wait suspends the calling coroutine and
 * lets the others run. Sleeps go on the scheduler's timer heap, and so do the time limits a task
 * sets on its socket's waits. I/O goes to the poller: under
 * io_uring sockets are submitted and complete asynchronously, and a regular-file read or write
 * first tries the page cache without blocking and is submitted only when that would block; under
 * epoll a socket operation is tried and, on EAGAIN, the coroutine waits for readiness, while
 * regular-file I/O blocks the whole thread (epoll cannot wait on regular files) and is recorded
 * as such. Outside a coroutine every call falls back to the blocking context. */
#include "exec/exec_coro.h"

#include <errno.h>
#include <poll.h>
#include <sys/uio.h>
#include <unistd.h>

static struct ptc_coro_exec *coro_exec(struct ptc_exec *ex) {
    return ex->impl;
}

static struct ptc_sched *sched_of(struct ptc_exec *ex) {
    struct ptc_sched *s = coro_exec(ex)->sched;
    return ptc_coro_self(s) != NULL ? s : NULL;
}

static int poller_is_async(const struct ptc_sched *s) {
    return s->poller_ops != ptc_poller_find("epoll");
}

/* How one regular-file transfer went: bits of ptc_coro_exec.file_paths. */
enum { PATH_PAGE_CACHE = 1, PATH_HANDED_OFF = 2, PATH_IN_PLACE = 4 };

/* A regular-file transfer the page cache can serve at once is done here: handing it to io_uring
 * sends a page-cache copy to a kernel worker thread and back, a cross-CPU wake-up each way
 * (16 x 1 MiB took 51-57 ms that way, 19-23 ms in place). RWF_NOWAIT says when it would block
 * (data not cached: then the poller does it, *path = PATH_HANDED_OFF). A file system that cannot
 * try without blocking (ext4's buffered writes: EOPNOTSUPP) gets the plain call, which blocks
 * the thread for what is normally a page-cache copy, as epoll's path does (*path =
 * PATH_IN_PLACE). Returns the bytes moved or a negative errno; nothing when handed off. */
static ssize_t try_in_place(struct ptc_coro_exec *cx, enum ptc_io_kind kind, int fd, void *buf,
                            size_t len, int64_t off, int *path) {
    struct iovec iov = {.iov_base = buf, .iov_len = len};
    /* A refusal is the file system's answer for every such transfer: asked once per run, not
     * once per call (ext4 would refuse each buffered write, two system calls for one). */
    int flags = cx->no_nowait & (1 << kind) ? 0 : RWF_NOWAIT;
    *path = flags ? PATH_PAGE_CACHE : PATH_IN_PLACE;
    for (;;) {
        ssize_t n = kind == PTC_IO_READ ? preadv2(fd, &iov, 1, (off_t)off, flags)
                                        : pwritev2(fd, &iov, 1, (off_t)off, flags);
        if (n >= 0)
            return n;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN && flags != 0) {
            *path = PATH_HANDED_OFF;
            return 0;
        }
        if (errno == EOPNOTSUPP && flags != 0) {
            cx->no_nowait |= 1 << kind;
            flags = 0;
            *path = PATH_IN_PLACE;
            continue;
        }
        return -errno;
    }
}

static int coro_sleep_ns(struct ptc_exec *ex, ptc_ns duration_ns) {
    struct ptc_sched *s = sched_of(ex);
    if (s == NULL)
        return ptc_sleep_ns(duration_ns);
    ptc_coro_sleep_ns(s, duration_ns);
    return 0;
}

static int wait_ready(struct ptc_sched *s, int fd, short events) {
    struct ptc_io_op op = {.kind = PTC_IO_POLL, .fd = fd, .events = events};
    int64_t r = ptc_coro_io(s, &op);
    return r < 0 ? (int)r : 0;
}

/* A read or write: asynchronous where the poller can do it; otherwise the call itself, waiting
 * for readiness between EAGAINs (sockets) or blocking the thread (regular files). */
static ssize_t transfer(struct ptc_exec *ex, enum ptc_io_kind kind, int fd, void *buf, size_t len,
                        int64_t off) {
    struct ptc_sched *s = sched_of(ex);
    if (s == NULL)
        return kind == PTC_IO_READ ? ptc_exec_blocking.ops->read(ex, fd, buf, len, off)
                                   : ptc_exec_blocking.ops->write(ex, fd, buf, len, off);
    if (off >= 0 && poller_is_async(s)) {
        struct ptc_coro_exec *cx = coro_exec(ex);
        int path;
        ssize_t n = try_in_place(cx, kind, fd, buf, len, off, &path);
        cx->file_paths |= path;
        if (path != PATH_HANDED_OFF)
            return n;
    }
    struct ptc_io_op op = {.kind = kind, .fd = fd, .buf = buf, .len = len, .off = off};
    int64_t r = ptc_coro_io(s, &op);
    if (r != -EOPNOTSUPP)
        return (ssize_t)r;
    for (;;) {
        ssize_t n;
        if (kind == PTC_IO_READ)
            n = off >= 0 ? pread(fd, buf, len, (off_t)off) : read(fd, buf, len);
        else
            n = off >= 0 ? pwrite(fd, buf, len, (off_t)off) : write(fd, buf, len);
        if (n >= 0)
            return n;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN || off >= 0)
            return -errno;
        int rc = wait_ready(s, fd, kind == PTC_IO_READ ? POLLIN : POLLOUT);
        if (rc < 0)
            return rc;
    }
}

static ssize_t coro_read(struct ptc_exec *ex, int fd, void *buf, size_t len, int64_t off) {
    return transfer(ex, PTC_IO_READ, fd, buf, len, off);
}

static ssize_t coro_write(struct ptc_exec *ex, int fd, const void *buf, size_t len, int64_t off) {
    return transfer(ex, PTC_IO_WRITE, fd, (void *)buf, len, off);
}

/* Under epoll a coroutine's socket must never block the thread: non-blocking. io_uring waits for
 * readiness itself and wants the ordinary blocking socket. */
static int coro_socket(struct ptc_exec *ex, int domain, int type, int protocol) {
    struct ptc_sched *s = coro_exec(ex)->sched;
    int fd =
        socket(domain, type | SOCK_CLOEXEC | (poller_is_async(s) ? 0 : SOCK_NONBLOCK), protocol);
    return fd < 0 ? -errno : fd;
}

static int coro_connect(struct ptc_exec *ex, int fd, const struct sockaddr *addr, socklen_t len) {
    struct ptc_sched *s = sched_of(ex);
    if (s == NULL)
        return ptc_exec_blocking.ops->connect(ex, fd, addr, len);
    struct ptc_io_op op = {.kind = PTC_IO_CONNECT, .fd = fd, .addr = addr, .addr_len = len};
    int64_t r = ptc_coro_io(s, &op);
    if (r != -EOPNOTSUPP)
        return (int)r;
    if (connect(fd, addr, len) == 0)
        return 0;
    if (errno != EINPROGRESS && errno != EINTR)
        return -errno;
    int rc = wait_ready(s, fd, POLLOUT);
    if (rc < 0)
        return rc;
    int err = 0;
    socklen_t el = sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0)
        return -errno;
    return -err;
}

static int coro_set_timeout(struct ptc_exec *ex, int fd, ptc_ns timeout_ns) {
    struct ptc_sched *s = sched_of(ex);
    if (s == NULL)
        return ptc_exec_blocking.ops->set_timeout(ex, fd, timeout_ns);
    ptc_coro_limit_io(s, fd, timeout_ns);
    return 0;
}

static int coro_fsync(struct ptc_exec *ex, int fd) {
    struct ptc_sched *s = sched_of(ex);
    if (s == NULL)
        return ptc_exec_blocking.ops->fsync(ex, fd);
    struct ptc_io_op op = {.kind = PTC_IO_FSYNC, .fd = fd};
    int64_t r = ptc_coro_io(s, &op);
    return r != -EOPNOTSUPP ? (int)r : ptc_exec_blocking.ops->fsync(ex, fd);
}

static const char *coro_file_io(struct ptc_exec *ex) {
    /* By the paths the run's transfers took; with none yet, the first thing tried and the usual
     * fallback. */
    static const char *const words[8] = {
        [0] = "page cache, else async",
        [PATH_PAGE_CACHE] = "page cache",
        [PATH_HANDED_OFF] = "async",
        [PATH_PAGE_CACHE | PATH_HANDED_OFF] = "page cache, else async",
        [PATH_IN_PLACE] = "blocks the thread",
        [PATH_PAGE_CACHE | PATH_IN_PLACE] = "page cache, else blocks the thread",
        [PATH_HANDED_OFF | PATH_IN_PLACE] = "async or blocks the thread",
        [PATH_PAGE_CACHE | PATH_HANDED_OFF | PATH_IN_PLACE] =
            "page cache, else async or blocks the thread",
    };
    const struct ptc_coro_exec *cx = coro_exec(ex);
    return poller_is_async(cx->sched) ? words[cx->file_paths & 7] : "blocks the thread";
}

static const struct ptc_exec_ops coro_ops = {
    .name = "coroutine",
    .sleep_ns = coro_sleep_ns,
    .read = coro_read,
    .write = coro_write,
    .socket = coro_socket,
    .connect = coro_connect,
    .set_timeout = coro_set_timeout,
    .fsync = coro_fsync,
    .file_io = coro_file_io,
};

void ptc_coro_exec_init(struct ptc_coro_exec *cx, struct ptc_sched *s) {
    *cx = (struct ptc_coro_exec){.ex = {.ops = &coro_ops, .impl = cx}, .sched = s};
}
