/* Children and fds for the claims about processes (claims_globals.c, claims_queue.c,
 * claims_pipe.c, claims_terminate.c). Every scenario forks its own children with
 * ptc_fork_worker (they die with the caller) and reaps each of them on every path, the error
 * paths included: no scenario leaves a child, an fd or a mapping behind, and none touches a
 * process-wide setting (signal dispositions, masks, affinity) that would need restoring. */
#ifndef PTC_CLAIMS_CHILDREN_H
#define PTC_CLAIMS_CHILDREN_H

#include "core/clock.h"

#include <stddef.h>
#include <sys/types.h>

/* How long the parent waits for a child to reach a state before it gives up. Only a broken run
 * gets there, and then the scenario could not run (an error), which is not a verdict. */
#define PTC_CLAIMS_GUARD_NS (5 * PTC_NS_PER_S)
/* The step of the parent's waits for a child's state. */
#define PTC_CLAIMS_POLL_NS (50 * PTC_NS_PER_US)

/* The error path: whatever state the child is in, it is gone when this returns. */
void ptc_claims_kill_reap(pid_t pid);

/* Reaps a child that should have exited with status 0. Returns 0 or a negative errno. */
int ptc_claims_reap_ok(pid_t pid);

/* Closes *fd when open and sets it to -1. */
void ptc_claims_close_fd(int *fd);

/* Reads size bytes from fd, or fewer when end-of-file comes first, waiting at most until
 * deadline_ns. Returns the bytes read, -ETIMEDOUT, or a negative errno. */
ssize_t ptc_claims_read_until(int fd, void *buf, size_t size, ptc_ns deadline_ns);

/* Writes all of buf; send() with MSG_NOSIGNAL on sockets, so that a peer that died makes an
 * EPIPE here rather than a SIGPIPE that would end the caller. Returns 0 or a negative errno. */
int ptc_claims_write_all(int fd, const void *buf, size_t size, int is_socket);

/* The state letter of /proc/<pid>/stat (R, S, Z, ...), or 0 when it cannot be read. */
char ptc_claims_proc_state(pid_t pid);

#endif
