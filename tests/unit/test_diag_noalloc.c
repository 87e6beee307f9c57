// SPDX-License-Identifier: MIT
/* The diagnostic engines allocate nothing per frame: an ISO-TP link
 * receiving and sending multi-frame messages, the J1939 transport
 * receiving BAM and RTS/CTS transfers, DM1 parsing, UDS response parsing
 * and our address claim, each run many times over, leave the heap call
 * count unchanged after set-up.
 *
 * Counting: tests/common/alloc_count.c through the linker's --wrap (see
 * tests/CMakeLists.txt). Without the wrapping the counter stays 0 and the
 * test would pass vacuously, so it first checks that a malloc is counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_count.h"
#include "diag/isotp.h"
#include "diag/uds.h"
#include "j1939/j1939_claim.h"
#include "j1939/j1939_dm.h"
#include "j1939/j1939_tp.h"

#define ROUNDS 2000

static void test_counter_works(void **state)
{
	(void)state;
	unsigned long long before = alloc_count_get();
	void *volatile p = malloc(16);
	free(p);
	assert_true(alloc_count_get() > before);
}

/* --- ISO-TP: two links back to back (tester 7E7 <-> ECU 7EF); frames
 * pass through a fixed queue, as through a bus, never re-entrantly. --- */

struct wire {
	struct evgw_frame q[64];
	unsigned head, tail;
	unsigned delivered[2];
};

static int enqueue(void *ud, const struct evgw_frame *f)
{
	struct wire *w = ud;
	if (w->tail - w->head == 64)
		return -EAGAIN;
	w->q[w->tail++ % 64] = *f;
	return 0;
}

static void got(void *ud, const uint8_t *data, size_t len, int err, int64_t now)
{
	(void)data;
	(void)now;
	unsigned *n = ud;
	if (err == 0 && len == 100)
		(*n)++;
}

static void pump(struct wire *w, struct isotp_link *a, struct isotp_link *b, int64_t *now)
{
	for (int i = 0; i < 200 && (isotp_tx_busy(a) || isotp_tx_busy(b) || w->head != w->tail); i++) {
		while (w->head != w->tail) {
			struct evgw_frame f = w->q[w->head++ % 64];
			isotp_on_frame(a, &f, *now);
			isotp_on_frame(b, &f, *now);
		}
		*now += 1000;
		isotp_poll(a, *now);
		isotp_poll(b, *now);
	}
}

static void test_isotp(void **state)
{
	(void)state;
	static struct isotp_link a, b;
	static struct wire w;
	struct isotp_cfg ca, cb;
	isotp_cfg_default(&ca, 0x7E7, 0x7EF);
	isotp_cfg_default(&cb, 0x7EF, 0x7E7);
	ca.on_rx = got;
	ca.cb_ud = &w.delivered[0];
	cb.on_rx = got;
	cb.cb_ud = &w.delivered[1];
	assert_int_equal(isotp_init(&a, &ca, enqueue, &w), 0);
	assert_int_equal(isotp_init(&b, &cb, enqueue, &w), 0);
	uint8_t msg[100];
	for (unsigned i = 0; i < sizeof msg; i++)
		msg[i] = (uint8_t)i;
	int64_t now = 0;
	unsigned long long before = alloc_count_get();
	for (int r = 0; r < ROUNDS; r++) {
		/* FF, FC, then 14 CFs (100 = 6 + 13 * 7 + 3), each way */
		assert_true(isotp_send(&a, msg, sizeof msg, now) >= 0);
		pump(&w, &a, &b, &now);
		assert_true(isotp_send(&b, msg, sizeof msg, now) >= 0);
		pump(&w, &a, &b, &now);
	}
	assert_int_equal(w.delivered[1], ROUNDS);
	assert_int_equal(w.delivered[0], ROUNDS);
	assert_int_equal(alloc_count_get() - before, 0);
}

/* --- J1939 transport: a BAM and an RTS/CTS transfer, received --- */

struct tp_sink {
	unsigned messages;
	unsigned sent;
};

static void tp_deliver(void *ud, uint32_t pgn, uint8_t sa, uint8_t da, const uint8_t *data,
		       size_t len, int64_t now)
{
	(void)pgn;
	(void)sa;
	(void)da;
	(void)data;
	(void)now;
	struct tp_sink *s = ud;
	if (len == 14)
		s->messages++;
}

static int tp_send(void *ud, const struct evgw_frame *f)
{
	(void)f;
	((struct tp_sink *)ud)->sent++; /* our CTS and EndOfMsgAck */
	return 0;
}

static struct evgw_frame ext(uint32_t id, const uint8_t d[8])
{
	struct evgw_frame f;
	memset(&f, 0, sizeof f);
	f.id = id;
	f.flags = EVGW_FRAME_EXT;
	f.len = 8;
	memcpy(f.data, d, 8);
	return f;
}

