/* The channels of ptc-ipc (micro/ipc.c): two units of execution, side 0 that measures and side 1
 * its partner, and one direction per side's sends. One file per mechanism defines its
 * struct ptc_ipc_ops: ipc_fd.c (pipe, socketpair), ipc_shm.c (shared-memory ring), ipc_condvar.c
 * (mutex + condvar queue between threads), ipc_coro.c (a channel between coroutines); ipc_run.c
 * runs the two sides as processes, threads or coroutines.
 *
 * The three mechanisms that are not the kernel's are one design, a byte ring per direction of
 * about 64 KiB (a pipe's default capacity; twice the message when that is more), filled with
 * fixed-size messages by one side and drained by the other; they differ only in how a side that
 * finds its ring full or empty waits:
 *   shm-ring      lock-free head and tail in MAP_SHARED memory; a side polls for spin_ns (not
 *                 when both sides are pinned to one CPU, where the partner cannot run), then
 *                 sleeps on a futex (shared, not private: two processes), and the other side
 *                 makes the wake-up system call only when a sleeper said it sleeps;
 *   condvar-queue the ring under a mutex, with not_empty and not_full condition variables;
 *   coro-channel  no lock (one thread); a side that cannot go on puts itself in the channel's
 *                 waiter slot and suspends (ptc_coro_suspend); the other side wakes it
 *                 (ptc_coro_wake) after its next copy, so it runs at the next switch.
 * The pipe and the socketpair keep the kernel's default buffers. */
#ifndef PTC_MICRO_IPC_H
#define PTC_MICRO_IPC_H

#include "core/affinity.h"
#include "core/clock.h"
#include "coro/sched.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* One direction of the shared-memory ring (ipc_shm.c), in MAP_SHARED memory. */
struct ptc_ipc_shm_ring {
    _Alignas(64) uint64_t head; /* bytes written ever: the producer's */
    _Alignas(64) uint64_t tail; /* bytes read ever: the consumer's */
    /* 1 while that side sleeps (or is about to) on this futex word; each on its own line,
     * read at every message and written only around a sleep */
    _Alignas(64) uint32_t consumer_waiting;
    _Alignas(64) uint32_t producer_waiting;
    _Alignas(64) char buf[]; /* cap bytes */
};

/* One direction of the condvar queue (ipc_condvar.c). */
struct ptc_ipc_tqueue {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    char *buf;
    uint64_t head, tail;
};

/* One direction of the coroutine channel (ipc_coro.c). */
struct ptc_ipc_cqueue {
    char *buf;
    uint64_t head, tail;
    struct ptc_coro *recv_waiter, *send_waiter;
};

/* A channel: what every mechanism needs, by side (rfd, wfd) or by direction (the rest). Side 0
 * measures, side 1 is its partner; side s sends in direction s and receives in direction
 * 1 - s. */
struct ptc_ipc_chan {
    ptc_ns spin_ns; /* shm-ring: how long a side polls before it sleeps */
    const struct ptc_ipc_ops *ops;
    size_t cap;
    int rfd[2], wfd[2]; /* by side; -1 closed */
    struct ptc_ipc_shm_ring *ring[2];
    /* by direction, the other side's index as this side last read it (a tail for the
     * direction it writes, a head for the one it reads); each process has its own copy */
    uint64_t seen[2];
    void *map;
    size_t map_bytes;
    struct ptc_ipc_tqueue tq[2];
    struct ptc_ipc_cqueue cq[2];
    struct ptc_sched *sched;
};

struct ptc_ipc_job;

struct ptc_ipc_ops {
    int (*open)(struct ptc_ipc_chan *c);
    void (*close)(struct ptc_ipc_chan *c);
    /* In a forked side: let go of what belongs to the other side. NULL: nothing to do. */
    void (*leave)(struct ptc_ipc_chan *c, int side);
    /* Blocking; exactly n bytes. Return 0 or a negative errno. */
    int (*send)(struct ptc_ipc_chan *c, int side, const void *buf, size_t n);
    int (*recv)(struct ptc_ipc_chan *c, int side, void *buf, size_t n);
    /* Runs both sides of the job; returns side 0's elapsed ns or a negative errno. */
    int64_t (*run)(struct ptc_ipc_job *j);
};

/* One sample: both sides, the message size and count. */
struct ptc_ipc_job {
    struct ptc_ipc_chan *c;
    size_t size;
    uint64_t count;
    int round_trips; /* 0: side 1 streams count messages to side 0; 1: count round trips */
    char *buf[2];    /* each side's message */
    const struct ptc_place *pl; /* NULL between coroutines: one thread, nothing to place */
    int64_t result[2];
    int done[2];
    uint64_t corrupt; /* messages side 0 received with the wrong sequence number */
};

/* The byte ring: cap is a power of two; at counts bytes ever written (or read) on that side. */
void ptc_ipc_ring_put(char *ring, size_t cap, uint64_t at, const void *src, size_t n);
void ptc_ipc_ring_take(const char *ring, size_t cap, uint64_t at, void *dst, size_t n);

/* The sides of j run as two processes (the partner forked), two threads, or two coroutines of one
 * scheduler. Each returns side 0's elapsed ns or a negative errno. */
int64_t ptc_ipc_run_processes(struct ptc_ipc_job *j);
int64_t ptc_ipc_run_threads(struct ptc_ipc_job *j);
int64_t ptc_ipc_run_coroutines(struct ptc_ipc_job *j);

/* The mechanisms. */
extern const struct ptc_ipc_ops ptc_ipc_pipe_ops, ptc_ipc_socketpair_ops, ptc_ipc_shm_ops,
    ptc_ipc_condvar_ops, ptc_ipc_coro_ops;

#endif
