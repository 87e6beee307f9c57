// SPDX-License-Identifier: MIT
/* The battery command: {"cmd":"battery","bus":"car"} (without "bus": one
 * reading per bus, as an array). The BMS's DIDs are
 * read through the daemon's battery reader (daemon/battery_read.h) on a
 * bus in diagnostic mode (one ECU request for the per-user rate); the
 * rest, and everything on a J1939 e-bus, from the latest decoded signals.
 * The answer as one JSON object: every quantity by key (null when nothing
 * gave it), soh_percent and soh_method, cell_spread_mv, unconfirmed, and
 * per value where it came from. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_internal.h"
#include "daemon/battery_read.h"
#include "daemon/daemon.h"
#include "daemon/ecu_requests.h"
#include "daemon/station.h"
#include "vehicle/battery.h"

static void value_or_null(struct evgw_textbuf *tb, bool has, double v, int decimals)
{
	if (has)
		evgw_textbuf_value(tb, v, decimals, decimals > 0 ? decimals : 0);
	else
		evgw_textbuf_puts(tb, "null");
}

static void source_json(struct evgw_textbuf *tb, const struct evgw_batt_value *v)
{
	evgw_textbuf_puts(tb, "{\"from\":");
	api_json_str(tb, v->from == EVGW_BATT_FROM_DID ? "did" : "signal");
	evgw_textbuf_puts(tb, ",\"name\":");
	api_json_str(tb, v->name);
	if (v->from == EVGW_BATT_FROM_DID) {
		evgw_textbuf_puts(tb, ",\"ecu\":");
		api_json_str(tb, v->ecu);
		evgw_textbuf_printf(tb, ",\"request_id\":%u,\"did\":%u,\"start\":%u,\"length\":%u", (unsigned)v->ecu_request,
				    v->did, v->start, v->length);
	} else {
		evgw_textbuf_puts(tb, ",\"age_s\":");
		evgw_textbuf_value(tb, v->age_s, 3, 1);
	}
	evgw_textbuf_puts(tb, ",\"source\":");
	api_json_str(tb, v->source[0] ? v->source : NULL);
	evgw_textbuf_puts(tb, ",\"confidence\":");
	api_json_str(tb, v->confidence[0] ? v->confidence : NULL);
	evgw_textbuf_printf(tb, ",\"unconfirmed\":%s}", evgw_batt_below_public(v->confidence) ? "true" : "false");
}

static void battery_json(struct evgw_textbuf *tb, const struct evgw_battery *b)
{
	evgw_textbuf_puts(tb, "{\"bus\":");
	api_json_str(tb, b->bus);
	evgw_textbuf_puts(tb, ",\"profile\":");
	api_json_str(tb, b->profile[0] ? b->profile : NULL);
	for (unsigned q = 0; q < EVGW_BATT_N; q++) {
		const struct evgw_batt_value *v = &b->v[q];
		evgw_textbuf_printf(tb, ",\"%s\":", evgw_batt_qty_info(q)->key);
		value_or_null(tb, v->from != EVGW_BATT_NONE, v->value, v->decimals);
	}
	evgw_textbuf_puts(tb, ",\"cell_spread_mv\":");
	value_or_null(tb, b->has_spread, b->cell_spread_mv, b->spread_decimals);
	evgw_textbuf_puts(tb, ",\"soh_percent\":");
	value_or_null(tb, b->has_soh, b->soh_percent, 1);
	evgw_textbuf_puts(tb, ",\"soh_method\":");
	api_json_str(tb, b->soh_method.en);
	evgw_textbuf_puts(tb, ",\"soh_method_text\":");
	evgw_textbuf_puts(tb, b->soh_method.json[0] ? b->soh_method.json : "null");
	evgw_textbuf_printf(tb, ",\"unconfirmed\":%s,\"modules\":null,\"dids_asked\":%u,\"dids_answered\":%u",
			    b->unconfirmed ? "true" : "false", b->dids_asked, b->dids_answered);
	evgw_textbuf_puts(tb, ",\"sources\":{");
	const char *sep = "";
	for (unsigned q = 0; q < EVGW_BATT_N; q++) {
		if (!b->v[q].from)
			continue;
		evgw_textbuf_printf(tb, "%s\"%s\":", sep, evgw_batt_qty_info(q)->key);
		source_json(tb, &b->v[q]);
		sep = ",";
	}
	evgw_textbuf_puts(tb, "},\"notes\":[");
	for (unsigned i = 0; i < b->n_notes; i++) {
		if (i)
			evgw_textbuf_putc(tb, ',');
		api_json_str(tb, b->notes[i].en);
	}
	evgw_textbuf_puts(tb, "],\"notes_text\":[");
	for (unsigned i = 0; i < b->n_notes; i++) {
		if (i)
			evgw_textbuf_putc(tb, ',');
		evgw_textbuf_puts(tb, b->notes[i].json[0] ? b->notes[i].json : "null");
	}
	evgw_textbuf_puts(tb, "]}");
}

/* One battery command: one reading (with "bus"), or one per bus (without),
 * each rendered as its read ends; the reply goes when none is pending. */
