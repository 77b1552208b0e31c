/* Helpers shared by the coroutine runtime's tests (test_coro_*.c): every scheduler and group test
 * runs once per switch backend and poller, and coroutines report failures without cmocka's
 * longjmp. Include after <cmocka.h> and ptc_test.h. Header-only (static functions), so each test
 * stays one file. */
#ifndef PTC_TESTS_CORO_TEST_H
#define PTC_TESTS_CORO_TEST_H

#include "coro/ctx.h"
#include "coro/group.h"
#include "coro/poller.h"
#include "coro/sched.h"

#include <stdarg.h>
#include <stdint.h>

/* One switch backend with one poller: the unit the scheduler tests are repeated over. */
struct coro_test_config {
    const char *ctx;
    const char *poller;
};

static const struct coro_test_config coro_test_configs[] = {
    {"fcontext", "epoll"},
    {"fcontext", "io_uring"},
    {"ucontext", "epoll"},
    {"ucontext", "io_uring"},
};
#define CORO_TEST_N_CONFIGS (sizeof coro_test_configs / sizeof coro_test_configs[0])

struct coro_test_case {
    const char *name;
    CMUnitTestFunction fn;
};

/* Runs every case once per configuration, each named "case [ctx/poller]"; the configuration
 * reaches the test as *state. Returns cmocka's count of failed tests. */
static inline int coro_test_run_all(const char *group, const struct coro_test_case *cases,
                                    size_t n) {
    size_t total = n * CORO_TEST_N_CONFIGS;
    struct CMUnitTest *tests = calloc(total, sizeof *tests);
    char **names = calloc(total, sizeof *names);
    if (tests == NULL || names == NULL) {
        fprintf(stderr, "%s: out of memory\n", group);
        return 1;
    }
    size_t k = 0;
    for (size_t c = 0; c < CORO_TEST_N_CONFIGS; c++) {
        const struct coro_test_config *cfg = &coro_test_configs[c];
        for (size_t i = 0; i < n; i++, k++) {
            if (asprintf(&names[k], "%s [%s/%s]", cases[i].name, cfg->ctx, cfg->poller) < 0)
                names[k] = NULL;
            tests[k].name = names[k] != NULL ? names[k] : cases[i].name;
            tests[k].test_func = cases[i].fn;
            tests[k].initial_state = (void *)cfg;
        }
    }
    int failed = _cmocka_run_group_tests(group, tests, total, NULL, NULL);
    for (size_t i = 0; i < total; i++)
        free(names[i]);
    free(names);
    free(tests);
    return failed;
}

/* ---- sizes ---- */

/* CORO_TEST_SIZE(n, tsan_n): n coroutines alive at once, or tsan_n in ThreadSanitizer builds.
 * TSan counts each live coroutine's fiber as a thread (at most 8128 at once) and takes ~10 ms
 * and ~0.8 MB to create one, so a test that holds thousands alive holds a few hundred there;
 * tsan_n must still be large enough for what the test checks. */
#if defined(__SANITIZE_THREAD__)
#define CORO_TEST_SIZE(n, tsan_n) (tsan_n)
#else
#define CORO_TEST_SIZE(n, tsan_n) (n)
#endif

/* ---- failures inside coroutines ---- */

/* cmocka's assertions longjmp out of the failing function: from a coroutine that would land on
 * the main stack with the scheduler in mid-run. Coroutines count their failures here instead;
 * the test asserts on the count once ptc_sched_run has returned. */
static unsigned coro_test_failures;
static char coro_test_first_failure[512];

__attribute__((format(printf, 1, 2))) static inline void coro_test_fail(const char *fmt, ...) {
    if (coro_test_failures++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(coro_test_first_failure, sizeof coro_test_first_failure, fmt, ap);
        va_end(ap);
    }
}

#define CORO_CHECK(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond))                                                                               \
            coro_test_fail(__VA_ARGS__);                                                           \
    } while (0)

/* Outside coroutines: fails the test if any coroutine reported a failure. */
static inline void coro_test_assert_no_failures(void) {
    if (coro_test_failures != 0)
        fail_msg("%u failure(s) inside coroutines; the first: %s", coro_test_failures,
                 coro_test_first_failure);
}

/* ---- schedulers ---- */

/* True when the kernel refuses a poller (io_uring disabled by sysctl, seccomp or age). */
static inline bool coro_test_poller_refused(const char *poller, int rc) {
    return strcmp(poller, "io_uring") == 0 && (rc == -ENOSYS || rc == -EPERM);
}

/* Opens s with the test's configuration (*state), the given stack options (NULL: defaults) and
 * pool (NULL: the scheduler's own). Skips the test when the kernel refuses the poller. Resets the
 * coroutine failure count. */
static inline void coro_test_open(void **state, struct ptc_sched *s,
                                  const struct ptc_stack_opts *stack, struct ptc_stack_pool *pool) {
    const struct coro_test_config *cfg = *state;
    struct ptc_sched_opts o = {.ctx = ptc_ctx_find(cfg->ctx), .poller = cfg->poller, .pool = pool};
    assert_non_null(o.ctx);
    if (stack != NULL)
        o.stack = *stack;
    coro_test_failures = 0;
    coro_test_first_failure[0] = '\0';
    int rc = ptc_sched_init(s, &o);
    if (coro_test_poller_refused(cfg->poller, rc)) {
        print_message("skipped: the kernel refuses %s here: %s\n", cfg->poller, strerror(-rc));
        skip();
    }
    if (rc != 0)
        fail_msg("ptc_sched_init(%s, %s): %s", cfg->ctx, cfg->poller, strerror(-rc));
    assert_string_equal(s->sw->name, cfg->ctx);
    assert_string_equal(s->poller_ops->name, cfg->poller);
}

/* Runs s to completion, then checks it is empty and no coroutine reported a failure. */
static inline void coro_test_run(struct ptc_sched *s) {
    int rc = ptc_sched_run(s);
    if (rc != 0)
        fail_msg("ptc_sched_run: %s", strerror(-rc));
    assert_null(ptc_coro_self(s));
    assert_int_equal(s->live, 0);
    assert_int_equal(ptc_timers_pending(&s->timers), 0);
    assert_int_equal(s->rq_len, 0);
    assert_int_equal(s->io_n, 0);
    coro_test_assert_no_failures();
}

/* ---- traces ---- */

/* The order things happened in, as space-separated words: readable when a comparison fails. */
struct coro_trace {
    char buf[8192];
    size_t len;
};

__attribute__((format(printf, 2, 3))) static inline void coro_trace_add(struct coro_trace *t,
                                                                        const char *fmt, ...) {
    if (t->len >= sizeof t->buf - 1) {
        coro_test_fail("trace overflow");
        return;
    }
    if (t->len > 0)
        t->buf[t->len++] = ' ';
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, sizeof t->buf - t->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof t->buf - t->len) {
        coro_test_fail("trace overflow");
        t->len = sizeof t->buf - 1;
        return;
    }
    t->len += (size_t)n;
}

/* ---- timing ---- */

/* How late a timer may fire: generous, and widened by PTC_TEST_TIME_MULTIPLIER. Never early is
 * checked exactly. */
static inline ptc_ns coro_test_late_ns(void) {
    return (ptc_ns)(50.0 * ptc_test_time_multiplier() * (double)PTC_NS_PER_MS);
}

#endif
