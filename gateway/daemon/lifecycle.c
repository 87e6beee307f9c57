// SPDX-License-Identifier: MIT
/* Starting, reloading and stopping the daemon's buses. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "daemon/daemon.h"
#include "daemon/faults_glue.h"
#include "daemon/hotplug.h"
#include "daemon/diag_runner.h"
#include "daemon/j1939_source.h"
#include "daemon/lifecycle.h"
#include "daemon/recorder.h"
#include "vehicle/dtc_text.h"

static void bus_state_changed(void *ud, struct evgw_bus *bus, enum evgw_bus_state old)
{
	struct evgw_daemon *d = ud;
	enum evgw_log_level lvl = bus->state == EVGW_BUS_ACTIVE ? EVGW_LOG_INFO : EVGW_LOG_NOTICE;
	evgw_log(&d->log, lvl, "bus %s: %s (was %s)", bus->name, evgw_bus_state_name(bus->state),
		 evgw_bus_state_name(old));
	evgw_api_bus_event(d->api, bus->name, evgw_bus_state_name(bus->state), evgw_bus_state_name(old));
}

void evgw_daemon_start_buses(struct evgw_daemon *d)
{
	evgw_daemon_load_dtc_text(d);
	for (unsigned i = 0; i < d->n_buses; i++) {
		struct evgw_bus *b = d->buses[i];
		b->on_state = bus_state_changed;
		b->on_state_ud = d;
		evgw_daemon_attach_fault_sources(d, b);
		if (evgw_j1939_wanted(d, b) && !d->j1939[b->index] &&
		    evgw_j1939_source_attach(d, b, &d->j1939[b->index]) < 0)
			evgw_err(&d->log, "bus %s: cannot start the J1939 engine", b->name);
		if (!d->diag[b->index] && evgw_diag_attach(d, b, &d->diag[b->index]) < 0)
			evgw_err(&d->log, "bus %s: cannot set up diagnostic requests", b->name);
		d->open_failed[b->index] = false;
		d->open_err_hash[b->index] = 0;
		(void)evgw_daemon_open_bus(d, b);
	}
}

static void bus_free_deferred(void *p)
{
	evgw_bus_free(p);
}

/* Stopped now; freed after the loop round, since events for the bus's fds
 * may already be waiting in it. */
void evgw_daemon_free_buses(struct evgw_daemon *d, struct evgw_bus **buses, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (buses == d->buses && d->j1939[buses[i]->index]) {
			evgw_j1939_source_free(d->j1939[buses[i]->index]);
			d->j1939[buses[i]->index] = NULL;
		}
		if (buses == d->buses && d->diag[buses[i]->index]) {
			evgw_diag_free(d->diag[buses[i]->index]);
			d->diag[buses[i]->index] = NULL;
		}
		buses[i]->on_state = NULL;
		evgw_bus_stop(&d->loop, buses[i]);
		if (evgw_loop_defer(&d->loop, bus_free_deferred, buses[i]) < 0)
			evgw_bus_free(buses[i]);
	}
}

/* Command-line options win over the file, now and after each reload. */
void evgw_daemon_apply_overrides(struct evgw_daemon *d, struct evgw_config *cfg)
{
	char **fields[] = {&cfg->socket_path, &cfg->state_dir, &cfg->dbc_dir};
	char *opts[] = {d->opt_socket, d->opt_state_dir, d->opt_dbc_dir};
	for (int i = 0; i < 3; i++) {
		if (!opts[i])
			continue;
		char *copy = strdup(opts[i]);
		if (copy) {
			free(*fields[i]);
			*fields[i] = copy;
		}
	}
}

int evgw_daemon_reload(struct evgw_daemon *d)
{
	if (!d->config_path) {
		/* The demo's configuration is built in: reload its DBC files. */
		evgw_notice(&d->log, "reload: reloading the demo buses");
	}
	struct evgw_config cfg;
	char err[512] = "";
	int r = evgw_config_defaults(&cfg, d->as_root);
	if (r == 0 && d->config_path)
		r = evgw_config_load_file(&cfg, d->config_path, err, sizeof err);
	else if (r == 0)
		r = evgw_daemon_demo_config(&cfg, err, sizeof err);
	if (r == 0) {
		evgw_daemon_apply_overrides(d, &cfg);
	}
	struct evgw_bus *fresh[EVGW_MAX_BUSES];
	unsigned n = 0;
	if (r == 0)
		r = evgw_daemon_build_buses(d, &cfg, fresh, &n, err, sizeof err);
	if (r < 0) {
		d->reload_failures++;
		evgw_err(&d->log, "reload failed, the running configuration stays: %s", err);
		evgw_config_free(&cfg);
		return r;
	}
	if ((cfg.socket_path && d->cfg.socket_path && strcmp(cfg.socket_path, d->cfg.socket_path)) ||
	    (cfg.state_dir && d->cfg.state_dir && strcmp(cfg.state_dir, d->cfg.state_dir)))
		evgw_notice(&d->log, "reload: a new socket or state directory takes effect at restart");
	/* Keep what cannot change without a restart. */
	char *keep_socket = d->cfg.socket_path, *keep_state = d->cfg.state_dir;
	d->cfg.socket_path = cfg.socket_path;
	d->cfg.state_dir = cfg.state_dir;
	cfg.socket_path = keep_socket;
	cfg.state_dir = keep_state;
	evgw_recorder_stop_all(d);
	evgw_daemon_free_buses(d, d->buses, d->n_buses);
	evgw_config_free(&d->cfg);
	d->cfg = cfg;
	for (unsigned i = 0; i < n; i++)
		d->buses[i] = fresh[i];
	d->n_buses = n;
	d->log.level = d->cfg.log_level;
	/* The DTC tables are read again with the new dbc_dir. */
	evgw_dtc_text_free(d->dtc_text);
	d->dtc_text = NULL;
	evgw_daemon_start_buses(d);
	evgw_api_buses_changed(d->api);
	d->reloads++;
	evgw_notice(&d->log, "reloaded: %u buses", n);
	return 0;
}

/* Two simulated vehicles: a BYD car on an OBD-port bus and a Yutong-style
 * electric bus on J1939. */
int evgw_daemon_demo_config(struct evgw_config *cfg, char *err, size_t errlen)
{
	static const char demo[] =
		"[bus car]\n"
		"driver = sim\n"
		"device = byd-atto3\n"
		"bitrate = 500k\n"
		"mode = diagnostic\n" /* simulated: asking its ECUs is safe */
		"dbc = byd_atto3.dbc demo/byd_demo_bms.dbc\n"
		"profile = byd_atto3\n"
		"[bus ebus]\n"
		"driver = sim\n"
		"device = yutong-bus\n"
		"bitrate = 250k\n"
		"mode = diagnostic\n"
		"dbc = yutong_ebus.dbc\n"
		"profile = yutong_ebus\n"
		"protocols = j1939\n";
	return evgw_config_load_string(cfg, demo, "<demo>", err, errlen);
}
