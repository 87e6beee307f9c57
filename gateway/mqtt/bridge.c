// SPDX-License-Identifier: MIT
/* The MQTT bridge (bridge.h). Bounds: at most INFLIGHT QoS 1 messages
 * handed to the link and not yet acknowledged (fault changes take at most
 * FAULT_WINDOW of them and wait in the store beyond), at most QOS0_MAX
 * QoS 0 messages not yet written (signals beyond are skipped and counted):
 * a broker that is slow or away costs bounded memory, never the loop. */
#include "mqtt/bridge.h"

#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "bus/bus.h"
#include "daemon/daemon.h"
#include "daemon/fault_sources.h"
#include "daemon/stations.h"
#include "dbc/dbc_json.h"
#include "faults/store.h"
#include "mqtt/link.h"
#include "mqtt/mark.h"
#include "mqtt/payload.h"
#include "util/numfmt.h"

#define INFLIGHT 1024
#define FAULT_WINDOW 512
#define QOS0_MAX 1024
#define MAX_SIGNALS 4096
#define BATCH 128
#define PROBLEM_RELOG_US (60 * 1000000LL)

struct sig_pub {
	unsigned station;
	unsigned db;
	const struct dbc_message *m;
	const struct dbc_signal *s;
	char *topic;
	int64_t period_us, next_us;
	uint64_t last_seq;
};

struct bus_pub {
	char name[33];
	char vin[18];    /* published */
	bool faults_dirty;
};

struct inflight {
	int mid;
	int64_t seq; /* a fault change's seq, or 0 */
	bool done;
};

struct evgw_mqtt_bridge {
	struct evgw_daemon *d;
	struct evgw_mqtt_config cfg; /* moved out of d->cfg */
	char unit[64], client_id[96], base[256], status_topic[272];
	char *mark_path;
	struct evgw_mqtt_link *link;
	struct evgw_io io;
	struct evgw_timer tick;
	bool connected, ever_connected;
	char problem[256];         /* the last problem logged */
	int64_t problem_us;
	const char *state;         /* for status: connecting, connected, refused, unreachable, lost */
	int64_t state_since_us;    /* wall clock */
	char last_error[256];
	/* Fault changes: told = the last seq handed over; acked = every seq
	 * up to it is at the broker (the mark). */
	bool cursor_ready, catchup_pending, halt;
	uint64_t store_gen;        /* the store keeper's "recreated" when the cursor was set */
	bool blocked;              /* changes wait for room in the window */
	int64_t told, acked, mark_saved, mark_next_us;
	struct inflight ring[INFLIGHT];
	unsigned head, n, faults_out, q0;
	struct sig_pub *sigs;
	unsigned n_sigs;
	struct bus_pub buses[EVGW_MAX_BUSES];
	unsigned n_buses;
	int64_t next_health_us, next_second_us;
	struct evgw_textbuf tb;
	uint64_t published, skipped;
	/* Discovery configs are QoS 1 too: more than the window takes go out
	 * as acknowledgements make room, from the first not yet sent. */
	bool disc_pending;
	unsigned disc_next;
};

/* --- publishing --- */

static int pub(struct evgw_mqtt_bridge *b, const char *topic, const char *payload, size_t len, int qos,
	       bool retain, int64_t seq)
{
	if (!b->connected)
		return -ENOTCONN;
	if (qos > 0 && b->n == INFLIGHT)
		return -ENOBUFS;
	if (qos == 0 && b->q0 >= QOS0_MAX) {
		b->skipped++;
		return -ENOBUFS;
	}
	int mid = 0;
	int r = evgw_mqtt_link_publish(b->link, topic, payload, len, qos, retain, &mid);
	if (r < 0)
		return r;
	b->published++;
	if (qos == 0) {
		b->q0++;
	} else {
		struct inflight *e = &b->ring[(b->head + b->n++) % INFLIGHT];
		e->mid = mid;
		e->seq = seq;
		e->done = false;
		if (seq > 0)
			b->faults_out++;
	}
	return 0;
}

