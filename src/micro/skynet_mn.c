#include "micro/skynet.h"

#include "core/lines.h"
#include "coro/config.h"
#include "coro/deal.h"
#include "model/group.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The subtrees dealt out: 10^2, the tree's nodes two levels down. */
#define SUBTREES_MAX (PTC_SKYNET_FANOUT * PTC_SKYNET_FANOUT)

/* Each thread's scheduler on cache lines of its own: two schedulers' hot fields (the running
 * coroutine, the run queue's head, the budget) on one line made each thread's switches wait for
 * the other's (skynet over 2 threads took twice the CPU time of one). */
struct mn_thread {
    _Alignas(PTC_CACHE_LINE_BYTES) struct ptc_sched s;
    uint64_t sum; /* of the subtrees this thread ran */
    int rc;
};

struct ptc_skynet_mn {
    uint32_t n;
    struct ptc_deal deal;
    struct ptc_skynet_node roots[SUBTREES_MAX]; /* the subtrees' roots */
    struct mn_thread t[];                       /* [n] */
};

int ptc_skynet_mn_init(struct ptc_skynet_mn **out, uint32_t threads) {
    struct ptc_skynet_mn *m =
        ptc_lines_calloc(sizeof(struct ptc_skynet_mn) + threads * sizeof(struct mn_thread));
    if (m == NULL)
        return -ENOMEM;
    int rc = 0;
    for (; m->n < threads && rc == 0; m->n++)
        if ((rc = ptc_sched_init(&m->t[m->n].s, ptc_coro_config())) < 0)
            break;
    if (rc < 0) {
        ptc_skynet_mn_fini(m);
        return rc;
    }
    *out = m;
    return 0;
}

void ptc_skynet_mn_fini(struct ptc_skynet_mn *m) {
    for (uint32_t i = 0; i < m->n; i++)
        ptc_sched_fini(&m->t[i].s);
    ptc_deal_fini(&m->deal);
    free(m);
}

uint32_t ptc_skynet_mn_threads(const struct ptc_skynet_mn *m) {
    return m->n;
}

size_t ptc_skynet_mn_stacks(const struct ptc_skynet_mn *m) {
    size_t n = 0;
    for (uint32_t i = 0; i < m->n; i++)
        n += m->t[i].s.stacks->created;
    return n;
}

struct feeder {
    struct ptc_skynet_mn *m;
    uint32_t i;
};

/* Spawns the thread's next subtree each time the coroutines before it have had their turn. */
static void feeder_main(void *arg) {
    const struct feeder *f = arg;
    struct mn_thread *t = &f->m->t[f->i];
    uint32_t k;
    while (ptc_deal_take(&f->m->deal, f->i, &k)) {
        struct ptc_skynet_node *root = &f->m->roots[k];
        root->s = &t->s;
        root->sum = &t->sum;
        if ((t->rc = ptc_coro_spawn_next(&t->s, ptc_skynet_node, root, NULL)) < 0)
            return;
        ptc_coro_yield(&t->s);
    }
}

static void thread_main(void *arg, uint32_t i) {
    struct ptc_skynet_mn *m = arg;
    struct mn_thread *t = &m->t[i];
    struct feeder f = {m, i};
    int rc = ptc_coro_spawn(&t->s, feeder_main, &f, NULL);
    if (rc == 0)
        rc = ptc_sched_run(&t->s);
    if (t->rc == 0)
        t->rc = rc;
}

int ptc_skynet_mn_tree(struct ptc_skynet_mn *m, uint64_t leaves, uint64_t *sum, ptc_ns *elapsed,
                       uint64_t *steals, uint64_t *coroutines) {
    /* Two levels down when the tree is that deep: 100 subtrees of leaves / 100. */
    uint32_t subtrees = 1, above = 0;
    while (subtrees < SUBTREES_MAX && leaves / subtrees >= PTC_SKYNET_FANOUT) {
        above += subtrees;
        subtrees *= PTC_SKYNET_FANOUT;
    }
    uint64_t share = leaves / subtrees, nodes = 0;
    for (uint64_t level = 1; level <= leaves; level *= PTC_SKYNET_FANOUT)
        nodes += level;
    *coroutines = nodes - above;
    if (m->deal.q == NULL || m->deal.tasks != subtrees) {
        ptc_deal_fini(&m->deal);
        int rc = ptc_deal_init(&m->deal, m->n, subtrees);
        if (rc < 0)
            return rc;
    }
    for (uint32_t k = 0; k < subtrees; k++)
        m->roots[k] = (struct ptc_skynet_node){.first = k * share, .leaves = share};
    for (uint32_t i = 0; i < m->n; i++)
        m->t[i].sum = 0, m->t[i].rc = 0;
    /* The threads start before the clock: skynet times the tree, not pthread_create. */
    ptc_deal_reset(&m->deal);
    int rc = ptc_thread_group_run_timed(m->n, thread_main, m, elapsed);
    *sum = 0;
    for (uint32_t i = 0; i < m->n; i++) {
        *sum += m->t[i].sum;
        rc = rc < 0 ? rc : m->t[i].rc;
    }
    *steals = atomic_load_explicit(&m->deal.steals, memory_order_relaxed);
    return rc;
}
