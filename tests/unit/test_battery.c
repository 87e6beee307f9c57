// SPDX-License-Identifier: MIT
/* Battery health's derived figures (vehicle/battery.h): the state of health
 * as present / original capacity, the cell spread in mV, the unconfirmed
 * flag, and the name table the daemon reads by. Expected numbers are worked
 * out by hand in the comments. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "dbc/dbc.h"
#include "vehicle/battery.h"
#include "vehicle/profile.h"

#define DBC_DIR EVGW_TEST_DATA "/../../dbc"

static void set_did(struct evgw_battery *b, enum evgw_batt_qty q, double v, int decimals, const char *name,
		    uint16_t did, uint16_t start, const char *conf)
{
	struct evgw_batt_value *x = &b->v[q];
	x->from = EVGW_BATT_FROM_DID;
	x->value = v;
	x->decimals = decimals;
	snprintf(x->name, sizeof x->name, "%s", name);
	snprintf(x->ecu, sizeof x->ecu, "bms");
	x->ecu_request = 0x7E7;
	x->did = did;
	x->start = start;
	x->length = 2;
	snprintf(x->source, sizeof x->source, "wican-byd-202410 batemu-atto3");
	snprintf(x->confidence, sizeof x->confidence, "%s", conf);
}

static void test_soh_from_capacities(void **state)
{
	(void)state;
	struct evgw_battery b;
	evgw_battery_init(&b, "car", "byd-atto3");
	/* 141.30 Ah of 150.00 Ah: 141.3 / 150 = 0.942 -> 94.2 %. */
	set_did(&b, EVGW_BATT_CAPACITY_AH, 141.30, 2, "capacity", 0x1FFC, 2, "public");
	set_did(&b, EVGW_BATT_CAPACITY_ORIGINAL_AH, 150.00, 2, "capacity_original", 0x1FFE, 2, "public");
	evgw_battery_finish(&b);
	assert_true(b.has_soh);
	assert_true(b.soh_percent > 94.19 && b.soh_percent < 94.21);
	assert_false(b.unconfirmed);
	/* The sentence names both DIDs, their bytes, the ECU and the sources once each. */
	assert_non_null(strstr(b.soh_method.en, "141.30 Ah / 150.00 Ah"));
	assert_non_null(strstr(b.soh_method.en, "DID 0x1FFC bytes 2-3 of ECU bms (0x7E7)"));
	assert_non_null(strstr(b.soh_method.en, "DID 0x1FFE bytes 2-3"));
	assert_non_null(strstr(b.soh_method.en, "sources: wican-byd-202410 batemu-atto3 (dbc/sources.tsv)"));

	/* Rounded to 0.1 %: 137.45 / 150 = 0.916333... -> 91.6; 112.5 / 150 = 0.75 -> 75.0. */
	b.v[EVGW_BATT_CAPACITY_AH].value = 137.45;
	evgw_battery_finish(&b);
	assert_true(b.soh_percent > 91.59 && b.soh_percent < 91.61);
	b.v[EVGW_BATT_CAPACITY_AH].value = 112.5;
	evgw_battery_finish(&b);
	assert_true(b.soh_percent > 74.99 && b.soh_percent < 75.01);
}

static void test_soh_not_computed(void **state)
{
	(void)state;
	struct evgw_battery b;
	/* Only the rated capacity (an e-bus): no present capacity, no figure. */
	evgw_battery_init(&b, "ebus", "");
	b.v[EVGW_BATT_CAPACITY_ORIGINAL_AH] = (struct evgw_batt_value){.from = EVGW_BATT_FROM_SIGNAL, .value = 540,
								     .confidence = "public"};
	evgw_battery_finish(&b);
	assert_false(b.has_soh);
	assert_non_null(strstr(b.soh_method.en, "not computed: the BMS gave no present capacity"));
	/* An original capacity of 0 gives no division. */
	set_did(&b, EVGW_BATT_CAPACITY_AH, 100, 2, "capacity", 0x1FFC, 2, "public");
	b.v[EVGW_BATT_CAPACITY_ORIGINAL_AH].value = 0;
	evgw_battery_finish(&b);
	assert_false(b.has_soh);
	assert_non_null(strstr(b.soh_method.en, "original capacity read is 0"));
	/* Nothing at all. */
	evgw_battery_init(&b, "x", "");
	evgw_battery_finish(&b);
	assert_false(b.has_soh);
	assert_false(b.has_spread);
	assert_false(b.unconfirmed);
	assert_non_null(strstr(b.soh_method.en, "neither its present nor its original capacity"));
}