static int pub_text(struct evgw_mqtt_bridge *b, const char *topic, const char *text, int qos, bool retain)
{
	return pub(b, topic, text, strlen(text), qos, retain, 0);
}

static int pub_tb(struct evgw_mqtt_bridge *b, const char *topic, int qos, bool retain, int64_t seq)
{
	if (b->tb.failed)
		return -ENOMEM;
	return pub(b, topic, b->tb.buf ? b->tb.buf : "", b->tb.len, qos, retain, seq);
}

static void acked(struct evgw_mqtt_bridge *b, int mid)
{
	for (unsigned i = 0; i < b->n; i++) {
		struct inflight *e = &b->ring[(b->head + i) % INFLIGHT];
		if (e->mid == mid && !e->done) {
			e->done = true;
			while (b->n && b->ring[b->head].done) {
				struct inflight *f = &b->ring[b->head];
				if (f->seq > 0) {
					b->acked = f->seq;
					b->faults_out--;
				}
				b->head = (b->head + 1) % INFLIGHT;
				b->n--;
			}
			return;
		}
	}
	if (b->q0)
		b->q0--;
}

/* --- buses --- */

static struct bus_pub *bus_pub(struct evgw_mqtt_bridge *b, const char *name)
{
	for (unsigned i = 0; i < b->n_buses; i++)
		if (!strcmp(b->buses[i].name, name))
			return &b->buses[i];
	return NULL;
}

static void topic(char *out, size_t cap, const struct evgw_mqtt_bridge *b, const char *bus, const char *rest)
{
	snprintf(out, cap, "%s/%s/%s", b->base, bus, rest);
}

static void publish_state(struct evgw_mqtt_bridge *b, const struct evgw_bus *bus)
{
	char t[512];
	topic(t, sizeof t, b, bus->name, "state");
	pub_text(b, t, evgw_bus_state_name(bus->state), 1, true);
}

static void publish_health(struct evgw_mqtt_bridge *b, const struct evgw_bus *bus)
{
	char t[512];
	topic(t, sizeof t, b, bus->name, "health");
	evgw_textbuf_reset(&b->tb);
	evgw_mqtt_health_json(&b->tb, bus);
	pub_tb(b, t, 0, true, 0);
}

static void publish_faults(struct evgw_mqtt_bridge *b, struct bus_pub *bp)
{
	char t[512];
	topic(t, sizeof t, b, bp->name, "faults");
	evgw_textbuf_reset(&b->tb);
	evgw_mqtt_faults_json(&b->tb, &b->d->faults, bp->name);
	if (pub_tb(b, t, 1, true, 0) == 0)
		bp->faults_dirty = false;
}

/* The VIN a bus's session has (read by `vin` or J1939), once per value. */
static void publish_vin(struct evgw_mqtt_bridge *b, struct bus_pub *bp)
{
	const struct evgw_fault_engine *e = &b->d->faults;
	for (unsigned i = 0; i < e->n_sessions; i++) {
		if (strcmp(e->sessions[i].bus, bp->name) || !e->sessions[i].vin[0] ||
		    !strcmp(e->sessions[i].vin, bp->vin))
			continue;
		char t[512];
		topic(t, sizeof t, b, bp->name, "vin");
		if (pub_text(b, t, e->sessions[i].vin, 1, true) == 0)
			snprintf(bp->vin, sizeof bp->vin, "%s", e->sessions[i].vin);
	}
}

/* --- fault changes, from the store --- */

static void on_change(void *ud, const struct evgw_store_change *c)
{
	struct evgw_mqtt_bridge *b = ud;
	if (b->halt)
		return;
	char t[512], id[32];
	snprintf(id, sizeof id, "fault/%" PRId64, c->fault.id);
	topic(t, sizeof t, b, c->fault.bus, id);
	evgw_textbuf_reset(&b->tb);
	evgw_mqtt_fault_json(&b->tb, c->seq, c->event, c->at_us, &c->fault);
	if (pub_tb(b, t, 1, true, c->seq) < 0) {
		b->halt = true; /* the rest waits: in order or not at all */
		return;
	}
	b->told = c->seq;
	struct bus_pub *bp = bus_pub(b, c->fault.bus);
	if (bp)
		bp->faults_dirty = true;
}

