/* workload/net_server: the loopback server of the net workload. Bodies are exact and verified
 * by hash, never early, many at once, malformed requests get nothing, only loopback addresses
 * are ever bound, no server process outlives ptc_net_server_stop, and the client catches an
 * answer that is damaged, short, long or meant for another task. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/hash.h"
#include "ptc_test.h"
#include "workload/net_client.h"
#include "workload/net_server.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define LATENCY_NS (20 * PTC_NS_PER_MS)

/* The server of the running test, stopped by the teardown even when an assertion failed. */
static struct ptc_net_server srv;

static int teardown(void **state) {
    ptc_net_server_stop(&srv);
    return 0;
}

/* Late answers are tolerated up to this much beyond the latency (scaled by the multiplier). */
static ptc_ns slack_ns(void) {
    return (ptc_ns)(300.0 * PTC_NS_PER_MS * ptc_test_time_multiplier());
}

static void start(const char *addr, ptc_ns latency_ns, uint32_t max_connections) {
    struct ptc_net_server_opts o = {
        .bind_addr = addr, .latency_ns = latency_ns, .max_connections = max_connections};
    char err[256] = "";
    int rc = ptc_net_server_start(&srv, &o, err, sizeof err);
    if (rc != 0)
        fail_msg("ptc_net_server_start(%s) = %d: %s", addr ? addr : "NULL", rc, err);
    assert_true(srv.pid > 0);
    assert_true(srv.port > 0);
}

/* A blocking connection to the server; reads time out rather than hang a broken test. */
static int open_conn(void) {
    int fd = socket(srv.addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    struct timeval tv = {.tv_sec = (time_t)(5 * ptc_test_time_multiplier())};
    assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
    assert_int_equal(connect(fd, (const struct sockaddr *)&srv.addr, srv.addr_len), 0);
    return fd;
}

static void send_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        assert_true(n > 0);
        p += n;
        len -= (size_t)n;
    }
}

/* Reads until EOF, hashing. Returns the byte count, or -errno (then *bytes holds what came). */
static int64_t read_all(int fd, uint64_t *hash, uint64_t *bytes) {
    static char buf[256 * 1024];
    struct ptc_hash h;
    ptc_hash_init(&h);
    uint64_t total = 0;
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *bytes = total;
            return -errno;
        }
        if (n == 0)
            break;
        ptc_hash_update(&h, buf, (size_t)n);
        total += (uint64_t)n;
    }
    *hash = ptc_hash_digest(&h);
    *bytes = total;
    return (int64_t)total;
}

/* Sends the request line for (task, kib) with the server's token. */
static void send_request(int fd, uint32_t task, uint32_t kib) {
    char req[PTC_NET_REQUEST_MAX + 1];
    int len = ptc_net_format_request(req, sizeof req, task, kib, srv.token);
    assert_true(len > 0);
    send_all(fd, req, (size_t)len);
}

/* One request; checks the body and returns the time from the last request byte to EOF. */
static ptc_ns fetch_ok(uint32_t task, uint32_t kib) {
    char req[PTC_NET_REQUEST_MAX + 1];
    int len = ptc_net_format_request(req, sizeof req, task, kib, srv.token);
    assert_true(len > 0);
    int fd = open_conn();
    ptc_ns t0 = ptc_now_ns();
    send_all(fd, req, (size_t)len);
    uint64_t h = 0, bytes = 0;
    int64_t got = read_all(fd, &h, &bytes);
    ptc_ns elapsed = ptc_now_ns() - t0;
    close(fd);
    if (got != (int64_t)kib * 1024)
        fail_msg("task %u kib %u: read %lld (%llu bytes), expected %u bytes", task, kib,
                 (long long)got, (unsigned long long)bytes, kib * 1024);
    assert_true(h == ptc_net_body_checksum(task, kib));
    return elapsed;
}

/* Sends raw bytes and expects the connection closed with no body (EOF or a reset). */
static void expect_no_body(const void *req, size_t len) {
    int fd = open_conn();
    send_all(fd, req, len);
    uint64_t h, bytes = 99;
    int64_t got = read_all(fd, &h, &bytes);
    close(fd);
    if (!(got == 0 || (got == -ECONNRESET && bytes == 0)))
        fail_msg("request \"%.*s\": read %lld (%llu bytes), expected no body", (int)len,
                 (const char *)req, (long long)got, (unsigned long long)bytes);
}

/* XXH3-64 of len bytes in one call, through the library's own one-shot function. */
static uint64_t xxh3_once(const void *buf, size_t len) {
    return XXH3_64bits(buf, len);
}

