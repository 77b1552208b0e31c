/* The coroutine scheduler (src/coro/sched.c): FIFO round-robin on yield, spawning from inside
 * coroutines, the switch budget that keeps a yielding coroutine from starving timers, deep
 * recursion on the default stack, and timers that fire in (deadline, arming) order and never
 * early. Every test runs once per switch backend (fcontext, ucontext) and poller (epoll,
 * io_uring), which must be interchangeable; so do time limits on waits. Timing tolerances scale
 * with PTC_TEST_TIME_MULTIPLIER; the never-early checks have none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ptc_test.h"

#include "coro/timers.h"
#include "coro_test.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- FIFO order of yields ---- */

#define FIFO_COROS  10
#define FIFO_ROUNDS 20 /* 200 switches: the budget of PTC_SCHED_BUDGET runs out three times */

struct fifo {
    struct ptc_sched *s;
    struct coro_trace *trace;
    int id;
};

static void fifo_body(void *arg) {
    struct fifo *f = arg;
    struct ptc_coro *self = ptc_coro_self(f->s);
    CORO_CHECK(self != NULL && self->sched == f->s, "coroutine %d: ptc_coro_self is wrong", f->id);
    for (int r = 0; r < FIFO_ROUNDS; r++) {
        coro_trace_add(f->trace, "c%d.%d", f->id, r);
        if (r + 1 < FIFO_ROUNDS)
            ptc_coro_yield(f->s);
        CORO_CHECK(ptc_coro_self(f->s) == self, "coroutine %d resumed as another", f->id);
    }
}

static void test_fifo_yield_order(void **state) {
    struct ptc_sched s;
    coro_test_open(state, &s, NULL, NULL);
    static struct coro_trace trace, want;
    memset(&trace, 0, sizeof trace);
    memset(&want, 0, sizeof want);
    struct fifo f[FIFO_COROS];
    assert_null(ptc_coro_self(&s));
    for (int i = 0; i < FIFO_COROS; i++) {
        f[i] = (struct fifo){.s = &s, .trace = &trace, .id = i};
        assert_int_equal(ptc_coro_spawn(&s, fifo_body, &f[i], NULL), 0);
    }
    assert_int_equal(s.live, FIFO_COROS);
    coro_test_run(&s);
    /* Round-robin: every coroutine once per round, in spawn order, however the budget falls. */
    for (int r = 0; r < FIFO_ROUNDS; r++)
        for (int i = 0; i < FIFO_COROS; i++)
            coro_trace_add(&want, "c%d.%d", i, r);
    assert_string_equal(trace.buf, want.buf);
    ptc_sched_fini(&s);
}

/* ---- a crowd: many coroutines through the ring ---- */

/* Members of a crowd take `rounds` turns each, yielding between them; every round must visit
 * them in spawn order (FIFO), each exactly once. */
struct crowd {
    struct ptc_sched *s;
    uint32_t n, rounds;
    uint32_t next_in_round[8]; /* the id expected next in each round */
    uint32_t *runs;            /* [n]: times each member's body ran */
};

struct member {
    struct crowd *c;
    uint32_t id;
};

static void member_body(void *arg) {
    struct member *m = arg;
    struct crowd *c = m->c;
    for (uint32_t r = 0; r < c->rounds; r++) {
        CORO_CHECK(c->next_in_round[r] == m->id, "round %u: member %u ran where %u was due", r,
                   m->id, c->next_in_round[r]);
        c->next_in_round[r] = m->id + 1;
        if (r + 1 < c->rounds)
            ptc_coro_yield(c->s);
    }
    c->runs[m->id]++;
}

static struct member *crowd_open(struct crowd *c, struct ptc_sched *s, uint32_t n,
                                 uint32_t rounds) {
    *c = (struct crowd){.s = s, .n = n, .rounds = rounds};
    c->runs = calloc(n, sizeof *c->runs);
    struct member *m = calloc(n, sizeof *m);
    assert_true(c->runs != NULL && m != NULL);
    for (uint32_t i = 0; i < n; i++)
        m[i] = (struct member){.c = c, .id = i};
    return m;
}

