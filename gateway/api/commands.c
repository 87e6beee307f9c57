// SPDX-License-Identifier: MIT
/* The API's commands, one function each, found by name in a table. */
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "api/api_internal.h"
#include "daemon/ecu_requests.h"
#include "daemon/j1939_listener.h"
#include "daemon/recorder.h"
#include "j1939/j1939_addr.h"
#include "dbc/dbc_index.h"
#include "j1939/j1939_dm.h"
#include "dbc/dbc_json.h"
#include "vehicle/profile.h"

#ifndef EVGW_VERSION
#define EVGW_VERSION "0.0.0"
#endif

struct cmd_ctx {
	struct evgw_client *c;
	json_object *req;
	const char *id_json;
	struct evgw_textbuf *res;
	const char *err_code; /* set: the command failed */
	char err[256];
	bool deferred;        /* the reply comes later (a request on the bus) */
};

static void fail(struct cmd_ctx *x, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct cmd_ctx *x, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->err, sizeof x->err, fmt, ap);
	va_end(ap);
	x->err_code = code;
}

const char *api_get_string(json_object *o, const char *key, const char **bad)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v))
		return NULL;
	if (!json_object_is_type(v, json_type_string)) {
		if (bad && !*bad)
			*bad = key;
		return NULL;
	}
	return json_object_get_string(v);
}

bool api_get_double(json_object *o, const char *key, double *out, const char **bad)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v))
		return false;
	if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double)) {
		if (bad && !*bad)
			*bad = key;
		return false;
	}
	*out = json_object_get_double(v);
	return true;
}

/* A string argument; a wrong type fails the command. */
static bool arg_string(struct cmd_ctx *x, const char *key, const char **out)
{
	const char *bad = NULL;
	*out = api_get_string(x->req, key, &bad);
	if (bad)
		fail(x, "bad_request", "\"%s\" must be a string", key);
	return !bad;
}

static void json_str(struct evgw_textbuf *tb, const char *s)
{
	if (s)
		evgw_textbuf_json_string(tb, s, strlen(s), false);
	else
		evgw_textbuf_puts(tb, "null");
}

static struct evgw_daemon *daemon_of(struct cmd_ctx *x)
{
	return x->c->api->d;
}

/* A bus named in the request ("bus"), required or optional. */
static bool want_station(struct cmd_ctx *x, bool required, struct evgw_station **out)
{
	const char *name;
	*out = NULL;
	if (!arg_string(x, "bus", &name))
		return false;
	if (!name) {
		if (required)
			fail(x, "bad_request", "\"bus\" (a bus name) is required");
		return !required;
	}
	*out = evgw_daemon_station(daemon_of(x), name);
	if (!*out)
		fail(x, "not_found", "no bus named '%s'", name);
	return *out != NULL;
}

/* A bus's station (the daemon keeps them in bus index order). */
static struct evgw_station *station_of(struct evgw_daemon *d, const struct evgw_bus *b)
{
	return d->stations[b->index];
}

static struct evgw_bus *bus_named(struct evgw_daemon *d, const char *name)
{
	struct evgw_station *st = evgw_daemon_station(d, name);
	return st ? st->bus : NULL;
}

/* The same, for commands that need only the frame path. */
static bool want_bus(struct cmd_ctx *x, bool required, struct evgw_bus **out)
{
	struct evgw_station *st;
	bool ok = want_station(x, required, &st);
	*out = ok && st ? st->bus : NULL;
	return ok;
}

static void put_command_names(struct evgw_textbuf *tb);

static void cmd_hello(struct cmd_ctx *x)
{
	evgw_textbuf_printf(x->res, "{\"daemon\":\"evgwd\",\"version\":\"%s\",\"protocol\":%d,"
			    "\"capabilities\":[", EVGW_VERSION, EVGW_API_PROTOCOL);
	put_command_names(x->res);
	evgw_textbuf_printf(x->res, "],\"topics\":[\"signals\",\"frames\",\"bus\",\"faults\"],"
			    "\"uid\":%u,\"admin\":%s}",
			    (unsigned)x->c->uid, x->c->admin ? "true" : "false");
}

static void cmd_status(struct cmd_ctx *x)
{
	struct evgw_daemon *d = daemon_of(x);
	uint64_t frames = 0;
	for (unsigned i = 0; i < d->n_stations; i++)
		frames += d->stations[i]->bus->rx_frames;
	evgw_textbuf_printf(x->res,
			    "{\"daemon\":\"evgwd\",\"version\":\"%s\",\"pid\":%d,\"uptime_s\":%.3f,"
			    "\"demo\":%s,\"config\":",
			    EVGW_VERSION, (int)getpid(),
			    (double)(evgw_now_mono_us() - d->start_mono_us) / 1e6, d->demo ? "true" : "false");
	json_str(x->res, d->config_path);
	evgw_textbuf_puts(x->res, ",\"socket\":");
	json_str(x->res, evgw_api_socket_path(x->c->api));
	evgw_textbuf_printf(x->res,
			    ",\"buses\":%u,\"clients\":%u,\"frames\":%" PRIu64 ",\"requests\":%" PRIu64
			    ",\"dropped_clients\":%" PRIu64 ",\"reloads\":%" PRIu64
			    ",\"reload_failures\":%" PRIu64 "}",
			    d->n_stations, evgw_api_client_count(x->c->api), frames, x->c->api->requests,
			    x->c->api->dropped_clients, d->reloads, d->reload_failures);
}

