// SPDX-License-Identifier: MIT
/* Battery health: the name table and the derived figures (battery.h). */
#include "vehicle/battery.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Marks a label for evgw's Russian catalog (po/update.sh reads this file;
 * the CLI translates it where it prints it); nothing at run time. */
#define NC_(ctx, s) (s)

/* Which definitions carry each quantity. DID names are the profiles' [did]
 * sections (dbc/profiles/byd_*.ini); signals are the e-bus BMS DBC files'
 * (dbc/ebus_bms_golden_dragon.dbc, dbc/ebus_bms_pride_power.dbc, which
 * share message names where their layouts agree). */
static const struct evgw_batt_qty_info table[EVGW_BATT_N] = {
	[EVGW_BATT_SOC] = {"soc_percent", "%", NC_("battery", "State of charge"), {"soc_precise", "soc"}, {"BMS_1.BMS_SOC"}},
	[EVGW_BATT_PACK_V] = {"pack_voltage_v", "V", NC_("battery", "Pack voltage"), {"pack_voltage"}, {"BMS_1.BMS_PackVoltage"}},
	[EVGW_BATT_PACK_A] = {"pack_current_a", "A", NC_("battery", "Pack current"), {"pack_current"}, {"BMS_1.BMS_PackCurrent"}},
	[EVGW_BATT_CELL_V_MIN] = {"cell_voltage_min_v", "V", NC_("battery", "Lowest cell voltage"), {"cell_voltage_min"},
				  {"BMS_CELL_VMIN_A.BMS_MinCellVoltage", "BMS_CELL_V.BMS_MinCellVoltage"}},
	[EVGW_BATT_CELL_V_MAX] = {"cell_voltage_max_v", "V", NC_("battery", "Highest cell voltage"), {"cell_voltage_max"},
				  {"BMS_CELL_VMAX_A.BMS_MaxCellVoltage", "BMS_CELL_V.BMS_MaxCellVoltage"}},
	[EVGW_BATT_CELL_V_MIN_INDEX] = {"cell_voltage_min_index", "", NC_("battery", "Lowest cell: number"), {"cell_voltage_min_number"},
					{"BMS_CELL_VMIN_A.BMS_MinCellPosition", "BMS_CELL_V.BMS_MinCellPosition"}},
	[EVGW_BATT_CELL_V_MAX_INDEX] = {"cell_voltage_max_index", "", NC_("battery", "Highest cell: number"), {"cell_voltage_max_number"},
					{"BMS_CELL_VMAX_A.BMS_MaxCellPosition", "BMS_CELL_V.BMS_MaxCellPosition"}},
	[EVGW_BATT_CELL_V_MIN_MODULE] = {"cell_voltage_min_module", "", NC_("battery", "Lowest cell: module (box)"), {NULL},
					 {"BMS_CELL_VMIN_A.BMS_MinCellBox", "BMS_CELL_V.BMS_MinCellBox"}},
	[EVGW_BATT_CELL_V_MAX_MODULE] = {"cell_voltage_max_module", "", NC_("battery", "Highest cell: module (box)"), {NULL},
					 {"BMS_CELL_VMAX_A.BMS_MaxCellBox", "BMS_CELL_V.BMS_MaxCellBox"}},
	[EVGW_BATT_TEMP_MIN] = {"temp_min_c", "degC", NC_("battery", "Coldest temperature"), {"cell_temp_min"},
				{"BMS_TEMP_MIN.BMS_MinCellTemp", "BMS_CELL_T.BMS_MinCellTemp"}},
	[EVGW_BATT_TEMP_MAX] = {"temp_max_c", "degC", NC_("battery", "Warmest temperature"), {"cell_temp_max"},
				{"BMS_TEMP_MAX.BMS_MaxCellTemp", "BMS_CELL_T.BMS_MaxCellTemp"}},
	[EVGW_BATT_TEMP_AVG] = {"temp_avg_c", "degC", NC_("battery", "Average temperature"), {"pack_temp_avg"}, {NULL}},
	[EVGW_BATT_TEMP_MIN_SENSOR] = {"temp_min_sensor", "", NC_("battery", "Coldest: sensor number"), {"cell_temp_min_sensor"},
				       {NULL}},
	[EVGW_BATT_TEMP_MAX_SENSOR] = {"temp_max_sensor", "", NC_("battery", "Warmest: sensor number"), {"cell_temp_max_sensor"},
				       {NULL}},
	[EVGW_BATT_TEMP_MIN_MODULE] = {"temp_min_module", "", NC_("battery", "Coldest: module (box)"), {NULL},
				       {"BMS_TEMP_MIN.BMS_MinTempBox", "BMS_CELL_T.BMS_MinTempBox"}},
	[EVGW_BATT_TEMP_MAX_MODULE] = {"temp_max_module", "", NC_("battery", "Warmest: module (box)"), {NULL},
				       {"BMS_TEMP_MAX.BMS_MaxTempBox", "BMS_CELL_T.BMS_MaxTempBox"}},
	[EVGW_BATT_CHARGED_AH] = {"charged_ah_total", "Ah", NC_("battery", "Charged in its life"), {"charged_ah_total"}, {NULL}},
	[EVGW_BATT_DISCHARGED_AH] = {"discharged_ah_total", "Ah", NC_("battery", "Discharged in its life"), {"discharged_ah_total"},
				     {NULL}},
	[EVGW_BATT_CHARGED_KWH] = {"charged_kwh_total", "kWh", NC_("battery", "Energy charged in its life"), {"charged_kwh_total"},
				   {NULL}},
	[EVGW_BATT_DISCHARGED_KWH] = {"discharged_kwh_total", "kWh", NC_("battery", "Energy discharged in its life"),
				      {"discharged_kwh_total"}, {NULL}},
	[EVGW_BATT_CHARGE_COUNT] = {"charge_count", "", NC_("battery", "Charges"), {"charge_count"},
				    {"BMS_PACK_INFO.BMS_ChargeCount"}},
	[EVGW_BATT_CAPACITY_AH] = {"capacity_ah", "Ah", NC_("battery", "Capacity now"), {"capacity"}, {NULL}},
	[EVGW_BATT_CAPACITY_ORIGINAL_AH] = {"capacity_original_ah", "Ah", NC_("battery", "Capacity when new"), {"capacity_original"},
					    {"BMS_PACK_INFO.BMS_RatedCapacity"}},
};

