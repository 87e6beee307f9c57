// SPDX-License-Identifier: MIT
#include "daemon/battery_read.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus/bus.h"
#include "daemon/confirmed.h"
#include "daemon/ecu_requests.h"
#include "daemon/ecu_target.h"
#include "daemon/station.h"
#include "dbc/dbc_scale.h"
#include "loop/loop.h"
#include "vehicle/confidence.h"
#include "vehicle/profile.h"

#define MAX_ASKS 32

/* One DID of one profile ECU (several profile DIDs may share it: 0x1FFC
 * holds the SOC and the capacity). */
struct did_ask {
	int ecu;          /* index in the profile's ecus[] */
	uint16_t did;
};

struct battery_job {
	struct evgw_station *st;
	bool admin;
	struct evgw_battery b;
	unsigned rank[EVGW_BATT_N];       /* the dids[] position that gave each value */
	struct did_ask asks[MAX_ASKS];
	unsigned n, pos;
	bool silent[EVGW_PROFILE_MAX_ECUS]; /* timed out: not asked again in this read */
	evgw_battery_done_fn done;
	void *ud;
};

/* The DIDs the battery table names, one request each; false when none. */
static bool plan(const struct evgw_station *st, struct did_ask *asks, unsigned *n)
{
	const struct evgw_profile *p = st->profile;
	*n = 0;
	if (!p || !st->ecu || st->bus->params.listen_only)
		return false;
	for (unsigned i = 0; i < p->n_dids && *n < MAX_ASKS; i++) {
		const struct evgw_profile_did *pd = &p->dids[i];
		unsigned rank;
		if (pd->ecu < 0 || evgw_batt_qty_of_did(pd->name, &rank) < 0 ||
		    !evgw_profile_ecu_on_bus(p, &p->ecus[pd->ecu], st->bus->name))
			continue;
		bool dup = false;
		for (unsigned k = 0; k < *n; k++)
			dup |= asks[k].ecu == pd->ecu && asks[k].did == pd->did;
		if (!dup)
			asks[(*n)++] = (struct did_ask){pd->ecu, pd->did};
	}
	return *n > 0;
}

unsigned evgw_battery_dids_wanted(const struct evgw_station *st)
{
	struct did_ask asks[MAX_ASKS];
	unsigned n;
	plan(st, asks, &n);
	return n;
}

/* ---- values from an answer ---- */

static void from_answer(struct battery_job *j, const struct did_ask *a, const struct evgw_ecu_entry *e)
{
	const struct evgw_profile *p = j->st->profile;
	for (unsigned i = 0; p && i < p->n_dids; i++) {
		const struct evgw_profile_did *pd = &p->dids[i];
		unsigned rank;
		int q = evgw_batt_qty_of_did(pd->name, &rank);
		double v;
		if (q < 0 || pd->ecu != a->ecu || pd->did != a->did ||
		    (j->b.v[q].from && j->rank[q] <= rank) || evgw_profile_did_decode(pd, e->data, e->len, &v) < 0)
			continue;
		struct evgw_batt_value *out = &j->b.v[q];
		memset(out, 0, sizeof *out);
		out->from = EVGW_BATT_FROM_DID;
		out->value = v;
		out->decimals = dbc_scale_decimals(pd->scale, pd->offset);
		snprintf(out->name, sizeof out->name, "%s", pd->name);
		snprintf(out->ecu, sizeof out->ecu, "%s", p->ecus[pd->ecu].name);
		out->ecu_request = p->ecus[pd->ecu].request;
		out->did = pd->did;
		out->start = pd->start;
		out->length = pd->length;
		snprintf(out->source, sizeof out->source, "%s", pd->source);
		/* Its own confidence, else its ECU's or the profile's; "confirmed"
		 * once the shop confirmed it ([confirmed] in evgw.conf). */
		snprintf(out->confidence, sizeof out->confidence, "%s",
			 evgw_station_did_confirmed(j->st, pd) ? "confirmed"
							       : evgw_confidence_name(evgw_profile_did_confidence(p, pd)));
		j->rank[q] = rank;
	}
}

/* ---- values from the signal table ---- */

