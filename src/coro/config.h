/* The coroutine runtime's settings for the coroutine models, set once by a program from its
 * command line (--coro-switch, --poller, --stack-kib, --coro-guard) before any run. */
#ifndef PTC_CORO_CONFIG_H
#define PTC_CORO_CONFIG_H

#include "coro/sched.h"
#include "model/exec.h"

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

/* The exec context for the coroutines of one scheduler, with what its regular-file I/O did. */
struct ptc_coro_exec {
    struct ptc_exec ex; /* what workloads are given; ex.impl points back here */
    struct ptc_sched *sched;
    int file_paths; /* the paths regular-file transfers took (exec_coro.c), for file_io */
    int no_nowait;  /* 1 << kind for the transfers the file system refused RWF_NOWAIT for */
};

/* Sets up cx for the coroutines of s, with no file I/O recorded: waits suspend the calling
 * coroutine on s. Under an asynchronous poller (io_uring), a regular-file read or write is first
 * tried in place without blocking (RWF_NOWAIT), goes to the poller when that would block, and is
 * done in place, blocking, where the file system cannot try without blocking (ext4's buffered
 * writes). ex.ops->file_io then names the paths taken: "page cache" (all served at once),
 * "async" (all handed off), "page cache, else async", "page cache, else blocks the thread", ...
 * and "page cache, else async" before any file I/O. Under epoll file I/O blocks the thread
 * ("blocks the thread"). */
void ptc_coro_exec_init(struct ptc_coro_exec *cx, struct ptc_sched *s);

#endif
