// SPDX-License-Identifier: MIT
/* The byd-atto3 vehicle's simulated diagnostic ECUs (gateway/sim/sim_diag),
 * questioned by the project's own clients (uds_isotp, obd_session) through
 * evgw_sim_vehicle_receive / evgw_sim_vehicle_poll on a fake clock. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "diag/dtc.h"
#include "diag/isotp.h"
#include "diag/obd.h"
#include "diag/obd_session.h"
#include "diag/uds.h"
#include "diag/uds_isotp.h"
#include "sim/sim_vehicle.h"
#include "test_support.h"

#define SRC_DBC_DIR EVGW_TEST_DATA "/../../dbc"
#define T0 INT64_C(5000000000)
#define MS INT64_C(1000)
#define SEC INT64_C(1000000)
#define VIN "LGXCE4CB0N0123456"

struct bench {
	struct evgw_sim_vehicle *v;
	int64_t now;
	struct uds_isotp bms, body;
	struct obd_session obd;
	/* the last UDS result */
	bool got;
	int rc;
	uint32_t pending;
	uint8_t data[512];
	size_t len;
	/* the last OBD exchange */
	bool obd_done;
	unsigned responders, obd_answers;
	uint32_t obd_rx_id;
	uint8_t obd_data[64];
	size_t obd_len;
	/* what the ECUs sent */
	unsigned diag_frames, bad_frames;
};

static int tester_send(void *ud, const struct evgw_frame *f)
{
	struct bench *b = ud;
	struct evgw_frame g = *f;
	g.ts_us = 0; /* not the simulator's clock: it must not care */
	evgw_sim_vehicle_receive(b->v, &g);
	return 0;
}

static void on_result(void *ud, const struct uds_result *r)
{
	struct bench *b = ud;
	b->got = true;
	b->rc = r->rc;
	b->pending = r->pending;
	b->len = r->data ? r->len : 0;
	if (r->data)
		memcpy(b->data, r->data, r->len);
}

static void on_obd_response(void *ud, uint32_t rx_id, const uint8_t *data, size_t len, int err)
{
	struct bench *b = ud;
	assert_int_equal(err, 0);
	b->obd_answers++;
	b->obd_rx_id = rx_id;
	assert_true(len <= sizeof b->obd_data);
	memcpy(b->obd_data, data, len);
	b->obd_len = len;
}

static void on_obd_done(void *ud, unsigned responders)
{
	struct bench *b = ud;
	b->obd_done = true;
	b->responders = responders;
}

/* Poll the vehicle at b->now and hand its diagnostic frames to the clients. */
static void pump(struct bench *b)
{
	struct evgw_frame f[64];
	int n;
	while ((n = evgw_sim_vehicle_poll(b->v, b->now, f, 64)) > 0) {
		for (int i = 0; i < n; i++) {
			if (f[i].id < 0x7E8 || f[i].id > 0x7EF)
				continue;
			b->diag_frames++;
			assert_true(f[i].ts_us <= b->now);
			/* Classic frames, DLC 8, padded with 0xAA. */
			if (f[i].len != 8 || (f[i].flags & EVGW_FRAME_EXT))
				b->bad_frames++;
			(void)uds_isotp_on_frame(&b->bms, &f[i], b->now);
			(void)uds_isotp_on_frame(&b->body, &f[i], b->now);
			(void)obd_session_on_frame(&b->obd, &f[i], b->now);
		}
	}
	(void)uds_isotp_poll(&b->bms, b->now);
	(void)uds_isotp_poll(&b->body, b->now);
	(void)obd_session_poll(&b->obd, b->now);
	assert_true(evgw_sim_vehicle_next_due(b->v) > b->now);
}

static void step_until(struct bench *b, const bool *flag, int64_t limit_us)
{
	int64_t end = b->now + limit_us;
	pump(b);
	while (!*flag && b->now < end) {
		b->now += MS;
		pump(b);
	}
	assert_true(*flag);
}

/* Jump the clock (the DBC side sends each late message once). */
static void jump_to(struct bench *b, int64_t t)
{
	b->now = t;
	pump(b);
}

