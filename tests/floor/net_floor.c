/* net_floor: the floor of ptc-run's net workload, independent of ptcbench (it links nothing of
 * it). A loopback server answers each request with KIB KiB LATENCY ms after it arrived; TASKS
 * client threads, one per request as ptc-run's thread model makes them, connect, send
 * "GET <task> <kib>\n" and read until EOF into a READ KiB buffer, checking only the length.
 * Nothing else happens inside the timing: the body is one buffer written before the first run,
 * no byte is hashed. The wall time of a run is from the first client thread's creation to the
 * last one's join, as ptc-run times a run; runs are repeated and summarised.
 *
 * The server is plain threads too: one accepts and reads each request line (stamping its
 * arrival) in an epoll loop, and one sender per CPU waits for the due time of the oldest request
 * (all have the same latency, so a FIFO is the order) and sends its body, so that both CPUs can
 * send.
 *
 * Usage: net_floor [--tasks N] [--kib K] [--latency-ms L] [--read-kib B] [--repeat R]
 * Prints one line per run and a summary line: "net_floor: tasks N kib K latency_ms L read_kib
 * B: median M ms min m ms max x ms". Exit 0 ok, 1 failure, 2 bad usage. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_MS 1000000ULL
#define NS_PER_S  1000000000ULL

struct opts {
    unsigned long tasks, kib, latency_ms, read_kib, repeat;
};

/* A request the acceptor has read whole and the senders will answer. */
struct pending {
    int fd;
    uint64_t due_ns;
};

static struct opts o = {1000, 64, 100, 4, 5};
static struct sockaddr_in server_addr;
static uint8_t *body;
static struct pending *queue; /* a ring of o.tasks entries: at most one run's requests wait */
static size_t q_head, q_len;
static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_cond = PTHREAD_COND_INITIALIZER;
static unsigned long client_errors; /* atomic */

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

_Noreturn static void die(const char *what) {
    fprintf(stderr, "net_floor: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void *sender(void *arg) {
    (void)arg;
    prctl(PR_SET_TIMERSLACK, 1UL); /* wake at the due time, not 50 us later */
    for (;;) {
        pthread_mutex_lock(&q_lock);
        while (q_len == 0)
            pthread_cond_wait(&q_cond, &q_lock);
        struct pending p = queue[q_head];
        q_head = (q_head + 1) % o.tasks;
        q_len--;
        pthread_mutex_unlock(&q_lock);
        struct timespec due = {.tv_sec = (time_t)(p.due_ns / NS_PER_S),
                               .tv_nsec = (long)(p.due_ns % NS_PER_S)};
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) == EINTR)
            ;
        size_t left = o.kib * 1024, off = 0;
        while (left > 0) {
            ssize_t n = send(p.fd, body + off, left, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break; /* the client is gone: it counts the error */
            off += (size_t)n;
            left -= (size_t)n;
        }
        close(p.fd);
    }
    return NULL;
}

/* One epoll loop accepts and reads the request lines, so that a client not yet scheduled to send
 * its line holds up no other. A line is a few bytes sent at once: it arrives in one piece. */
static void *acceptor(void *arg) {
    int lfd = *(int *)arg;
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = lfd};
    if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) != 0)
        die("epoll");
    for (;;) {
        struct epoll_event evs[256];
        int n = epoll_wait(ep, evs, 256, -1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            die("epoll_wait");
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if (fd == lfd) {
                int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
                ev = (struct epoll_event){.events = EPOLLIN, .data.fd = c};
                if (c >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev) != 0)
                    die("epoll_ctl");
                continue;
            }
            char req[64];
            ssize_t got = recv(fd, req, sizeof req, 0);
            epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
            if (got <= 0 || memchr(req, '\n', (size_t)got) == NULL) {
                close(fd); /* the client sees a short body and counts the error */
                continue;
            }
            uint64_t due_ns = now_ns() + o.latency_ms * NS_PER_MS;
            pthread_mutex_lock(&q_lock);
            queue[(q_head + q_len) % o.tasks] = (struct pending){.fd = fd, .due_ns = due_ns};
            q_len++;
            pthread_cond_signal(&q_cond);
            pthread_mutex_unlock(&q_lock);
        }
    }
    return NULL;
}

static void *client(void *arg) {
    unsigned long task = (unsigned long)(uintptr_t)arg;
    size_t size = o.read_kib * 1024;
    char buf[size]; /* on the stack, which glibc keeps for the next thread: no fresh pages */
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    uint64_t got = 0;
    int ok = fd >= 0 && connect(fd, (struct sockaddr *)&server_addr, sizeof server_addr) == 0;
    char req[64];
    int len = snprintf(req, sizeof req, "GET %lu %lu\n", task, o.kib);
    ok = ok && send(fd, req, (size_t)len, MSG_NOSIGNAL) == len;
    while (ok) {
        ssize_t n = recv(fd, buf, size, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ok = n == 0;
            break;
        }
        got += (uint64_t)n;
    }
    if (!ok || got != o.kib * 1024)
        __atomic_add_fetch(&client_errors, 1, __ATOMIC_RELAXED);
    if (fd >= 0)
        close(fd);
    return NULL;
}

