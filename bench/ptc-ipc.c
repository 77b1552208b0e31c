/* ptc-ipc: how fast messages go between two units of execution, and how long one takes there
 * and back. Throughput (MB/s and messages/s: one side sends, the other receives) and round-trip
 * latency (ns: a message there, the same message back) of
 *   processes:  a pipe, an AF_UNIX socketpair, a shared-memory ring;
 *   threads:    a queue under a mutex and two condition variables;
 *   coroutines: a channel between two coroutines of one scheduler.
 * The message size is --n, in bytes, swept from 8 B to 64 KiB by default.
 *
 * The three mechanisms that are not the kernel's are one design, a byte ring per direction of
 * about 64 KiB (a pipe's default capacity; twice the message when that is more), filled with
 * fixed-size messages by one side and drained by the other; they differ only in how a side that
 * finds its ring full or empty waits:
 *   shm-ring      lock-free head and tail in MAP_SHARED memory; a side polls for SPIN_NS (not
 *                 when both sides are pinned to one CPU, where the partner cannot run), then
 *                 sleeps on a futex (shared, not private: two processes), and the other side
 *                 makes the wake-up system call only when a sleeper said it sleeps;
 *   condvar-queue the ring under a mutex, with not_empty and not_full condition variables;
 *   coro-channel  no lock (one thread); a side that cannot go on puts itself in the channel's
 *                 waiter slot and suspends (ptc_coro_suspend); the other side wakes it
 *                 (ptc_coro_wake) after its next copy, so it runs at the next switch.
 * The pipe and the socketpair keep the kernel's default buffers. Processes and threads run once
 * per --placement (core/affinity.h): both sides on one CPU, one CPU each, or unpinned. */
#include "core/affinity.h"
#include "core/child.h"
#include "coro/config.h"
#include "coro/sched.h"
#include "runner/micro.h"
#include "runner/micro_cli.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROG "ptc-ipc"

#define BUFFER_BYTES  (64 * 1024)
#define MAX_MSG_BYTES (1024 * 1024)
#define STREAM_BYTES  (32ULL << 20) /* a throughput sample sends about this much ... */
/* Samples of tens of ms: a 3-6 ms sample on this 2-CPU VM was hit by an interruption often
 * enough that 5 pinned samples spread by up to 1.36x. */
#define STREAM_MIN 4000 /* ... in at least this many messages and at most */
#define STREAM_MAX 40000
#define TRIP_BYTES (4ULL << 20) /* the same for the round trips */
#define TRIP_MIN   500
#define TRIP_MAX   4000
/* shm-ring: how long a side polls before it sleeps on a futex. About what a futex sleep and
 * wake-up cost on a virtual machine (tens of us when the wakee's CPU is idle); much shorter and
 * the partner falls asleep between two messages of a round trip. */
#define SPIN_NS         (20 * PTC_NS_PER_US)
#define PEER_TIMEOUT_NS (10 * PTC_NS_PER_S) /* shm-ring: a silent peer is dead; nothing else is */

/* ---- the byte ring every mechanism but the kernel's is made of ---- */

/* cap is a power of two; at counts bytes ever written (or read) on that side. */
static void ring_put(char *ring, size_t cap, uint64_t at, const void *src, size_t n) {
    size_t off = (size_t)(at & (cap - 1)), first = cap - off < n ? cap - off : n;
    memcpy(ring + off, src, first);
    memcpy(ring, (const char *)src + first, n - first);
}

static void ring_take(const char *ring, size_t cap, uint64_t at, void *dst, size_t n) {
    size_t off = (size_t)(at & (cap - 1)), first = cap - off < n ? cap - off : n;
    memcpy(dst, ring + off, first);
    memcpy((char *)dst + first, ring, n - first);
}

static size_t ring_cap(size_t msg_bytes) {
    size_t cap = BUFFER_BYTES;
    while (cap < 2 * msg_bytes)
        cap *= 2;
    return cap;
}

