#include "micro/lock.h"

#include "micro/gate.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

struct account {
    struct ptc_deposits *d;
    pthread_mutex_t mu;
    struct ptc_gate gate;
};

struct depositor {
    struct account *a;
    unsigned index;
};

/* The tutorial's deposit(): new_balance = balance + money; sleep(0.01); balance = new_balance. */
static void *deposit(void *p) {
    struct depositor *dep = p;
    struct account *a = dep->a;
    struct ptc_deposits *d = a->d;
    if (ptc_gate_pass(&a->gate) < 0)
        return NULL;
    if (d->locked)
        pthread_mutex_lock(&a->mu);
    if (d->read_ns != NULL)
        d->read_ns[dep->index] = ptc_now_ns();
    int64_t balance = __atomic_load_n(&d->balance, __ATOMIC_RELAXED);
    ptc_sleep_ns(d->pause_ns);
    __atomic_store_n(&d->balance, balance + 1, __ATOMIC_RELAXED);
    if (d->write_ns != NULL)
        d->write_ns[dep->index] = ptc_now_ns();
    if (d->locked)
        pthread_mutex_unlock(&a->mu);
    return NULL;
}

int ptc_deposits_run(struct ptc_deposits *d) {
    struct account a = {.d = d};
    struct depositor *dep = calloc(d->threads ? d->threads : 1, sizeof *dep);
    if (dep == NULL)
        return -ENOMEM;
    int rc = pthread_mutex_init(&a.mu, NULL);
    if (rc != 0) {
        free(dep);
        return -rc;
    }
    ptc_gate_init(&a.gate);
    d->balance = 0;
    for (unsigned i = 0; i < d->threads; i++)
        dep[i] = (struct depositor){.a = &a, .index = i};
    /* The tutorial's threads all start within a fraction of its 10 ms pause. Scaled down, the
     * pause can become shorter than a thread's creation, which would serialise the unlocked run
     * by accident: the gate starts them together whatever the scale. */
    rc = ptc_run_gated(d->threads, deposit, dep, sizeof *dep, &a.gate, &d->elapsed_ns);
    pthread_mutex_destroy(&a.mu);
    free(dep);
    return rc;
}

struct shared_balance {
    pthread_mutex_t mu;
    bool locked;
    uint64_t changes;
    int64_t balance;
    struct ptc_gate gate;
    unsigned started;
};

struct changer {
    struct shared_balance *s;
    int64_t n;
};

/* The tutorial's change_it(n): balance = balance + n; balance = balance - n. */
static void change_it(int64_t *balance, int64_t n) {
    int64_t b = __atomic_load_n(balance, __ATOMIC_RELAXED);
    __atomic_store_n(balance, b + n, __ATOMIC_RELAXED);
    b = __atomic_load_n(balance, __ATOMIC_RELAXED);
    __atomic_store_n(balance, b - n, __ATOMIC_RELAXED);
}

/* Waits, spinning, until n threads have called it. The gate releases both threads, but on a busy
 * machine one can still wait a time slice for a CPU while the other runs its whole loop, which
 * takes less: spinning here, the first keeps its CPU until the second is running too. It yields
 * now and then so that one CPU is enough to get past. */
static void start_together(unsigned *started, unsigned n) {
    __atomic_fetch_add(started, 1, __ATOMIC_ACQ_REL);
    for (unsigned spins = 1; __atomic_load_n(started, __ATOMIC_ACQUIRE) < n; spins++)
        if (spins % 65536 == 0)
            sched_yield();
}

/* The tutorial's run_thread(n), with the lock taken around each change_it as it does. */
static void *run_thread(void *p) {
    struct changer *c = p;
    struct shared_balance *s = c->s;
    if (ptc_gate_pass(&s->gate) < 0)
        return NULL;
    start_together(&s->started, 2);
    for (uint64_t i = 0; i < s->changes; i++) {
        if (s->locked)
            pthread_mutex_lock(&s->mu);
        change_it(&s->balance, c->n);
        if (s->locked)
            pthread_mutex_unlock(&s->mu);
    }
    return NULL;
}

int ptc_balance_run(bool locked, uint64_t changes, int64_t *balance, ptc_ns *elapsed_ns) {
    struct shared_balance s = {.locked = locked, .changes = changes};
    int rc = pthread_mutex_init(&s.mu, NULL);
    if (rc != 0)
        return -rc;
    ptc_gate_init(&s.gate);
    /* A C loop of 100,000 changes is over in well under a millisecond, about as long as a thread
     * takes to start: the gate makes the two overlap, as the tutorial's slower loops do. */
    struct changer c[2] = {{.s = &s, .n = 5}, {.s = &s, .n = 8}};
    rc = ptc_run_gated(2, run_thread, c, sizeof c[0], &s.gate, elapsed_ns);
    *balance = s.balance;
    pthread_mutex_destroy(&s.mu);
    return rc;
}
