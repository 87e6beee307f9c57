// SPDX-License-Identifier: MIT
/* evgw battery: the BMS's reading as a table for people, one row per
 * quantity (labels and units from vehicle/battery.h), each with where it
 * came from and how sure that definition is; then the state of health's
 * method, and a word when the reading is unconfirmed. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_i18n.h"
#include "cli/cli_json.h"
#include "cli/cli_print.h"
#include "cli/cli_table.h"
#include "vehicle/battery.h"

static void from_text(json_object *src, char *out, size_t cap)
{
	const char *name = cli_jstr(src, "name");
	int64_t did = -1;
	if (cli_jint(src, "did", &did))
		snprintf(out, cap, "DID %04" PRIX64 " %s (%s)", did, cli_jstr(src, "ecu") ? cli_jstr(src, "ecu") : "",
			 name ? name : "");
	else
		snprintf(out, cap, "%s", name ? name : "");
}

static void add_row(struct cli_table *t, const char *label, const char *value, const char *unit, json_object *src)
{
	char from[160] = "";
	const char *conf = NULL;
	if (src) {
		from_text(src, from, sizeof from);
		conf = cli_jstr(src, "confidence");
	}
	cli_table_add(t, value ? CLI_PLAIN : CLI_DIM, label);
	cli_table_add(t, value ? CLI_BOLD : CLI_DIM, value);
	cli_table_add(t, CLI_PLAIN, value ? unit : "");
	cli_table_add(t, CLI_DIM, from);
	bool unsure = src && cli_jtrue(src, "unconfirmed");
	cli_table_add(t, unsure ? CLI_YELLOW : CLI_PLAIN, src ? (conf ? conf : _("not given")) : "");
}

int cli_print_battery(struct cli_ctx *x, json_object *r)
{
	static const struct cli_column cols[] = {
		{NC_("column", "QUANTITY"), false}, {NC_("column", "VALUE"), true}, {NC_("column", "UNIT"), false}, {NC_("column", "FROM"), false}, {NC_("column", "CONFIDENCE"), false},
	};
	json_object *sources = cli_jget(r, "sources");
	int64_t asked = 0, answered = 0;
	cli_jint(r, "dids_asked", &asked);
	cli_jint(r, "dids_answered", &answered);
	const char *profile = cli_jstr(r, "profile");
	const char *bus = cli_jstr(r, "bus") ? cli_jstr(r, "bus") : "?";
	fputs(cli_style_on(&x->term, CLI_BOLD), stdout);
	if (profile)
		printf(_("Battery on bus %s (profile %s)"), bus, profile);
	else
		printf(_("Battery on bus %s"), bus);
	printf("%s: ", cli_style_off(&x->term, CLI_BOLD));
	if (asked)
		printf(_("%lld DIDs read by UDS 0x22, %lld answered\n"), (long long)asked, (long long)answered);
	else
		fputs(_("from broadcast frames (no request sent)\n"), stdout);

	struct cli_table t;
	cli_table_init(&t, cols, sizeof cols / sizeof cols[0]);
	const char *soh = cli_jtext(r, "soh_percent");
	cli_table_add(&t, soh ? CLI_PLAIN : CLI_DIM, _("State of health"));
	cli_table_add(&t, soh ? CLI_BOLD : CLI_DIM, soh);
	cli_table_add(&t, CLI_PLAIN, soh ? "%" : "");
	cli_table_add(&t, CLI_DIM, soh ? _("capacity now / when new") : "");
	cli_table_add(&t, CLI_PLAIN, "");
	unsigned given = 0;
	for (unsigned q = 0; q < EVGW_BATT_N; q++) {
		const struct evgw_batt_qty_info *qi = evgw_batt_qty_info(q);
		const char *v = cli_jget(r, qi->key) ? cli_jtext(r, qi->key) : NULL;
		given += v != NULL;
		add_row(&t, cli_in_context("battery", qi->label), v, qi->unit, sources ? cli_jget(sources, qi->key) : NULL);
		if (q == EVGW_BATT_CELL_V_MAX)
			add_row(&t, _("Cell spread"), cli_jget(r, "cell_spread_mv") ? cli_jtext(r, "cell_spread_mv") : NULL,
				"mV", NULL);
	}
	cli_table_print(&t, &x->term, stdout);
	cli_table_free(&t);

	char said[1600];
	const char *method = cli_daemon_text(cli_jget(r, "soh_method_text"), cli_jstr(r, "soh_method"), said, sizeof said);
	if (method)
		printf(_("\nState of health: %s.\n"), method);
	if (cli_jtrue(r, "unconfirmed"))
		printf(_("\n%sUNCONFIRMED%s: values marked assumed come from definitions no public source confirms; "
			 "read them as observations, not findings (dbc/README.md says how a shop confirms one).\n"),
		       cli_style_on(&x->term, CLI_YELLOW), cli_style_off(&x->term, CLI_YELLOW));
	size_t n;
	json_object *notes = cli_jarray(r, "notes", &n), *notes_text = cli_jget(r, "notes_text");
	for (size_t i = 0; i < n; i++) {
		json_object *nt = json_object_is_type(notes_text, json_type_array) ? json_object_array_get_idx(notes_text, i)
										     : NULL;
		printf(_("note: %s\n"), cli_daemon_text(nt, json_object_get_string(json_object_array_get_idx(notes, i)),
							 said, sizeof said));
	}
	if (!given) {
		fprintf(stderr,
			_("evgw: bus %s gave no battery value (no BMS DID in its profile answered, and no BMS "
			  "signal of its DBC files has been received)\n"),
			cli_jstr(r, "bus") ? cli_jstr(r, "bus") : "?");
		return CLI_FAILED;
	}
	return CLI_OK;
}
