// SPDX-License-Identifier: MIT
/* What ECUs answered to read-dtc, clear-dtc, read-did, vin and read-pids:
 * one block per ECU ("bms (0x7E7), UDS: 2 DTCs" and a line per DTC with its
 * meaning; "hvac (0x7B3): no answer (timeout)"), a count when several were
 * asked ("no ECU answered" on stderr when none did), and exit status 1 when
 * any ECU failed or none answered. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_format.h"
#include "cli/cli_i18n.h"
#include "cli/cli_json.h"
#include "cli/cli_print.h"

/* Prints one ECU's block after its "label, PROTOCOL: " start; returns
 * whether the ECU failed (a clear that did not clear). */
typedef bool (*entry_fn)(struct cli_ctx *x, json_object *e, const char *head);

static void ecu_label(json_object *e, char *out, size_t cap)
{
	int64_t addr = -1;
	cli_jint(e, "ecu", &addr);
	const char *proto = cli_jstr(e, "protocol"), *name = cli_jstr(e, "ecu_name");
	cli_fmt_ecu(addr, name, proto && !strcmp(proto, "j1939"), out, cap);
}

/* "bms (0x7E7), UDS" (no protocol when the daemon did not say). */
static void block_head(json_object *e, char *out, size_t cap)
{
	char label[96];
	ecu_label(e, label, sizeof label);
	const char *proto = cli_jstr(e, "protocol");
	if (proto)
		snprintf(out, cap, "%s, %s", label, cli_protocol_name(proto));
	else
		snprintf(out, cap, "%s", label);
}

/* "no answer (timeout)", "refused: serviceNotSupported (NRC 0x11)", or the
 * daemon's message. */
static void error_words(json_object *err, char *out, size_t cap)
{
	const char *code = cli_jstr(err, "code"), *msg = cli_jstr(err, "message");
	const char *refused = msg ? strstr(msg, "refused: ") : NULL, *end;
	int64_t nrc;
	if (code && !strcmp(code, "timeout"))
		snprintf(out, cap, "%s", _("no answer (timeout)"));
	else if (refused && cli_jint(err, "nrc", &nrc) && (end = strstr(refused, " (NRC ")))
		/* The NRC's ISO name as sent, the words around it translated. */
		snprintf(out, cap, _("refused: %.*s (NRC 0x%02X)"), (int)(end - refused - 9), refused + 9, (unsigned)nrc);
	else if (refused)
		snprintf(out, cap, "%s", refused);
	else
		snprintf(out, cap, "%s", msg ? msg : code ? code : _("failed"));
}

/* r: a result, or an error reply's error object with the ECUs' errors. */
static int print_entries(struct cli_ctx *x, json_object *r, entry_fn body, bool is_error)
{
	size_t n;
	json_object *ecus = cli_jarray(r, "ecus", &n);
	int64_t failed = 0, answered = 0, asked = -1;
	cli_jint(r, "asked", &asked);
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(ecus, i);
		char head[128];
		if (!cli_jtrue(e, "ok")) {
			char label[96], words[256];
			ecu_label(e, label, sizeof label);
			error_words(cli_jget(e, "error"), words, sizeof words);
			printf("%s: %s%s%s\n", label, cli_style_on(&x->term, CLI_RED), words, cli_style_off(&x->term, CLI_RED));
			failed++;
			continue;
		}
		answered++;
		block_head(e, head, sizeof head);
		if (body)
			failed += body(x, e, head);
	}
	if (!answered) {
		/* The daemon's words when it said why ("no ECU answered on bus car"). */
		const char *why = is_error ? cli_jstr(r, "message") : NULL;
		fflush(stdout);
		fprintf(stderr, "evgw: %s\n", why ? why : _("no ECU answered"));
	} else if (asked != 1 && (n > 1 || asked < 0)) {
		char count[64];
		if (asked > 0) {
			printf(_("%lld of %lld ECUs answered\n"), (long long)answered, (long long)asked);
		} else {
			cli_fmt_count(answered, "ECU answered", "ECUs answered", count, sizeof count);
			puts(count);
		}
	}
	return failed || !answered ? CLI_FAILED : CLI_OK;
}

