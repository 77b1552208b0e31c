/* Shared-stack coroutines (src/coro/shared.c): locals survive being copied off the stack and
 * back while thousands of coroutines take turns; a coroutine recursing to nearly the whole stack
 * yields at the bottom and unwinds intact; one that goes past the end ends the program with one
 * line naming the stack's size (in a child); ucontext and I/O are refused; the M:N models run on
 * shared stacks. Not in AddressSanitizer builds, which refuse shared stacks (coro/shared.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "coro/config.h"
#include "coro/sched.h"
#include "ptc_test.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define STACK_BYTES (64u * 1024u)

static void shared_sched(struct ptc_sched *s) {
    struct ptc_sched_opts o = *ptc_coro_config();
    o.ctx = ptc_ctx_find("fcontext");
    o.pool = NULL;
    o.poller = "epoll";
    o.stack.stack_bytes = STACK_BYTES;
    o.stack.shared = 1;
    assert_int_equal(ptc_sched_init(s, &o), 0);
    assert_non_null(s->shared);
}

/* ---- locals across turns ---- */

struct turns {
    struct ptc_sched *s;
    uint32_t id;
    int ok;
};

static void taking_turns(void *p) {
    struct turns *t = p;
    volatile uint64_t local[40]; /* a few hundred bytes of frame, the id's pattern in it */
    for (unsigned i = 0; i < 40; i++)
        local[i] = (uint64_t)t->id * 1000003u + i;
    for (unsigned k = 0; k < (t->id % 5) + 1; k++) {
        if (k % 2)
            ptc_coro_yield(t->s);
        else
            ptc_coro_sleep_ns(t->s, (ptc_ns)(t->id % 3) * 1000);
    }
    t->ok = 1;
    for (unsigned i = 0; i < 40; i++)
        t->ok &= local[i] == (uint64_t)t->id * 1000003u + i;
}

/* TSan counts each coroutine's fiber as a thread, and stops at 8128 */
#if defined(__SANITIZE_THREAD__)
#define TURNS_N 2000
#else
#define TURNS_N 10000
#endif

static void test_locals_survive(void **state) {
    enum { N = TURNS_N };
    struct ptc_sched s;
    shared_sched(&s);
    struct turns *t = calloc(N, sizeof *t);
    assert_non_null(t);
    for (uint32_t i = 0; i < N; i++) {
        t[i] = (struct turns){.s = &s, .id = i};
        assert_int_equal(ptc_coro_spawn(&s, taking_turns, &t[i], NULL), 0);
    }
    assert_int_equal(ptc_sched_run(&s), 0);
    for (uint32_t i = 0; i < N; i++)
        if (!t[i].ok)
            fail_msg("coroutine %u found its locals changed", i);
    assert_true(s.shared->copied_bytes > 0);
    assert_true(s.shared->records <= N);
    ptc_sched_fini(&s);
    free(t);
}

/* ---- deep recursion ---- */

#define FRAME_BYTES 512

struct deep {
    struct ptc_sched *s;
    unsigned depth; /* frames to go down */
    unsigned seed;
    int ok;
};

static __attribute__((noinline)) int down(struct deep *d, unsigned level) {
    volatile unsigned char frame[FRAME_BYTES];
    for (unsigned i = 0; i < FRAME_BYTES; i++)
        frame[i] = (unsigned char)(d->seed + level * 7 + i);
    int ok = 1;
    if (level + 1 < d->depth)
        ok = down(d, level + 1);
    else
        ptc_coro_yield(d->s); /* at the bottom: the other deep coroutine takes the stack */
    for (unsigned i = 0; i < FRAME_BYTES; i++)
        ok &= frame[i] == (unsigned char)(d->seed + level * 7 + i);
    return ok;
}

static void deep_main(void *p) {
    struct deep *d = p;
    d->ok = down(d, 0);
}

