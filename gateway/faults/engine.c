// SPDX-License-Identifier: MIT
#include "faults/engine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void evgw_faults_init(struct evgw_fault_engine *e, struct evgw_store *store, evgw_fault_event_fn fn,
		      void *ud)
{
	memset(e, 0, sizeof *e);
	e->store = store;
	e->on_event = fn;
	e->ud = ud;
}

static void fault_free(struct evgw_fault *f)
{
	if (f) {
		free(f->freeze_frame);
		free(f);
	}
}

void evgw_faults_fini(struct evgw_fault_engine *e)
{
	for (unsigned i = 0; i < e->n; i++)
		fault_free(e->faults[i]);
	e->n = 0;
}

static struct evgw_fault *find(const struct evgw_fault_engine *e, const char *bus, enum evgw_fault_protocol p,
			       int32_t ecu, uint64_t raw_code)
{
	for (unsigned i = 0; i < e->n; i++) {
		struct evgw_fault *f = e->faults[i];
		if (f->protocol == p && f->ecu == ecu && f->raw_code == raw_code && !strcmp(f->bus, bus))
			return f;
	}
	return NULL;
}

const struct evgw_fault *evgw_faults_find(const struct evgw_fault_engine *e, const char *bus,
					  enum evgw_fault_protocol p, int32_t ecu, uint64_t raw_code)
{
	return find(e, bus, p, ecu, raw_code);
}

static unsigned session_slot(const struct evgw_fault_engine *e, const char *bus)
{
	for (unsigned i = 0; i < e->n_sessions; i++)
		if (!strcmp(e->sessions[i].bus, bus))
			return i;
	return e->n_sessions;
}

/* The bus's slot, made (with the time its session began) when it has none;
 * e->n_sessions when there is no room. */
static unsigned slot_of(struct evgw_fault_engine *e, const char *bus, int64_t now_us)
{
	unsigned i = session_slot(e, bus);
	if (i == e->n_sessions && e->n_sessions < EVGW_FAULTS_MAX_BUSES) {
		snprintf(e->sessions[i].bus, sizeof e->sessions[0].bus, "%s", bus);
		e->sessions[i].vin[0] = '\0';
		e->sessions[i].id = 0;
		e->sessions[i].started_us = now_us;
		e->n_sessions++;
	}
	return i;
}

/* The bus's session in the store, written when it is not there yet (a new
 * bus, or a store made anew). Returns the id, 0 when the bus has no slot
 * (more than EVGW_FAULTS_MAX_BUSES buses), or the store's error. */
static int64_t session_of(struct evgw_fault_engine *e, const char *bus, int64_t now_us)
{
	unsigned i = slot_of(e, bus, now_us);
	if (i == e->n_sessions)
		return 0;
	if (!e->sessions[i].id && e->store) {
		int64_t id = 0;
		int r = evgw_store_session(e->store, bus, e->sessions[i].vin[0] ? e->sessions[i].vin : NULL,
					   e->sessions[i].started_us, &id);
		if (r < 0)
			return r;
		e->sessions[i].id = id;
	}
	return e->sessions[i].id;
}

int64_t evgw_faults_vehicle(struct evgw_fault_engine *e, const char *bus, const char *vin, int64_t now_us)
{
	if (!e->store)
		return -ENODEV;
	unsigned i = session_slot(e, bus);
	if (i < e->n_sessions && !strcmp(e->sessions[i].vin, vin))
		return e->sessions[i].id; /* the same vehicle */
	if (i < e->n_sessions && !e->sessions[i].vin[0]) {
		/* The bus's session so far had no name: it is this vehicle. */
		int r = e->sessions[i].id ? evgw_store_session_vin(e->store, e->sessions[i].id, vin) : 0;
		if (r < 0)
			return r;
	} else {
		if (i == e->n_sessions && e->n_sessions >= EVGW_FAULTS_MAX_BUSES)
			return -ENOSPC;
		int64_t id;
		int r = evgw_store_session(e->store, bus, vin, now_us, &id);
		if (r < 0)
			return r;
		if (i == e->n_sessions)
			e->n_sessions++;
		snprintf(e->sessions[i].bus, sizeof e->sessions[0].bus, "%s", bus);
		e->sessions[i].id = id;
		e->sessions[i].started_us = now_us;
	}
	snprintf(e->sessions[i].vin, sizeof e->sessions[0].vin, "%s", vin);
	return e->sessions[i].id;
}

