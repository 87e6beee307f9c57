// SPDX-License-Identifier: MIT
#include "daemon/j1939_listener.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charging/charging_session.h"
#include "daemon/charging_faults.h"
#include "daemon/daemon.h"
#include "daemon/fault_sources.h"
#include "daemon/station.h"
#include "dbc/dbc_json.h"
#include "j1939/j1939_addr.h"
#include "j1939/j1939_claim.h"
#include "j1939/j1939_dm.h"
#include "j1939/j1939_id.h"
#include "j1939/j1939_tp.h"
#include "j1939/j1939_vin.h"
#include "util/textbuf.h"
#include "vehicle/dtc_text.h"
#include "vehicle/profile.h"
#include "util/fnv.h"

struct evgw_j1939_listener {
	struct evgw_daemon *d;
	struct evgw_station *st;
	struct evgw_bus *bus;
	struct j1939_tp tp;
	struct j1939_addr_table addr;
	struct j1939_dm_cm_table cm;
	struct evgw_timer timer;     /* TP timeouts */
	struct j1939_dm_msg dm;      /* parse scratch: large, kept here not on the stack */
	uint64_t dm1_seen, dm1_bad;
	/* A request of ours being answered (evgw_j1939_ask). */
	struct evgw_timer req_timer;
	bool req_busy;
	uint32_t req_pgn;
	uint8_t req_da;
	struct evgw_ecu_result *req_res;
	void (*req_done)(void *ud);
	void *req_ud;
	/* Our address 0xF9: claimed before the first request (J1939-81). */
	struct j1939_claim claim;
	struct evgw_timer claim_timer;  /* the 250 ms after our claim */
	bool lost_logged;
	/* GB/T 27930 charging sessions (charger 0x56, BMS 0xF4). */
	struct evgw_charging charging;
	int64_t rx_ts_us;               /* the frame being received: the time of what TP delivers */
};

#define J1939_TOOL_SA 0xF9u          /* off-board diagnostic-service tool #1 */
#define J1939_ANSWER_WINDOW_US 1250000

/* A signal of the bus's DBC with attribute SPN = spn names it. */
static bool spn_name(const struct evgw_bus *bus, uint32_t spn, char *out, size_t cap)
{
	for (unsigned di = 0; di < bus->n_dbs; di++) {
		const struct dbc_db *db = bus->dbs[di];
		const struct dbc_attr_def *def = dbc_attr_def_find(db, "SPN");
		if (!def)
			continue;
		for (uint32_t mi = 0; mi < db->n_messages; mi++)
			for (uint32_t si = 0; si < db->messages[mi]->n_signals; si++) {
				const struct dbc_signal *s = &db->messages[mi]->signals[si];
				if (!s->extra)
					continue;
				const struct dbc_attr_value *v = dbc_attr_value_of(db, def, DBC_OBJ_SIGNAL, s);
				if (v && v != &def->def && !v->is_string && v->num == spn) {
					struct evgw_str n = dbc_str(db, s->name);
					snprintf(out, cap, "%.*s", (int)n.len, n.ptr);
					return true;
				}
			}
	}
	return false;
}

static void lamp_text(const struct j1939_dm_lamps *l, char *out, size_t cap)
{
	struct {
		uint8_t state, flash;
		const char *name;
	} lamps[] = {
		{l->red_stop, l->red_stop_flash, "red stop"},
		{l->amber, l->amber_flash, "amber warning"},
		{l->mil, l->mil_flash, "MIL"},
		{l->protect, l->protect_flash, "protect"},
	};
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof lamps / sizeof lamps[0]; i++) {
		if (lamps[i].state != J1939_LAMP_ON)
			continue;
		const char *fl = lamps[i].flash == J1939_FLASH_FAST   ? " (fast flash)"
				 : lamps[i].flash == J1939_FLASH_SLOW ? " (slow flash)"
								      : "";
		int w = snprintf(out + n, cap - n, "%s%s%s", n ? ", " : "", lamps[i].name, fl);
		if (w < 0 || (size_t)w >= cap - n)
			break;
		n += (size_t)w;
	}
}

