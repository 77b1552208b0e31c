#include "model/model.h"

#include "core/registry.h"

#include <string.h>
#include <sys/mman.h>

extern const struct ptc_model ptc_model_seq;
extern const struct ptc_model ptc_model_fork;
extern const struct ptc_model ptc_model_procpool;
extern const struct ptc_model ptc_model_thread;
extern const struct ptc_model ptc_model_threadpool;
extern const struct ptc_model ptc_model_coro;
extern const struct ptc_model ptc_model_coropool;
extern const struct ptc_model ptc_model_coromn;
extern const struct ptc_model ptc_model_coromnpool;

static const struct ptc_model *const models[] = {
    &ptc_model_seq,      &ptc_model_fork,       &ptc_model_procpool,
    &ptc_model_thread,   &ptc_model_threadpool, &ptc_model_coro,
    &ptc_model_coropool, &ptc_model_coromn,     &ptc_model_coromnpool,
};
#define N_MODELS (sizeof models / sizeof models[0])

const struct ptc_model *ptc_model_find(const char *name) {
    return ptc_registry_find((const void *const *)models, N_MODELS, name);
}

void ptc_model_names(char *buf, size_t size) {
    ptc_registry_names((const void *const *)models, N_MODELS, buf, size);
}

bool ptc_model_uses_workers(const struct ptc_model *m) {
    /* Probed rather than declared, so a model cannot claim one thing and do another. */
    return m->parallelism(1, 2) != m->parallelism(2, 2);
}

const struct ptc_model *const *ptc_model_all(size_t *n) {
    *n = N_MODELS;
    return models;
}

uint32_t ptc_parallelism_one(uint32_t workers, uint32_t tasks) {
    return 1;
}

uint32_t ptc_parallelism_workers(uint32_t workers, uint32_t tasks) {
    return workers;
}

uint32_t ptc_parallelism_tasks(uint32_t workers, uint32_t tasks) {
    return tasks;
}

static size_t results_bytes(uint32_t tasks) {
    return (tasks ? tasks : 1) * sizeof(struct ptc_task_result);
}

struct ptc_task_result *ptc_results_alloc(uint32_t tasks) {
    void *p =
        mmap(NULL, results_bytes(tasks), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void ptc_results_free(struct ptc_task_result *results, uint32_t tasks) {
    if (results != NULL)
        munmap(results, results_bytes(tasks));
}

void ptc_results_reset(struct ptc_task_result *results, uint32_t tasks) {
    memset(results, 0, results_bytes(tasks));
}

static size_t slots_bytes(uint32_t n) {
    return (n ? n : 1) * sizeof(struct ptc_worker_slot);
}

struct ptc_worker_slot *ptc_worker_slots_alloc(uint32_t n) {
    void *p = mmap(NULL, slots_bytes(n), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void ptc_worker_slots_free(struct ptc_worker_slot *slots, uint32_t n) {
    if (slots != NULL)
        munmap(slots, slots_bytes(n));
}
