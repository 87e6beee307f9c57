// SPDX-License-Identifier: MIT
/* Battery health as data: what a BMS tells of its pack in one `battery`
 * call, where each value came from (a profile DID or a DBC signal, with
 * its sources and confidence), and what evgw derives from them: the state
 * of health, the cell spread, and whether anything used rests on a
 * definition below "public" confidence. The daemon fills the values
 * (daemon/battery_read.h); each consumer renders the record
 * (api/cmd_battery.c).
 *
 * Which profile DID and which DBC signal carry a quantity is decided by
 * name, in one table (battery.c; dbc/README.md "Battery health"): a
 * profile that names a DID "capacity" gives the present capacity, a DBC
 * with BMS_1.BMS_SOC the state of charge. Nothing is invented: a value no
 * definition gives stays absent. */
#ifndef EVGW_VEHICLE_BATTERY_H
#define EVGW_VEHICLE_BATTERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/text_template.h"

enum evgw_batt_qty {
	EVGW_BATT_SOC = 0,
	EVGW_BATT_PACK_V,
	EVGW_BATT_PACK_A,
	EVGW_BATT_CELL_V_MIN,
	EVGW_BATT_CELL_V_MAX,
	EVGW_BATT_CELL_V_MIN_INDEX,
	EVGW_BATT_CELL_V_MAX_INDEX,
	EVGW_BATT_CELL_V_MIN_MODULE,
	EVGW_BATT_CELL_V_MAX_MODULE,
	EVGW_BATT_TEMP_MIN,
	EVGW_BATT_TEMP_MAX,
	EVGW_BATT_TEMP_AVG,
	EVGW_BATT_TEMP_MIN_SENSOR,
	EVGW_BATT_TEMP_MAX_SENSOR,
	EVGW_BATT_TEMP_MIN_MODULE,
	EVGW_BATT_TEMP_MAX_MODULE,
	EVGW_BATT_CHARGED_AH,
	EVGW_BATT_DISCHARGED_AH,
	EVGW_BATT_CHARGED_KWH,
	EVGW_BATT_DISCHARGED_KWH,
	EVGW_BATT_CHARGE_COUNT,
	EVGW_BATT_CAPACITY_AH,
	EVGW_BATT_CAPACITY_ORIGINAL_AH,
	EVGW_BATT_N
};

#define EVGW_BATT_MAX_NAMES 4

struct evgw_batt_qty_info {
	const char *key;   /* the reply's key: "soc_percent" */
	const char *unit;  /* "%", "V", ...; "" for numbers and counts */
	const char *label; /* for people: "State of charge" */
	/* Profile DID names, best first; then DBC signals "MESSAGE.SIGNAL",
	 * best first (used when no DID gave the value). NULL-terminated. */
	const char *dids[EVGW_BATT_MAX_NAMES];
	const char *signals[EVGW_BATT_MAX_NAMES];
};

/* The table's row of q (q < EVGW_BATT_N). */
const struct evgw_batt_qty_info *evgw_batt_qty_info(enum evgw_batt_qty q);
/* The quantity whose dids[] names this profile DID, or -1; *rank: its
 * position there (lower is better). */
int evgw_batt_qty_of_did(const char *did_name, unsigned *rank);

enum evgw_batt_from {
	EVGW_BATT_NONE = 0,
	EVGW_BATT_FROM_DID,
	EVGW_BATT_FROM_SIGNAL,
};

#define EVGW_BATT_TEXT 200

/* One value and its provenance. */
struct evgw_batt_value {
	enum evgw_batt_from from;   /* NONE: no definition gave it (null) */
	double value;
	int decimals;               /* fraction digits its scale implies */
	char name[100];             /* the profile DID's name, or "MESSAGE.SIGNAL" */
	/* DID: the profile ECU, its request id, the DID and the bytes used. */
	char ecu[33];
	uint32_t ecu_request;
	uint16_t did, start;
	uint8_t length;
	char source[EVGW_BATT_TEXT]; /* dbc/sources.tsv keys (profile source / EvgwSource) */
	char confidence[16];        /* confirmed | public | assumed; "" = not given */
	double age_s;               /* SIGNAL: seconds since its frame */
};

#define EVGW_BATT_MAX_NOTES 6

struct evgw_battery {
	char bus[64];
	char profile[33];
	struct evgw_batt_value v[EVGW_BATT_N];
	unsigned dids_asked, dids_answered;
	/* Derived by evgw_battery_finish: */
	bool has_soh, has_spread;
	double soh_percent;         /* present / original capacity, x100, 0.1 % */
	double cell_spread_mv;      /* highest - lowest cell voltage, mV */
	int spread_decimals;
	struct evgw_text soh_method; /* how soh_percent was computed, or why not */
	bool unconfirmed;           /* a value used rests on a definition below "public" */
	struct evgw_text notes[EVGW_BATT_MAX_NOTES];
	unsigned n_notes;
};

/* An empty record for bus and profile ("" when none). */
void evgw_battery_init(struct evgw_battery *b, const char *bus, const char *profile);
/* Add a sentence to notes from its template (N_) and arguments
 * (util/text_template.h); dropped when full. */
void evgw_battery_note(struct evgw_battery *b, const char *tpl, unsigned n, const struct evgw_text_arg *args);
/* Is this confidence below "public" (assumed, unknown or not given)? */
bool evgw_batt_below_public(const char *confidence);
/* Derive soh_percent and soh_method, cell_spread_mv and unconfirmed from
 * the values. Call once, after every value is in. */
void evgw_battery_finish(struct evgw_battery *b);

#endif
