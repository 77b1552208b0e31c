/* core/registry and the two registries built on it (models, workloads): lookup by name and
 * the name lists the usage messages print. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/registry.h"
#include "model/model.h"
#include "ptc_test.h"
#include "workload/workload.h"

static const char *const model_names[] = {"seq",  "fork",     "procpool", "thread",    "threadpool",
                                          "coro", "coropool", "coromn",   "coromnpool"};
#define N_MODEL_NAMES (sizeof model_names / sizeof model_names[0])
static const char *const workload_names[] = {"noop", "sleep", "cpu", "file", "net", "mixed"};
#define N_WORKLOAD_NAMES (sizeof workload_names / sizeof workload_names[0])

static void test_model_find(void **state) {
    for (size_t i = 0; i < N_MODEL_NAMES; i++) {
        const struct ptc_model *m = ptc_model_find(model_names[i]);
        assert_non_null(m);
        assert_string_equal(m->name, model_names[i]);
        assert_non_null(m->run);
        assert_non_null(m->parallelism);
    }
    assert_null(ptc_model_find("nosuch"));
    assert_null(ptc_model_find(""));
    assert_null(ptc_model_find("SEQ"));
    assert_null(ptc_model_find("seq "));
    assert_null(ptc_model_find("thread,fork"));
}

static void test_model_all(void **state) {
    size_t n = 0;
    const struct ptc_model *const *all = ptc_model_all(&n);
    assert_int_equal(n, N_MODEL_NAMES);
    for (size_t i = 0; i < n; i++) {
        assert_ptr_equal(all[i], ptc_model_find(all[i]->name));
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(all[i]->name, all[j]->name);
    }
}

/* Every name once, in registry order, separated by ", ". */
static void check_names(const char *list, const char *const *names, size_t n) {
    const char *p = list;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        if (strncmp(p, names[i], len) != 0)
            fail_msg("\"%s\": expected \"%s\" at offset %zu", list, names[i], (size_t)(p - list));
        p += len;
        if (i + 1 < n) {
            assert_true(strncmp(p, ", ", 2) == 0);
            p += 2;
        }
    }
    assert_string_equal(p, "");
}

static void test_model_names(void **state) {
    char buf[256];
    ptc_model_names(buf, sizeof buf);
    check_names(buf, model_names, N_MODEL_NAMES);
    assert_string_equal(buf, "seq, fork, procpool, thread, threadpool, coro, coropool, coromn, "
                             "coromnpool");
}

static void test_workloads(void **state) {
    size_t n = 0;
    const struct ptc_workload *const *all = ptc_workload_all(&n);
    assert_int_equal(n, N_WORKLOAD_NAMES);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(all[i]->name, workload_names[i]);
        assert_ptr_equal(ptc_workload_find(workload_names[i]), all[i]);
        assert_non_null(all[i]->run_task);
        assert_non_null(all[i]->summary);
    }
    assert_null(ptc_workload_find("nosuch"));
    assert_null(ptc_workload_find(""));
    char buf[256];
    ptc_workload_names(buf, sizeof buf);
    check_names(buf, workload_names, N_WORKLOAD_NAMES);
}

static void test_names_truncate(void **state) {
    char full[256], buf[16];
    ptc_model_names(full, sizeof full);
    memset(buf, 'x', sizeof buf);
    ptc_model_names(buf, 10);
    assert_int_equal(strlen(buf), 9); /* NUL-terminated within the size given */
    assert_true(strncmp(buf, full, 9) == 0);
    assert_int_equal(buf[10], 'x'); /* nothing written past it */
    ptc_model_names(buf, 1);
    assert_string_equal(buf, "");
    buf[0] = 'x';
    ptc_model_names(buf, 0); /* size 0 writes nothing */
    assert_int_equal(buf[0], 'x');
}

struct thing {
    const char *name;
    int value;
};

static void test_generic_registry(void **state) {
    static const struct thing a = {"alpha", 1}, b = {"beta", 2}, b2 = {"beta", 3};
    const void *const entries[] = {&a, &b, &b2};
    const struct thing *t = ptc_registry_find(entries, 3, "beta");
    assert_non_null(t);
    assert_int_equal(t->value, 2); /* the first match */
    assert_null(ptc_registry_find(entries, 3, "gamma"));
    assert_null(ptc_registry_find(entries, 0, "alpha"));
    char buf[64];
    ptc_registry_names(entries, 2, buf, sizeof buf);
    assert_string_equal(buf, "alpha, beta");
    ptc_registry_names(entries, 0, buf, sizeof buf);
    assert_string_equal(buf, "");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_find),     cmocka_unit_test(test_model_all),
        cmocka_unit_test(test_model_names),    cmocka_unit_test(test_workloads),
        cmocka_unit_test(test_names_truncate), cmocka_unit_test(test_generic_registry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
