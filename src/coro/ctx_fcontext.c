/* Boost.Context's assembly switch, called from C. Debian's libboost-context exports
 * make_fcontext/jump_fcontext unmangled. Two traps (see shared/NOTES.md): make_fcontext takes
 * the TOP of the stack, and an entry function that returns makes Boost call _exit(0), so the
 * trampoline below never returns. */
#include "coro/ctx.h"

#include <stdint.h>

typedef void *fcontext_t;
typedef ptc_fcontext_transfer transfer_t;

extern fcontext_t make_fcontext(void *sp, size_t size, void (*fn)(transfer_t));

/* Whoever jumped here passed its own ptc_ctx; store the handle of its suspended state there. */
static void trampoline(transfer_t t) {
    struct ptc_ctx *from = t.data;
    from->fctx = t.fctx;
    struct ptc_ctx *self = from->jump_target;
    self->entry(self->arg);
    __builtin_unreachable(); /* entry switches away for good; see ctx.h */
}

static void fcontext_make(struct ptc_ctx *ctx, void *stack_lo, size_t size, ptc_ctx_entry entry,
                          void *arg) {
    ctx->entry = entry;
    ctx->arg = arg;
    ctx->fctx = make_fcontext((char *)stack_lo + size, size, trampoline);
}

static void fcontext_make_main(struct ptc_ctx *ctx, void *uc_storage) {
    ctx->fctx = 0; /* filled by the first jump away from the main context */
}

static void fcontext_jump(struct ptc_ctx *from, struct ptc_ctx *to) {
    ptc_ctx_jump(&ptc_ctx_fcontext, from, to);
}

const struct ptc_ctx_ops ptc_ctx_fcontext = {
    .name = "fcontext",
    .summary = "Boost.Context jump_fcontext: saves callee-saved registers, no syscall",
    .reserve_bytes = 0,
    .make = fcontext_make,
    .make_main = fcontext_make_main,
    .jump = fcontext_jump,
};
