// SPDX-License-Identifier: MIT
/* J1939-21 transport protocol, receive and transmit, on a fake clock. The
 * expected frames are written out byte by byte from the TP.CM / TP.DT
 * layouts (J1939-21; reference doc 3a), with the reasoning beside them:
 *
 *   id   = prio << 26 | PF << 16 | DA << 8 | SA   (PF 0xEC TP.CM, 0xEB TP.DT)
 *          prio 7 -> 0x1C000000, so TP.CM from 0x00 to all = 0x1CECFF00
 *   RTS  10 size.lo size.hi packets max pgn.lo pgn.mid pgn.hi
 *   CTS  11 count next FF FF pgn
 *   EOMA 13 size.lo size.hi packets FF pgn
 *   BAM  20 size.lo size.hi packets FF pgn
 *   ABRT FF reason FF FF FF pgn
 *   DT   seq d d d d d d d (last one padded with FF)
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "j1939/j1939_dm.h"
#include "j1939/j1939_id.h"
#include "j1939/j1939_tp.h"
#include "test_support.h"

#define MS(x) ((int64_t)(x) * 1000)
#define T0 INT64_C(5000000000)   /* any monotonic start */
#define US 0xF9                  /* our address: an off-board diagnostic tool */
#define MAX_SENT 600
#define MAX_GOT 8

struct got {
	uint32_t pgn;
	uint8_t sa, da;
	size_t len;
	int64_t t;
	uint8_t data[J1939_TP_MAX_SIZE];
};

struct done {
	uint32_t pgn;
	uint8_t da;
	int err;
	uint8_t reason;
	int64_t t;
};

struct h {
	struct j1939_tp tp;
	struct evgw_frame sent[MAX_SENT];
	int64_t sent_t[MAX_SENT];
	unsigned nsent;
	int64_t now;           /* the clock the send callback stamps frames with */
	unsigned refuse;       /* refuse this many sends (-EAGAIN) */
	struct got got[MAX_GOT];
	unsigned ngot;
	struct done done[MAX_GOT];
	unsigned ndone;
};

static int cb_send(void *ud, const struct evgw_frame *f)
{
	struct h *h = ud;

	if (h->refuse) {
		h->refuse--;
		return -EAGAIN;
	}
	assert_true(h->nsent < MAX_SENT);
	h->sent_t[h->nsent] = h->now;
	h->sent[h->nsent++] = *f;
	return 0;
}

static void cb_deliver(void *ud, uint32_t pgn, uint8_t sa, uint8_t da, const uint8_t *data,
		       size_t len, int64_t now_us)
{
	struct h *h = ud;
	struct got *g;

	assert_true(h->ngot < MAX_GOT);
	assert_true(len <= J1939_TP_MAX_SIZE);
	g = &h->got[h->ngot++];
	g->pgn = pgn;
	g->sa = sa;
	g->da = da;
	g->len = len;
	g->t = now_us;
	memcpy(g->data, data, len);
}

static void cb_tx_done(void *ud, uint32_t pgn, uint8_t da, int err, uint8_t reason, int64_t now_us)
{
	struct h *h = ud;

	assert_true(h->ndone < MAX_GOT);
	h->done[h->ndone++] = (struct done){pgn, da, err, reason, now_us};
}

static const struct j1939_tp_ops ops = {cb_send, cb_deliver, cb_tx_done};

static void setup_cfg(struct h *h, uint8_t our_sa, uint8_t cts_max)
{
	struct j1939_tp_config cfg;

	j1939_tp_config_default(&cfg);
	cfg.our_sa = our_sa;
	cfg.cts_max = cts_max;
	assert_int_equal(j1939_tp_init(&h->tp, &cfg, &ops, h), 0);
}

static int setup(void **state)
{
	struct h *h = calloc(1, sizeof *h);

	assert_non_null(h);
	setup_cfg(h, US, 16);
	*state = h;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* Feed an 8-byte frame at time t. */
static int rx8(struct h *h, uint32_t id, int64_t t, uint8_t b0, uint8_t b1, uint8_t b2, uint8_t b3,
	       uint8_t b4, uint8_t b5, uint8_t b6, uint8_t b7)
{
	struct evgw_frame f;
	const uint8_t d[8] = {b0, b1, b2, b3, b4, b5, b6, b7};

	memset(&f, 0, sizeof f);
	f.id = id;
	f.flags = EVGW_FRAME_EXT;
	f.len = 8;
	f.dlc = 8;
	memcpy(f.data, d, 8);
	h->now = t;
	return j1939_tp_rx(&h->tp, &f, t);
}

static int64_t poll_at(struct h *h, int64_t t)
{
	h->now = t;
	return j1939_tp_poll(&h->tp, t);
}

/* Frame i sent by the engine has this id and these 8 bytes. */
static void assert_sent(struct h *h, unsigned i, uint32_t id, uint8_t b0, uint8_t b1, uint8_t b2,
			uint8_t b3, uint8_t b4, uint8_t b5, uint8_t b6, uint8_t b7)
{
	const uint8_t want[8] = {b0, b1, b2, b3, b4, b5, b6, b7};

	assert_true(i < h->nsent);
	assert_int_equal(h->sent[i].id, id);
	assert_int_equal(h->sent[i].flags, EVGW_FRAME_EXT);
	assert_int_equal(h->sent[i].len, 8);
	assert_memory_equal(h->sent[i].data, want, 8);
}

/* Feed TP.DT packets first..last of payload p on id, starting at t, gap apart. */
static void feed_dt(struct h *h, uint32_t id, const uint8_t *p, size_t len, unsigned first,
		    unsigned last, int64_t t, int64_t gap)
{
	for (unsigned seq = first; seq <= last; seq++, t += gap) {
		uint8_t d[8];
		size_t off = (seq - 1) * 7;

		memset(d, 0xFF, sizeof d);
		d[0] = (uint8_t)seq;
		memcpy(d + 1, p + off, len - off < 7 ? len - off : 7);
		assert_int_equal(rx8(h, id, t, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]), 1);
	}
}

