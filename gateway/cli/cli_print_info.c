// SPDX-License-Identifier: MIT
/* The daemon and its buses for people: status in words, tables for buses,
 * messages, signals, DBC files and ECUs, recordings in a sentence. Values
 * are printed as the daemon wrote them (84.8, never re-rounded). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_format.h"
#include "cli/cli_i18n.h"
#include "cli/cli_json.h"
#include "cli/cli_print.h"
#include "cli/cli_table.h"

static const char *text_or(json_object *o, const char *key, const char *fallback)
{
	const char *t = cli_jtext(o, key);
	return t ? t : fallback;
}

static int64_t int_or(json_object *o, const char *key, int64_t fallback)
{
	int64_t v;
	return cli_jint(o, key, &v) ? v : fallback;
}

/* "label           value": the label padded to 15 columns as the terminal
 * shows them (a translated label is wider in bytes than in columns). */
static void row(const char *label, const char *on, const char *value, const char *off)
{
	size_t w = cli_text_width(label);
	printf("%s%*s %s%s%s\n", label, w < 15 ? (int)(15 - w) : 0, "", on, value, off);
}

/* The fault store's and the MQTT bridge's states (gateway/api/PROTOCOL.md,
 * "status") in the mechanic's language; another word as sent. */
static const char *const state_words[] = {
	NC_("state", "ok"),	    NC_("state", "locked"),	NC_("state", "full"),	    NC_("state", "io_error"),
	NC_("state", "read_only"), NC_("state", "corrupt"),	NC_("state", "deleted"),   NC_("state", "memory"),
	NC_("state", "connecting"), NC_("state", "connected"), NC_("state", "refused"),   NC_("state", "unreachable"),
	NC_("state", "lost"),
};

static const char *state_word(const char *s)
{
	for (size_t i = 0; s && i < sizeof state_words / sizeof state_words[0]; i++)
		if (!strcmp(s, state_words[i]))
			return cli_in_context("state", s);
	return s;
}

int cli_print_status(struct cli_ctx *x, json_object *r)
{
	char up[32], line[256];
	double uptime = 0;
	cli_jnum(r, "uptime_s", &uptime);
	cli_fmt_duration(uptime, up, sizeof up);
	printf(_("%s%s %s%s (pid %s), up %s%s\n"), cli_style_on(&x->term, CLI_BOLD), text_or(r, "daemon", "evgwd"),
	       text_or(r, "version", "?"), cli_style_off(&x->term, CLI_BOLD), text_or(r, "pid", "?"), up,
	       cli_jtrue(r, "demo") ? _(", demo vehicles") : "");
	const char *config = cli_jstr(r, "config");
	row(_("configuration"), "", config ? config : cli_jtrue(r, "demo") ? _("none (the demo's buses)") : _("none"), "");
	row(_("socket"), "", text_or(r, "socket", "?"), "");
	row(_("buses"), "", text_or(r, "buses", "?"), "");
	int64_t dropped = int_or(r, "dropped_clients", 0);
	snprintf(line, sizeof line, _("%s connected"), text_or(r, "clients", "?"));
	if (dropped)
		snprintf(line + strlen(line), sizeof line - strlen(line),
			 _(", %lld cut off (too slow to read, or over a limit)"), (long long)dropped);
	row(_("clients"), "", line, "");
	snprintf(line, sizeof line, _("%s received"), text_or(r, "frames", "?"));
	row(_("frames"), "", line, "");
	snprintf(line, sizeof line, _("%s answered"), text_or(r, "requests", "?"));
	row(_("requests"), "", line, "");
	int64_t reloads = int_or(r, "reloads", 0), failed = int_or(r, "reload_failures", 0);
	if (!reloads && !failed)
		snprintf(line, sizeof line, "%s", _("none"));
	else if (!failed)
		snprintf(line, sizeof line, "%" PRId64, reloads);
	else
		snprintf(line, sizeof line, _("%lld, %lld failed (the running configuration was kept)"),
			 (long long)reloads, (long long)failed);
	row(_("reloads"), "", line, "");
	/* The fault store's health (daemons since issue 19). */
	json_object *store = cli_jget(r, "store");
	const char *state = store ? cli_jstr(store, "state") : NULL;
	if (state) {
		bool ok = !strcmp(state, "ok");
		const char *err = cli_jstr(store, "last_error");
		if (ok)
			snprintf(line, sizeof line, "%s, %s", state_word(state), text_or(store, "path", "?"));
		else
			snprintf(line, sizeof line, _("%s, %lld fault changes waiting%s%.150s"), state_word(state),
				 (long long)int_or(store, "pending", 0), err ? ": " : "", err ? err : "");
		row(_("fault store"), cli_style_on(&x->term, ok ? CLI_PLAIN : CLI_RED), line,
		    cli_style_off(&x->term, ok ? CLI_PLAIN : CLI_RED));
	}
	/* The MQTT bridge, when evgw.conf has one. */
	json_object *mqtt = cli_jget(r, "mqtt");
	const char *mstate = mqtt ? cli_jstr(mqtt, "state") : NULL;
	if (mstate) {
		bool ok = !strcmp(mstate, "connected");
		const char *err = cli_jstr(mqtt, "last_error");
		snprintf(line, sizeof line, _("%s, %s, %lld messages sent%s%.150s"), state_word(mstate),
			 text_or(mqtt, "target", "?"), (long long)int_or(mqtt, "sent", 0), !ok && err ? ": " : "",
			 !ok && err ? err : "");
		row("mqtt", cli_style_on(&x->term, ok ? CLI_PLAIN : CLI_RED), line,
		    cli_style_off(&x->term, ok ? CLI_PLAIN : CLI_RED));
	}
	return CLI_OK;
}

