/* The signals that end a ptcbench program and trigger its cleanup (SIGINT, SIGTERM, SIGHUP). */
#ifndef PTC_CORE_SIGNALS_H
#define PTC_CORE_SIGNALS_H

#include <signal.h>

/* Blocks the cleanup signals in the calling thread; the previous mask goes to *old. Use around
 * a window in which a handler must not run (a file created but not yet registered, a fork). */
void ptc_cleanup_signals_block(sigset_t *old);

/* Restores the mask saved by ptc_cleanup_signals_block. Preserves errno. */
void ptc_cleanup_signals_restore(const sigset_t *old);

#endif
