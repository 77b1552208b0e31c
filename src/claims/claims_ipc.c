/* Claims about processes and how they talk: globals are not shared (000, 004), a bounded
 * Queue(3) and its timeouts (002, 004), a duplex Pipe and its end-of-file (002), and the endless
 * reader that can only be terminated (001, 003). Every scenario forks its own children with
 * ptc_fork_worker (they die with the caller) and reaps each of them on every path, the error
 * paths included: no scenario leaves a child, an fd or a mapping behind, and none touches a
 * process-wide setting (signal dispositions, masks, affinity) that would need restoring. */
#include "claims/scenario.h"
#include "core/child.h"
#include "core/rand.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOLERANCE  0.05
#define SLACK_NS   (2 * PTC_NS_PER_MS)
#define INSTANT_NS PTC_NS_PER_MS /* "at once", "immediately": under 1 ms */
/* How long the parent waits for a child to reach a state before it gives up. Only a broken run
 * gets there, and then the scenario could not run (an error), which is not a verdict. */
#define GUARD_NS (5 * PTC_NS_PER_S)
#define POLL_NS  (50 * PTC_NS_PER_US) /* the step of the parent's waits for a child's state */

static double ms(ptc_ns ns) {
    return (double)ns / 1e6;
}

/* ---- children and fds ---- */

/* The error path: whatever state the child is in, it is gone when this returns. */
static void kill_reap(pid_t pid) {
    int status;
    if (pid <= 0)
        return;
    kill(pid, SIGKILL);
    ptc_wait_child(pid, &status, 0, NULL);
}

/* Reaps a child that should have exited with status 0. Returns 0 or a negative errno. */
static int reap_ok(pid_t pid) {
    struct ptc_child_usage u = {0};
    return ptc_reap(pid, &u);
}