static enum cli_style state_style(const char *state)
{
	if (!state)
		return CLI_PLAIN;
	if (!strcmp(state, "active"))
		return CLI_GREEN;
	if (!strcmp(state, "warning") || !strcmp(state, "restarting"))
		return CLI_YELLOW;
	if (!strcmp(state, "stopped"))
		return CLI_DIM;
	return CLI_RED; /* passive, bus-off, down, gone */
}

int cli_print_buses(struct cli_ctx *x, json_object *r)
{
	static const struct cli_column cols[] = {
		{NC_("column", "BUS"), false},	    {NC_("column", "DRIVER"), false},	{NC_("column", "STATE"), false},   {NC_("column", "MODE"), false},
		{NC_("column", "BITRATE"), true},  {NC_("column", "PROFILE"), false}, {NC_("column", "FRAMES"), true},   {NC_("column", "FPS"), true},
		{NC_("column", "DECODED"), true},  {NC_("column", "UNKNOWN"), true},	{NC_("column", "ERRORS"), true},   {NC_("column", "DEVICE"), false},
	};
	if (!cli_jlen(r)) {
		fputs(_("the daemon has no buses\n"), stdout);
		return CLI_OK;
	}
	struct cli_table t;
	cli_table_init(&t, cols, sizeof cols / sizeof cols[0]);
	for (size_t i = 0; i < cli_jlen(r); i++) {
		json_object *b = json_object_array_get_idx(r, i);
		const char *state = cli_jstr(b, "state");
		int64_t rate = int_or(b, "bitrate", 0);
		cli_table_add(&t, CLI_BOLD, cli_jstr(b, "name"));
		cli_table_add(&t, CLI_PLAIN, cli_jstr(b, "driver"));
		cli_table_add(&t, state_style(state), cli_bus_word(state));
		cli_table_add(&t, CLI_PLAIN, cli_jstr(b, "mode"));
		if (rate && rate % 1000 == 0)
			cli_table_addf(&t, CLI_PLAIN, "%" PRId64 "k", rate / 1000);
		else
			cli_table_add(&t, CLI_PLAIN, rate ? cli_jtext(b, "bitrate") : NULL);
		cli_table_add(&t, CLI_PLAIN, cli_jstr(b, "profile"));
		cli_table_add(&t, CLI_PLAIN, cli_jtext(b, "rx_frames"));
		cli_table_add(&t, CLI_PLAIN, cli_jtext(b, "fps"));
		cli_table_add(&t, CLI_PLAIN, cli_jtext(b, "decoded"));
		cli_table_add(&t, CLI_PLAIN, cli_jtext(b, "unknown"));
		int64_t errors = int_or(b, "error_frames", 0);
		cli_table_add(&t, errors ? CLI_YELLOW : CLI_PLAIN, cli_jtext(b, "error_frames"));
		cli_table_add(&t, CLI_PLAIN, cli_jstr(b, "device"));
	}
	cli_table_print(&t, &x->term, stdout);
	cli_table_free(&t);
	return CLI_OK;
}

