// SPDX-License-Identifier: MIT
/* UDS client (ISO 14229-1/-2) against an in-memory fake ECU that answers
 * from a table, with a clock the tests move by hand. Every byte sequence is
 * written out from the service layouts with the reasoning beside it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "diag/dtc.h"
#include "diag/uds.h"
#include "diag/uds_isotp.h"

#define MS 1000
#define B(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})

/* One table row: this exact request gets this response (NULL: silence). */
struct rule {
	const uint8_t *req;
	size_t req_len;
	const uint8_t *resp;
	size_t resp_len;
};

#define RULE(req, resp) {req, sizeof req, resp, sizeof resp}

struct fake_ecu {
	const struct rule *rules;
	size_t n_rules;
	uint8_t last[UDS_REQ_MAX];
	size_t last_len;
	int n_reqs;
	const struct rule *queued;
	int send_rc;
};

static int fake_send(void *ctx, const uint8_t *d, size_t n, int64_t now)
{
	struct fake_ecu *f = ctx;

	if (f->send_rc)
		return f->send_rc;
	f->n_reqs++;
	memcpy(f->last, d, n);
	f->last_len = n;
	f->queued = NULL;
	for (size_t i = 0; i < f->n_rules; i++)
		if (f->rules[i].req_len == n && memcmp(f->rules[i].req, d, n) == 0)
			f->queued = &f->rules[i];
	return 0;
}

struct got {
	int n;
	int rc;
	uint8_t sid;
	bool has_data;
	uint8_t data[512];
	size_t len;
	uint32_t pending;
};

static void on_result(void *ud, const struct uds_result *r)
{
	struct got *g = ud;

	g->n++;
	g->rc = r->rc;
	g->sid = r->sid;
	g->pending = r->pending;
	g->has_data = r->data != NULL;
	g->len = r->len;
	if (r->data) {
		assert_true(r->len <= sizeof g->data);
		memcpy(g->data, r->data, r->len);
	}
}

struct rig {
	struct fake_ecu ecu;
	struct uds_client c;
	struct got got;
};

static void rig_init(struct rig *r, const struct rule *rules, size_t n)
{
	struct uds_transport tp = {fake_send, &r->ecu};

	memset(r, 0, sizeof *r);
	r->ecu.rules = rules;
	r->ecu.n_rules = n;
	uds_client_init(&r->c, &tp, NULL, on_result, &r->got);
}

/* The fake ECU answers the last request from its table. */
static void answer(struct rig *r, int64_t now)
{
	assert_non_null(r->ecu.queued);
	uds_on_payload(&r->c, r->ecu.queued->resp, r->ecu.queued->resp_len, now);
}

static void expect_req(const struct rig *r, const uint8_t *want, size_t n)
{
	assert_int_equal(r->ecu.last_len, n);
	assert_memory_equal(r->ecu.last, want, n);
}

/* ---- tables ---- */

static const uint8_t REQ_EXT[] = {0x10, 0x03};
/* 50 03, P2server_max 0x0032 = 50 ms, P2*server_max 0x01F4 = 500 x 10 ms = 5 s. */
static const uint8_t RSP_EXT[] = {0x50, 0x03, 0x00, 0x32, 0x01, 0xF4};
static const uint8_t REQ_DEF[] = {0x10, 0x01};
static const uint8_t RSP_DEF[] = {0x50, 0x01, 0x00, 0x32, 0x01, 0xF4};
static const uint8_t REQ_VIN[] = {0x22, 0xF1, 0x90};
/* 62 F1 90 + "LC0CE4CB5N0012345" (17 ASCII characters, made up). */
static const uint8_t RSP_VIN[] = {0x62, 0xF1, 0x90, 'L', 'C', '0', 'C', 'E', '4', 'C', 'B', '5',
				  'N', '0', '0', '1', '2', '3', '4', '5'};
static const uint8_t REQ_SOC[] = {0x22, 0x00, 0x05};
static const uint8_t RSP_SOC[] = {0x62, 0x00, 0x05, 0x57};  /* BYD BMS SOC DID (ref §4.1): 87 % */
static const uint8_t REQ_COUNT[] = {0x19, 0x01, 0xFF};
/* 59 01, availability mask FF, format 01 (ISO 14229-1), count 0x0003. */
static const uint8_t RSP_COUNT[] = {0x59, 0x01, 0xFF, 0x01, 0x00, 0x03};
static const uint8_t REQ_LIST[] = {0x19, 0x02, 0x09};
/* 59 02 FF, then DTC[3] status: 012345/09, 1A0100/2F, C12300/08. */
static const uint8_t RSP_LIST[] = {0x59, 0x02, 0xFF, 0x01, 0x23, 0x45, 0x09, 0x1A, 0x01,
				   0x00, 0x2F, 0xC1, 0x23, 0x00, 0x08};
static const uint8_t REQ_SUPP[] = {0x19, 0x0A};
static const uint8_t RSP_SUPP[] = {0x59, 0x0A, 0x7F, 0x01, 0x23, 0x45, 0x00, 0x9A, 0xBC, 0xDE,
				   0x00};
static const uint8_t REQ_SNAP[] = {0x19, 0x04, 0x01, 0x23, 0x45, 0xFF};
/* 59 04 012345 status 09; record 01 with 2 DIDs: F40D = 32, 1100 = 00 64. */
static const uint8_t RSP_SNAP[] = {0x59, 0x04, 0x01, 0x23, 0x45, 0x09, 0x01, 0x02, 0xF4,
				   0x0D, 0x32, 0x11, 0x00, 0x00, 0x64};
static const uint8_t REQ_EXTD[] = {0x19, 0x06, 0x01, 0x23, 0x45, 0xFF};
/* 59 06 012345 status 09; record 01 = 05; record 02 = 00 10. */
static const uint8_t RSP_EXTD[] = {0x59, 0x06, 0x01, 0x23, 0x45, 0x09, 0x01, 0x05, 0x02, 0x00,
				   0x10};
static const uint8_t REQ_CLEAR[] = {0x14, 0xFF, 0xFF, 0xFF};
static const uint8_t RSP_CLEAR[] = {0x54};
static const uint8_t REQ_BAD_DID[] = {0x22, 0x12, 0x34};
static const uint8_t RSP_OOR[] = {0x7F, 0x22, 0x31};
static const uint8_t REQ_TP[] = {0x3E, 0x00};
static const uint8_t RSP_TP[] = {0x7E, 0x00};
static const uint8_t REQ_ALL[] = {0x19, 0x02, 0xFF};
static const uint8_t RSP_NOSVC[] = {0x7F, 0x19, 0x11};
static const uint8_t REQ_KWP[] = {0x18, 0x00, 0xFF, 0x00};
/* 58, 2 DTCs: 0133 status E0, C123 status 20. */
static const uint8_t RSP_KWP[] = {0x58, 0x02, 0x01, 0x33, 0xE0, 0xC1, 0x23, 0x20};

