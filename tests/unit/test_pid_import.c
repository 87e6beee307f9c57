// SPDX-License-Identifier: MIT
/* evgw profile import's reader (gateway/vehicle/pid_import.c): the three
 * hand-written lists of tests/data/import/ (WiCAN, ABRP, Torque), each
 * entry's value on bytes worked out by hand, errors with file:line:col,
 * and the written profile read back by the profile reader. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/ini.h"
#include "vehicle/pid_import.h"
#include "vehicle/profile.h"

#define DIR EVGW_TEST_DATA "/import/"

static struct evgw_import im;

static void load(const char *file, enum evgw_import_format fmt)
{
	char *text, err[512] = "";
	size_t len;
	assert_int_equal(evgw_ini_read_file(file, EVGW_IMPORT_MAX_BYTES, &text, &len, err, sizeof err), 0);
	int r = evgw_import_parse(text, len, file, fmt, &im, err, sizeof err);
	free(text);
	if (r)
		fail_msg("%s: %d %s", file, r, err);
}

static const struct evgw_import_did *did(const char *name)
{
	for (unsigned i = 0; i < im.n_dids; i++)
		if (!strcmp(im.dids[i].name, name))
			return &im.dids[i];
	fail_msg("no DID %s", name);
	return NULL;
}

static double value(const char *name, const uint8_t *b, size_t n)
{
	double v = 0;
	assert_int_equal(evgw_expr_eval(&did(name)->expr, b, n, &v), 0);
	return v;
}

static void expect_error(const char *text, enum evgw_import_format fmt, const char *want)
{
	char err[512] = "";
	assert_int_equal(evgw_import_parse(text, strlen(text), "x", fmt, &im, err, sizeof err), -EINVAL);
	if (!strstr(err, want))
		fail_msg("error \"%s\" does not contain \"%s\"", err, want);
	assert_int_equal(im.n_dids, 0);
}

/* The written profile loads and decodes as the import does. */
static struct evgw_profile *roundtrip(const char *source)
{
	char *buf = NULL, err[512] = "";
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(evgw_import_write(&im, source, f), 0);
	fclose(f);
	struct evgw_profile *p = NULL;
	int r = evgw_profile_load_buffer(buf, len, "out.ini", &p, err, sizeof err);
	if (r)
		fail_msg("%s\n%s", err, buf);
	free(buf);
	assert_int_equal(p->n_dids, im.n_dids);
	for (unsigned i = 0; i < p->n_dids; i++) {
		assert_string_equal(p->dids[i].confidence, "assumed");
		assert_string_equal(p->dids[i].source, source);
		assert_int_equal(p->dids[i].did, im.dids[i].did);
		assert_int_equal(p->ecus[p->dids[i].ecu].request, im.dids[i].request);
		assert_int_equal(p->ecus[p->dids[i].ecu].response, im.dids[i].response);
	}
	return p;
}

static void test_wican(void **state)
{
	(void)state;
	load(DIR "byd_bms_wican.json", EVGW_IMPORT_GUESS);
	assert_int_equal(im.format, EVGW_IMPORT_WICAN);
	assert_string_equal(im.vehicle, "byd_atto_3_evgw_test");
	assert_int_equal(im.n_dids, 6);
	const struct evgw_import_did *d = did("soc_precise");
	assert_int_equal(d->did, 0x1FFC);
	assert_int_equal(d->request, 0x7E7);
	assert_int_equal(d->response, 0x7EF); /* ATCRA7EF */
	assert_string_equal(d->unit, "%");
	/* After the DID: 7654 = 0x1DE6 LE, 14130 = 0x3732 LE */
	const uint8_t b[] = {0xE6, 0x1D, 0x32, 0x37};
	assert_float_equal(value("soc_precise", b, 4), 76.54, 1e-9);
	assert_float_equal(value("capacity", b, 4), 141.30, 1e-9);
	/* "2200051": the ELM327 response count 1 is not part of the DID */
	assert_int_equal(did("soc")->did, 0x0005);
	assert_float_equal(value("soc", b, 1), 0xE6, 0);
	/* 15000 = 0x3A98 LE after a 2-byte SOC */
	const uint8_t n[] = {0x10, 0x27, 0x98, 0x3A};
	assert_float_equal(value("capacity_new", n, 4), 150.0, 1e-9);
	/* 403 V = 0x0193; 5123 = 0x1403 -> 512.3 - 500 = 12.3 A */
	const uint8_t v[] = {0x93, 0x01}, a[] = {0x03, 0x14};
	assert_float_equal(value("pack_voltage", v, 2), 403, 0);
	assert_float_equal(value("pack_current", a, 2), 12.3, 1e-9);
	evgw_profile_free(roundtrip("byd_bms_wican.json"));
}

