// SPDX-License-Identifier: MIT
/* The GB/T 27930 session tracker. Two hand-written captures
 * (tests/golden/gbt27930_session_normal.log and _abnormal.log, the bytes'
 * arithmetic in their headers) are replayed frame by frame through the
 * J1939-21 transport protocol, listening only, as the daemon does; the
 * timeline, the values and the stop reasons are checked against what the
 * captures' headers say. Then scenarios made of single messages: timeouts,
 * silence, trailing messages, a restart. Times are the frames' own. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "can/candump.h"
#include "charging/charging_session.h"
#include "j1939/j1939_id.h"
#include "j1939/j1939_tp.h"

#define GOLDEN EVGW_TEST_DATA "/../golden/"
#define S(sec, usec) ((int64_t)(sec) * 1000000 + (usec))

struct rec {
	struct evgw_charging c;
	struct j1939_tp tp;
	int faults, ended;
	enum gbt_msg fault_msg[4];
	uint32_t fault_bits[4];
	int64_t fault_at[4];
	uint8_t ended_outcome;
	int64_t frame_ts;
};

static void on_fault(void *ud, const struct evgw_charging_session *s, enum gbt_msg m, uint32_t bits, int64_t now)
{
	struct rec *r = ud;
	if (r->faults < 4) {
		r->fault_msg[r->faults] = m;
		r->fault_bits[r->faults] = bits;
		r->fault_at[r->faults] = now;
	}
	r->faults++;
}

static void on_ended(void *ud, const struct evgw_charging_session *s, int64_t now)
{
	struct rec *r = ud;
	r->ended++;
	r->ended_outcome = s->outcome;
}

static void tp_deliver(void *ud, uint32_t pgn, uint8_t sa, uint8_t da, const uint8_t *data, size_t len, int64_t now)
{
	struct rec *r = ud;
	assert_int_equal(evgw_charging_rx(&r->c, pgn, sa, da, data, len, r->frame_ts), 1);
}

static void setup_rec(struct rec *r)
{
	static const struct evgw_charging_ops ops = {on_fault, on_ended};
	static const struct j1939_tp_ops tops = {NULL, tp_deliver, NULL};
	struct j1939_tp_config cfg;
	memset(r, 0, sizeof *r);
	evgw_charging_init(&r->c, &ops, r);
	j1939_tp_config_default(&cfg);
	assert_int_equal(j1939_tp_init(&r->tp, &cfg, &tops, r), 0);
}

/* Every frame of the capture: TP to the transport protocol, the rest to
 * the tracker (each must be GB/T). */
static void replay(struct rec *r, const char *name)
{
	char path[512], line[256];
	snprintf(path, sizeof path, GOLDEN "%s", name);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		struct evgw_candump_line cl;
		size_t col;
		const char *msg;
		int rc = evgw_candump_parse_line(line, strlen(line), &cl, &col, &msg);
		assert_true(rc >= 0);
		if (rc == EVGW_CANDUMP_BLANK)
			continue;
		r->frame_ts = cl.frame.ts_us;
		if (j1939_tp_rx(&r->tp, &cl.frame, cl.frame.ts_us) == 1)
			continue;
		uint32_t id = cl.frame.id;
		assert_int_equal(evgw_charging_rx(&r->c, j1939_id_pgn(id), j1939_id_sa(id), j1939_id_da(id),
						  cl.frame.data, cl.frame.len, cl.frame.ts_us), 1);
	}
	fclose(f);
}

