/* ptc-lock: shared state between threads. The tutorials' two lock examples as measurements (100
 * deposits with a pause inside the critical section; balance += n; balance -= n from two
 * threads), then what one increment of a shared counter costs as threads grow from 1 to 8:
 * under a pthread mutex, under a pthread spinlock, as an atomic fetch_add, and unprotected, where
 * the updates lost are counted.
 *
 * "Unprotected" reads and writes through relaxed __atomic loads and stores, one each: the race
 * is defined behaviour in C11 and the counter cannot live in a register, yet another thread can
 * write between the read and the write, which is the lost update being measured. */
#include "core/clock.h"
#include "micro/gate.h"
#include "runner/micro.h"
#include "runner/micro_cli.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG "ptc-lock"

#define DEPOSITORS       100
#define DEPOSIT_PAUSE_NS PTC_NS_PER_MS /* the tutorial's 10 ms, cut tenfold: 0.1 s a sample */

/* ---- a start gate: every thread created before any of them starts ---- */

/* ptc_run_gated as one number: the elapsed ns, or a negative errno. */
static int64_t run_gated(unsigned n, void *(*fn)(void *), void *args, size_t arg_size,
                         struct ptc_gate *g) {
    ptc_ns elapsed = 0;
    int rc = ptc_run_gated(n, fn, args, arg_size, g, &elapsed);
    return rc < 0 ? rc : (int64_t)elapsed;
}

/* ---- what one sample measures ---- */

enum guard { G_MUTEX, G_SPIN, G_ATOMIC, G_NONE, G_IDLE /* no increment: the harness alone */ };
enum kind { K_DEPOSIT, K_BALANCE, K_INCREMENT, K_HARNESS };

struct shared {
    uint64_t value; /* the balance or the counter */
    pthread_mutex_t mu;
    pthread_spinlock_t spin;
    enum guard guard;
    uint64_t per_thread; /* changes or increments per thread */
    struct ptc_gate gate;
};

/* One sample: elapsed ns, and the updates lost (deposits, increments) or |final balance|. */
struct sample {
    int64_t ns;
    uint64_t wrong;
};

static void take(struct shared *s) {
    if (s->guard == G_MUTEX)
        pthread_mutex_lock(&s->mu);
    else if (s->guard == G_SPIN)
        pthread_spin_lock(&s->spin);
}

static void give(struct shared *s) {
    if (s->guard == G_MUTEX)
        pthread_mutex_unlock(&s->mu);
    else if (s->guard == G_SPIN)
        pthread_spin_unlock(&s->spin);
}

/* The tutorial's read-modify-write, split so that another thread can come in between. */
static void add(uint64_t *v, uint64_t n) {
    uint64_t b = __atomic_load_n(v, __ATOMIC_RELAXED);
    __atomic_store_n(v, b + n, __ATOMIC_RELAXED);
}

/* 000: new_balance = balance + 1; sleep(pause); balance = new_balance. */
static void *deposit(void *p) {
    struct shared *s = p;
    if (ptc_gate_pass(&s->gate) < 0)
        return NULL;
    take(s);
    uint64_t b = __atomic_load_n(&s->value, __ATOMIC_RELAXED);
    ptc_sleep_ns(DEPOSIT_PAUSE_NS);
    __atomic_store_n(&s->value, b + 1, __ATOMIC_RELAXED);
    give(s);
    return NULL;
}

struct changer {
    struct shared *s;
    uint64_t n;
};

/* 003: balance = balance + n; balance = balance - n, the lock taken around each pair. */
static void *change(void *p) {
    struct changer *c = p;
    struct shared *s = c->s;
    if (ptc_gate_pass(&s->gate) < 0)
        return NULL;
    for (uint64_t i = 0; i < s->per_thread; i++) {
        take(s);
        add(&s->value, c->n);
        add(&s->value, -c->n);
        give(s);
    }
    return NULL;
}

