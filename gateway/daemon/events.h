// SPDX-License-Identifier: MIT
/* What the daemon tells its consumers (the socket API today; an MQTT
 * bridge or a socketcand server tomorrow): typed events through observers
 * that main.c registers. Nothing under gateway/daemon/ knows who listens
 * or in which format they speak; a new consumer is a new file. */
#ifndef EVGW_DAEMON_EVENTS_H
#define EVGW_DAEMON_EVENTS_H

#include <stdint.h>

#include "can/bus_state.h"
#include "faults/engine.h"

#define EVGW_MAX_OBSERVERS 4

struct evgw_daemon;
struct evgw_station;

/* What a consumer that talks to something outside (the MQTT bridge) shows
 * in the daemon's status, under its name. */
struct evgw_consumer_status {
	const char *name;       /* the key in status: "mqtt" */
	const char *target;     /* where it talks to: the broker's URL */
	const char *state;      /* a word: "connected", "connecting", "refused", "unreachable", "lost" */
	int64_t since_us;       /* wall clock: when it entered that state */
	const char *last_error; /* the last problem's words, "" before any */
	uint64_t sent;          /* messages handed over */
	uint64_t skipped;       /* messages dropped for a peer too slow (values, never faults) */
	uint64_t unacked;       /* fault changes handed over and not yet acknowledged */
};

struct evgw_daemon_observer {
	/* A bus changed state (active, gone, bus-off...). */
	void (*bus_state)(void *ud, const struct evgw_station *st, enum evgw_bus_state now,
			  enum evgw_bus_state was);
	/* A fault was raised, changed or cleared — told only once it is in
	 * the store (faults/engine.h). */
	void (*fault)(void *ud, const struct evgw_fault *f, enum evgw_fault_event ev);
	/* The set of buses was rebuilt (reload): stations held are gone. */
	void (*buses_changed)(void *ud);
	void *ud;
	/* Its state for status (may be NULL): fills *out, valid until the
	 * loop runs again. */
	void (*status)(void *ud, struct evgw_consumer_status *out);
};

/* Register an observer (any hook may be NULL); -ENOSPC when full. */
int evgw_daemon_observe(struct evgw_daemon *d, const struct evgw_daemon_observer *o);

void evgw_daemon_emit_bus_state(struct evgw_daemon *d, const struct evgw_station *st,
				enum evgw_bus_state now, enum evgw_bus_state was);
void evgw_daemon_emit_fault(struct evgw_daemon *d, const struct evgw_fault *f, enum evgw_fault_event ev);
void evgw_daemon_emit_buses_changed(struct evgw_daemon *d);

#endif
