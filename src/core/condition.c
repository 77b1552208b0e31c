#include "core/condition.h"

#include "core/child.h"
#include "core/valgrind.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* The rule's thresholds, in one place.
 * - Others busy: a quarter of a CPU taken by other processes, on average over the run, beyond the
 *   tick margin. On a 2-CPU machine that is an eighth of the machine: enough to cut a CPU-bound
 *   speedup visibly (one spinning process cut 2 threads' speedup from 1.95x to 1.25x), while the
 *   background of an idle system (daemons, kworkers) stays far below it.
 * - Steal: a tenth of a CPU taken by the hypervisor beyond the tick margin; a KVM guest on a quiet
 *   host reads 0.
 * - Capacity: N spinning threads finish less than 0.85 x N times faster than one. A quiet 2-CPU
 *   guest measures 1.93-2.03x (0.97-1.0 of N); one other busy process brings it to 1.18-1.32x
 *   (0.6-0.66). 0.85 leaves room for the probe's own noise on a quiet machine. */
const double ptc_condition_other_busy_max_cpus = 0.25;
const double ptc_condition_steal_max_cpus = 0.10;
const double ptc_condition_capacity_min_fraction = 0.85;

const ptc_ns ptc_capacity_unit_ns = 5 * PTC_NS_PER_MS;

#define PROBE_PAIRS 3

/* /proc/stat's aggregate "cpu" line: busy = user + nice + system (guest time is already inside
 * user and nice); idle and iowait are not busy; steal apart. irq and softirq are left out: with
 * IRQ time accounting the kernel charges them to no task, so ptc-run's own loopback network and
 * disk completions would read as other processes' work. A spinning neighbour shows in user. */
static bool read_cpu_ticks(uint64_t *busy, uint64_t *steal) {
    FILE *fp = fopen("/proc/stat", "r");
    if (fp == NULL)
        return false;
    unsigned long long v[8] = {0};
    int n = fscanf(fp, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
                   &v[4], &v[5], &v[6], &v[7]);
    fclose(fp);
    if (n < 8)
        return false;
    *busy = v[0] + v[1] + v[2];
    *steal = v[7];
    return true;
}

static double read_load_1m(void) {
    FILE *fp = fopen("/proc/loadavg", "r");
    double load = NAN;
    if (fp == NULL)
        return NAN;
    if (fscanf(fp, "%lf", &load) != 1)
        load = NAN;
    fclose(fp);
    return load;
}

/* utime + stime of one process, in ticks; 0 when it is gone. The command name in field 2 may
 * hold spaces and parentheses: the fields after it start after the last ')'. */
static uint64_t process_ticks(const char *pid) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%s/stat", pid);
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    unsigned long long utime = 0, stime = 0;
    if (p == NULL ||
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
        return 0;
    return utime + stime;
}

/* The live children's CPU time: ptcbench's own helpers (the net workload's server process) that
 * outlive a run count as this process, not as others. */
static uint64_t children_ticks(void) {
    DIR *d = opendir("/proc/self/task");
    if (d == NULL)
        return 0;
    uint64_t ticks = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[64], pid[24];
        snprintf(path, sizeof path, "/proc/self/task/%.20s/children", e->d_name);
        FILE *fp = fopen(path, "r");
        if (fp == NULL)
            continue;
        while (fscanf(fp, "%23s", pid) == 1)
            ticks += process_ticks(pid);
        fclose(fp);
    }
    closedir(d);
    return ticks;
}

void ptc_condition_begin(struct ptc_condition_mark *m) {
    memset(m, 0, sizeof *m);
    m->load_1m = read_load_1m();
    m->ok = read_cpu_ticks(&m->busy_ticks, &m->steal_ticks);
    m->children_ticks = children_ticks();
    m->at_ns = ptc_now_ns();
}

