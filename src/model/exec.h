/* The execution context a task runs in: how it waits. Workloads never call blocking syscalls
 * for waiting directly; they go through this interface, so the same workload code blocks a
 * thread under seq/fork/procpool/thread/threadpool and suspends a coroutine under the coroutine
 * models (what gevent's monkey-patching does in Python, made explicit). */
#ifndef PTC_MODEL_EXEC_H
#define PTC_MODEL_EXEC_H

#include "core/clock.h"

struct ptc_exec;

struct ptc_exec_ops {
    const char *name; /* "blocking", ... : recorded with results */
    /* Waits at least duration_ns. Returns 0 or a negative errno. */
    int (*sleep_ns)(struct ptc_exec *ex, ptc_ns duration_ns);
};

struct ptc_exec {
    const struct ptc_exec_ops *ops;
    void *impl; /* the implementation's own state; NULL for the blocking context */
};

/* The blocking context: each wait blocks the calling thread. Stateless and thread-safe. */
extern struct ptc_exec ptc_exec_blocking;

static inline int ptc_exec_sleep_ns(struct ptc_exec *ex, ptc_ns duration_ns) {
    return ex->ops->sleep_ns(ex, duration_ns);
}

#endif
