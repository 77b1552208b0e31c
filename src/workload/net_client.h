/* The client side of the loopback protocol (net_server.h), through an execution context: one
 * request per connection, as a tutorial's urllib.request.urlopen(url).read(). */
#ifndef PTC_WORKLOAD_NET_CLIENT_H
#define PTC_WORKLOAD_NET_CLIENT_H

#include "exec/exec.h"
#include "workload/net_server.h"

/* Connects to srv, asks for task's body of kib KiB, reads until the server closes, and stores
 * the ptc_hash (XXH3) of what arrived in *hash: ptc_net_body_checksum(task, kib) when the answer
 * was right. Returns 0, -EPROTO when the body's length is wrong, or the negative errno of the
 * failed step. Safe on a coroutine stack (4 KiB buffer and a 600-byte hash state). */
int ptc_net_fetch(struct ptc_exec *ex, const struct ptc_net_server *srv, uint32_t task,
                  uint32_t kib, uint64_t *hash);

#endif
