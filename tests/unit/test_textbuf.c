// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/textbuf.h"

/* Compare the whole buffer, embedded NULs and high bytes included. */
static void assert_buf(const struct evgw_textbuf *tb, const char *want, size_t want_len)
{
	assert_false(tb->failed);
	if (tb->len != want_len || memcmp(tb->buf, want, want_len) != 0)
		fail_msg("got [%.*s] (%zu bytes), want [%.*s] (%zu bytes)",
			(int)tb->len, tb->buf ? tb->buf : "", tb->len,
			(int)want_len, want, want_len);
	assert_int_equal(tb->buf[tb->len], '\0');
}

#define ASSERT_BUF(tb, lit) assert_buf((tb), (lit), sizeof(lit) - 1)

/* Encode `in` (a literal, so NULs inside count) and compare with `want`. */
static void check_json(const char *in, size_t in_len, bool dbc,
	const char *want, size_t want_len)
{
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	evgw_textbuf_json_string(&tb, in, in_len, dbc);
	assert_buf(&tb, want, want_len);
	assert_true(evgw_utf8_valid(tb.buf, tb.len));
	evgw_textbuf_free(&tb);
}

#define JSON(in, want) check_json((in), sizeof(in) - 1, false, (want), sizeof(want) - 1)
#define JSON_DBC(in, want) check_json((in), sizeof(in) - 1, true, (want), sizeof(want) - 1)

static void check_double(double v, const char *want)
{
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	evgw_textbuf_json_double(&tb, v);
	assert_false(tb.failed);
	assert_string_equal(tb.buf, want);
	evgw_textbuf_free(&tb);
}

#define UTF8_OK(s) assert_true(evgw_utf8_valid((s), sizeof(s) - 1))
#define UTF8_BAD(s) assert_false(evgw_utf8_valid((s), sizeof(s) - 1))

/* ---- buffer basics ---- */

static void test_init_free_twice(void **state)
{
	(void)state;
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	assert_null(tb.buf);
	assert_int_equal(tb.len, 0);
	evgw_textbuf_free(&tb); /* never allocated */
	evgw_textbuf_puts(&tb, "x");
	evgw_textbuf_free(&tb);
	evgw_textbuf_free(&tb); /* already freed */
	assert_null(tb.buf);
	assert_int_equal(tb.cap, 0);

	struct evgw_textbuf zeroed = { 0 };
	evgw_textbuf_free(&zeroed);
}

static void test_append_putc_puts(void **state)
{
	(void)state;
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	evgw_textbuf_puts(&tb, "ab");
	evgw_textbuf_putc(&tb, 'c');
	evgw_textbuf_append(&tb, "d\0e", 3);
	evgw_textbuf_append(&tb, NULL, 0);
	evgw_textbuf_puts(&tb, "");
	ASSERT_BUF(&tb, "abcd\0e");
	evgw_textbuf_free(&tb);
}

static void test_printf(void **state)
{
	(void)state;
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	evgw_textbuf_printf(&tb, "%d-%s", 42, "x");
	evgw_textbuf_printf(&tb, "%s", "");
	evgw_textbuf_printf(&tb, "|%05.1f|%#x", 2.25, 255u);
	ASSERT_BUF(&tb, "42-x|002.2|0xff");
	evgw_textbuf_free(&tb);
}

/* A single printf bigger than the spare room must grow and reformat. */
static void test_printf_grows(void **state)
{
	(void)state;
	char big[3000];
	memset(big, 'z', sizeof big - 1);
	big[sizeof big - 1] = '\0';

	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	evgw_textbuf_puts(&tb, "head:");
	evgw_textbuf_printf(&tb, "%s:%d", big, 7);
	assert_false(tb.failed);
	assert_int_equal(tb.len, 5 + 2999 + 2);
	assert_memory_equal(tb.buf, "head:", 5);
	assert_memory_equal(tb.buf + 5, big, 2999);
	assert_string_equal(tb.buf + 5 + 2999, ":7");
	evgw_textbuf_free(&tb);
}

