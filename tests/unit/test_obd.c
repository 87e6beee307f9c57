// SPDX-License-Identifier: MIT
/* OBD-II (SAE J1979 over ISO 15765-4). Expected values are worked by hand
 * from the layouts: DTC bits 15-14 letter, 13-12 first digit, then three hex
 * digits; PID formulas of J1979 annex B. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "diag/dtc.h"
#include "diag/obd.h"
#include "diag/obd_session.h"
#include "diag/uds.h"

#define MS 1000
#define B(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})

static void assert_near(double got, double want)
{
	if (fabs(got - want) > 1e-3)
		fail_msg("got %f, want %f", got, want);
}

/* Collect every code of a DTC response as text, space-separated. */
static void codes(const struct obd_dtc_list *l, char *out, size_t cap)
{
	size_t pos = 0, len = 0;
	uint16_t code;

	out[0] = '\0';
	while (obd_dtc_next(l, &pos, &code) == 1) {
		char s[DTC_STR_2BYTE];

		dtc_format_2byte(code, s, sizeof s);
		assert_true(len + 7 < cap);
		len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? " " : "", s);
	}
}

/* ---- requests and addressing ---- */

static void request_builders(void **state)
{
	uint8_t buf[8];
	struct evgw_frame f;
	const uint8_t rpm = 0x0C, six[7] = {1, 2, 3, 4, 5, 6, 7};

	assert_int_equal(obd_build_request(buf, sizeof buf, 0x01, &rpm, 1), 2);
	assert_memory_equal(buf, ((const uint8_t[]){0x01, 0x0C}), 2);
	assert_int_equal(obd_build_request(buf, sizeof buf, 0x03, NULL, 0), 1);
	assert_int_equal(buf[0], 0x03);
	assert_int_equal(obd_build_request(buf, sizeof buf, 0x03, &rpm, 1), -EINVAL);
	assert_int_equal(obd_build_request(buf, sizeof buf, 0x01, six, 6), 7);
	assert_int_equal(obd_build_request(buf, sizeof buf, 0x01, six, 7), -EINVAL);
	assert_int_equal(obd_build_request(buf, 1, 0x01, &rpm, 1), -ENOSPC);
	/* Functional 11-bit: 0x7DF, SF 02 01 0C, padded to DLC 8. */
	assert_int_equal(obd_functional_frame(&f, false, B(0x01, 0x0C), 0x00), 0);
	assert_int_equal(f.id, 0x7DF);
	assert_int_equal(f.flags, 0);
	assert_int_equal(f.len, 8);
	assert_memory_equal(f.data, ((const uint8_t[]){0x02, 0x01, 0x0C, 0, 0, 0, 0, 0}), 8);
	/* Functional 29-bit: 0x18DB33F1, padding 0x55 asked for. */
	assert_int_equal(obd_functional_frame(&f, true, B(0x09, 0x02), 0x55), 0);
	assert_int_equal(f.id, 0x18DB33F1);
	assert_int_equal(f.flags, EVGW_FRAME_EXT);
	assert_memory_equal(f.data, ((const uint8_t[]){0x02, 0x09, 0x02, 0x55, 0x55, 0x55, 0x55,
						      0x55}), 8);
	assert_int_equal(obd_functional_frame(&f, false, buf, 8, 0), -EMSGSIZE);
}

static void response_ids(void **state)
{
	assert_int_equal(obd_response_ecu(0x7E8, false), 0);
	assert_int_equal(obd_response_ecu(0x7EF, false), 7);
	assert_int_equal(obd_response_ecu(0x7E7, false), -1);
	assert_int_equal(obd_response_ecu(0x7F0, false), -1);
	assert_int_equal(obd_response_ecu(0x18DAF110, true), 0x10);
	assert_int_equal(obd_response_ecu(0x18DAF110, false), -1);
	assert_int_equal(obd_response_ecu(0x18DA10F1, true), -1);  /* a request, not a reply */
	assert_int_equal(obd_physical_request_id(0x7E8, false), 0x7E0);
	assert_int_equal(obd_physical_request_id(0x7EF, false), 0x7E7);
	assert_int_equal(obd_physical_request_id(0x18DAF110, true), 0x18DA10F1);
}

