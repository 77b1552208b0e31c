/* glibc makecontext/swapcontext: portable, and slow on purpose here: every swapcontext makes
 * an rt_sigprocmask syscall to save and restore the signal mask. Kept to show that cost. */
#include "coro/ctx.h"

#include <stdint.h>
#include <ucontext.h>

const size_t ptc_ctx_ucontext_bytes = sizeof(ucontext_t);

/* makecontext passes int arguments only: the pointer travels as two halves. */
static void trampoline(unsigned int lo, unsigned int hi) {
    struct ptc_ctx *self = (struct ptc_ctx *)(((uintptr_t)hi << 32) | (uintptr_t)lo);
#if defined(PTC_CTX_ANNOTATED)
    ptc_ctx_annotate_finish(self, self->from);
#endif
    self->entry(self->arg);
    __builtin_unreachable();
}

static void ucontext_make(struct ptc_ctx *ctx, void *stack_lo, size_t size, ptc_ctx_entry entry,
                          void *arg) {
#if defined(PTC_CTX_ANNOTATED)
    ptc_ctx_annotate_make(ctx, stack_lo, size);
#endif
    /* The ucontext_t lives at the top of the coroutine's own stack, 64-byte aligned. */
    uintptr_t top = ((uintptr_t)stack_lo + size - sizeof(ucontext_t)) & ~(uintptr_t)63;
    ucontext_t *uc = (ucontext_t *)top;
    ctx->uc = uc;
    ctx->entry = entry;
    ctx->arg = arg;
    getcontext(uc);
    uc->uc_stack.ss_sp = stack_lo;
    uc->uc_stack.ss_size = top - (uintptr_t)stack_lo;
    uc->uc_link = NULL;
    uintptr_t p = (uintptr_t)ctx;
    makecontext(uc, (void (*)(void))trampoline, 2, (unsigned int)(p & 0xffffffffu),
                (unsigned int)(p >> 32));
}

static void ucontext_make_main(struct ptc_ctx *ctx, void *uc_storage) {
    ctx->uc = uc_storage;
#if defined(PTC_CTX_ANNOTATED)
    ptc_ctx_annotate_make(ctx, NULL, 0);
#endif
}

static void ucontext_jump(struct ptc_ctx *from, struct ptc_ctx *to) {
#if defined(PTC_CTX_ANNOTATED)
    ptc_ctx_annotate_start(from, to);
#endif
    swapcontext(from->uc, to->uc);
#if defined(PTC_CTX_ANNOTATED)
    ptc_ctx_annotate_finish(from, from->from);
#endif
}

const struct ptc_ctx_ops ptc_ctx_ucontext = {
    .name = "ucontext",
    .summary = "glibc swapcontext: portable, one rt_sigprocmask syscall per switch",
    .reserve_bytes = sizeof(ucontext_t) + 64,
    .make = ucontext_make,
    .make_main = ucontext_make_main,
    .jump = ucontext_jump,
};
