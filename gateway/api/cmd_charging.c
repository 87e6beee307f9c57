// SPDX-License-Identifier: MIT
/* {"cmd":"charging","bus":...}: the GB/T 27930 charging sessions of a bus
 * (charging/charging_session.h), the one in progress and the last
 * finished, as PROTOCOL.md lays them out. Values come from the raw fields
 * in integers (0.1 V printed 640.5, never 640.50000001); a field the
 * sender marks not available (all ones) or a message not heard is null.
 * Currents are the charging current, positive while charging (the
 * standard's raw x 0.1 - 400 A is negative then). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_internal.h"
#include "charging/charging_session.h"
#include "charging/gbt27930_text.h"
#include "daemon/j1939_listener.h"
#include "daemon/station.h"
#include "util/text_template.h"

static void key(struct evgw_textbuf *tb, bool *first, const char *k)
{
	evgw_textbuf_printf(tb, "%s\"%s\":", *first ? "" : ",", k);
	*first = false;
}

static void null_at(struct evgw_textbuf *tb, bool *first, const char *k)
{
	key(tb, first, k);
	evgw_textbuf_puts(tb, "null");
}

/* v / 10^dec with dec decimals, exactly. */
static void dec(struct evgw_textbuf *tb, bool *first, const char *k, int64_t v, int decimals)
{
	static const int64_t p10[] = {1, 10, 100};
	key(tb, first, k);
	if (!decimals) {
		evgw_textbuf_printf(tb, "%" PRId64, v);
		return;
	}
	uint64_t a = (uint64_t)llabs(v);
	evgw_textbuf_printf(tb, "%s%" PRIu64 ".%0*" PRIu64, v < 0 ? "-" : "", a / (uint64_t)p10[decimals], decimals,
			    a % (uint64_t)p10[decimals]);
}

/* A raw 16-bit field: null when all ones. */
static void u16_dec(struct evgw_textbuf *tb, bool *first, const char *k, uint16_t raw, int decimals)
{
	if (raw == GBT_NA16)
		null_at(tb, first, k);
	else
		dec(tb, first, k, raw, decimals);
}

static void current(struct evgw_textbuf *tb, bool *first, const char *k, uint16_t raw)
{
	if (raw == GBT_NA16)
		null_at(tb, first, k);
	else
		dec(tb, first, k, gbt_charge_da(raw), 1);
}

/* A temperature byte (-50 C offset). */
static void temp(struct evgw_textbuf *tb, bool *first, const char *k, uint8_t raw)
{
	if (raw == GBT_NA8)
		null_at(tb, first, k);
	else
		dec(tb, first, k, (int)raw - 50, 0);
}

static void text(struct evgw_textbuf *tb, bool *first, const char *k, const char *s)
{
	key(tb, first, k);
	api_json_str(tb, s && *s ? s : NULL);
}

static void ts(struct evgw_textbuf *tb, bool *first, const char *k, int64_t us)
{
	if (!us) {
		null_at(tb, first, k);
		return;
	}
	key(tb, first, k);
	evgw_textbuf_printf(tb, "%" PRId64 ".%06" PRId64, us / 1000000, us % 1000000);
}

static void version(struct evgw_textbuf *tb, bool *first, const char *k, bool heard, struct gbt_version v)
{
	char s[16];
	snprintf(s, sizeof s, "%u.%u", (unsigned)v.major, (unsigned)v.minor);
	text(tb, first, k, heard ? s : NULL);
}

static void ready(struct evgw_textbuf *tb, bool *first, const char *k, bool heard, uint8_t state)
{
	key(tb, first, k);
	evgw_textbuf_puts(tb, !heard || (state != 0 && state != 0xAA) ? "null" : state == 0xAA ? "true" : "false");
}

static bool heard(const struct evgw_charging_session *s, enum gbt_msg m)
{
	return s->seen & (1u << m);
}

/* GB/T 27930's battery types (SK's BRM comment; the DBC's value table). */
static const char *battery_type(uint8_t t)
{
	static const char *const names[] = {NULL, "lead-acid", "NiMH", "LFP", "LMO", "LCO", "NCM", "Li-polymer",
					    "LTO"};
	if (t < sizeof names / sizeof names[0])
		return names[t];
	return t == 0xFF ? "other" : NULL;
}

