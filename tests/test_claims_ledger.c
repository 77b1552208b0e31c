/* The ledger ptc-claims writes (src/claims/ledger.c): claims.csv, claims.md and
 * claims-timeline.csv for the claims asked for, and a Python reference that cannot run said so
 * in the table without failing the run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "claims/ledger.h"
#include "ptc_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Counts the lines of dir/name, and into *matching those holding needle (NULL: none), then
 * removes the file. Returns the count, or -1 when the file cannot be read. */
static int lines_of(const char *dir, const char *name, const char *needle, int *matching) {
    char path[4096], line[8192];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return -1;
    int n = 0;
    *matching = 0;
    while (fgets(line, sizeof line, fp) != NULL) {
        n++;
        *matching += needle != NULL && strstr(line, needle) != NULL;
    }
    fclose(fp);
    unlink(path);
    return n;
}

static void test_ledger(void **state) {
    char *dir = ptc_test_mkdtemp();
    assert_non_null(dir);
    struct ptc_claims_opts o;
    ptc_claims_opts_init(&o, "/nonexistent/claims.py");
    char *only[] = {"02", "09", NULL};
    o.only = only;
    o.time_scale = 0.01;
    o.out = dir;
    o.quiet = true;
    o.python = true; /* the script is missing: said in claims.md, and the run fails */
    setenv("PTC_PYTHON_SCRIPT", "/nonexistent/claims.py", 1);
    assert_int_equal(ptc_claims_run(&o), 1);
    int m;
    assert_int_equal(lines_of(dir, "claims.csv", ",C,", &m), 3); /* header, 02, 09 */
    assert_int_equal(m, 2);
    assert_int_equal(lines_of(dir, "claims-timeline.csv", "02,", &m), 1 + 5); /* Pool(4), 5 */
    assert_int_equal(m, 5);
    assert_true(lines_of(dir, "claims.md", "The Python reference did not run", &m) > 4);
    assert_int_equal(m, 1);
    lines_of(dir, "claims-python.csv", NULL, &m);
    assert_int_equal(rmdir(dir), 0); /* nothing else left behind */
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ledger),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
