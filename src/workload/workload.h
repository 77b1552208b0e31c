/* The workload interface: what a task does. One file per workload; the registry in registry.c.
 *
 * Life cycle, all in the parent unless stated:
 *   ptc_workload_init()   -> setup (once per configuration: sizes tasks, calibrates, creates files)
 *   per run:  run_begin -> the model calls run_task for every task (in a worker: a thread, a child
 *             process or a coroutine) -> ptc_workload_verify -> run_end
 *   ptc_workload_fini()   -> teardown
 * run_task must be safe to call concurrently from many threads and from forked children. */
#ifndef PTC_WORKLOAD_WORKLOAD_H
#define PTC_WORKLOAD_WORKLOAD_H

#include "core/clock.h"
#include "exec/exec.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ptc_workload;

/* The C type of the field of a setting of each kind (PTC_SETTING_<KIND> in workload/settings.h). */
#define PTC_SETTING_TYPE_U32      uint32_t
#define PTC_SETTING_TYPE_U64      uint64_t
#define PTC_SETTING_TYPE_MS       ptc_ns
#define PTC_SETTING_TYPE_MS_RANGE ptc_ns
#define PTC_SETTING_TYPE_FRACTION double
#define PTC_SETTING_TYPE_CHOICE   int
#define PTC_SETTING_TYPE_FLAG     int
#define PTC_SETTING_TYPE_PATH     const char *

/* What the user asked for; the same for every model, so all models run the same tasks. tasks is
 * the runner's (--tasks); every other field is declared by its setting's entry in
 * workload/settings.def, which says what it holds: file_kib, fsync, task_lo_ns, ... */
struct ptc_workload_params {
    uint32_t tasks;
#define PTC_SETTING(field, KIND, ...)                    PTC_SETTING_TYPE_##KIND field;
#define PTC_SETTING_RANGE(field_lo, field_hi, KIND, ...) PTC_SETTING_TYPE_##KIND field_lo, field_hi;
#include "workload/settings.def"
};

/* The settings a workload reads, by flag (workload/settings.h), so that a CSV row shows only
 * the ones that mattered: .settings = PTC_SETTINGS("file-kib", "fsync"). */
#define PTC_SETTINGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* One configured instance of a workload. */
struct ptc_workload_state {
    const struct ptc_workload *wl;
    struct ptc_workload_params p;
    ptc_ns *task_ns;         /* [tasks] expected duration of each task alone; filled by setup */
    uint64_t *task_iters;    /* [tasks] iterations of each task, for workloads that count them */
    double ns_per_iter;      /* calibration result (cpu), 0 when not applicable */
    uint64_t bytes_per_run;  /* bytes a run moves (file, net), for throughput; 0 otherwise */
    const uint64_t *refused; /* net: its server's count of refused requests (foreign or
                              * malformed), read before and after each run; NULL otherwise */
    void *priv;              /* the workload's own state */
};

/* The outcome of one task, written by the worker, read by the parent. Lives in shared memory
 * so that child processes can fill it. */
struct ptc_task_result {
    int32_t status;    /* 0 ok, or a negative errno (-EBADMSG: wrong checksum) */
    uint32_t worker;   /* which worker ran it: 0..W-1 for pools, the task index for per-task */
    uint64_t checksum; /* the workload's proof of work, verified by the parent */
    ptc_ns start_ns;   /* CLOCK_MONOTONIC when the task started */
    ptc_ns end_ns;     /* ... and ended */
    uint32_t runs;     /* how many times the task ran: must be exactly 1 */
    uint32_t pad;
};

struct ptc_workload {
    const char *name; /* first member: see core/registry.h */
    const char *summary;
    /* true: each task computes for all of its duration, so at most CPUs of them progress at once;
     * false: the task waits (or says how much it computes through cpu_ns). */
    bool cpu_bound;
    const char *const *settings; /* the settings it reads: PTC_SETTINGS(...); NULL: none */
    /* Fills st->task_ns (and anything else the tasks need). Returns 0 or a negative errno; on
     * error writes a one-line reason into err. Optional. */
    int (*setup)(struct ptc_workload_state *st, char *err, size_t err_size);
    /* Called before and after each run, outside the timed region. run_end may check what the run
     * left behind and mark a task wrong (status -EBADMSG). Optional. */
    int (*run_begin)(struct ptc_workload_state *st);
    void (*run_end)(struct ptc_workload_state *st, struct ptc_task_result *results);
    /* The part of task `task`'s duration that needs a CPU, in ns, for workloads that compute for
     * part of a task. Optional: without it, all of task_ns when cpu_bound, else 0. */
    ptc_ns (*cpu_ns)(const struct ptc_workload_state *st, uint32_t task);
    /* Runs task number `task`; stores the proof of work in *checksum. Returns 0 or -errno. */
    int (*run_task)(const struct ptc_workload_state *st, struct ptc_exec *ex, uint32_t task,
                    uint64_t *checksum);
    /* The checksum a correct run of `task` produces. Optional (then any checksum passes). */
    uint64_t (*expected_checksum)(struct ptc_workload_state *st, uint32_t task);
    /* Frees what setup made. Optional. */
    void (*teardown)(struct ptc_workload_state *st);
    /* Optional: what the workload knows of why tasks failed or hang (its server died: "the net
     * server (pid 42) killed by SIGKILL") into buf, or "" when nothing is wrong on its side.
     * Called from another thread while the run goes on (the runner's watchdog): reads only. */
    void (*describe_fault)(const struct ptc_workload_state *st, char *buf, size_t size);
};

/* The workload called name, or NULL. */
const struct ptc_workload *ptc_workload_find(const char *name);
/* "noop, sleep, cpu" into buf. */
void ptc_workload_names(char *buf, size_t size);
/* Every registered workload, for listings; *n receives the count. */
const struct ptc_workload *const *ptc_workload_all(size_t *n);

/* Allocates st->task_ns and st->task_iters, then calls setup. Returns 0 or a negative errno
 * (with err filled). */
int ptc_workload_init(struct ptc_workload_state *st, const struct ptc_workload *wl,
                      const struct ptc_workload_params *p, char *err, size_t err_size);
void ptc_workload_fini(struct ptc_workload_state *st);

/* Runs one task inside a worker and records it in *r: times, checksum, status, worker id.
 * Every model calls this, so all models account for a task the same way. */
void ptc_task_execute(const struct ptc_workload_state *st, struct ptc_exec *ex, uint32_t task,
                      uint32_t worker, struct ptc_task_result *r);

/* In the parent after a run: checks each result (ran exactly once, status 0, checksum right)
 * and returns how many tasks are correct. A wrong checksum sets status to -EBADMSG. */
uint32_t ptc_workload_verify(struct ptc_workload_state *st, struct ptc_task_result *results);

/* The nanoseconds of task `task` that need a CPU (see ptc_workload.cpu_ns). */
ptc_ns ptc_workload_cpu_ns(const struct ptc_workload_state *st, uint32_t task);
/* Sum of the tasks' durations: the ideal time of one worker. */
ptc_ns ptc_workload_total_ns(const struct ptc_workload_state *st);

/* Deterministic per-task randomness: the same (seed, task, stream) gives the same value. */
uint64_t ptc_task_random(uint64_t seed, uint32_t task, uint32_t stream);

#endif