int cli_print_messages(struct cli_ctx *x, json_object *r)
{
	static const struct cli_column cols[] = {
		{NC_("column", "ID"), false},	    {NC_("column", "COUNT"), true}, {NC_("column", "PERIOD MS"), true},
		{NC_("column", "CYCLE MS"), true}, {NC_("column", "STATE"), false}, {NC_("column", "MESSAGE"), false},
	};
	if (!cli_jlen(r)) {
		printf(_("no frames seen on bus %s yet\n"), x->args[0]);
		return CLI_OK;
	}
	struct cli_table t;
	cli_table_init(&t, cols, sizeof cols / sizeof cols[0]);
	for (size_t i = 0; i < cli_jlen(r); i++) {
		json_object *m = json_object_array_get_idx(r, i);
		int64_t id = int_or(m, "id", 0);
		bool ext = cli_jtrue(m, "extended");
		double period = 0, cycle = 0;
		cli_jnum(m, "period_ms", &period);
		cli_jnum(m, "cycle_ms", &cycle);
		cli_table_addf(&t, CLI_PLAIN, ext ? "%08" PRIX64 : "%03" PRIX64, id);
		cli_table_add(&t, CLI_PLAIN, cli_jtext(m, "count"));
		if (period > 0)
			cli_table_addf(&t, CLI_PLAIN, "%.1f", period);
		else
			cli_table_add(&t, CLI_PLAIN, NULL);
		if (cycle > 0)
			cli_table_addf(&t, CLI_PLAIN, "%.0f", cycle);
		else
			cli_table_add(&t, CLI_PLAIN, NULL);
		bool missing = cli_jtrue(m, "missing");
		cli_table_add(&t, missing ? CLI_RED : CLI_PLAIN, missing ? P_("message", "MISSING") : P_("message", "ok"));
		/* No DBC message: the J1939 group the daemon knows it as (DM1 ...). */
		const char *name = cli_jstr(m, "message"), *pgn = cli_jstr(m, "pgn_name");
		if (name || !pgn)
			cli_table_add(&t, CLI_PLAIN, name);
		else
			cli_table_addf(&t, CLI_DIM, "J1939 %s", pgn);
	}
	cli_table_print(&t, &x->term, stdout);
	cli_table_free(&t);
	return CLI_OK;
}

/* A signal's value as the daemon printed it. */
static const char *value_text(json_object *s)
{
	const char *v = cli_jtext(s, "value");
	return v ? v : "-";
}

