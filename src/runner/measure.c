#include "runner/measure.h"

#include "core/procfs.h"
#include "runner/ideal.h"
#include "runner/watchdog.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* ru_maxrss is a high-water mark over the whole process life; writing 5 to clear_refs resets
 * it (Linux >= 4.0) so that each run reports its own peak. */
static void reset_peak_rss(void) {
    int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (write(fd, "5", 1) < 0) {
            /* not fatal: the figure is then the process-life peak */
        }
        close(fd);
    }
}

/* Mappings of this process now: what each fork copies page tables for. 0 when unreadable. */
static uint32_t count_mappings(void) {
    FILE *fp = fopen("/proc/self/maps", "re");
    if (fp == NULL)
        return 0;
    uint32_t lines = 0;
    int c;
    while ((c = getc_unlocked(fp)) != EOF)
        lines += c == '\n';
    fclose(fp);
    return lines;
}

int ptc_measure_run(const struct ptc_model *m, struct ptc_workload_state *st, uint32_t workers,
                    long cpus, struct ptc_task_result *results, struct ptc_run_record *rec) {
    memset(rec, 0, sizeof *rec);
    ptc_results_reset(results, st->p.tasks);
    struct ptc_child_usage children = {0};
    rec->info = (struct ptc_run_info){.exec = ptc_exec_blocking.ops->name,
                                      .ctx = "",
                                      .poller = "",
                                      .file_io = ptc_exec_blocking.ops->file_io(NULL)};
    struct ptc_run_spec spec = {.wl = st,
                                .workers = workers,
                                .results = results,
                                .children = &children,
                                .info = &rec->info};
    /* Set-up that is not the mechanism (a coroutine runtime's ring and stacks) happens here,
     * before the clock and the resource counters start. */
    if (m->prepare != NULL) {
        int rc = m->prepare(&spec);
        if (rc < 0)
            return rc;
    }
    if (st->wl->run_begin != NULL) {
        int rc = st->wl->run_begin(st);
        if (rc < 0) {
            if (m->release != NULL)
                m->release(&spec);
            return rc;
        }
    }
    uint32_t n_slots = workers > st->p.tasks ? workers : st->p.tasks;
    spec.slots = ptc_worker_slots_alloc(n_slots);
    spec.n_slots = spec.slots != NULL ? n_slots : 0;
    rec->ideal_ns = ptc_ideal_ns(m, st, workers, cpus);
    char label[96];
    snprintf(label, sizeof label, "%s W=%u tasks=%u", m->name, workers, st->p.tasks);
    struct ptc_watchdog wd;
    int wd_rc =
        ptc_watchdog_start(&wd, &spec, ptc_watchdog_deadline_ns(rec->ideal_ns, st->p.tasks), label);
    if (spec.slots == NULL || wd_rc < 0) {
        ptc_worker_slots_free(spec.slots, n_slots);
        if (m->release != NULL)
            m->release(&spec);
        if (st->wl->run_end != NULL)
            st->wl->run_end(st, results);
        return wd_rc < 0 ? wd_rc : -ENOMEM;
    }
    struct rusage self0, self1;
    struct ptc_condition_mark mark;
    reset_peak_rss();
    rec->parent_maps = count_mappings();
    ptc_condition_begin(&mark);
    ptc_utc_iso8601(rec->started_at, sizeof rec->started_at);
    getrusage(RUSAGE_SELF, &self0);
    uint64_t refused0 = st->refused != NULL ? __atomic_load_n(st->refused, __ATOMIC_RELAXED) : 0;
    rec->run_start_ns = ptc_now_ns();
    rec->run_error = m->run(&spec);
    rec->wall_ns = ptc_now_ns() - rec->run_start_ns;
    getrusage(RUSAGE_SELF, &self1);
    ptc_watchdog_stop(&wd);
    if (st->refused != NULL)
        rec->net_refused = __atomic_load_n(st->refused, __ATOMIC_RELAXED) - refused0;
    rec->user_ns =
        ptc_timeval_ns(self1.ru_utime) - ptc_timeval_ns(self0.ru_utime) + children.user_ns;
    rec->sys_ns = ptc_timeval_ns(self1.ru_stime) - ptc_timeval_ns(self0.ru_stime) + children.sys_ns;
    ptc_condition_end(&mark, rec->user_ns + rec->sys_ns, cpus, &rec->cond);
    if (m->release != NULL)
        m->release(&spec);
    if (st->wl->run_end != NULL)
        st->wl->run_end(st, results);

    rec->parallelism = m->parallelism(workers, st->p.tasks);
    uint64_t self_rss = ptc_peak_rss_kib();
    rec->max_rss_kib = self_rss > children.max_rss_kib ? self_rss : children.max_rss_kib;
    rec->vol_ctxsw = (uint64_t)(self1.ru_nvcsw - self0.ru_nvcsw) + children.vol_ctxsw;
    rec->invol_ctxsw = (uint64_t)(self1.ru_nivcsw - self0.ru_nivcsw) + children.invol_ctxsw;
    rec->tasks_ok = ptc_workload_verify(st, results);
    if (rec->tasks_ok != st->p.tasks)
        ptc_watchdog_describe(&spec, rec->fault, sizeof rec->fault);
    ptc_worker_slots_free(spec.slots, n_slots);
    rec->efficiency =
        rec->ideal_ns > 0 && rec->wall_ns > 0 ? (double)rec->ideal_ns / (double)rec->wall_ns : NAN;
    return 0;
}
