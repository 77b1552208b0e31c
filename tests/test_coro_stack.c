/* Coroutine stacks (src/coro/stack.c), on their own and through the scheduler: a finished
 * coroutine's stack is reused, running out of stacks is an error and not a crash, unpooled stacks
 * are mapped and unmapped one by one, absurd sizes are refused, and guard pages are inaccessible
 * (checked in /proc/self/maps and by a child that touches one). The scheduler tests run once per
 * switch backend and poller. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ptc_test.h"

#include "coro_test.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>

static size_t page_bytes(void) {
    return (size_t)sysconf(_SC_PAGESIZE);
}

/* True when [addr, addr + 1) is mapped: mincore fails with ENOMEM on unmapped memory. */
static bool is_mapped(const void *addr) {
    unsigned char vec;
    uintptr_t page = (uintptr_t)addr & ~(uintptr_t)(page_bytes() - 1);
    return mincore((void *)page, 1, &vec) == 0;
}

/* The permissions ("rw-p", "---p") of the mapping holding addr in /proc/self/maps, or "" when
 * none does. */
static void perms_of(const void *addr, char perms[5]) {
    perms[0] = '\0';
    FILE *fp = fopen("/proc/self/maps", "r");
    assert_non_null(fp);
    char line[512];
    while (fgets(line, sizeof line, fp) != NULL) {
        unsigned long lo, hi;
        char p[5];
        if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) != 3)
            continue;
        if ((uintptr_t)addr >= lo && (uintptr_t)addr < hi) {
            memcpy(perms, p, 5);
            break;
        }
    }
    fclose(fp);
}

static void assert_perms(const void *addr, const char *want) {
    char got[5];
    perms_of(addr, got);
    if (strcmp(got, want) != 0)
        fail_msg("%p: mapping permissions '%s', expected '%s'", addr, got, want);
}

static void exit_on_segv(int sig) {
    _exit(42);
}

/* Reads the byte at addr in a forked child: true when that faulted (SIGSEGV). The child
 * catches the signal itself, so that a sanitizer's own SIGSEGV handler does not turn the fault
 * into a report and a different exit status. */
static bool touch_faults(const void *addr) {
    /* The pool marks its stacks MADV_DONTFORK (a forked child never runs them): give the page
     * and its neighbours back to the child for this probe. */
    long page = sysconf(_SC_PAGESIZE);
    char *base = (char *)((uintptr_t)addr & ~(uintptr_t)(page - 1)) - page;
    madvise(base, 3 * (size_t)page, MADV_DOFORK);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct sigaction sa = {.sa_handler = exit_on_segv};
        sigemptyset(&sa.sa_mask);
        sigaction(SIGSEGV, &sa, NULL);
        sigaction(SIGBUS, &sa, NULL);
        volatile const char *p = addr;
        char c = *p;
        (void)c;
        _exit(0);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 42)
        return true;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return false;
    fail_msg("the child touching %p ended with status 0x%x", addr, status);
    return false;
}

/* ---- the pool on its own ---- */

static void test_init_rejects_absurd_sizes(void **state) {
    const size_t page = page_bytes();
    const size_t bad[] = {1,       100, page, 2 * page - 1, 64u * 1024u * 1024u + 1, SIZE_MAX / 2,
                          SIZE_MAX};
    struct ptc_stack_pool p;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ptc_stack_opts o = {.stack_bytes = bad[i]};
        if (ptc_stack_pool_init(&p, &o) != -EINVAL)
            fail_msg("stack_bytes %zu was accepted", bad[i]);
    }
    struct ptc_stack_opts o = {.stack_bytes = 0};
    assert_int_equal(ptc_stack_pool_init(&p, &o), 0);
    assert_int_equal(p.o.stack_bytes, PTC_STACK_DEFAULT_BYTES);
    assert_int_equal(p.arena_count, 0); /* maps nothing yet */
    ptc_stack_pool_fini(&p);
    o.stack_bytes = 2 * page + 1; /* rounded up to pages */
    assert_int_equal(ptc_stack_pool_init(&p, &o), 0);
    assert_int_equal(p.o.stack_bytes, 3 * page);
    ptc_stack_pool_fini(&p);
    o.stack_bytes = 64u * 1024u * 1024u;
    assert_int_equal(ptc_stack_pool_init(&p, &o), 0);
    ptc_stack_pool_fini(&p);
}