/* A store made anew (the file was deleted or replaced under the daemon)
 * numbers its changes from 1 again, and holds every fault written into it
 * again, which was told already. Once that is written, the cursor moves to
 * its end; the changes told meanwhile were published as they were told
 * (obs_fault). False while it is not: nothing may be published from it yet. */
static bool same_store(struct evgw_mqtt_bridge *b)
{
	struct evgw_store_health h;
	evgw_daemon_store_health(b->d, &h);
	if (h.recreated == b->store_gen)
		return true;
	struct evgw_store *s = evgw_store_keeper_reader(&b->d->store_keeper);
	if (b->d->faults.n_pending || !s)
		return false;
	int64_t last = evgw_store_last_change(s);
	if (last < 0)
		return false;
	evgw_notice(&b->d->log, "mqtt: a new fault store (the file went): publishing its changes after #%" PRId64
		    " (the faults written into it again were told before)", last);
	b->store_gen = h.recreated;
	b->told = b->acked = last;
	b->mark_saved = -1;
	for (unsigned i = 0; i < b->n; i++) /* the old store's numbers */
		b->ring[(b->head + i) % INFLIGHT].seq = 0;
	b->faults_out = 0;
	return true;
}

static void catch_up(struct evgw_mqtt_bridge *b)
{
	struct evgw_store *s = evgw_store_keeper_reader(&b->d->store_keeper);
	b->catchup_pending = false;
	if (!b->connected || !b->cursor_ready || !s || !same_store(b))
		return;
	b->blocked = false;
	for (;;) {
		unsigned room = FAULT_WINDOW - b->faults_out;
		if (INFLIGHT - b->n < room + 64)
			room = INFLIGHT - b->n > 64 ? INFLIGHT - b->n - 64 : 0;
		if (room == 0) {
			b->blocked = true;
			break;
		}
		unsigned want = room < BATCH ? room : BATCH;
		b->halt = false;
		int got = evgw_store_changes(s, b->told, want, on_change, b);
		if (b->halt)
			b->blocked = true;
		if (got < 0 || b->halt || (unsigned)got < want)
			break;
	}
	for (unsigned i = 0; i < b->n_buses; i++)
		if (b->buses[i].faults_dirty)
			publish_faults(b, &b->buses[i]);
}

/* Where the published changes end: the mark, or (first run, or a store
 * that is newer than the mark) the store's latest change. */
static void init_cursor(struct evgw_mqtt_bridge *b)
{
	struct evgw_store *s = evgw_store_keeper_reader(&b->d->store_keeper);
	if (b->cursor_ready || !s)
		return;
	int64_t last = evgw_store_last_change(s);
	if (last < 0)
		return;
	struct evgw_store_health h;
	evgw_daemon_store_health(b->d, &h);
	b->store_gen = h.recreated;
	char err[300];
	int64_t mark = 0;
	int r = evgw_mqtt_mark_read(b->mark_path, &mark, err, sizeof err);
	if (r == 0 && mark <= last) {
		b->told = b->acked = mark;
		if (mark < last)
			evgw_notice(&b->d->log, "mqtt: %" PRId64 " fault changes since the last run to publish", last - mark);
	} else {
		if (r == 0)
			evgw_notice(&b->d->log, "mqtt: %s is past the fault store's last change (a new store): "
				    "publishing from its end", b->mark_path);
		else if (r != -ENOENT)
			evgw_warn(&b->d->log, "mqtt: %s; publishing fault changes from now on", err);
		b->told = b->acked = last;
	}
	b->mark_saved = -1;
	b->cursor_ready = true;
}