/* ---- DTCs ---- */

static void mode03_three_dtcs(void **state)
{
	struct obd_dtc_list l;
	char s[64];

	/* 43, count 3, then 01 33 = 00|00|133 P0133, 02 20 = P0220, C1 23 = 11|00|123 U0123. */
	assert_int_equal(obd_parse_dtcs(B(0x43, 0x03, 0x01, 0x33, 0x02, 0x20, 0xC1, 0x23), true, &l),
			 0);
	assert_int_equal(l.mode, 0x03);
	assert_int_equal(l.count, 3);
	codes(&l, s, sizeof s);
	assert_string_equal(s, "P0133 P0220 U0123");
	/* A 00 00 slot is filler, not P0000: 43 03 01 33 00 00 41 23 -> P0133 C0123. */
	assert_int_equal(obd_parse_dtcs(B(0x43, 0x03, 0x01, 0x33, 0x00, 0x00, 0x41, 0x23), true, &l),
			 0);
	codes(&l, s, sizeof s);
	assert_string_equal(s, "P0133 C0123");
	/* The count promises two DTCs, one is there. */
	assert_int_equal(obd_parse_dtcs(B(0x43, 0x02, 0x01, 0x33), true, &l), -EBADMSG);
	assert_int_equal(obd_parse_dtcs(B(0x43), true, &l), -EBADMSG);
	/* Bytes after the counted records are ignored. */
	assert_int_equal(obd_parse_dtcs(B(0x43, 0x01, 0x01, 0x33, 0x99, 0x99), true, &l), 0);
	codes(&l, s, sizeof s);
	assert_string_equal(s, "P0133");
}

static void modes07_0a_and_legacy(void **state)
{
	struct obd_dtc_list l;
	char s[64];

	/* 47 01 9A BC: 10|01|ABC -> B1ABC. */
	assert_int_equal(obd_parse_dtcs(B(0x47, 0x01, 0x9A, 0xBC), true, &l), 0);
	assert_int_equal(l.mode, 0x07);
	codes(&l, s, sizeof s);
	assert_string_equal(s, "B1ABC");
	/* 4A 00: no permanent DTCs. */
	assert_int_equal(obd_parse_dtcs(B(0x4A, 0x00), true, &l), 0);
	assert_int_equal(l.mode, 0x0A);
	codes(&l, s, sizeof s);
	assert_string_equal(s, "");
	/* Legacy (no count byte), padded to three slots: 43 01 33 00 00 00 00. */
	assert_int_equal(obd_parse_dtcs(B(0x43, 0x01, 0x33, 0x00, 0x00, 0x00, 0x00), false, &l), 0);
	codes(&l, s, sizeof s);
	assert_string_equal(s, "P0133");
	assert_int_equal(obd_parse_dtcs(B(0x41, 0x00), true, &l), -ENOMSG);
}

static void mode04_clear(void **state)
{
	uint8_t sid, nrc;

	assert_int_equal(obd_parse_clear(B(0x44)), 0);
	/* 7F 04 22: refused, conditionsNotCorrect (e.g. engine running). */
	assert_int_equal(obd_parse_clear(B(0x7F, 0x04, 0x22)), -ENOMSG);
	assert_int_equal(uds_parse_negative(B(0x7F, 0x04, 0x22), &sid, &nrc), 0);
	assert_string_equal(uds_nrc_name(nrc), "conditionsNotCorrect");
}

/* ---- VIN ---- */

#define VIN_CHARS 'L', 'G', 'X', 'C', 'E', '4', 'C', 'B', '5', 'N', '0', '1', '2', '3', '4', '5', '6'