static void test_pool_reuses_lifo(void **state) {
    struct ptc_stack_opts o = {0};
    struct ptc_stack_pool p;
    assert_int_equal(ptc_stack_pool_init(&p, &o), 0);
    void *a, *b, *c, *x;
    assert_int_equal(ptc_stack_get(&p, &a), 0);
    ptc_stack_put(&p, a);
    assert_int_equal(ptc_stack_get(&p, &x), 0);
    assert_ptr_equal(x, a);
    assert_int_equal(p.created, 1);
    assert_int_equal(ptc_stack_get(&p, &b), 0);
    assert_int_equal(ptc_stack_get(&p, &c), 0);
    assert_int_equal(p.live, 3);
    assert_int_equal(p.created, 3);
    ptc_stack_put(&p, a);
    ptc_stack_put(&p, c);
    assert_int_equal(p.live, 1);
    /* Last freed, first reused: its pages are the likeliest to be in cache. */
    assert_int_equal(ptc_stack_get(&p, &x), 0);
    assert_ptr_equal(x, c);
    assert_int_equal(ptc_stack_get(&p, &x), 0);
    assert_ptr_equal(x, a);
    assert_int_equal(p.created, 3);
    ptc_stack_pool_fini(&p);
}

/* Stacks do not overlap: filling each whole stack leaves every other one intact. */
static void check_stacks_disjoint(enum ptc_stack_guard guard, int unpooled) {
    struct ptc_stack_opts o = {
        .stack_bytes = 3 * page_bytes(), .guard = guard, .unpooled = unpooled};
    struct ptc_stack_pool p;
    assert_int_equal(ptc_stack_pool_init(&p, &o), 0);
    void *lo[8];
    for (int i = 0; i < 8; i++) {
        assert_int_equal(ptc_stack_get(&p, &lo[i]), 0);
        assert_int_equal((uintptr_t)lo[i] % page_bytes(), 0);
        memset(lo[i], 'a' + i, p.o.stack_bytes);
    }
    for (int i = 0; i < 8; i++) {
        const unsigned char *b = lo[i];
        for (size_t k = 0; k < p.o.stack_bytes; k++)
            if (b[k] != 'a' + i)
                fail_msg("guard %d unpooled %d: stack %d byte %zu overwritten", guard, unpooled, i,
                         k);
    }
    for (int i = 0; i < 8; i++)
        ptc_stack_put(&p, lo[i]);
    ptc_stack_pool_fini(&p);
}

static void test_stacks_disjoint(void **state) {
    check_stacks_disjoint(PTC_GUARD_OFF, 0);
    check_stacks_disjoint(PTC_GUARD_ON, 0);
    check_stacks_disjoint(PTC_GUARD_OFF, 1);
    check_stacks_disjoint(PTC_GUARD_ON, 1);
}

static void test_max_stacks(void **state) {
    struct ptc_stack_opts o = {.max_stacks = 3};
    struct ptc_stack_pool p;
    assert_int_equal(ptc_stack_pool_init(&p, &o), 0);
    void *lo[4];
    for (int i = 0; i < 3; i++)
        assert_int_equal(ptc_stack_get(&p, &lo[i]), 0);
    assert_int_equal(ptc_stack_get(&p, &lo[3]), -EAGAIN);
    assert_int_equal(p.live, 3);
    ptc_stack_put(&p, lo[1]);
    assert_int_equal(ptc_stack_get(&p, &lo[3]), 0);
    assert_ptr_equal(lo[3], lo[1]);
    assert_int_equal(ptc_stack_get(&p, &lo[3]), -EAGAIN);
    ptc_stack_pool_fini(&p);
}

