// SPDX-License-Identifier: MIT
/* The daemon's commands from the command line: connect to the socket, send
 * one request, print the reply as a table (or --json), or follow events. */
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "config/config.h"
#include "util/textbuf.h"

#define CLI_NO_DAEMON 3

struct conn {
	int fd;
	char *buf;
	size_t len, cap;
	const char *path;
};

static int try_connect(const char *path, int *fd_out)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof sa.sun_path)
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int e = -errno;
		close(fd);
		return e;
	}
	*fd_out = fd;
	return 0;
}

/* --socket, $EVGW_SOCKET, this user's runtime socket, then the system's. */
static int conn_open(struct conn *c, const char *opt_socket)
{
	memset(c, 0, sizeof c[0]);
	const char *candidates[3] = {NULL, NULL, NULL};
	struct evgw_config user, sys;
	memset(&user, 0, sizeof user);
	memset(&sys, 0, sizeof sys);
	int n = 0;
	if (opt_socket) {
		candidates[n++] = opt_socket;
	} else if (getenv("EVGW_SOCKET") && *getenv("EVGW_SOCKET")) {
		candidates[n++] = getenv("EVGW_SOCKET");
	} else {
		if (geteuid() != 0 && evgw_config_defaults(&user, false) == 0 && user.socket_path)
			candidates[n++] = user.socket_path;
		if (evgw_config_defaults(&sys, true) == 0 && sys.socket_path)
			candidates[n++] = sys.socket_path;
	}
	int r = -ENOENT;
	for (int i = 0; i < n; i++) {
		r = try_connect(candidates[i], &c->fd);
		if (r == 0) {
			c->path = strdup(candidates[i]);
			break;
		}
	}
	if (r < 0)
		fprintf(stderr, "evgw: cannot reach the daemon at %s: %s (is evgwd running?)\n",
			n ? candidates[n - 1] : "?", strerror(-r));
	evgw_config_free(&user);
	evgw_config_free(&sys);
	return r;
}

static void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->buf);
	free((char *)c->path);
}