struct battery_reply {
	struct evgw_client *c;
	char *id_json;
	bool array;
	unsigned n, pending;
	char *parts[EVGW_MAX_BUSES];
};

struct battery_slot {
	struct battery_reply *r;
	unsigned i;
};

static void reply_free(struct battery_reply *p)
{
	for (unsigned i = 0; i < p->n; i++)
		free(p->parts[i]);
	free(p->id_json);
	free(p);
}

static char *render(const struct evgw_battery *b)
{
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	battery_json(&tb, b);
	evgw_textbuf_putc(&tb, '\0');
	if (tb.failed) {
		evgw_textbuf_free(&tb);
		return NULL;
	}
	return tb.buf; /* the buffer is the caller's now */
}

/* Every reading is in: send the reply. */
static void reply_send(struct battery_reply *p)
{
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	bool missing = false;
	if (p->array)
		evgw_textbuf_putc(&tb, '[');
	for (unsigned i = 0; i < p->n; i++) {
		missing |= !p->parts[i];
		if (i)
			evgw_textbuf_putc(&tb, ',');
		if (p->parts[i])
			evgw_textbuf_puts(&tb, p->parts[i]);
	}
	if (p->array)
		evgw_textbuf_putc(&tb, ']');
	if (tb.failed || missing)
		api_reply_error(p->c, p->id_json, API_ERR_INTERNAL, "out of memory");
	else
		api_reply_ok(p->c, p->id_json, &tb);
	evgw_textbuf_free(&tb);
}

static void part_done(struct battery_reply *p, unsigned i, const struct evgw_battery *b)
{
	p->parts[i] = render(b);
	if (--p->pending)
		return;
	if (!p->c->dead)
		reply_send(p);
	api_client_release(p->c);
	reply_free(p);
}

static void battery_done(void *ud, const struct evgw_battery *b)
{
	struct battery_slot *slot = ud;
	struct battery_reply *p = slot->r;
	unsigned i = slot->i;
	free(slot);
	part_done(p, i, b);
}

/* No DID read (a J1939 e-bus, a listen-only bus, no profile, or the read
 * could not start: why in `why`): the signals, at once. */
static int from_signals_now(const struct evgw_station *st, const char *why, struct evgw_battery *b)
{
	evgw_battery_init(b, st->bus->name, st->profile ? st->profile->name : "");
	if (why)
		evgw_battery_note(b, N_("the BMS's DIDs were not read: {0}"), 1,
				  (const struct evgw_text_arg[]){EVGW_TEXT_VALUE(why)});
	else if (st->bus->params.listen_only && st->profile && st->profile->n_dids)
		evgw_battery_note(b, N_("bus '{0}' is listen-only: the BMS's DIDs were not read (mode = diagnostic "
					"reads them)"),
				  1, (const struct evgw_text_arg[]){EVGW_TEXT_VALUE(st->bus->name)});
	evgw_battery_from_signals(st, b);
	return 0;
}

