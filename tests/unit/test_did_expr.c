// SPDX-License-Identifier: MIT
/* DID value expressions (gateway/vehicle/did_expr.c): values worked out by
 * hand from the bytes, the three dialects' byte names, errors with their
 * column, evaluation without a value, printing back, and the profile's
 * expr key with file:line:col errors. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "vehicle/did_expr.h"
#include "vehicle/profile.h"

/* 0x1FFC on the demo car: SOC 76.54 % (7654 = 0x1DE6, little-endian), then
 * 150.00 Ah (15000 = 0x3A98), then two spare bytes. */
static const uint8_t data[] = {0xE6, 0x1D, 0x98, 0x3A, 0x80, 0xFF};

static double eval_d(const char *text, enum evgw_expr_dialect d)
{
	struct evgw_expr e;
	unsigned col = 0;
	char msg[128] = "";
	if (evgw_expr_parse(&e, text, strlen(text), d, &col, msg, sizeof msg))
		fail_msg("'%s' did not parse: col %u: %s", text, col, msg);
	double v = NAN;
	int r = evgw_expr_eval(&e, data, sizeof data, &v);
	if (r)
		fail_msg("'%s' gave no value (%d)", text, r);
	return v;
}

static double eval(const char *text)
{
	return eval_d(text, EVGW_EXPR_EVGW);
}

static void expect_parse_error(const char *text, enum evgw_expr_dialect d, unsigned want_col, const char *want)
{
	struct evgw_expr e;
	unsigned col = 0;
	char msg[128] = "";
	assert_int_equal(evgw_expr_parse(&e, text, strlen(text), d, &col, msg, sizeof msg), -EINVAL);
	if ((want_col && col != want_col) || !strstr(msg, want))
		fail_msg("'%s': col %u \"%s\", wanted col %u \"%s\"", text, col, msg, want_col, want);
	assert_int_equal(e.n_code, 0);
}

static void test_arithmetic(void **state)
{
	(void)state;
	/* 0x1DE6 = 7654 -> 76.54 */
	assert_float_equal(eval("(B1*256+B0)/100"), 76.54, 1e-9);
	/* 0x3A98 = 15000 -> 150 */
	assert_float_equal(eval("(B3 * 256 + B2) / 100"), 150.0, 1e-9);
	/* precedence: 230 + 29*2 = 288; (230+29)*2 = 518 */
	assert_float_equal(eval("B0+B1*2"), 288, 0);
	assert_float_equal(eval("(B0+B1)*2"), 518, 0);
	/* left associativity: 100-10-1 = 89, 64/4/2 = 8 */
	assert_float_equal(eval("100-10-1"), 89, 0);
	assert_float_equal(eval("64/4/2"), 8, 0);
	assert_float_equal(eval("-B4 + 0.5"), -127.5, 0);
	assert_float_equal(eval("0x10 * 2"), 32, 0);
	assert_float_equal(eval("B0 - 40"), 190, 0);
}

static void test_bits(void **state)
{
	(void)state;
	/* 0xE6 = 1110 0110 */
	assert_float_equal(eval("B0 & 0x0F"), 6, 0);
	assert_float_equal(eval("B0 >> 5"), 7, 0);
	assert_float_equal(eval("B0 >> 1 & 1"), 1, 0);
	assert_float_equal(eval("B1 << 8 | B0"), 7654, 0);
	assert_float_equal(eval("B0 ^ 0xFF"), 0x19, 0);
	assert_float_equal(eval("~0"), -1, 0);
	/* & binds tighter than ^, which binds tighter than |: 1 | (6 ^ (3 & 2)) = 1 | 4 = 5 */
	assert_float_equal(eval("1 | 6 ^ 3 & 2"), 5, 0);
	/* shifts bind looser than +: 1 << (2+1) = 8 */
	assert_float_equal(eval("1 << 2 + 1"), 8, 0);
	/* arithmetic shift of a negative number: -7 >> 1 = -4 (floor) */
	assert_float_equal(eval("-7 >> 1"), -4, 0);
}