static uint64_t one_run(pthread_t *tids) {
    uint64_t t0 = now_ns();
    for (unsigned long i = 0; i < o.tasks; i++) {
        int rc = pthread_create(&tids[i], NULL, client, (void *)(uintptr_t)i);
        if (rc != 0) {
            errno = rc;
            die("pthread_create");
        }
    }
    for (unsigned long i = 0; i < o.tasks; i++)
        pthread_join(tids[i], NULL);
    return now_ns() - t0;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void parse(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        static const char *const names[] = {"--tasks", "--kib", "--latency-ms", "--read-kib",
                                            "--repeat"};
        unsigned long *fields[] = {&o.tasks, &o.kib, &o.latency_ms, &o.read_kib, &o.repeat};
        const unsigned long lo[] = {1, 0, 0, 1, 1}, hi[] = {100000, 65536, 60000, 1024, 1000};
        size_t k = 0;
        while (k < 5 && strcmp(argv[i], names[k]) != 0)
            k++;
        if (k == 5) {
            fprintf(stderr,
                    "net_floor: %s: unknown option (--tasks, --kib, --latency-ms, "
                    "--read-kib, --repeat)\n",
                    argv[i]);
            exit(2);
        }
        if (i + 1 == argc) {
            fprintf(stderr, "net_floor: %s: needs a value\n", argv[i]);
            exit(2);
        }
        char *end;
        errno = 0;
        unsigned long v = strtoul(argv[++i], &end, 10);
        if (errno != 0 || end == argv[i] || *end != '\0' || argv[i][0] == '-' || v < lo[k] ||
            v > hi[k]) {
            fprintf(stderr, "net_floor: %s %s: expected a whole number in %lu..%lu\n", names[k],
                    argv[i], lo[k], hi[k]);
            exit(2);
        }
        *fields[k] = v;
    }
}

int main(int argc, char **argv) {
    parse(argc, argv);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    body = malloc(o.kib * 1024 + 1);
    queue = calloc(o.tasks, sizeof *queue);
    pthread_t *tids = calloc(o.tasks, sizeof *tids);
    uint64_t *wall_ns = calloc(o.repeat, sizeof *wall_ns);
    if (body == NULL || queue == NULL || tids == NULL || wall_ns == NULL)
        die("malloc");
    for (size_t i = 0; i < o.kib * 1024; i++)
        body[i] = (uint8_t)(i * 2654435761u >> 24); /* written once, before any run */

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    server_addr.sin_family = AF_INET;
    server_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof server_addr;
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&server_addr, sizeof server_addr) != 0 ||
        listen(lfd, 65535) != 0 || getsockname(lfd, (struct sockaddr *)&server_addr, &len) != 0)
        die("listen on 127.0.0.1");
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    pthread_t t;
    if (pthread_create(&t, NULL, acceptor, &lfd) != 0)
        die("pthread_create");
    for (long i = 0; i < (cpus > 0 ? cpus : 1); i++) {
        if (pthread_create(&t, NULL, sender, NULL) != 0)
            die("pthread_create");
    }

    one_run(tids); /* warm-up: thread stacks, socket memory */
    for (unsigned long r = 0; r < o.repeat; r++) {
        wall_ns[r] = one_run(tids);
        printf("run %lu: %.1f ms\n", r + 1, (double)wall_ns[r] / NS_PER_MS);
    }
    if (client_errors != 0) {
        fprintf(stderr, "net_floor: %lu requests failed or came back short\n", client_errors);
        free(tids);
        free(wall_ns);
        return 1;
    }
    qsort(wall_ns, o.repeat, sizeof *wall_ns, cmp_u64);
    uint64_t median = o.repeat % 2 ? wall_ns[o.repeat / 2]
                                   : (wall_ns[o.repeat / 2 - 1] + wall_ns[o.repeat / 2]) / 2;
    printf("net_floor: tasks %lu kib %lu latency_ms %lu read_kib %lu: median %.1f ms min %.1f ms "
           "max %.1f ms\n",
           o.tasks, o.kib, o.latency_ms, o.read_kib, (double)median / NS_PER_MS,
           (double)wall_ns[0] / NS_PER_MS, (double)wall_ns[o.repeat - 1] / NS_PER_MS);
    free(tids);
    free(wall_ns);
    return 0;
}
