// SPDX-License-Identifier: MIT
/* Number formatting without printf: every expected string below is worked
 * out by hand (digit counts, the decimal point's place, rounding). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "util/numfmt.h"
#include "util/textbuf.h"

/* Run a writer into a guarded buffer: the text must end where the writer
 * says and nothing past EVGW_NUMFMT_MAX may be touched. */
#define FMT(call, want)                                                                  \
	do {                                                                             \
		char buf_[EVGW_NUMFMT_MAX + 8];                                          \
		memset(buf_, '#', sizeof buf_);                                          \
		char *p = buf_;                                                          \
		char *end_ = (call);                                                     \
		assert_non_null(end_);                                                   \
		*end_ = '\0';                                                            \
		assert_string_equal(buf_, (want));                                       \
		assert_true(end_ - buf_ <= EVGW_NUMFMT_MAX);                             \
		for (size_t i_ = EVGW_NUMFMT_MAX; i_ < sizeof buf_; i_++)                \
			assert_int_equal(buf_[i_], '#');                                 \
	} while (0)

static void test_u64(void **state)
{
	(void)state;
	FMT(evgw_fmt_u64(p, 0), "0");
	FMT(evgw_fmt_u64(p, 7), "7");
	FMT(evgw_fmt_u64(p, 10), "10");
	FMT(evgw_fmt_u64(p, 99), "99");
	FMT(evgw_fmt_u64(p, 100), "100");
	FMT(evgw_fmt_u64(p, 1001), "1001");
	FMT(evgw_fmt_u64(p, 1234567890), "1234567890");
	FMT(evgw_fmt_u64(p, UINT64_MAX), "18446744073709551615");
}

static void test_i64(void **state)
{
	(void)state;
	FMT(evgw_fmt_i64(p, 0), "0");
	FMT(evgw_fmt_i64(p, -1), "-1");
	FMT(evgw_fmt_i64(p, -42), "-42");
	FMT(evgw_fmt_i64(p, INT64_MAX), "9223372036854775807");
	FMT(evgw_fmt_i64(p, INT64_MIN), "-9223372036854775808");
}

static void test_scaled(void **state)
{
	(void)state;
	FMT(evgw_fmt_scaled(p, 848, 1), "84.8");
	FMT(evgw_fmt_scaled(p, 850, 1), "85.0");
	FMT(evgw_fmt_scaled(p, 5, 2), "0.05");
	FMT(evgw_fmt_scaled(p, 10, 2), "0.10");
	FMT(evgw_fmt_scaled(p, -5, 2), "-0.05");
	FMT(evgw_fmt_scaled(p, -125, 1), "-12.5");
	FMT(evgw_fmt_scaled(p, 0, 3), "0.000");
	FMT(evgw_fmt_scaled(p, 7, 0), "7");
	FMT(evgw_fmt_scaled(p, -7, 0), "-7");
	FMT(evgw_fmt_scaled(p, 1, 9), "0.000000001");
	FMT(evgw_fmt_scaled(p, 500250, 4), "50.0250");
	FMT(evgw_fmt_scaled(p, INT64_MIN, 9), "-9223372036.854775808");
	FMT(evgw_fmt_scaled(p, INT64_MAX, 9), "9223372036.854775807");
}

static void test_scaled_trim(void **state)
{
	(void)state;
	/* 1/256 steps at 8 decimals, at least 3 kept. */
	FMT(evgw_fmt_scaled_trim(p, 3000000000, 8, 3), "30.000");
	FMT(evgw_fmt_scaled_trim(p, 3000390625, 8, 3), "30.00390625");
	FMT(evgw_fmt_scaled_trim(p, 3000500000, 8, 3), "30.005");
	FMT(evgw_fmt_scaled_trim(p, 3010000000, 8, 3), "30.100");
	/* Nothing to keep: the point goes too. */
	FMT(evgw_fmt_scaled_trim(p, -40, 1, 0), "-4");
	FMT(evgw_fmt_scaled_trim(p, -45, 1, 0), "-4.5");
	FMT(evgw_fmt_scaled_trim(p, 0, 2, 0), "0");
	/* min == decimals: nothing dropped. */
	FMT(evgw_fmt_scaled_trim(p, 850, 1, 1), "85.0");
	FMT(evgw_fmt_scaled_trim(p, 7, 0, 0), "7");
	FMT(evgw_fmt_scaled_trim(p, 1000, 7, 4), "0.0001");
}

