#include "micro/ipc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void tq_close(struct ptc_ipc_chan *c) {
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

static int tq_open(struct ptc_ipc_chan *c) {
    for (int d = 0; d < 2; d++) {
        struct ptc_ipc_tqueue *q = &c->tq[d];
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

static int tq_send(struct ptc_ipc_chan *c, int side, const void *buf, size_t n) {
    struct ptc_ipc_tqueue *q = &c->tq[side];
    pthread_mutex_lock(&q->mu);
    while (c->cap - (q->head - q->tail) < n)
        pthread_cond_wait(&q->not_full, &q->mu);
    ptc_ipc_ring_put(q->buf, c->cap, q->head, buf, n);
    q->head += n;
    pthread_cond_signal(&q->not_empty);
    pthread_mutex_unlock(&q->mu);
    return 0;
}

static int tq_recv(struct ptc_ipc_chan *c, int side, void *buf, size_t n) {
    struct ptc_ipc_tqueue *q = &c->tq[1 - side];
    pthread_mutex_lock(&q->mu);
    while (q->head - q->tail < n)
        pthread_cond_wait(&q->not_empty, &q->mu);
    ptc_ipc_ring_take(q->buf, c->cap, q->tail, buf, n);
    q->tail += n;
    pthread_cond_signal(&q->not_full);
    pthread_mutex_unlock(&q->mu);
    return 0;
}

const struct ptc_ipc_ops ptc_ipc_condvar_ops = {tq_open, tq_close, NULL,
                                                tq_send, tq_recv,  ptc_ipc_run_threads};