/* Every member ran once and every round saw all of them; frees the crowd. */
static void crowd_check(struct crowd *c, struct member *m) {
    for (uint32_t r = 0; r < c->rounds; r++)
        assert_int_equal(c->next_in_round[r], c->n);
    for (uint32_t i = 0; i < c->n; i++)
        if (c->runs[i] != 1)
            fail_msg("member %u ran %u times", i, c->runs[i]);
    free(c->runs);
    free(m);
}

/* 25,000 coroutines alive at once: the ring and the stack pool's free array grow many times past
 * their first size (256), and none is lost, repeated or reordered. Under TSan 600 (see
 * CORO_TEST_SIZE): the ring and the free array grow twice. */
#define CROWD_N CORO_TEST_SIZE(25000, 600)

static void test_many_coroutines_in_order(void **state) {
    struct ptc_sched s;
    struct ptc_stack_opts small = {.stack_bytes = 16u * 1024u};
    coro_test_open(state, &s, &small, NULL);
    struct crowd c;
    struct member *m = crowd_open(&c, &s, CROWD_N, 3);
    for (uint32_t i = 0; i < CROWD_N; i++)
        assert_int_equal(ptc_coro_spawn(&s, member_body, &m[i], NULL), 0);
    assert_int_equal(s.live, CROWD_N);
    assert_int_equal(s.rq_len, CROWD_N);
    coro_test_run(&s);
    crowd_check(&c, m);
    assert_int_equal(s.stacks->live, 0);
    assert_int_equal(s.stacks->created, CROWD_N);
    ptc_sched_fini(&s);
}

/* The ring grows while it is wrapped (its head past the start): a parent yields among a first
 * crowd until the head has gone round, then spawns a second crowd eight times the ring's size
 * (under TSan only larger than it, see CORO_TEST_SIZE). Both crowds keep their order. */
struct wrap {
    struct ptc_sched *s;
    struct member *second;
    uint32_t n_second;
    int wrapped_when_spawning;
};

static void wrap_parent(void *arg) {
    struct wrap *w = arg;
    size_t cap = w->s->rq_mask + 1;
    for (int i = 0; i < 5; i++) /* the first crowd is still there: it takes 8 turns */
        ptc_coro_yield(w->s);
    w->wrapped_when_spawning = w->s->rq_head + w->s->rq_len > cap;
    for (uint32_t i = 0; i < w->n_second; i++)
        CORO_CHECK(ptc_coro_spawn(w->s, member_body, &w->second[i], NULL) == 0, "spawn %u", i);
}

static void test_ring_grows_while_wrapped(void **state) {
    struct ptc_sched s;
    coro_test_open(state, &s, NULL, NULL);
    struct crowd first, second;
    struct member *m1 = crowd_open(&first, &s, 100, 8);
    struct wrap w = {.s = &s, .n_second = CORO_TEST_SIZE(2000, 300)};
    w.second = crowd_open(&second, &s, w.n_second, 2);
    assert_int_equal(ptc_coro_spawn(&s, wrap_parent, &w, NULL), 0);
    for (uint32_t i = 0; i < first.n; i++)
        assert_int_equal(ptc_coro_spawn(&s, member_body, &m1[i], NULL), 0);
    assert_true(s.rq_mask + 1 < w.n_second); /* the second crowd makes it grow */
    coro_test_run(&s);
    assert_true(w.wrapped_when_spawning);
    crowd_check(&first, m1);
    crowd_check(&second, w.second);
    ptc_sched_fini(&s);
}

/* ---- spawning from inside a coroutine ---- */

struct spawner {
    struct ptc_sched *s;
    struct coro_trace *trace;
    const char *name;
    struct spawner *children; /* [2] spawned by P */
};

