/* Helpers for the models that fork. */
#ifndef PTC_MODEL_PROC_H
#define PTC_MODEL_PROC_H

#include "model/model.h"

#include <sys/types.h>

/* fork() for a worker. In the child: default SIGINT/SIGTERM/SIGHUP dispositions (the parent's
 * cleanup handlers are not the child's business) and SIGKILL when the parent dies, so no worker
 * outlives an interrupted run. Returns as fork() does (-1 with errno set on failure). Call from
 * the main thread: the parent-death signal follows the thread that forked. */
pid_t ptc_fork_worker(void);

/* Waits for pid (retrying on EINTR) and adds its rusage to *acc. Returns 0, or a negative errno
 * when the wait failed, or -ECHILD when the child did not exit with status 0. */
int ptc_reap(pid_t pid, struct ptc_child_usage *acc);

#endif