static void test_growth_several_kb(void **state)
{
	(void)state;
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	for (int i = 0; i < 5000; i++)
		evgw_textbuf_printf(&tb, "%04d,", i);
	assert_false(tb.failed);
	assert_int_equal(tb.len, 5000 * 5);
	assert_true(tb.cap > tb.len);
	/* Capacity grows by doubling, so it is a power of two times the start. */
	assert_int_equal(tb.cap & (tb.cap - 1), 0);
	for (int i = 0; i < 5000; i++) {
		char want[8];
		snprintf(want, sizeof want, "%04d,", i);
		assert_memory_equal(tb.buf + (size_t)i * 5, want, 5);
	}
	assert_int_equal(strlen(tb.buf), tb.len);
	evgw_textbuf_free(&tb);
}

static void test_reset_keeps_memory(void **state)
{
	(void)state;
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	evgw_textbuf_reset(&tb); /* on an empty buffer */
	evgw_textbuf_puts(&tb, "first");
	char *mem = tb.buf;
	size_t cap = tb.cap;
	evgw_textbuf_reset(&tb);
	assert_int_equal(tb.len, 0);
	assert_string_equal(tb.buf, "");
	evgw_textbuf_puts(&tb, "2nd");
	ASSERT_BUF(&tb, "2nd");
	assert_ptr_equal(tb.buf, mem);
	assert_int_equal(tb.cap, cap);
	evgw_textbuf_free(&tb);
}

/* A size that cannot be allocated marks the buffer failed without aborting
 * (and without reading the source); later appends are ignored. */
static void test_failed_ignores_appends(void **state)
{
	(void)state;
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	evgw_textbuf_puts(&tb, "ok");
	evgw_textbuf_append(&tb, "x", SIZE_MAX);
	assert_true(tb.failed);
	assert_int_equal(tb.len, 2);
	assert_string_equal(tb.buf, "ok");

	evgw_textbuf_puts(&tb, "more");
	evgw_textbuf_putc(&tb, 'c');
	evgw_textbuf_printf(&tb, "%d", 5);
	evgw_textbuf_json_string(&tb, "s", 1, false);
	evgw_textbuf_json_double(&tb, 1.5);
	assert_true(tb.failed);
	assert_int_equal(tb.len, 2);
	assert_string_equal(tb.buf, "ok");

	evgw_textbuf_reset(&tb);
	assert_false(tb.failed);
	evgw_textbuf_puts(&tb, "again");
	ASSERT_BUF(&tb, "again");
	evgw_textbuf_free(&tb);
}

/* ---- JSON strings ---- */

static void test_json_ascii(void **state)
{
	(void)state;
	JSON("", "\"\"");
	JSON("EngineSpeed rpm", "\"EngineSpeed rpm\"");
	JSON("a/b", "\"a/b\"");
	JSON("\x7f", "\"\x7f\"");
}

static void test_json_escapes(void **state)
{
	(void)state;
	JSON("say \"hi\"", "\"say \\\"hi\\\"\"");
	JSON("C:\\dir", "\"C:\\\\dir\"");
	JSON("\\", "\"\\\\\"");
}

static void test_json_control_chars(void **state)
{
	(void)state;
	JSON("\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\"");
	JSON("\x01\x1f\x0b", "\"\\u0001\\u001f\\u000b\"");
	JSON("a\0b", "\"a\\u0000b\"");
	JSON("\x1b[0m", "\"\\u001b[0m\"");
}

static void test_json_valid_utf8_passes(void **state)
{
	(void)state;
	JSON("\xC2\xB0" "C", "\"\xC2\xB0" "C\"");           /* °C */
	JSON("\xE2\x82\xAC", "\"\xE2\x82\xAC\"");             /* € */
	JSON("\xF0\x9F\x9A\x97", "\"\xF0\x9F\x9A\x97\"");     /* U+1F697 */
	JSON("\xC3\xA4\n", "\"\xC3\xA4\\n\"");                /* ä + newline */
	JSON("\xC2\x80", "\"\xC2\x80\"");                     /* U+0080 kept */
}

static void test_json_cp1252(void **state)
{
	(void)state;
	JSON("\xB0" "C", "\"\xC2\xB0" "C\"");                /* °C */
	JSON("\x80", "\"\xE2\x82\xAC\"");                     /* € */
	JSON("\x93quoted\x94", "\"\xE2\x80\x9Cquoted\xE2\x80\x9D\"");
	JSON("\xE4", "\"\xC3\xA4\"");                         /* ä */
	JSON("\xFF", "\"\xC3\xBF\"");                         /* ÿ */
	JSON("\xA0", "\"\xC2\xA0\"");                         /* NBSP */
	JSON("\x9F\x8A", "\"\xC5\xB8\xC5\xA0\"");             /* Ÿ Š */
	/* Escaping still applies to the ASCII part. */
	JSON("\xB0\"\t", "\"\xC2\xB0\\\"\\t\"");
}

