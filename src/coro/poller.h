/* What a scheduler thread blocks in when no coroutine can run: one interface, one file per
 * kernel mechanism (poller_epoll.c, poller_uring.c), chosen at run time by name. The
 * scheduler's timers are passed in as a deadline, so the poller sleeps until the earliest timer
 * with nanosecond precision (a timerfd under epoll, a timeout under io_uring). Not thread-safe:
 * one poller per scheduler thread. */
#ifndef PTC_CORO_POLLER_H
#define PTC_CORO_POLLER_H

#include "core/clock.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct ptc_poller;

enum ptc_io_kind {
    PTC_IO_POLL = 1, /* wait until fd is ready for `events` (POLLIN, POLLOUT); result: revents */
    PTC_IO_READ,     /* read(2)/pread(2); result: bytes or -errno */
    PTC_IO_WRITE,    /* write(2)/pwrite(2) */
    PTC_IO_CONNECT,  /* connect(2); result: 0 or -errno */
    PTC_IO_FSYNC,    /* fsync(2) */
};

/* One operation for a poller. Buffers and the address must stay valid until it completes. */
struct ptc_io_op {
    enum ptc_io_kind kind;
    int fd;
    short events; /* PTC_IO_POLL */
    void *buf;    /* READ, WRITE */
    size_t len;
    int64_t off;                 /* >= 0: file offset; < 0: current position (sockets, pipes) */
    const struct sockaddr *addr; /* CONNECT */
    socklen_t addr_len;
};

/* Called once per completed operation with the udata it was submitted with and its result
 * (bytes or a negative errno, as io_uring reports it). */
typedef void (*ptc_poller_done)(void *udata, int result);

struct ptc_poller_ops {
    const char *name; /* first member: see core/registry.h */
    const char *summary;
    /* Returns 0 and a new poller, or a negative errno (-ENOSYS where the kernel lacks it). */
    int (*open)(struct ptc_poller **out);
    void (*close)(struct ptc_poller *p);
    /* Starts op; its completion is reported by a later wait through done(udata, result).
     * Returns 0, -EOPNOTSUPP when this poller cannot do op->kind (epoll does only
     * PTC_IO_POLL: the caller then makes the call itself), or another negative errno. */
    int (*submit)(struct ptc_poller *p, const struct ptc_io_op *op, void *udata);
    /* Withdraws op, submitted with udata and not completed yet. Returns 1 when it is withdrawn
     * at once (epoll: no wait will report it), 0 when the kernel was asked to cancel it and a
     * later wait reports its completion (io_uring: -ECANCELED, or its own result when it
     * completed first), or a negative errno. */
    int (*cancel)(struct ptc_poller *p, const struct ptc_io_op *op, void *udata);
    /* Blocks until deadline_ns (absolute CLOCK_MONOTONIC, or PTC_DEADLINE_NONE) has passed or at
     * least one operation completed; reports completions through done. A deadline already past
     * (0, say) does not block: it only collects what has completed. Returns the number of
     * completions, or a negative errno; EINTR counts as 0 completions. */
    int (*wait)(struct ptc_poller *p, ptc_ns deadline_ns, ptc_poller_done done);
};

/* The poller called name ("epoll", "io_uring"), or NULL. */
const struct ptc_poller_ops *ptc_poller_find(const char *name);
void ptc_poller_names(char *buf, size_t size);

/* Opens the poller called name, or with name NULL or "auto" io_uring where the kernel allows
 * it and epoll otherwise. *ops receives the one opened. Returns 0 or a negative errno. */
int ptc_poller_open(const char *name, const struct ptc_poller_ops **ops, struct ptc_poller **out);

#endif
