#include "coro/stack.h"

#include "core/valgrind.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ASan builds: a fresh mapping may lie where an unmapped stack was, whose frames ASan still
 * holds poisoned (GCC 12's ASan does not clear the shadow on munmap): cleared on mapping. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define UNPOISON(p, n) __asan_unpoison_memory_region((p), (n))
#else
#define UNPOISON(p, n) ((void)0)
#endif

#define ARENA_BYTES     (64u * 1024u * 1024u)
#define MAX_STACK_BYTES (64u * 1024u * 1024u)

struct ptc_stack_arena {
    struct ptc_stack_arena *next;
    void *base;
    size_t bytes;
};

int ptc_stack_pool_init(struct ptc_stack_pool *p, const struct ptc_stack_opts *o) {
    memset(p, 0, sizeof *p);
    p->o = *o;
    p->page_bytes = (size_t)sysconf(_SC_PAGESIZE);
    size_t bytes = o->stack_bytes ? o->stack_bytes : PTC_STACK_DEFAULT_BYTES;
    if (bytes < 2 * p->page_bytes || bytes > MAX_STACK_BYTES)
        return -EINVAL;
    p->o.stack_bytes = (bytes + p->page_bytes - 1) & ~(p->page_bytes - 1);
    p->slot_bytes = p->o.stack_bytes + p->page_bytes;
    p->slots_per_arena = ARENA_BYTES / p->slot_bytes ? ARENA_BYTES / p->slot_bytes : 1;
    return 0;
}

static int want_guard(const struct ptc_stack_pool *p) {
    return p->o.guard == PTC_GUARD_ON ||
           (p->o.guard == PTC_GUARD_AUTO && p->guarded < PTC_STACK_GUARD_AUTO_LIMIT);
}

/* Turns the slot's lowest page into a guard: an overflow faults instead of corrupting the
 * neighbour. Costs one mapping split, so a count limit applies (see stack.h). */
static int guard_slot(struct ptc_stack_pool *p, char *slot) {
    if (!want_guard(p))
        return 0;
    if (mprotect(slot, p->page_bytes, PROT_NONE) != 0)
        return -ENOMEM;
    p->guarded++;
    return 0;
}

/* A forked child (the fork and procpool models run after the coroutine models in one grid, and
 * the capacity probe runs in a child) never runs these coroutines: without MADV_DONTFORK, every
 * fork copied the stacks' mappings and page tables, and 2,000 forks after a coro run took
 * seconds instead of 0.3 s. Not under Valgrind: it does not know that the child lacks these
 * mappings, and memcheck's leak search at the child's exit reads them; the capacity probe's
 * child then ran for minutes after its answer instead of ending (issue 12). */
static void not_in_children(void *p, size_t bytes) {
    if (!PTC_ON_VALGRIND())
        madvise(p, bytes, MADV_DONTFORK);
}

static int new_arena(struct ptc_stack_pool *p) {
    struct ptc_stack_arena *a = malloc(sizeof *a);
    if (a == NULL)
        return -ENOMEM;
    a->bytes = p->slots_per_arena * p->slot_bytes;
    a->base = mmap(NULL, a->bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (a->base == MAP_FAILED) {
        free(a);
        return -ENOMEM;
    }
    not_in_children(a->base, a->bytes);
    UNPOISON(a->base, a->bytes);
    a->next = p->arenas;
    p->arenas = a;
    p->carved = 0;
    p->arena_count++;
    return 0;
}

static int get_unpooled(struct ptc_stack_pool *p, void **lo) {
    char *slot = mmap(NULL, p->slot_bytes, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (slot == MAP_FAILED)
        return -ENOMEM;
    not_in_children(slot, p->slot_bytes);
    UNPOISON(slot, p->slot_bytes);
    if (guard_slot(p, slot) < 0) {
        munmap(slot, p->slot_bytes);
        return -ENOMEM;
    }
    *lo = slot + p->page_bytes;
    ptc_stack_vg_add(&p->vg, *lo, p->o.stack_bytes);
    return 0;
}

/* Room in the free array for every stack that exists, made before a stack is created: a put
 * (called where a coroutine ends, with no way to report an error) then never allocates. */
static int reserve_free_slot(struct ptc_stack_pool *p) {
    if (p->created < p->free_cap)
        return 0;
    size_t cap = p->free_cap ? 2 * p->free_cap : 256;
    void **grown = realloc(p->free_stacks, cap * sizeof *grown);
    if (grown == NULL)
        return -ENOMEM;
    p->free_stacks = grown;
    p->free_cap = cap;
    return 0;
}

/* A stack that did not exist before: mapped alone (unpooled) or carved from an arena. */
static int create(struct ptc_stack_pool *p, void **lo) {
    int rc;
    if (p->o.unpooled) {
        rc = get_unpooled(p, lo);
    } else {
        rc = reserve_free_slot(p);
        if (rc < 0)
            return rc;
        if (p->arenas == NULL || p->carved == p->slots_per_arena) {
            rc = new_arena(p);
            if (rc < 0)
                return rc;
        }
        char *slot = (char *)p->arenas->base + p->carved * p->slot_bytes;
        rc = guard_slot(p, slot);
        if (rc == 0) {
            p->carved++;
            *lo = slot + p->page_bytes;
            ptc_stack_vg_add(&p->vg, *lo, p->o.stack_bytes);
        }
    }
    if (rc == 0)
        p->created++;
    return rc;
}

int ptc_stack_get(struct ptc_stack_pool *p, void **lo) {
    if (p->o.max_stacks != 0 && p->live >= p->o.max_stacks)
        return -EAGAIN;
    if (p->n_free > 0) {
        *lo = p->free_stacks[--p->n_free];
        p->live++;
        return 0;
    }
    int rc = create(p, lo);
    if (rc == 0)
        p->live++;
    return rc;
}

void ptc_stack_put(struct ptc_stack_pool *p, void *lo) {
    p->live--;
    if (p->o.unpooled) {
        ptc_stack_vg_remove(&p->vg, lo);
        munmap((char *)lo - p->page_bytes, p->slot_bytes);
        return;
    }
    p->free_stacks[p->n_free++] = lo;
}

int ptc_stack_pool_reserve(struct ptc_stack_pool *p, size_t n) {
    if (p->o.unpooled)
        return 0;
    if (p->o.max_stacks != 0 && n > p->o.max_stacks)
        n = p->o.max_stacks;
    while (p->created < n) {
        void *lo;
        int rc = create(p, &lo);
        if (rc < 0)
            return rc;
        p->free_stacks[p->n_free++] = lo;
    }
    return 0;
}

void ptc_stack_pool_fini(struct ptc_stack_pool *p) {
    ptc_stack_vg_fini(&p->vg);
    while (p->arenas != NULL) {
        struct ptc_stack_arena *a = p->arenas;
        p->arenas = a->next;
        munmap(a->base, a->bytes);
        free(a);
    }
    free(p->free_stacks);
    memset(p, 0, sizeof *p);
}
