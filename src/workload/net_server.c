/* The net workload's loopback server: one process, one epoll loop, one timerfd. Every request has
 * the same latency, so due times grow in arrival order and a FIFO is the whole timer queue. */
#include "workload/net_server.h"

#include "core/child.h"
#include "core/clock.h"
#include "core/parse.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#define LISTEN_BACKLOG 65535 /* the kernel caps it at net.core.somaxconn */
#define MAX_EVENTS     512
#define DRAIN_LIMIT    (64 * 1024)
/* For the child's report, and for the test request beyond the latency. */
#define STARTUP_TIMEOUT_S 10
#define STOP_GRACE_NS     (2 * PTC_NS_PER_S)
#define STOP_POLL_NS      (1 * PTC_NS_PER_MS)

/* ---- requests ------------------------------------------------------------------------------- */

int ptc_net_format_request(char *buf, size_t size, uint32_t task, uint32_t kib, uint64_t token) {
    if (kib > PTC_NET_MAX_KIB)
        return -ERANGE;
    int n = snprintf(buf, size, "GET %u %u %016" PRIx64 "\n", (unsigned)task, (unsigned)kib, token);
    if (n < 0 || (size_t)n >= size)
        return -ENOSPC;
    return n;
}

/* ---- addresses and limits --------------------------------------------------------------- */

int ptc_net_loopback_addr(const char *text, uint16_t port, struct sockaddr_storage *out,
                          socklen_t *out_len) {
    if (text == NULL)
        return -EADDRNOTAVAIL;
    struct in_addr a4;
    struct in6_addr a6;
    memset(out, 0, sizeof *out);
    /* inet_pton takes numeric forms only, so no name is ever resolved (resolution could
     * answer with a non-loopback address). */
    if (inet_pton(AF_INET, text, &a4) == 1) {
        if ((ntohl(a4.s_addr) >> 24) != 127)
            return -EADDRNOTAVAIL;
        struct sockaddr_in *sin = (struct sockaddr_in *)out;
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        sin->sin_addr = a4;
        *out_len = sizeof *sin;
        return 0;
    }
    if (inet_pton(AF_INET6, text, &a6) == 1) {
        /* Only ::1: a v4-mapped ::ffff:127.x address would make a dual-stack socket. */
        if (!IN6_IS_ADDR_LOOPBACK(&a6))
            return -EADDRNOTAVAIL;
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)out;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(port);
        sin6->sin6_addr = a6;
        *out_len = sizeof *sin6;
        return 0;
    }
    return -EADDRNOTAVAIL;
}

int ptc_raise_nofile_limit(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return -errno;
    rlim_t target = rl.rlim_max;
    if (target == RLIM_INFINITY) {
        /* The kernel refuses an unlimited descriptor limit: fs.nr_open is the real ceiling. */
        target = 1024 * 1024;
        FILE *fp = fopen("/proc/sys/fs/nr_open", "re");
        if (fp != NULL) {
            unsigned long long v;
            if (fscanf(fp, "%llu", &v) == 1 && v > 0)
                target = (rlim_t)v;
            fclose(fp);
        }
    }
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur >= target)
        return 0;
    rl.rlim_cur = target;
    return setrlimit(RLIMIT_NOFILE, &rl) == 0 ? 0 : -errno;
}

/* ---- the server process ----------------------------------------------------------------- */

enum conn_state { CONN_READING, CONN_WAITING, CONN_WRITING };

struct conn {
    int fd;
    enum conn_state state;
    bool want_out;    /* the epoll interest is EPOLLOUT (else EPOLLIN), edge-triggered */
    bool input_clean; /* the read that completed the request left nothing behind it */
    uint32_t task;
    uint32_t req_len; /* request bytes read so far */
    char req[PTC_NET_REQUEST_MAX + 1];
    uint64_t sent, total; /* body bytes */
    ptc_ns due_ns;
    struct conn *prev, *next; /* the due queue, while CONN_WAITING */
};