static void close_fd(int *fd) {
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Reads size bytes from fd, or fewer when end-of-file comes first, waiting at most until
 * deadline_ns. Returns the bytes read, -ETIMEDOUT, or a negative errno. */
static ssize_t read_until(int fd, void *buf, size_t size, ptc_ns deadline_ns) {
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
static int write_all(int fd, const void *buf, size_t size, int is_socket) {
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
static char proc_state(pid_t pid) {
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

/* ---- 08: processes do not share globals ---- */

/* The tutorial's g_nums = [11, 22, 33], a list: in C an array and its length. The scenario's
 * own global, set afresh at the start of every run. */
#define NUMS_CAP 8
struct nums {
    int len;
    int v[NUMS_CAP];
};
static struct nums g_nums;

static void nums_append(int x) {
    if (g_nums.len < NUMS_CAP)
        g_nums.v[g_nums.len++] = x;
}

static int nums_is(const struct nums *n, int len, const int *v) {
    return n->len == len && memcmp(n->v, v, (size_t)len * sizeof *v) == 0;
}

static const char *nums_text(const struct nums *n, char *buf, size_t size) {
    size_t len = 0;
    len += (size_t)snprintf(buf, size, "[");
    for (int i = 0; i < n->len && i < NUMS_CAP && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%d", i ? ", " : "", n->v[i]);
    if (len < size)
        snprintf(buf + len, size - len, "]");
    return buf;
}

/* work1: g_nums.append(44), and report what it sees. */
static int work1(int fd) {
    nums_append(44);
    return write_all(fd, &g_nums, sizeof g_nums, 0);
}

/* work2: report what it sees, then append 55 of its own and report again. */
static int work2(int fd) {
    struct nums seen[2];
    seen[0] = g_nums;
    nums_append(55);
    seen[1] = g_nums;
    return write_all(fd, seen, sizeof seen, 0);
}

/* Forks a child that runs body(fd), fd the write end of a pipe, then reads its report of
 * `size` bytes and reaps it (the tutorial's p.start(); p.join()). Returns 0 or a negative errno. */
static int child_report(int (*body)(int fd), void *report, size_t size) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -errno;
    pid_t pid = ptc_fork_worker();
    if (pid < 0) {
        int e = errno;
        close(fds[0]);
        close(fds[1]);
        return -e;
    }
    if (pid == 0) {
        close(fds[0]);
        _exit(body(fds[1]) == 0 ? 0 : 1);
    }
    close(fds[1]);
    ssize_t got = read_until(fds[0], report, size, ptc_now_ns() + GUARD_NS);
    close(fds[0]);
    if (got != (ssize_t)size) {
        kill_reap(pid);
        return got < 0 ? (int)got : -EPROTO;
    }
    return reap_ok(pid);
}

static void *thread_append(void *arg) {
    nums_append(66);
    return NULL;
}

static int claim_globals(const struct ptc_claim_ctx *ctx, struct ptc_claim_result *r) {
    static const int base[] = {11, 22, 33}, with44[] = {11, 22, 33, 44},
                     with55[] = {11, 22, 33, 55}, with66[] = {11, 22, 33, 66};
    g_nums = (struct nums){.len = 3, .v = {11, 22, 33}};
    struct nums seen1, seen2[2], parent, after_thread;
    int rc = child_report(work1, &seen1, sizeof seen1);
    if (rc == 0) /* p1.join() before p2.start(), as in the tutorial */
        rc = child_report(work2, seen2, sizeof seen2);
    if (rc < 0)
        return rc;
    parent = g_nums;
    /* The control: the same append from a thread, which shares the parent's memory, is seen. It
     * shows the scenario can tell sharing from not sharing. */
    pthread_t t;
    rc = pthread_create(&t, NULL, thread_append, NULL);
    if (rc != 0)
        return -rc;
    pthread_join(t, NULL);
    after_thread = g_nums;
    g_nums = (struct nums){.len = 3, .v = {11, 22, 33}};

    int parent_same = nums_is(&parent, 3, base);
    int child1_own = nums_is(&seen1, 4, with44);
    int sibling_blind = nums_is(&seen2[0], 3, base) && nums_is(&seen2[1], 4, with55);
    int control = nums_is(&after_thread, 4, with66);
    int ok = parent_same && child1_own && sibling_blind && control;
    char a[64], b[64], c[64], d[64], e[64];
    snprintf(r->expected, sizeof r->expected,
             "g_nums = [11, 22, 33]; a child that appends 44 sees [11, 22, 33, 44]; the next "
             "child sees [11, 22, 33] and, after appending 55, [11, 22, 33, 55]; the parent "
             "still sees [11, 22, 33]");
    snprintf(r->measured, sizeof r->measured,
             "child 1 after append(44): %s; child 2 (started after child 1 was joined): %s, after "
             "its append(55): %s; parent after both: %s; control, a thread's append(66): the "
             "parent sees %s",
             nums_text(&seen1, a, sizeof a), nums_text(&seen2[0], b, sizeof b),
             nums_text(&seen2[1], c, sizeof c), nums_text(&parent, d, sizeof d),
             nums_text(&after_thread, e, sizeof e));
    r->verdict = ok ? PTC_REPRODUCED : PTC_REFUTED;
    snprintf(r->reason, sizeof r->reason, "%s",
             ok ? "fork gives each child a copy of the parent's memory: a change stays in the "
                  "process that made it (a thread's change is shared)"
             : !control ? "the thread control failed: the scenario cannot tell sharing apart"
                        : "a child's change reached another process");
    r->expected_value = 3;
    r->measured_value = parent.len;
    r->unit = "elements";
    return 0;
}

/* ---- 10: a bounded queue of 3 between processes ---- */

/* multiprocessing.Queue(3) in C: a ring of QUEUE_CAP fixed-size slots in MAP_SHARED memory,
 * guarded by a process-shared mutex, with two process-shared condition variables on
 * CLOCK_MONOTONIC (not_full, not_empty), so that put and get can wait forever, until a deadline,
 * or not at all, as Python's block and timeout arguments say. CPython builds its Queue from a
 * pipe and a BoundedSemaphore(maxsize) instead; the behaviour under test is the same: put takes a
 * free place or waits for one, get takes a message or waits for one, and a wait that times out
 * raises Full or Empty (here -EAGAIN). The mutex is robust, so that a child killed while holding
 * it (only on a broken run) cannot hang the parent. */
#define QUEUE_CAP 3
#define MSG_BYTES 32

struct shm_queue {
    pthread_mutex_t mu;
    pthread_cond_t not_full, not_empty;
    uint32_t head, count;
    uint32_t put_waiters; /* puts asleep on not_full: how the parent sees that a put blocks */
    char slot[QUEUE_CAP][MSG_BYTES];
    /* the blocked child's record, on the parent's clock */
    ptc_ns child_done_ns; /* 0 until its put returned */
    int child_rc;
};

static int queue_init(struct shm_queue *q) {
    pthread_mutexattr_t ma;
    pthread_condattr_t ca;
    int rc = pthread_mutexattr_init(&ma);
    if (rc != 0)
        return -rc;
    if ((rc = pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED)) == 0 &&
        (rc = pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST)) == 0)
        rc = pthread_mutex_init(&q->mu, &ma);
    pthread_mutexattr_destroy(&ma);
    if (rc != 0)
        return -rc;
    if ((rc = pthread_condattr_init(&ca)) != 0)
        return -rc; /* the mutex needs no destroy in glibc; the mapping goes with it */
    if ((rc = pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED)) == 0 &&
        (rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC)) == 0 &&
        (rc = pthread_cond_init(&q->not_full, &ca)) == 0)
        rc = pthread_cond_init(&q->not_empty, &ca);
    pthread_condattr_destroy(&ca);
    return -rc;
}