static enum evgw_fault_severity severity_of(const struct j1939_dm_lamps *l)
{
	if (l->red_stop == J1939_LAMP_ON)
		return EVGW_SEV_CRITICAL;
	if (l->mil == J1939_LAMP_ON)
		return EVGW_SEV_ERROR;
	return EVGW_SEV_WARNING;
}

/* One ECU, one name: the profile's name for the address, else none (the
 * address is its own field). */
static void ecu_name(const struct evgw_j1939_listener *s, uint8_t sa, char *out, size_t cap)
{
	const struct evgw_profile_ecu *pe = evgw_profile_ecu_by_address(s->st->profile, sa);
	snprintf(out, cap, "%s", pe ? pe->name : "");
}

/* A fault of the ECU at sa on this bus, before its code is known. */
static struct evgw_fault fault_of(const struct evgw_j1939_listener *s, uint8_t sa)
{
	struct evgw_fault t;
	memset(&t, 0, sizeof t);
	snprintf(t.bus, sizeof t.bus, "%s", s->bus->name);
	t.ecu = sa;
	ecu_name(s, sa, t.ecu_name, sizeof t.ecu_name);
	t.protocol = EVGW_FP_J1939;
	return t;
}

size_t evgw_j1939_dtc_words(const struct evgw_bus *bus, const struct evgw_dtc_text *words, uint32_t spn,
			    unsigned fmi, bool previously_active, const char *lang, char *out, size_t cap)
{
	char text[EVGW_FAULT_TEXT], name[64];
	bool ru = lang && !strcmp(lang, "ru");
	const char *suffix = !previously_active ? "" : ru ? " (ранее активна)" : " (previously active)";
	evgw_dtc_describe_j1939_lang(words, lang, spn, fmi, text, sizeof text);
	/* The tables' SPN name first; a DBC signal with that SPN when they have none. */
	char bare[24];
	int bl = snprintf(bare, sizeof bare, "SPN %" PRIu32, spn);
	const char *what = strstr(text, ": ");
	int n;
	if (bus && !strncmp(text, bare, (size_t)bl) && (text[bl] == ':' || text[bl] == ' ') && what &&
	    spn_name(bus, spn, name, sizeof name))
		n = snprintf(out, cap, "%s: %s%s", name, what + 2, suffix);
	else
		n = snprintf(out, cap, "%s%s", text, suffix);
	if (n < 0 || !cap)
		return 0;
	if ((size_t)n < cap)
		return (size_t)n;
	/* Cut: never inside a UTF-8 character (drop a last one that lost bytes). */
	size_t len = cap - 1, lead = len;
	while (lead && ((unsigned char)out[lead - 1] & 0xC0) == 0x80)
		lead--;
	if (lead) {
		unsigned char b = (unsigned char)out[lead - 1];
		size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
		if (lead - 1 + need > len)
			len = lead - 1;
	}
	out[len] = '\0';
	return len;
}

/* A DM1/DM2 DTC as a fault: its key, the code and the words for it. */
static void dtc_fault(const struct evgw_j1939_listener *s, const struct j1939_dtc *dtc, bool previously_active,
		      struct evgw_fault *t)
{
	t->raw_code = dtc->spn | ((uint64_t)dtc->fmi << 19);
	snprintf(t->code, sizeof t->code, "SPN %" PRIu32 " FMI %u", dtc->spn, dtc->fmi);
	evgw_j1939_dtc_words(s->bus, evgw_daemon_dtc_text(s->d, s->st), dtc->spn, dtc->fmi, previously_active, "en",
			     t->description, sizeof t->description);
	t->occurrences = dtc->oc != 0x7F ? dtc->oc : 0;
}

/* The freeze frame of a J1939 fault: the live signals of the messages that
 * source address sends. */
static bool from_sa(const void *ud, const struct evgw_bus *bus, unsigned db, const struct dbc_message *m,
		    const struct dbc_signal *sig, const struct evgw_sig_slot *slot)
{
	return slot->sa == *(const uint8_t *)ud;
}