static void put_timeline(struct evgw_textbuf *tb, const struct evgw_charging_session *s)
{
	bool first = true;
	evgw_textbuf_puts(tb, ",\"timeline\":[");
	for (unsigned k = 0; k < GBT_STAGE_COUNT; k++) {
		if (!s->stage_us[k])
			continue;
		int64_t until = s->ended_us;
		for (unsigned j = k + 1; j < GBT_STAGE_COUNT; j++)
			if (s->stage_us[j]) {
				until = s->stage_us[j];
				break;
			}
		evgw_textbuf_puts(tb, first ? "{" : ",{");
		first = false;
		bool f = true;
		text(tb, &f, "stage", gbt_stage_name((enum gbt_stage)k));
		ts(tb, &f, "from", s->stage_us[k]);
		ts(tb, &f, "until", until);
		evgw_textbuf_putc(tb, '}');
	}
	evgw_textbuf_putc(tb, ']');
}

static void put_charger(struct evgw_textbuf *tb, const struct evgw_charging_session *s)
{
	bool f = true;
	evgw_textbuf_puts(tb, ",\"charger\":{");
	dec(tb, &f, "address", GBT_SA_CHARGER, 0);
	version(tb, &f, "protocol_version", heard(s, GBT_CHM), s->chm.version);
	if (heard(s, GBT_CRM) && s->crm.has_number)
		dec(tb, &f, "number", s->crm.charger_number, 0);
	else
		null_at(tb, &f, "number");
	ready(tb, &f, "recognised", heard(s, GBT_CRM), s->crm.recognised);
	if (heard(s, GBT_CML)) {
		u16_dec(tb, &f, "max_voltage_v", s->cml.max_dv, 1);
		u16_dec(tb, &f, "min_voltage_v", s->cml.min_dv, 1);
		current(tb, &f, "max_current_a", s->cml.max_current_raw);
		if (s->cml.has_min_current)
			current(tb, &f, "min_current_a", s->cml.min_current_raw);
		else
			null_at(tb, &f, "min_current_a");
	} else {
		null_at(tb, &f, "max_voltage_v");
		null_at(tb, &f, "min_voltage_v");
		null_at(tb, &f, "max_current_a");
		null_at(tb, &f, "min_current_a");
	}
	ready(tb, &f, "ready", heard(s, GBT_CRO), s->cro);
	evgw_textbuf_putc(tb, '}');
}

static void put_bms(struct evgw_textbuf *tb, const struct evgw_charging_session *s)
{
	bool f = true;
	const struct gbt_brm *b = &s->brm;
	bool brm = heard(s, GBT_BRM);
	evgw_textbuf_puts(tb, ",\"bms\":{");
	dec(tb, &f, "address", GBT_SA_BMS, 0);
	version(tb, &f, "protocol_version", brm, b->version);
	text(tb, &f, "battery_type", brm ? battery_type(b->battery_type) : NULL);
	if (brm) {
		u16_dec(tb, &f, "rated_capacity_ah", b->rated_dah, 1);
		u16_dec(tb, &f, "rated_voltage_v", b->rated_dv, 1);
	} else {
		null_at(tb, &f, "rated_capacity_ah");
		null_at(tb, &f, "rated_voltage_v");
	}
	text(tb, &f, "maker", brm && b->has_ext ? b->maker : NULL);
	text(tb, &f, "vin", brm && b->has_ext ? b->vin : NULL);
	if (brm && b->has_ext && b->charge_count != 0xFFFFFFu)
		dec(tb, &f, "charge_count", b->charge_count, 0);
	else
		null_at(tb, &f, "charge_count");
	if (heard(s, GBT_BHM))
		u16_dec(tb, &f, "max_charge_voltage_v", s->bhm.max_dv, 1);
	else
		null_at(tb, &f, "max_charge_voltage_v");
	ready(tb, &f, "ready", heard(s, GBT_BRO), s->bro);
	evgw_textbuf_putc(tb, '}');
}