int cli_print_signals(struct cli_ctx *x, json_object *r)
{
	static const struct cli_column cols[] = {
		{NC_("column", "BUS"), false},	 {NC_("column", "MESSAGE"), false}, {NC_("column", "SIGNAL"), false},
		{NC_("column", "VALUE"), true}, {NC_("column", "UNIT"), false},    {NC_("column", "LABEL"), false},
	};
	if (!cli_jlen(r)) {
		const char *glob = x->n_args ? x->args[0] : NULL;
		if (!glob && !x->o->bus) {
			fputs(_("no signals decoded yet\n"), stdout);
			return CLI_OK;
		}
		if (x->o->bus)
			fprintf(stderr, _("evgw: no signals match '%s' on bus %s\n"), glob ? glob : "*", x->o->bus);
		else
			fprintf(stderr, _("evgw: no signals match '%s'\n"), glob ? glob : "*");
		return CLI_FAILED;
	}
	struct cli_table t;
	cli_table_init(&t, cols, sizeof cols / sizeof cols[0]);
	for (size_t i = 0; i < cli_jlen(r); i++) {
		json_object *s = json_object_array_get_idx(r, i);
		cli_table_add(&t, CLI_PLAIN, cli_jstr(s, "bus"));
		cli_table_add(&t, CLI_PLAIN, cli_jstr(s, "message"));
		cli_table_add(&t, CLI_BOLD, cli_jstr(s, "signal"));
		cli_table_add(&t, CLI_PLAIN, value_text(s));
		cli_table_add(&t, CLI_PLAIN, cli_jstr(s, "unit") ? cli_jstr(s, "unit") : "");
		cli_table_add(&t, CLI_PLAIN, cli_jstr(s, "label") ? cli_jstr(s, "label") : "");
	}
	cli_table_print(&t, &x->term, stdout);
	cli_table_free(&t);
	return CLI_OK;
}

int cli_print_dbc(struct cli_ctx *x, json_object *r)
{
	static const struct cli_column cols[] = {
		{NC_("column", "BUS"), false},	    {NC_("column", "MESSAGES"), true}, {NC_("column", "SIGNALS"), true},
		{NC_("column", "WARNINGS"), true}, {NC_("column", "ERRORS"), true},   {NC_("column", "FILE"), false},
	};
	if (!cli_jlen(r)) {
		fputs(_("no bus decodes with a DBC file\n"), stdout);
		return CLI_OK;
	}
	struct cli_table t;
	cli_table_init(&t, cols, sizeof cols / sizeof cols[0]);
	for (size_t i = 0; i < cli_jlen(r); i++) {
		json_object *f = json_object_array_get_idx(r, i);
		cli_table_add(&t, CLI_PLAIN, cli_jstr(f, "bus"));
		cli_table_add(&t, CLI_PLAIN, cli_jtext(f, "messages"));
		cli_table_add(&t, CLI_PLAIN, cli_jtext(f, "signals"));
		cli_table_add(&t, int_or(f, "warnings", 0) ? CLI_YELLOW : CLI_PLAIN, cli_jtext(f, "warnings"));
		cli_table_add(&t, int_or(f, "errors", 0) ? CLI_RED : CLI_PLAIN, cli_jtext(f, "errors"));
		cli_table_add(&t, CLI_PLAIN, cli_jstr(f, "file"));
	}
	cli_table_print(&t, &x->term, stdout);
	cli_table_free(&t);
	return CLI_OK;
}

/* J1939-81's industry groups (the NAME's top 3 bits). */
static const char *industry_group(int64_t g)
{
	static const char *const names[] = {NC_("industry", "global"),	     NC_("industry", "on-highway"),
					    NC_("industry", "agricultural"), NC_("industry", "construction"),
					    NC_("industry", "marine"),	     NC_("industry", "industrial")};
	return g >= 0 && g < 6 ? cli_in_context("industry", names[g]) : NULL;
}