static const struct rule table[] = {
	RULE(REQ_EXT, RSP_EXT),       RULE(REQ_DEF, RSP_DEF),     RULE(REQ_VIN, RSP_VIN),
	RULE(REQ_SOC, RSP_SOC),       RULE(REQ_COUNT, RSP_COUNT), RULE(REQ_LIST, RSP_LIST),
	RULE(REQ_SUPP, RSP_SUPP),     RULE(REQ_SNAP, RSP_SNAP),   RULE(REQ_EXTD, RSP_EXTD),
	RULE(REQ_CLEAR, RSP_CLEAR),   RULE(REQ_BAD_DID, RSP_OOR), RULE(REQ_TP, RSP_TP),
	RULE(REQ_ALL, RSP_NOSVC),     RULE(REQ_KWP, RSP_KWP),
};
#define TABLE table, sizeof table / sizeof table[0]

/* ---- sessions and keep-alives ---- */

static void session_extended_keeps_alive(void **state)
{
	struct rig r;
	struct uds_session_info si;

	rig_init(&r, TABLE);
	assert_int_equal(uds_poll(&r.c, 0), UDS_NO_DEADLINE);  /* default session: quiet */
	assert_int_equal(uds_session_control(&r.c, UDS_SESSION_EXTENDED, 0), 0);
	expect_req(&r, REQ_EXT, sizeof REQ_EXT);
	assert_int_equal(uds_poll(&r.c, 0), 50 * MS);  /* P2 */
	answer(&r, 10 * MS);
	assert_int_equal(r.got.n, 1);
	assert_int_equal(r.got.rc, 0);
	assert_int_equal(uds_parse_session(r.got.data, r.got.len, &si), 0);
	assert_int_equal(si.session, 3);
	assert_true(si.has_timing);
	assert_int_equal(si.p2_ms, 50);
	assert_int_equal(si.p2_star_ms, 5000);
	/* Given an extended session, when 2 s pass, then 3E 80 goes out, every 2 s. */
	assert_int_equal(uds_poll(&r.c, 10 * MS), 2010 * MS);
	assert_int_equal(r.ecu.n_reqs, 1);
	assert_int_equal(uds_poll(&r.c, 2010 * MS), 4010 * MS);
	assert_int_equal(r.ecu.n_reqs, 2);
	expect_req(&r, B(0x3E, 0x80));
	assert_int_equal(uds_poll(&r.c, 4010 * MS), 6010 * MS);
	assert_int_equal(r.c.stats.keepalives, 2);
	/* A request in between restarts the cadence (the server's S3 restarts). */
	assert_int_equal(uds_read_did(&r.c, UDS_DID_VIN, 5000 * MS), 0);
	answer(&r, 5010 * MS);
	assert_int_equal(uds_poll(&r.c, 5010 * MS), 7000 * MS);
	/* Back to default: keep-alives stop. */
	assert_int_equal(uds_session_control(&r.c, UDS_SESSION_DEFAULT, 6000 * MS), 0);
	answer(&r, 6005 * MS);
	assert_int_equal(r.c.session, UDS_SESSION_DEFAULT);
	assert_int_equal(uds_poll(&r.c, 9000 * MS), UDS_NO_DEADLINE);
	assert_int_equal(r.c.stats.keepalives, 2);
}

static void keepalive_waits_for_request_in_flight(void **state)
{
	struct rig r;

	rig_init(&r, TABLE);
	uds_session_control(&r.c, UDS_SESSION_EXTENDED, 0);
	answer(&r, 0);
	/* A request kept pending (0x78) past the keep-alive time. */
	assert_int_equal(uds_read_dtc_count(&r.c, 0xFF, 1000 * MS), 0);
	uds_on_payload(&r.c, B(0x7F, 0x19, 0x78), 1040 * MS);
	assert_int_equal(uds_poll(&r.c, 3500 * MS), 6040 * MS);  /* only P2* counts */
	assert_int_equal(r.ecu.n_reqs, 2);
	answer(&r, 4000 * MS);
	/* The keep-alive was due at 3000 ms: it goes at the next poll. */
	assert_int_equal(uds_poll(&r.c, 4000 * MS), 6000 * MS);
	expect_req(&r, B(0x3E, 0x80));
}

static void server_timing_lengthens_ours(void **state)
{
	struct rig r;
	/* 50 03, P2 0x0096 = 150 ms, P2* 0x0258 = 600 x 10 ms = 6 s. */
	static const uint8_t slow[] = {0x50, 0x03, 0x00, 0x96, 0x02, 0x58};
	static const struct rule t[] = {RULE(REQ_EXT, slow)};

	rig_init(&r, t, 1);
	uds_session_control(&r.c, UDS_SESSION_EXTENDED, 0);
	answer(&r, 0);
	assert_int_equal(r.c.p2_us, 150 * MS);
	assert_int_equal(r.c.p2_star_us, 6000 * MS);
	assert_int_equal(uds_read_did(&r.c, 0x1234, 100 * MS), 0);
	assert_int_equal(uds_poll(&r.c, 100 * MS), 250 * MS);
}

static void server_timing_is_capped(void **state)
{
	struct rig r;
	/* 50 03 FF FF FF FF: P2 65535 ms, P2* 655350 ms. We take P2 up to our
	 * P2* (5 s) and P2* up to 60 s, so that an ECU cannot stall us. */
	static const uint8_t huge[] = {0x50, 0x03, 0xFF, 0xFF, 0xFF, 0xFF};
	static const struct rule t[] = {RULE(REQ_EXT, huge)};
	struct uds_timing tm;

	rig_init(&r, t, 1);
	uds_session_control(&r.c, UDS_SESSION_EXTENDED, 0);
	answer(&r, 0);
	assert_int_equal(r.c.p2_us, 5000 * MS);
	assert_int_equal(r.c.p2_star_us, 60000 * MS);
	/* Not adopting: ours stay. */
	uds_timing_default(&tm);
	tm.adopt_server_timing = false;
	r.c.cfg = tm;
	uds_client_reset(&r.c);
	uds_session_control(&r.c, UDS_SESSION_EXTENDED, 0);
	answer(&r, 0);
	assert_int_equal(r.c.p2_us, 50 * MS);
	assert_int_equal(r.c.p2_star_us, 5000 * MS);
}

static void suppressed_positive_response(void **state)
{
	struct rig r;

	rig_init(&r, TABLE);
	/* 10 83: extended session with suppressPosRsp; silence until P2 means yes. */
	assert_int_equal(uds_request(&r.c, B(0x10, 0x83), 0), 0);
	assert_int_equal(uds_poll(&r.c, 49 * MS), 50 * MS);
	assert_int_equal(r.got.n, 0);
	uds_poll(&r.c, 50 * MS);
	assert_int_equal(r.got.n, 1);
	assert_int_equal(r.got.rc, 0);
	assert_false(r.got.has_data);
	assert_int_equal(r.c.session, UDS_SESSION_EXTENDED);
	assert_int_equal(uds_poll(&r.c, 50 * MS), 2050 * MS);
}

static void tester_present_with_response(void **state)
{
	struct rig r;

	rig_init(&r, TABLE);
	assert_int_equal(uds_tester_present(&r.c, 0), 0);
	expect_req(&r, REQ_TP, sizeof REQ_TP);
	answer(&r, 5 * MS);
	assert_int_equal(r.got.rc, 0);
	assert_int_equal(r.got.sid, 0x3E);
}

/* ---- data and DTC services ---- */