/* Room for one more: drop the longest-cleared fault (it is in the store). */
static bool make_room(struct evgw_fault_engine *e)
{
	if (e->n < EVGW_FAULTS_MAX)
		return true;
	unsigned victim = e->n;
	for (unsigned i = 0; i < e->n; i++)
		if (e->faults[i]->status == EVGW_FS_CLEARED &&
		    (victim == e->n || e->faults[i]->last_seen_us < e->faults[victim]->last_seen_us))
			victim = i;
	if (victim == e->n || e->pending[victim])
		return false;
	fault_free(e->faults[victim]);
	e->n--;
	e->faults[victim] = e->faults[e->n];
	e->pending[victim] = e->pending[e->n];
	e->rewrite[victim] = e->rewrite[e->n];
	e->silent[victim] = e->silent[e->n];
	e->pending[e->n] = 0;
	e->rewrite[e->n] = e->silent[e->n] = false;
	return true;
}

static unsigned index_of(const struct evgw_fault_engine *e, const struct evgw_fault *f)
{
	for (unsigned i = 0; i < e->n; i++)
		if (e->faults[i] == f)
			return i;
	return e->n;
}

/* Note the change for the next flush. A fault raised and cleared within one
 * flush keeps "raised" only if it is still active: the latest state wins,
 * and occurrences keep the count. */
static int persist(struct evgw_fault_engine *e, struct evgw_fault *f, enum evgw_fault_event event, int64_t now_us)
{
	(void)now_us;
	unsigned i = index_of(e, f);
	if (i == e->n)
		return -ENOENT;
	if (!e->pending[i])
		e->n_pending++;
	/* A new fault's first row must be an insert: keep "raised" until
	 * written (and told). A fault only waiting to be written again into a
	 * new store takes the event, and is told it. */
	if (e->silent[i] || !(e->pending[i] && !f->id && e->pending[i] == EVGW_FAULT_RAISED))
		e->pending[i] = event;
	e->silent[i] = false;
	return 0;
}

/* A fault first seen and already cleared within one flush is written as
 * raised, then cleared: the history keeps both. */
static bool raised_and_cleared(const struct evgw_fault *f, enum evgw_fault_event event)
{
	return !f->id && event == EVGW_FAULT_RAISED && f->status == EVGW_FS_CLEARED;
}

static int write_one(struct evgw_fault_engine *e, struct evgw_fault *f, enum evgw_fault_event event, int64_t now_us)
{
	if (!raised_and_cleared(f, event))
		return evgw_store_record(e->store, f, evgw_fault_event_name(event), now_us);
	f->status = EVGW_FS_ACTIVE;
	int r = evgw_store_record(e->store, f, "raised", f->first_seen_us);
	f->status = EVGW_FS_CLEARED;
	return r < 0 ? r : evgw_store_record(e->store, f, "cleared", now_us);
}

/* A fault written again into a new store: its row there, when the store
 * is a copy that has it (updated, with a history row for the event, if
 * one is pending), else its life so far: raised when first seen, and
 * cleared if it is. */
static int rewrite_one(struct evgw_fault_engine *e, struct evgw_fault *f, enum evgw_fault_event event,
		       int64_t now_us)
{
	int64_t id = evgw_store_find(e->store, f);
	if (id < 0)
		return (int)id;
	if (id) {
		f->id = id;
		return evgw_store_record(e->store, f, evgw_fault_event_name(event ? event : EVGW_FAULT_CHANGED),
					 now_us);
	}
	if (f->status == EVGW_FS_CLEARED)
		return write_one(e, f, EVGW_FAULT_RAISED, now_us);
	return evgw_store_record(e->store, f, "raised", f->first_seen_us);
}

