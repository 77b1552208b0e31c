/* The timers (src/coro/timers.c) on their own, with no scheduler and no clock: deadlines chosen
 * by the test, many of them equal, expired at chosen times. Expired timers must reach the wake
 * callback in (deadline, arming order), never before their deadline, and none may be lost. The
 * scheduler's use of the timers against the real clock is in test_coro_sched.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "coro/timers.h"
#include "ptc_test.h"

#include <errno.h>

#define N_TIMERS 3000

/* Deterministic pseudo-random numbers (xorshift64). */
static uint64_t next_random(uint64_t *x) {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* A timer in the tests: its deadline, and where it was armed. */
struct item {
    ptc_ns deadline_ns;
};

/* What the wake callback saw, in order. */
struct woken {
    struct item **items;
    size_t n, cap;
};

static void record(void *ctx, void *data) {
    struct woken *w = ctx;
    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 1024;
        w->items = realloc(w->items, w->cap * sizeof *w->items);
        assert_non_null(w->items);
    }
    w->items[w->n++] = data;
}

/* The next item woken since the last call, or NULL. */
static struct item *next_woken(struct woken *w, size_t *seen) {
    return *seen < w->n ? w->items[(*seen)++] : NULL;
}

/* Deadline i of a series 10 ns apart (armed in order: the FIFO's), except that every `every`-th
 * one is drawn below it (out of order: the heap's). */
static ptc_ns mixed_deadline(size_t i, size_t every, uint64_t *x) {
    return i % every == every - 1 ? next_random(x) % (10 * i + 1) : 10 * i;
}

static int push(struct ptc_timers *t, struct item *it) {
    return ptc_timers_push(t, it->deadline_ns, it);
}

static void test_empty_heap(void **state) {
    struct woken w = {0};
    struct ptc_timers s;
    size_t seen = 0;
    ptc_timers_init(&s, record, &w);
    assert_int_equal(ptc_timers_next(&s), PTC_DEADLINE_NONE);
    ptc_timers_expire(&s, UINT64_MAX);
    assert_int_equal(w.n, seen);
    ptc_timers_fini(&s);
    free(w.items);
}

/* Pushes N_TIMERS timers with deadlines in [0, spread) (so many equal ones), then expires them
 * at increasing times; checks each batch against the (deadline, arming order) sort. */
static void check_heap(uint64_t seed, ptc_ns spread, ptc_ns step) {
    struct woken w = {0};
    struct ptc_timers s;
    size_t seen = 0;
    ptc_timers_init(&s, record, &w);
    struct item *coros = calloc(N_TIMERS, sizeof *coros);
    assert_non_null(coros);
    uint64_t x = seed;
    for (size_t i = 0; i < N_TIMERS; i++) {
        coros[i].deadline_ns = next_random(&x) % spread;
        assert_int_equal(push(&s, &coros[i]), 0);
        assert_int_equal(ptc_timers_pending(&s), i + 1);
    }
    size_t got = 0;
    ptc_ns prev_deadline = 0;
    size_t prev_index = 0;
    for (ptc_ns now = 0; got < N_TIMERS; now += step) {
        ptc_ns next = ptc_timers_next(&s);
        ptc_timers_expire(&s, now);
        bool any = false;
        struct item *c;
        while ((c = next_woken(&w, &seen)) != NULL) {
            size_t index = (size_t)(c - coros);
            if (c->deadline_ns > now)
                fail_msg("timer %zu (deadline %llu) expired early, at %llu", index,
                         (unsigned long long)c->deadline_ns, (unsigned long long)now);
            if (!any && c->deadline_ns != next)
                fail_msg("ptc_timers_next said %llu, the first expired has %llu",
                         (unsigned long long)next, (unsigned long long)c->deadline_ns);
            if (got > 0 && (c->deadline_ns < prev_deadline ||
                            (c->deadline_ns == prev_deadline && index < prev_index)))
                fail_msg("timer %zu (%llu) came out after timer %zu (%llu)", index,
                         (unsigned long long)c->deadline_ns, prev_index,
                         (unsigned long long)prev_deadline);
            prev_deadline = c->deadline_ns;
            prev_index = index;
            got++;
            any = true;
        }
        /* Whatever is left is due later than now. */
        if (ptc_timers_pending(&s) > 0 && ptc_timers_next(&s) <= now)
            fail_msg("a timer due at %llu was left in the heap at %llu",
                     (unsigned long long)ptc_timers_next(&s), (unsigned long long)now);
        if (now > spread + step)
            fail_msg("%zu timers never expired", N_TIMERS - got);
    }
    assert_int_equal(ptc_timers_pending(&s), 0);
    assert_int_equal(ptc_timers_next(&s), PTC_DEADLINE_NONE);
    free(coros);
    ptc_timers_fini(&s);
    free(w.items);
}

