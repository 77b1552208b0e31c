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