/* ---- the channel: two directions, one per side's sends ---- */

/* Side 0 measures, side 1 is its partner. Side s sends in direction s and receives in
 * direction 1 - s. */
struct shm_ring {
    _Alignas(64) uint64_t head; /* bytes written ever: the producer's */
    _Alignas(64) uint64_t tail; /* bytes read ever: the consumer's */
    /* 1 while that side sleeps (or is about to) on this futex word; each on its own line,
     * read at every message and written only around a sleep */
    _Alignas(64) uint32_t consumer_waiting;
    _Alignas(64) uint32_t producer_waiting;
    _Alignas(64) char buf[]; /* cap bytes */
};

struct tqueue {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    char *buf;
    uint64_t head, tail;
};

struct cqueue {
    char *buf;
    uint64_t head, tail;
    struct ptc_coro *recv_waiter, *send_waiter;
};

struct chan {
    ptc_ns spin_ns; /* shm-ring: how long a side polls before it sleeps */
    const struct chan_ops *ops;
    size_t cap;
    int rfd[2], wfd[2]; /* by side; -1 closed */
    struct shm_ring *ring[2];
    /* by direction, the other side's index as this side last read it (a tail for the
     * direction it writes, a head for the one it reads); each process has its own copy */
    uint64_t seen[2];
    void *map;
    size_t map_bytes;
    struct tqueue tq[2];
    struct cqueue cq[2];
    struct ptc_sched *sched;
};

struct job;

struct chan_ops {
    int (*open)(struct chan *c);
    void (*close)(struct chan *c);
    /* In a forked side: let go of what belongs to the other side. NULL: nothing to do. */
    void (*leave)(struct chan *c, int side);
    /* Blocking; exactly n bytes. Return 0 or a negative errno. */
    int (*send)(struct chan *c, int side, const void *buf, size_t n);
    int (*recv)(struct chan *c, int side, void *buf, size_t n);
    /* Runs both sides of the job; returns side 0's elapsed ns or a negative errno. */
    int64_t (*run)(struct job *j);
};

/* ---- pipe and socketpair ---- */

static int fd_open_pipe(struct chan *c) {
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

static int fd_open_socketpair(struct chan *c) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return -errno;
    c->rfd[0] = c->wfd[0] = sv[0];
    c->rfd[1] = c->wfd[1] = sv[1];
    return 0;
}

static void fd_leave(struct chan *c, int side) {
    int o = 1 - side;
    if (c->wfd[o] >= 0 && c->wfd[o] != c->rfd[o])
        close(c->wfd[o]);
    if (c->rfd[o] >= 0)
        close(c->rfd[o]);
    c->rfd[o] = c->wfd[o] = -1;
}

static void fd_close(struct chan *c) {
    fd_leave(c, 0);
    fd_leave(c, 1);
}

static int fd_send(struct chan *c, int side, const void *buf, size_t n) {
    for (size_t done = 0; done < n;) {
        ssize_t w = write(c->wfd[side], (const char *)buf + done, n - done);
        if (w < 0 && errno != EINTR)
            return -errno;
        if (w > 0)
            done += (size_t)w;
    }
    return 0;
}

