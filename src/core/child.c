#include "core/child.h"

#include "core/signals.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t ptc_fork_worker(void) {
    pid_t parent = getpid();
    /* A signal that ends this program kills and reaps its workers (core/signals.h). A worker
     * inherits the handler, which sees it is not the process that installed it and dies as the
     * default action would: no mask to block across fork, no handlers to reset in the child, so
     * the child pays for fork and its task, not for ptcbench's bookkeeping. */
    ptc_cleanup_signals_install();
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* The parent may have died before prctl took effect. */
    if (getppid() != parent)
        _exit(1);
    return 0;
}

pid_t ptc_wait_child(pid_t pid, int *status, int flags, struct rusage *ru) {
    pid_t got;
    do {
        got = wait4(pid, status, flags, ru);
    } while (got < 0 && errno == EINTR);
    return got < 0 ? -errno : got;
}

int ptc_reap(pid_t pid, struct ptc_child_usage *acc) {
    int status;
    return ptc_reap_status(pid, acc, &status);
}

int ptc_reap_status(pid_t pid, struct ptc_child_usage *acc, int *status_out) {
    int status;
    struct rusage ru;
    pid_t got = ptc_wait_child(pid, &status, 0, &ru);
    if (got < 0)
        return got;
    *status_out = status;
    acc->user_ns += ptc_timeval_ns(ru.ru_utime);
    acc->sys_ns += ptc_timeval_ns(ru.ru_stime);
    if ((uint64_t)ru.ru_maxrss > acc->max_rss_kib)
        acc->max_rss_kib = (uint64_t)ru.ru_maxrss;
    acc->vol_ctxsw += (uint64_t)ru.ru_nvcsw;
    acc->invol_ctxsw += (uint64_t)ru.ru_nivcsw;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ECHILD;
}
