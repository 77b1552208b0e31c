/* workload/workload, durations, noop and sleep: seeded per-task randomness, task durations
 * from --task-ms, the ideal time, and the life cycle around setup; workload/settings: the
 * settings' table, its parsing, lists and their product, and the columns it gives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/model.h"
#include "ptc_test.h"
#include "workload/durations.h"
#include "workload/settings.h"
#include "workload/workload.h"

#include <errno.h>
#include <string.h>

static void test_task_random(void **state) {
    assert_int_equal(ptc_task_random(1, 2, 3), ptc_task_random(1, 2, 3));
    assert_int_not_equal(ptc_task_random(1, 2, 3), ptc_task_random(2, 2, 3)); /* seed */
    assert_int_not_equal(ptc_task_random(1, 2, 3), ptc_task_random(1, 3, 3)); /* task */
    assert_int_not_equal(ptc_task_random(1, 2, 3), ptc_task_random(1, 2, 4)); /* stream */
    /* Roughly uniform: over 4096 draws each of the 64 bits is set about half the time. */
    unsigned ones[64] = {0};
    for (uint32_t t = 0; t < 4096; t++) {
        uint64_t v = ptc_task_random(99, t, 1);
        for (int b = 0; b < 64; b++)
            ones[b] += (v >> b) & 1;
    }
    for (int b = 0; b < 64; b++)
        assert_in_range(ones[b], 1748, 2348); /* 2048 +- 300, about 9 sigma */
}

static void init(struct ptc_workload_state *st, const char *name, uint32_t tasks, ptc_ns lo,
                 ptc_ns hi, uint64_t seed) {
    struct ptc_workload_params p = {
        .tasks = tasks, .task_lo_ns = lo, .task_hi_ns = hi, .seed = seed};
    char err[256] = "";
    int rc = ptc_workload_init(st, ptc_workload_find(name), &p, err, sizeof err);
    if (rc != 0)
        fail_msg("init %s: %d: %s", name, rc, err);
}

static void test_fixed_duration(void **state) {
    struct ptc_workload_state st;
    init(&st, "sleep", 5, 50 * PTC_NS_PER_MS, 50 * PTC_NS_PER_MS, 1);
    for (uint32_t i = 0; i < 5; i++)
        assert_int_equal(st.task_ns[i], 50 * PTC_NS_PER_MS);
    assert_int_equal(ptc_workload_total_ns(&st), 250 * PTC_NS_PER_MS);
    assert_int_equal(ptc_workload_cpu_ns(&st, 0), 0); /* sleeping needs no CPU */
    ptc_workload_fini(&st);
    assert_null(st.task_ns);
}

static void test_random_durations(void **state) {
    enum { N = 200 };
    struct ptc_workload_state st, same, other;
    init(&st, "sleep", N, 3 * PTC_NS_PER_MS, 7 * PTC_NS_PER_MS, 5);
    init(&same, "sleep", N, 3 * PTC_NS_PER_MS, 7 * PTC_NS_PER_MS, 5);
    init(&other, "sleep", N, 3 * PTC_NS_PER_MS, 7 * PTC_NS_PER_MS, 6);
    bool seen[5] = {false};
    for (uint32_t i = 0; i < N; i++) {
        ptc_ns ns = st.task_ns[i];
        assert_int_equal(ns % PTC_NS_PER_MS, 0);
        assert_in_range(ns / PTC_NS_PER_MS, 3, 7); /* both ends included, like randint */
        seen[ns / PTC_NS_PER_MS - 3] = true;
    }
    for (int k = 0; k < 5; k++)
        assert_true(seen[k]);
    assert_memory_equal(st.task_ns, same.task_ns, N * sizeof *st.task_ns);
    assert_memory_not_equal(st.task_ns, other.task_ns, N * sizeof *st.task_ns);
    ptc_ns total = 0;
    for (uint32_t i = 0; i < N; i++)
        total += st.task_ns[i];
    assert_int_equal(ptc_workload_total_ns(&st), total);
    ptc_workload_fini(&st);
    ptc_workload_fini(&same);
    ptc_workload_fini(&other);
}

static void test_sleep_needs_duration(void **state) {
    struct ptc_workload_params p = {.tasks = 3, .seed = 1};
    struct ptc_workload_state st;
    char err[256] = "";
    assert_int_equal(ptc_workload_init(&st, ptc_workload_find("sleep"), &p, err, sizeof err),
                     -EINVAL);
    assert_non_null(strstr(err, "task-ms"));
    assert_null(st.task_ns);
    assert_null(st.wl);
}

