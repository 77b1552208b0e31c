#include "core/signals.h"

#include <errno.h>

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

static void on_fatal_signal(int sig) {
    for (int i = 0; i < MAX_CLEANUPS; i++)
        if (cleanups[i] != NULL)
            cleanups[i]();
    signal(sig, SIG_DFL);
    raise(sig);
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
    struct sigaction sa = {.sa_handler = on_fatal_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    return 0;
}
