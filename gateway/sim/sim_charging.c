// SPDX-License-Identifier: MIT
/* The e-bus's simulated charge: see sim_charging.h. Byte by byte from the
 * layouts of gateway/charging/gbt27930.h; currents as GB/T sends them,
 * 4000 - I x 10 (0.1 A, -400 A offset). */
#include "sim/sim_charging.h"

#include <string.h>

#include "sim/sim_j1939.h"
#include "sim/sim_model.h"

#define CHG 0x56u
#define BMS 0xF4u
#define MS 1000
#define BAM_GAP_US 50000

/* A GB/T frame: priority, PDU format (the PGN's middle byte), to, from. */
static void put(struct sim_charging *c, int64_t due, unsigned prio, unsigned pf, unsigned da, unsigned sa,
		const uint8_t *data, uint8_t len)
{
	if (c->n == SIM_CHARGING_FRAMES)
		return;
	struct evgw_frame *f = &c->frames[c->n++];
	memset(f, 0, sizeof *f);
	f->ts_us = due;
	f->id = (uint32_t)prio << 26 | (uint32_t)pf << 16 | (uint32_t)da << 8 | sa;
	f->flags = EVGW_FRAME_EXT;
	f->len = f->dlc = len;
	memcpy(f->data, data, len);
}

#define PUT(c, due, prio, pf, da, sa, ...) \
	put(c, due, prio, pf, da, sa, (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

static void le16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* TP.DT packets 1.. of msg (7 bytes each, the last padded with FF). */
static void dts(struct sim_charging *c, int64_t due, int64_t gap, unsigned da, const uint8_t *msg, unsigned len)
{
	unsigned packets = (len + 6) / 7;
	for (unsigned p = 1; p <= packets; p++) {
		uint8_t dt[8];
		memset(dt, 0xFF, sizeof dt);
		dt[0] = (uint8_t)p;
		for (unsigned k = 0; k < 7 && (p - 1) * 7 + k < len; k++)
			dt[1 + k] = msg[(p - 1) * 7 + k];
		put(c, due + (int64_t)p * gap, 7, 0xEB, da, BMS, dt, 8);
	}
}

/* The BMS sends msg to the charger by RTS/CTS: RTS, the charger's CTS for
 * every packet, the packets 1 ms apart, the charger's EndOfMsgAck. */
static void rts_cts(struct sim_charging *c, int64_t due, unsigned pgn_pf, const uint8_t *msg, unsigned len)
{
	uint8_t n = (uint8_t)((len + 6) / 7);
	PUT(c, due, 7, 0xEC, CHG, BMS, 0x10, (uint8_t)len, 0x00, n, 0xFF, 0x00, (uint8_t)pgn_pf, 0x00);
	PUT(c, due + 2 * MS, 7, 0xEC, BMS, CHG, 0x11, n, 0x01, 0xFF, 0xFF, 0x00, (uint8_t)pgn_pf, 0x00);
	dts(c, due + 2 * MS, MS, CHG, msg, len);
	PUT(c, due + (3 + n) * MS, 7, 0xEC, BMS, CHG, 0x13, (uint8_t)len, 0x00, n, 0xFF, 0x00, (uint8_t)pgn_pf, 0x00);
}

/* The BMS broadcasts msg: TP.CM_BAM, the packets BAM_GAP_US apart. */
static void bam(struct sim_charging *c, int64_t due, unsigned pgn_pf, const uint8_t *msg, unsigned len)
{
	uint8_t n = (uint8_t)((len + 6) / 7);
	PUT(c, due, 7, 0xEC, 0xFF, BMS, 0x20, (uint8_t)len, 0x00, n, 0xFF, 0x00, (uint8_t)pgn_pf, 0x00);
	dts(c, due, BAM_GAP_US, 0xFF, msg, len);
}

/* BRM, 49 bytes: V1.1; LFP; 350.0 Ah; 614.4 V; "EVGW"; pack 1; 2024-06-01
 * (2024 - 1985 = 39); 812 charges; owned; the bus's VIN; BMS version FF. */
static void brm(uint8_t m[49])
{
	static const uint8_t head[24] = {0x01, 0x01, 0x00, 0x03, 0xAC, 0x0D, 0x00, 0x18, 'E', 'V', 'G', 'W',
					 0x01, 0x00, 0x00, 0x00, 39, 6, 1, 0x2C, 0x03, 0x00, 0x01, 0xFF};
	memcpy(m, head, sizeof head);
	memcpy(m + 24, SIM_J1939_VIN, 17);
	memset(m + 41, 0xFF, 8);
}

static void charging_round(struct sim_charging *c, int64_t t, unsigned k)
{
	/* Demand 680.0 V, 200.0 A (4000 - 2000), constant current. */
	PUT(c, t, 6, 0x10, CHG, BMS, 0x90, 0x1A, 0xD0, 0x07, 0x02);
	/* Output 620.0 V + 0.5 V a round, 50 A more a round up to 200.0 A;
	 * minutes 0; permitted (0xFC | 01). */
	unsigned out_dv = 6200 + 5 * k, out_da = 500 * (k + 1) < 2000 ? 500 * (k + 1) : 2000;
	uint8_t ccs[8] = {0, 0, 0, 0, 0x00, 0x00, 0xFD, 0xFF};
	le16(ccs, out_dv);
	le16(ccs + 2, 4000 - out_da);
	put(c, t + 10 * MS, 6, 0x12, BMS, CHG, ccs, 8);
	/* BSM: hottest cell 17 (16); 48 C + 1 a round (+50); probe 3 (2); 40 C
	 * (90); probe 8 (7); temperature too high (bits 6-7 = 01) from 57 C;
	 * charging allowed (0x10). */
	unsigned tmax = 48 + k;
	PUT(c, t + 20 * MS, 6, 0x13, CHG, BMS, 16, (uint8_t)(tmax + 50), 2, 90, 7, tmax >= 57 ? 0x40 : 0x00, 0x10);
	if (k % 2 == 0) {
		/* BCS: 0.5 V and 0.5 A under the output; highest cell 3.40 V in
		 * group 1 (0x1000 | 340); SOC 45 % + 1 a second; 90 min. */
		uint8_t bcs[9] = {0, 0, 0, 0, 0x54, 0x11, (uint8_t)(45 + k / 4), 90, 0x00};
		le16(bcs, out_dv - 5);
		le16(bcs + 2, 4000 - (out_da - 5));
		rts_cts(c, t + 30 * MS, 0x11, bcs, 9);
	}
}

static void swap(struct evgw_frame *a, struct evgw_frame *b)
{
	struct evgw_frame t = *a;
	*a = *b;
	*b = t;
}

/* One session from s0 (the cycle's SIM_CHARGING_AT_S). */
static void lay_out(struct sim_charging *c, int64_t s0)
{
	c->n = c->next = 0;
	/* Handshake: CHM V1.1 (01 01 00); BHM 750.0 V = 7500 = 0x1D4C. */
	for (int i = 0; i < 2; i++) {
		PUT(c, s0 + i * 250 * MS, 6, 0x26, BMS, CHG, 0x01, 0x01, 0x00);
		PUT(c, s0 + (i * 250 + 10) * MS, 6, 0x27, CHG, BMS, 0x4C, 0x1D);
	}
	/* Recognition: CRM 00 (charger number 1), the BRM, CRM AA. */
	PUT(c, s0 + 500 * MS, 6, 0x01, BMS, CHG, 0x00, 0x01, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF);
	uint8_t m[49];
	brm(m);
	rts_cts(c, s0 + 510 * MS, 0x02, m, 49);
	PUT(c, s0 + 750 * MS, 6, 0x01, BMS, CHG, 0xAA, 0x01, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF);
	/* Parameters: BCP 3.65 V (365 = 0x016D), 300.0 A (4000 - 3000 = 1000 =
	 * 0x03E8), 215.0 kWh (2150 = 0x0866), 700.0 V (0x1B58), 55 C (105 =
	 * 0x69), SOC 45.0 % (450 = 0x01C2), 615.0 V (6150 = 0x1806). */
	static const uint8_t bcp[13] = {0x6D, 0x01, 0xE8, 0x03, 0x66, 0x08, 0x58, 0x1B, 0x69, 0xC2, 0x01, 0x06, 0x18};
	rts_cts(c, s0 + 1000 * MS, 0x06, bcp, 13);
	PUT(c, s0 + 1100 * MS, 6, 0x07, BMS, CHG, 0x00, 0x00, 0x12, 0x07, 0x12, 0x26, 0x20);
	/* CML: 750.0 V, 150.0 V (1500 = 0x05DC), 250.0 A (1500), 1.0 A (3990 = 0x0F96). */
	PUT(c, s0 + 1110 * MS, 6, 0x08, BMS, CHG, 0x4C, 0x1D, 0xDC, 0x05, 0xDC, 0x05, 0x96, 0x0F);
	PUT(c, s0 + 1250 * MS, 4, 0x09, CHG, BMS, 0xAA);
	PUT(c, s0 + 1500 * MS, 4, 0x0A, BMS, CHG, 0xAA);
	/* Charging: 12 rounds of 250 ms. */
	for (unsigned k = 0; k < 12; k++)
		charging_round(c, s0 + (2000 + 250 * (int64_t)k) * MS, k);
	/* BMV: 16 cells, 3.38 V + 0.01 V by cell mod 5, group 1 (0x1000 | cV). */
	uint8_t bmv[32];
	for (unsigned i = 0; i < 16; i++)
		le16(bmv + 2 * i, 0x1000u | (338 + i % 5));
	bam(c, s0 + 3000 * MS + 40 * MS, 0x15, bmv, sizeof bmv);
	/* BMT: 16 probes, 40 C + 1 by probe (+50). */
	uint8_t bmt[16];
	for (unsigned i = 0; i < 16; i++)
		bmt[i] = (uint8_t)(90 + i);
	bam(c, s0 + 3600 * MS + 40 * MS, 0x16, bmt, sizeof bmt);
	uint8_t bsp[16];
	memset(bsp, 0x00, sizeof bsp);
	bam(c, s0 + 4200 * MS + 40 * MS, 0x17, bsp, sizeof bsp);
	/* End: BST battery pack over-temperature (bits 16-17 = 01: 00 00 01
	 * 00), the charger's CST "the BMS stopped" (bits 6-7: 40, reserved bits
	 * set: 40 00 F0 F0); BSD SOC 47 %, cells 3.38 / 3.43 V (0x0152, 0x0157),
	 * 40 / 59 C (90, 109); CSD 1 min, 0.8 kWh, charger 1; sent twice. */
	for (int i = 0; i < 3; i++)
		PUT(c, s0 + (5000 + 10 * i) * MS, 4, 0x19, CHG, BMS, 0x00, 0x00, 0x01, 0x00);
	for (int i = 0; i < 2; i++)
		PUT(c, s0 + (5030 + 10 * i) * MS, 4, 0x1A, BMS, CHG, 0x40, 0x00, 0xF0, 0xF0);
	for (int i = 0; i < 2; i++) {
		PUT(c, s0 + (5250 + 250 * i) * MS, 6, 0x1C, CHG, BMS, 47, 0x52, 0x01, 0x57, 0x01, 90, 109);
		PUT(c, s0 + (5260 + 250 * i) * MS, 6, 0x1D, BMS, CHG, 0x01, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00);
	}
	/* Due-time order (stable: frames due together keep their order). */
	for (unsigned i = 1; i < c->n; i++)
		for (unsigned j = i; j > 0 && c->frames[j - 1].ts_us > c->frames[j].ts_us; j--)
			swap(&c->frames[j - 1], &c->frames[j]);
}

static int64_t session_start(const struct sim_charging *c, uint32_t cycle)
{
	return c->t0 + (int64_t)((cycle * EVGW_SIM_CYCLE_S + SIM_CHARGING_AT_S) * 1e6);
}

void sim_charging_start(struct sim_charging *c, int64_t now_us)
{
	memset(c, 0, sizeof *c);
	c->t0 = now_us;
}

int64_t sim_charging_next_due(const struct sim_charging *c)
{
	return c->next < c->n ? c->frames[c->next].ts_us : session_start(c, c->cycle);
}

int sim_charging_pop(struct sim_charging *c, int64_t now_us, struct evgw_frame *out)
{
	if (c->next >= c->n) {
		if (session_start(c, c->cycle) > now_us)
			return 0;
		/* Polled too rarely to play a session whole: the next one, not a burst. */
		while (session_start(c, c->cycle) + (int64_t)(EVGW_SIM_CYCLE_S * 1e6) <= now_us)
			c->cycle++;
		lay_out(c, session_start(c, c->cycle));
		c->cycle++;
	}
	if (c->next >= c->n || c->frames[c->next].ts_us > now_us)
		return 0;
	*out = c->frames[c->next++];
	return 1;
}
