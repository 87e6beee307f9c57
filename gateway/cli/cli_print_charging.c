// SPDX-License-Identifier: MIT
/* `evgw charging`: a bus's GB/T 27930 charging sessions as timelines, the
 * one in progress first, then the finished ones (newest first). Values as
 * the daemon wrote them; currents are charging currents (positive while
 * charging). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_format.h"
#include "cli/cli_i18n.h"
#include "cli/cli_json.h"
#include "cli/cli_print.h"
#include "cli/cli_term.h"

/* " 640.5 V" when the member is there, else nothing: into buf at *n. */
static void val(char *buf, size_t cap, size_t *n, json_object *o, const char *key, const char *before,
		const char *unit)
{
	const char *t = cli_jtext(o, key);
	if (!t || *n >= cap)
		return;
	int w = snprintf(buf + *n, cap - *n, "%s%s%s%s", *n ? before : "", t, *unit ? " " : "", unit);
	if (w > 0)
		*n = (size_t)w >= cap - *n ? cap - 1 : *n + (size_t)w;
}

static void word(char *buf, size_t cap, size_t *n, const char *before, const char *text)
{
	if (!text || *n >= cap)
		return;
	int w = snprintf(buf + *n, cap - *n, "%s%s", *n ? before : "", text);
	if (w > 0)
		*n = (size_t)w >= cap - *n ? cap - 1 : *n + (size_t)w;
}

/* Put prefix before what buf holds (when there is room for both). */
static void prefix(char *buf, size_t cap, size_t *n, const char *prefix_text)
{
	size_t k = strlen(prefix_text);
	if (!*n || *n + k >= cap)
		return;
	memmove(buf + k, buf, *n + 1);
	memcpy(buf, prefix_text, k);
	*n += k;
}

static void line(struct cli_ctx *x, json_object *stage, const char *name, const char *what)
{
	char at[32] = "";
	double ts;
	if (stage && cli_jnum(stage, "from", &ts))
		cli_fmt_time(ts, CLI_TIME_CLOCK_MS, at, sizeof at);
	const char *shown = cli_in_context("stage", name);
	size_t w = cli_text_width(shown);
	printf("  %-12s  %s%*s  %s\n", at, shown, w < 12 ? (int)(12 - w) : 0, "", what && *what ? what : "-");
}

static json_object *stage_of(json_object *s, const char *name)
{
	size_t n;
	json_object *tl = cli_jarray(s, "timeline", &n);
	for (size_t i = 0; i < n; i++) {
		json_object *t = json_object_array_get_idx(tl, i);
		const char *st = cli_jstr(t, "stage");
		if (st && !strcmp(st, name))
			return t;
	}
	return NULL;
}