static void test_deep_recursion_survives(void **state) {
    struct ptc_sched s;
    shared_sched(&s);
    /* Nearly the whole stack: 8 KiB left for the frames above down() and the switch */
    unsigned depth = (STACK_BYTES - 8 * 1024) / (FRAME_BYTES + 64);
    struct deep a = {.s = &s, .depth = depth, .seed = 1}, b = {.s = &s, .depth = depth, .seed = 2};
    assert_int_equal(ptc_coro_spawn(&s, deep_main, &a, NULL), 0);
    assert_int_equal(ptc_coro_spawn(&s, deep_main, &b, NULL), 0);
    assert_int_equal(ptc_sched_run(&s), 0);
    assert_true(a.ok && b.ok);
    /* both were copied off and back in full */
    assert_true(s.shared->copied_bytes >= 2 * (uint64_t)depth * FRAME_BYTES);
    ptc_sched_fini(&s);
}

/* Past the end: the guard page below the stack, reported in one line (a child, which dies). */
static void test_overflow_is_refused(void **state) {
#if defined(__SANITIZE_THREAD__)
    skip(); /* TSan's own SIGSEGV handling comes first */
#endif
    int err[2];
    assert_int_equal(pipe(err), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(err[1], 2);
        struct ptc_sched s;
        shared_sched(&s);
        struct deep d = {.s = &s, .depth = 2 * STACK_BYTES / FRAME_BYTES, .seed = 3};
        ptc_coro_spawn(&s, deep_main, &d, NULL);
        ptc_sched_run(&s);
        _exit(0); /* not reached */
    }
    close(err[1]);
    char line[512] = "";
    size_t got = 0;
    ssize_t n;
    while (got < sizeof line - 1 && (n = read(err[0], line + got, sizeof line - 1 - got)) > 0)
        got += (size_t)n;
    line[got] = '\0';
    close(err[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 1)
        fail_msg("the overflowing child ended with status %#x, not exit 1: %s", status, line);
    if (strcmp(line, "coroutine stack overflow: a coroutine went past the end of its 64 KiB stack "
                     "(raise --stack-kib)\n") != 0)
        fail_msg("the overflow's line: '%s'", line);
}

/* ---- what is refused ---- */

static void io_main(void *p) {
    struct ptc_sched *s = p;
    struct ptc_io_op op = {.kind = PTC_IO_POLL, .fd = 0, .events = 1};
    assert_int_equal(ptc_coro_io(s, &op), -EOPNOTSUPP);
}

static void test_refusals(void **state) {
    struct ptc_sched s;
    shared_sched(&s);
    assert_int_equal(ptc_coro_spawn(&s, io_main, &s, NULL), 0);
    assert_int_equal(ptc_sched_run(&s), 0);
    ptc_sched_fini(&s);

    struct ptc_sched_opts o = *ptc_coro_config();
    o.ctx = ptc_ctx_find("ucontext");
    o.stack.shared = 1;
    assert_int_equal(ptc_sched_init(&s, &o), -EINVAL);

    char err[256];
    assert_int_equal(ptc_coro_option("stack-mode", "both", err, sizeof err), -EINVAL);
    assert_string_equal(err, "--stack-mode: 'both' must be private or shared");
    assert_int_equal(ptc_coro_option("coro-switch", "ucontext", err, sizeof err), 0);
    assert_int_equal(ptc_coro_option("stack-mode", "shared", err, sizeof err), 0);
    assert_int_equal(ptc_coro_config_check(err, sizeof err), -EINVAL);
    assert_string_equal(err, "--stack-mode shared: needs --coro-switch fcontext, not ucontext");
    assert_int_equal(ptc_coro_option("coro-switch", "fcontext", err, sizeof err), 0);
    assert_int_equal(ptc_coro_config_check(err, sizeof err), 0);
    assert_int_equal(ptc_coro_option("stack-mode", "private", err, sizeof err), 0);
}

int main(void) {
#if defined(__SANITIZE_ADDRESS__)
    puts("shared stacks are not in AddressSanitizer builds: skipped");
    return 77;
#endif
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_locals_survive),
        cmocka_unit_test(test_deep_recursion_survives),
        cmocka_unit_test(test_overflow_is_refused),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
