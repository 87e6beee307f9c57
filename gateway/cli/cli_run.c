// SPDX-License-Identifier: MIT
/* A daemon command from start to end: connect, build the request, ask,
 * print the result or say what went wrong in words (a misspelt bus gets
 * the closest name and the list), follow events for watch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_commands.h"
#include "cli/cli_i18n.h"
#include "cli/cli_json.h"
#include "cli/cli_print.h"
#include "cli/cli_suggest.h"

void cli_req_str(struct cli_ctx *x, const char *key, const char *value)
{
	json_object_object_add(x->req, key, json_object_new_string(value));
}

json_object *cli_fetch_buses(struct cli_ctx *x)
{
	json_object *req = json_object_new_object();
	json_object_object_add(req, "cmd", json_object_new_string("buses"));
	json_object *reply = cli_conn_request(&x->conn, req);
	json_object_put(req);
	json_object *r = cli_jtrue(reply, "ok") ? cli_jarray(reply, "result", NULL) : NULL;
	if (r)
		json_object_get(r);
	json_object_put(reply);
	return r;
}

/* "car, ebus" */
static void bus_list(json_object *buses, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < cli_jlen(buses) && len < cap; i++) {
		const char *name = cli_jstr(json_object_array_get_idx(buses, i), "name");
		len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? ", " : "", name ? name : "?");
	}
}

int cli_need_bus(struct cli_ctx *x, const char *given, const char **bus)
{
	*bus = given ? given : x->o->bus;
	if (*bus)
		return 0;
	json_object *buses = cli_fetch_buses(x);
	if (!buses)
		return CLI_NO_DAEMON;
	size_t n = cli_jlen(buses);
	int rc = 0;
	if (n == 1) {
		const char *name = cli_jstr(json_object_array_get_idx(buses, 0), "name");
		free(x->owned);
		x->owned = name ? strdup(name) : NULL;
		*bus = x->owned;
		rc = *bus ? 0 : CLI_FAILED;
	} else if (!n) {
		fprintf(stderr, _("evgw %s: the daemon has no buses\n"), x->cmd->name);
		rc = CLI_FAILED;
	} else {
		char list[512];
		bus_list(buses, list, sizeof list);
		/* record names its bus as an operand, the others with --bus. */
		fprintf(stderr,
			x->cmd->options & CLI_OPT_BUS ? _("evgw %s: --bus is needed: the daemon has buses %s\n")
						      : _("evgw %s: a BUS is needed: the daemon has buses %s\n"),
			x->cmd->name, list);
		rc = CLI_USAGE;
	}
	json_object_put(buses);
	return rc;
}

/* The request named a bus the daemon does not have: say which it has, and
 * the one meant when it is a slip. True when that was the problem. */
static bool explain_unknown_bus(struct cli_ctx *x)
{
	if (!x->bus)
		return false;
	json_object *buses = cli_fetch_buses(x);
	if (!buses)
		return false;
	const char *names[64];
	size_t n = 0;
	bool known = false;
	for (size_t i = 0; i < cli_jlen(buses) && n < 64; i++) {
		const char *name = cli_jstr(json_object_array_get_idx(buses, i), "name");
		if (name) {
			names[n++] = name;
			known |= !strcmp(name, x->bus);
		}
	}
	if (!known) {
		char list[512];
		bus_list(buses, list, sizeof list);
		const char *near = cli_suggest(x->bus, names, n);
		if (near)
			fprintf(stderr, _("evgw: no bus named '%s'; did you mean '%s'? (the daemon has buses %s)\n"),
				x->bus, near, list);
		else if (n)
			fprintf(stderr, _("evgw: no bus named '%s' (the daemon has buses %s)\n"), x->bus, list);
		else
			fprintf(stderr, _("evgw: no bus named '%s' (the daemon has no buses)\n"), x->bus);
	}
	json_object_put(buses);
	return !known;
}

/* An error reply: JSON for scripts (code included), words for people. */
static int report_error(struct cli_ctx *x, json_object *reply)
{
	json_object *e = cli_jget(reply, "error");
	const char *code = cli_jstr(e, "code"), *msg = cli_jstr(e, "message");
	if (x->o->json) {
		json_object *wrap = json_object_new_object();
		json_object_object_add(wrap, "error", json_object_get(e));
		cli_json_print(stdout, wrap);
		json_object_put(wrap);
		fprintf(stderr, "evgw: %s (%s)\n", msg ? msg : _("the daemon refused"), code ? code : "?");
		return CLI_FAILED;
	}
	if (code && !strcmp(code, "not_found") && explain_unknown_bus(x))
		return CLI_FAILED;
	if (x->cmd->print_error && cli_jarray(e, "ecus", NULL)) {
		x->cmd->print_error(x, e);
		return CLI_FAILED;
	}
	fprintf(stderr, "evgw: %s\n", msg ? msg : _("the daemon refused the request"));
	return CLI_FAILED;
}

int cli_run_daemon(struct cli_ctx *x)
{
	int rc = cli_conn_open(&x->conn, x->o->socket);
	if (rc)
		return rc;
	x->req = json_object_new_object();
	cli_req_str(x, "cmd", x->cmd->api_cmd);
	rc = x->cmd->build ? x->cmd->build(x) : 0;
	if (!rc) {
		json_object *b;
		if (json_object_object_get_ex(x->req, "bus", &b))
			x->bus = json_object_get_string(b);
		json_object *reply = cli_conn_request(&x->conn, x->req);
		if (!reply)
			rc = CLI_NO_DAEMON;
		else if (!cli_jtrue(reply, "ok"))
			rc = report_error(x, reply);
		else if (x->o->json && !x->cmd->event)
			cli_json_print(stdout, cli_jget(reply, "result"));
		else if (!x->o->json)
			rc = x->cmd->print(x, cli_jget(reply, "result"));
		if (!rc && x->cmd->event) {
			fflush(stdout);
			rc = cli_watch_loop(x);
		}
		json_object_put(reply);
	}
	json_object_put(x->req);
	free(x->owned);
	cli_conn_close(&x->conn);
	return rc;
}