struct server {
    int ep, lfd, tfd;
    ptc_ns latency_ns;
    uint32_t max_conns, n_conns;
    bool accepting; /* the listening socket is in the epoll interest set */
    struct conn *head, *tail;
    uint64_t token;    /* what every request of this run carries */
    uint64_t *refused; /* requests refused (shared with the parent) */
};

/* What the child tells the parent once, before it serves: the port, or why it could not. */
struct start_report {
    int32_t err; /* 0 or a negative errno */
    uint16_t port;
    char msg[200];
};

_Noreturn static void fatal(const char *what) {
    /* The only output the server ever writes. */
    fprintf(stderr, "ptc net server: %s: %s\n", what, strerror(errno));
    _exit(1);
}

static void set_interest(struct server *s, int fd, void *ptr, uint32_t events) {
    struct epoll_event ev = {.events = events, .data.ptr = ptr};
    if (epoll_ctl(s->ep, EPOLL_CTL_MOD, fd, &ev) != 0)
        fatal("epoll_ctl");
}

static void pause_accept(struct server *s) {
    if (s->accepting) {
        set_interest(s, s->lfd, &s->lfd, 0);
        s->accepting = false;
    }
}

static void arm_timer(struct server *s, ptc_ns due_ns) {
    struct itimerspec its = {0};
    its.it_value.tv_sec = (time_t)(due_ns / PTC_NS_PER_S);
    its.it_value.tv_nsec = (long)(due_ns % PTC_NS_PER_S);
    if (timerfd_settime(s->tfd, TFD_TIMER_ABSTIME, &its, NULL) != 0)
        fatal("timerfd_settime");
}

static void conn_free(struct server *s, struct conn *c) {
    if (c->state == CONN_WAITING) {
        /* A stale head leaves the timer armed: it fires once for nothing, which is harmless. */
        if (c->prev != NULL)
            c->prev->next = c->next;
        else
            s->head = c->next;
        if (c->next != NULL)
            c->next->prev = c->prev;
        else
            s->tail = c->prev;
    }
    /* close() also removes the socket from the epoll set. */
    close(c->fd);
    free(c);
    s->n_conns--;
    if (!s->accepting && s->n_conns < s->max_conns) {
        set_interest(s, s->lfd, &s->lfd, EPOLLIN);
        s->accepting = true;
    }
}

/* Closing a socket with unread input makes the kernel send RST instead of FIN, and a RST can
 * overtake body bytes the client has not read yet: so read what may be left before closing.
 * A request read whole by a short recv left nothing, which spares the syscall. */
static void conn_close(struct server *s, struct conn *c) {
    char scratch[4096];
    size_t drained = 0;
    while (!c->input_clean && drained < DRAIN_LIMIT) {
        ssize_t n = recv(c->fd, scratch, sizeof scratch, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        drained += (size_t)n;
    }
    conn_free(s, c);
}

static void conn_write(struct server *s, struct conn *c) {
    while (c->sent < c->total) {
        /* Straight from the pattern made before the fork: no byte is generated per request. */
        size_t len;
        const uint8_t *p = ptc_net_body_span(c->task, c->sent, &len);
        if (len > c->total - c->sent)
            len = (size_t)(c->total - c->sent);
        /* MSG_MORE on the body's last bytes holds them back for the close() that follows, so
         * the FIN rides in the same segment: one packet fewer per connection through the
         * loopback stack. (A partial send is pushed by the kernel before it says EAGAIN.) */
        int more = c->sent + len == c->total ? MSG_MORE : 0;
        ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT | more);
        if (n > 0) {
            c->sent += (uint64_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!c->want_out) {
                set_interest(s, c->fd, c, EPOLLOUT | EPOLLET);
                c->want_out = true;
            }
            return;
        }
        conn_free(s, c); /* the client is gone (EPIPE, ECONNRESET) */
        return;
    }
    conn_close(s, c);
}

