/* Helpers shared by the cmocka tests: timing tolerances, scratch directories, known-bug gates.
 * Include after <cmocka.h>. Header-only (static functions), so each test stays one file. */
#ifndef PTC_TESTS_PTC_TEST_H
#define PTC_TESTS_PTC_TEST_H

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* cmocka 1.1 compares floats only: a double comparison with an absolute tolerance. */
#define assert_double_near(a, b, eps)                                                              \
    do {                                                                                           \
        double a_ = (a), b_ = (b), eps_ = (eps);                                                   \
        if (!(fabs(a_ - b_) <= eps_))                                                              \
            fail_msg("%s = %.17g, expected %.17g (+- %g)", #a, a_, b_, eps_);                      \
    } while (0)

/* Every timing tolerance is multiplied by PTC_TEST_TIME_MULTIPLIER (default 1), so that a slow
 * or loaded machine, valgrind or a sanitizer build can widen them without editing the tests. */
static inline double ptc_test_time_multiplier(void) {
    const char *s = getenv("PTC_TEST_TIME_MULTIPLIER");
    if (s == NULL || *s == '\0')
        return 1.0;
    char *end;
    double m = strtod(s, &end);
    return (*end == '\0' && m >= 1.0) ? m : 1.0;
}

/* A new empty directory under $TMPDIR (or /tmp); the path is malloc'ed. */
static inline char *ptc_test_mkdtemp(void) {
    const char *base = getenv("TMPDIR");
    if (base == NULL || *base == '\0')
        base = "/tmp";
    char *path = NULL;
    if (asprintf(&path, "%s/ptc-test.XXXXXX", base) < 0)
        return NULL;
    if (mkdtemp(path) == NULL) {
        free(path);
        return NULL;
    }
    return path;
}

/* Entries of dir whose name contains needle (NULL: every entry but . and ..); -errno if dir
 * cannot be read. */
static inline int ptc_test_count_matching(const char *dir, const char *needle) {
    DIR *d = opendir(dir);
    if (d == NULL)
        return -errno;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        n += needle == NULL || strstr(e->d_name, needle) != NULL;
    }
    closedir(d);
    return n;
}

/* Entries of dir other than . and .. ; -errno if it cannot be read. */
static inline int ptc_test_count_entries(const char *dir) {
    return ptc_test_count_matching(dir, NULL);
}

/* Removes a flat scratch directory made by ptc_test_mkdtemp and frees its path. */
static inline void ptc_test_rmdir(char *dir) {
    if (dir == NULL)
        return;
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *p = NULL;
            if (asprintf(&p, "%s/%s", dir, e->d_name) >= 0) {
                if (unlink(p) != 0)
                    rmdir(p);
                free(p);
            }
        }
        closedir(d);
    }
    rmdir(dir);
    free(dir);
}

/* The whole content of a file, NUL-terminated, malloc'ed; NULL if it cannot be read. */
static inline char *ptc_test_slurp(const char *path) {
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        size_t got = fread(buf + len, 1, cap - len - 1, fp);
        len += got;
        if (got == 0)
            break;
        if (cap - len - 1 == 0) {
            char *grown = realloc(buf, cap * 2);
            if (grown == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2;
        }
    }
    if (buf != NULL)
        buf[len] = '\0';
    fclose(fp);
    return buf;
}

/* ---- nothing left behind ---- */

/* Fails the test when a child process of this one is still there (exited or not). */
static inline void ptc_test_assert_no_child(const char *what) {
    errno = 0;
    pid_t left = waitpid(-1, NULL, WNOHANG);
    if (left != -1 || errno != ECHILD)
        fail_msg("%s: a child process is left behind (waitpid gave %d, errno %d)", what, (int)left,
                 errno);
}

/* Threads of this process, from /proc/self/status; -1 if unreadable. */
static inline int ptc_test_threads(void) {
    FILE *fp = fopen("/proc/self/status", "r");
    if (fp == NULL)
        return -1;
    char line[256];
    int n = -1;
    while (fgets(line, sizeof line, fp) != NULL)
        if (sscanf(line, "Threads: %d", &n) == 1)
            break;
    fclose(fp);
    return n;
}

static inline void *ptc_test_idle(void *arg) {
    return arg;
}

/* Threads of this process when nothing runs, counted after one thread has come and gone, so that
 * a sanitizer's helper thread, started with the first pthread_create, is included. Call from
 * main before the tests. */
static inline int ptc_test_thread_baseline(void) {
    pthread_t t;
    if (pthread_create(&t, NULL, ptc_test_idle, NULL) == 0)
        pthread_join(t, NULL);
    return ptc_test_threads();
}

/* Fails the test when more threads than `baseline` remain. pthread_join returns when the kernel
 * clears the thread's tid, a moment before the thread leaves /proc: a joined thread may still be
 * counted for a while on a loaded machine, so a grace period of 1 s (x the multiplier) applies;
 * a thread left running is still there after it. */
static inline void ptc_test_assert_threads(const char *what, int baseline) {
    const double grace_s = 1.0 * ptc_test_time_multiplier();
    struct timespec now, end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    end.tv_sec += (time_t)grace_s;
    int threads = ptc_test_threads();
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (threads == -1 || threads == baseline || now.tv_sec > end.tv_sec ||
            (now.tv_sec == end.tv_sec && now.tv_nsec >= end.tv_nsec))
            break;
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
        threads = ptc_test_threads();
    }
    if (threads != -1 && threads != baseline)
        fail_msg("%s: %d threads after the run, expected %d", what, threads, baseline);
}

#endif