static void save_mark(struct evgw_mqtt_bridge *b)
{
	if (!b->cursor_ready || b->acked == b->mark_saved)
		return;
	int r = evgw_mqtt_mark_write(b->mark_path, b->acked);
	if (r < 0) {
		evgw_warn(&b->d->log, "mqtt: cannot write %s: %s", b->mark_path, strerror(-r));
		return;
	}
	b->mark_saved = b->acked;
}

/* --- signals --- */

struct resolve {
	struct evgw_mqtt_bridge *b;
	const struct evgw_mqtt_signal *item;
	unsigned station;
};

static bool matches(const char *glob, const struct dbc_db *db, const struct dbc_message *m,
		    const struct dbc_signal *s, char *name, size_t cap)
{
	struct evgw_str mn = dbc_str(db, m->name), sn = dbc_str(db, s->name);
	bool qualified = strchr(glob, '.') != NULL;
	if (qualified)
		snprintf(name, cap, "%.*s.%.*s", (int)mn.len, mn.ptr, (int)sn.len, sn.ptr);
	else
		snprintf(name, cap, "%.*s", (int)sn.len, sn.ptr);
	return fnmatch(glob, name, 0) == 0;
}

static int resolve_one(void *ud, struct evgw_bus *bus, unsigned db, const struct dbc_message *m,
		       const struct dbc_signal *s, struct evgw_sig_slot *slot)
{
	struct resolve *rs = ud;
	struct evgw_mqtt_bridge *b = rs->b;
	char name[256], t[600];
	(void)slot;
	if (!matches(rs->item->glob, bus->dbs[db], m, s, name, sizeof name))
		return 0;
	snprintf(t, sizeof t, "%s/%s/signal/%s", b->base, bus->name, name);
	for (unsigned i = 0; i < b->n_sigs; i++)
		if (!strcmp(b->sigs[i].topic, t))
			return 0; /* the first item that names it sets its rate */
	if (b->n_sigs == MAX_SIGNALS)
		return 1;
	struct sig_pub *grown = realloc(b->sigs, (b->n_sigs + 1) * sizeof *grown);
	if (!grown)
		return -ENOMEM;
	b->sigs = grown;
	struct sig_pub *p = &grown[b->n_sigs];
	memset(p, 0, sizeof *p);
	if (!(p->topic = strdup(t)))
		return -ENOMEM;
	p->station = rs->station;
	p->db = db;
	p->m = m;
	p->s = s;
	p->period_us = (int64_t)(1e6 / rs->item->rate + 0.5);
	b->n_sigs++;
	return 0;
}

static void free_sigs(struct evgw_mqtt_bridge *b)
{
	for (unsigned i = 0; i < b->n_sigs; i++)
		free(b->sigs[i].topic);
	free(b->sigs);
	b->sigs = NULL;
	b->n_sigs = 0;
}

/* The buses and the signals, (again) from the daemon's stations. */
static void resolve(struct evgw_mqtt_bridge *b)
{
	struct evgw_daemon *d = b->d;
	free_sigs(b);
	b->n_buses = 0;
	for (unsigned i = 0; i < d->n_stations && i < EVGW_MAX_BUSES; i++) {
		struct bus_pub *bp = &b->buses[b->n_buses++];
		memset(bp, 0, sizeof *bp);
		snprintf(bp->name, sizeof bp->name, "%s", d->stations[i]->bus->name);
		bp->faults_dirty = true;
	}
	for (unsigned k = 0; k < b->cfg.n_signals; k++) {
		const struct evgw_mqtt_signal *item = &b->cfg.signals[k];
		unsigned before = b->n_sigs;
		for (unsigned i = 0; i < d->n_stations; i++) {
			if (strcmp(d->stations[i]->bus->name, item->bus))
				continue;
			struct resolve rs = {b, item, i};
			evgw_bus_for_each_signal(d->stations[i]->bus, resolve_one, &rs);
		}
		if (b->n_sigs == before)
			evgw_warn(&d->log, "mqtt: signals: %s/%s matches no signal of the bus's DBC files",
				  item->bus, item->glob);
	}
	int64_t now = evgw_now_mono_us();
	for (unsigned i = 0; i < b->n_sigs; i++)
		b->sigs[i].next_us = now;
}

