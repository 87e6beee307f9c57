// SPDX-License-Identifier: MIT
/* Subscriptions: "signals" (a glob and a maximum rate per signal, served
 * from the signal table by a timer), "frames" (a listener on the bus, with
 * an id filter) and "bus" (state changes). A client that does not read has
 * its events skipped and counted, never queued without bound. */
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_internal.h"
#include "can/candump.h"
#include "dbc/dbc_index.h"
#include "util/numfmt.h"

#define MAX_RATE 1000.0
/* A slower subscription is a poll, not a stream; and the timer period
 * (1e6 / rate microseconds) stays far inside 64 bits. */
#define MIN_RATE 0.01
#define DEFAULT_RATE 10.0
#define MAX_IDS 1024

struct follow {
	struct subscription *sub;
	uint32_t cap;
};

static int follow_signal(void *ud, struct evgw_bus *b, unsigned db, const struct dbc_message *m,
			 const struct dbc_signal *s, struct evgw_sig_slot *slot)
{
	struct follow *fo = ud;
	struct subscription *sub = fo->sub;
	if (!api_signal_matches(sub->glob, b->dbs[db], m, s))
		return 0;
	if (sub->n_sigs == fo->cap) {
		fo->cap = fo->cap ? fo->cap * 2 : 64;
		struct sub_signal *v = realloc(sub->sigs, fo->cap * sizeof *v);
		if (!v)
			return -ENOMEM;
		sub->sigs = v;
	}
	struct sub_signal *ss = &sub->sigs[sub->n_sigs++];
	ss->bus = b->index;
	ss->db = (uint8_t)db;
	ss->msg = m;
	ss->sig = s;
	ss->slot = (uint32_t)(slot - b->slots);
	ss->sent_seq = 0;
	ss->sent = false;
	return 0;
}

/* The signals a "signals" subscription follows, from the current buses. */
static int resolve_signals(struct evgw_api *api, struct subscription *sub)
{
	struct evgw_daemon *d = api->d;
	free(sub->sigs);
	sub->sigs = NULL;
	sub->n_sigs = 0;
	struct follow fo = {sub, 0};
	for (unsigned bi = 0; bi < d->n_stations; bi++)
		if (!sub->bus || !strcmp(sub->bus, d->stations[bi]->bus->name))
			if (evgw_bus_for_each_signal(d->stations[bi]->bus, follow_signal, &fo) < 0)
				return -ENOMEM;
	return 0;
}

/* Every tick: the followed signals whose value changed since the last
 * event (a frame repeating the same value is not news). "dropped": the
 * events skipped since the previous event, not a running total. */
static void signals_tick(struct evgw_loop *loop, struct evgw_timer *t)
{
	struct subscription *sub = t->ud;
	struct evgw_client *c = sub->client;
	struct evgw_daemon *d = c->api->d;
	if (c->dead)
		return;
	if (api_client_pending(c) > EVGW_API_OUT_SOFT) {
		sub->dropped++;
		return;
	}
	struct evgw_textbuf *tb = &sub->tb;
	evgw_textbuf_reset(tb);
	unsigned n = 0;
	for (uint32_t i = 0; i < sub->n_sigs; i++) {
		struct sub_signal *ss = &sub->sigs[i];
		if (ss->bus >= d->n_stations)
			continue;
		struct evgw_bus *b = d->stations[ss->bus]->bus;
		const struct evgw_sig_slot *slot = &b->slots[ss->slot];
		if (slot->seq == ss->sent_seq)
			continue;
		ss->sent_seq = slot->seq;
		if (ss->sent && ss->sent_raw == slot->raw)
			continue;
		ss->sent = true;
		ss->sent_raw = slot->raw;
		if (!n)
			evgw_textbuf_printf(tb,
					    "{\"type\":\"event\",\"topic\":\"signals\",\"sub\":%" PRIu32
					    ",\"dropped\":%" PRIu64 ",\"signals\":[",
					    sub->id, sub->dropped);
		else
			evgw_textbuf_putc(tb, ',');
		api_signal_json(tb, b, ss->db, ss->msg, ss->sig, slot);
		n++;
	}
	if (n) {
		evgw_textbuf_puts(tb, "]}\n");
		/* At once, not with the frames' batch: max_rate already made this
		 * one write per tick, and waiting for the batch added up to
		 * API_EVENT_FLUSH_US to every value a page shows. */
		if (!tb->failed && api_client_send(c, tb->buf, tb->len))
			sub->dropped = 0;
	}
}