static int conn_send(struct conn *c, const char *line)
{
	size_t len = strlen(line), off = 0;
	while (off < len) {
		ssize_t n = write(c->fd, line + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		off += (size_t)n;
	}
	return 0;
}

/* The next line from the daemon (NUL-terminated, without '\n'), or NULL. */
static char *conn_line(struct conn *c)
{
	for (;;) {
		char *nl = c->len ? memchr(c->buf, '\n', c->len) : NULL;
		if (nl) {
			*nl = '\0';
			return c->buf;
		}
		if (c->cap - c->len < 65536) {
			size_t cap = c->cap ? c->cap * 2 : 131072;
			if (cap > (64u << 20))
				return NULL; /* a line that long is not from evgwd */
			char *b = realloc(c->buf, cap);
			if (!b)
				return NULL;
			c->buf = b;
			c->cap = cap;
		}
		ssize_t n = read(c->fd, c->buf + c->len, c->cap - c->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL;
		c->len += (size_t)n;
	}
}

static void conn_consume(struct conn *c)
{
	char *nl = memchr(c->buf, '\0', c->len);
	size_t used = (size_t)(nl - c->buf) + 1;
	memmove(c->buf, c->buf + used, c->len - used);
	c->len -= used;
}

/* Send a request and return its reply object (events before it are skipped). */
static json_object *request(struct conn *c, const char *line)
{
	if (conn_send(c, line) < 0) {
		fprintf(stderr, "evgw: the daemon went away\n");
		return NULL;
	}
	for (;;) {
		char *l = conn_line(c);
		if (!l) {
			fprintf(stderr, "evgw: the daemon closed the connection\n");
			return NULL;
		}
		json_object *o = json_tokener_parse(l);
		conn_consume(c);
		const char *type = o ? json_object_get_string(json_object_object_get(o, "type")) : NULL;
		if (type && !strcmp(type, "reply"))
			return o;
		json_object_put(o);
	}
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return "-";
	return json_object_get_string(v);
}

static double jnum(json_object *o, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(o, key, &v) ? json_object_get_double(v) : 0;
}

/* The reply's result, or print its error and return NULL. */
static json_object *result_of(json_object *reply)
{
	json_object *ok = json_object_object_get(reply, "ok");
	if (ok && json_object_get_boolean(ok))
		return json_object_object_get(reply, "result");
	json_object *e = json_object_object_get(reply, "error");
	fprintf(stderr, "evgw: %s (%s)\n", jstr(e, "message"), jstr(e, "code"));
	return NULL;
}

static void print_status(json_object *r)
{
	struct json_object_iterator it = json_object_iter_begin(r), end = json_object_iter_end(r);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		json_object *val = json_object_iter_peek_value(&it);
		printf("%-16s %s\n", json_object_iter_peek_name(&it),
		       json_object_is_type(val, json_type_null) ? "-" : json_object_get_string(val));
	}
}

static void print_buses(json_object *r)
{
	printf("%-10s %-8s %-22s %8s %-11s %-10s %10s %8s %10s %8s %6s\n", "BUS", "DRIVER", "DEVICE",
	       "BITRATE", "MODE", "STATE", "FRAMES", "FPS", "DECODED", "UNKNOWN", "ERRORS");
	for (size_t i = 0; i < json_object_array_length(r); i++) {
		json_object *b = json_object_array_get_idx(r, i);
		printf("%-10s %-8s %-22.22s %8.0f %-11s %-10s %10.0f %8.1f %10.0f %8.0f %6.0f\n",
		       jstr(b, "name"), jstr(b, "driver"), jstr(b, "device"), jnum(b, "bitrate"),
		       jstr(b, "mode"), jstr(b, "state"), jnum(b, "rx_frames"), jnum(b, "fps"),
		       jnum(b, "decoded"), jnum(b, "unknown"), jnum(b, "error_frames"));
	}
}

static void print_messages(json_object *r)
{
	printf("%-10s %-32s %10s %10s %9s %s\n", "ID", "MESSAGE", "COUNT", "PERIOD_MS", "CYCLE_MS", "STATE");
	for (size_t i = 0; i < json_object_array_length(r); i++) {
		json_object *m = json_object_array_get_idx(r, i);
		json_object *ext = json_object_object_get(m, "extended");
		char id[16];
		snprintf(id, sizeof id, json_object_get_boolean(ext) ? "%08" PRIX32 : "%03" PRIX32,
			 (uint32_t)jnum(m, "id"));
		json_object *miss = json_object_object_get(m, "missing");
		printf("%-10s %-32.32s %10.0f %10.1f %9.0f %s\n", id, jstr(m, "message"), jnum(m, "count"),
		       jnum(m, "period_ms"), jnum(m, "cycle_ms"), json_object_get_boolean(miss) ? "MISSING" : "ok");
	}
}

static void print_signal_row(json_object *s)
{
	json_object *label = json_object_object_get(s, "label"), *v = json_object_object_get(s, "value");
	char value[64];
	/* People read 84.8, not the 84.80000000000001 that JSON keeps exact. */
	if (v && json_object_is_type(v, json_type_double))
		snprintf(value, sizeof value, "%.10g", json_object_get_double(v));
	else
		snprintf(value, sizeof value, "%s", v ? json_object_get_string(v) : "-");
	printf("%-8s %-28.28s %-30.30s %14s %-8s %s\n", jstr(s, "bus"), jstr(s, "message"),
	       jstr(s, "signal"), value, jstr(s, "unit"),
	       label && !json_object_is_type(label, json_type_null) ? json_object_get_string(label) : "");
}

static void print_signals(json_object *r)
{
	printf("%-8s %-28s %-30s %14s %-8s %s\n", "BUS", "MESSAGE", "SIGNAL", "VALUE", "UNIT", "LABEL");
	for (size_t i = 0; i < json_object_array_length(r); i++)
		print_signal_row(json_object_array_get_idx(r, i));
}

static void print_ecus(json_object *r)
{
	if (!json_object_array_length(r)) {
		puts("no ECUs heard yet (J1939 address claims)");
		return;
	}
	printf("%-8s %-8s %7s %-16s %8s %8s %12s %9s\n", "BUS", "PROTOCOL", "ADDRESS", "NAME", "FUNCTION",
	       "INSTANCE", "MANUFACTURER", "IDENTITY");
	for (size_t i = 0; i < json_object_array_length(r); i++) {
		json_object *e = json_object_array_get_idx(r, i);
		printf("%-8s %-8s    0x%02X %-16s %8.0f %8.0f %12.0f %9.0f\n", jstr(e, "bus"), jstr(e, "protocol"),
		       (unsigned)jnum(e, "address"), jstr(e, "name"), jnum(e, "function"),
		       jnum(e, "function_instance"), jnum(e, "manufacturer"), jnum(e, "identity"));
	}
}

/* An ECU: "bms (0x7E7)", "0x7E7", "bms (SA 0xF3)", "SA 0xF3". */
static void ecu_label(json_object *e, char *out, size_t cap)
{
	json_object *name = json_object_object_get(e, "ecu_name");
	bool j1939 = !strcmp(jstr(e, "protocol"), "j1939");
	char addr[24];
	snprintf(addr, sizeof addr, j1939 ? "SA 0x%02X" : "0x%03X", (unsigned)jnum(e, "ecu"));
	if (name && json_object_is_type(name, json_type_string))
		snprintf(out, cap, "%s (%s)", json_object_get_string(name), addr);
	else
		snprintf(out, cap, "%s", addr);
}

static const char *upper_protocol(const char *p)
{
	return !strcmp(p, "uds") ? "UDS" : !strcmp(p, "kwp") ? "KWP2000" : !strcmp(p, "obd") ? "OBD-II"
	       : !strcmp(p, "j1939") ? "J1939" : p;
}

static void print_ecu_entry(json_object *e)
{
	char who[96];
	ecu_label(e, who, sizeof who);
	json_object *ok = json_object_object_get(e, "ok");
	if (!ok || !json_object_get_boolean(ok)) {
		json_object *err = json_object_object_get(e, "error");
		printf("%s: %s\n", who, jstr(err, "message"));
		return;
	}
	const char *proto = upper_protocol(jstr(e, "protocol"));
	json_object *v;
	if (json_object_object_get_ex(e, "dtcs", &v)) {
		size_t n = json_object_array_length(v);
		printf("%s, %s: %zu DTC%s\n", who, proto, n, n == 1 ? "" : "s");
		for (size_t i = 0; i < n; i++) {
			json_object *t = json_object_array_get_idx(v, i);
			printf("  %-18s %-8s %s\n", jstr(t, "code"), jstr(t, "fault_status"), jstr(t, "description"));
		}
	} else if (json_object_object_get_ex(e, "cleared", &v)) {
		const char *res = jstr(e, "result");
		printf("%s, %s: %s\n", who, proto,
		       json_object_get_boolean(v) ? "cleared" : strcmp(res, "-") ? res : "not cleared");
	} else if (json_object_object_get_ex(e, "pids", &v)) {
		printf("%s, %s:\n", who, proto);
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			json_object *p = json_object_array_get_idx(v, i);
			json_object *val;
			if (json_object_object_get_ex(p, "mil", &val))
				printf("  %02X %-40s MIL %s, %s DTCs\n", (unsigned)jnum(p, "pid"), jstr(p, "name"),
				       json_object_get_boolean(val) ? "on" : "off", jstr(p, "dtc_count"));
			else if (json_object_object_get_ex(p, "value", &val))
				printf("  %02X %-40s %s %s\n", (unsigned)jnum(p, "pid"), jstr(p, "name"), jstr(p, "value"),
				       jstr(p, "unit"));
			else
				printf("  %02X %-40s %s\n", (unsigned)jnum(p, "pid"), jstr(p, "name"), jstr(p, "hex"));
		}
	} else {
		if (json_object_object_get_ex(e, "vin", &v))
			printf("%s: VIN %s\n", who, json_object_get_string(v));
		else if (json_object_object_get_ex(e, "name", &v))
			printf("%s: %s = %s %s\n", who, json_object_get_string(v), jstr(e, "value"), jstr(e, "unit"));
		else
			printf("%s: DID %04X = %s\n", who, (unsigned)jnum(e, "did"), jstr(e, "hex"));
	}
}