static void read_vin(void **state)
{
	struct rig r;
	char vin[UDS_VIN_LEN + 1];
	const uint8_t *v;
	size_t n;

	rig_init(&r, TABLE);
	assert_int_equal(uds_read_did(&r.c, UDS_DID_VIN, 0), 0);
	expect_req(&r, REQ_VIN, sizeof REQ_VIN);
	answer(&r, 20 * MS);
	assert_int_equal(r.got.rc, 0);
	assert_int_equal(uds_parse_vin(r.got.data, r.got.len, vin), 0);
	assert_string_equal(vin, "LC0CE4CB5N0012345");
	assert_int_equal(uds_parse_did(r.got.data, r.got.len, 0xF190, &v, &n), 0);
	assert_int_equal(n, 17);
	assert_int_equal(uds_parse_did(r.got.data, r.got.len, 0xF191, &v, &n), -ENOMSG);
	/* 16 characters is no VIN; 17 followed by padding is. */
	assert_int_equal(uds_parse_vin(RSP_VIN, sizeof RSP_VIN - 1, vin), -EBADMSG);
	{
		uint8_t padded[sizeof RSP_VIN + 2];

		memcpy(padded, RSP_VIN, sizeof RSP_VIN);
		padded[sizeof RSP_VIN] = 0x00;
		padded[sizeof RSP_VIN + 1] = 0x00;
		assert_int_equal(uds_parse_vin(padded, sizeof padded, vin), 0);
		padded[5] = '?';
		assert_int_equal(uds_parse_vin(padded, sizeof padded, vin), -EBADMSG);
	}
}

static void read_byd_soc(void **state)
{
	struct rig r;
	const uint8_t *v;
	size_t n;

	rig_init(&r, TABLE);
	assert_int_equal(uds_read_did(&r.c, 0x0005, 0), 0);
	expect_req(&r, REQ_SOC, sizeof REQ_SOC);
	answer(&r, 5 * MS);
	assert_int_equal(uds_parse_did(r.got.data, r.got.len, 0x0005, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0], 87);
}

static void dtc_count(void **state)
{
	struct rig r;
	struct uds_dtc_count dc;

	rig_init(&r, TABLE);
	assert_int_equal(uds_read_dtc_count(&r.c, 0xFF, 0), 0);
	expect_req(&r, REQ_COUNT, sizeof REQ_COUNT);
	answer(&r, 5 * MS);
	assert_int_equal(uds_parse_dtc_count(r.got.data, r.got.len, &dc), 0);
	assert_int_equal(dc.avail_mask, 0xFF);
	assert_int_equal(dc.format, 1);
	assert_int_equal(dc.count, 3);
	assert_int_equal(uds_parse_dtc_count(B(0x59, 0x01, 0xFF, 0x01, 0x00), &dc), -EBADMSG);
	assert_int_equal(uds_parse_dtc_count(RSP_LIST, sizeof RSP_LIST, &dc), -ENOMSG);
}

static void dtc_by_status(void **state)
{
	struct rig r;
	struct uds_dtc_list l;
	struct uds_dtc d;
	char s[DTC_STR_3BYTE], st[200];

	rig_init(&r, TABLE);
	assert_int_equal(uds_read_dtc_by_status(&r.c, 0x09, 0), 0);
	expect_req(&r, REQ_LIST, sizeof REQ_LIST);
	answer(&r, 5 * MS);
	assert_int_equal(uds_parse_dtc_list(r.got.data, r.got.len, &l), 0);
	assert_int_equal(l.avail_mask, 0xFF);
	assert_int_equal(l.count, 3);
	/* 01 23 45 / 09: P0123, failure type 45; 0x09 = bits 0 and 3. */
	assert_int_equal(uds_dtc_list_get(&l, 0, &d), 0);
	assert_int_equal(d.code, 0x012345);
	assert_int_equal(d.status, 0x09);
	dtc_format_3byte(d.code, '-', s, sizeof s);
	assert_string_equal(s, "P0123-45");
	uds_dtc_status_str(d.status, st, sizeof st);
	assert_string_equal(st, "testFailed, confirmedDTC");
	/* 1A 01 00 / 2F: 0x1A01 = 00|01|A01 -> P1A01; 0x2F = bits 0,1,2,3,5. */
	assert_int_equal(uds_dtc_list_get(&l, 1, &d), 0);
	dtc_format_3byte(d.code, '-', s, sizeof s);
	assert_string_equal(s, "P1A01-00");
	uds_dtc_status_str(d.status, st, sizeof st);
	assert_string_equal(st, "testFailed, testFailedThisOperationCycle, pendingDTC, "
				"confirmedDTC, testFailedSinceLastClear");
	/* C1 23 00: 11|00|123 -> U0123. */
	assert_int_equal(uds_dtc_list_get(&l, 2, &d), 0);
	dtc_format_3byte(d.code, '-', s, sizeof s);
	assert_string_equal(s, "U0123-00");
	assert_int_equal(uds_dtc_list_get(&l, 3, &d), -ERANGE);
}

static void dtc_list_padding_and_garbage(void **state)
{
	struct uds_dtc_list l;
	struct uds_dtc d;

	/* No DTCs: 59 02 FF alone. */
	assert_int_equal(uds_parse_dtc_list(B(0x59, 0x02, 0xFF), &l), 0);
	assert_int_equal(l.count, 0);
	/* A record whose status is 00 then two bytes of zero padding: still one. */
	assert_int_equal(uds_parse_dtc_list(B(0x59, 0x02, 0xFF, 0x01, 0x23, 0x00, 0x00, 0x00, 0x00),
					    &l), 0);
	assert_int_equal(l.count, 1);
	assert_int_equal(uds_dtc_list_get(&l, 0, &d), 0);
	assert_int_equal(d.code, 0x012300);
	assert_int_equal(d.status, 0);
	/* Three bytes of a record: malformed. */
	assert_int_equal(uds_parse_dtc_list(B(0x59, 0x02, 0xFF, 0x01, 0x23, 0x45), &l), -EBADMSG);
	/* Too short for the availability mask. */
	assert_int_equal(uds_parse_dtc_list(B(0x59, 0x02), &l), -EBADMSG);
	/* A negative response is not a list. */
	assert_int_equal(uds_parse_dtc_list(RSP_NOSVC, sizeof RSP_NOSVC, &l), -ENOMSG);
}

static void supported_dtcs(void **state)
{
	struct rig r;
	struct uds_dtc_list l;
	struct uds_dtc d;
	char s[DTC_STR_3BYTE];

	rig_init(&r, TABLE);
	assert_int_equal(uds_read_supported_dtcs(&r.c, 0), 0);
	expect_req(&r, REQ_SUPP, sizeof REQ_SUPP);
	answer(&r, 5 * MS);
	assert_int_equal(uds_parse_dtc_list(r.got.data, r.got.len, &l), 0);
	assert_int_equal(l.sub, 0x0A);
	assert_int_equal(l.avail_mask, 0x7F);
	assert_int_equal(l.count, 2);
	/* 9A BC DE: 10|01|ABC -> B1ABC, failure type DE. */
	assert_int_equal(uds_dtc_list_get(&l, 1, &d), 0);
	dtc_format_3byte(d.code, '\0', s, sizeof s);
	assert_string_equal(s, "B1ABCDE");
}

static int snap_did_len(void *ud, uint16_t did)
{
	return did == 0xF40D ? 1 : did == 0x1100 ? 2 : -1;
}

