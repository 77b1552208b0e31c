/* Guard pages below coroutine stacks, watched: a fault in one ends the program with one line
 * naming the stack's size ("coroutine stack overflow: ... past the end of its 32 KiB stack
 * (--stack-kib)") and the program's cleanups (core/signals.h), not with a bare SIGSEGV. Faults
 * anywhere else get the default action. Each thread that runs coroutines on a watched stack
 * needs a stack of its own for the handler (the overflowing one has no room): ptc_overflow_thread
 * gives it one. */
#ifndef PTC_CORO_OVERFLOW_H
#define PTC_CORO_OVERFLOW_H

#include <stddef.h>

/* The most guard pages watched at once (one per shared-stack scheduler). */
#define PTC_OVERFLOW_MAX_WATCHED 512

/* Watches [guard, guard + guard_bytes) below a stack of stack_bytes; installs the SIGSEGV
 * handler (again: whatever replaced it since is replaced). Beyond PTC_OVERFLOW_MAX_WATCHED the
 * guard still faults, unnamed. */
void ptc_overflow_watch(void *guard, size_t guard_bytes, size_t stack_bytes);
void ptc_overflow_unwatch(void *guard);

/* Gives the calling thread an alternate signal stack when it has none, kept until the thread
 * ends (then unmapped). Cheap once the thread has one. */
void ptc_overflow_thread(void);

#endif