static bool has_own_attr(const struct dbc_db *db, const struct dbc_attr *a, const char *name)
{
	size_t n = strlen(name);
	for (; a; a = a->next) {
		struct evgw_str s = dbc_str(db, a->def->name);
		if (s.len == n && !memcmp(s.ptr, name, n))
			return true;
	}
	return false;
}

static void copy_str(char *dst, size_t cap, struct evgw_str s)
{
	size_t n = s.len < cap - 1 ? s.len : cap - 1;
	memcpy(dst, s.ptr, n);
	dst[n] = '\0';
}

/* The signal's own source and confidence (EvgwSignalSource,
 * EvgwSignalConfidence) where it has them, else its message's. */
static void signal_provenance(const struct evgw_station *st, unsigned dbi, const struct dbc_message *m,
			      const struct dbc_signal *s, struct evgw_batt_value *out)
{
	const struct dbc_db *db = st->bus->dbs[dbi];
	bool own = has_own_attr(db, s->extra ? s->extra->attrs : NULL, "EvgwSignalSource");
	copy_str(out->source, sizeof out->source,
		 own ? dbc_attr_text(db, DBC_OBJ_SIGNAL, s, "EvgwSignalSource")
		     : dbc_attr_text(db, DBC_OBJ_MESSAGE, m, "EvgwSource"));
	if (evgw_station_message_confirmed(st, dbi, m)) {
		snprintf(out->confidence, sizeof out->confidence, "confirmed");
		return;
	}
	if (has_own_attr(db, s->extra ? s->extra->attrs : NULL, "EvgwSignalConfidence")) {
		copy_str(out->confidence, sizeof out->confidence, dbc_attr_text(db, DBC_OBJ_SIGNAL, s, "EvgwSignalConfidence"));
		return;
	}
	/* A file without EvgwConfidence is the shop's own: ungraded. */
	enum evgw_confidence c = evgw_dbc_message_confidence(db, m);
	snprintf(out->confidence, sizeof out->confidence, "%s",
		 c == EVGW_CONFIDENCE_UNGRADED ? "ungraded" : evgw_confidence_name(c));
}

/* "MESSAGE.SIGNAL" from the bus's DBC files, if it has been seen. */
static bool from_signal(const struct evgw_station *st, const char *full, int64_t now_us, struct evgw_batt_value *out)
{
	struct evgw_bus *bus = st->bus;
	const char *dot = strchr(full, '.');
	char mname[64];
	if (!dot || (size_t)(dot - full) >= sizeof mname)
		return false;
	memcpy(mname, full, (size_t)(dot - full));
	mname[dot - full] = '\0';
	for (unsigned db = 0; db < bus->n_dbs; db++) {
		const struct dbc_db *d = bus->dbs[db];
		const struct dbc_message *m = dbc_find_message_by_name(d, mname);
		const struct dbc_signal *s = m ? dbc_find_signal(d, m, dot + 1) : NULL;
		if (!s)
			continue;
		const struct evgw_sig_slot *slot = evgw_bus_slot(bus, db, m, s);
		if (!slot->seq)
			continue; /* defined, never received */
		memset(out, 0, sizeof *out);
		out->from = EVGW_BATT_FROM_SIGNAL;
		out->value = slot->phys;
		out->decimals = dbc_signal_decimals(s);
		snprintf(out->name, sizeof out->name, "%s", full);
		out->age_s = now_us > slot->ts_us ? (double)(now_us - slot->ts_us) / 1e6 : 0;
		signal_provenance(st, db, m, s, out);
		return true;
	}
	return false;
}

void evgw_battery_from_signals(const struct evgw_station *st, struct evgw_battery *b)
{
	int64_t now = evgw_now_real_us();
	for (unsigned q = 0; q < EVGW_BATT_N; q++) {
		const struct evgw_batt_qty_info *qi = evgw_batt_qty_info(q);
		for (unsigned i = 0; !b->v[q].from && i < EVGW_BATT_MAX_NAMES && qi->signals[i]; i++)
			from_signal(st, qi->signals[i], now, &b->v[q]);
	}
	evgw_battery_finish(b);
}

/* ---- the reads, one after the other ---- */

static void job_end(struct battery_job *j, bool gone)
{
	if (gone)
		evgw_battery_finish(&j->b); /* the bus is going away: its signals too */
	else
		evgw_battery_from_signals(j->st, &j->b);
	j->done(j->ud, &j->b);
	free(j);
}

