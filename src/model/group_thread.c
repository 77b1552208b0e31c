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
    uint32_t joined = 0;
    for (; started < count; started++) {
        slots[started] = (struct slot){.body = body, .arg = arg, .index = started};
        int err = pthread_create(&tids[started], NULL, slot_main, &slots[started]);
        if (err != 0) {
            rc = -err;
            break;
        }
        /* Join the threads that have already finished while the others are still being
         * started: glibc then reuses their stacks for the next threads instead of mapping a
         * new 8 MiB stack per thread and unmapping it later (a TLB shootdown on every CPU).
         * pthread_tryjoin_np looks at the thread's tid word and makes no syscall when the
         * thread is still running. Tasks start exactly as before. */
        while (joined < started && pthread_tryjoin_np(tids[joined], NULL) == 0)
            joined++;
    }
    for (uint32_t i = joined; i < started; i++)
        pthread_join(tids[i], NULL);
out:
    free(tids);
    free(slots);
    return rc;
}