static void mode09_vin(void **state)
{
	char vin[OBD_VIN_LEN + 1];

	/* 49 02, NODI 01, 17 characters (20 bytes: the ISO-TP FF announces 0x014). */
	assert_int_equal(obd_parse_vin(B(0x49, 0x02, 0x01, VIN_CHARS), vin), 0);
	assert_string_equal(vin, "LGXCE4CB5N0123456");
	/* Without NODI. */
	assert_int_equal(obd_parse_vin(B(0x49, 0x02, VIN_CHARS), vin), 0);
	assert_string_equal(vin, "LGXCE4CB5N0123456");
	/* Legacy fill: NODI then three 00 before the characters. */
	assert_int_equal(obd_parse_vin(B(0x49, 0x02, 0x01, 0x00, 0x00, 0x00, VIN_CHARS), vin), 0);
	assert_string_equal(vin, "LGXCE4CB5N0123456");
	/* 16 characters, or a control byte inside: not a VIN. */
	assert_int_equal(obd_parse_vin(B(0x49, 0x02, 0x01, 'L', 'G', 'X', 'C', 'E', '4', 'C', 'B',
					 '5', 'N', '0', '1', '2', '3', '4', '5'), vin), -EBADMSG);
	assert_int_equal(obd_parse_vin(B(0x49, 0x02, 0x01, 'L', 'G', 'X', 'C', 'E', '4', 'C', 'B',
					 '5', 'N', '0', '1', '2', '3', '4', '5', 0x01), vin),
			 -EBADMSG);
	assert_int_equal(obd_parse_vin(B(0x49, 0x04, 0x01), vin), -ENOMSG);
}

/* ---- mode 01 ---- */

static double pid_value(uint8_t pid, const uint8_t *d, size_t n)
{
	double v = -1e9;

	assert_int_equal(obd_decode_pid(pid, d, n, &v), 0);
	return v;
}

static void pid_formulas(void **state)
{
	/* 0x0C: (256A+B)/4; 1A F8 -> (6656 + 248) / 4 = 1726 rpm. */
	assert_near(pid_value(0x0C, B(0x1A, 0xF8)), 1726.0);
	/* 0x05: A-40; 7B = 123 -> 83 degC. */
	assert_near(pid_value(0x05, B(0x7B)), 83.0);
	/* 0x04: A*100/255; FF -> 100 %, 80 = 128 -> 50.196 %. */
	assert_near(pid_value(0x04, B(0xFF)), 100.0);
	assert_near(pid_value(0x04, B(0x80)), 12800.0 / 255.0);
	/* 0x0D: A km/h; 3C = 60. */
	assert_near(pid_value(0x0D, B(0x3C)), 60.0);
	/* 0x0F: 28 = 40 -> 0 degC. */
	assert_near(pid_value(0x0F, B(0x28)), 0.0);
	/* 0x11: 33 = 51 -> 20 %. */
	assert_near(pid_value(0x11, B(0x33)), 20.0);
	/* 0x1F: 256A+B; 01 2C = 300 s. */
	assert_near(pid_value(0x1F, B(0x01, 0x2C)), 300.0);
	/* 0x2F: BF = 191 -> 74.902 %. */
	assert_near(pid_value(0x2F, B(0xBF)), 19100.0 / 255.0);
	/* 0x42: (256A+B)/1000; 36 B0 = 14000 -> 14.0 V. */
	assert_near(pid_value(0x42, B(0x36, 0xB0)), 14.0);
	/* 0x46: 19 = 25 -> -15 degC. */
	assert_near(pid_value(0x46, B(0x19)), -15.0);
	/* 0x5B: CC = 204 -> 80 %. */
	assert_near(pid_value(0x5B, B(0xCC)), 80.0);
	assert_string_equal(obd_pid_info(0x0C)->unit, "rpm");
	assert_string_equal(obd_pid_info(0x5B)->name, "hybrid battery pack remaining life");
	{
		double v;

		assert_int_equal(obd_decode_pid(0x0C, B(0x1A), &v), -EBADMSG);
		assert_int_equal(obd_decode_pid(0x01, B(0, 0, 0, 0), &v), -ENOTSUP);
		assert_int_equal(obd_decode_pid(0x99, B(0), &v), -ENOTSUP);
	}
}

static void monitor_status(void **state)
{
	struct obd_monitor_status m;

	/* A = 83: MIL (bit 7) on, 3 DTCs; B = 07: bit 3 clear, spark ignition. */
	assert_int_equal(obd_decode_monitor_status(B(0x83, 0x07, 0x65, 0x04), &m), 0);
	assert_true(m.mil);
	assert_int_equal(m.dtc_count, 3);
	assert_false(m.compression);
	assert_int_equal(m.c, 0x65);
	assert_int_equal(obd_decode_monitor_status(B(0x00, 0x08, 0, 0), &m), 0);
	assert_false(m.mil);
	assert_true(m.compression);
	assert_int_equal(obd_decode_monitor_status(B(0x83, 0x07, 0x65), &m), -EBADMSG);
}

