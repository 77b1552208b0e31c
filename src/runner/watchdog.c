#include "runner/watchdog.h"

#include "core/child.h"
#include "core/format.h"
#include "core/signals.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static ptc_ns timeout_setting_ns = PTC_WATCHDOG_DEFAULT;

void ptc_watchdog_set_timeout(ptc_ns timeout_ns) {
    timeout_setting_ns = timeout_ns;
}

ptc_ns ptc_watchdog_deadline_ns(ptc_ns ideal_ns, uint32_t tasks) {
    if (timeout_setting_ns != PTC_WATCHDOG_DEFAULT)
        return timeout_setting_ns;
    return PTC_WATCHDOG_IDEAL_FACTOR * ideal_ns + PTC_WATCHDOG_SLACK_NS +
           (ptc_ns)tasks * PTC_WATCHDOG_PER_TASK_NS;
}

/* What happened to a worker process: its wait status once reaped, else a peek at it. */
static void process_fault(const struct ptc_worker_slot *slot, pid_t pid, char *buf, size_t size) {
    if (__atomic_load_n(&slot->reaped, __ATOMIC_ACQUIRE))
        ptc_wait_status_text(slot->wait_status, buf, size);
    else
        ptc_child_peek(pid, buf, size);
}

/* "worker 2 (pid 1234)" or "worker 2 (thread)". */
static void worker_name(const struct ptc_worker_slot *slot, uint32_t i, char *buf, size_t size) {
    pid_t pid = __atomic_load_n(&slot->pid, __ATOMIC_ACQUIRE);
    if (pid > 0)
        snprintf(buf, size, "worker %u (pid %d)", i, (int)pid);
    else
        snprintf(buf, size, "worker %u (a thread)", i);
}

/* " while running task 9" or " between tasks". */
static void doing(const struct ptc_worker_slot *slot, char *buf, size_t size) {
    uint32_t task = __atomic_load_n(&slot->task, __ATOMIC_RELAXED);
    if (task > 0)
        snprintf(buf, size, " while running task %u", task - 1);
    else
        snprintf(buf, size, " between tasks");
}

#define EVERY_TASK_FINISHED "every task finished"

/* The worker part of ptc_watchdog_describe. */
static void describe_workers(const struct ptc_run_spec *spec, char *buf, size_t size) {
    char name[48], what[64], task[48];
    uint32_t n_slots = spec->slots != NULL ? spec->n_slots : 0;
    for (uint32_t i = 0; i < n_slots; i++) {
        const struct ptc_worker_slot *slot = &spec->slots[i];
        pid_t pid = __atomic_load_n(&slot->pid, __ATOMIC_ACQUIRE);
        if (pid <= 0)
            continue;
        process_fault(slot, pid, what, sizeof what);
        if (what[0] == '\0')
            continue;
        worker_name(slot, i, name, sizeof name);
        doing(slot, task, sizeof task);
        snprintf(buf, size, "%s %s%s", name, what, task);
        return;
    }
    uint32_t tasks = spec->wl->p.tasks, first = 0;
    while (first < tasks && __atomic_load_n(&spec->results[first].runs, __ATOMIC_RELAXED) != 0)
        first++;
    if (first == tasks) {
        snprintf(buf, size, EVERY_TASK_FINISHED);
        return;
    }
    for (uint32_t i = 0; i < n_slots; i++)
        if (__atomic_load_n(&spec->slots[i].task, __ATOMIC_RELAXED) == first + 1) {
            worker_name(&spec->slots[i], i, name, sizeof name);
            snprintf(buf, size, "%s still running task %u", name, first);
            return;
        }
    snprintf(buf, size, "task %u unfinished", first);
}

void ptc_watchdog_describe(const struct ptc_run_spec *spec, char *buf, size_t size) {
    char workload[128] = "";
    if (spec->wl->wl->describe_fault != NULL)
        spec->wl->wl->describe_fault(spec->wl, workload, sizeof workload);
    char workers[160];
    describe_workers(spec, workers, sizeof workers);
    if (workload[0] != '\0' && strcmp(workers, EVERY_TASK_FINISHED) == 0)
        snprintf(buf, size, "%s", workload);
    else
        snprintf(buf, size, "%s%s%s", workload, workload[0] ? "; " : "", workers);
}

static uint64_t finished_tasks(const struct ptc_run_spec *spec) {
    uint64_t n = 0;
    for (uint32_t i = 0; i < spec->wl->p.tasks; i++)
        n += __atomic_load_n(&spec->results[i].runs, __ATOMIC_RELAXED);
    return n;
}

/* Threads the watchdog has parked: see park_other_threads. */
static volatile int parked;

static void park_here(int sig) {
    (void)sig;
    __atomic_add_fetch(&parked, 1, __ATOMIC_RELEASE);
    for (;;)
        pause();
}

/* The layout of what SYS_getdents64 returns (glibc declares it only with _GNU_SOURCE and a
 * newer version). */
struct dirent64_raw {
    uint64_t ino;
    int64_t off;
    unsigned short reclen;
    unsigned char type;
    char name[];
};

/* Stops every other thread of the program in a signal handler that never returns, and waits up
 * to 200 ms for them to get there: a thread cannot be killed, but once parked it can no longer
 * create a file after the cleanups have removed the run's (a task writing its file). A thread
 * inside a system call parks when the call returns or is interrupted. Lists the threads with
 * getdents64, not opendir: this runs in a signal handler, and opendir allocates. */