/* DM1: the complete list of what is active at sa now. */
static void handle_dm1(struct evgw_j1939_listener *s, uint8_t sa, const uint8_t *data, size_t len,
		       int64_t now_us)
{
	struct evgw_daemon *d = s->d;
	int n = j1939_dm_parse(data, len, sa, &s->cm, &s->dm);
	if (n < 0) {
		s->dm1_bad++;
		return;
	}
	s->dm1_seen++;
	uint64_t codes[J1939_DM_MAX_DTC];
	struct evgw_fault t = fault_of(s, sa);
	lamp_text(&s->dm.lamps, t.lamp, sizeof t.lamp);
	t.severity = severity_of(&s->dm.lamps);
	struct evgw_textbuf ff;
	evgw_textbuf_init(&ff);
	for (int i = 0; i < n; i++) {
		dtc_fault(s, &s->dm.dtc[i], false, &t);
		codes[i] = t.raw_code;
		/* Only a fault seen for the first time keeps a freeze frame. */
		const char *freeze = NULL;
		if (!evgw_faults_find(&d->faults, t.bus, t.protocol, t.ecu, t.raw_code)) {
			evgw_textbuf_reset(&ff);
			if (!evgw_profile_freeze_frame(&ff, s->st, evgw_profile_ecu_by_address(s->st->profile, sa)))
				evgw_freeze_frame(&ff, s->bus, from_sa, &sa);
			freeze = ff.failed ? NULL : ff.buf;
		}
		if (evgw_faults_raise(&d->faults, &t, freeze, now_us) < 0)
			evgw_warn(&d->log, "bus %s: DM1 from 0x%02X: the fault store could not record %s",
				  t.bus, sa, t.code);
	}
	evgw_textbuf_free(&ff);
	evgw_faults_clear_absent(&d->faults, t.bus, EVGW_FP_J1939, sa, EVGW_FS_ACTIVE, codes, (unsigned)n, now_us);
}

/* Whether an answer from sa is one to our request. */
static bool answers_us(const struct evgw_j1939_listener *s, uint32_t pgn, uint8_t sa)
{
	return s->req_busy && s->req_pgn == pgn && (s->req_da == 0xFF || s->req_da == sa);
}

/* The answering ECU's entry in the request's result (NULL when full). */
static struct evgw_ecu_entry *answer_entry(struct evgw_j1939_listener *s, uint8_t sa)
{
	struct evgw_ecu_entry *e = evgw_ecu_entry_find(s->req_res, EVGW_FP_J1939, sa);
	if (e || !(e = evgw_ecu_entry_add(s->req_res)))
		return e;
	e->ecu = sa;
	e->protocol = EVGW_FP_J1939;
	ecu_name(s, sa, e->name, sizeof e->name);
	return e;
}

/* DM2: an ECU's previously active DTCs, answering our request. */
static void handle_dm2(struct evgw_j1939_listener *s, uint8_t sa, const uint8_t *data, size_t len)
{
	if (!answers_us(s, J1939_PGN_DM2, sa))
		return;
	int n = j1939_dm_parse(data, len, sa, &s->cm, &s->dm);
	struct evgw_ecu_entry *e = answer_entry(s, sa);
	if (!e)
		return;
	if (n < 0) {
		evgw_ecu_entry_fail(e, EVGW_ECU_BAD_RESPONSE, "SA 0x%02X sent a malformed DM2", sa);
		return;
	}
	struct evgw_daemon *d = s->d;
	int64_t now = evgw_now_real_us();
	struct evgw_fault t = fault_of(s, sa);
	t.status = EVGW_FS_STORED;
	t.severity = EVGW_SEV_WARNING;
	uint64_t codes[J1939_DM_MAX_DTC];
	for (int i = 0; i < n; i++) {
		const struct j1939_dtc *dtc = &s->dm.dtc[i];
		dtc_fault(s, dtc, true, &t);
		codes[i] = t.raw_code;
		/* An active fault stays active: DM1 says so, not DM2. */
		const struct evgw_fault *cur = evgw_faults_find(&d->faults, t.bus, t.protocol, t.ecu, t.raw_code);
		if (!cur || cur->status != EVGW_FS_ACTIVE)
			evgw_faults_raise(&d->faults, &t, NULL, now);
		struct evgw_ecu_dtc *out = evgw_ecu_dtc_add(e);
		if (!out)
			continue;
		snprintf(out->code, sizeof out->code, "%s", t.code);
		out->raw = (uint32_t)t.raw_code;
		out->j1939 = true;
		out->spn = dtc->spn;
		out->fmi = dtc->fmi;
		out->oc = dtc->oc;
		out->fault_status = cur && cur->status == EVGW_FS_ACTIVE ? EVGW_FS_ACTIVE : EVGW_FS_STORED;
		snprintf(out->description, sizeof out->description, "%s", t.description);
	}
	evgw_faults_clear_absent(&d->faults, t.bus, EVGW_FP_J1939, sa, EVGW_FS_STORED, codes, (unsigned)n, now);
}