static void leaf_body(void *arg) {
    struct spawner *c = arg;
    coro_trace_add(c->trace, "%s", c->name);
}

static void parent_body(void *arg) {
    struct spawner *p = arg;
    coro_trace_add(p->trace, "P0");
    for (int i = 0; i < 2; i++) {
        int rc = ptc_coro_spawn(p->s, leaf_body, &p->children[i], NULL);
        CORO_CHECK(rc == 0, "spawn from a coroutine: %d", rc);
    }
    coro_trace_add(p->trace, "P1");
    ptc_coro_yield(p->s);
    coro_trace_add(p->trace, "P2");
}

static void other_body(void *arg) {
    struct spawner *x = arg;
    coro_trace_add(x->trace, "X0");
    ptc_coro_yield(x->s);
    coro_trace_add(x->trace, "X1");
}

static void test_spawn_from_coroutine(void **state) {
    struct ptc_sched s;
    coro_test_open(state, &s, NULL, NULL);
    static struct coro_trace trace;
    memset(&trace, 0, sizeof trace);
    struct spawner kids[2] = {{.s = &s, .trace = &trace, .name = "C1"},
                              {.s = &s, .trace = &trace, .name = "C2"}};
    struct spawner p = {.s = &s, .trace = &trace, .children = kids};
    struct spawner x = {.s = &s, .trace = &trace};
    assert_int_equal(ptc_coro_spawn(&s, parent_body, &p, NULL), 0);
    assert_int_equal(ptc_coro_spawn(&s, other_body, &x, NULL), 0);
    coro_test_run(&s);
    /* A spawned coroutine queues behind the runnable ones: X first, then C1 and C2, then P. */
    assert_string_equal(trace.buf, "P0 P1 X0 C1 C2 P2 X1");
    ptc_sched_fini(&s);
}

/* A binary tree of coroutines, each node spawning its two children from inside and joining them
 * with a group on its own stack. */
struct tree {
    struct ptc_sched *s;
    int depth;
    uint64_t *nodes;
};

static void tree_body(void *arg) {
    struct tree *t = arg;
    (*t->nodes)++;
    if (t->depth == 0)
        return;
    struct ptc_coro_group g;
    CORO_CHECK(ptc_group_init(&g, 0) == 0, "ptc_group_init");
    struct tree kids[2] = {{t->s, t->depth - 1, t->nodes}, {t->s, t->depth - 1, t->nodes}};
    for (int i = 0; i < 2; i++) {
        int rc = ptc_group_spawn(t->s, &g, tree_body, &kids[i]);
        CORO_CHECK(rc == 0, "ptc_group_spawn at depth %d: %d", t->depth, rc);
    }
    int rc = ptc_group_join(t->s, &g);
    CORO_CHECK(rc == 0 && g.live == 0, "join at depth %d: rc %d, %llu left", t->depth, rc,
               (unsigned long long)g.live);
    ptc_group_fini(&g);
}

static void test_spawn_tree(void **state) {
    struct ptc_sched s;
    coro_test_open(state, &s, NULL, NULL);
    uint64_t nodes = 0;
    struct tree root = {&s, 7, &nodes};
    assert_int_equal(ptc_coro_spawn(&s, tree_body, &root, NULL), 0);
    coro_test_run(&s);
    assert_int_equal(nodes, (1u << 8) - 1);
    /* Every finished coroutine gave its stack back. */
    assert_int_equal(s.stacks->live, 0);
    assert_true(s.stacks->created <= nodes);
    ptc_sched_fini(&s);
}

/* ---- no starvation: yields past the budget while a timer is due ---- */

#define STARVE_SLEEP_NS (2 * PTC_NS_PER_MS)

struct starve {
    struct ptc_sched *s;
    int woke;
    ptc_ns deadline_ns, woke_ns;
    uint64_t yields, yields_at_wake;
    ptc_ns give_up_ns; /* the yielders stop here if the timer never fires */
};

