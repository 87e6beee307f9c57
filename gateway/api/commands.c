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
#include "daemon/fault_sources.h"
#include "util/numfmt.h"
#include "daemon/j1939_listener.h"
#include "daemon/recorder.h"
#include "j1939/j1939_addr.h"
#include "j1939/j1939_id.h"
#include "j1939/j1939_pgn_name.h"
#include "dbc/dbc_index.h"
#include "j1939/j1939_dm.h"
#include "dbc/dbc_json.h"
#include "vehicle/profile.h"

#ifndef EVGW_VERSION
#define EVGW_VERSION "0.0.0"
#endif

void api_fail(struct cmd_ctx *x, enum api_error code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->err, sizeof x->err, fmt, ap);
	va_end(ap);
	x->err_code = code;
}

#define fail api_fail

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
bool api_arg_string(struct cmd_ctx *x, const char *key, const char **out)
{
	const char *bad = NULL;
	*out = api_get_string(x->req, key, &bad);
	if (bad)
		fail(x, API_ERR_BAD_REQUEST, "\"%s\" must be a string", key);
	return !bad;
}

bool api_arg_lang(struct cmd_ctx *x, const char **lang)
{
	const char *s;
	*lang = api_language(0);
	if (!api_arg_string(x, "lang", &s))
		return false;
	if (!s)
		return true;
	if (!(*lang = api_language_parse(s))) {
		char msg[160];
		api_language_error(msg, sizeof msg, s);
		fail(x, API_ERR_BAD_REQUEST, "%s", msg);
		return false;
	}
	return true;
}

void api_json_str(struct evgw_textbuf *tb, const char *s)
{
	if (s)
		evgw_textbuf_json_string(tb, s, strlen(s), false);
	else
		evgw_textbuf_puts(tb, "null");
}

struct evgw_daemon *api_daemon_of(struct cmd_ctx *x)
{
	return x->c->api->d;
}

/* A bus named in the request ("bus"), required or optional. */
bool api_want_station(struct cmd_ctx *x, bool required, struct evgw_station **out)
{
	const char *name;
	*out = NULL;
	if (!api_arg_string(x, "bus", &name))
		return false;
	if (!name) {
		if (required)
			fail(x, API_ERR_BAD_REQUEST, "\"bus\" (a bus name) is required");
		return !required;
	}
	*out = evgw_daemon_station(api_daemon_of(x), name);
	if (!*out)
		fail(x, API_ERR_NOT_FOUND, "no bus named '%s'", name);
	return *out != NULL;
}

/* The same, for commands that need only the frame path. */
static bool want_bus(struct cmd_ctx *x, bool required, struct evgw_bus **out)
{
	struct evgw_station *st;
	bool ok = api_want_station(x, required, &st);
	*out = ok && st ? st->bus : NULL;
	return ok;
}

static void put_command_names(struct evgw_textbuf *tb);

static void cmd_hello(struct cmd_ctx *x)
{
	evgw_textbuf_printf(x->res, "{\"daemon\":\"evgwd\",\"version\":\"%s\",\"protocol\":%d,"
			    "\"capabilities\":[", EVGW_VERSION, EVGW_API_PROTOCOL);
	put_command_names(x->res);
	evgw_textbuf_puts(x->res, "],\"topics\":[");
	for (unsigned t = 1; t < API_TOPIC_COUNT; t++)
		evgw_textbuf_printf(x->res, "%s\"%s\"", t > 1 ? "," : "", api_topic_name((enum api_topic)t));
	evgw_textbuf_puts(x->res, "],\"errors\":[");
	for (unsigned e = 1; e < API_ERR_COUNT; e++)
		evgw_textbuf_printf(x->res, "%s\"%s\"", e > 1 ? "," : "", api_error_info((enum api_error)e)->code);
	evgw_textbuf_puts(x->res, "],\"languages\":[");
	for (unsigned i = 0; i < api_language_count(); i++)
		evgw_textbuf_printf(x->res, "%s\"%s\"", i ? "," : "", api_language(i));
	evgw_textbuf_printf(x->res, "],\"uid\":%u,\"admin\":%s}", (unsigned)x->c->uid,
			    x->c->admin ? "true" : "false");
}

