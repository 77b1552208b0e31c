#include "micro/ipc.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

static int fd_open_pipe(struct ptc_ipc_chan *c) {
    int p0[2], p1[2];
    if (pipe2(p0, O_CLOEXEC) != 0)
        return -errno;
    if (pipe2(p1, O_CLOEXEC) != 0) {
        int e = errno;
        close(p0[0]);
        close(p0[1]);
        return -e;
    }
    c->wfd[0] = p0[1];
    c->rfd[1] = p0[0];
    c->wfd[1] = p1[1];
    c->rfd[0] = p1[0];
    return 0;
}

static int fd_open_socketpair(struct ptc_ipc_chan *c) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return -errno;
    c->rfd[0] = c->wfd[0] = sv[0];
    c->rfd[1] = c->wfd[1] = sv[1];
    return 0;
}

static void fd_leave(struct ptc_ipc_chan *c, int side) {
    int o = 1 - side;
    if (c->wfd[o] >= 0 && c->wfd[o] != c->rfd[o])
        close(c->wfd[o]);
    if (c->rfd[o] >= 0)
        close(c->rfd[o]);
    c->rfd[o] = c->wfd[o] = -1;
}

static void fd_close(struct ptc_ipc_chan *c) {
    fd_leave(c, 0);
    fd_leave(c, 1);
}

static int fd_send(struct ptc_ipc_chan *c, int side, const void *buf, size_t n) {
    for (size_t done = 0; done < n;) {
        ssize_t w = write(c->wfd[side], (const char *)buf + done, n - done);
        if (w < 0 && errno != EINTR)
            return -errno;
        if (w > 0)
            done += (size_t)w;
    }
    return 0;
}

static int fd_recv(struct ptc_ipc_chan *c, int side, void *buf, size_t n) {
    for (size_t done = 0; done < n;) {
        ssize_t r = read(c->rfd[side], (char *)buf + done, n - done);
        if (r == 0)
            return -EPIPE; /* the partner is gone */
        if (r < 0 && errno != EINTR)
            return -errno;
        if (r > 0)
            done += (size_t)r;
    }
    return 0;
}

const struct ptc_ipc_ops ptc_ipc_pipe_ops = {fd_open_pipe, fd_close, fd_leave,
                                             fd_send,      fd_recv,  ptc_ipc_run_processes};

const struct ptc_ipc_ops ptc_ipc_socketpair_ops = {
    fd_open_socketpair, fd_close, fd_leave, fd_send, fd_recv, ptc_ipc_run_processes};
