/* The net workload's server: a loopback process that answers each request after a fixed latency,
 * standing in for the web servers the Python tutorials download from.
 *
 * Protocol (one request per connection, no headers):
 *   client -> server  "GET <task> <kib> <token>\n"  task and kib decimal uint32, kib <=
 *                     PTC_NET_MAX_KIB, token the server's (16 lowercase hex digits), at most
 *                     PTC_NET_REQUEST_MAX bytes with the newline
 *   server -> client  exactly kib * 1024 body bytes, byte i being ptc_net_body_byte(task, i)
 *                     (net_body.h: a window of a pattern made once, chosen by task),
 *                     sent latency_ns after the whole request line arrived; then the server
 *                     closes the connection (EOF ends the body)
 * A malformed request (no newline within PTC_NET_REQUEST_MAX bytes, a bad number, kib too large,
 * a token not the server's: another local user's client) is answered by closing the connection
 * without a body, and counted in *refused. The client must send nothing after the
 * request line: it may shut down its write side, but must keep reading until EOF.
 *
 * Only loopback addresses (127.0.0.0/8, ::1) are ever bound: ptc_net_loopback_addr is the gate. */
#ifndef PTC_WORKLOAD_NET_SERVER_H
#define PTC_WORKLOAD_NET_SERVER_H

#include "core/clock.h"
#include "workload/net_body.h"

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#define PTC_NET_REQUEST_MAX             64    /* bytes in a request line, the newline included */
#define PTC_NET_MAX_KIB                 65536 /* the largest body a request may ask for: 64 MiB */
#define PTC_NET_DEFAULT_ADDR            "127.0.0.1"
#define PTC_NET_DEFAULT_MAX_CONNECTIONS 20000

struct ptc_net_server_opts {
    const char *bind_addr;    /* numeric loopback address; NULL means PTC_NET_DEFAULT_ADDR */
    ptc_ns latency_ns;        /* delay from a complete request line to the first body byte */
    uint32_t max_connections; /* connections held at once (more wait in the listen backlog);
                               * 0 means PTC_NET_DEFAULT_MAX_CONNECTIONS */
};

/* A running server, filled by ptc_net_server_start. Plain data: a forked child may copy it and
 * connect to addr, but only the process that started the server may stop it. */
struct ptc_net_server {
    pid_t pid;                    /* the server process; 0 when none is running */
    uint16_t port;                /* the port the kernel picked, host byte order */
    struct sockaddr_storage addr; /* where clients connect (address and port), for connect() */
    socklen_t addr_len;           /* the length of addr to pass to connect() */
    char addr_text[64];           /* the bound address as given, e.g. "127.0.0.1", for messages */
    uint64_t token;               /* random per server: every request must carry it */
    uint64_t *refused;         /* MAP_SHARED: requests refused so far (a wrong or missing token, a
                                * malformed line); NULL when none is running */
    ptc_ns request_timeout_ns; /* a client's limit on each connect, send and receive wait:
                                * PTC_NET_TIMEOUT_FACTOR x latency + PTC_NET_TIMEOUT_SLACK_NS;
                                * 0: none (a zeroed server) */
};

/* A stopped server would hold its clients forever: each request step gives up after
 * this many latencies plus this slack (-ETIMEDOUT). Within ptc-run's default watchdog deadline
 * (runner/watchdog.h), so the request fails first and names itself. */
#define PTC_NET_TIMEOUT_FACTOR   5
#define PTC_NET_TIMEOUT_SLACK_NS (4 * PTC_NS_PER_S)

/* Parses text as a numeric loopback address (IPv4 127.0.0.0/8 or IPv6 ::1) with the given port
 * (host byte order) into *out and *out_len. Host names, "", 0.0.0.0, any other address and
 * IPv4-mapped IPv6 forms are refused with -EADDRNOTAVAIL. Pure; thread-safe. */
int ptc_net_loopback_addr(const char *text, uint16_t port, struct sockaddr_storage *out,
                          socklen_t *out_len);

/* Forks the server process and returns once it accepts connections: the child reports its port
 * through a pipe, then the parent makes one test request ("GET 0 0\n", which takes latency_ns).
 * The child resets SIGINT/SIGTERM/SIGHUP to their defaults, ignores SIGPIPE, gets SIGKILL when
 * the forking thread ends (so call this from the main thread), raises its descriptor limit to
 * the hard limit and closes every descriptor it inherited but stdin/stdout/stderr; it writes to
 * stderr only a one-line reason before exiting on a fatal error. A non-loopback bind_addr is
 * refused (-EADDRNOTAVAIL) before anything is forked. o NULL means all defaults. Returns 0 with
 * *srv filled, or a negative errno with a one-line reason in err and *srv zeroed (no process is
 * left behind). Not thread-safe: forks, so call it while no other thread may be inside malloc or
 * stdio. */
int ptc_net_server_start(struct ptc_net_server *srv, const struct ptc_net_server_opts *o, char *err,
                         size_t err_size);

/* Ends the server: SIGTERM, then SIGKILL if it has not exited within 2 s; reaps it (retrying on
 * EINTR) and sets srv->pid to 0. Returns 0 when the server was running until now and is gone,
 * -ECHILD when it had already died on its own (a fatal error, see its stderr), or another
 * negative errno from waitpid. Idempotent: 0 on a stopped or zeroed server. */
int ptc_net_server_stop(struct ptc_net_server *srv);

/* "the net server (pid 42) killed by SIGKILL" (or stopped, or exited with a status) into buf,
 * or "" while it runs or when none was started. Callable from any thread of the process that
 * started it; reaps nothing. */
void ptc_net_server_fault(const struct ptc_net_server *srv, char *buf, size_t size);

/* Raises this process's soft RLIMIT_NOFILE to its hard limit (to fs.nr_open when the hard limit
 * is unlimited), so one process can hold thousands of sockets. The server calls it in its child;
 * client processes call it themselves (forked children inherit the raised limit). Returns 0 or
 * a negative errno. */
int ptc_raise_nofile_limit(void);

/* Writes the request line for (task, kib) with the server's token into buf, NUL-terminated. Returns
 * its length without the NUL (the bytes to send), or -ENOSPC when size is too small
 * (PTC_NET_REQUEST_MAX + 1 always suffices), or -ERANGE when kib > PTC_NET_MAX_KIB. */
int ptc_net_format_request(char *buf, size_t size, uint32_t task, uint32_t kib, uint64_t token);

#endif