/* Runs st under seq and returns how many tasks verify. */
static uint32_t run_seq(struct ptc_workload_state *st, struct ptc_task_result *res) {
    struct ptc_child_usage children = {0};
    struct ptc_run_spec spec = {.wl = st, .workers = 1, .results = res, .children = &children};
    ptc_results_reset(res, st->p.tasks);
    assert_int_equal(ptc_model_find("seq")->run(&spec), 0);
    return ptc_workload_verify(st, res);
}

static void test_noop(void **state) {
    struct ptc_workload_state st;
    init(&st, "noop", 10, 0, 0, 3);
    assert_false(st.wl->cpu_bound);
    struct ptc_task_result *res = ptc_results_alloc(10);
    assert_int_equal(run_seq(&st, res), 10);
    assert_int_equal(ptc_workload_total_ns(&st), 0);
    res[7].checksum++;
    assert_int_equal(ptc_workload_verify(&st, res), 9);
    assert_int_equal(res[7].status, -EBADMSG);
    ptc_results_free(res, 10);
    ptc_workload_fini(&st);
}

static void test_sleep_sleeps(void **state) {
    const double mult = ptc_test_time_multiplier();
    struct ptc_workload_state st;
    init(&st, "sleep", 3, 10 * PTC_NS_PER_MS, 10 * PTC_NS_PER_MS, 2);
    struct ptc_task_result *res = ptc_results_alloc(3);
    ptc_ns t0 = ptc_now_ns();
    assert_int_equal(run_seq(&st, res), 3);
    ptc_ns wall = ptc_now_ns() - t0;
    for (uint32_t i = 0; i < 3; i++) {
        assert_true(res[i].end_ns - res[i].start_ns >= 10 * PTC_NS_PER_MS);
        if (i > 0)
            assert_true(res[i].start_ns >= res[i - 1].end_ns); /* seq: one after another */
    }
    assert_true(wall >= 30 * PTC_NS_PER_MS);
    assert_true(wall < (ptc_ns)((30.0 + 500.0 * mult) * (double)PTC_NS_PER_MS));
    ptc_results_free(res, 3);
    ptc_workload_fini(&st);
}

static void test_task_execute(void **state) {
    struct ptc_workload_state st;
    init(&st, "noop", 4, 0, 0, 8);
    struct ptc_task_result *res = ptc_results_alloc(4);
    ptc_task_execute(&st, &ptc_exec_blocking, 2, 17, &res[2]);
    assert_int_equal(res[2].runs, 1);
    assert_int_equal(res[2].worker, 17);
    assert_int_equal(res[2].status, 0);
    assert_int_equal(res[2].checksum, st.wl->expected_checksum(&st, 2));
    assert_true(res[2].start_ns <= res[2].end_ns);
    ptc_task_execute(&st, &ptc_exec_blocking, 2, 17, &res[2]);
    assert_int_equal(res[2].runs, 2); /* a second run shows */
    ptc_results_free(res, 4);
    ptc_workload_fini(&st);
}

/* Every flag a workload lists is in the table: a misspelt one would silently show nothing. */
static void test_settings_listed_exist(void **state) {
    size_t n;
    const struct ptc_workload *const *wls = ptc_workload_all(&n);
    for (size_t i = 0; i < n; i++)
        for (const char *const *f = wls[i]->settings; f != NULL && *f != NULL; f++)
            if (ptc_setting_find(*f) == NULL)
                fail_msg("workload %s lists '%s', which is not a setting", wls[i]->name, *f);
    assert_true(ptc_workload_uses(ptc_workload_find("mixed"), "cpu-fraction"));
    assert_false(ptc_workload_uses(ptc_workload_find("noop"), "task-ms"));
}

