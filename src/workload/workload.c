#include "workload/workload.h"

#include "core/rand.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t ptc_task_random(uint64_t seed, uint32_t task, uint32_t stream) {
    return ptc_mix64(ptc_mix64(seed ^ ((uint64_t)stream << 32)) ^ task);
}

int ptc_workload_init(struct ptc_workload_state *st, const struct ptc_workload *wl,
                      const struct ptc_workload_params *p, char *err, size_t err_size) {
    memset(st, 0, sizeof *st);
    st->wl = wl;
    st->p = *p;
    st->task_ns = calloc(p->tasks ? p->tasks : 1, sizeof *st->task_ns);
    st->task_iters = calloc(p->tasks ? p->tasks : 1, sizeof *st->task_iters);
    if (st->task_ns == NULL || st->task_iters == NULL) {
        snprintf(err, err_size, "out of memory for %u tasks", p->tasks);
        ptc_workload_fini(st);
        return -ENOMEM;
    }
    int rc = wl->setup ? wl->setup(st, err, err_size) : 0;
    if (rc < 0) {
        free(st->task_ns);
        free(st->task_iters);
        memset(st, 0, sizeof *st);
    }
    return rc;
}

void ptc_workload_fini(struct ptc_workload_state *st) {
    if (st->wl != NULL && st->wl->teardown != NULL)
        st->wl->teardown(st);
    free(st->task_ns);
    free(st->task_iters);
    memset(st, 0, sizeof *st);
}

void ptc_task_execute(const struct ptc_workload_state *st, struct ptc_exec *ex, uint32_t task,
                      uint32_t worker, struct ptc_task_result *r) {
    uint64_t checksum = 0;
    ptc_ns start = ptc_now_ns();
    int rc = st->wl->run_task(st, ex, task, &checksum);
    ptc_ns end = ptc_now_ns();
    r->start_ns = start;
    r->end_ns = end;
    r->worker = worker;
    r->checksum = checksum;
    r->status = rc;
    /* Each task has one slot and one runner; a second run would show up here. */
    __atomic_add_fetch(&r->runs, 1, __ATOMIC_RELAXED);
}

uint32_t ptc_workload_verify(struct ptc_workload_state *st, struct ptc_task_result *results) {
    uint32_t ok = 0;
    for (uint32_t i = 0; i < st->p.tasks; i++) {
        struct ptc_task_result *r = &results[i];
        if (r->runs != 1 && r->status == 0)
            r->status = r->runs == 0 ? -ENOEXEC : -EALREADY;
        if (r->status == 0 && st->wl->expected_checksum != NULL &&
            st->wl->expected_checksum(st, i) != r->checksum)
            r->status = -EBADMSG;
        ok += r->status == 0;
    }
    return ok;
}

ptc_ns ptc_workload_total_ns(const struct ptc_workload_state *st) {
    ptc_ns total = 0;
    for (uint32_t i = 0; i < st->p.tasks; i++)
        total += st->task_ns[i];
    return total;
}

ptc_ns ptc_workload_cpu_ns(const struct ptc_workload_state *st, uint32_t task) {
    if (st->wl->cpu_ns != NULL)
        return st->wl->cpu_ns(st, task);
    return st->wl->cpu_bound ? st->task_ns[task] : 0;
}
