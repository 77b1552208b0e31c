#include "workload/net_client.h"

#include "core/hash.h"

#include <errno.h>
#include <unistd.h>

/* Why the check is in the task and not after the run: checking afterwards means keeping every
 * body until the run ends (1000 x 64 KiB is 64 MiB of freshly touched pages, whose first-touch
 * faults would cost more than the hash), while XXH3 over the 4 KiB just read, still in L1, costs
 * a few percent of the copy out of the socket that brought it there. */
int ptc_net_fetch(struct ptc_exec *ex, const struct ptc_net_server *srv, uint32_t task,
                  uint32_t kib, uint64_t *hash) {
    char req[PTC_NET_REQUEST_MAX + 1];
    int len = ptc_net_format_request(req, sizeof req, task, kib, srv->token);
    if (len < 0)
        return len;
    int fd = ex->ops->socket(ex, srv->addr.ss_family, SOCK_STREAM, 0);
    if (fd < 0)
        return fd;
    /* A stopped server then fails the step that waits for it, under every model, before the
     * runner's watchdog would end the run; a limit that cannot be set leaves the watchdog. */
    if (srv->request_timeout_ns > 0)
        ex->ops->set_timeout(ex, fd, srv->request_timeout_ns);
    int rc = ex->ops->connect(ex, fd, (const struct sockaddr *)&srv->addr, srv->addr_len);
    if (rc == 0) {
        ssize_t w = ptc_exec_write_full(ex, fd, req, (size_t)len, -1);
        rc = w < 0 ? (int)w : 0;
    }
    struct ptc_hash h;
    ptc_hash_init(&h);
    uint64_t got = 0;
    char buf[4096];
    while (rc == 0) {
        ssize_t n = ex->ops->read(ex, fd, buf, sizeof buf, -1);
        if (n < 0)
            rc = (int)n;
        if (n <= 0)
            break;
        ptc_hash_update(&h, buf, (size_t)n);
        got += (uint64_t)n;
    }
    close(fd);
    if (rc == -EAGAIN || rc == -EINPROGRESS)
        rc = -ETIMEDOUT; /* what a blocking receive, send or connect past its limit returns */
    if (rc == 0 && got != (uint64_t)kib * 1024)
        rc = -EPROTO;
    *hash = ptc_hash_digest(&h);
    return rc;
}