static int setup(void **state)
{
	struct bench *b = calloc(1, sizeof *b);
	char err[256];
	assert_non_null(b);
	assert_int_equal(evgw_sim_vehicle_create("byd-atto3", SRC_DBC_DIR, &b->v, err, sizeof err), 0);
	struct isotp_cfg cfg;
	isotp_cfg_default(&cfg, 0x7E7, 0x7EF);
	assert_int_equal(uds_isotp_init(&b->bms, &cfg, tester_send, b, NULL, on_result, b), 0);
	isotp_cfg_default(&cfg, 0x7E3, 0x7EB);
	assert_int_equal(uds_isotp_init(&b->body, &cfg, tester_send, b, NULL, on_result, b), 0);
	struct obd_session_cfg oc;
	obd_session_cfg_default(&oc);
	oc.on_response = on_obd_response;
	oc.on_done = on_obd_done;
	oc.ud = b;
	obd_session_init(&b->obd, &oc, tester_send, b);
	b->now = T0;
	pump(b); /* the vehicle starts: cycle t = 0 (parked, no fault) */
	*state = b;
	return 0;
}

static int teardown(void **state)
{
	struct bench *b = *state;
	assert_int_equal(b->bad_frames, 0);
	evgw_sim_vehicle_free(b->v);
	free(b);
	return 0;
}

/* Send through the client, then run the clock until the result. */
#define UDS(b, client, call)                                                                   \
	do {                                                                                   \
		(b)->got = false;                                                              \
		assert_int_equal((call), 0);                                                   \
		(void)uds_isotp_poll((client), (b)->now);                                      \
		step_until((b), &(b)->got, 6 * SEC);                                           \
	} while (0)

static void obd_ask(struct bench *b, const uint8_t *req, size_t len)
{
	b->obd_done = false;
	b->obd_answers = 0;
	b->obd_len = 0;
	assert_int_equal(obd_session_request(&b->obd, req, len, b->now), 0);
	step_until(b, &b->obd_done, 6 * SEC);
	assert_int_equal(b->responders, 1);
	assert_int_equal(b->obd_answers, 1);
	assert_int_equal(b->obd_rx_id, 0x7E8);
}

static void test_bms_vin_and_dids(void **state)
{
	struct bench *b = *state;
	char vin[UDS_VIN_LEN + 1];
	UDS(b, &b->bms, uds_read_did(&b->bms.client, UDS_DID_VIN, b->now));
	assert_int_equal(b->rc, 0);
	assert_int_equal(uds_parse_vin(b->data, b->len, vin), 0);
	assert_string_equal(vin, VIN);
	assert_true(b->diag_frames >= 3); /* 20 bytes: FF + 2 CFs */

	/* SOC in 0.1 %, a plausible value. */
	UDS(b, &b->bms, uds_read_did(&b->bms.client, 0x0101, b->now));
	const uint8_t *val;
	size_t n;
	assert_int_equal(uds_parse_did(b->data, b->len, 0x0101, &val, &n), 0);
	assert_int_equal(n, 2);
	unsigned soc = (unsigned)(val[0] << 8 | val[1]);
	assert_true(soc >= 200 && soc <= 1000);
	/* Pack current: raw 10000 = 0 A; a parked car draws a little. */
	UDS(b, &b->bms, uds_read_did(&b->bms.client, 0x0103, b->now));
	assert_int_equal(uds_parse_did(b->data, b->len, 0x0103, &val, &n), 0);
	assert_int_equal(n, 2);
	double amps = (val[0] << 8 | val[1]) * 0.1 - 1000;
	assert_true(amps > -50 && amps < 50);
	UDS(b, &b->bms, uds_read_did(&b->bms.client, 0x0104, b->now));
	assert_int_equal(uds_parse_did(b->data, b->len, 0x0104, &val, &n), 0);
	assert_int_equal(n, 1);
	assert_true(val[0] >= 40 && val[0] <= 100);

	/* Unknown DID, unknown service. */
	UDS(b, &b->bms, uds_read_did(&b->bms.client, 0x1234, b->now));
	assert_int_equal(b->rc, UDS_NRC_REQUEST_OUT_OF_RANGE);
	static const uint8_t routine[] = {0x31, 0x01, 0x02, 0x03};
	UDS(b, &b->bms, uds_request(&b->bms.client, routine, sizeof routine, b->now));
	assert_int_equal(b->rc, UDS_NRC_SERVICE_NOT_SUPPORTED);

	/* Extended session, with the server's timing. */
	UDS(b, &b->bms, uds_session_control(&b->bms.client, UDS_SESSION_EXTENDED, b->now));
	assert_int_equal(b->rc, 0);
	static const uint8_t want[] = {0x50, 0x03, 0x00, 0x32, 0x01, 0xF4};
	assert_int_equal(b->len, sizeof want);
	assert_memory_equal(b->data, want, sizeof want);
	UDS(b, &b->bms, uds_tester_present(&b->bms.client, b->now));
	assert_int_equal(b->rc, 0);
}