static bool id_wanted(const struct subscription *sub, const struct evgw_frame *f)
{
	if (!sub->ids)
		return true;
	uint32_t key = f->id | ((f->flags & EVGW_FRAME_EXT) ? DBC_EXT_FLAG : 0);
	for (uint32_t i = 0; i < sub->n_ids; i++)
		if (sub->ids[i] == key)
			return true;
	return false;
}

#define PUT_LIT(p, lit) (memcpy((p), (lit), sizeof(lit) - 1), (p) + sizeof(lit) - 1)

/* ,"bus":"NAME","ts":S.U,"frame":"TEXT","dir":"rx|tx" for f, into ft.
 * Returns false when the frame has no text form or it would not fit. */
static bool frame_text_make(struct api_frame_text *ft, const struct evgw_bus *bus, const struct evgw_frame *f)
{
	char text[160];
	ft->len = 0;
	int tl = evgw_candump_format_frame(f, text, sizeof text);
	size_t bl = strlen(bus->name);
	if (tl < 0 || bl + (size_t)tl + 96 > sizeof ft->text)
		return false;
	char *p = ft->text;
	p = PUT_LIT(p, ",\"bus\":\"");
	memcpy(p, bus->name, bl);
	p = PUT_LIT(p + bl, "\",\"ts\":");
	p = evgw_fmt_epoch_us(p, f->ts_us);
	p = PUT_LIT(p, ",\"frame\":\"");
	memcpy(p, text, (size_t)tl);
	p += tl;
	p = (f->flags & EVGW_FRAME_TX) ? PUT_LIT(p, "\",\"dir\":\"tx\"") : PUT_LIT(p, "\",\"dir\":\"rx\"");
	ft->len = (size_t)(p - ft->text);
	ft->bus = bus;
	ft->frame = *f;
	return true;
}

/* What the shared text depends on (bytes past len may differ freely). */
static bool same_frame(const struct evgw_frame *a, const struct evgw_frame *b)
{
	return a->ts_us == b->ts_us && a->id == b->id && a->len == b->len && a->flags == b->flags &&
	       a->dlc == b->dlc && !memcmp(a->data, b->data, a->len);
}

/* One frame to one subscriber: the middle of the line is shared by all of
 * them (api_frame_text), the rest is the subscription's own. */
static void frame_event(void *ud, struct evgw_bus *bus, const struct evgw_frame *f)
{
	struct subscription *sub = ud;
	struct evgw_client *c = sub->client;
	if (c->dead || !id_wanted(sub, f))
		return;
	if (api_client_pending(c) > EVGW_API_OUT_SOFT) {
		sub->dropped++;
		return;
	}
	struct api_frame_text *ft = &c->api->frame_text;
	if ((!ft->len || ft->bus != bus || !same_frame(&ft->frame, f)) && !frame_text_make(ft, bus, f))
		return;
	char *p = api_client_queue_reserve(c, API_FRAME_TEXT_MAX + 2 * EVGW_NUMFMT_MAX + 64);
	if (!p)
		return;
	p = PUT_LIT(p, "{\"type\":\"event\",\"topic\":\"frames\",\"sub\":");
	p = evgw_fmt_u64(p, sub->id);
	memcpy(p, ft->text, ft->len);
	p = PUT_LIT(p + ft->len, ",\"dropped\":");
	p = evgw_fmt_u64(p, sub->dropped);
	p = PUT_LIT(p, "}\n");
	if (api_client_queue_commit(c, p))
		sub->dropped = 0;
}