static void starve_sleeper(void *arg) {
    struct starve *st = arg;
    st->deadline_ns = ptc_now_ns() + STARVE_SLEEP_NS;
    ptc_coro_sleep_ns(st->s, STARVE_SLEEP_NS);
    st->woke_ns = ptc_now_ns();
    st->yields_at_wake = st->yields;
    st->woke = 1;
}

static void starve_yielder(void *arg) {
    struct starve *st = arg;
    while (!st->woke && ptc_now_ns() < st->give_up_ns) {
        st->yields++;
        ptc_coro_yield(st->s);
    }
}

/* One attempt: returns false when the scenario did not happen (the thread lost the CPU for the
 * whole sleep, so the timer was due before the yielders had run PTC_SCHED_BUDGET times). */
static bool try_no_starvation(void **state, int yielders) {
    struct ptc_sched s;
    coro_test_open(state, &s, NULL, NULL);
    struct starve st = {.s = &s};
    st.give_up_ns = ptc_now_ns() + (ptc_ns)(5.0 * ptc_test_time_multiplier() * PTC_NS_PER_S);
    assert_int_equal(ptc_coro_spawn(&s, starve_sleeper, &st, NULL), 0);
    for (int i = 0; i < yielders; i++)
        assert_int_equal(ptc_coro_spawn(&s, starve_yielder, &st, NULL), 0);
    coro_test_run(&s);
    ptc_sched_fini(&s);
    if (!st.woke)
        fail_msg("%d yielder(s): the sleeper never woke in %llu yields", yielders,
                 (unsigned long long)st.yields);
    if (st.woke_ns < st.deadline_ns)
        fail_msg("woke %llu ns early", (unsigned long long)(st.deadline_ns - st.woke_ns));
    if (st.woke_ns - st.deadline_ns > coro_test_late_ns())
        fail_msg("%d yielder(s): woke %llu ns late (tolerance %llu ns)", yielders,
                 (unsigned long long)(st.woke_ns - st.deadline_ns),
                 (unsigned long long)coro_test_late_ns());
    /* The yielders kept the run queue busy without a break for the whole sleep. */
    return st.yields_at_wake > PTC_SCHED_BUDGET;
}

static void check_no_starvation(void **state, int yielders) {
    for (int attempt = 0; attempt < 3; attempt++)
        if (try_no_starvation(state, yielders))
            return;
    fail_msg("%d yielder(s): never more than %d yields before the wake-up in 3 attempts", yielders,
             PTC_SCHED_BUDGET);
}

static void test_yield_loop_does_not_starve_timers(void **state) {
    check_no_starvation(state, 1); /* a lone yielder: yields that find the run queue empty */
    check_no_starvation(state, 2); /* two: direct coroutine-to-coroutine switches */
    check_no_starvation(state, 5);
}

/* ---- deep recursion on the default stack ---- */

struct deep {
    struct ptc_sched *s;
    uintptr_t lo;         /* the coroutine's stack_lo */
    uintptr_t stop_above; /* recurse while more than this many bytes are left below */
    uint32_t max_depth;
    uint64_t sum;
    unsigned corrupt;
};

/* Each frame fills a buffer, recurses, and checks the buffer afterwards: the frames below yield
 * to the other coroutines, so a switch that damaged a suspended stack shows up here. */
__attribute__((noinline)) static uint64_t recurse(struct deep *d, uint32_t depth) {
    volatile unsigned char pad[192];
    for (size_t i = 0; i < sizeof pad; i++)
        pad[i] = (unsigned char)(depth * 7 + i);
    uint64_t sum;
    /* The frame, not pad: under ASan's use-after-return checks, pad lives on a fake stack. */
    if ((uintptr_t)__builtin_frame_address(0) - d->lo > d->stop_above) {
        sum = recurse(d, depth + 1);
        if (depth % 16 == 0)
            ptc_coro_yield(d->s); /* on the way back up too, from the middle of the stack */
    } else {
        d->max_depth = depth;
        for (int i = 0; i < 3; i++)
            ptc_coro_yield(d->s);
        sum = 0;
    }
    for (size_t i = 0; i < sizeof pad; i++)
        if (pad[i] != (unsigned char)(depth * 7 + i))
            d->corrupt++;
    return sum + depth;
}

