/* Claim 16: the endless reader that can only be terminated (001, 003). */
#include "claims/children.h"
#include "claims/scenario.h"
#include "core/child.h"
#include "core/rand.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* write_data(q): for value in 'qwer': q.put(value); time.sleep(random.random()). */
static int writer(int qfd, const char *values, const ptc_ns *sleeps) {
    for (int i = 0; values[i] != '\0'; i++) {
        if (ptc_claims_write_all(qfd, &values[i], 1, 0) < 0)
            return 1;
        ptc_sleep_ns(sleeps[i]);
    }
    return 0;
}

/* read_data(q): while True: value = q.get(True); each value read is reported at once on rfd,
 * so that what it had read when it was killed is known. It never returns. */
static void reader(int qfd, int rfd) {
    for (;;) {
        char v;
        ssize_t n = read(qfd, &v, 1);
        if (n == 1 && ptc_claims_write_all(rfd, &v, 1, 0) < 0)
            _exit(1);
        if (n == 0 || (n < 0 && errno != EINTR))
            _exit(1); /* the parent holds the queue's write end: cannot happen */
    }
}

struct reader_run {
    ptc_ns writer_ns, waited_ns; /* the writer's run; after it, the reader was still alive for */
    int alive, idle, saw_zombie, by_sigterm, echild, proc_gone, have_proc;
    int unread; /* bytes left in the queue when the reader was terminated */
    char got[8];
};

static int reader_scenario(const struct ptc_claim_ctx *ctx, const char *values, int q[2],
                           int rep[2], struct reader_run *s) {
    ptc_ns sleeps[8];
    uint64_t x = ctx->seed;
    for (int i = 0; values[i] != '\0'; i++) /* random.random() s, scaled, whole microseconds */
        sleeps[i] = ptc_seconds_ns(ptc_unit_double(ptc_splitmix64(&x)) * ctx->time_scale) /
                    PTC_NS_PER_US * PTC_NS_PER_US;
    ptc_ns start = ptc_now_ns();
    pid_t pw = ptc_fork_worker();
    if (pw < 0)
        return -errno;
    if (pw == 0) {
        close(q[0]);
        close(rep[0]);
        close(rep[1]);
        _exit(writer(q[1], values, sleeps));
    }
    pid_t pr = ptc_fork_worker();
    if (pr < 0) {
        int e = errno;
        ptc_claims_kill_reap(pw);
        return -e;
    }
    if (pr == 0) {
        close(q[1]);
        close(rep[0]);
        reader(q[0], rep[1]);
    }
    ptc_claims_close_fd(&rep[1]);
    int rc = ptc_claims_reap_ok(pw); /* pw.join() */
    s->writer_ns = ptc_now_ns() - start;
    if (rc < 0) {
        ptc_claims_kill_reap(pr);
        return rc;
    }
    /* "It cannot be waited for": still running after the writer is done and a short wait. */
    ptc_ns done = ptc_now_ns();
    ptc_sleep_ns(ptc_seconds_ns(0.1 * ctx->time_scale));
    s->alive = waitpid(pr, NULL, WNOHANG) == 0;
    s->waited_ns = ptc_now_ns() - done;
    /* Terminate it once it is idle: the queue empty and the reader asleep in its read (its only
     * blocking call), so that what it has read it has also reported. */
    s->have_proc = ptc_claims_proc_state(getpid()) != 0;
    ptc_ns deadline = ptc_now_ns() + PTC_CLAIMS_GUARD_NS;
    while (ptc_now_ns() < deadline) {
        int unread = 0;
        if (ioctl(q[0], FIONREAD, &unread) != 0)
            unread = -1;
        s->unread = unread;
        char st = ptc_claims_proc_state(pr);
        if (unread == 0 && (st == 'S' || !s->have_proc)) {
            s->idle = 1;
            break;
        }
        ptc_sleep_ns(PTC_CLAIMS_POLL_NS);
    }
    kill(pr, SIGTERM); /* pr.terminate() */
    /* Killed and not yet reaped, it is a zombie: Python's terminate() does not reap either;
     * join() or the next Process.start() does. */
    deadline = ptc_now_ns() + PTC_CLAIMS_GUARD_NS;
    while (s->have_proc && !s->saw_zombie && ptc_now_ns() < deadline) {
        s->saw_zombie = ptc_claims_proc_state(pr) == 'Z';
        if (!s->saw_zombie)
            ptc_sleep_ns(PTC_CLAIMS_POLL_NS);
    }
    int status;
    if ((rc = ptc_wait_child(pr, &status, 0, NULL)) < 0) {
        ptc_claims_kill_reap(pr);
        return rc;
    }
    s->by_sigterm = WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM;
    s->echild = waitpid(pr, NULL, WNOHANG) == -1 && errno == ECHILD;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d", (int)pr);
    s->proc_gone = access(path, F_OK) != 0 && errno == ENOENT;
    /* Both children are gone: the report pipe reads to end-of-file. */
    ssize_t got = ptc_claims_read_until(rep[0], s->got, sizeof s->got - 1,
                                        ptc_now_ns() + PTC_CLAIMS_GUARD_NS);
    if (got < 0)
        return (int)got;
    s->got[got] = '\0';
    return 0;
}