static void publish_signals(struct evgw_mqtt_bridge *b, int64_t now)
{
	struct evgw_daemon *d = b->d;
	for (unsigned i = 0; i < b->n_sigs; i++) {
		struct sig_pub *p = &b->sigs[i];
		if (now < p->next_us)
			continue;
		p->next_us += p->period_us;
		if (p->next_us <= now) /* behind (a busy loop): no burst to catch up */
			p->next_us = now + p->period_us;
		if (p->station >= d->n_stations)
			continue;
		struct evgw_bus *bus = d->stations[p->station]->bus;
		const struct evgw_sig_slot *slot = evgw_bus_slot(bus, p->db, p->m, p->s);
		if (!slot->seq || slot->seq == p->last_seq || !b->connected)
			continue;
		char text[EVGW_NUMFMT_MAX + DBC_JSON_SLACK];
		struct dbc_value v = {p->s, slot->raw, slot->phys};
		const struct dbc_json_sig *js = dbc_json_names_sig(bus->dbs[p->db]->json, p->m, p->s);
		char *end = dbc_json_put_value(text, &js->plan, &v);
		if (pub(b, p->topic, text, (size_t)(end - text), 0, false, 0) == 0)
			p->last_seq = slot->seq;
	}
}

/* --- Home Assistant discovery --- */

static int discover_one(struct evgw_mqtt_bridge *b, const char *object, struct evgw_mqtt_sensor *s)
{
	char t[600], uid[200];
	snprintf(uid, sizeof uid, "evgw_%s_%s", b->unit, object);
	evgw_mqtt_id(uid, sizeof uid, uid);
	s->unique_id = uid;
	s->unit_name = b->unit;
	s->availability_topic = b->status_topic;
	snprintf(t, sizeof t, "%s/sensor/%s/config", b->cfg.discovery_prefix, uid);
	evgw_textbuf_reset(&b->tb);
	evgw_mqtt_discovery_json(&b->tb, s);
	return pub_tb(b, t, 1, true, 0);
}

/* Discovery's item k: the state and the faults of each bus, then a
 * sensor per published signal. */
static int discover_item(struct evgw_mqtt_bridge *b, unsigned k)
{
	char object[200], name[200], state[512], faults[512], unit[64];
	if (k < 2 * b->n_buses) {
		const char *bus = b->buses[k / 2].name;
		if (k % 2 == 0) {
			topic(state, sizeof state, b, bus, "state");
			snprintf(object, sizeof object, "%s_state", bus);
			snprintf(name, sizeof name, "%s bus state", bus);
			struct evgw_mqtt_sensor s = {.name = name, .state_topic = state};
			return discover_one(b, object, &s);
		}
		topic(faults, sizeof faults, b, bus, "faults");
		snprintf(object, sizeof object, "%s_faults", bus);
		snprintf(name, sizeof name, "%s active faults", bus);
		struct evgw_mqtt_sensor f = {.name = name, .state_topic = faults,
					     .value_template = "{{ value_json.active }}",
					     .json_attributes_topic = faults};
		return discover_one(b, object, &f);
	}
	const struct sig_pub *p = &b->sigs[k - 2 * b->n_buses];
	if (p->station >= b->d->n_stations)
		return 0;
	const struct evgw_bus *bus = b->d->stations[p->station]->bus;
	const char *sig = strrchr(p->topic, '/') + 1;
	struct evgw_str u = dbc_str(bus->dbs[p->db], p->s->unit);
	snprintf(unit, sizeof unit, "%.*s", (int)u.len, u.ptr);
	snprintf(object, sizeof object, "%s_%s", bus->name, sig);
	snprintf(name, sizeof name, "%s %s", bus->name, sig);
	struct evgw_mqtt_sensor s = {.name = name, .state_topic = p->topic, .unit_of_measurement = unit};
	return discover_one(b, object, &s);
}

