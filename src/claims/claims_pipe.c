/* Claim 11: a duplex Pipe carries messages both ways, and its end-of-file (002). */
#include "claims/children.h"
#include "claims/scenario.h"
#include "core/child.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* multiprocessing.Pipe(duplex=True) in C: an AF_UNIX SOCK_STREAM socketpair, both ends able to
 * send and receive. A stream has no message boundaries, so each message goes as a 4-byte length
 * and its bytes, which is what Connection.send does with pickles. */

static int send_msg(int fd, const char *msg) {
    uint32_t len = (uint32_t)strlen(msg);
    int rc = ptc_claims_write_all(fd, &len, sizeof len, 1);
    return rc < 0 ? rc : ptc_claims_write_all(fd, msg, len, 1);
}

/* Receives one message into buf[size]. Returns its length, 0 at end-of-file (before a message
 * starts), or a negative errno (-EPROTO for a message cut short or too long). */
static ssize_t recv_msg(int fd, char *buf, size_t size, ptc_ns deadline_ns) {
    uint32_t len;
    ssize_t got = ptc_claims_read_until(fd, &len, sizeof len, deadline_ns);
    if (got <= 0)
        return got;
    if (got != (ssize_t)sizeof len || len >= size)
        return -EPROTO;
    got = ptc_claims_read_until(fd, buf, len, deadline_ns);
    if (got >= 0 && got != (ssize_t)len)
        return -EPROTO;
    if (got >= 0)
        buf[len] = '\0';
    return got < 0 ? got : (ssize_t)len;
}

/* The child's end: echoes every message until end-of-file. Its exit status is the number of
 * messages it echoed when it read end-of-file, or 100 when something else happened. */
static int echo_child(int fd) {
    char buf[64];
    int n = 0;
    for (;;) {
        ssize_t got = recv_msg(fd, buf, sizeof buf, ptc_now_ns() + PTC_CLAIMS_GUARD_NS);
        if (got == 0)
            return n;
        if (got < 0 || send_msg(fd, buf) < 0)
            return 100;
        n++;
    }
}

static int claim_pipe(const struct ptc_claim_ctx *ctx, struct ptc_claim_result *r) {
    static const char *const urls[] = {"url1", "url2", "url3"};
    enum { N = 3 };
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return -errno;
    pid_t pid = ptc_fork_worker();
    if (pid < 0) {
        int e = errno;
        close(sv[0]);
        close(sv[1]);
        return -e;
    }
    if (pid == 0) {
        /* Each side closes the end it does not use: while the child held the parent's end too,
         * its own reads would never see end-of-file. */
        close(sv[0]);
        _exit(echo_child(sv[1]));
    }
    ptc_claims_close_fd(&sv[1]);
    ptc_ns deadline = ptc_now_ns() + PTC_CLAIMS_GUARD_NS;
    char back[N][64] = {{0}};
    int echoed = 0, rc = 0;
    for (int i = 0; i < N && rc == 0; i++) {
        ssize_t got;
        if ((rc = send_msg(sv[0], urls[i])) == 0 &&
            (got = recv_msg(sv[0], back[i], sizeof back[i], deadline)) != (ssize_t)strlen(urls[i]))
            rc = got < 0 ? (int)got : -EPROTO;
        echoed += rc == 0 && strcmp(back[i], urls[i]) == 0;
    }
    /* The parent's send side closes: the child reads end-of-file, exits, and its end closes in
     * turn: the parent reads end-of-file. */
    if (rc == 0 && shutdown(sv[0], SHUT_WR) != 0)
        rc = -errno;
    char buf[64];
    ssize_t eof = rc == 0 ? recv_msg(sv[0], buf, sizeof buf, deadline) : -1;
    ptc_claims_close_fd(&sv[0]);
    if (rc < 0 || eof < 0) {
        ptc_claims_kill_reap(pid);
        return rc < 0 ? rc : (int)eof;
    }
    int status;
    if ((rc = ptc_wait_child(pid, &status, 0, NULL)) < 0)
        return rc;
    int child_eof = WIFEXITED(status) && WEXITSTATUS(status) == N;
    int both_ways = echoed == N, parent_eof = eof == 0;
    int ok = both_ways && child_eof && parent_eof;
    snprintf(r->expected, sizeof r->expected,
             "conn1 and conn2 both send and receive: the parent's url1-url3 come back from the "
             "child unchanged; recv on a closed end reports end-of-file (Python's EOFError)");
    snprintf(r->measured, sizeof r->measured,
             "socketpair AF_UNIX SOCK_STREAM: %d of %d messages echoed back intact (%s, %s, %s); "
             "the child %s after the parent shut its sending side; the parent's recv %s after "
             "the child exited",
             echoed, N, back[0], back[1], back[2],
             child_eof ? "read end-of-file" : "did NOT read end-of-file",
             parent_eof ? "read end-of-file (0 bytes)" : "got data");
    r->verdict = ok ? PTC_REPRODUCED : PTC_REFUTED;
    snprintf(r->reason, sizeof r->reason, "%s",
             ok           ? "a socketpair is full duplex; read() returns 0 once the other end "
                            "is closed"
             : !both_ways ? "messages did not come back intact"
                          : "a closed end did not read as end-of-file");
    r->expected_value = N;
    r->measured_value = echoed;
    r->unit = "messages";
    return 0;
}

const struct ptc_claim ptc_claim_11 = {
    .id = "11",
    .seed = "002",
    .claim = "A duplex pipe carries messages both ways; reading a closed pipe reports end-of-file",
    .original = "如果duplex参数为True（ 默认值） ， 那么这个管道是全双⼯模式， 也就是说conn1和"
                "conn2均可收发。 ... 如果管道已经被关闭， 那么recv⽅法会抛出EOFError。",
    .run = claim_pipe,
};