static void put_parameters(struct evgw_textbuf *tb, const struct evgw_charging_session *s)
{
	if (!heard(s, GBT_BCP)) {
		evgw_textbuf_puts(tb, ",\"parameters\":null");
		return;
	}
	bool f = true;
	const struct gbt_bcp *p = &s->bcp;
	evgw_textbuf_puts(tb, ",\"parameters\":{");
	u16_dec(tb, &f, "max_cell_voltage_v", p->max_cell_cv, 2);
	current(tb, &f, "max_charge_current_a", p->max_current_raw);
	u16_dec(tb, &f, "rated_energy_kwh", p->energy_dkwh, 1);
	u16_dec(tb, &f, "max_charge_voltage_v", p->max_dv, 1);
	temp(tb, &f, "max_temperature_c", p->max_temp_raw);
	u16_dec(tb, &f, "soc_percent", p->soc_pm, 1);
	u16_dec(tb, &f, "pack_voltage_v", p->pack_dv, 1);
	evgw_textbuf_putc(tb, '}');
}

static void put_charging(struct evgw_textbuf *tb, const struct evgw_charging_session *s)
{
	if (s->stage_us[GBT_STAGE_CHARGING] == 0 && !(s->seen & (1u << GBT_BCL | 1u << GBT_BCS | 1u << GBT_CCS))) {
		evgw_textbuf_puts(tb, ",\"charging\":null");
		return;
	}
	bool f = true;
	evgw_textbuf_puts(tb, ",\"charging\":{");
	bool bcl = heard(s, GBT_BCL), bcs = heard(s, GBT_BCS), ccs = heard(s, GBT_CCS), bsm = heard(s, GBT_BSM);
	if (bcl) {
		u16_dec(tb, &f, "demand_voltage_v", s->bcl.demand_dv, 1);
		current(tb, &f, "demand_current_a", s->bcl.demand_current_raw);
	} else {
		null_at(tb, &f, "demand_voltage_v");
		null_at(tb, &f, "demand_current_a");
	}
	text(tb, &f, "mode", !bcl ? NULL : s->bcl.mode == 1 ? "constant voltage" : s->bcl.mode == 2 ? "constant current"
												      : NULL);
	if (ccs) {
		u16_dec(tb, &f, "output_voltage_v", s->ccs.output_dv, 1);
		current(tb, &f, "output_current_a", s->ccs.output_current_raw);
		dec(tb, &f, "peak_output_current_a", s->peak_output_da, 1);
		u16_dec(tb, &f, "charging_min", s->ccs.minutes, 0);
	} else {
		null_at(tb, &f, "output_voltage_v");
		null_at(tb, &f, "output_current_a");
		null_at(tb, &f, "peak_output_current_a");
		null_at(tb, &f, "charging_min");
	}
	key(tb, &f, "permitted");
	evgw_textbuf_puts(tb, !ccs || !s->ccs.has_permitted || s->ccs.permitted > 1 ? "null"
			      : s->ccs.permitted ? "true" : "false");
	if (bcs) {
		u16_dec(tb, &f, "measured_voltage_v", s->bcs.measured_dv, 1);
		current(tb, &f, "measured_current_a", s->bcs.measured_current_raw);
		if (s->bcs.soc == GBT_NA8)
			null_at(tb, &f, "soc_percent");
		else
			dec(tb, &f, "soc_percent", s->bcs.soc, 0);
		u16_dec(tb, &f, "remaining_min", s->bcs.remaining_min, 0);
		dec(tb, &f, "max_cell_voltage_v", s->bcs.max_cell_cv, 2);
		dec(tb, &f, "max_cell_group", s->bcs.max_cell_group, 0);
	} else {
		static const char *const none[] = {"measured_voltage_v", "measured_current_a", "soc_percent",
						   "remaining_min", "max_cell_voltage_v", "max_cell_group"};
		for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
			null_at(tb, &f, none[i]);
	}
	if (s->has_soc_first)
		dec(tb, &f, "soc_start_percent", s->soc_first, 0);
	else
		null_at(tb, &f, "soc_start_percent");
	if (bsm) {
		temp(tb, &f, "max_temperature_c", s->bsm.max_temp_raw);
		temp(tb, &f, "min_temperature_c", s->bsm.min_temp_raw);
	} else {
		null_at(tb, &f, "max_temperature_c");
		null_at(tb, &f, "min_temperature_c");
	}
	if (heard(s, GBT_BMV) && s->bmv.cells) {
		dec(tb, &f, "cells", s->bmv.cells, 0);
		dec(tb, &f, "cell_voltage_min_v", s->bmv.min_cv, 2);
		dec(tb, &f, "cell_voltage_min_index", s->bmv.min_cell, 0);
		dec(tb, &f, "cell_voltage_max_v", s->bmv.max_cv, 2);
		dec(tb, &f, "cell_voltage_max_index", s->bmv.max_cell, 0);
	} else {
		static const char *const none[] = {"cells", "cell_voltage_min_v", "cell_voltage_min_index",
						   "cell_voltage_max_v", "cell_voltage_max_index"};
		for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
			null_at(tb, &f, none[i]);
	}
	if (heard(s, GBT_BMT) && s->bmt.probes) {
		dec(tb, &f, "probes", s->bmt.probes, 0);
		temp(tb, &f, "probe_temperature_min_c", s->bmt.min_raw);
		dec(tb, &f, "probe_temperature_min_index", s->bmt.min_probe, 0);
		temp(tb, &f, "probe_temperature_max_c", s->bmt.max_raw);
		dec(tb, &f, "probe_temperature_max_index", s->bmt.max_probe, 0);
	} else {
		static const char *const none[] = {"probes", "probe_temperature_min_c", "probe_temperature_min_index",
						   "probe_temperature_max_c", "probe_temperature_max_index"};
		for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
			null_at(tb, &f, none[i]);
	}
	evgw_textbuf_putc(tb, '}');
}