static void cmd_status(struct cmd_ctx *x)
{
	struct evgw_daemon *d = api_daemon_of(x);
	uint64_t frames = 0;
	for (unsigned i = 0; i < d->n_stations; i++)
		frames += d->stations[i]->bus->rx_frames;
	evgw_textbuf_printf(x->res,
			    "{\"daemon\":\"evgwd\",\"version\":\"%s\",\"pid\":%d,\"uptime_s\":%.3f,"
			    "\"demo\":%s,\"config\":",
			    EVGW_VERSION, (int)getpid(),
			    (double)(evgw_now_mono_us() - d->start_mono_us) / 1e6, d->demo ? "true" : "false");
	api_json_str(x->res, d->config_path);
	evgw_textbuf_puts(x->res, ",\"socket\":");
	api_json_str(x->res, evgw_api_socket_path(x->c->api));
	evgw_textbuf_printf(x->res,
			    ",\"buses\":%u,\"clients\":%u,\"frames\":%" PRIu64 ",\"requests\":%" PRIu64
			    ",\"dropped_clients\":%" PRIu64 ",\"reloads\":%" PRIu64
			    ",\"reload_failures\":%" PRIu64 ",\"store\":",
			    d->n_stations, evgw_api_client_count(x->c->api), frames, x->c->api->requests,
			    x->c->api->dropped_clients, d->reloads, d->reload_failures);
	/* The fault store's health: whether `faults --history` is complete. */
	struct evgw_store_health h;
	evgw_daemon_store_health(d, &h);
	evgw_textbuf_printf(x->res, "{\"state\":\"%s\",\"path\":", evgw_store_state_name(h.state));
	api_json_str(x->res, h.path);
	evgw_textbuf_printf(x->res,
			    ",\"pending\":%u,\"failures\":%" PRIu64 ",\"recreated\":%" PRIu64
			    ",\"since\":%.6f,\"last_error\":",
			    h.pending, h.failures, h.recreated, (double)h.since_us / 1e6);
	api_json_str(x->res, h.last_error[0] ? h.last_error : NULL);
	evgw_textbuf_putc(x->res, '}');
	/* Consumers that talk to the outside (the MQTT bridge), each under its name. */
	for (unsigned i = 0; i < d->n_observers; i++) {
		struct evgw_consumer_status cs;
		if (!d->observers[i].status)
			continue;
		memset(&cs, 0, sizeof cs);
		d->observers[i].status(d->observers[i].ud, &cs);
		if (!cs.name)
			continue;
		evgw_textbuf_putc(x->res, ',');
		api_json_str(x->res, cs.name);
		evgw_textbuf_puts(x->res, ":{\"target\":");
		api_json_str(x->res, cs.target);
		evgw_textbuf_puts(x->res, ",\"state\":");
		api_json_str(x->res, cs.state);
		evgw_textbuf_printf(x->res, ",\"since\":%.6f,\"last_error\":", (double)cs.since_us / 1e6);
		api_json_str(x->res, cs.last_error && cs.last_error[0] ? cs.last_error : NULL);
		evgw_textbuf_printf(x->res, ",\"sent\":%" PRIu64 ",\"skipped\":%" PRIu64 ",\"unacked\":%" PRIu64 "}",
				    cs.sent, cs.skipped, cs.unacked);
	}
	evgw_textbuf_putc(x->res, '}');
}

static void bus_json(struct evgw_textbuf *tb, const struct evgw_station *st)
{
	const struct evgw_bus *b = st->bus;
	evgw_textbuf_puts(tb, "{\"name\":");
	api_json_str(tb, b->name);
	evgw_textbuf_puts(tb, ",\"profile\":");
	api_json_str(tb, st->profile ? st->profile->name : NULL);
	evgw_textbuf_puts(tb, ",\"recording\":");
	api_json_str(tb, evgw_recorder_path(st));
	evgw_textbuf_puts(tb, ",\"driver\":");
	api_json_str(tb, b->ops->name);
	evgw_textbuf_puts(tb, ",\"device\":");
	api_json_str(tb, b->params.device);
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
		api_json_str(tb, b->dbs[i]->path);
	}
	evgw_textbuf_puts(tb, "]}");
}