void ptc_condition_end(const struct ptc_condition_mark *m, ptc_ns own_cpu_ns, long cpus,
                       struct ptc_run_condition *out) {
    ptc_ns wall_ns = ptc_now_ns() - m->at_ns;
    uint64_t busy, steal, kids = children_ticks();
    *out = (struct ptc_run_condition){.load_1m = m->load_1m,
                                      .steal_cpus = NAN,
                                      .other_busy_cpus = NAN,
                                      .margin_cpus = NAN,
                                      .capacity = NAN,
                                      .cpus = cpus};
    long hz = sysconf(_SC_CLK_TCK);
    if (!m->ok || hz <= 0 || wall_ns == 0 || !read_cpu_ticks(&busy, &steal))
        return;
    double tick_ns = 1e9 / (double)hz, wall = (double)wall_ns;
    /* Signed: a child reaped during the run has its whole life in own_cpu_ns already. */
    double own = (double)own_cpu_ns + ((double)kids - (double)m->children_ticks) * tick_ns;
    double others = (double)(busy - m->busy_ticks) * tick_ns - own;
    out->other_busy_cpus = others > 0 ? others / wall : 0;
    out->steal_cpus = (double)(steal - m->steal_ticks) * tick_ns / wall;
    /* Each CPU's counters advance in whole ticks: reading them at both ends can be off by a tick
     * per CPU at each end. */
    out->margin_cpus = 2.0 * (double)(cpus > 0 ? cpus : 1) * tick_ns / wall;
}

/* Adds "; text" (or "text" first) to why. */
static void append(char *why, size_t size, const char *text) {
    if (why == NULL || size == 0)
        return;
    size_t len = strlen(why);
    snprintf(why + len, size - len, "%s%s", len > 0 ? "; " : "", text);
}

bool ptc_condition_judge(const struct ptc_run_condition *c, char *why, size_t why_size) {
    if (why != NULL && why_size > 0)
        why[0] = '\0';
    bool disturbed = false;
    double margin = isnan(c->margin_cpus) ? 0 : c->margin_cpus;
    char text[96];
    /* NaN compares false: a figure that could not be read disturbs nothing. */
    if (c->other_busy_cpus - margin > ptc_condition_other_busy_max_cpus) {
        snprintf(text, sizeof text, "others busy %.2f CPUs (+-%.2f)", c->other_busy_cpus, margin);
        append(why, why_size, text);
        disturbed = true;
    }
    if (c->steal_cpus - margin > ptc_condition_steal_max_cpus) {
        snprintf(text, sizeof text, "steal %.2f CPUs (+-%.2f)", c->steal_cpus, margin);
        append(why, why_size, text);
        disturbed = true;
    }
    if (c->cpus > 0 && c->capacity < ptc_condition_capacity_min_fraction * (double)c->cpus) {
        snprintf(text, sizeof text, "capacity %.2fx of %ld CPUs", c->capacity, c->cpus);
        append(why, why_size, text);
        disturbed = true;
    }
    return disturbed;
}

/* xorshift64: a dependency chain in registers, so the pass measures CPU time alone, not memory
 * bandwidth or caches that the threads would share. */
