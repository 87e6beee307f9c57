// SPDX-License-Identifier: MIT
/* Faults for a mechanic: severity in colour, the warning lamps, the ECU by
 * name, the meaning cut to the terminal; `watch faults` one line per event
 * under one header. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/cli_format.h"
#include "cli/cli_i18n.h"
#include "cli/cli_json.h"
#include "cli/cli_print.h"
#include "cli/cli_table.h"

#define EVGW_CLI_DESC_MAX 512

/* The description without a leading "CODE: " (older daemons repeat the
 * code there). */
static const char *meaning(json_object *f)
{
	const char *d = cli_jstr(f, "description"), *code = cli_jstr(f, "code");
	if (d && code) {
		size_t len = strlen(code);
		if (!strncmp(d, code, len) && d[len] == ':' && d[len + 1] == ' ' && d[len + 2])
			return d + len + 2;
	}
	return d;
}

static void fault_ecu(json_object *f, char *out, size_t cap)
{
	int64_t addr = -1;
	cli_jint(f, "ecu", &addr);
	const char *proto = cli_jstr(f, "protocol");
	/* A DBC fault's ECU is the J1939 source address of its message. */
	bool sa = proto && (!strcmp(proto, "j1939") || !strcmp(proto, "gbt27930") ||
			    (!strcmp(proto, "dbc") && addr >= 0 && addr <= 0xFF));
	cli_fmt_ecu(addr, cli_jstr(f, "ecu_name"), sa, out, cap);
}

static const char *lamp_text(json_object *f)
{
	const char *l = cli_jstr(f, "lamp");
	return l && *l ? l : NULL;
}

/* "SPN 520200 FMI 14, bms (SA 0xF3) on ebus:" and a line per signal,
 * values as the daemon wrote them. */
static void print_freeze_frames(struct cli_ctx *x, json_object *r)
{
	for (size_t i = 0; i < cli_jlen(r); i++) {
		json_object *f = json_object_array_get_idx(r, i), *ff = cli_jget(f, "freeze_frame");
		if (!ff || !json_object_is_type(ff, json_type_object) || !json_object_object_length(ff))
			continue;
		char ecu[96];
		fault_ecu(f, ecu, sizeof ecu);
		const char *code = cli_jstr(f, "code"), *bus = cli_jstr(f, "bus");
		printf(_("\n%s%s%s, %s on %s, freeze frame:\n"), cli_style_on(&x->term, CLI_BOLD), code ? code : "?",
		       cli_style_off(&x->term, CLI_BOLD), ecu, bus ? bus : "?");
		json_object_object_foreach(ff, name, value)
		{
			printf("  %s = %s\n", name, value ? json_object_get_string(value) : "-");
		}
	}
}

/* One table: the faults (observations false) or the unconfirmed
 * observations (true), which have no severity or lamp of their own to show
 * (info, none). Returns the rows printed. */
static size_t print_table(struct cli_ctx *x, json_object *r, bool observations)
{
	static const struct cli_column fault_cols[] = {
		{NC_("column", "STATUS"), false},     {NC_("column", "SEVERITY"), false},  {NC_("column", "LAMP"), false}, {NC_("column", "BUS"), false},
		{NC_("column", "ECU"), false},	       {NC_("column", "CODE"), false},	     {NC_("column", "FIRST SEEN"), false}, {NC_("column", "LAST SEEN"), false},
		{NC_("column", "COUNT"), true},       {NC_("column", "DESCRIPTION"), false},
	};
	static const struct cli_column obs_cols[] = {
		{NC_("column", "STATUS"), false},     {NC_("column", "BUS"), false},	     {NC_("column", "ECU"), false},  {NC_("column", "CODE"), false},
		{NC_("column", "FIRST SEEN"), false}, {NC_("column", "LAST SEEN"), false}, {NC_("column", "COUNT"), true}, {NC_("column", "DESCRIPTION"), false},
	};
	struct cli_table t;
	if (observations)
		cli_table_init(&t, obs_cols, sizeof obs_cols / sizeof obs_cols[0]);
	else
		cli_table_init(&t, fault_cols, sizeof fault_cols / sizeof fault_cols[0]);
	for (size_t i = 0; i < cli_jlen(r); i++) {
		json_object *f = json_object_array_get_idx(r, i);
		if (cli_jtrue(f, "unconfirmed") != observations)
			continue;
		const char *status = cli_jstr(f, "status"), *severity = cli_jstr(f, "severity");
		char ecu[96], first[32], last[32];
		double ts;
		enum cli_style st = status && !strcmp(status, "cleared") ? CLI_DIM : CLI_PLAIN;
		cli_table_add(&t, st, cli_word(status));
		if (!observations) {
			cli_table_add(&t, cli_severity_style(severity), cli_word(severity));
			char lamps[160];
			cli_table_add(&t, cli_lamp_style(lamp_text(f)), cli_lamp_words(lamp_text(f), lamps, sizeof lamps));
		}
		cli_table_add(&t, CLI_PLAIN, cli_jstr(f, "bus"));
		fault_ecu(f, ecu, sizeof ecu);
		cli_table_add(&t, CLI_PLAIN, ecu);
		cli_table_add(&t, CLI_BOLD, cli_jstr(f, "code"));
		if (cli_jnum(f, "first_seen", &ts))
			cli_fmt_time(ts, CLI_TIME_RECENT, first, sizeof first);
		cli_table_add(&t, CLI_PLAIN, cli_jget(f, "first_seen") ? first : NULL);
		if (cli_jnum(f, "last_seen", &ts))
			cli_fmt_time(ts, CLI_TIME_RECENT, last, sizeof last);
		cli_table_add(&t, CLI_PLAIN, cli_jget(f, "last_seen") ? last : NULL);
		cli_table_add(&t, CLI_PLAIN, cli_jtext(f, "occurrences"));
		cli_table_add(&t, CLI_PLAIN, meaning(f));
	}
	size_t rows = cli_table_rows(&t);
	if (rows)
		cli_table_print(&t, &x->term, stdout);
	cli_table_free(&t);
	return rows;
}