static void normal_end(void **state)
{
	static struct rec r;
	setup_rec(&r);
	replay(&r, "gbt27930_session_normal.log");
	assert_null(evgw_charging_current(&r.c));
	const struct evgw_charging_session *s = evgw_charging_finished(&r.c, 0);
	assert_non_null(s);
	assert_null(evgw_charging_finished(&r.c, 1));
	assert_int_equal(r.faults, 0);
	assert_int_equal(r.ended, 1);
	assert_int_equal(s->outcome, EVGW_CHARGING_NORMAL);
	assert_int_equal(r.ended_outcome, EVGW_CHARGING_NORMAL);
	assert_int_equal(s->number, 1);
	assert_false(s->joined);
	/* The timeline: CHM, CRM 00, BCP's last packet, BCL, BST; CSD ends it. */
	assert_int_equal(s->started_us, S(1764340200, 0));
	assert_int_equal(s->stage_us[GBT_STAGE_HANDSHAKE], S(1764340200, 0));
	assert_int_equal(s->stage_us[GBT_STAGE_RECOGNITION], S(1764340200, 250000));
	assert_int_equal(s->stage_us[GBT_STAGE_PARAMETERS], S(1764340200, 514000));
	assert_int_equal(s->stage_us[GBT_STAGE_CHARGING], S(1764340201, 0));
	assert_int_equal(s->stage_us[GBT_STAGE_END], S(1764340203, 0));
	assert_int_equal(s->ended_us, S(1764340203, 260000));
	/* Handshake and recognition. */
	assert_int_equal(s->chm.version.major, 1);
	assert_int_equal(s->chm.version.minor, 1);
	assert_int_equal(s->bhm.max_dv, 6000);
	assert_int_equal(s->crm.recognised, 0xAA);
	assert_int_equal(s->crm.charger_number, 1);
	assert_int_equal(s->brm.battery_type, 3);
	assert_int_equal(s->brm.rated_dah, 4000);
	assert_int_equal(s->brm.rated_dv, 6144);
	assert_string_equal(s->brm.vin, "LZYTBGBW5R1001237");
	assert_int_equal(s->brm.charge_count, 1234);
	/* Parameters. */
	assert_int_equal(s->bcp.max_cell_cv, 365);
	assert_int_equal(gbt_charge_da(s->bcp.max_current_raw), 2500);
	assert_int_equal(s->bcp.energy_dkwh, 2457);
	assert_int_equal(s->bcp.max_dv, 7000);
	assert_int_equal(s->bcp.max_temp_raw - 50, 55);
	assert_int_equal(s->bcp.soc_pm, 350);
	assert_int_equal(s->bcp.pack_dv, 6200);
	assert_int_equal(s->cml.max_dv, 7500);
	assert_int_equal(s->cml.min_dv, 2000);
	assert_int_equal(gbt_charge_da(s->cml.max_current_raw), 2500);
	assert_int_equal(gbt_charge_da(s->cml.min_current_raw), 10);
	assert_int_equal(s->bro, 0xAA);
	assert_int_equal(s->cro, 0xAA);
	/* Charging: demand against output, positive while charging. */
	assert_int_equal(s->bcl.demand_dv, 6800);
	assert_int_equal(gbt_charge_da(s->bcl.demand_current_raw), 2000);
	assert_int_equal(s->bcl.mode, 2);
	assert_int_equal(s->bcs.measured_dv, 6400);
	assert_int_equal(gbt_charge_da(s->bcs.measured_current_raw), 1980);
	assert_int_equal(s->bcs.max_cell_cv, 342);
	assert_int_equal(s->bcs.max_cell_group, 2);
	assert_int_equal(s->bcs.soc, 36);
	assert_int_equal(s->bcs.remaining_min, 45);
	assert_int_equal(s->ccs.output_dv, 6405);
	assert_int_equal(gbt_charge_da(s->ccs.output_current_raw), 2000); /* the second CCS */
	assert_int_equal(s->ccs.minutes, 2);
	assert_int_equal(s->ccs.permitted, 1);
	assert_int_equal(s->peak_output_da, 2000);
	assert_true(s->has_soc_first);
	assert_int_equal(s->soc_first, 36);
	assert_int_equal(s->bsm.max_cell_number, 17);
	assert_int_equal(s->bmv.cells, 6);
	assert_int_equal(s->bmv.min_cv, 338);
	assert_int_equal(s->bmv.min_cell, 3);
	assert_int_equal(s->bmv.max_cv, 342);
	assert_int_equal(s->bmv.max_cell, 2);
	assert_int_equal(s->bmt.probes, 10);
	assert_int_equal(s->bmt.min_raw - 50, 27);
	assert_int_equal(s->bmt.min_probe, 3);
	assert_int_equal(s->bmt.max_raw - 50, 31);
	assert_int_equal(s->bmt.max_probe, 2);
	/* End. */
	assert_int_equal(s->stop_bits[EVGW_CHARGING_BST], 0x00000001u);
	assert_int_equal(s->stop_bits[EVGW_CHARGING_CST], 0xF0F00040u);
	assert_int_equal(s->bsd.soc, 80);
	assert_int_equal(s->bsd.min_cell_cv, 338);
	assert_int_equal(s->bsd.max_cell_cv, 345);
	assert_int_equal(s->csd.minutes, 42);
	assert_int_equal(s->csd.energy_dkwh, 1105);
	assert_int_equal(s->csd.charger_number, 1);
	assert_int_equal(r.c.malformed, 0);
}