/* A listener on each followed bus (frames evgw sends included). -ENOSPC
 * when a bus has no listener slot left: then on none. */
static int attach_frames(struct evgw_api *api, struct subscription *sub)
{
	struct evgw_daemon *d = api->d;
	struct evgw_frame_listener l = {frame_event, sub, true};
	for (unsigned i = 0; i < d->n_stations; i++)
		if (!sub->bus || !strcmp(sub->bus, d->stations[i]->bus->name)) {
			int r = evgw_bus_add_listener(d->stations[i]->bus, &l);
			if (r < 0) {
				for (unsigned k = 0; k < i; k++)
					evgw_bus_remove_listener(d->stations[k]->bus, sub);
				return r;
			}
		}
	return 0;
}

static void detach_frames(struct evgw_api *api, struct subscription *sub)
{
	for (unsigned i = 0; i < api->d->n_stations; i++)
		evgw_bus_remove_listener(api->d->stations[i]->bus, sub);
}

static void sub_release(void *p)
{
	struct subscription *sub = p;
	free(sub->sigs);
	free(sub->ids);
	free(sub->bus);
	free(sub->glob);
	evgw_textbuf_free(&sub->tb);
	free(sub);
}

/* Detached at once; the memory goes after the loop round, since a frame
 * listener may be the caller. */
static void sub_free(struct evgw_api *api, struct subscription *sub)
{
	if (sub->topic == API_TOPIC_SIGNALS)
		evgw_timer_fini(&api->d->loop, &sub->timer);
	if (sub->topic == API_TOPIC_FRAMES)
		detach_frames(api, sub);
	if (evgw_loop_defer(&api->d->loop, sub_release, sub) < 0)
		sub_release(sub);
}

static int parse_ids(json_object *req, struct subscription *sub, char *err, size_t errlen)
{
	json_object *ids;
	if (!json_object_object_get_ex(req, "ids", &ids))
		return 0;
	if (!json_object_is_type(ids, json_type_array) || json_object_array_length(ids) > MAX_IDS) {
		snprintf(err, errlen, "\"ids\" must be an array of at most %d CAN ids", MAX_IDS);
		return -EINVAL;
	}
	size_t n = json_object_array_length(ids);
	sub->ids = calloc(n ? n : 1, sizeof *sub->ids);
	if (!sub->ids)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(ids, i);
		int64_t id = json_object_get_int64(v);
		if (!json_object_is_type(v, json_type_int) || id < 0 || id > EVGW_CAN_EFF_MASK) {
			snprintf(err, errlen, "\"ids\"[%zu] is not a CAN id (0..0x1FFFFFFF)", i);
			return -EINVAL;
		}
		/* Ids above 0x7FF can only be extended; smaller ones are taken as standard. */
		sub->ids[i] = (uint32_t)id | (id > 0x7FF ? DBC_EXT_FLAG : 0);
	}
	sub->n_ids = (uint32_t)n;
	return 0;
}