static void test_hash(void **state) {
    /* XXH3-64 reference values (the empty input; xxhsum -H3 on "a" and "foobar"). */
    struct ptc_hash h;
    ptc_hash_init(&h);
    assert_true(ptc_hash_digest(&h) == 0x2d06800538d394c2ULL);
    assert_true(xxh3_once("", 0) == 0x2d06800538d394c2ULL);
    /* The incremental hash, with the AVX2 loop where the CPU has it, gives what the library's
     * one-shot function gives, however the input is split (across XXH3's 1 KiB blocks too). */
    static uint8_t buf[300000];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 2654435761u >> 13);
    const size_t sizes[] = {1, 3, 64, 240, 241, 1024, 4096, 65536, sizeof buf};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        uint64_t want = xxh3_once(buf, sizes[k]);
        const size_t steps[] = {1, 7, 4096, sizes[k]};
        for (size_t j = 0; j < sizeof steps / sizeof steps[0]; j++) {
            if (sizes[k] > 5000 && steps[j] == 1)
                continue;
            ptc_hash_init(&h);
            for (size_t off = 0; off < sizes[k]; off += steps[j])
                ptc_hash_update(&h, buf + off,
                                sizes[k] - off < steps[j] ? sizes[k] - off : steps[j]);
            if (ptc_hash_digest(&h) != want)
                fail_msg("%zu bytes in steps of %zu: wrong hash", sizes[k], steps[j]);
        }
    }
}

static void test_body(void **state) {
    /* A span holds the same bytes as ptc_net_body_byte gives, from any offset, at least one
     * period of them, also across the period's end. */
    const uint64_t offsets[] = {0, 1021, PTC_NET_PATTERN_BYTES - 5, 3 * PTC_NET_PATTERN_BYTES + 7};
    for (size_t k = 0; k < sizeof offsets / sizeof offsets[0]; k++) {
        size_t len;
        const uint8_t *p = ptc_net_body_span(123456, offsets[k], &len);
        assert_true(len >= PTC_NET_PATTERN_BYTES);
        for (size_t i = 0; i < 5000; i++)
            assert_int_equal(p[i], ptc_net_body_byte(123456, offsets[k] + i));
    }
    /* Bodies repeat with the period, and nowhere sooner within the first KiB. */
    for (uint64_t i = 0; i < 64; i++)
        assert_int_equal(ptc_net_body_byte(5, i), ptc_net_body_byte(5, i + PTC_NET_PATTERN_BYTES));

    /* The checksum is the hash of the body, also beyond one period. */
    static uint8_t buf[2 * PTC_NET_PATTERN_BYTES + 4096];
    const uint32_t kibs[] = {0, 1, 4, 1024, 2052};
    for (size_t k = 0; k < sizeof kibs / sizeof kibs[0]; k++) {
        size_t n = (size_t)kibs[k] * 1024;
        for (size_t i = 0; i < n; i++)
            buf[i] = ptc_net_body_byte(7, i);
        assert_true(ptc_net_body_checksum(7, kibs[k]) == xxh3_once(buf, n));
    }

    /* Different tasks, different bodies: in their first bytes too, so a client that got
     * another task's answer fails even at 1 KiB. */
    for (uint32_t t = 0; t < 256; t++) {
        for (uint32_t u = t + 1; u < 256; u++)
            assert_true(ptc_net_body_checksum(t, 1) != ptc_net_body_checksum(u, 1));
    }
    int distinct[256] = {0}, n_distinct = 0;
    for (uint32_t i = 0; i < 1024; i++) {
        uint8_t b = ptc_net_body_byte(3, i);
        n_distinct += distinct[b]++ == 0;
    }
    assert_true(n_distinct > 200);
    assert_true(ptc_net_body_checksum(3, 2) != ptc_net_body_checksum(3, 3));
}

static void test_format_request(void **state) {
    char buf[PTC_NET_REQUEST_MAX + 1];
    assert_int_equal(ptc_net_format_request(buf, sizeof buf, 7, 3, 0xab), 25);
    assert_string_equal(buf, "GET 7 3 00000000000000ab\n");
    assert_int_equal(
        ptc_net_format_request(buf, sizeof buf, UINT32_MAX, PTC_NET_MAX_KIB, UINT64_MAX), 38);
    assert_string_equal(buf, "GET 4294967295 65536 ffffffffffffffff\n");
    assert_int_equal(ptc_net_format_request(buf, 25, 7, 3, 1), -ENOSPC); /* no room for the NUL */
    assert_int_equal(ptc_net_format_request(buf, sizeof buf, 7, PTC_NET_MAX_KIB + 1, 1), -ERANGE);
}

