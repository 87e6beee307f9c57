// SPDX-License-Identifier: MIT
#include "bus/bus.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "bus/bus_faults.h"
#include "dbc/dbc_index.h"

#define ID_FREE 0xFFFFFFFFu
#define ID_TABLE_SIZE (EVGW_BUS_MAX_IDS * 2)

static int build_signal_table(struct evgw_bus *bus)
{
	uint32_t total = 0, max_sig = 1;
	for (unsigned d = 0; d < bus->n_dbs; d++) {
		const struct dbc_db *db = bus->dbs[d];
		bus->msg_base[d] = calloc(db->n_messages ? db->n_messages : 1, sizeof(uint32_t));
		if (!bus->msg_base[d])
			return -ENOMEM;
		for (uint32_t i = 0; i < db->n_messages; i++) {
			bus->msg_base[d][i] = total;
			total += db->messages[i]->n_signals;
			if (db->messages[i]->n_signals > max_sig)
				max_sig = db->messages[i]->n_signals;
		}
	}
	bus->slots = calloc(total ? total : 1, sizeof *bus->slots);
	bus->values = calloc(max_sig, sizeof *bus->values);
	if (!bus->slots || !bus->values)
		return -ENOMEM;
	for (uint32_t i = 0; i < total; i++)
		bus->slots[i].sa = -1;
	bus->n_slots = total;
	return 0;
}

int evgw_bus_create(const struct evgw_bus_params *p, struct dbc_db **dbs, unsigned n_dbs,
		    struct evgw_bus **out, struct evgw_driver_err *err)
{
	*out = NULL;
	const struct evgw_driver_ops *ops = evgw_driver_find(p->driver ? p->driver : "");
	if (!ops) {
		snprintf(err->msg, sizeof err->msg, "unknown driver '%s'", p->driver ? p->driver : "");
		return -ENOENT;
	}
	if (n_dbs > EVGW_BUS_MAX_DBC) {
		snprintf(err->msg, sizeof err->msg, "more than %d DBC files", EVGW_BUS_MAX_DBC);
		return -E2BIG;
	}
	struct evgw_bus *bus = calloc(1, sizeof *bus);
	if (!bus)
		return -ENOMEM;
	bus->name = strdup(p->name ? p->name : "");
	bus->ops = ops;
	bus->params = *p;
	bus->params.name = bus->name;
	bus->state = EVGW_BUS_DOWN;
	bus->ids = malloc(ID_TABLE_SIZE * sizeof *bus->ids);
	for (unsigned i = 0; i < EVGW_BUS_MAX_FDS; i++)
		bus->io[i].fd = -1;
	for (unsigned d = 0; d < n_dbs; d++)
		bus->dbs[d] = dbs[d];
	bus->n_dbs = n_dbs;
	int r = bus->name && bus->ids ? build_signal_table(bus) : -ENOMEM;
	if (r == 0)
		r = evgw_bus_find_fault_signals(bus);
	if (r == 0)
		r = evgw_bus_integrity_setup(bus); /* checksums and counters */
	if (r < 0) {
		bus->n_dbs = 0; /* the caller still owns the DBCs on failure */
		evgw_bus_free(bus);
		snprintf(err->msg, sizeof err->msg, "out of memory");
		return r;
	}
	for (uint32_t i = 0; i < ID_TABLE_SIZE; i++)
		bus->ids[i].key = ID_FREE;
	*out = bus;
	return 0;
}

/* While frames stream (found again within two batches), let the next ones
 * gather for the driver's batch time before reading again. */
static void pace_reads(struct evgw_loop *loop, struct evgw_bus *bus)
{
	int64_t now = evgw_now_mono_us(), batch = bus->ops->batch_us;
	if (now - bus->busy_us < 2 * batch)
		evgw_loop_pace(loop, now + batch);
	bus->busy_us = now;
}

/* Ask the driver how it is; a new error text goes to on_driver_error. */
static bool driver_status(struct evgw_bus *bus, struct evgw_bus_status *st)
{
	memset(st, 0, sizeof *st);
	if (!bus->drv || !bus->ops->get_status || bus->ops->get_status(bus->drv, st) != 0)
		return false;
	st->error[sizeof st->error - 1] = '\0';
	if (st->error_seq != bus->drv_status.error_seq && st->error[0] && bus->on_driver_error)
		bus->on_driver_error(bus->on_state_ud, bus, st->error);
	return true;
}

