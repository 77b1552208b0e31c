/* Context switching behind one interface, with one file per backend (ctx_fcontext.c,
 * ctx_ucontext.c), chosen at run time by name. Not thread-safe per context: a context belongs
 * to the thread that runs it. */
#ifndef PTC_CORO_CTX_H
#define PTC_CORO_CTX_H

#include <stddef.h>

struct ptc_ctx;
typedef void (*ptc_ctx_entry)(void *arg);

struct ptc_ctx {
    void *fctx;                  /* fcontext: the suspended context's handle */
    void *uc;                    /* ucontext: a ucontext_t (at the top of the stack, or owned) */
    struct ptc_ctx *jump_target; /* set by jump(): lets a fresh context find itself */
    ptc_ctx_entry entry;
    void *arg;
};

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
    if (ops == &ptc_ctx_fcontext) {
        from->jump_target = to;
        ptc_fcontext_transfer t = jump_fcontext(to->fctx, from);
        ((struct ptc_ctx *)t.data)->fctx = t.fctx;
    } else {
        ops->jump(from, to);
    }
}

/* The backend called name ("fcontext", "ucontext"), or NULL. */
const struct ptc_ctx_ops *ptc_ctx_find(const char *name);
/* "fcontext, ucontext" into buf. */
void ptc_ctx_names(char *buf, size_t size);
/* The default backend (fcontext). */
const struct ptc_ctx_ops *ptc_ctx_default(void);
/* sizeof(ucontext_t), for make_main's storage. */
extern const size_t ptc_ctx_ucontext_bytes;

#endif
