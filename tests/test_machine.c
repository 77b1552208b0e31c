/* core/machine: what every CSV row records about the machine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/csv.h"
#include "core/machine.h"
#include "ptc_test.h"

static void test_read(void **state) {
    struct ptc_machine m;
    memset(&m, 0x5a, sizeof m);
    ptc_machine_read(&m);
    assert_true(strlen(m.host) > 0 && strlen(m.host) < sizeof m.host);
    assert_true(strlen(m.cpu_model) > 0 && strlen(m.cpu_model) < sizeof m.cpu_model);
    assert_null(strchr(m.cpu_model, '\n'));
    assert_true(m.cpus >= 1);
    assert_true(strlen(m.kernel) > 0 && strlen(m.kernel) < sizeof m.kernel);
    assert_true(strlen(m.compiler) > 0 && strlen(m.compiler) < sizeof m.compiler);
    assert_true(strlen(m.git_rev) > 0 && strlen(m.git_rev) < sizeof m.git_rev);
}

static void test_columns_match_fields(void **state) {
    static const char *const want[] = {"host",   "cpu_model", "cpus",
                                       "kernel", "compiler",  "git_rev"};
    size_t n = 0;
    while (ptc_machine_columns[n] != NULL)
        n++;
    assert_int_equal(n, 6);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(ptc_machine_columns[i], want[i]);

    char *dir = ptc_test_mkdtemp();
    assert_non_null(dir);
    char path[4200];
    snprintf(path, sizeof path, "%s/m.csv", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    struct ptc_machine m;
    ptc_machine_read(&m);
    snprintf(m.cpu_model, sizeof m.cpu_model, "Vendor CPU, rev \"7\""); /* needs quoting */
    struct ptc_csv_writer w;
    ptc_csv_writer_init(&w, fp);
    ptc_csv_header(&w, ptc_machine_columns);
    ptc_machine_csv_fields(&w, &m);
    ptc_csv_end_row(&w);
    assert_int_equal(ptc_csv_error(&w), 0);
    fclose(fp);
    char *text = ptc_test_slurp(path);
    assert_non_null(text);
    assert_non_null(strstr(text, ",\"Vendor CPU, rev \"\"7\"\"\","));
    free(text);
    ptc_test_rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read),
        cmocka_unit_test(test_columns_match_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