static void start_write(struct server *s, struct conn *c) {
    c->state = CONN_WRITING;
    conn_write(s, c);
}

/* The token as the client writes it: exactly 16 lowercase hex digits. */
static bool token_matches(const char *text, uint64_t token) {
    char want[17];
    snprintf(want, sizeof want, "%016" PRIx64, token);
    return strcmp(text, want) == 0;
}

/* "GET <task> <kib> <token>" (the newline already cut off): the numbers as ptc_parse_u64 reads
 * them, the token this run's. */
static bool parse_request(char *line, uint64_t token, uint32_t *task, uint32_t *kib) {
    if (strncmp(line, "GET ", 4) != 0)
        return false;
    char *a = line + 4;
    char *space = strchr(a, ' ');
    if (space == NULL)
        return false;
    *space = '\0';
    char *b = space + 1;
    char *tok = strchr(b, ' ');
    if (tok == NULL || !token_matches(tok + 1, token))
        return false;
    *tok = '\0';
    uint64_t t, k;
    if (ptc_parse_u64(a, 0, UINT32_MAX, &t) != 0 || ptc_parse_u64(b, 0, PTC_NET_MAX_KIB, &k) != 0)
        return false;
    *task = (uint32_t)t;
    *kib = (uint32_t)k;
    return true;
}

static void conn_request(struct server *s, struct conn *c, char *line) {
    uint32_t kib;
    if (!parse_request(line, s->token, &c->task, &kib)) {
        __atomic_add_fetch(s->refused, 1, __ATOMIC_RELAXED);
        conn_close(s, c);
        return;
    }
    ptc_ns arrived_ns = ptc_now_ns();
    c->total = (uint64_t)kib * 1024;
    if (s->latency_ns == 0) {
        start_write(s, c);
        return;
    }
    c->state = CONN_WAITING;
    c->due_ns = arrived_ns + s->latency_ns;
    c->next = NULL;
    c->prev = s->tail;
    if (s->tail != NULL) {
        s->tail->next = c;
    } else {
        s->head = c;
        arm_timer(s, c->due_ns);
    }
    s->tail = c;
}

/* Edge-triggered: reads until EAGAIN, or until the line is complete (anything after it is the
 * client's error, ignored). */
static void conn_read(struct server *s, struct conn *c) {
    for (;;) {
        size_t room = PTC_NET_REQUEST_MAX - c->req_len;
        ssize_t n = recv(c->fd, c->req + c->req_len, room, 0);
        if (n > 0) {
            char *start = c->req + c->req_len;
            char *nl = memchr(start, '\n', (size_t)n);
            c->req_len += (uint32_t)n;
            if (nl != NULL) {
                /* recv returns less than asked only when it took everything there was. */
                c->input_clean = nl == start + n - 1 && (size_t)n < room;
                *nl = '\0';
                conn_request(s, c, c->req);
                return;
            }
            if (c->req_len == PTC_NET_REQUEST_MAX) {
                __atomic_add_fetch(s->refused, 1, __ATOMIC_RELAXED);
                conn_close(s, c); /* no newline within the limit: malformed */
                return;
            }
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        conn_free(s, c); /* EOF before a whole line, or a reset */
        return;
    }
}

static void conn_event(struct server *s, struct conn *c, uint32_t events) {
    switch (c->state) {
    case CONN_READING:
        conn_read(s, c); /* recv reports EOF and errors itself */
        break;
    case CONN_WAITING:
        /* A reset or hang-up: the client is gone. Input (a half-close, an EOF) is no reason
         * to stop: the client may still read; edge-triggered, it wakes the loop only once. */
        if (events & (EPOLLHUP | EPOLLERR))
            conn_free(s, c);
        break;
    case CONN_WRITING:
        conn_write(s, c); /* send reports the error, if any */
        break;
    }
}

static void accept_all(struct server *s) {
    /* Thousands of connections may arrive together: take every one the backlog holds. */
    while (s->accepting) {
        int fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO || errno == EPERM)
                continue;
            if ((errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) &&
                s->n_conns > 0) {
                /* Out of descriptors or memory: the backlog holds the rest until a connection
                 * ends and frees one. */
                pause_accept(s);
                return;
            }
            fatal("accept4");
        }
        struct conn *c = calloc(1, sizeof *c);
        /* Edge-triggered, so that a connection is registered once and never modified on its
         * usual path (accept, read, wait, write, close): each epoll_ctl is a syscall. */
        struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.ptr = c};
        if (c == NULL || epoll_ctl(s->ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
            int saved = errno;
            close(fd);
            free(c);
            errno = saved;
            if (s->n_conns == 0)
                fatal("new connection");
            pause_accept(s);
            return;
        }
        c->fd = fd;
        c->state = CONN_READING;
        s->n_conns++;
        if (s->n_conns >= s->max_conns)
            pause_accept(s);
        /* No read yet: when the request is already there, the next epoll_wait reports it. */
    }
}