static void test_json_cp1252_undefined(void **state)
{
	(void)state;
	/* The five holes in Windows-1252 become U+FFFD. */
	JSON("\x81", "\"\xEF\xBF\xBD\"");
	JSON("a\x8D\x8F\x90\x9D" "b",
		"\"a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "b\"");
}

/* One bad sequence makes the whole string cp1252, including bytes that
 * would have been valid UTF-8 on their own. */
static void test_json_invalid_utf8_whole_string(void **state)
{
	(void)state;
	/* Overlong '/': C0 -> À, AF -> ¯ */
	JSON("\xC0\xAF", "\"\xC3\x80\xC2\xAF\"");
	/* Surrogate U+D800: ED -> í, A0 -> NBSP, 80 -> € */
	JSON("\xED\xA0\x80", "\"\xC3\xAD\xC2\xA0\xE2\x82\xAC\"");
	/* Valid ° followed by a stray B0: C2 -> Â, B0 -> °, B0 -> ° */
	JSON("\xC2\xB0\xB0", "\"\xC3\x82\xC2\xB0\xC2\xB0\"");
	/* Truncated €: E2 -> â, 82 -> ‚ (U+201A) */
	JSON("\xE2\x82", "\"\xC3\xA2\xE2\x80\x9A\"");
	/* Above U+10FFFF: F4 -> ô, 90 -> U+FFFD, 80 -> €, 80 -> € */
	JSON("\xF4\x90\x80\x80",
		"\"\xC3\xB4\xEF\xBF\xBD\xE2\x82\xAC\xE2\x82\xAC\"");
}

static void test_json_dbc_escapes(void **state)
{
	(void)state;
	JSON_DBC("a\\\"b", "\"a\\\"b\"");        /* a\"b -> a"b */
	JSON_DBC("\\\\", "\"\\\\\"");            /* \\ -> \ */
	JSON_DBC("\\x", "\"x\"");                /* any byte */
	JSON_DBC("ab\\", "\"ab\\\\\"");          /* lone trailing backslash */
	JSON_DBC("\\\\\\", "\"\\\\\\\\\"");      /* \\ then a lone \ */
	JSON_DBC("", "\"\"");
	/* The same input without unescaping keeps every backslash. */
	JSON("a\\\"b", "\"a\\\\\\\"b\"");
}

/* Validity is decided after unescaping: an escaped byte can complete or
 * break a UTF-8 sequence. */
static void test_json_dbc_escapes_and_utf8(void **state)
{
	(void)state;
	/* C2 \ B0 -> C2 B0: valid ° after unescaping, invalid before. */
	JSON_DBC("\xC2\\\xB0", "\"\xC2\xB0\"");
	JSON("\xC2\\\xB0", "\"\xC3\x82\\\\\xC2\xB0\"");
	/* An escaped cp1252 byte is still converted. */
	JSON_DBC("\\\xB0" "C", "\"\xC2\xB0" "C\"");
	JSON_DBC("\\\x93x\\\x94", "\"\xE2\x80\x9Cx\xE2\x80\x9D\"");
}

/* ---- JSON doubles ---- */

static void test_json_double_integers(void **state)
{
	(void)state;
	check_double(0.0, "0");
	check_double(-0.0, "0");
	check_double(-48.0, "-48");
	check_double(1.0, "1");
	check_double(123456789012.0, "123456789012");
	check_double(9007199254740991.0, "9007199254740991");       /* 2^53-1 */
	check_double(-9007199254740991.0, "-9007199254740991");
	/* At and past 2^53 the %g path still reads back exactly. */
	check_double(9007199254740992.0, "9007199254740992");
	check_double(9007199254740994.0, "9007199254740994");
}