const struct evgw_batt_qty_info *evgw_batt_qty_info(enum evgw_batt_qty q)
{
	return (unsigned)q < EVGW_BATT_N ? &table[q] : NULL;
}

int evgw_batt_qty_of_did(const char *did_name, unsigned *rank)
{
	for (int q = 0; q < EVGW_BATT_N; q++)
		for (unsigned i = 0; i < EVGW_BATT_MAX_NAMES && table[q].dids[i]; i++)
			if (!strcmp(table[q].dids[i], did_name)) {
				*rank = i;
				return q;
			}
	return -1;
}

void evgw_battery_init(struct evgw_battery *b, const char *bus, const char *profile)
{
	memset(b, 0, sizeof *b);
	snprintf(b->bus, sizeof b->bus, "%s", bus ? bus : "");
	snprintf(b->profile, sizeof b->profile, "%s", profile ? profile : "");
}

void evgw_battery_note(struct evgw_battery *b, const char *tpl, unsigned n, const struct evgw_text_arg *args)
{
	if (b->n_notes < EVGW_BATT_MAX_NOTES)
		evgw_text_make(&b->notes[b->n_notes++], tpl, n, args);
}

bool evgw_batt_below_public(const char *c)
{
	/* "ungraded": a DBC without EvgwConfidence, the shop's own file
	 * (vehicle/confidence.h). */
	return !c || (strcmp(c, "public") && strcmp(c, "confirmed") && strcmp(c, "ungraded"));
}

/* "DID 0x1FFC bytes 2-3 of ECU bms (0x7E7), profile DID 'capacity' (public)"
 * or "signal BMS_PACK_INFO.BMS_RatedCapacity (public)". */
static void describe(struct evgw_text *out, const struct evgw_batt_value *v)
{
	struct evgw_text unknown, bytes;
	evgw_text_make(&unknown, N_("confidence not given"), 0, NULL);
	struct evgw_text_arg conf = v->confidence[0] ? EVGW_TEXT_VALUE(v->confidence) : EVGW_TEXT_OF(&unknown);
	if (v->from == EVGW_BATT_FROM_DID) {
		char first[8], last[8], did[8], req[8];
		snprintf(first, sizeof first, "%u", v->start);
		snprintf(last, sizeof last, "%u", v->start + v->length - 1u);
		snprintf(did, sizeof did, "%04X", v->did);
		snprintf(req, sizeof req, "%03X", (unsigned)v->ecu_request);
		if (v->length > 1)
			evgw_text_make(&bytes, N_("bytes {0}-{1}"), 2,
				       (const struct evgw_text_arg[]){EVGW_TEXT_VALUE(first), EVGW_TEXT_VALUE(last)});
		else
			evgw_text_make(&bytes, N_("byte {0}"), 1, (const struct evgw_text_arg[]){EVGW_TEXT_VALUE(first)});
		evgw_text_make(out, N_("DID 0x{0} {1} of ECU {2} (0x{3}), profile DID '{4}' ({5})"), 6,
			       (const struct evgw_text_arg[]){EVGW_TEXT_VALUE(did), EVGW_TEXT_OF(&bytes),
							      EVGW_TEXT_VALUE(v->ecu), EVGW_TEXT_VALUE(req),
							      EVGW_TEXT_VALUE(v->name), conf});
	} else {
		evgw_text_make(out, N_("signal {0} ({1})"), 2,
			       (const struct evgw_text_arg[]){EVGW_TEXT_VALUE(v->name), conf});
	}
}

