#include "core/child.h"

#include "core/signals.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
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

#if defined(__SANITIZE_THREAD__)
#include <time.h>

/* TSan builds only. TSan runs a signal's handler at once only inside the calls it counts as
 * blocking, and wait4 is not one: a signal that arrives during wait4 waits until wait4 returns,
 * so the watchdog's timer signal (runner/watchdog.c) waited for the very child it was to report
 * stopped, for ever. Here a blocking wait is WNOHANG waits a millisecond apart, sleeping in
 * nanosleep, which TSan counts as blocking. */
static pid_t wait4_signals_run(pid_t pid, int *status, int flags, struct rusage *ru) {
    if (flags & WNOHANG)
        return wait4(pid, status, flags, ru);
    for (;;) {
        pid_t got = wait4(pid, status, flags | WNOHANG, ru);
        if (got != 0)
            return got;
        struct timespec ms = {.tv_sec = 0, .tv_nsec = 1000000};
        nanosleep(&ms, NULL);
    }
}
#else
#define wait4_signals_run wait4
#endif

pid_t ptc_wait_child(pid_t pid, int *status, int flags, struct rusage *ru) {
    pid_t got;
    do {
        got = wait4_signals_run(pid, status, flags, ru);
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

/* "SIGKILL", or "signal 40" for a signal without a name. */
static void signal_name(int sig, char *buf, size_t size) {
    const char *abbrev = sigabbrev_np(sig);
    if (abbrev != NULL)
        snprintf(buf, size, "SIG%s", abbrev);
    else
        snprintf(buf, size, "signal %d", sig);
}

void ptc_wait_status_text(int status, char *buf, size_t size) {
    char sig[32];
    buf[0] = '\0';
    if (WIFSIGNALED(status)) {
        signal_name(WTERMSIG(status), sig, sizeof sig);
        snprintf(buf, size, "killed by %s", sig);
    } else if (WIFSTOPPED(status)) {
        signal_name(WSTOPSIG(status), sig, sizeof sig);
        snprintf(buf, size, "stopped by %s", sig);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
    }
}

void ptc_child_peek(pid_t pid, char *buf, size_t size) {
    siginfo_t si;
    memset(&si, 0, sizeof si);
    buf[0] = '\0';
    if (pid <= 0 || waitid(P_PID, (id_t)pid, &si, WEXITED | WSTOPPED | WNOHANG | WNOWAIT) < 0 ||
        si.si_pid != pid)
        return;
    char sig[32];
    signal_name(si.si_status, sig, sizeof sig);
    if (si.si_code == CLD_STOPPED || si.si_code == CLD_TRAPPED)
        snprintf(buf, size, "stopped by %s", sig);
    else if (si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED)
        snprintf(buf, size, "killed by %s", sig);
    else if (si.si_code == CLD_EXITED && si.si_status != 0)
        snprintf(buf, size, "exited with status %d", si.si_status);
}