static void put_end(struct evgw_textbuf *tb, const struct evgw_charging_session *s)
{
	bool f = true;
	evgw_textbuf_puts(tb, ",\"statistics\":{");
	if (heard(s, GBT_BSD)) {
		if (s->bsd.soc == GBT_NA8)
			null_at(tb, &f, "soc_percent");
		else
			dec(tb, &f, "soc_percent", s->bsd.soc, 0);
		u16_dec(tb, &f, "cell_voltage_min_v", s->bsd.min_cell_cv, 2);
		u16_dec(tb, &f, "cell_voltage_max_v", s->bsd.max_cell_cv, 2);
		temp(tb, &f, "temperature_min_c", s->bsd.min_temp_raw);
		temp(tb, &f, "temperature_max_c", s->bsd.max_temp_raw);
	} else {
		static const char *const none[] = {"soc_percent", "cell_voltage_min_v", "cell_voltage_max_v",
						   "temperature_min_c", "temperature_max_c"};
		for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
			null_at(tb, &f, none[i]);
	}
	if (heard(s, GBT_CSD)) {
		u16_dec(tb, &f, "charging_min", s->csd.minutes, 0);
		u16_dec(tb, &f, "energy_kwh", s->csd.energy_dkwh, 1);
	} else {
		null_at(tb, &f, "charging_min");
		null_at(tb, &f, "energy_kwh");
	}
	evgw_textbuf_putc(tb, '}');
}

/* One stop reason as a sentence: "BMS: insulation fault" (r NULL: the
 * session went silent). */
static void reason_text(struct evgw_text *t, enum gbt_msg m, const struct gbt_reason *r)
{
	if (!r) {
		evgw_text_make(t,
			       N_("no GB/T 27930 message for 10 s before any stop message (unplugged, or the capture "
				  "ended)"),
			       0, NULL);
		return;
	}
	struct evgw_text words;
	evgw_text_make(&words, r->words, 0, NULL);
	evgw_text_make(t, !strcmp(gbt_reason_side(m), "BMS") ? N_("BMS: {0}") : N_("charger: {0}"), 1,
		       (const struct evgw_text_arg[]){EVGW_TEXT_OF(&words)});
}

/* Every reason the stop and error messages give, "BMS: insulation fault";
 * the faults first. A session that went silent says so. Beside them the
 * same as templates for the clients to translate (util/text_template.h). */