static void test_signed_and_ranges(void **state)
{
	(void)state;
	/* [B4:B5] = 0x80FF = 33023; as int16 -32513 */
	assert_float_equal(eval("[B4:B5]"), 33023, 0);
	assert_float_equal(eval("SIGNED([B4:B5], 16)"), -32513, 0);
	assert_float_equal(eval("int16([B4:B5])"), -32513, 0);
	/* 0xFF as 8 bits: -1; 0x80 as 8 bits: -128; 0xE6 as 4 bits (0x6): 6 */
	assert_float_equal(eval("SIGNED(B5)"), -1, 0);
	assert_float_equal(eval("signed(B4, 8)"), -128, 0);
	assert_float_equal(eval("SIGNED(B0, 4)"), 6, 0);
	/* little-endian: [B1:B0] = 0x1DE6 = 7654; [B3:B2] = 0x3A98 = 15000 */
	assert_float_equal(eval("[B1:B0]"), 7654, 0);
	assert_float_equal(eval("[B3:B2]/100"), 150, 0);
	assert_float_equal(eval("SIGNED([B5:B4], 16)"), -128, 0); /* 0xFF80 */
	/* E6 1D 98 3A 80 FF as one 6-byte number */
	assert_float_equal(eval("[B0:B5]"), (double)0xE61D983A80FFull, 0);
}

static void test_dialects(void **state)
{
	(void)state;
	/* WiCAN: B4 is the first byte after the DID */
	assert_float_equal(eval_d("(B5*256+B4)/100", EVGW_EXPR_WICAN), 76.54, 1e-9);
	assert_float_equal(eval_d("[B6:B7]", EVGW_EXPR_WICAN), 0x983A, 0);
	expect_parse_error("B3*2", EVGW_EXPR_WICAN, 1, "header");
	/* Torque: A, B, C... */
	assert_float_equal(eval_d("(B*256+A)/100", EVGW_EXPR_TORQUE), 76.54, 1e-9);
	assert_float_equal(eval_d("E-40", EVGW_EXPR_TORQUE), 128 - 40, 0);
	assert_float_equal(eval_d("{A:1}", EVGW_EXPR_TORQUE), 1, 0);
	assert_float_equal(eval_d("{A:0}", EVGW_EXPR_TORQUE), 0, 0);
	assert_float_equal(eval_d("int16(E:F)", EVGW_EXPR_TORQUE), -32513, 0);
	assert_float_equal(eval_d("SIGNED(F)", EVGW_EXPR_TORQUE), -1, 0);
	expect_parse_error("A^2", EVGW_EXPR_TORQUE, 2, "power");
	/* AA is byte 26 */
	struct evgw_expr e;
	unsigned col;
	char msg[64];
	assert_int_equal(evgw_expr_parse(&e, "AA", 2, EVGW_EXPR_TORQUE, &col, msg, sizeof msg), 0);
	assert_int_equal(e.min_len, 27);
	assert_int_equal(evgw_expr_parse(&e, "BA+1", 4, EVGW_EXPR_TORQUE, &col, msg, sizeof msg), 0);
	assert_int_equal(e.min_len, 53);
}

static void test_no_value(void **state)
{
	(void)state;
	struct evgw_expr e;
	unsigned col;
	char msg[64];
	double v = 42;
	assert_int_equal(evgw_expr_parse(&e, "B0/(B1-29)", 10, EVGW_EXPR_EVGW, &col, msg, sizeof msg), 0);
	assert_int_equal(evgw_expr_eval(&e, data, sizeof data, &v), -EDOM); /* B1 = 29 */
	assert_float_equal(v, 42, 0);
	assert_int_equal(evgw_expr_parse(&e, "0.5 & 1", 7, EVGW_EXPR_EVGW, &col, msg, sizeof msg), 0);
	assert_int_equal(evgw_expr_eval(&e, data, sizeof data, &v), -EDOM);
	assert_int_equal(evgw_expr_parse(&e, "1 << 64", 7, EVGW_EXPR_EVGW, &col, msg, sizeof msg), 0);
	assert_int_equal(evgw_expr_eval(&e, data, sizeof data, &v), -EDOM);
	/* B9 needs 10 bytes; the data has 6 */
	assert_int_equal(evgw_expr_parse(&e, "B9+1", 4, EVGW_EXPR_EVGW, &col, msg, sizeof msg), 0);
	assert_int_equal(e.min_len, 10);
	assert_int_equal(evgw_expr_eval(&e, data, sizeof data, &v), -ENODATA);
}