int api_subscribe(struct evgw_client *c, json_object *req, struct evgw_textbuf *result,
		  enum api_error *err_code, char *err, size_t errlen)
{
	struct evgw_api *api = c->api;
	const char *bad = NULL;
	const char *topic = api_get_string(req, "topic", &bad);
	const char *bus = api_get_string(req, "bus", &bad);
	const char *glob = api_get_string(req, "glob", &bad);
	const char *lang_given = api_get_string(req, "lang", &bad);
	double rate = DEFAULT_RATE;
	bool has_rate = api_get_double(req, "max_rate", &rate, &bad);
	if (bad) {
		*err_code = API_ERR_BAD_REQUEST;
		snprintf(err, errlen, "\"%s\" has the wrong type", bad);
		return -EINVAL;
	}
	enum api_topic t = api_topic_parse(topic);
	if (!t) {
		*err_code = API_ERR_BAD_REQUEST;
		snprintf(err, errlen, "\"topic\" must be \"signals\", \"frames\", \"bus\" or \"faults\"");
		return -EINVAL;
	}
	const char *lang = lang_given ? api_language_parse(lang_given) : api_language(0);
	if (!lang) {
		*err_code = API_ERR_BAD_REQUEST;
		api_language_error(err, errlen, lang_given);
		return -EINVAL;
	}
	if (c->n_subs >= EVGW_API_MAX_SUBS) {
		*err_code = API_ERR_LIMIT;
		snprintf(err, errlen, "at most %d subscriptions per client", EVGW_API_MAX_SUBS);
		return -ENOSPC;
	}
	if (bus && !evgw_daemon_station(api->d, bus)) {
		*err_code = API_ERR_NOT_FOUND;
		snprintf(err, errlen, "no bus named '%s'", bus);
		return -ENOENT;
	}
	struct subscription *sub = calloc(1, sizeof *sub);
	if (!sub)
		goto oom;
	sub->timer.io.fd = -1;
	sub->topic = t;
	sub->client = c;
	sub->id = ++c->last_sub_id; /* numbered per connection */
	sub->lang = lang;
	if (bus && !(sub->bus = strdup(bus)))
		goto oom;
	int r = 0;
	if (t == API_TOPIC_SIGNALS) {
		/* Checked before the conversion below; NaN fails both tests. */
		if (has_rate && !(rate >= MIN_RATE && rate <= MAX_RATE)) {
			*err_code = API_ERR_BAD_REQUEST;
			snprintf(err, errlen, "\"max_rate\" must be %g to %g events per second", MIN_RATE, MAX_RATE);
			sub_free(api, sub);
			return -EINVAL;
		}
		sub->max_rate = rate;
		if (!(sub->glob = strdup(glob && *glob ? glob : "*")))
			goto oom;
		if (resolve_signals(api, sub) < 0)
			goto oom;
		r = evgw_timer_init(&api->d->loop, &sub->timer, signals_tick, sub);
		if (r == 0) {
			uint64_t period = (uint64_t)(1e6 / rate); /* 1000 .. 1e8 us */
			r = evgw_timer_arm(&sub->timer, period, period);
		}
	} else if (t == API_TOPIC_FRAMES) {
		r = parse_ids(req, sub, err, errlen);
		if (r == -EINVAL) {
			*err_code = API_ERR_BAD_REQUEST;
			sub_free(api, sub);
			return r;
		}
		if (r == 0 && attach_frames(api, sub) == -ENOSPC) {
			*err_code = API_ERR_LIMIT;
			snprintf(err, errlen, "too many listeners on %s (at most %d frames subscriptions per bus)",
				 bus ? bus : "a bus", EVGW_BUS_MAX_LISTENERS - 4);
			sub_free(api, sub);
			return -ENOSPC;
		}
	}
	if (r < 0) {
		*err_code = API_ERR_INTERNAL;
		snprintf(err, errlen, "cannot subscribe: %s", strerror(-r));
		sub_free(api, sub);
		return r;
	}
	c->subs[c->n_subs++] = sub;
	evgw_textbuf_printf(result, "{\"sub\":%" PRIu32 ",\"topic\":\"%s\"", sub->id, topic);
	if (t == API_TOPIC_SIGNALS) /* how many signals it follows */
		evgw_textbuf_printf(result, ",\"signals\":%" PRIu32, sub->n_sigs);
	evgw_textbuf_putc(result, '}');
	return 0;
oom:
	if (sub)
		sub_free(api, sub);
	*err_code = API_ERR_INTERNAL;
	snprintf(err, errlen, "out of memory");
	return -ENOMEM;
}