static void deep_body(void *arg) {
    struct deep *d = arg;
    struct ptc_coro *self = ptc_coro_self(d->s);
    size_t bytes = d->s->stacks->o.stack_bytes;
    d->lo = (uintptr_t)self->stack_lo;
    /* Three quarters of the stack, leaving room for the switch and the scheduler's frames. */
    d->stop_above = bytes / 4 > 8192 ? bytes / 4 : 8192;
    d->sum = recurse(d, 0);
}

static void test_deep_recursion(void **state) {
    struct ptc_sched s;
    struct ptc_stack_opts defaults = {0};
    for (int guard = PTC_GUARD_OFF; guard <= PTC_GUARD_AUTO; guard++) {
        defaults.guard = (enum ptc_stack_guard)guard;
        coro_test_open(state, &s, &defaults, NULL);
        assert_int_equal(s.stacks->o.stack_bytes, PTC_STACK_DEFAULT_BYTES);
        struct deep d[3];
        for (int i = 0; i < 3; i++) {
            d[i] = (struct deep){.s = &s};
            assert_int_equal(ptc_coro_spawn(&s, deep_body, &d[i], NULL), 0);
        }
        coro_test_run(&s);
        for (int i = 0; i < 3; i++) {
            if (d[i].max_depth < 32)
                fail_msg("guard %d, coroutine %d: only %u frames deep", guard, i, d[i].max_depth);
            assert_int_equal(d[i].sum, (uint64_t)d[i].max_depth * (d[i].max_depth + 1) / 2);
            assert_int_equal(d[i].corrupt, 0);
        }
        ptc_sched_fini(&s);
    }
}

/* ---- timers: in order, never early ---- */

#define N_SLEEPERS 40

struct sleeper {
    struct ptc_sched *s;
    ptc_ns duration_ns;
    uint32_t index;     /* spawn order */
    uint32_t *armed;    /* shared counter: arming order */
    uint32_t *woken;    /* shared counter: wake order */
    uint32_t arm_order; /* when it called sleep */
    uint32_t wake_order;
    ptc_ns before_ns;   /* the clock just before the sleep call */
    ptc_ns deadline_ns; /* the scheduler's deadline for it */
    ptc_ns woke_ns;
};

static void sleeper_body(void *arg) {
    struct sleeper *sl = arg;
    sl->arm_order = (*sl->armed)++;
    sl->before_ns = ptc_now_ns();
    ptc_coro_sleep_ns(sl->s, sl->duration_ns);
    sl->woke_ns = ptc_now_ns();
    sl->wake_order = (*sl->woken)++;
    sl->deadline_ns = ptc_coro_self(sl->s)->deadline_ns;
}

/* Sorts by (deadline, arming order): the order the timers must fire in. */
static int by_deadline(const void *a, const void *b) {
    const struct sleeper *x = *(const struct sleeper *const *)a;
    const struct sleeper *y = *(const struct sleeper *const *)b;
    if (x->deadline_ns != y->deadline_ns)
        return x->deadline_ns < y->deadline_ns ? -1 : 1;
    return x->arm_order < y->arm_order ? -1 : x->arm_order > y->arm_order;
}

