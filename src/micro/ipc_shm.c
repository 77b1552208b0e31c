#include "micro/ipc.h"

#include <errno.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PEER_TIMEOUT_NS (10 * PTC_NS_PER_S) /* a silent peer is dead */

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

static int shm_open_rings(struct ptc_ipc_chan *c) {
    size_t one = sizeof(struct ptc_ipc_shm_ring) + c->cap;
    c->map_bytes = 2 * one;
    c->map = mmap(NULL, c->map_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (c->map == MAP_FAILED) {
        c->map = NULL;
        return -errno;
    }
    c->ring[0] = c->map;
    c->ring[1] = (struct ptc_ipc_shm_ring *)((char *)c->map + one);
    return 0;
}

static void shm_close(struct ptc_ipc_chan *c) {
    if (c->map != NULL)
        munmap(c->map, c->map_bytes);
    c->map = NULL;
}

/* Whether direction d has n bytes to read (for_space 0) or room for n (1), from the side that
 * reads (or writes) it. The other side's index is read again only when the copy this side keeps
 * says no, so that the two cache lines do not travel at every message. */
static int shm_ready(struct ptc_ipc_chan *c, int d, size_t n, int for_space) {
    struct ptc_ipc_shm_ring *r = c->ring[d];
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
static int shm_wait(struct ptc_ipc_chan *c, int d, size_t n, int for_space) {
    ptc_ns spin_until = ptc_now_ns() + c->spin_ns;
    for (unsigned i = 1;; i++) {
        if (shm_ready(c, d, n, for_space))
            return 0;
        if (i % 32 == 0 && ptc_now_ns() >= spin_until)
            break;
        cpu_relax();
    }
    struct ptc_ipc_shm_ring *r = c->ring[d];
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

static int shm_send(struct ptc_ipc_chan *c, int side, const void *buf, size_t n) {
    struct ptc_ipc_shm_ring *r = c->ring[side];
    int rc = shm_wait(c, side, n, 1);
    if (rc < 0)
        return rc;
    uint64_t head = __atomic_load_n(&r->head, __ATOMIC_RELAXED); /* ours alone */
    ptc_ipc_ring_put(r->buf, c->cap, head, buf, n);
    __atomic_store_n(&r->head, head + n, __ATOMIC_SEQ_CST);
    shm_wake(&r->consumer_waiting);
    return 0;
}

static int shm_recv(struct ptc_ipc_chan *c, int side, void *buf, size_t n) {
    struct ptc_ipc_shm_ring *r = c->ring[1 - side];
    int rc = shm_wait(c, 1 - side, n, 0);
    if (rc < 0)
        return rc;
    uint64_t tail = __atomic_load_n(&r->tail, __ATOMIC_RELAXED);
    ptc_ipc_ring_take(r->buf, c->cap, tail, buf, n);
    __atomic_store_n(&r->tail, tail + n, __ATOMIC_SEQ_CST);
    shm_wake(&r->producer_waiting);
    return 0;
}

const struct ptc_ipc_ops ptc_ipc_shm_ops = {shm_open_rings, shm_close, NULL,
                                            shm_send,       shm_recv,  ptc_ipc_run_processes};
