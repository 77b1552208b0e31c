/* core/child: waiting for a child (its status, WNOHANG while it runs, ECHILD once reaped) and
 * reaping workers with their resource usage and exit status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/child.h"
#include "ptc_test.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void test_wait_status_and_nohang(void **state) {
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char c;
        close(pipefd[1]);
        _exit(read(pipefd[0], &c, 1) == 1 ? 3 : 4); /* waits for the parent's byte */
    }
    close(pipefd[0]);
    int status = -1;
    assert_int_equal(ptc_wait_child(pid, &status, WNOHANG, NULL), 0); /* still running */
    assert_int_equal(write(pipefd[1], "x", 1), 1);
    close(pipefd[1]);
    assert_int_equal(ptc_wait_child(pid, &status, 0, NULL), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 3);
    assert_int_equal(ptc_wait_child(pid, &status, 0, NULL), -ECHILD); /* already reaped */
}

/* Burns CPU for about 20 ms, then exits with code. */
static void busy_exit(int code) {
    volatile uint64_t x = 0;
    struct timespec t0, t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    do {
        for (int i = 0; i < 100000; i++)
            x += (uint64_t)i;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    } while ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) < 20000000L);
    _exit(code);
}

static void test_reap_sums_usage(void **state) {
    struct ptc_child_usage u = {0};
    for (int code = 0; code < 2; code++) {
        pid_t pid = ptc_fork_worker();
        assert_true(pid >= 0);
        if (pid == 0)
            busy_exit(code);
        assert_int_equal(ptc_reap(pid, &u), code == 0 ? 0 : -ECHILD);
    }
    assert_true(u.user_ns + u.sys_ns >= 2 * 15 * PTC_NS_PER_MS);
    assert_true(u.max_rss_kib > 0);
    ptc_test_assert_no_child("reaped workers");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wait_status_and_nohang),
        cmocka_unit_test(test_reap_sums_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
