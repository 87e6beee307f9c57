// SPDX-License-Identifier: MIT
/* Vehicle profiles (gateway/vehicle/profile.c): the shipped files, every
 * kind of error with its file:line, and DID decoding with hand-worked
 * values. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "vehicle/profile.h"

#define PROFILES EVGW_TEST_DATA "/../../dbc/profiles"

static struct evgw_profile *load_ok(const char *text)
{
	struct evgw_profile *p = NULL;
	char err[256] = "";
	int r = evgw_profile_load_buffer(text, strlen(text), "t.ini", &p, err, sizeof err);
	if (r)
		fail_msg("load failed (%d): %s", r, err);
	return p;
}

static void expect_error(const char *text, const char *want)
{
	struct evgw_profile *p = (struct evgw_profile *)1;
	char err[256] = "";
	assert_int_equal(evgw_profile_load_buffer(text, strlen(text), "t.ini", &p, err, sizeof err), -EINVAL);
	assert_null(p);
	if (!strstr(err, want))
		fail_msg("error \"%s\" does not contain \"%s\"", err, want);
}

static void test_shipped_byd(void **state)
{
	(void)state;
	struct evgw_profile *p = NULL;
	char err[256] = "";
	assert_int_equal(evgw_profile_load_file(PROFILES "/byd_atto3.ini", &p, err, sizeof err), 0);
	assert_string_equal(p->name, "byd-atto3");
	assert_string_equal(p->status, "public");
	assert_int_equal(p->n_buses, 1);
	assert_int_equal(p->buses[0].bitrate, 500000);
	assert_string_equal(p->buses[0].dbc[0], "byd_atto3.dbc");
	assert_int_equal(p->buses[0].n_protocols, 3);
	const struct evgw_profile_ecu *bms = evgw_profile_ecu(p, "bms");
	assert_non_null(bms);
	assert_int_equal(bms->protocol, EVGW_PROFILE_UDS);
	assert_int_equal(bms->fallback, EVGW_PROFILE_KWP);
	assert_int_equal(bms->request, 0x7E7);
	assert_int_equal(bms->response, 0x7EF);
	assert_false(bms->extended);
	assert_int_equal(bms->bus, 0);
	assert_true(bms->n_freeze >= 2);
	assert_string_equal(bms->freeze[0], "ESC_SPEED.VEHICLE_SPEED");
	const struct evgw_profile_did *cur = evgw_profile_did(p, "pack_current");
	assert_non_null(cur);
	assert_int_equal(cur->did, 0x0009);
	assert_int_equal(cur->ecu, (int)(bms - p->ecus));
	/* OVMS: (LE16 - 5000) / 10 A. Raw 0x1450 = 5200 -> +20.0 A;
	 * 0x1194 = 4500 -> -50.0 A. */
	double v;
	const uint8_t a[] = {0x50, 0x14};
	assert_int_equal(evgw_profile_did_decode(cur, a, sizeof a, &v), 0);
	assert_float_equal(v, 20.0, 1e-9);
	const uint8_t b[] = {0x94, 0x11};
	assert_int_equal(evgw_profile_did_decode(cur, b, sizeof b, &v), 0);
	assert_float_equal(v, -50.0, 1e-9);
	assert_int_equal(evgw_profile_did_decode(cur, a, 1, &v), -ENODATA);
	/* Cell temperature: byte - 40; 0x41 = 65 -> 25 degC. */
	const uint8_t t[] = {0x41};
	assert_int_equal(evgw_profile_did_decode(evgw_profile_did(p, "cell_temp_max"), t, 1, &v), 0);
	assert_float_equal(v, 25.0, 1e-9);
	/* WiCAN 221FFC: SOC = (B5*256+B4)/100, capacity = (B7*256+B6)/100:
	 * data 1A 1F 30 75 -> SOC 0x1F1A = 7962 -> 79.62 %, capacity 0x7530 =
	 * 30000 -> 300.00. */
	const uint8_t s[] = {0x1A, 0x1F, 0x30, 0x75};
	assert_int_equal(evgw_profile_did_decode(evgw_profile_did(p, "soc_precise"), s, 4, &v), 0);
	assert_float_equal(v, 79.62, 1e-9);
	assert_int_equal(evgw_profile_did_decode(evgw_profile_did(p, "capacity"), s, 4, &v), 0);
	assert_float_equal(v, 300.0, 1e-9);
	/* 0x1FFE, the capacity when new, the same layout (WiCAN HV_CAPACITY
	 * (B7*256+B6)/100; Battery-Emulator writes 98 3A for "150.00 Ah"). */
	const uint8_t o[] = {0x10, 0x27, 0x98, 0x3A};
	assert_int_equal(evgw_profile_did_decode(evgw_profile_did(p, "capacity_original"), o, 4, &v), 0);
	assert_float_equal(v, 150.0, 1e-9);
	/* 0x0011 lifetime charged kWh, B4 + B5*256 (loryanstrant): D2 04 = 1234. */
	const uint8_t k[] = {0xD2, 0x04};
	assert_int_equal(evgw_profile_did_decode(evgw_profile_did(p, "charged_kwh_total"), k, 2, &v), 0);
	assert_float_equal(v, 1234.0, 1e-9);
	assert_string_equal(cur->confidence, "public");
	assert_string_equal(cur->source, "ovms3-atto3 wican-byd-202410");
	assert_int_equal(p->n_dtc_tables, 1);
	evgw_profile_free(p);
}