/* The answer of read-dtc, clear-dtc, read-did, vin, read-pids: one block
 * per ECU. */
static void print_ecu_reply(json_object *r)
{
	json_object *ecus = json_object_object_get(r, "ecus");
	for (size_t i = 0; ecus && i < json_object_array_length(ecus); i++)
		print_ecu_entry(json_object_array_get_idx(ecus, i));
}

/* Did an ECU of the answer fail? */
static bool some_ecu_failed(json_object *r)
{
	json_object *ecus = json_object_object_get(r, "ecus");
	for (size_t i = 0; ecus && i < json_object_array_length(ecus); i++) {
		json_object *ok = json_object_object_get(json_object_array_get_idx(ecus, i), "ok");
		if (!ok || !json_object_get_boolean(ok))
			return true;
	}
	return false;
}

static void print_dbc(json_object *r)
{
	printf("%-10s %8s %8s %s\n", "BUS", "MESSAGES", "SIGNALS", "FILE");
	for (size_t i = 0; i < json_object_array_length(r); i++) {
		json_object *f = json_object_array_get_idx(r, i);
		printf("%-10s %8.0f %8.0f %s\n", jstr(f, "bus"), jnum(f, "messages"), jnum(f, "signals"),
		       jstr(f, "file"));
	}
}

