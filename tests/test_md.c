/* report/md: text from a CSV escaped for Markdown tables and lists, cut only between
 * characters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "report/md.h"

#include <stdlib.h>
#include <string.h>

static void test_escapes(void **state) {
    (void)state;
    char buf[PTC_MD_KEY_MAX];
    assert_string_equal(ptc_md_esc(buf, sizeof buf, "plain"), "plain");
    assert_string_equal(ptc_md_esc(buf, sizeof buf, ""), "");
    assert_string_equal(ptc_md_esc(buf, sizeof buf, "a|b"), "a\\|b");
    assert_string_equal(ptc_md_esc(buf, sizeof buf, "line\nbreak\r\n"), "line break  ");
    assert_string_equal(ptc_md_esc(buf, sizeof buf, "caf\xc3\xa9|"), "caf\xc3\xa9\\|");
}

static void test_cut(void **state) {
    (void)state;
    char buf[8];
    /* Fits exactly: 7 bytes and the NUL. */
    assert_string_equal(ptc_md_esc(buf, sizeof buf, "1234567"), "1234567");
    /* Too long: 4 bytes, then "...". */
    assert_string_equal(ptc_md_esc(buf, sizeof buf, "12345678"), "1234...");
    /* An escape is never cut in two, nor is a UTF-8 character (é is two bytes). */
    assert_string_equal(ptc_md_esc(buf, sizeof buf, "123|5678"), "123...");
    assert_string_equal(ptc_md_esc(buf, sizeof buf, "123\xc3\xa9xxxx"), "123...");
    char tiny[3];
    assert_string_equal(ptc_md_esc(tiny, sizeof tiny, "abcdef"), "");
}

static void test_put(void **state) {
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_non_null(fp);
    ptc_md_put(fp, "x|y\nz");
    assert_int_equal(fclose(fp), 0);
    assert_string_equal(text, "x\\|y z");
    free(text);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_cut),
        cmocka_unit_test(test_put),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
