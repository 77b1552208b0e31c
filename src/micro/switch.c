/* The switch entries: two units of execution taking turns, a round trip each. */
#include "core/affinity.h"
#include "core/lines.h"
#include "coro/config.h"
#include "coro/sched.h"
#include "micro/entry.h"
#include "model/group.h"

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- processes over a pipe ---- */

static int64_t pipe_trips(uint64_t n, const void *arg) {
    int ab[2], ba[2];
    if (pipe(ab) != 0)
        return -errno;
    if (pipe(ba) != 0) {
        int e = errno;
        close(ab[0]);
        close(ab[1]);
        return -e;
    }
    const struct ptc_place *pl = arg;
    pid_t parent = getpid();
    pid_t pid = fork();
    char b = 'r';
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent || ptc_place_partner(pl) < 0)
            _exit(1);
        ptc_place_note(pl, 1);
        /* "ready": the fork and the move to its CPU stay out of the timing */
        if (write(ba[1], &b, 1) != 1)
            _exit(1);
        for (uint64_t i = 0; i < n; i++)
            if (read(ab[0], &b, 1) != 1 || write(ba[1], &b, 1) != 1)
                _exit(1);
        ptc_place_note(pl, 1);
        _exit(0);
    }
    int64_t rc = pid < 0 ? -errno : 0;
    /* The child's writing end, closed here: a child that died reads as end of file, not as a
     * hang. Its reading end stays open, so that writing to a dead child is no SIGPIPE. */
    close(ba[1]);
    if (rc == 0 && read(ba[0], &b, 1) != 1)
        rc = -ECHILD;
    ptc_place_note(pl, 0);
    ptc_ns start = ptc_now_ns();
    for (uint64_t i = 0; i < n && rc == 0; i++)
        if (write(ab[1], &b, 1) != 1 || read(ba[0], &b, 1) != 1)
            rc = -EIO;
    ptc_ns elapsed = ptc_now_ns() - start;
    ptc_place_note(pl, 0);
    close(ab[0]);
    close(ab[1]);
    close(ba[0]);
    if (pid > 0) {
        int status;
        waitpid(pid, &status, 0);
        if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
            rc = -ECHILD;
    }
    return rc < 0 ? rc : (int64_t)elapsed;
}

/* ---- threads over a futex ---- */

struct futex_pair {
    uint32_t turn; /* 0: the main thread's turn, 1: the partner's */
    uint64_t n;
    const struct ptc_place *pl;
    int err; /* the partner's, from ptc_place_partner */
};

static void futex_wait(uint32_t *word, uint32_t while_value) {
    while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == while_value)
        syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, while_value, NULL, NULL, 0);
}