/* Ids given in a transaction that was rolled back name no row. */
static void forget_uncommitted_ids(struct evgw_fault_engine *e)
{
	for (unsigned k = 0; k < e->n; k++)
		if (e->pending[k])
			e->faults[k]->id = e->had_id[k];
}

/* Sessions first, each in its own small write: a fault row names one. */
static int resolve_sessions(struct evgw_fault_engine *e)
{
	for (unsigned i = 0; i < e->n; i++) {
		struct evgw_fault *f = e->faults[i];
		if (!e->pending[i] || f->id || f->session_id)
			continue;
		int64_t id = session_of(e, f->bus, f->first_seen_us);
		if (id < 0)
			return (int)id;
		f->session_id = id ? id : -1; /* -1: none (too many buses) */
	}
	return 0;
}

int evgw_faults_flush(struct evgw_fault_engine *e, int64_t now_us)
{
	if (!e->n_pending)
		return 0;
	if (e->store) {
		int r = resolve_sessions(e);
		if (r == 0)
			r = evgw_store_begin(e->store);
		if (r < 0) {
			e->store_errors++;
			return r;
		}
		for (unsigned i = 0; i < e->n; i++)
			e->had_id[i] = e->faults[i]->id;
		for (unsigned i = 0; i < e->n; i++) {
			if (!e->pending[i])
				continue;
			if (e->rewrite[i])
				r = rewrite_one(e, e->faults[i], e->silent[i] ? 0 : e->pending[i], now_us);
			else
				r = write_one(e, e->faults[i], e->pending[i], now_us);
			if (r < 0) {
				evgw_store_rollback(e->store);
				e->store_errors++;
				forget_uncommitted_ids(e);
				return r;
			}
		}
		r = evgw_store_commit(e->store);
		if (r < 0) {
			e->store_errors++;
			forget_uncommitted_ids(e);
			return r;
		}
	}
	int written = 0;
	for (unsigned i = 0; i < e->n; i++) {
		if (!e->pending[i])
			continue;
		enum evgw_fault_event event = e->pending[i];
		struct evgw_fault *f = e->faults[i];
		bool told_before = e->silent[i];
		e->pending[i] = 0;
		e->rewrite[i] = e->silent[i] = false;
		written++;
		if (!e->on_event || told_before)
			continue;
		if (event == EVGW_FAULT_RAISED && f->status == EVGW_FS_CLEARED) {
			f->status = EVGW_FS_ACTIVE; /* tell it as it happened */
			e->on_event(e->ud, f, EVGW_FAULT_RAISED);
			f->status = EVGW_FS_CLEARED;
			event = EVGW_FAULT_CLEARED;
		}
		e->on_event(e->ud, f, event);
	}
	e->n_pending = 0;
	return written;
}

void evgw_faults_set_store(struct evgw_fault_engine *e, struct evgw_store *store, bool rewrite)
{
	e->store = store;
	if (!rewrite)
		return;
	/* The new store has none of the old one's ids, sessions included. */
	for (unsigned s = 0; s < e->n_sessions; s++)
		e->sessions[s].id = 0;
	for (unsigned i = 0; i < e->n; i++) {
		struct evgw_fault *f = e->faults[i];
		f->id = 0;
		f->session_id = 0; /* the bus's current session, made again at the flush */
		e->rewrite[i] = true;
		if (!e->pending[i]) {
			e->pending[i] = EVGW_FAULT_RAISED;
			e->silent[i] = true;
			e->n_pending++;
		}
	}
}