static void test_setting_parse(void **state) {
    struct ptc_workload_params p = {0};
    char err[256];
    assert_int_equal(ptc_setting_parse(ptc_setting_find("task-ms"), "2:6", &p, err, sizeof err), 0);
    assert_int_equal(p.task_lo_ns, 2 * PTC_NS_PER_MS);
    assert_int_equal(p.task_hi_ns, 6 * PTC_NS_PER_MS);
    assert_int_equal(
        ptc_setting_parse(ptc_setting_find("net-latency-ms"), "7", &p, err, sizeof err), 0);
    assert_int_equal(p.net_latency_ns, 7 * PTC_NS_PER_MS);
    assert_int_equal(ptc_setting_parse(ptc_setting_find("file-kib"), "64", &p, err, sizeof err), 0);
    assert_int_equal(p.file_kib, 64);
    assert_int_equal(ptc_setting_parse(ptc_setting_find("mixed-wait"), "net", &p, err, sizeof err),
                     0);
    assert_int_equal(p.mixed_wait_net, 1);
    assert_int_equal(
        ptc_setting_parse(ptc_setting_find("cpu-fraction"), "0.25", &p, err, sizeof err), 0);
    assert_true(p.cpu_fraction == 0.25);
    /* Out of range or not a value: one line naming the flag and the text. */
    assert_int_equal(ptc_setting_parse(ptc_setting_find("file-kib"), "0", &p, err, sizeof err),
                     -ERANGE);
    assert_non_null(strstr(err, "--file-kib: '0'"));
    assert_int_equal(
        ptc_setting_parse(ptc_setting_find("cpu-fraction"), "1.5", &p, err, sizeof err), -ERANGE);
    assert_non_null(strstr(err, "--cpu-fraction: '1.5'"));
    assert_int_equal(ptc_setting_parse(ptc_setting_find("task-ms"), "6:2", &p, err, sizeof err),
                     -EDOM);
    assert_non_null(strstr(err, "--task-ms: '6:2'"));
    assert_int_equal(ptc_setting_parse(ptc_setting_find("mixed-wait"), "tcp", &p, err, sizeof err),
                     -EINVAL);
    assert_string_equal(err, "--mixed-wait: 'tcp' must be sleep or net");
}

static void test_setting_lists_product(void **state) {
    struct ptc_setting_lists l = {0};
    char err[256];
    const struct ptc_setting *ms = ptc_setting_find("task-ms"),
                             *f = ptc_setting_find("cpu-fraction");
    assert_int_equal(ptc_setting_lists_set(&l, f, "0,0.5,1", err, sizeof err), 0);
    assert_int_equal(ptc_setting_lists_set(&l, ms, "10,20", err, sizeof err), 0);
    /* A bad item refuses the whole list and keeps the one before. */
    assert_int_equal(ptc_setting_lists_set(&l, ms, "10,0", err, sizeof err), -ERANGE);
    assert_non_null(strstr(err, "--task-ms: '0'"));
    assert_int_equal(ptc_setting_lists_set(&l, ms, "10,,20", err, sizeof err), -EINVAL);
    assert_int_equal(ptc_setting_lists_set(&l, ptc_setting_find("fsync"), NULL, err, sizeof err),
                     0);
    struct ptc_workload_params *p;
    size_t n;
    assert_int_equal(ptc_settings_product(&l, &p, &n), 0);
    assert_int_equal(n, 6);
    /* The table's first setting (task-ms) varies slowest; the rest keep their defaults. */
    static const uint64_t want_ms[] = {10, 10, 10, 20, 20, 20};
    static const double want_f[] = {0, 0.5, 1, 0, 0.5, 1};
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(p[i].task_lo_ns, want_ms[i] * PTC_NS_PER_MS);
        assert_int_equal(p[i].task_hi_ns, want_ms[i] * PTC_NS_PER_MS);
        assert_true(p[i].cpu_fraction == want_f[i]);
        assert_int_equal(p[i].fsync, 1);
        assert_int_equal(p[i].seed, 1);
        assert_int_equal(p[i].file_kib, 1024);
        assert_int_equal(p[i].net_latency_ns, 100 * PTC_NS_PER_MS);
    }
    free(p);
    ptc_setting_lists_free(&l);
    /* Nothing given: one set, the defaults. */
    assert_int_equal(ptc_settings_product(&l, &p, &n), 0);
    assert_int_equal(n, 1);
    assert_true(p[0].cpu_fraction == 0.5);
    assert_int_equal(p[0].net_kib, 64);
    free(p);
}

/* Each setting is declared once (settings.def): its flag and its column name no other, and its
 * field(s) lie inside struct ptc_workload_params, after tasks. */
static void test_settings_declared_once(void **state) {
    size_t n;
    const struct ptc_setting *all = ptc_settings_all(&n);
    assert_true(n > 0 && n <= PTC_MAX_SETTINGS);
    for (size_t i = 0; i < n; i++) {
        assert_ptr_equal(ptc_setting_find(all[i].flag), &all[i]);
        assert_true(all[i].offset >= sizeof(uint32_t));
        assert_true(all[i].offset < sizeof(struct ptc_workload_params));
        assert_true(all[i].offset_hi < sizeof(struct ptc_workload_params));
        for (size_t k = i + 1; k < n; k++)
            if (all[i].column != NULL && all[k].column != NULL &&
                strcmp(all[i].column, all[k].column) == 0)
                fail_msg("--%s and --%s share column %s", all[i].flag, all[k].flag, all[i].column);
    }
}