/* The free array grows past its first size (256) without losing or repeating a stack: 1,000
 * stacks out, all back, all out again in the reverse order, nothing new made. */
#define MANY_STACKS 1000

static int by_address(const void *a, const void *b) {
    uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
    return x < y ? -1 : x > y;
}

static void test_free_array_grows(void **state) {
    struct ptc_stack_opts o = {.stack_bytes = 16u * 1024u};
    struct ptc_stack_pool p;
    assert_int_equal(ptc_stack_pool_init(&p, &o), 0);
    static void *lo[MANY_STACKS], *again[MANY_STACKS];
    for (size_t i = 0; i < MANY_STACKS; i++)
        assert_int_equal(ptc_stack_get(&p, &lo[i]), 0);
    for (size_t i = 0; i < MANY_STACKS; i++)
        ptc_stack_put(&p, lo[i]);
    assert_int_equal(p.live, 0);
    assert_int_equal(p.n_free, MANY_STACKS);
    for (size_t i = 0; i < MANY_STACKS; i++) {
        assert_int_equal(ptc_stack_get(&p, &again[i]), 0);
        assert_ptr_equal(again[i], lo[MANY_STACKS - 1 - i]); /* LIFO */
    }
    assert_int_equal(p.created, MANY_STACKS);
    qsort(again, MANY_STACKS, sizeof again[0], by_address);
    for (size_t i = 1; i < MANY_STACKS; i++)
        assert_true((char *)again[i] >= (char *)again[i - 1] + p.o.stack_bytes); /* distinct */
    ptc_stack_pool_fini(&p);
}

/* Reserving makes the stacks (and maps) up front; the gets that follow make nothing, and a limit
 * caps the reservation. */
static void test_reserve(void **state) {
    struct ptc_stack_opts o = {.stack_bytes = 16u * 1024u};
    struct ptc_stack_pool p;
    assert_int_equal(ptc_stack_pool_init(&p, &o), 0);
    assert_int_equal(ptc_stack_pool_reserve(&p, 600), 0);
    assert_int_equal(p.created, 600);
    assert_int_equal(p.live, 0);
    size_t arenas = p.arena_count;
    assert_true(arenas >= 1);
    void *lo;
    for (int i = 0; i < 600; i++)
        assert_int_equal(ptc_stack_get(&p, &lo), 0);
    assert_int_equal(p.created, 600);
    assert_int_equal(p.arena_count, arenas);
    assert_int_equal(ptc_stack_pool_reserve(&p, 10), 0); /* already there: nothing to do */
    assert_int_equal(p.created, 600);
    ptc_stack_pool_fini(&p);

    o.max_stacks = 5;
    assert_int_equal(ptc_stack_pool_init(&p, &o), 0);
    assert_int_equal(ptc_stack_pool_reserve(&p, 100), 0);
    assert_int_equal(p.created, 5);
    ptc_stack_pool_fini(&p);

    o = (struct ptc_stack_opts){.unpooled = 1};
    assert_int_equal(ptc_stack_pool_init(&p, &o), 0);
    assert_int_equal(ptc_stack_pool_reserve(&p, 100), 0);
    assert_int_equal(p.created, 0); /* unpooled stacks are mapped when taken */
    ptc_stack_pool_fini(&p);
}

static void test_unpooled_maps_and_unmaps(void **state) {
    struct ptc_stack_opts o = {.unpooled = 1, .guard = PTC_GUARD_OFF};
    struct ptc_stack_pool p;
    assert_int_equal(ptc_stack_pool_init(&p, &o), 0);
    void *a, *b;
    assert_int_equal(ptc_stack_get(&p, &a), 0);
    assert_true(is_mapped(a));
    memset(a, 1, p.o.stack_bytes);
    ptc_stack_put(&p, a);
    assert_false(is_mapped(a));
    assert_false(is_mapped((char *)a + p.o.stack_bytes - 1));
    assert_int_equal(ptc_stack_get(&p, &b), 0);
    assert_true(is_mapped(b));
    assert_int_equal(p.created, 2); /* a new mapping every time */
    assert_int_equal(p.arena_count, 0);
    ptc_stack_put(&p, b);
    assert_int_equal(p.live, 0);
    ptc_stack_pool_fini(&p);
}