/* pthread's lock and waits return EOWNERDEAD when the holder died: take the lock over. */
static int queue_owner_check(struct shm_queue *q, int rc) {
    return rc == EOWNERDEAD ? pthread_mutex_consistent(&q->mu) : rc;
}

static int queue_lock(struct shm_queue *q) {
    return -queue_owner_check(q, pthread_mutex_lock(&q->mu));
}

/* Waits on cv until *cond_full_or_empty clears: timeout_ns < 0 forever, 0 not at all, > 0 until
 * then. Called and returns with the mutex held. Returns 0, -EAGAIN when the wait timed out (or
 * was not allowed), or a negative errno. */
static int queue_wait(struct shm_queue *q, pthread_cond_t *cv, int want_space, int64_t timeout_ns,
                      const struct timespec *deadline) {
    int timed_out = 0;
    while (want_space ? q->count == QUEUE_CAP : q->count == 0) {
        if (timeout_ns == 0 || timed_out)
            return -EAGAIN;
        q->put_waiters += want_space;
        int rc = timeout_ns < 0 ? pthread_cond_wait(cv, &q->mu)
                                : pthread_cond_timedwait(cv, &q->mu, deadline);
        q->put_waiters -= want_space;
        if (rc == ETIMEDOUT)
            timed_out = 1; /* one more look: a place may have come free at the deadline */
        else if ((rc = queue_owner_check(q, rc)) != 0)
            return -rc;
    }
    return 0;
}

static struct timespec deadline_after(int64_t timeout_ns) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    if (timeout_ns > 0) {
        int64_t ns = (int64_t)ts.tv_nsec + timeout_ns;
        ts.tv_sec += (time_t)(ns / (int64_t)PTC_NS_PER_S);
        ts.tv_nsec = (long)(ns % (int64_t)PTC_NS_PER_S);
    }
    return ts;
}

/* q.put(msg, block, timeout): timeout_ns < 0 blocks until there is room, 0 is put_nowait, > 0
 * waits at most that long. Returns 0, -EAGAIN (Queue.Full) or a negative errno. */
static int queue_put(struct shm_queue *q, const char *msg, int64_t timeout_ns) {
    struct timespec deadline = deadline_after(timeout_ns);
    int rc = queue_lock(q);
    if (rc < 0)
        return rc;
    rc = queue_wait(q, &q->not_full, 1, timeout_ns, &deadline);
    if (rc == 0) {
        snprintf(q->slot[(q->head + q->count) % QUEUE_CAP], MSG_BYTES, "%s", msg);
        q->count++;
        pthread_cond_signal(&q->not_empty);
    }
    pthread_mutex_unlock(&q->mu);
    return rc;
}

/* q.get(block, timeout), the same way; the message goes to out[MSG_BYTES]. Returns 0, -EAGAIN
 * (Queue.Empty) or a negative errno. */