/* The faults, then, apart, what definitions nobody confirmed on a vehicle
 * observed (docs/confirming.md): a guess never shows as a fault. */
int cli_print_faults(struct cli_ctx *x, json_object *r)
{
	size_t n_obs = 0;
	for (size_t i = 0; i < cli_jlen(r); i++)
		n_obs += cli_jtrue(json_object_array_get_idx(r, i), "unconfirmed");
	if (!print_table(x, r, false)) {
		if (x->o->bus)
			printf(x->o->history ? _("no faults in the store on bus %s\n") : _("no active faults on bus %s\n"),
			       x->o->bus);
		else
			fputs(x->o->history ? _("no faults in the store\n") : _("no active faults\n"), stdout);
	}
	if (n_obs) {
		printf(_("\n%sUnconfirmed observations%s (from definitions not yet confirmed on a vehicle: not "
			 "faults; see docs/confirming.md)\n"),
		       cli_style_on(&x->term, CLI_BOLD), cli_style_off(&x->term, CLI_BOLD));
		print_table(x, r, true);
	}
	if (x->o->freeze_frame)
		print_freeze_frames(x, r);
	return CLI_OK;
}

/* watch faults: fixed columns (events come one at a time), padded by
 * characters (a Russian word is wider in bytes than on the screen). */
#define WATCH_CELLS 7
static void watch_cells(char *line, size_t cap, const struct cli_term *t, const char *const cell[WATCH_CELLS],
			const enum cli_style style[WATCH_CELLS])
{
	static const int width[WATCH_CELLS] = {8, 9, 8, 14, 8, 14, 18};
	size_t n = 0;
	line[0] = '\0';
	for (unsigned i = 0; i < WATCH_CELLS && n < cap; i++) {
		int k = snprintf(line + n, cap - n, "%s%-*s%s  ", cli_style_on(t, style[i]), cli_pad(cell[i], width[i]),
				 cell[i], cli_style_off(t, style[i]));
		n += k > 0 ? (size_t)k : 0;
	}
}

int cli_print_watch_faults_start(struct cli_ctx *x, json_object *r)
{
	(void)r;
	const char *head[WATCH_CELLS] = {cli_column_head(NC_("column", "TIME")), cli_column_head(NC_("column", "EVENT")),
					 cli_column_head("SEVERITY"), cli_column_head("LAMP"), cli_column_head("BUS"),
					 cli_column_head("ECU"), cli_column_head("CODE")};
	static const enum cli_style plain[WATCH_CELLS] = {CLI_PLAIN};
	char line[512];
	watch_cells(line, sizeof line, &x->term, head, plain);
	printf("%s%s%s%s\n", cli_style_on(&x->term, CLI_BOLD), line, cli_column_head("DESCRIPTION"),
	       cli_style_off(&x->term, CLI_BOLD));
	return CLI_OK;
}

static const char *const event_words[] = {NC_("event", "raised"), NC_("event", "cleared")};

int cli_print_fault_event(struct cli_ctx *x, json_object *ev)
{
	json_object *f = cli_jget(ev, "fault");
	const char *event = cli_jstr(ev, "event"), *status = cli_jstr(f, "status");
	const char *severity = cli_jstr(f, "severity"), *lamp = lamp_text(f);
	char now[32], ecu[96];
	cli_fmt_time((double)time(NULL), CLI_TIME_CLOCK, now, sizeof now);
	fault_ecu(f, ecu, sizeof ecu);
	/* "changed": what it changed to (stored, pending ...). */
	const char *what = event && !strcmp(event, "changed") && status ? cli_word(status) : event ? event : "?";
	for (size_t i = 0; i < sizeof event_words / sizeof event_words[0]; i++)
		if (!strcmp(what, event_words[i]))
			what = cli_in_context("event", what);
	const char *bus = cli_jstr(f, "bus"), *code = cli_jstr(f, "code");
	char lamps[160];
	const char *cell[WATCH_CELLS] = {now, what, severity ? cli_word(severity) : "-",
					 lamp ? cli_lamp_words(lamp, lamps, sizeof lamps) : "-",
					 bus ? bus : "-", ecu, code ? code : "-"};
	const enum cli_style style[WATCH_CELLS] = {CLI_PLAIN,	   CLI_PLAIN, cli_severity_style(severity),
						   cli_lamp_style(lamp), CLI_PLAIN, CLI_PLAIN,
						   CLI_BOLD};
	char line[1024];
	watch_cells(line, sizeof line, &x->term, cell, style);
	const char *desc = meaning(f);
	char obs[EVGW_CLI_DESC_MAX];
	if (!desc)
		desc = "";
	if (cli_jtrue(f, "unconfirmed")) { /* an observation of a guess, not a fault */
		snprintf(obs, sizeof obs, _("unconfirmed: %s"), desc);
		desc = obs;
	}
	/* Cut the description to what is left of the terminal's line. */
	size_t used = 8 + 2 + 9 + 2 + 8 + 2 + 14 + 2 + 8 + 2 + 14 + 2 + 18 + 2;
	char cut[512];
	if (x->term.width && x->term.width > used + 12) {
		cli_text_fit(desc, x->term.width - used, cut, sizeof cut);
		desc = cut;
	}
	printf("%s%s\n", line, desc);
	return CLI_OK;
}
