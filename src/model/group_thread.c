#include "model/group.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

struct slot {
    ptc_worker_body body;
    void *arg;
    uint32_t index;
};

static void *slot_main(void *p) {
    struct slot *s = p;
    s->body(s->arg, s->index);
    return NULL;
}

int ptc_thread_group_run(uint32_t count, ptc_worker_body body, void *arg) {
    pthread_t *tids = malloc((count ? count : 1) * sizeof *tids);
    struct slot *slots = malloc((count ? count : 1) * sizeof *slots);
    uint32_t started = 0;
    int rc = 0;
    if (tids == NULL || slots == NULL) {
        rc = -ENOMEM;
        goto out;
    }
    for (; started < count; started++) {
        slots[started] = (struct slot){.body = body, .arg = arg, .index = started};
        int err = pthread_create(&tids[started], NULL, slot_main, &slots[started]);
        if (err != 0) {
            rc = -err;
            break;
        }
    }
    for (uint32_t i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
out:
    free(tids);
    free(slots);
    return rc;
}