static void test_loopback_addr(void **state) {
    struct sockaddr_storage ss;
    socklen_t len;
    const char *ok[] = {"127.0.0.1", "127.0.0.2", "127.255.255.254", "::1"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        if (ptc_net_loopback_addr(ok[i], 80, &ss, &len) != 0)
            fail_msg("%s refused", ok[i]);
    }
    const char *bad[] = {"0.0.0.0",      "10.0.0.1",         "192.168.1.1",
                         "8.8.8.8",      "128.0.0.1",        "126.255.255.255",
                         "example.com",  "localhost",        "",
                         "::",           "::ffff:127.0.0.1", "fe80::1",
                         "127.0.0.1:80", " 127.0.0.1",       "127.1",
                         "2001:db8::1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = ptc_net_loopback_addr(bad[i], 80, &ss, &len);
        if (rc != -EADDRNOTAVAIL)
            fail_msg("\"%s\": %d, expected -EADDRNOTAVAIL", bad[i], rc);
    }
    assert_int_equal(ptc_net_loopback_addr(NULL, 80, &ss, &len), -EADDRNOTAVAIL);
}

static void test_one_request(void **state) {
    start(NULL, LATENCY_NS, 0);
    ptc_ns elapsed = fetch_ok(7, 3);
    if (elapsed < LATENCY_NS || elapsed > LATENCY_NS + slack_ns())
        fail_msg("answered after %llu ns, expected %llu ns", (unsigned long long)elapsed,
                 (unsigned long long)LATENCY_NS);
}

static void test_request_in_pieces(void **state) {
    start("127.0.0.1", LATENCY_NS, 0);
    int fd = open_conn();
    char req[PTC_NET_REQUEST_MAX + 1];
    int len = ptc_net_format_request(req, sizeof req, 11, 2, srv.token);
    assert_true(len > 8);
    send_all(fd, req, 2); /* "GE" */
    ptc_sleep_ns(5 * PTC_NS_PER_MS);
    send_all(fd, req + 2, 5); /* "T 11 " */
    ptc_sleep_ns(5 * PTC_NS_PER_MS);
    ptc_ns t0 = ptc_now_ns();
    send_all(fd, req + 7, (size_t)len - 7); /* "2 <token>\n" */
    uint64_t h, bytes;
    assert_int_equal(read_all(fd, &h, &bytes), 2048);
    ptc_ns elapsed = ptc_now_ns() - t0;
    close(fd);
    assert_true(h == ptc_net_body_checksum(11, 2));
    assert_true(elapsed >= LATENCY_NS); /* from the line's last byte, not its first */
}

