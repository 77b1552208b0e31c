#include "coro/group.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static void member_added(struct ptc_coro_owner *o, struct ptc_coro *c);
static void member_done(struct ptc_coro_owner *o, struct ptc_sched *s, struct ptc_coro *c);

int ptc_group_init(struct ptc_coro_group *g, uint32_t limit) {
    memset(g, 0, sizeof *g);
    g->owner = (struct ptc_coro_owner){.added = member_added, .done = member_done};
    g->limit = limit;
    if (limit == 0)
        return 0;
    g->free_slots = malloc(limit * sizeof *g->free_slots);
    if (g->free_slots == NULL)
        return -ENOMEM;
    /* Highest first, so the first spawn takes slot 0. */
    for (uint32_t i = 0; i < limit; i++)
        g->free_slots[i] = limit - 1 - i;
    g->n_free = limit;
    return 0;
}

void ptc_group_fini(struct ptc_coro_group *g) {
    free(g->free_slots);
    memset(g, 0, sizeof *g);
}

int ptc_group_wait_slot(struct ptc_sched *s, struct ptc_coro_group *g) {
    while (g->limit != 0 && g->live >= g->limit) {
        struct ptc_coro *self = ptc_coro_self(s);
        if (self == NULL)
            return -EBUSY;
        self->next = g->spawners;
        g->spawners = self;
        ptc_coro_suspend(s);
    }
    return 0;
}

/* Waits for a free slot when g is bounded and full, then spawns at the back or the front. */
static int spawn_into(struct ptc_sched *s, struct ptc_coro_group *g, ptc_coro_fn fn, void *arg,
                      int front) {
    int rc = ptc_group_wait_slot(s, g);
    if (rc < 0)
        return rc;
    return front ? ptc_coro_spawn_next(s, fn, arg, &g->owner)
                 : ptc_coro_spawn(s, fn, arg, &g->owner);
}

int ptc_group_spawn(struct ptc_sched *s, struct ptc_coro_group *g, ptc_coro_fn fn, void *arg) {
    return spawn_into(s, g, fn, arg, 0);
}

int ptc_group_spawn_next(struct ptc_sched *s, struct ptc_coro_group *g, ptc_coro_fn fn, void *arg) {
    return spawn_into(s, g, fn, arg, 1);
}

static struct ptc_coro_group *group_of(struct ptc_coro_owner *o) {
    return (struct ptc_coro_group *)((char *)o - offsetof(struct ptc_coro_group, owner));
}

static void member_added(struct ptc_coro_owner *o, struct ptc_coro *c) {
    struct ptc_coro_group *g = group_of(o);
    if (++g->live > g->peak_live)
        g->peak_live = g->live;
    if (g->limit != 0 && g->n_free > 0)
        c->slot = g->free_slots[--g->n_free];
}

static void member_done(struct ptc_coro_owner *o, struct ptc_sched *s, struct ptc_coro *c) {
    struct ptc_coro_group *g = group_of(o);
    g->live--;
    if (g->limit != 0 && g->n_free < g->limit)
        g->free_slots[g->n_free++] = c->slot;
    if (g->spawners != NULL) {
        struct ptc_coro *w = g->spawners;
        g->spawners = w->next;
        ptc_coro_wake(s, w);
    }
    /* The joiners go next: their members are done, and it is what they were for. A tree of
     * coroutines then unwinds depth first instead of parking every waiting parent at the back of
     * the queue behind its siblings' whole subtrees. */
    while (g->live == 0 && g->joiners != NULL) {
        struct ptc_coro *j = g->joiners;
        g->joiners = j->next;
        ptc_coro_wake_next(s, j);
    }
}

int ptc_group_join(struct ptc_sched *s, struct ptc_coro_group *g) {
    struct ptc_coro *self = ptc_coro_self(s);
    if (self == NULL)
        return ptc_sched_run(s); /* runs until nothing is left, members included */
    while (g->live > 0) {
        self->next = g->joiners;
        g->joiners = self;
        ptc_coro_suspend(s);
    }
    return 0;
}
