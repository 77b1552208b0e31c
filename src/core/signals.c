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