/* Items from b->disc_next on, until the window is full (-ENOBUFS: the
 * rest goes when acknowledgements make room) or all are sent. */
static void discover(struct evgw_mqtt_bridge *b)
{
	unsigned total = 2 * b->n_buses + b->n_sigs;
	b->disc_pending = true;
	for (; b->disc_next < total; b->disc_next++)
		if (discover_item(b, b->disc_next) == -ENOBUFS)
			return;
	b->disc_pending = false;
}

/* --- the link's events --- */

static void set_state(struct evgw_mqtt_bridge *b, const char *state)
{
	if (!b->state || strcmp(b->state, state))
		b->state_since_us = evgw_now_real_us();
	b->state = state;
}

static void problem(struct evgw_mqtt_bridge *b, const char *state, const char *what, const char *text)
{
	char line[256];
	int64_t now = evgw_now_mono_us();
	set_state(b, state);
	snprintf(b->last_error, sizeof b->last_error, "%s", text);
	snprintf(line, sizeof line, "%s: %s", what, text);
	if (!strcmp(line, b->problem) && now - b->problem_us < PROBLEM_RELOG_US)
		return;
	snprintf(b->problem, sizeof b->problem, "%s", line);
	b->problem_us = now;
	evgw_warn(&b->d->log, "mqtt: %s %s (retrying)", b->cfg.broker, line);
}

static void on_connected(struct evgw_mqtt_bridge *b)
{
	struct evgw_daemon *d = b->d;
	b->connected = true;
	set_state(b, "connected");
	b->q0 = 0; /* what was not written went with the old connection */
	b->problem[0] = '\0';
	evgw_notice(&d->log, "mqtt: connected to %s as %s; topics under %s/", b->cfg.broker, b->client_id, b->base);
	b->ever_connected = true;
	pub_text(b, b->status_topic, "online", 1, true);
	for (unsigned i = 0; i < d->n_stations; i++) {
		publish_state(b, d->stations[i]->bus);
		publish_health(b, d->stations[i]->bus);
	}
	for (unsigned i = 0; i < b->n_buses; i++) {
		b->buses[i].vin[0] = '\0';
		b->buses[i].faults_dirty = true;
		publish_vin(b, &b->buses[i]);
	}
	b->disc_next = 0;
	b->disc_pending = false;
	if (b->cfg.discovery)
		discover(b);
	catch_up(b);
}

static void on_link(struct evgw_loop *loop, struct evgw_io *io, uint32_t events)
{
	struct evgw_mqtt_bridge *b = io->ud;
	struct evgw_mqtt_link_event ev[64];
	unsigned n;
	(void)loop;
	(void)events;
	while ((n = evgw_mqtt_link_take(b->link, ev, 64)) > 0) {
		for (unsigned i = 0; i < n; i++) {
			switch (ev[i].kind) {
			case EVGW_MQTT_CONNECTED:
				on_connected(b);
				break;
			case EVGW_MQTT_REFUSED:
				b->connected = false;
				problem(b, "refused", "refused the connection", ev[i].text);
				break;
			case EVGW_MQTT_FAILED:
				b->connected = false;
				problem(b, b->ever_connected && !strcmp(b->state, "lost") ? "lost" : "unreachable",
					"cannot be reached", ev[i].text);
				break;
			case EVGW_MQTT_LOST:
				b->connected = false;
				problem(b, "lost", "connection lost", ev[i].text);
				break;
			case EVGW_MQTT_PUBLISHED:
				acked(b, ev[i].mid);
				break;
			}
		}
		if (n < 64)
			break;
	}
	/* Room again: what waited in the store, then discovery's rest. */
	if (b->connected && b->blocked && b->faults_out < FAULT_WINDOW / 2)
		catch_up(b);
	if (b->connected && b->disc_pending && b->n < INFLIGHT / 2)
		discover(b);
}

/* --- the timer --- */

