// SPDX-License-Identifier: MIT
/* evgw sniff: a live view of a bus over the socket, like can-utils'
 * cansniffer but with the daemon's DBC names and values. Two subscriptions
 * on one connection (frames, and signals at 4 per second), and the
 * messages command on a second one for the DBC's names of new ids, so that
 * no event is skipped while a reply is awaited. On a terminal the screen is
 * redrawn 4 times a second and keys work (the terminal in raw mode, put
 * back on every way out: q, Ctrl-C, SIGTERM, the daemon going); on a pipe a
 * block of lines every --interval seconds. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "can/candump.h"
#include "cli/cli.h"
#include "cli/cli_commands.h"
#include "cli/cli_connect.h"
#include "cli/cli_i18n.h"
#include "cli/cli_json.h"
#include "cli/cli_sniff.h"

#define MAX_FILTER_IDS 64

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct opts {
	const char *bus;
	uint32_t ids[MAX_FILTER_IDS];
	unsigned n_ids;
	double interval;
	long count; /* pipe: blocks to print, 0 = until stopped */
};

static int usage(const char *what)
{
	fprintf(stderr, _("evgw sniff: %s\nusage: %s\n"), what,
		"evgw sniff [--bus BUS] [--id ID...] [--interval SEC] [--count N]");
	return CLI_USAGE;
}

/* "121", "0x18FECAEF", "121,7E8". */
static int parse_ids(struct opts *o, const char *v)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", v);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char *end;
		errno = 0;
		unsigned long id = strtoul(t, &end, 16);
		if (errno || *end || end == t || id > 0x1FFFFFFF)
			return usage(_("--id takes CAN ids in hex (121, 18FECAEF), separated by commas"));
		if (o->n_ids == MAX_FILTER_IDS)
			return usage(_("at most 64 ids"));
		o->ids[o->n_ids++] = (uint32_t)id;
	}
	return 0;
}

static int parse(struct cli_ctx *x, struct opts *o)
{
	memset(o, 0, sizeof *o);
	o->interval = 1.0;
	int i = 0;
	while (i < x->n_args && !strcmp(x->args[i], "sniff"))
		i++;
	for (; i < x->n_args; i++) {
		const char *a = x->args[i], *v = i + 1 < x->n_args ? x->args[i + 1] : NULL;
		if (!strcmp(a, "--json"))
			return usage(_("sniff has no --json: evgw watch frames gives the frames as text"));
		if (strcmp(a, "--bus") && strcmp(a, "--id") && strcmp(a, "--interval") && strcmp(a, "--count")) {
			char m[128];
			snprintf(m, sizeof m, a[0] == '-' ? _("unknown option '%.40s'") : _("unexpected argument '%.40s'"), a);
			return usage(m);
		}
		if (!v) {
			char m[128];
			snprintf(m, sizeof m, _("%s needs a value"), a);
			return usage(m);
		}
		i++;
		int rc = 0;
		char *end;
		if (!strcmp(a, "--bus")) {
			o->bus = v;
		} else if (!strcmp(a, "--id")) {
			rc = parse_ids(o, v);
			/* --id 121 7E8: more ids follow until the next option */
			while (!rc && i + 1 < x->n_args && x->args[i + 1][0] != '-')
				rc = parse_ids(o, x->args[++i]);
		} else if (!strcmp(a, "--interval")) {
			o->interval = strtod(v, &end);
			if (*end || end == v || !(o->interval >= 0.1 && o->interval <= 3600))
				return usage(_("--interval takes seconds, 0.1 to 3600"));
		} else {
			o->count = strtol(v, &end, 10);
			if (*end || end == v || o->count < 1)
				return usage(_("--count takes a number of blocks, 1 or more"));
		}
		if (rc)
			return rc;
	}
	return 0;
}

static json_object *request(struct cli_conn *c, const char *cmd, const char *bus)
{
	json_object *req = json_object_new_object();
	json_object_object_add(req, "cmd", json_object_new_string(cmd));
	if (bus)
		json_object_object_add(req, "bus", json_object_new_string(bus));
	return req;
}

/* Send req; 0 or an exit status after saying why. */
static int ask(struct cli_conn *c, json_object *req, json_object **result)
{
	json_object *reply = cli_conn_request(c, req);
	json_object_put(req);
	if (!reply)
		return CLI_NO_DAEMON;
	if (!cli_jtrue(reply, "ok")) {
		const char *msg = cli_jstr(cli_jget(reply, "error"), "message");
		fprintf(stderr, "evgw: %s\n", msg ? msg : _("the daemon refused"));
		json_object_put(reply);
		return CLI_FAILED;
	}
	if (result)
		*result = json_object_get(cli_jget(reply, "result"));
	json_object_put(reply);
	return 0;
}