/* Large stacks fill an arena after a few: the pool maps another and keeps both. */
static void test_arenas(void **state) {
    struct ptc_stack_opts o = {.stack_bytes = 16u * 1024u * 1024u};
    struct ptc_stack_pool p;
    assert_int_equal(ptc_stack_pool_init(&p, &o), 0);
    size_t per_arena = p.slots_per_arena;
    assert_true(per_arena >= 1 && per_arena < 8);
    void *lo[8];
    for (size_t i = 0; i <= per_arena; i++) {
        assert_int_equal(ptc_stack_get(&p, &lo[i]), 0);
        *(volatile char *)lo[i] = 1;
        *((volatile char *)lo[i] + p.o.stack_bytes - 1) = 1;
    }
    assert_int_equal(p.arena_count, 2);
    void *first = lo[0];
    for (size_t i = 0; i <= per_arena; i++)
        ptc_stack_put(&p, lo[i]);
    ptc_stack_pool_fini(&p);
    assert_false(is_mapped(first)); /* fini unmapped the arenas */
    assert_int_equal(p.arena_count, 0);
}

static void test_guard_on(void **state) {
    const size_t page = page_bytes();
    for (int unpooled = 0; unpooled <= 1; unpooled++) {
        struct ptc_stack_opts o = {.guard = PTC_GUARD_ON, .unpooled = unpooled};
        struct ptc_stack_pool p;
        assert_int_equal(ptc_stack_pool_init(&p, &o), 0);
        void *lo[3];
        for (int i = 0; i < 3; i++) {
            assert_int_equal(ptc_stack_get(&p, &lo[i]), 0);
            const char *below = (const char *)lo[i] - 1;
            assert_perms(below, "---p");
            assert_perms(below - page + 1, "---p");
            assert_perms(lo[i], "rw-p");
            assert_true(touch_faults(below));
            assert_false(touch_faults(lo[i]));
        }
        assert_int_equal(p.guarded, 3);
        for (int i = 0; i < 3; i++)
            ptc_stack_put(&p, lo[i]);
        ptc_stack_pool_fini(&p);
    }
}

static void test_guard_off(void **state) {
    struct ptc_stack_opts o = {.guard = PTC_GUARD_OFF};
    struct ptc_stack_pool p;
    assert_int_equal(ptc_stack_pool_init(&p, &o), 0);
    void *lo[3];
    for (int i = 0; i < 3; i++)
        assert_int_equal(ptc_stack_get(&p, &lo[i]), 0);
    for (int i = 0; i < 3; i++) {
        assert_perms((char *)lo[i] - 1, "rw-p");
        assert_false(touch_faults((char *)lo[i] - 1));
    }
    assert_int_equal(p.guarded, 0);
    ptc_stack_pool_fini(&p);
}

static void test_guard_auto(void **state) {
    struct ptc_stack_opts o = {.guard = PTC_GUARD_AUTO};
    struct ptc_stack_pool p;
    assert_int_equal(ptc_stack_pool_init(&p, &o), 0);
    void *lo[4];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(ptc_stack_get(&p, &lo[i]), 0);
        assert_int_equal(p.guarded, (size_t)i + 1);
        assert_perms((char *)lo[i] - 1, "---p");
    }
    /* Reuse costs no new guard. */
    ptc_stack_put(&p, lo[1]);
    assert_int_equal(ptc_stack_get(&p, &lo[1]), 0);
    assert_int_equal(p.guarded, 2);
    /* The limit, without making 30,000 stacks: the pool counts its guards in a public field. */
    p.guarded = PTC_STACK_GUARD_AUTO_LIMIT - 1;
    assert_int_equal(ptc_stack_get(&p, &lo[2]), 0);
    assert_int_equal(p.guarded, PTC_STACK_GUARD_AUTO_LIMIT);
    assert_perms((char *)lo[2] - 1, "---p");
    assert_int_equal(ptc_stack_get(&p, &lo[3]), 0);
    assert_int_equal(p.guarded, PTC_STACK_GUARD_AUTO_LIMIT);
    assert_perms((char *)lo[3] - 1, "rw-p");
    assert_false(touch_faults((char *)lo[3] - 1));
    ptc_stack_pool_fini(&p);
}