/* Deadlines armed in increasing order (one sleep duration: they all take the FIFO) with some out
 * of order in between (they take the heap): one order out of both. */
static void test_fifo_and_heap(void **state) {
    struct woken w = {0};
    struct ptc_timers s;
    size_t seen = 0;
    ptc_timers_init(&s, record, &w);
    enum { N = 5000 };
    struct item *coros = calloc(N, sizeof *coros);
    assert_non_null(coros);
    uint64_t x = 7;
    for (size_t i = 0; i < N; i++) {
        coros[i].deadline_ns = mixed_deadline(i, 10, &x);
        assert_int_equal(push(&s, &coros[i]), 0);
    }
    assert_true(s.heap_n > 0 && s.fifo_tail - s.fifo_head > 0); /* both took some */
    ptc_ns prev = 0;
    size_t got = 0;
    ptc_timers_expire(&s, UINT64_MAX);
    struct item *c;
    while ((c = next_woken(&w, &seen)) != NULL) {
        assert_true(c->deadline_ns >= prev);
        prev = c->deadline_ns;
        got++;
    }
    assert_int_equal(got, N);
    assert_int_equal(ptc_timers_pending(&s), 0);
    free(coros);
    ptc_timers_fini(&s);
    free(w.items);
}

static void test_heap_order(void **state) {
    check_heap(1, 1000, 1); /* ~3 timers per deadline, one deadline at a time */
    check_heap(2, 50, 7);   /* ~60 per deadline, several deadlines per expiry */
    check_heap(3, 1, 1);    /* all equal: arming order alone */
    check_heap(4, 1u << 30, 1u << 20);
}

/* Pushing while expiring: timers armed after others with the same deadline still come after. */
static void test_interleaved_push_and_expire(void **state) {
    struct woken w = {0};
    struct ptc_timers s;
    size_t seen = 0;
    ptc_timers_init(&s, record, &w);
    struct item c[6] = {{.deadline_ns = 10}, {.deadline_ns = 5},  {.deadline_ns = 10},
                        {.deadline_ns = 20}, {.deadline_ns = 10}, {.deadline_ns = 5}};
    for (int i = 0; i < 4; i++)
        assert_int_equal(push(&s, &c[i]), 0);
    ptc_timers_expire(&s, 4);
    assert_int_equal(w.n, seen);
    ptc_timers_expire(&s, 5);
    assert_ptr_equal(next_woken(&w, &seen), &c[1]);
    assert_null(next_woken(&w, &seen));
    assert_int_equal(push(&s, &c[4]), 0);
    assert_int_equal(push(&s, &c[5]), 0); /* due already: expires with the next */
    assert_int_equal(ptc_timers_next(&s), 5);
    ptc_timers_expire(&s, 10);
    assert_ptr_equal(next_woken(&w, &seen), &c[5]);
    assert_ptr_equal(next_woken(&w, &seen), &c[0]);
    assert_ptr_equal(next_woken(&w, &seen), &c[2]);
    assert_ptr_equal(next_woken(&w, &seen), &c[4]);
    assert_null(next_woken(&w, &seen));
    assert_int_equal(ptc_timers_next(&s), 20);
    ptc_timers_expire(&s, UINT64_MAX);
    assert_ptr_equal(next_woken(&w, &seen), &c[3]);
    assert_int_equal(s.heap_n, 0);
    ptc_timers_fini(&s);
    free(w.items);
}

/* A wake callback may arm timers: one due already fires in the same expiry, after the one being
 * woken; one due later waits. */