struct client_opts {
	const char *socket;
	bool json;
	const char *bus;
	double rate;
	bool history;
};

static void fmt_time(double ts, char *out, size_t cap)
{
	time_t t = (time_t)ts;
	struct tm tm;
	if (!localtime_r(&t, &tm) || !strftime(out, cap, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(out, cap, "%.0f", ts);
}

static void print_fault_row(json_object *f)
{
	char first[32], last[32], ecu[80];
	fmt_time(jnum(f, "first_seen"), first, sizeof first);
	fmt_time(jnum(f, "last_seen"), last, sizeof last);
	json_object *e = json_object_object_get(f, "ecu");
	const char *name = jstr(f, "ecu_name");
	bool named = *name && strcmp(name, "-");
	if (e && !json_object_is_type(e, json_type_null) && !(named && strstr(name, "0x")))
		snprintf(ecu, sizeof ecu, "%s%s0x%02X", named ? name : "", named ? " " : "",
			 (unsigned)json_object_get_int(e));
	else
		snprintf(ecu, sizeof ecu, "%s", *name ? name : "-");
	printf("%-8s %-8s %-16.16s %-7s %-30.30s %-8s %-19s %-19s %5.0f  %s\n", jstr(f, "status"),
	       jstr(f, "bus"), ecu, jstr(f, "protocol"), jstr(f, "code"), jstr(f, "severity"), first, last,
	       jnum(f, "occurrences"), jstr(f, "description"));
}

static void print_faults(json_object *r)
{
	if (!json_object_array_length(r)) {
		puts("no faults");
		return;
	}
	printf("%-8s %-8s %-16s %-7s %-30s %-8s %-19s %-19s %5s  %s\n", "STATUS", "BUS", "ECU", "SOURCE",
	       "CODE", "SEVERITY", "FIRST SEEN", "LAST SEEN", "COUNT", "DESCRIPTION");
	for (size_t i = 0; i < json_object_array_length(r); i++)
		print_fault_row(json_object_array_get_idx(r, i));
}

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* Follow a subscription's events until interrupted or the daemon goes. */
static int watch(struct conn *c, const struct client_opts *o, const char *topic, const char *filter)
{
	struct evgw_textbuf req;
	evgw_textbuf_init(&req);
	evgw_textbuf_printf(&req, "{\"cmd\":\"subscribe\",\"id\":1,\"topic\":\"%s\"", topic);
	if (o->bus) {
		evgw_textbuf_puts(&req, ",\"bus\":");
		evgw_textbuf_json_string(&req, o->bus, strlen(o->bus), false);
	}
	if (!strcmp(topic, "signals")) {
		if (filter) {
			evgw_textbuf_puts(&req, ",\"glob\":");
			evgw_textbuf_json_string(&req, filter, strlen(filter), false);
		}
		evgw_textbuf_printf(&req, ",\"max_rate\":%g", o->rate > 0 ? o->rate : 2.0);
	} else if (!strcmp(topic, "frames") && filter) {
		/* "123,18FEF100": hex CAN ids */
		evgw_textbuf_puts(&req, ",\"ids\":[");
		char *copy = strdup(filter), *save = NULL;
		int k = 0;
		for (char *t = copy ? strtok_r(copy, ", ", &save) : NULL; t; t = strtok_r(NULL, ", ", &save)) {
			char *end;
			unsigned long v = strtoul(t, &end, 16);
			if (*end || v > 0x1FFFFFFF) {
				fprintf(stderr, "evgw: '%s' is not a hex CAN id\n", t);
				free(copy);
				evgw_textbuf_free(&req);
				return CLI_USAGE;
			}
			evgw_textbuf_printf(&req, "%s%lu", k++ ? "," : "", v);
		}
		free(copy);
		evgw_textbuf_putc(&req, ']');
	}
	evgw_textbuf_puts(&req, "}\n");
	json_object *reply = request(c, req.buf);
	evgw_textbuf_free(&req);
	if (!reply)
		return CLI_NO_DAEMON;
	if (!result_of(reply)) {
		json_object_put(reply);
		return CLI_FINDINGS;
	}
	json_object_put(reply);
	struct sigaction sa = {.sa_handler = on_interrupt};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (!interrupted) {
		struct pollfd p = {c->fd, POLLIN, 0};
		if (!(c->len && memchr(c->buf, '\n', c->len)) && poll(&p, 1, 500) <= 0)
			continue;
		char *l = conn_line(c);
		if (!l) {
			if (!interrupted)
				fprintf(stderr, "evgw: the daemon closed the connection\n");
			return interrupted ? CLI_OK : CLI_NO_DAEMON;
		}
		if (o->json) {
			puts(l);
			conn_consume(c);
			continue;
		}
		json_object *ev = json_tokener_parse(l);
		conn_consume(c);
		if (!ev)
			continue;
		const char *t = jstr(ev, "topic");
		if (!strcmp(t, "frames")) {
			printf("(%s) %s %s\n", jstr(ev, "ts"), jstr(ev, "bus"), jstr(ev, "frame"));
		} else if (!strcmp(t, "signals")) {
			json_object *sigs = json_object_object_get(ev, "signals");
			for (size_t i = 0; i < json_object_array_length(sigs); i++)
				print_signal_row(json_object_array_get_idx(sigs, i));
		} else if (!strcmp(t, "faults")) {
			printf("%-8s ", jstr(ev, "event"));
			print_fault_row(json_object_object_get(ev, "fault"));
		} else if (!strcmp(t, "bus")) {
			printf("bus %s: %s (was %s)\n", jstr(ev, "bus"), jstr(ev, "state"), jstr(ev, "previous"));
		}
		json_object_put(ev);
	}
	return CLI_OK;
}

/* The name of the daemon's only bus; NULL (with a message) otherwise. */
static char *only_bus(const char *socket_opt)
{
	struct conn c;
	if (conn_open(&c, socket_opt) < 0)
		return NULL;
	char *name = NULL;
	json_object *reply = request(&c, "{\"cmd\":\"buses\",\"id\":1}\n");
	json_object *r = reply ? result_of(reply) : NULL;
	if (r && json_object_array_length(r) == 1)
		name = strdup(jstr(json_object_array_get_idx(r, 0), "name"));
	else if (r)
		fprintf(stderr, "evgw: the daemon has %zu buses: name the one to record\n",
			json_object_array_length(r));
	json_object_put(reply);
	conn_close(&c);
	return name;
}

static int usage_client(void)
{
	fputs("usage: evgw [--socket PATH] [--json] COMMAND\n"
	      "  status | buses | messages BUS | signals [GLOB] | dbc | ecus | faults [--history]\n"
	      "  watch signals [GLOB] | watch frames [HEXID,...] | watch bus | watch faults\n"
	      "        [--bus BUS] [--rate HZ]\n"
	      "  record start [BUS] FILE | record stop [BUS]\n"
	      "  read-dtc ECU | clear-dtc ECU | vin ECU | read-did ECU DID   [--bus BUS]\n"
	      "  read-pids [HEXPID,...] [--bus BUS]   OBD-II mode 01 live data\n"
	      "        (ECU: a request id in hex, e.g. 7E7; obd: every OBD-II ECU;\n"
	      "         j1939 or j1939:SA: J1939 DM2 / DM11; with a vehicle profile also\n"
	      "         an ECU's name, e.g. bms, or all; DID in hex or a profile DID name)\n",
	      stderr);
	return CLI_USAGE;
}

static void put_field(struct evgw_textbuf *tb, const char *key, const char *val)
{
	evgw_textbuf_printf(tb, ",\"%s\":", key);
	evgw_textbuf_json_string(tb, val, strlen(val), false);
}

int cli_client(int argc, char **argv)
{
	struct client_opts o = {NULL, false, NULL, 0, false};
	char *args[8];
	int n = 0;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--socket") && i + 1 < argc)
			o.socket = argv[++i];
		else if (!strcmp(argv[i], "--json"))
			o.json = true;
		else if (!strcmp(argv[i], "--bus") && i + 1 < argc)
			o.bus = argv[++i];
		else if (!strcmp(argv[i], "--rate") && i + 1 < argc)
			o.rate = atof(argv[++i]);
		else if (!strcmp(argv[i], "--history"))
			o.history = true;
		else if (argv[i][0] == '-' && argv[i][1])
			return usage_client();
		else if (n < 8)
			args[n++] = argv[i];
		else
			return usage_client();
	}
	if (!n)
		return usage_client();
	const char *cmd = args[0];
	struct evgw_textbuf req;
	evgw_textbuf_init(&req);
	evgw_textbuf_printf(&req, "{\"cmd\":\"%s\",\"id\":1", cmd);
	void (*printer)(json_object *) = NULL;
	bool is_watch = false;
	if (!strcmp(cmd, "status") && n == 1) {
		printer = print_status;
	} else if (!strcmp(cmd, "buses") && n == 1) {
		printer = print_buses;
	} else if (!strcmp(cmd, "dbc") && n == 1) {
		printer = print_dbc;
	} else if ((!strcmp(cmd, "read-dtc") || !strcmp(cmd, "clear-dtc") || !strcmp(cmd, "vin")) &&
		   n == 2) {
		char *bus = o.bus ? strdup(o.bus) : only_bus(o.socket);
		if (!bus) {
			evgw_textbuf_free(&req);
			return CLI_FINDINGS;
		}
		put_field(&req, "bus", bus);
		put_field(&req, "ecu", args[1]);
		free(bus);
		printer = print_ecu_reply;
	} else if (!strcmp(cmd, "read-did") && n == 3) {
		char *bus = o.bus ? strdup(o.bus) : only_bus(o.socket);
		char *end;
		unsigned long did = strtoul(args[2], &end, 16);
		if (!bus || !args[2][0] || did > 0xFFFF) {
			free(bus);
			evgw_textbuf_free(&req);
			return bus ? usage_client() : CLI_FINDINGS;
		}
		put_field(&req, "bus", bus);
		put_field(&req, "ecu", args[1]);
		if (*end) /* not hex: a DID name from the bus's vehicle profile */
			put_field(&req, "did", args[2]);
		else
			evgw_textbuf_printf(&req, ",\"did\":%lu", did);
		free(bus);
		printer = print_ecu_reply;
	} else if (!strcmp(cmd, "read-pids") && n <= 2) {
		/* "0D,42": hex PIDs, as OBD-II tools write them */
		char *bus = o.bus ? strdup(o.bus) : only_bus(o.socket);
		if (!bus) {
			evgw_textbuf_free(&req);
			return CLI_FINDINGS;
		}
		put_field(&req, "bus", bus);
		put_field(&req, "ecu", "obd");
		free(bus);
		if (n == 2) {
			evgw_textbuf_puts(&req, ",\"pids\":[");
			char *copy = strdup(args[1]), *save = NULL;
			int k = 0;
			for (char *t = copy ? strtok_r(copy, ", ", &save) : NULL; t; t = strtok_r(NULL, ", ", &save)) {
				char *end;
				unsigned long v = strtoul(t, &end, 16);
				if (*end || v < 1 || v > 0xFF) {
					fprintf(stderr, "evgw: '%s' is not a hex PID (01..FF)\n", t);
					free(copy);
					evgw_textbuf_free(&req);
					return CLI_USAGE;
				}
				evgw_textbuf_printf(&req, "%s%lu", k++ ? "," : "", v);
			}
			free(copy);
			evgw_textbuf_putc(&req, ']');
		}
		printer = print_ecu_reply;
	} else if (!strcmp(cmd, "ecus") && n == 1) {
		if (o.bus)
			put_field(&req, "bus", o.bus);
		printer = print_ecus;
	} else if (!strcmp(cmd, "faults") && n == 1) {
		if (o.history)
			evgw_textbuf_puts(&req, ",\"history\":true");
		if (o.bus)
			put_field(&req, "bus", o.bus);
		printer = print_faults;
	} else if (!strcmp(cmd, "messages") && n == 2) {
		put_field(&req, "bus", args[1]);
		printer = print_messages;
	} else if (!strcmp(cmd, "signals") && n <= 2) {
		if (n == 2)
			put_field(&req, "glob", args[1]);
		if (o.bus)
			put_field(&req, "bus", o.bus);
		printer = print_signals;
	} else if (!strcmp(cmd, "watch") && n >= 2 && n <= 3 &&
		   (!strcmp(args[1], "signals") || !strcmp(args[1], "frames") || !strcmp(args[1], "bus") ||
		    !strcmp(args[1], "faults"))) {
		is_watch = true;
	} else if (!strcmp(cmd, "record") && n >= 2 && n <= 4 &&
		   (!strcmp(args[1], "start") ? n >= 3 : !strcmp(args[1], "stop"))) {
		/* "record start FILE" / "record stop": the bus may be left out
		 * when the daemon has only one. */
		bool bus_given = !strcmp(args[1], "start") ? n == 4 : n == 3;
		char *bus = bus_given ? strdup(args[2]) : only_bus(o.socket);
		if (!bus) {
			evgw_textbuf_free(&req);
			return bus_given ? CLI_USAGE : CLI_FINDINGS;
		}
		put_field(&req, "action", args[1]);
		put_field(&req, "bus", bus);
		free(bus);
		if (!strcmp(args[1], "start"))
			put_field(&req, "file", args[n - 1]);
		printer = print_status;
	} else {
		evgw_textbuf_free(&req);
		return usage_client();
	}
	evgw_textbuf_puts(&req, "}\n");
	struct conn c;
	if (conn_open(&c, o.socket) < 0) {
		evgw_textbuf_free(&req);
		return CLI_NO_DAEMON;
	}
	int rc;
	if (is_watch) {
		rc = watch(&c, &o, args[1], n == 3 ? args[2] : NULL);
	} else {
		json_object *reply = request(&c, req.buf);
		rc = CLI_NO_DAEMON;
		if (reply) {
			json_object *r = result_of(reply);
			if (r || json_object_get_boolean(json_object_object_get(reply, "ok"))) {
				if (o.json)
					puts(json_object_to_json_string_ext(r, JSON_C_TO_STRING_PLAIN));
				else if (r)
					printer(r);
				rc = printer == print_ecu_reply && some_ecu_failed(r) ? CLI_FINDINGS : CLI_OK;
			} else {
				/* No ECU answered: each one's reason, when there are several. */
				json_object *err = json_object_object_get(reply, "error");
				if (printer == print_ecu_reply && json_object_object_get(err, "ecus"))
					print_ecu_reply(err);
				rc = CLI_FINDINGS;
			}
			json_object_put(reply);
		}
	}
	evgw_textbuf_free(&req);
	conn_close(&c);
	return rc;
}
