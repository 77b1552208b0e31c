/* core/rand: splitmix64 against the reference implementation's first outputs (Vigna's
 * splitmix64.c, seed 0), the stateless mix agreeing with the sequence, and unit doubles in
 * [0, 1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/rand.h"

static void test_reference_sequence(void **state) {
    uint64_t x = 0;
    assert_int_equal(ptc_splitmix64(&x), 0xe220a8397b1dcdafULL);
    assert_int_equal(ptc_splitmix64(&x), 0x6e789e6aa1b965f4ULL);
    assert_int_equal(x, 2 * PTC_SPLITMIX64_GAMMA);
}

static void test_mix_is_the_sequence_at_a_state(void **state) {
    uint64_t x = 12345;
    for (int i = 0; i < 100; i++) {
        uint64_t before = x;
        assert_int_equal(ptc_splitmix64(&x), ptc_mix64(before));
    }
}

static void test_unit_double(void **state) {
    assert_true(ptc_unit_double(0) == 0.0);
    assert_true(ptc_unit_double(UINT64_MAX) < 1.0);
    assert_true(ptc_unit_double(UINT64_MAX) > 0.999999);
    assert_true(ptc_unit_double(1ULL << 63) == 0.5);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_sequence),
        cmocka_unit_test(test_mix_is_the_sequence_at_a_state),
        cmocka_unit_test(test_unit_double),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