/* PGN 65260: the vehicle's VIN, answering our request. */
static void handle_vin(struct evgw_j1939_listener *s, uint8_t sa, const uint8_t *data, size_t len)
{
	if (!answers_us(s, J1939_PGN_VI, sa))
		return;
	struct evgw_ecu_entry *e = answer_entry(s, sa);
	if (!e)
		return;
	if (j1939_vin_parse(data, len, e->vin, sizeof e->vin) < 0) {
		evgw_ecu_entry_fail(e, EVGW_ECU_BAD_RESPONSE, "SA 0x%02X sent a malformed vehicle identification", sa);
		return;
	}
	int64_t id = evgw_faults_vehicle(&s->d->faults, s->bus->name, e->vin, evgw_now_real_us());
	if (id > 0)
		evgw_info(&s->d->log, "bus %s: vehicle %s (session %" PRId64 ")", s->bus->name, e->vin, id);
}

/* Acknowledgment (PGN 59392) of our DM3 / DM11. */
static void handle_ack(struct evgw_j1939_listener *s, uint8_t sa, const uint8_t *data, size_t len)
{
	struct j1939_ack a;
	if (!s->req_busy || (s->req_pgn != J1939_PGN_DM3 && s->req_pgn != J1939_PGN_DM11) ||
	    j1939_ack_parse(data, len, &a) < 0 || a.pgn != s->req_pgn || (s->req_da != 0xFF && s->req_da != sa))
		return;
	struct evgw_ecu_entry *e = answer_entry(s, sa);
	if (!e)
		return;
	e->j1939_ack = (int8_t)(a.control < 4 ? a.control : 1);
	e->cleared = a.control == J1939_ACK;
	if (a.control == J1939_ACK) {
		/* What that ECU cleared is cleared here too. */
		enum evgw_fault_status which = s->req_pgn == J1939_PGN_DM11 ? EVGW_FS_ACTIVE : EVGW_FS_STORED;
		evgw_faults_clear_absent(&s->d->faults, s->bus->name, EVGW_FP_J1939, sa, which, NULL, 0,
					 evgw_now_real_us());
	}
}

static void tp_deliver(void *ud, uint32_t pgn, uint8_t sa, uint8_t da, const uint8_t *data, size_t len,
		       int64_t now_us)
{
	struct evgw_j1939_listener *s = ud;
	if (pgn == J1939_PGN_DM1)
		handle_dm1(s, sa, data, len, evgw_now_real_us());
	else if (pgn == J1939_PGN_DM2)
		handle_dm2(s, sa, data, len);
	else if (pgn == J1939_PGN_VI)
		handle_vin(s, sa, data, len);
	else
		(void)evgw_charging_rx(&s->charging, pgn, sa, da, data, len, s->rx_ts_us);
}

static void rearm(struct evgw_j1939_listener *s, int64_t now)
{
	int64_t next = j1939_tp_next_deadline(&s->tp);
	if (next <= 0 || next == INT64_MAX)
		evgw_timer_arm(&s->timer, 0, 0);
	else
		evgw_timer_arm(&s->timer, next > now ? (uint64_t)(next - now) : 1, 0);
}

