#include "core/signals.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void ptc_cleanup_signals_block(sigset_t *old) {
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, old);
}

void ptc_cleanup_signals_restore(const sigset_t *old) {
    int saved = errno;
    sigprocmask(SIG_SETMASK, old, NULL);
    errno = saved;
}

#define MAX_CLEANUPS 8
static void (*volatile cleanups[MAX_CLEANUPS])(void);

/* Kills (SIGKILL) every child of the main thread, the one that forks the workers, listed in
 * /proc/self/task/<pid>/children, and reaps them: a program ended by a signal leaves neither a
 * running worker nor a zombie for init to collect. Async-signal-safe: open, read, kill, waitpid. */
static void kill_and_reap_children(void) {
    char path[48] = "/proc/self/task/", digits[16];
    int len = 0;
    for (pid_t p = getpid(); p > 0; p /= 10)
        digits[len++] = (char)('0' + p % 10);
    size_t at = sizeof "/proc/self/task/" - 1;
    while (len > 0)
        path[at++] = digits[--len];
    const char tail[] = "/children";
    for (size_t i = 0; i < sizeof tail; i++)
        path[at + i] = tail[i];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    pid_t pid = 0;
    char buf[512];
    ssize_t n;
    while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0)
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] >= '0' && buf[i] <= '9') {
                pid = pid * 10 + (buf[i] - '0');
            } else if (pid > 0) {
                kill(pid, SIGKILL);
                pid = 0;
            }
        }
    if (pid > 0)
        kill(pid, SIGKILL);
    if (fd >= 0)
        close(fd);
    /* The killed children die at once; others (of other threads) are waited for up to 1 s. */
    const struct timespec tick = {0, 1000000};
    for (int waited = 0; waited < 1000;) {
        pid_t r = waitpid(-1, NULL, WNOHANG | __WALL);
        if (r < 0)
            break;
        if (r == 0) {
            nanosleep(&tick, NULL);
            waited++;
        }
    }
}

/* The process that installed the handler: a forked worker inherits the handler, and must die as
 * the default action would, without killing its parent's other children or unlinking its files. */
static volatile pid_t owner_pid;

/* The signal is blocked while its handler runs, so the raise() that ends the process takes
 * effect when the handler returns: errno is restored first, as a returning handler must (TSan
 * reported "signal handler spoils errno" on every Ctrl-C of a run). */
/* What ending the program does before it ends: the children killed and reaped, then every
 * added cleanup. Async-signal-safe. */
static void clean_up(void) {
    kill_and_reap_children();
    for (int i = 0; i < MAX_CLEANUPS; i++)
        if (cleanups[i] != NULL)
            cleanups[i]();
}

static void on_fatal_signal(int sig) {
    int saved_errno = errno;
    if (getpid() == owner_pid)
        clean_up();
    signal(sig, SIG_DFL);
    raise(sig);
    errno = saved_errno;
}

_Noreturn void ptc_cleanup_exit(int status) {
    clean_up();
    _exit(status);
}

int ptc_cleanup_add(void (*fn)(void)) {
    int free_slot = -1;
    for (int i = 0; i < MAX_CLEANUPS; i++) {
        if (cleanups[i] == fn)
            return 0;
        if (cleanups[i] == NULL && free_slot < 0)
            free_slot = i;
    }
    if (free_slot < 0)
        return -ENOSPC;
    cleanups[free_slot] = fn;
    ptc_cleanup_signals_install();
    return 0;
}

void ptc_cleanup_signals_install(void) {
    static volatile sig_atomic_t installed;
    if (installed)
        return;
    owner_pid = getpid();
    struct sigaction sa = {.sa_handler = on_fatal_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    installed = 1;
}