static void bus_json(struct evgw_textbuf *tb, const struct evgw_station *st)
{
	const struct evgw_bus *b = st->bus;
	evgw_textbuf_puts(tb, "{\"name\":");
	json_str(tb, b->name);
	evgw_textbuf_puts(tb, ",\"profile\":");
	json_str(tb, st->profile ? st->profile->name : NULL);
	evgw_textbuf_puts(tb, ",\"recording\":");
	json_str(tb, evgw_recorder_path(st));
	evgw_textbuf_puts(tb, ",\"driver\":");
	json_str(tb, b->ops->name);
	evgw_textbuf_puts(tb, ",\"device\":");
	json_str(tb, b->params.device);
	evgw_textbuf_printf(tb,
			    ",\"bitrate\":%" PRIu32 ",\"mode\":\"%s\",\"state\":\"%s\",\"rx_frames\":%" PRIu64
			    ",\"tx_frames\":%" PRIu64 ",\"fps\":%.1f,\"decoded\":%" PRIu64
			    ",\"unknown\":%" PRIu64 ",\"error_frames\":%" PRIu64 ",\"overruns\":%" PRIu64
			    ",\"rx_errors\":%" PRIu32 ",\"tx_errors\":%" PRIu32 ",\"ids\":%" PRIu32
			    ",\"signals\":%" PRIu32 ",\"bus_errors\":%" PRIu64
			    ",\"bus_offs\":%" PRIu64 ",\"lost_arbitration\":%" PRIu64 ",\"link_errors\":%" PRIu64
			    ",\"tx_dropped\":%" PRIu64 ",\"dbc\":[",
			    b->params.bitrate, b->params.listen_only ? "listen-only" : "diagnostic",
			    evgw_bus_state_name(b->state), b->rx_frames, b->tx_frames, b->fps,
			    b->rx_decoded, b->rx_unknown, b->rx_error_frames,
			    b->drv_status.overruns + b->errs.controller_overruns,
			    b->drv_status.rx_errors, b->drv_status.tx_errors, b->n_ids, b->n_slots,
			    b->errs.bus_errors, b->errs.bus_offs, b->errs.lost_arbitration,
			    b->drv_status.link_errors, b->drv_status.tx_dropped);
	for (unsigned i = 0; i < b->n_dbs; i++) {
		if (i)
			evgw_textbuf_putc(tb, ',');
		json_str(tb, b->dbs[i]->path);
	}
	evgw_textbuf_puts(tb, "]}");
}

static void cmd_buses(struct cmd_ctx *x)
{
	struct evgw_daemon *d = daemon_of(x);
	evgw_textbuf_putc(x->res, '[');
	for (unsigned i = 0; i < d->n_stations; i++) {
		if (i)
			evgw_textbuf_putc(x->res, ',');
		bus_json(x->res, d->stations[i]);
	}
	evgw_textbuf_putc(x->res, ']');
}

static int cmp_ids(const void *a, const void *b)
{
	const struct evgw_id_stats *const *x = a, *const *y = b;
	uint32_t ka = (*x)->key & EVGW_CAN_EFF_MASK, kb = (*y)->key & EVGW_CAN_EFF_MASK;
	return (ka > kb) - (ka < kb);
}

static void cmd_messages(struct cmd_ctx *x)
{
	struct evgw_bus *b;
	if (!want_bus(x, true, &b))
		return;
	const struct evgw_id_stats **v = malloc(EVGW_BUS_MAX_IDS * sizeof *v);
	if (!v) {
		fail(x, "internal", "out of memory");
		return;
	}
	uint32_t n = 0;
	for (uint32_t i = 0; i < EVGW_BUS_MAX_IDS * 2; i++)
		if (b->ids[i].key != 0xFFFFFFFFu && n < EVGW_BUS_MAX_IDS)
			v[n++] = &b->ids[i];
	qsort(v, n, sizeof *v, cmp_ids);
	int64_t now = evgw_now_mono_us();
	evgw_textbuf_putc(x->res, '[');
	for (uint32_t i = 0; i < n; i++) {
		const struct evgw_id_stats *e = v[i];
		if (i)
			evgw_textbuf_putc(x->res, ',');
		evgw_textbuf_printf(x->res, "{\"id\":%" PRIu32 ",\"extended\":%s,\"message\":",
				    e->key & EVGW_CAN_EFF_MASK, (e->key & DBC_EXT_FLAG) ? "true" : "false");
		if (e->msg)
			dbc_json_text(x->res, b->dbs[e->db], e->msg->name);
		else
			evgw_textbuf_puts(x->res, "null");
		evgw_textbuf_printf(x->res,
				    ",\"count\":%" PRIu64 ",\"period_ms\":%.3f,\"cycle_ms\":%" PRIu32
				    ",\"last_age_ms\":%.3f,\"missing\":%s,\"checksum_errors\":%" PRIu64
				    ",\"counter_errors\":%" PRIu64 "}",
				    e->count, (double)e->period_us / 1000.0, e->msg ? e->msg->cycle_time_ms : 0,
				    (double)(now - e->last_us) / 1000.0, e->missing ? "true" : "false",
				    e->integ.checksum_errors, e->integ.counter_errors);
	}
	evgw_textbuf_putc(x->res, ']');
	free(v);
}

bool api_signal_matches(const char *glob, const struct dbc_db *db, const struct dbc_message *m,
			const struct dbc_signal *s)
{
	if (!glob || !strcmp(glob, "*"))
		return true;
	char name[512];
	struct evgw_str mn = dbc_str(db, m->name), sn = dbc_str(db, s->name);
	snprintf(name, sizeof name, "%.*s", (int)sn.len, sn.ptr);
	if (fnmatch(glob, name, 0) == 0)
		return true;
	snprintf(name, sizeof name, "%.*s.%.*s", (int)mn.len, mn.ptr, (int)sn.len, sn.ptr);
	return fnmatch(glob, name, 0) == 0;
}

