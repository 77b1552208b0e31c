/* io_uring through liburing: completions carry the submitter's udata; the deadline is a
 * relative timeout computed just before waiting. Regular-file reads and writes are truly
 * asynchronous here, unlike under epoll. */
#include "coro/poller.h"

#include <errno.h>
#include <liburing.h>
#include <stdlib.h>

#define RING_ENTRIES 4096

struct ptc_poller {
    struct io_uring ring;
};

static int uring_open(struct ptc_poller **out) {
    struct ptc_poller *p = calloc(1, sizeof *p);
    if (p == NULL)
        return -ENOMEM;
    int rc = io_uring_queue_init(RING_ENTRIES, &p->ring, 0);
    if (rc < 0) {
        free(p);
        return rc;
    }
    *out = p;
    return 0;
}

static void uring_close(struct ptc_poller *p) {
    io_uring_queue_exit(&p->ring);
    free(p);
}

/* A free submission entry, submitting the queued ones first when the queue is full. Returns
 * NULL with *err set when there is none. */
static struct io_uring_sqe *get_sqe(struct ptc_poller *p, int *err) {
    struct io_uring_sqe *sqe = io_uring_get_sqe(&p->ring);
    if (sqe == NULL) {
        int rc = io_uring_submit(&p->ring);
        if (rc < 0) {
            *err = rc;
            return NULL;
        }
        sqe = io_uring_get_sqe(&p->ring);
        if (sqe == NULL)
            *err = -EBUSY;
    }
    return sqe;
}

/* Operations are queued here and handed to the kernel together at the next wait: one
 * io_uring_enter for a whole round of coroutines instead of one system call each. */
static int uring_submit(struct ptc_poller *p, const struct ptc_io_op *op, void *udata) {
    int err;
    struct io_uring_sqe *sqe = get_sqe(p, &err);
    if (sqe == NULL)
        return err;
    /* Sockets and pipes take offset -1: "the current position". */
    uint64_t off = op->off >= 0 ? (uint64_t)op->off : (uint64_t)-1;
    switch (op->kind) {
    case PTC_IO_POLL:
        io_uring_prep_poll_add(sqe, op->fd, (unsigned)op->events);
        break;
    case PTC_IO_READ:
        io_uring_prep_read(sqe, op->fd, op->buf, (unsigned)op->len, off);
        break;
    case PTC_IO_WRITE:
        io_uring_prep_write(sqe, op->fd, op->buf, (unsigned)op->len, off);
        break;
    case PTC_IO_CONNECT:
        io_uring_prep_connect(sqe, op->fd, op->addr, op->addr_len);
        break;
    case PTC_IO_FSYNC:
        io_uring_prep_fsync(sqe, op->fd, 0);
        break;
    default:
        return -EOPNOTSUPP;
    }
    /* Regular-file reads and writes that hit the page cache would otherwise run inline, inside
     * io_uring_enter on this very thread: asynchronous in name, sequential in fact. IOSQE_ASYNC
     * hands them to the kernel's io-wq workers, which run on the other CPUs. */
    if (op->off >= 0 && (op->kind == PTC_IO_READ || op->kind == PTC_IO_WRITE))
        sqe->flags |= IOSQE_ASYNC;
    io_uring_sqe_set_data(sqe, udata);
    return 0;
}

/* The cancel request goes with the next wait; its own completion carries no udata and is not
 * reported. */
static int uring_cancel(struct ptc_poller *p, const struct ptc_io_op *op, void *udata) {
    int err;
    struct io_uring_sqe *sqe = get_sqe(p, &err);
    if (sqe == NULL)
        return err;
    io_uring_prep_cancel(sqe, udata, 0);
    io_uring_sqe_set_data(sqe, NULL);
    return 0;
}

static int uring_wait(struct ptc_poller *p, ptc_ns deadline_ns, ptc_poller_done done) {
    struct io_uring_cqe *cqe;
    int rc;
    ptc_ns now = ptc_now_ns();
    if (deadline_ns <= now) {
        rc = io_uring_submit(&p->ring);
        if (rc < 0 && rc != -EINTR)
            return rc;
        rc = io_uring_peek_cqe(&p->ring, &cqe);
        if (rc == -EAGAIN)
            return 0;
    } else if (deadline_ns == PTC_DEADLINE_NONE) {
        rc = io_uring_submit_and_wait(&p->ring, 1);
        if (rc >= 0)
            rc = io_uring_peek_cqe(&p->ring, &cqe);
    } else {
        ptc_ns left = deadline_ns - now;
        struct __kernel_timespec ts = {.tv_sec = (long long)(left / PTC_NS_PER_S),
                                       .tv_nsec = (long long)(left % PTC_NS_PER_S)};
        rc = io_uring_submit_and_wait_timeout(&p->ring, &cqe, 1, &ts, NULL);
    }
    if (rc == -ETIME || rc == -EINTR)
        return 0;
    if (rc < 0)
        return rc;
    unsigned head, completed = 0;
    unsigned seen = 0;
    io_uring_for_each_cqe(&p->ring, head, cqe) {
        void *udata = io_uring_cqe_get_data(cqe);
        seen++;
        if (udata == NULL)
            continue; /* a cancel request's own answer */
        done(udata, cqe->res);
        completed++;
    }
    io_uring_cq_advance(&p->ring, seen);
    return (int)completed;
}

const struct ptc_poller_ops ptc_poller_uring = {
    .name = "io_uring",
    .summary = "io_uring completions with a timeout; asynchronous regular-file I/O",
    .open = uring_open,
    .close = uring_close,
    .submit = uring_submit,
    .cancel = uring_cancel,
    .wait = uring_wait,
};