static void test_concurrent(void **state) {
    enum { N = 200 };
    start(NULL, LATENCY_NS, 0);
    int fds[N];
    ptc_ns sent[N], done[N] = {0};
    struct ptc_hash hash[N];
    uint64_t bytes[N] = {0};
    struct pollfd pfds[N];
    ptc_ns t_start = ptc_now_ns();
    for (int i = 0; i < N; i++) {
        char req[PTC_NET_REQUEST_MAX + 1];
        int len =
            ptc_net_format_request(req, sizeof req, 1000 + (uint32_t)i, (uint32_t)i % 5, srv.token);
        fds[i] = open_conn();
        sent[i] = ptc_now_ns();
        send_all(fds[i], req, (size_t)len);
        assert_int_equal(fcntl(fds[i], F_SETFL, O_NONBLOCK), 0);
        ptc_hash_init(&hash[i]);
        pfds[i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
    }
    int open_n = N;
    ptc_ns give_up = t_start + LATENCY_NS + 10 * slack_ns();
    while (open_n > 0) {
        assert_true(ptc_now_ns() < give_up);
        int pr = poll(pfds, N, 100);
        assert_true(pr >= 0 || errno == EINTR);
        for (int i = 0; i < N; i++) {
            if (pfds[i].fd < 0 || pfds[i].revents == 0)
                continue;
            char buf[8192];
            ssize_t n = recv(fds[i], buf, sizeof buf, 0);
            if (n < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            assert_true(n >= 0);
            if (n > 0) {
                ptc_hash_update(&hash[i], buf, (size_t)n);
                bytes[i] += (uint64_t)n;
                continue;
            }
            done[i] = ptc_now_ns();
            close(fds[i]);
            pfds[i].fd = -1;
            open_n--;
        }
    }
    ptc_ns total = ptc_now_ns() - t_start;
    for (int i = 0; i < N; i++) {
        uint32_t kib = (uint32_t)i % 5;
        assert_int_equal(bytes[i], kib * 1024);
        assert_true(ptc_hash_digest(&hash[i]) == ptc_net_body_checksum(1000 + (uint32_t)i, kib));
        ptc_ns latency = done[i] - sent[i];
        if (latency < LATENCY_NS || latency > LATENCY_NS + slack_ns())
            fail_msg("connection %d answered after %llu ns", i, (unsigned long long)latency);
    }
    if (total > (ptc_ns)(PTC_NS_PER_S * ptc_test_time_multiplier()))
        fail_msg("%d requests took %llu ns", N, (unsigned long long)total);
}

static void test_empty_and_malformed(void **state) {
    start(NULL, LATENCY_NS, 0);
    assert_true(fetch_ok(5, 0) >= LATENCY_NS); /* kib 0: an empty body, still after latency */
    static const char *bad[] = {
        "GET 1\n",       "GET 1 2 3\n",        "GET x 1\n",  "GET 1 x\n",  "PUT 1 1\n",
        "GET  1 1\n",    "GET 1  1\n",         "GET -1 1\n", "GET 1 -1\n", "GET +1 1\n",
        "GET 1 65537\n", "GET 4294967296 1\n", "get 1 1\n",  "\n",         "GET 1 1 \n",
        "GET 0x1 1\n",   "GET 1 1\r\n",        "GET\t1 1\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_no_body(bad[i], strlen(bad[i]));
    char junk[100];
    memset(junk, 'A', sizeof junk);
    expect_no_body(junk, PTC_NET_REQUEST_MAX); /* exactly the limit, no newline */
    expect_no_body(junk, sizeof junk);         /* beyond the limit */
    /* 64 bytes with the newline last is still a request. */
    char longest[PTC_NET_REQUEST_MAX + 1];
    int n = snprintf(longest, sizeof longest, "GET %040u 1 %016" PRIx64 "\n", 9u, srv.token);
    assert_int_equal(n, PTC_NET_REQUEST_MAX);
    int fd = open_conn();
    send_all(fd, longest, (size_t)n);
    uint64_t h, bytes;
    assert_int_equal(read_all(fd, &h, &bytes), 1024);
    close(fd);
    assert_true(h == ptc_net_body_checksum(9, 1));
    /* The server survived all of it, and counted each refusal; a wrong token is one more. */
    fetch_ok(8, 1);
    uint64_t refused = __atomic_load_n(srv.refused, __ATOMIC_RELAXED);
    assert_int_equal(refused, sizeof bad / sizeof bad[0] + 2);
    char foreign[PTC_NET_REQUEST_MAX + 1];
    int len = ptc_net_format_request(foreign, sizeof foreign, 1, 1, srv.token ^ 1);
    expect_no_body(foreign, (size_t)len);
    assert_int_equal(__atomic_load_n(srv.refused, __ATOMIC_RELAXED), refused + 1);
}

static void test_largest_body(void **state) {
    start(NULL, 0, 0);
    fetch_ok(42, PTC_NET_MAX_KIB);
}

static void test_client_half_close_and_disconnect(void **state) {
    start(NULL, LATENCY_NS, 0);
    /* A client that shuts down its write side still gets the body. */
    int fd = open_conn();
    send_request(fd, 3, 4);
    assert_int_equal(shutdown(fd, SHUT_WR), 0);
    uint64_t h, bytes;
    assert_int_equal(read_all(fd, &h, &bytes), 4096);
    assert_true(h == ptc_net_body_checksum(3, 4));
    close(fd);
    /* Clients that leave while their request waits: a plain close and a reset. */
    fd = open_conn();
    send_request(fd, 3, 4);
    close(fd);
    fd = open_conn();
    send_request(fd, 3, 4096);
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
    close(fd);
    /* ... and one that leaves in the middle of a large body. */
    fd = open_conn();
    send_request(fd, 3, 65536);
    char buf[4096];
    assert_true(recv(fd, buf, sizeof buf, 0) > 0);
    close(fd);
    ptc_sleep_ns(2 * LATENCY_NS);
    fetch_ok(4, 2);
    assert_int_equal(waitpid(srv.pid, NULL, WNOHANG), 0); /* still running */
}

static void test_max_connections(void **state) {
    enum { N = 6 };
    start(NULL, LATENCY_NS, 2);
    int fds[N];
    ptc_ns t0 = ptc_now_ns();
    for (int i = 0; i < N; i++) {
        fds[i] = open_conn();
        send_request(fds[i], 1, 1);
    }
    for (int i = 0; i < N; i++) {
        uint64_t h, bytes;
        assert_int_equal(read_all(fds[i], &h, &bytes), 1024);
        assert_true(h == ptc_net_body_checksum(1, 1));
        close(fds[i]);
    }
    /* Two at a time: the last pair is read after the first two have been answered. */
    assert_true(ptc_now_ns() - t0 >= 3 * LATENCY_NS);
}

static void test_refuses_non_loopback(void **state) {
    ptc_test_assert_no_child("test_net_server");
    const char *bad[] = {"0.0.0.0", "10.0.0.1", "192.168.1.1", "example.com", "", "::"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ptc_net_server_opts o = {.bind_addr = bad[i], .latency_ns = LATENCY_NS};
        char err[256] = "";
        int rc = ptc_net_server_start(&srv, &o, err, sizeof err);
        if (!(rc == -EADDRNOTAVAIL || rc == -EPERM))
            fail_msg("bind address \"%s\" accepted (%d)", bad[i], rc);
        assert_true(strlen(err) > 0);
        assert_null(strchr(err, '\n'));
        assert_int_equal(srv.pid, 0);
        ptc_test_assert_no_child("test_net_server");
    }
    start("127.0.0.1", LATENCY_NS, 0);
    fetch_ok(1, 1);
    assert_int_equal(ptc_net_server_stop(&srv), 0);
    start("127.0.0.2", LATENCY_NS, 0);
    fetch_ok(2, 1);
    assert_int_equal(ptc_net_server_stop(&srv), 0);
    ptc_test_assert_no_child("test_net_server");
}

static void test_ipv6_loopback(void **state) {
    struct ptc_net_server_opts o = {.bind_addr = "::1", .latency_ns = LATENCY_NS};
    char err[256] = "";
    int rc = ptc_net_server_start(&srv, &o, err, sizeof err);
    if (rc == -EADDRNOTAVAIL || rc == -EAFNOSUPPORT) {
        print_message("no IPv6 loopback here (%s): skipped\n", err);
        ptc_test_assert_no_child("test_net_server");
        return;
    }
    if (rc != 0)
        fail_msg("::1: %d: %s", rc, err);
    assert_int_equal(srv.addr.ss_family, AF_INET6);
    fetch_ok(6, 2);
}

static void test_stop(void **state) {
    start(NULL, LATENCY_NS, 0);
    pid_t pid = srv.pid;
    assert_int_equal(kill(pid, 0), 0);
    /* A request still waiting does not keep the server alive. */
    int fd = open_conn();
    send_request(fd, 1, 1);
    ptc_ns t0 = ptc_now_ns();
    assert_int_equal(ptc_net_server_stop(&srv), 0);
    assert_true(ptc_now_ns() - t0 < PTC_NS_PER_S); /* SIGTERM sufficed: no 2 s grace wait */
    close(fd);
    assert_int_equal(srv.pid, 0);
    errno = 0;
    assert_int_equal(kill(pid, 0), -1);
    assert_int_equal(errno, ESRCH);
    ptc_test_assert_no_child("test_net_server");
    assert_int_equal(ptc_net_server_stop(&srv), 0); /* idempotent */
    struct ptc_net_server zero = {0};
    assert_int_equal(ptc_net_server_stop(&zero), 0);

    /* A server that died on its own is reported, and reaped all the same. */
    start(NULL, LATENCY_NS, 0);
    pid = srv.pid;
    assert_int_equal(kill(pid, SIGKILL), 0);
    ptc_sleep_ns(50 * PTC_NS_PER_MS);
    assert_int_equal(ptc_net_server_stop(&srv), -ECHILD);
    assert_int_equal(srv.pid, 0);
    ptc_test_assert_no_child("test_net_server");
}

/* ---- the client against a server that answers wrongly ---- */

enum answer { ANSWER_RIGHT, ANSWER_FLIPPED, ANSWER_SHORT, ANSWER_LONG, ANSWER_OTHER_TASK };

struct fake {
    int lfd;
    enum answer answer;
    uint32_t task, kib;
};

/* Answers one connection as told: the right body, or one damaged the given way. */
static void *fake_serve(void *arg) {
    struct fake *f = arg;
    int fd = accept(f->lfd, NULL, NULL);
    if (fd < 0)
        return NULL;
    char req[PTC_NET_REQUEST_MAX + 1];
    size_t got = 0;
    while (got < sizeof req - 1 && memchr(req, '\n', got) == NULL) {
        ssize_t n = recv(fd, req + got, sizeof req - 1 - got, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    static uint8_t body[64 * 1024 + 1];
    size_t len = (size_t)f->kib * 1024;
    uint32_t task = f->answer == ANSWER_OTHER_TASK ? f->task + 1 : f->task;
    for (size_t i = 0; i < len + 1; i++)
        body[i] = ptc_net_body_byte(task, i);
    if (f->answer == ANSWER_FLIPPED)
        body[len / 2] ^= 0x10;
    len += f->answer == ANSWER_LONG ? 1 : f->answer == ANSWER_SHORT ? (size_t)-1 : 0;
    send_all(fd, body, len);
    close(fd);
    return NULL;
}

/* ptc_net_fetch's verdict on one answer: its return value, and whether the hash it reports
 * matches the checksum the net workload expects (ptc_workload_verify's test). */
static int fetch_from_fake(enum answer answer, bool *hash_ok) {
    struct fake f = {.answer = answer, .task = 21, .kib = 64};
    struct ptc_net_server fake_srv = {0};
    f.lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(f.lfd >= 0);
    assert_int_equal(ptc_net_loopback_addr("127.0.0.1", 0, &fake_srv.addr, &fake_srv.addr_len), 0);
    assert_int_equal(bind(f.lfd, (struct sockaddr *)&fake_srv.addr, fake_srv.addr_len), 0);
    assert_int_equal(listen(f.lfd, 1), 0);
    assert_int_equal(getsockname(f.lfd, (struct sockaddr *)&fake_srv.addr, &fake_srv.addr_len), 0);
    pthread_t tid;
    assert_int_equal(pthread_create(&tid, NULL, fake_serve, &f), 0);
    uint64_t h = 0;
    int rc = ptc_net_fetch(&ptc_exec_blocking, &fake_srv, f.task, f.kib, &h);
    pthread_join(tid, NULL);
    close(f.lfd);
    *hash_ok = h == ptc_net_body_checksum(f.task, f.kib);
    return rc;
}

static void test_client_catches_wrong_answers(void **state) {
    bool hash_ok;
    assert_int_equal(fetch_from_fake(ANSWER_RIGHT, &hash_ok), 0);
    assert_true(hash_ok);
    /* A flipped byte and another task's body have the right length: the hash catches them. */
    assert_int_equal(fetch_from_fake(ANSWER_FLIPPED, &hash_ok), 0);
    assert_false(hash_ok);
    assert_int_equal(fetch_from_fake(ANSWER_OTHER_TASK, &hash_ok), 0);
    assert_false(hash_ok);
    /* A byte missing or one too many: the length. */
    assert_int_equal(fetch_from_fake(ANSWER_SHORT, &hash_ok), -EPROTO);
    assert_false(hash_ok);
    assert_int_equal(fetch_from_fake(ANSWER_LONG, &hash_ok), -EPROTO);
    assert_false(hash_ok);
}

static void test_nofile_limit(void **state) {
    assert_int_equal(ptc_raise_nofile_limit(), 0);
    struct rlimit rl;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_max != RLIM_INFINITY)
        assert_true(rl.rlim_cur == rl.rlim_max);
    assert_int_equal(ptc_raise_nofile_limit(), 0); /* nothing to do the second time */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_body),
        cmocka_unit_test(test_format_request),
        cmocka_unit_test(test_loopback_addr),
        cmocka_unit_test_teardown(test_one_request, teardown),
        cmocka_unit_test_teardown(test_request_in_pieces, teardown),
        cmocka_unit_test_teardown(test_concurrent, teardown),
        cmocka_unit_test_teardown(test_empty_and_malformed, teardown),
        cmocka_unit_test_teardown(test_largest_body, teardown),
        cmocka_unit_test_teardown(test_client_half_close_and_disconnect, teardown),
        cmocka_unit_test_teardown(test_max_connections, teardown),
        cmocka_unit_test_teardown(test_refuses_non_loopback, teardown),
        cmocka_unit_test_teardown(test_ipv6_loopback, teardown),
        cmocka_unit_test_teardown(test_stop, teardown),
        cmocka_unit_test(test_client_catches_wrong_answers),
        cmocka_unit_test(test_nofile_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