void api_signal_json(struct evgw_textbuf *tb, const struct evgw_bus *b, unsigned db,
		     const struct dbc_message *m, const struct dbc_signal *s,
		     const struct evgw_sig_slot *slot)
{
	const struct dbc_db *d = b->dbs[db];
	struct dbc_value v = {s, slot->raw, slot->phys};
	evgw_textbuf_puts(tb, "{\"bus\":");
	json_str(tb, b->name);
	evgw_textbuf_puts(tb, ",\"message\":");
	dbc_json_text(tb, d, m->name);
	evgw_textbuf_puts(tb, ",\"signal\":");
	dbc_json_text(tb, d, s->name);
	evgw_textbuf_puts(tb, ",\"value\":");
	dbc_json_value(tb, &v);
	evgw_textbuf_printf(tb, ",\"raw\":%" PRIu64 ",\"unit\":", slot->raw);
	dbc_json_text(tb, d, s->unit);
	evgw_textbuf_puts(tb, ",\"label\":");
	const struct dbc_text *label = dbc_signal_label(s, slot->raw);
	if (label)
		dbc_json_text(tb, d, *label);
	else
		evgw_textbuf_puts(tb, "null");
	evgw_textbuf_printf(tb, ",\"ts\":%" PRId64 ".%06" PRId64, slot->ts_us / 1000000,
			    slot->ts_us % 1000000);
	if (slot->sa >= 0)
		evgw_textbuf_printf(tb, ",\"source_address\":%d", slot->sa);
	evgw_textbuf_putc(tb, '}');
}

struct signal_list {
	struct evgw_textbuf *tb;
	const char *glob;
	bool first;
};

static int list_signal(void *ud, struct evgw_bus *b, unsigned db, const struct dbc_message *m,
		       const struct dbc_signal *s, struct evgw_sig_slot *slot)
{
	struct signal_list *sl = ud;
	if (!slot->seq || !api_signal_matches(sl->glob, b->dbs[db], m, s))
		return 0;
	if (!sl->first)
		evgw_textbuf_putc(sl->tb, ',');
	sl->first = false;
	api_signal_json(sl->tb, b, db, m, s, slot);
	return 0;
}

static void cmd_signals(struct cmd_ctx *x)
{
	struct evgw_bus *only;
	if (!want_bus(x, false, &only))
		return;
	struct signal_list sl = {x->res, NULL, true};
	if (!arg_string(x, "glob", &sl.glob))
		return;
	struct evgw_daemon *d = daemon_of(x);
	evgw_textbuf_putc(x->res, '[');
	for (unsigned bi = 0; bi < d->n_stations; bi++)
		if (!only || d->stations[bi]->bus == only)
			evgw_bus_for_each_signal(d->stations[bi]->bus, list_signal, &sl);
	evgw_textbuf_putc(x->res, ']');
}

static void cmd_dbc(struct cmd_ctx *x)
{
	struct evgw_daemon *d = daemon_of(x);
	bool first = true;
	evgw_textbuf_putc(x->res, '[');
	for (unsigned bi = 0; bi < d->n_stations; bi++) {
		struct evgw_bus *b = d->stations[bi]->bus;
		for (unsigned di = 0; di < b->n_dbs; di++) {
			const struct dbc_db *db = b->dbs[di];
			if (!first)
				evgw_textbuf_putc(x->res, ',');
			first = false;
			evgw_textbuf_puts(x->res, "{\"bus\":");
			json_str(x->res, b->name);
			evgw_textbuf_puts(x->res, ",\"file\":");
			json_str(x->res, db->path);
			evgw_textbuf_puts(x->res, ",\"version\":");
			dbc_json_text(x->res, db, db->version);
			evgw_textbuf_printf(x->res,
					    ",\"messages\":%u,\"signals\":%u,\"nodes\":%u,\"warnings\":%u,"
					    "\"errors\":%u}",
					    db->n_messages, db->n_signals, db->n_nodes, db->n_warnings,
					    db->n_errors);
		}
	}
	evgw_textbuf_putc(x->res, ']');
}

static void cmd_subscribe(struct cmd_ctx *x)
{
	api_subscribe(x->c, x->req, x->res, &x->err_code, x->err, sizeof x->err);
}

static void cmd_unsubscribe(struct cmd_ctx *x)
{
	if (api_unsubscribe(x->c, x->req, &x->err_code, x->err, sizeof x->err) == 0)
		evgw_textbuf_puts(x->res, "{}");
}

static void cmd_record(struct cmd_ctx *x)
{
	struct evgw_station *st;
	const char *action;
	if (!arg_string(x, "action", &action))
		return;
	if (!action || (strcmp(action, "start") && strcmp(action, "stop"))) {
		fail(x, "bad_request", "\"action\" must be \"start\" or \"stop\"");
		return;
	}
	if (!want_station(x, true, &st))
		return;
	if (!strcmp(action, "stop")) {
		uint64_t frames = 0, bytes = 0;
		if (evgw_recorder_stop(st, &frames, &bytes) < 0) {
			fail(x, "not_found", "bus '%s' is not being recorded", st->bus->name);
			return;
		}
		evgw_textbuf_printf(x->res, "{\"frames\":%" PRIu64 ",\"bytes\":%" PRIu64 "}", frames, bytes);
		return;
	}
	const char *file;
	if (!arg_string(x, "file", &file))
		return;
	if (!file || !*file) {
		fail(x, "bad_request", "\"file\" is required");
		return;
	}
	char path[4096];
	int r = evgw_recorder_start(st, file, x->c->admin, path, sizeof path, x->err, sizeof x->err);
	if (r < 0) {
		x->err_code = r == -EPERM ? "permission_denied" : r == -EBUSY ? "busy" : r == -EINVAL ? "bad_request"
			      : r == -EEXIST ? "exists" : "io_error";
		return;
	}
	evgw_textbuf_puts(x->res, "{\"file\":");
	json_str(x->res, path);
	evgw_textbuf_putc(x->res, '}');
}

