/* The context-switch backends (src/coro/ctx*.c) on their own, without the scheduler: each test
 * runs once per backend, through both ptc_ctx_jump (which inlines fcontext) and ops->jump. A
 * context runs its entry with its argument on its own stack, switches back and forth keeping
 * its locals, switches directly to another context, and a stack can carry a new context once
 * the old one has left it for good. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "coro/ctx.h"
#include "ptc_test.h"

#include <sys/mman.h>

#define STACK_BYTES (64u * 1024u)
#define PING_PONGS  1000

static const char *const backend_names[] = {"fcontext", "ucontext"};

/* A stack for raw contexts, and the main context's storage. */
struct rig {
    const struct ptc_ctx_ops *ops;
    struct ptc_ctx main;
    void *main_uc;
    void *stack;
};

static void rig_open(void **state, struct rig *r) {
    memset(r, 0, sizeof *r);
    r->ops = ptc_ctx_find(*state);
    assert_non_null(r->ops);
    r->main_uc = calloc(1, ptc_ctx_ucontext_bytes);
    assert_non_null(r->main_uc);
    r->ops->make_main(&r->main, r->main_uc);
    r->stack = mmap(NULL, STACK_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(r->stack != MAP_FAILED);
}

static void rig_close(struct rig *r) {
    munmap(r->stack, STACK_BYTES);
    free(r->main_uc);
}

/* Alternates the inlined and the ops->jump path, so both are exercised on every backend. */
static void jump(const struct ptc_ctx_ops *ops, struct ptc_ctx *from, struct ptc_ctx *to,
                 unsigned n) {
    if (n % 2 == 0)
        ptc_ctx_jump(ops, from, to);
    else
        ops->jump(from, to);
}

/* ---- ping-pong with the main context ---- */

struct pong {
    struct rig *r;
    struct ptc_ctx self;
    uintptr_t local_addr; /* where the entry's locals live */
    uint64_t seen;        /* the counter as the context saw it */
    uint64_t *counter;
    uint64_t sum; /* kept in the context's own frame across switches */
    int finished;
};

static void pong_entry(void *arg) {
    struct pong *p = arg;
    uint64_t local_sum = 0, a = 1, b = 2, c = 3;
    p->local_addr = (uintptr_t)__builtin_frame_address(0); /* locals may be on ASan's fake stack */
    for (unsigned i = 0; i < PING_PONGS; i++) {
        p->seen = *p->counter;
        local_sum += p->seen;
        a = a * 3 + b;
        b ^= a + c;
        c += i;
        jump(p->r->ops, &p->self, &p->r->main, i);
    }
    p->sum = local_sum + ((a ^ b ^ c) != 0 ? 0 : 1); /* keeps a, b, c live in registers */
    p->finished = 1;
    PTC_CTX_LAST_JUMP(&p->self);
    jump(p->r->ops, &p->self, &p->r->main, 0);
    abort(); /* never resumed */
}

static void test_ping_pong(void **state) {
    struct rig r;
    rig_open(state, &r);
    uint64_t counter = 0;
    struct pong p = {.r = &r, .counter = &counter};
    r.ops->make(&p.self, r.stack, STACK_BYTES, pong_entry, &p);
    /* The main context keeps its own locals across switches too. */
    uint64_t x = 0x1234, y = 0x9876, expect_sum = 0;
    for (unsigned i = 0; i < PING_PONGS; i++) {
        counter = i * 3 + 1;
        expect_sum += counter;
        jump(r.ops, &r.main, &p.self, i + 1);
        assert_int_equal(p.seen, counter);
        x = x * 5 + y;
        y ^= x >> 3;
    }
    assert_false(p.finished);
    jump(r.ops, &r.main, &p.self, 0);
    assert_true(p.finished);
    assert_int_equal(p.sum, expect_sum);
    /* The entry ran on the stack it was given. */
    assert_true(p.local_addr >= (uintptr_t)r.stack);
    assert_true(p.local_addr < (uintptr_t)r.stack + STACK_BYTES);
    uint64_t x2 = 0x1234, y2 = 0x9876;
    for (unsigned i = 0; i < PING_PONGS; i++) {
        x2 = x2 * 5 + y2;
        y2 ^= x2 >> 3;
    }
    assert_int_equal(x, x2);
    assert_int_equal(y, y2);
    rig_close(&r);
}

/* ---- a ring of contexts switching to each other, never through main ---- */

#define RING 3
#define LAPS 100

struct ring {
    struct rig *r;
    struct ptc_ctx ctx[RING];
    char trace[RING * LAPS + 1];
    size_t len;
};

struct ring_member {
    struct ring *ring;
    int id;
};

static void ring_entry(void *arg) {
    struct ring_member *m = arg;
    struct ring *g = m->ring;
    for (unsigned lap = 0; lap < LAPS; lap++) {
        g->trace[g->len++] = (char)('a' + m->id);
        int last = lap + 1 == LAPS && m->id == RING - 1;
        struct ptc_ctx *to = last ? &g->r->main : &g->ctx[(m->id + 1) % RING];
        if (lap + 1 == LAPS)
            PTC_CTX_LAST_JUMP(&g->ctx[m->id]);
        jump(g->r->ops, &g->ctx[m->id], to, lap + (unsigned)m->id);
    }
    abort(); /* the last member left for main; the others are never resumed after their lap */
}

static void test_ring(void **state) {
    struct rig r;
    rig_open(state, &r);
    struct ring *g = calloc(1, sizeof *g);
    assert_non_null(g);
    g->r = &r;
    struct ring_member m[RING];
    size_t per = STACK_BYTES / RING;
    for (int i = 0; i < RING; i++) {
        m[i] = (struct ring_member){.ring = g, .id = i};
        r.ops->make(&g->ctx[i], (char *)r.stack + (size_t)i * per, per, ring_entry, &m[i]);
    }
    jump(r.ops, &r.main, &g->ctx[0], 0);
    assert_int_equal(g->len, RING * LAPS);
    for (size_t k = 0; k < g->len; k++)
        if (g->trace[k] != 'a' + (char)(k % RING))
            fail_msg("switch %zu went to %c", k, g->trace[k]);
    free(g);
    rig_close(&r);
}

/* ---- a stack reused by a new context ---- */

struct once {
    struct rig *r;
    struct ptc_ctx self;
    int value, ran;
};

static void once_entry(void *arg) {
    struct once *o = arg;
    volatile char fill[2048]; /* dirty the stack for the next context */
    memset((char *)fill, o->value, sizeof fill);
    o->ran = fill[100];
    PTC_CTX_LAST_JUMP(&o->self);
    jump(o->r->ops, &o->self, &o->r->main, (unsigned)o->value);
    abort();
}

static void test_stack_reused(void **state) {
    struct rig r;
    rig_open(state, &r);
    for (int i = 1; i <= 20; i++) {
        struct once o = {.r = &r, .value = i};
        r.ops->make(&o.self, r.stack, STACK_BYTES, once_entry, &o);
        jump(r.ops, &r.main, &o.self, (unsigned)i);
        assert_int_equal(o.ran, i);
    }
    rig_close(&r);
}

/* ---- the registry ---- */

static void test_registry(void **state) {
    const struct ptc_ctx_ops *f = ptc_ctx_find("fcontext");
    const struct ptc_ctx_ops *u = ptc_ctx_find("ucontext");
    assert_non_null(f);
    assert_non_null(u);
    assert_ptr_equal(f, &ptc_ctx_fcontext);
    assert_ptr_equal(ptc_ctx_default(), f);
    assert_null(ptc_ctx_find("setjmp"));
    assert_null(ptc_ctx_find(""));
    char names[64];
    ptc_ctx_names(names, sizeof names);
    assert_string_equal(names, "fcontext, ucontext");
    /* fcontext keeps its state in registers pushed on the stack; ucontext needs room for a
     * ucontext_t at the top of each stack. */
    assert_int_equal(f->reserve_bytes, 0);
    assert_true(u->reserve_bytes >= ptc_ctx_ucontext_bytes);
    assert_true(ptc_ctx_ucontext_bytes > 0);
    for (size_t i = 0; i < 2; i++) {
        const struct ptc_ctx_ops *ops = i ? u : f;
        assert_non_null(ops->summary);
        assert_non_null(ops->make);
        assert_non_null(ops->make_main);
        assert_non_null(ops->jump);
    }
}

int main(void) {
    struct CMUnitTest tests[7];
    size_t n = 0;
    static char names[6][64];
    static const struct {
        const char *name;
        CMUnitTestFunction fn;
    } cases[] = {
        {"ping_pong", test_ping_pong},
        {"ring", test_ring},
        {"stack_reused", test_stack_reused},
    };
    for (size_t b = 0; b < 2; b++) {
        for (size_t c = 0; c < 3; c++) {
            snprintf(names[n], sizeof names[n], "%s [%s]", cases[c].name, backend_names[b]);
            tests[n] = (struct CMUnitTest){.name = names[n],
                                           .test_func = cases[c].fn,
                                           .initial_state = (void *)backend_names[b]};
            n++;
        }
    }
    tests[n++] = (struct CMUnitTest){.name = "registry", .test_func = test_registry};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
