/* Forking and reaping child processes: workers that die with their parent, and a reap that
 * retries EINTR and sums the child's rusage. */
#ifndef PTC_CORE_CHILD_H
#define PTC_CORE_CHILD_H

#include "core/clock.h"

#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

/* Resources used by the child processes a run reaped (from wait4), for models with children. */
struct ptc_child_usage {
    ptc_ns user_ns, sys_ns;
    uint64_t max_rss_kib; /* the largest child's peak resident set */
    uint64_t vol_ctxsw, invol_ctxsw;
};

/* fork() for a worker. Installs core/signals.h's cleanup handler first, so that a signal ending
 * this program kills and reaps its workers; the child inherits it, and there it acts as the
 * default action would. The child gets SIGKILL when the parent dies, so no worker outlives an
 * interrupted run. Returns as fork() does (-1 with errno set on failure). Call from
 * the main thread: the parent-death signal follows the thread that forked. */
pid_t ptc_fork_worker(void);

/* wait4() retrying EINTR: waits for pid as waitpid(pid, status, flags) does, and fills *ru
 * (may be NULL) with its resource usage. Returns pid, 0 (WNOHANG: it has not changed state), or
 * a negative errno. */
pid_t ptc_wait_child(pid_t pid, int *status, int flags, struct rusage *ru);

/* Waits for pid (retrying on EINTR) and adds its rusage to *acc. Returns 0, or a negative errno
 * when the wait failed, or -ECHILD when the child did not exit with status 0. */
int ptc_reap(pid_t pid, struct ptc_child_usage *acc);

/* How a child process that is not reaped yet fares, looked at without reaping it (waitid with
 * WNOWAIT, from any thread of its parent): "stopped by SIGSTOP", "killed by SIGKILL", "exited
 * with status 3" into buf, or "" while it runs (or is not this process's child). */
void ptc_child_peek(pid_t pid, char *buf, size_t size);

/* The same words for a wait status from waitpid: "" for a clean exit (status 0). */
void ptc_wait_status_text(int status, char *buf, size_t size);

/* ptc_reap that also stores the wait status in *status (untouched when the wait failed). */
int ptc_reap_status(pid_t pid, struct ptc_child_usage *acc, int *status);

#endif
