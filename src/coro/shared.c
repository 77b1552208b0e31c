#include "coro/shared.h"

#include "coro/coro.h"
#include "coro/overflow.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int ptc_shared_init(struct ptc_shared_stack *ss, size_t bytes) {
    memset(ss, 0, sizeof *ss);
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (bytes == 0 || bytes > ((size_t)1 << 30))
        return -EINVAL;
    ss->bytes = (bytes + page - 1) / page * page;
    ss->map_bytes = ss->bytes + page;
    ss->map = mmap(NULL, ss->map_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (ss->map == MAP_FAILED) {
        ss->map = NULL;
        return -ENOMEM;
    }
    if (mprotect(ss->map, page, PROT_NONE) != 0) {
        munmap(ss->map, ss->map_bytes);
        ss->map = NULL;
        return -ENOMEM;
    }
    ss->lo = ss->map + page;
    ptc_overflow_watch(ss->map, page, ss->bytes);
    return 0;
}

static void free_record(struct ptc_coro *c) {
    free(c->saved);
    free(c);
}

void ptc_shared_fini(struct ptc_shared_stack *ss) {
    if (ss->map != NULL) {
        ptc_overflow_unwatch(ss->map);
        munmap(ss->map, ss->map_bytes);
    }
    for (size_t i = 0; i < ss->n_free; i++)
        free_record(ss->free[i]);
    free(ss->free);
    /* Records of coroutines still suspended are the abandoned coroutines' (sched.h): freed with
     * them only when finished; a scheduler torn down with live coroutines leaks their records,
     * as it leaves their stacks in a private pool. */
    memset(ss, 0, sizeof *ss);
}

static int grow_free(struct ptc_shared_stack *ss, size_t n) {
    if (n <= ss->free_cap)
        return 0;
    size_t cap = ss->free_cap ? ss->free_cap : 64;
    while (cap < n)
        cap *= 2;
    struct ptc_coro **f = realloc(ss->free, cap * sizeof *f);
    if (f == NULL)
        return -ENOMEM;
    ss->free = f;
    ss->free_cap = cap;
    return 0;
}

struct ptc_coro *ptc_shared_record(struct ptc_shared_stack *ss) {
    struct ptc_coro *c;
    if (ss->n_free > 0) {
        c = ss->free[--ss->n_free];
        void *saved = c->saved;
        uint32_t cap = c->saved_cap;
        memset(c, 0, sizeof *c);
        c->saved = saved;
        c->saved_cap = cap;
        return c;
    }
    /* Room to give it back later without allocating (release never fails). */
    if (grow_free(ss, ss->records + 1) < 0 || (c = calloc(1, sizeof *c)) == NULL)
        return NULL;
    ss->records++;
    return c;
}

int ptc_shared_reserve(struct ptc_shared_stack *ss, size_t n) {
    if (grow_free(ss, n) < 0)
        return -ENOMEM;
    while (ss->records < n) {
        struct ptc_coro *c = calloc(1, sizeof *c);
        if (c == NULL)
            return -ENOMEM;
        ss->records++;
        ss->free[ss->n_free++] = c;
    }
    return 0;
}

void ptc_shared_release(struct ptc_shared_stack *ss, struct ptc_coro *c) {
    if (ss->owner == c)
        ss->owner = NULL; /* its frames are dead: nothing to copy out */
    ss->free[ss->n_free++] = c;
}

/* Copies out the frames of the coroutine on the stack: from its saved stack pointer (the
 * fcontext handle, where its registers were pushed) to the top. */
static int save(struct ptc_shared_stack *ss, struct ptc_coro *c) {
    char *sp = c->ctx.fctx, *top = ss->lo + ss->bytes;
    size_t used = (size_t)(top - sp);
    if (used > c->saved_cap) {
        size_t cap = (used + 63) & ~(size_t)63;
        void *grown = realloc(c->saved, cap);
        if (grown == NULL)
            return -ENOMEM;
        c->saved = grown;
        c->saved_cap = (uint32_t)cap;
    }
    memcpy(c->saved, sp, used);
    c->saved_bytes = (uint32_t)used;
    ss->copied_bytes += used;
    return 0;
}

int ptc_shared_enter(struct ptc_shared_stack *ss, struct ptc_coro *c) {
    if (ss->owner == c)
        return 0;
    if (ss->owner != NULL && save(ss, ss->owner) < 0)
        abort(); /* no memory to keep a suspended coroutine's frames: it cannot be resumed */
    ss->owner = c;
    if (c->fresh) {
        c->fresh = 0;
        return 1;
    }
    char *top = ss->lo + ss->bytes;
    memcpy(top - c->saved_bytes, c->saved, c->saved_bytes);
    ss->copied_bytes += c->saved_bytes;
    return 0;
}