static void test_abrp(void **state)
{
	(void)state;
	load(DIR "byd_bms_abrp.json", EVGW_IMPORT_GUESS);
	assert_int_equal(im.format, EVGW_IMPORT_ABRP);
	assert_int_equal(im.n_dids, 6);
	assert_int_equal(did("soc")->did, 0x1FFC);
	assert_int_equal(did("soc")->response, 0x7EF); /* 7E7 + 8 */
	const uint8_t b[] = {0xE6, 0x1D, 0x32, 0x37};
	assert_float_equal(value("soc", b, 2), 76.54, 1e-9);
	const uint8_t t[] = {65}; /* 65 - 40 */
	assert_float_equal(value("batt_temp", t, 1), 25, 0);
	assert_string_equal(did("batt_temp")->unit, "\xC2\xB0" "C");
	const uint8_t c[] = {0x38, 0x01}; /* 312 */
	assert_float_equal(value("charge_count", c, 2), 312, 0);
	const uint8_t k[] = {0xE6, 0x4B}; /* 19430 */
	assert_float_equal(value("kwh_charged", k, 2), 19430, 0);
	assert_float_equal(value("kwh_discharged", k, 2), 19430, 0);
	/* int16(B:A): 0xFF38 = -200 -> -20 - 500; 0x1403 = 5123 -> 12.3 */
	const uint8_t neg[] = {0x38, 0xFF}, pos[] = {0x03, 0x14};
	assert_float_equal(value("current", neg, 2), -520, 1e-9);
	assert_float_equal(value("current", pos, 2), 12.3, 1e-9);
	evgw_profile_free(roundtrip("byd_bms_abrp.json"));
}

static void test_torque(void **state)
{
	(void)state;
	load(DIR "byd_bms_torque.csv", EVGW_IMPORT_GUESS);
	assert_int_equal(im.format, EVGW_IMPORT_TORQUE);
	assert_int_equal(im.n_dids, 6);
	assert_int_equal(did("cell_t_min")->did, 0x002F);
	assert_int_equal(did("cell_t_max")->did, 0x0031);
	const uint8_t t[] = {62};
	assert_float_equal(value("cell_t_min", t, 1), 22, 0);
	/* the quoted Name with a comma; ShortName wins */
	const uint8_t f[] = {27, 0};
	assert_float_equal(value("full_power", f, 2), 27, 0);
	assert_string_equal(did("full_power")->unit, "");
	const uint8_t ah[] = {0x52, 0xBC}; /* 48210 */
	assert_float_equal(value("ah_in", ah, 2), 48210, 0);
	/* SIGNED(B)*256+A: 0xBC = -68 -> -68*256 + 0x52 = -17326 */
	assert_float_equal(value("ah_out", ah, 2), -17326, 0);
	const uint8_t odd[] = {0x38}, even[] = {0x39};
	assert_float_equal(value("charge_odd", odd, 1), 0, 0);
	assert_float_equal(value("charge_odd", even, 1), 1, 0);
	evgw_profile_free(roundtrip("byd_bms_torque.csv"));
}

