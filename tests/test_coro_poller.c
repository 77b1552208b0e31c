/* The pollers (src/coro/poller*.c) on their own: found by name, opened by name or "auto", and a
 * wait with a deadline and nothing submitted returns no completions and never before the deadline
 * (no tolerance), nor much after it (a tolerance scaled by PTC_TEST_TIME_MULTIPLIER). io_uring is
 * skipped where the kernel refuses it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ptc_test.h"

#include "coro_test.h"

#include <errno.h>

static const char *const poller_names[] = {"epoll", "io_uring"};

static void no_completion(void *udata, int result) {
    fail_msg("a completion (%d) with nothing submitted", result);
}

/* Opens the poller called *state, or skips when the kernel refuses it. */
static struct ptc_poller *open_or_skip(void **state, const struct ptc_poller_ops **ops) {
    const char *name = *state;
    struct ptc_poller *p = NULL;
    int rc = ptc_poller_open(name, ops, &p);
    if (coro_test_poller_refused(name, rc)) {
        print_message("skipped: the kernel refuses %s here: %s\n", name, strerror(-rc));
        skip();
    }
    if (rc != 0)
        fail_msg("ptc_poller_open(%s): %s", name, strerror(-rc));
    assert_ptr_equal(*ops, ptc_poller_find(name));
    return p;
}

static void test_wait_until_deadline(void **state) {
    const struct ptc_poller_ops *ops;
    struct ptc_poller *p = open_or_skip(state, &ops);
    const ptc_ns late = coro_test_late_ns();
    static const ptc_ns waits_us[] = {1, 100, 1000, 2500, 1000, 0};
    for (size_t i = 0; i < sizeof waits_us / sizeof waits_us[0]; i++) {
        ptc_ns deadline = ptc_now_ns() + waits_us[i] * PTC_NS_PER_US;
        int n = ops->wait(p, deadline, no_completion);
        ptc_ns now = ptc_now_ns();
        assert_int_equal(n, 0);
        if (now < deadline)
            fail_msg("%s: wait for %llu us returned %llu ns early", ops->name,
                     (unsigned long long)waits_us[i], (unsigned long long)(deadline - now));
        if (now - deadline > late)
            fail_msg("%s: wait for %llu us returned %llu ns late", ops->name,
                     (unsigned long long)waits_us[i], (unsigned long long)(now - deadline));
        /* The same deadline again, now past: returns at once. */
        assert_int_equal(ops->wait(p, deadline, no_completion), 0);
        assert_true(ptc_now_ns() - now < late);
    }
    /* A deadline long past. */
    ptc_ns before = ptc_now_ns();
    assert_int_equal(ops->wait(p, 1, no_completion), 0);
    assert_true(ptc_now_ns() - before < late);
    ops->close(p);
}

/* Several pollers open at once keep their deadlines apart. */
static void test_two_pollers(void **state) {
    const struct ptc_poller_ops *ops;
    struct ptc_poller *a = open_or_skip(state, &ops);
    struct ptc_poller *b = open_or_skip(state, &ops);
    ptc_ns near = ptc_now_ns() + PTC_NS_PER_MS;
    assert_int_equal(ops->wait(a, near, no_completion), 0);
    assert_true(ptc_now_ns() >= near);
    near = ptc_now_ns() + PTC_NS_PER_MS;
    assert_int_equal(ops->wait(b, near, no_completion), 0);
    assert_true(ptc_now_ns() >= near);
    ops->close(a);
    ops->close(b);
}

static void test_registry(void **state) {
    char names[128];
    ptc_poller_names(names, sizeof names);
    assert_non_null(strstr(names, "epoll"));
    assert_non_null(strstr(names, "io_uring"));
    assert_null(ptc_poller_find("kqueue"));
    const struct ptc_poller_ops *ops = NULL;
    struct ptc_poller *p = NULL;
    assert_int_equal(ptc_poller_open("kqueue", &ops, &p), -EINVAL);
    /* auto: whichever the kernel allows, io_uring first. */
    assert_int_equal(ptc_poller_open("auto", &ops, &p), 0);
    assert_non_null(ops);
    const char *chosen = ops->name;
    ops->close(p);
    assert_int_equal(ptc_poller_open(NULL, &ops, &p), 0);
    assert_string_equal(ops->name, chosen);
    ops->close(p);
    if (strcmp(chosen, "epoll") == 0) {
        /* auto falls back to epoll only when io_uring cannot be opened. */
        assert_true(ptc_poller_open("io_uring", &ops, &p) < 0);
    }
}

int main(void) {
    struct CMUnitTest tests[5];
    size_t n = 0;
    for (size_t i = 0; i < 2; i++) {
        tests[n++] = (struct CMUnitTest){.name = i ? "wait_until_deadline [io_uring]"
                                                   : "wait_until_deadline [epoll]",
                                         .test_func = test_wait_until_deadline,
                                         .initial_state = (void *)poller_names[i]};
        tests[n++] =
            (struct CMUnitTest){.name = i ? "two_pollers [io_uring]" : "two_pollers [epoll]",
                                .test_func = test_two_pollers,
                                .initial_state = (void *)poller_names[i]};
    }
    tests[n++] = (struct CMUnitTest){.name = "registry", .test_func = test_registry};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