static int fd_recv(struct chan *c, int side, void *buf, size_t n) {
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

/* ---- the shared-memory ring ---- */

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

static int shm_open_rings(struct chan *c) {
    size_t one = sizeof(struct shm_ring) + c->cap;
    c->map_bytes = 2 * one;
    c->map = mmap(NULL, c->map_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (c->map == MAP_FAILED) {
        c->map = NULL;
        return -errno;
    }
    c->ring[0] = c->map;
    c->ring[1] = (struct shm_ring *)((char *)c->map + one);
    return 0;
}

static void shm_close(struct chan *c) {
    if (c->map != NULL)
        munmap(c->map, c->map_bytes);
    c->map = NULL;
}

/* Whether direction d has n bytes to read (for_space 0) or room for n (1), from the side that
 * reads (or writes) it. The other side's index is read again only when the copy this side keeps
 * says no, so that the two cache lines do not travel at every message. */
static int shm_ready(struct chan *c, int d, size_t n, int for_space) {
    struct shm_ring *r = c->ring[d];
    if (for_space) {
        uint64_t head = __atomic_load_n(&r->head, __ATOMIC_RELAXED);
        if (c->cap - (head - c->seen[d]) >= n)
            return 1;
        c->seen[d] = __atomic_load_n(&r->tail, __ATOMIC_SEQ_CST);
        return c->cap - (head - c->seen[d]) >= n;
    }
    uint64_t tail = __atomic_load_n(&r->tail, __ATOMIC_RELAXED);
    if (c->seen[d] - tail >= n)
        return 1;
    c->seen[d] = __atomic_load_n(&r->head, __ATOMIC_SEQ_CST);
    return c->seen[d] - tail >= n;
}

/* Waits until shm_ready. Spins c->spin_ns first (the other side is likely running on another CPU
 * and about to answer); then raises its flag, looks once more, and sleeps on the flag. The other
 * side moves its index, then reads the flag (both sequentially consistent): either the last look
 * sees the new index, or the other side sees the flag, clears it and wakes the sleeper (and a
 * FUTEX_WAIT on a flag already cleared returns at once). No wake-up is lost, and no system call
 * is made while nobody sleeps. */
static int shm_wait(struct chan *c, int d, size_t n, int for_space) {
    ptc_ns spin_until = ptc_now_ns() + c->spin_ns;
    for (unsigned i = 1;; i++) {
        if (shm_ready(c, d, n, for_space))
            return 0;
        if (i % 32 == 0 && ptc_now_ns() >= spin_until)
            break;
        cpu_relax();
    }
    struct shm_ring *r = c->ring[d];
    uint32_t *flag = for_space ? &r->producer_waiting : &r->consumer_waiting;
    ptc_ns give_up = ptc_now_ns() + PEER_TIMEOUT_NS;
    int rc = 0;
    for (;;) {
        __atomic_store_n(flag, 1, __ATOMIC_SEQ_CST);
        if (shm_ready(c, d, n, for_space))
            break;
        struct timespec step = {.tv_sec = 0, .tv_nsec = 100 * 1000 * 1000};
        syscall(SYS_futex, flag, FUTEX_WAIT, 1, &step, NULL, 0);
        if (ptc_now_ns() > give_up) {
            rc = -ETIMEDOUT;
            break;
        }
    }
    __atomic_store_n(flag, 0, __ATOMIC_RELAXED);
    return rc;
}

static void shm_wake(uint32_t *flag) {
    if (__atomic_load_n(flag, __ATOMIC_SEQ_CST)) {
        __atomic_store_n(flag, 0, __ATOMIC_RELAXED);
        syscall(SYS_futex, flag, FUTEX_WAKE, 1, NULL, NULL, 0);
    }
}

static int shm_send(struct chan *c, int side, const void *buf, size_t n) {
    struct shm_ring *r = c->ring[side];
    int rc = shm_wait(c, side, n, 1);
    if (rc < 0)
        return rc;
    uint64_t head = __atomic_load_n(&r->head, __ATOMIC_RELAXED); /* ours alone */
    ring_put(r->buf, c->cap, head, buf, n);
    __atomic_store_n(&r->head, head + n, __ATOMIC_SEQ_CST);
    shm_wake(&r->consumer_waiting);
    return 0;
}

static int shm_recv(struct chan *c, int side, void *buf, size_t n) {
    struct shm_ring *r = c->ring[1 - side];
    int rc = shm_wait(c, 1 - side, n, 0);
    if (rc < 0)
        return rc;
    uint64_t tail = __atomic_load_n(&r->tail, __ATOMIC_RELAXED);
    ring_take(r->buf, c->cap, tail, buf, n);
    __atomic_store_n(&r->tail, tail + n, __ATOMIC_SEQ_CST);
    shm_wake(&r->producer_waiting);
    return 0;
}

/* ---- the mutex + condvar queue between threads ---- */

static void tq_close(struct chan *c) {
    for (int d = 0; d < 2; d++) {
        if (c->tq[d].buf == NULL)
            continue;
        pthread_cond_destroy(&c->tq[d].not_full);
        pthread_cond_destroy(&c->tq[d].not_empty);
        pthread_mutex_destroy(&c->tq[d].mu);
        free(c->tq[d].buf);
        c->tq[d].buf = NULL;
    }
}

static int tq_open(struct chan *c) {
    for (int d = 0; d < 2; d++) {
        struct tqueue *q = &c->tq[d];
        memset(q, 0, sizeof *q);
        pthread_mutex_init(&q->mu, NULL);
        pthread_cond_init(&q->not_empty, NULL);
        pthread_cond_init(&q->not_full, NULL);
        if ((q->buf = malloc(c->cap)) == NULL) {
            pthread_cond_destroy(&q->not_full);
            pthread_cond_destroy(&q->not_empty);
            pthread_mutex_destroy(&q->mu);
            tq_close(c);
            return -ENOMEM;
        }
    }
    return 0;
}

static int tq_send(struct chan *c, int side, const void *buf, size_t n) {
    struct tqueue *q = &c->tq[side];
    pthread_mutex_lock(&q->mu);
    while (c->cap - (q->head - q->tail) < n)
        pthread_cond_wait(&q->not_full, &q->mu);
    ring_put(q->buf, c->cap, q->head, buf, n);
    q->head += n;
    pthread_cond_signal(&q->not_empty);
    pthread_mutex_unlock(&q->mu);
    return 0;
}

static int tq_recv(struct chan *c, int side, void *buf, size_t n) {
    struct tqueue *q = &c->tq[1 - side];
    pthread_mutex_lock(&q->mu);
    while (q->head - q->tail < n)
        pthread_cond_wait(&q->not_empty, &q->mu);
    ring_take(q->buf, c->cap, q->tail, buf, n);
    q->tail += n;
    pthread_cond_signal(&q->not_full);
    pthread_mutex_unlock(&q->mu);
    return 0;
}

/* ---- the channel between coroutines ---- */

static void cq_close(struct chan *c) {
    for (int d = 0; d < 2; d++) {
        free(c->cq[d].buf);
        c->cq[d].buf = NULL;
    }
}

static int cq_open(struct chan *c) {
    for (int d = 0; d < 2; d++) {
        memset(&c->cq[d], 0, sizeof c->cq[d]);
        if ((c->cq[d].buf = malloc(c->cap)) == NULL) {
            cq_close(c);
            return -ENOMEM;
        }
    }
    return 0;
}

static void cq_wake(struct ptc_sched *s, struct ptc_coro **waiter) {
    if (*waiter != NULL) {
        ptc_coro_wake(s, *waiter);
        *waiter = NULL;
    }
}

static int cq_send(struct chan *c, int side, const void *buf, size_t n) {
    struct cqueue *q = &c->cq[side];
    while (c->cap - (q->head - q->tail) < n) {
        q->send_waiter = ptc_coro_self(c->sched);
        ptc_coro_suspend(c->sched);
    }
    ring_put(q->buf, c->cap, q->head, buf, n);
    q->head += n;
    cq_wake(c->sched, &q->recv_waiter);
    return 0;
}

static int cq_recv(struct chan *c, int side, void *buf, size_t n) {
    struct cqueue *q = &c->cq[1 - side];
    while (q->head - q->tail < n) {
        q->recv_waiter = ptc_coro_self(c->sched);
        ptc_coro_suspend(c->sched);
    }
    ring_take(q->buf, c->cap, q->tail, buf, n);
    q->tail += n;
    cq_wake(c->sched, &q->send_waiter);
    return 0;
}

/* ---- the two sides of a sample ---- */

struct job {
    struct chan *c;
    size_t size;
    uint64_t count;
    int round_trips; /* 0: side 1 streams count messages to side 0; 1: count round trips */
    char *buf[2];    /* each side's message */
    const struct ptc_place *pl; /* NULL between coroutines: one thread, nothing to place */
    int64_t result[2];
    int done[2];
    uint64_t corrupt; /* messages side 0 received with the wrong sequence number */
};

/* Each message carries its sequence number in its first bytes, checked on arrival. */
static void stamp(char *msg, size_t size, uint64_t i) {
    memcpy(msg, &i, size < sizeof i ? size : sizeof i);
}

static int stamped(const char *msg, size_t size, uint64_t i) {
    return memcmp(msg, &i, size < sizeof i ? size : sizeof i) == 0;
}

/* Side 0: waits for the partner's "ready", so that starting it (a fork, a thread) stays out of
 * the timing, then times the stream or the round trips. Returns the ns or a negative errno. */
static int64_t side_measure(struct job *j) {
    struct chan *c = j->c;
    const struct chan_ops *ops = c->ops;
    char *b = j->buf[0], sig = 'g';
    int rc = ops->recv(c, 0, &sig, 1);
    if (rc < 0)
        return rc;
    if (sig != 'r')
        return -ECHILD; /* the partner could not take its place */
    sig = 'g';
    ptc_ns start;
    ptc_place_note(j->pl, 0);
    if (!j->round_trips) {
        if ((rc = ops->send(c, 0, &sig, 1)) < 0)
            return rc;
        start = ptc_now_ns();
        for (uint64_t i = 0; i < j->count && rc == 0; i++)
            if ((rc = ops->recv(c, 0, b, j->size)) == 0)
                j->corrupt += !stamped(b, j->size, i);
    } else {
        start = ptc_now_ns();
        for (uint64_t i = 0; i < j->count && rc == 0; i++) {
            stamp(b, j->size, i);
            if ((rc = ops->send(c, 0, b, j->size)) == 0 && (rc = ops->recv(c, 0, b, j->size)) == 0)
                j->corrupt += !stamped(b, j->size, i);
        }
    }
    ptc_ns elapsed = ptc_now_ns() - start;
    ptc_place_note(j->pl, 0);
    return rc < 0 ? rc : (int64_t)elapsed;
}

/* Side 1: on its CPU, "ready", then streams on "go", or echoes every message back. A partner
 * that cannot move to its CPU says so instead of "ready" (side 0 then reads a wrong signal). */
static int side_partner(struct job *j) {
    struct chan *c = j->c;
    const struct chan_ops *ops = c->ops;
    char *b = j->buf[1], sig = 'r';
    int placed = ptc_place_partner(j->pl);
    if (placed < 0)
        sig = 'x';
    ptc_place_note(j->pl, 1);
    int rc = ops->send(c, 1, &sig, 1);
    if (rc < 0 || placed < 0)
        return rc < 0 ? rc : placed;
    if (!j->round_trips) {
        if ((rc = ops->recv(c, 1, &sig, 1)) < 0)
            return rc;
        for (uint64_t i = 0; i < j->count && rc == 0; i++) {
            stamp(b, j->size, i);
            rc = ops->send(c, 1, b, j->size);
        }
    } else {
        for (uint64_t i = 0; i < j->count && rc == 0; i++)
            if ((rc = ops->recv(c, 1, b, j->size)) == 0)
                rc = ops->send(c, 1, b, j->size);
    }
    ptc_place_note(j->pl, 1);
    return rc;
}

/* ---- the units: processes, threads, coroutines ---- */

static int64_t run_processes(struct job *j) {
    const struct chan_ops *ops = j->c->ops;
    pid_t pid = ptc_fork_worker();
    if (pid < 0)
        return -errno;
    if (pid == 0) {
        if (ops->leave != NULL)
            ops->leave(j->c, 1);
        _exit(side_partner(j) == 0 ? 0 : 1);
    }
    if (ops->leave != NULL)
        ops->leave(j->c, 0);
    int64_t ns = side_measure(j);
    if (ns < 0)
        kill(pid, SIGKILL);
    int status = 0;
    ptc_wait_child(pid, &status, 0, NULL);
    if (ns >= 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
        ns = -ECHILD;
    return ns;
}

static void *thread_partner(void *p) {
    struct job *j = p;
    j->result[1] = side_partner(j);
    return NULL;
}

/* The queues cannot fail: side 0 always runs to the end, so the join cannot hang. */
static int64_t run_threads(struct job *j) {
    pthread_t t;
    int rc = pthread_create(&t, NULL, thread_partner, j);
    if (rc != 0)
        return -rc;
    int64_t ns = side_measure(j);
    pthread_join(t, NULL);
    return ns < 0 ? ns : j->result[1] < 0 ? j->result[1] : ns;
}

static void coro_measure(void *p) {
    struct job *j = p;
    j->result[0] = side_measure(j);
    j->done[0] = 1;
}

static void coro_partner(void *p) {
    struct job *j = p;
    j->result[1] = side_partner(j);
    j->done[1] = 1;
}

static int64_t run_coroutines(struct job *j) {
    struct ptc_sched s;
    int rc = ptc_sched_init(&s, ptc_coro_config());
    if (rc < 0)
        return rc;
    j->c->sched = &s;
    if ((rc = ptc_coro_spawn(&s, coro_measure, j, NULL)) == 0 &&
        (rc = ptc_coro_spawn(&s, coro_partner, j, NULL)) == 0)
        rc = ptc_sched_run(&s);
    ptc_sched_fini(&s);
    j->c->sched = NULL;
    if (rc < 0)
        return rc;
    if (!j->done[0] || !j->done[1])
        return -EDEADLK; /* both suspended: a channel bug */
    return j->result[0] < 0 ? j->result[0] : j->result[1] < 0 ? j->result[1] : j->result[0];
}

static const struct chan_ops pipe_ops = {fd_open_pipe, fd_close, fd_leave,
                                         fd_send,      fd_recv,  run_processes};
static const struct chan_ops socketpair_ops = {
    fd_open_socketpair, fd_close, fd_leave, fd_send, fd_recv, run_processes};
static const struct chan_ops shm_ops = {shm_open_rings, shm_close, NULL,
                                        shm_send,       shm_recv,  run_processes};
static const struct chan_ops condvar_ops = {tq_open, tq_close, NULL, tq_send, tq_recv, run_threads};
static const struct chan_ops coro_ops = {cq_open, cq_close, NULL, cq_send, cq_recv, run_coroutines};

struct entry {
    const char *name;
    const char *mechanism, *variant;
    const struct chan_ops *ops;
    uint64_t n_scale; /* coroutines are cheap: more messages per sample */
    int placed;       /* 1: two sides to place (--placement); 0: one thread */
};

static const struct entry entries[] = {
    {"pipe", "processes", "pipe", &pipe_ops, 1, 1},
    {"socketpair", "processes", "socketpair,unix", &socketpair_ops, 1, 1},
    {"shm-ring", "processes", "shm ring,spin+futex", &shm_ops, 1, 1},
    {"condvar-queue", "threads", "mutex+condvar queue", &condvar_ops, 1, 1},
    {"coro-channel", "coroutines", "channel,suspend+wake", &coro_ops, 10, 0},
};
#define N_ENTRIES (sizeof entries / sizeof entries[0])

static uint64_t clamp_count(uint64_t budget_bytes, size_t size, uint64_t lo, uint64_t hi) {
    uint64_t n = budget_bytes / size;
    return n < lo ? lo : n > hi ? hi : n;
}

/* One sample: count messages one way (round_trips 0) or count round trips. Returns the elapsed
 * ns or a negative errno; -EBADMSG when a message arrived wrong. */
static int64_t sample(const struct entry *e, size_t size, uint64_t count, int round_trips,
                      const struct ptc_place *pl) {
    /* Polling pays only while the partner runs on another CPU: with both sides pinned to one,
     * it only keeps the partner from running, and sleeping at once is what an adaptive lock
     * does when the holder is not running. */
    int one_cpu = pl != NULL && pl->cpu[0] >= 0 && pl->cpu[0] == pl->cpu[1];
    struct chan c = {.ops = e->ops,
                     .cap = ring_cap(size),
                     .rfd = {-1, -1},
                     .wfd = {-1, -1},
                     .spin_ns = one_cpu ? 0 : SPIN_NS};
    struct job j = {.c = &c, .size = size, .count = count, .round_trips = round_trips, .pl = pl};
    j.buf[0] = calloc(1, size);
    j.buf[1] = calloc(1, size);
    int64_t ns = j.buf[0] != NULL && j.buf[1] != NULL ? 0 : -ENOMEM;
    if (ns == 0 && (ns = e->ops->open(&c)) == 0) {
        ns = e->ops->run(&j);
        e->ops->close(&c);
    }
    free(j.buf[0]);
    free(j.buf[1]);
    return ns >= 0 && j.corrupt != 0 ? -EBADMSG : ns;
}

enum { M_MB, M_MSGS, M_RTT, N_METRICS };

/* One row to fill: an entry, and its placement when it is placed. */
struct slot {
    const struct entry *e;
    enum ptc_placement p;
    int64_t err;
    char cpus_seen[PTC_CPUS_SEEN_BYTES];
};

/* One sample of each kind, throughput then round trips, in one placement. */
struct pair {
    const struct entry *e;
    size_t size;
    uint64_t msgs, trips;
    int64_t stream_ns, trips_ns;
};

static int64_t sample_pair(const struct ptc_place *pl, void *arg) {
    struct pair *p = arg;
    p->stream_ns = sample(p->e, p->size, p->msgs, 0, pl);
    if (p->stream_ns > 0)
        p->trips_ns = sample(p->e, p->size, p->trips, 1, pl);
    int64_t ns = p->stream_ns > 0 ? p->trips_ns : p->stream_ns;
    return ns > 0 ? 0 : ns < 0 ? ns : -EIO;
}

static void report(struct ptc_micro_out *out, const struct slot *sl, uint64_t size,
                   double *samples[N_METRICS], uint64_t repeat) {
    static const char *const metrics[] = {"MB_per_s", "msgs_per_s", "ns_per_round_trip"};
    static const char *const units[] = {"MB/s", "1/s", "ns"};
    const struct entry *e = sl->e;
    int64_t err = sl->err;
    char note[128];
    ptc_micro_note(note, sizeof note, err);
    for (int m = 0; m < N_METRICS; m++) {
        struct ptc_micro_row row = {.benchmark = "ipc",
                                    .mechanism = e->mechanism,
                                    .variant = e->variant,
                                    .n = size,
                                    .metric = metrics[m],
                                    .unit = units[m],
                                    .value = NAN,
                                    .samples = err < 0 ? NULL : samples[m],
                                    .n_samples = err < 0 ? 0 : repeat,
                                    .note = note,
                                    .placement = e->placed ? ptc_placement_name(sl->p) : "",
                                    .cpus_seen = sl->cpus_seen};
        ptc_micro_row(out, &row);
    }
}

int main(int argc, char **argv) {
    static const char *names[N_ENTRIES + 1];
    for (size_t i = 0; i < N_ENTRIES; i++)
        names[i] = entries[i].name;
    static const uint64_t default_n[] = {8, 64, 512, 4096, 65536};
    const struct ptc_micro_cli cli = {
        .program = PROG,
        .usage =
            "Messages between two units: throughput one way (MB/s, MB = 10^6 bytes, and\n"
            "messages/s) and the round trip of one message there and back (ns). --n is the\n"
            "message size in bytes (default 8,64,512,4096,65536; at most 1 MiB), and the n\n"
            "column of the CSV. A throughput sample sends 32 MiB / size messages, clamped to\n"
            "4000..40000; a latency sample makes 4 MiB / size round trips, clamped to\n"
            "500..4000; both x10 between coroutines. Every message carries its sequence number,\n"
            "checked on arrival. Processes: pipe, AF_UNIX socketpair (kernel buffers), and a\n"
            "shared-memory ring (spins, then sleeps on a futex); threads: a mutex+condvar\n"
            "queue; coroutines: a channel (suspend/wake on one scheduler). The rings buffer\n"
            "64 KiB per direction (2 messages when that is more), as a pipe does by default.\n"
            "Processes and threads run once per --placement; coroutines on one thread.",
        .only_names = names,
        .default_repeat = 3,
        .default_n = default_n,
        .n_default_n = sizeof default_n / sizeof default_n[0],
        .max_n = MAX_MSG_BYTES,
        .placement = true,
    };
    struct ptc_micro_opts o;
    struct ptc_micro_out out;
    int st = ptc_micro_start(&cli, argc, argv, &o, &out);
    if (st >= 0)
        return st;
    /* A partner that died shows as EPIPE on the next write, not as a signal that ends us. */
    signal(SIGPIPE, SIG_IGN);
    int failed = 0;
    struct slot slots[N_ENTRIES * PTC_PLACE_COUNT];
    double *all = calloc(N_ENTRIES * PTC_PLACE_COUNT * N_METRICS * o.repeat, sizeof *all);
    for (size_t ni = 0; ni < o.n_n && all != NULL; ni++) {
        size_t size = (size_t)o.n[ni], n_slots = 0;
        for (size_t e = 0; e < N_ENTRIES; e++) {
            enum ptc_placement ps[PTC_PLACE_COUNT];
            size_t n_ps = ptc_micro_placements(&o, entries[e].placed, ps);
            for (size_t k = 0; k < n_ps && ptc_micro_selected(&o, entries[e].name); k++)
                slots[n_slots++] = (struct slot){.e = &entries[e], .p = ps[k]};
        }
        /* Samples interleaved across mechanisms and placements, so drift hits them all alike. */
        for (uint64_t r = 0; r < o.repeat; r++) {
            for (size_t i = 0; i < n_slots; i++) {
                struct slot *sl = &slots[i];
                const struct entry *en = sl->e;
                if (sl->err < 0)
                    continue;
                double *s = &all[i * N_METRICS * o.repeat];
                struct pair pr = {
                    .e = en,
                    .size = size,
                    .msgs = clamp_count(STREAM_BYTES, size, STREAM_MIN, STREAM_MAX) * en->n_scale,
                    .trips = clamp_count(TRIP_BYTES, size, TRIP_MIN, TRIP_MAX) * en->n_scale};
                sl->err = en->placed ? ptc_place_run(sl->p, sample_pair, &pr, sl->cpus_seen,
                                                     sizeof sl->cpus_seen)
                                     : sample_pair(NULL, &pr);
                if (sl->err < 0)
                    continue;
                s[M_MB * o.repeat + r] =
                    (double)size * (double)pr.msgs / (double)pr.stream_ns * 1e3;
                s[M_MSGS * o.repeat + r] = (double)pr.msgs / (double)pr.stream_ns * 1e9;
                s[M_RTT * o.repeat + r] = (double)pr.trips_ns / (double)pr.trips;
            }
        }
        for (size_t i = 0; i < n_slots; i++) {
            double *s = &all[i * N_METRICS * o.repeat];
            double *by_metric[N_METRICS] = {s, s + o.repeat, s + 2 * o.repeat};
            report(&out, &slots[i], size, by_metric, o.repeat);
            failed |= slots[i].err < 0 && slots[i].err != PTC_PLACE_SKIPPED;
        }
    }
    if (all == NULL) {
        fprintf(stderr, PROG ": out of memory\n");
        failed = 1;
    }
    free(all);
    return ptc_micro_finish(&o, &out, failed);
}
