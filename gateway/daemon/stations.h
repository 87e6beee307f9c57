// SPDX-License-Identifier: MIT
/* The daemon's buses over their life: built from the configuration
 * (evgw_daemon_build_stations, daemon.h), started, re-opened, stopped. */
#ifndef EVGW_DAEMON_STATIONS_H
#define EVGW_DAEMON_STATIONS_H

#include "daemon/daemon.h"

/* Attach the engines (faults, J1939, ECU requests) and open each bus's
 * driver; a bus that cannot start is logged and stays down or gone. */
void evgw_daemon_start_stations(struct evgw_daemon *d);
/* Stop them now, free them after the loop round. */
void evgw_daemon_free_stations(struct evgw_daemon *d, struct evgw_station **sts, unsigned n);
/* Open one bus's driver now and log the outcome once; returns 0 or -errno. */
int evgw_daemon_open_bus(struct evgw_daemon *d, struct evgw_station *st);

#endif