static void test_fixed(void **state)
{
	(void)state;
	/* 848 * 0.1 is the double 84.80000000000001: one decimal is 84.8. */
	assert_true(848 * 0.1 != 84.8);
	FMT(evgw_fmt_fixed(p, 848 * 0.1, 1, 1), "84.8");
	/* 3 * 0.05 is 0.15000000000000002. */
	FMT(evgw_fmt_fixed(p, 3 * 0.05, 2, 2), "0.15");
	FMT(evgw_fmt_fixed(p, 2 * 0.05, 2, 2), "0.10");
	FMT(evgw_fmt_fixed(p, 200.0, 0, 0), "200");
	FMT(evgw_fmt_fixed(p, -10 * 0.1, 1, 1), "-1.0");
	FMT(evgw_fmt_fixed(p, -0.0, 1, 1), "0.0");
	/* Rounding to the nearest, halves away from zero. */
	FMT(evgw_fmt_fixed(p, 2.25, 1, 1), "2.3");
	FMT(evgw_fmt_fixed(p, -2.25, 1, 1), "-2.3");
	FMT(evgw_fmt_fixed(p, 0.123456789, 9, 9), "0.123456789");
	/* 2^50 / 10 - 1 still fits one decimal; 1e15 does not. */
	FMT(evgw_fmt_fixed(p, 112589990684262.0, 1, 1), "112589990684262.0");

	char buf[EVGW_NUMFMT_MAX];
	assert_null(evgw_fmt_fixed(buf, 1e15, 1, 1));
	assert_null(evgw_fmt_fixed(buf, -1e300, 0, 0));
	assert_null(evgw_fmt_fixed(buf, NAN, 1, 1));
	assert_null(evgw_fmt_fixed(buf, INFINITY, 1, 1));
	assert_null(evgw_fmt_fixed(buf, 1.0, -1, 0));
	assert_null(evgw_fmt_fixed(buf, 1.0, EVGW_NUMFMT_MAX_DECIMALS + 1, 0));
}

static void test_double(void **state)
{
	(void)state;
	FMT(evgw_fmt_double(p, 0.0), "0");
	FMT(evgw_fmt_double(p, -0.0), "0");
	FMT(evgw_fmt_double(p, 12.0), "12");
	FMT(evgw_fmt_double(p, -4100.0), "-4100");
	FMT(evgw_fmt_double(p, 0.1), "0.1");
	FMT(evgw_fmt_double(p, 848 * 0.1), "84.80000000000001");
	/* 1/3: 15 digits read back differently, 16 are enough. */
	FMT(evgw_fmt_double(p, 1.0 / 3), "0.3333333333333333");
	/* 0.1 + 0.2 needs all 17. */
	FMT(evgw_fmt_double(p, 0.1 + 0.2), "0.30000000000000004");
	FMT(evgw_fmt_double(p, 1e21), "1e+21");
	FMT(evgw_fmt_double(p, -2.2250738585072014e-308), "-2.2250738585072014e-308");
	/* 2^63: past the exact-integer range, in exponent form. */
	FMT(evgw_fmt_double(p, 9223372036854775808.0), "9.223372036854776e+18");
}

static void check_value(double v, int decimals, int min_decimals, const char *want)
{
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	evgw_textbuf_puts(&tb, "x=");
	evgw_textbuf_value(&tb, v, decimals, min_decimals);
	assert_false(tb.failed);
	assert_string_equal(tb.buf + 2, want);
	assert_int_equal(strlen(tb.buf), tb.len);
	evgw_textbuf_free(&tb);
}

static void test_textbuf_value(void **state)
{
	(void)state;
	check_value(848 * 0.1, 1, 1, "84.8");
	check_value(3 * 0.05, 2, 2, "0.15");
	check_value(200.0, 0, 0, "200");
	check_value(-35.0, 1, 1, "-35.0");
	check_value(30.0, 8, 3, "30.000");
	check_value(30.00390625, 8, 3, "30.00390625");
	/* No decimal grid: shortest round trip, as evgw_textbuf_json_double. */
	check_value(1.0 / 3, -1, 0, "0.3333333333333333");
	check_value(848 * 0.1, -1, 0, "84.80000000000001");
	/* Too large for fixed digits: the same fallback. */
	/* 1e20 is an integer past 2^53: "%.15g" reads back exactly. */
	check_value(1e20, 2, 2, "1e+20");
	check_value(NAN, 1, 1, "\"nan\"");
	check_value(INFINITY, 0, 0, "\"inf\"");
	check_value(-INFINITY, -1, 0, "\"-inf\"");
}

static void test_textbuf_integers(void **state)
{
	(void)state;
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	evgw_textbuf_u64(&tb, UINT64_MAX);
	evgw_textbuf_putc(&tb, ' ');
	evgw_textbuf_i64(&tb, INT64_MIN);
	assert_string_equal(tb.buf, "18446744073709551615 -9223372036854775808");
	/* A failed buffer ignores them. */
	tb.failed = true;
	evgw_textbuf_u64(&tb, 1);
	assert_int_equal(tb.len, strlen("18446744073709551615 -9223372036854775808"));
	evgw_textbuf_free(&tb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_i64),
		cmocka_unit_test(test_scaled),
		cmocka_unit_test(test_scaled_trim),
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_double),
		cmocka_unit_test(test_textbuf_value),
		cmocka_unit_test(test_textbuf_integers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
