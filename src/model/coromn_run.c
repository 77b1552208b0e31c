#include "model/coromn_run.h"

#include "coro/config.h"
#include "coro/deal.h"
#include "model/coro_run.h"
#include "model/group.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>

/* One stack pool per scheduler thread index, made on first use and kept for the process: runs
 * after the first find their stacks mapped and resident, as coro's do (coro_run.c). Each is used
 * by one thread at a time: thread i of the run in progress. */
static struct ptc_stack_pool pools[PTC_MN_MAX_THREADS];
static uint8_t pool_ready[PTC_MN_MAX_THREADS];

static struct ptc_stack_pool *thread_pool(uint32_t i) {
    if (!pool_ready[i]) {
        if (ptc_stack_pool_init(&pools[i], &ptc_coro_config()->stack) < 0)
            return NULL;
        pool_ready[i] = 1;
    }
    return &pools[i];
}

struct mn_thread {
    struct ptc_coro_run *run;
    uint32_t limit, base; /* its share of W (0: unbounded) and its first worker id */
    size_t coroutines;    /* alive at once at most: room made for them */
    int rc;
};

struct ptc_coromn {
    const struct ptc_run_spec *spec;
    uint32_t n;
    struct ptc_deal deal;
    struct mn_thread t[]; /* [n] */
};

static void free_mn(struct ptc_coromn *mn) {
    for (uint32_t i = 0; i < mn->n; i++)
        if (mn->t[i].run != NULL)
            ptc_coro_run_free(mn->t[i].run);
    ptc_deal_fini(&mn->deal);
    free(mn);
}

/* Thread i's block of the tasks, its share of W and the room it needs. A thread may run more than
 * its block (it steals): a quarter more is made ready, and beyond that spawning maps stacks. */
static void plan_thread(struct ptc_coromn *mn, uint32_t i, uint32_t limit) {
    struct mn_thread *t = &mn->t[i];
    uint32_t first, count = ptc_deal_block(&mn->deal, i, &first);
    t->limit = limit ? limit / mn->n + (i < limit % mn->n) : 0;
    t->base = limit ? limit / mn->n * i + (i < limit % mn->n ? i : limit % mn->n) : 0;
    t->coroutines = (limit ? t->limit : (size_t)count + count / 4) + 1; /* + the feeder */
}

static int make_mn(const struct ptc_run_spec *spec, uint32_t limit, struct ptc_coromn **out) {
    uint32_t tasks = spec->wl->p.tasks, n = ptc_coro_mn_threads();
    n = limit && limit < n ? limit : n;
    n = tasks && tasks < n ? tasks : n;
    struct ptc_coromn *mn = calloc(1, sizeof *mn + n * sizeof mn->t[0]);
    if (mn == NULL)
        return -ENOMEM;
    mn->n = n;
    int rc = ptc_deal_init(&mn->deal, n, tasks);
    if (rc < 0) {
        free(mn);
        return rc;
    }
    for (uint32_t i = 0; i < n && rc == 0; i++) {
        struct mn_thread *t = &mn->t[i];
        plan_thread(mn, i, limit);
        struct ptc_stack_pool *pool = thread_pool(i);
        rc = pool == NULL ? -EINVAL : ptc_coro_run_make(&t->run, pool, t->limit, t->coroutines);
    }
    if (rc < 0) {
        free_mn(mn);
        return rc;
    }
    *out = mn;
    return 0;
}

int ptc_coromn_prepare(struct ptc_run_spec *spec, uint32_t limit) {
    struct ptc_coromn *mn;
    int rc = make_mn(spec, limit, &mn);
    if (rc == 0)
        spec->runtime = mn;
    return rc;
}

void ptc_coromn_release(struct ptc_run_spec *spec) {
    if (spec->runtime != NULL)
        free_mn(spec->runtime);
    spec->runtime = NULL;
}

struct feeder {
    struct ptc_coromn *mn;
    uint32_t i;
};

/* Spawns the thread's tasks one at a time, each when the tasks before it have had their turn. */
static void feeder_main(void *arg) {
    const struct feeder *f = arg;
    struct ptc_coro_run *r = f->mn->t[f->i].run;
    uint32_t task;
    /* A slot first, then a task: a thread whose slots are full takes (and steals) nothing */
    while (ptc_group_wait_slot(&r->sched, &r->group) == 0 &&
           ptc_deal_take(&f->mn->deal, f->i, &task)) {
        if (ptc_coro_run_spawn_task(r, task) < 0)
            return; /* out of stacks: the run reports it */
        ptc_coro_yield(&r->sched);
    }
}

static void thread_main(void *arg, uint32_t i) {
    struct ptc_coromn *mn = arg;
    struct mn_thread *t = &mn->t[i];
    /* Thread 0 records the runtime's names and file I/O in the caller's info; the others in none */
    struct ptc_run_spec spec = *mn->spec;
    spec.runtime = t->run;
    spec.info = i == 0 ? mn->spec->info : NULL;
    struct ptc_coro_run *r;
    t->rc = ptc_coro_run_begin(&spec, t->limit, t->coroutines, &r);
    if (t->rc < 0)
        return;
    r->worker_base = t->base;
    struct feeder f = {mn, i};
    int rc = ptc_coro_spawn(&r->sched, feeder_main, &f, NULL);
    if (rc < 0)
        r->spawn_error = rc;
    t->rc = ptc_coro_run_finish(r);
}

int ptc_coromn_run(const struct ptc_run_spec *spec, uint32_t limit) {
    struct ptc_coromn *mn = spec->runtime;
    int owned = mn == NULL;
    if (owned) {
        int rc = make_mn(spec, limit, &mn);
        if (rc < 0)
            return rc;
    }
    mn->spec = spec;
    ptc_deal_reset(&mn->deal);
    for (uint32_t i = 0; i < mn->n; i++)
        mn->t[i].rc = 0;
    int rc = ptc_thread_group_run(mn->n, thread_main, mn);
    for (uint32_t i = 0; i < mn->n && rc == 0; i++)
        rc = mn->t[i].rc;
    if (spec->info != NULL) {
        /* How file I/O went on any thread, not on thread 0 alone (its own record). */
        struct ptc_coro_exec *all = &mn->t[0].run->ex;
        for (uint32_t i = 1; i < mn->n; i++)
            all->file_paths |= mn->t[i].run->ex.file_paths;
        spec->info->file_io = all->ex.ops->file_io(&all->ex);
        spec->info->sched_threads = mn->n;
        spec->info->steals = atomic_load_explicit(&mn->deal.steals, memory_order_relaxed);
    }
    if (owned)
        free_mn(mn);
    return rc;
}
