// SPDX-License-Identifier: MIT
/* The e-bus's simulated J1939 ECUs (gateway/sim/sim_j1939) answering a
 * Request for Vehicle Identification (PGN 65260), on a fake clock. The
 * expected frames are written out from the J1939-21 layouts:
 *
 *   id   = prio << 26 | PF << 16 | DA << 8 | SA; prio 7 (TP) -> 0x1C000000,
 *          PF 0xEC TP.CM, 0xEB TP.DT, 0xEA Request (prio 6 -> 0x18EA....)
 *   BAM  20 size.lo size.hi packets FF pgn.lo pgn.mid pgn.hi
 *   RTS  10 size.lo size.hi packets max pgn       CTS  11 count next FF FF pgn
 *   EOMA 13 size.lo size.hi packets FF pgn        ABRT FF reason FF FF FF pgn
 *   DT   seq + 7 bytes, the last one padded with FF
 *
 * The message: "LZYTBGBW5R1001237" and '*', 18 bytes = 0x12, 3 packets;
 * PGN 65260 = 0x00FEEC -> EC FE 00. BMS SA F3, motor SA EF, the tester F9. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "j1939/j1939_id.h"
#include "j1939/j1939_tp.h"
#include "j1939/j1939_vin.h"
#include "sim/sim_j1939.h"

#define MS INT64_C(1000)
#define T0 INT64_C(7000000000)
#define TESTER 0xF9
#define MAX_OUT 64

static const uint8_t DT1[8] = {0x01, 0x4C, 0x5A, 0x59, 0x54, 0x42, 0x47, 0x42}; /* L Z Y T B G B */
static const uint8_t DT2[8] = {0x02, 0x57, 0x35, 0x52, 0x31, 0x30, 0x30, 0x31}; /* W 5 R 1 0 0 1 */
static const uint8_t DT3[8] = {0x03, 0x32, 0x33, 0x37, 0x2A, 0xFF, 0xFF, 0xFF}; /* 2 3 7 * */

struct want {
	int64_t t;      /* after the request */
	uint32_t id;
	uint8_t d[8];
};

struct rig {
	struct sim_j1939 j;
	int64_t now;
	struct evgw_frame out[MAX_OUT];   /* TP frames only */
	unsigned n;
};

static bool is_tp(const struct evgw_frame *f)
{
	uint8_t pf = j1939_id_pf(f->id);
	return pf == 0xEC || pf == 0xEB;
}

/* Run the clock to `until` in 1 ms steps, keeping the TP frames. */
static void run(struct rig *r, int64_t until)
{
	struct evgw_frame f;
	for (; r->now <= until; r->now += MS)
		while (sim_j1939_pop(&r->j, r->now, &f)) {
			assert_true(f.ts_us <= r->now);
			if (is_tp(&f)) {
				assert_true(r->n < MAX_OUT);
				r->out[r->n++] = f;
			}
		}
	r->now = until;
}

static struct rig *rig_new(void)
{
	struct rig *r = calloc(1, sizeof *r);
	assert_non_null(r);
	r->now = T0;
	sim_j1939_start(&r->j, T0);
	run(r, T0 + 100 * MS); /* address claims */
	assert_int_equal(r->n, 0);
	return r;
}

static void request(struct rig *r, uint8_t da, uint8_t sa)
{
	struct evgw_frame f;
	j1939_request_build(&f, J1939_PGN_VI, da, sa);
	sim_j1939_receive(&r->j, &f, r->now);
}

static void tp_from_tester(struct rig *r, uint8_t da, const uint8_t d[8])
{
	struct evgw_frame f;
	j1939_frame_init(&f, J1939_PRIO_TP, J1939_PGN_TP_CM, da, TESTER, d, 8);
	sim_j1939_receive(&r->j, &f, r->now);
}

static void expect(const struct rig *r, unsigned from, int64_t t0, const struct want *w, unsigned n)
{
	assert_int_equal(r->n - from, n);
	for (unsigned i = 0; i < n; i++) {
		const struct evgw_frame *f = &r->out[from + i];
		assert_int_equal(f->id, w[i].id);
		assert_int_equal(f->len, 8);
		assert_memory_equal(f->data, w[i].d, 8);
		assert_int_equal(f->ts_us - t0, w[i].t);
	}
}

/* Global request (18EAFFF9 EC FE 00): both ECUs, by BAM, the BMS 2 ms
 * after the request, the motor controller 1 ms later; packets 50 ms apart. */