static uint64_t spin(uint64_t iterations, uint64_t x) {
    for (uint64_t i = 0; i < iterations; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    return x;
}

static volatile uint64_t sink;

struct pass {
    pthread_barrier_t start;
    uint64_t iterations;
    pthread_mutex_t lock;
    ptc_ns first_start_ns, last_end_ns;
};

static void *pass_thread(void *arg) {
    struct pass *p = arg;
    pthread_barrier_wait(&p->start);
    ptc_ns t0 = ptc_now_ns();
    uint64_t x = spin(p->iterations, t0 | 1);
    ptc_ns t1 = ptc_now_ns();
    pthread_mutex_lock(&p->lock);
    sink = x; /* under the lock: the threads would race on it (TSan) */
    if (p->first_start_ns == 0 || t0 < p->first_start_ns)
        p->first_start_ns = t0;
    if (t1 > p->last_end_ns)
        p->last_end_ns = t1;
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* The probe threads run on stacks of our own, unmapped after the join: glibc keeps the stacks it
 * allocates (8 MiB and a guard page each) for later threads, and every fork the fork models make
 * afterwards would copy those mappings. Measured here: 2000 forks took 1.3x longer after a probe
 * with glibc's stacks. TSan keeps about 900 KiB of its own at the top of each thread's stack. */
#if defined(__SANITIZE_THREAD__)
#define PROBE_STACK_BYTES (1024 * 1024)
#else
#define PROBE_STACK_BYTES (64 * 1024)
#endif

/* One pass of n threads; its wall time from the first thread's start to the last one's end, so
 * that thread creation is not in it. */
static int run_pass(uint64_t iterations, long n, ptc_ns *elapsed_ns) {
    struct pass p = {.iterations = iterations};
    pthread_t *tids = calloc((size_t)n, sizeof *tids);
    size_t stacks_bytes = (size_t)n * PROBE_STACK_BYTES;
    void *stacks =
        mmap(NULL, stacks_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (tids == NULL || stacks == MAP_FAILED) {
        free(tids);
        if (stacks != MAP_FAILED)
            munmap(stacks, stacks_bytes);
        return -ENOMEM;
    }
    int rc = pthread_barrier_init(&p.start, NULL, (unsigned)n);
    if (rc != 0) {
        free(tids);
        munmap(stacks, stacks_bytes);
        return -rc;
    }
    pthread_mutex_init(&p.lock, NULL);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    long started = 0;
    for (; started < n; started++) {
        pthread_attr_setstack(&attr, (char *)stacks + (size_t)started * PROBE_STACK_BYTES,
                              PROBE_STACK_BYTES);
        if ((rc = pthread_create(&tids[started], &attr, pass_thread, &p)) != 0)
            break;
    }
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        /* The started threads wait at the barrier for the missing ones: cancel them there. */
        for (long i = 0; i < started; i++)
            pthread_cancel(tids[i]);
    }
    for (long i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    munmap(stacks, stacks_bytes);
    pthread_mutex_destroy(&p.lock);
    pthread_barrier_destroy(&p.start);
    free(tids);
    if (rc != 0)
        return -rc;
    *elapsed_ns = p.last_end_ns - p.first_start_ns;
    return 0;
}

int ptc_capacity_init(struct ptc_capacity_probe *p, long cpus) {
    p->cpus = cpus > 0 ? cpus : 1;
    uint64_t n = 1 << 12;
    ptc_ns t = 0;
    while (n < (1ULL << 40)) {
        ptc_ns t0 = ptc_now_ns();
        sink = spin(n, t0 | 1);
        t = ptc_now_ns() - t0;
        if (t >= ptc_capacity_unit_ns / 4)
            break;
        n *= 2;
    }
    p->iterations = t > 0 ? (uint64_t)((double)n * (double)ptc_capacity_unit_ns / (double)t) : n;
    return 0;
}

static int measure_here(const struct ptc_capacity_probe *p, double *capacity) {
    ptc_ns best1 = UINT64_MAX, bestn = UINT64_MAX;
    /* Alternating pairs and the fastest pass of each kind: a brief interruption (a daemon waking)
     * lengthens one pass, not the minimum. */
    for (int i = 0; i < PROBE_PAIRS; i++) {
        ptc_ns t1 = 0, tn = 0;
        int rc = run_pass(p->iterations, 1, &t1);
        if (rc == 0)
            rc = run_pass(p->iterations, p->cpus, &tn);
        if (rc < 0)
            return rc;
        best1 = t1 < best1 ? t1 : best1;
        bestn = tn < bestn ? tn : bestn;
    }
    *capacity = bestn > 0 ? (double)p->cpus * (double)best1 / (double)bestn : NAN;
    return 0;
}

/* How long the probe's child has to answer and end. A probe costs about 8 x
 * ptc_capacity_unit_ns (40 ms); the margin covers a busy machine. Under Valgrind everything runs
 * 20-50 times slower and memcheck searches the child for leaks at its exit: ten times longer. */
const ptc_ns ptc_capacity_timeout_ns = 2 * PTC_NS_PER_S;
#define VALGRIND_TIMEOUT_FACTOR 10

/* Reads the child's answer into *c and waits for the end of the pipe (the child's exit) until
 * deadline_ns. Returns 0 when the pipe ended, -ETIMEDOUT, or a negative errno of poll. */
static int await_answer(int fd, ptc_ns deadline_ns, double *c, bool *answered) {
    unsigned char buf[sizeof *c], drain[16];
    size_t got = 0;
    for (;;) {
        ptc_ns now = ptc_now_ns();
        if (now >= deadline_ns)
            return -ETIMEDOUT;
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int left_ms = (int)((deadline_ns - now + PTC_NS_PER_MS - 1) / PTC_NS_PER_MS);
        int rc = poll(&pfd, 1, left_ms);
        if (rc < 0 && errno != EINTR)
            return -errno;
        if (rc <= 0)
            continue;
        bool whole = got == sizeof buf;
        ssize_t n = read(fd, whole ? drain : buf + got, whole ? sizeof drain : sizeof buf - got);
        if (n < 0 && errno != EINTR && errno != EAGAIN)
            return -errno;
        if (n == 0)
            return 0;
        if (n > 0 && !whole && (got += (size_t)n) == sizeof buf) {
            memcpy(c, buf, sizeof *c);
            *answered = true;
        }
    }
}

/* The probe runs in a child process: a process that has ever created a thread stays
 * multi-threaded for glibc, whose fork then locks (and so writes, and copies on write) malloc's
 * arenas and stdio's list in parent and child. Measured here: 2000 forks of a process after one
 * thread took 1.3x as long as before it, which would charge the probe to the fork models. */
int ptc_capacity_measure(const struct ptc_capacity_probe *p, double *capacity, char *why,
                         size_t why_size) {
    if (why != NULL && why_size > 0)
        why[0] = '\0';
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0)
        return -errno;
    fflush(NULL); /* nothing buffered is written twice by the child */
    pid_t pid = fork();
    if (pid < 0) {
        int err = errno;
        close(fds[0]);
        close(fds[1]);
        return -err;
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        close(fds[0]);
        double c = NAN;
        int rc = measure_here(p, &c);
        ssize_t n = write(fds[1], rc == 0 ? (const void *)&c : (const void *)&rc,
                          rc == 0 ? sizeof c : sizeof rc);
        _exit(n > 0 && rc == 0 ? 0 : 1);
    }
    close(fds[1]);
    ptc_ns timeout_ns = ptc_capacity_timeout_ns * (PTC_ON_VALGRIND() ? VALGRIND_TIMEOUT_FACTOR : 1);
    double c = NAN;
    bool answered = false;
    int rc = await_answer(fds[0], ptc_now_ns() + timeout_ns, &c, &answered);
    close(fds[0]);
    if (rc == -ETIMEDOUT) {
        /* Stopped, or stuck: named, then killed, so that the run goes on without it. */
        char state[64];
        ptc_child_peek(pid, state, sizeof state);
        if (why != NULL)
            snprintf(why, why_size, "the capacity probe (pid %ld, %s) %s within %.0f s", (long)pid,
                     state[0] ? state : "running",
                     answered ? "answered but did not end" : "gave no answer",
                     (double)timeout_ns / PTC_NS_PER_S);
        kill(pid, SIGKILL);
    }
    int status = 0;
    ptc_wait_child(pid, &status, 0, NULL);
    if (rc < 0)
        return rc;
    if (!answered || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -EAGAIN;
    *capacity = c;
    return 0;
}