static void on_timer(struct server *s) {
    uint64_t expirations;
    if (read(s->tfd, &expirations, sizeof expirations) < 0 && errno != EAGAIN && errno != EINTR)
        fatal("read timerfd");
    ptc_ns now = ptc_now_ns();
    while (s->head != NULL && s->head->due_ns <= now) {
        struct conn *c = s->head;
        s->head = c->next;
        if (s->head != NULL)
            s->head->prev = NULL;
        else
            s->tail = NULL;
        c->prev = c->next = NULL;
        start_write(s, c);
    }
    if (s->head != NULL)
        arm_timer(s, s->head->due_ns);
}

_Noreturn static void serve(struct server *s) {
    struct epoll_event evs[MAX_EVENTS];
    for (;;) {
        int n = epoll_wait(s->ep, evs, MAX_EVENTS, -1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fatal("epoll_wait");
        }
        bool listener = false, timer = false;
        for (int i = 0; i < n; i++) {
            if (evs[i].data.ptr == &s->lfd)
                listener = true;
            else if (evs[i].data.ptr == &s->tfd)
                timer = true;
            else
                conn_event(s, evs[i].data.ptr, evs[i].events);
        }
        /* Only after the batch: the timer may free connections that still had an event in it,
         * while a connection's own event frees nothing but itself. */
        if (timer)
            on_timer(s);
        if (listener)
            accept_all(s);
    }
}

static void report_error(int fd, int err, const char *what, const char *addr_text) {
    struct start_report r = {.err = err};
    snprintf(r.msg, sizeof r.msg, "%s %s: %s", what, addr_text, strerror(-err));
    /* Below PIPE_BUF: one atomic write. */
    ssize_t n = write(fd, &r, sizeof r);
    (void)n;
    _exit(1);
}

/* Descriptors inherited from the benchmark would stay open for the server's whole life: a
 * pipe's write end kept here would, for instance, hide EOF from its reader. Keep only stdio
 * and the report pipe. */
static int close_inherited(int keep) {
    int fd = fcntl(keep, F_DUPFD_CLOEXEC, 3);
    if (fd < 0)
        return -1;
    if (keep > 2)
        close(keep);
    if (fd > 3)
        close_range(3, (unsigned)fd - 1, 0);
    close_range((unsigned)fd + 1, ~0U, 0);
    return fd;
}

