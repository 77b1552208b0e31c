#include "micro/ipc.h"

#include "core/child.h"
#include "coro/config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void ptc_ipc_ring_put(char *ring, size_t cap, uint64_t at, const void *src, size_t n) {
    size_t off = (size_t)(at & (cap - 1)), first = cap - off < n ? cap - off : n;
    memcpy(ring + off, src, first);
    memcpy(ring, (const char *)src + first, n - first);
}

void ptc_ipc_ring_take(const char *ring, size_t cap, uint64_t at, void *dst, size_t n) {
    size_t off = (size_t)(at & (cap - 1)), first = cap - off < n ? cap - off : n;
    memcpy(dst, ring + off, first);
    memcpy((char *)dst + first, ring, n - first);
}

/* Each message carries its sequence number in its first bytes, checked on arrival. */
static void stamp(char *msg, size_t size, uint64_t i) {
    memcpy(msg, &i, size < sizeof i ? size : sizeof i);
}

static int stamped(const char *msg, size_t size, uint64_t i) {
    return memcmp(msg, &i, size < sizeof i ? size : sizeof i) == 0;
}

/* Side 0: waits for the partner's "ready", so that starting it (a fork, a thread) stays out of
 * the timing, then times the stream or the round trips. Returns the ns or a negative errno. */
static int64_t side_measure(struct ptc_ipc_job *j) {
    struct ptc_ipc_chan *c = j->c;
    const struct ptc_ipc_ops *ops = c->ops;
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
static int side_partner(struct ptc_ipc_job *j) {
    struct ptc_ipc_chan *c = j->c;
    const struct ptc_ipc_ops *ops = c->ops;
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

int64_t ptc_ipc_run_processes(struct ptc_ipc_job *j) {
    const struct ptc_ipc_ops *ops = j->c->ops;
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
    struct ptc_ipc_job *j = p;
    j->result[1] = side_partner(j);
    return NULL;
}

/* The queues cannot fail: side 0 always runs to the end, so the join cannot hang. */
int64_t ptc_ipc_run_threads(struct ptc_ipc_job *j) {
    pthread_t t;
    int rc = pthread_create(&t, NULL, thread_partner, j);
    if (rc != 0)
        return -rc;
    int64_t ns = side_measure(j);
    pthread_join(t, NULL);
    return ns < 0 ? ns : j->result[1] < 0 ? j->result[1] : ns;
}

static void coro_measure(void *p) {
    struct ptc_ipc_job *j = p;
    j->result[0] = side_measure(j);
    j->done[0] = 1;
}

static void coro_partner(void *p) {
    struct ptc_ipc_job *j = p;
    j->result[1] = side_partner(j);
    j->done[1] = 1;
}

int64_t ptc_ipc_run_coroutines(struct ptc_ipc_job *j) {
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
