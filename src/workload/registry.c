#include "core/registry.h"
#include "workload/workload.h"

extern const struct ptc_workload ptc_workload_noop;
extern const struct ptc_workload ptc_workload_sleep;
extern const struct ptc_workload ptc_workload_cpu;
extern const struct ptc_workload ptc_workload_file;
extern const struct ptc_workload ptc_workload_net;
extern const struct ptc_workload ptc_workload_mixed;

static const struct ptc_workload *const workloads[] = {
    &ptc_workload_noop, &ptc_workload_sleep, &ptc_workload_cpu,
    &ptc_workload_file, &ptc_workload_net,   &ptc_workload_mixed,
};
#define N_WORKLOADS (sizeof workloads / sizeof workloads[0])

const struct ptc_workload *ptc_workload_find(const char *name) {
    return ptc_registry_find((const void *const *)workloads, N_WORKLOADS, name);
}

void ptc_workload_names(char *buf, size_t size) {
    ptc_registry_names((const void *const *)workloads, N_WORKLOADS, buf, size);
}

const struct ptc_workload *const *ptc_workload_all(size_t *n) {
    *n = N_WORKLOADS;
    return workloads;
}