/* A driver at the end of its frames (a replay): stopped, or down when the
 * driver says it ended on a failure (its log vanished under it). */
static enum evgw_bus_state end_state(struct evgw_bus *bus)
{
	struct evgw_bus_status st;
	if (!driver_status(bus, &st))
		return EVGW_BUS_STOPPED;
	bus->drv_status = st;
	return st.state == EVGW_BUS_DOWN ? EVGW_BUS_DOWN : EVGW_BUS_STOPPED;
}

static void bus_ready(struct evgw_loop *loop, struct evgw_io *io, uint32_t events)
{
	struct evgw_bus *bus = io->ud;
	/* Several of the driver's fds ready at once: one read serves them all. */
	if (bus->polled_round == loop->round)
		return;
	bus->polled_round = loop->round;
	int r = evgw_bus_poll(bus);
	if (r > 0 && bus->ops->batch_us)
		pace_reads(loop, bus);
	if (r == -ENODATA)
		evgw_bus_set_state(bus, end_state(bus));
	else if (r == -ENODEV)
		evgw_bus_set_state(bus, EVGW_BUS_GONE);
	if (r == -ENODATA || r == -ENODEV)
		for (int i = 0; i < bus->n_io; i++)
			evgw_loop_del(loop, &bus->io[i]);
}

int evgw_bus_start(struct evgw_loop *loop, struct evgw_bus *bus, struct evgw_driver_err *err)
{
	err->msg[0] = '\0';
	int r = bus->ops->open(&bus->params, &bus->drv, err);
	if (r < 0) {
		bus->drv = NULL;
		return r;
	}
	struct evgw_driver_fd fds[EVGW_BUS_MAX_FDS];
	int n = bus->ops->fds ? bus->ops->fds(bus->drv, fds, EVGW_BUS_MAX_FDS) : 0;
	for (int i = 0; i < n; i++) {
		r = evgw_loop_add(loop, &bus->io[i], fds[i].fd, fds[i].events, bus_ready, bus);
		if (r < 0) {
			snprintf(err->msg, sizeof err->msg, "cannot poll the driver's fd: %s", strerror(-r));
			bus->n_io = i;
			evgw_bus_stop(loop, bus);
			return r;
		}
	}
	bus->n_io = n;
	memset(&bus->drv_status, 0, sizeof bus->drv_status); /* the new driver's counters */
	bus->drv_status.state = EVGW_BUS_ACTIVE;
	bus->opened_us = evgw_now_mono_us();
	bus->fps_last_us = bus->opened_us;
	evgw_bus_set_state(bus, EVGW_BUS_ACTIVE);
	return 0;
}

void evgw_bus_stop(struct evgw_loop *loop, struct evgw_bus *bus)
{
	for (int i = 0; i < bus->n_io; i++)
		evgw_loop_del(loop, &bus->io[i]);
	bus->n_io = 0;
	if (bus->drv)
		bus->ops->close(bus->drv);
	bus->drv = NULL;
	if (bus->state != EVGW_BUS_GONE)
		evgw_bus_set_state(bus, EVGW_BUS_DOWN);
}

void evgw_bus_free(struct evgw_bus *bus)
{
	if (!bus)
		return;
	if (bus->drv)
		bus->ops->close(bus->drv);
	for (unsigned d = 0; d < bus->n_dbs; d++)
		dbc_free(bus->dbs[d]);
	for (unsigned d = 0; d < EVGW_BUS_MAX_DBC; d++)
		free(bus->msg_base[d]);
	evgw_bus_free_fault_signals(bus);
	evgw_bus_integrity_free(bus);
	free(bus->slots);
	free(bus->values);
	free(bus->ids);
	free(bus->name);
	free(bus);
}

void evgw_bus_set_state(struct evgw_bus *bus, enum evgw_bus_state s)
{
	if (bus->state == s)
		return;
	enum evgw_bus_state old = bus->state;
	bus->state = s;
	if (bus->on_state)
		bus->on_state(bus->on_state_ud, bus, old);
}

/* The id's statistics entry, created on first sight with its DBC message
 * looked up once; NULL when the table is full. */
