/* Coroutine groups (src/coro/group.c): ptc_group_join waits for every member, from inside a
 * coroutine and from outside; a bounded group never has more than its limit of members alive,
 * hands out slot ids in [0, limit) that no two live members share, suspends a spawner while it
 * is full and resumes it when a member ends; outside a coroutine a full group is -EBUSY. Every
 * test runs once per switch backend and poller. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ptc_test.h"

#include "coro_test.h"

#include <errno.h>

#define MAX_MEMBERS 64
#define MAX_LIMIT   8

/* What the members of one test share. */
struct world {
    struct ptc_sched *s;
    struct ptc_coro_group *g;
    struct coro_trace trace;
    uint32_t live, peak, started, ended;
    int slot_used[MAX_LIMIT]; /* bounded groups: which slot ids live members hold */
    uint32_t n_members;
    uint32_t ended_when_spawned[MAX_MEMBERS]; /* ended, when the feeder's spawn k returned */
    int spawn_rc[MAX_MEMBERS];
};

struct member {
    struct world *w;
    uint32_t id;
};

/* A member: checks its slot, then waits a little (sleeps or yields, by its id) so members end
 * out of spawn order. */
static void member_body(void *arg) {
    struct member *m = arg;
    struct world *w = m->w;
    struct ptc_coro *self = ptc_coro_self(w->s);
    CORO_CHECK(self != NULL && self->owner == &w->g->owner, "member %u: not in its group", m->id);
    w->started++;
    if (++w->live > w->peak)
        w->peak = w->live;
    uint32_t limit = w->g->limit;
    uint32_t slot = self->slot;
    if (limit != 0) {
        CORO_CHECK(slot < limit, "member %u: slot %u outside [0, %u)", m->id, slot, limit);
        if (slot < limit) {
            CORO_CHECK(!w->slot_used[slot], "member %u: slot %u already held", m->id, slot);
            w->slot_used[slot] = 1;
        }
    }
    CORO_CHECK(w->g->live <= (limit ? limit : UINT64_MAX), "group live %llu over its limit %u",
               (unsigned long long)w->g->live, limit);
    coro_trace_add(&w->trace, "s%u", m->id);
    if (m->id % 3 == 0)
        ptc_coro_sleep_ns(w->s, (m->id % 4) * PTC_NS_PER_MS / 2);
    for (uint32_t i = 0; i < m->id % 5; i++)
        ptc_coro_yield(w->s);
    coro_trace_add(&w->trace, "e%u", m->id);
    if (limit != 0 && slot < limit)
        w->slot_used[slot] = 0;
    w->live--;
    w->ended++;
}

static struct world *new_world(struct ptc_sched *s, struct ptc_coro_group *g, uint32_t n) {
    struct world *w = calloc(1, sizeof *w);
    assert_non_null(w);
    w->s = s;
    w->g = g;
    w->n_members = n;
    return w;
}

static void check_all_ended(const struct world *w) {
    assert_int_equal(w->started, w->n_members);
    assert_int_equal(w->ended, w->n_members);
    assert_int_equal(w->live, 0);
    assert_int_equal(w->g->live, 0);
    for (uint32_t i = 0; i < MAX_LIMIT; i++)
        assert_int_equal(w->slot_used[i], 0);
}

/* ---- join ---- */

struct joiner {
    struct world *w;
    struct member members[MAX_MEMBERS];
    int join_rc, second_join_rc;
    uint32_t ended_at_join; /* members ended when the join returned */
};

static void joiner_body(void *arg) {
    struct joiner *j = arg;
    struct world *w = j->w;
    for (uint32_t i = 0; i < w->n_members; i++) {
        j->members[i] = (struct member){.w = w, .id = i};
        int rc = ptc_group_spawn(w->s, w->g, member_body, &j->members[i]);
        CORO_CHECK(rc == 0, "spawn %u: %d", i, rc);
    }
    coro_trace_add(&w->trace, "join");
    j->join_rc = ptc_group_join(w->s, w->g);
    j->ended_at_join = w->ended;
    coro_trace_add(&w->trace, "joined");
    /* Joining a group with nothing left returns at once. */
    j->second_join_rc = ptc_group_join(w->s, w->g);
}

static void check_join_inside(void **state, uint32_t limit) {
    struct ptc_sched s;
    coro_test_open(state, &s, NULL, NULL);
    struct ptc_coro_group g;
    assert_int_equal(ptc_group_init(&g, limit), 0);
    struct world *w = new_world(&s, &g, 12);
    struct joiner *j = calloc(1, sizeof *j);
    assert_non_null(j);
    j->w = w;
    assert_int_equal(ptc_coro_spawn(&s, joiner_body, j, NULL), 0);
    coro_test_run(&s);
    assert_int_equal(j->join_rc, 0);
    assert_int_equal(j->second_join_rc, 0);
    assert_int_equal(j->ended_at_join, w->n_members);
    check_all_ended(w);
    /* "joined" is the last word of the trace: after every member's end. */
    const char *last = strrchr(w->trace.buf, ' ');
    assert_non_null(last);
    assert_string_equal(last + 1, "joined");
    if (limit != 0)
        assert_true(g.peak_live <= limit);
    else
        assert_int_equal(g.peak_live, w->n_members); /* all spawned before any ran */
    ptc_group_fini(&g);
    free(j);
    free(w);
    ptc_sched_fini(&s);
}

