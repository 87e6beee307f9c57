// SPDX-License-Identifier: MIT
/* Between the buses and the fault engine: DBC fault signals become faults
 * with a freeze frame; the store's timer; fault events go to the log and
 * the daemon's observers. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "bus/bus_faults.h"
#include "daemon/confirmed.h"
#include "daemon/fault_sources.h"
#include "daemon/mkdir_p.h"
#include "dbc/dbc_json.h"
#include "vehicle/confidence.h"
#include "vehicle/dtc_text.h"
#include "vehicle/profile.h"
#include "util/fnv.h"

#define FREEZE_MAX_SIGNALS 64

static uint64_t name_hash(const char *s)
{
	uint64_t h = evgw_fnv64(EVGW_FNV64_INIT, s, strlen(s));
	/* Below 2^53: a JSON number any client (doubles included) reads exactly. */
	return h & ((1ull << 53) - 1);
}

/* Text of a DBC slice for the fault record: plain UTF-8, escapes undone
 * (dbc_json_text does the DBC unescaping and the Windows-1252 fallback;
 * json-c reads its result back). Only on fault edges, never per frame. */
static void text_of(const struct dbc_db *db, struct dbc_text t, char *out, size_t cap)
{
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	dbc_json_text(&tb, db, t);
	out[0] = '\0';
	json_object *o = NULL;
	json_tokener *tok = !tb.failed && tb.len ? json_tokener_new() : NULL;
	if (tok)
		o = json_tokener_parse_ex(tok, tb.buf, (int)tb.len);
	json_tokener_free(tok);
	if (o && json_object_is_type(o, json_type_string))
		snprintf(out, cap, "%s", json_object_get_string(o));
	json_object_put(o);
	evgw_textbuf_free(&tb);
}

static bool same_sender(const struct dbc_db *db, const struct dbc_message *a, const struct dbc_message *b)
{
	if (a == b)
		return true;
	struct evgw_str ta = dbc_str(db, a->transmitter), tb = dbc_str(db, b->transmitter);
	return ta.len && !evgw_str_eq_cstr(ta, "Vector__XXX") && evgw_str_eq(ta, tb);
}

struct freeze {
	struct evgw_textbuf *tb;
	evgw_freeze_keep_fn keep;
	const void *ud;
	unsigned n;
};

static int freeze_signal(void *ud, struct evgw_bus *bus, unsigned db, const struct dbc_message *m,
			 const struct dbc_signal *sig, struct evgw_sig_slot *slot)
{
	struct freeze *fz = ud;
	if (!slot->seq || !fz->keep(fz->ud, bus, db, m, sig, slot))
		return 0;
	if (fz->n == FREEZE_MAX_SIGNALS)
		return 1;
	struct evgw_str mn = dbc_str(bus->dbs[db], m->name), sn = dbc_str(bus->dbs[db], sig->name);
	char key[256];
	snprintf(key, sizeof key, "%.*s.%.*s", (int)mn.len, mn.ptr, (int)sn.len, sn.ptr);
	if (fz->n++)
		evgw_textbuf_putc(fz->tb, ',');
	evgw_textbuf_json_string(fz->tb, key, strlen(key), true);
	evgw_textbuf_putc(fz->tb, ':');
	struct dbc_value v = {sig, slot->raw, slot->phys};
	dbc_json_value(fz->tb, &v);
	return 0;
}

void evgw_freeze_frame(struct evgw_textbuf *tb, struct evgw_bus *bus, evgw_freeze_keep_fn keep, const void *ud)
{
	struct freeze fz = {tb, keep, ud, 0};
	evgw_textbuf_putc(tb, '{');
	evgw_bus_for_each_signal(bus, freeze_signal, &fz);
	evgw_textbuf_putc(tb, '}');
}

struct reporter {
	unsigned db;
	const struct dbc_message *msg;
};

/* The reporting ECU's signals: the messages with the same transmitter (or
 * the message itself). */
static bool same_ecu(const void *ud, const struct evgw_bus *bus, unsigned db, const struct dbc_message *m,
		     const struct dbc_signal *sig, const struct evgw_sig_slot *slot)
{
	const struct reporter *r = ud;
	return db == r->db && same_sender(bus->dbs[db], r->msg, m);
}

