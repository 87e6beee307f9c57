// SPDX-License-Identifier: MIT
/* Buses from the configuration, and reloading them on SIGHUP. */
#include "daemon/daemon.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "daemon/recorder.h"
#include "vehicle/dtc_text.h"
#include "vehicle/profile.h"

struct load_diag {
	struct evgw_daemon *d;
	const char *bus;
};

static void dbc_diag_to_log(void *ud, const struct dbc_diag *dg)
{
	struct load_diag *ld = ud;
	enum evgw_log_level lvl = dg->severity == DBC_ERROR ? EVGW_LOG_WARNING : EVGW_LOG_DEBUG;
	evgw_log(&ld->d->log, lvl, "bus %s: %s:%u:%u: %s", ld->bus, dg->path, dg->line, dg->col, dg->msg);
}

static bool valid_bus_name(const char *s)
{
	if (!s || !*s || strlen(s) > 32)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '-' || *s == '.'))
			return false;
	return true;
}

static int load_bus_dbcs(struct evgw_daemon *d, const struct evgw_config *cfg,
			 const struct evgw_bus_config *bc, struct dbc_db **dbs, char *err, size_t errlen)
{
	struct load_diag ld = {d, bc->name};
	struct dbc_load_opts opts = {false, dbc_diag_to_log, &ld};
	for (unsigned i = 0; i < bc->n_dbc; i++) {
		char path[4096];
		if (bc->dbc[i][0] == '/')
			snprintf(path, sizeof path, "%s", bc->dbc[i]);
		else
			snprintf(path, sizeof path, "%s/%s", cfg->dbc_dir ? cfg->dbc_dir : ".", bc->dbc[i]);
		int r = dbc_load_file(path, &opts, &dbs[i]);
		if (r < 0) {
			snprintf(err, errlen, "bus %s: cannot load %s: %s", bc->name, path,
				 r == -EINVAL ? "malformed DBC file" : strerror(-r));
			while (i--)
				dbc_free(dbs[i]);
			return r;
		}
		evgw_info(&d->log, "bus %s: %s: %u messages, %u signals, %u warnings, %u errors", bc->name,
			  path, dbs[i]->n_messages, dbs[i]->n_signals, dbs[i]->n_warnings, dbs[i]->n_errors);
	}
	return 0;
}

/* The bus's vehicle profile, <dbc_dir>/profiles/NAME.ini, and its DTC
 * tables on top of the common ones in <dbc_dir>/dtc. Errors read
 * "config:line: bus B: profile P: profile-file:line: what". */
static int load_bus_profile(const struct evgw_config *cfg, const struct evgw_bus_config *bc,
			    struct evgw_bus *bus, char *err, size_t errlen)
{
	const char *dir = cfg->dbc_dir ? cfg->dbc_dir : ".";
	char where[256], path[4096], perr[512] = "";
	snprintf(where, sizeof where, "%s:%u: bus %s: profile %s", cfg->path ? cfg->path : "<config>", bc->line,
		 bc->name, bc->profile);
	/* One word by the config's rules; no way out of the profiles directory. */
	if (strchr(bc->profile, '/') || bc->profile[0] == '.') {
		snprintf(err, errlen, "%s: must be the name of a file in %s/profiles (without .ini)", where, dir);
		return -EINVAL;
	}
	snprintf(path, sizeof path, "%s/profiles/%s.ini", dir, bc->profile);
	int r = evgw_profile_load_file(path, &bus->profile, perr, sizeof perr);
	if (r < 0) {
		snprintf(err, errlen, "%s: %s", where, perr[0] ? perr : strerror(-r));
		return r;
	}
	if (!bus->profile->n_dtc_tables)
		return 0;
	snprintf(path, sizeof path, "%s/dtc", dir);
	r = evgw_dtc_text_load(path, &bus->dtc_text, perr, sizeof perr);
	for (unsigned i = 0; r == 0 && i < bus->profile->n_dtc_tables; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, bus->profile->dtc_tables[i]);
		r = evgw_dtc_text_add_codes(bus->dtc_text, path, perr, sizeof perr);
	}
	if (r < 0) {
		snprintf(err, errlen, "%s: DTC tables: %s", where, perr[0] ? perr : strerror(-r));
		return r;
	}
	return 0;
}

int evgw_daemon_build_buses(struct evgw_daemon *d, const struct evgw_config *cfg,
			    struct evgw_bus **out, unsigned *n_out, char *err, size_t errlen)
{
	unsigned n = 0;
	*n_out = 0;
	if (cfg->n_buses > EVGW_MAX_BUSES) {
		snprintf(err, errlen, "more than %d buses", EVGW_MAX_BUSES);
		return -E2BIG;
	}
	for (unsigned i = 0; i < cfg->n_buses; i++) {
		const struct evgw_bus_config *bc = &cfg->buses[i];
		if (!valid_bus_name(bc->name)) {
			snprintf(err, errlen, "bus name '%s' must be 1-32 letters, digits, '_', '-' or '.'",
				 bc->name ? bc->name : "");
			goto fail;
		}
		if (bc->n_dbc > EVGW_BUS_MAX_DBC) {
			snprintf(err, errlen, "bus %s: more than %d DBC files", bc->name, EVGW_BUS_MAX_DBC);
			goto fail;
		}
		struct dbc_db *dbs[EVGW_BUS_MAX_DBC];
		if (load_bus_dbcs(d, cfg, bc, dbs, err, errlen) < 0)
			goto fail;
		struct evgw_bus_params p = {
			.name = bc->name,
			.driver = bc->driver,
			.device = bc->device,
			.bitrate = bc->bitrate,
			.data_bitrate = bc->data_bitrate,
			.listen_only = bc->listen_only,
			.replay_speed = bc->replay_speed,
			.replay_loop = bc->replay_loop,
			.dbc_dir = cfg->dbc_dir,
			.restart_ms = bc->restart_ms,
			.filters = bc->filters,
			.n_filters = bc->n_filters,
			.termination = bc->termination,
			.usb_hub = &d->usb_hub,
		};
		struct evgw_driver_err derr = {""};
		int r = evgw_bus_create(&p, dbs, bc->n_dbc, &out[n], &derr);
		if (r < 0) {
			for (unsigned k = 0; k < bc->n_dbc; k++)
				dbc_free(dbs[k]);
			snprintf(err, errlen, "bus %s: %s", bc->name, derr.msg);
			goto fail;
		}
		out[n]->index = (uint8_t)n;
		n++;
		if (bc->profile && load_bus_profile(cfg, bc, out[n - 1], err, errlen) < 0)
			goto fail;
		if (out[n - 1]->profile)
			evgw_info(&d->log, "bus %s: profile %s: %u ECUs, %u DIDs", bc->name,
				  out[n - 1]->profile->name, out[n - 1]->profile->n_ecus, out[n - 1]->profile->n_dids);
	}
	*n_out = n;
	return 0;
fail:
	while (n--)
		evgw_bus_free(out[n]);
	return -EINVAL;
}

struct evgw_bus *evgw_daemon_bus(struct evgw_daemon *d, const char *name)
{
	for (unsigned i = 0; i < d->n_buses; i++)
		if (!strcmp(d->buses[i]->name, name))
			return d->buses[i];
	return NULL;
}
