/* The execution context of the coroutine runtime (exec/exec.h implemented on a coro/sched.h
 * scheduler): what the coroutine models give their workloads. */
#ifndef PTC_EXEC_EXEC_CORO_H
#define PTC_EXEC_EXEC_CORO_H

#include "coro/sched.h"
#include "exec/exec.h"

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
