// SPDX-License-Identifier: MIT
/* evgwd's state: everything lives here and is passed explicitly. */
#ifndef EVGW_DAEMON_DAEMON_H
#define EVGW_DAEMON_DAEMON_H

#include <stdbool.h>
#include <stdint.h>

#include "bus/bus.h"
#include "config/config.h"
#include "daemon/log.h"
#include "drivers/usb_dev.h"
#include "faults/engine.h"
#include "faults/store.h"
#include "loop/loop.h"

#define EVGW_MAX_BUSES 64

struct evgw_api;
struct evgw_recorder;
struct evgw_j1939_source;
struct evgw_diag;
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

	struct evgw_bus *buses[EVGW_MAX_BUSES];
	unsigned n_buses;
	struct evgw_recorder *recorders[EVGW_MAX_BUSES]; /* by bus index */
	struct evgw_j1939_source *j1939[EVGW_MAX_BUSES]; /* by bus index; NULL: no J1939 */
	struct evgw_diag *diag[EVGW_MAX_BUSES];          /* by bus index: ECU requests */
	struct evgw_usb_hub usb_hub; /* USB adapters the buses share (gsusb, canalyst) */

	struct evgw_api *api;
	struct evgw_store *store;   /* NULL when it could not be opened */
	struct evgw_fault_engine faults;
	struct evgw_dtc_text *dtc_text; /* <dbc_dir>/dtc tables; NULL until loaded or if unreadable */
	struct evgw_timer fault_flush; /* writes fault changes ~10 times a second */
	uint64_t store_errors_logged;
	struct evgw_timer tick;     /* bus statistics, ~10 Hz */
	struct evgw_io sigio;       /* signalfd */
	int sigfd;
	/* Hotplug (hotplug.c): buses whose device is missing are re-opened. */
	struct evgw_io hotplug_rtnl, hotplug_uevent;
	struct evgw_timer hotplug_retry, hotplug_settle;
	uint64_t hotplug_events;
	bool open_failed[EVGW_MAX_BUSES];        /* by bus index: open() failed, not ENODEV */
	uint32_t open_err_hash[EVGW_MAX_BUSES];  /* the last failure logged, by bus index */
	int64_t start_mono_us;
	uint64_t reloads, reload_failures;
};

/* Load the buses of cfg: DBC files, drivers. On failure nothing is
 * changed and err says which bus and why. */
int evgw_daemon_build_buses(struct evgw_daemon *d, const struct evgw_config *cfg,
			    struct evgw_bus **out, unsigned *n_out, char *err, size_t errlen);
/* SIGHUP: re-read the config and the DBC files; keep the old ones on error. */
int evgw_daemon_reload(struct evgw_daemon *d);
/* A bus by name, or NULL. */
struct evgw_bus *evgw_daemon_bus(struct evgw_daemon *d, const char *name);

#endif
