/* Claim 08: processes do not share globals (000, 004): a child's change stays in the child,
 * and a thread's, the control, is seen by all. */
#include "claims/children.h"
#include "claims/scenario.h"
#include "core/child.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The tutorial's g_nums = [11, 22, 33], a list: in C an array and its length. The scenario's
 * own global, set afresh at the start of every run. */
#define NUMS_CAP 8
struct nums {
    int len;
    int v[NUMS_CAP];
};
static struct nums g_nums;

static void nums_append(int x) {
    if (g_nums.len < NUMS_CAP)
        g_nums.v[g_nums.len++] = x;
}

static int nums_is(const struct nums *n, int len, const int *v) {
    return n->len == len && memcmp(n->v, v, (size_t)len * sizeof *v) == 0;
}

static const char *nums_text(const struct nums *n, char *buf, size_t size) {
    size_t len = 0;
    len += (size_t)snprintf(buf, size, "[");
    for (int i = 0; i < n->len && i < NUMS_CAP && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%d", i ? ", " : "", n->v[i]);
    if (len < size)
        snprintf(buf + len, size - len, "]");
    return buf;
}

/* work1: g_nums.append(44), and report what it sees. */
static int work1(int fd) {
    nums_append(44);
    return ptc_claims_write_all(fd, &g_nums, sizeof g_nums, 0);
}

/* work2: report what it sees, then append 55 of its own and report again. */
static int work2(int fd) {
    struct nums seen[2];
    seen[0] = g_nums;
    nums_append(55);
    seen[1] = g_nums;
    return ptc_claims_write_all(fd, seen, sizeof seen, 0);
}

/* Forks a child that runs body(fd), fd the write end of a pipe, then reads its report of
 * `size` bytes and reaps it (the tutorial's p.start(); p.join()). Returns 0 or a negative errno. */
static int child_report(int (*body)(int fd), void *report, size_t size) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -errno;
    pid_t pid = ptc_fork_worker();
    if (pid < 0) {
        int e = errno;
        close(fds[0]);
        close(fds[1]);
        return -e;
    }
    if (pid == 0) {
        close(fds[0]);
        _exit(body(fds[1]) == 0 ? 0 : 1);
    }
    close(fds[1]);
    ssize_t got = ptc_claims_read_until(fds[0], report, size, ptc_now_ns() + PTC_CLAIMS_GUARD_NS);
    close(fds[0]);
    if (got != (ssize_t)size) {
        ptc_claims_kill_reap(pid);
        return got < 0 ? (int)got : -EPROTO;
    }
    return ptc_claims_reap_ok(pid);
}

static void *thread_append(void *arg) {
    nums_append(66);
    return NULL;
}

static int claim_globals(const struct ptc_claim_ctx *ctx, struct ptc_claim_result *r) {
    static const int base[] = {11, 22, 33}, with44[] = {11, 22, 33, 44},
                     with55[] = {11, 22, 33, 55}, with66[] = {11, 22, 33, 66};
    g_nums = (struct nums){.len = 3, .v = {11, 22, 33}};
    struct nums seen1, seen2[2], parent, after_thread;
    int rc = child_report(work1, &seen1, sizeof seen1);
    if (rc == 0) /* p1.join() before p2.start(), as in the tutorial */
        rc = child_report(work2, seen2, sizeof seen2);
    if (rc < 0)
        return rc;
    parent = g_nums;
    /* The control: the same append from a thread, which shares the parent's memory, is seen. It
     * shows the scenario can tell sharing from not sharing. */
    pthread_t t;
    rc = pthread_create(&t, NULL, thread_append, NULL);
    if (rc != 0)
        return -rc;
    pthread_join(t, NULL);
    after_thread = g_nums;
    g_nums = (struct nums){.len = 3, .v = {11, 22, 33}};

    int parent_same = nums_is(&parent, 3, base);
    int child1_own = nums_is(&seen1, 4, with44);
    int sibling_blind = nums_is(&seen2[0], 3, base) && nums_is(&seen2[1], 4, with55);
    int control = nums_is(&after_thread, 4, with66);
    int ok = parent_same && child1_own && sibling_blind && control;
    char a[64], b[64], c[64], d[64], e[64];
    snprintf(r->expected, sizeof r->expected,
             "g_nums = [11, 22, 33]; a child that appends 44 sees [11, 22, 33, 44]; the next "
             "child sees [11, 22, 33] and, after appending 55, [11, 22, 33, 55]; the parent "
             "still sees [11, 22, 33]");
    snprintf(r->measured, sizeof r->measured,
             "child 1 after append(44): %s; child 2 (started after child 1 was joined): %s, after "
             "its append(55): %s; parent after both: %s; control, a thread's append(66): the "
             "parent sees %s",
             nums_text(&seen1, a, sizeof a), nums_text(&seen2[0], b, sizeof b),
             nums_text(&seen2[1], c, sizeof c), nums_text(&parent, d, sizeof d),
             nums_text(&after_thread, e, sizeof e));
    r->verdict = ok ? PTC_REPRODUCED : PTC_REFUTED;
    snprintf(r->reason, sizeof r->reason, "%s",
             ok ? "fork gives each child a copy of the parent's memory: a change stays in the "
                  "process that made it (a thread's change is shared)"
             : !control ? "the thread control failed: the scenario cannot tell sharing apart"
                        : "a child's change reached another process");
    r->expected_value = 3;
    r->measured_value = parent.len;
    r->unit = "elements";
    return 0;
}

const struct ptc_claim ptc_claim_08 = {
    .id = "08",
    .seed = "000, 004",
    .claim = "Processes do not share globals: a change in a child is invisible to the parent and "
             "its siblings",
    .original = "进程间不同享全局变量 (004); 两个进程之间是无法通过global变量来约束的 (000)",
    .run = claim_globals,
};