static void supported_pids(void **state)
{
	struct obd_pid_set s;
	const uint8_t want[] = {0x01, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0C, 0x0D, 0x0E, 0x0F,
				0x10, 0x11, 0x13, 0x15, 0x1C, 0x1F, 0x20};
	size_t k = 0;

	/* BE 1F A8 13: A 1011 1110 -> 01, 03-07; B 0001 1111 -> 0C-10;
	 * C 1010 1000 -> 11, 13, 15; D 0001 0011 -> 1C, 1F, 20. */
	memset(&s, 0, sizeof s);
	assert_int_equal(obd_pid_set_add(&s, 0x00, B(0xBE, 0x1F, 0xA8, 0x13)), 0);
	for (unsigned pid = 0; pid < 256; pid++) {
		bool expect = k < sizeof want && want[k] == pid;

		assert_int_equal(obd_pid_set_has(&s, (uint8_t)pid), expect);
		if (expect)
			k++;
	}
	assert_int_equal(k, sizeof want);
	/* The next range: 20 + bit 0 of D -> 0x40. */
	assert_int_equal(obd_pid_set_add(&s, 0x20, B(0x00, 0x00, 0x00, 0x01)), 0);
	assert_true(obd_pid_set_has(&s, 0x40));
	assert_int_equal(obd_pid_set_add(&s, 0x21, B(0, 0, 0, 0)), -EINVAL);
	/* 0xE0's last bit would be 0x100: no such PID, no overflow. */
	assert_int_equal(obd_pid_set_add(&s, 0xE0, B(0xFF, 0xFF, 0xFF, 0xFF)), 0);
	assert_true(obd_pid_set_has(&s, 0xFF));
}

static void multi_pid_response(void **state)
{
	struct obd_pid_cursor c;
	uint8_t pid;
	const uint8_t *d;
	size_t n;

	/* 41 0C 1A F8 | 0D 3C | 05 7B: three PIDs in one answer. */
	assert_int_equal(obd_mode01_begin(&c, B(0x41, 0x0C, 0x1A, 0xF8, 0x0D, 0x3C, 0x05, 0x7B)), 0);
	assert_int_equal(obd_mode01_next(&c, &pid, &d, &n), 1);
	assert_int_equal(pid, 0x0C);
	assert_near(pid_value(pid, d, n), 1726.0);
	assert_int_equal(obd_mode01_next(&c, &pid, &d, &n), 1);
	assert_int_equal(pid, 0x0D);
	assert_near(pid_value(pid, d, n), 60.0);
	assert_int_equal(obd_mode01_next(&c, &pid, &d, &n), 1);
	assert_int_equal(pid, 0x05);
	assert_near(pid_value(pid, d, n), 83.0);
	assert_int_equal(obd_mode01_next(&c, &pid, &d, &n), 0);
	/* A known PID cut short. */
	assert_int_equal(obd_mode01_begin(&c, B(0x41, 0x0C, 0x1A)), 0);
	assert_int_equal(obd_mode01_next(&c, &pid, &d, &n), -EBADMSG);
	/* An unknown PID takes the rest. */
	assert_int_equal(obd_mode01_begin(&c, B(0x41, 0x9C, 1, 2, 3)), 0);
	assert_int_equal(obd_mode01_next(&c, &pid, &d, &n), 1);
	assert_int_equal(n, 3);
	assert_int_equal(obd_mode01_begin(&c, B(0x7F, 0x01, 0x12)), -ENOMSG);
}

/* ---- a functional request answered by several ECUs ---- */

struct seen {
	struct evgw_frame sent[32];
	int n_sent;
	struct {
		uint32_t id;
		uint8_t d[64];
		size_t len;
		int err;
	} resp[8];
	int n_resp;
	int done;
	unsigned responders;
};

static int seen_send(void *ud, const struct evgw_frame *f)
{
	struct seen *s = ud;

	assert_true(s->n_sent < 32);
	s->sent[s->n_sent++] = *f;
	return 0;
}

