// SPDX-License-Identifier: MIT
#include "daemon/events.h"

#include <errno.h>

#include "daemon/daemon.h"

int evgw_daemon_observe(struct evgw_daemon *d, const struct evgw_daemon_observer *o)
{
	if (d->n_observers == EVGW_MAX_OBSERVERS)
		return -ENOSPC;
	d->observers[d->n_observers++] = *o;
	return 0;
}

void evgw_daemon_emit_bus_state(struct evgw_daemon *d, const struct evgw_station *st,
				enum evgw_bus_state now, enum evgw_bus_state was)
{
	for (unsigned i = 0; i < d->n_observers; i++)
		if (d->observers[i].bus_state)
			d->observers[i].bus_state(d->observers[i].ud, st, now, was);
}

void evgw_daemon_emit_fault(struct evgw_daemon *d, const struct evgw_fault *f, enum evgw_fault_event ev)
{
	for (unsigned i = 0; i < d->n_observers; i++)
		if (d->observers[i].fault)
			d->observers[i].fault(d->observers[i].ud, f, ev);
}

void evgw_daemon_emit_buses_changed(struct evgw_daemon *d)
{
	for (unsigned i = 0; i < d->n_observers; i++)
		if (d->observers[i].buses_changed)
			d->observers[i].buses_changed(d->observers[i].ud);
}