static bool any_signal(const void *ud, const struct evgw_bus *bus, unsigned db, const struct dbc_message *m,
		       const struct dbc_signal *sig, const struct evgw_sig_slot *slot)
{
	(void)ud, (void)bus, (void)db, (void)m, (void)sig, (void)slot;
	return true;
}

void evgw_diag_freeze_frame(struct evgw_textbuf *tb, struct evgw_station *st, const struct evgw_profile_ecu *ecu)
{
	if (!evgw_profile_freeze_frame(tb, st, ecu))
		evgw_freeze_frame(tb, st->bus, any_signal, NULL);
}

struct listed {
	const char (*list)[EVGW_PROFILE_SIGNAL];
	unsigned n;
};

/* A profile's freeze-frame list: the signals it names. */
static bool in_list(const void *ud, const struct evgw_bus *bus, unsigned db, const struct dbc_message *m,
		    const struct dbc_signal *sig, const struct evgw_sig_slot *slot)
{
	const struct listed *l = ud;
	struct evgw_str mn = dbc_str(bus->dbs[db], m->name), sn = dbc_str(bus->dbs[db], sig->name);
	for (unsigned i = 0; i < l->n; i++)
		if (evgw_profile_freeze_matches(l->list[i], mn.ptr, mn.len, sn.ptr, sn.len))
			return true;
	return false;
}

bool evgw_profile_freeze_frame(struct evgw_textbuf *tb, struct evgw_station *st, const struct evgw_profile_ecu *ecu)
{
	struct evgw_bus *bus = st->bus;
	const struct evgw_profile *p = st->profile;
	struct listed l = {NULL, 0};
	if (ecu && ecu->n_freeze)
		l = (struct listed){ecu->freeze, ecu->n_freeze};
	else if (p && p->n_freeze)
		l = (struct listed){p->freeze, p->n_freeze};
	if (!l.n)
		return false;
	evgw_freeze_frame(tb, bus, in_list, &l);
	return true;
}

const struct evgw_dtc_text *evgw_daemon_dtc_text(const struct evgw_daemon *d, const struct evgw_station *st)
{
	return st && st->dtc_text ? st->dtc_text : d->dtc_text;
}

void evgw_daemon_load_dtc_text(struct evgw_daemon *d)
{
	if (d->dtc_text)
		return;
	char path[4096], err[512] = "";
	snprintf(path, sizeof path, "%s/dtc", d->cfg.dbc_dir ? d->cfg.dbc_dir : ".");
	int r = evgw_dtc_text_load(path, &d->dtc_text, err, sizeof err);
	if (r < 0)
		evgw_warn(&d->log, "DTC tables: %s; faults are described by their decoded codes only",
			  err[0] ? err : strerror(-r));
}

