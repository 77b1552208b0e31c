/* ptc-switch: the round trip between two units of execution that take turns: processes over a
 * pipe, threads over a futex and over a mutex + condition variable, coroutines through the
 * scheduler (a yield each), and the bare context-switch backends under the scheduler. Processes
 * and threads are measured pinned to one CPU and unpinned. */
#include "coro/config.h"
#include "coro/sched.h"
#include "runner/micro.h"
#include "runner/micro_cli.h"

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROG "ptc-switch"

/* Runs n round trips; returns the elapsed ns or a negative errno. */
typedef int64_t (*trip_fn)(uint64_t n, const void *arg);

struct entry {
    const char *name;
    const char *mechanism, *variant;
    trip_fn fn;
    const void *arg;
    int pin;          /* 1: every participant on CPU 0 */
    uint64_t n_scale; /* user-space switches are cheap: more per sample */
};

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
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(1);
        char b;
        for (uint64_t i = 0; i < n; i++)
            if (read(ab[0], &b, 1) != 1 || write(ba[1], &b, 1) != 1)
                _exit(1);
        _exit(0);
    }
    int64_t rc = pid < 0 ? -errno : 0;
    ptc_ns start = ptc_now_ns();
    char b = 'x';
    for (uint64_t i = 0; i < n && rc == 0; i++)
        if (write(ab[1], &b, 1) != 1 || read(ba[0], &b, 1) != 1)
            rc = -EIO;
    ptc_ns elapsed = ptc_now_ns() - start;
    close(ab[0]);
    close(ab[1]);
    close(ba[0]);
    close(ba[1]);
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
};

static void futex_wait(uint32_t *word, uint32_t while_value) {
    while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == while_value)
        syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, while_value, NULL, NULL, 0);
}

