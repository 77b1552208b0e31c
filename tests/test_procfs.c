/* core/procfs: a field of a /proc file in kB, -1 for a missing field or file, and the peak
 * resident set, which grows when memory is touched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/procfs.h"

#include <stdlib.h>
#include <string.h>

static void test_fields(void **state) {
    assert_true(ptc_proc_kib("/proc/self/status", "VmRSS:") > 0);
    assert_true(ptc_proc_kib("/proc/meminfo", "MemTotal:") > 0);
    assert_int_equal(ptc_proc_kib("/proc/self/status", "NoSuchField:"), -1);
    assert_int_equal(ptc_proc_kib("/proc/self/no-such-file", "VmRSS:"), -1);
}

static void test_peak_rss_grows(void **state) {
    uint64_t before = ptc_peak_rss_kib();
    assert_true(before > 0);
    const size_t bytes = 64u << 20; /* far above what the test had resident */
    char *p = malloc(bytes);
    assert_non_null(p);
    memset(p, 1, bytes);
    uint64_t after = ptc_peak_rss_kib();
    assert_true(after >= before + (bytes >> 10) / 2);
    assert_true(p[bytes - 1] == 1);
    free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_peak_rss_grows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