static struct evgw_id_stats *id_entry(struct evgw_bus *bus, const struct evgw_frame *f)
{
	uint32_t key = f->id | ((f->flags & EVGW_FRAME_EXT) ? DBC_EXT_FLAG : 0);
	uint32_t i = dbc_hash32(key) & (ID_TABLE_SIZE - 1);
	for (;; i = (i + 1) & (ID_TABLE_SIZE - 1)) {
		struct evgw_id_stats *e = &bus->ids[i];
		if (e->key == key)
			return e;
		if (e->key != ID_FREE)
			continue;
		if (bus->n_ids >= EVGW_BUS_MAX_IDS)
			return NULL;
		memset(e, 0, sizeof *e);
		e->key = key;
		bus->n_ids++;
		for (unsigned d = 0; d < bus->n_dbs; d++) {
			const struct dbc_message *m = dbc_lookup(bus->dbs[d], f, NULL);
			if (m) {
				e->msg = m;
				e->db = (uint8_t)d;
				e->sig_base = bus->msg_base[d][m->index];
				break;
			}
		}
		return e;
	}
}

static void fault_clear_pending(struct evgw_sig_fault *sf, const struct evgw_frame *f,
				const struct evgw_id_stats *e, const struct dbc_signal *sig, int64_t now)
{
	sf->clear_since_us = now ? now : 1;
	sf->clear_msg = e->msg;
	sf->clear_db = e->db;
	sf->clear_sig = sig;
	sf->clear_id = f->id;
	sf->clear_flags = f->flags;
	sf->clear_ts_us = f->ts_us;
}

/* Clears whose hold time has passed (see bus_faults.h). */
static void faults_settle(struct evgw_bus *bus, int64_t now)
{
	for (uint32_t i = 0; i < bus->n_faults; i++) {
		struct evgw_sig_fault *sf = &bus->faults[i];
		if (!sf->clear_since_us || now - sf->clear_since_us < EVGW_FAULT_CLEAR_HOLD_US)
			continue;
		sf->clear_since_us = 0;
		sf->active = false;
		if (!bus->on_fault)
			continue;
		struct evgw_frame f;
		memset(&f, 0, sizeof f);
		f.id = sf->clear_id;
		f.flags = sf->clear_flags;
		f.ts_us = sf->clear_ts_us;
		f.bus = bus->index;
		bus->on_fault(bus->on_fault_ud, bus, &f, sf->clear_msg, sf->clear_db, sf->clear_sig, sf);
	}
}

void evgw_bus_dispatch(struct evgw_bus *bus, const struct evgw_frame *f, int64_t now_mono_us)
{
	bus->rx_frames++;
	bus->seq++;
	if (f->flags & EVGW_FRAME_ERR) {
		bus->rx_error_frames++;
		/* State changes reach clients at once, not at the next tick. */
		bus->errs.state = bus->state;
		evgw_can_error_fold(&bus->errs, f);
		if (bus->errs.state != bus->state && bus->state != EVGW_BUS_GONE)
			evgw_bus_set_state(bus, bus->errs.state);
	} else {
		struct evgw_id_stats *e = id_entry(bus, f);
		if (!e) {
			bus->ids_dropped++;
		} else {
			if (e->count) {
				int64_t dt = now_mono_us - e->last_us;
				/* Smoothed period: 1/8 of each new interval. */
				e->period_us = e->period_us ? e->period_us + (dt - e->period_us) / 8 : dt;
			} else {
				e->first_us = now_mono_us;
			}
			e->count++;
			e->last_us = now_mono_us;
			e->missing = false;
			if (e->msg && !(f->flags & EVGW_FRAME_RTR)) {
				uint32_t n = dbc_decode(e->msg, f, bus->values);
				int16_t sa = (e->msg->flags & DBC_MSG_J1939) ? (int16_t)(f->id & 0xFF) : -1;
				for (uint32_t k = 0; k < n; k++) {
					const struct dbc_value *v = &bus->values[k];
					struct evgw_sig_slot *s =
						&bus->slots[e->sig_base + v->sig->index];
					s->raw = v->raw;
					s->phys = v->phys;
					s->ts_us = f->ts_us;
					s->seq = bus->seq;
					s->sa = sa;
					if (__builtin_expect(s->fault != 0, 0)) {
						struct evgw_sig_fault *sf = &bus->faults[s->fault - 1];
						bool on = evgw_sig_fault_active(sf, v->raw);
						if (on)
							sf->clear_since_us = 0;
						if (on && !sf->active) {
							sf->active = true;
							if (bus->on_fault)
								bus->on_fault(bus->on_fault_ud, bus, f, e->msg, e->db,
									      v->sig, sf);
						} else if (!on && sf->active && !sf->clear_since_us) {
							fault_clear_pending(sf, f, e, v->sig, now_mono_us);
						}
					}
				}
				evgw_bus_integrity_check(bus, e, f, now_mono_us); /* checksum/counter */
				bus->rx_decoded++;
			} else if (!e->msg) {
				bus->rx_unknown++;
			}
		}
	}
	for (unsigned i = 0; i < bus->n_listeners; i++)
		bus->listeners[i].fn(bus->listeners[i].ud, bus, f);
}

