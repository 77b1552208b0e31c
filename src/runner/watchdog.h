/* The watchdog of a measured run: ends a run in which no task has finished for a deadline.
 * It is a POSIX timer that signals the thread that started it (the runner's) four times per
 * deadline; the handler compares the number of finished tasks with what it saw last time (so
 * it ends a stuck run between 1 and 1.25 deadlines after its last finished task). No thread of
 * its own: a second thread, even asleep, made every fork of the fork model about 15 % slower
 * (the parent's page tables are shared with a thread that ran on the other CPU, so each
 * copy-on-write needs a cross-CPU flush). A healthy run pays for one signal per quarter
 * deadline (at least 1.25 s apart by default) and nothing in the hot path; the interrupted
 * system calls restart (SA_RESTART) or are retried on EINTR by their callers.
 *
 * When it fires it prints one line naming the stuck worker and what it was doing (a worker
 * process stopped or killed by a signal is named with the signal, as concurrent.futures raises
 * BrokenProcessPool where multiprocessing.Pool hangs), then kills and reaps every child, runs
 * the cleanups (core/signals.h: partial outputs, temporary folders) and ends the program with
 * status 1: a thread or a coroutine stuck in a task cannot be killed, so no model is recovered
 * from; the same ending for all of them. All of it runs in the handler, on an alternate signal
 * stack (a coroutine's stack may be small), with calls that take no lock: snprintf into a
 * buffer, write(2), waitid, getdents64, kill. */
#ifndef PTC_RUNNER_WATCHDOG_H
#define PTC_RUNNER_WATCHDOG_H

#include "model/model.h"

#include <signal.h>
#include <stdbool.h>
#include <time.h>

/* The default deadline: PTC_WATCHDOG_IDEAL_FACTOR x the run's ideal time (runner/ideal.h) plus
 * PTC_WATCHDOG_SLACK_NS plus PTC_WATCHDOG_PER_TASK_NS per task: no task of `coro` ends before
 * every task's coroutine is made, and a fresh stack's first page fault took about 18 us on this
 * project's VM (10^6 coroutines: 18 s before the first task ended, past 10 x 10 ms + 5 s). */
#define PTC_WATCHDOG_IDEAL_FACTOR 10
#define PTC_WATCHDOG_SLACK_NS     (5 * PTC_NS_PER_S)
#define PTC_WATCHDOG_PER_TASK_NS  (50 * PTC_NS_PER_US)

/* The deadline of every later run: timeout_ns > 0 sets it, 0 turns the watchdog off, and
 * PTC_WATCHDOG_DEFAULT (the initial setting) derives it from each run's ideal. Not thread-safe:
 * call before the runs (ptc-run's --timeout). */
#define PTC_WATCHDOG_DEFAULT ((ptc_ns)-1)
void ptc_watchdog_set_timeout(ptc_ns timeout_ns);

/* The deadline a run of `tasks` tasks with this ideal gets under the current setting; 0: no
 * watchdog. */
ptc_ns ptc_watchdog_deadline_ns(ptc_ns ideal_ns, uint32_t tasks);

struct ptc_watchdog {
    const struct ptc_run_spec *spec;
    ptc_ns deadline_ns;
    char label[96]; /* "procpool W=4 tasks=40" */
    timer_t timer;
    stack_t old_altstack;
    uint64_t seen;         /* finished tasks at the last look */
    ptc_ns progress_at_ns; /* when that number last changed */
    bool running;
};

/* Starts watching the run of spec (its results and slots) with the given deadline; deadline 0
 * starts nothing. label names the run in the message. One watchdog at a time per program;
 * start and stop it on the same thread. Returns 0 or a negative errno. */
int ptc_watchdog_start(struct ptc_watchdog *wd, const struct ptc_run_spec *spec, ptc_ns deadline_ns,
                       const char *label);

/* Stops the watchdog of a run that returned. */
void ptc_watchdog_stop(struct ptc_watchdog *wd);

/* One line on why the run of spec is stuck, into buf: the first worker process found stopped or
 * dead (with its signal), else the first unfinished task and the worker running it. For the
 * watchdog, and for the runner after a run in which tasks never ran (a worker was killed). */
void ptc_watchdog_describe(const struct ptc_run_spec *spec, char *buf, size_t size);

#endif