static int queue_get(struct shm_queue *q, char *out, int64_t timeout_ns) {
    struct timespec deadline = deadline_after(timeout_ns);
    int rc = queue_lock(q);
    if (rc < 0)
        return rc;
    rc = queue_wait(q, &q->not_empty, 0, timeout_ns, &deadline);
    if (rc == 0) {
        memcpy(out, q->slot[q->head], MSG_BYTES);
        q->head = (q->head + 1) % QUEUE_CAP;
        q->count--;
        pthread_cond_signal(&q->not_full);
    }
    pthread_mutex_unlock(&q->mu);
    return rc;
}

/* Reads a field the other process writes under the lock. */
static uint64_t queue_read(struct shm_queue *q, const void *field, size_t size) {
    uint64_t v = 0;
    if (queue_lock(q) < 0)
        return 0;
    memcpy(&v, field, size);
    pthread_mutex_unlock(&q->mu);
    return v;
}

/* One of the four operations that must fail: a put on the full queue or a get on the empty one,
 * with a timeout or without waiting. */
struct try {
    int rc;         /* -EAGAIN: Full or Empty, as expected */
    ptc_ns took_ns; /* of the last attempt */
    int attempts;
    ptc_ns first_ns; /* of the first attempt, when it took another */
};

/* Failed as it should: after the timeout (within 5 % + 2 ms, never early), or at once. */
static int try_ok(const struct try *t, ptc_ns timeout) {
    if (t->rc != -EAGAIN)
        return 0;
    if (timeout == 0)
        return t->took_ns < INSTANT_NS;
    return t->took_ns >= timeout &&
           ptc_within((double)t->took_ns, (double)timeout, TOLERANCE, SLACK_NS);
}

/* The timings are the queue's, not the host's: a virtual CPU preempted for a few ms (1 in ~100
 * 20 ms waits on the machine this was written on) is not a late timeout. An attempt off the
 * tolerance is made again, up to ATTEMPTS times, and the ledger says so. An operation that does
 * not fail is not retried: that is a result. */
#define ATTEMPTS 3

static void try_op(struct shm_queue *q, int put, ptc_ns timeout, struct try *t) {
    static const char msg4[] = "消息 4";
    char out[MSG_BYTES];
    for (t->attempts = 1;; t->attempts++) {
        ptc_ns t0 = ptc_now_ns();
        t->rc = put ? queue_put(q, msg4, (int64_t)timeout) : queue_get(q, out, (int64_t)timeout);
        t->took_ns = ptc_now_ns() - t0;
        if (t->attempts == 1)
            t->first_ns = t->took_ns;
        if (t->rc != -EAGAIN || try_ok(t, timeout) || t->attempts == ATTEMPTS)
            break;
    }
}

/* "put(timeout) Full after 2.0004 s", seconds for the timed, ms for the others. */
static const char *try_text(const struct try *t, const char *what, const char *failed,
                            const char *went, char *buf, size_t size) {
    int timed = strstr(what, "timeout") != NULL;
    double took = timed ? ptc_s(t->took_ns) : ms(t->took_ns);
    double first = timed ? ptc_s(t->first_ns) : ms(t->first_ns);
    const char *unit = timed ? "s" : "ms";
    int n = snprintf(buf, size, "%s %s after %.4f %s", what, t->rc == -EAGAIN ? failed : went, took,
                     unit);
    if (t->attempts > 1 && n > 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, " (attempt %d; 1st %.4f %s)", t->attempts, first, unit);
    return buf;
}

/* Waits until the blocked child's put is asleep on not_full. Returns 0 or -ETIMEDOUT. */
static int wait_put_waiter(struct shm_queue *q) {
    ptc_ns deadline = ptc_now_ns() + GUARD_NS;
    while (queue_read(q, &q->put_waiters, sizeof q->put_waiters) == 0) {
        if (ptc_now_ns() >= deadline)
            return -ETIMEDOUT;
        ptc_sleep_ns(POLL_NS);
    }
    return 0;
}

struct queue_run {
    int full2, full3;              /* q.full() after 2 and after 3 puts */
    ptc_ns blocked_ns, unblock_ns; /* the child's 4th put: blocked for, woken after */
    int still_blocked, unblocked;  /* ... after the parent's timed put and the hold */
    struct try put_timed, put_now, get_timed, get_now;
    char order[4][MSG_BYTES]; /* what the gets returned, in order */
};

