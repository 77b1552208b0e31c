/* core/grow: an array keeps its block while it has room, doubles (from first_cap) when full with
 * its items kept, and a size that would overflow is refused with the array and capacity
 * unchanged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core/grow.h"

struct pair {
    char *text;
    uint64_t hash;
};

static void test_appends_keep_items(void **state) {
    struct pair *a = NULL;
    size_t cap = 0;
    for (size_t n = 0; n < 1000; n++) {
        struct pair *grown = ptc_grow(a, n, &cap, sizeof *grown, 4);
        assert_non_null(grown);
        a = grown;
        assert_true(n < cap);
        a[n] = (struct pair){NULL, n * 7};
    }
    assert_int_equal(cap, 1024); /* 4, 8, ..., 1024: doubled, never more */
    for (size_t n = 0; n < 1000; n++)
        assert_int_equal(a[n].hash, n * 7);
    free(a);
}

static void test_room_keeps_the_block(void **state) {
    size_t cap = 0;
    int *a = ptc_grow(NULL, 0, &cap, sizeof *a, 8);
    assert_non_null(a);
    assert_int_equal(cap, 8);
    for (size_t n = 1; n < 8; n++)
        assert_ptr_equal(ptc_grow(a, n, &cap, sizeof *a, 8), a);
    assert_int_equal(cap, 8);
    free(a);
}

static void test_overflow_refused(void **state) {
    size_t cap = 4;
    char *a = malloc(16);
    assert_non_null(a);
    assert_null(ptc_grow(a, 4, &cap, SIZE_MAX / 4, 1));
    assert_int_equal(cap, 4);
    cap = SIZE_MAX / 2 + 1; /* doubling would wrap */
    assert_null(ptc_grow(a, cap, &cap, 1, 1));
    assert_int_equal(cap, SIZE_MAX / 2 + 1);
    cap = 0;
    assert_null(ptc_grow(a, 0, &cap, 1, 0)); /* no first capacity */
    assert_int_equal(cap, 0);
    free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appends_keep_items),
        cmocka_unit_test(test_room_keeps_the_block),
        cmocka_unit_test(test_overflow_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