/* One loop per guard, so that the loop measured holds nothing but the increment. */
static void *increment(void *p) {
    struct shared *s = p;
    if (ptc_gate_pass(&s->gate) < 0)
        return NULL;
    uint64_t n = s->per_thread;
    switch (s->guard) {
    case G_MUTEX:
        for (uint64_t i = 0; i < n; i++) {
            pthread_mutex_lock(&s->mu);
            s->value++;
            pthread_mutex_unlock(&s->mu);
        }
        break;
    case G_SPIN:
        for (uint64_t i = 0; i < n; i++) {
            pthread_spin_lock(&s->spin);
            s->value++;
            pthread_spin_unlock(&s->spin);
        }
        break;
    case G_ATOMIC:
        for (uint64_t i = 0; i < n; i++)
            __atomic_fetch_add(&s->value, 1, __ATOMIC_RELAXED);
        break;
    case G_NONE:
        for (uint64_t i = 0; i < n; i++)
            add(&s->value, 1);
        break;
    case G_IDLE:
        break;
    }
    return NULL;
}

struct scenario {
    const char *name; /* what --only takes; NULL: the harness, run with any increment */
    enum kind kind;
    const char *benchmark, *mechanism;
    char variant[48];
    enum guard guard;
    unsigned threads;
};

static int run_one(const struct scenario *sc, uint64_t n, struct sample *out) {
    struct shared s = {.guard = sc->guard, .per_thread = n};
    int rc = pthread_mutex_init(&s.mu, NULL);
    if (rc != 0)
        return -rc;
    if ((rc = pthread_spin_init(&s.spin, PTHREAD_PROCESS_PRIVATE)) != 0) {
        pthread_mutex_destroy(&s.mu);
        return -rc;
    }
    ptc_gate_init(&s.gate);
    struct changer c[2] = {{.s = &s, .n = 5}, {.s = &s, .n = 8}};
    int64_t ns = -EINVAL;
    switch (sc->kind) {
    case K_DEPOSIT:
        ns = run_gated(DEPOSITORS, deposit, &s, 0, &s.gate);
        out->wrong = DEPOSITORS - s.value;
        break;
    case K_BALANCE:
        ns = run_gated(2, change, c, sizeof c[0], &s.gate);
        out->wrong = s.value; /* drift in either direction: as a signed 64-bit value */
        out->wrong = (int64_t)out->wrong < 0 ? -out->wrong : out->wrong;
        break;
    case K_INCREMENT:
        ns = run_gated(sc->threads, increment, &s, 0, &s.gate);
        out->wrong = sc->threads * n - s.value;
        break;
    case K_HARNESS:
        ns = run_gated(sc->threads, increment, &s, 0, &s.gate);
        out->wrong = 0;
        break;
    }
    out->ns = ns;
    pthread_spin_destroy(&s.spin);
    pthread_mutex_destroy(&s.mu);
    return ns < 0 ? (int)ns : 0;
}

#define N_THREAD_COUNTS 4
static const unsigned thread_counts[N_THREAD_COUNTS] = {1, 2, 4, 8};
#define MAX_SCENARIOS (4 + 5 * N_THREAD_COUNTS)

