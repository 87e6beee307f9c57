// SPDX-License-Identifier: MIT
/* watch: events as they come, until Ctrl-C (exit 0) or the daemon goes
 * (exit 3). Signal values carry the local time of their frame; bus states
 * start with every bus's current one. */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/cli_format.h"
#include "cli/cli_i18n.h"
#include "cli/cli_json.h"
#include "cli/cli_print.h"

/* The one piece of state a signal handler may touch. */
static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

int cli_print_watch_start(struct cli_ctx *x, json_object *r)
{
	(void)x;
	(void)r;
	return CLI_OK;
}

int cli_print_signal_event(struct cli_ctx *x, json_object *ev)
{
	size_t n;
	json_object *sigs = cli_jarray(ev, "signals", &n);
	for (size_t i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(sigs, i);
		char when[32] = "-", name[160];
		double ts;
		if (cli_jnum(s, "ts", &ts))
			cli_fmt_time(ts, CLI_TIME_CLOCK_MS, when, sizeof when);
		const char *msg = cli_jstr(s, "message"), *sig = cli_jstr(s, "signal");
		snprintf(name, sizeof name, "%s%s%s", msg ? msg : "", msg ? "." : "", sig ? sig : "?");
		const char *unit = cli_jstr(s, "unit"), *label = cli_jstr(s, "label");
		const char *value = cli_jtext(s, "value");
		printf("%s  %-8s %s%-36s%s %12s %s%s%s\n", when, cli_jstr(s, "bus") ? cli_jstr(s, "bus") : "-",
		       cli_style_on(&x->term, CLI_BOLD), name, cli_style_off(&x->term, CLI_BOLD), value ? value : "-",
		       unit ? unit : "", label ? "  " : "", label ? label : "");
	}
	return CLI_OK;
}

int cli_print_frame_event(struct cli_ctx *x, json_object *ev)
{
	(void)x;
	/* candump -L, as can-utils prints it. */
	printf("(%s) %s %s\n", cli_jtext(ev, "ts") ? cli_jtext(ev, "ts") : "0.000000",
	       cli_jstr(ev, "bus") ? cli_jstr(ev, "bus") : "-", cli_jstr(ev, "frame") ? cli_jstr(ev, "frame") : "");
	return CLI_OK;
}

static enum cli_style bus_state_style(const char *state)
{
	if (!state || !strcmp(state, "stopped"))
		return CLI_DIM;
	if (!strcmp(state, "active"))
		return CLI_GREEN;
	if (!strcmp(state, "warning") || !strcmp(state, "restarting"))
		return CLI_YELLOW;
	return CLI_RED;
}

static void bus_line(struct cli_ctx *x, const char *bus, const char *state, const char *previous)
{
	char now[32];
	cli_fmt_time((double)time(NULL), CLI_TIME_CLOCK, now, sizeof now);
	enum cli_style st = bus_state_style(state);
	printf("%s  %s: %s%s%s", now, bus ? bus : "?", cli_style_on(&x->term, st), state ? cli_bus_word(state) : "?",
	       cli_style_off(&x->term, st));
	if (previous)
		printf(_(" (was %s)"), cli_bus_word(previous));
	putchar('\n');
}

int cli_print_watch_bus_start(struct cli_ctx *x, json_object *r)
{
	(void)r;
	/* Asked after subscribing: a change before this answer is in it, one
	 * after it comes as an event. */
	json_object *buses = cli_fetch_buses(x);
	for (size_t i = 0; i < cli_jlen(buses); i++) {
		json_object *b = json_object_array_get_idx(buses, i);
		const char *name = cli_jstr(b, "name");
		if (!x->o->bus || (name && !strcmp(name, x->o->bus)))
			bus_line(x, name, cli_jstr(b, "state"), NULL);
	}
	json_object_put(buses);
	return CLI_OK;
}

int cli_print_bus_event(struct cli_ctx *x, json_object *ev)
{
	bus_line(x, cli_jstr(ev, "bus"), cli_jstr(ev, "state"), cli_jstr(ev, "previous"));
	return CLI_OK;
}

int cli_watch_loop(struct cli_ctx *x)
{
	struct sigaction sa = {.sa_handler = on_interrupt};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct cli_conn *c = &x->conn;
	while (!interrupted) {
		struct pollfd p = {c->fd, POLLIN, 0};
		if (!cli_conn_has_line(c) && poll(&p, 1, 500) <= 0)
			continue;
		char *l = cli_conn_line(c);
		if (!l) {
			if (!interrupted)
				fputs(_("evgw: the daemon closed the connection\n"), stderr);
			return interrupted ? CLI_OK : CLI_NO_DAEMON;
		}
		if (x->o->json) {
			puts(l);
			cli_conn_consume(c);
			continue;
		}
		json_object *ev = json_tokener_parse(l);
		cli_conn_consume(c);
		const char *type = cli_jstr(ev, "type");
		if (type && !strcmp(type, "event"))
			x->cmd->event(x, ev);
		json_object_put(ev);
	}
	return CLI_OK;
}
