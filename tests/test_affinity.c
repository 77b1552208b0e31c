/* core/affinity: parsing --placement, and ptc_place_run putting each side where the placement
 * says (a thread and a forked child as side 1), recording the CPUs they saw, restoring the
 * caller's affinity, and skipping cross-cpu when one CPU is usable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/affinity.h"
#include "ptc_test.h"

#include <sched.h>

static void test_parse(void **state) {
    unsigned m = 0;
    assert_int_equal(ptc_placement_parse("same-cpu", &m), 0);
    assert_int_equal(m, PTC_PLACE_MASK(PTC_PLACE_SAME_CPU));
    assert_int_equal(ptc_placement_parse("unpinned,cross-cpu,same-cpu", &m), 0);
    assert_int_equal(m, PTC_PLACE_MASK(PTC_PLACE_SAME_CPU) | PTC_PLACE_MASK(PTC_PLACE_CROSS_CPU) |
                            PTC_PLACE_MASK(PTC_PLACE_UNPINNED));
    m = 42;
    assert_int_equal(ptc_placement_parse("", &m), -EINVAL);
    assert_int_equal(ptc_placement_parse("same-cpu,", &m), -EINVAL);
    assert_int_equal(ptc_placement_parse("same-cpu,,unpinned", &m), -EINVAL);
    assert_int_equal(ptc_placement_parse("SAME-CPU", &m), -EINVAL);
    assert_int_equal(ptc_placement_parse("same", &m), -EINVAL);
    assert_int_equal(m, 42); /* untouched on error */
    char names[128];
    ptc_placement_names(names, sizeof names);
    assert_string_equal(names, "same-cpu, cross-cpu, unpinned");
    assert_string_equal(ptc_placement_name(PTC_PLACE_CROSS_CPU), "cross-cpu");
    assert_null(ptc_placement_name(PTC_PLACE_COUNT));
}

static int usable_cpus(void) {
    cpu_set_t s;
    assert_int_equal(sched_getaffinity(0, sizeof s, &s), 0);
    return CPU_COUNT(&s);
}

/* Side 1 as a thread: moves, notes; side 0 notes. Returns 0 or the partner's error. */
static void *thread_side(void *p) {
    const struct ptc_place *pl = p;
    intptr_t rc = ptc_place_partner(pl);
    ptc_place_note(pl, 1);
    return (void *)rc;
}

static int64_t with_thread(const struct ptc_place *pl, void *arg) {
    pthread_t t;
    void *ret;
    ptc_place_note(pl, 0);
    if (pthread_create(&t, NULL, thread_side, (void *)pl) != 0)
        return -EAGAIN;
    pthread_join(t, &ret);
    ptc_place_note(pl, 0);
    return (intptr_t)ret;
}

/* Side 1 as a forked child: its note reaches side 0 through the shared record. */
static int64_t with_child(const struct ptc_place *pl, void *arg) {
    ptc_place_note(pl, 0);
    pid_t pid = fork();
    if (pid == 0) {
        int rc = ptc_place_partner(pl);
        ptc_place_note(pl, 1);
        _exit(rc == 0 ? 0 : 1);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -ECHILD;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ECHILD;
}

/* "a/b" with a single CPU each side. */
static void parse_seen(const char *seen, int *a, int *b) {
    char tail;
    if (sscanf(seen, "%d/%d%c", a, b, &tail) != 2)
        fail_msg("cpus_seen '%s' is not one CPU per side", seen);
}

static void check_restored(const cpu_set_t *before) {
    cpu_set_t after;
    assert_int_equal(sched_getaffinity(0, sizeof after, &after), 0);
    assert_true(CPU_EQUAL(before, &after));
}

static void test_same_and_cross(void **state) {
    ptc_placed_fn fns[] = {with_thread, with_child};
    cpu_set_t before;
    assert_int_equal(sched_getaffinity(0, sizeof before, &before), 0);
    for (int f = 0; f < 2; f++) {
        char seen[PTC_CPUS_SEEN_BYTES] = "";
        int a, b;
        assert_int_equal(ptc_place_run(PTC_PLACE_SAME_CPU, fns[f], NULL, seen, sizeof seen), 0);
        parse_seen(seen, &a, &b);
        assert_int_equal(a, b);
        check_restored(&before);
        if (usable_cpus() < 2)
            continue;
        seen[0] = '\0';
        assert_int_equal(ptc_place_run(PTC_PLACE_CROSS_CPU, fns[f], NULL, seen, sizeof seen), 0);
        parse_seen(seen, &a, &b);
        assert_int_not_equal(a, b);
        check_restored(&before);
        /* a second sample is appended after a space */
        assert_int_equal(ptc_place_run(PTC_PLACE_CROSS_CPU, fns[f], NULL, seen, sizeof seen), 0);
        char *space = strchr(seen, ' ');
        assert_non_null(space);
        assert_int_equal(strncmp(seen, space + 1, (size_t)(space - seen)), 0);
    }
}

static void test_unpinned_records(void **state) {
    char seen[PTC_CPUS_SEEN_BYTES] = "";
    assert_int_equal(ptc_place_run(PTC_PLACE_UNPINNED, with_child, NULL, seen, sizeof seen), 0);
    /* some CPU on each side, in "0,1/1" form */
    assert_true(strlen(seen) >= 3);
    assert_null(strchr(seen, '-'));
    assert_non_null(strchr(seen, '/'));
}

static void test_one_cpu_skips_cross(void **state) {
    cpu_set_t before, one;
    assert_int_equal(sched_getaffinity(0, sizeof before, &before), 0);
    int first = 0;
    while (!CPU_ISSET(first, &before))
        first++;
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    assert_int_equal(sched_setaffinity(0, sizeof one, &one), 0);
    char seen[PTC_CPUS_SEEN_BYTES] = "";
    int64_t rc = ptc_place_run(PTC_PLACE_CROSS_CPU, with_thread, NULL, seen, sizeof seen);
    int64_t same = ptc_place_run(PTC_PLACE_SAME_CPU, with_thread, NULL, NULL, 0);
    assert_int_equal(sched_setaffinity(0, sizeof before, &before), 0);
    assert_int_equal(rc, PTC_PLACE_SKIPPED);
    assert_string_equal(seen, "");
    assert_int_equal(same, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_same_and_cross),
        cmocka_unit_test(test_unpinned_records),
        cmocka_unit_test(test_one_cpu_skips_cross),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