static enum cli_style dtc_style(const char *status)
{
	if (!status)
		return CLI_PLAIN;
	if (!strcmp(status, "active"))
		return CLI_RED;
	if (!strcmp(status, "stored") || !strcmp(status, "permanent"))
		return CLI_YELLOW;
	return CLI_PLAIN;
}

/* The description without a leading "CODE: ". */
static const char *dtc_meaning(json_object *d)
{
	const char *desc = cli_jstr(d, "description"), *code = cli_jstr(d, "code");
	if (desc && code) {
		size_t len = strlen(code);
		if (!strncmp(desc, code, len) && desc[len] == ':' && desc[len + 1] == ' ' && desc[len + 2])
			return desc + len + 2;
	}
	return desc;
}

static bool dtc_block(struct cli_ctx *x, json_object *e, const char *head)
{
	size_t n;
	json_object *dtcs = cli_jarray(e, "dtcs", &n);
	char count[64];
	cli_fmt_count((int64_t)n, "DTC", "DTCs", count, sizeof count);
	printf("%s: %s\n", head, count);
	size_t codew = 8;
	for (size_t i = 0; i < n; i++) {
		const char *code = cli_jstr(json_object_array_get_idx(dtcs, i), "code");
		if (code && strlen(code) > codew)
			codew = strlen(code);
	}
	for (size_t i = 0; i < n; i++) {
		json_object *d = json_object_array_get_idx(dtcs, i);
		const char *status = cli_jstr(d, "kind") ? cli_jstr(d, "kind") : cli_jstr(d, "fault_status");
		const char *what = dtc_meaning(d);
		char text[512], cut[512];
		int64_t oc;
		if (cli_jint(d, "oc", &oc)) {
			char times[48];
			snprintf(times, sizeof times, ngettext("(%lld time)", "(%lld times)", (unsigned long)(oc < 0 ? 0 : oc)),
				 (long long)oc);
			snprintf(text, sizeof text, "%s%s%s", what ? what : "", what ? " " : "", times);
		} else if (!what && cli_jstr(d, "status_text"))
			snprintf(text, sizeof text, "%s", cli_jstr(d, "status_text"));
		else
			snprintf(text, sizeof text, "%s", what ? what : "");
		size_t used = 2 + codew + 2 + 9 + 2;
		const char *shown = text;
		if (x->term.width && x->term.width > used + 12) {
			cli_text_fit(text, x->term.width - used, cut, sizeof cut);
			shown = cut;
		}
		enum cli_style st = dtc_style(status);
		/* Padded by what the terminal shows: a translated status is wider in bytes. */
		const char *word = status ? cli_word(status) : "-";
		size_t ww = cli_text_width(word);
		printf("  %s%-*s%s  %s%s%s%*s  %s\n", cli_style_on(&x->term, CLI_BOLD), (int)codew,
		       cli_jstr(d, "code") ? cli_jstr(d, "code") : "?", cli_style_off(&x->term, CLI_BOLD),
		       cli_style_on(&x->term, st), word, cli_style_off(&x->term, st), ww < 9 ? (int)(9 - ww) : 0, "", shown);
	}
	return false;
}

int cli_print_read_dtc(struct cli_ctx *x, json_object *r)
{
	return print_entries(x, r, dtc_block, false);
}

static bool clear_block(struct cli_ctx *x, json_object *e, const char *head)
{
	static const char *const results[][2] = {
		{"ack", N_("cleared (acknowledged)")},
		{"nack", N_("not cleared (refused)")},
		{"access_denied", N_("not cleared (access denied)")},
		{"cannot_respond", N_("not cleared (the ECU cannot respond now)")},
	};
	bool cleared = cli_jtrue(e, "cleared");
	const char *result = cli_jstr(e, "result"), *words = cleared ? P_("ecu", "cleared") : _("not cleared");
	for (size_t i = 0; result && i < sizeof results / sizeof results[0]; i++)
		if (!strcmp(result, results[i][0]))
			words = _(results[i][1]);
	enum cli_style st = cleared ? CLI_PLAIN : CLI_RED;
	printf("%s: %s%s%s\n", head, cli_style_on(&x->term, st), words, cli_style_off(&x->term, st));
	return !cleared;
}

