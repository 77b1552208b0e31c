#include "micro/gate.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#define THREAD_STACK_BYTES (256 * 1024) /* the gated threads only sleep and count */

/* ---- a start gate: every thread created before any of them starts ---- */

/* Threads arrive and wait; the main thread opens the gate once all have arrived (a barrier: all
 * have done what came before gate_pass), or aborts it when a thread could not be created. The
 * waiting yields rather than blocks: waking threads from a condition variable one after the
 * other staggers their starts by tens of microseconds, about as long as a C loop of 100,000
 * changes takes, and the threads would barely overlap. */
void ptc_gate_init(struct ptc_gate *g) {
    g->arrived = 0;
    g->state = 0;
}

/* Returns 1 when opened, -1 when aborted. */
int ptc_gate_pass(struct ptc_gate *g) {
    __atomic_fetch_add(&g->arrived, 1, __ATOMIC_RELEASE);
    int state;
    while ((state = __atomic_load_n(&g->state, __ATOMIC_ACQUIRE)) == 0)
        sched_yield();
    return state;
}

/* Opens the gate once n threads have arrived (state 1), or aborts it at once (state -1). Returns
 * the time just before the opening: no thread started earlier. */
static ptc_ns gate_set(struct ptc_gate *g, unsigned n, int state) {
    while (state == 1 && __atomic_load_n(&g->arrived, __ATOMIC_ACQUIRE) < n)
        sched_yield();
    ptc_ns now = ptc_now_ns();
    __atomic_store_n(&g->state, state, __ATOMIC_RELEASE);
    return now;
}

/* Starts n threads running fn(args + i * arg_size), each of which must call gate_pass(g) first
 * and return at once if it says -1; opens the gate when all are waiting and joins them.
 * *elapsed: from the opening to the last join. Returns 0 or a negative errno (then every thread
 * created has been joined). */
int ptc_run_gated(unsigned n, void *(*fn)(void *), void *args, size_t arg_size, struct ptc_gate *g,
                  ptc_ns *elapsed) {
    pthread_t *t = calloc(n, sizeof *t);
    if (t == NULL)
        return -ENOMEM;
    pthread_attr_t attr;
    int rc = pthread_attr_init(&attr);
    if (rc != 0) {
        free(t);
        return -rc;
    }
    pthread_attr_setstacksize(&attr, THREAD_STACK_BYTES);
    unsigned created = 0;
    for (; created < n; created++) {
        rc = pthread_create(&t[created], &attr, fn, (char *)args + created * arg_size);
        if (rc != 0)
            break;
    }
    pthread_attr_destroy(&attr);
    ptc_ns start = gate_set(g, n, rc == 0 ? 1 : -1);
    for (unsigned i = 0; i < created; i++)
        pthread_join(t[i], NULL);
    *elapsed = ptc_now_ns() - start;
    free(t);
    return -rc;
}
