#include "core/child.h"
#include "model/group.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int ptc_proc_group_run(uint32_t count, ptc_worker_body body, void *arg,
                       struct ptc_child_usage *children, struct ptc_worker_slot *slots) {
    pid_t *pids = malloc((count ? count : 1) * sizeof *pids);
    if (pids == NULL)
        return -ENOMEM;
    uint32_t started = 0;
    int rc = 0;
    /* Buffered output would be copied into every child and written again by any exit that
     * flushes stdio: empty the buffers once, before the first fork. */
    fflush(NULL);
    for (; started < count; started++) {
        pid_t pid = ptc_fork_worker();
        if (pid == 0) {
            body(arg, started);
            _exit(0);
        }
        if (pid < 0) {
            rc = -errno;
            break;
        }
        pids[started] = pid;
        if (slots != NULL)
            __atomic_store_n(&slots[started].pid, pid, __ATOMIC_RELEASE);
    }
    /* Reap everything started, also after a failed fork: no child outlives the run. A child
     * that died abnormally (-ECHILD) shows up as a task that never ran; it is not a run error. */
    for (uint32_t i = 0; i < started; i++) {
        int status = 0;
        int r = ptc_reap_status(pids[i], children, &status);
        if (slots != NULL && (r == 0 || r == -ECHILD)) {
            slots[i].wait_status = status;
            __atomic_store_n(&slots[i].reaped, 1, __ATOMIC_RELEASE);
        }
        if (r < 0 && r != -ECHILD && rc == 0)
            rc = r;
    }
    free(pids);
    return rc;
}