_Noreturn static void server_child(int report_fd, const struct sockaddr_storage *addr,
                                   socklen_t addr_len, const char *addr_text,
                                   const struct ptc_net_server *srv, ptc_ns latency_ns,
                                   uint32_t max_conns) {
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, SIGTERM);
    sigaddset(&unblock, SIGINT);
    sigaddset(&unblock, SIGHUP);
    /* SIGTERM's default action is the clean exit: the kernel closes every socket. The parent
     * may have had it blocked when it forked. */
    sigprocmask(SIG_UNBLOCK, &unblock, NULL);
    signal(SIGPIPE, SIG_IGN);

    report_fd = close_inherited(report_fd);
    if (report_fd < 0)
        _exit(1);
    ptc_raise_nofile_limit(); /* best effort: fewer descriptors only means fewer connections */
    ptc_timer_slack_min();    /* the timerfd wakes within microseconds of the due time */

    struct server s = {.latency_ns = latency_ns,
                       .max_conns = max_conns,
                       .accepting = true,
                       .token = srv->token,
                       .refused = srv->refused};
    s.lfd = socket(addr->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s.lfd < 0)
        report_error(report_fd, -errno, "socket", addr_text);
    int one = 1;
    setsockopt(s.lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(s.lfd, (const struct sockaddr *)addr, addr_len) != 0)
        report_error(report_fd, -errno, "bind", addr_text);
    if (listen(s.lfd, LISTEN_BACKLOG) != 0)
        report_error(report_fd, -errno, "listen", addr_text);
    struct sockaddr_storage bound;
    socklen_t bound_len = sizeof bound;
    if (getsockname(s.lfd, (struct sockaddr *)&bound, &bound_len) != 0)
        report_error(report_fd, -errno, "getsockname", addr_text);
    uint16_t port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                      : ((struct sockaddr_in *)&bound)->sin_port);

    s.ep = epoll_create1(EPOLL_CLOEXEC);
    if (s.ep < 0)
        report_error(report_fd, -errno, "epoll_create1 for", addr_text);
    s.tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (s.tfd < 0)
        report_error(report_fd, -errno, "timerfd_create for", addr_text);
    struct epoll_event lev = {.events = EPOLLIN, .data.ptr = &s.lfd};
    struct epoll_event tev = {.events = EPOLLIN, .data.ptr = &s.tfd};
    if (epoll_ctl(s.ep, EPOLL_CTL_ADD, s.lfd, &lev) != 0 ||
        epoll_ctl(s.ep, EPOLL_CTL_ADD, s.tfd, &tev) != 0)
        report_error(report_fd, -errno, "epoll_ctl for", addr_text);

    struct start_report r = {.err = 0, .port = port};
    if (write(report_fd, &r, sizeof r) != (ssize_t)sizeof r)
        _exit(1);
    close(report_fd);
    serve(&s);
}

/* Waits for pid (ptc_wait_child). Returns 1 when it changed state (*status set), 0 when WNOHANG
 * found it running, or a negative errno. */
static int reap(pid_t pid, int flags, int *status) {
    pid_t got = ptc_wait_child(pid, status, flags, NULL);
    return got <= 0 ? (int)got : 1;
}

/* Reads the child's report, waiting at most STARTUP_TIMEOUT_S. Returns 0, -EPIPE when the
 * child closed the pipe without a report, -ETIMEDOUT, or -errno. */
static int read_report(int fd, struct start_report *r) {
    size_t got = 0;
    ptc_ns deadline = ptc_now_ns() + STARTUP_TIMEOUT_S * PTC_NS_PER_S;
    while (got < sizeof *r) {
        ptc_ns now = ptc_now_ns();
        if (now >= deadline)
            return -ETIMEDOUT;
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int pr = poll(&pfd, 1, (int)((deadline - now) / PTC_NS_PER_MS) + 1);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr < 0)
            return -errno;
        if (pr == 0)
            continue;
        ssize_t n = read(fd, (char *)r + got, sizeof *r - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            return -EPIPE;
        got += (size_t)n;
    }
    return 0;
}