static void test_shipped_all(void **state)
{
	(void)state;
	static const char *const files[] = {"byd_atto3.ini",   "byd_sealion7.ini",       "byd_han.ini",
					    "yutong_ebus.ini", "ebus_golden_dragon.ini", "ebus_pride_power.ini"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[512], err[256] = "";
		struct evgw_profile *p = NULL;
		snprintf(path, sizeof path, "%s/%s", PROFILES, files[i]);
		if (evgw_profile_load_file(path, &p, err, sizeof err))
			fail_msg("%s: %s", files[i], err);
		evgw_profile_free(p);
	}
	struct evgw_profile *p = NULL;
	char err[256];
	assert_int_equal(evgw_profile_load_file(PROFILES "/yutong_ebus.ini", &p, err, sizeof err), 0);
	assert_int_equal(p->n_buses, 2);
	assert_int_equal(p->buses[1].bitrate, 250000);
	const struct evgw_profile_ecu *bms = evgw_profile_ecu(p, "bms");
	assert_int_equal(bms->protocol, EVGW_PROFILE_J1939);
	assert_int_equal(bms->address, 0xF3);
	assert_true(bms->dm1);
	assert_int_equal(bms->spn_cm1, 4);
	assert_int_equal(evgw_profile_ecu(p, "charger")->address, 0x56);
	assert_int_equal(evgw_profile_ecu(p, "charger")->bus, 1);
	evgw_profile_free(p);
	assert_int_equal(evgw_profile_load_file(PROFILES "/byd_sealion7.ini", &p, err, sizeof err), 0);
	assert_string_equal(p->buses[0].dbc[0], "byd_sealion7.dbc");
	assert_string_equal(p->buses[0].dbc[1], "byd_atto3.dbc");
	/* WiCAN lists only 0005 1FFC 1FFE 0008 0009 for the Sealion 7. */
	assert_string_equal(evgw_profile_did(p, "capacity_original")->confidence, "public");
	assert_string_equal(evgw_profile_did(p, "charge_count")->confidence, "assumed");
	evgw_profile_free(p);
	/* The Han loads its own file only (its ids mean other things). */
	assert_int_equal(evgw_profile_load_file(PROFILES "/byd_han.ini", &p, err, sizeof err), 0);
	assert_int_equal(p->buses[0].n_dbc, 1);
	assert_string_equal(p->buses[0].dbc[0], "byd_han.dbc");
	evgw_profile_free(p);
	/* The e-bus BMS layouts, one profile each, with the standard groups first. */
	assert_int_equal(evgw_profile_load_file(PROFILES "/ebus_golden_dragon.ini", &p, err, sizeof err), 0);
	assert_string_equal(p->buses[0].dbc[0], "yutong_ebus.dbc");
	assert_string_equal(p->buses[0].dbc[1], "ebus_bms_golden_dragon.dbc");
	assert_int_equal(evgw_profile_ecu(p, "imd")->address, 0x49);
	evgw_profile_free(p);
	assert_int_equal(evgw_profile_load_file(PROFILES "/ebus_pride_power.ini", &p, err, sizeof err), 0);
	assert_string_equal(p->buses[0].dbc[1], "ebus_bms_pride_power.dbc");
	assert_null(evgw_profile_ecu(p, "imd"));
	evgw_profile_free(p);
}

