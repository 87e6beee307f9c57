// SPDX-License-Identifier: MIT
/* Signal values at the precision their DBC scale implies. The frames are
 * built by hand (little-endian fields, bytes written out below) and every
 * expected text is worked out from raw * factor + offset in decimal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "dbc/dbc.h"
#include "dbc/dbc_decode.h"
#include "dbc/dbc_json.h"
#include "dbc/dbc_scale.h"
#include "test_support.h"

static void test_decimals_of_scales(void **state)
{
	(void)state;
	assert_int_equal(dbc_scale_decimals(1, 0), 0);
	assert_int_equal(dbc_scale_decimals(0.1, 0), 1);
	assert_int_equal(dbc_scale_decimals(0.05, 0), 2);
	assert_int_equal(dbc_scale_decimals(0.5, -40), 1);
	assert_int_equal(dbc_scale_decimals(0.0725, 0), 4);
	assert_int_equal(dbc_scale_decimals(1, 0.001), 3);     /* the offset counts too */
	assert_int_equal(dbc_scale_decimals(0.00390625, 0), 8); /* 1/256, J1939 speeds */
	assert_int_equal(dbc_scale_decimals(0.0001234, 0), 7);
	assert_int_equal(dbc_scale_decimals(-0.1, -273.15), 2);
	assert_int_equal(dbc_scale_decimals(0, 0), 0);
	assert_int_equal(dbc_scale_decimals(100, 0), 0);
	/* No decimal grid within 9 digits. */
	assert_int_equal(dbc_scale_decimals(1.0 / 3, 0), -1);
	assert_int_equal(dbc_scale_decimals(0.3333333333333333, 0), -1);
	assert_int_equal(dbc_scale_decimals(1e-12, 0), -1);
	assert_int_equal(dbc_scale_decimals(1e20, 0), -1);
	/* 1e15 is fine alone, but with offset 0.5 it would need 1e16 > 2^53. */
	assert_int_equal(dbc_scale_decimals(1e15, 0), 0);
	assert_int_equal(dbc_scale_decimals(1e15, 0.5), -1);
	assert_int_equal(dbc_scale_decimals(NAN, 0), -1);
	assert_int_equal(dbc_scale_decimals(1, INFINITY), -1);
}

/* The digits always printed: the step's resolution or the offset's. */
static void test_min_decimals(void **state)
{
	(void)state;
	assert_int_equal(dbc_scale_min_decimals(1, 0, 0), 0);
	assert_int_equal(dbc_scale_min_decimals(0.1, 0, 1), 1);
	assert_int_equal(dbc_scale_min_decimals(0.5, -40, 1), 1);   /* 0.5 * 10 >= 1 */
	assert_int_equal(dbc_scale_min_decimals(0.05, 0, 2), 2);
	assert_int_equal(dbc_scale_min_decimals(0.0725, 0, 4), 2);  /* 7.25 at 10^2 */
	assert_int_equal(dbc_scale_min_decimals(0.00390625, 0, 8), 3);
	assert_int_equal(dbc_scale_min_decimals(0.0001234, 0, 7), 4);
	assert_int_equal(dbc_scale_min_decimals(-0.1, -273.15, 2), 2); /* the offset's 2 */
	assert_int_equal(dbc_scale_min_decimals(1, 0.5, 1), 1);
	assert_int_equal(dbc_scale_min_decimals(0, 0, 0), 0);
	assert_int_equal(dbc_scale_min_decimals(100, 0, 0), 0);
}