static int claim_terminate(const struct ptc_claim_ctx *ctx, struct ptc_claim_result *r) {
    static const char values[] = "qwer";
    int q[2], rep[2];
    if (pipe2(q, O_CLOEXEC) != 0)
        return -errno;
    if (pipe2(rep, O_CLOEXEC) != 0) {
        int e = errno;
        close(q[0]);
        close(q[1]);
        return -e;
    }
    struct reader_run s = {0};
    int rc = reader_scenario(ctx, values, q, rep, &s);
    ptc_claims_close_fd(&q[0]);
    ptc_claims_close_fd(&q[1]);
    ptc_claims_close_fd(&rep[0]);
    ptc_claims_close_fd(&rep[1]);
    if (rc < 0)
        return rc;
    int nothing_lost = s.idle && s.unread == 0 && strcmp(s.got, values) == 0;
    int no_zombie = s.by_sigterm && s.echild && (s.proc_gone || !s.have_proc);
    int ok = s.alive && nothing_lost && no_zombie;
    snprintf(r->expected, sizeof r->expected,
             "the reader is still running after the writer is done; terminate() ends it; it "
             "had read all of q, w, e, r; once reaped no zombie is left");
    snprintf(r->measured, sizeof r->measured,
             "writer done after %.3f s; the reader %s %.4f s later; when terminated it had read "
             "'%s' (%zu of %zu, %d bytes left in the pipe); %s; killed by %s; after waitpid: "
             "%s, /proc/%s",
             ptc_s(s.writer_ns), s.alive ? "still running" : "HAD EXITED", ptc_s(s.waited_ns),
             s.got, strlen(s.got), strlen(values), s.unread,
             !s.have_proc   ? "no /proc here"
             : s.saw_zombie ? "a zombie (state Z) until reaped"
                            : "no zombie state seen",
             s.by_sigterm ? "SIGTERM" : "something else", s.echild ? "ECHILD" : "still a child",
             !s.have_proc  ? "not checked"
             : s.proc_gone ? "<pid> gone"
                           : "<pid> still there");
    r->verdict = ok ? PTC_REPRODUCED : PTC_REFUTED;
    snprintf(r->reason, sizeof r->reason, "%s",
             ok              ? "a blocking read of a pipe someone still holds open never ends; "
                               "SIGTERM ends it, waitpid removes it"
             : !s.alive      ? "the reader ended by itself"
             : !nothing_lost ? "messages were lost"
                             : "the reader was not cleanly reaped");
    r->expected_value = (double)strlen(values);
    r->measured_value = (double)strlen(s.got);
    r->unit = "messages";
    return 0;
}

const struct ptc_claim ptc_claim_16 = {
    .id = "16",
    .seed = "001, 003",
    .claim = "A reader process in an endless loop must be terminated; terminating it loses nothing "
             "already read and leaves no zombie",
    .original = "pr进程里是死循环，无法等待其结束，只能强行终止",
    .run = claim_terminate,
};