/* dst gets the words of src it does not have yet (space-separated keys). */
static void add_words(char *dst, size_t cap, const char *src)
{
	char word[64];
	const char *p = src;
	while (*p) {
		size_t n = strcspn(p, " \t");
		if (n && n < sizeof word) {
			memcpy(word, p, n);
			word[n] = '\0';
			bool have = false;
			for (const char *q = dst; (q = strstr(q, word)); q += n)
				if ((q == dst || q[-1] == ' ') && (q[n] == '\0' || q[n] == ' '))
					have = true;
			size_t len = strlen(dst);
			if (!have && len + n + 2 < cap)
				snprintf(dst + len, cap - len, "%s%s", len ? " " : "", word);
		}
		p += n;
		p += strspn(p, " \t");
	}
}

static void soh(struct evgw_battery *b)
{
	const struct evgw_batt_value *now = &b->v[EVGW_BATT_CAPACITY_AH];
	const struct evgw_batt_value *orig = &b->v[EVGW_BATT_CAPACITY_ORIGINAL_AH];
	if (!now->from || !orig->from || !(orig->value > 0)) {
		/* Whole sentences, each translated as one. */
		const char *why =
			!now->from && !orig->from
				? N_("not computed: the BMS gave neither its present nor its original capacity (the state "
				     "of health is the present capacity over the original one; evgw does not estimate it "
				     "from anything else)")
			: !now->from ? N_("not computed: the BMS gave no present capacity (the state of health is the "
					  "present capacity over the original one; evgw does not estimate it from anything "
					  "else)")
			: !orig->from
				? N_("not computed: the BMS gave no original capacity (the state of health is the present "
				     "capacity over the original one; evgw does not estimate it from anything else)")
				: N_("not computed: the original capacity read is 0 (the state of health is the present "
				     "capacity over the original one; evgw does not estimate it from anything else)");
		evgw_text_make(&b->soh_method, why, 0, NULL);
		return;
	}
	b->has_soh = true;
	b->soh_percent = round(1000.0 * now->value / orig->value) / 10.0;
	struct evgw_text dn, dorig, none;
	char keys[EVGW_BATT_TEXT * 2] = "", vnow[32], vorig[32];
	describe(&dn, now);
	describe(&dorig, orig);
	add_words(keys, sizeof keys, now->source);
	add_words(keys, sizeof keys, orig->source);
	evgw_text_make(&none, N_("none named"), 0, NULL);
	snprintf(vnow, sizeof vnow, "%.*f", now->decimals > 0 ? now->decimals : 0, now->value);
	snprintf(vorig, sizeof vorig, "%.*f", orig->decimals > 0 ? orig->decimals : 0, orig->value);
	evgw_text_make(&b->soh_method,
		       N_("present capacity / original capacity x 100 = {0} Ah / {1} Ah; present capacity from {2}, "
			  "original capacity from {3}; sources: {4} (dbc/sources.tsv). The sources give both "
			  "capacities; their ratio as a health figure is evgw's reading, not a formula they state"),
		       5,
		       (const struct evgw_text_arg[]){EVGW_TEXT_VALUE(vnow), EVGW_TEXT_VALUE(vorig), EVGW_TEXT_OF(&dn),
						      EVGW_TEXT_OF(&dorig), keys[0] ? EVGW_TEXT_VALUE(keys) : EVGW_TEXT_OF(&none)});
}

static void spread(struct evgw_battery *b)
{
	const struct evgw_batt_value *lo = &b->v[EVGW_BATT_CELL_V_MIN], *hi = &b->v[EVGW_BATT_CELL_V_MAX];
	if (!lo->from || !hi->from || hi->value < lo->value)
		return;
	/* In mV at the finer of the two voltages' resolutions (0.001 V: whole mV). */
	int d = (lo->decimals > hi->decimals ? lo->decimals : hi->decimals) - 3;
	if (lo->decimals < 0 || hi->decimals < 0)
		d = 1;
	if (d < 0)
		d = 0;
	double k = pow(10, d);
	b->has_spread = true;
	b->spread_decimals = d;
	b->cell_spread_mv = round((hi->value - lo->value) * 1000.0 * k) / k;
}

void evgw_battery_finish(struct evgw_battery *b)
{
	soh(b);
	spread(b);
	b->unconfirmed = false;
	for (unsigned q = 0; q < EVGW_BATT_N; q++)
		if (b->v[q].from && evgw_batt_below_public(b->v[q].confidence))
			b->unconfirmed = true;
}
