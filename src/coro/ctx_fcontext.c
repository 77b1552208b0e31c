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
#if defined(PTC_CTX_ANNOTATED)
    ptc_ctx_annotate_finish(self, from);
#endif
    self->entry(self->arg);
    __builtin_unreachable(); /* entry switches away for good; see ctx.h */
}

static void fcontext_make(struct ptc_ctx *ctx, void *stack_lo, size_t size, ptc_ctx_entry entry,
                          void *arg) {
#if defined(PTC_CTX_ANNOTATED)
    ptc_ctx_annotate_make(ctx, stack_lo, size);
#endif
    ctx->entry = entry;
    ctx->arg = arg;
    ctx->fctx = make_fcontext((char *)stack_lo + size, size, trampoline);
}

static void fcontext_make_main(struct ptc_ctx *ctx, void *uc_storage) {
    ctx->fctx = 0; /* filled by the first jump away from the main context */
#if defined(PTC_CTX_ANNOTATED)
    ptc_ctx_annotate_make(ctx, NULL, 0);
#endif
}

static void fcontext_jump(struct ptc_ctx *from, struct ptc_ctx *to) {
#if defined(PTC_CTX_ANNOTATED)
    /* ptc_ctx_jump calls this in sanitizer builds: the switch itself, announced (see ctx.h). */
    ptc_ctx_annotate_start(from, to);
    from->jump_target = to;
    transfer_t t = jump_fcontext(to->fctx, from);
    struct ptc_ctx *prev = t.data;
    prev->fctx = t.fctx;
    ptc_ctx_annotate_finish(from, prev);
#else
    ptc_ctx_jump(&ptc_ctx_fcontext, from, to);
#endif
}

const struct ptc_ctx_ops ptc_ctx_fcontext = {
    .name = "fcontext",
    .summary = "Boost.Context jump_fcontext: saves callee-saved registers, no syscall",
    .reserve_bytes = 0,
    .make = fcontext_make,
    .make_main = fcontext_make_main,
    .jump = fcontext_jump,
};