int evgw_faults_raise(struct evgw_fault_engine *e, const struct evgw_fault *tmpl, const char *freeze_json,
		      int64_t now_us)
{
	struct evgw_fault *f = find(e, tmpl->bus, tmpl->protocol, tmpl->ecu, tmpl->raw_code);
	enum evgw_fault_status want = tmpl->status ? tmpl->status : EVGW_FS_ACTIVE;
	if (f) {
		bool again = f->status == EVGW_FS_CLEARED;
		bool moved = f->status != want;
		bool changed = again || moved || f->severity != tmpl->severity || strcmp(f->lamp, tmpl->lamp) ||
			       f->unconfirmed != tmpl->unconfirmed ||
			       (tmpl->occurrences && tmpl->occurrences != f->occurrences);
		f->last_seen_us = now_us;
		if (!changed && !tmpl->status)
			return 0; /* still active: nothing new to write */
		if (!changed) { /* read again from the ECU's memory: one more occurrence */
			if (!tmpl->occurrences)
				f->occurrences++;
			return persist(e, f, EVGW_FAULT_CHANGED, now_us);
		}
		f->status = want;
		f->severity = tmpl->severity;
		f->unconfirmed = tmpl->unconfirmed;
		memcpy(f->lamp, tmpl->lamp, sizeof f->lamp);
		if (tmpl->occurrences)
			f->occurrences = tmpl->occurrences;
		else if (again)
			f->occurrences++;
		return persist(e, f, again ? EVGW_FAULT_RAISED : EVGW_FAULT_CHANGED, now_us);
	}
	if (!make_room(e))
		return -ENOSPC;
	f = malloc(sizeof *f);
	if (!f)
		return -ENOMEM;
	*f = *tmpl;
	f->id = 0;
	f->status = want;
	f->first_seen_us = f->last_seen_us = now_us;
	if (!f->occurrences)
		f->occurrences = 1;
	f->freeze_frame = freeze_json ? strdup(freeze_json) : NULL;
	f->session_id = 0; /* the bus's session, found (or written) when the fault is */
	slot_of(e, f->bus, now_us); /* a bus's session begins with its first fault */
	e->rewrite[e->n] = e->silent[e->n] = false;
	e->faults[e->n++] = f;
	return persist(e, f, EVGW_FAULT_RAISED, now_us);
}

static int clear_one(struct evgw_fault_engine *e, struct evgw_fault *f, int64_t now_us)
{
	if (f->status == EVGW_FS_CLEARED)
		return 0;
	f->status = EVGW_FS_CLEARED;
	f->last_seen_us = now_us;
	return persist(e, f, EVGW_FAULT_CLEARED, now_us);
}

int evgw_faults_clear(struct evgw_fault_engine *e, const char *bus, enum evgw_fault_protocol p, int32_t ecu,
		      uint64_t raw_code, int64_t now_us)
{
	struct evgw_fault *f = find(e, bus, p, ecu, raw_code);
	return f ? clear_one(e, f, now_us) : 0;
}

int evgw_faults_clear_absent(struct evgw_fault_engine *e, const char *bus, enum evgw_fault_protocol p,
			     int32_t ecu, enum evgw_fault_status status, const uint64_t *codes, unsigned n,
			     int64_t now_us)
{
	int r = 0;
	for (unsigned i = 0; i < e->n; i++) {
		struct evgw_fault *f = e->faults[i];
		if (f->protocol != p || f->ecu != ecu || f->status == EVGW_FS_CLEARED || strcmp(f->bus, bus) ||
		    (status && f->status != status))
			continue;
		bool listed = false;
		for (unsigned k = 0; k < n && !listed; k++)
			listed = codes[k] == f->raw_code;
		if (!listed && clear_one(e, f, now_us) < 0)
			r = -EIO;
	}
	return r;
}

const char *evgw_fault_event_name(enum evgw_fault_event ev)
{
	switch (ev) {
	case EVGW_FAULT_RAISED: return "raised";
	case EVGW_FAULT_CHANGED: return "changed";
	case EVGW_FAULT_CLEARED: return "cleared";
	}
	return "unknown";
}