static void expect_dtcs(struct bench *b, const uint32_t *codes, const uint8_t *status, size_t n)
{
	struct uds_dtc_list l;
	assert_int_equal(uds_parse_dtc_list(b->data, b->len, &l), 0);
	assert_int_equal(l.avail_mask, 0xFF);
	assert_int_equal(l.count, n);
	for (size_t i = 0; i < n; i++) {
		struct uds_dtc d;
		assert_int_equal(uds_dtc_list_get(&l, i, &d), 0);
		assert_int_equal(d.code, codes[i]);
		assert_int_equal(d.status, status[i]);
	}
}

static void test_bms_dtcs_and_fault_window(void **state)
{
	struct bench *b = *state;
	static const uint32_t codes[] = {0x0A9B00, 0x0A1200, 0x0AA600};
	static const uint8_t stored[] = {0x08, 0x2C};
	static const uint8_t active[] = {0x08, 0x2C, 0x09};

	UDS(b, &b->bms, uds_read_dtc_by_status(&b->bms.client, 0xFF, b->now));
	assert_int_equal(b->rc, 0);
	assert_int_equal(b->pending, 0);
	expect_dtcs(b, codes, stored, 2);
	char text[DTC_STR_3BYTE];
	assert_true(dtc_format_3byte(codes[0], '-', text, sizeof text) > 0);
	assert_string_equal(text, "P0A9B-00");

	UDS(b, &b->bms, uds_read_dtc_count(&b->bms.client, 0x04, b->now)); /* pending only */
	struct uds_dtc_count c;
	assert_int_equal(uds_parse_dtc_count(b->data, b->len, &c), 0);
	assert_int_equal(c.count, 1);
	assert_int_equal(c.format, 1);

	/* Inside the fault window (25..35 s of the cycle): the third one is active. */
	jump_to(b, T0 + 30 * SEC);
	UDS(b, &b->bms, uds_read_dtc_by_status(&b->bms.client, 0xFF, b->now));
	assert_int_equal(b->rc, 0);
	expect_dtcs(b, codes, active, 3);
	UDS(b, &b->bms, uds_read_dtc_by_status(&b->bms.client, UDS_DTC_TEST_FAILED, b->now));
	expect_dtcs(b, codes + 2, active + 2, 1);
	UDS(b, &b->bms, uds_read_supported_dtcs(&b->bms.client, b->now));
	expect_dtcs(b, codes, active, 3);

	/* After it: gone again; supported DTCs still listed, status 0. */
	jump_to(b, T0 + 40 * SEC);
	UDS(b, &b->bms, uds_read_dtc_by_status(&b->bms.client, 0xFF, b->now));
	expect_dtcs(b, codes, stored, 2);
	UDS(b, &b->bms, uds_read_supported_dtcs(&b->bms.client, b->now));
	static const uint8_t idle[] = {0x08, 0x2C, 0x00};
	expect_dtcs(b, codes, idle, 3);
}