struct fault_list {
	struct evgw_textbuf *tb;
	const char *bus;
	unsigned n;
};

static void list_fault(void *ud, const struct evgw_fault *f)
{
	struct fault_list *fl = ud;
	if (fl->bus && strcmp(fl->bus, f->bus))
		return;
	if (fl->n++)
		evgw_textbuf_putc(fl->tb, ',');
	api_fault_json(fl->tb, f);
}

/* Active faults from memory; history: everything in the store. */
static void cmd_faults(struct cmd_ctx *x)
{
	struct evgw_bus *b;
	if (!want_bus(x, false, &b))
		return;
	json_object *h = NULL;
	bool history = false;
	if (json_object_object_get_ex(x->req, "history", &h)) {
		if (!json_object_is_type(h, json_type_boolean)) {
			fail(x, "bad_request", "\"history\" must be true or false");
			return;
		}
		history = json_object_get_boolean(h);
	}
	const char *status;
	if (!arg_string(x, "status", &status))
		return;
	int want = status ? evgw_fault_status_parse(status) : 0;
	if (status && want < 0) {
		fail(x, "bad_request", "\"status\" must be active, stored, pending or cleared");
		return;
	}
	struct evgw_daemon *d = daemon_of(x);
	/* What a client is told is on disk first. */
	evgw_faults_flush(&d->faults, evgw_now_real_us());
	struct fault_list fl = {x->res, b ? b->name : NULL, 0};
	evgw_textbuf_putc(x->res, '[');
	if (history && d->store) {
		if (evgw_store_list(d->store, want, 1000, list_fault, &fl) < 0) {
			fail(x, "io_error", "the fault store could not be read");
			return;
		}
	} else {
		for (unsigned i = 0; i < d->faults.n; i++) {
			const struct evgw_fault *f = d->faults.faults[i];
			if (d->store && !f->id)
				continue; /* not written yet (the store is failing) */
			if (want ? (int)f->status == want : (history || f->status == EVGW_FS_ACTIVE))
				list_fault(&fl, f);
		}
	}
	evgw_textbuf_putc(x->res, ']');
}

/* One bus's claimed addresses as array elements; the profile's name for
 * an address when it has one. */
static unsigned ecus_json(struct evgw_textbuf *tb, const struct evgw_station *st, bool first)
{
	const struct j1939_addr_table *t = evgw_j1939_listener_addresses(st->j1939);
	unsigned n = 0;
	for (unsigned sa = 0; sa < J1939_ADDR_COUNT; sa++) {
		const struct j1939_addr_entry *e = &t->a[sa];
		if (!e->used)
			continue;
		struct j1939_name nm;
		j1939_name_decode(e->name, &nm);
		const struct evgw_profile_ecu *pe = evgw_profile_ecu_by_address(st->profile, (uint8_t)sa);
		if (!first || n)
			evgw_textbuf_putc(tb, ',');
		evgw_textbuf_puts(tb, "{\"bus\":");
		json_str(tb, st->bus->name);
		evgw_textbuf_printf(tb, ",\"protocol\":\"j1939\",\"address\":%u,\"ecu_name\":", sa);
		json_str(tb, pe ? pe->name : NULL);
		evgw_textbuf_printf(tb,
				    ",\"name\":\"%016" PRIX64 "\",\"function\":%u,\"function_instance\":%u,"
				    "\"ecu_instance\":%u,\"manufacturer\":%u,\"identity\":%" PRIu32
				    ",\"industry_group\":%u,\"vehicle_system\":%u,\"arbitrary_address\":%s,"
				    "\"claims\":%" PRIu32 "}",
				    e->name, nm.function, nm.function_instance, nm.ecu_instance, nm.manufacturer,
				    nm.identity, nm.industry_group, nm.vehicle_system,
				    nm.arbitrary_address ? "true" : "false", e->claims);
		n++;
	}
	return n;
}

/* The ECUs each bus has heard: J1939 address claims so far. */
static void cmd_ecus(struct cmd_ctx *x)
{
	struct evgw_bus *only;
	if (!want_bus(x, false, &only))
		return;
	struct evgw_daemon *d = daemon_of(x);
	unsigned n = 0;
	evgw_textbuf_putc(x->res, '[');
	for (unsigned i = 0; i < d->n_stations; i++) {
		const struct evgw_station *st = d->stations[i];
		if ((!only || only == st->bus) && st->j1939)
			n += ecus_json(x->res, st, n == 0);
	}
	evgw_textbuf_putc(x->res, ']');
}

/* A reply waiting for an ECU's answer. */
struct pending_reply {
	struct evgw_client *c;
	char *id_json;
};

/* The reply owed to this request once the ECU has answered; NULL (and an
 * "internal" error sent) when out of memory. */
static struct pending_reply *pending_reply_new(struct cmd_ctx *x)
{
	struct pending_reply *p = calloc(1, sizeof *p);
	if (!p || !(p->id_json = strdup(x->id_json))) {
		free(p);
		fail(x, "internal", "out of memory");
		return NULL;
	}
	p->c = x->c;
	return p;
}