static void test_minimal_and_defaults(void **state)
{
	(void)state;
	struct evgw_profile *p = load_ok("; a comment\n"
					 "[vehicle]\nname = t\n"
					 "[bus can]\nbitrate = 1M\ndbc = a.dbc, b.dbc\n"
					 "  [ecu x]\n  protocol = uds\n  request = 0x18DA10F1\n  response = 0x18DAF110\n"
					 "  spn_cm1 = v2\n"
					 "[did big]\necu = x\ndid = 0xF190\nlength = 3\norder = big\nsigned = yes\n"
					 "scale = 0.5\n");
	assert_int_equal(p->buses[0].bitrate, 1000000);
	assert_int_equal(p->buses[0].n_dbc, 2);
	assert_string_equal(p->buses[0].dbc[1], "b.dbc");
	const struct evgw_profile_ecu *x = evgw_profile_ecu(p, "x");
	assert_true(x->extended);
	assert_int_equal(x->request, 0x18DA10F1);
	assert_int_equal(x->bus, 0); /* the only bus */
	assert_int_equal(x->spn_cm1, 2);
	assert_int_equal(x->address, -1);
	/* Big-endian signed 24 bits: FF FF FE = -2 -> * 0.5 = -1. */
	const struct evgw_profile_did *d = evgw_profile_did(p, "big");
	const uint8_t data[] = {0xFF, 0xFF, 0xFE};
	double v;
	assert_int_equal(evgw_profile_did_decode(d, data, 3, &v), 0);
	assert_float_equal(v, -1.0, 1e-9);
	/* Unsigned, the same bytes: 0xFFFFFE = 16777214 -> 8388607. */
	struct evgw_profile_did u = *d;
	u.is_signed = false;
	assert_int_equal(evgw_profile_did_decode(&u, data, 3, &v), 0);
	assert_float_equal(v, 8388607.0, 1e-9);
	evgw_profile_free(p);
}