static void test_bms_clear_and_pending(void **state)
{
	struct bench *b = *state;
	UDS(b, &b->bms, uds_clear_dtc(&b->bms.client, UDS_DTC_GROUP_ALL, b->now));
	assert_int_equal(b->rc, 0);
	assert_int_equal(b->len, 1);
	assert_int_equal(b->data[0], 0x54);

	/* The first read after the clear: 7F 19 78, then the answer ~300 ms on. */
	int64_t t = b->now;
	UDS(b, &b->bms, uds_read_dtc_by_status(&b->bms.client, 0xFF, b->now));
	assert_int_equal(b->rc, 0);
	assert_int_equal(b->pending, 1);
	assert_true(b->now - t >= 300 * MS && b->now - t < 320 * MS);
	expect_dtcs(b, NULL, NULL, 0);

	/* The next one answers at once. */
	t = b->now;
	UDS(b, &b->bms, uds_read_dtc_by_status(&b->bms.client, 0xFF, b->now));
	assert_int_equal(b->pending, 0);
	assert_true(b->now - t <= 5 * MS);
	expect_dtcs(b, NULL, NULL, 0);

	/* A fault after the clear still shows while active. */
	jump_to(b, T0 + 26 * SEC);
	UDS(b, &b->bms, uds_read_dtc_by_status(&b->bms.client, 0xFF, b->now));
	static const uint32_t code[] = {0x0AA600};
	static const uint8_t st[] = {0x09};
	expect_dtcs(b, code, st, 1);
	/* Wrong group: out of range. */
	UDS(b, &b->bms, uds_clear_dtc(&b->bms.client, 0x123456, b->now));
	assert_int_equal(b->rc, UDS_NRC_REQUEST_OUT_OF_RANGE);
}

static void test_body_module_kwp(void **state)
{
	struct bench *b = *state;
	UDS(b, &b->body, uds_read_dtc_by_status(&b->body.client, 0xFF, b->now));
	assert_int_equal(b->rc, UDS_NRC_SERVICE_NOT_SUPPORTED);
	static const uint8_t neg[] = {0x7F, 0x19, 0x11};
	assert_int_equal(b->len, 3);
	assert_memory_equal(b->data, neg, 3);

	UDS(b, &b->body,
	    kwp_read_dtc_by_status(&b->body.client, 0x00, KWP_DTC_GROUP_ALL, 2, b->now));
	assert_int_equal(b->rc, 0);
	struct uds_dtc_list l;
	assert_int_equal(kwp_parse_dtc_by_status(b->data, b->len, 2, &l), 0);
	assert_int_equal(l.count, 2);
	struct uds_dtc d;
	char text[DTC_STR_2BYTE];
	assert_int_equal(uds_dtc_list_get(&l, 0, &d), 0);
	assert_true(dtc_format_2byte((uint16_t)d.code, text, sizeof text) > 0);
	assert_string_equal(text, "B1A00");
	assert_int_equal(d.status, 0x60);
	assert_int_equal(uds_dtc_list_get(&l, 1, &d), 0);
	assert_true(dtc_format_2byte((uint16_t)d.code, text, sizeof text) > 0);
	assert_string_equal(text, "U0100");
	assert_int_equal(d.status, 0x20);

	/* The BYD 3-byte group form is accepted too. */
	UDS(b, &b->body,
	    kwp_read_dtc_by_status(&b->body.client, 0x00, UDS_DTC_GROUP_ALL, 3, b->now));
	assert_int_equal(b->rc, 0);
	assert_int_equal(b->data[1], 2);
}

/* KWP2000 0x14 ClearDiagnosticInformation, 14 <group hi lo> -> 54 <group>;
 * the UDS form 14 FF FF FF is refused as 0x19 is. */