/* Start bus i's reading. 1: it runs (battery_done later); 0: done now
 * (part set); <0: refused (one bus asked: the error is the reply). */
static int start_one(struct cmd_ctx *x, struct battery_reply *p, unsigned i, struct evgw_station *st)
{
	const char *why = NULL;
	char msg[160];
	if (evgw_battery_dids_wanted(st)) {
		/* One bounded read of the profile's BMS: one request for the rate. */
		if (!x->c->admin && !evgw_user_rate_take(&x->c->api->ecu_rate, x->c->uid, evgw_now_mono_us())) {
			if (!p->array) {
				api_fail(x, API_ERR_LIMIT, "at most %d ECU requests per second per user (%d at once): try "
							   "again shortly", EVGW_API_ECU_RATE, EVGW_API_ECU_BURST);
				return -EAGAIN;
			}
			why = "the per-user limit of ECU requests was reached";
		}
		struct battery_slot *slot = why ? NULL : calloc(1, sizeof *slot);
		if (slot) {
			*slot = (struct battery_slot){p, i};
			int rc = evgw_battery_read(st, x->c->admin, battery_done, slot);
			if (rc == 0)
				return 1;
			free(slot);
			if (rc == -EBUSY && !p->array) {
				api_fail(x, API_ERR_BUSY, "bus '%s' already has %d requests waiting for ECUs: try again "
							  "when one is answered", st->bus->name, EVGW_ECU_QUEUE);
				return rc;
			}
			if (rc != -ENODATA) {
				snprintf(msg, sizeof msg, "%s", strerror(-rc));
				why = msg;
			}
		} else if (!why) {
			why = "out of memory";
		}
	}
	struct evgw_battery *b = malloc(sizeof *b);
	if (!b) {
		if (p->array)
			return 0; /* its part stays NULL: the reply says out of memory */
		api_fail(x, API_ERR_INTERNAL, "out of memory");
		return -ENOMEM;
	}
	from_signals_now(st, why, b);
	p->parts[i] = render(b);
	free(b);
	return 0;
}

void api_cmd_battery(struct cmd_ctx *x)
{
	struct evgw_station *one;
	if (!api_want_station(x, false, &one))
		return;
	struct evgw_daemon *d = api_daemon_of(x);
	struct battery_reply *p = calloc(1, sizeof *p);
	if (!p || !(p->id_json = strdup(x->id_json))) {
		free(p);
		api_fail(x, API_ERR_INTERNAL, "out of memory");
		return;
	}
	p->c = x->c;
	p->array = !one;
	p->n = one ? 1 : d->n_stations;
	/* Held until every reading is in: one extra count while starting, so
	 * that a read ending early cannot send a half reply. */
	p->pending = 1;
	unsigned running = 0;
	for (unsigned i = 0; i < p->n; i++) {
		p->pending++;
		int rc = start_one(x, p, i, one ? one : d->stations[i]);
		if (rc < 0) { /* one bus: its error is the reply (nothing else runs) */
			reply_free(p);
			return;
		}
		if (rc == 0)
			p->pending--;
		running += rc == 1;
	}
	p->pending--;
	if (!running) {
		/* Everything at once: the reply is this command's result. */
		bool missing = false;
		if (p->array)
			evgw_textbuf_putc(x->res, '[');
		for (unsigned i = 0; i < p->n; i++) {
			missing |= !p->parts[i];
			if (i)
				evgw_textbuf_putc(x->res, ',');
			if (p->parts[i])
				evgw_textbuf_puts(x->res, p->parts[i]);
		}
		if (p->array)
			evgw_textbuf_putc(x->res, ']');
		if (missing)
			api_fail(x, API_ERR_INTERNAL, "out of memory");
		reply_free(p);
		return;
	}
	api_client_hold(x->c);
	x->deferred = true;
}
