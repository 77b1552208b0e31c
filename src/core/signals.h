/* The signals that end a ptcbench program and trigger its cleanup (SIGINT, SIGTERM, SIGHUP). */
#ifndef PTC_CORE_SIGNALS_H
#define PTC_CORE_SIGNALS_H

#include <signal.h>

/* Blocks the cleanup signals in the calling thread; the previous mask goes to *old. Use around
 * a window in which a handler must not run (a file created but not yet registered, a fork). */
void ptc_cleanup_signals_block(sigset_t *old);

/* Restores the mask saved by ptc_cleanup_signals_block. Preserves errno. */
void ptc_cleanup_signals_restore(const sigset_t *old);

/* Adds fn to what runs when a cleanup signal ends the program (at most 8 functions; adding one
 * twice adds it once). fn runs inside a signal handler: async-signal-safe calls only (unlink,
 * rmdir, kill, ...). Installs the handler on first use; the handler kills and reaps the child
 * processes, runs every fn, then ends the program with the same signal. Returns 0 or -ENOSPC. */
int ptc_cleanup_add(void (*fn)(void));

/* Installs that handler without adding a function (a program that forks calls it, so that its
 * children are killed and reaped when a signal ends it). A forked child inherits the handler;
 * in any process but the one that installed it, the handler only ends the process as the
 * default action would, so children need not reset it (and cleanups added in a child never
 * run: they are the parent's to do). */
void ptc_cleanup_signals_install(void);

/* Does what a cleanup signal does (kills and reaps the children, runs every added function),
 * then ends the program with _exit(status). For a fault that no caller can recover from, such as
 * a worker thread stuck in a task (runner/watchdog.h): a thread cannot be killed. */
_Noreturn void ptc_cleanup_exit(int status);

#endif