struct rearm {
    struct ptc_timers t;
    struct item items[4];
    size_t woken[4];
    size_t n;
};

static void rearm_wake(void *ctx, void *data) {
    struct rearm *r = ctx;
    size_t i = (size_t)((struct item *)data - r->items);
    r->woken[r->n++] = i;
    if (i < 2) /* item 0 arms item 2 (due now), item 1 arms item 3 (due later) */
        assert_int_equal(push(&r->t, &r->items[i + 2]), 0);
}

static void test_wake_may_arm(void **state) {
    struct rearm r = {
        .items = {
            {.deadline_ns = 5}, {.deadline_ns = 6}, {.deadline_ns = 7}, {.deadline_ns = 100}}};
    ptc_timers_init(&r.t, rearm_wake, &r);
    assert_int_equal(push(&r.t, &r.items[0]), 0);
    assert_int_equal(push(&r.t, &r.items[1]), 0);
    ptc_timers_expire(&r.t, 10);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.woken[0], 0);
    assert_int_equal(r.woken[1], 1);
    assert_int_equal(r.woken[2], 2);
    assert_int_equal(ptc_timers_pending(&r.t), 1);
    assert_int_equal(ptc_timers_next(&r.t), 100);
    ptc_timers_fini(&r.t);
}

/* Timers cancelled at random (FIFO head, middle and tail, and heap entries) never fire; the
 * others fire once each, in order; pending counts only live ones; a second cancel and a cancel
 * of an expired timer are refused. */
static void test_cancel(void **state) {
    enum { N = 4000 };
    struct item *items = calloc(N, sizeof *items);
    uint64_t *ids = calloc(N, sizeof *ids);
    bool *cancelled = calloc(N, sizeof *cancelled);
    assert_true(items != NULL && ids != NULL && cancelled != NULL);
    struct woken w = {0};
    size_t seen = 0, live = 0;
    struct ptc_timers s;
    ptc_timers_init(&s, record, &w);
    uint64_t x = 11;
    for (size_t i = 0; i < N; i++) {
        items[i].deadline_ns = mixed_deadline(i, 7, &x);
        assert_int_equal(ptc_timers_arm(&s, items[i].deadline_ns, &items[i], &ids[i]), 0);
        live++;
        /* Cancel a random earlier one now and then, and often the newest (the FIFO's tail). */
        size_t victim = next_random(&x) % 3 == 0 ? i : (size_t)(next_random(&x) % (i + 1));
        if (!cancelled[victim] && next_random(&x) % 2 == 0) {
            assert_int_equal(ptc_timers_cancel(&s, ids[victim]), 0);
            assert_int_equal(ptc_timers_cancel(&s, ids[victim]), -ENOENT);
            cancelled[victim] = true;
            live--;
        }
        assert_int_equal(ptc_timers_pending(&s), live);
    }
    size_t got = 0;
    ptc_ns prev = 0;
    for (ptc_ns now = 0; ptc_timers_pending(&s) > 0; now += 1000) {
        ptc_timers_expire(&s, now);
        struct item *c;
        while ((c = next_woken(&w, &seen)) != NULL) {
            size_t i = (size_t)(c - items);
            if (cancelled[i])
                fail_msg("cancelled timer %zu fired", i);
            assert_true(c->deadline_ns >= prev && c->deadline_ns <= now);
            prev = c->deadline_ns;
            cancelled[i] = true; /* fires once */
            got++;
        }
        if (ptc_timers_pending(&s) > 0)
            assert_true(ptc_timers_next(&s) > now);
    }
    assert_int_equal(got, live);
    assert_int_equal(ptc_timers_next(&s), PTC_DEADLINE_NONE);
    assert_int_equal(ptc_timers_cancel(&s, ids[0]), -ENOENT);
    free(items);
    free(ids);
    free(cancelled);
    ptc_timers_fini(&s);
    free(w.items);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_heap),    cmocka_unit_test(test_heap_order),
        cmocka_unit_test(test_fifo_and_heap), cmocka_unit_test(test_interleaved_push_and_expire),
        cmocka_unit_test(test_wake_may_arm),  cmocka_unit_test(test_cancel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
