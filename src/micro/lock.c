/* ptc-lock: shared state between threads. The tutorials' two lock examples as measurements
 * (micro/lock.h: 100 deposits with a pause inside the critical section; balance += n;
 * balance -= n from two threads), then what one increment of a shared counter costs as threads
 * grow from 1 to 8: under a pthread mutex, under a pthread spinlock, as an atomic fetch_add, and
 * unprotected, where the updates lost are counted.
 *
 * "Unprotected" reads and writes through relaxed __atomic loads and stores, one each: the race
 * is defined behaviour in C11 and the counter cannot live in a register, yet another thread can
 * write between the read and the write, which is the lost update being measured. */
#include "micro/lock.h"
#include "micro/bench.h"
#include "micro/gate.h"

#include "core/clock.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEPOSITORS       100
#define DEPOSIT_PAUSE_NS PTC_NS_PER_MS /* the tutorial's 10 ms, cut tenfold: 0.1 s a sample */

/* ---- the increments ---- */

enum guard { G_MUTEX, G_SPIN, G_ATOMIC, G_NONE, G_IDLE /* no increment: the harness alone */ };
enum kind { K_DEPOSIT, K_BALANCE, K_INCREMENT, K_HARNESS };

struct counter {
    uint64_t value;
    pthread_mutex_t mu;
    pthread_spinlock_t spin;
    enum guard guard;
    uint64_t per_thread; /* increments per thread */
    struct ptc_gate gate;
};

/* n increments under guard g. Inlined with g a constant at each call, so that the loop measured
 * holds nothing but the increment and its guard. */
static inline __attribute__((always_inline)) void increment_n(struct counter *s, enum guard g,
                                                              uint64_t n) {
    for (uint64_t i = 0; i < n; i++) {
        if (g == G_MUTEX)
            pthread_mutex_lock(&s->mu);
        else if (g == G_SPIN)
            pthread_spin_lock(&s->spin);
        if (g == G_ATOMIC) {
            __atomic_fetch_add(&s->value, 1, __ATOMIC_RELAXED);
        } else if (g == G_NONE) { /* the tutorial's read-modify-write, split */
            uint64_t b = __atomic_load_n(&s->value, __ATOMIC_RELAXED);
            __atomic_store_n(&s->value, b + 1, __ATOMIC_RELAXED);
        } else {
            s->value++;
        }
        if (g == G_MUTEX)
            pthread_mutex_unlock(&s->mu);
        else if (g == G_SPIN)
            pthread_spin_unlock(&s->spin);
    }
}

static void *increment(void *p) {
    struct counter *s = p;
    if (ptc_gate_pass(&s->gate) < 0)
        return NULL;
    switch (s->guard) {
    case G_MUTEX:
        increment_n(s, G_MUTEX, s->per_thread);
        break;
    case G_SPIN:
        increment_n(s, G_SPIN, s->per_thread);
        break;
    case G_ATOMIC:
        increment_n(s, G_ATOMIC, s->per_thread);
        break;
    case G_NONE:
        increment_n(s, G_NONE, s->per_thread);
        break;
    case G_IDLE:
        break;
    }
    return NULL;
}

/* threads x n increments under guard; the updates lost into *lost. Returns the elapsed ns or a
 * negative errno. */
static int64_t increments_run(enum guard guard, unsigned threads, uint64_t n, uint64_t *lost) {
    struct counter s = {.guard = guard, .per_thread = guard == G_IDLE ? 0 : n};
    int rc = pthread_mutex_init(&s.mu, NULL);
    if (rc != 0)
        return -rc;
    if ((rc = pthread_spin_init(&s.spin, PTHREAD_PROCESS_PRIVATE)) != 0) {
        pthread_mutex_destroy(&s.mu);
        return -rc;
    }
    ptc_gate_init(&s.gate);
    ptc_ns elapsed = 0;
    rc = ptc_run_gated(threads, increment, &s, 0, &s.gate, &elapsed);
    *lost = threads * s.per_thread - s.value;
    pthread_spin_destroy(&s.spin);
    pthread_mutex_destroy(&s.mu);
    return rc < 0 ? rc : (int64_t)elapsed;
}

/* ---- what one sample measures ---- */

