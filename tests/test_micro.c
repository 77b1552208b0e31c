/* The microbenchmarks of src/micro/ without their programs: the tutorial lock scenarios
 * (micro/lock.h), every IPC channel carrying a stream and round trips intact (micro/ipc.h), and
 * each registered benchmark (micro/bench.h) run once at its smallest, its rows counted. No
 * timing is checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "micro/bench.h"
#include "micro/ipc.h"
#include "micro/lock.h"
#include "ptc_test.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static void test_deposits(void **state) {
    ptc_ns read_ns[8], write_ns[8];
    struct ptc_deposits d = {.threads = 8,
                             .pause_ns = 100 * PTC_NS_PER_US,
                             .locked = true,
                             .read_ns = read_ns,
                             .write_ns = write_ns};
    assert_int_equal(ptc_deposits_run(&d), 0);
    assert_int_equal(d.balance, 8); /* the lock loses nothing */
    /* Serialised: each deposit's write comes before the next read, and takes the pause. */
    for (int i = 0; i < 8; i++) {
        assert_true(write_ns[i] >= read_ns[i] + d.pause_ns);
        for (int k = 0; k < 8; k++)
            if (k != i)
                assert_true(read_ns[k] >= write_ns[i] || write_ns[k] <= read_ns[i]);
    }
    assert_true(d.elapsed_ns >= 8 * d.pause_ns);
    d = (struct ptc_deposits){.threads = 8, .pause_ns = 100 * PTC_NS_PER_US};
    assert_int_equal(ptc_deposits_run(&d), 0);
    assert_true(d.balance >= 1 && d.balance <= 8);
}

static void test_balance(void **state) {
    int64_t balance = -1;
    ptc_ns elapsed = 0;
    assert_int_equal(ptc_balance_run(true, 10000, &balance, &elapsed), 0);
    assert_int_equal(balance, 0);
    assert_true(elapsed > 0);
    assert_int_equal(ptc_balance_run(false, 1000, &balance, &elapsed), 0);
}

/* Streams `count` messages of `size` bytes one way, then as many round trips, over ops run by
 * its own runner; every message arrives with its sequence number. */
static void channel(const struct ptc_ipc_ops *ops, size_t size) {
    for (int round_trips = 0; round_trips <= 1; round_trips++) {
        struct ptc_ipc_chan c = {.ops = ops, .cap = 64 * 1024, .rfd = {-1, -1}, .wfd = {-1, -1}};
        struct ptc_ipc_job j = {.c = &c, .size = size, .count = 200, .round_trips = round_trips};
        j.buf[0] = calloc(1, size);
        j.buf[1] = calloc(1, size);
        assert_non_null(j.buf[0]);
        assert_non_null(j.buf[1]);
        assert_int_equal(ops->open(&c), 0);
        int64_t ns = ops->run(&j);
        ops->close(&c);
        free(j.buf[0]);
        free(j.buf[1]);
        assert_true(ns > 0);
        assert_int_equal(j.corrupt, 0);
    }
}

static void test_ipc_channels(void **state) {
    signal(SIGPIPE, SIG_IGN);
    const struct ptc_ipc_ops *all[] = {&ptc_ipc_pipe_ops, &ptc_ipc_socketpair_ops, &ptc_ipc_shm_ops,
                                       &ptc_ipc_condvar_ops, &ptc_ipc_coro_ops};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        channel(all[i], 8);
        channel(all[i], 40000); /* wraps around the 64 KiB ring */
    }
}

static void test_ring_wraps(void **state) {
    char ring[16], out[12];
    const char msg[12] = "abcdefghijk";
    ptc_ipc_ring_put(ring, sizeof ring, 10, msg, sizeof msg); /* 6 at the end, 6 at the start */
    ptc_ipc_ring_take(ring, sizeof ring, 10, out, sizeof out);
    assert_memory_equal(out, msg, sizeof msg);
}

/* Runs b with the arguments given, no CSV, and returns its status and the rows it printed. */
static int run_bench(const struct ptc_micro_bench *b, int argc, char **argv, int *rows) {
    char *path = NULL;
    char *dir = ptc_test_mkdtemp();
    assert_non_null(dir);
    assert_true(asprintf(&path, "%s/out.csv", dir) > 0);
    char *args[16] = {(char *)b->cli.program, "--quiet", "--out", path};
    int n = 4;
    for (int i = 0; i < argc; i++)
        args[n++] = argv[i];
    optind = 0;
    int st = ptc_micro_bench_main(b, n, args);
    *rows = -1;
    FILE *fp = fopen(path, "r");
    if (fp != NULL) {
        char line[4096];
        *rows = 0;
        while (fgets(line, sizeof line, fp) != NULL)
            (*rows)++;
        fclose(fp);
        *rows -= 1; /* the header */
        unlink(path);
    }
    rmdir(dir);
    free(path);
    free(dir);
    return st;
}

static void test_benches(void **state) {
    int rows;
    char *lock[] = {"--n", "1000", "--repeat", "1", "--only", "balance,atomic"};
    assert_int_equal(run_bench(&ptc_micro_lock, 6, lock, &rows), 0);
    /* balance: 2 x 2 figures; atomic and the harness beside it: 4 thread counts each */
    assert_int_equal(rows, 2 * 2 + 4 + 4);
    char *ipc[] = {"--n",         "64",      "--repeat",
                   "1",           "--only",  "condvar-queue,coro-channel",
                   "--placement", "unpinned"};
    assert_int_equal(run_bench(&ptc_micro_ipc, 8, ipc, &rows), 0);
    assert_int_equal(rows, 2 * 3); /* 3 metrics each */
    char *skynet[] = {"--n", "100", "--repeat", "1"};
    assert_int_equal(run_bench(&ptc_micro_skynet, 4, skynet, &rows), 0);
    assert_int_equal(rows, 2 * 2); /* one thread and M:N: wall time and peak RSS each */
    char *bad[] = {"--n", "50"};
    assert_int_equal(run_bench(&ptc_micro_skynet, 2, bad, &rows), 2);
    assert_int_equal(rows, -1); /* bad usage leaves no file */
    char *mem[] = {"--n", "10", "--repeat", "1", "--only", "coroutines"};
    assert_int_equal(run_bench(&ptc_micro_mem, 6, mem, &rows), 0);
    assert_int_equal(rows, 2); /* rss per unit and up_ms */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deposits),   cmocka_unit_test(test_balance),
        cmocka_unit_test(test_ring_wraps), cmocka_unit_test(test_ipc_channels),
        cmocka_unit_test(test_benches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