/* ---- through the scheduler, once per backend and poller ---- */

struct where {
    struct ptc_sched *s;
    void *lo;
    int ran;
};

static void note_stack(void *arg) {
    struct where *w = arg;
    w->lo = ptc_coro_self(w->s)->stack_lo;
    w->ran++;
    ptc_coro_yield(w->s);
}

static void test_sched_reuses_stack(void **state) {
    struct ptc_sched s;
    coro_test_open(state, &s, NULL, NULL);
    struct where first = {.s = &s}, next = {.s = &s};
    assert_int_equal(ptc_coro_spawn(&s, note_stack, &first, NULL), 0);
    coro_test_run(&s);
    assert_int_equal(s.stacks->live, 0);
    for (int i = 0; i < 5; i++) {
        next.lo = NULL;
        assert_int_equal(ptc_coro_spawn(&s, note_stack, &next, NULL), 0);
        coro_test_run(&s);
        assert_ptr_equal(next.lo, first.lo);
    }
    assert_int_equal(s.stacks->created, 1);
    ptc_sched_fini(&s);
}

/* A coroutine ends while another runs: the one spawned next gets its stack, reaped by the
 * switch away from it. */
struct relay {
    struct ptc_sched *s;
    struct where child, grandchild;
};

static void relay_body(void *arg) {
    struct relay *r = arg;
    CORO_CHECK(ptc_coro_spawn(r->s, note_stack, &r->child, NULL) == 0, "spawn child");
    while (r->child.ran == 0 || r->s->live > 1)
        ptc_coro_yield(r->s); /* until the child has finished */
    CORO_CHECK(ptc_coro_spawn(r->s, note_stack, &r->grandchild, NULL) == 0, "spawn again");
}

static void test_sched_reuses_stack_inside(void **state) {
    struct ptc_sched s;
    coro_test_open(state, &s, NULL, NULL);
    struct relay r = {.s = &s, .child = {.s = &s}, .grandchild = {.s = &s}};
    assert_int_equal(ptc_coro_spawn(&s, relay_body, &r, NULL), 0);
    coro_test_run(&s);
    assert_int_equal(r.grandchild.ran, 1);
    assert_ptr_equal(r.grandchild.lo, r.child.lo);
    assert_int_equal(s.stacks->created, 2);
    ptc_sched_fini(&s);
}

static void test_sched_out_of_stacks(void **state) {
    struct ptc_sched s;
    struct ptc_stack_opts o = {.max_stacks = 3};
    coro_test_open(state, &s, &o, NULL);
    struct where w[4];
    for (int i = 0; i < 4; i++)
        w[i] = (struct where){.s = &s};
    for (int i = 0; i < 3; i++)
        assert_int_equal(ptc_coro_spawn(&s, note_stack, &w[i], NULL), 0);
    assert_int_equal(ptc_coro_spawn(&s, note_stack, &w[3], NULL), -EAGAIN);
    assert_int_equal(s.live, 3);
    coro_test_run(&s);
    for (int i = 0; i < 3; i++)
        assert_int_equal(w[i].ran, 1);
    assert_int_equal(w[3].ran, 0);
    /* The stacks came back: the pool lends them again. */
    assert_int_equal(ptc_coro_spawn(&s, note_stack, &w[3], NULL), 0);
    coro_test_run(&s);
    assert_int_equal(w[3].ran, 1);
    assert_int_equal(s.stacks->created, 3);
    ptc_sched_fini(&s);
}