static void on_frame(void *ud, struct evgw_bus *bus, const struct evgw_frame *f)
{
	struct evgw_j1939_listener *s = ud;
	if (!(f->flags & EVGW_FRAME_EXT) || (f->flags & (EVGW_FRAME_ERR | EVGW_FRAME_RTR)))
		return;
	int64_t now = evgw_now_mono_us();
	struct j1939_addr_event ev;
	j1939_addr_rx(&s->addr, f, now, &ev);
	struct evgw_frame out;
	if (!bus->params.listen_only && j1939_claim_rx(&s->claim, f, now, &out) == 1) {
		out.bus = bus->index;
		(void)evgw_bus_send(bus, &out);
		if (s->claim.state == J1939_CLAIM_LOST && !s->lost_logged) {
			s->lost_logged = true;
			evgw_notice(&s->d->log, "bus %s: J1939 address 0x%02X taken by NAME %016" PRIX64
				    " (higher priority): evgw sends no more J1939 requests here",
				    bus->name, s->claim.sa, s->claim.winner);
		}
	}
	uint32_t pgn = j1939_id_pgn(f->id);
	if (pgn == J1939_PGN_DM1 && f->len <= 8) {
		handle_dm1(s, (uint8_t)(f->id & 0xFF), f->data, f->len, f->ts_us);
		return;
	}
	if (pgn == J1939_PGN_DM2 && f->len <= 8) {
		handle_dm2(s, j1939_id_sa(f->id), f->data, f->len);
		return;
	}
	if (pgn == J1939_PGN_ACK) {
		handle_ack(s, j1939_id_sa(f->id), f->data, f->len);
		return;
	}
	if (pgn == J1939_PGN_VI && f->len <= 8) {
		handle_vin(s, j1939_id_sa(f->id), f->data, f->len);
		return;
	}
	if (f->len <= 8 && evgw_charging_rx(&s->charging, pgn, j1939_id_sa(f->id), j1939_id_da(f->id), f->data,
					    f->len, f->ts_us) != 0)
		return;
	s->rx_ts_us = f->ts_us;
	if (j1939_tp_rx(&s->tp, f, now) > 0)
		rearm(s, now);
}

static void on_timer(struct evgw_loop *loop, struct evgw_timer *t)
{
	struct evgw_j1939_listener *s = t->ud;
	int64_t now = evgw_now_mono_us();
	j1939_tp_poll(&s->tp, now);
	rearm(s, now);
}

bool evgw_j1939_wanted(const struct evgw_station *st)
{
	const struct evgw_daemon *d = st->d;
	const struct evgw_bus *bus = st->bus;
	const struct evgw_bus_config *bc = evgw_config_bus(&d->cfg, bus->name);
	for (unsigned i = 0; bc && i < bc->n_protocols; i++)
		if (!strcmp(bc->protocols[i], "j1939"))
			return true;
	for (unsigned i = 0; i < bus->n_dbs; i++)
		if (bus->dbs[i]->has_j1939)
			return true;
	return false;
}

static int tp_send(void *ud, const struct evgw_frame *f)
{
	struct evgw_j1939_listener *s = ud;
	return evgw_bus_send(s->bus, f);
}

/* The request is over: an addressed ECU that said nothing timed out. */
static void request_over(struct evgw_j1939_listener *s)
{
	s->req_busy = false;
	evgw_timer_arm(&s->req_timer, 0, 0);
	evgw_timer_arm(&s->claim_timer, 0, 0);
	if (s->req_da != 0xFF && !evgw_ecu_entry_find(s->req_res, EVGW_FP_J1939, s->req_da)) {
		struct evgw_ecu_entry *e = answer_entry(s, s->req_da);
		if (e)
			evgw_ecu_entry_fail(e, EVGW_ECU_TIMEOUT, "no J1939 answer from SA 0x%02X within %d ms",
					    s->req_da, J1939_ANSWER_WINDOW_US / 1000);
	}
	void (*done)(void *) = s->req_done;
	s->req_done = NULL;
	s->req_res = NULL;
	if (done)
		done(s->req_ud);
}