int cli_print_clear_dtc(struct cli_ctx *x, json_object *r)
{
	return print_entries(x, r, clear_block, false);
}

static bool did_block(struct cli_ctx *x, json_object *e, const char *head)
{
	const char *vin = cli_jstr(e, "vin");
	int64_t did;
	if (vin)
		printf("%s: VIN %s%s%s\n", head, cli_style_on(&x->term, CLI_BOLD), vin, cli_style_off(&x->term, CLI_BOLD));
	else if (cli_jint(e, "did", &did))
		printf("%s: DID 0x%04" PRIX64 " = %s\n", head, did, cli_jstr(e, "hex") ? cli_jstr(e, "hex") : "-");
	else
		printf("%s: %s\n", head, cli_jstr(e, "hex") ? cli_jstr(e, "hex") : "-");
	/* Decoded by the bus's vehicle profile. */
	size_t n;
	json_object *vals = cli_jarray(e, "values", &n);
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(vals, i);
		const char *unit = cli_jstr(v, "unit");
		printf("  %s = %s%s%s\n", cli_jstr(v, "name") ? cli_jstr(v, "name") : "?",
		       cli_jtext(v, "value") ? cli_jtext(v, "value") : "-", unit ? " " : "", unit ? unit : "");
	}
	if (!vals && cli_jstr(e, "name") && !vin) {
		const char *unit = cli_jstr(e, "unit");
		printf("  %s = %s%s%s\n", cli_jstr(e, "name"), cli_jtext(e, "value") ? cli_jtext(e, "value") : "-",
		       unit ? " " : "", unit ? unit : "");
	}
	return false;
}

int cli_print_did(struct cli_ctx *x, json_object *r)
{
	return print_entries(x, r, did_block, false);
}

static bool pids_block(struct cli_ctx *x, json_object *e, const char *head)
{
	size_t n_sup, n;
	json_object *sup = cli_jarray(e, "supported", &n_sup), *pids = cli_jarray(e, "pids", &n);
	printf("%s: supports", head);
	for (size_t k = 0; k < n_sup; k++)
		printf(" %02X", (unsigned)json_object_get_int(json_object_array_get_idx(sup, k)));
	printf("\n  %s%-4s %-40s %12s %-6s %s%s\n", cli_style_on(&x->term, CLI_BOLD), "PID", "NAME", "VALUE", "UNIT",
	       "BYTES", cli_style_off(&x->term, CLI_BOLD));
	for (size_t k = 0; k < n; k++) {
		json_object *p = json_object_array_get_idx(pids, k);
		char value[64];
		int64_t pid = 0, dtcs = 0;
		cli_jint(p, "pid", &pid);
		if (cli_jget(p, "mil")) {
			cli_jint(p, "dtc_count", &dtcs);
			snprintf(value, sizeof value, "MIL %s, %" PRId64 " DTC%s", cli_jtrue(p, "mil") ? "on" : "off", dtcs,
				 dtcs == 1 ? "" : "s");
		} else {
			snprintf(value, sizeof value, "%s", cli_jtext(p, "value") ? cli_jtext(p, "value") : "-");
		}
		const char *unit = cli_jget(p, "value") ? cli_jstr(p, "unit") : NULL;
		printf("  %02" PRIX64 "   %-40.40s %12s %-6s %s\n", pid, cli_jstr(p, "name") ? cli_jstr(p, "name") : "-",
		       value, unit ? unit : "", cli_jstr(p, "hex") ? cli_jstr(p, "hex") : "");
	}
	return false;
}

int cli_print_pids(struct cli_ctx *x, json_object *r)
{
	return print_entries(x, r, pids_block, false);
}

int cli_print_ecu_error(struct cli_ctx *x, json_object *error)
{
	return print_entries(x, error, NULL, true);
}