static void put_reasons(struct evgw_textbuf *tb, const struct evgw_charging_session *s)
{
	enum { MAX = 4 * 16 + 1 };
	enum gbt_msg said_m[MAX];
	const struct gbt_reason *said[MAX]; /* NULL: the session went silent */
	unsigned n_said = 0, stop = 0;
	bool any_fault = false;
	for (int pass = 0; pass < 2; pass++)
		for (unsigned k = 0; k < EVGW_CHARGING_STOPS; k++) {
			enum gbt_msg m = evgw_charging_stop_msg(k);
			const struct gbt_reason *r[16];
			unsigned n = gbt_reasons(m, s->stop_bits[k], r, 16);
			for (unsigned i = 0; i < n && i < 16 && n_said < MAX - 1; i++) {
				if (r[i]->fault != (pass == 0))
					continue;
				if (r[i]->fault && !any_fault) {
					stop = n_said;
					any_fault = true;
				}
				said_m[n_said] = m;
				said[n_said++] = r[i];
			}
		}
	if (s->outcome == EVGW_CHARGING_LOST) {
		if (!any_fault)
			stop = n_said;
		said_m[n_said] = GBT_BST;
		said[n_said++] = NULL;
	}
	struct evgw_text t;
	evgw_textbuf_puts(tb, ",\"stop_reasons\":[");
	for (unsigned i = 0; i < n_said; i++) {
		reason_text(&t, said_m[i], said[i]);
		if (i)
			evgw_textbuf_putc(tb, ',');
		api_json_str(tb, t.en);
	}
	evgw_textbuf_puts(tb, "],\"stop_reason\":");
	if (n_said) {
		reason_text(&t, said_m[stop], said[stop]);
		api_json_str(tb, t.en);
	} else {
		evgw_textbuf_puts(tb, "null");
	}
	evgw_textbuf_puts(tb, ",\"stop_reasons_text\":[");
	for (unsigned i = 0; i < n_said; i++) {
		reason_text(&t, said_m[i], said[i]);
		evgw_textbuf_printf(tb, "%s%s", i ? "," : "", t.json[0] ? t.json : "null");
	}
	evgw_textbuf_puts(tb, "],\"stop_reason_text\":");
	if (n_said)
		reason_text(&t, said_m[stop], said[stop]);
	evgw_textbuf_puts(tb, n_said && t.json[0] ? t.json : "null");
}

static void put_session(struct evgw_textbuf *tb, const struct evgw_charging_session *s)
{
	bool f = true;
	evgw_textbuf_putc(tb, '{');
	dec(tb, &f, "number", s->number, 0);
	text(tb, &f, "stage", gbt_stage_name((enum gbt_stage)s->stage));
	text(tb, &f, "outcome", evgw_charging_outcome_name((enum evgw_charging_outcome)s->outcome));
	key(tb, &f, "joined");
	evgw_textbuf_puts(tb, s->joined ? "true" : "false");
	ts(tb, &f, "started", s->started_us);
	ts(tb, &f, "ended", s->ended_us);
	ts(tb, &f, "last_seen", s->last_us);
	put_timeline(tb, s);
	put_charger(tb, s);
	put_bms(tb, s);
	put_parameters(tb, s);
	put_charging(tb, s);
	put_end(tb, s);
	put_reasons(tb, s);
	evgw_textbuf_putc(tb, '}');
}

void api_cmd_charging(struct cmd_ctx *x)
{
	struct evgw_station *st;
	if (!api_want_station(x, true, &st))
		return;
	if (!st->j1939) {
		api_fail(x, API_ERR_UNSUPPORTED, "bus '%s' does not speak J1939 (GB/T 27930 runs on it)", st->bus->name);
		return;
	}
	const struct evgw_charging *c = evgw_j1939_listener_charging(st->j1939, evgw_now_real_us());
	struct evgw_textbuf *tb = x->res;
	evgw_textbuf_puts(tb, "{\"bus\":");
	api_json_str(tb, st->bus->name);
	evgw_textbuf_puts(tb, ",\"current\":");
	const struct evgw_charging_session *cur = evgw_charging_current(c);
	if (cur)
		put_session(tb, cur);
	else
		evgw_textbuf_puts(tb, "null");
	evgw_textbuf_puts(tb, ",\"finished\":[");
	for (unsigned i = 0; evgw_charging_finished(c, i); i++) {
		if (i)
			evgw_textbuf_putc(tb, ',');
		put_session(tb, evgw_charging_finished(c, i));
	}
	evgw_textbuf_printf(tb, "],\"messages\":%" PRIu64 ",\"malformed\":%" PRIu64 "}", c->messages, c->malformed);
}
