#include "model/exec.h"

static int blocking_sleep_ns(struct ptc_exec *ex, ptc_ns duration_ns) {
    return ptc_sleep_ns(duration_ns);
}

static const struct ptc_exec_ops blocking_ops = {
    .name = "blocking",
    .sleep_ns = blocking_sleep_ns,
};

struct ptc_exec ptc_exec_blocking = {.ops = &blocking_ops, .impl = 0};