static void test_errors(void **state)
{
	(void)state;
	expect_parse_error("(B4*256+B5", EVGW_EXPR_EVGW, 11, "expected ')'");
	expect_parse_error("B0 + ", EVGW_EXPR_EVGW, 6, "expected a value");
	expect_parse_error("B0 ) ", EVGW_EXPR_EVGW, 4, "unexpected ')'");
	expect_parse_error("B0 == 2", EVGW_EXPR_EVGW, 4, "comparisons");
	expect_parse_error("B0 && 2", EVGW_EXPR_EVGW, 4, "comparisons");
	expect_parse_error("x + 1", EVGW_EXPR_EVGW, 1, "unknown name 'x'");
	expect_parse_error("pow(B0, 2)", EVGW_EXPR_EVGW, 1, "unknown function 'pow'");
	expect_parse_error("SIGNED(B0, 65)", EVGW_EXPR_EVGW, 12, "bit count");
	expect_parse_error("[B0:B9]", EVGW_EXPR_EVGW, 1, "2 to 8 bytes");
	expect_parse_error("[B3:B3]", EVGW_EXPR_EVGW, 1, "2 to 8 bytes");
	expect_parse_error("B5000", EVGW_EXPR_EVGW, 1, "past the last");
	/* 0xFFFFFFFFFFFFFFF0 = 2^64 - 16 rounds to the double 2^64, which would
	 * print as 18446744073709551616, a decimal the parser refuses. */
	expect_parse_error("B0&0xFFFFFFFFFFFFFFF0", EVGW_EXPR_EVGW, 4, "too large");
	expect_parse_error("18446744073709551616", EVGW_EXPR_EVGW, 1, "too large");
	expect_parse_error("1.", EVGW_EXPR_EVGW, 3, "digit must follow");
	expect_parse_error("2B0", EVGW_EXPR_EVGW, 2, "after a number");
	expect_parse_error("B0 # 1", EVGW_EXPR_EVGW, 4, "unexpected '#'");
	expect_parse_error("", EVGW_EXPR_EVGW, 1, "expected a value");
	/* bounded nesting, length, code */
	char deep[64];
	memset(deep, '(', 20);
	strcpy(deep + 20, "B0");
	expect_parse_error(deep, EVGW_EXPR_EVGW, 17, "nested too deeply");
	char neg[64];
	memset(neg, '-', 30);
	strcpy(neg + 30, "1");
	expect_parse_error(neg, EVGW_EXPR_EVGW, 16, "nested too deeply");
	/* A Torque bit prints as (B0>>3&1), two levels deeper: after 14 signs
	 * (depth 15) it would not read back, so the '{' at column 15 is refused. */
	expect_parse_error("--------------{A:3}", EVGW_EXPR_TORQUE, 15, "nested too deeply");
	char lng[400];
	memset(lng, ' ', sizeof lng - 1);
	lng[0] = '1';
	lng[sizeof lng - 1] = '\0';
	expect_parse_error(lng, EVGW_EXPR_EVGW, EVGW_EXPR_TEXT_MAX + 1, "longer than");
	char many[256] = "B0";
	for (int i = 0; i < 40; i++)
		strcat(many, "+B1");
	expect_parse_error(many, EVGW_EXPR_EVGW, 0, "too long");
}

