#include "runner/watchdog.h"

#include "core/format.h"
#include "core/signals.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

static ptc_ns timeout_setting_ns = PTC_WATCHDOG_DEFAULT;

void ptc_watchdog_set_timeout(ptc_ns timeout_ns) {
    timeout_setting_ns = timeout_ns;
}

ptc_ns ptc_watchdog_deadline_ns(ptc_ns ideal_ns) {
    if (timeout_setting_ns != PTC_WATCHDOG_DEFAULT)
        return timeout_setting_ns;
    return PTC_WATCHDOG_IDEAL_FACTOR * ideal_ns + PTC_WATCHDOG_SLACK_NS;
}

/* "SIGKILL", or "signal 40" for a signal without a name. */
static void signal_name(int sig, char *buf, size_t size) {
    const char *abbrev = sigabbrev_np(sig);
    if (abbrev != NULL)
        snprintf(buf, size, "SIG%s", abbrev);
    else
        snprintf(buf, size, "signal %d", sig);
}

/* What happened to a worker process, from its wait status or a peek at it: "stopped by
 * SIGSTOP", "killed by SIGKILL", "exited with status 3"; "" while it runs normally. */
static void process_fault(const struct ptc_worker_slot *slot, pid_t pid, char *buf, size_t size) {
    char sig[32];
    buf[0] = '\0';
    if (__atomic_load_n(&slot->reaped, __ATOMIC_ACQUIRE)) {
        int st = slot->wait_status;
        if (WIFSIGNALED(st)) {
            signal_name(WTERMSIG(st), sig, sizeof sig);
            snprintf(buf, size, "killed by %s", sig);
        } else if (WIFEXITED(st) && WEXITSTATUS(st) != 0) {
            snprintf(buf, size, "exited with status %d", WEXITSTATUS(st));
        }
        return;
    }
    /* WNOWAIT: look without reaping, so that the parent's wait for it still gets it. */
    siginfo_t si = {0};
    if (waitid(P_PID, (id_t)pid, &si, WEXITED | WSTOPPED | WNOHANG | WNOWAIT) < 0 ||
        si.si_pid != pid)
        return;
    signal_name(si.si_status, sig, sizeof sig);
    if (si.si_code == CLD_STOPPED || si.si_code == CLD_TRAPPED)
        snprintf(buf, size, "stopped by %s", sig);
    else if (si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED)
        snprintf(buf, size, "killed by %s", sig);
    else if (si.si_code == CLD_EXITED && si.si_status != 0)
        snprintf(buf, size, "exited with status %d", si.si_status);
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

void ptc_watchdog_describe(const struct ptc_run_spec *spec, char *buf, size_t size) {
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
        snprintf(buf, size, "every task finished");
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

static uint64_t finished_tasks(const struct ptc_run_spec *spec) {
    uint64_t n = 0;
    for (uint32_t i = 0; i < spec->wl->p.tasks; i++)
        n += __atomic_load_n(&spec->results[i].runs, __ATOMIC_RELAXED);
    return n;
}

_Noreturn static void fire(struct ptc_watchdog *wd, uint64_t finished) {
    char why[192], limit[32];
    ptc_watchdog_describe(wd->spec, why, sizeof why);
    ptc_fmt_ns(limit, sizeof limit, (double)wd->deadline_ns);
    fprintf(stderr,
            "%s: %s: no task finished for %s (the deadline; see --timeout): %s; %llu of %u "
            "tasks finished; run ended, child processes killed\n",
            program_invocation_short_name, wd->label, limit, why, (unsigned long long)finished,
            wd->spec->wl->p.tasks);
    ptc_cleanup_exit(1);
}

static void *watch(void *arg) {
    struct ptc_watchdog *wd = arg;
    uint64_t seen = 0;
    pthread_mutex_lock(&wd->mu);
    for (;;) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        ptc_ns at = (ptc_ns)until.tv_sec * PTC_NS_PER_S + (ptc_ns)until.tv_nsec + wd->deadline_ns;
        until = (struct timespec){.tv_sec = (time_t)(at / PTC_NS_PER_S),
                                  .tv_nsec = (long)(at % PTC_NS_PER_S)};
        int rc = 0;
        while (!wd->done && rc != ETIMEDOUT)
            rc = pthread_cond_timedwait(&wd->cv, &wd->mu, &until);
        if (wd->done)
            break;
        uint64_t now = finished_tasks(wd->spec);
        if (now == seen)
            fire(wd, now);
        seen = now;
    }
    pthread_mutex_unlock(&wd->mu);
    return NULL;
}

int ptc_watchdog_start(struct ptc_watchdog *wd, const struct ptc_run_spec *spec, ptc_ns deadline_ns,
                       const char *label) {
    memset(wd, 0, sizeof *wd);
    wd->spec = spec;
    wd->deadline_ns = deadline_ns;
    snprintf(wd->label, sizeof wd->label, "%s", label);
    if (deadline_ns == 0)
        return 0;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    int rc = pthread_cond_init(&wd->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (rc != 0)
        return -rc;
    pthread_mutex_init(&wd->mu, NULL);
    rc = pthread_create(&wd->thread, NULL, watch, wd);
    if (rc != 0) {
        pthread_cond_destroy(&wd->cv);
        pthread_mutex_destroy(&wd->mu);
        return -rc;
    }
    wd->running = true;
    return 0;
}

void ptc_watchdog_stop(struct ptc_watchdog *wd) {
    if (!wd->running)
        return;
    pthread_mutex_lock(&wd->mu);
    wd->done = true;
    pthread_cond_signal(&wd->cv);
    pthread_mutex_unlock(&wd->mu);
    /* After a firing this never returns: the watchdog ends the program. */
    pthread_join(wd->thread, NULL);
    pthread_cond_destroy(&wd->cv);
    pthread_mutex_destroy(&wd->mu);
    wd->running = false;
}