static void vin_global_bam(void **state)
{
	struct rig *r = rig_new();
	int64_t t0 = r->now;
	request(r, 0xFF, TESTER);
	run(r, t0 + 300 * MS);
	const struct want w[] = {
		{2 * MS, 0x1CECFFF3, {0x20, 0x12, 0x00, 0x03, 0xFF, 0xEC, 0xFE, 0x00}},
		{3 * MS, 0x1CECFFEF, {0x20, 0x12, 0x00, 0x03, 0xFF, 0xEC, 0xFE, 0x00}},
		{52 * MS, 0x1CEBFFF3, {0}}, {53 * MS, 0x1CEBFFEF, {0}},
		{102 * MS, 0x1CEBFFF3, {0}}, {103 * MS, 0x1CEBFFEF, {0}},
		{152 * MS, 0x1CEBFFF3, {0}}, {153 * MS, 0x1CEBFFEF, {0}},
	};
	struct want x[8];
	memcpy(x, w, sizeof w);
	for (int i = 0; i < 2; i++) {
		memcpy(x[2 + i].d, DT1, 8);
		memcpy(x[4 + i].d, DT2, 8);
		memcpy(x[6 + i].d, DT3, 8);
	}
	expect(r, 0, t0, x, 8);
	/* From the null address, addressed: it cannot be answered to 0xFE, so BAM. */
	r->n = 0;
	t0 = r->now;
	struct evgw_frame f;
	j1939_request_build(&f, J1939_PGN_VI, SIM_J1939_SA_BMS, J1939_ADDR_NULL);
	sim_j1939_receive(&r->j, &f, r->now);
	run(r, t0 + 200 * MS);
	assert_int_equal(r->n, 4);
	assert_int_equal(r->out[0].id, 0x1CECFFF3);
	free(r);
}

/* Addressed to the BMS (18EAF3F9): RTS to the tester; the motor is silent.
 * CTS for 2 packets from 1, then 1 from 3, then EndOfMsgAck. */
static void vin_addressed_rts_cts(void **state)
{
	struct rig *r = rig_new();
	int64_t t0 = r->now;
	request(r, SIM_J1939_SA_BMS, TESTER);
	run(r, t0 + 100 * MS);
	const struct want rts[] = {
		{2 * MS, 0x1CECF9F3, {0x10, 0x12, 0x00, 0x03, 0xFF, 0xEC, 0xFE, 0x00}},
	};
	expect(r, 0, t0, rts, 1);

	int64_t t1 = r->now;
	tp_from_tester(r, SIM_J1939_SA_BMS, (const uint8_t[8]){0x11, 0x02, 0x01, 0xFF, 0xFF, 0xEC, 0xFE, 0x00});
	run(r, t1 + 100 * MS);
	struct want w[2] = {{1 * MS, 0x1CEBF9F3, {0}}, {2 * MS, 0x1CEBF9F3, {0}}};
	memcpy(w[0].d, DT1, 8);
	memcpy(w[1].d, DT2, 8);
	expect(r, 1, t1, w, 2);

	int64_t t2 = r->now;
	tp_from_tester(r, SIM_J1939_SA_BMS, (const uint8_t[8]){0x11, 0x01, 0x03, 0xFF, 0xFF, 0xEC, 0xFE, 0x00});
	run(r, t2 + 100 * MS);
	struct want w3 = {1 * MS, 0x1CEBF9F3, {0}};
	memcpy(w3.d, DT3, 8);
	expect(r, 3, t2, &w3, 1);

	/* A CTS from someone else, or for another PGN, changes nothing. */
	struct evgw_frame f;
	j1939_frame_init(&f, J1939_PRIO_TP, J1939_PGN_TP_CM, SIM_J1939_SA_BMS, 0x00,
			 (const uint8_t[8]){0x11, 0x01, 0x01, 0xFF, 0xFF, 0xEC, 0xFE, 0x00}, 8);
	sim_j1939_receive(&r->j, &f, r->now);
	tp_from_tester(r, SIM_J1939_SA_BMS, (const uint8_t[8]){0x11, 0x01, 0x01, 0xFF, 0xFF, 0xCB, 0xFE, 0x00});
	/* EndOfMsgAck: 13 12 00 03 FF EC FE 00. No Abort follows. */
	tp_from_tester(r, SIM_J1939_SA_BMS, (const uint8_t[8]){0x13, 0x12, 0x00, 0x03, 0xFF, 0xEC, 0xFE, 0x00});
	assert_int_equal(r->j.tx[0].state, SIM_J1939_TX_IDLE);
	run(r, r->now + 3000 * MS);
	assert_int_equal(r->n, 4);
	/* Idle again: the next request gets a new RTS. */
	request(r, SIM_J1939_SA_BMS, TESTER);
	run(r, r->now + 10 * MS);
	assert_int_equal(r->n, 5);
	assert_int_equal(r->out[4].data[0], 0x10);
	free(r);
}