static void test_timers_in_order_never_early(void **state) {
    static const uint32_t pattern_ms[] = {0, 1, 2, 5, 3, 1, 0, 2, 5, 3, 3, 0};
    const size_t n_pattern = sizeof pattern_ms / sizeof pattern_ms[0];
    struct ptc_sched s;
    coro_test_open(state, &s, NULL, NULL);
    struct sleeper sl[N_SLEEPERS];
    uint32_t armed = 0, woken = 0;
    for (uint32_t i = 0; i < N_SLEEPERS; i++) {
        /* The pattern, then durations in 0..6 ms with many duplicates, some sub-millisecond. */
        ptc_ns d = i < n_pattern ? pattern_ms[i] * PTC_NS_PER_MS
                                 : (ptc_ns)((i * 7919u) % 13u) * PTC_NS_PER_MS / 2;
        sl[i] = (struct sleeper){
            .s = &s, .duration_ns = d, .index = i, .armed = &armed, .woken = &woken};
        assert_int_equal(ptc_coro_spawn(&s, sleeper_body, &sl[i], NULL), 0);
    }
    coro_test_run(&s);
    assert_int_equal(woken, N_SLEEPERS);
    struct sleeper *sorted[N_SLEEPERS];
    for (uint32_t i = 0; i < N_SLEEPERS; i++) {
        const struct sleeper *x = &sl[i];
        sorted[i] = &sl[i];
        assert_int_equal(x->arm_order, i); /* FIFO: they armed in spawn order */
        if (x->deadline_ns < x->before_ns + x->duration_ns)
            fail_msg("sleeper %u: deadline %llu before its call + duration %llu", i,
                     (unsigned long long)x->deadline_ns,
                     (unsigned long long)(x->before_ns + x->duration_ns));
        if (x->woke_ns < x->deadline_ns)
            fail_msg("sleeper %u (%llu ns) woke %llu ns early", i,
                     (unsigned long long)x->duration_ns,
                     (unsigned long long)(x->deadline_ns - x->woke_ns));
        if (x->woke_ns - x->deadline_ns > coro_test_late_ns())
            fail_msg("sleeper %u (%llu ns) woke %llu ns late (tolerance %llu ns)", i,
                     (unsigned long long)x->duration_ns,
                     (unsigned long long)(x->woke_ns - x->deadline_ns),
                     (unsigned long long)coro_test_late_ns());
    }
    qsort(sorted, N_SLEEPERS, sizeof sorted[0], by_deadline);
    for (uint32_t k = 0; k < N_SLEEPERS; k++)
        if (sorted[k]->wake_order != k)
            fail_msg("wake %u should be sleeper %u (%llu ns, deadline %llu) but it woke %u-th", k,
                     sorted[k]->index, (unsigned long long)sorted[k]->duration_ns,
                     (unsigned long long)sorted[k]->deadline_ns, sorted[k]->wake_order);
    ptc_sched_fini(&s);
}

/* A coroutine that sleeps again and again keeps the promise each time, while others run. */
struct repeat {
    struct ptc_sched *s;
    ptc_ns duration_ns;
    unsigned early;
    ptc_ns worst_late_ns;
};

static void repeat_body(void *arg) {
    struct repeat *r = arg;
    for (int i = 0; i < 5; i++) {
        ptc_ns before = ptc_now_ns();
        ptc_coro_sleep_ns(r->s, r->duration_ns);
        ptc_ns after = ptc_now_ns();
        if (after - before < r->duration_ns)
            r->early++;
        else if (after - before - r->duration_ns > r->worst_late_ns)
            r->worst_late_ns = after - before - r->duration_ns;
    }
}

static void test_repeated_sleeps(void **state) {
    struct ptc_sched s;
    coro_test_open(state, &s, NULL, NULL);
    struct repeat r[4];
    for (int i = 0; i < 4; i++) {
        r[i] = (struct repeat){.s = &s, .duration_ns = (ptc_ns)i * 700 * PTC_NS_PER_US};
        assert_int_equal(ptc_coro_spawn(&s, repeat_body, &r[i], NULL), 0);
    }
    coro_test_run(&s);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(r[i].early, 0);
        if (r[i].worst_late_ns > coro_test_late_ns())
            fail_msg("sleeper %d: %llu ns late", i, (unsigned long long)r[i].worst_late_ns);
    }
    ptc_sched_fini(&s);
}