struct scenario {
    const char *name; /* what --only takes; NULL: the harness, run with any increment */
    enum kind kind;
    const char *benchmark, *mechanism;
    char variant[48];
    enum guard guard;
    unsigned threads;
};

/* One sample: elapsed ns, and the updates lost (deposits, increments) or |final balance|. */
struct sample {
    int64_t ns;
    uint64_t wrong;
};

static int run_one(const struct scenario *sc, uint64_t n, struct sample *out) {
    int rc = 0;
    switch (sc->kind) {
    case K_DEPOSIT: {
        struct ptc_deposits d = {
            .threads = DEPOSITORS, .pause_ns = DEPOSIT_PAUSE_NS, .locked = sc->guard == G_MUTEX};
        rc = ptc_deposits_run(&d);
        out->ns = (int64_t)d.elapsed_ns;
        out->wrong = (uint64_t)(DEPOSITORS - d.balance);
        break;
    }
    case K_BALANCE: {
        int64_t balance = 0;
        ptc_ns elapsed = 0;
        rc = ptc_balance_run(sc->guard == G_MUTEX, n, &balance, &elapsed);
        out->ns = (int64_t)elapsed;
        out->wrong = (uint64_t)(balance < 0 ? -balance : balance); /* drift either way */
        break;
    }
    case K_INCREMENT:
    case K_HARNESS:
        out->ns = increments_run(sc->guard, sc->threads, n, &out->wrong);
        rc = out->ns < 0 ? (int)out->ns : 0;
        break;
    }
    return rc;
}

#define N_THREAD_COUNTS 4
static const unsigned thread_counts[N_THREAD_COUNTS] = {1, 2, 4, 8};
#define MAX_SCENARIOS (4 + 5 * N_THREAD_COUNTS)

static void threads_variant(struct scenario *sc) {
    snprintf(sc->variant, sizeof sc->variant, "%u thread%s", sc->threads,
             sc->threads == 1 ? "" : "s");
}