static void test_json_double_fractions(void **state)
{
	(void)state;
	check_double(0.1, "0.1");
	check_double(-2.5, "-2.5");
	check_double(1e-9, "1e-09");
	check_double(1e300, "1e+300");
	check_double(0.1 + 0.2, "0.30000000000000004");
	check_double(1.0 / 3.0, "0.3333333333333333");
	check_double(0.125, "0.125");
}

static void test_json_double_round_trips(void **state)
{
	(void)state;
	const double vals[] = { 0.1 + 0.2, 1.0 / 3.0, 2.0 / 3.0, 1e-300,
		5e-324, 1.7976931348623157e308, 0.000123456789, 3.14159265358979 };
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		struct evgw_textbuf tb;
		evgw_textbuf_init(&tb);
		evgw_textbuf_json_double(&tb, vals[i]);
		assert_false(tb.failed);
		assert_true(strtod(tb.buf, NULL) == vals[i]);
		evgw_textbuf_free(&tb);
	}
}

static void test_json_double_non_finite(void **state)
{
	(void)state;
	check_double(NAN, "\"nan\"");
	check_double(INFINITY, "\"inf\"");
	check_double(-INFINITY, "\"-inf\"");
}

/* ---- UTF-8 validation ---- */

static void test_utf8_valid_edges(void **state)
{
	(void)state;
	UTF8_OK("");
	UTF8_OK("plain ascii");
	UTF8_OK("\0");
	UTF8_OK("\x7f");
	UTF8_OK("\xC2\x80");                 /* U+0080 */
	UTF8_OK("\xDF\xBF");                 /* U+07FF */
	UTF8_OK("\xE0\xA0\x80");             /* U+0800 */
	UTF8_OK("\xED\x9F\xBF");             /* U+D7FF */
	UTF8_OK("\xEE\x80\x80");             /* U+E000 */
	UTF8_OK("\xEF\xBF\xBF");             /* U+FFFF */
	UTF8_OK("\xF0\x90\x80\x80");         /* U+10000 */
	UTF8_OK("\xF4\x8F\xBF\xBF");         /* U+10FFFF */

	UTF8_BAD("\xF4\x90\x80\x80");        /* U+110000 */
	UTF8_BAD("\xF5\x80\x80\x80");
	UTF8_BAD("\xFF");
	UTF8_BAD("\x80");                    /* lone continuation */
	UTF8_BAD("\xC0\xAF");                /* overlong '/' */
	UTF8_BAD("\xC1\xBF");                /* overlong */
	UTF8_BAD("\xE0\x9F\xBF");            /* overlong 3-byte */
	UTF8_BAD("\xF0\x8F\xBF\xBF");        /* overlong 4-byte */
	UTF8_BAD("\xED\xA0\x80");            /* U+D800 */
	UTF8_BAD("\xED\xBF\xBF");            /* U+DFFF */
	UTF8_BAD("\xC2");                    /* truncated 2-byte */
	UTF8_BAD("\xE2\x82");                /* truncated 3-byte */
	UTF8_BAD("\xF0\x9F\x9A");            /* truncated 4-byte */
	UTF8_BAD("\xC2" "A");                /* continuation missing */
	UTF8_BAD("\xE2\x82" "A");
	UTF8_BAD("ok\xF0\x9F\x9A\x97\x97");  /* extra continuation */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_free_twice),
		cmocka_unit_test(test_append_putc_puts),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_printf_grows),
		cmocka_unit_test(test_growth_several_kb),
		cmocka_unit_test(test_reset_keeps_memory),
		cmocka_unit_test(test_failed_ignores_appends),
		cmocka_unit_test(test_json_ascii),
		cmocka_unit_test(test_json_escapes),
		cmocka_unit_test(test_json_control_chars),
		cmocka_unit_test(test_json_valid_utf8_passes),
		cmocka_unit_test(test_json_cp1252),
		cmocka_unit_test(test_json_cp1252_undefined),
		cmocka_unit_test(test_json_invalid_utf8_whole_string),
		cmocka_unit_test(test_json_dbc_escapes),
		cmocka_unit_test(test_json_dbc_escapes_and_utf8),
		cmocka_unit_test(test_json_double_integers),
		cmocka_unit_test(test_json_double_fractions),
		cmocka_unit_test(test_json_double_round_trips),
		cmocka_unit_test(test_json_double_non_finite),
		cmocka_unit_test(test_utf8_valid_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