static void on_tick(struct evgw_loop *loop, struct evgw_timer *t)
{
	struct evgw_mqtt_bridge *b = t->ud;
	int64_t now = evgw_now_mono_us();
	(void)loop;
	publish_signals(b, now);
	if (b->catchup_pending)
		catch_up(b);
	if (now >= b->next_second_us) {
		b->next_second_us = now + 1000000;
		init_cursor(b);
		if (b->cursor_ready)
			same_store(b);
		catch_up(b);
		for (unsigned i = 0; i < b->n_buses; i++)
			publish_vin(b, &b->buses[i]);
		if (now >= b->mark_next_us) {
			save_mark(b);
			b->mark_next_us = now + 1000000;
		}
	}
	if (now >= b->next_health_us) {
		b->next_health_us = now + (int64_t)b->cfg.health_interval * 1000000;
		for (unsigned i = 0; i < b->d->n_stations; i++)
			publish_health(b, b->d->stations[i]->bus);
	}
}

/* The tick follows the fastest signal (10 ms at most), else 100 ms. */
static int arm_tick(struct evgw_mqtt_bridge *b)
{
	int64_t us = 100000;
	for (unsigned i = 0; i < b->n_sigs; i++)
		if (b->sigs[i].period_us < us)
			us = b->sigs[i].period_us;
	if (us < 10000)
		us = 10000;
	return evgw_timer_arm(&b->tick, (uint64_t)us, (uint64_t)us);
}

/* --- observer hooks --- */

static void obs_bus_state(void *ud, const struct evgw_station *st, enum evgw_bus_state now,
			  enum evgw_bus_state was)
{
	struct evgw_mqtt_bridge *b = ud;
	(void)now;
	(void)was;
	publish_state(b, st->bus);
	publish_health(b, st->bus);
}

static void obs_fault(void *ud, const struct evgw_fault *f, enum evgw_fault_event ev)
{
	struct evgw_mqtt_bridge *b = ud;
	struct bus_pub *bp = bus_pub(b, f->bus);
	if (bp)
		bp->faults_dirty = true;
	struct evgw_store *s = evgw_store_keeper_reader(&b->d->store_keeper);
	struct evgw_store_health h;
	evgw_daemon_store_health(b->d, &h);
	if (s && (!b->cursor_ready || h.recreated == b->store_gen)) {
		/* It is in the store: published from there, at the next tick
		 * (100 ms at most). */
		b->catchup_pending = true;
		return;
	}
	/* No store (memory only), or a store made anew whose rows cannot be
	 * told yet from those written into it again (same_store): as it
	 * happens, with its row's seq when there is one. */
	int64_t seq = s ? evgw_store_last_change_of(s, f->id) : 0;
	char t[512], id[32];
	snprintf(id, sizeof id, "fault/%" PRId64, f->id);
	topic(t, sizeof t, b, f->bus, id);
	evgw_textbuf_reset(&b->tb);
	evgw_mqtt_fault_json(&b->tb, seq > 0 ? seq : 0, evgw_fault_event_name(ev), evgw_now_real_us(), f);
	pub_tb(b, t, 1, true, 0);
	if (bp)
		publish_faults(b, bp);
}

static void obs_buses_changed(void *ud)
{
	struct evgw_mqtt_bridge *b = ud;
	resolve(b);
	arm_tick(b);
	if (b->connected) {
		for (unsigned i = 0; i < b->d->n_stations; i++)
			publish_state(b, b->d->stations[i]->bus);
		if (b->cfg.discovery)
			discover(b);
	}
}

static void obs_status(void *ud, struct evgw_consumer_status *out)
{
	const struct evgw_mqtt_bridge *b = ud;
	out->name = "mqtt";
	out->target = b->cfg.broker;
	out->state = b->state;
	out->since_us = b->state_since_us;
	out->last_error = b->last_error;
	out->sent = b->published;
	out->skipped = b->skipped;
	out->unacked = (uint64_t)(b->told - b->acked);
}

struct evgw_daemon_observer evgw_mqtt_observer(struct evgw_mqtt_bridge *b)
{
	struct evgw_daemon_observer o = {obs_bus_state, obs_fault, obs_buses_changed, b, obs_status};
	return o;
}