static void test_join_inside_coroutine(void **state) {
    check_join_inside(state, 0);
    check_join_inside(state, 3);
}

static void test_join_outside(void **state) {
    struct ptc_sched s;
    coro_test_open(state, &s, NULL, NULL);
    struct ptc_coro_group g;
    assert_int_equal(ptc_group_init(&g, 0), 0);
    struct world *w = new_world(&s, &g, 10);
    struct member m[10];
    for (uint32_t i = 0; i < 10; i++) {
        m[i] = (struct member){.w = w, .id = i};
        assert_int_equal(ptc_group_spawn(&s, &g, member_body, &m[i]), 0);
        assert_int_equal(g.live, i + 1);
    }
    assert_int_equal(w->started, 0); /* nothing runs before the join */
    assert_int_equal(ptc_group_join(&s, &g), 0);
    coro_test_assert_no_failures();
    check_all_ended(w);
    assert_int_equal(s.live, 0);
    assert_int_equal(g.peak_live, 10);
    /* Joining an empty group from outside returns at once too. */
    assert_int_equal(ptc_group_join(&s, &g), 0);
    ptc_group_fini(&g);
    free(w);
    ptc_sched_fini(&s);
}

/* ---- bounded groups ---- */

struct feeder {
    struct world *w;
    struct member *members;
    uint32_t first, count; /* member ids first..first+count-1 */
};

static void feeder_body(void *arg) {
    struct feeder *f = arg;
    struct world *w = f->w;
    for (uint32_t k = f->first; k < f->first + f->count; k++) {
        f->members[k] = (struct member){.w = w, .id = k};
        w->spawn_rc[k] = ptc_group_spawn(w->s, w->g, member_body, &f->members[k]);
        w->ended_when_spawned[k] = w->ended;
        CORO_CHECK(w->g->live <= w->g->limit, "after spawn %u: %llu live, limit %u", k,
                   (unsigned long long)w->g->live, w->g->limit);
    }
}

static void check_bounded(void **state, uint32_t limit, uint32_t n, uint32_t feeders) {
    struct ptc_sched s;
    coro_test_open(state, &s, NULL, NULL);
    struct ptc_coro_group g;
    assert_int_equal(ptc_group_init(&g, limit), 0);
    struct world *w = new_world(&s, &g, n);
    struct member *members = calloc(n, sizeof *members);
    struct feeder f[4];
    assert_non_null(members);
    assert_true(feeders <= 4 && n % feeders == 0);
    for (uint32_t i = 0; i < feeders; i++) {
        f[i] = (struct feeder){
            .w = w, .members = members, .first = i * n / feeders, .count = n / feeders};
        assert_int_equal(ptc_coro_spawn(&s, feeder_body, &f[i], NULL), 0);
    }
    coro_test_run(&s);
    check_all_ended(w);
    for (uint32_t k = 0; k < n; k++)
        assert_int_equal(w->spawn_rc[k], 0);
    if (w->peak != limit || g.peak_live != limit)
        fail_msg("limit %u, %u feeder(s): peak %u members alive (group says %llu)", limit, feeders,
                 w->peak, (unsigned long long)g.peak_live);
    if (feeders == 1) {
        /* The feeder was suspended on the full group and resumed as members ended: spawn k
         * returned only once k - limit + 1 members had ended. */
        for (uint32_t k = limit; k < n; k++)
            if (w->ended_when_spawned[k] < k - limit + 1)
                fail_msg("limit %u: spawn %u returned with %u member(s) ended", limit, k,
                         w->ended_when_spawned[k]);
        for (uint32_t k = 0; k < limit; k++)
            assert_int_equal(w->ended_when_spawned[k], 0);
    }
    ptc_group_fini(&g);
    free(members);
    free(w);
    ptc_sched_fini(&s);
}

static void test_bounded_group(void **state) {
    check_bounded(state, 1, 6, 1);
    check_bounded(state, 3, 24, 1);
    check_bounded(state, 4, 24, 2); /* two spawners waiting on the same full group */
    check_bounded(state, 2, 24, 3);
}

/* Slot ids: the first spawns take 0, 1, ...; a freed slot is handed out again. */
struct slots {
    struct ptc_sched *s;
    uint32_t seen[4];
};

static void record_slot(void *arg) {
    struct slots *sl = arg;
    struct ptc_coro *self = ptc_coro_self(sl->s);
    sl->seen[self->slot]++;
}