static size_t build_scenarios(struct scenario *sc) {
    static const struct {
        const char *name, *mechanism;
        enum guard guard;
    } guards[] = {{"mutex", "pthread_mutex", G_MUTEX},
                  {"spinlock", "pthread_spinlock", G_SPIN},
                  {"atomic", "atomic fetch_add", G_ATOMIC},
                  {"unprotected", "unprotected", G_NONE}};
    size_t k = 0;
    for (int locked = 1; locked >= 0; locked--) {
        sc[k] = (struct scenario){.name = "deposit",
                                  .kind = K_DEPOSIT,
                                  .benchmark = "deposit",
                                  .mechanism = locked ? "pthread_mutex" : "unprotected",
                                  .guard = locked ? G_MUTEX : G_NONE,
                                  .threads = DEPOSITORS};
        snprintf(sc[k].variant, sizeof sc[k].variant, "%d threads,%llu ms pause", DEPOSITORS,
                 (unsigned long long)(DEPOSIT_PAUSE_NS / PTC_NS_PER_MS));
        k++;
    }
    for (int locked = 1; locked >= 0; locked--) {
        sc[k] = (struct scenario){.name = "balance",
                                  .kind = K_BALANCE,
                                  .benchmark = "balance",
                                  .mechanism = locked ? "pthread_mutex" : "unprotected",
                                  .guard = locked ? G_MUTEX : G_NONE,
                                  .threads = 2};
        snprintf(sc[k].variant, sizeof sc[k].variant, "2 threads,+-5 and +-8");
        k++;
    }
    for (size_t g = 0; g < sizeof guards / sizeof guards[0]; g++) {
        for (int t = 0; t < N_THREAD_COUNTS; t++) {
            sc[k] = (struct scenario){.name = guards[g].name,
                                      .kind = K_INCREMENT,
                                      .benchmark = "increment",
                                      .mechanism = guards[g].mechanism,
                                      .guard = guards[g].guard,
                                      .threads = thread_counts[t]};
            snprintf(sc[k].variant, sizeof sc[k].variant, "%u thread%s", thread_counts[t],
                     thread_counts[t] == 1 ? "" : "s");
            k++;
        }
    }
    /* What the increments' figures include beside the increments: starting T threads through
     * the gate and joining them, measured alone, so that it can be told apart at small N. */
    for (int t = 0; t < N_THREAD_COUNTS; t++) {
        sc[k] = (struct scenario){.name = NULL,
                                  .kind = K_HARNESS,
                                  .benchmark = "increment",
                                  .mechanism = "harness (start + join)",
                                  .guard = G_IDLE,
                                  .threads = thread_counts[t]};
        snprintf(sc[k].variant, sizeof sc[k].variant, "%u thread%s", thread_counts[t],
                 thread_counts[t] == 1 ? "" : "s");
        k++;
    }
    return k;
}

/* Whether sc runs for the ni-th N: as --only says, and the deposits, which do not depend on N,
 * with the first N only. */
static bool runs(const struct ptc_micro_opts *o, const struct scenario *sc, size_t ni) {
    if (sc->kind == K_DEPOSIT && ni > 0)
        return false;
    if (sc->name != NULL)
        return ptc_micro_selected(o, sc->name);
    return ptc_micro_selected(o, "mutex") || ptc_micro_selected(o, "spinlock") ||
           ptc_micro_selected(o, "atomic") || ptc_micro_selected(o, "unprotected");
}

/* What a sample's two figures are called and what the second one must be. */
static void report(struct ptc_micro_out *out, const struct scenario *sc, uint64_t n,
                   const double *ns, const double *wrong, uint64_t repeat, int err, int broken) {
    char note[128] = "";
    if (err < 0)
        snprintf(note, sizeof note, "failed: %s", strerror(-err));
    else if (broken)
        snprintf(note, sizeof note, "updates lost under %s", sc->mechanism);
    int ok = err == 0;
    struct ptc_micro_row row = {.benchmark = sc->benchmark,
                                .mechanism = sc->mechanism,
                                .variant = sc->variant,
                                .n = sc->kind == K_DEPOSIT ? DEPOSITORS : n,
                                .value = ok ? 0 : NAN,
                                .samples = ok ? ns : NULL,
                                .n_samples = ok ? repeat : 0,
                                .note = note};
    switch (sc->kind) {
    case K_DEPOSIT:
        row.metric = "wall_ms";
        row.unit = "ms";
        break;
    case K_BALANCE:
        row.metric = "ns_per_change";
        row.unit = "ns";
        break;
    case K_INCREMENT:
        row.metric = "ns_per_increment";
        row.unit = "ns";
        break;
    case K_HARNESS:
        row.metric = "start_join_us";
        row.unit = "us";
        break;
    }
    ptc_micro_row(out, &row);
    /* The locked increments' lost updates are checked (a row only if one was lost), not shown. */
    if (sc->kind == K_HARNESS || (sc->kind == K_INCREMENT && sc->guard != G_NONE && !broken))
        return;
    row.samples = ok ? wrong : NULL;
    row.metric = sc->kind == K_BALANCE ? "abs_final_balance" : "lost_updates";
    row.unit = sc->kind == K_BALANCE ? "units" : "updates";
    ptc_micro_row(out, &row);
}