static void abnormal_end(void **state)
{
	static struct rec r;
	setup_rec(&r);
	replay(&r, "gbt27930_session_abnormal.log");
	const struct evgw_charging_session *s = evgw_charging_finished(&r.c, 0);
	assert_non_null(s);
	assert_int_equal(s->outcome, EVGW_CHARGING_ABNORMAL);
	assert_false(s->joined); /* 2011: recognition is the first stage */
	assert_int_equal(s->stage_us[GBT_STAGE_HANDSHAKE], 0);
	assert_int_equal(s->stage_us[GBT_STAGE_RECOGNITION], S(1764340300, 0));
	assert_int_equal(s->stage_us[GBT_STAGE_PARAMETERS], S(1764340300, 306000));
	assert_int_equal(s->stage_us[GBT_STAGE_CHARGING], S(1764340301, 0));
	assert_int_equal(s->stage_us[GBT_STAGE_END], S(1764340302, 0));
	assert_int_equal(s->ended_us, S(1764340302, 260000));
	assert_int_equal(s->brm.version.major, 1);
	assert_int_equal(s->brm.version.minor, 0);
	assert_int_equal(s->brm.battery_type, 6);
	assert_int_equal(s->brm.rated_dah, 800);
	assert_false(s->brm.has_ext);
	assert_int_equal(gbt_charge_da(s->bcp.max_current_raw), 1500);
	assert_int_equal(s->bcp.soc_pm, 200);
	assert_int_equal(gbt_charge_da(s->cml.max_current_raw), 3600);
	assert_false(s->cml.has_min_current);
	assert_int_equal(gbt_charge_da(s->bcl.demand_current_raw), 1200);
	assert_int_equal(s->ccs.output_dv, 6550);
	assert_int_equal(gbt_charge_da(s->ccs.output_current_raw), 1195);
	assert_false(s->ccs.has_permitted);
	assert_int_equal(gbt_charge_da(s->bcs.measured_current_raw), 1190);
	assert_int_equal(s->bcs.max_cell_cv, 405);
	assert_int_equal(s->bsm.max_temp_raw - 50, 63);
	assert_int_equal((s->bsm.status >> 6) & 3, 1);
	/* One fault: the BMS's BST, battery pack over-temperature (bits 16-17). */
	assert_int_equal(r.faults, 1);
	assert_int_equal(r.fault_msg[0], GBT_BST);
	assert_int_equal(r.fault_bits[0], 0x00010000u);
	assert_int_equal(r.fault_at[0], S(1764340302, 0));
	assert_int_equal(r.ended, 1);
}

static int rx(struct rec *r, uint32_t pgn, const uint8_t *d, size_t len, int64_t t)
{
	const struct gbt_msg_info *mi = gbt_msg_info((enum gbt_msg)gbt_msg_of_pgn(pgn));
	uint8_t sa = mi->from_bms ? GBT_SA_BMS : GBT_SA_CHARGER, da = mi->from_bms ? GBT_SA_CHARGER : GBT_SA_BMS;
	return evgw_charging_rx(&r->c, pgn, sa, da, d, len, t);
}

#define B(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})

