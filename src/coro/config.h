/* The coroutine runtime's settings for the coroutine models, set once by a program from its
 * command line (--coro-switch, --poller, --stack-kib, --coro-guard) before any run. */
#ifndef PTC_CORO_CONFIG_H
#define PTC_CORO_CONFIG_H

#include "coro/sched.h"

/* The settings the coroutine models use; defaults: fcontext, auto poller, 32 KiB stacks, no
 * guard pages (see config.c for why). The returned object may be modified before runs start. */
struct ptc_sched_opts *ptc_coro_config(void);

/* The stack pool the coroutine models share across runs on this thread, made on first use from
 * ptc_coro_config()->stack: runs after the first (the warm-up) find their stacks mapped and
 * resident, as a long-running program does. NULL when it cannot be made (bad stack size). */
struct ptc_stack_pool *ptc_coro_model_pool(void);

/* Applies one coroutine option by its long name without dashes ("coro-switch", "poller",
 * "stack-kib", "coro-guard") to ptc_coro_config(). Returns 0, or -EINVAL with a one-line reason
 * naming the option, the value and the valid values in err. Shared by every program that runs
 * coroutines, so they all accept the same flags. */
int ptc_coro_option(const char *name, const char *value, char *err, size_t err_size);

#endif