static int queue_scenario(struct shm_queue *q, ptc_ns timeout, ptc_ns hold, struct queue_run *s) {
    static const char *const msgs[] = {"消息 1", "消息 2", "消息 3", "消息 4"};
    int rc;
    for (int i = 0; i < 3; i++) {
        if ((rc = queue_put(q, msgs[i], -1)) < 0)
            return rc;
        if (i == 1)
            s->full2 = q->count == QUEUE_CAP;
    }
    s->full3 = q->count == QUEUE_CAP;
    /* The 4th put, blocking, from a child: it sleeps until the parent's get below frees a place. */
    pid_t pid = ptc_fork_worker();
    if (pid < 0)
        return -errno;
    if (pid == 0) {
        int put = queue_put(q, msgs[3], -1);
        ptc_ns done = ptc_now_ns();
        if (queue_lock(q) == 0) {
            q->child_done_ns = done;
            q->child_rc = put;
            pthread_mutex_unlock(&q->mu);
        }
        _exit(put == 0 ? 0 : 1);
    }
    if ((rc = wait_put_waiter(q)) < 0)
        goto fail;
    ptc_ns blocked_at = ptc_now_ns();
    /* The tutorial's two tries, on the full queue: put(.., True, 2) and put_nowait. */
    try_op(q, 1, timeout, &s->put_timed);
    try_op(q, 1, 0, &s->put_now);
    ptc_sleep_ns(hold);
    s->blocked_ns = ptc_now_ns() - blocked_at;
    s->still_blocked = queue_read(q, &q->child_done_ns, sizeof q->child_done_ns) == 0 &&
                       waitpid(pid, NULL, WNOHANG) == 0;
    /* A get frees a place: the child's put goes through. */
    ptc_ns get_at = ptc_now_ns();
    if ((rc = queue_get(q, s->order[0], -1)) < 0)
        goto fail;
    ptc_ns deadline = get_at + GUARD_NS, done;
    while ((done = queue_read(q, &q->child_done_ns, sizeof q->child_done_ns)) == 0 &&
           ptc_now_ns() < deadline)
        ptc_sleep_ns(POLL_NS);
    if (done == 0) {
        rc = -ETIMEDOUT;
        goto fail;
    }
    if ((rc = reap_ok(pid)) < 0)
        return rc;
    s->unblocked = q->child_rc == 0;
    s->unblock_ns = done > get_at ? done - get_at : 0;
    for (int i = 1; i < 4; i++)
        if ((rc = queue_get(q, s->order[i], 0)) < 0)
            return rc;
    /* Now empty: get(True, 2) and get_nowait. */
    try_op(q, 0, timeout, &s->get_timed);
    try_op(q, 0, 0, &s->get_now);
    return 0;
fail:
    kill_reap(pid);
    return rc;
}