static void seen_resp(void *ud, uint32_t id, const uint8_t *d, size_t len, int err)
{
	struct seen *s = ud;

	assert_true(s->n_resp < 8);
	s->resp[s->n_resp].id = id;
	s->resp[s->n_resp].len = len;
	s->resp[s->n_resp].err = err;
	if (d)
		memcpy(s->resp[s->n_resp].d, d, len < 64 ? len : 64);
	s->n_resp++;
}

static void seen_done(void *ud, unsigned responders)
{
	struct seen *s = ud;

	s->done++;
	s->responders = responders;
}

static void frame_in(struct obd_session *o, uint32_t id, bool ext, int64_t t, const uint8_t *d,
		     size_t n)
{
	struct evgw_frame f;

	memset(&f, 0, sizeof f);
	f.id = id;
	f.flags = ext ? EVGW_FRAME_EXT : 0;
	f.len = (uint8_t)n;
	memcpy(f.data, d, n);
	assert_true(obd_session_on_frame(o, &f, t));
}

static void two_ecus_send_vin_interleaved(void **state)
{
	struct obd_session *o = calloc(1, sizeof *o);
	struct obd_session_cfg cfg;
	struct seen s = {0};
	uint8_t req[2];

	obd_session_cfg_default(&cfg);
	cfg.on_response = seen_resp;
	cfg.on_done = seen_done;
	cfg.ud = &s;
	obd_session_init(o, &cfg, seen_send, &s);
	assert_int_equal(obd_build_request(req, sizeof req, 0x09, B(0x02)), 2);
	assert_int_equal(obd_session_request(o, req, 2, 0), 0);
	assert_int_equal(obd_session_request(o, req, 2, 0), -EBUSY);
	assert_int_equal(s.n_sent, 1);
	assert_int_equal(s.sent[0].id, 0x7DF);
	/* 49 02 01 + 17 chars = 20 bytes: FF 10 14 + 6, then CFs of 7 and 7. */
	frame_in(o, 0x7E8, false, 10 * MS, B(0x10, 0x14, 0x49, 0x02, 0x01, 'L', 'G', 'X'));
	/* The FC goes to ECU 1's physical id 0x7E0, DLC 8 with 00 padding. */
	assert_int_equal(s.n_sent, 2);
	assert_int_equal(s.sent[1].id, 0x7E0);
	assert_memory_equal(s.sent[1].data, ((const uint8_t[]){0x30, 0, 0, 0, 0, 0, 0, 0}), 8);
	frame_in(o, 0x7E9, false, 11 * MS, B(0x10, 0x14, 0x49, 0x02, 0x01, 'W', 'V', 'W'));
	assert_int_equal(s.sent[2].id, 0x7E1);
	frame_in(o, 0x7E9, false, 12 * MS, B(0x21, 'Z', 'Z', 'Z', '1', 'K', 'Z', '9'));
	frame_in(o, 0x7E8, false, 12 * MS, B(0x21, 'C', 'E', '4', 'C', 'B', '5', 'N'));
	frame_in(o, 0x7E8, false, 13 * MS, B(0x22, '0', '1', '2', '3', '4', '5', '6'));
	frame_in(o, 0x7E9, false, 14 * MS, B(0x22, 'A', 'M', '0', '0', '0', '0', '1'));
	assert_int_equal(s.n_resp, 2);
	{
		char vin[OBD_VIN_LEN + 1];

		assert_int_equal(s.resp[0].id, 0x7E8);
		assert_int_equal(obd_parse_vin(s.resp[0].d, s.resp[0].len, vin), 0);
		assert_string_equal(vin, "LGXCE4CB5N0123456");
		assert_int_equal(s.resp[1].id, 0x7E9);
		assert_int_equal(obd_parse_vin(s.resp[1].d, s.resp[1].len, vin), 0);
		assert_string_equal(vin, "WVWZZZ1KZ9AM00001");
	}
	/* The window (100 ms) ends the request. */
	assert_int_equal(obd_session_poll(o, 50 * MS), 100 * MS);
	assert_int_equal(s.done, 0);
	obd_session_poll(o, 100 * MS);
	assert_int_equal(s.done, 1);
	assert_int_equal(s.responders, 2);
	free(o);
}