static void diag_done(void *ud, const struct evgw_textbuf *result, const char *code, const char *err)
{
	struct pending_reply *p = ud;
	if (!p->c->dead) {
		if (code)
			api_reply_error(p->c, p->id_json, code, "%s", err);
		else
			api_reply_ok(p->c, p->id_json, result);
	}
	api_client_release(p->c);
	free(p->id_json);
	free(p);
}

/* "7E7" or 2023: the request id; the response id is "rx", else 8 above
 * the request id (ISO 15765-4 physical addressing, 0x7E0..0x7E7). */
/* "obd" (or 7DF): every OBD-II ECU, by a functional request. */
static bool ecu_is_obd(struct cmd_ctx *x)
{
	json_object *v;
	if (!json_object_object_get_ex(x->req, "ecu", &v) || !json_object_is_type(v, json_type_string))
		return false;
	const char *s = json_object_get_string(v);
	return !strcasecmp(s, "obd") || !strcasecmp(s, "7DF");
}

static bool want_ecu(struct cmd_ctx *x, uint32_t *tx, uint32_t *rx)
{
	json_object *v;
	if (!json_object_object_get_ex(x->req, "ecu", &v)) {
		fail(x, "bad_request", "\"ecu\" (the ECU's request id, e.g. \"7E7\") is required");
		return false;
	}
	long long id = -1;
	if (json_object_is_type(v, json_type_int)) {
		id = json_object_get_int64(v);
	} else if (json_object_is_type(v, json_type_string)) {
		char *end;
		const char *s = json_object_get_string(v);
		id = strtoll(s, &end, 16);
		if (!*s || *end)
			id = -1;
	}
	if (id < 0 || id > 0x7F7) {
		fail(x, "bad_request", "\"ecu\" must be an 11-bit request id (hex string or number)");
		return false;
	}
	*tx = (uint32_t)id;
	double r = 0;
	const char *bad = NULL;
	*rx = api_get_double(x->req, "rx", &r, &bad) && r >= 0 && r <= 0x7FF ? (uint32_t)r : *tx + 8;
	return true;
}

/* "j1939" (every ECU) or "j1939:F3" (one source address): J1939-73. */
static bool ecu_is_j1939(struct cmd_ctx *x, uint8_t *da)
{
	json_object *v;
	if (!json_object_object_get_ex(x->req, "ecu", &v) || !json_object_is_type(v, json_type_string))
		return false;
	const char *s = json_object_get_string(v);
	if (strncasecmp(s, "j1939", 5) || (s[5] && s[5] != ':'))
		return false;
	*da = 0xFF;
	if (s[5] == ':') {
		char *end;
		unsigned long sa = strtoul(s + 6, &end, 16);
		*da = !s[6] || *end || sa > 0xFD ? 0xFE : (uint8_t)sa; /* 0xFE: not valid */
	}
	return true;
}

/* A request that could not start: the pending reply goes, the caller is told. */
static void diag_refused(struct cmd_ctx *x, const struct evgw_bus *b, struct pending_reply *p, int rc,
			 const char *busy)
{
	free(p->id_json);
	free(p);
	if (rc == -EPERM)
		fail(x, "permission_denied", "bus '%s' is listen-only: set mode = diagnostic to query ECUs", b->name);
	else if (rc == -EBUSY)
		fail(x, "busy", "bus '%s' is already %s", b->name, busy);
	else if (rc == -ENODEV)
		fail(x, "not_found", "bus '%s' does not speak J1939", b->name);
	else if (rc == -EADDRINUSE)
		fail(x, "address_in_use", "bus '%s': J1939 address 0xF9 is held by a higher-priority ECU; "
					  "evgw stays silent there", b->name);
	else if (rc == -EINVAL)
		fail(x, "bad_request", "J1939: read-dtc (DM2) or clear-dtc (DM11, or \"dm\":3) with "
				       "\"ecu\":\"j1939\" or \"j1939:SA\" (SA in hex, 00..FD)");
	else
		fail(x, "io_error", "cannot send on bus '%s': %s", b->name, strerror(-rc));
}

static bool run_j1939(struct cmd_ctx *x, struct evgw_bus *b, enum evgw_diag_kind kind,
		      struct pending_reply *p)
{
	uint8_t da;
	if (!ecu_is_j1939(x, &da))
		return false;
	struct evgw_daemon *d = daemon_of(x);
	double dm = 11;
	const char *bad = NULL;
	api_get_double(x->req, "dm", &dm, &bad);
	uint32_t pgn = kind == EVGW_DIAG_READ_DTC ? J1939_PGN_DM2 : dm == 3 ? J1939_PGN_DM3 : J1939_PGN_DM11;
	int rc = da == 0xFE || kind == EVGW_DIAG_READ_DID ? -EINVAL
		 : !station_of(d, b)->j1939			   ? -ENODEV
							   : evgw_j1939_request(station_of(d, b)->j1939, pgn, da, diag_done, p);
	if (rc < 0) {
		diag_refused(x, b, p, rc, "waiting for J1939 answers");
		return true;
	}
	api_client_hold(x->c);
	x->deferred = true;
	return true;
}

/* Several ECUs of a profile asked one after the other ("ecu":"all"). */
struct multi_reply {
	struct evgw_client *c;
	char *id_json;
	struct evgw_daemon *d;
	char bus[33];
	struct evgw_diag_request req;
	const struct evgw_profile_ecu *ecus[EVGW_PROFILE_MAX_ECUS];
	unsigned n, pos;
	struct evgw_textbuf tb;
};

static void multi_done(void *ud, const struct evgw_textbuf *result, const char *code, const char *err);