static void test_sched_unpooled(void **state) {
    struct ptc_sched s;
    struct ptc_stack_opts o = {.unpooled = 1, .guard = PTC_GUARD_ON};
    coro_test_open(state, &s, &o, NULL);
    struct where w[3];
    for (int i = 0; i < 3; i++) {
        w[i] = (struct where){.s = &s};
        assert_int_equal(ptc_coro_spawn(&s, note_stack, &w[i], NULL), 0);
    }
    coro_test_run(&s);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(w[i].ran, 1);
        assert_false(is_mapped(w[i].lo)); /* unmapped when it finished */
    }
    assert_int_equal(s.stacks->created, 3);
    assert_int_equal(s.stacks->guarded, 3);
    ptc_sched_fini(&s);
}

static void check_guard_below(void *arg) {
    struct where *w = arg;
    w->lo = ptc_coro_self(w->s)->stack_lo;
    w->ran++;
}

static void test_sched_guard(void **state) {
    struct ptc_sched s;
    struct ptc_stack_opts o = {.guard = PTC_GUARD_ON};
    coro_test_open(state, &s, &o, NULL);
    struct where w = {.s = &s};
    assert_int_equal(ptc_coro_spawn(&s, check_guard_below, &w, NULL), 0);
    coro_test_run(&s);
    assert_int_equal(w.ran, 1);
    assert_perms((char *)w.lo - 1, "---p");
    assert_true(touch_faults((char *)w.lo - 1));
    ptc_sched_fini(&s);
}

/* A pool passed in outlives the scheduler: the next scheduler reuses its stacks. */
static void test_sched_shared_pool(void **state) {
    struct ptc_stack_opts o = {0};
    struct ptc_stack_pool pool;
    assert_int_equal(ptc_stack_pool_init(&pool, &o), 0);
    void *first = NULL;
    for (int round = 0; round < 3; round++) {
        struct ptc_sched s;
        coro_test_open(state, &s, NULL, &pool);
        assert_ptr_equal(s.stacks, &pool);
        struct where w = {.s = &s};
        assert_int_equal(ptc_coro_spawn(&s, note_stack, &w, NULL), 0);
        coro_test_run(&s);
        if (round == 0)
            first = w.lo;
        assert_ptr_equal(w.lo, first);
        ptc_sched_fini(&s);
        assert_true(is_mapped(first)); /* fini left the pool alone */
    }
    assert_int_equal(pool.created, 1);
    ptc_stack_pool_fini(&pool);
}

int main(void) {
    const struct CMUnitTest pool_tests[] = {
        cmocka_unit_test(test_init_rejects_absurd_sizes),
        cmocka_unit_test(test_pool_reuses_lifo),
        cmocka_unit_test(test_stacks_disjoint),
        cmocka_unit_test(test_max_stacks),
        cmocka_unit_test(test_free_array_grows),
        cmocka_unit_test(test_reserve),
        cmocka_unit_test(test_unpooled_maps_and_unmaps),
        cmocka_unit_test(test_arenas),
        cmocka_unit_test(test_guard_on),
        cmocka_unit_test(test_guard_off),
        cmocka_unit_test(test_guard_auto),
    };
    static const struct coro_test_case sched_cases[] = {
        {"sched_reuses_stack", test_sched_reuses_stack},
        {"sched_reuses_stack_inside", test_sched_reuses_stack_inside},
        {"sched_out_of_stacks", test_sched_out_of_stacks},
        {"sched_unpooled", test_sched_unpooled},
        {"sched_guard", test_sched_guard},
        {"sched_shared_pool", test_sched_shared_pool},
    };
    int failed = cmocka_run_group_tests(pool_tests, NULL, NULL);
    failed += coro_test_run_all("coro_stack_sched", sched_cases,
                                sizeof sched_cases / sizeof sched_cases[0]);
    return failed;
}