static void test_errors_with_lines(void **state)
{
	(void)state;
	expect_error("[vehicle]\nname = t\ncolour = red\n", "t.ini:3: unknown key 'colour' in [vehicle]");
	expect_error("[vehicle]\nname = t\n[wheel x]\n", "t.ini:3: unknown section '[wheel x]' (allowed: [vehicle], [bus NAME], [ecu NAME], "
		     "[did NAME], [freeze_frame])");
	expect_error("name = t\n", "t.ini:1: key 'name' comes before any [section]");
	expect_error("[vehicle]\nname = bad name\n", "t.ini:2: name:");
	expect_error("[vehicle]\n", "t.ini:1: [vehicle] name is required");
	expect_error("[vehicle]\nname = t\n[bus a]\nbitrate = 5\n", "t.ini:4: bitrate: 5 out of range (1000..8000000)");
	expect_error("[vehicle]\nname = t\n[bus a]\n[bus a]\n", "t.ini:4: duplicate section [bus a] (first at line 3)");
	expect_error("[vehicle]\nname = t\n[bus]\n", "t.ini:3: [bus] needs a name: [bus NAME]");
	expect_error("[vehicle]\nname = t\n[bus a]\n[ecu e]\nprotocol = can\n",
		     "t.ini:5: protocol: 'can' is not uds, kwp, obd or j1939");
	expect_error("[vehicle]\nname = t\n[bus a]\n\n[ecu e]\nprotocol = uds\nrequest = 0x7E0\n",
		     "t.ini:5: ecu e: response is required");
	expect_error("[vehicle]\nname = t\n[bus a]\n[ecu e]\nprotocol = j1939\n",
		     "t.ini:4: ecu e: a J1939 ECU needs its address");
	expect_error("[vehicle]\nname = t\n[bus a]\n[bus b]\n[ecu e]\nprotocol = obd\nrequest = 0x7DF\n",
		     "t.ini:5: ecu e: which bus?");
	expect_error("[vehicle]\nname = t\n[bus a]\n[ecu e]\nbus = z\nprotocol = obd\nrequest = 0x7DF\n",
		     "t.ini:4: ecu e: no [bus z]");
	expect_error("[vehicle]\nname = t\n[ecu e]\nprotocol = j1939\naddress = 0xFE\n",
		     "t.ini:5: address: 0xFE out of range (0..253)");
	expect_error("[vehicle]\nname = t\n[bus a]\n[ecu e]\nprotocol = obd\nrequest = 0x7DF\n[did d]\necu = e\n"
		     "did = 5\n",
		     "t.ini:7: did d: ecu e does not speak UDS or KWP");
	expect_error("[vehicle]\nname = t\n[bus a]\n[ecu e]\nprotocol = uds\nrequest = 1\nresponse = 2\n[did d]\n"
		     "ecu = e\n",
		     "t.ini:8: did d: did = the identifier");
	expect_error("[vehicle]\nname = t\n[did d]\nlength = 9\n", "t.ini:4: length: 9 out of range (1..8)");
	expect_error("[vehicle]\nname = t\n[did d]\nlength = 0\n", "t.ini:4: length: 0 out of range (1..8)");
	expect_error("[vehicle]\nname = t\n[did d]\nscale = fast\n", "t.ini:4: scale: 'fast' is not a number");
	expect_error("[vehicle]\nname = t\n[did d]\nscale = 0x10\n", "t.ini:4: scale: '0x10' is not a number");
	expect_error("[vehicle]\nname = t\n[did d]\noffset = 1e999\n", "t.ini:4: offset: 1e999 out of range");
	expect_error("[vehicle]\nname = t\n[did d]\norder = middle\n", "t.ini:4: order: 'middle' is not little or big");
	expect_error("[vehicle]\nname = t\n[ecu e]\nspn_cm1 = v5\n", "t.ini:4: spn_cm1: 'v5' is not v1, v2, v3 or v4");
	expect_error("[vehicle]\nname = t\n[ecu e]\nfallback = obd\n", "t.ini:4: fallback: only kwp");
	expect_error("[vehicle]\nname = t\nmodels\n", "t.ini:3: expected 'key = value', '[section]' or a comment");
	expect_error("[vehicle] x\n", "t.ini:1:11: unexpected text after ']'");
	expect_error("[vehicle x]\n", "t.ini:1: [vehicle] takes no name");
	expect_error("[vehicle\n", "t.ini:1:1: missing ']' in section header");
	expect_error("[vehicle]\nname = t\nstatus = sure\n", "t.ini:3: status: 'sure' is not confirmed, public or assumed");
	expect_error("[vehicle]\nname = t\nname = u\n", "t.ini:3: duplicate key 'name' in [vehicle] (first at line 2)");
	expect_error("[vehicle]\nname = t\n[vehicle]\n", "t.ini:3: duplicate section [vehicle] (first at line 1)");
	expect_error("[vehicle]\nname = t\n[ecu e]\nfreeze_frame = A.B C.D\nfreeze_frame = C.D\n",
		     "t.ini:5: freeze_frame: 'C.D' listed twice");
	expect_error("[vehicle]\nname = t\n[freeze_frame]\nsignals = A B C D E F G H I J K L M N O P Q R S T U V W X "
		     "Y Z a b c d e f g\n",
		     "t.ini:4: signals: too many items (max 32)");
	char longline[2100];
	memset(longline, 'x', sizeof longline - 1);
	longline[sizeof longline - 1] = '\0';
	memcpy(longline, "[vehicle]\nname = t\ndescription = ", 33);
	expect_error(longline, "t.ini:3: line too long");
	const char nul[] = "[vehicle]\nname = t\nmake = B\0YD\n";
	struct evgw_profile *p = NULL;
	char err[256];
	assert_int_equal(evgw_profile_load_buffer(nul, sizeof nul - 1, "t.ini", &p, err, sizeof err), -EINVAL);
	assert_string_equal(err, "t.ini:3:9: NUL byte in line");
	assert_int_equal(evgw_profile_load_file("/nonexistent/p.ini", &p, err, sizeof err), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_byd),
		cmocka_unit_test(test_shipped_all),
		cmocka_unit_test(test_minimal_and_defaults),
		cmocka_unit_test(test_errors_with_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
