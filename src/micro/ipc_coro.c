#include "micro/ipc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void cq_close(struct ptc_ipc_chan *c) {
    for (int d = 0; d < 2; d++) {
        free(c->cq[d].buf);
        c->cq[d].buf = NULL;
    }
}

static int cq_open(struct ptc_ipc_chan *c) {
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

static int cq_send(struct ptc_ipc_chan *c, int side, const void *buf, size_t n) {
    struct ptc_ipc_cqueue *q = &c->cq[side];
    while (c->cap - (q->head - q->tail) < n) {
        q->send_waiter = ptc_coro_self(c->sched);
        ptc_coro_suspend(c->sched);
    }
    ptc_ipc_ring_put(q->buf, c->cap, q->head, buf, n);
    q->head += n;
    cq_wake(c->sched, &q->recv_waiter);
    return 0;
}

static int cq_recv(struct ptc_ipc_chan *c, int side, void *buf, size_t n) {
    struct ptc_ipc_cqueue *q = &c->cq[1 - side];
    while (q->head - q->tail < n) {
        q->recv_waiter = ptc_coro_self(c->sched);
        ptc_coro_suspend(c->sched);
    }
    ptc_ipc_ring_take(q->buf, c->cap, q->tail, buf, n);
    q->tail += n;
    cq_wake(c->sched, &q->send_waiter);
    return 0;
}

const struct ptc_ipc_ops ptc_ipc_coro_ops = {cq_open, cq_close, NULL,
                                             cq_send, cq_recv,  ptc_ipc_run_coroutines};