static void multi_entry_head(struct multi_reply *m, const struct evgw_profile_ecu *e)
{
	evgw_textbuf_printf(&m->tb, "%s{\"ecu\":\"%s\",\"protocol\":\"%s\",\"request\":%" PRIu32 ",", m->pos ? "," : "",
			    e->name, evgw_profile_protocol_name(e->protocol), e->request);
}

/* Start the next ECU; at the end, reply. A request that cannot start is
 * recorded as that ECU's error and the next one is tried. */
static void multi_next(struct multi_reply *m)
{
	/* The bus may have gone with a reload: look it up again by name. */
	struct evgw_bus *b = m->c->dead ? NULL : bus_named(m->d, m->bus);
	while (b && m->pos < m->n) {
		const struct evgw_profile_ecu *e = m->ecus[m->pos];
		struct evgw_diag_request r = m->req;
		r.tx_id = e->request;
		r.rx_id = e->response;
		int rc = station_of(m->d, b)->ecu ? evgw_diag_run(station_of(m->d, b)->ecu, &r, multi_done, m) : -EIO;
		if (rc == 0)
			return;
		multi_entry_head(m, e);
		evgw_textbuf_printf(&m->tb, "\"error\":{\"code\":\"%s\",\"message\":\"cannot send: %s\"}}",
				    rc == -EBUSY ? "busy" : "io_error", strerror(-rc));
		m->pos++;
	}
	if (!m->c->dead) {
		if (!b)
			api_reply_error(m->c, m->id_json, "gone", "bus '%s' went away", m->bus);
		else {
			evgw_textbuf_puts(&m->tb, "]}");
			if (m->tb.failed)
				api_reply_error(m->c, m->id_json, "internal", "out of memory");
			else
				api_reply_ok(m->c, m->id_json, &m->tb);
		}
	}
	api_client_release(m->c);
	evgw_textbuf_free(&m->tb);
	free(m->id_json);
	free(m);
}

static void multi_done(void *ud, const struct evgw_textbuf *result, const char *code, const char *err)
{
	struct multi_reply *m = ud;
	multi_entry_head(m, m->ecus[m->pos]);
	if (code) {
		evgw_textbuf_printf(&m->tb, "\"error\":{\"code\":\"%s\",\"message\":", code);
		evgw_textbuf_json_string(&m->tb, err ? err : "", err ? strlen(err) : 0, false);
		evgw_textbuf_puts(&m->tb, "}}");
	} else {
		evgw_textbuf_puts(&m->tb, "\"result\":");
		if (result && result->len)
			evgw_textbuf_append(&m->tb, result->buf, result->len);
		else
			evgw_textbuf_puts(&m->tb, "null");
		evgw_textbuf_putc(&m->tb, '}');
	}
	m->pos++;
	/* The bus's diagnostics are being torn down (reload, exit): ask no more. */
	if (code && !strcmp(code, "gone"))
		m->pos = m->n;
	multi_next(m);
}

/* "ecu":"all": every UDS/KWP ECU of the bus's profile (11-bit ids). */
static void run_profile_all(struct cmd_ctx *x, struct evgw_bus *b, enum evgw_diag_kind kind, uint16_t did)
{
	struct evgw_daemon *d = daemon_of(x);
	if (b->params.listen_only) {
		fail(x, "permission_denied", "bus '%s' is listen-only: set mode = diagnostic to query ECUs", b->name);
		return;
	}
	struct multi_reply *m = calloc(1, sizeof *m);
	if (!m || !(m->id_json = strdup(x->id_json))) {
		free(m);
		fail(x, "internal", "out of memory");
		return;
	}
	const struct evgw_profile *p = station_of(daemon_of(x), b)->profile;
	for (unsigned i = 0; i < p->n_ecus; i++) {
		const struct evgw_profile_ecu *e = &p->ecus[i];
		if ((e->protocol == EVGW_PROFILE_UDS || e->protocol == EVGW_PROFILE_KWP) && !e->extended &&
		    evgw_profile_ecu_on_bus(p, e, b->name))
			m->ecus[m->n++] = e;
	}
	if (!m->n) {
		free(m->id_json);
		free(m);
		fail(x, "not_found", "profile %s names no UDS or KWP ECU with 11-bit ids on bus '%s'", p->name, b->name);
		return;
	}
	m->c = x->c;
	m->d = d;
	snprintf(m->bus, sizeof m->bus, "%s", b->name);
	m->req = (struct evgw_diag_request){.kind = kind, .did = did};
	evgw_textbuf_init(&m->tb);
	evgw_textbuf_printf(&m->tb, "{\"profile\":\"%s\",\"ecus\":[", p->name);
	api_client_hold(x->c);
	x->deferred = true;
	multi_next(m);
}