static void snapshot_by_dtc(void **state)
{
	struct rig r;
	struct uds_dtc_records rec;
	struct uds_rec_cursor cur;
	struct uds_rec_item it;

	rig_init(&r, TABLE);
	assert_int_equal(uds_read_dtc_snapshot(&r.c, 0x012345, 0xFF, 0), 0);
	expect_req(&r, REQ_SNAP, sizeof REQ_SNAP);
	answer(&r, 5 * MS);
	assert_int_equal(uds_parse_dtc_records(r.got.data, r.got.len, &rec), 0);
	assert_int_equal(rec.dtc.code, 0x012345);
	assert_int_equal(rec.dtc.status, 0x09);
	uds_rec_cursor_init(&cur, &rec);
	assert_int_equal(uds_snapshot_next(&cur, snap_did_len, NULL, &it), 1);
	assert_int_equal(it.record, 1);
	assert_int_equal(it.did, 0xF40D);
	assert_int_equal(it.len, 1);
	assert_int_equal(it.data[0], 0x32);
	assert_int_equal(uds_snapshot_next(&cur, snap_did_len, NULL, &it), 1);
	assert_int_equal(it.did, 0x1100);
	assert_int_equal(it.len, 2);
	assert_int_equal(it.data[1], 0x64);
	assert_int_equal(uds_snapshot_next(&cur, snap_did_len, NULL, &it), 0);
	/* Without lengths, the first DID takes the rest. */
	uds_rec_cursor_init(&cur, &rec);
	assert_int_equal(uds_snapshot_next(&cur, NULL, NULL, &it), 1);
	assert_int_equal(it.did, 0xF40D);
	assert_int_equal(it.len, 5);
	assert_int_equal(uds_snapshot_next(&cur, NULL, NULL, &it), 0);
	/* A length that runs past the payload is malformed. */
	uds_rec_cursor_init(&cur, &rec);
	cur.n = 4;  /* 01 02 F4 0D and no data byte */
	assert_int_equal(uds_snapshot_next(&cur, snap_did_len, NULL, &it), -EBADMSG);
}

static int ext_len(void *ud, uint16_t rec)
{
	return rec == 1 ? 1 : rec == 2 ? 2 : -1;
}

static void ext_data_by_dtc(void **state)
{
	struct rig r;
	struct uds_dtc_records rec;
	struct uds_rec_cursor cur;
	struct uds_rec_item it;

	rig_init(&r, TABLE);
	assert_int_equal(uds_read_dtc_ext_data(&r.c, 0x012345, 0xFF, 0), 0);
	expect_req(&r, REQ_EXTD, sizeof REQ_EXTD);
	answer(&r, 5 * MS);
	assert_int_equal(uds_parse_dtc_records(r.got.data, r.got.len, &rec), 0);
	assert_int_equal(rec.sub, 0x06);
	uds_rec_cursor_init(&cur, &rec);
	assert_int_equal(uds_extdata_next(&cur, ext_len, NULL, &it), 1);
	assert_int_equal(it.record, 1);
	assert_int_equal(it.len, 1);
	assert_int_equal(it.data[0], 5);
	assert_int_equal(uds_extdata_next(&cur, ext_len, NULL, &it), 1);
	assert_int_equal(it.record, 2);
	assert_int_equal(it.len, 2);
	assert_int_equal(it.data[1], 0x10);
	assert_int_equal(uds_extdata_next(&cur, ext_len, NULL, &it), 0);
}

static void clear_all(void **state)
{
	struct rig r;

	rig_init(&r, TABLE);
	assert_int_equal(uds_clear_dtc(&r.c, UDS_DTC_GROUP_ALL, 0), 0);
	expect_req(&r, REQ_CLEAR, sizeof REQ_CLEAR);
	answer(&r, 30 * MS);
	assert_int_equal(r.got.rc, 0);
	assert_int_equal(r.got.len, 1);
}

/* ---- negative responses and timing ---- */

static void nrc_decoded(void **state)
{
	struct rig r;
	uint8_t sid, nrc;

	rig_init(&r, TABLE);
	assert_int_equal(uds_read_did(&r.c, 0x1234, 0), 0);
	answer(&r, 5 * MS);
	assert_int_equal(r.got.rc, 0x31);
	assert_string_equal(uds_rc_str(r.got.rc), "requestOutOfRange");
	assert_int_equal(uds_parse_negative(r.got.data, r.got.len, &sid, &nrc), 0);
	assert_int_equal(sid, 0x22);
	assert_int_equal(nrc, 0x31);
	assert_string_equal(uds_nrc_name(0x10), "generalReject");
	assert_string_equal(uds_nrc_name(0x11), "serviceNotSupported");
	assert_string_equal(uds_nrc_name(0x12), "subFunctionNotSupported");
	assert_string_equal(uds_nrc_name(0x13), "incorrectMessageLengthOrInvalidFormat");
	assert_string_equal(uds_nrc_name(0x22), "conditionsNotCorrect");
	assert_string_equal(uds_nrc_name(0x33), "securityAccessDenied");
	assert_string_equal(uds_nrc_name(0x78), "requestCorrectlyReceived-ResponsePending");
	assert_string_equal(uds_nrc_name(0x7E), "subFunctionNotSupportedInActiveSession");
	assert_string_equal(uds_nrc_name(0x7F), "serviceNotSupportedInActiveSession");
	assert_string_equal(uds_nrc_name(0x93), "voltageTooLow");
	assert_string_equal(uds_nrc_name(0x40), "reservedByExtendedDataLinkSecurityDocument");
	assert_string_equal(uds_nrc_name(0xF5), "vehicleManufacturerSpecificConditionsNotCorrect");
	assert_string_equal(uds_nrc_name(0x01), "ISOSAEReserved");
	assert_string_equal(uds_rc_str(0), "positiveResponse");
	assert_string_equal(uds_rc_str(-ETIMEDOUT), "no response (P2/P2* timeout)");
	assert_int_equal(uds_parse_negative(B(0x7F, 0x22), &sid, &nrc), -EBADMSG);
}

static void response_pending_then_answer(void **state)
{
	struct rig r;

	rig_init(&r, TABLE);
	assert_int_equal(uds_read_dtc_by_status(&r.c, 0x09, 0), 0);
	/* 7F 19 78 inside P2: wait P2* = 5000 ms from it. */
	uds_on_payload(&r.c, B(0x7F, 0x19, 0x78), 40 * MS);
	assert_int_equal(r.got.n, 0);
	assert_int_equal(uds_poll(&r.c, 1000 * MS), 5040 * MS);
	/* A second 0x78 restarts P2*. */
	uds_on_payload(&r.c, B(0x7F, 0x19, 0x78), 3000 * MS);
	assert_int_equal(uds_poll(&r.c, 5040 * MS), 8000 * MS);
	answer(&r, 7000 * MS);
	assert_int_equal(r.got.n, 1);
	assert_int_equal(r.got.rc, 0);
	assert_int_equal(r.got.pending, 2);
	assert_int_equal(r.c.stats.pending, 2);
}

static void response_pending_then_timeout(void **state)
{
	struct rig r;

	rig_init(&r, TABLE);
	assert_int_equal(uds_read_did(&r.c, 0x0005, 0), 0);
	uds_on_payload(&r.c, B(0x7F, 0x22, 0x78), 10 * MS);
	uds_poll(&r.c, 5009 * MS);
	assert_int_equal(r.got.n, 0);
	uds_poll(&r.c, 5010 * MS);
	assert_int_equal(r.got.n, 1);
	assert_int_equal(r.got.rc, -ETIMEDOUT);
	assert_int_equal(r.got.pending, 1);
	assert_int_equal(r.c.stats.timeouts, 1);
}