static int learn_names(struct sniff *s, struct cli_conn *c, const char *bus)
{
	json_object *res = NULL;
	int rc = ask(c, request(c, "messages", bus), &res);
	for (size_t i = 0; !rc && i < cli_jlen(res); i++) {
		json_object *m = json_object_array_get_idx(res, i);
		double id;
		if (!cli_jnum(m, "id", &id))
			continue;
		const char *name = cli_jstr(m, "message");
		if (!name)
			name = cli_jstr(m, "pgn_name");
		sniff_message(s, (uint32_t)id, cli_jtrue(m, "extended"), name);
	}
	/* Ids the daemon does not list (yet, or ever: evgw's own requests) are
	 * asked about a few times more. */
	for (size_t i = 0; !rc && i < s->n; i++)
		if (s->rows[i].known < 0)
			s->rows[i].asked++;
	json_object_put(res);
	return rc;
}

static void values(struct sniff *s, json_object *sigs)
{
	for (size_t i = 0; i < cli_jlen(sigs); i++) {
		json_object *g = json_object_array_get_idx(sigs, i);
		const char *m = cli_jstr(g, "message"), *name = cli_jstr(g, "signal");
		const char *label = cli_jstr(g, "label"), *value = label ? label : cli_jtext(g, "value");
		if (m && name && value)
			sniff_value(s, m, name, value, label ? NULL : cli_jstr(g, "unit"));
	}
}

/* The DBC's names of the ids seen, then every signal's latest value (the
 * signals events bring only changes). */
static int learn(struct sniff *s, struct cli_conn *c, const char *bus)
{
	int rc = learn_names(s, c, bus);
	json_object *res = NULL;
	if (!rc)
		rc = ask(c, request(c, "signals", bus), &res);
	if (!rc)
		values(s, res);
	json_object_put(res);
	return rc;
}

static void on_event(struct sniff *s, json_object *ev, double now)
{
	const char *topic = cli_jstr(ev, "topic");
	if (topic && !strcmp(topic, "frames")) {
		const char *text = cli_jstr(ev, "frame");
		struct evgw_candump_line l;
		size_t col;
		const char *msg;
		if (text && evgw_candump_parse_line(text, strlen(text), &l, &col, &msg) == EVGW_CANDUMP_FRAME &&
		    !(l.frame.flags & (EVGW_FRAME_ERR | EVGW_FRAME_RTR)))
			sniff_frame(s, l.frame.id, l.frame.flags & EVGW_FRAME_EXT, l.frame.data, l.frame.len, now);
	} else if (topic && !strcmp(topic, "signals")) {
		values(s, cli_jarray(ev, "signals", NULL));
	}
}

static void draw(const struct sniff *s, const struct cli_term *t, bool tty, const char *bus, double now)
{
	const struct sniff_row **rows = malloc((s->n ? s->n : 1) * sizeof *rows);
	if (!rows)
		return;
	size_t n = sniff_order(s, now, rows, s->n), unknown = 0;
	for (size_t i = 0; i < s->n; i++)
		unknown += s->rows[i].known != 1;
	if (tty)
		fputs("\033[H\033[2J", stdout);
	char when[16];
	time_t wall = time(NULL);
	strftime(when, sizeof when, "%H:%M:%S", localtime(&wall));
	printf(_("%s-- %s %s: %zu ids, %zu unknown%s%s%s%s%s%s%s\n"), tty ? cli_style_on(t, CLI_BOLD) : "", bus, when,
	       s->n, unknown, s->frozen ? _(", frozen") : "", s->unknown_only ? _(", unknown only") : "",
	       s->changed_only ? _(", changed only") : "", s->marked ? _(", marked") : "",
	       s->filter[0] ? _(", ids ") : "", s->filter[0] ? s->filter : "", tty ? cli_style_off(t, CLI_BOLD) : "");
	if (tty && s->typing)
		printf(_("ids starting with (hex, Enter; Enter alone: all; Esc): %s\n"), s->typed);
	else if (tty)
		printf(_("%skeys: q quit, space freeze, u unknown only, c changed only, m mark/unmark, / ids%s\n"),
		       cli_style_on(t, CLI_DIM), cli_style_off(t, CLI_DIM));
	/* The heads over the rows' fields (cli_sniff_table.c), padded by characters. */
	const char *id = cli_column_head("ID"), *rate = cli_column_head(NC_("column", "FRAMES/S"));
	const char *len = cli_column_head(NC_("column", "LEN")), *data = cli_column_head(NC_("column", "DATA"));
	const char *changed = cli_column_head(NC_("column", "CHANGED"));
	printf("%-*s %*s %-*s %-*s", cli_pad(id, 8), id, cli_pad(rate, 8), rate, cli_pad(len, 3), len, cli_pad(data, 24),
	       data);
	if (!tty)
		printf("%-*s ", cli_pad(changed, 16), changed);
	printf("%s %s\n", cli_column_head("MESSAGE"), cli_column_head(NC_("column", "VALUES")));
	for (size_t i = 0; i < n; i++)
		sniff_render_row(s, rows[i], t, tty, now, stdout);
	if (!tty)
		putchar('\n');
	fflush(stdout);
	free(rows);
}

