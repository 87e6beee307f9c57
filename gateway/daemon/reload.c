// SPDX-License-Identifier: MIT
/* SIGHUP: the configuration and the DBC files read again; the old ones
 * stay when the new ones do not load. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/demo.h"
#include "daemon/reload.h"
#include "daemon/stations.h"
#include "vehicle/dtc_text.h"

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
	struct evgw_station *fresh[EVGW_MAX_BUSES];
	unsigned n = 0;
	if (r == 0)
		r = evgw_daemon_build_stations(d, &cfg, fresh, &n, err, sizeof err);
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
	evgw_daemon_free_stations(d, d->stations, d->n_stations);
	evgw_config_free(&d->cfg);
	d->cfg = cfg;
	for (unsigned i = 0; i < n; i++)
		d->stations[i] = fresh[i];
	d->n_stations = n;
	d->log.level = d->cfg.log_level;
	/* The DTC tables are read again with the new dbc_dir. */
	evgw_dtc_text_free(d->dtc_text);
	d->dtc_text = NULL;
	evgw_daemon_start_stations(d);
	evgw_daemon_emit_buses_changed(d);
	d->reloads++;
	evgw_notice(&d->log, "reloaded: %u buses", n);
	return 0;
}
