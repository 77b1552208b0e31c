#include "coro/poller.h"

#include "core/registry.h"

#include <errno.h>
#include <string.h>

extern const struct ptc_poller_ops ptc_poller_uring;
extern const struct ptc_poller_ops ptc_poller_epoll;

/* In order of preference for "auto". */
static const struct ptc_poller_ops *const pollers[] = {&ptc_poller_uring, &ptc_poller_epoll};
#define N_POLLERS (sizeof pollers / sizeof pollers[0])

const struct ptc_poller_ops *ptc_poller_find(const char *name) {
    return ptc_registry_find((const void *const *)pollers, N_POLLERS, name);
}

void ptc_poller_names(char *buf, size_t size) {
    ptc_registry_names((const void *const *)pollers, N_POLLERS, buf, size);
}

int ptc_poller_open(const char *name, const struct ptc_poller_ops **ops, struct ptc_poller **out) {
    if (name != NULL && strcmp(name, "auto") != 0) {
        *ops = ptc_poller_find(name);
        return *ops == NULL ? -EINVAL : (*ops)->open(out);
    }
    int rc = -ENOSYS;
    for (size_t i = 0; i < N_POLLERS; i++) {
        rc = pollers[i]->open(out);
        if (rc == 0) {
            *ops = pollers[i];
            return 0;
        }
    }
    return rc;
}
