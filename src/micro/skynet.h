/* The skynet tree (micro/skynet.c): its node, and the tree over N scheduler threads
 * (micro/skynet_mn.c). */
#ifndef PTC_MICRO_SKYNET_H
#define PTC_MICRO_SKYNET_H

#include "core/clock.h"
#include "coro/sched.h"

#include <stdint.h>

#define PTC_SKYNET_FANOUT 10

struct ptc_skynet_node {
    struct ptc_sched *s;
    uint64_t first, leaves; /* the leaves [first, first + leaves) */
    uint64_t *sum;          /* the parent's accumulator */
};

/* A node's coroutine: a leaf adds its index to *sum; an inner node spawns its 10 children to run
 * next, waits for them and adds their sum. */
void ptc_skynet_node(void *node);

/* The tree over N threads: the subtrees 2 levels down (100 of them; fewer in a smaller tree) are
 * dealt out to the threads as tasks with work stealing (coro/deal.h), each thread a scheduler of
 * its own with a feeder that spawns the next subtree when the ones before it had their turn,
 * as coromn does with tasks. The nodes above the subtrees are not coroutines. */
struct ptc_skynet_mn;

/* N schedulers, made now (not timed). Returns 0 or a negative errno. */
int ptc_skynet_mn_init(struct ptc_skynet_mn **out, uint32_t threads);
void ptc_skynet_mn_fini(struct ptc_skynet_mn *m);

/* One tree of `leaves` leaves (a power of 10): its wall time from the start of the threads to
 * their end, the root's sum, the subtrees stolen and the coroutines it ran. Returns 0 or a
 * negative errno. */
int ptc_skynet_mn_tree(struct ptc_skynet_mn *m, uint64_t leaves, uint64_t *sum, ptc_ns *elapsed,
                       uint64_t *steals, uint64_t *coroutines);

/* Its threads, and the stacks its schedulers made. */
uint32_t ptc_skynet_mn_threads(const struct ptc_skynet_mn *m);
size_t ptc_skynet_mn_stacks(const struct ptc_skynet_mn *m);

#endif
