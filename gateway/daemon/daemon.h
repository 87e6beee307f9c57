// SPDX-License-Identifier: MIT
/* evgwd's state: everything lives here and is passed explicitly. */
#ifndef EVGW_DAEMON_DAEMON_H
#define EVGW_DAEMON_DAEMON_H

#include <stdbool.h>
#include <stdint.h>

#include "bus/bus.h"
#include "config/config.h"
#include "daemon/events.h"
#include "daemon/log.h"
#include "daemon/station.h"
#include "drivers/usb_dev.h"
#include "faults/engine.h"
#include "faults/store.h"
#include "faults/store_keeper.h"
#include "loop/loop.h"

#define EVGW_MAX_BUSES 64

struct evgw_dtc_text;

struct evgw_daemon {
	struct evgw_loop loop;
	struct evgw_log log;
	struct evgw_config cfg;
	bool demo;
	bool as_root;               /* chooses the default paths */
	char *config_path;          /* NULL in demo mode */
	/* Command-line overrides, re-applied after a reload. */
	char *opt_socket, *opt_state_dir, *opt_dbc_dir;

	struct evgw_station *stations[EVGW_MAX_BUSES]; /* in config order; bus->index = position */
	unsigned n_stations;
	struct evgw_usb_hub usb_hub; /* USB adapters the buses share (gsusb, canalyst) */

	struct evgw_daemon_observer observers[EVGW_MAX_OBSERVERS]; /* daemon/events.h */
	unsigned n_observers;
	struct evgw_store_keeper store_keeper; /* faults.db and its health (faults/store_keeper.h) */
	struct evgw_fault_engine faults;
	struct evgw_dtc_text *dtc_text; /* <dbc_dir>/dtc tables; NULL until loaded or if unreadable */
	struct evgw_timer fault_flush; /* writes fault changes ~10 times a second */
	/* The store's health in the log (fault_sources.c): what was said last,
	 * and when the next line about a store that cannot be written may be. */
	enum evgw_store_state store_logged;
	int64_t store_next_log_us;
	struct evgw_timer tick;     /* bus statistics, ~10 Hz */
	struct evgw_io sigio;       /* signalfd */
	int sigfd;
	/* Hotplug (hotplug.c): buses whose device is missing are re-opened. */
	struct evgw_io hotplug_rtnl, hotplug_uevent;
	struct evgw_timer hotplug_retry, hotplug_settle;
	uint64_t hotplug_events;
	int64_t start_mono_us;
	uint64_t reloads, reload_failures;
};

/* Load the buses of cfg: DBC files, profiles, drivers (not opened yet).
 * On failure nothing is changed and err says which bus and why. */
int evgw_daemon_build_stations(struct evgw_daemon *d, const struct evgw_config *cfg,
			       struct evgw_station **out, unsigned *n_out, char *err, size_t errlen);
/* SIGHUP: re-read the config and the DBC files; keep the old ones on error. */
int evgw_daemon_reload(struct evgw_daemon *d);
/* A bus by name, or NULL. */
struct evgw_station *evgw_daemon_station(struct evgw_daemon *d, const char *name);

#endif
