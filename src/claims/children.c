#include "claims/children.h"

#include "core/child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The error path: whatever state the child is in, it is gone when this returns. */
void ptc_claims_kill_reap(pid_t pid) {
    int status;
    if (pid <= 0)
        return;
    kill(pid, SIGKILL);
    ptc_wait_child(pid, &status, 0, NULL);
}

/* Reaps a child that should have exited with status 0. Returns 0 or a negative errno. */
int ptc_claims_reap_ok(pid_t pid) {
    struct ptc_child_usage u = {0};
    return ptc_reap(pid, &u);
}

void ptc_claims_close_fd(int *fd) {
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Reads size bytes from fd, or fewer when end-of-file comes first, waiting at most until
 * deadline_ns. Returns the bytes read, -ETIMEDOUT, or a negative errno. */
ssize_t ptc_claims_read_until(int fd, void *buf, size_t size, ptc_ns deadline_ns) {
    size_t got = 0;
    while (got < size) {
        ptc_ns now = ptc_now_ns();
        if (now >= deadline_ns)
            return -ETIMEDOUT;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int n = poll(&p, 1, (int)((deadline_ns - now + PTC_NS_PER_MS - 1) / PTC_NS_PER_MS));
        if (n < 0 && errno != EINTR)
            return -errno;
        if (n <= 0)
            continue;
        ssize_t r = read(fd, (char *)buf + got, size - got);
        if (r < 0 && errno != EINTR)
            return -errno;
        if (r == 0)
            break;
        if (r > 0)
            got += (size_t)r;
    }
    return (ssize_t)got;
}

/* Writes all of buf; send() with MSG_NOSIGNAL on sockets, so that a peer that died makes an
 * EPIPE here rather than a SIGPIPE that would end the caller. Returns 0 or a negative errno. */
int ptc_claims_write_all(int fd, const void *buf, size_t size, int is_socket) {
    size_t done = 0;
    while (done < size) {
        ssize_t w = is_socket ? send(fd, (const char *)buf + done, size - done, MSG_NOSIGNAL)
                              : write(fd, (const char *)buf + done, size - done);
        if (w < 0 && errno != EINTR)
            return -errno;
        if (w > 0)
            done += (size_t)w;
    }
    return 0;
}

/* The state letter of /proc/<pid>/stat (R, S, Z, ...), or 0 when it cannot be read. */
char ptc_claims_proc_state(pid_t pid) {
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    /* "pid (comm) S ...": comm may hold spaces and parentheses, the last ')' ends it */
    const char *p = strrchr(buf, ')');
    return p != NULL && p[1] == ' ' ? p[2] : 0;
}
