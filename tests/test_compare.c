/* report/compare, report/dedup and the machine keys of report/runs: sides read from small CSVs
 * written here; the pairing, an interval too short of runs, an ambiguous side named with both
 * values, a repeated or copied file kept once, and two revisions never pooled. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ptc_test.h"
#include "report/compare.h"
#include "report/dedup.h"
#include "report/runs.h"

#define HEAD "host,git_rev,workload,tasks,task_ms,iterations,model,workers,wall_ns\n"

static const char *const settings[] = {"task_ms", "iterations", NULL};

static char *write_file(const char *dir, const char *name, const char *text) {
    char *path = NULL;
    assert_true(asprintf(&path, "%s/%s", dir, name) > 0);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    return path;
}

static void test_pairs_and_short_interval(void **state) {
    (void)state;
    char *dir = ptc_test_mkdtemp(), msg[512];
    assert_non_null(dir);
    /* seq: 3 against 3, NEW twice as slow; thread only in BASE, fork only in NEW; the iterations
     * differ (calibrated per machine) and the revisions too: neither splits a configuration */
    char *base = write_file(dir, "base.csv",
                            HEAD "h,a,cpu,4,10,100,seq,1,10\nh,a,cpu,4,10,100,seq,1,11\n"
                                 "h,a,cpu,4,10,100,seq,1,12\nh,a,cpu,4,10,100,thread,4,5\n");
    char *new = write_file(dir, "new.csv",
                           HEAD "h,b,cpu,4,10,90,seq,1,20\nh,b,cpu,4,10,90,seq,1,22\n"
                                "h,b,cpu,4,10,90,seq,1,24\nh,b,cpu,4,10,90,fork,2,5\n");
    struct ptc_compare c = {0};
    FILE *notes = fopen("/dev/null", "w");
    assert_int_equal(ptc_compare_side_load(&c.side[0], base, settings, "t", notes, msg, sizeof msg),
                     0);
    assert_int_equal(ptc_compare_side_load(&c.side[1], new, settings, "t", notes, msg, sizeof msg),
                     0);
    assert_int_equal(ptc_compare_run(&c, msg, sizeof msg), 0);
    assert_int_equal(c.n_rows, 1);
    assert_int_equal(c.only[0], 1);
    assert_int_equal(c.only[1], 1);
    const struct ptc_compare_row *r = &c.rows[0];
    assert_double_near(r->r.ratio, 2.0, 0.05);
    assert_false(r->r.supported); /* 3 against 3 reach 90 % at most */
    assert_double_near(r->r.coverage, 0.9, 1e-9);
    assert_false(r->significant); /* p = 0.1 for 3 against 3 all above */
    assert_int_equal(c.side[0].n_values[PTC_CMP_GIT_REV], 1);
    assert_string_equal(c.side[1].values[PTC_CMP_GIT_REV][0], "b");
    assert_false(c.side[0].has_col[PTC_CMP_KERNEL]);
    ptc_compare_free(&c);
    fclose(notes);
    unlink(base), unlink(new), rmdir(dir);
    free(base), free(new), free(dir);
}

static void test_ambiguous_side(void **state) {
    (void)state;
    char *dir = ptc_test_mkdtemp(), msg[512];
    assert_non_null(dir);
    char *path =
        write_file(dir, "mixed.csv", HEAD "h,a,cpu,4,10,100,seq,1,10\nh,b,cpu,4,10,100,seq,1,11\n");
    struct ptc_compare_side s;
    assert_int_equal(ptc_compare_side_load(&s, path, settings, "t", stderr, msg, sizeof msg),
                     -EINVAL);
    assert_non_null(strstr(msg, "ambiguous: configuration cpu, 4 tasks × 10 ms, seq W=1 has "
                                "git_rev 'a'"));
    assert_non_null(strstr(msg, "mixed.csv:2) and 'b' ("));
    assert_non_null(strstr(msg, "mixed.csv:3)"));
    ptc_compare_side_free(&s);
    unlink(path), rmdir(dir);
    free(path), free(dir);
}

static void test_dedup(void **state) {
    (void)state;
    char *dir = ptc_test_mkdtemp();
    assert_non_null(dir);
    char *a = write_file(dir, "a.csv", "x\n1\n"), *copy = write_file(dir, "copy.csv", "x\n1\n"),
         *other = write_file(dir, "other.csv", "x\n2\n"), *missing = "/nonexistent/m.csv";
    char *paths[] = {a, copy, other, a, missing, missing};
    FILE *notes = tmpfile();
    assert_non_null(notes);
    assert_int_equal(ptc_inputs_dedup(paths, 6, "t", notes), 4);
    assert_ptr_equal(paths[0], a);
    assert_ptr_equal(paths[1], other);
    assert_ptr_equal(paths[2], missing); /* kept, for the loader to report */
    assert_ptr_equal(paths[3], missing);
    char line[512];
    rewind(notes);
    assert_non_null(fgets(line, sizeof line, notes));
    assert_non_null(strstr(line, "copy.csv: the same file as "));
    assert_non_null(strstr(line, "a.csv, read once"));
    fclose(notes);
    unlink(a), unlink(copy), unlink(other), rmdir(dir);
    free(a), free(copy), free(other), free(dir);
}

/* Two revisions of one configuration on one host: two groups, each found by its key. */
static void test_revisions_not_pooled(void **state) {
    (void)state;
    struct ptc_run_groups gs;
    ptc_run_groups_init(&gs, settings);
    const char *key[PTC_N_FIXED_KEYS + 2] = {
        [PTC_KEY_HOST] = "h",          [PTC_KEY_WORKLOAD] = "cpu", [PTC_KEY_TASKS] = "4",
        [PTC_KEY_MODEL] = "seq",       [PTC_KEY_WORKERS] = "1",    [PTC_KEY_POLLER] = "",
        [PTC_KEY_CORO_SWITCH] = "",    [PTC_KEY_GIT_REV] = "a",    [PTC_KEY_COMPILER] = "gcc",
        [PTC_KEY_KERNEL] = "6.1",      [PTC_KEY_RUNTIME] = "",     [PTC_N_FIXED_KEYS] = "10",
        [PTC_N_FIXED_KEYS + 1] = "100"};
    assert_int_equal(ptc_run_groups_add(&gs, key, 10, NAN, NAN, NAN, false), 0);
    key[PTC_KEY_GIT_REV] = "b";
    assert_int_equal(ptc_run_groups_add(&gs, key, 20, NAN, NAN, NAN, false), 1);
    assert_int_equal(ptc_run_groups_find(&gs, key), 1);
    key[PTC_KEY_KERNEL] = "6.2";
    assert_int_equal(ptc_run_groups_find(&gs, key), -1);
    assert_int_equal(ptc_run_groups_summarize(&gs), 0);
    assert_false(ptc_run_groups_same_size(&gs.g[0], &gs.g[1]));
    assert_true(ptc_run_key_is_machine(PTC_KEY_RUNTIME));
    assert_false(ptc_run_key_is_machine(PTC_KEY_MODEL));
    ptc_run_groups_free(&gs);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pairs_and_short_interval),
        cmocka_unit_test(test_ambiguous_side),
        cmocka_unit_test(test_dedup),
        cmocka_unit_test(test_revisions_not_pooled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
