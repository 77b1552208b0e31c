/* The coroutine runtime's settings for this process: set once by a program from its command line
 * (--coro-switch, --poller, --stack-kib, --coro-guard, --stack-mode, --mn-threads) before any
 * scheduler is made, and read by whatever makes schedulers (the coroutine models, the
 * micro-benchmarks). */
#ifndef PTC_CORO_CONFIG_H
#define PTC_CORO_CONFIG_H

#include "coro/sched.h"

/* The settings; defaults: fcontext, auto poller, 32 KiB stacks, no guard pages (see config.c
 * for why). The returned object may be modified before schedulers are made. */
struct ptc_sched_opts *ptc_coro_config(void);

/* The most scheduler threads an M:N coroutine model may be given (--mn-threads). */
#define PTC_MN_MAX_THREADS 256u

/* The scheduler threads of the M:N coroutine models: --mn-threads N, else one per online CPU. */
uint32_t ptc_coro_mn_threads(void);

/* Applies one coroutine option by its long name without dashes ("coro-switch", "poller",
 * "stack-kib", "coro-guard", "stack-mode", "mn-threads") to ptc_coro_config(). Returns 0, or
 * -EINVAL with a one-line reason naming the option, the value and the valid values in err. Shared
 * by every program that runs coroutines, so they all accept the same flags. */
int ptc_coro_option(const char *name, const char *value, char *err, size_t err_size);

/* Checks that the options given fit together (shared stacks need fcontext, and are not in
 * AddressSanitizer builds). Returns 0, or -EINVAL with a one-line reason in err. Programs call it
 * after their command line. */
int ptc_coro_config_check(char *err, size_t err_size);

#endif
