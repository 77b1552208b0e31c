/* Context switching behind one interface, with one file per backend (ctx_fcontext.c,
 * ctx_ucontext.c), chosen at run time by name. Not thread-safe per context: a context belongs
 * to the thread that runs it. */
#ifndef PTC_CORO_CTX_H
#define PTC_CORO_CTX_H

#include <stddef.h>

/* AddressSanitizer and ThreadSanitizer assume one stack per thread: their builds announce every
 * switch (ptc_ctx_annotate_* below), through ops->jump. Other builds have none of this code. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define PTC_CTX_ANNOTATED 1
#endif

struct ptc_ctx;
typedef void (*ptc_ctx_entry)(void *arg);

struct ptc_ctx {
    void *fctx;                  /* fcontext: the suspended context's handle */
    void *uc;                    /* ucontext: a ucontext_t (at the top of the stack, or owned) */
    struct ptc_ctx *jump_target; /* set by jump(): lets a fresh context find itself */
    ptc_ctx_entry entry;
    void *arg;
#if defined(PTC_CTX_ANNOTATED)
    struct ptc_ctx *from; /* who jumped here last (ucontext: swapcontext cannot say) */
    int last_jump;        /* set by PTC_CTX_LAST_JUMP */
#endif
#if defined(__SANITIZE_ADDRESS__)
    /* AddressSanitizer builds only: ASan must be told of every stack switch (ctx_fcontext.c). */
    const void *asan_stack_lo; /* this context's stack; the main context's is learnt on its */
    size_t asan_stack_bytes;   /* first jump away */
    void *asan_fake_stack;     /* ASan's fake stack, kept while this context is suspended */
#endif
#if defined(__SANITIZE_THREAD__)
    void *tsan_fiber;   /* ThreadSanitizer builds only: the fiber TSan knows this context as */
    unsigned tsan_uses; /* how many contexts that fiber has served (ptc_ctx_tsan_fiber_get) */
#endif
};

/* Says that ctx's next jump is its last (its entry is done): the context that runs next frees
 * ASan's fake stack and TSan's fiber of it. No code outside sanitizer builds. */
#if defined(PTC_CTX_ANNOTATED)
#define PTC_CTX_LAST_JUMP(ctx) ((ctx)->last_jump = 1)
#else
#define PTC_CTX_LAST_JUMP(ctx) ((void)(ctx))
#endif

struct ptc_ctx_ops {
    const char *name; /* first member: see core/registry.h */
    const char *summary;
    /* Bytes make() takes from the top of the stack for the backend's own state (ucontext_t). */
    size_t reserve_bytes;
    /* Prepares ctx so that the first jump to it runs entry(arg) on the stack [lo, lo + size).
     * entry must never return (switch away for the last time instead). */
    void (*make)(struct ptc_ctx *ctx, void *stack_lo, size_t size, ptc_ctx_entry entry, void *arg);
    /* Prepares ctx to hold the calling thread's own context (the scheduler's). uc_storage: a
     * buffer of ptc_ctx_ucontext_bytes for the ucontext backend, unused otherwise. */
    void (*make_main)(struct ptc_ctx *ctx, void *uc_storage);
    /* Saves the running context into from and resumes to. Returns when something jumps back. */
    void (*jump)(struct ptc_ctx *from, struct ptc_ctx *to);
};

/* Boost.Context's switch (ctx_fcontext.c explains the ABI). Declared here so that the hot path
 * below can call it without the extra call and return of ops->jump: every return that the
 * return-stack buffer cannot predict costs ~20 cycles, and a switch already costs one. */
typedef struct {
    void *fctx;
    void *data;
} ptc_fcontext_transfer;
extern ptc_fcontext_transfer jump_fcontext(void *const to, void *vp);
extern const struct ptc_ctx_ops ptc_ctx_fcontext;

/* ops->jump(from, to), with the fcontext backend inlined. */
static inline void ptc_ctx_jump(const struct ptc_ctx_ops *ops, struct ptc_ctx *from,
                                struct ptc_ctx *to) {
#if defined(PTC_CTX_ANNOTATED)
    ops->jump(from, to); /* the backends tell the sanitizer about the switch */
#else
    if (ops == &ptc_ctx_fcontext) {
        from->jump_target = to;
        ptc_fcontext_transfer t = jump_fcontext(to->fctx, from);
        ((struct ptc_ctx *)t.data)->fctx = t.fctx;
    } else {
        ops->jump(from, to);
    }
#endif
}