static size_t build_scenarios(struct scenario *sc) {
    static const struct {
        const char *name, *mechanism;
        enum guard guard;
    } guards[] = {{"mutex", "pthread_mutex", G_MUTEX},
                  {"spinlock", "pthread_spinlock", G_SPIN},
                  {"atomic", "atomic fetch_add", G_ATOMIC},
                  {"unprotected", "unprotected", G_NONE}};
    size_t k = 0;
    for (int kind = K_DEPOSIT; kind <= K_BALANCE; kind++) {
        for (int locked = 1; locked >= 0; locked--) {
            sc[k] = (struct scenario){.name = kind == K_DEPOSIT ? "deposit" : "balance",
                                      .kind = kind,
                                      .benchmark = kind == K_DEPOSIT ? "deposit" : "balance",
                                      .mechanism = locked ? "pthread_mutex" : "unprotected",
                                      .guard = locked ? G_MUTEX : G_NONE,
                                      .threads = kind == K_DEPOSIT ? DEPOSITORS : 2};
            if (kind == K_DEPOSIT)
                snprintf(sc[k].variant, sizeof sc[k].variant, "%d threads,%llu ms pause",
                         DEPOSITORS, (unsigned long long)(DEPOSIT_PAUSE_NS / PTC_NS_PER_MS));
            else
                snprintf(sc[k].variant, sizeof sc[k].variant, "2 threads,+-5 and +-8");
            k++;
        }
    }
    for (size_t g = 0; g < sizeof guards / sizeof guards[0]; g++) {
        for (int t = 0; t < N_THREAD_COUNTS; t++) {
            sc[k] = (struct scenario){.name = guards[g].name,
                                      .kind = K_INCREMENT,
                                      .benchmark = "increment",
                                      .mechanism = guards[g].mechanism,
                                      .guard = guards[g].guard,
                                      .threads = thread_counts[t]};
            threads_variant(&sc[k++]);
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
        threads_variant(&sc[k++]);
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
    static const char *const metrics[] = {[K_DEPOSIT] = "wall_ms",
                                          [K_BALANCE] = "ns_per_change",
                                          [K_INCREMENT] = "ns_per_increment",
                                          [K_HARNESS] = "start_join_us"};
    static const char *const units[] = {
        [K_DEPOSIT] = "ms", [K_BALANCE] = "ns", [K_INCREMENT] = "ns", [K_HARNESS] = "us"};
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
                                .metric = metrics[sc->kind],
                                .unit = units[sc->kind],
                                .value = ok ? 0 : NAN,
                                .samples = ok ? ns : NULL,
                                .n_samples = ok ? repeat : 0,
                                .note = note};
    ptc_micro_row(out, &row);
    /* The locked increments' lost updates are checked (a row only if one was lost), not shown. */
    if (sc->kind == K_HARNESS || (sc->kind == K_INCREMENT && sc->guard != G_NONE && !broken))
        return;
    row.samples = ok ? wrong : NULL;
    row.metric = sc->kind == K_BALANCE ? "abs_final_balance" : "lost_updates";
    row.unit = sc->kind == K_BALANCE ? "units" : "updates";
    ptc_micro_row(out, &row);
}

/* What a sample's elapsed ns are divided by: ms, us, or ns per change or increment. */
static double per(const struct scenario *sc, uint64_t n) {
    switch (sc->kind) {
    case K_DEPOSIT:
        return 1e6;
    case K_HARNESS:
        return 1e3;
    case K_BALANCE:
        return 2.0 * (double)n;
    case K_INCREMENT:
        break;
    }
    return (double)sc->threads * (double)n;
}

static int run(const struct ptc_micro_opts *o, struct ptc_micro_out *out) {
    static struct scenario sc[MAX_SCENARIOS];
    size_t n_sc = build_scenarios(sc);
    ptc_timer_slack_min(); /* the deposits' 1 ms pauses: microseconds late, not 50 */
    int failed = 0;
    double *ns = calloc(n_sc * o->repeat, sizeof *ns);
    double *wrong = calloc(n_sc * o->repeat, sizeof *wrong);
    if (ns == NULL || wrong == NULL) {
        fprintf(stderr, "%s: out of memory\n", out->program);
        failed = 1;
        goto done;
    }
    for (size_t ni = 0; ni < o->n_n; ni++) {
        int errs[MAX_SCENARIOS] = {0}, broken[MAX_SCENARIOS] = {0};
        /* Samples interleaved across scenarios, so that drift hits them all alike. */
        for (uint64_t r = 0; r < o->repeat; r++) {
            for (size_t i = 0; i < n_sc; i++) {
                if (!runs(o, &sc[i], ni) || errs[i] < 0)
                    continue;
                struct sample s = {0};
                errs[i] = run_one(&sc[i], o->n[ni], &s);
                if (errs[i] < 0)
                    continue;
                ns[i * o->repeat + r] = (double)s.ns / per(&sc[i], o->n[ni]);
                wrong[i * o->repeat + r] = (double)s.wrong;
                broken[i] |= sc[i].guard != G_NONE && s.wrong != 0;
            }
        }
        for (size_t i = 0; i < n_sc; i++) {
            if (!runs(o, &sc[i], ni))
                continue;
            report(out, &sc[i], o->n[ni], &ns[i * o->repeat], &wrong[i * o->repeat], o->repeat,
                   errs[i], broken[i]);
            failed |= errs[i] < 0 || broken[i];
        }
    }
done:
    free(ns);
    free(wrong);
    return failed;
}

static const char usage[] =
    "Shared state between threads. deposit: 100 threads each add 1 to a balance with a\n"
    "1 ms pause between the read and the write (the tutorial's 10 ms / 10), under a mutex\n"
    "and unprotected: wall time and updates lost. balance: 2 threads run balance += n;\n"
    "balance -= n N times each (n = 5 and 8): ns per change and |final balance|.\n"
    "increment: N increments per thread of one counter by 1, 2, 4 and 8 threads, under\n"
    "a mutex, a spinlock, as an atomic fetch_add and unprotected (with the updates lost);\n"
    "the figures include starting and joining the threads, measured alone as 'harness'.\n"
    "--n sets N (default 100000, the tutorial's count); deposit ignores it.";
static const char *const names[] = {"deposit", "balance",     "mutex", "spinlock",
                                    "atomic",  "unprotected", NULL};
static const uint64_t default_n[] = {100000};

const struct ptc_micro_bench ptc_micro_lock = {
    .cli = {.program = "ptc-lock",
            .usage = usage,
            .only_names = names,
            .default_repeat = 5,
            .default_n = default_n,
            .n_default_n = 1,
            .max_n = 10000000},
    .run = run,
};