/* --- open and close --- */

int evgw_mqtt_open(struct evgw_daemon *d, struct evgw_mqtt_bridge **out, char *err, size_t errlen)
{
	struct evgw_mqtt_bridge *b = calloc(1, sizeof *b);
	if (!b) {
		snprintf(err, errlen, "mqtt: out of memory");
		return -ENOMEM;
	}
	b->d = d;
	b->cfg = d->cfg.mqtt;
	memset(&d->cfg.mqtt, 0, sizeof d->cfg.mqtt);
	b->io.fd = -1;
	b->tick.io.fd = -1;
	set_state(b, "connecting");
	evgw_textbuf_init(&b->tb);
	if (b->cfg.unit) {
		snprintf(b->unit, sizeof b->unit, "%s", b->cfg.unit);
	} else {
		char host[256] = "";
		if (gethostname(host, sizeof host - 1) < 0 || !host[0])
			snprintf(host, sizeof host, "evgw");
		char *dot = strchr(host, '.');
		if (dot)
			*dot = '\0';
		evgw_mqtt_id(b->unit, sizeof b->unit, host);
	}
	if (b->cfg.client_id)
		snprintf(b->client_id, sizeof b->client_id, "%s", b->cfg.client_id);
	else
		snprintf(b->client_id, sizeof b->client_id, "evgw-%s", b->unit);
	snprintf(b->base, sizeof b->base, "%s/%s", b->cfg.prefix, b->unit);
	snprintf(b->status_topic, sizeof b->status_topic, "%s/status", b->base);
	size_t n = strlen(d->cfg.state_dir) + sizeof "/mqtt.mark";
	b->mark_path = malloc(n);
	if (!b->mark_path) {
		evgw_mqtt_close(b);
		snprintf(err, errlen, "mqtt: out of memory");
		return -ENOMEM;
	}
	snprintf(b->mark_path, n, "%s/mqtt.mark", d->cfg.state_dir);
	resolve(b);
	int r = evgw_mqtt_link_start(&b->cfg, b->client_id, b->status_topic, &b->link, err, errlen);
	if (r == 0)
		r = evgw_loop_add(&d->loop, &b->io, evgw_mqtt_link_fd(b->link), EPOLLIN, on_link, b);
	if (r == 0)
		r = evgw_timer_init(&d->loop, &b->tick, on_tick, b);
	if (r == 0)
		r = arm_tick(b);
	if (r < 0) {
		if (!err[0])
			snprintf(err, errlen, "mqtt: %s", strerror(-r));
		evgw_mqtt_close(b);
		return r;
	}
	evgw_notice(&d->log, "mqtt: connecting to %s as %s (%u signals)", b->cfg.broker, b->client_id, b->n_sigs);
	*out = b;
	return 0;
}

void evgw_mqtt_close(struct evgw_mqtt_bridge *b)
{
	if (!b)
		return;
	evgw_loop_del(&b->d->loop, &b->io);
	evgw_timer_fini(&b->d->loop, &b->tick);
	/* What the link reports while it says goodbye (the last acks) still
	 * moves the mark. */
	if (evgw_mqtt_link_stop(b->link)) {
		struct evgw_mqtt_link_event ev[64];
		unsigned n;
		while ((n = evgw_mqtt_link_take(b->link, ev, 64)) > 0)
			for (unsigned i = 0; i < n; i++)
				if (ev[i].kind == EVGW_MQTT_PUBLISHED)
					acked(b, ev[i].mid);
	}
	evgw_mqtt_link_free(b->link);
	save_mark(b);
	if (b->ever_connected)
		evgw_info(&b->d->log, "mqtt: disconnected (%" PRIu64 " messages published, %" PRIu64 " skipped)",
			  b->published, b->skipped);
	free_sigs(b);
	evgw_textbuf_free(&b->tb);
	free(b->mark_path);
	evgw_mqtt_config_free(&b->cfg);
	free(b);
}