static void test_errors(void **state)
{
	(void)state;
	/* line 2: the equation starts at column 12; its 2nd byte is the error */
	expect_error("Name,ShortName,ModeAndPID,Equation,Units,Header\nX,x,221234,A^2,,7E0\n", EVGW_IMPORT_GUESS,
		     "x:2:13: x: '^' is a power");
	expect_error("Name,ModeAndPID,Equation,Header\nSpeed,010D,A,7E0\n", EVGW_IMPORT_TORQUE,
		     "x:2:7: '010D' is not a UDS ReadDataByIdentifier");
	expect_error("Name,ModeAndPID,Equation,Header\nSpeed,221234,A,\n", EVGW_IMPORT_TORQUE, "x:2:1: no Header");
	expect_error("Name,Equation\nS,A\n", EVGW_IMPORT_TORQUE, "x:1:1: the first line must name the columns");
	expect_error("a,b\n\"x,1\n", EVGW_IMPORT_TORQUE, "the first line must name");
	expect_error("{\"soc\": {\"equation\": \"A == 1\", \"command\": \"221FFC\", \"ecu\": \"7E7\"}}",
		     EVGW_IMPORT_GUESS, "x:1:25: soc: comparisons");
	expect_error("{\"soc\": {\"equation\": \"A\", \"command\": \"221FFC\", \"ecu\": \"XYZ\"}}", EVGW_IMPORT_ABRP,
		     "x:1:56: 'XYZ' is not a CAN id");
	expect_error("{\"soc\": {\"equation\": \"A\"}}", EVGW_IMPORT_ABRP, "needs \"equation\", \"command\" and \"ecu\"");
	expect_error("{\"init\": \"ATSH7E7;\", \"pids\": [{\"pid\": \"221FFC\", \"parameters\": "
		     "[{\"name\": \"S\", \"expression\": \"B2\"}]}]}",
		     EVGW_IMPORT_GUESS, "x:1:93: S: B2 is in the response's header");
	expect_error("{\"pids\": [{\"pid\": \"221FFC\", \"parameters\": []}]}", EVGW_IMPORT_WICAN,
		     "x:1:20: pids[0]: no request id");
	expect_error("{\"pids\": 1", EVGW_IMPORT_GUESS, "not JSON");
	expect_error("{\"pids\": []} x", EVGW_IMPORT_GUESS, "x:1:14: text after the JSON value");
	expect_error("[1]", EVGW_IMPORT_GUESS, "not an object of named PIDs");
	expect_error("{}", EVGW_IMPORT_GUESS, "no DIDs");
	expect_error("[1]", EVGW_IMPORT_TORQUE, "JSON, not a Torque CSV");
	/* nesting past json-c's bound is refused, not followed */
	char deep[200];
	memset(deep, '[', sizeof deep - 1);
	deep[sizeof deep - 1] = '\0';
	expect_error(deep, EVGW_IMPORT_GUESS, "not JSON");
}

static void test_names_unique_and_units_safe(void **state)
{
	(void)state;
	const char *csv = "Name,ModeAndPID,Equation,Units,Header\n"
			  "Pack Temp!,220032,A-40,deg;C,7E7\nPack Temp!,220031,A-40,,18DA44F1\n";
	char err[256];
	assert_int_equal(evgw_import_parse(csv, strlen(csv), "t.csv", EVGW_IMPORT_GUESS, &im, err, sizeof err), 0);
	assert_string_equal(im.dids[0].name, "pack_temp");
	assert_string_equal(im.dids[1].name, "pack_temp_2");
	assert_string_equal(im.dids[0].unit, "deg,C"); /* ';' would start a comment */
	assert_int_equal(im.dids[1].request, 0x18DA44F1);
	assert_int_equal(im.dids[1].response, 0x18DAF144); /* target and source swapped */
	struct evgw_profile *p = roundtrip("t.csv");
	assert_true(p->ecus[1].extended);
	evgw_profile_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wican),  cmocka_unit_test(test_abrp),
		cmocka_unit_test(test_torque), cmocka_unit_test(test_errors),
		cmocka_unit_test(test_names_unique_and_units_safe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