static void fill_pattern(uint8_t *p, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

/* --- receive: BAM --------------------------------------------------------- */

/* Given a DM1 from SA 0x00 with amber lamp on and three DTCs, hand-encoded:
 *   lamps   04 FF    amber (bits 3-2) = 01; flash byte all 11 = do not flash
 *   DTC 1   BE 00 02 05   SPN 190 = 0x000BE, FMI 2, CM 0, OC 5
 *   DTC 2   45 23 24 7F   SPN 0x12345 (b2 7-5 = 1), FMI 4, OC 0x7F (n/a)
 *   DTC 3   FF FF E0 01   SPN 0x7FFFF (b2 7-5 = 7), FMI 0, OC 1
 * 14 bytes -> 2 packets of 7. When it arrives by BAM frame by frame, 50 ms
 * apart, then it is delivered once, whole, after the second packet. */
static void test_bam_dm1_three_dtcs(void **state)
{
	struct h *h = *state;
	struct j1939_dm_msg *m = malloc(sizeof *m);
	const uint8_t want[14] = {0x04, 0xFF, 0xBE, 0x00, 0x02, 0x05, 0x45,
				  0x23, 0x24, 0x7F, 0xFF, 0xFF, 0xE0, 0x01};

	assert_non_null(m);
	/* BAM: 20, size 14 = 0E 00, 2 packets, FF, PGN 0xFECA = CA FE 00. */
	assert_int_equal(rx8(h, 0x1CECFF00, T0, 0x20, 0x0E, 0x00, 0x02, 0xFF, 0xCA, 0xFE, 0x00), 1);
	assert_int_equal(j1939_tp_active(&h->tp), 1);
	assert_int_equal(j1939_tp_next_deadline(&h->tp), T0 + MS(750));   /* T1 */
	assert_int_equal(rx8(h, 0x1CEBFF00, T0 + MS(50), 0x01, 0x04, 0xFF, 0xBE, 0x00, 0x02, 0x05, 0x45), 1);
	assert_int_equal(h->ngot, 0);
	assert_int_equal(rx8(h, 0x1CEBFF00, T0 + MS(100), 0x02, 0x23, 0x24, 0x7F, 0xFF, 0xFF, 0xE0, 0x01), 1);
	assert_int_equal(h->ngot, 1);
	assert_int_equal(h->got[0].pgn, J1939_PGN_DM1);
	assert_int_equal(h->got[0].sa, 0x00);
	assert_int_equal(h->got[0].da, 0xFF);
	assert_int_equal(h->got[0].len, 14);
	assert_int_equal(h->got[0].t, T0 + MS(100));
	assert_memory_equal(h->got[0].data, want, 14);
	assert_int_equal(h->nsent, 0);   /* BAM is never answered */
	assert_int_equal(j1939_tp_active(&h->tp), 0);
	assert_int_equal(j1939_tp_next_deadline(&h->tp), INT64_MAX);

	assert_int_equal(j1939_dm_parse(h->got[0].data, h->got[0].len, 0x00, NULL, m), 3);
	assert_int_equal(m->lamps.amber, J1939_LAMP_ON);
	assert_int_equal(m->lamps.mil, J1939_LAMP_OFF);
	assert_int_equal(m->lamps.amber_flash, J1939_FLASH_NONE);
	assert_int_equal(m->dtc[0].spn, 190);
	assert_int_equal(m->dtc[0].fmi, 2);
	assert_int_equal(m->dtc[0].oc, 5);
	assert_int_equal(m->dtc[1].spn, 0x12345);
	assert_int_equal(m->dtc[1].fmi, 4);
	assert_int_equal(m->dtc[1].oc, 0x7F);
	assert_int_equal(m->dtc[2].spn, 0x7FFFF);
	assert_int_equal(m->dtc[2].fmi, 0);
	assert_int_equal(m->dtc[2].oc, 1);
	assert_int_equal(h->tp.stats.rx_done, 1);
	free(m);
}

/* Given a BAM whose last packet is short (9 bytes: 7 + 2), when the last DT
 * carries the 2 bytes then FF padding, then exactly 9 bytes are delivered. */
static void test_bam_padding_not_delivered(void **state)
{
	struct h *h = *state;
	const uint8_t want[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};

	rx8(h, 0x18ECFF21, T0, 0x20, 0x09, 0x00, 0x02, 0xFF, 0x00, 0xEF, 0x00);
	rx8(h, 0x1CEBFF21, T0 + MS(60), 0x01, 1, 2, 3, 4, 5, 6, 7);
	rx8(h, 0x1CEBFF21, T0 + MS(120), 0x02, 8, 9, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
	assert_int_equal(h->ngot, 1);
	assert_int_equal(h->got[0].pgn, 0xEF00);   /* PDU1 PGN: destination byte 0 */
	assert_int_equal(h->got[0].len, 9);
	assert_memory_equal(h->got[0].data, want, 9);
}

/* A BAM's T1: 750 ms after the last packet the session is dropped, silently.
 * 1 us before, it is still alive. */
static void test_bam_timeout_t1(void **state)
{
	struct h *h = *state;

	rx8(h, 0x1CECFF00, T0, 0x20, 0x0E, 0x00, 0x02, 0xFF, 0xCA, 0xFE, 0x00);
	rx8(h, 0x1CEBFF00, T0 + MS(100), 0x01, 0x04, 0xFF, 0xBE, 0x00, 0x02, 0x05, 0x45);
	assert_int_equal(poll_at(h, T0 + MS(850) - 1), T0 + MS(850));
	assert_int_equal(j1939_tp_active(&h->tp), 1);
	assert_int_equal(poll_at(h, T0 + MS(850)), INT64_MAX);
	assert_int_equal(j1939_tp_active(&h->tp), 0);
	assert_int_equal(h->tp.stats.rx_timeouts, 1);
	assert_int_equal(h->nsent, 0);
	/* The late packet finds nothing. */
	rx8(h, 0x1CEBFF00, T0 + MS(900), 0x02, 0x23, 0x24, 0x7F, 0xFF, 0xFF, 0xE0, 0x01);
	assert_int_equal(h->ngot, 0);
}

/* The outcome does not depend on polling: a packet arriving after T1 with
 * no poll in between still finds the session expired. */
static void test_bam_late_packet_without_poll(void **state)
{
	struct h *h = *state;

	rx8(h, 0x1CECFF00, T0, 0x20, 0x0E, 0x00, 0x02, 0xFF, 0xCA, 0xFE, 0x00);
	rx8(h, 0x1CEBFF00, T0 + MS(50), 0x01, 0x04, 0xFF, 0xBE, 0x00, 0x02, 0x05, 0x45);
	rx8(h, 0x1CEBFF00, T0 + MS(50) + MS(750), 0x02, 0x23, 0x24, 0x7F, 0xFF, 0xFF, 0xE0, 0x01);
	assert_int_equal(h->ngot, 0);
	assert_int_equal(h->tp.stats.rx_timeouts, 1);
}

/* A BAM with a missing packet (1 then 3) is dropped: nobody can be asked to
 * send it again. */
static void test_bam_sequence_gap(void **state)
{
	struct h *h = *state;

	rx8(h, 0x1CECFF00, T0, 0x20, 0x15, 0x00, 0x03, 0xFF, 0xCA, 0xFE, 0x00);   /* 21 bytes */
	rx8(h, 0x1CEBFF00, T0 + MS(50), 0x01, 1, 2, 3, 4, 5, 6, 7);
	rx8(h, 0x1CEBFF00, T0 + MS(100), 0x03, 1, 2, 3, 4, 5, 6, 7);
	assert_int_equal(h->tp.stats.rx_seq_errors, 1);
	assert_int_equal(j1939_tp_active(&h->tp), 0);
	rx8(h, 0x1CEBFF00, T0 + MS(150), 0x02, 1, 2, 3, 4, 5, 6, 7);
	assert_int_equal(h->ngot, 0);
	assert_int_equal(h->nsent, 0);
}

/* A new BAM from the same sender replaces the one in progress. */
static void test_bam_replaced(void **state)
{
	struct h *h = *state;
	uint8_t p[10];

	fill_pattern(p, sizeof p, 0x30);
	rx8(h, 0x1CECFF00, T0, 0x20, 0x0E, 0x00, 0x02, 0xFF, 0xCA, 0xFE, 0x00);
	rx8(h, 0x1CEBFF00, T0 + MS(50), 0x01, 0x04, 0xFF, 0xBE, 0x00, 0x02, 0x05, 0x45);
	/* Now a DM2 of 10 bytes: 2 packets. */
	rx8(h, 0x1CECFF00, T0 + MS(100), 0x20, 0x0A, 0x00, 0x02, 0xFF, 0xCB, 0xFE, 0x00);
	feed_dt(h, 0x1CEBFF00, p, sizeof p, 1, 2, T0 + MS(150), MS(50));
	assert_int_equal(h->ngot, 1);
	assert_int_equal(h->got[0].pgn, J1939_PGN_DM2);
	assert_memory_equal(h->got[0].data, p, sizeof p);
	assert_int_equal(h->tp.stats.rx_replaced, 1);
}

/* Malformed announcements are refused: size/packets disagree, size over
 * 1785, a BAM to a single address, a TP.CM shorter than 8 bytes. */
static void test_bam_malformed(void **state)
{
	struct h *h = *state;
	struct evgw_frame f;

	rx8(h, 0x1CECFF00, T0, 0x20, 0x0E, 0x00, 0x03, 0xFF, 0xCA, 0xFE, 0x00);   /* 14 bytes in 3? */
	rx8(h, 0x1CECFF00, T0, 0x20, 0xFA, 0x06, 0xFF, 0xFF, 0xCA, 0xFE, 0x00);   /* 1786 bytes */
	rx8(h, 0x1CEC1700, T0, 0x20, 0x0E, 0x00, 0x02, 0xFF, 0xCA, 0xFE, 0x00);   /* BAM to 0x17 */
	rx8(h, 0x1CECFF00, T0, 0x20, 0x00, 0x00, 0x00, 0xFF, 0xCA, 0xFE, 0x00);   /* 0 bytes */
	memset(&f, 0, sizeof f);
	f.id = 0x1CECFF00;
	f.flags = EVGW_FRAME_EXT;
	f.len = 7;
	assert_int_equal(j1939_tp_rx(&h->tp, &f, T0), 1);
	assert_int_equal(h->tp.stats.rx_bad, 5);
	assert_int_equal(j1939_tp_active(&h->tp), 0);
}

/* Not TP: other PGNs, 11-bit frames, FD frames are left to the caller. */
static void test_not_tp(void **state)
{
	struct h *h = *state;
	struct evgw_frame f;

	memset(&f, 0, sizeof f);
	f.id = 0x18FECA00;
	f.flags = EVGW_FRAME_EXT;
	f.len = 8;
	assert_int_equal(j1939_tp_rx(&h->tp, &f, T0), 0);
	f.id = 0x1CECFF00;
	f.flags = 0;
	assert_int_equal(j1939_tp_rx(&h->tp, &f, T0), 0);
	f.flags = EVGW_FRAME_EXT | EVGW_FRAME_FD;
	assert_int_equal(j1939_tp_rx(&h->tp, &f, T0), 0);
	f.flags = EVGW_FRAME_EXT | EVGW_FRAME_RTR;
	assert_int_equal(j1939_tp_rx(&h->tp, &f, T0), 0);
}

/* --- receive: RTS/CTS addressed to us ---------------------------------- */

/* Given our address 0xF9 and an RTS from 0x17 for a 20-byte DM2:
 *   RTS 0x1CECF917: 10 14 00 03 FF CB FE 00   size 20, 3 packets, no limit
 * then we answer at once on 0x1CEC17F9 (TP.CM, DA 0x17, SA 0xF9):
 *   CTS 11 03 01 FF FF CB FE 00               3 packets from sequence 1
 * and after the third packet:
 *   EOMA 13 14 00 03 FF CB FE 00
 * and the message is delivered as from 0x17 to 0xF9. */
static void test_rts_cts_to_us(void **state)
{
	struct h *h = *state;
	uint8_t p[20];

	fill_pattern(p, sizeof p, 1);
	rx8(h, 0x1CECF917, T0, 0x10, 0x14, 0x00, 0x03, 0xFF, 0xCB, 0xFE, 0x00);
	assert_int_equal(h->nsent, 1);
	assert_sent(h, 0, 0x1CEC17F9, 0x11, 0x03, 0x01, 0xFF, 0xFF, 0xCB, 0xFE, 0x00);
	assert_int_equal(j1939_tp_next_deadline(&h->tp), T0 + MS(1250));   /* T2 */
	feed_dt(h, 0x1CEBF917, p, sizeof p, 1, 2, T0 + MS(10), MS(10));
	assert_int_equal(j1939_tp_next_deadline(&h->tp), T0 + MS(20) + MS(750));   /* T1 */
	assert_int_equal(h->nsent, 1);
	assert_int_equal(h->ngot, 0);
	/* Packet 3: 6 bytes and one FF of padding. */
	feed_dt(h, 0x1CEBF917, p, sizeof p, 3, 3, T0 + MS(30), 0);
	assert_int_equal(h->nsent, 2);
	assert_sent(h, 1, 0x1CEC17F9, 0x13, 0x14, 0x00, 0x03, 0xFF, 0xCB, 0xFE, 0x00);
	assert_int_equal(h->ngot, 1);
	assert_int_equal(h->got[0].sa, 0x17);
	assert_int_equal(h->got[0].da, US);
	assert_int_equal(h->got[0].pgn, J1939_PGN_DM2);
	assert_int_equal(h->got[0].len, 20);
	assert_memory_equal(h->got[0].data, p, 20);
	assert_int_equal(j1939_tp_active(&h->tp), 0);
}

/* Windows: with our cts_max 2 and 5 packets (35 bytes), we grant 2, 2, 1:
 *   CTS 11 02 01 ..., then 11 02 03 ..., then 11 01 05 ..., then EOMA
 *   13 23 00 05 FF ... (35 = 0x23). An RTS limit of 1 (byte 4) wins over
 *   our 2: CTS 11 01 01. */
static void test_rts_cts_windows(void **state)
{
	struct h *h = *state;
	uint8_t p[35];

	setup_cfg(h, US, 2);
	fill_pattern(p, sizeof p, 9);
	rx8(h, 0x1CECF917, T0, 0x10, 0x23, 0x00, 0x05, 0xFF, 0xCA, 0xFE, 0x00);
	assert_sent(h, 0, 0x1CEC17F9, 0x11, 0x02, 0x01, 0xFF, 0xFF, 0xCA, 0xFE, 0x00);
	feed_dt(h, 0x1CEBF917, p, sizeof p, 1, 2, T0 + MS(10), MS(10));
	assert_int_equal(h->nsent, 2);
	assert_sent(h, 1, 0x1CEC17F9, 0x11, 0x02, 0x03, 0xFF, 0xFF, 0xCA, 0xFE, 0x00);
	feed_dt(h, 0x1CEBF917, p, sizeof p, 3, 4, T0 + MS(30), MS(10));
	assert_sent(h, 2, 0x1CEC17F9, 0x11, 0x01, 0x05, 0xFF, 0xFF, 0xCA, 0xFE, 0x00);
	feed_dt(h, 0x1CEBF917, p, sizeof p, 5, 5, T0 + MS(50), 0);
	assert_int_equal(h->nsent, 4);
	assert_sent(h, 3, 0x1CEC17F9, 0x13, 0x23, 0x00, 0x05, 0xFF, 0xCA, 0xFE, 0x00);
	assert_int_equal(h->ngot, 1);
	assert_memory_equal(h->got[0].data, p, sizeof p);

	rx8(h, 0x1CECF903, T0 + MS(100), 0x10, 0x23, 0x00, 0x05, 0x01, 0xCA, 0xFE, 0x00);
	assert_sent(h, 4, 0x1CEC03F9, 0x11, 0x01, 0x01, 0xFF, 0xFF, 0xCA, 0xFE, 0x00);
}

/* T2: an RTS answered by our CTS, then silence. At T2 = 1250 ms we abort
 * with reason 3: FF 03 FF FF FF CB FE 00 to 0x17. */
static void test_rx_timeout_t2(void **state)
{
	struct h *h = *state;

	rx8(h, 0x1CECF917, T0, 0x10, 0x14, 0x00, 0x03, 0xFF, 0xCB, 0xFE, 0x00);
	poll_at(h, T0 + MS(1250) - 1);
	assert_int_equal(h->nsent, 1);
	assert_int_equal(poll_at(h, T0 + MS(1250)), INT64_MAX);
	assert_int_equal(h->nsent, 2);
	assert_sent(h, 1, 0x1CEC17F9, 0xFF, 0x03, 0xFF, 0xFF, 0xFF, 0xCB, 0xFE, 0x00);
	assert_int_equal(h->tp.stats.rx_timeouts, 1);
	assert_int_equal(h->tp.stats.aborts_sent, 1);
	assert_int_equal(h->ngot, 0);
}

/* T1: a packet inside the window, then silence: abort reason 3 at +750 ms. */
static void test_rx_timeout_t1(void **state)
{
	struct h *h = *state;
	uint8_t p[20];

	fill_pattern(p, sizeof p, 1);
	rx8(h, 0x1CECF917, T0, 0x10, 0x14, 0x00, 0x03, 0xFF, 0xCB, 0xFE, 0x00);
	feed_dt(h, 0x1CEBF917, p, sizeof p, 1, 1, T0 + MS(100), 0);
	poll_at(h, T0 + MS(850) - 1);
	assert_int_equal(h->nsent, 1);
	poll_at(h, T0 + MS(850));
	assert_int_equal(h->nsent, 2);
	assert_sent(h, 1, 0x1CEC17F9, 0xFF, 0x03, 0xFF, 0xFF, 0xFF, 0xCB, 0xFE, 0x00);
}

/* To us, packets out of turn abort: a jump ahead with reason 7 (bad
 * sequence), a repeat with reason 8 (duplicate). */
static void test_rx_sequence_errors(void **state)
{
	struct h *h = *state;
	uint8_t p[20];

	fill_pattern(p, sizeof p, 1);
	rx8(h, 0x1CECF917, T0, 0x10, 0x14, 0x00, 0x03, 0xFF, 0xCB, 0xFE, 0x00);
	feed_dt(h, 0x1CEBF917, p, sizeof p, 2, 2, T0 + MS(10), 0);
	assert_int_equal(h->nsent, 2);
	assert_sent(h, 1, 0x1CEC17F9, 0xFF, 0x07, 0xFF, 0xFF, 0xFF, 0xCB, 0xFE, 0x00);
	assert_int_equal(j1939_tp_active(&h->tp), 0);

	rx8(h, 0x1CECF917, T0 + MS(100), 0x10, 0x14, 0x00, 0x03, 0xFF, 0xCB, 0xFE, 0x00);
	feed_dt(h, 0x1CEBF917, p, sizeof p, 1, 1, T0 + MS(110), 0);
	feed_dt(h, 0x1CEBF917, p, sizeof p, 1, 1, T0 + MS(120), 0);
	assert_int_equal(h->nsent, 4);
	assert_sent(h, 3, 0x1CEC17F9, 0xFF, 0x08, 0xFF, 0xFF, 0xFF, 0xCB, 0xFE, 0x00);
	assert_int_equal(h->tp.stats.rx_seq_errors, 2);
	assert_int_equal(h->ngot, 0);
}

/* A second RTS from the same originator replaces the session: no abort,
 * a fresh CTS, and the new message is the one delivered. */
static void test_rts_replaces(void **state)
{
	struct h *h = *state;
	uint8_t a[20], b[9];

	fill_pattern(a, sizeof a, 1);
	fill_pattern(b, sizeof b, 100);
	rx8(h, 0x1CECF917, T0, 0x10, 0x14, 0x00, 0x03, 0xFF, 0xCB, 0xFE, 0x00);
	feed_dt(h, 0x1CEBF917, a, sizeof a, 1, 1, T0 + MS(10), 0);
	rx8(h, 0x1CECF917, T0 + MS(20), 0x10, 0x09, 0x00, 0x02, 0xFF, 0xCA, 0xFE, 0x00);
	assert_int_equal(h->nsent, 2);
	assert_sent(h, 1, 0x1CEC17F9, 0x11, 0x02, 0x01, 0xFF, 0xFF, 0xCA, 0xFE, 0x00);
	feed_dt(h, 0x1CEBF917, b, sizeof b, 1, 2, T0 + MS(30), MS(10));
	assert_int_equal(h->ngot, 1);
	assert_int_equal(h->got[0].pgn, J1939_PGN_DM1);
	assert_memory_equal(h->got[0].data, b, sizeof b);
	assert_int_equal(h->tp.stats.aborts_sent, 0);
	assert_int_equal(h->tp.stats.rx_replaced, 1);
}

/* RTS we cannot take: over 1785 bytes -> abort 9; table full -> abort 1. */
static void test_rts_refused(void **state)
{
	struct h *h = *state;

	/* 1786 = 0x06FA in 256 packets: does not fit a byte; send 0xFF. */
	rx8(h, 0x1CECF917, T0, 0x10, 0xFA, 0x06, 0xFF, 0xFF, 0xCA, 0xFE, 0x00);
	assert_sent(h, 0, 0x1CEC17F9, 0xFF, 0x09, 0xFF, 0xFF, 0xFF, 0xCA, 0xFE, 0x00);

	/* Fill the table with our own connections (they cannot be evicted). */
	for (unsigned i = 0; i < J1939_TP_SESSIONS; i++)
		rx8(h, 0x1CECF900 | i, T0, 0x10, 0x14, 0x00, 0x03, 0xFF, 0xCB, 0xFE, 0x00);
	assert_int_equal(j1939_tp_active(&h->tp), J1939_TP_SESSIONS);
	h->nsent = 0;
	rx8(h, 0x1CECF940, T0, 0x10, 0x14, 0x00, 0x03, 0xFF, 0xCB, 0xFE, 0x00);
	assert_sent(h, 0, 0x1CEC40F9, 0xFF, 0x01, 0xFF, 0xFF, 0xFF, 0xCB, 0xFE, 0x00);
	assert_int_equal(j1939_tp_active(&h->tp), J1939_TP_SESSIONS);
}

/* Our connection evicts the stalest overheard session when the table is
 * full of them. */
static void test_eviction(void **state)
{
	struct h *h = *state;

	for (unsigned i = 0; i < J1939_TP_SESSIONS; i++)
		rx8(h, 0x1CECFF00 | i, T0 + i, 0x20, 0x0E, 0x00, 0x02, 0xFF, 0xCA, 0xFE, 0x00);
	/* One more BAM finds no room and is refused. */
	rx8(h, 0x1CECFF40, T0 + MS(1), 0x20, 0x0E, 0x00, 0x02, 0xFF, 0xCA, 0xFE, 0x00);
	assert_int_equal(h->tp.stats.rx_no_slot, 1);
	/* An RTS to us takes the slot of BAM 0x00, the stalest. */
	rx8(h, 0x1CECF917, T0 + MS(2), 0x10, 0x14, 0x00, 0x03, 0xFF, 0xCB, 0xFE, 0x00);
	assert_sent(h, 0, 0x1CEC17F9, 0x11, 0x03, 0x01, 0xFF, 0xFF, 0xCB, 0xFE, 0x00);
	assert_int_equal(h->tp.stats.rx_no_slot, 2);
	rx8(h, 0x1CEBFF00, T0 + MS(3), 0x01, 0x04, 0xFF, 0xBE, 0x00, 0x02, 0x05, 0x45);
	rx8(h, 0x1CEBFF00, T0 + MS(4), 0x02, 0x23, 0x24, 0x7F, 0xFF, 0xFF, 0xE0, 0x01);
	assert_int_equal(h->ngot, 0);   /* its BAM is gone */
	rx8(h, 0x1CEBFF01, T0 + MS(3), 0x01, 0x04, 0xFF, 0xBE, 0x00, 0x02, 0x05, 0x45);
	rx8(h, 0x1CEBFF01, T0 + MS(4), 0x02, 0x23, 0x24, 0x7F, 0xFF, 0xFF, 0xE0, 0x01);
	assert_int_equal(h->ngot, 1);   /* the others live */
}

/* The originator aborts (reason 2): the session ends, nothing is sent. */
static void test_rx_aborted_by_originator(void **state)
{
	struct h *h = *state;

	rx8(h, 0x1CECF917, T0, 0x10, 0x14, 0x00, 0x03, 0xFF, 0xCB, 0xFE, 0x00);
	/* An abort for another PGN is not ours. */
	rx8(h, 0x1CECF917, T0 + MS(5), 0xFF, 0x02, 0xFF, 0xFF, 0xFF, 0xCA, 0xFE, 0x00);
	assert_int_equal(j1939_tp_active(&h->tp), 1);
	rx8(h, 0x1CECF917, T0 + MS(10), 0xFF, 0x02, 0xFF, 0xFF, 0xFF, 0xCB, 0xFE, 0x00);
	assert_int_equal(j1939_tp_active(&h->tp), 0);
	assert_int_equal(h->tp.stats.rx_aborted, 1);
	assert_int_equal(h->nsent, 1);   /* only the CTS */
}

/* Listen only (no address): an RTS to 0xF9 is followed passively, nothing is
 * sent, and the message is still delivered. */
static void test_listen_only(void **state)
{
	struct h *h = *state;
	uint8_t p[20];

	setup_cfg(h, J1939_ADDR_NULL, 16);
	fill_pattern(p, sizeof p, 3);
	rx8(h, 0x1CECF917, T0, 0x10, 0x14, 0x00, 0x03, 0xFF, 0xCB, 0xFE, 0x00);
	rx8(h, 0x1CEC17F9, T0 + MS(5), 0x11, 0x03, 0x01, 0xFF, 0xFF, 0xCB, 0xFE, 0x00);
	feed_dt(h, 0x1CEBF917, p, sizeof p, 1, 3, T0 + MS(10), MS(10));
	assert_int_equal(h->nsent, 0);
	assert_int_equal(h->ngot, 1);
	assert_memory_equal(h->got[0].data, p, sizeof p);
}

/* Frames from our own address (a driver echo) are consumed and ignored. */
static void test_own_echo_ignored(void **state)
{
	struct h *h = *state;

	assert_int_equal(rx8(h, 0x1CECFFF9, T0, 0x20, 0x0E, 0x00, 0x02, 0xFF, 0xCA, 0xFE, 0x00), 1);
	assert_int_equal(j1939_tp_active(&h->tp), 0);
	assert_int_equal(h->tp.stats.rx_bad, 0);
}

/* --- receive: overheard connections ------------------------------------- */

/* Given 0x21 -> 0x17 and 0x17 -> 0x21 transfers at the same time, both with
 * windows of 2 granted by the other side, when every frame of both is fed
 * interleaved, then both are delivered, nothing is sent. */
static void test_passive_both_directions(void **state)
{
	struct h *h = *state;
	uint8_t a[30], b[16];

	fill_pattern(a, sizeof a, 11);
	fill_pattern(b, sizeof b, 77);
	/* a: 30 bytes = 1E 00, 5 packets; b: 16 bytes = 10 00, 3 packets. */
	rx8(h, 0x1CEC1721, T0, 0x10, 0x1E, 0x00, 0x05, 0xFF, 0x00, 0xEF, 0x00);
	rx8(h, 0x1CEC2117, T0 + 1, 0x10, 0x10, 0x00, 0x03, 0xFF, 0x00, 0xEF, 0x00);
	assert_int_equal(j1939_tp_active(&h->tp), 2);
	rx8(h, 0x1CEC2117, T0 + MS(1), 0x11, 0x02, 0x01, 0xFF, 0xFF, 0x00, 0xEF, 0x00);   /* 17 to 21: CTS */
	rx8(h, 0x1CEC1721, T0 + MS(1), 0x11, 0x02, 0x01, 0xFF, 0xFF, 0x00, 0xEF, 0x00);   /* 21 to 17: CTS */
	feed_dt(h, 0x1CEB1721, a, sizeof a, 1, 2, T0 + MS(2), MS(1));
	feed_dt(h, 0x1CEB2117, b, sizeof b, 1, 2, T0 + MS(2), MS(1));
	/* A hold from 0x17 (CTS 0), then the next window. */
	rx8(h, 0x1CEC2117, T0 + MS(5), 0x11, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	assert_int_equal(j1939_tp_next_deadline(&h->tp) <= T0 + MS(5) + MS(1050), 1);
	rx8(h, 0x1CEC1721, T0 + MS(6), 0x11, 0x01, 0x03, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	feed_dt(h, 0x1CEB2117, b, sizeof b, 3, 3, T0 + MS(7), 0);
	assert_int_equal(h->ngot, 1);
	assert_int_equal(h->got[0].sa, 0x17);
	assert_int_equal(h->got[0].da, 0x21);
	assert_memory_equal(h->got[0].data, b, sizeof b);
	rx8(h, 0x1CEC2117, T0 + MS(400), 0x11, 0x02, 0x03, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	feed_dt(h, 0x1CEB1721, a, sizeof a, 3, 4, T0 + MS(401), MS(1));
	rx8(h, 0x1CEC2117, T0 + MS(410), 0x11, 0x01, 0x05, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	feed_dt(h, 0x1CEB1721, a, sizeof a, 5, 5, T0 + MS(411), 0);
	assert_int_equal(h->ngot, 2);
	assert_int_equal(h->got[1].sa, 0x21);
	assert_int_equal(h->got[1].da, 0x17);
	assert_int_equal(h->got[1].len, 30);
	assert_memory_equal(h->got[1].data, a, sizeof a);
	assert_int_equal(h->nsent, 0);
	/* The EndOfMsgAck after delivery changes nothing. */
	rx8(h, 0x1CEC2117, T0 + MS(412), 0x13, 0x1E, 0x00, 0x05, 0xFF, 0x00, 0xEF, 0x00);
	assert_int_equal(j1939_tp_active(&h->tp), 0);
}

/* Overheard timeouts: T3 after the RTS with no CTS; T4 after a hold; T2
 * after a CTS with no data. All silent. */
static void test_passive_timeouts(void **state)
{
	struct h *h = *state;

	rx8(h, 0x1CEC1721, T0, 0x10, 0x1E, 0x00, 0x05, 0xFF, 0x00, 0xEF, 0x00);
	poll_at(h, T0 + MS(1250) - 1);
	assert_int_equal(j1939_tp_active(&h->tp), 1);
	poll_at(h, T0 + MS(1250));
	assert_int_equal(j1939_tp_active(&h->tp), 0);

	rx8(h, 0x1CEC1721, T0 + MS(2000), 0x10, 0x1E, 0x00, 0x05, 0xFF, 0x00, 0xEF, 0x00);
	rx8(h, 0x1CEC2117, T0 + MS(2100), 0x11, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	assert_int_equal(j1939_tp_next_deadline(&h->tp), T0 + MS(2100) + MS(1050));
	poll_at(h, T0 + MS(3150));
	assert_int_equal(j1939_tp_active(&h->tp), 0);

	rx8(h, 0x1CEC1721, T0 + MS(4000), 0x10, 0x1E, 0x00, 0x05, 0xFF, 0x00, 0xEF, 0x00);
	rx8(h, 0x1CEC2117, T0 + MS(4100), 0x11, 0x05, 0x01, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	assert_int_equal(j1939_tp_next_deadline(&h->tp), T0 + MS(4100) + MS(1250));
	poll_at(h, T0 + MS(5350));
	assert_int_equal(j1939_tp_active(&h->tp), 0);
	assert_int_equal(h->tp.stats.rx_timeouts, 3);
	assert_int_equal(h->nsent, 0);
}

/* Overheard: a packet out of turn is ignored, a retransmission CTS rewinds,
 * and an abort from the responder ends the session. */
static void test_passive_seq_and_abort(void **state)
{
	struct h *h = *state;
	uint8_t a[21];

	fill_pattern(a, sizeof a, 5);
	rx8(h, 0x1CEC1721, T0, 0x10, 0x15, 0x00, 0x03, 0xFF, 0x00, 0xEF, 0x00);
	rx8(h, 0x1CEC2117, T0 + 1, 0x11, 0x03, 0x01, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	feed_dt(h, 0x1CEB1721, a, sizeof a, 1, 1, T0 + MS(1), 0);
	feed_dt(h, 0x1CEB1721, a, sizeof a, 3, 3, T0 + MS(2), 0);   /* 2 lost */
	assert_int_equal(h->tp.stats.rx_seq_errors, 1);
	rx8(h, 0x1CEC2117, T0 + MS(3), 0x11, 0x02, 0x02, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	feed_dt(h, 0x1CEB1721, a, sizeof a, 2, 3, T0 + MS(4), MS(1));
	assert_int_equal(h->ngot, 1);
	assert_memory_equal(h->got[0].data, a, sizeof a);

	rx8(h, 0x1CEC1721, T0 + MS(10), 0x10, 0x15, 0x00, 0x03, 0xFF, 0x00, 0xEF, 0x00);
	rx8(h, 0x1CEC2117, T0 + MS(11), 0xFF, 0x01, 0xFF, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	assert_int_equal(j1939_tp_active(&h->tp), 0);
	assert_int_equal(h->tp.stats.rx_aborted, 1);
}

/* Several at once: BAMs from 0x00 and 0x03, an overheard 0x21 -> 0x17 and an
 * RTS to us from 0x0B, their packets interleaved: all four delivered intact. */
static void test_simultaneous_sessions(void **state)
{
	struct h *h = *state;
	uint8_t b0[14], b3[22], pa[30], pu[12];

	fill_pattern(b0, sizeof b0, 1);
	fill_pattern(b3, sizeof b3, 2);
	fill_pattern(pa, sizeof pa, 3);
	fill_pattern(pu, sizeof pu, 4);
	rx8(h, 0x1CECFF00, T0, 0x20, 14, 0, 2, 0xFF, 0xCA, 0xFE, 0x00);
	rx8(h, 0x1CECFF03, T0, 0x20, 22, 0, 4, 0xFF, 0xCA, 0xFE, 0x00);
	rx8(h, 0x1CEC1721, T0, 0x10, 30, 0, 5, 0xFF, 0x00, 0xEF, 0x00);
	rx8(h, 0x1CECF90B, T0, 0x10, 12, 0, 2, 0xFF, 0xCB, 0xFE, 0x00);
	assert_int_equal(j1939_tp_active(&h->tp), 4);
	assert_sent(h, 0, 0x1CEC0BF9, 0x11, 0x02, 0x01, 0xFF, 0xFF, 0xCB, 0xFE, 0x00);
	rx8(h, 0x1CEC2117, T0 + 1, 0x11, 0x05, 0x01, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	for (unsigned seq = 1; seq <= 5; seq++) {
		int64_t t = T0 + MS(50) * seq;
		if (seq <= 2)
			feed_dt(h, 0x1CEBFF00, b0, sizeof b0, seq, seq, t, 0);
		if (seq <= 4)
			feed_dt(h, 0x1CEBFF03, b3, sizeof b3, seq, seq, t + 1, 0);
		feed_dt(h, 0x1CEB1721, pa, sizeof pa, seq, seq, t + 2, 0);
		if (seq <= 2)
			feed_dt(h, 0x1CEBF90B, pu, sizeof pu, seq, seq, t + 3, 0);
	}
	assert_int_equal(h->ngot, 4);
	for (unsigned i = 0; i < 4; i++) {
		const struct got *g = &h->got[i];
		if (g->sa == 0x00)
			assert_memory_equal(g->data, b0, sizeof b0);
		else if (g->sa == 0x03)
			assert_memory_equal(g->data, b3, sizeof b3);
		else if (g->sa == 0x21)
			assert_memory_equal(g->data, pa, sizeof pa);
		else if (g->sa == 0x0B)
			assert_memory_equal(g->data, pu, sizeof pu);
		else
			fail();
	}
	assert_int_equal(h->nsent, 2);
	assert_sent(h, 1, 0x1CEC0BF9, 0x13, 12, 0x00, 0x02, 0xFF, 0xCB, 0xFE, 0x00);
	assert_int_equal(j1939_tp_active(&h->tp), 0);
}

/* Our CTS refused by the driver is retried every 5 ms; it goes out at the
 * second try and the transfer completes. Refused for Tr (200 ms), the
 * session is dropped. */
static void test_rx_send_retry(void **state)
{
	struct h *h = *state;
	uint8_t p[9];

	fill_pattern(p, sizeof p, 1);
	h->refuse = 1;
	rx8(h, 0x1CECF917, T0, 0x10, 0x09, 0x00, 0x02, 0xFF, 0xCB, 0xFE, 0x00);
	assert_int_equal(h->nsent, 0);
	assert_int_equal(j1939_tp_next_deadline(&h->tp), T0 + MS(5));
	poll_at(h, T0 + MS(5));
	assert_sent(h, 0, 0x1CEC17F9, 0x11, 0x02, 0x01, 0xFF, 0xFF, 0xCB, 0xFE, 0x00);
	feed_dt(h, 0x1CEBF917, p, sizeof p, 1, 2, T0 + MS(10), MS(1));
	assert_int_equal(h->ngot, 1);

	h->refuse = 1000;
	rx8(h, 0x1CECF917, T0 + MS(100), 0x10, 0x09, 0x00, 0x02, 0xFF, 0xCB, 0xFE, 0x00);
	for (int64_t t = T0 + MS(100); j1939_tp_active(&h->tp); t += MS(5))
		poll_at(h, t);
	assert_true(h->now >= T0 + MS(300));
	assert_true(h->now <= T0 + MS(305));
	h->refuse = 0;
}

/* Our EndOfMsgAck refused: the message is delivered at once all the same,
 * the acknowledgment goes out on the retry 5 ms later, and the session ends
 * then. */
static void test_rx_eoma_retry(void **state)
{
	struct h *h = *state;
	uint8_t p[9];

	fill_pattern(p, sizeof p, 1);
	rx8(h, 0x1CECF917, T0, 0x10, 0x09, 0x00, 0x02, 0xFF, 0xCB, 0xFE, 0x00);
	feed_dt(h, 0x1CEBF917, p, sizeof p, 1, 1, T0 + MS(1), 0);
	h->refuse = 1;
	feed_dt(h, 0x1CEBF917, p, sizeof p, 2, 2, T0 + MS(2), 0);
	assert_int_equal(h->ngot, 1);
	assert_int_equal(h->nsent, 1);
	assert_int_equal(j1939_tp_active(&h->tp), 1);
	assert_int_equal(poll_at(h, T0 + MS(7)), INT64_MAX);
	assert_sent(h, 1, 0x1CEC17F9, 0x13, 0x09, 0x00, 0x02, 0xFF, 0xCB, 0xFE, 0x00);
	assert_int_equal(j1939_tp_active(&h->tp), 0);
	/* A late packet after delivery is not taken again. */
	feed_dt(h, 0x1CEBF917, p, sizeof p, 2, 2, T0 + MS(8), 0);
	assert_int_equal(h->ngot, 1);
}

/* --- transmit ------------------------------------------------------------- */

/* Given 20 bytes of PGN 0xFECA to global, when sent at T0, then the BAM goes
 * out at once on 0x1CECFFF9: 20 14 00 03 FF CA FE 00; the packets follow
 * 50 ms apart, each on the poll the previous one asked for, and the last is
 * padded: 03 p14..p19 FF. A poll 1 us early sends nothing. */
static void test_bam_transmit_pacing(void **state)
{
	struct h *h = *state;
	uint8_t p[20];

	fill_pattern(p, sizeof p, 0x40);
	h->now = T0;
	assert_int_equal(j1939_tp_send(&h->tp, J1939_PGN_DM1, 0xFF, p, sizeof p, 6, T0), 1);
	assert_int_equal(h->nsent, 1);
	assert_sent(h, 0, 0x1CECFFF9, 0x20, 0x14, 0x00, 0x03, 0xFF, 0xCA, 0xFE, 0x00);
	assert_int_equal(j1939_tp_next_deadline(&h->tp), T0 + MS(50));
	assert_int_equal(poll_at(h, T0 + MS(50) - 1), T0 + MS(50));
	assert_int_equal(h->nsent, 1);
	assert_int_equal(poll_at(h, T0 + MS(50)), T0 + MS(100));
	assert_sent(h, 1, 0x1CEBFFF9, 0x01, p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
	/* A poll 250 ms late sends one packet, not a burst, and keeps 50 ms. */
	assert_int_equal(poll_at(h, T0 + MS(350)), T0 + MS(400));
	assert_int_equal(h->nsent, 3);
	assert_sent(h, 2, 0x1CEBFFF9, 0x02, p[7], p[8], p[9], p[10], p[11], p[12], p[13]);
	assert_int_equal(h->ndone, 0);
	assert_int_equal(poll_at(h, T0 + MS(400)), INT64_MAX);
	assert_sent(h, 3, 0x1CEBFFF9, 0x03, p[14], p[15], p[16], p[17], p[18], p[19], 0xFF);
	assert_int_equal(h->ndone, 1);
	assert_int_equal(h->done[0].err, 0);
	assert_int_equal(h->done[0].da, 0xFF);
	assert_int_equal(h->done[0].pgn, J1939_PGN_DM1);
	for (unsigned i = 1; i < h->nsent; i++)
		assert_true(h->sent_t[i] - h->sent_t[i - 1] >= MS(50));
	assert_int_equal(h->tp.stats.tx_done, 1);
}

/* The BAM gap is configurable and clamped to J1939-21's 50..200 ms. */
static void test_bam_gap_clamped(void **state)
{
	struct h *h = *state;
	struct j1939_tp_config cfg;
	uint8_t p[9] = {0};

	j1939_tp_config_default(&cfg);
	cfg.our_sa = US;
	cfg.bam_gap_us = MS(10);
	assert_int_equal(j1939_tp_init(&h->tp, &cfg, &ops, h), 0);
	assert_int_equal(h->tp.cfg.bam_gap_us, MS(50));
	cfg.bam_gap_us = MS(500);
	assert_int_equal(j1939_tp_init(&h->tp, &cfg, &ops, h), 0);
	assert_int_equal(h->tp.cfg.bam_gap_us, MS(200));
	assert_int_equal(j1939_tp_send(&h->tp, 0xFECA, 0xFF, p, sizeof p, 6, T0), 1);
	assert_int_equal(j1939_tp_next_deadline(&h->tp), T0 + MS(200));
}

/* Given 20 bytes of PGN 0xEF00 to 0x17, then:
 *   RTS on 0x1CEC17F9: 10 14 00 03 FF 00 EF 00
 *   CTS 2 from 1 (0x1CECF917: 11 02 01 ...) -> packets 1 and 2 at once
 *   CTS 1 from 3 -> packet 3 (padded); EOMA -> tx_done 0. */
static void test_rts_transmit(void **state)
{
	struct h *h = *state;
	uint8_t p[20];

	fill_pattern(p, sizeof p, 0x80);
	assert_int_equal(j1939_tp_send(&h->tp, 0xEF00, 0x17, p, sizeof p, 6, T0), 1);
	assert_sent(h, 0, 0x1CEC17F9, 0x10, 0x14, 0x00, 0x03, 0xFF, 0x00, 0xEF, 0x00);
	assert_int_equal(j1939_tp_next_deadline(&h->tp), T0 + MS(1250));   /* T3 */
	rx8(h, 0x1CECF917, T0 + MS(10), 0x11, 0x02, 0x01, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	assert_int_equal(h->nsent, 3);
	assert_sent(h, 1, 0x1CEB17F9, 0x01, p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
	assert_sent(h, 2, 0x1CEB17F9, 0x02, p[7], p[8], p[9], p[10], p[11], p[12], p[13]);
	assert_int_equal(j1939_tp_next_deadline(&h->tp), T0 + MS(10) + MS(1250));
	rx8(h, 0x1CECF917, T0 + MS(20), 0x11, 0x01, 0x03, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	assert_sent(h, 3, 0x1CEB17F9, 0x03, p[14], p[15], p[16], p[17], p[18], p[19], 0xFF);
	assert_int_equal(h->ndone, 0);
	rx8(h, 0x1CECF917, T0 + MS(30), 0x13, 0x14, 0x00, 0x03, 0xFF, 0x00, 0xEF, 0x00);
	assert_int_equal(h->ndone, 1);
	assert_int_equal(h->done[0].err, 0);
	assert_int_equal(h->done[0].da, 0x17);
	assert_int_equal(j1939_tp_active(&h->tp), 0);
}

/* T3 with no CTS: abort reason 3 to 0x17 and tx_done(-ETIMEDOUT). */
static void test_tx_timeout_t3(void **state)
{
	struct h *h = *state;
	uint8_t p[20] = {0};

	j1939_tp_send(&h->tp, 0xEF00, 0x17, p, sizeof p, 6, T0);
	poll_at(h, T0 + MS(1250) - 1);
	assert_int_equal(h->ndone, 0);
	poll_at(h, T0 + MS(1250));
	assert_sent(h, 1, 0x1CEC17F9, 0xFF, 0x03, 0xFF, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	assert_int_equal(h->ndone, 1);
	assert_int_equal(h->done[0].err, -ETIMEDOUT);
	assert_int_equal(h->done[0].reason, 3);
}

/* T3 waiting for the EndOfMsgAck after the last packet. */
static void test_tx_timeout_eoma(void **state)
{
	struct h *h = *state;
	uint8_t p[9] = {0};

	j1939_tp_send(&h->tp, 0xEF00, 0x17, p, sizeof p, 6, T0);
	rx8(h, 0x1CECF917, T0 + MS(10), 0x11, 0x02, 0x01, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	assert_int_equal(h->nsent, 3);
	poll_at(h, T0 + MS(1260) - 1);
	assert_int_equal(h->ndone, 0);
	poll_at(h, T0 + MS(1260));
	assert_int_equal(h->ndone, 1);
	assert_int_equal(h->done[0].err, -ETIMEDOUT);
	assert_sent(h, 3, 0x1CEC17F9, 0xFF, 0x03, 0xFF, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
}

/* A hold, CTS(0), moves the wait to T4 = 1050 ms; a second hold within it
 * restarts T4; then silence aborts at T4. */
static void test_tx_hold_t4(void **state)
{
	struct h *h = *state;
	uint8_t p[20] = {0};

	j1939_tp_send(&h->tp, 0xEF00, 0x17, p, sizeof p, 6, T0);
	rx8(h, 0x1CECF917, T0 + MS(100), 0x11, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	assert_int_equal(j1939_tp_next_deadline(&h->tp), T0 + MS(1150));
	rx8(h, 0x1CECF917, T0 + MS(600), 0x11, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	poll_at(h, T0 + MS(1650) - 1);
	assert_int_equal(h->ndone, 0);
	poll_at(h, T0 + MS(1650));
	assert_int_equal(h->ndone, 1);
	assert_int_equal(h->done[0].err, -ETIMEDOUT);
	assert_int_equal(h->nsent, 2);   /* RTS, abort */
}

/* The responder aborts (reason 1, busy): tx_done(-ECONNABORTED, 1), no
 * answer from us. */
static void test_tx_aborted_by_peer(void **state)
{
	struct h *h = *state;
	uint8_t p[20] = {0};

	j1939_tp_send(&h->tp, 0xEF00, 0x17, p, sizeof p, 6, T0);
	rx8(h, 0x1CECF917, T0 + MS(5), 0xFF, 0x01, 0xFF, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	assert_int_equal(h->ndone, 1);
	assert_int_equal(h->done[0].err, -ECONNABORTED);
	assert_int_equal(h->done[0].reason, 1);
	assert_int_equal(h->nsent, 1);
	assert_int_equal(j1939_tp_active(&h->tp), 0);
}

/* Retransmission requests: twice is allowed, the third aborts with reason 5. */
static void test_tx_retransmit_limit(void **state)
{
	struct h *h = *state;
	uint8_t p[9] = {0};

	j1939_tp_send(&h->tp, 0xEF00, 0x17, p, sizeof p, 6, T0);
	rx8(h, 0x1CECF917, T0 + MS(10), 0x11, 0x02, 0x01, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	rx8(h, 0x1CECF917, T0 + MS(20), 0x11, 0x01, 0x02, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	rx8(h, 0x1CECF917, T0 + MS(30), 0x11, 0x01, 0x01, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	assert_int_equal(h->nsent, 5);   /* RTS, 1, 2, 2 again, 1 again */
	assert_int_equal(h->sent[3].data[0], 2);
	assert_int_equal(h->sent[4].data[0], 1);
	rx8(h, 0x1CECF917, T0 + MS(40), 0x11, 0x01, 0x01, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	assert_sent(h, 5, 0x1CEC17F9, 0xFF, 0x05, 0xFF, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	assert_int_equal(h->done[0].err, -EPROTO);
	assert_int_equal(h->done[0].reason, 5);
}

/* Our RTS offers 2 packets per CTS (rts_max 2: 10 14 00 03 02 ...); a CTS
 * asking for 3 gets 2. */
static void test_tx_rts_max(void **state)
{
	struct h *h = *state;
	struct j1939_tp_config cfg;
	uint8_t p[20] = {0};

	j1939_tp_config_default(&cfg);
	cfg.our_sa = US;
	cfg.rts_max = 2;
	j1939_tp_init(&h->tp, &cfg, &ops, h);
	j1939_tp_send(&h->tp, 0xEF00, 0x17, p, sizeof p, 6, T0);
	assert_sent(h, 0, 0x1CEC17F9, 0x10, 0x14, 0x00, 0x03, 0x02, 0x00, 0xEF, 0x00);
	rx8(h, 0x1CECF917, T0 + MS(10), 0x11, 0x03, 0x01, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	assert_int_equal(h->nsent, 3);
	assert_int_equal(h->sent[2].data[0], 2);
}

/* With packets paced (dt_gap 10 ms), a CTS while the window is going out
 * aborts with reason 4. */
static void test_tx_cts_during_transfer(void **state)
{
	struct h *h = *state;
	struct j1939_tp_config cfg;
	uint8_t p[20] = {0};

	j1939_tp_config_default(&cfg);
	cfg.our_sa = US;
	cfg.dt_gap_us = MS(10);
	j1939_tp_init(&h->tp, &cfg, &ops, h);
	j1939_tp_send(&h->tp, 0xEF00, 0x17, p, sizeof p, 6, T0);
	rx8(h, 0x1CECF917, T0 + MS(10), 0x11, 0x03, 0x01, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	assert_int_equal(h->nsent, 2);   /* packet 1 now, 2 due at +10 ms */
	assert_int_equal(j1939_tp_next_deadline(&h->tp), T0 + MS(20));
	poll_at(h, T0 + MS(20));
	assert_int_equal(h->nsent, 3);
	rx8(h, 0x1CECF917, T0 + MS(25), 0x11, 0x03, 0x01, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	assert_sent(h, 3, 0x1CEC17F9, 0xFF, 0x04, 0xFF, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	assert_int_equal(h->done[0].err, -EPROTO);
	assert_int_equal(h->done[0].reason, 4);
}

/* A BAM packet the driver refuses is retried 5 ms later; refusals for Tr end
 * the transfer with -EIO. */
static void test_tx_refused(void **state)
{
	struct h *h = *state;
	uint8_t p[20] = {0};

	j1939_tp_send(&h->tp, 0xFECA, 0xFF, p, sizeof p, 6, T0);
	h->refuse = 1;
	assert_int_equal(poll_at(h, T0 + MS(50)), T0 + MS(55));
	assert_int_equal(h->nsent, 1);
	assert_int_equal(poll_at(h, T0 + MS(55)), T0 + MS(105));
	assert_int_equal(h->nsent, 2);
	h->refuse = 1000;
	for (int64_t t = T0 + MS(105); j1939_tp_active(&h->tp); t += MS(5))
		poll_at(h, t);
	assert_int_equal(h->ndone, 1);
	assert_int_equal(h->done[0].err, -EIO);
	assert_int_equal(h->done[0].t, T0 + MS(305));
	h->refuse = 0;
}

/* Small messages go out as one frame; the argument errors. */
static void test_send_single_and_errors(void **state)
{
	struct h *h = *state;
	uint8_t p[1786] = {0};

	/* DM1, 8 bytes, priority 6, from 0xF9: id 0x18FECAF9; PDU2 ignores da. */
	assert_int_equal(j1939_tp_send(&h->tp, J1939_PGN_DM1, 0x17, p, 8, 6, T0), 0);
	assert_int_equal(h->sent[0].id, 0x18FECAF9);
	assert_int_equal(h->sent[0].len, 8);
	/* A PDU1 single frame carries its destination: 0x18EF17F9. */
	assert_int_equal(j1939_tp_send(&h->tp, 0xEF00, 0x17, p, 3, 6, T0), 0);
	assert_int_equal(h->sent[1].id, 0x18EF17F9);
	assert_int_equal(h->sent[1].len, 3);
	assert_int_equal(j1939_tp_send(&h->tp, 0xEF00, 0x17, p, 1786, 6, T0), -EMSGSIZE);
	assert_int_equal(j1939_tp_send(&h->tp, 0x40000, 0x17, p, 10, 6, T0), -EINVAL);
	assert_int_equal(j1939_tp_send(&h->tp, 0xEF00, US, p, 10, 6, T0), -EINVAL);
	assert_int_equal(j1939_tp_send(&h->tp, 0xFECA, 0xFF, p, 10, 6, T0), 1);
	assert_int_equal(j1939_tp_send(&h->tp, 0xFECB, 0xFF, p, 10, 6, T0), -EBUSY);
	assert_int_equal(j1939_tp_send(&h->tp, 0xEF00, 0x17, p, 10, 6, T0), 1);
	assert_int_equal(j1939_tp_send(&h->tp, 0xEF00, 0x17, p, 10, 6, T0), -EBUSY);
	assert_int_equal(j1939_tp_send(&h->tp, 0xEF00, 0x18, p, 10, 6, T0), 1);
	h->refuse = 1;
	assert_int_equal(j1939_tp_send(&h->tp, 0xEF00, 0x19, p, 10, 6, T0), -EAGAIN);
	assert_int_equal(j1939_tp_active(&h->tp), 3);

	setup_cfg(h, J1939_ADDR_NULL, 16);
	assert_int_equal(j1939_tp_send(&h->tp, 0xEF00, 0x17, p, 10, 6, T0), -EADDRNOTAVAIL);
}

/* A new address cancels our transfers (tx_done -ECANCELED) and ends the
 * connections to the old address. */
static void test_set_address(void **state)
{
	struct h *h = *state;
	uint8_t p[20] = {0};

	j1939_tp_send(&h->tp, 0xEF00, 0x17, p, sizeof p, 6, T0);
	rx8(h, 0x1CECF903, T0, 0x10, 0x14, 0x00, 0x03, 0xFF, 0xCB, 0xFE, 0x00);
	rx8(h, 0x1CECFF00, T0, 0x20, 0x0E, 0x00, 0x02, 0xFF, 0xCA, 0xFE, 0x00);
	assert_int_equal(j1939_tp_active(&h->tp), 3);
	j1939_tp_set_address(&h->tp, 0xFA, T0 + 1);
	assert_int_equal(h->ndone, 1);
	assert_int_equal(h->done[0].err, -ECANCELED);
	assert_int_equal(j1939_tp_active(&h->tp), 1);   /* the BAM stays */
}

/* tx_done may start the next transfer to the same node. */
static struct h *chain_h;
static void chain_done(void *ud, uint32_t pgn, uint8_t da, int err, uint8_t reason, int64_t now)
{
	static const uint8_t more[9];

	cb_tx_done(ud, pgn, da, err, reason, now);
	if (chain_h->ndone == 1)
		assert_int_equal(j1939_tp_send(&chain_h->tp, pgn, da, more, sizeof more, 6, now), 1);
}

static void test_tx_done_chains(void **state)
{
	struct h *h = *state;
	const struct j1939_tp_ops chain_ops = {cb_send, cb_deliver, chain_done};
	struct j1939_tp_config cfg;
	uint8_t p[9] = {0};

	chain_h = h;
	j1939_tp_config_default(&cfg);
	cfg.our_sa = US;
	j1939_tp_init(&h->tp, &cfg, &chain_ops, h);
	j1939_tp_send(&h->tp, 0xEF00, 0x17, p, sizeof p, 6, T0);
	rx8(h, 0x1CECF917, T0 + 1, 0x11, 0x02, 0x01, 0xFF, 0xFF, 0x00, 0xEF, 0x00);
	rx8(h, 0x1CECF917, T0 + 2, 0x13, 0x09, 0x00, 0x02, 0xFF, 0x00, 0xEF, 0x00);
	assert_int_equal(h->ndone, 1);
	assert_int_equal(j1939_tp_active(&h->tp), 1);
	assert_sent(h, 3, 0x1CEC17F9, 0x10, 0x09, 0x00, 0x02, 0xFF, 0x00, 0xEF, 0x00);
}

/* deliver may answer with j1939_tp_send(). With every other slot taken by
 * connections to us, the answer finds no room (-EBUSY): the session being
 * delivered is not up for eviction under the callback's feet. */
static int answer_rc = 1;
static void answer_deliver(void *ud, uint32_t pgn, uint8_t sa, uint8_t da, const uint8_t *data,
			   size_t len, int64_t now)
{
	struct h *h = ud;
	static const uint8_t reply[9];

	cb_deliver(ud, pgn, sa, da, data, len, now);
	answer_rc = j1939_tp_send(&h->tp, 0xEF00, sa, reply, sizeof reply, 6, now);
}

static void test_deliver_answers(void **state)
{
	struct h *h = *state;
	const struct j1939_tp_ops answer_ops = {cb_send, answer_deliver, cb_tx_done};
	struct j1939_tp_config cfg;
	const uint8_t want[14] = {0x04, 0xFF, 0xBE, 0x00, 0x02, 0x05, 0x45,
				  0x23, 0x24, 0x7F, 0xFF, 0xFF, 0xE0, 0x01};

	j1939_tp_config_default(&cfg);
	cfg.our_sa = US;
	j1939_tp_init(&h->tp, &cfg, &answer_ops, h);
	for (unsigned i = 1; i < J1939_TP_SESSIONS; i++)
		rx8(h, 0x1CECF940 | i, T0, 0x10, 0x14, 0x00, 0x03, 0xFF, 0xCB, 0xFE, 0x00);
	rx8(h, 0x1CECFF00, T0, 0x20, 0x0E, 0x00, 0x02, 0xFF, 0xCA, 0xFE, 0x00);
	rx8(h, 0x1CEBFF00, T0 + MS(50), 0x01, 0x04, 0xFF, 0xBE, 0x00, 0x02, 0x05, 0x45);
	rx8(h, 0x1CEBFF00, T0 + MS(100), 0x02, 0x23, 0x24, 0x7F, 0xFF, 0xFF, 0xE0, 0x01);
	assert_int_equal(h->ngot, 1);
	assert_memory_equal(h->got[0].data, want, sizeof want);
	assert_int_equal(answer_rc, -EBUSY);
	assert_int_equal(j1939_tp_active(&h->tp), J1939_TP_SESSIONS - 1);

	/* With room, the answer starts: an RTS to the BAM's sender. */
	rx8(h, 0x1CECFF00, T0 + MS(200), 0x20, 0x0E, 0x00, 0x02, 0xFF, 0xCA, 0xFE, 0x00);
	rx8(h, 0x1CECF941, T0 + MS(200), 0xFF, 0x01, 0xFF, 0xFF, 0xFF, 0xCB, 0xFE, 0x00);
	rx8(h, 0x1CEBFF00, T0 + MS(250), 0x01, 0x04, 0xFF, 0xBE, 0x00, 0x02, 0x05, 0x45);
	rx8(h, 0x1CEBFF00, T0 + MS(300), 0x02, 0x23, 0x24, 0x7F, 0xFF, 0xFF, 0xE0, 0x01);
	assert_int_equal(answer_rc, 1);
	assert_sent(h, h->nsent - 1, 0x1CEC00F9, 0x10, 0x09, 0x00, 0x02, 0xFF, 0x00, 0xEF, 0x00);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_bam_dm1_three_dtcs),
		T(test_bam_padding_not_delivered),
		T(test_bam_timeout_t1),
		T(test_bam_late_packet_without_poll),
		T(test_bam_sequence_gap),
		T(test_bam_replaced),
		T(test_bam_malformed),
		T(test_not_tp),
		T(test_rts_cts_to_us),
		T(test_rts_cts_windows),
		T(test_rx_timeout_t2),
		T(test_rx_timeout_t1),
		T(test_rx_sequence_errors),
		T(test_rts_replaces),
		T(test_rts_refused),
		T(test_eviction),
		T(test_rx_aborted_by_originator),
		T(test_listen_only),
		T(test_own_echo_ignored),
		T(test_passive_both_directions),
		T(test_passive_timeouts),
		T(test_passive_seq_and_abort),
		T(test_simultaneous_sessions),
		T(test_rx_send_retry),
		T(test_rx_eoma_retry),
		T(test_bam_transmit_pacing),
		T(test_bam_gap_clamped),
		T(test_rts_transmit),
		T(test_tx_timeout_t3),
		T(test_tx_timeout_eoma),
		T(test_tx_hold_t4),
		T(test_tx_aborted_by_peer),
		T(test_tx_retransmit_limit),
		T(test_tx_rts_max),
		T(test_tx_cts_during_transfer),
		T(test_tx_refused),
		T(test_send_single_and_errors),
		T(test_set_address),
		T(test_tx_done_chains),
		T(test_deliver_answers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
