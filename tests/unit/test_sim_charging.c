// SPDX-License-Identifier: MIT
/* The e-bus's simulated GB/T 27930 charge (sim/sim_charging.h), heard as
 * the daemon hears it: every frame through the J1939-21 transport protocol,
 * listening only, and the session tracker. Expected values from the
 * session sim_charging.h describes, worked out here: the charge begins 52 s
 * into each 60 s cycle, ends 5.26 s later with both statistics, and the
 * BMS stops it for battery pack over-temperature. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "charging/charging_session.h"
#include "j1939/j1939_id.h"
#include "j1939/j1939_tp.h"
#include "sim/sim_charging.h"
#include "sim/sim_j1939.h"

#define SEC INT64_C(1000000)
#define T0 (INT64_C(1700000000) * SEC)

struct rec {
	struct evgw_charging c;
	struct j1939_tp tp;
	int faults;
	enum gbt_msg fault_msg;
	uint32_t fault_bits;
	int64_t ts;
};

static void on_fault(void *ud, const struct evgw_charging_session *s, enum gbt_msg m, uint32_t bits, int64_t now)
{
	struct rec *r = ud;
	r->faults++;
	r->fault_msg = m;
	r->fault_bits = bits;
}

static void deliver(void *ud, uint32_t pgn, uint8_t sa, uint8_t da, const uint8_t *d, size_t len, int64_t now)
{
	struct rec *r = ud;
	assert_int_equal(evgw_charging_rx(&r->c, pgn, sa, da, d, len, r->ts), 1);
}

/* Poll every 10 ms from T0 to `until`; every frame to the TP or the tracker. */
static unsigned run(struct sim_charging *s, struct rec *r, int64_t until, int64_t *first, int64_t *last)
{
	unsigned n = 0;
	int64_t prev = 0;
	for (int64_t t = T0; t <= until; t += 10000) {
		struct evgw_frame f;
		while (sim_charging_pop(s, t, &f)) {
			assert_true(f.flags & EVGW_FRAME_EXT);
			assert_true(f.ts_us >= prev && f.ts_us <= t);
			prev = f.ts_us;
			if (!n && first)
				*first = f.ts_us;
			if (last)
				*last = f.ts_us;
			n++;
			r->ts = f.ts_us;
			if (j1939_tp_rx(&r->tp, &f, f.ts_us) == 1)
				continue;
			assert_int_equal(evgw_charging_rx(&r->c, j1939_id_pgn(f.id), j1939_id_sa(f.id), j1939_id_da(f.id),
							  f.data, f.len, f.ts_us), 1);
		}
	}
	return n;
}