static int claim_queue(const struct ptc_claim_ctx *ctx, struct ptc_claim_result *r) {
    ptc_ns timeout = ptc_seconds_ns(2 * ctx->time_scale),
           hold = ptc_seconds_ns(0.1 * ctx->time_scale);
    struct shm_queue *q =
        mmap(NULL, sizeof *q, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (q == MAP_FAILED)
        return -errno;
    struct queue_run s = {0};
    int rc = queue_init(q);
    if (rc == 0)
        rc = queue_scenario(q, timeout, hold, &s);
    /* No pthread_*_destroy: a child killed on an error path may have left itself counted among a
     * condition variable's waiters, and glibc's destroy would wait for it forever. The objects
     * hold no other resource than the mapping. */
    munmap(q, sizeof *q);
    if (rc < 0)
        return rc;

    int put_timed = try_ok(&s.put_timed, timeout), get_timed = try_ok(&s.get_timed, timeout);
    int put_now = try_ok(&s.put_now, 0), get_now = try_ok(&s.get_now, 0);
    int fifo = 1;
    for (int i = 0; i < 4; i++) {
        char want[MSG_BYTES];
        snprintf(want, sizeof want, "消息 %d", i + 1);
        fifo &= strcmp(s.order[i], want) == 0;
    }
    int blocks = !s.full2 && s.full3 && s.still_blocked && s.unblocked;
    int ok = blocks && put_timed && put_now && get_timed && get_now && fifo;
    snprintf(r->expected, sizeof r->expected,
             "full() False after 2 puts, True after 3; the 4th put blocks until a get; put and "
             "get with timeout=%.3f s fail after it (5 %% + 2 ms, not early), put_nowait and "
             "get_nowait at once (< 1 ms); up to 3 attempts each",
             ptc_s(timeout));
    char t[4][80];
    snprintf(r->measured, sizeof r->measured,
             "full() %s, %s; a child's 4th put %s after %.3f s, went through %.3f ms after a "
             "get; %s; %s; %s; %s; gets in order: %s",
             s.full2 ? "True" : "False", s.full3 ? "True" : "False",
             s.still_blocked ? "still blocked" : "NOT blocked", ptc_s(s.blocked_ns),
             ms(s.unblock_ns),
             try_text(&s.put_timed, "put(timeout)", "Full", "went through", t[0], sizeof t[0]),
             try_text(&s.put_now, "put_nowait", "Full", "went through", t[1], sizeof t[1]),
             try_text(&s.get_timed, "get(timeout)", "Empty", "got one", t[2], sizeof t[2]),
             try_text(&s.get_now, "get_nowait", "Empty", "got one", t[3], sizeof t[3]),
             fifo ? "消息 1-4" : "WRONG");
    r->verdict = ok ? PTC_REPRODUCED : PTC_REFUTED;
    snprintf(r->reason, sizeof r->reason, "%s",
             ok ? "a bounded queue: block waits for room, a timeout waits that long, no block "
                  "fails at once"
             : !blocks                  ? "the 4th put did not block until a get"
             : !put_timed || !get_timed ? "a timed put or get did not fail after its timeout"
             : !put_now || !get_now     ? "a non-blocking put or get did not fail at once"
                                        : "the messages did not come out in order");
    r->expected_value = ptc_s(timeout);
    r->measured_value = ptc_s(s.put_timed.took_ns);
    r->unit = "s";
    return 0;
}

/* ---- 11: a duplex pipe ---- */

/* multiprocessing.Pipe(duplex=True) in C: an AF_UNIX SOCK_STREAM socketpair, both ends able to
 * send and receive. A stream has no message boundaries, so each message goes as a 4-byte length
 * and its bytes, which is what Connection.send does with pickles. */

static int send_msg(int fd, const char *msg) {
    uint32_t len = (uint32_t)strlen(msg);
    int rc = write_all(fd, &len, sizeof len, 1);
    return rc < 0 ? rc : write_all(fd, msg, len, 1);
}

/* Receives one message into buf[size]. Returns its length, 0 at end-of-file (before a message
 * starts), or a negative errno (-EPROTO for a message cut short or too long). */
static ssize_t recv_msg(int fd, char *buf, size_t size, ptc_ns deadline_ns) {
    uint32_t len;
    ssize_t got = read_until(fd, &len, sizeof len, deadline_ns);
    if (got <= 0)
        return got;
    if (got != (ssize_t)sizeof len || len >= size)
        return -EPROTO;
    got = read_until(fd, buf, len, deadline_ns);
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
        ssize_t got = recv_msg(fd, buf, sizeof buf, ptc_now_ns() + GUARD_NS);
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
    close_fd(&sv[1]);
    ptc_ns deadline = ptc_now_ns() + GUARD_NS;
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
    close_fd(&sv[0]);
    if (rc < 0 || eof < 0) {
        kill_reap(pid);
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

/* ---- 16: the endless reader must be terminated ---- */

/* write_data(q): for value in 'qwer': q.put(value); time.sleep(random.random()). */
static int writer(int qfd, const char *values, const ptc_ns *sleeps) {
    for (int i = 0; values[i] != '\0'; i++) {
        if (write_all(qfd, &values[i], 1, 0) < 0)
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
        if (n == 1 && write_all(rfd, &v, 1, 0) < 0)
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
        kill_reap(pw);
        return -e;
    }
    if (pr == 0) {
        close(q[1]);
        close(rep[0]);
        reader(q[0], rep[1]);
    }
    close_fd(&rep[1]);
    int rc = reap_ok(pw); /* pw.join() */
    s->writer_ns = ptc_now_ns() - start;
    if (rc < 0) {
        kill_reap(pr);
        return rc;
    }
    /* "It cannot be waited for": still running after the writer is done and a short wait. */
    ptc_ns done = ptc_now_ns();
    ptc_sleep_ns(ptc_seconds_ns(0.1 * ctx->time_scale));
    s->alive = waitpid(pr, NULL, WNOHANG) == 0;
    s->waited_ns = ptc_now_ns() - done;
    /* Terminate it once it is idle: the queue empty and the reader asleep in its read (its only
     * blocking call), so that what it has read it has also reported. */
    s->have_proc = proc_state(getpid()) != 0;
    ptc_ns deadline = ptc_now_ns() + GUARD_NS;
    while (ptc_now_ns() < deadline) {
        int unread = 0;
        if (ioctl(q[0], FIONREAD, &unread) != 0)
            unread = -1;
        s->unread = unread;
        char st = proc_state(pr);
        if (unread == 0 && (st == 'S' || !s->have_proc)) {
            s->idle = 1;
            break;
        }
        ptc_sleep_ns(POLL_NS);
    }
    kill(pr, SIGTERM); /* pr.terminate() */
    /* Killed and not yet reaped, it is a zombie: Python's terminate() does not reap either;
     * join() or the next Process.start() does. */
    deadline = ptc_now_ns() + GUARD_NS;
    while (s->have_proc && !s->saw_zombie && ptc_now_ns() < deadline) {
        s->saw_zombie = proc_state(pr) == 'Z';
        if (!s->saw_zombie)
            ptc_sleep_ns(POLL_NS);
    }
    int status;
    if ((rc = ptc_wait_child(pr, &status, 0, NULL)) < 0) {
        kill_reap(pr);
        return rc;
    }
    s->by_sigterm = WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM;
    s->echild = waitpid(pr, NULL, WNOHANG) == -1 && errno == ECHILD;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d", (int)pr);
    s->proc_gone = access(path, F_OK) != 0 && errno == ENOENT;
    /* Both children are gone: the report pipe reads to end-of-file. */
    ssize_t got = read_until(rep[0], s->got, sizeof s->got - 1, ptc_now_ns() + GUARD_NS);
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
    close_fd(&q[0]);
    close_fd(&q[1]);
    close_fd(&rep[0]);
    close_fd(&rep[1]);
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

const struct ptc_claim ptc_claim_08 = {
    .id = "08",
    .seed = "000, 004",
    .claim = "Processes do not share globals: a change in a child is invisible to the parent and "
             "its siblings",
    .original = "进程间不同享全局变量 (004); 两个进程之间是无法通过global变量来约束的 (000)",
    .run = claim_globals,
};

const struct ptc_claim ptc_claim_10 = {
    .id = "10",
    .seed = "002, 004",
    .claim = "A bounded queue of 3: the 4th put blocks, a put with a 2 s timeout fails after 2 s, "
             "a non-blocking put fails at once; get on an empty queue likewise",
    .original = "第一个 try 会等待 2 秒后再抛出异常，第二个Try 会立刻抛出异常",
    .run = claim_queue,
};

const struct ptc_claim ptc_claim_11 = {
    .id = "11",
    .seed = "002",
    .claim = "A duplex pipe carries messages both ways; reading a closed pipe reports end-of-file",
    .original = "如果duplex参数为True（ 默认值） ， 那么这个管道是全双⼯模式， 也就是说conn1和"
                "conn2均可收发。 ... 如果管道已经被关闭， 那么recv⽅法会抛出EOFError。",
    .run = claim_pipe,
};

const struct ptc_claim ptc_claim_16 = {
    .id = "16",
    .seed = "001, 003",
    .claim = "A reader process in an endless loop must be terminated; terminating it loses nothing "
             "already read and leaves no zombie",
    .original = "pr进程里是死循环，无法等待其结束，只能强行终止",
    .run = claim_terminate,
};
