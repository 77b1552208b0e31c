/* The execution context a task runs in: how it waits and does I/O. Workloads never make a
 * blocking system call for waiting or I/O directly; they go through this interface, so the same
 * workload code blocks a thread under seq/fork/procpool/thread/threadpool and suspends a
 * coroutine under the coroutine models (what gevent's monkey-patching does in Python, made
 * explicit). Every function returns 0 or a byte count on success and a negative errno on error,
 * and retries EINTR itself. */
#ifndef PTC_EXEC_EXEC_H
#define PTC_EXEC_EXEC_H

#include "core/clock.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

struct ptc_exec;

struct ptc_exec_ops {
    const char *name; /* "blocking", "coroutine": recorded with results */
    /* Waits at least duration_ns. */
    int (*sleep_ns)(struct ptc_exec *ex, ptc_ns duration_ns);
    /* Reads up to len bytes. off >= 0: a regular file at that offset (pread); off < 0: a socket
     * or pipe at its current position. Returns the bytes read (0 at end of file). */
    ssize_t (*read)(struct ptc_exec *ex, int fd, void *buf, size_t len, int64_t off);
    /* Writes up to len bytes, as read does; returns the bytes written. */
    ssize_t (*write)(struct ptc_exec *ex, int fd, const void *buf, size_t len, int64_t off);
    /* A new socket suited to this context (non-blocking where the context needs it), CLOEXEC.
     * Returns the descriptor. */
    int (*socket)(struct ptc_exec *ex, int domain, int type, int protocol);
    /* Connects fd; returns when the connection is established or has failed. */
    int (*connect)(struct ptc_exec *ex, int fd, const struct sockaddr *addr, socklen_t len);
    /* Limits each later connect, read and write of the calling task on socket fd: one that
     * makes no progress for timeout_ns gives up. The blocking context sets the socket's
     * SO_RCVTIMEO and SO_SNDTIMEO (two system calls; a receive or send past the limit returns
     * -EAGAIN, a connect -EINPROGRESS); the coroutine context keeps the limit with the calling
     * coroutine and arms a user-space timer per wait (no system call; a wait past the limit
     * returns -ETIMEDOUT). Returns 0 or a negative errno. */
    int (*set_timeout)(struct ptc_exec *ex, int fd, ptc_ns timeout_ns);
    /* Flushes a regular file to its device. */
    int (*fsync)(struct ptc_exec *ex, int fd);
    /* How regular-file I/O behaves here: "blocking" (the thread waits), "async" (io_uring: the
     * coroutine waits, the thread runs others), or "blocks the thread" (coroutines over epoll,
     * which cannot wait on regular files). For the CSV. */
    const char *(*file_io)(struct ptc_exec *ex);
};

struct ptc_exec {
    const struct ptc_exec_ops *ops;
    void *impl; /* the implementation's own state; NULL for the blocking context */
};

/* The blocking context: each wait blocks the calling thread. Stateless and thread-safe. */
extern struct ptc_exec ptc_exec_blocking;

static inline int ptc_exec_sleep_ns(struct ptc_exec *ex, ptc_ns duration_ns) {
    return ex->ops->sleep_ns(ex, duration_ns);
}

/* Reads exactly len bytes unless end of file comes first; returns the bytes read or -errno. */
ssize_t ptc_exec_read_full(struct ptc_exec *ex, int fd, void *buf, size_t len, int64_t off);
/* Writes all len bytes; returns len or -errno. */
ssize_t ptc_exec_write_full(struct ptc_exec *ex, int fd, const void *buf, size_t len, int64_t off);

#endif