/* --help from the table: who reads it, the help, the choices, the range, the default. */
static void test_setting_help(void **state) {
    char buf[256];
    ptc_setting_help(ptc_setting_find("file-kib"), buf, sizeof buf);
    assert_string_equal(buf, "file: KiB per file, 1..1048576 (default 1024)");
    ptc_setting_help(ptc_setting_find("mixed-wait"), buf, sizeof buf);
    assert_string_equal(buf,
                        "mixed: wait with a sleep or a net request: sleep, net (default sleep)");
    ptc_setting_help(ptc_setting_find("seed"), buf, sizeof buf);
    assert_non_null(strstr(buf, "seed of every random choice, 0..")); /* every workload: no list */
    ptc_setting_help(ptc_setting_find("file-kib"), buf, 8);           /* truncated, terminated */
    assert_int_equal(strlen(buf), 7);
}

/* Fails unless every column of want is in cols (NULL-terminated), in that order: the columns
 * of today's settings keep their places, whatever a new setting adds between them. */
static void assert_columns_in_order(const char *const *cols, const char *const *want) {
    size_t c = 0;
    for (; *want != NULL; want++, c++) {
        while (cols[c] != NULL && strcmp(cols[c], *want) != 0)
            c++;
        if (cols[c] == NULL)
            fail_msg("column '%s' missing or out of order", *want);
    }
}

/* The run CSV's setting columns in their places, and a value only where the workload reads it. */
static void test_setting_columns(void **state) {
    const char *cols[PTC_MAX_SETTINGS + 1];
    static const char *const size_cols[] = {"task_ms", "iterations", "seed", NULL};
    static const char *const workload_cols[] = {
        "file_kib", "fsync", "net_latency_ms", "net_kib", "cpu_fraction", "mixed_wait", NULL};
    ptc_setting_columns(PTC_COLUMN_SIZE, cols);
    assert_columns_in_order(cols, size_cols);
    ptc_setting_columns(PTC_COLUMN_WORKLOAD, cols);
    assert_columns_in_order(cols, workload_cols);

    struct ptc_workload_state st = {.wl = ptc_workload_find("sleep"),
                                    .p = {.task_lo_ns = 5 * PTC_NS_PER_MS,
                                          .task_hi_ns = 5 * PTC_NS_PER_MS,
                                          .seed = 3,
                                          .file_kib = 64,
                                          .cpu_fraction = 0.5}};
    char buf[64];
    ptc_setting_text(ptc_setting_find("task-ms"), &st, buf, sizeof buf);
    assert_string_equal(buf, "5");
    ptc_setting_text(ptc_setting_find("seed"), &st, buf, sizeof buf);
    assert_string_equal(buf, "3");
    ptc_setting_text(ptc_setting_find("file-kib"), &st, buf, sizeof buf);
    assert_string_equal(buf, ""); /* sleep ignores it */
    st.wl = ptc_workload_find("mixed");
    ptc_setting_text(ptc_setting_find("cpu-fraction"), &st, buf, sizeof buf);
    assert_string_equal(buf, "0.500");
    ptc_setting_text(ptc_setting_find("net-latency-ms"), &st, buf, sizeof buf);
    assert_string_equal(buf, ""); /* mixed waits with a sleep */
    st.p.mixed_wait_net = 1;
    st.p.net_latency_ns = 2 * PTC_NS_PER_MS;
    ptc_setting_text(ptc_setting_find("net-latency-ms"), &st, buf, sizeof buf);
    assert_string_equal(buf, "2");
    st.p.task_hi_ns = 9 * PTC_NS_PER_MS;
    ptc_setting_text(ptc_setting_find("task-ms"), &st, buf, sizeof buf);
    assert_string_equal(buf, "5:9");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_task_random),
        cmocka_unit_test(test_fixed_duration),
        cmocka_unit_test(test_random_durations),
        cmocka_unit_test(test_sleep_needs_duration),
        cmocka_unit_test(test_noop),
        cmocka_unit_test(test_sleep_sleeps),
        cmocka_unit_test(test_task_execute),
        cmocka_unit_test(test_settings_listed_exist),
        cmocka_unit_test(test_setting_parse),
        cmocka_unit_test(test_setting_lists_product),
        cmocka_unit_test(test_setting_help),
        cmocka_unit_test(test_setting_columns),
        cmocka_unit_test(test_settings_declared_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
