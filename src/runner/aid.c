#include "runner/aid.h"

#include "core/clock.h"
#include "core/condition.h"
#include "core/parse.h"
#include "workload/cpu_chain.h"
#include "workload/file_source.h"
#include "workload/net_server.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROG      "ptc-aid"
#define MAX_TASKS 1000000u

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, PROG ": ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 2;
}

static void usage(FILE *fp) {
    fputs("usage: ptc-aid serve --latency-ms MS\n"
          "       ptc-aid files --dir DIR --tasks N --file-kib K --seed S\n"
          "       ptc-aid cpu-expected --seed S < iterations, one per task\n"
          "       ptc-aid capacity\n"
          "       ptc-aid judge OTHER_BUSY_CPUS STEAL_CPUS MARGIN_CPUS CAPACITY CPUS\n"
          "What the peer runners (scripts/python/peer.py, peers/go) take from the C workloads:\n"
          "  serve          the net workload's loopback server: prints 'ADDR PORT TOKEN' once it\n"
          "                 accepts connections, serves until standard input reaches EOF\n"
          "  files          the file workload's sources DIR/s0 .. DIR/s<N-1>, K KiB each\n"
          "  cpu-expected   the checksum of each task's xorshift chain, one line per task\n"
          "  capacity       ptc-run's parallel capacity probe, once (x)\n"
          "  judge          ptc-run's rule for a disturbed run: '1<TAB>why' or '0<TAB>'\n"
          "Exit status: 0 ok, 1 failed, 2 bad usage.\n",
          fp);
}

/* The options of every command; a command rejects those it does not take. */
struct aid_opts {
    uint64_t latency_ms, tasks, file_kib, seed;
    const char *dir;
    unsigned seen; /* bit per option given */
};
enum { O_LATENCY = 1, O_DIR = 2, O_TASKS = 4, O_KIB = 8, O_SEED = 16 };

static int parse_opts(int argc, char **argv, unsigned allowed, unsigned required,
                      struct aid_opts *o) {
    static const struct option longs[] = {{"latency-ms", required_argument, NULL, O_LATENCY},
                                          {"dir", required_argument, NULL, O_DIR},
                                          {"tasks", required_argument, NULL, O_TASKS},
                                          {"file-kib", required_argument, NULL, O_KIB},
                                          {"seed", required_argument, NULL, O_SEED},
                                          {NULL, 0, NULL, 0}};
    opterr = 0;
    optind = 1;
    int c, rc = 0;
    /* The value of option c (a bit) is longs[ctz(c)]: the table is in bit order. */
    while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        if (c == '?' || c == ':' || !(allowed & (unsigned)c))
            return usage_error("%s: not an option of this command (see --help)", argv[optind - 1]);
        o->seen |= (unsigned)c;
        switch (c) {
        case O_LATENCY:
            rc = ptc_parse_u64(optarg, 0, 86400000, &o->latency_ms);
            break;
        case O_DIR:
            o->dir = optarg;
            break;
        case O_TASKS:
            rc = ptc_parse_u64(optarg, 1, MAX_TASKS, &o->tasks);
            break;
        case O_KIB:
            rc = ptc_parse_u64(optarg, 1, 1048576, &o->file_kib);
            break;
        case O_SEED:
            rc = ptc_parse_u64(optarg, 0, UINT64_MAX, &o->seed);
            break;
        }
        if (rc < 0)
            return usage_error("--%s: '%s' is not a whole number in range",
                               longs[__builtin_ctz((unsigned)c)].name, optarg);
    }
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    if ((o->seen & required) != required)
        return usage_error("%s", "a required option is missing (see --help)");
    return 0;
}

static int serve(const struct aid_opts *o) {
    signal(SIGPIPE, SIG_IGN);
    ptc_raise_nofile_limit();
    struct ptc_net_server srv;
    struct ptc_net_server_opts so = {.latency_ns = o->latency_ms * PTC_NS_PER_MS};
    char err[256];
    if (ptc_net_server_start(&srv, &so, err, sizeof err) < 0) {
        fprintf(stderr, PROG ": %s\n", err);
        return 1;
    }
    printf("%s %u %016" PRIx64 "\n", srv.addr_text, (unsigned)srv.port, srv.token);
    int rc = fflush(stdout) == 0 ? 0 : 1;
    /* The runner's pipe: EOF when the runner closes it or dies. The server child gets SIGKILL
     * when this thread ends (net_server.h), so a killed ptc-aid leaves no server either. */
    char buf[256];
    for (ssize_t n; rc == 0 && (n = read(STDIN_FILENO, buf, sizeof buf)) != 0;)
        if (n < 0 && errno != EINTR)
            break;
    uint64_t refused = srv.refused != NULL ? *srv.refused : 0;
    if (ptc_net_server_stop(&srv) == -ECHILD) {
        fprintf(stderr, PROG ": the server died during the run\n");
        rc = 1;
    } else if (refused > 0) {
        fprintf(stderr, PROG ": the server refused %" PRIu64 " malformed requests\n", refused);
        rc = 1;
    }
    return rc;
}