static void p2_timeout(void **state)
{
	struct rig r;

	rig_init(&r, TABLE);
	assert_int_equal(uds_read_did(&r.c, 0xABCD, 0), 0);  /* not in the table: silence */
	assert_int_equal(uds_poll(&r.c, 49999), 50000);
	assert_int_equal(r.got.n, 0);
	assert_int_equal(uds_poll(&r.c, 50000), UDS_NO_DEADLINE);
	assert_int_equal(r.got.rc, -ETIMEDOUT);
	assert_false(r.got.has_data);
	/* The answer arriving late is ignored. */
	uds_on_payload(&r.c, B(0x62, 0xAB, 0xCD, 0x01), 60 * MS);
	assert_int_equal(r.got.n, 1);
	assert_int_equal(r.c.stats.ignored, 1);
}

static void one_request_at_a_time(void **state)
{
	struct rig r;

	rig_init(&r, TABLE);
	assert_int_equal(uds_read_did(&r.c, UDS_DID_VIN, 0), 0);
	assert_int_equal(uds_read_did(&r.c, 0x0005, 0), -EBUSY);
	assert_int_equal(r.ecu.n_reqs, 1);
	assert_int_equal(uds_request(&r.c, NULL, 0, 0), -EINVAL);
	answer(&r, 1 * MS);
	assert_int_equal(uds_read_did(&r.c, 0x0005, 1 * MS), 0);
}

static void mismatched_responses_ignored(void **state)
{
	struct rig r;

	rig_init(&r, TABLE);
	assert_int_equal(uds_read_did(&r.c, UDS_DID_VIN, 0), 0);
	uds_on_payload(&r.c, B(0x62, 0xF1, 0x91, 0x41), 1 * MS);  /* other DID */
	uds_on_payload(&r.c, B(0x7F, 0x19, 0x31), 2 * MS);        /* NRC for another service */
	uds_on_payload(&r.c, B(0x59, 0x02, 0xFF), 3 * MS);        /* other service */
	uds_on_payload(&r.c, B(0x7F, 0x22), 4 * MS);              /* truncated NRC */
	assert_int_equal(r.got.n, 0);
	assert_int_equal(r.c.stats.ignored, 4);
	answer(&r, 5 * MS);
	assert_int_equal(r.got.n, 1);
	assert_int_equal(r.got.rc, 0);
}

static void transport_errors(void **state)
{
	struct rig r;

	rig_init(&r, TABLE);
	r.ecu.send_rc = -EBUSY;
	assert_int_equal(uds_read_did(&r.c, UDS_DID_VIN, 0), -EBUSY);
	assert_false(r.c.busy);
	r.ecu.send_rc = 0;
	assert_int_equal(uds_read_did(&r.c, UDS_DID_VIN, 0), 0);
	/* The send failed later (e.g. ISO-TP N_Bs): reported as the result. */
	uds_on_tx_done(&r.c, -ETIMEDOUT, 900 * MS);
	assert_int_equal(r.got.n, 1);
	assert_int_equal(r.got.rc, -ETIMEDOUT);
	/* A long multi-frame send: P2 counts from its end. */
	assert_int_equal(uds_read_did(&r.c, UDS_DID_VIN, 1000 * MS), 0);
	uds_on_tx_done(&r.c, 0, 1300 * MS);
	assert_int_equal(uds_poll(&r.c, 1300 * MS), 1350 * MS);
}

/* ---- KWP2000 fallback ---- */

static void kwp_fallback_after_service_not_supported(void **state)
{
	struct rig r;
	struct uds_dtc_list l;
	struct uds_dtc d;
	char s[DTC_STR_2BYTE], st[128];

	rig_init(&r, TABLE);
	assert_int_equal(uds_read_dtc_by_status(&r.c, 0xFF, 0), 0);
	answer(&r, 5 * MS);
	assert_int_equal(r.got.rc, UDS_NRC_SERVICE_NOT_SUPPORTED);
	/* ISO 14230-3: 18 <statusOfDTC 00> <groupOfDTC FF00 = all>. */
	assert_int_equal(kwp_read_dtc_by_status(&r.c, 0x00, KWP_DTC_GROUP_ALL, 2, 10 * MS), 0);
	expect_req(&r, REQ_KWP, sizeof REQ_KWP);
	answer(&r, 20 * MS);
	assert_int_equal(r.got.rc, 0);
	assert_int_equal(kwp_parse_dtc_by_status(r.got.data, r.got.len, 0, &l), 0);
	assert_int_equal(l.count, 2);
	assert_int_equal(l.dtc_bytes, 2);  /* 6 bytes for 2 DTCs: 3 each */
	/* 01 33 -> P0133; status E0: warning lamp (bit 7), storage 11 = present. */
	assert_int_equal(uds_dtc_list_get(&l, 0, &d), 0);
	assert_int_equal(d.code, 0x0133);
	dtc_format_2byte((uint16_t)d.code, s, sizeof s);
	assert_string_equal(s, "P0133");
	kwp_dtc_status_str(d.status, st, sizeof st);
	assert_string_equal(st, "presentAtRequest, warningLamp");
	/* C1 23 -> U0123; status 20: storage 01 = stored, not present. */
	assert_int_equal(uds_dtc_list_get(&l, 1, &d), 0);
	dtc_format_2byte((uint16_t)d.code, s, sizeof s);
	assert_string_equal(s, "U0123");
	kwp_dtc_status_str(d.status, st, sizeof st);
	assert_string_equal(st, "storedNotPresent");
}

static void kwp_parse_variants(void **state)
{
	struct uds_client c;
	struct fake_ecu f = {0};
	struct uds_transport tp = {fake_send, &f};
	struct uds_dtc_list l;
	struct uds_dtc d;

	/* BYD-style 3-byte group: 18 00 FF FF FF (reference §4.2). */
	uds_client_init(&c, &tp, NULL, NULL, NULL);
	assert_int_equal(kwp_read_dtc_by_status(&c, 0x00, 0xFFFFFF, 3, 0), 0);
	assert_int_equal(f.last_len, 5);
	assert_memory_equal(f.last, ((const uint8_t[]){0x18, 0x00, 0xFF, 0xFF, 0xFF}), 5);
	assert_int_equal(kwp_read_dtc_by_status(&c, 0x00, 0xFF00, 4, 0), -EINVAL);
	/* 58 01, then 4 bytes: a 3-byte DTC 1A 01 00 with status 60. */
	assert_int_equal(kwp_parse_dtc_by_status(B(0x58, 0x01, 0x1A, 0x01, 0x00, 0x60), 0, &l), 0);
	assert_int_equal(l.dtc_bytes, 3);
	uds_dtc_list_get(&l, 0, &d);
	assert_int_equal(d.code, 0x1A0100);
	assert_int_equal(d.status, 0x60);
	/* Forced to 2 bytes, the same payload reads 1A01 / 00 and ignores the rest. */
	assert_int_equal(kwp_parse_dtc_by_status(B(0x58, 0x01, 0x1A, 0x01, 0x00, 0x60), 2, &l), 0);
	uds_dtc_list_get(&l, 0, &d);
	assert_int_equal(d.code, 0x1A01);
	/* No DTCs. */
	assert_int_equal(kwp_parse_dtc_by_status(B(0x58, 0x00), 0, &l), 0);
	assert_int_equal(l.count, 0);
	/* The count promises more than is there. */
	assert_int_equal(kwp_parse_dtc_by_status(B(0x58, 0x02, 0x01, 0x33, 0xE0), 0, &l),
			 -EBADMSG);
	assert_int_equal(kwp_parse_dtc_by_status(B(0x58), 0, &l), -EBADMSG);
	assert_int_equal(kwp_parse_dtc_by_status(B(0x59, 0x00), 0, &l), -ENOMSG);
}