static void test_format(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		enum evgw_expr_dialect d;
		const char *out;
	} cases[] = {
		{"(B4*256+B5)/100", EVGW_EXPR_WICAN, "(B0*256+B1)/100"},
		{"((B0))", EVGW_EXPR_EVGW, "B0"},
		{"B0-(B1-B2)", EVGW_EXPR_EVGW, "B0-(B1-B2)"},
		{"(B0-B1)-B2", EVGW_EXPR_EVGW, "B0-B1-B2"},
		{"-(B0+1)", EVGW_EXPR_EVGW, "-(B0+1)"},
		{"B0*0.1-500", EVGW_EXPR_EVGW, "B0*0.1-500"},
		{"0x1F & B2 >> 4", EVGW_EXPR_EVGW, "31&B2>>4"},
		{"(1|2)&3", EVGW_EXPR_EVGW, "(1|2)&3"},
		{"{A:3}", EVGW_EXPR_TORQUE, "B0>>3&1"},
		{"signed(A)*256+B", EVGW_EXPR_TORQUE, "SIGNED(B0, 8)*256+B1"},
		{"int16(A:B)*0.1", EVGW_EXPR_TORQUE, "SIGNED([B0:B1], 16)*0.1"},
		{"int16(B:A)", EVGW_EXPR_TORQUE, "SIGNED([B1:B0], 16)"},
		{"[B7:B4]", EVGW_EXPR_WICAN, "[B3:B0]"},
		/* 13 signs and a bit: the deepest that prints and reads back (fuzz_did_expr's find). */
		{"-------------{A:3}", EVGW_EXPR_TORQUE, "-------------(B0>>3&1)"},
		/* 1e-120: a fraction needs all its 120 digits (it printed as 0). */
		{"B0*0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001",
		 EVGW_EXPR_EVGW,
		 "B0*0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct evgw_expr e, back;
		unsigned col;
		char msg[64], out[2 * EVGW_EXPR_TEXT_MAX + 64];
		assert_int_equal(evgw_expr_parse(&e, cases[i].in, strlen(cases[i].in), cases[i].d, &col, msg, sizeof msg),
				 0);
		int n = evgw_expr_format(&e, out, sizeof out);
		assert_true(n > 0);
		assert_string_equal(out, cases[i].out);
		/* The printed text compiles to the same code. */
		assert_int_equal(evgw_expr_parse(&back, out, (size_t)n, EVGW_EXPR_EVGW, &col, msg, sizeof msg), 0);
		assert_int_equal(back.n_code, e.n_code);
		assert_memory_equal(back.code, e.code, e.n_code);
	}
	struct evgw_expr e;
	unsigned col;
	char msg[64], tiny[4];
	assert_int_equal(evgw_expr_parse(&e, "B0+B1", 5, EVGW_EXPR_EVGW, &col, msg, sizeof msg), 0);
	assert_int_equal(evgw_expr_format(&e, tiny, sizeof tiny), -ENOSPC);
}

#define PROFILE_HEAD                                                                                   \
	"[vehicle]\nname = t\n[bus obd]\n[ecu bms]\nprotocol = uds\nrequest = 0x7E7\nresponse = 0x7EF\n" \
	"[did soc]\necu = bms\ndid = 0x1FFC\n"

static void test_profile_expr(void **state)
{
	(void)state;
	const char *text = PROFILE_HEAD "expr = (B1*256+B0)/100\nunit = %\n";
	struct evgw_profile *p = NULL;
	char err[256] = "";
	assert_int_equal(evgw_profile_load_buffer(text, strlen(text), "t.ini", &p, err, sizeof err), 0);
	const struct evgw_profile_did *d = evgw_profile_did(p, "soc");
	double v;
	assert_int_equal(evgw_profile_did_decode(d, data, sizeof data, &v), 0);
	assert_float_equal(v, 76.54, 1e-9);
	assert_int_equal(evgw_profile_did_decode(d, data, 1, &v), -ENODATA);
	evgw_profile_free(p);

	/* line 11, the value starts at column 8: '?' is its 8th byte */
	const char *bad = PROFILE_HEAD "expr = (B1*256?B0)/100\n";
	p = (struct evgw_profile *)1;
	assert_int_equal(evgw_profile_load_buffer(bad, strlen(bad), "t.ini", &p, err, sizeof err), -EINVAL);
	assert_null(p);
	assert_non_null(strstr(err, "t.ini:11:15: expr: expected ')', found '?'"));

	const char *both = PROFILE_HEAD "length = 2\nexpr = B0\n";
	assert_int_equal(evgw_profile_load_buffer(both, strlen(both), "t.ini", &p, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "t.ini:8: did soc: expr gives the whole value: leave out length"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arithmetic),	   cmocka_unit_test(test_bits),
		cmocka_unit_test(test_signed_and_ranges), cmocka_unit_test(test_dialects),
		cmocka_unit_test(test_no_value),	   cmocka_unit_test(test_errors),
		cmocka_unit_test(test_format),		   cmocka_unit_test(test_profile_expr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