static int files(const struct aid_opts *o) {
    unsigned char *buf = malloc(PTC_FILE_CHUNK_BYTES);
    if (buf == NULL) {
        fprintf(stderr, PROG ": out of memory\n");
        return 1;
    }
    char path[PATH_MAX];
    uint64_t hash, i;
    int rc = 0;
    for (i = 0; i < o->tasks && rc == 0; i++) {
        if (snprintf(path, sizeof path, "%s/s%" PRIu64, o->dir, i) >= (int)sizeof path)
            rc = -ENAMETOOLONG;
        else
            rc = ptc_file_write_source(path, o->seed, (uint32_t)i, (uint32_t)o->file_kib, buf,
                                       &hash);
    }
    free(buf);
    if (rc == 0)
        return 0;
    fprintf(stderr, PROG ": writing %s: %s\n", path, strerror(-rc));
    while (i-- > 0) { /* nothing half-written is left */
        snprintf(path, sizeof path, "%s/s%" PRIu64, o->dir, i);
        unlink(path);
    }
    return 1;
}

/* The parallel capacity probe of ptc-run (core/condition.h), once: "1.973\n". */
static int capacity(void) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    struct ptc_capacity_probe p;
    double x;
    char why[256] = "";
    if (ptc_capacity_init(&p, cpus) < 0 || ptc_capacity_measure(&p, &x, why, sizeof why) < 0) {
        fprintf(stderr, PROG ": the capacity probe failed%s%s\n", *why ? ": " : "", why);
        return 1;
    }
    printf("%.3f\n", x);
    return fflush(stdout) == 0 ? 0 : 1;
}

/* ptc-run's rule for a disturbed run (ptc_condition_judge) on the figures a peer runner read:
 * judge OTHER_BUSY_CPUS STEAL_CPUS MARGIN_CPUS CAPACITY CPUS, "nan" for a figure not read;
 * prints "1<TAB>why" or "0<TAB>". */
static int judge(int argc, char **argv) {
    if (argc != 6)
        return usage_error("%s",
                           "judge takes OTHER_BUSY_CPUS STEAL_CPUS MARGIN_CPUS CAPACITY CPUS");
    double v[4];
    uint64_t cpus;
    for (int i = 0; i < 4; i++)
        if (strcmp(argv[i + 1], "nan") == 0)
            v[i] = NAN;
        else if (ptc_parse_f64(argv[i + 1], 0, 1e6, &v[i]) < 0)
            return usage_error("judge: '%s' is not a number from 0 or 'nan'", argv[i + 1]);
    if (ptc_parse_u64(argv[5], 1, 1u << 20, &cpus) < 0)
        return usage_error("judge: '%s' is not a CPU count", argv[5]);
    struct ptc_run_condition c = {.load_1m = NAN,
                                  .other_busy_cpus = v[0],
                                  .steal_cpus = v[1],
                                  .margin_cpus = v[2],
                                  .capacity = v[3],
                                  .cpus = (long)cpus};
    char why[256];
    bool disturbed = ptc_condition_judge(&c, why, sizeof why);
    printf("%d\t%s\n", disturbed, why);
    return fflush(stdout) == 0 ? 0 : 1;
}

static int cpu_expected(const struct aid_opts *o) {
    size_t n = 0, cap = 1024;
    uint64_t *iters = malloc(cap * sizeof *iters), v;
    char word[32];
    int rc = 0;
    while (iters != NULL && scanf("%31s", word) == 1) {
        if (ptc_parse_u64(word, 0, UINT64_MAX, &v) < 0 || n == MAX_TASKS) {
            fprintf(stderr, PROG ": cpu-expected: '%s' is not an iteration count (or too many)\n",
                    word);
            free(iters);
            return 2;
        }
        if (n == cap) {
            uint64_t *grown = realloc(iters, 2 * cap * sizeof *iters);
            if (grown == NULL)
                break;
            iters = grown;
            cap *= 2;
        }
        iters[n++] = v;
    }
    uint64_t *out = iters != NULL ? malloc((n ? n : 1) * sizeof *out) : NULL;
    if (out == NULL || ptc_cpu_expected_all(o->seed, iters, (uint32_t)n, out) < 0) {
        fprintf(stderr, PROG ": out of memory\n");
        rc = 1;
    }
    for (size_t i = 0; rc == 0 && i < n; i++)
        printf("%" PRIu64 "\n", out[i]);
    free(iters);
    free(out);
    return rc == 0 && fflush(stdout) != 0 ? 1 : rc;
}

int ptc_aid_main(int argc, char **argv) {
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return 0;
    }
    if (argc < 2)
        return usage_error("%s", "no command: serve, files or cpu-expected (see --help)");
    struct aid_opts o = {0};
    const char *cmd = argv[1];
    int rc;
    if (strcmp(cmd, "serve") == 0)
        return (rc = parse_opts(argc - 1, argv + 1, O_LATENCY, O_LATENCY, &o)) ? rc : serve(&o);
    if (strcmp(cmd, "files") == 0) {
        unsigned all = O_DIR | O_TASKS | O_KIB | O_SEED;
        return (rc = parse_opts(argc - 1, argv + 1, all, all, &o)) ? rc : files(&o);
    }
    if (strcmp(cmd, "cpu-expected") == 0)
        return (rc = parse_opts(argc - 1, argv + 1, O_SEED, O_SEED, &o)) ? rc : cpu_expected(&o);
    if (strcmp(cmd, "capacity") == 0)
        return argc == 2 ? capacity() : usage_error("%s", "capacity takes no argument");
    if (strcmp(cmd, "judge") == 0)
        return judge(argc - 1, argv + 1);
    return usage_error(
        "unknown command '%s': serve, files, cpu-expected, capacity or judge (see --help)", cmd);
}