/* One message, one byte-aligned signal per scale worth checking. */
static const char dbc_text[] =
	"VERSION \"\"\n"
	"BU_: ECU\n"
	"BO_ 256 Scales: 8 ECU\n"
	" SG_ Tenth : 0|16@1+ (0.1,0) [0|6553.5] \"km/h\" Vector__XXX\n"
	" SG_ Twentieth : 16|8@1+ (0.05,0) [0|12.75] \"\" Vector__XXX\n"
	" SG_ Whole : 24|8@1+ (1,0) [0|255] \"\" Vector__XXX\n"
	" SG_ Temp : 32|8@1+ (0.5,-40) [-40|87.5] \"degC\" Vector__XXX\n"
	" SG_ Signed : 40|8@1- (0.1,0) [-12.8|12.7] \"\" Vector__XXX\n"
	" SG_ Third : 48|8@1+ (0.3333333333333333,0) [0|85] \"\" Vector__XXX\n"
	" SG_ Tiny : 56|8@1+ (0.0001234,0) [0|1] \"\" Vector__XXX\n"
	"BO_ 261 J1939Speed: 8 ECU\n"
	" SG_ Speed : 8|16@1+ (0.00390625,0) [0|250.996] \"km/h\" Vector__XXX\n"
	"BO_ 257 Wide: 8 ECU\n"
	" SG_ U64 : 0|64@1+ (1,0) [0|0] \"\" Vector__XXX\n"
	"BO_ 258 WideHalf: 8 ECU\n"
	" SG_ U64Half : 0|64@1+ (0.5,0) [0|0] \"\" Vector__XXX\n"
	"BO_ 259 Huge: 8 ECU\n"
	" SG_ S64Big : 0|64@1- (100000,0.5) [0|0] \"\" Vector__XXX\n"
	"BO_ 260 Floats: 8 ECU\n"
	" SG_ F32 : 0|32@1- (1,0) [0|0] \"\" Vector__XXX\n"
	" SG_ F32Tenth : 32|32@1- (0.1,0) [0|0] \"\" Vector__XXX\n"
	"SIG_VALTYPE_ 260 F32 : 1;\n"
	"SIG_VALTYPE_ 260 F32Tenth : 1;\n";

static struct dbc_db *load(void)
{
	struct dbc_load_opts o = {true, NULL, NULL};
	struct dbc_db *db = NULL;
	assert_int_equal(dbc_load_buffer(dbc_text, strlen(dbc_text), "scales.dbc", &o, &db), 0);
	return db;
}

/* Decode `data` as message `id` and return signal `name` as JSON text. */
static void check_sig(const struct dbc_db *db, uint32_t id, const uint8_t data[8], const char *name,
			 const char *want)
{
	struct evgw_frame f;
	memset(&f, 0, sizeof f);
	f.id = id;
	f.len = f.dlc = 8;
	memcpy(f.data, data, 8);
	const struct dbc_message *m = dbc_lookup(db, &f, NULL);
	assert_non_null(m);
	struct dbc_value v[16];
	uint32_t n = dbc_decode(m, &f, v);
	for (uint32_t i = 0; i < n; i++) {
		struct evgw_str s = dbc_str(db, v[i].sig->name);
		if (s.len != strlen(name) || memcmp(s.ptr, name, s.len))
			continue;
		struct evgw_textbuf tb;
		evgw_textbuf_init(&tb);
		dbc_json_value(&tb, &v[i]);
		assert_false(tb.failed);
		assert_string_equal(tb.buf, want);
		/* The double-only path agrees wherever it has fixed digits. */
		int d = dbc_signal_decimals(v[i].sig);
		if (d >= 0 && isfinite(v[i].phys) && fabs(v[i].phys) < 1e9) {
			evgw_textbuf_reset(&tb);
			evgw_textbuf_value(&tb, v[i].phys, d, dbc_signal_min_decimals(v[i].sig));
			assert_string_equal(tb.buf, want);
		}
		evgw_textbuf_free(&tb);
		return;
	}
	fail_msg("signal %s not decoded", name);
}

static void test_decimals_at_load(void **state)
{
	(void)state;
	struct dbc_db *db = load();
	const struct dbc_message *m = msg_named(db, "Scales");
	assert_int_equal(dbc_signal_decimals(sig_named(db, m, "Tenth")), 1);
	assert_int_equal(dbc_signal_decimals(sig_named(db, m, "Twentieth")), 2);
	assert_int_equal(dbc_signal_decimals(sig_named(db, m, "Whole")), 0);
	assert_int_equal(dbc_signal_decimals(sig_named(db, m, "Temp")), 1);
	assert_int_equal(dbc_signal_decimals(sig_named(db, m, "Third")), -1);
	assert_int_equal(dbc_signal_decimals(sig_named(db, m, "Tiny")), 7);
	assert_int_equal(dbc_signal_min_decimals(sig_named(db, m, "Tiny")), 4);
	assert_int_equal(dbc_signal_min_decimals(sig_named(db, m, "Tenth")), 1);
	m = msg_named(db, "J1939Speed");
	assert_int_equal(dbc_signal_decimals(sig_named(db, m, "Speed")), 8);
	assert_int_equal(dbc_signal_min_decimals(sig_named(db, m, "Speed")), 3);
	m = msg_named(db, "Huge");
	assert_int_equal(dbc_signal_decimals(sig_named(db, m, "S64Big")), 1);
	m = msg_named(db, "Floats");
	assert_int_equal(dbc_signal_decimals(sig_named(db, m, "F32")), -1);
	assert_int_equal(dbc_signal_decimals(sig_named(db, m, "F32Tenth")), -1);
	dbc_free(db);
}