int main(int argc, char **argv) {
    static struct scenario sc[MAX_SCENARIOS];
    size_t n_sc = build_scenarios(sc);
    static const char *const names[] = {"deposit", "balance",     "mutex", "spinlock",
                                        "atomic",  "unprotected", NULL};
    static const uint64_t default_n[] = {100000};
    const struct ptc_micro_cli cli = {
        .program = PROG,
        .usage =
            "Shared state between threads. deposit: 100 threads each add 1 to a balance with a\n"
            "1 ms pause between the read and the write (the tutorial's 10 ms / 10), under a mutex\n"
            "and unprotected: wall time and updates lost. balance: 2 threads run balance += n;\n"
            "balance -= n N times each (n = 5 and 8): ns per change and |final balance|.\n"
            "increment: N increments per thread of one counter by 1, 2, 4 and 8 threads, under\n"
            "a mutex, a spinlock, as an atomic fetch_add and unprotected (with the updates lost);\n"
            "the figures include starting and joining the threads, measured alone as 'harness'.\n"
            "--n sets N (default 100000, the tutorial's count); deposit ignores it.",
        .only_names = names,
        .default_repeat = 5,
        .default_n = default_n,
        .n_default_n = 1,
        .max_n = 10000000,
    };
    struct ptc_micro_opts o;
    struct ptc_micro_out out;
    int st = ptc_micro_start(&cli, argc, argv, &o, &out);
    if (st >= 0)
        return st;
    ptc_timer_slack_min(); /* the deposits' 1 ms pauses: microseconds late, not 50 */
    int failed = 0;
    double *ns = calloc(n_sc * o.repeat, sizeof *ns);
    double *wrong = calloc(n_sc * o.repeat, sizeof *wrong);
    if (ns == NULL || wrong == NULL) {
        fprintf(stderr, PROG ": out of memory\n");
        failed = 1;
        goto done;
    }
    for (size_t ni = 0; ni < o.n_n; ni++) {
        int errs[MAX_SCENARIOS] = {0}, broken[MAX_SCENARIOS] = {0};
        /* Samples interleaved across scenarios, so that drift hits them all alike. */
        for (uint64_t r = 0; r < o.repeat; r++) {
            for (size_t i = 0; i < n_sc; i++) {
                if (!runs(&o, &sc[i], ni) || errs[i] < 0)
                    continue;
                struct sample s = {0};
                errs[i] = run_one(&sc[i], o.n[ni], &s);
                if (errs[i] < 0)
                    continue;
                double per = sc[i].kind == K_DEPOSIT   ? 1e6 /* ms */
                             : sc[i].kind == K_HARNESS ? 1e3 /* us */
                             : sc[i].kind == K_BALANCE ? 2.0 * (double)o.n[ni]
                                                       : (double)sc[i].threads * (double)o.n[ni];
                ns[i * o.repeat + r] = (double)s.ns / per;
                wrong[i * o.repeat + r] = (double)s.wrong;
                broken[i] |= sc[i].guard != G_NONE && s.wrong != 0;
            }
        }
        for (size_t i = 0; i < n_sc; i++) {
            if (!runs(&o, &sc[i], ni))
                continue;
            report(&out, &sc[i], o.n[ni], &ns[i * o.repeat], &wrong[i * o.repeat], o.repeat,
                   errs[i], broken[i]);
            failed |= errs[i] < 0 || broken[i];
        }
    }
done:
    free(ns);
    free(wrong);
    return ptc_micro_finish(&o, &out, failed);
}