static void test_slots_reused(void **state) {
    struct ptc_sched s;
    coro_test_open(state, &s, NULL, NULL);
    struct ptc_coro_group g;
    assert_int_equal(ptc_group_init(&g, 4), 0);
    struct slots sl = {.s = &s};
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 4; i++)
            assert_int_equal(ptc_group_spawn(&s, &g, record_slot, &sl), 0);
        assert_int_equal(g.n_free, 0);
        coro_test_run(&s);
        assert_int_equal(g.n_free, 4);
    }
    for (int i = 0; i < 4; i++)
        assert_int_equal(sl.seen[i], 3);
    ptc_group_fini(&g);
    ptc_sched_fini(&s);
}

static void test_full_group_outside_is_ebusy(void **state) {
    struct ptc_sched s;
    coro_test_open(state, &s, NULL, NULL);
    struct ptc_coro_group g;
    assert_int_equal(ptc_group_init(&g, 2), 0);
    struct world *w = new_world(&s, &g, 2);
    struct member m[3] = {{w, 0}, {w, 1}, {w, 2}};
    assert_int_equal(ptc_group_spawn(&s, &g, member_body, &m[0]), 0);
    assert_int_equal(ptc_group_spawn(&s, &g, member_body, &m[1]), 0);
    assert_int_equal(ptc_group_spawn(&s, &g, member_body, &m[2]), -EBUSY);
    assert_int_equal(g.live, 2);
    assert_int_equal(s.live, 2); /* nothing was spawned by the refused call */
    assert_int_equal(ptc_group_join(&s, &g), 0);
    coro_test_assert_no_failures();
    check_all_ended(w);
    /* Room again once the members ended. */
    w->n_members = 3;
    assert_int_equal(ptc_group_spawn(&s, &g, member_body, &m[2]), 0);
    coro_test_run(&s);
    check_all_ended(w);
    ptc_group_fini(&g);
    free(w);
    ptc_sched_fini(&s);
}

/* A coroutine spawning into a group with no stacks left gets the error back, not a hang. */
struct starved_feeder {
    struct ptc_sched *s;
    struct ptc_coro_group *g;
    int rc[4];
};

static void nothing(void *arg) {}

static void starved_feeder_body(void *arg) {
    struct starved_feeder *f = arg;
    for (int i = 0; i < 4; i++)
        f->rc[i] = ptc_group_spawn(f->s, f->g, nothing, NULL);
}

static void test_spawn_error_in_group(void **state) {
    struct ptc_sched s;
    struct ptc_stack_opts o = {.max_stacks = 3}; /* the feeder and two members */
    coro_test_open(state, &s, &o, NULL);
    struct ptc_coro_group g;
    assert_int_equal(ptc_group_init(&g, 0), 0);
    struct starved_feeder f = {.s = &s, .g = &g};
    assert_int_equal(ptc_coro_spawn(&s, starved_feeder_body, &f, NULL), 0);
    coro_test_run(&s);
    assert_int_equal(f.rc[0], 0);
    assert_int_equal(f.rc[1], 0);
    assert_int_equal(f.rc[2], -EAGAIN);
    assert_int_equal(f.rc[3], -EAGAIN);
    assert_int_equal(g.live, 0);
    assert_int_equal(g.peak_live, 2);
    ptc_group_fini(&g);
    ptc_sched_fini(&s);
}

/* Regression: a second coroutine joining the same group used to replace the first, which then
 * never resumed. Every joiner must resume once the members end. */
struct two_joiners {
    struct ptc_sched *s;
    struct ptc_coro_group *g;
    int resumed;
};

static void sleeping_member(void *arg) {
    struct two_joiners *t = arg;
    ptc_coro_sleep_ns(t->s, PTC_NS_PER_MS);
}

static void joining(void *arg) {
    struct two_joiners *t = arg;
    ptc_group_join(t->s, t->g);
    t->resumed++;
}

static void test_two_joiners(void **state) {
    struct ptc_sched s;
    coro_test_open(state, &s, NULL, NULL);
    struct ptc_coro_group g;
    assert_int_equal(ptc_group_init(&g, 0), 0);
    struct two_joiners t = {.s = &s, .g = &g};
    assert_int_equal(ptc_group_spawn(&s, &g, sleeping_member, &t), 0);
    assert_int_equal(ptc_coro_spawn(&s, joining, &t, NULL), 0);
    assert_int_equal(ptc_coro_spawn(&s, joining, &t, NULL), 0);
    assert_int_equal(ptc_sched_run(&s), 0);
    assert_int_equal(t.resumed, 2);
    assert_int_equal(s.live, 0);
    ptc_group_fini(&g);
    ptc_sched_fini(&s);
}

int main(void) {
    static const struct coro_test_case cases[] = {
        {"join_inside_coroutine", test_join_inside_coroutine},
        {"join_outside", test_join_outside},
        {"two_joiners", test_two_joiners},
        {"bounded_group", test_bounded_group},
        {"slots_reused", test_slots_reused},
        {"full_group_outside_is_ebusy", test_full_group_outside_is_ebusy},
        {"spawn_error_in_group", test_spawn_error_in_group},
    };
    return coro_test_run_all("coro_group", cases, sizeof cases / sizeof cases[0]);
}