static void req_window_closed(struct evgw_loop *loop, struct evgw_timer *t)
{
	struct evgw_j1939_listener *s = t->ud;
	if (s->req_busy)
		request_over(s);
}

static int send_request(struct evgw_j1939_listener *s)
{
	struct evgw_frame f;
	j1939_dm_build_request(&f, s->req_pgn, s->req_da, J1939_TOOL_SA);
	f.bus = s->bus->index;
	int r = evgw_bus_send(s->bus, &f);
	if (r < 0)
		return r;
	evgw_info(&s->d->log, "bus %s: J1939 request for PGN %" PRIu32 " to 0x%02X", s->bus->name,
		  s->req_pgn, s->req_da);
	evgw_timer_arm(&s->req_timer, J1939_ANSWER_WINDOW_US, 0);
	return 0;
}

/* The request could not be sent after all: the result says why. */
static void request_failed(struct evgw_j1939_listener *s, enum evgw_ecu_err err, const char *msg)
{
	if (s->req_da != 0xFF) {
		struct evgw_ecu_entry *e = answer_entry(s, s->req_da);
		if (e)
			evgw_ecu_entry_fail(e, err, "%s", msg);
	} else {
		s->req_res->err = err;
		snprintf(s->req_res->message, sizeof s->req_res->message, "%s", msg);
	}
	request_over(s);
}

/* The 250 ms after our claim are over: the address is ours, or lost. */
static void claim_settled(struct evgw_loop *loop, struct evgw_timer *t)
{
	(void)loop;
	struct evgw_j1939_listener *s = t->ud;
	if (!s->req_busy)
		return;
	enum j1939_claim_state st = j1939_claim_poll(&s->claim, evgw_now_mono_us());
	if (st == J1939_CLAIM_PENDING) {
		evgw_timer_arm(&s->claim_timer, 10000, 0);
		return;
	}
	if (st == J1939_CLAIM_LOST) {
		request_failed(s, EVGW_ECU_ADDRESS_IN_USE,
			       "J1939 address 0xF9 is held by a higher-priority ECU; evgw stays silent");
		return;
	}
	int r = send_request(s);
	if (r < 0) {
		char msg[128];
		snprintf(msg, sizeof msg, "cannot send on bus %s: %s", s->bus->name, strerror(-r));
		request_failed(s, EVGW_ECU_IO, msg);
	}
}

bool evgw_j1939_asking(const struct evgw_j1939_listener *s)
{
	return s && s->req_busy;
}

int evgw_j1939_ask(struct evgw_j1939_listener *s, uint32_t pgn, uint8_t da, struct evgw_ecu_result *res,
		   void (*done)(void *ud), void *ud)
{
	if (s->bus->params.listen_only)
		return -EPERM;
	if (s->req_busy)
		return -EBUSY;
	int64_t now = evgw_now_mono_us();
	enum j1939_claim_state st = j1939_claim_poll(&s->claim, now);
	if (st == J1939_CLAIM_LOST)
		return -EADDRINUSE;
	if (st == J1939_CLAIM_NONE) {
		/* J1939-81: no request before our address is claimed. */
		struct evgw_frame cf;
		j1939_claim_start(&s->claim, now, &cf);
		cf.bus = s->bus->index;
		int r = evgw_bus_send(s->bus, &cf);
		if (r < 0) {
			s->claim.state = J1939_CLAIM_NONE;
			return r;
		}
		evgw_info(&s->d->log, "bus %s: J1939 address 0x%02X claimed (NAME %016" PRIX64 ")",
			  s->bus->name, s->claim.sa, s->claim.name);
		st = J1939_CLAIM_PENDING;
	}
	s->req_pgn = pgn;
	s->req_da = da;
	s->req_res = res;
	s->req_done = done;
	s->req_ud = ud;
	if (st == J1939_CLAIM_PENDING) {
		int64_t wait = s->claim.claimed_us + J1939_ADDR_CLAIM_WAIT_US - now;
		s->req_busy = true;
		evgw_timer_arm(&s->claim_timer, (uint64_t)(wait > 1000 ? wait : 1000), 0);
		return 0;
	}
	int r = send_request(s);
	if (r < 0)
		return r;
	s->req_busy = true;
	return 0;
}

