/* Coroutine stacks. Pooled (the default): carved out of large MAP_NORESERVE arenas, so a million
 * stacks take a few hundred mappings, not a million (vm.max_map_count is 65530), and a freed
 * stack goes on a LIFO free array and is reused with its pages still resident. The free array is
 * dense (pointers side by side), so getting and putting a stack touches no stack page. Unpooled:
 * one mmap per stack and munmap when freed, to show what that costs. Not thread-safe: one pool per
 * scheduler thread. */
#ifndef PTC_CORO_STACK_H
#define PTC_CORO_STACK_H

#include "coro/stack_vg.h"

#include <stddef.h>

#define PTC_STACK_DEFAULT_BYTES    (32u * 1024u)
#define PTC_STACK_GUARD_AUTO_LIMIT 30000u /* guarded stacks cost 2 mappings each */

enum ptc_stack_guard { PTC_GUARD_OFF = 0, PTC_GUARD_ON = 1, PTC_GUARD_AUTO = 2 };

struct ptc_stack_opts {
    size_t stack_bytes;         /* usable bytes per stack, rounded up to pages; 0: the default */
    enum ptc_stack_guard guard; /* AUTO: a guard page below each of the first 30,000 stacks */
    size_t max_stacks;          /* 0: no limit but memory and mappings */
    int unpooled;               /* 1: mmap/munmap per stack */
    int shared; /* 1: the scheduler's coroutines share one stack of stack_bytes (coro/shared.h) */
};

struct ptc_stack_arena;

struct ptc_stack_pool {
    struct ptc_stack_opts o;
    size_t page_bytes, slot_bytes; /* slot = guard page + stack */
    size_t slots_per_arena;
    struct ptc_stack_arena *arenas;
    size_t carved;           /* slots handed out of the current arena */
    void **free_stacks;      /* freed stacks, [0, n_free), the last freed last */
    size_t n_free, free_cap; /* free_cap >= created: a put never needs memory */
    size_t live, created, guarded, arena_count;
    struct ptc_stack_vg vg; /* the stacks registered with Valgrind, when running under it */
};

/* Returns 0 or -EINVAL (stack size out of range). Maps nothing yet. */
int ptc_stack_pool_init(struct ptc_stack_pool *p, const struct ptc_stack_opts *o);

/* A stack of p->o.stack_bytes: *lo is its lowest usable byte. Returns 0, -EAGAIN when
 * max_stacks are live, or -ENOMEM when memory or mappings ran out. */
int ptc_stack_get(struct ptc_stack_pool *p, void **lo);

/* Gives a stack from ptc_stack_get back. Never fails and never allocates. */
void ptc_stack_put(struct ptc_stack_pool *p, void *lo);

/* Makes at least n stacks exist (pooled: carved, their pages not touched) so that the next n
 * ptc_stack_get calls map nothing: for set-up outside a timed region. Does nothing unpooled.
 * Returns 0, or ptc_stack_get's -EAGAIN or -ENOMEM (the stacks made so far stay in the pool). */
int ptc_stack_pool_reserve(struct ptc_stack_pool *p, size_t n);

/* Unmaps everything. Stacks still in use become invalid. */
void ptc_stack_pool_fini(struct ptc_stack_pool *p);

#endif