/* ---- the empty scheduler and bad options ---- */

static void test_run_with_nothing(void **state) {
    struct ptc_sched s;
    coro_test_open(state, &s, NULL, NULL);
    assert_int_equal(ptc_sched_run(&s), 0);
    assert_int_equal(ptc_sched_run(&s), 0);
    /* Usable again after a run. */
    struct coro_trace trace = {.len = 0};
    struct spawner x = {.s = &s, .trace = &trace, .name = "again"};
    assert_int_equal(ptc_coro_spawn(&s, leaf_body, &x, NULL), 0);
    coro_test_run(&s);
    assert_string_equal(trace.buf, "again");
    ptc_sched_fini(&s);
}

static void test_bad_options(void **state) {
    const struct coro_test_config *cfg = *state;
    struct ptc_sched s;
    struct ptc_sched_opts o = {.ctx = ptc_ctx_find(cfg->ctx), .poller = "no-such-poller"};
    assert_int_equal(ptc_sched_init(&s, &o), -EINVAL);
    o.poller = cfg->poller;
    o.stack.stack_bytes = 100; /* below two pages */
    assert_int_equal(ptc_sched_init(&s, &o), -EINVAL);
}

/* Regression: a sleep long enough to wrap the deadline around used to return at once. The
 * checker looks at the sleeper's timer, then (white box) empties the heap so the run can end
 * with the sleeper abandoned. */
struct huge_sleep {
    struct ptc_sched *s;
    int woke;
    ptc_ns deadline;
    size_t timers;
};

static void huge_sleeper(void *arg) {
    struct huge_sleep *h = arg;
    ptc_coro_sleep_ns(h->s, UINT64_MAX - 5);
    h->woke = 1;
}

static void huge_checker(void *arg) {
    struct huge_sleep *h = arg;
    ptc_coro_yield(h->s);
    struct ptc_timers *t = &h->s->timers;
    h->timers = ptc_timers_pending(t);
    h->deadline = ptc_timers_next(t);
    t->heap_n = 0;
    t->fifo_head = t->fifo_tail = 0;
}

static void test_huge_sleep_does_not_wrap(void **state) {
    struct ptc_sched s;
    coro_test_open(state, &s, NULL, NULL);
    struct huge_sleep h = {.s = &s};
    assert_int_equal(ptc_coro_spawn(&s, huge_sleeper, &h, NULL), 0);
    assert_int_equal(ptc_coro_spawn(&s, huge_checker, &h, NULL), 0);
    ptc_ns now = ptc_now_ns();
    assert_int_equal(ptc_sched_run(&s), 0);
    assert_int_equal(h.woke, 0);
    assert_int_equal(h.timers, 1);
    assert_true(h.deadline > now + 1000000000000000000ULL);
    ptc_sched_fini(&s);
}

/* ---- time limits on waits ---- */

#define LIMIT_NS (50 * PTC_NS_PER_MS)

/* One limited wait on a socket: `kind` (PTC_IO_POLL for readability, or PTC_IO_READ), and what
 * came of it. */
struct limited {
    struct ptc_sched *s;
    int fd;
    enum ptc_io_kind kind;
    ptc_ns limit_ns;
    int64_t result;
    ptc_ns waited_ns;
};

static void limited_body(void *arg) {
    struct limited *l = arg;
    char byte;
    struct ptc_io_op op = {
        .kind = l->kind, .fd = l->fd, .events = POLLIN, .buf = &byte, .len = 1, .off = -1};
    ptc_coro_limit_io(l->s, l->fd, l->limit_ns);
    ptc_ns t0 = ptc_now_ns();
    l->result = ptc_coro_io(l->s, &op);
    l->waited_ns = ptc_now_ns() - t0;
}

