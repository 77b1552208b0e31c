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
/* Contexts a fiber may serve before it is destroyed: each leaves about 5 frames on the fiber's
 * shadow stack (64 Ki entries), 1000 leave 5,000. */
#define PTC_CTX_TSAN_FIBER_USES 1000u
#define SPARES                  64

static _Thread_local struct {
    void *fiber;
    unsigned uses;
} spares[SPARES];
static _Thread_local size_t n_spares;

void *ptc_ctx_tsan_fiber_get(unsigned *uses) {
    if (n_spares == 0) {
        *uses = 1;
        return __tsan_create_fiber(0);
    }
    n_spares--;
    *uses = spares[n_spares].uses + 1;
    return spares[n_spares].fiber;
}

void ptc_ctx_tsan_fiber_put(void *fiber, unsigned uses) {
    if (uses >= PTC_CTX_TSAN_FIBER_USES || n_spares == SPARES) {
        __tsan_destroy_fiber(fiber);
        return;
    }
    spares[n_spares].fiber = fiber;
    spares[n_spares++].uses = uses;
}
#endif