static void futex_pass(uint32_t *word, uint32_t to) {
    __atomic_store_n(word, to, __ATOMIC_RELEASE);
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* A partner that could not move to its CPU still takes its turns (the main thread must not hang)
 * and reports the error. */
static void *futex_partner(void *p) {
    struct futex_pair *f = p;
    f->err = ptc_place_partner(f->pl);
    ptc_place_note(f->pl, 1);
    for (uint64_t i = 0; i < f->n; i++) {
        futex_wait(&f->turn, 0);
        futex_pass(&f->turn, 0);
    }
    ptc_place_note(f->pl, 1);
    return NULL;
}

static int64_t futex_trips(uint64_t n, const void *arg) {
    struct futex_pair f = {.turn = 0, .n = n, .pl = arg};
    pthread_t t;
    int rc = pthread_create(&t, NULL, futex_partner, &f);
    if (rc != 0)
        return -rc;
    ptc_place_note(f.pl, 0);
    ptc_ns start = ptc_now_ns();
    for (uint64_t i = 0; i < n; i++) {
        futex_pass(&f.turn, 1);
        futex_wait(&f.turn, 1);
    }
    ptc_ns elapsed = ptc_now_ns() - start;
    ptc_place_note(f.pl, 0);
    pthread_join(t, NULL);
    return f.err < 0 ? f.err : (int64_t)elapsed;
}

/* ---- threads over a mutex and a condition variable ---- */

struct cond_pair {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int turn;
    uint64_t n;
    const struct ptc_place *pl;
    int err; /* the partner's, from ptc_place_partner */
};

static void cond_take_turn(struct cond_pair *c, int mine, int next) {
    pthread_mutex_lock(&c->mu);
    while (c->turn != mine)
        pthread_cond_wait(&c->cv, &c->mu);
    c->turn = next;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

static void *cond_partner(void *p) {
    struct cond_pair *c = p;
    c->err = ptc_place_partner(c->pl);
    ptc_place_note(c->pl, 1);
    for (uint64_t i = 0; i < c->n; i++)
        cond_take_turn(c, 1, 0);
    ptc_place_note(c->pl, 1);
    return NULL;
}

static int64_t cond_trips(uint64_t n, const void *arg) {
    struct cond_pair c = {.turn = 0, .n = n, .pl = arg};
    pthread_mutex_init(&c.mu, NULL);
    pthread_cond_init(&c.cv, NULL);
    pthread_t t;
    int rc = pthread_create(&t, NULL, cond_partner, &c);
    if (rc != 0)
        return -rc;
    ptc_place_note(c.pl, 0);
    ptc_ns start = ptc_now_ns();
    for (uint64_t i = 0; i < n; i++)
        cond_take_turn(&c, 0, 1);
    /* the last hand-over: wait until the partner has passed the turn back */
    pthread_mutex_lock(&c.mu);
    while (c.turn != 0)
        pthread_cond_wait(&c.cv, &c.mu);
    pthread_mutex_unlock(&c.mu);
    ptc_ns elapsed = ptc_now_ns() - start;
    ptc_place_note(c.pl, 0);
    pthread_join(t, NULL);
    pthread_cond_destroy(&c.cv);
    pthread_mutex_destroy(&c.mu);
    return c.err < 0 ? c.err : (int64_t)elapsed;
}

/* ---- coroutines through the scheduler ---- */

struct yield_arg {
    struct ptc_sched *s;
    uint64_t n;
};

static void yielder(void *p) {
    struct yield_arg *y = p;
    for (uint64_t i = 0; i < y->n; i++)
        ptc_coro_yield(y->s);
}

/* Which scheduler two yielding coroutines run on. */
struct coro_switch {
    const char *ctx;
    int shared; /* 1: one shared stack (coro/shared.h): each yield goes through the loop, which
                 * copies one coroutine's frames off the stack and the other's on */
};

/* Two coroutines yielding to each other: a round trip is one yield by each. */
static int64_t coro_trips(uint64_t n, const void *arg) {
    const struct coro_switch *v = arg;
    struct ptc_sched_opts o = *ptc_coro_config();
    o.ctx = ptc_ctx_find(v->ctx);
    o.stack.shared = v->shared;
    struct ptc_sched s;
    int rc = ptc_sched_init(&s, &o);
    if (rc < 0)
        return rc;
    struct yield_arg y = {.s = &s, .n = n};
    ptc_ns start = ptc_now_ns();
    if ((rc = ptc_coro_spawn(&s, yielder, &y, NULL)) == 0 &&
        (rc = ptc_coro_spawn(&s, yielder, &y, NULL)) == 0)
        rc = ptc_sched_run(&s);
    ptc_ns elapsed = ptc_now_ns() - start;
    ptc_sched_fini(&s);
    return rc < 0 ? rc : (int64_t)elapsed;
}

static const struct coro_switch sw_fc = {"fcontext", 0}, sw_uc = {"ucontext", 0};
#if !defined(__SANITIZE_ADDRESS__) /* shared stacks are not in ASan builds (coro/shared.h) */
static const struct coro_switch sw_fc_shared = {"fcontext", 1};
#endif

/* The same on every one of N scheduler threads at once (--mn-threads, default one per CPU), each
 * scheduler on cache lines of its own: the yield of the M:N models' schedulers while all of them
 * run. A round trip's time is the whole span over n: each thread makes n round trips meanwhile. */

struct mn_yield {
    _Alignas(PTC_CACHE_LINE_BYTES) struct ptc_sched s;
    struct yield_arg y;
    int rc;
};

static void mn_yield_thread(void *arg, uint32_t i) {
    struct mn_yield *t = &((struct mn_yield *)arg)[i];
    if ((t->rc = ptc_coro_spawn(&t->s, yielder, &t->y, NULL)) == 0 &&
        (t->rc = ptc_coro_spawn(&t->s, yielder, &t->y, NULL)) == 0)
        t->rc = ptc_sched_run(&t->s);
}

static int64_t coro_mn_trips(uint64_t n, const void *arg) {
    struct ptc_sched_opts o = *ptc_coro_config();
    o.ctx = ptc_ctx_find(arg);
    uint32_t threads = ptc_coro_mn_threads(), made = 0;
    struct mn_yield *t = ptc_lines_calloc(threads * sizeof(struct mn_yield));
    if (t == NULL)
        return -ENOMEM;
    int rc = 0;
    for (; made < threads && rc == 0; made++) {
        t[made].y = (struct yield_arg){.s = &t[made].s, .n = n};
        if ((rc = ptc_sched_init(&t[made].s, &o)) < 0)
            break;
    }
    /* The threads start before the clock (a thread's creation would weigh as thousands of
     * yields at the quick plan's n). */
    ptc_ns elapsed = 0;
    if (rc == 0)
        rc = ptc_thread_group_run_timed(threads, mn_yield_thread, t, &elapsed);
    for (uint32_t i = 0; i < made; i++) {
        rc = rc < 0 ? rc : t[i].rc;
        ptc_sched_fini(&t[i].s);
    }
    free(t);
    return rc < 0 ? rc : (int64_t)elapsed;
}

/* ---- the bare switch, no scheduler: the floor the scheduler's yield is compared with ---- */

extern void *make_fcontext(void *sp, size_t size, void (*fn)(ptc_fcontext_transfer));

static void fcontext_partner(ptc_fcontext_transfer t) {
    for (;;)
        t = jump_fcontext(t.fctx, NULL);
}

/* Boost's jump_fcontext in a tight loop, as the NOTES' 3.8 ns per switch was measured. */
static int64_t bare_fcontext_trips(uint64_t n, const void *arg) {
    size_t size = 64 * 1024;
    char *stack = malloc(size);
    if (stack == NULL)
        return -ENOMEM;
    void *other = make_fcontext(stack + size, size, fcontext_partner);
    ptc_ns start = ptc_now_ns();
    for (uint64_t i = 0; i < n; i++)
        other = jump_fcontext(other, NULL).fctx;
    ptc_ns elapsed = ptc_now_ns() - start;
    free(stack); /* the partner is abandoned, suspended on it */
    return (int64_t)elapsed;
}

struct bare_uc {
    struct ptc_ctx main, other;
};

static void ucontext_partner(void *p) {
    struct bare_uc *b = p;
    for (;;)
        ptc_ctx_find("ucontext")->jump(&b->other, &b->main);
}

static int64_t bare_ucontext_trips(uint64_t n, const void *arg) {
    const struct ptc_ctx_ops *ops = ptc_ctx_find("ucontext");
    struct bare_uc b;
    size_t size = 64 * 1024;
    char *stack = malloc(size);
    void *uc = calloc(1, ptc_ctx_ucontext_bytes);
    if (stack == NULL || uc == NULL) {
        free(stack);
        free(uc);
        return -ENOMEM;
    }
    ops->make_main(&b.main, uc);
    ops->make(&b.other, stack, size, ucontext_partner, &b);
    ptc_ns start = ptc_now_ns();
    for (uint64_t i = 0; i < n; i++)
        ops->jump(&b.main, &b.other);
    ptc_ns elapsed = ptc_now_ns() - start;
    free(stack);
    free(uc);
    return (int64_t)elapsed;
}

static const struct ptc_micro_entry entries[] = {
    {"pipe", "processes", "pipe,1 byte", pipe_trips, NULL, 1, 1},
    {"futex", "threads", "futex", futex_trips, NULL, 1, 1},
    {"condvar", "threads", "mutex+condvar", cond_trips, NULL, 1, 1},
    {"coro-fcontext", "coroutines", "fcontext,scheduler yield", coro_trips, &sw_fc, 0, 1000},
    {"coro-ucontext", "coroutines", "ucontext,scheduler yield", coro_trips, &sw_uc, 0, 20},
#if !defined(__SANITIZE_ADDRESS__) /* shared stacks are not in ASan builds (coro/shared.h) */
    {"coro-shared-fcontext", "coroutines", "fcontext,shared stack,scheduler yield", coro_trips,
     &sw_fc_shared, 0, 1000},
#endif
    {"coro-mn-fcontext", "coroutines", "fcontext,M:N: a pair on every thread", coro_mn_trips,
     "fcontext", 0, 1000},
    {"bare-fcontext", "context switch", "jump_fcontext,no scheduler", bare_fcontext_trips, NULL, 0,
     1000},
    {"bare-ucontext", "context switch", "swapcontext,no scheduler", bare_ucontext_trips, NULL, 0,
     20},
};

const struct ptc_micro_entry *ptc_switch_entries(size_t *n) {
    *n = sizeof entries / sizeof entries[0];
    return entries;
}
