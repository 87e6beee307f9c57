// SPDX-License-Identifier: MIT
/* DTC texts (gateway/vehicle/dtc_text.c): the shipped tables, the decoded
 * fall-backs (never a blank), table errors with file:line. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "vehicle/dtc_text.h"

#define DTC_DIR EVGW_TEST_DATA "/../../dbc/dtc"

static struct evgw_dtc_text *shipped(void)
{
	struct evgw_dtc_text *t = NULL;
	char err[256] = "";
	if (evgw_dtc_text_load(DTC_DIR, &t, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(evgw_dtc_text_add_codes(t, DTC_DIR "/byd_dtc.tsv", err, sizeof err), 0);
	return t;
}

static void test_j1939(void **state)
{
	(void)state;
	struct evgw_dtc_text *t = shipped();
	char out[200];
	evgw_dtc_describe_j1939(t, 190, 2, out, sizeof out);
	assert_string_equal(out, "Engine speed (traction motor speed on an electric bus): data erratic, intermittent or incorrect");
	evgw_dtc_describe_j1939(t, 520200, 14, out, sizeof out);
	assert_string_equal(out, "Manufacturer-specific: BMS insulation monitoring (evgw simulator example): special instructions");
	/* Unknown SPNs: the number, and the manufacturer range said as such. */
	evgw_dtc_describe_j1939(t, 524000, 31, out, sizeof out);
	assert_string_equal(out, "SPN 524000 (manufacturer-specific): condition exists");
	evgw_dtc_describe_j1939(t, 1234, 22, out, sizeof out);
	assert_string_equal(out, "SPN 1234: reserved");
	/* No tables at all: still the code. */
	evgw_dtc_describe_j1939(NULL, 84, 9, out, sizeof out);
	assert_string_equal(out, "SPN 84: FMI 9");
	evgw_dtc_text_free(t);
}

static void test_obd_and_uds(void **state)
{
	(void)state;
	struct evgw_dtc_text *t = shipped();
	char out[300];
	/* 0x0301: P, first digit 0, 301 -> generic powertrain, ignition/misfire group. */
	evgw_dtc_describe_obd(t, 0x0301, out, sizeof out);
	assert_string_equal(out, "P0301: powertrain, generic (SAE-defined), ignition system or misfire; no text known");
	/* 0xC100: bits 15-14 = 11 -> U, 13-12 = 00 -> 0: U0100. */
	evgw_dtc_describe_obd(t, 0xC100, out, sizeof out);
	assert_string_equal(out, "U0100: network and vehicle integration, generic (SAE-defined); no text known");
	/* UDS 0x1A0100: P1A01, failure type 00. */
	evgw_dtc_describe_uds(t, 0x1A0100, out, sizeof out);
	assert_string_equal(out, "P1A01-00: powertrain, manufacturer-specific, failure type 0x00; no text known");
	evgw_dtc_describe_obd(NULL, 0x4123, out, sizeof out);
	assert_string_equal(out, "C0123: chassis; no text known");
	/* A vehicle table wins, with or without the failure type. */
	static const char codes[] = "# shop table\nP1A0100\tBMS example text\tbench\nU0100\tlost communication (shop)\n";
	char err[128];
	assert_int_equal(evgw_dtc_text_add_buffer(t, "codes", codes, sizeof codes - 1, "shop.tsv", err, sizeof err), 0);
	evgw_dtc_describe_uds(t, 0x1A0100, out, sizeof out);
	assert_string_equal(out, "P1A01-00: BMS example text");
	evgw_dtc_describe_uds(t, 0xC10087, out, sizeof out);
	assert_string_equal(out, "U0100-87: lost communication (shop) (failure type 0x87)");
	evgw_dtc_describe_obd(t, 0xC100, out, sizeof out);
	assert_string_equal(out, "U0100: lost communication (shop)");
	evgw_dtc_text_free(t);
}

static void test_status(void **state)
{
	(void)state;
	struct evgw_dtc_text *t = shipped();
	char out[300];
	evgw_dtc_describe_status(t, 0x09, out, sizeof out);
	assert_string_equal(out, "testFailed, confirmedDTC");
	evgw_dtc_describe_status(t, 0x00, out, sizeof out);
	assert_string_equal(out, "no status bit set");
	evgw_dtc_describe_status(NULL, 0x84, out, sizeof out);
	assert_string_equal(out, "pendingDTC, warningIndicatorRequested");
	/* A small buffer is cut, never left unterminated. */
	char small[8];
	evgw_dtc_describe_status(t, 0xFF, small, sizeof small);
	assert_int_equal(strlen(small), 7);
	evgw_dtc_text_free(t);
}

static void test_table_errors(void **state)
{
	(void)state;
	struct evgw_dtc_text *t = evgw_dtc_text_new();
	char err[128];
	static const char a[] = "# c\n0\tok\n32\ttoo big\n";
	assert_int_equal(evgw_dtc_text_add_buffer(t, "fmi", a, sizeof a - 1, "f.tsv", err, sizeof err), -EINVAL);
	assert_string_equal(err, "f.tsv:3: key must be a number from 0 to 31");
	static const char b[] = "P0100 no tab\n";
	assert_int_equal(evgw_dtc_text_add_buffer(t, "codes", b, sizeof b - 1, "c.tsv", err, sizeof err), -EINVAL);
	assert_string_equal(err, "c.tsv:1: expected KEY<TAB>TEXT");
	static const char c[] = "\n\nP0100\t\n";
	assert_int_equal(evgw_dtc_text_add_buffer(t, "codes", c, sizeof c - 1, "c.tsv", err, sizeof err), -EINVAL);
	assert_string_equal(err, "c.tsv:3: empty text");
	assert_int_equal(evgw_dtc_text_add_buffer(t, "colours", c, 0, "x", err, sizeof err), -EINVAL);
	struct evgw_dtc_text *u = NULL;
	assert_int_equal(evgw_dtc_text_load("/nonexistent", &u, err, sizeof err), -ENOENT);
	assert_null(u);
	evgw_dtc_text_free(t);
}

/* Every one of the 32 FMIs has a text in the shipped table. */
static void test_all_fmis(void **state)
{
	(void)state;
	struct evgw_dtc_text *t = shipped();
	for (unsigned fmi = 0; fmi < 32; fmi++) {
		char out[200];
		evgw_dtc_describe_j1939(t, 84, fmi, out, sizeof out);
		assert_null(strstr(out, ": FMI "));
	}
	evgw_dtc_text_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_j1939),
		cmocka_unit_test(test_obd_and_uds),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_table_errors),
		cmocka_unit_test(test_all_fmis),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