int cli_print_ecus(struct cli_ctx *x, json_object *r)
{
	static const struct cli_column cols[] = {
		{NC_("column", "BUS"), false},	       {NC_("column", "ADDRESS"), false},
		{NC_("column", "ECU"), false},	       {NC_("column", "INDUSTRY"), false},
		{NC_("column", "FUNCTION"), true},     {NC_("column", "FN INST"), true},
		{NC_("column", "ECU INST"), true},     {NC_("column", "MANUFACTURER"), true},
		{NC_("column", "IDENTITY"), true},     {NC_("column", "NAME"), false},
	};
	if (!cli_jlen(r)) {
		if (x->o->bus)
			printf(_("no ECUs heard yet on bus %s (J1939 address claims)\n"), x->o->bus);
		else
			fputs(_("no ECUs heard yet (J1939 address claims)\n"), stdout);
		return CLI_OK;
	}
	struct cli_table t;
	cli_table_init(&t, cols, sizeof cols / sizeof cols[0]);
	for (size_t i = 0; i < cli_jlen(r); i++) {
		json_object *e = json_object_array_get_idx(r, i);
		int64_t ig = -1;
		cli_jint(e, "industry_group", &ig);
		cli_table_add(&t, CLI_PLAIN, cli_jstr(e, "bus"));
		cli_table_addf(&t, CLI_PLAIN, "SA 0x%02" PRIX64, int_or(e, "address", 0));
		const char *name = cli_jstr(e, "ecu_name");
		cli_table_add(&t, name ? CLI_BOLD : CLI_PLAIN, name);
		const char *igname = industry_group(ig);
		if (igname)
			cli_table_add(&t, CLI_PLAIN, igname);
		else
			cli_table_add(&t, CLI_PLAIN, cli_jtext(e, "industry_group"));
		cli_table_add(&t, CLI_PLAIN, cli_jtext(e, "function"));
		cli_table_add(&t, CLI_PLAIN, cli_jtext(e, "function_instance"));
		cli_table_add(&t, CLI_PLAIN, cli_jtext(e, "ecu_instance"));
		cli_table_add(&t, CLI_PLAIN, cli_jtext(e, "manufacturer"));
		cli_table_add(&t, CLI_PLAIN, cli_jtext(e, "identity"));
		cli_table_add(&t, CLI_DIM, cli_jstr(e, "name"));
	}
	cli_table_print(&t, &x->term, stdout);
	cli_table_free(&t);
	return CLI_OK;
}

int cli_print_record_start(struct cli_ctx *x, json_object *r)
{
	printf(_("recording bus %s to %s (evgw record stop %s ends it)\n"), x->bus ? x->bus : "?",
	       text_or(r, "file", "?"), x->bus ? x->bus : "");
	return CLI_OK;
}

int cli_print_recordings(struct cli_ctx *x, json_object *r)
{
	bool told = false;
	for (size_t i = 0; i < cli_jlen(r); i++)
		told |= json_object_object_get_ex(json_object_array_get_idx(r, i), "recording", NULL);
	if (!told) {
		fputs(_("evgw record: this daemon does not say what it records "
			"(evgw record start [BUS] FILE, evgw record stop [BUS])\n"),
		      stderr);
		return CLI_FAILED;
	}
	if (!cli_jlen(r))
		fputs(_("the daemon has no buses\n"), stdout);
	for (size_t i = 0; i < cli_jlen(r); i++) {
		json_object *b = json_object_array_get_idx(r, i);
		const char *name = cli_jstr(b, "name"), *file = cli_jstr(b, "recording");
		if (file)
			printf(_("%s: %srecording%s to %s\n"), name ? name : "?", cli_style_on(&x->term, CLI_RED),
			       cli_style_off(&x->term, CLI_RED), file);
		else
			printf(_("%s: not recording\n"), name ? name : "?");
	}
	return CLI_OK;
}

int cli_print_record_stop(struct cli_ctx *x, json_object *r)
{
	char frames[48], bytes[48], files[48] = "";
	cli_fmt_count(int_or(r, "frames", 0), "frame", "frames", frames, sizeof frames);
	cli_fmt_count(int_or(r, "bytes", 0), "byte", "bytes", bytes, sizeof bytes);
	int64_t parts = int_or(r, "files", 1);
	if (parts > 1) /* rotated: say into how many */
		snprintf(files, sizeof files, ngettext(" in %lld file", " in %lld files", (unsigned long)parts),
			 (long long)parts);
	const char *cut = cli_jstr(r, "error"); /* it had stopped by itself before */
	printf(_("bus %s: recording stopped, %s, %s written%s%s%s\n"), x->bus ? x->bus : "?", frames, bytes, files,
	       cut ? _("; it was cut short: ") : "", cut ? cut : "");
	return CLI_OK;
}