int evgw_bus_poll(struct evgw_bus *bus)
{
	int total = 0;
	/* A few batches per wake-up, so one busy bus cannot starve the rest. */
	for (int round = 0; round < 8 && bus->drv; round++) {
		int n = bus->ops->recv(bus->drv, bus->batch, EVGW_BUS_BATCH);
		if (n < 0)
			return total ? total : n;
		if (n == 0)
			break;
		int64_t now = evgw_now_mono_us();
		for (int i = 0; i < n; i++) {
			bus->batch[i].bus = bus->index;
			evgw_bus_dispatch(bus, &bus->batch[i], now);
		}
		total += n;
		if (n < EVGW_BUS_BATCH)
			break;
	}
	return total;
}

void evgw_bus_tick(struct evgw_bus *bus, int64_t now)
{
	faults_settle(bus, now);
	int64_t dt = now - bus->fps_last_us;
	if (dt >= 1000000) {
		double inst = (double)(bus->rx_frames - bus->fps_last_count) * 1e6 / (double)dt;
		bus->fps = bus->fps_last_count ? bus->fps + (inst - bus->fps) * 0.5 : inst;
		bus->fps_last_count = bus->rx_frames;
		bus->fps_last_us = now;
	}
	for (uint32_t i = 0; i < ID_TABLE_SIZE; i++) {
		struct evgw_id_stats *e = &bus->ids[i];
		if (e->key == ID_FREE || !e->msg || !e->msg->cycle_time_ms)
			continue;
		if (!e->missing && now - e->last_us > 3 * (int64_t)e->msg->cycle_time_ms * 1000)
			e->missing = true;
	}
	struct evgw_bus_status st;
	if (driver_status(bus, &st)) {
		/* Edge-triggered: a state the error frames set stays until
		 * the driver itself reports a change. */
		bool changed = st.state != bus->drv_status.state;
		bus->drv_status = st;
		if (changed && st.state != bus->state && bus->state != EVGW_BUS_GONE)
			evgw_bus_set_state(bus, st.state);
	}
}

int evgw_bus_add_listener(struct evgw_bus *bus, const struct evgw_frame_listener *l)
{
	if (bus->n_listeners >= EVGW_BUS_MAX_LISTENERS)
		return -ENOSPC;
	bus->listeners[bus->n_listeners++] = *l;
	return 0;
}

void evgw_bus_remove_listener(struct evgw_bus *bus, void *ud)
{
	for (unsigned i = 0; i < bus->n_listeners;) {
		if (bus->listeners[i].ud == ud)
			bus->listeners[i] = bus->listeners[--bus->n_listeners];
		else
			i++;
	}
}

int evgw_bus_send(struct evgw_bus *bus, const struct evgw_frame *f)
{
	if (bus->params.listen_only)
		return -EPERM;
	if (!bus->drv || !bus->ops->send)
		return -EOPNOTSUPP;
	int r = bus->ops->send(bus->drv, f);
	if (r < 0)
		return r;
	bus->tx_frames++;
	struct evgw_frame sent = *f;
	sent.flags |= EVGW_FRAME_TX;
	sent.ts_us = evgw_now_real_us();
	sent.bus = bus->index;
	for (unsigned i = 0; i < bus->n_listeners; i++)
		if (bus->listeners[i].tx)
			bus->listeners[i].fn(bus->listeners[i].ud, bus, &sent);
	return 0;
}

int evgw_bus_for_each_signal(struct evgw_bus *bus, evgw_bus_signal_fn fn, void *ud)
{
	for (unsigned di = 0; di < bus->n_dbs; di++) {
		const struct dbc_db *db = bus->dbs[di];
		for (uint32_t mi = 0; mi < db->n_messages; mi++) {
			const struct dbc_message *m = db->messages[mi];
			for (uint32_t si = 0; si < m->n_signals; si++) {
				int r = fn(ud, bus, di, m, &m->signals[si],
					   evgw_bus_slot(bus, di, m, &m->signals[si]));
				if (r)
					return r;
			}
		}
	}
	return 0;
}