static void cmd_buses(struct cmd_ctx *x)
{
	struct evgw_daemon *d = api_daemon_of(x);
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
	struct evgw_station *st;
	if (!api_want_station(x, true, &st))
		return;
	struct evgw_bus *b = st->bus;
	const struct evgw_id_stats **v = malloc(EVGW_BUS_MAX_IDS * sizeof *v);
	if (!v) {
		fail(x, API_ERR_INTERNAL, "out of memory");
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
		/* The J1939 groups evgw handles itself, named though no DBC does. */
		const char *pgn_name = !e->msg && st->j1939 && (e->key & DBC_EXT_FLAG)
					       ? j1939_pgn_name(j1939_id_pgn(e->key & EVGW_CAN_EFF_MASK))
					       : NULL;
		evgw_textbuf_puts(x->res, ",\"pgn_name\":");
		api_json_str(x->res, pgn_name);
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

#define PUT_LIT(p, lit) (memcpy((p), (lit), sizeof(lit) - 1), (p) + sizeof(lit) - 1)

/* From the DBC's pre-rendered texts (dbc_json_names) and printf-free
 * numbers: a "signals" reply has thousands of these. */
void api_signal_json(struct evgw_textbuf *tb, const struct evgw_bus *b, unsigned db,
		     const struct dbc_message *m, const struct dbc_signal *s,
		     const struct evgw_sig_slot *slot)
{
	const struct dbc_json_names *nm = b->dbs[db]->json;
	struct dbc_value v = {s, slot->raw, slot->phys};
	const struct dbc_json_sig *js = dbc_json_names_sig(nm, m, s);
	const struct dbc_json_slice *label = dbc_json_names_label(nm, js, &v);
	evgw_textbuf_puts(tb, "{\"bus\":");
	api_json_str(tb, b->name);
	size_t need = 160 + (size_t)nm->msg_name[m->index].len + js->name.len + js->unit.len +
		      (label ? label->len : 0) + 4 * EVGW_NUMFMT_MAX + DBC_JSON_SLACK;
	char *p = evgw_textbuf_reserve(tb, need);
	if (!p)
		return;
	p = PUT_LIT(p, ",\"message\":");
	p = dbc_json_put_slice(p, nm, nm->msg_name[m->index]);
	p = PUT_LIT(p, ",\"signal\":");
	p = dbc_json_put_slice(p, nm, js->name);
	p = PUT_LIT(p, ",\"value\":");
	p = dbc_json_put_value(p, &js->plan, &v);
	p = PUT_LIT(p, ",\"raw\":");
	p = evgw_fmt_u64(p, slot->raw);
	p = PUT_LIT(p, ",\"unit\":");
	p = dbc_json_put_slice(p, nm, js->unit);
	p = PUT_LIT(p, ",\"label\":");
	p = label ? dbc_json_put_slice(p, nm, *label) : PUT_LIT(p, "null");
	p = PUT_LIT(p, ",\"ts\":");
	p = evgw_fmt_epoch_us(p, slot->ts_us);
	if (slot->sa >= 0) {
		p = PUT_LIT(p, ",\"source_address\":");
		p = evgw_fmt_u64(p, (uint64_t)slot->sa);
	}
	*p++ = '}';
	evgw_textbuf_commit(tb, p);
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
	if (!api_arg_string(x, "glob", &sl.glob))
		return;
	struct evgw_daemon *d = api_daemon_of(x);
	evgw_textbuf_putc(x->res, '[');
	for (unsigned bi = 0; bi < d->n_stations; bi++)
		if (!only || d->stations[bi]->bus == only)
			evgw_bus_for_each_signal(d->stations[bi]->bus, list_signal, &sl);
	evgw_textbuf_putc(x->res, ']');
}

static void cmd_dbc(struct cmd_ctx *x)
{
	struct evgw_daemon *d = api_daemon_of(x);
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
			api_json_str(x->res, b->name);
			evgw_textbuf_puts(x->res, ",\"file\":");
			api_json_str(x->res, db->path);
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
	if (!api_arg_string(x, "action", &action))
		return;
	if (!action || (strcmp(action, "start") && strcmp(action, "stop"))) {
		fail(x, API_ERR_BAD_REQUEST, "\"action\" must be \"start\" or \"stop\"");
		return;
	}
	if (!api_want_station(x, true, &st))
		return;
	if (!strcmp(action, "stop")) {
		struct evgw_recording_end end;
		int r = evgw_recorder_stop(st, (uint32_t)x->c->uid, x->c->admin, &end);
		if (r == -EPERM) {
			fail(x, API_ERR_PERMISSION_DENIED, "bus '%s' is being recorded by another user: only they or "
							   "an admin may stop it", st->bus->name);
			return;
		}
		if (r < 0) {
			fail(x, API_ERR_NOT_FOUND, "bus '%s' is not being recorded", st->bus->name);
			return;
		}
		evgw_textbuf_printf(x->res, "{\"frames\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"files\":%u", end.frames,
				    end.bytes, end.files);
		if (end.error[0]) { /* cut short before the stop */
			evgw_textbuf_puts(x->res, ",\"error\":");
			api_json_str(x->res, end.error);
		}
		evgw_textbuf_putc(x->res, '}');
		return;
	}
	const char *file;
	if (!api_arg_string(x, "file", &file))
		return;
	if (!file || !*file) {
		fail(x, API_ERR_BAD_REQUEST, "\"file\" is required");
		return;
	}
	/* Parts of this many bytes (optional). */
	uint64_t rotate = 0;
	json_object *jr;
	if (json_object_object_get_ex(x->req, "rotate_bytes", &jr)) {
		if (!json_object_is_type(jr, json_type_int) || json_object_get_int64(jr) < EVGW_RECORD_MIN_BYTES) {
			fail(x, API_ERR_BAD_REQUEST, "\"rotate_bytes\" must be an integer of at least %d",
			     EVGW_RECORD_MIN_BYTES);
			return;
		}
		rotate = (uint64_t)json_object_get_int64(jr);
	}
	/* candump text or pcapng; by the file's name when not given. */
	enum evgw_record_format fmt = EVGW_RECORD_BY_NAME;
	const char *format;
	if (!api_arg_string(x, "format", &format))
		return;
	if (format && !strcmp(format, "candump"))
		fmt = EVGW_RECORD_CANDUMP;
	else if (format && !strcmp(format, "pcapng"))
		fmt = EVGW_RECORD_PCAPNG;
	else if (format) {
		fail(x, API_ERR_BAD_REQUEST, "\"format\" must be \"candump\" or \"pcapng\"");
		return;
	}
	char path[4096];
	int r = evgw_recorder_start(st, file, fmt, rotate, (uint32_t)x->c->uid, x->c->admin, path, sizeof path, x->err,
				    sizeof x->err);
	if (r < 0) {
		x->err_code = r == -EPERM ? API_ERR_PERMISSION_DENIED : r == -EBUSY ? API_ERR_BUSY : r == -EINVAL ? API_ERR_BAD_REQUEST
			      : r == -EEXIST ? API_ERR_EXISTS : r == -EDQUOT ? API_ERR_LIMIT : API_ERR_IO_ERROR;
		return;
	}
	evgw_textbuf_puts(x->res, "{\"file\":");
	api_json_str(x->res, path);
	evgw_textbuf_putc(x->res, '}');
}

struct fault_list {
	struct evgw_textbuf *tb;
	const char *bus;
	unsigned n;
	struct evgw_daemon *d;
	const char *lang;
};

static void list_fault(void *ud, const struct evgw_fault *f)
{
	struct fault_list *fl = ud;
	if (fl->bus && strcmp(fl->bus, f->bus))
		return;
	if (fl->n++)
		evgw_textbuf_putc(fl->tb, ',');
	char words[EVGW_FAULT_TEXT];
	api_fault_json(fl->tb, f, api_fault_words(fl->d, f, fl->lang, words, sizeof words));
}

struct history_list {
	struct fault_list *fl;
	const struct evgw_fault_engine *faults;
	int want;
};

/* A row of the store, or the engine's copy of that fault (newer). */
static void history_row(void *ud, const struct evgw_fault *row)
{
	struct history_list *hl = ud;
	for (unsigned i = 0; i < hl->faults->n; i++) {
		const struct evgw_fault *f = hl->faults->faults[i];
		if (f->id == row->id) {
			if (!hl->want || (int)f->status == hl->want)
				list_fault(hl->fl, f);
			return;
		}
	}
	list_fault(hl->fl, row);
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
			fail(x, API_ERR_BAD_REQUEST, "\"history\" must be true or false");
			return;
		}
		history = json_object_get_boolean(h);
	}
	const char *status;
	if (!api_arg_string(x, "status", &status))
		return;
	int want = status ? evgw_fault_status_parse(status) : 0;
	if (status && want < 0) {
		fail(x, API_ERR_BAD_REQUEST, "\"status\" must be active, stored, pending or cleared");
		return;
	}
	const char *lang;
	if (!api_arg_lang(x, &lang))
		return;
	struct evgw_daemon *d = api_daemon_of(x);
	/* On disk first, when the store can take it (never waiting on it). */
	evgw_daemon_faults_flush(d);
	struct fault_list fl = {x->res, b ? b->name : NULL, 0, d, lang};
	evgw_textbuf_putc(x->res, '[');
	/* History: the store's rows (memory's newer copy of those it holds),
	 * then what memory has that the store has not (yet); memory alone when
	 * the store cannot be read. status.store says whether it is complete. */
	struct evgw_store *store = history ? evgw_store_keeper_reader(&d->store_keeper) : NULL;
	struct history_list hl = {&fl, &d->faults, want};
	if (store && evgw_store_list(store, want, 1000, history_row, &hl) < 0) {
		evgw_textbuf_reset(x->res);
		evgw_textbuf_putc(x->res, '[');
		fl.n = 0;
		store = NULL;
	}
	for (unsigned i = 0; i < d->faults.n; i++) {
		const struct evgw_fault *f = d->faults.faults[i];
		if (store && f->id)
			continue; /* listed with the store's rows */
		if (want ? (int)f->status == want : (history || f->status == EVGW_FS_ACTIVE))
			list_fault(&fl, f);
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
		api_json_str(tb, st->bus->name);
		evgw_textbuf_printf(tb, ",\"protocol\":\"j1939\",\"address\":%u,\"ecu_name\":", sa);
		api_json_str(tb, pe ? pe->name : NULL);
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
	struct evgw_daemon *d = api_daemon_of(x);
	unsigned n = 0;
	evgw_textbuf_putc(x->res, '[');
	for (unsigned i = 0; i < d->n_stations; i++) {
		const struct evgw_station *st = d->stations[i];
		if ((!only || only == st->bus) && st->j1939)
			n += ecus_json(x->res, st, n == 0);
	}
	evgw_textbuf_putc(x->res, ']');
}

static const struct {
	const char *name;
	void (*fn)(struct cmd_ctx *x);
} commands[] = {
	{"read-dtc", api_cmd_read_dtc},
	{"clear-dtc", api_cmd_clear_dtc},
	{"read-did", api_cmd_read_did},
	{"vin", api_cmd_vin},
	{"read-pids", api_cmd_read_pids},
	{"battery", api_cmd_battery},
	{"ecus", cmd_ecus},
	{"charging", api_cmd_charging},
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
		api_json_str(tb, commands[i].name);
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

void api_reply_error_with(struct evgw_client *c, const char *id_json, enum api_error code, const char *msg,
			  const struct evgw_textbuf *extra)
{
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	evgw_textbuf_puts(&tb, "{\"type\":\"reply\",\"id\":");
	evgw_textbuf_puts(&tb, id_json);
	evgw_textbuf_printf(&tb, ",\"ok\":false,\"error\":{\"code\":\"%s\",\"message\":", api_error_info(code)->code);
	evgw_textbuf_json_string(&tb, msg, strlen(msg), false);
	if (extra && extra->len)
		evgw_textbuf_append(&tb, extra->buf, extra->len);
	evgw_textbuf_puts(&tb, "}}\n");
	if (tb.failed || (extra && extra->failed))
		api_client_drop(c, "out of memory");
	else
		api_client_send(c, tb.buf, tb.len);
	evgw_textbuf_free(&tb);
}

void api_reply_error(struct evgw_client *c, const char *id_json, enum api_error code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	api_reply_error_with(c, id_json, code, msg, NULL);
}

void api_handle_request(struct evgw_client *c, json_object *req, const char *id_json)
{
	const char *name = api_get_string(req, "cmd", NULL);
	if (!name) {
		api_reply_error(c, id_json, API_ERR_BAD_REQUEST, "\"cmd\" (a string) is required");
		return;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(name, commands[i].name))
			continue;
		struct evgw_textbuf res;
		evgw_textbuf_init(&res);
		struct cmd_ctx x = {c, req, id_json, &res, API_ERR_NONE, "", false};
		commands[i].fn(&x);
		if (x.deferred)
			;
		else if (x.err_code)
			api_reply_error(c, id_json, x.err_code, "%s", x.err);
		else if (res.failed)
			api_reply_error(c, id_json, API_ERR_INTERNAL, "out of memory");
		else
			api_reply_ok(c, id_json, &res);
		evgw_textbuf_free(&res);
		return;
	}
	api_reply_error(c, id_json, API_ERR_UNKNOWN_COMMAND, "unknown command '%.64s'", name);
}