static void test_body_module_kwp_clear(void **state)
{
	struct bench *b = *state;
	UDS(b, &b->body, uds_clear_dtc(&b->body.client, UDS_DTC_GROUP_ALL, b->now));
	assert_int_equal(b->rc, UDS_NRC_SERVICE_NOT_SUPPORTED);
	static const uint8_t neg[] = {0x7F, 0x14, 0x11};
	assert_int_equal(b->len, 3);
	assert_memory_equal(b->data, neg, 3);

	/* The body group: B codes, bits 15-14 = 10 -> 0x8000: B1A00 goes. */
	UDS(b, &b->body, kwp_clear_dtc(&b->body.client, 0x8000, b->now));
	static const uint8_t body_ok[] = {0x54, 0x80, 0x00};
	assert_int_equal(b->rc, 0);
	assert_int_equal(b->len, 3);
	assert_memory_equal(b->data, body_ok, 3);
	assert_int_equal(kwp_parse_clear_dtc(b->data, b->len, 0x8000), 0);
	UDS(b, &b->body, kwp_read_dtc_by_status(&b->body.client, 0x00, KWP_DTC_GROUP_ALL, 2, b->now));
	/* 58, one DTC: C1 00 (U0100) status 20. */
	static const uint8_t left[] = {0x58, 0x01, 0xC1, 0x00, 0x20};
	assert_int_equal(b->len, 5);
	assert_memory_equal(b->data, left, 5);

	/* A DTC this module never had: out of range. */
	UDS(b, &b->body, kwp_clear_dtc(&b->body.client, 0x1234, b->now));
	assert_int_equal(b->rc, UDS_NRC_REQUEST_OUT_OF_RANGE);

	/* All groups: FF00. Then nothing is left. */
	UDS(b, &b->body, kwp_clear_dtc(&b->body.client, KWP_DTC_GROUP_ALL, b->now));
	static const uint8_t all_ok[] = {0x54, 0xFF, 0x00};
	assert_int_equal(b->rc, 0);
	assert_int_equal(b->len, 3);
	assert_memory_equal(b->data, all_ok, 3);
	UDS(b, &b->body, kwp_read_dtc_by_status(&b->body.client, 0x00, KWP_DTC_GROUP_ALL, 2, b->now));
	static const uint8_t none[] = {0x58, 0x00};
	assert_int_equal(b->len, 2);
	assert_memory_equal(b->data, none, 2);
}

/* The same on the wire, single frames (ISO 15765-2 SF: 0L then L bytes):
 *   7E3  03 14 FF 00 CC CC CC CC   KWP clear, all groups (tester pads CC)
 *   7EB  03 54 FF 00 AA AA AA AA   positive response, the group echoed
 *   7E3  04 14 FF FF FF CC CC CC   UDS clear, all groups
 *   7EB  03 7F 14 11 AA AA AA AA   serviceNotSupported */
static void test_body_module_kwp_clear_frames(void **state)
{
	struct bench *b = *state;
	static const uint8_t kwp_req[8] = {0x03, 0x14, 0xFF, 0x00, 0xCC, 0xCC, 0xCC, 0xCC};
	static const uint8_t kwp_rsp[8] = {0x03, 0x54, 0xFF, 0x00, 0xAA, 0xAA, 0xAA, 0xAA};
	static const uint8_t uds_req[8] = {0x04, 0x14, 0xFF, 0xFF, 0xFF, 0xCC, 0xCC, 0xCC};
	static const uint8_t uds_rsp[8] = {0x03, 0x7F, 0x14, 0x11, 0xAA, 0xAA, 0xAA, 0xAA};
	const uint8_t *req[2] = {uds_req, kwp_req}, *want[2] = {uds_rsp, kwp_rsp};
	for (int k = 0; k < 2; k++) {
		struct evgw_frame f, out[64];
		memset(&f, 0, sizeof f);
		f.id = 0x7E3;
		f.len = f.dlc = 8;
		memcpy(f.data, req[k], 8);
		evgw_sim_vehicle_receive(b->v, &f);
		b->now += 2 * MS;
		int n = evgw_sim_vehicle_poll(b->v, b->now, out, 64), found = 0;
		for (int i = 0; i < n; i++)
			if (out[i].id == 0x7EB) {
				assert_int_equal(out[i].len, 8);
				assert_memory_equal(out[i].data, want[k], 8);
				found++;
			}
		assert_int_equal(found, 1);
	}
}