static void test_cell_spread(void **state)
{
	(void)state;
	struct evgw_battery b;
	evgw_battery_init(&b, "car", "");
	/* 3.376 V - 3.356 V = 0.020 V = 20 mV, at 0.001 V resolution: whole mV. */
	set_did(&b, EVGW_BATT_CELL_V_MAX, 3.376, 3, "cell_voltage_max", 0x002D, 0, "assumed");
	set_did(&b, EVGW_BATT_CELL_V_MIN, 3.356, 3, "cell_voltage_min", 0x002B, 0, "assumed");
	evgw_battery_finish(&b);
	assert_true(b.has_spread);
	assert_int_equal(b.spread_decimals, 0);
	assert_true(b.cell_spread_mv > 19.99 && b.cell_spread_mv < 20.01);
	/* A value from an assumed definition makes the whole reading unconfirmed. */
	assert_true(b.unconfirmed);
	/* 0.0001 V resolution: 3.4012 - 3.3875 = 0.0137 V = 13.7 mV, one decimal. */
	b.v[EVGW_BATT_CELL_V_MAX].value = 3.4012;
	b.v[EVGW_BATT_CELL_V_MAX].decimals = 4;
	b.v[EVGW_BATT_CELL_V_MIN].value = 3.3875;
	evgw_battery_finish(&b);
	assert_int_equal(b.spread_decimals, 1);
	assert_true(b.cell_spread_mv > 13.69 && b.cell_spread_mv < 13.71);
	/* Equal cells: 0 mV. A maximum below the minimum is no spread. */
	b.v[EVGW_BATT_CELL_V_MAX].value = 3.3875;
	evgw_battery_finish(&b);
	assert_true(b.has_spread && b.cell_spread_mv == 0);
	b.v[EVGW_BATT_CELL_V_MAX].value = 3.2;
	b.has_spread = false;
	evgw_battery_finish(&b);
	assert_false(b.has_spread);
	/* Only one of the two: none. */
	b.v[EVGW_BATT_CELL_V_MAX].from = EVGW_BATT_NONE;
	b.has_spread = false;
	evgw_battery_finish(&b);
	assert_false(b.has_spread);
}

static void test_confidence_and_names(void **state)
{
	(void)state;
	assert_false(evgw_batt_below_public("public"));
	assert_false(evgw_batt_below_public("confirmed"));
	assert_true(evgw_batt_below_public("assumed"));
	/* A DBC without EvgwConfidence is the shop's own file: not graded. */
	assert_false(evgw_batt_below_public("ungraded"));
	assert_true(evgw_batt_below_public(""));
	assert_true(evgw_batt_below_public(NULL));
	/* soc_precise (0.01 %) is preferred to soc (1 %). */
	unsigned rank = 9;
	assert_int_equal(evgw_batt_qty_of_did("soc_precise", &rank), EVGW_BATT_SOC);
	assert_int_equal(rank, 0);
	assert_int_equal(evgw_batt_qty_of_did("soc", &rank), EVGW_BATT_SOC);
	assert_int_equal(rank, 1);
	assert_int_equal(evgw_batt_qty_of_did("capacity_original", &rank), EVGW_BATT_CAPACITY_ORIGINAL_AH);
	assert_int_equal(evgw_batt_qty_of_did("full_power_count", &rank), -1);
	/* Every quantity has a key, and the keys the issue names are there. */
	const char *want[] = {"soc_percent", "pack_voltage_v", "pack_current_a", "cell_voltage_min_v",
			      "cell_voltage_max_v", "cell_voltage_min_index", "cell_voltage_max_index"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		bool found = false;
		for (unsigned q = 0; q < EVGW_BATT_N; q++)
			found |= !strcmp(evgw_batt_qty_info(q)->key, want[i]);
		assert_true(found);
	}
	assert_null(evgw_batt_qty_info(EVGW_BATT_N));
}

/* The table names only what the shipped definitions have: every DID name is
 * a [did] of dbc/profiles/byd_atto3.ini, every signal a MESSAGE.SIGNAL of
 * an e-bus BMS DBC (a rename there would silently empty a reading). */
static void test_names_exist(void **state)
{
	(void)state;
	struct evgw_profile *p = NULL;
	char err[256];
	assert_int_equal(evgw_profile_load_file(DBC_DIR "/profiles/byd_atto3.ini", &p, err, sizeof err), 0);
	struct dbc_db *dbs[2] = {NULL, NULL};
	assert_int_equal(dbc_load_file(DBC_DIR "/ebus_bms_golden_dragon.dbc", NULL, &dbs[0]), 0);
	assert_int_equal(dbc_load_file(DBC_DIR "/ebus_bms_pride_power.dbc", NULL, &dbs[1]), 0);
	unsigned dids = 0, sigs = 0;
	for (unsigned q = 0; q < EVGW_BATT_N; q++) {
		const struct evgw_batt_qty_info *qi = evgw_batt_qty_info(q);
		for (unsigned i = 0; i < EVGW_BATT_MAX_NAMES && qi->dids[i]; i++, dids++)
			if (!evgw_profile_did(p, qi->dids[i]))
				fail_msg("%s: no [did %s] in byd_atto3.ini", qi->key, qi->dids[i]);
		for (unsigned i = 0; i < EVGW_BATT_MAX_NAMES && qi->signals[i]; i++, sigs++) {
			char m[64];
			const char *dot = strchr(qi->signals[i], '.');
			assert_non_null(dot);
			snprintf(m, sizeof m, "%.*s", (int)(dot - qi->signals[i]), qi->signals[i]);
			bool found = false;
			for (unsigned k = 0; k < 2; k++) {
				const struct dbc_message *msg = dbc_find_message_by_name(dbs[k], m);
				found |= msg && dbc_find_signal(dbs[k], msg, dot + 1);
			}
			if (!found)
				fail_msg("%s: no signal %s in the e-bus BMS DBC files", qi->key, qi->signals[i]);
		}
	}
	/* 20 DID names and 25 signals in the table as written. */
	assert_int_equal(dids, 20);
	assert_int_equal(sigs, 25);
	dbc_free(dbs[0]);
	dbc_free(dbs[1]);
	evgw_profile_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_soh_from_capacities),
		cmocka_unit_test(test_soh_not_computed),
		cmocka_unit_test(test_cell_spread),
		cmocka_unit_test(test_confidence_and_names),
		cmocka_unit_test(test_names_exist),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
