/* The timer heap (src/coro/timers.c) on its own, with no clock: deadlines chosen by the test,
 * many of them equal, expired at chosen times. Expired coroutines must come out in (deadline,
 * arming order), never before their deadline, and none may be lost. The scheduler's use of the
 * heap against the real clock is in test_coro_sched.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "coro/sched.h"
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

#define RQ_CAP                                                                                     \
    8192 /* a power of two above any timer count here: the ring holds every expired timer */

/* A scheduler with only what the heap touches: the heap and the run queue, a ring of RQ_CAP. */
static void empty_sched(struct ptc_sched *s) {
    memset(s, 0, sizeof *s);
    s->rq = calloc(RQ_CAP, sizeof *s->rq);
    assert_non_null(s->rq);
    s->rq_mask = RQ_CAP - 1;
}

static void free_sched(struct ptc_sched *s) {
    free(s->rq);
    free(s->heap);
    free(s->fifo);
}

static void test_empty_heap(void **state) {
    struct ptc_sched s;
    empty_sched(&s);
    assert_int_equal(ptc_timers_next(&s), PTC_DEADLINE_NONE);
    ptc_timers_expire(&s, UINT64_MAX);
    assert_int_equal(s.rq_len, 0);
    free_sched(&s);
}

/* Pushes N_TIMERS timers with deadlines in [0, spread) (so many equal ones), then expires them
 * at increasing times; checks each batch against the (deadline, arming order) sort. */
static void check_heap(uint64_t seed, ptc_ns spread, ptc_ns step) {
    struct ptc_sched s;
    empty_sched(&s);
    struct ptc_coro *coros = calloc(N_TIMERS, sizeof *coros);
    assert_non_null(coros);
    uint64_t x = seed;
    for (size_t i = 0; i < N_TIMERS; i++) {
        coros[i].deadline_ns = next_random(&x) % spread;
        assert_int_equal(ptc_timers_push(&s, &coros[i]), 0);
        assert_int_equal(ptc_timers_pending(&s), i + 1);
    }
    size_t got = 0;
    ptc_ns prev_deadline = 0;
    size_t prev_index = 0;
    for (ptc_ns now = 0; got < N_TIMERS; now += step) {
        ptc_ns next = ptc_timers_next(&s);
        ptc_timers_expire(&s, now);
        bool any = false;
        struct ptc_coro *c;
        while ((c = ptc_rq_pop(&s)) != NULL) {
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
    free_sched(&s);
}

/* Deadlines armed in increasing order (one sleep duration: they all take the FIFO) with some out
 * of order in between (they take the heap): one order out of both. */
static void test_fifo_and_heap(void **state) {
    struct ptc_sched s;
    empty_sched(&s);
    enum { N = 5000 };
    struct ptc_coro *coros = calloc(N, sizeof *coros);
    assert_non_null(coros);
    uint64_t x = 7;
    for (size_t i = 0; i < N; i++) {
        coros[i].deadline_ns = i % 10 == 9 ? next_random(&x) % (10 * i + 1) : 10 * i;
        assert_int_equal(ptc_timers_push(&s, &coros[i]), 0);
    }
    assert_true(s.heap_n > 0 && s.fifo_tail - s.fifo_head > 0);
    ptc_ns prev = 0;
    size_t got = 0;
    ptc_timers_expire(&s, UINT64_MAX);
    struct ptc_coro *c;
    while ((c = ptc_rq_pop(&s)) != NULL) {
        assert_true(c->deadline_ns >= prev);
        prev = c->deadline_ns;
        got++;
    }
    assert_int_equal(got, N);
    assert_int_equal(ptc_timers_pending(&s), 0);
    free(coros);
    free_sched(&s);
}

static void test_heap_order(void **state) {
    check_heap(1, 1000, 1); /* ~3 timers per deadline, one deadline at a time */
    check_heap(2, 50, 7);   /* ~60 per deadline, several deadlines per expiry */
    check_heap(3, 1, 1);    /* all equal: arming order alone */
    check_heap(4, 1u << 30, 1u << 20);
}

/* Pushing while expiring: timers armed after others with the same deadline still come after. */
static void test_interleaved_push_and_expire(void **state) {
    struct ptc_sched s;
    empty_sched(&s);
    struct ptc_coro c[6] = {{.deadline_ns = 10}, {.deadline_ns = 5},  {.deadline_ns = 10},
                            {.deadline_ns = 20}, {.deadline_ns = 10}, {.deadline_ns = 5}};
    for (int i = 0; i < 4; i++)
        assert_int_equal(ptc_timers_push(&s, &c[i]), 0);
    ptc_timers_expire(&s, 4);
    assert_int_equal(s.rq_len, 0);
    ptc_timers_expire(&s, 5);
    assert_ptr_equal(ptc_rq_pop(&s), &c[1]);
    assert_null(ptc_rq_pop(&s));
    assert_int_equal(ptc_timers_push(&s, &c[4]), 0);
    assert_int_equal(ptc_timers_push(&s, &c[5]), 0); /* due already: expires with the next */
    assert_int_equal(ptc_timers_next(&s), 5);
    ptc_timers_expire(&s, 10);
    assert_ptr_equal(ptc_rq_pop(&s), &c[5]);
    assert_ptr_equal(ptc_rq_pop(&s), &c[0]);
    assert_ptr_equal(ptc_rq_pop(&s), &c[2]);
    assert_ptr_equal(ptc_rq_pop(&s), &c[4]);
    assert_null(ptc_rq_pop(&s));
    assert_int_equal(ptc_timers_next(&s), 20);
    ptc_timers_expire(&s, UINT64_MAX);
    assert_ptr_equal(ptc_rq_pop(&s), &c[3]);
    assert_int_equal(s.heap_n, 0);
    free_sched(&s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_heap),
        cmocka_unit_test(test_heap_order),
        cmocka_unit_test(test_fifo_and_heap),
        cmocka_unit_test(test_interleaved_push_and_expire),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