static void test_obd(void **state)
{
	struct bench *b = *state;
	uint8_t req[8];
	int n;

	/* Mode 03: P0A80. */
	n = obd_build_request(req, sizeof req, OBD_MODE_STORED_DTC, NULL, 0);
	obd_ask(b, req, (size_t)n);
	struct obd_dtc_list l;
	assert_int_equal(obd_parse_dtcs(b->obd_data, b->obd_len, true, &l), 0);
	assert_int_equal(l.count, 1);
	size_t pos = 0;
	uint16_t code;
	char text[DTC_STR_2BYTE];
	assert_int_equal(obd_dtc_next(&l, &pos, &code), 1);
	assert_int_equal(dtc_format_2byte(code, text, sizeof text), 5);
	assert_string_equal(text, "P0A80");
	assert_int_equal(obd_dtc_next(&l, &pos, &code), 0);

	/* Modes 07 and 0A: none. */
	n = obd_build_request(req, sizeof req, OBD_MODE_PENDING_DTC, NULL, 0);
	obd_ask(b, req, (size_t)n);
	assert_int_equal(obd_parse_dtcs(b->obd_data, b->obd_len, true, &l), 0);
	assert_int_equal(l.count, 0);
	n = obd_build_request(req, sizeof req, OBD_MODE_PERMANENT_DTC, NULL, 0);
	obd_ask(b, req, (size_t)n);
	assert_int_equal(obd_parse_dtcs(b->obd_data, b->obd_len, true, &l), 0);
	assert_int_equal(l.count, 0);

	/* Mode 09 PID 02: the VIN, multi-frame (FC to 0x7E0). */
	uint8_t pid = OBD_PID_VIN;
	n = obd_build_request(req, sizeof req, OBD_MODE_VEHICLE_INFO, &pid, 1);
	obd_ask(b, req, (size_t)n);
	char vin[OBD_VIN_LEN + 1];
	assert_int_equal(obd_parse_vin(b->obd_data, b->obd_len, vin), 0);
	assert_string_equal(vin, VIN);

	/* Mode 01: supported PIDs, chained up to 5B. */
	struct obd_pid_set set;
	memset(&set, 0, sizeof set);
	for (uint8_t base = 0; base <= 0x40; base += 0x20) {
		n = obd_build_request(req, sizeof req, OBD_MODE_CURRENT, &base, 1);
		obd_ask(b, req, (size_t)n);
		assert_int_equal(b->obd_len, 6);
		assert_int_equal(obd_pid_set_add(&set, base, b->obd_data + 2, 4), 0);
	}
	assert_true(obd_pid_set_has(&set, 0x0C));
	assert_true(obd_pid_set_has(&set, 0x0D));
	assert_true(obd_pid_set_has(&set, 0x5B));
	assert_false(obd_pid_set_has(&set, 0x05));

	/* PID 0D: parked at t = 0, moving at 30 s (cruise). */
	pid = 0x0D;
	n = obd_build_request(req, sizeof req, OBD_MODE_CURRENT, &pid, 1);
	obd_ask(b, req, (size_t)n);
	double kmh;
	assert_int_equal(obd_decode_pid(0x0D, b->obd_data + 2, b->obd_len - 2, &kmh), 0);
	assert_true(kmh < 1);
	jump_to(b, T0 + 30 * SEC);
	obd_ask(b, req, (size_t)n);
	assert_int_equal(b->obd_data[1], 0x0D);
	assert_int_equal(obd_decode_pid(0x0D, b->obd_data + 2, b->obd_len - 2, &kmh), 0);
	assert_true(kmh > 30 && kmh < 100);
	/* 0C, 0D and 5B in one request. */
	static const uint8_t pids[] = {0x0C, 0x0D, 0x5B};
	n = obd_build_request(req, sizeof req, OBD_MODE_CURRENT, pids, 3);
	obd_ask(b, req, (size_t)n);
	struct obd_pid_cursor cur;
	assert_int_equal(obd_mode01_begin(&cur, b->obd_data, b->obd_len), 0);
	unsigned seen = 0;
	uint8_t p;
	const uint8_t *data;
	size_t len;
	while (obd_mode01_next(&cur, &p, &data, &len) == 1) {
		double val;
		seen++;
		assert_int_equal(obd_decode_pid(p, data, len, &val), 0);
		if (p == 0x0C)
			assert_true(val > 100);
		if (p == 0x5B)
			assert_true(val >= 20 && val <= 100);
	}
	assert_int_equal(seen, 3);

	/* Mode 04 clears mode 03. */
	n = obd_build_request(req, sizeof req, OBD_MODE_CLEAR_DTC, NULL, 0);
	obd_ask(b, req, (size_t)n);
	assert_int_equal(obd_parse_clear(b->obd_data, b->obd_len), 0);
	n = obd_build_request(req, sizeof req, OBD_MODE_STORED_DTC, NULL, 0);
	obd_ask(b, req, (size_t)n);
	assert_int_equal(obd_parse_dtcs(b->obd_data, b->obd_len, true, &l), 0);
	assert_int_equal(l.count, 0);
}