static void on_dbc_fault(void *ud, struct evgw_bus *bus, const struct evgw_frame *f,
			 const struct dbc_message *msg, unsigned di, const struct dbc_signal *sig,
			 const struct evgw_sig_fault *sf)
{
	struct evgw_station *st = ud;
	struct evgw_daemon *d = st->d;
	const struct dbc_db *db = bus->dbs[di];
	struct evgw_fault t;
	memset(&t, 0, sizeof t);
	snprintf(t.bus, sizeof t.bus, "%s", bus->name);
	t.ecu = (msg->flags & DBC_MSG_J1939) ? (int32_t)(f->id & 0xFF) : -1;
	struct evgw_str tx = dbc_str(db, msg->transmitter);
	if (tx.len && !evgw_str_eq_cstr(tx, "Vector__XXX"))
		text_of(db, msg->transmitter, t.ecu_name, sizeof t.ecu_name);
	t.protocol = EVGW_FP_DBC;
	char m[32], s[64];
	text_of(db, msg->name, m, sizeof m);
	text_of(db, sig->name, s, sizeof s);
	/* Both halves are cut to fit: "MESSAGE.SIGNAL" stays readable. */
	snprintf(t.code, sizeof t.code, "%.31s.%.31s", m, s);
	t.raw_code = name_hash(t.code);
	t.severity = (enum evgw_fault_severity)sf->severity;
	/* A guess (a definition below "public" that the shop has not
	 * confirmed) is an observation, never a warning. */
	evgw_fault_grade(&t, evgw_dbc_message_confidence(db, msg), evgw_station_message_confirmed(st, di, msg));
	int64_t now = f->ts_us;
	if (!sf->active) {
		evgw_faults_clear(&d->faults, t.bus, t.protocol, t.ecu, t.raw_code, now);
		return;
	}
	const struct evgw_sig_slot *slot = &bus->slots[sf->slot];
	const struct dbc_text *label = dbc_signal_label(sig, slot->raw);
	char what[96] = "", comment[EVGW_FAULT_TEXT] = "";
	if (label)
		text_of(db, *label, what, sizeof what);
	else
		snprintf(what, sizeof what, "%" PRIu64, slot->raw);
	if (sig->extra && sig->extra->comment.len)
		text_of(db, sig->extra->comment, comment, sizeof comment);
	/* Cut to fit: the signal, its value, then as much comment as there is room for. */
	snprintf(t.description, sizeof t.description, "%.40s = %.40s%s%.72s", s, what, comment[0] ? ": " : "",
		 comment);
	if (sf->text) /* a checksum or counter fault (bus_integrity.h) */
		snprintf(t.description, sizeof t.description, "%s", sf->text);
	struct evgw_textbuf ff;
	evgw_textbuf_init(&ff);
	/* The profile's list for the reporting ECU (J1939 address or DBC
	 * transmitter name), else its general list, else that ECU's signals. */
	const struct evgw_profile_ecu *pe = NULL;
	if (st->profile && t.ecu >= 0)
		pe = evgw_profile_ecu_by_address(st->profile, (uint8_t)t.ecu);
	else if (st->profile && t.ecu_name[0])
		pe = evgw_profile_ecu(st->profile, t.ecu_name);
	if (pe) /* one ECU, one name: the profile's */
		snprintf(t.ecu_name, sizeof t.ecu_name, "%s", pe->name);
	struct reporter rep = {di, msg};
	if (!evgw_profile_freeze_frame(&ff, st, pe))
		evgw_freeze_frame(&ff, bus, same_ecu, &rep);
	if (evgw_faults_raise(&d->faults, &t, ff.failed ? NULL : ff.buf, now) < 0)
		evgw_warn(&d->log, "fault %s on bus %s: the fault store could not record it", t.code, t.bus);
	evgw_textbuf_free(&ff);
}

static void on_fault_event(void *ud, const struct evgw_fault *f, enum evgw_fault_event event)
{
	struct evgw_daemon *d = ud;
	evgw_log(&d->log, event == EVGW_FAULT_CLEARED ? EVGW_LOG_INFO : EVGW_LOG_NOTICE,
		 "fault %s: bus %s%s%s: %s (%s)", evgw_fault_event_name(event), f->bus,
		 f->ecu_name[0] ? " ECU " : "", f->ecu_name, f->code, f->description);
	evgw_daemon_emit_fault(d, f, event);
}

/* A store that cannot be written is said at once, then again every minute
 * while it lasts (never silenced for good), and its recovery once; a store
 * that flaps (a lock taken now and then) gets at most a line every ten
 * seconds. */
#define STORE_REMIND_US (60 * 1000000LL)
#define STORE_QUIET_US (10 * 1000000LL)