static void response_pending_stretches_window(void **state)
{
	struct obd_session *o = calloc(1, sizeof *o);
	struct obd_session_cfg cfg;
	struct seen s = {0};

	obd_session_cfg_default(&cfg);
	cfg.ext_id = true;
	cfg.on_response = seen_resp;
	cfg.on_done = seen_done;
	cfg.ud = &s;
	obd_session_init(o, &cfg, seen_send, &s);
	assert_int_equal(obd_session_request(o, B(0x04), 0), 0);
	assert_int_equal(s.sent[0].id, 0x18DB33F1);
	/* ECU 0x10 says "pending" (7F 04 78): wait up to P2* = 5 s from it. */
	frame_in(o, 0x18DAF110, true, 20 * MS, B(0x03, 0x7F, 0x04, 0x78));
	assert_int_equal(s.n_resp, 0);
	assert_int_equal(obd_session_poll(o, 100 * MS), 5020 * MS);
	assert_int_equal(s.done, 0);
	frame_in(o, 0x18DAF110, true, 3000 * MS, B(0x01, 0x44));
	assert_int_equal(s.n_resp, 1);
	assert_int_equal(s.resp[0].id, 0x18DAF110);
	assert_int_equal(obd_parse_clear(s.resp[0].d, s.resp[0].len), 0);
	obd_session_poll(o, 5020 * MS);
	assert_int_equal(s.done, 1);
	assert_int_equal(s.responders, 1);
	free(o);
}

static void multi_frame_past_window_and_foreign_ids(void **state)
{
	struct obd_session *o = calloc(1, sizeof *o);
	struct obd_session_cfg cfg;
	struct seen s = {0};
	struct evgw_frame f;

	obd_session_cfg_default(&cfg);
	cfg.ext_id = true;
	cfg.on_response = seen_resp;
	cfg.on_done = seen_done;
	cfg.ud = &s;
	obd_session_init(o, &cfg, seen_send, &s);
	assert_int_equal(obd_session_request(o, B(0x09, 0x02), 0), 0);
	frame_in(o, 0x18DAF117, true, 90 * MS, B(0x10, 0x14, 0x49, 0x02, 0x01, 'L', 'G', 'X'));
	/* FC to ECU 0x17's physical id 0x18DA17F1. */
	assert_int_equal(s.sent[1].id, 0x18DA17F1);
	assert_int_equal(s.sent[1].flags, EVGW_FRAME_EXT);
	/* Past the window, but the answer is still coming: no done yet, and the
	 * next event is that link's N_Cr (90 ms + 1000 ms). */
	assert_int_equal(obd_session_poll(o, 100 * MS), 1090 * MS);
	assert_int_equal(s.done, 0);
	frame_in(o, 0x18DAF117, true, 150 * MS, B(0x21, 'C', 'E', '4', 'C', 'B', '5', 'N'));
	frame_in(o, 0x18DAF117, true, 160 * MS, B(0x22, '0', '1', '2', '3', '4', '5', '6'));
	obd_session_poll(o, 160 * MS);
	assert_int_equal(s.done, 1);
	assert_int_equal(s.responders, 1);
	/* 11-bit frames and requests are not answers on a 29-bit session. */
	memset(&f, 0, sizeof f);
	f.id = 0x7E8;
	f.len = 2;
	assert_false(obd_session_on_frame(o, &f, 200 * MS));
	f.id = 0x18DA10F1;
	f.flags = EVGW_FRAME_EXT;
	assert_false(obd_session_on_frame(o, &f, 200 * MS));
	free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_builders),
		cmocka_unit_test(response_ids),
		cmocka_unit_test(mode03_three_dtcs),
		cmocka_unit_test(modes07_0a_and_legacy),
		cmocka_unit_test(mode04_clear),
		cmocka_unit_test(mode09_vin),
		cmocka_unit_test(pid_formulas),
		cmocka_unit_test(monitor_status),
		cmocka_unit_test(supported_pids),
		cmocka_unit_test(multi_pid_response),
		cmocka_unit_test(two_ecus_send_vin_interleaved),
		cmocka_unit_test(response_pending_stretches_window),
		cmocka_unit_test(multi_frame_past_window_and_foreign_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