/* Mode 01 byte for byte, worked out by hand from SAE J1979's layouts. */
static void expect_mode01(struct bench *b, const uint8_t *pids, size_t npids, const uint8_t *want,
			  size_t want_len)
{
	uint8_t req[8];
	int n = obd_build_request(req, sizeof req, OBD_MODE_CURRENT, pids, npids);
	assert_true(n > 0);
	obd_ask(b, req, (size_t)n);
	assert_int_equal(b->obd_len, want_len);
	assert_memory_equal(b->obd_data, want, want_len);
}

static void test_obd_mode01_bytes(void **state)
{
	struct bench *b = *state;
	/* Supported: 01 0C 0D 1C 20 | 40 | 42 46 5B. A bit 7 is base+1, so PID p
	 * is bit (p - base - 1) counted from A's MSB:
	 *   01 00: 01 -> A 0x80; 0C, 0D -> bits 11, 12 = B 0x10|0x08; 1C -> bit 27
	 *          = D 0x10; 20 -> bit 31 = D 0x01 (the next range exists);
	 *   01 20: 40 -> bit 31 = D 0x01;
	 *   01 40: 42 -> bit 1 = A 0x40; 46 -> bit 5 = A 0x04; 5B -> bit 26 = D 0x20,
	 *          and D bit 0 clear: nothing above 0x60. */
	static const uint8_t p00 = 0x00, p20 = 0x20, p40 = 0x40;
	static const uint8_t w00[] = {0x41, 0x00, 0x80, 0x18, 0x00, 0x11};
	static const uint8_t w20[] = {0x41, 0x20, 0x00, 0x00, 0x00, 0x01};
	static const uint8_t w40[] = {0x41, 0x40, 0x44, 0x00, 0x00, 0x20};
	expect_mode01(b, &p00, 1, w00, sizeof w00);
	expect_mode01(b, &p20, 1, w20, sizeof w20);
	expect_mode01(b, &p40, 1, w40, sizeof w40);

	/* 1C 06 EOBD; 42 13.5 V = 13500 mV = 0x34BC ((256A+B)/1000 V); 46 20 degC
	 * = 0x3C; 5B at t = 0: SOC 80 % -> 80*255/100 = 204 = 0xCC (A*100/255). */
	static const uint8_t fixed[] = {0x1C, 0x42, 0x46, 0x5B};
	static const uint8_t wfixed[] = {0x41, 0x1C, 0x06, 0x42, 0x34, 0xBC, 0x46, 0x3C, 0x5B, 0xCC};
	expect_mode01(b, fixed, sizeof fixed, wfixed, sizeof wfixed);
	/* 01: MIL off (A bit 7), one DTC (P0A80, mode 03), no readiness bytes. */
	static const uint8_t p01 = 0x01;
	static const uint8_t w01[] = {0x41, 0x01, 0x01, 0x00, 0x00, 0x00};
	expect_mode01(b, &p01, 1, w01, sizeof w01);
	/* Unsupported PIDs are left out of a mixed request... */
	static const uint8_t mixed[] = {0x05, 0x46, 0x60};
	static const uint8_t wmixed[] = {0x41, 0x46, 0x3C};
	expect_mode01(b, mixed, sizeof mixed, wmixed, sizeof wmixed);
	/* ...and a functional request for none of them gets silence. */
	uint8_t req[8];
	static const uint8_t none = 0x60;
	int n = obd_build_request(req, sizeof req, OBD_MODE_CURRENT, &none, 1);
	b->obd_done = false;
	b->obd_answers = 0;
	assert_int_equal(obd_session_request(&b->obd, req, (size_t)n, b->now), 0);
	step_until(b, &b->obd_done, 6 * SEC);
	assert_int_equal(b->responders, 0);
	assert_int_equal(b->obd_answers, 0);

	/* The values decode back through gateway/diag/obd.c's table. */
	double v;
	assert_int_equal(obd_decode_pid(0x42, wfixed + 4, 2, &v), 0);
	assert_true(v == 13.5);
	assert_int_equal(obd_decode_pid(0x46, wfixed + 7, 1, &v), 0);
	assert_true(v == 20.0);
	assert_int_equal(obd_decode_pid(0x5B, wfixed + 9, 1, &v), 0);
	assert_true(v == 80.0);
}