static void log_store(struct evgw_daemon *d, int64_t now_mono_us)
{
	struct evgw_store_keeper *k = &d->store_keeper;
	unsigned rewritten;
	if (evgw_store_keeper_take_remade(k, &rewritten))
		evgw_notice(&d->log, "fault store %s: the file was deleted or replaced while in use; a new store "
				     "is in its place, and the %u faults in memory are written into it again",
			    k->path, rewritten);
	struct evgw_store_health h;
	evgw_store_keeper_health(k, &h);
	double for_s = (double)(evgw_now_real_us() - h.since_us) / 1e6;
	if (h.state == EVGW_STORE_OK || h.state == EVGW_STORE_MEMORY) {
		if (h.state != d->store_logged && d->store_logged != EVGW_STORE_OK &&
		    d->store_logged != EVGW_STORE_MEMORY) {
			evgw_notice(&d->log, "fault store %s: %s again; the faults kept meanwhile are written",
				    h.path, h.state == EVGW_STORE_OK ? "usable" : "memory only");
			d->store_next_log_us = now_mono_us + STORE_QUIET_US;
		}
		if (h.state == EVGW_STORE_MEMORY && d->store_logged != EVGW_STORE_MEMORY)
			evgw_err(&d->log, "fault store %s: %s; faults are kept in memory only (retried every second)",
				 h.path, h.last_error);
		d->store_logged = h.state;
		return;
	}
	if (now_mono_us < d->store_next_log_us)
		return;
	if (h.state != d->store_logged)
		evgw_err(&d->log, "fault store %s: %s: %s; %u fault changes kept in memory, not yet told, "
				  "retried", h.path, evgw_store_state_name(h.state), h.last_error, h.pending);
	else
		evgw_warn(&d->log, "fault store %s: still %s after %.0f s: %s; %u fault changes waiting", h.path,
			  evgw_store_state_name(h.state), for_s, h.last_error, h.pending);
	d->store_logged = h.state;
	d->store_next_log_us = now_mono_us + STORE_REMIND_US;
}

static void flush_ready(struct evgw_loop *loop, struct evgw_timer *t)
{
	struct evgw_daemon *d = t->ud;
	int64_t now = evgw_now_mono_us();
	evgw_store_keeper_tick(&d->store_keeper, now, evgw_now_real_us());
	log_store(d, now);
}

int evgw_daemon_faults_flush(struct evgw_daemon *d)
{
	int r = evgw_store_keeper_flush(&d->store_keeper, evgw_now_real_us());
	log_store(d, evgw_now_mono_us());
	return r;
}

void evgw_daemon_store_health(const struct evgw_daemon *d, struct evgw_store_health *h)
{
	evgw_store_keeper_health(&d->store_keeper, h);
}

void evgw_daemon_faults_init(struct evgw_daemon *d)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/faults.db", d->cfg.state_dir);
	evgw_faults_init(&d->faults, NULL, on_fault_event, d);
	int r = evgw_mkdir_p(d->cfg.state_dir, 0750);
	if (evgw_store_keeper_init(&d->store_keeper, &d->faults, path, evgw_now_mono_us(), evgw_now_real_us()) < 0)
		evgw_err(&d->log, "fault store %s: %s", path, strerror(ENOMEM));
	struct evgw_store_health h;
	evgw_store_keeper_health(&d->store_keeper, &h);
	d->store_logged = EVGW_STORE_OK;
	d->store_next_log_us = 0;
	if (h.state == EVGW_STORE_OK) {
		evgw_info(&d->log, "fault store: %s", path);
	} else if (h.state == EVGW_STORE_MEMORY && r < 0) {
		evgw_err(&d->log, "fault store %s: cannot make %s: %s; faults are kept in memory only "
				  "(retried every second)", path, d->cfg.state_dir, strerror(-r));
		d->store_logged = EVGW_STORE_MEMORY;
	} else {
		log_store(d, evgw_now_mono_us());
	}
	d->fault_flush.io.fd = -1;
	if (evgw_timer_init(&d->loop, &d->fault_flush, flush_ready, d) < 0 ||
	    evgw_timer_arm(&d->fault_flush, 100000, 100000) < 0)
		evgw_err(&d->log, "cannot start the fault store's timer: faults will not be written");
}

void evgw_daemon_faults_fini(struct evgw_daemon *d)
{
	evgw_dtc_text_free(d->dtc_text);
	d->dtc_text = NULL;
	evgw_store_keeper_fini(&d->store_keeper, evgw_now_real_us());
	evgw_timer_fini(&d->loop, &d->fault_flush);
	evgw_faults_fini(&d->faults);
}

void evgw_daemon_attach_fault_sources(struct evgw_station *st)
{
	st->bus->on_fault = on_dbc_fault;
	st->bus->on_fault_ud = st;
}