/* The terminal's settings, put back on every way out. */
struct raw_term {
	bool on;
	struct termios saved;
};

static void raw_on(struct raw_term *r)
{
	struct termios t;
	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &r->saved))
		return;
	t = r->saved;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	if (!tcsetattr(STDIN_FILENO, TCSANOW, &t))
		r->on = true;
}

static void raw_off(struct raw_term *r)
{
	if (r->on)
		tcsetattr(STDIN_FILENO, TCSANOW, &r->saved);
	r->on = false;
}

static int subscribe(struct cli_conn *c, const char *bus, const struct opts *o)
{
	json_object *req = request(c, "subscribe", bus);
	json_object_object_add(req, "topic", json_object_new_string("frames"));
	if (o->n_ids) {
		json_object *ids = json_object_new_array();
		for (unsigned i = 0; i < o->n_ids; i++)
			json_object_array_add(ids, json_object_new_int64(o->ids[i]));
		json_object_object_add(req, "ids", ids);
	}
	int rc = ask(c, req, NULL);
	if (rc)
		return rc;
	req = request(c, "subscribe", bus);
	json_object_object_add(req, "topic", json_object_new_string("signals"));
	json_object_object_add(req, "max_rate", json_object_new_int(4));
	return ask(c, req, NULL);
}

int cli_run_sniff(struct cli_ctx *x)
{
	struct opts o;
	int rc = parse(x, &o);
	if (rc)
		return rc;
	if ((rc = cli_conn_open(&x->conn, x->o->socket)))
		return rc;
	struct cli_conn names = {.fd = -1};
	const char *bus = NULL;
	rc = cli_need_bus(x, o.bus, &bus);
	if (!rc)
		rc = cli_conn_open(&names, x->o->socket);
	if (!rc)
		rc = subscribe(&x->conn, bus, &o);
	struct sniff s;
	double t = now_s();
	sniff_init(&s, t);
	if (!rc)
		rc = learn(&s, &names, bus);
	bool tty = isatty(STDOUT_FILENO);
	struct raw_term raw = {0};
	if (!rc && tty)
		raw_on(&raw);
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	double period = tty ? 0.25 : o.interval, next = t + period, names_at = t;
	long blocks = 0;
	while (!rc && !stop_signal && !s.quit) {
		struct pollfd p[2] = {{x->conn.fd, POLLIN, 0}, {raw.on ? STDIN_FILENO : -1, POLLIN, 0}};
		double wait = next - now_s();
		int ms = wait > 0 ? (int)(wait * 1000) + 1 : 0;
		if (!cli_conn_has_line(&x->conn) && poll(p, 2, ms) < 0 && errno != EINTR)
			break;
		t = now_s();
		if (cli_conn_has_line(&x->conn) || (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			char *l = cli_conn_line(&x->conn);
			if (!l) {
				raw_off(&raw);
				fputs(_("evgw: the daemon closed the connection\n"), stderr);
				rc = CLI_NO_DAEMON;
				break;
			}
			json_object *ev = json_tokener_parse(l);
			cli_conn_consume(&x->conn);
			const char *type = cli_jstr(ev, "type");
			if (type && !strcmp(type, "event"))
				on_event(&s, ev, t);
			json_object_put(ev);
		}
		if (p[1].revents & POLLIN) {
			char k[16];
			ssize_t n = read(STDIN_FILENO, k, sizeof k);
			for (ssize_t i = 0; i < n; i++)
				if (sniff_key(&s, (unsigned char)k[i]) && !s.quit)
					draw(&s, &x->term, tty, bus, t);
		}
		if (s.new_ids && t - names_at >= 1.0) {
			s.new_ids = false;
			names_at = t;
			if ((rc = learn(&s, &names, bus)))
				break;
			for (size_t i = 0; i < s.n; i++)
				s.new_ids |= s.rows[i].known < 0 && s.rows[i].asked < 3;
		}
		if (t >= next) {
			/* Rates over at least a second, also when the screen is redrawn faster. */
			if (!tty || t - s.tick_at >= 1.0)
				sniff_tick(&s, t);
			if (!s.frozen)
				draw(&s, &x->term, tty, bus, t);
			next = t + period;
			if (!tty && o.count && ++blocks >= o.count)
				break;
		}
	}
	raw_off(&raw);
	if (tty)
		fputs("\n", stdout);
	sniff_free(&s);
	cli_conn_close(&names);
	json_object_put(x->req);
	free(x->owned);
	cli_conn_close(&x->conn);
	return rc;
}
