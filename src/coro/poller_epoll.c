/* epoll with a timerfd for the deadline: epoll_wait's own timeout has millisecond resolution and
 * obeys timer slack; an absolute timerfd does neither. epoll cannot wait on regular files. */
#include "coro/poller.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#define MAX_EVENTS 256

struct ptc_poller {
    int epfd, tfd;
    ptc_ns armed_ns; /* the deadline the timerfd holds, 0 when disarmed */
};

static int epoll_open(struct ptc_poller **out) {
    struct ptc_poller *p = calloc(1, sizeof *p);
    if (p == NULL)
        return -ENOMEM;
    p->epfd = epoll_create1(EPOLL_CLOEXEC);
    p->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    if (p->epfd < 0 || p->tfd < 0 || epoll_ctl(p->epfd, EPOLL_CTL_ADD, p->tfd, &ev) != 0) {
        int err = -errno;
        if (p->epfd >= 0)
            close(p->epfd);
        if (p->tfd >= 0)
            close(p->tfd);
        free(p);
        return err;
    }
    *out = p;
    return 0;
}

static void epoll_close(struct ptc_poller *p) {
    close(p->epfd);
    close(p->tfd);
    free(p);
}

static int arm(struct ptc_poller *p, ptc_ns deadline_ns) {
    if (deadline_ns == p->armed_ns)
        return 0;
    struct itimerspec its = {0};
    if (deadline_ns != PTC_DEADLINE_NONE) {
        its.it_value.tv_sec = (time_t)(deadline_ns / PTC_NS_PER_S);
        its.it_value.tv_nsec = (long)(deadline_ns % PTC_NS_PER_S);
    }
    if (timerfd_settime(p->tfd, TFD_TIMER_ABSTIME, &its, NULL) != 0)
        return -errno;
    p->armed_ns = deadline_ns == PTC_DEADLINE_NONE ? 0 : deadline_ns;
    return 0;
}

/* Readiness only: a one-shot registration per wait, so a descriptor reports to the one coroutine
 * waiting on it and then goes quiet until asked again. */
static int epoll_submit(struct ptc_poller *p, const struct ptc_io_op *op, void *udata) {
    if (op->kind != PTC_IO_POLL)
        return -EOPNOTSUPP;
    struct epoll_event ev = {.events = EPOLLONESHOT, .data.ptr = udata};
    if (op->events & POLLIN)
        ev.events |= EPOLLIN | EPOLLRDHUP;
    if (op->events & POLLOUT)
        ev.events |= EPOLLOUT;
    if (epoll_ctl(p->epfd, EPOLL_CTL_MOD, op->fd, &ev) == 0)
        return 0;
    if (errno == ENOENT && epoll_ctl(p->epfd, EPOLL_CTL_ADD, op->fd, &ev) == 0)
        return 0;
    return -errno;
}

/* The registration goes: an event already pending for it is dropped with it. The next wait on fd
 * adds it again. */
static int epoll_cancel(struct ptc_poller *p, const struct ptc_io_op *op, void *udata) {
    if (epoll_ctl(p->epfd, EPOLL_CTL_DEL, op->fd, NULL) != 0)
        return -errno;
    return 1;
}

static int epoll_wait_until(struct ptc_poller *p, ptc_ns deadline_ns, ptc_poller_done done) {
    int timeout_ms = -1;
    if (deadline_ns <= ptc_now_ns()) {
        timeout_ms = 0;
    } else {
        int rc = arm(p, deadline_ns);
        if (rc < 0)
            return rc;
    }
    struct epoll_event events[MAX_EVENTS];
    int n = epoll_wait(p->epfd, events, MAX_EVENTS, timeout_ms);
    if (n < 0)
        return errno == EINTR ? 0 : -errno;
    int completed = 0;
    for (int i = 0; i < n; i++) {
        if (events[i].data.ptr == NULL) {
            uint64_t expirations;
            if (read(p->tfd, &expirations, sizeof expirations) < 0) {
                /* EAGAIN: already consumed; the scheduler checks the clock itself */
            }
            p->armed_ns = 0;
            continue;
        }
        done(events[i].data.ptr, (int)events[i].events);
        completed++;
    }
    return completed;
}

const struct ptc_poller_ops ptc_poller_epoll = {
    .name = "epoll",
    .summary = "epoll_wait plus an absolute timerfd; regular-file I/O blocks the thread",
    .open = epoll_open,
    .close = epoll_close,
    .submit = epoll_submit,
    .cancel = epoll_cancel,
    .wait = epoll_wait_until,
};