/* KWP2000 0x14 ClearDiagnosticInformation: 14 <group hi lo> -> 54 <group>. */
static void kwp_clear(void **state)
{
	/* All groups: FF00 (ISO 14230-3). */
	static const uint8_t req_all[] = {0x14, 0xFF, 0x00}, rsp_all[] = {0x54, 0xFF, 0x00};
	/* The body group, B codes: bits 15-14 = 10 -> 0x8000; refused here. */
	static const uint8_t req_body[] = {0x14, 0x80, 0x00}, rsp_body[] = {0x7F, 0x14, 0x31};
	static const struct rule rules[] = {RULE(req_all, rsp_all), RULE(req_body, rsp_body)};
	struct rig r;

	rig_init(&r, rules, 2);
	/* The UDS request first: 14 FF FF FF; this ECU predates it. */
	assert_int_equal(uds_clear_dtc(&r.c, UDS_DTC_GROUP_ALL, 0), 0);
	expect_req(&r, REQ_CLEAR, sizeof REQ_CLEAR);
	uds_on_payload(&r.c, B(0x7F, 0x14, 0x11), 5 * MS);
	assert_int_equal(r.got.rc, UDS_NRC_SERVICE_NOT_SUPPORTED);
	/* Then KWP with a 2-byte group. */
	assert_int_equal(kwp_clear_dtc(&r.c, KWP_DTC_GROUP_ALL, 10 * MS), 0);
	expect_req(&r, B(0x14, 0xFF, 0x00));
	answer(&r, 20 * MS);
	assert_int_equal(r.got.rc, 0);
	assert_int_equal(r.got.sid, 0x14);
	assert_int_equal(kwp_parse_clear_dtc(r.got.data, r.got.len, KWP_DTC_GROUP_ALL), 0);
	assert_int_equal(kwp_clear_dtc(&r.c, 0x8000, 30 * MS), 0);
	expect_req(&r, B(0x14, 0x80, 0x00));
	answer(&r, 40 * MS);
	assert_int_equal(r.got.rc, UDS_NRC_REQUEST_OUT_OF_RANGE);
	assert_int_equal(kwp_parse_clear_dtc(r.got.data, r.got.len, 0x8000), -ENOMSG);
}

static void kwp_clear_parse_variants(void **state)
{
	/* One DTC, U0100 = C1 00: its echo. */
	assert_int_equal(kwp_parse_clear_dtc(B(0x54, 0xC1, 0x00), 0xC100), 0);
	/* A bare 54, as UDS answers. */
	assert_int_equal(kwp_parse_clear_dtc(B(0x54), KWP_DTC_GROUP_ALL), 0);
	/* Another group echoed, a cut echo, a long one. */
	assert_int_equal(kwp_parse_clear_dtc(B(0x54, 0x80, 0x00), KWP_DTC_GROUP_ALL), -EBADMSG);
	assert_int_equal(kwp_parse_clear_dtc(B(0x54, 0xFF), KWP_DTC_GROUP_ALL), -EBADMSG);
	assert_int_equal(kwp_parse_clear_dtc(B(0x54, 0xFF, 0x00, 0x00), KWP_DTC_GROUP_ALL),
			 -EBADMSG);
	/* Not the answer: another service, a negative response, nothing. */
	assert_int_equal(kwp_parse_clear_dtc(B(0x58, 0x00), KWP_DTC_GROUP_ALL), -ENOMSG);
	assert_int_equal(kwp_parse_clear_dtc(B(0x7F, 0x14, 0x22), KWP_DTC_GROUP_ALL), -ENOMSG);
	assert_int_equal(kwp_parse_clear_dtc(NULL, 0, KWP_DTC_GROUP_ALL), -ENOMSG);
}

/* ---- DTC status -> fault state ---- */

/* KWP2000 statusOfDTC: bit 7 warning lamp | bits 6-5 storage state (00 none,
 * 01 stored not present, 10 maturing, 11 present) | bit 4 readiness | bits
 * 3-0 symptom. Each byte is written out in those fields. */
static void kwp_status_to_state(void **state)
{
	assert_int_equal(kwp_dtc_state(0x20), DTC_STATE_STORED);   /* 0|01|0|0000 U0100 in the demo */
	assert_int_equal(kwp_dtc_state(0x60), DTC_STATE_ACTIVE);   /* 0|11|0|0000 B1A00 in the demo */
	assert_int_equal(kwp_dtc_state(0xE0), DTC_STATE_ACTIVE);   /* 1|11|0|0000 lamp on */
	assert_int_equal(kwp_dtc_state(0x40), DTC_STATE_PENDING);  /* 0|10|0|0000 */
	assert_int_equal(kwp_dtc_state(0xD5), DTC_STATE_PENDING);  /* 1|10|1|0101 */
	assert_int_equal(kwp_dtc_state(0x3F), DTC_STATE_STORED);   /* 0|01|1|1111 */
	assert_int_equal(kwp_dtc_state(0x00), DTC_STATE_NONE);     /* 0|00|0|0000 */
	assert_int_equal(kwp_dtc_state(0x93), DTC_STATE_NONE);     /* 1|00|1|0011: lamp, yet none */
	assert_int_equal(kwp_dtc_state(0x9F), DTC_STATE_NONE);     /* 1|00|1|1111 */
	/* Only bits 6-5 count: every byte agrees with its storage bits alone. */
	for (unsigned b = 0; b < 256; b++)
		assert_int_equal(kwp_dtc_state((uint8_t)b), kwp_dtc_state((uint8_t)(b & 0x60)));
	assert_string_equal(dtc_state_name(kwp_dtc_state(0x20)), "stored");
}

/* ISO 14229-1 D.2: bit 0 testFailed, 1 testFailedThisOperationCycle, 2
 * pendingDTC, 3 confirmedDTC, 4 testNotCompletedSinceLastClear, 5
 * testFailedSinceLastClear, 6 testNotCompletedThisOperationCycle, 7
 * warningIndicatorRequested. */
