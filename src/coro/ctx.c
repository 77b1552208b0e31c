#include "coro/ctx.h"

#include "core/registry.h"

extern const struct ptc_ctx_ops ptc_ctx_fcontext;
extern const struct ptc_ctx_ops ptc_ctx_ucontext;

static const struct ptc_ctx_ops *const backends[] = {&ptc_ctx_fcontext, &ptc_ctx_ucontext};
#define N_BACKENDS (sizeof backends / sizeof backends[0])

const struct ptc_ctx_ops *ptc_ctx_find(const char *name) {
    return ptc_registry_find((const void *const *)backends, N_BACKENDS, name);
}

void ptc_ctx_names(char *buf, size_t size) {
    ptc_registry_names((const void *const *)backends, N_BACKENDS, buf, size);
}

const struct ptc_ctx_ops *ptc_ctx_default(void) {
    return &ptc_ctx_fcontext;
}

#if defined(__SANITIZE_THREAD__)
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

/* Contexts a fiber may serve before it is destroyed: each leaves about 5 frames on the fiber's
 * shadow stack (64 Ki entries), 1000 leave 5,000. */
#define PTC_CTX_TSAN_FIBER_USES 1000u
/* Spare fibers a thread keeps: a fiber takes TSan ~10 ms and ~0.8 MB to create (it clears a new
 * thread state), so that a thread that runs 1,000 coroutines at a time, ends them and starts as
 * many again creates no fiber the second time. At most ~850 MB per thread. */
#define SPARES 1024

struct spares {
    size_t n;
    struct {
        void *fiber;
        unsigned uses;
    } s[SPARES];
};

/* This thread's spares, allocated on its first put. */
static _Thread_local struct spares *spares;
static pthread_key_t spares_key;
static pthread_once_t spares_once = PTHREAD_ONCE_INIT;

static void spares_drain(struct spares *sp) {
    while (sp->n > 0)
        __tsan_destroy_fiber(sp->s[--sp->n].fiber);
}

/* TSan counts every fiber as a running thread: spares left by an ended thread would count
 * forever (toward its limit of 8128), and spares alive at fork() make TSan take the child for
 * the child of a multi-threaded process, which dies when it starts a thread (ptc-run's fork
 * models after its coro models). So a thread destroys its spares when it ends, and the thread
 * that forks destroys its own just before. */
static void spares_free_at_exit(void *sp) {
    spares_drain(sp);
    free(sp);
}

static void spares_drain_before_fork(void) {
    if (spares != NULL)
        spares_drain(spares);
}

/* Without the key, no thread keeps spares: each fiber is destroyed when its context ends. */
static bool spares_key_made;

static void spares_setup(void) {
    spares_key_made = pthread_key_create(&spares_key, spares_free_at_exit) == 0;
    pthread_atfork(spares_drain_before_fork, NULL, NULL);
}

void *ptc_ctx_tsan_fiber_get(unsigned *uses) {
    if (spares == NULL || spares->n == 0) {
        *uses = 1;
        return __tsan_create_fiber(0);
    }
    spares->n--;
    *uses = spares->s[spares->n].uses + 1;
    return spares->s[spares->n].fiber;
}

void ptc_ctx_tsan_fiber_put(void *fiber, unsigned uses) {
    if (spares == NULL) {
        pthread_once(&spares_once, spares_setup);
        spares = spares_key_made ? calloc(1, sizeof *spares) : NULL;
        if (spares != NULL && pthread_setspecific(spares_key, spares) != 0) {
            free(spares);
            spares = NULL;
        }
    }
    if (uses >= PTC_CTX_TSAN_FIBER_USES || spares == NULL || spares->n == SPARES) {
        __tsan_destroy_fiber(fiber);
        return;
    }
    spares->s[spares->n].fiber = fiber;
    spares->s[spares->n++].uses = uses;
}
#endif