/* Writes a byte to fd after a 10 ms sleep. */
struct late_writer {
    struct ptc_sched *s;
    int fd;
};

static void late_writer_body(void *arg) {
    struct late_writer *w = arg;
    ptc_coro_sleep_ns(w->s, 10 * PTC_NS_PER_MS);
    CORO_CHECK(write(w->fd, "x", 1) == 1, "write: %s", strerror(errno));
}

/* A wait with nothing to come gives up with -ETIMEDOUT after its limit (never before); a wait
 * that completes within a long limit returns its result, and its disarmed timer does not hold
 * the run until the limit. Once with a readiness wait and, where the poller does reads itself
 * (io_uring), once with a read. */
static void test_wait_limits(void **state) {
    const struct coro_test_config *cfg = *state;
    enum ptc_io_kind kinds[] = {PTC_IO_POLL, PTC_IO_READ};
    size_t n_kinds = strcmp(cfg->poller, "io_uring") == 0 ? 2 : 1;
    for (size_t k = 0; k < n_kinds; k++) {
        struct ptc_sched s;
        coro_test_open(state, &s, NULL, NULL);
        int idle[2], busy[2];
        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, idle), 0);
        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, busy), 0);
        struct limited stuck = {.s = &s, .fd = idle[0], .kind = kinds[k], .limit_ns = LIMIT_NS};
        struct limited served = {
            .s = &s, .fd = busy[0], .kind = kinds[k], .limit_ns = 60 * PTC_NS_PER_S};
        struct late_writer w = {.s = &s, .fd = busy[1]};
        assert_int_equal(ptc_coro_spawn(&s, limited_body, &stuck, NULL), 0);
        assert_int_equal(ptc_coro_spawn(&s, limited_body, &served, NULL), 0);
        assert_int_equal(ptc_coro_spawn(&s, late_writer_body, &w, NULL), 0);
        ptc_ns t0 = ptc_now_ns();
        coro_test_run(&s);
        ptc_ns run_ns = ptc_now_ns() - t0;
        assert_int_equal(stuck.result, -ETIMEDOUT);
        assert_true(stuck.waited_ns >= LIMIT_NS);
        if (stuck.waited_ns > LIMIT_NS + coro_test_late_ns())
            fail_msg("the limited wait ended %llu ns after its limit",
                     (unsigned long long)(stuck.waited_ns - LIMIT_NS));
        assert_true(served.result == (kinds[k] == PTC_IO_READ ? 1 : POLLIN));
        if (run_ns > LIMIT_NS + coro_test_late_ns())
            fail_msg("the run took %llu ns: a finished wait's limit held it",
                     (unsigned long long)run_ns);
        assert_int_equal(ptc_timers_pending(&s.io_timers), 0);
        assert_int_equal(s.pending_io, 0);
        for (int i = 0; i < 2; i++) {
            close(idle[i]);
            close(busy[i]);
        }
        ptc_sched_fini(&s);
    }
}

int main(void) {
    static const struct coro_test_case cases[] = {
        {"huge_sleep_does_not_wrap", test_huge_sleep_does_not_wrap},
        {"fifo_yield_order", test_fifo_yield_order},
        {"many_coroutines_in_order", test_many_coroutines_in_order},
        {"ring_grows_while_wrapped", test_ring_grows_while_wrapped},
        {"spawn_from_coroutine", test_spawn_from_coroutine},
        {"spawn_tree", test_spawn_tree},
        {"yield_loop_does_not_starve_timers", test_yield_loop_does_not_starve_timers},
        {"deep_recursion", test_deep_recursion},
        {"timers_in_order_never_early", test_timers_in_order_never_early},
        {"repeated_sleeps", test_repeated_sleeps},
        {"run_with_nothing", test_run_with_nothing},
        {"bad_options", test_bad_options},
        {"wait_limits", test_wait_limits},
    };
    return coro_test_run_all("coro_sched", cases, sizeof cases / sizeof cases[0]);
}