static void one_session_a_cycle(void **state)
{
	static struct sim_charging s;
	static struct rec r;
	static const struct evgw_charging_ops ops = {on_fault, NULL};
	static const struct j1939_tp_ops tops = {NULL, deliver, NULL};
	struct j1939_tp_config cfg;
	memset(&r, 0, sizeof r);
	evgw_charging_init(&r.c, &ops, &r);
	j1939_tp_config_default(&cfg);
	assert_int_equal(j1939_tp_init(&r.tp, &cfg, &tops, &r), 0);
	sim_charging_start(&s, T0);
	assert_int_equal(sim_charging_next_due(&s), T0 + 52 * SEC);
	int64_t first = 0, last = 0;
	/* Nothing before 52 s. */
	assert_int_equal(run(&s, &r, T0 + 52 * SEC - 10000, NULL, NULL), 0);
	unsigned n = run(&s, &r, T0 + 60 * SEC, &first, &last);
	assert_true(n > 100);
	assert_int_equal(first, T0 + 52 * SEC);
	assert_int_equal(last, T0 + 52 * SEC + 5510000); /* the second CSD */
	assert_int_equal(r.tp.stats.rx_done, 11); /* BRM, BCP, 6 BCS by RTS/CTS; BMV, BMT, BSP by BAM */
	assert_null(evgw_charging_current(&r.c));
	const struct evgw_charging_session *x = evgw_charging_finished(&r.c, 0);
	assert_non_null(x);
	assert_int_equal(x->outcome, EVGW_CHARGING_ABNORMAL);
	assert_false(x->joined);
	/* Stages: CHM at 52 s, CRM 00 at 52.5, the BCP's last packet at 53.004,
	 * BCL at 54, BST at 57; BSD and CSD at 57.25 / 57.26 end it. */
	assert_int_equal(x->stage_us[GBT_STAGE_HANDSHAKE], T0 + 52 * SEC);
	assert_int_equal(x->stage_us[GBT_STAGE_RECOGNITION], T0 + 52 * SEC + 500000);
	assert_int_equal(x->stage_us[GBT_STAGE_PARAMETERS], T0 + 53 * SEC + 4000);
	assert_int_equal(x->stage_us[GBT_STAGE_CHARGING], T0 + 54 * SEC);
	assert_int_equal(x->stage_us[GBT_STAGE_END], T0 + 57 * SEC);
	assert_int_equal(x->ended_us, T0 + 57 * SEC + 260000);
	assert_int_equal(x->last_us, T0 + 57 * SEC + 510000); /* the trailing pair belongs to it */
	/* What the BMS said about itself: the bus's VIN, LFP, 350.0 Ah, 614.4 V. */
	assert_string_equal(x->brm.vin, SIM_J1939_VIN);
	assert_int_equal(x->brm.battery_type, 3);
	assert_int_equal(x->brm.rated_dah, 3500);
	assert_int_equal(x->brm.rated_dv, 6144);
	assert_int_equal(x->brm.charge_count, 812);
	assert_int_equal(x->bhm.max_dv, 7500);
	assert_int_equal(gbt_charge_da(x->bcp.max_current_raw), 3000);
	assert_int_equal(x->bcp.soc_pm, 450);
	assert_int_equal(gbt_charge_da(x->cml.max_current_raw), 2500);
	assert_int_equal(x->cml.min_dv, 1500);
	/* The last round (k = 11): output 620.0 + 5.5 V, 200.0 A; the last BCS
	 * (k = 10): 624.5 V, 199.5 A, SOC 45 + 10 / 4 = 47; hottest 48 + 11 = 59 C. */
	assert_int_equal(x->ccs.output_dv, 6255);
	assert_int_equal(gbt_charge_da(x->ccs.output_current_raw), 2000);
	assert_int_equal(x->peak_output_da, 2000);
	assert_int_equal(x->bcs.measured_dv, 6245);
	assert_int_equal(gbt_charge_da(x->bcs.measured_current_raw), 1995);
	assert_int_equal(x->bcs.soc, 47);
	assert_int_equal(x->soc_first, 45);
	assert_int_equal(x->bsm.max_temp_raw - 50, 59);
	assert_int_equal((x->bsm.status >> 6) & 3, 1);
	/* BMV: cells 3.38 .. 3.42 V repeating; lowest cell 1, highest cell 5.
	 * BMT: 40 .. 55 C; lowest probe 1, highest probe 16. */
	assert_int_equal(x->bmv.cells, 16);
	assert_int_equal(x->bmv.min_cv, 338);
	assert_int_equal(x->bmv.min_cell, 1);
	assert_int_equal(x->bmv.max_cv, 342);
	assert_int_equal(x->bmv.max_cell, 5);
	assert_int_equal(x->bmt.probes, 16);
	assert_int_equal(x->bmt.min_raw - 50, 40);
	assert_int_equal(x->bmt.max_raw - 50, 55);
	assert_int_equal(x->bmt.max_probe, 16);
	/* Why: the BMS, battery pack over-temperature, told once. */
	assert_int_equal(r.faults, 1);
	assert_int_equal(r.fault_msg, GBT_BST);
	assert_int_equal(r.fault_bits, 0x00010000u);
	assert_int_equal(x->stop_bits[EVGW_CHARGING_CST], 0xF0F00040u);
	assert_int_equal(x->bsd.max_temp_raw - 50, 59);
	assert_int_equal(x->csd.energy_dkwh, 8);
	/* The next cycle: the next session, the same way. */
	assert_int_equal(sim_charging_next_due(&s), T0 + 112 * SEC);
	run(&s, &r, T0 + 120 * SEC, NULL, NULL);
	assert_int_equal(evgw_charging_finished(&r.c, 0)->number, 2);
	assert_int_equal(r.faults, 2);
}

static void polled_rarely(void **state)
{
	static struct sim_charging s;
	struct evgw_frame f;
	sim_charging_start(&s, T0);
	/* Ten minutes late: the session of the cycle now running, not ten. */
	int64_t now = T0 + 600 * SEC + 53 * SEC;
	assert_int_equal(sim_charging_pop(&s, now, &f), 1);
	assert_int_equal(f.ts_us, T0 + 600 * SEC + 52 * SEC);
	assert_int_equal(sim_charging_next_due(&s), T0 + 600 * SEC + 52 * SEC + 10000); /* the BHM */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_session_a_cycle),
		cmocka_unit_test(polled_rarely),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
