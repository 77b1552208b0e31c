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

static int uring_wait(struct ptc_poller *p, ptc_ns deadline_ns, ptc_poller_done done) {
    struct io_uring_cqe *cqe;
    int rc;
    if (deadline_ns == PTC_DEADLINE_NONE) {
        rc = io_uring_wait_cqe(&p->ring, &cqe);
    } else {
        ptc_ns now = ptc_now_ns();
        if (deadline_ns <= now)
            return 0;
        ptc_ns left = deadline_ns - now;
        struct __kernel_timespec ts = {.tv_sec = (long long)(left / PTC_NS_PER_S),
                                       .tv_nsec = (long long)(left % PTC_NS_PER_S)};
        rc = io_uring_wait_cqe_timeout(&p->ring, &cqe, &ts);
    }
    if (rc == -ETIME || rc == -EINTR)
        return 0;
    if (rc < 0)
        return rc;
    unsigned head, completed = 0;
    io_uring_for_each_cqe(&p->ring, head, cqe) {
        done(io_uring_cqe_get_data(cqe), cqe->res);
        completed++;
    }
    io_uring_cq_advance(&p->ring, completed);
    return (int)completed;
}

const struct ptc_poller_ops ptc_poller_uring = {
    .name = "io_uring",
    .summary = "io_uring completions with a timeout; asynchronous regular-file I/O",
    .open = uring_open,
    .close = uring_close,
    .wait = uring_wait,
};