static void uds_status_to_state(void **state)
{
	assert_int_equal(uds_dtc_state(0x01), DTC_STATE_ACTIVE);   /* failing now */
	assert_int_equal(uds_dtc_state(0x09), DTC_STATE_ACTIVE);   /* failing, confirmed (sim P0AA6) */
	assert_int_equal(uds_dtc_state(0x07), DTC_STATE_ACTIVE);   /* failing, not yet confirmed */
	assert_int_equal(uds_dtc_state(0x08), DTC_STATE_STORED);   /* confirmed only (sim P0A9B) */
	assert_int_equal(uds_dtc_state(0x2C), DTC_STATE_STORED);   /* pending+confirmed+failedSinceClear */
	assert_int_equal(uds_dtc_state(0x80), DTC_STATE_STORED);   /* lamp requested, not failing now */
	assert_int_equal(uds_dtc_state(0x24), DTC_STATE_PENDING);  /* pending+failedSinceClear */
	assert_int_equal(uds_dtc_state(0x04), DTC_STATE_PENDING);
	assert_int_equal(uds_dtc_state(0x02), DTC_STATE_PENDING);  /* failed this cycle, no pending bit */
	assert_int_equal(uds_dtc_state(0x50), DTC_STATE_NONE);     /* not tested since clear nor this cycle */
	assert_int_equal(uds_dtc_state(0x20), DTC_STATE_NONE);     /* failed since clear, aged out */
	assert_int_equal(uds_dtc_state(0x00), DTC_STATE_NONE);
	assert_string_equal(dtc_state_name(DTC_STATE_NONE), "none");
	assert_string_equal(dtc_state_name(DTC_STATE_ACTIVE), "active");
	assert_string_equal(dtc_state_name(DTC_STATE_PENDING), "pending");
	assert_null(dtc_state_name((enum dtc_state)7));
}

/* ---- DTC text ---- */

static void dtc_text(void **state)
{
	char s[DTC_STR_3BYTE], st[200];

	/* Bits 15-14: 00 P, 01 C, 10 B, 11 U; bits 13-12 the first digit. */
	dtc_format_2byte(0x4123, s, sizeof s);  /* 01|00|123 */
	assert_string_equal(s, "C0123");
	dtc_format_2byte(0x8000, s, sizeof s);
	assert_string_equal(s, "B0000");
	dtc_format_2byte(0xFFFF, s, sizeof s);  /* 11|11|FFF */
	assert_string_equal(s, "U3FFF");
	dtc_format_2byte(0x3ABC, s, sizeof s);  /* 00|11|ABC */
	assert_string_equal(s, "P3ABC");
	assert_int_equal(dtc_format_2byte(0x0133, s, 5), -ENOSPC);
	assert_int_equal(dtc_format_3byte(0x012345, '-', s, 8), -ENOSPC);
	assert_int_equal(dtc_format_3byte(0x012345, '\0', s, 8), 7);
	assert_string_equal(s, "P012345");
	assert_int_equal(uds_dtc_status_str(0, st, sizeof st), 4);
	assert_string_equal(st, "none");
	assert_true(uds_dtc_status_str(0xFF, st, sizeof st) > 0);
	assert_string_equal(st, "testFailed, testFailedThisOperationCycle, pendingDTC, "
				"confirmedDTC, testNotCompletedSinceLastClear, "
				"testFailedSinceLastClear, testNotCompletedThisOperationCycle, "
				"warningIndicatorRequested");
	assert_int_equal(uds_dtc_status_str(0xFF, st, 20), -ENOSPC);
	assert_int_equal(strlen(st), 19);
	assert_string_equal(uds_dtc_status_bit_name(7), "warningIndicatorRequested");
	assert_null(uds_dtc_status_bit_name(8));
	kwp_dtc_status_str(0x93, st, sizeof st);  /* 1|00|1|0011 */
	assert_string_equal(st, "noDTCDetected, warningLamp, testNotComplete, symptom 0x3");
}

static int snap_did_len_1(void *ud, uint16_t did)
{
	return 1;
}

static void session_parse_forms(void **state)
{
	struct uds_session_info si;

	/* KWP-style 50 81: no timing record; bit 7 is not part of the session. */
	assert_int_equal(uds_parse_session(B(0x50, 0x81), &si), 0);
	assert_int_equal(si.session, 0x01);
	assert_false(si.has_timing);
	assert_int_equal(uds_parse_session(B(0x50, 0x03, 0x00), &si), -EBADMSG);
	assert_int_equal(uds_parse_session(B(0x50), &si), -EBADMSG);
	assert_int_equal(uds_parse_session(B(0x7F, 0x10, 0x12), &si), -ENOMSG);
}

static void snapshot_open_ended_and_truncated(void **state)
{
	struct uds_dtc_records rec;
	struct uds_rec_cursor cur;
	struct uds_rec_item it;
	int n = 0;

	/* numberOfIdentifiers 00: more than 255 DIDs, read to the end.
	 * Two 1-byte DIDs: F40D = 32, F405 = 7B. */
	assert_int_equal(uds_parse_dtc_records(B(0x59, 0x04, 0x01, 0x23, 0x45, 0x09, 0x01, 0x00,
						 0xF4, 0x0D, 0x32, 0xF4, 0x05, 0x7B), &rec), 0);
	uds_rec_cursor_init(&cur, &rec);
	while (uds_snapshot_next(&cur, snap_did_len_1, NULL, &it) == 1)
		n++;
	assert_int_equal(n, 2);
	/* A record header cut after one byte. */
	assert_int_equal(uds_parse_dtc_records(B(0x59, 0x04, 0x01, 0x23, 0x45, 0x09, 0x01), &rec), 0);
	uds_rec_cursor_init(&cur, &rec);
	assert_int_equal(uds_snapshot_next(&cur, NULL, NULL, &it), -EBADMSG);
	/* A DID cut after one byte. */
	assert_int_equal(uds_parse_dtc_records(B(0x59, 0x04, 0x01, 0x23, 0x45, 0x09, 0x01, 0x01,
						 0xF4), &rec), 0);
	uds_rec_cursor_init(&cur, &rec);
	assert_int_equal(uds_snapshot_next(&cur, NULL, NULL, &it), -EBADMSG);
	/* An extended data record longer than what is left. */
	assert_int_equal(uds_parse_dtc_records(B(0x59, 0x06, 0x01, 0x23, 0x45, 0x09, 0x02, 0x00),
					       &rec), 0);
	uds_rec_cursor_init(&cur, &rec);
	assert_int_equal(uds_extdata_next(&cur, ext_len, NULL, &it), -EBADMSG);
	assert_int_equal(uds_parse_dtc_records(B(0x59, 0x04, 0x01, 0x23), &rec), -EBADMSG);
	assert_int_equal(uds_parse_dtc_records(B(0x59, 0x02, 0xFF), &rec), -ENOMSG);
}

static int keepalive_send(void *ctx, const uint8_t *d, size_t n, int64_t now)
{
	int *calls = ctx;

	(*calls)++;
	return d[0] == 0x3E ? -EBUSY : 0;
}

static void keepalive_retries_when_link_busy(void **state)
{
	struct uds_client c;
	int calls = 0;
	struct uds_transport tp = {keepalive_send, &calls};

	uds_client_init(&c, &tp, NULL, NULL, NULL);
	uds_session_control(&c, UDS_SESSION_EXTENDED, 0);
	uds_on_payload(&c, B(0x50, 0x03), 0);
	/* Link busy at 2 s: try again 100 ms later, not 2 s later. */
	assert_int_equal(uds_poll(&c, 2000 * MS), 2100 * MS);
	assert_int_equal(c.stats.keepalive_errors, 1);
	assert_int_equal(calls, 2);
}