/* One request the way a client makes it: "GET 0 0\n" must be answered by an empty body. */
static int test_request(const struct ptc_net_server *srv, ptc_ns latency_ns) {
    int fd = socket(srv->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    ptc_ns limit_ns = latency_ns + STARTUP_TIMEOUT_S * PTC_NS_PER_S;
    struct timeval tv = {.tv_sec = (time_t)(limit_ns / PTC_NS_PER_S),
                         .tv_usec = (suseconds_t)(limit_ns % PTC_NS_PER_S / PTC_NS_PER_US)};
    int rc = 0;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0) {
        rc = -errno;
        goto out;
    }
    while (connect(fd, (const struct sockaddr *)&srv->addr, srv->addr_len) != 0) {
        if (errno != EINTR) {
            rc = errno == EINPROGRESS ? -ETIMEDOUT : -errno;
            goto out;
        }
    }
    char req[PTC_NET_REQUEST_MAX + 1];
    size_t len = (size_t)ptc_net_format_request(req, sizeof req, 0, 0, srv->token);
    size_t sent = 0;
    while (sent < len) {
        ssize_t n = send(fd, req + sent, len - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = errno == EAGAIN ? -ETIMEDOUT : -errno;
            goto out;
        }
        sent += (size_t)n;
    }
    for (;;) {
        char buf[64];
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = errno == EAGAIN ? -ETIMEDOUT : -errno;
            goto out;
        }
        if (n > 0) {
            rc = -EPROTO; /* an empty body was asked for */
            goto out;
        }
        break;
    }
out:
    close(fd);
    return rc;
}

static int stop_process(struct ptc_net_server *srv);

/* ptc_net_server_start but for the refused counter, which the caller maps and unmaps. */
static int start_server(struct ptc_net_server *srv, const struct ptc_net_server_opts *o, char *err,
                        size_t err_size) {
    static const struct ptc_net_server_opts defaults = {0};
    if (o == NULL)
        o = &defaults;
    const char *text = o->bind_addr != NULL ? o->bind_addr : PTC_NET_DEFAULT_ADDR;
    uint32_t max_conns = o->max_connections ? o->max_connections : PTC_NET_DEFAULT_MAX_CONNECTIONS;
    struct sockaddr_storage addr;
    socklen_t addr_len;
    /* The policy check comes first: nothing is forked for an address that may not be bound. */
    int rc = ptc_net_loopback_addr(text, 0, &addr, &addr_len);
    if (rc < 0) {
        snprintf(err, err_size,
                 "bind address \"%s\": not a numeric loopback address (127.0.0.0/8 or ::1)", text);
        return rc;
    }
    char addr_text[sizeof srv->addr_text];
    snprintf(addr_text, sizeof addr_text, "%s", text);
    char where[sizeof addr_text + 8];
    if (addr.ss_family == AF_INET6)
        snprintf(where, sizeof where, "[%s]:0", addr_text);
    else
        snprintf(where, sizeof where, "%s:0", addr_text);

    /* Before the fork: the child serves from these pages and the parent's checksums read them. */
    ptc_net_body_prepare();
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0) {
        rc = -errno;
        snprintf(err, err_size, "net server: pipe: %s", strerror(errno));
        return rc;
    }
    pid_t pid = ptc_fork_worker();
    if (pid == 0) {
        close(pfd[0]);
        server_child(pfd[1], &addr, addr_len, where, srv, o->latency_ns, max_conns);
    }
    if (pid < 0) {
        rc = -errno;
        snprintf(err, err_size, "net server: fork: %s", strerror(errno));
        close(pfd[0]);
        close(pfd[1]);
        return rc;
    }
    close(pfd[1]);
    struct start_report r;
    rc = read_report(pfd[0], &r);
    close(pfd[0]);
    if (rc == 0 && r.err != 0) {
        rc = r.err;
        snprintf(err, err_size, "%s", r.msg);
    } else if (rc == -EPIPE) {
        rc = -ECHILD;
        snprintf(err, err_size, "net server on %s: exited during startup", where);
    } else if (rc < 0) {
        snprintf(err, err_size, "net server on %s: no startup report: %s", where, strerror(-rc));
    }
    if (rc < 0) {
        int status;
        kill(pid, SIGKILL);
        reap(pid, 0, &status);
        return rc;
    }

    srv->pid = pid;
    srv->port = r.port;
    srv->request_timeout_ns = PTC_NET_TIMEOUT_FACTOR * o->latency_ns + PTC_NET_TIMEOUT_SLACK_NS;
    memcpy(srv->addr_text, addr_text, sizeof srv->addr_text);
    ptc_net_loopback_addr(text, r.port, &srv->addr, &srv->addr_len);
    rc = test_request(srv, o->latency_ns);
    if (rc < 0) {
        snprintf(err, err_size, "net server on %s port %u: test request: %s", addr_text,
                 (unsigned)r.port, strerror(-rc));
        stop_process(srv);
        return rc;
    }
    return 0;
}

