/* The execution-model interface: how a set of tasks is run. One file per model; the registry in
 * model.c. A model starts its workers, has every task run exactly once through
 * ptc_task_execute, collects every result in the caller's result array (shared memory, so child
 * processes can write it), and stops and reaps every worker before it returns. */
#ifndef PTC_MODEL_MODEL_H
#define PTC_MODEL_MODEL_H

#include "core/child.h"
#include "core/clock.h"
#include "workload/workload.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How a run's tasks waited, for the CSV: models that do not block say so here. */
struct ptc_run_info {
    const char *exec;       /* "blocking" or "coroutine" */
    const char *ctx;        /* coroutine switch backend, "" for the blocking models */
    const char *poller;     /* the poller a coroutine scheduler used, "" for the blocking models */
    const char *file_io;    /* how regular-file I/O behaved: see ptc_exec_ops.file_io */
    uint32_t sched_threads; /* the M:N models: their scheduler threads; 0 for the others */
    uint64_t steals;        /* the M:N models: tasks a thread took from another's deque */
};

/* What one worker of a run is doing, for the runner's watchdog and its error messages. The
 * array lives in MAP_SHARED memory (ptc_worker_slots_alloc), so a worker process's writes reach
 * the parent. Slot i is worker i: 0..W-1 for the pools, the task index for per-task models. */
struct ptc_worker_slot {
    int32_t pid;         /* the worker's process, set by the parent after fork; 0: not a process */
    uint32_t task;       /* task + 1 it is running now, 0 between tasks (atomic stores) */
    int32_t wait_status; /* the process's wait status once reaped (meaningful when reaped) */
    uint32_t reaped;     /* 1 once the parent reaped the process */
};

struct ptc_run_spec {
    const struct ptc_workload_state *wl; /* the tasks: wl->p.tasks of them */
    uint32_t workers;                    /* W, for the pooled models */
    struct ptc_task_result *results;     /* [tasks], zeroed, from ptc_results_alloc */
    struct ptc_child_usage *children;    /* accumulate reaped children here */
    struct ptc_run_info *info; /* preset to blocking; a model may overwrite it; may be NULL */
    void *runtime; /* what the model's prepare built for this run (owned by the model), or NULL */
    struct ptc_worker_slot *slots; /* [max(workers, tasks)] from ptc_worker_slots_alloc, or NULL;
                                    * the blocking models fill it */
    uint32_t n_slots;              /* its length */
};

struct ptc_model {
    const char *name; /* first member: see core/registry.h */
    const char *summary;
    const char *analogue; /* what the tutorials call it */
    /* How many tasks can run at once: 1 (seq), W (pools) or the task count (per task). */
    uint32_t (*parallelism)(uint32_t workers, uint32_t tasks);
    /* Runs every task once. Returns 0, or a negative errno when workers could not be started
     * (then the tasks that did not run are left with runs == 0). Task failures are reported in
     * the results, not here. Must leave no thread or child process behind, on any path. */
    int (*run)(const struct ptc_run_spec *spec);
    /* Optional, with release: builds what run needs that is not the mechanism under test (a
     * coroutine runtime's io_uring ring, queues and stacks) and stores it in spec->runtime. The
     * runner calls it before the clock starts and release after it stops, so set-up is not
     * timed; run must still work with spec->runtime NULL (then it builds its own, timed).
     * Returns 0 or a negative errno (then run is not called and release need not be). */
    int (*prepare)(struct ptc_run_spec *spec);
    /* Frees what prepare built; spec->runtime is NULL afterwards. */
    void (*release)(struct ptc_run_spec *spec);
};

/* The model called name, or NULL. */
const struct ptc_model *ptc_model_find(const char *name);
/* "seq, fork, ..." into buf. */
void ptc_model_names(char *buf, size_t size);
/* Every registered model, in registry order; *n receives the count. */
const struct ptc_model *const *ptc_model_all(size_t *n);

/* True when the model's parallelism depends on W (the pools). */
bool ptc_model_uses_workers(const struct ptc_model *m);

/* parallelism functions the models point at */
uint32_t ptc_parallelism_one(uint32_t workers, uint32_t tasks);
uint32_t ptc_parallelism_workers(uint32_t workers, uint32_t tasks);
uint32_t ptc_parallelism_tasks(uint32_t workers, uint32_t tasks);

/* A zeroed result array in MAP_SHARED memory, visible to forked children. NULL on failure. */
struct ptc_task_result *ptc_results_alloc(uint32_t tasks);
void ptc_results_free(struct ptc_task_result *results, uint32_t tasks);
/* A zeroed slot array of n slots in MAP_SHARED memory. NULL on failure. */
struct ptc_worker_slot *ptc_worker_slots_alloc(uint32_t n);
void ptc_worker_slots_free(struct ptc_worker_slot *slots, uint32_t n);

/* Zeroes the array for the next run. */
void ptc_results_reset(struct ptc_task_result *results, uint32_t tasks);

#endif