static void print_session(struct cli_ctx *x, json_object *s)
{
	char b[512];
	size_t n;
	const char *outcome = cli_jstr(s, "outcome"), *reason = cli_jstr(s, "stop_reason");
	enum cli_style style = !outcome ? CLI_PLAIN
			       : !strcmp(outcome, "abnormal") ? CLI_BOLD_RED
			       : !strcmp(outcome, "normal") ? CLI_GREEN
			       : !strcmp(outcome, "lost") ? CLI_YELLOW : CLI_BOLD;
	double started = 0;
	char when[32] = "?";
	if (cli_jnum(s, "started", &started))
		cli_fmt_time(started, CLI_TIME_DATE, when, sizeof when);
	printf(_("session %s, %s: %s%s%s"), cli_jtext(s, "number") ? cli_jtext(s, "number") : "?", when,
	       cli_style_on(&x->term, style),
	       !outcome ? "?" : !strcmp(outcome, "running") ? _("in progress")
		       : !strcmp(outcome, "abnormal") ? _("stopped abnormally")
		       : !strcmp(outcome, "normal") ? _("ended normally") : _("lost (went silent)"),
	       cli_style_off(&x->term, style));
	char said[512];
	if (reason && outcome && strcmp(outcome, "running"))
		printf(" (%s)", cli_daemon_text(cli_jget(s, "stop_reason_text"), reason, said, sizeof said));
	if (cli_jtrue(s, "joined"))
		fputs(_(", heard from the middle on"), stdout);
	putchar('\n');

	json_object *ch = cli_jget(s, "charger"), *bms = cli_jget(s, "bms"), *p = cli_jget(s, "parameters");
	json_object *c = cli_jget(s, "charging"), *st = cli_jget(s, "statistics");
	n = 0;
	b[0] = '\0';
	val(b, sizeof b, &n, ch, "protocol_version", ", ", "");
	prefix(b, sizeof b, &n, _("charger "));
	val(b, sizeof b, &n, bms, "max_charge_voltage_v", _(", BMS max "), "V");
	if (stage_of(s, "handshake"))
		line(x, stage_of(s, "handshake"), NC_("stage", "handshake"), b);

	n = 0;
	b[0] = '\0';
	val(b, sizeof b, &n, bms, "protocol_version", ", ", "");
	prefix(b, sizeof b, &n, _("BMS "));
	word(b, sizeof b, &n, ", ", cli_jstr(bms, "battery_type"));
	val(b, sizeof b, &n, bms, "rated_capacity_ah", " ", "Ah");
	val(b, sizeof b, &n, bms, "rated_voltage_v", " ", "V");
	word(b, sizeof b, &n, _(", VIN "), cli_jstr(bms, "vin"));
	val(b, sizeof b, &n, ch, "number", _(", charger no. "), "");
	if (stage_of(s, "recognition"))
		line(x, stage_of(s, "recognition"), NC_("stage", "recognition"), b);

	n = 0;
	b[0] = '\0';
	val(b, sizeof b, &n, p, "max_charge_voltage_v", ", ", "V");
	val(b, sizeof b, &n, p, "max_charge_current_a", " ", "A");
	val(b, sizeof b, &n, p, "max_cell_voltage_v", _(", cells "), "V");
	val(b, sizeof b, &n, p, "max_temperature_c", ", ", "°C");
	val(b, sizeof b, &n, p, "soc_percent", ", SOC ", "%");
	prefix(b, sizeof b, &n, _("battery max "));
	val(b, sizeof b, &n, ch, "max_voltage_v", _("; charger up to "), "V");
	val(b, sizeof b, &n, ch, "max_current_a", " ", "A");
	if (stage_of(s, "parameters"))
		line(x, stage_of(s, "parameters"), NC_("stage", "parameters"), b);

	if (c) {
		n = 0;
		b[0] = '\0';
		val(b, sizeof b, &n, c, "demand_voltage_v", ", ", "V");
		val(b, sizeof b, &n, c, "demand_current_a", " ", "A");
		prefix(b, sizeof b, &n, _("demand "));
		val(b, sizeof b, &n, c, "output_voltage_v", _(", output "), "V");
		val(b, sizeof b, &n, c, "output_current_a", " ", "A");
		val(b, sizeof b, &n, c, "measured_current_a", _(", BMS measures "), "A");
		val(b, sizeof b, &n, c, "soc_percent", ", SOC ", "%");
		val(b, sizeof b, &n, c, "max_temperature_c", _(", up to "), "°C");
		val(b, sizeof b, &n, c, "cell_voltage_min_v", _(", cells "), "V");
		val(b, sizeof b, &n, c, "cell_voltage_max_v", _(" to "), "V");
		line(x, stage_of(s, "charging"), NC_("stage", "charging"), b);
	}

	size_t nr;
	json_object *reasons = cli_jarray(s, "stop_reasons", &nr), *reasons_text = cli_jget(s, "stop_reasons_text");
	n = 0;
	b[0] = '\0';
	for (size_t i = 0; i < nr; i++) {
		json_object *t = json_object_is_type(reasons_text, json_type_array)
					 ? json_object_array_get_idx(reasons_text, i)
					 : NULL;
		word(b, sizeof b, &n, "; ",
		     cli_daemon_text(t, json_object_get_string(json_object_array_get_idx(reasons, i)), said,
				     sizeof said));
	}
	if (stage_of(s, "end") || nr)
		line(x, stage_of(s, "end"), NC_("stage", "end"), b);
	n = 0;
	b[0] = '\0';
	val(b, sizeof b, &n, st, "soc_percent", ", ", "%");
	prefix(b, sizeof b, &n, _("SOC "));
	val(b, sizeof b, &n, st, "energy_kwh", ", ", "kWh");
	val(b, sizeof b, &n, st, "charging_min", _(" in "), cli_in_context("unit", "min"));
	if (n)
		line(x, NULL, NC_("stage", "statistics"), b);
}

int cli_print_charging(struct cli_ctx *x, json_object *r)
{
	json_object *cur = cli_jget(r, "current");
	size_t n;
	json_object *done = cli_jarray(r, "finished", &n);
	const char *bus = cli_jstr(r, "bus");
	if (!cur && !n) {
		printf(_("no GB/T 27930 charging heard on bus %s\n"), bus ? bus : "?");
		return CLI_OK;
	}
	printf(_("bus %s, GB/T 27930 charging (currents: positive = into the battery)\n"), bus ? bus : "?");
	if (cur)
		print_session(x, cur);
	for (size_t i = 0; i < n; i++)
		print_session(x, json_object_array_get_idx(done, i));
	return CLI_OK;
}