static void stray_multiframe_after_rx_start(void **state)
{
	struct rig r;

	rig_init(&r, TABLE);
	assert_int_equal(uds_read_did(&r.c, UDS_DID_VIN, 0), 0);
	uds_on_rx_start(&r.c, 10 * MS);
	assert_int_equal(uds_poll(&r.c, 10 * MS), UDS_NO_DEADLINE);
	/* It was not our answer: back to waiting, P2 from now. */
	uds_on_payload(&r.c, B(0x62, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08), 30 * MS);
	assert_int_equal(uds_poll(&r.c, 30 * MS), 80 * MS);
	/* A reception cut short by a new message is not the end either. */
	uds_on_rx_start(&r.c, 40 * MS);
	uds_on_rx_error(&r.c, -ECONNRESET, 41 * MS);
	assert_int_equal(r.got.n, 0);
	assert_int_equal(uds_poll(&r.c, 41 * MS), 91 * MS);
	answer(&r, 50 * MS);
	assert_int_equal(r.got.rc, 0);
	/* Oversized requests are refused before anything is sent. */
	{
		static uint8_t big[UDS_REQ_MAX + 1];

		big[0] = 0x2E;
		assert_int_equal(uds_request(&r.c, big, sizeof big, 0), -EMSGSIZE);
	}
	assert_string_equal(uds_rc_str(-EBADMSG), "malformed response");
	assert_string_equal(uds_rc_str(-EIO), "transport error");
}

/* ---- over ISO-TP: a multi-frame response outlasts P2 ---- */

struct bus {
	struct evgw_frame f[16];
	int n;
};

static int bus_send(void *ud, const struct evgw_frame *f)
{
	struct bus *b = ud;

	if (b->n < 16)
		b->f[b->n] = *f;
	b->n++;
	return 0;
}

static void feed(struct uds_isotp *u, int64_t t, const uint8_t *d, size_t n)
{
	struct evgw_frame f;

	memset(&f, 0, sizeof f);
	f.id = u->link.cfg.rx_id;
	f.len = (uint8_t)n;
	memcpy(f.data, d, n);
	assert_true(uds_isotp_on_frame(u, &f, t));
}

static void over_isotp_long_response(void **state)
{
	struct uds_isotp *u = calloc(1, sizeof *u);
	struct isotp_cfg cfg;
	struct bus bus = {0};
	struct got got = {0};
	struct uds_dtc_list l;

	/* BYD BMS: requests to 0x7E7, answers from 0x7EF (reference §4.1). */
	isotp_cfg_default(&cfg, 0x7E7, 0x7EF);
	assert_int_equal(uds_isotp_init(u, &cfg, bus_send, &bus, NULL, on_result, &got), 0);
	assert_int_equal(uds_read_dtc_by_status(&u->client, 0xFF, 0), 0);
	assert_int_equal(bus.n, 1);
	assert_memory_equal(bus.f[0].data, ((const uint8_t[]){0x03, 0x19, 0x02, 0xFF}), 4);
	assert_int_equal(uds_isotp_poll(u, 0), 50 * MS);
	/* 59 02 FF + 3 DTCs = 15 bytes: FF 10 0F + 6, CF 21 + 7, CF 22 + 2. */
	feed(u, 40 * MS, B(0x10, 0x0F, 0x59, 0x02, 0xFF, 0x01, 0x23, 0x45));
	assert_int_equal(bus.n, 2);  /* our FC */
	/* The FF met P2; only N_Cr (1000 ms) runs now. */
	assert_int_equal(uds_isotp_poll(u, 40 * MS), 1040 * MS);
	feed(u, 600 * MS, B(0x21, 0x09, 0x1A, 0x01, 0x00, 0x2F, 0xC1, 0x23));
	assert_int_equal(uds_isotp_poll(u, 600 * MS), 1600 * MS);
	assert_int_equal(got.n, 0);
	feed(u, 1200 * MS, B(0x22, 0x00, 0x08));
	assert_int_equal(got.n, 1);
	assert_int_equal(got.rc, 0);
	assert_int_equal(uds_parse_dtc_list(got.data, got.len, &l), 0);
	assert_int_equal(l.count, 3);
	assert_int_equal(uds_isotp_poll(u, 1200 * MS), UDS_NO_DEADLINE);

	/* A response that stops half-way: N_Cr fails the request. */
	assert_int_equal(uds_read_dtc_by_status(&u->client, 0xFF, 2000 * MS), 0);
	feed(u, 2010 * MS, B(0x10, 0x0F, 0x59, 0x02, 0xFF, 0x01, 0x23, 0x45));
	uds_isotp_poll(u, 3010 * MS);
	assert_int_equal(got.n, 2);
	assert_int_equal(got.rc, -ETIMEDOUT);
	free(u);
}

static void over_isotp_keepalive_frames(void **state)
{
	struct uds_isotp *u = calloc(1, sizeof *u);
	struct isotp_cfg cfg;
	struct bus bus = {0};
	struct got got = {0};

	isotp_cfg_default(&cfg, 0x7E0, 0x7E8);
	assert_int_equal(uds_isotp_init(u, &cfg, bus_send, &bus, NULL, on_result, &got), 0);
	assert_int_equal(uds_session_control(&u->client, UDS_SESSION_EXTENDED, 0), 0);
	feed(u, 10 * MS, B(0x06, 0x50, 0x03, 0x00, 0x32, 0x01, 0xF4));
	assert_int_equal(got.rc, 0);
	assert_int_equal(uds_isotp_poll(u, 10 * MS), 2010 * MS);
	uds_isotp_poll(u, 2010 * MS);
	assert_int_equal(bus.n, 2);
	/* SF 02 3E 80, padded with CC. */
	assert_memory_equal(bus.f[1].data,
			    ((const uint8_t[]){0x02, 0x3E, 0x80, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC}), 8);
	assert_int_equal(got.n, 1);
	free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(session_extended_keeps_alive),
		cmocka_unit_test(keepalive_waits_for_request_in_flight),
		cmocka_unit_test(server_timing_lengthens_ours),
		cmocka_unit_test(server_timing_is_capped),
		cmocka_unit_test(suppressed_positive_response),
		cmocka_unit_test(tester_present_with_response),
		cmocka_unit_test(read_vin),
		cmocka_unit_test(read_byd_soc),
		cmocka_unit_test(dtc_count),
		cmocka_unit_test(dtc_by_status),
		cmocka_unit_test(dtc_list_padding_and_garbage),
		cmocka_unit_test(supported_dtcs),
		cmocka_unit_test(snapshot_by_dtc),
		cmocka_unit_test(ext_data_by_dtc),
		cmocka_unit_test(clear_all),
		cmocka_unit_test(nrc_decoded),
		cmocka_unit_test(response_pending_then_answer),
		cmocka_unit_test(response_pending_then_timeout),
		cmocka_unit_test(p2_timeout),
		cmocka_unit_test(one_request_at_a_time),
		cmocka_unit_test(mismatched_responses_ignored),
		cmocka_unit_test(transport_errors),
		cmocka_unit_test(kwp_fallback_after_service_not_supported),
		cmocka_unit_test(kwp_parse_variants),
		cmocka_unit_test(kwp_clear),
		cmocka_unit_test(kwp_clear_parse_variants),
		cmocka_unit_test(kwp_status_to_state),
		cmocka_unit_test(uds_status_to_state),
		cmocka_unit_test(dtc_text),
		cmocka_unit_test(session_parse_forms),
		cmocka_unit_test(snapshot_open_ended_and_truncated),
		cmocka_unit_test(keepalive_retries_when_link_busy),
		cmocka_unit_test(stray_multiframe_after_rx_start),
		cmocka_unit_test(over_isotp_long_response),
		cmocka_unit_test(over_isotp_keepalive_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