/* A 21-bit identity for our NAME: two bench units on one bus differ. */
static uint32_t machine_identity(void)
{
	char id[64] = "";
	FILE *f = fopen("/etc/machine-id", "re");
	if (f) {
		if (!fgets(id, sizeof id, f))
			id[0] = '\0';
		fclose(f);
	}
	return evgw_fnv32(EVGW_FNV32_INIT, id, strcspn(id, "\n")) & 0x1FFFFFu;
}

int evgw_j1939_listener_attach(struct evgw_station *st, struct evgw_j1939_listener **out)
{
	struct evgw_daemon *d = st->d;
	struct evgw_bus *bus = st->bus;
	struct evgw_j1939_listener *s = calloc(1, sizeof *s);
	if (!s)
		return -ENOMEM;
	s->d = d;
	s->st = st;
	s->bus = bus;
	s->timer.io.fd = -1;
	s->req_timer.io.fd = -1;
	s->claim_timer.io.fd = -1;
	j1939_claim_init(&s->claim, j1939_claim_tool_name(machine_identity()), J1939_TOOL_SA);
	j1939_addr_init(&s->addr);
	evgw_charging_init(&s->charging, &evgw_charging_fault_ops, st);
	/* SPN layout for CM = 1 per source address, from the profile (spn_cm1 = 1..4). */
	for (unsigned i = 0; st->profile && i < st->profile->n_ecus; i++) {
		const struct evgw_profile_ecu *e = &st->profile->ecus[i];
		if (e->protocol == EVGW_PROFILE_J1939 && e->address >= 0 && e->address < 256)
			s->cm.method[e->address] = e->spn_cm1 >= 1 && e->spn_cm1 <= 3 ? e->spn_cm1 : J1939_SPN_V4;
	}
	struct j1939_tp_config cfg;
	j1939_tp_config_default(&cfg);
	cfg.bus = bus->index;
	/* Listen-only: no address, nothing sent (not even a CTS). A diagnostic
	 * bus answers transfers addressed to the tool's address. */
	static const struct j1939_tp_ops listen_ops = {NULL, tp_deliver, NULL};
	static const struct j1939_tp_ops diag_ops = {tp_send, tp_deliver, NULL};
	cfg.our_sa = bus->params.listen_only ? 0xFE : J1939_TOOL_SA;
	int r = j1939_tp_init(&s->tp, &cfg, bus->params.listen_only ? &listen_ops : &diag_ops, s);
	if (r == 0)
		r = evgw_timer_init(&d->loop, &s->timer, on_timer, s);
	if (r == 0)
		r = evgw_timer_init(&d->loop, &s->req_timer, req_window_closed, s);
	if (r == 0)
		r = evgw_timer_init(&d->loop, &s->claim_timer, claim_settled, s);
	struct evgw_frame_listener l = {on_frame, s, false};
	if (r == 0)
		r = evgw_bus_add_listener(bus, &l);
	if (r < 0) {
		evgw_j1939_listener_free(s);
		return r;
	}
	*out = s;
	return 0;
}

void evgw_j1939_listener_free(struct evgw_j1939_listener *s)
{
	if (!s)
		return;
	evgw_bus_remove_listener(s->bus, s);
	if (s->req_busy)
		request_failed(s, EVGW_ECU_GONE, "the bus went away");
	evgw_timer_fini(&s->d->loop, &s->timer);
	evgw_timer_fini(&s->d->loop, &s->req_timer);
	evgw_timer_fini(&s->d->loop, &s->claim_timer);
	free(s);
}

const struct j1939_addr_table *evgw_j1939_listener_addresses(const struct evgw_j1939_listener *s)
{
	return &s->addr;
}

const struct evgw_charging *evgw_j1939_listener_charging(struct evgw_j1939_listener *s, int64_t now_us)
{
	evgw_charging_poll(&s->charging, now_us);
	return &s->charging;
}