static void test_j1939(void **state)
{
	(void)state;
	static struct j1939_tp tp;
	struct tp_sink sink = {0, 0};
	static const struct j1939_tp_ops ops = {tp_send, tp_deliver, NULL};
	struct j1939_tp_config cfg;
	j1939_tp_config_default(&cfg);
	cfg.our_sa = 0xF9;
	assert_int_equal(j1939_tp_init(&tp, &cfg, &ops, &sink), 0);
	static struct j1939_dm_msg dm;
	struct j1939_dm_cm_table cm;
	memset(&cm, 0, sizeof cm);
	struct j1939_claim claim;
	j1939_claim_init(&claim, j1939_claim_tool_name(1), 0xF9);
	struct evgw_frame cf, out;
	j1939_claim_start(&claim, 0, &cf);
	/* J1939-21: TP.CM BAM (0x20) for 14 bytes, 2 packets, PGN 0xFECA (DM1),
	 * from SA 0x00 to global: 0x1CECFF00; TP.DT 0x1CEBFF00. RTS (0x10) to us:
	 * 0x1CECF900, DT 0x1CEBF900. */
	const uint8_t bam[8] = {0x20, 14, 0, 2, 0xFF, 0xCA, 0xFE, 0x00};
	const uint8_t rts[8] = {0x10, 14, 0, 2, 0xFF, 0xCA, 0xFE, 0x00};
	const uint8_t dt1[8] = {1, 0x40, 0xFF, 0x6F, 0x00, 0x01, 0x03, 0x23};
	const uint8_t dt2[8] = {2, 0xF1, 0xE2, 0x01, 0x00, 0x02, 0x05, 0x7F};
	const uint8_t dm1[14] = {0x40, 0xFF, 0x6F, 0x00, 0x01, 0x03, 0x23,
				 0xF1, 0xE2, 0x01, 0x00, 0x02, 0x05, 0x7F};
	const uint8_t ask_claim[8] = {0x00, 0xEE, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
	int64_t now = 300000; /* the claim's 250 ms are over: ours */
	unsigned long long before = alloc_count_get();
	for (int r = 0; r < ROUNDS; r++) {
		struct evgw_frame f = ext(0x1CECFF00, bam);
		j1939_tp_rx(&tp, &f, now += 1000);
		f = ext(0x1CEBFF00, dt1);
		j1939_tp_rx(&tp, &f, now += 50000);
		f = ext(0x1CEBFF00, dt2);
		j1939_tp_rx(&tp, &f, now += 50000);
		f = ext(0x1CECF900, rts);
		j1939_tp_rx(&tp, &f, now += 1000);
		f = ext(0x1CEBF900, dt1);
		j1939_tp_rx(&tp, &f, now += 1000);
		f = ext(0x1CEBF900, dt2);
		j1939_tp_rx(&tp, &f, now += 1000);
		j1939_tp_poll(&tp, now);
		assert_int_equal(j1939_dm_parse(dm1, sizeof dm1, 0x00, &cm, &dm), 3); /* 3 DTCs */
		f = ext(0x18EAFF00, ask_claim);
		f.len = 3;
		j1939_claim_poll(&claim, now);
		assert_int_equal(j1939_claim_rx(&claim, &f, now, &out), 1);
	}
	assert_int_equal(sink.messages, 2 * ROUNDS);
	assert_true(sink.sent >= 2 * ROUNDS); /* a CTS and an EndOfMsgAck each */
	assert_int_equal(alloc_count_get() - before, 0);
}

/* --- UDS responses parsed in place --- */

static void test_uds_parse(void **state)
{
	(void)state;
	/* 59 02 FF + 3 DTC records (P0A9B-00 09, U0100-87 2F, C1A12-11 08) */
	const uint8_t resp[] = {0x59, 0x02, 0xFF, 0x0A, 0x9B, 0x00, 0x09, 0xC1, 0x00,
				0x87, 0x2F, 0x5A, 0x12, 0x11, 0x08};
	const uint8_t nrc[] = {0x7F, 0x19, 0x11};
	unsigned long long before = alloc_count_get();
	for (int r = 0; r < ROUNDS * 10; r++) {
		struct uds_dtc_list l;
		assert_int_equal(uds_parse_dtc_list(resp, sizeof resp, &l), 0);
		struct uds_dtc d;
		assert_int_equal(uds_dtc_list_get(&l, 2, &d), 0);
		uint8_t sid, code;
		assert_int_equal(uds_parse_negative(nrc, sizeof nrc, &sid, &code), 0);
	}
	assert_int_equal(alloc_count_get() - before, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counter_works),
		cmocka_unit_test(test_isotp),
		cmocka_unit_test(test_j1939),
		cmocka_unit_test(test_uds_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