int api_unsubscribe(struct evgw_client *c, json_object *req, enum api_error *err_code, char *err,
		    size_t errlen)
{
	double id = -1;
	const char *bad = NULL;
	const char *topic = api_get_string(req, "topic", &bad);
	bool by_id = api_get_double(req, "sub", &id, &bad);
	if (bad) {
		*err_code = API_ERR_BAD_REQUEST;
		snprintf(err, errlen, "\"%s\" has the wrong type", bad);
		return -EINVAL;
	}
	if (!by_id && !topic) {
		*err_code = API_ERR_BAD_REQUEST;
		snprintf(err, errlen, "\"sub\" (a subscription number) or \"topic\" is required");
		return -EINVAL;
	}
	unsigned removed = 0;
	for (unsigned i = 0; i < c->n_subs;) {
		struct subscription *s = c->subs[i];
		bool hit = by_id ? s->id == id : !strcmp(topic, api_topic_name(s->topic));
		if (hit) {
			sub_free(c->api, s);
			c->subs[i] = c->subs[--c->n_subs];
			removed++;
		} else {
			i++;
		}
	}
	if (!removed) {
		*err_code = API_ERR_NOT_FOUND;
		snprintf(err, errlen, "no such subscription");
		return -ENOENT;
	}
	return 0;
}

void api_subs_free_client(struct evgw_client *c)
{
	for (unsigned i = 0; i < c->n_subs; i++)
		sub_free(c->api, c->subs[i]);
	c->n_subs = 0;
}

void api_subs_resolve(struct evgw_api *api)
{
	for (struct evgw_client *c = api->clients; c; c = c->next)
		for (unsigned i = 0; i < c->n_subs; i++) {
			struct subscription *s = c->subs[i];
			if (s->topic == API_TOPIC_SIGNALS && resolve_signals(api, s) < 0)
				api_client_drop(c, "out of memory");
			else if (s->topic == API_TOPIC_FRAMES && attach_frames(api, s) < 0)
				api_client_drop(c, "a frames subscription found no listener slot after a reload");
		}
}

static void on_bus_state(void *ud, const struct evgw_station *st, enum evgw_bus_state now,
			 enum evgw_bus_state was)
{
	struct evgw_api *api = ud;
	const char *bus = st->bus->name;
	char line[384];
	for (struct evgw_client *c = api->clients; c; c = c->next)
		for (unsigned i = 0; i < c->n_subs; i++) {
			struct subscription *s = c->subs[i];
			if (s->topic != API_TOPIC_BUS || (s->bus && strcmp(s->bus, bus)))
				continue;
			int n = snprintf(line, sizeof line,
					 "{\"type\":\"event\",\"topic\":\"bus\",\"sub\":%" PRIu32
					 ",\"bus\":\"%s\",\"state\":\"%s\",\"previous\":\"%s\"}\n",
					 s->id, bus, evgw_bus_state_name(now), evgw_bus_state_name(was));
			if (n > 0 && (size_t)n < sizeof line)
				api_client_send(c, line, (size_t)n);
		}
}

static void on_fault(void *ud, const struct evgw_fault *f, enum evgw_fault_event event)
{
	struct evgw_api *api = ud;
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	for (struct evgw_client *c = api->clients; c; c = c->next)
		for (unsigned i = 0; i < c->n_subs; i++) {
			struct subscription *s = c->subs[i];
			if (s->topic != API_TOPIC_FAULTS || (s->bus && strcmp(s->bus, f->bus)))
				continue;
			evgw_textbuf_reset(&tb);
			evgw_textbuf_printf(&tb,
					    "{\"type\":\"event\",\"topic\":\"faults\",\"sub\":%" PRIu32
					    ",\"event\":\"%s\",\"fault\":",
					    s->id, evgw_fault_event_name(event));
			char words[EVGW_FAULT_TEXT];
			api_fault_json(&tb, f, api_fault_words(api->d, f, s->lang, words, sizeof words));
			evgw_textbuf_puts(&tb, "}\n");
			/* Fault events are rare and matter: sent unless the client is lost. */
			if (!tb.failed)
				api_client_send(c, tb.buf, tb.len);
		}
	evgw_textbuf_free(&tb);
}

static void on_buses_changed(void *ud)
{
	api_subs_resolve(ud);
}

struct evgw_daemon_observer evgw_api_observer(struct evgw_api *api)
{
	return (struct evgw_daemon_observer){on_bus_state, on_fault, on_buses_changed, api, NULL};
}