int ptc_net_server_start(struct ptc_net_server *srv, const struct ptc_net_server_opts *o, char *err,
                         size_t err_size) {
    memset(srv, 0, sizeof *srv);
    /* A token only this run's clients know: any other local user's request is refused. */
    if (getrandom(&srv->token, sizeof srv->token, 0) != (ssize_t)sizeof srv->token)
        srv->token = (uint64_t)ptc_now_ns() ^ ((uint64_t)getpid() << 32);
    uint64_t *refused =
        mmap(NULL, sizeof *refused, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (refused == MAP_FAILED) {
        int rc = -errno;
        memset(srv, 0, sizeof *srv);
        snprintf(err, err_size, "net server: mmap: %s", strerror(-rc));
        return rc;
    }
    srv->refused = refused;
    int rc = start_server(srv, o, err, err_size);
    if (rc < 0) {
        munmap(refused, sizeof *refused);
        memset(srv, 0, sizeof *srv);
    }
    return rc;
}

/* How long the fault report waits for a dying server to show as dead: a server killed while the
 * tasks talk to it closes their connections (they fail at once) a moment before the kernel makes
 * it a zombie; on a loaded machine (TSan) the report came out in between and named no cause. */
#define FAULT_SETTLE_NS   (200 * PTC_NS_PER_MS)
#define FAULT_SETTLE_STEP (10 * PTC_NS_PER_MS)

void ptc_net_server_fault(const struct ptc_net_server *srv, char *buf, size_t size) {
    char how[64];
    ptc_child_peek(srv->pid, how, sizeof how);
    for (ptc_ns waited = 0; how[0] == '\0' && srv->pid > 0 && waited < FAULT_SETTLE_NS;
         waited += FAULT_SETTLE_STEP) {
        ptc_sleep_ns(FAULT_SETTLE_STEP);
        ptc_child_peek(srv->pid, how, sizeof how);
    }
    buf[0] = '\0';
    if (how[0] != '\0')
        snprintf(buf, size, "the net server (pid %d) %s", (int)srv->pid, how);
}

int ptc_net_server_stop(struct ptc_net_server *srv) {
    int rc = stop_process(srv);
    if (srv->refused != NULL)
        munmap(srv->refused, sizeof *srv->refused);
    srv->refused = NULL;
    return rc;
}

static int stop_process(struct ptc_net_server *srv) {
    if (srv->pid <= 0)
        return 0;
    pid_t pid = srv->pid;
    int status = 0;
    /* Already gone on its own? Then it did not get to answer everything: say so. */
    int got = reap(pid, WNOHANG, &status);
    if (got < 0) {
        srv->pid = 0;
        return got;
    }
    if (got > 0) {
        srv->pid = 0;
        return -ECHILD;
    }
    kill(pid, SIGTERM);
    ptc_ns deadline = ptc_now_ns() + STOP_GRACE_NS;
    /* Polling keeps SIGCHLD handling out of the library; the server dies at once on SIGTERM,
     * so the first or second look usually finds it. */
    while ((got = reap(pid, WNOHANG, &status)) == 0 && ptc_now_ns() < deadline)
        ptc_sleep_ns(STOP_POLL_NS);
    if (got == 0) {
        kill(pid, SIGKILL);
        got = reap(pid, 0, &status);
    }
    srv->pid = 0;
    return got < 0 ? got : 0;
}
