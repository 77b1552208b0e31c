/* A group of threads timed from a common start: created first, each waits at the gate until all
 * are there, then the clock starts and the gate opens; the span ends when the last body returns.
 * Creating and joining the threads (tens of us each) stays outside, where a microbenchmark of
 * what the bodies do must keep it. */
#include "model/group.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

struct gate {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    uint32_t ready; /* threads at the gate */
    bool open, abort;
    ptc_worker_body body;
    void *arg;
    _Atomic ptc_ns last_end_ns; /* the latest end of a body */
};

struct timed_slot {
    struct gate *g;
    uint32_t index;
};

static void *timed_main(void *p) {
    struct timed_slot *s = p;
    struct gate *g = s->g;
    pthread_mutex_lock(&g->mu);
    g->ready++;
    pthread_cond_broadcast(&g->cv);
    while (!g->open)
        pthread_cond_wait(&g->cv, &g->mu);
    bool run = !g->abort;
    pthread_mutex_unlock(&g->mu);
    if (!run)
        return NULL;
    g->body(g->arg, s->index);
    ptc_ns end = ptc_now_ns(), seen = atomic_load(&g->last_end_ns);
    while (end > seen && !atomic_compare_exchange_weak(&g->last_end_ns, &seen, end)) {
    }
    return NULL;
}

/* Opens the gate (abort: the bodies do not run) once the n threads started are at it; returns
 * the time it opened. */
static ptc_ns open_gate(struct gate *g, uint32_t n, bool abort) {
    pthread_mutex_lock(&g->mu);
    while (g->ready < n)
        pthread_cond_wait(&g->cv, &g->mu);
    ptc_ns start = ptc_now_ns();
    g->open = true;
    g->abort = abort;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
    return start;
}

int ptc_thread_group_run_timed(uint32_t count, ptc_worker_body body, void *arg,
                               ptc_ns *elapsed_ns) {
    pthread_t *tids = malloc((count ? count : 1) * sizeof *tids);
    struct timed_slot *slots = malloc((count ? count : 1) * sizeof *slots);
    struct gate g = {
        .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER, .body = body, .arg = arg};
    int rc = 0;
    uint32_t started = 0;
    *elapsed_ns = 0;
    if (tids == NULL || slots == NULL) {
        rc = -ENOMEM;
        goto out;
    }
    for (; started < count; started++) {
        slots[started] = (struct timed_slot){&g, started};
        int err = pthread_create(&tids[started], NULL, timed_main, &slots[started]);
        if (err != 0) {
            rc = -err;
            break;
        }
    }
    ptc_ns start_ns = open_gate(&g, started, rc < 0);
    for (uint32_t i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    ptc_ns end_ns = atomic_load(&g.last_end_ns);
    if (rc == 0)
        *elapsed_ns = end_ns > start_ns ? end_ns - start_ns : 0;
out:
    pthread_mutex_destroy(&g.mu);
    pthread_cond_destroy(&g.cv);
    free(tids);
    free(slots);
    return rc;
}