#if defined(PTC_CTX_ANNOTATED)
/* Sanitizer builds only, for the backends. ASan: each switch is announced (start) and completed
 * (finish), and a new context's stack is cleared of the redzones that its previous context's
 * frames, abandoned by their last jump, left poisoned (false stack-buffer-overflow reports on a
 * reused stack otherwise). TSan: each context is a fiber, switched to just before the jump; a
 * context's fiber is given back by the next context after its last jump. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>

/* TSan builds only (ctx.c): a fiber for a new context, a spare one of this thread's when there
 * is one. TSan takes ~10 ms (more on a loaded machine) to create a fiber, so that a fiber per
 * coroutine made the tests time out; *uses counts the contexts a fiber served. */
void *ptc_ctx_tsan_fiber_get(unsigned *uses);
/* Gives back the fiber of a context that ended (its last jump done): kept as a spare of this
 * thread (up to 1024), or destroyed once it served 1000 contexts (each ended context leaves its
 * few frames on the fiber's shadow stack, which must not fill). A thread's spares are destroyed
 * when it ends and before it forks (ctx.c says why). */
void ptc_ctx_tsan_fiber_put(void *fiber, unsigned uses);
#endif

/* ctx will run on [stack_lo, stack_lo + size); NULL, 0: ctx is the calling thread's context. */
static inline void ptc_ctx_annotate_make(struct ptc_ctx *ctx, void *stack_lo, size_t size) {
    ctx->from = NULL;
    ctx->last_jump = 0;
#if defined(__SANITIZE_ADDRESS__)
    if (stack_lo != NULL)
        __asan_unpoison_memory_region(stack_lo, size);
    ctx->asan_stack_lo = stack_lo;
    ctx->asan_stack_bytes = size;
    ctx->asan_fake_stack = NULL;
#endif
#if defined(__SANITIZE_THREAD__)
    ctx->tsan_uses = 0;
    ctx->tsan_fiber =
        stack_lo != NULL ? ptc_ctx_tsan_fiber_get(&ctx->tsan_uses) : __tsan_get_current_fiber();
#endif
}

/* Just before from jumps to to. A last jump (PTC_CTX_LAST_JUMP) gives up from's fake stack. */
static inline void ptc_ctx_annotate_start(struct ptc_ctx *from, struct ptc_ctx *to) {
    to->from = from;
#if defined(__SANITIZE_ADDRESS__)
    __sanitizer_start_switch_fiber(from->last_jump ? NULL : &from->asan_fake_stack,
                                   to->asan_stack_lo, to->asan_stack_bytes);
#endif
#if defined(__SANITIZE_THREAD__)
    __tsan_switch_to_fiber(to->tsan_fiber, 0);
#endif
}

/* First thing in self after a jump from `from`; learns from's stack (the main context's), and
 * frees what from held when that was its last jump. */
static inline void ptc_ctx_annotate_finish(struct ptc_ctx *self, struct ptc_ctx *from) {
#if defined(__SANITIZE_ADDRESS__)
    __sanitizer_finish_switch_fiber(self->asan_fake_stack, &from->asan_stack_lo,
                                    &from->asan_stack_bytes);
#endif
#if defined(__SANITIZE_THREAD__)
    if (from->last_jump && from->tsan_fiber != NULL) {
        ptc_ctx_tsan_fiber_put(from->tsan_fiber, from->tsan_uses);
        from->tsan_fiber = NULL;
    }
#endif
}
#endif

/* The backend called name ("fcontext", "ucontext"), or NULL. */
const struct ptc_ctx_ops *ptc_ctx_find(const char *name);
/* "fcontext, ucontext" into buf. */
void ptc_ctx_names(char *buf, size_t size);
/* The default backend (fcontext). */
const struct ptc_ctx_ops *ptc_ctx_default(void);
/* sizeof(ucontext_t), for make_main's storage. */
extern const size_t ptc_ctx_ucontext_bytes;

#endif