static void test_values(void **state)
{
	(void)state;
	struct dbc_db *db = load();
	/* Tenth = 0x0350 = 848; Twentieth = 3; Whole = 200; Temp = 10;
	 * Signed = 0xF6 = -10; Third = 1; Tiny = 100. */
	const uint8_t a[8] = {0x50, 0x03, 3, 200, 10, 0xF6, 1, 100};
	check_sig(db, 256, a, "Tenth", "84.8");
	check_sig(db, 256, a, "Twentieth", "0.15");
	check_sig(db, 256, a, "Whole", "200");
	check_sig(db, 256, a, "Temp", "-35.0");   /* 10 * 0.5 - 40 */
	check_sig(db, 256, a, "Signed", "-1.0");
	check_sig(db, 256, a, "Third", "0.3333333333333333"); /* round trip */
	check_sig(db, 256, a, "Tiny", "0.01234"); /* 0.0123400, zeros past 4 dropped */
	/* Tenth = 850, Twentieth = 2, Temp = 0, Signed = 0, Tiny = 0. */
	const uint8_t b[8] = {0x52, 0x03, 2, 0, 0, 0, 0, 0};
	check_sig(db, 256, b, "Tenth", "85.0");
	check_sig(db, 256, b, "Twentieth", "0.10");
	check_sig(db, 256, b, "Temp", "-40.0");
	check_sig(db, 256, b, "Signed", "0.0");
	check_sig(db, 256, b, "Tiny", "0.0000");
	dbc_free(db);
}

/* J1939's 1/256 km/h: exact, but without eight zeros on round values.
 * 30 km/h = 7680 = 0x1E00; 7681 = 30 + 1/256 = 30.00390625; 7808 =
 * 30.5 (0x1E80). Bytes 1-2, Intel. */
static void test_binary_fraction(void **state)
{
	(void)state;
	struct dbc_db *db = load();
	const uint8_t a[8] = {0xFF, 0x00, 0x1E, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
	const uint8_t b[8] = {0xFF, 0x01, 0x1E, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
	const uint8_t c[8] = {0xFF, 0x80, 0x1E, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
	check_sig(db, 261, a, "Speed", "30.000");
	check_sig(db, 261, b, "Speed", "30.00390625");
	check_sig(db, 261, c, "Speed", "30.500");
	dbc_free(db);
}

static void test_wide_and_fallbacks(void **state)
{
	(void)state;
	struct dbc_db *db = load();
	const uint8_t ones[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
	/* Factor 1: the exact 64-bit raw value. */
	check_sig(db, 257, ones, "U64", "18446744073709551615");
	/* Factor 0.5 on 2^64 - 1: past int64, so the double 2^63 in the
	 * round-trip form (the exact 9223372036854775807.5 has no double). */
	check_sig(db, 258, ones, "U64Half", "9.223372036854776e+18");
	/* Factor 100000, offset 0.5: decimals 1, integers 1000000 and 5.
	 * raw -1: -1000000 + 5 = -999995 tenths. */
	check_sig(db, 259, ones, "S64Big", "-99999.5");
	/* raw 0x4000000000000000 = 2^62: 2^62 * 1000000 overflows int64, so
	 * the double 2^62 * 1e5 + 0.5 in the round-trip form (16 digits). */
	const uint8_t big[8] = {0, 0, 0, 0, 0, 0, 0, 0x40};
	check_sig(db, 259, big, "S64Big", "4.611686018427388e+23");
	dbc_free(db);
}

static void test_floats(void **state)
{
	(void)state;
	struct dbc_db *db = load();
	/* F32 = 1.5f = 0x3FC00000; F32Tenth = 0x7FC00000, a quiet NaN. */
	const uint8_t a[8] = {0x00, 0x00, 0xC0, 0x3F, 0x00, 0x00, 0xC0, 0x7F};
	check_sig(db, 260, a, "F32", "1.5");
	check_sig(db, 260, a, "F32Tenth", "\"nan\"");
	/* F32Tenth = 1.0f (0x3F800000) * 0.1: the double 0.1, no grid. */
	const uint8_t b[8] = {0x00, 0x00, 0xC0, 0x3F, 0x00, 0x00, 0x80, 0x3F};
	check_sig(db, 260, b, "F32Tenth", "0.1");
	dbc_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decimals_of_scales),
		cmocka_unit_test(test_min_decimals),
		cmocka_unit_test(test_decimals_at_load),
		cmocka_unit_test(test_binary_fraction),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_wide_and_fallbacks),
		cmocka_unit_test(test_floats),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