static void timeouts_silence_restart(void **state)
{
	static struct rec r;
	setup_rec(&r);
	int64_t t = S(1000, 0);
	/* Joined mid-charge: a BCL first (680.0 V, 200.0 A). */
	assert_int_equal(rx(&r, 0x1000, B(0x90, 0x1A, 0xD0, 0x07, 0x02), t), 1);
	const struct evgw_charging_session *s = evgw_charging_current(&r.c);
	assert_non_null(s);
	assert_true(s->joined);
	assert_int_equal(s->stage, GBT_STAGE_CHARGING);
	/* Not GB/T: wrong direction, other addresses, another PGN. */
	assert_int_equal(evgw_charging_rx(&r.c, 0x1000, GBT_SA_CHARGER, GBT_SA_BMS, B(0, 0, 0, 0, 0), t), 0);
	assert_int_equal(evgw_charging_rx(&r.c, 0x1000, 0x03, 0x00, B(0, 0, 0, 0, 0), t), 0);
	assert_int_equal(evgw_charging_rx(&r.c, 0xFECA, GBT_SA_BMS, 0xFF, B(0, 0, 0, 0, 0, 0, 0, 0), t), 0);
	/* Malformed: a 4-byte BCL. */
	assert_int_equal(rx(&r, 0x1000, B(0x90, 0x1A, 0xD0, 0x07), t), -EBADMSG);
	assert_int_equal(r.c.malformed, 1);
	/* The charger times out waiting for BCS: CEM 00 00 01 00 (bits 16-17).
	 * An error message begins no stage. */
	assert_int_equal(rx(&r, 0x1F00, B(0x00, 0x00, 0x01, 0x00), t + 100000), 1);
	assert_int_equal(r.faults, 1);
	assert_int_equal(r.fault_msg[0], GBT_CEM);
	assert_int_equal(r.fault_bits[0], 0x00010000u);
	assert_int_equal(s->stage, GBT_STAGE_CHARGING);
	/* The same again is not told twice. */
	assert_int_equal(rx(&r, 0x1F00, B(0x00, 0x00, 0x01, 0x00), t + 350000), 1);
	assert_int_equal(r.faults, 1);
	/* Silence: 10 s after the last message the session is over. */
	evgw_charging_poll(&r.c, t + 350000 + EVGW_CHARGING_SILENCE_US - 1);
	assert_non_null(evgw_charging_current(&r.c));
	evgw_charging_poll(&r.c, t + 350000 + EVGW_CHARGING_SILENCE_US);
	assert_null(evgw_charging_current(&r.c));
	s = evgw_charging_finished(&r.c, 0);
	assert_int_equal(s->outcome, EVGW_CHARGING_ABNORMAL);
	assert_int_equal(s->ended_us, t + 350000);
	assert_int_equal(r.ended, 1);
	t += 350000 + EVGW_CHARGING_SILENCE_US + 1000;
	/* A new plug-in: CHM; then it gets to the charging stage (CRO, BCL),
	 * and the charger starts over with CRM 00: that session is finished
	 * (no stop message: lost) and a third begins at recognition. */
	t += 1000000;
	assert_int_equal(rx(&r, 0x2600, B(0x01, 0x01, 0x00), t), 1);
	assert_int_equal(evgw_charging_current(&r.c)->number, 2);
	assert_int_equal(rx(&r, 0x2600, B(0x01, 0x01, 0x00), t + 250000), 1); /* repeated: the same session */
	assert_int_equal(rx(&r, 0x0A00, B(0xAA), t + 500000), 1);
	assert_int_equal(rx(&r, 0x1000, B(0x90, 0x1A, 0xD0, 0x07, 0x02), t + 600000), 1);
	assert_int_equal(rx(&r, 0x0100, B(0x00, 1, 0, 0, 0, 0xFF, 0xFF, 0xFF), t + 700000), 1);
	assert_int_equal(evgw_charging_finished(&r.c, 0)->number, 2);
	assert_int_equal(evgw_charging_finished(&r.c, 0)->outcome, EVGW_CHARGING_LOST);
	assert_int_equal(evgw_charging_finished(&r.c, 1)->number, 1);
	s = evgw_charging_current(&r.c);
	assert_int_equal(s->number, 3);
	assert_int_equal(s->stage, GBT_STAGE_RECOGNITION);
	assert_false(s->joined);
	/* A charger emergency stop: CST 10 00 01 00 (fault stop, emergency). */
	assert_int_equal(rx(&r, 0x1A00, B(0x10, 0x00, 0x01, 0x00), t + 800000), 1);
	assert_int_equal(r.faults, 2);
	assert_int_equal(r.fault_msg[1], GBT_CST);
	assert_int_equal(r.fault_bits[1], 0x00010010u);
	assert_int_equal(s->stage, GBT_STAGE_END);
	/* Both statistics end it; a CSD repeated after that belongs to it. */
	assert_int_equal(rx(&r, 0x1C00, B(0x50, 0x52, 0x01, 0x59, 0x01, 0x4D, 0x52), t + 900000), 1);
	assert_non_null(evgw_charging_current(&r.c));
	assert_int_equal(rx(&r, 0x1D00, B(0x2A, 0x00, 0x51, 0x04, 0x01, 0, 0, 0), t + 910000), 1);
	assert_null(evgw_charging_current(&r.c));
	assert_int_equal(r.ended_outcome, EVGW_CHARGING_ABNORMAL);
	assert_int_equal(rx(&r, 0x1D00, B(0x2A, 0x00, 0x51, 0x04, 0x01, 0, 0, 0), t + 1160000), 1);
	assert_null(evgw_charging_current(&r.c));
	assert_int_equal(evgw_charging_finished(&r.c, 0)->number, 3);
	assert_int_equal(evgw_charging_finished(&r.c, 0)->last_us, t + 1160000);
	assert_int_equal(evgw_charging_finished(&r.c, 0)->ended_us, t + 910000);
	assert_int_equal(r.ended, 3);
}

static void history_is_bounded(void **state)
{
	static struct rec r;
	setup_rec(&r);
	int64_t t = S(2000, 0);
	for (int i = 0; i < EVGW_CHARGING_HISTORY + 3; i++) {
		assert_int_equal(rx(&r, 0x1000, B(0x90, 0x1A, 0xD0, 0x07, 0x02), t), 1);
		t += EVGW_CHARGING_SILENCE_US;
		evgw_charging_poll(&r.c, t);
		t += 1;
	}
	for (unsigned i = 0; i < EVGW_CHARGING_HISTORY; i++)
		assert_int_equal(evgw_charging_finished(&r.c, i)->number, EVGW_CHARGING_HISTORY + 3 - i);
	assert_null(evgw_charging_finished(&r.c, EVGW_CHARGING_HISTORY));
	assert_int_equal(r.ended, EVGW_CHARGING_HISTORY + 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normal_end),
		cmocka_unit_test(abnormal_end),
		cmocka_unit_test(timeouts_silence_restart),
		cmocka_unit_test(history_is_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