static void futex_pass(uint32_t *word, uint32_t to) {
    __atomic_store_n(word, to, __ATOMIC_RELEASE);
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *futex_partner(void *p) {
    struct futex_pair *f = p;
    for (uint64_t i = 0; i < f->n; i++) {
        futex_wait(&f->turn, 0);
        futex_pass(&f->turn, 0);
    }
    return NULL;
}

static int64_t futex_trips(uint64_t n, const void *arg) {
    struct futex_pair f = {.turn = 0, .n = n};
    pthread_t t;
    int rc = pthread_create(&t, NULL, futex_partner, &f);
    if (rc != 0)
        return -rc;
    ptc_ns start = ptc_now_ns();
    for (uint64_t i = 0; i < n; i++) {
        futex_pass(&f.turn, 1);
        futex_wait(&f.turn, 1);
    }
    ptc_ns elapsed = ptc_now_ns() - start;
    pthread_join(t, NULL);
    return (int64_t)elapsed;
}

/* ---- threads over a mutex and a condition variable ---- */

struct cond_pair {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int turn;
    uint64_t n;
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
    for (uint64_t i = 0; i < c->n; i++)
        cond_take_turn(c, 1, 0);
    return NULL;
}

static int64_t cond_trips(uint64_t n, const void *arg) {
    struct cond_pair c = {.turn = 0, .n = n};
    pthread_mutex_init(&c.mu, NULL);
    pthread_cond_init(&c.cv, NULL);
    pthread_t t;
    int rc = pthread_create(&t, NULL, cond_partner, &c);
    if (rc != 0)
        return -rc;
    ptc_ns start = ptc_now_ns();
    for (uint64_t i = 0; i < n; i++)
        cond_take_turn(&c, 0, 1);
    /* the last hand-over: wait until the partner has passed the turn back */
    pthread_mutex_lock(&c.mu);
    while (c.turn != 0)
        pthread_cond_wait(&c.cv, &c.mu);
    pthread_mutex_unlock(&c.mu);
    ptc_ns elapsed = ptc_now_ns() - start;
    pthread_join(t, NULL);
    pthread_cond_destroy(&c.cv);
    pthread_mutex_destroy(&c.mu);
    return (int64_t)elapsed;
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

/* Two coroutines yielding to each other: a round trip is one yield by each. */
static int64_t coro_trips(uint64_t n, const void *arg) {
    struct ptc_sched_opts o = *ptc_coro_config();
    o.ctx = ptc_ctx_find(arg);
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

static const struct entry entries[] = {
    {"pipe", "processes", "pipe,1 byte", pipe_trips, NULL, 0, 1},
    {"pipe-pinned", "processes", "pipe,1 byte,pinned", pipe_trips, NULL, 1, 1},
    {"futex", "threads", "futex", futex_trips, NULL, 0, 1},
    {"futex-pinned", "threads", "futex,pinned", futex_trips, NULL, 1, 1},
    {"condvar", "threads", "mutex+condvar", cond_trips, NULL, 0, 1},
    {"condvar-pinned", "threads", "mutex+condvar,pinned", cond_trips, NULL, 1, 1},
    {"coro-fcontext", "coroutines", "fcontext,scheduler yield", coro_trips, "fcontext", 0, 1000},
    {"coro-ucontext", "coroutines", "ucontext,scheduler yield", coro_trips, "ucontext", 0, 20},
    {"bare-fcontext", "context switch", "jump_fcontext,no scheduler", bare_fcontext_trips, NULL, 0,
     1000},
    {"bare-ucontext", "context switch", "swapcontext,no scheduler", bare_ucontext_trips, NULL, 0,
     20},
};
#define N_ENTRIES (sizeof entries / sizeof entries[0])

int main(int argc, char **argv) {
    static const char *names[N_ENTRIES + 1];
    for (size_t i = 0; i < N_ENTRIES; i++)
        names[i] = entries[i].name;
    static const uint64_t default_n[] = {20000};
    const struct ptc_micro_cli cli = {
        .program = PROG,
        .usage = "Round trip between two units taking turns (A hands over to B, B back to A), in\n"
                 "ns; a switch is half of it. A sample makes n round trips between processes or\n"
                 "threads, n x 1000 between fcontext coroutines, n x 20 with ucontext.\n"
                 "'pinned': both participants on CPU 0, so no wake-up crosses CPUs.",
        .only_help =
            "pipe, pipe-pinned, futex, futex-pinned, condvar, condvar-pinned,\n"
            "                    coro-fcontext, coro-ucontext, bare-fcontext, bare-ucontext",
        .only_names = names,
        .default_repeat = 5,
        .default_n = default_n,
        .n_default_n = 1,
        .max_n = 10000000,
    };
    struct ptc_micro_opts o;
    ptc_micro_parse(&cli, argc, argv, &o);
    ptc_outfile_cleanup_on_signals();
    struct ptc_micro_out out;
    int rc = ptc_micro_open(&out, PROG, o.out, o.quiet);
    if (rc < 0) {
        fprintf(stderr, PROG ": --out: cannot write '%s': %s\n", o.out, strerror(-rc));
        ptc_micro_opts_free(&o);
        return 2;
    }
    cpu_set_t all, cpu0;
    sched_getaffinity(0, sizeof all, &all);
    CPU_ZERO(&cpu0);
    CPU_SET(0, &cpu0);
    int failed = 0;
    for (size_t ni = 0; ni < o.n_n; ni++) {
        double *samples = calloc(N_ENTRIES * o.repeat, sizeof *samples);
        int64_t errs[N_ENTRIES] = {0};
        if (samples == NULL) {
            failed = 1;
            break;
        }
        /* Samples interleaved across mechanisms, so drift hits them all alike. */
        for (uint64_t r = 0; r < o.repeat; r++) {
            for (size_t e = 0; e < N_ENTRIES; e++) {
                if (!ptc_micro_selected(&o, entries[e].name) || errs[e] < 0)
                    continue;
                sched_setaffinity(0, sizeof(cpu_set_t), entries[e].pin ? &cpu0 : &all);
                uint64_t n = o.n[ni] * entries[e].n_scale;
                int64_t ns = entries[e].fn(n, entries[e].arg);
                if (ns < 0)
                    errs[e] = ns;
                else
                    samples[e * o.repeat + r] = (double)ns / (double)n;
            }
        }
        sched_setaffinity(0, sizeof all, &all);
        for (size_t e = 0; e < N_ENTRIES; e++) {
            if (!ptc_micro_selected(&o, entries[e].name))
                continue;
            char note[128] = "";
            if (errs[e] < 0) {
                snprintf(note, sizeof note, "failed: %s", strerror((int)-errs[e]));
                failed = 1;
            }
            struct ptc_micro_row row = {.benchmark = "switch",
                                        .mechanism = entries[e].mechanism,
                                        .variant = entries[e].variant,
                                        .n = o.n[ni] * entries[e].n_scale,
                                        .metric = "ns_per_round_trip",
                                        .unit = "ns",
                                        .value = errs[e] < 0 ? 0.0 / 0.0 : 0,
                                        .samples = errs[e] < 0 ? NULL : &samples[e * o.repeat],
                                        .n_samples = errs[e] < 0 ? 0 : o.repeat,
                                        .note = note};
            ptc_micro_row(&out, &row);
        }
        free(samples);
    }
    if (ptc_micro_commit(&out) < 0) {
        fprintf(stderr, PROG ": writing '%s' failed\n", o.out);
        failed = 1;
    }
    ptc_micro_opts_free(&o);
    return failed ? 1 : 0;
}