static void on_did(void *ud, const struct evgw_ecu_result *r);

/* Ask the next DID whose ECU has not fallen silent. 0: asked; else the
 * reads are over (-ENOENT: nothing left). */
static int ask_next(struct battery_job *j)
{
	const struct evgw_profile *p = j->st->profile;
	for (; j->pos < j->n; j->pos++) {
		const struct did_ask *a = &j->asks[j->pos];
		if (!p || a->ecu >= (int)p->n_ecus || j->silent[a->ecu])
			continue;
		struct evgw_ecu_target t;
		char err[256];
		int rc = evgw_ecu_resolve(j->st, p->ecus[a->ecu].name, -1, 0, EVGW_ASK_READ_DID, &t, err, sizeof err);
		if (rc == 0 && !j->admin)
			rc = evgw_ecu_target_check_open(j->st, &t, EVGW_ASK_READ_DID, err, sizeof err);
		if (rc < 0) {
			char did[8];
			snprintf(did, sizeof did, "%04X", a->did);
			evgw_battery_note(&j->b, N_("DID 0x{0} of ECU {1} not read: {2}"), 3,
					  (const struct evgw_text_arg[]){EVGW_TEXT_VALUE(did),
									 EVGW_TEXT_VALUE(p->ecus[a->ecu].name),
									 EVGW_TEXT_VALUE(err)});
			j->silent[a->ecu] = true;
			continue;
		}
		struct evgw_ecu_query q = {.ask = EVGW_ASK_READ_DID, .did = a->did};
		rc = evgw_ecu_request(j->st->ecu, &t, &q, on_did, j);
		if (rc == 0)
			j->b.dids_asked++;
		return rc;
	}
	return -ENOENT;
}

static void on_did(void *ud, const struct evgw_ecu_result *r)
{
	struct battery_job *j = ud;
	const struct did_ask *a = &j->asks[j->pos];
	const struct evgw_ecu_entry *e = r->n ? &r->entries[0] : NULL;
	bool gone = r->err == EVGW_ECU_GONE || (e && e->err == EVGW_ECU_GONE);
	if (gone) {
		evgw_battery_note(&j->b, N_("bus {0} went away while the BMS was being read"), 1,
				  (const struct evgw_text_arg[]){EVGW_TEXT_VALUE(j->b.bus)});
		job_end(j, true);
		return;
	}
	if (e && !e->err && e->has_did) {
		j->b.dids_answered++;
		from_answer(j, a, e);
	} else if (e && e->err == EVGW_ECU_TIMEOUT) {
		j->silent[a->ecu] = true;
		evgw_battery_note(&j->b, N_("{0}; its other DIDs were not asked"), 1,
				  (const struct evgw_text_arg[]){EVGW_TEXT_VALUE(e->message)});
	} else {
		char did[8];
		snprintf(did, sizeof did, "%04X", a->did);
		evgw_battery_note(&j->b, N_("DID 0x{0}: {1}"), 2,
				  (const struct evgw_text_arg[]){EVGW_TEXT_VALUE(did),
								 EVGW_TEXT_VALUE(e ? e->message : r->message)});
	}
	j->pos++;
	int rc = ask_next(j);
	if (rc == 0)
		return;
	if (rc != -ENOENT)
		evgw_battery_note(&j->b, N_("the remaining DIDs were not asked: {0}"), 1,
				  (const struct evgw_text_arg[]){EVGW_TEXT_VALUE(strerror(-rc))});
	job_end(j, false);
}

int evgw_battery_read(struct evgw_station *st, bool admin, evgw_battery_done_fn done, void *ud)
{
	struct battery_job *j = calloc(1, sizeof *j);
	if (!j)
		return -ENOMEM;
	if (!plan(st, j->asks, &j->n)) {
		free(j);
		return -ENODATA;
	}
	j->st = st;
	j->admin = admin;
	j->done = done;
	j->ud = ud;
	evgw_battery_init(&j->b, st->bus->name, st->profile ? st->profile->name : "");
	int rc = ask_next(j);
	if (rc < 0) {
		free(j);
		return rc == -ENOENT ? -ENODATA : rc;
	}
	return 0;
}