/* Padding 0xAA on the ECUs' single frames. */
static void test_padding(void **state)
{
	struct bench *b = *state;
	static const uint8_t tp[] = {0x3E, 0x00};
	struct evgw_frame f;
	memset(&f, 0, sizeof f);
	f.id = 0x7E7;
	f.len = f.dlc = 8;
	f.data[0] = 2;
	memcpy(f.data + 1, tp, 2);
	memset(f.data + 3, 0xCC, 5);
	evgw_sim_vehicle_receive(b->v, &f);
	b->now += 2 * MS;
	struct evgw_frame out[64];
	int n = evgw_sim_vehicle_poll(b->v, b->now, out, 64);
	bool found = false;
	for (int i = 0; i < n; i++)
		if (out[i].id == 0x7EF) {
			static const uint8_t want[8] = {0x02, 0x7E, 0x00, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA};
			assert_int_equal(out[i].len, 8);
			assert_memory_equal(out[i].data, want, 8);
			found = true;
		}
	assert_true(found);
	/* 3E 80: no answer. */
	f.data[2] = 0x80;
	evgw_sim_vehicle_receive(b->v, &f);
	b->now += 2 * MS;
	n = evgw_sim_vehicle_poll(b->v, b->now, out, 64);
	for (int i = 0; i < n; i++)
		assert_int_not_equal(out[i].id, 0x7EF);
}

/* Other vehicles have no diagnostic servers. */
static void test_other_vehicle_silent(void **state)
{
	(void)state;
	struct evgw_sim_vehicle *v;
	char err[256];
	assert_int_equal(evgw_sim_vehicle_create("yutong-bus", SRC_DBC_DIR, &v, err, sizeof err), 0);
	struct evgw_frame out[64];
	int64_t now = T0;
	while (evgw_sim_vehicle_poll(v, now, out, 64) > 0)
		;
	struct evgw_frame f;
	memset(&f, 0, sizeof f);
	f.id = 0x7DF;
	f.len = f.dlc = 8;
	f.data[0] = 1;
	f.data[1] = 0x03;
	evgw_sim_vehicle_receive(v, &f);
	for (int k = 0; k < 100; k++) {
		now += MS;
		int n;
		while ((n = evgw_sim_vehicle_poll(v, now, out, 64)) > 0)
			for (int i = 0; i < n; i++)
				assert_false(out[i].id >= 0x7E8 && out[i].id <= 0x7EF &&
					     !(out[i].flags & EVGW_FRAME_EXT));
	}
	evgw_sim_vehicle_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bms_vin_and_dids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bms_dtcs_and_fault_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bms_clear_and_pending, setup, teardown),
		cmocka_unit_test_setup_teardown(test_body_module_kwp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_body_module_kwp_clear, setup, teardown),
		cmocka_unit_test_setup_teardown(test_body_module_kwp_clear_frames, setup, teardown),
		cmocka_unit_test_setup_teardown(test_obd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_obd_mode01_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_padding, setup, teardown),
		cmocka_unit_test(test_other_vehicle_silent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