/* The "ecu" argument when it is a string, else NULL. */
static const char *ecu_string(struct cmd_ctx *x)
{
	json_object *v;
	if (!json_object_object_get_ex(x->req, "ecu", &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static void run_diag(struct cmd_ctx *x, enum evgw_diag_kind kind, uint16_t did, const char *did_name)
{
	struct evgw_bus *b;
	uint32_t tx = 0x7DF, rx = 0;
	if (!want_bus(x, true, &b))
		return;
	/* A profile's names: "ecu":"all" or an [ecu] name, "did" as a [did] name. */
	const char *ecu_s = ecu_string(x);
	const struct evgw_profile_ecu *pe = NULL;
	if (did_name) {
		const struct evgw_profile_did *pd = station_of(daemon_of(x), b)->profile ? evgw_profile_did(station_of(daemon_of(x), b)->profile, did_name) : NULL;
		if (!pd) {
			fail(x, "not_found", "bus '%s' has no profile DID named '%s'", b->name, did_name);
			return;
		}
		did = pd->did;
		if (!ecu_s && !json_object_object_get_ex(x->req, "ecu", NULL))
			pe = &station_of(daemon_of(x), b)->profile->ecus[pd->ecu];
	}
	if (ecu_s && !strcasecmp(ecu_s, "all")) {
		if (!station_of(daemon_of(x), b)->profile) {
			fail(x, "bad_request", "\"ecu\":\"all\" needs a vehicle profile on bus '%s' (profile = NAME)",
			     b->name);
			return;
		}
		run_profile_all(x, b, kind, did);
		return;
	}
	if (ecu_s && station_of(daemon_of(x), b)->profile && !pe)
		pe = evgw_profile_ecu(station_of(daemon_of(x), b)->profile, ecu_s);
	if (pe) {
		if (pe->protocol == EVGW_PROFILE_J1939) {
			if (kind == EVGW_DIAG_READ_DID) {
				fail(x, "bad_request", "ECU %s speaks J1939: no DIDs to read", pe->name);
				return;
			}
			uint8_t da = (uint8_t)pe->address;
			struct pending_reply *jp = pending_reply_new(x);
			if (!jp)
				return;
			struct evgw_daemon *d = daemon_of(x);
			double dm = 11;
			const char *bad = NULL;
			api_get_double(x->req, "dm", &dm, &bad);
			uint32_t pgn = kind == EVGW_DIAG_READ_DTC ? J1939_PGN_DM2 : dm == 3 ? J1939_PGN_DM3 : J1939_PGN_DM11;
			int rc = !station_of(d, b)->j1939 ? -ENODEV : evgw_j1939_request(station_of(d, b)->j1939, pgn, da, diag_done, jp);
			if (rc < 0) {
				diag_refused(x, b, jp, rc, "waiting for J1939 answers");
				return;
			}
			api_client_hold(x->c);
			x->deferred = true;
			return;
		}
		if (pe->extended) {
			fail(x, "bad_request", "ECU %s uses 29-bit ids: not supported by read-dtc yet", pe->name);
			return;
		}
		if (pe->protocol == EVGW_PROFILE_OBD) {
			if (kind == EVGW_DIAG_READ_DID && did != 0xF190) {
				fail(x, "bad_request", "read-did needs one ECU; OBD-II reads the VIN with the vin command");
				return;
			}
			kind = kind == EVGW_DIAG_READ_DTC    ? EVGW_DIAG_OBD_DTC
			       : kind == EVGW_DIAG_CLEAR_DTC ? EVGW_DIAG_OBD_CLEAR
							     : EVGW_DIAG_OBD_VIN;
		} else {
			tx = pe->request;
			rx = pe->response;
		}
		goto run;
	}
	uint8_t j1939_da;
	if (ecu_is_j1939(x, &j1939_da)) {
		struct pending_reply *jp = pending_reply_new(x);
		if (!jp)
			return;
		run_j1939(x, b, kind, jp);
		return;
	}
	if (ecu_is_obd(x)) {
		if (kind == EVGW_DIAG_READ_DID && did != 0xF190) {
			fail(x, "bad_request", "read-did needs one ECU; OBD-II reads the VIN with the vin command");
			return;
		}
		kind = kind == EVGW_DIAG_READ_DTC    ? EVGW_DIAG_OBD_DTC
		       : kind == EVGW_DIAG_CLEAR_DTC ? EVGW_DIAG_OBD_CLEAR
						     : EVGW_DIAG_OBD_VIN;
	} else if (!want_ecu(x, &tx, &rx)) {
		return;
	}
run:;
	struct evgw_daemon *d = daemon_of(x);
	struct pending_reply *p = pending_reply_new(x);
	if (!p)
		return;
	struct evgw_diag_request r = {.kind = kind, .tx_id = tx, .rx_id = rx, .did = did};
	int rc = station_of(d, b)->ecu ? evgw_diag_run(station_of(d, b)->ecu, &r, diag_done, p) : -EIO;
	if (rc < 0) {
		diag_refused(x, b, p, rc, "talking to an ECU");
		return;
	}
	api_client_hold(x->c);
	x->deferred = true;
}

static void cmd_read_dtc(struct cmd_ctx *x)
{
	run_diag(x, EVGW_DIAG_READ_DTC, 0, NULL);
}

static void cmd_clear_dtc(struct cmd_ctx *x)
{
	if (!x->c->admin) {
		fail(x, "permission_denied", "clearing DTCs changes the ECU: admin only (root or the admin group)");
		return;
	}
	run_diag(x, EVGW_DIAG_CLEAR_DTC, 0, NULL);
}

static void cmd_read_did(struct cmd_ctx *x)
{
	double did = -1;
	const char *bad = NULL;
	json_object *v;
	if (json_object_object_get_ex(x->req, "did", &v) && json_object_is_type(v, json_type_string)) {
		run_diag(x, EVGW_DIAG_READ_DID, 0, json_object_get_string(v)); /* a profile's [did] name */
		return;
	}
	if (!api_get_double(x->req, "did", &did, &bad) || did < 0 || did > 0xFFFF || did != (double)(long)did) {
		fail(x, "bad_request", "\"did\" (a data identifier, 0..65535, or a profile DID name) is required");
		return;
	}
	run_diag(x, EVGW_DIAG_READ_DID, (uint16_t)did, NULL);
}

static void cmd_vin(struct cmd_ctx *x)
{
	run_diag(x, EVGW_DIAG_READ_DID, 0xF190, NULL);
}

/* Mode 01 live data from every OBD-II ECU: "ecu" is "obd" (the default),
 * "7DF" or a profile ECU that speaks OBD-II; "pids" optionally narrows it. */
static void cmd_read_pids(struct cmd_ctx *x)
{
	struct evgw_bus *b;
	if (!want_bus(x, true, &b))
		return;
	const char *ecu = NULL;
	if (!arg_string(x, "ecu", &ecu))
		return;
	const struct evgw_profile_ecu *pe = ecu && station_of(daemon_of(x), b)->profile ? evgw_profile_ecu(station_of(daemon_of(x), b)->profile, ecu) : NULL;
	if (ecu && strcasecmp(ecu, "obd") && strcasecmp(ecu, "7DF") && !(pe && pe->protocol == EVGW_PROFILE_OBD)) {
		fail(x, "bad_request", "read-pids asks every OBD-II ECU: \"ecu\":\"obd\" (or leave it out)");
		return;
	}
	struct evgw_diag_request r = {.kind = EVGW_DIAG_OBD_PIDS, .tx_id = 0x7DF};
	json_object *v;
	if (json_object_object_get_ex(x->req, "pids", &v)) {
		size_t n = json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;
		bool ok = n >= 1 && n <= EVGW_DIAG_MAX_PIDS;
		for (size_t i = 0; ok && i < n; i++) {
			json_object *p = json_object_array_get_idx(v, i);
			int64_t pid = json_object_is_type(p, json_type_int) ? json_object_get_int64(p) : -1;
			ok = pid >= 1 && pid <= 0xFF && (pid & 0x1F);
			r.pids[r.n_pids++] = (uint8_t)pid;
		}
		if (!ok) {
			fail(x, "bad_request", "\"pids\" must be 1 to %d mode 01 PIDs (numbers 1..255, not the "
			     "supported-PID bitmaps 0x20, 0x40, ...)", EVGW_DIAG_MAX_PIDS);
			return;
		}
	}
	struct pending_reply *p = pending_reply_new(x);
	if (!p)
		return;
	struct evgw_daemon *d = daemon_of(x);
	int rc = station_of(d, b)->ecu ? evgw_diag_run(station_of(d, b)->ecu, &r, diag_done, p) : -EIO;
	if (rc < 0) {
		diag_refused(x, b, p, rc, "talking to an ECU");
		return;
	}
	api_client_hold(x->c);
	x->deferred = true;
}

static const struct {
	const char *name;
	void (*fn)(struct cmd_ctx *x);
} commands[] = {
	{"read-dtc", cmd_read_dtc},
	{"clear-dtc", cmd_clear_dtc},
	{"read-did", cmd_read_did},
	{"vin", cmd_vin},
	{"read-pids", cmd_read_pids},
	{"ecus", cmd_ecus},
	{"faults", cmd_faults},
	{"hello", cmd_hello},
	{"status", cmd_status},
	{"buses", cmd_buses},
	{"messages", cmd_messages},
	{"signals", cmd_signals},
	{"dbc", cmd_dbc},
	{"subscribe", cmd_subscribe},
	{"unsubscribe", cmd_unsubscribe},
	{"record", cmd_record},
};

/* hello's capabilities: every command this daemon answers. */
static void put_command_names(struct evgw_textbuf *tb)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (i)
			evgw_textbuf_putc(tb, ',');
		json_str(tb, commands[i].name);
	}
}

void api_reply_ok(struct evgw_client *c, const char *id_json, const struct evgw_textbuf *result)
{
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	evgw_textbuf_puts(&tb, "{\"type\":\"reply\",\"id\":");
	evgw_textbuf_puts(&tb, id_json);
	evgw_textbuf_puts(&tb, ",\"ok\":true,\"result\":");
	if (result->len)
		evgw_textbuf_append(&tb, result->buf, result->len);
	else
		evgw_textbuf_puts(&tb, "null");
	evgw_textbuf_puts(&tb, "}\n");
	if (tb.failed)
		api_client_drop(c, "out of memory");
	else
		api_client_send(c, tb.buf, tb.len);
	evgw_textbuf_free(&tb);
}

void api_reply_error(struct evgw_client *c, const char *id_json, const char *code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	evgw_textbuf_puts(&tb, "{\"type\":\"reply\",\"id\":");
	evgw_textbuf_puts(&tb, id_json);
	evgw_textbuf_printf(&tb, ",\"ok\":false,\"error\":{\"code\":\"%s\",\"message\":", code);
	evgw_textbuf_json_string(&tb, msg, strlen(msg), false);
	evgw_textbuf_puts(&tb, "}}\n");
	if (tb.failed)
		api_client_drop(c, "out of memory");
	else
		api_client_send(c, tb.buf, tb.len);
	evgw_textbuf_free(&tb);
}

void api_handle_request(struct evgw_client *c, json_object *req, const char *id_json)
{
	const char *name = api_get_string(req, "cmd", NULL);
	if (!name) {
		api_reply_error(c, id_json, "bad_request", "\"cmd\" (a string) is required");
		return;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(name, commands[i].name))
			continue;
		struct evgw_textbuf res;
		evgw_textbuf_init(&res);
		struct cmd_ctx x = {c, req, id_json, &res, NULL, "", false};
		commands[i].fn(&x);
		if (x.deferred)
			;
		else if (x.err_code)
			api_reply_error(c, id_json, x.err_code, "%s", x.err);
		else if (res.failed)
			api_reply_error(c, id_json, "internal", "out of memory");
		else
			api_reply_ok(c, id_json, &res);
		evgw_textbuf_free(&res);
		return;
	}
	api_reply_error(c, id_json, "unknown_command", "unknown command '%.64s'", name);
}