static void park_other_threads(void) {
    struct sigaction sa = {.sa_handler = park_here};
    sigfillset(&sa.sa_mask);
    int sig = SIGRTMIN + 3;
    if (sigaction(sig, &sa, NULL) != 0)
        return;
    int dir = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
        return;
    pid_t self = (pid_t)syscall(SYS_gettid), pid = getpid();
    int sent = 0;
    char buf[4096] __attribute__((aligned(8)));
    for (long n; (n = syscall(SYS_getdents64, dir, buf, sizeof buf)) > 0;)
        for (long at = 0; at < n;) {
            const struct dirent64_raw *e = (const void *)(buf + at);
            at += e->reclen;
            pid_t tid = (pid_t)strtol(e->name, NULL, 10);
            if (tid > 0 && tid != self && syscall(SYS_tgkill, pid, tid, sig) == 0)
                sent++;
        }
    close(dir);
    for (int waited_ms = 0; waited_ms < 200 && __atomic_load_n(&parked, __ATOMIC_ACQUIRE) < sent;
         waited_ms++)
        ptc_sleep_ns(PTC_NS_PER_MS);
}

_Noreturn static void fire(const struct ptc_watchdog *wd, uint64_t finished) {
    char why[192], limit[32], line[512];
    ptc_watchdog_describe(wd->spec, why, sizeof why);
    ptc_fmt_ns(limit, sizeof limit, (double)wd->deadline_ns);
    int n = snprintf(line, sizeof line,
                     "%s: %s: no task finished for %s (the deadline; see --timeout): %s; %llu of "
                     "%u tasks finished; run ended, child processes killed\n",
                     program_invocation_short_name, wd->label, limit, why,
                     (unsigned long long)finished, wd->spec->wl->p.tasks);
    if (n > (int)sizeof line - 1)
        n = (int)sizeof line - 1;
    if (n > 0 && write(STDERR_FILENO, line, (size_t)n) < 0) {
        /* nowhere left to say it: the status still says it */
    }
    park_other_threads();
    ptc_cleanup_exit(1);
}

/* Looks LOOKS times per deadline, so that a run ends at most a quarter of a deadline
 * after its last progress plus the deadline, not two deadlines. */
#define LOOKS           4
#define WATCHDOG_SIGNAL (SIGRTMIN + 4)
#define ALTSTACK_BYTES  (64 * 1024)

/* The watchdog being run; the handler runs on the thread that started it (SIGEV_THREAD_ID), so
 * it is never looked at concurrently with start or stop. */
static struct ptc_watchdog *volatile active;

static void look(int sig) {
    (void)sig;
    struct ptc_watchdog *wd = active;
    if (wd == NULL)
        return;
    int saved_errno = errno;
    uint64_t now = finished_tasks(wd->spec);
    if (now != wd->seen) {
        wd->seen = now;
        wd->progress_at_ns = ptc_now_ns();
    } else if (ptc_now_ns() - wd->progress_at_ns >= wd->deadline_ns) {
        fire(wd, now);
    }
    errno = saved_errno;
}

/* The handler's stack: a coroutine's own may be a few KiB. */
static _Alignas(16) char altstack[ALTSTACK_BYTES];

int ptc_watchdog_start(struct ptc_watchdog *wd, const struct ptc_run_spec *spec, ptc_ns deadline_ns,
                       const char *label) {
    memset(wd, 0, sizeof *wd);
    wd->spec = spec;
    wd->deadline_ns = deadline_ns;
    snprintf(wd->label, sizeof wd->label, "%s", label);
    if (deadline_ns == 0)
        return 0;
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
    if (sigaltstack(&ss, &wd->old_altstack) != 0)
        return -errno;
    /* Installed for good: a signal the timer queued just before its deletion may arrive after
     * stop, and must find this handler (it returns), not the default action (termination). */
    struct sigaction sa = {.sa_handler = look, .sa_flags = SA_RESTART | SA_ONSTACK};
    sigfillset(&sa.sa_mask);
    if (sigaction(WATCHDOG_SIGNAL, &sa, NULL) != 0) {
        int rc = -errno;
        sigaltstack(&wd->old_altstack, NULL);
        return rc;
    }
    struct sigevent sev = {.sigev_notify = SIGEV_THREAD_ID, .sigev_signo = WATCHDOG_SIGNAL};
    sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
    if (timer_create(CLOCK_MONOTONIC, &sev, &wd->timer) != 0) {
        int rc = -errno;
        sigaltstack(&wd->old_altstack, NULL);
        return rc;
    }
    wd->progress_at_ns = ptc_now_ns();
    active = wd;
    ptc_ns step = deadline_ns / LOOKS > 0 ? deadline_ns / LOOKS : 1;
    struct timespec every = {.tv_sec = (time_t)(step / PTC_NS_PER_S),
                             .tv_nsec = (long)(step % PTC_NS_PER_S)};
    struct itimerspec its = {.it_interval = every, .it_value = every};
    if (timer_settime(wd->timer, 0, &its, NULL) != 0) {
        int rc = -errno;
        active = NULL;
        timer_delete(wd->timer);
        sigaltstack(&wd->old_altstack, NULL);
        return rc;
    }
    wd->running = true;
    return 0;
}

void ptc_watchdog_stop(struct ptc_watchdog *wd) {
    if (!wd->running)
        return;
    timer_delete(wd->timer);
    /* A signal the timer queued before its deletion finds no watchdog and returns. */
    active = NULL;
    sigaltstack(&wd->old_altstack, NULL);
    wd->running = false;
}