/* No CTS: Abort, reason 3 (timeout), T3 = 1250 ms after the RTS (the motor
 * controller, second of the two, answers 3 ms after the request). A hold
 * (CTS with 0 packets) waits T4 = 1050 ms instead. */
static void vin_addressed_timeouts(void **state)
{
	struct rig *r = rig_new();
	int64_t t0 = r->now;
	request(r, SIM_J1939_SA_MOTOR, TESTER);
	/* A second request meanwhile is not answered: one transfer at a time. */
	request(r, SIM_J1939_SA_MOTOR, TESTER);
	run(r, t0 + 2000 * MS);
	const struct want w[] = {
		{3 * MS, 0x1CECF9EF, {0x10, 0x12, 0x00, 0x03, 0xFF, 0xEC, 0xFE, 0x00}},
		{1253 * MS, 0x1CECF9EF, {0xFF, 0x03, 0xFF, 0xFF, 0xFF, 0xEC, 0xFE, 0x00}},
	};
	expect(r, 0, t0, w, 2);
	assert_int_equal(sim_j1939_next_due(&r->j) > r->now, 1);

	r->n = 0;
	t0 = r->now;
	request(r, SIM_J1939_SA_MOTOR, TESTER);
	run(r, t0 + 10 * MS);
	int64_t t1 = r->now;
	tp_from_tester(r, SIM_J1939_SA_MOTOR, (const uint8_t[8]){0x11, 0x00, 0xFF, 0xFF, 0xFF, 0xEC, 0xFE, 0x00});
	run(r, t1 + 2000 * MS);
	assert_int_equal(r->n, 2);
	assert_int_equal(r->out[1].data[0], 0xFF);
	assert_int_equal(r->out[1].ts_us - t1, 1050 * MS);
	free(r);
}

/* The daemon's side: j1939_tp (ours, at 0xF9, granting 2 packets per CTS)
 * answers the simulator's RTS and reassembles the VIN. */
struct pair {
	struct rig *r;
	struct j1939_tp tp;
	char vin[32];
	int rc, delivered, done_err;
	uint8_t sa;
};

static int pair_send(void *ud, const struct evgw_frame *f)
{
	struct pair *p = ud;
	sim_j1939_receive(&p->r->j, f, p->r->now);
	return 0;
}

static void pair_deliver(void *ud, uint32_t pgn, uint8_t sa, uint8_t da, const uint8_t *data, size_t len,
			 int64_t now_us)
{
	struct pair *p = ud;
	assert_int_equal(pgn, J1939_PGN_VI);
	assert_int_equal(da, TESTER);
	p->delivered++;
	p->sa = sa;
	p->rc = j1939_vin_parse(data, len, p->vin, sizeof p->vin);
}

static void vin_addressed_through_tp(void **state)
{
	static const struct j1939_tp_ops ops = {pair_send, pair_deliver, NULL};
	struct pair *p = calloc(1, sizeof *p);
	assert_non_null(p);
	p->r = rig_new();
	struct j1939_tp_config cfg;
	j1939_tp_config_default(&cfg);
	cfg.our_sa = TESTER;
	cfg.cts_max = 2;
	assert_int_equal(j1939_tp_init(&p->tp, &cfg, &ops, p), 0);
	request(p->r, SIM_J1939_SA_MOTOR, TESTER);
	struct evgw_frame f;
	int64_t end = p->r->now + 500 * MS;
	for (; p->r->now < end && !p->delivered; p->r->now += MS) {
		while (sim_j1939_pop(&p->r->j, p->r->now, &f))
			(void)j1939_tp_rx(&p->tp, &f, p->r->now);
		(void)j1939_tp_poll(&p->tp, p->r->now);
	}
	assert_int_equal(p->delivered, 1);
	assert_int_equal(p->sa, SIM_J1939_SA_MOTOR);
	assert_int_equal(p->rc, 17);
	assert_string_equal(p->vin, SIM_J1939_VIN);
	/* Our EndOfMsgAck closed the simulator's side. */
	for (int k = 0; k < 5; k++, p->r->now += MS)
		while (sim_j1939_pop(&p->r->j, p->r->now, &f))
			(void)j1939_tp_rx(&p->tp, &f, p->r->now);
	assert_int_equal(p->r->j.tx[1].state, SIM_J1939_TX_IDLE);
	free(p->r);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vin_global_bam),
		cmocka_unit_test(vin_addressed_rts_cts),
		cmocka_unit_test(vin_addressed_timeouts),
		cmocka_unit_test(vin_addressed_through_tp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
