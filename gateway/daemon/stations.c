// SPDX-License-Identifier: MIT
/* The daemon's buses: built from the configuration, started, stopped. */
#include "daemon/stations.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/confirmed.h"
#include "daemon/ecu_requests.h"
#include "daemon/fault_sources.h"
#include "daemon/j1939_listener.h"
#include "daemon/recorder.h"
#include "dbc/dbc_lint.h"
#include "vehicle/dtc_text.h"
#include "vehicle/profile.h"
#include "util/fnv.h"

struct load_diag {
	struct evgw_daemon *d;
	const char *bus;
	char last_error[320]; /* why a load failed (its last error), with its place */
};

static void dbc_diag_to_log(void *ud, const struct dbc_diag *dg)
{
	struct load_diag *ld = ud;
	enum evgw_log_level lvl = dg->severity == DBC_ERROR ? EVGW_LOG_WARNING : EVGW_LOG_DEBUG;
	char where[32] = "";
	if (dg->line)
		snprintf(where, sizeof where, ":%u:%u", dg->line, dg->col);
	evgw_log(&ld->d->log, lvl, "bus %s: %s%s: %s", ld->bus, dg->path, where, dg->msg);
	if (dg->severity == DBC_ERROR)
		snprintf(ld->last_error, sizeof ld->last_error, "%s%s%s", where[0] ? where + 1 : "",
			 where[0] ? ": " : "", dg->msg);
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
	struct load_diag ld = {d, bc->name, ""};
	struct dbc_load_opts opts = {false, dbc_diag_to_log, &ld};
	for (unsigned i = 0; i < bc->n_dbc; i++) {
		char path[4096];
		if (bc->dbc[i][0] == '/')
			snprintf(path, sizeof path, "%s", bc->dbc[i]);
		else
			snprintf(path, sizeof path, "%s/%s", cfg->dbc_dir ? cfg->dbc_dir : ".", bc->dbc[i]);
		ld.last_error[0] = '\0';
		int r = dbc_load_file(path, &opts, &dbs[i]);
		if (r < 0) {
			snprintf(err, errlen, "bus %s: cannot load %s: %s", bc->name, path,
				 r == -EINVAL ? (ld.last_error[0] ? ld.last_error : "malformed DBC file")
					      : strerror(-r));
			while (i--)
				dbc_free(dbs[i]);
			return r;
		}
		/* What `evgw dbc check` finds (duplicate ids, overlapping
		 * signals...) is logged and counted here too. */
		struct dbc_lint_counts lc = dbc_lint(dbs[i], dbc_diag_to_log, &ld);
		dbs[i]->n_errors += lc.errors;
		dbs[i]->n_warnings += lc.warnings;
		evgw_log(&d->log, dbs[i]->n_errors ? EVGW_LOG_WARNING : EVGW_LOG_INFO,
			 "bus %s: %s: %u messages, %u signals, %u warnings, %u errors", bc->name, path,
			 dbs[i]->n_messages, dbs[i]->n_signals, dbs[i]->n_warnings, dbs[i]->n_errors);
	}
	return 0;
}

/* The bus's vehicle profile, <dbc_dir>/profiles/NAME.ini, and its DTC
 * tables on top of the common ones in <dbc_dir>/dtc. Errors read
 * "config:line: bus B: profile P: profile-file:line: what". */
static int load_bus_profile(const struct evgw_config *cfg, const struct evgw_bus_config *bc,
			    struct evgw_station *st, char *err, size_t errlen)
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
	int r = evgw_profile_load_file(path, &st->profile, perr, sizeof perr);
	if (r < 0) {
		snprintf(err, errlen, "%s: %s", where, perr[0] ? perr : strerror(-r));
		return r;
	}
	if (!st->profile->n_dtc_tables)
		return 0;
	snprintf(path, sizeof path, "%s/dtc", dir);
	r = evgw_dtc_text_load(path, &st->dtc_text, perr, sizeof perr);
	for (unsigned i = 0; r == 0 && i < st->profile->n_dtc_tables; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, st->profile->dtc_tables[i]);
		r = evgw_dtc_text_add_codes(st->dtc_text, path, perr, sizeof perr);
	}
	if (r < 0) {
		snprintf(err, errlen, "%s: DTC tables: %s", where, perr[0] ? perr : strerror(-r));
		return r;
	}
	return 0;
}

void evgw_station_free(struct evgw_station *st)
{
	if (!st)
		return;
	evgw_bus_free(st->bus);
	evgw_profile_free(st->profile);
	evgw_dtc_text_free(st->dtc_text);
	evgw_confirmations_free(st->confirmed);
	free(st);
}

int evgw_daemon_build_stations(struct evgw_daemon *d, const struct evgw_config *cfg,
			       struct evgw_station **out, unsigned *n_out, char *err, size_t errlen)
{
	unsigned n = 0;
	int r = -EINVAL;
	*n_out = 0;
	if (cfg->n_buses > EVGW_MAX_BUSES) {
		snprintf(err, errlen, "more than %d buses", EVGW_MAX_BUSES);
		return -E2BIG;
	}
	bool *used = cfg->n_confirmed ? calloc(cfg->n_confirmed, sizeof *used) : NULL;
	if (cfg->n_confirmed && !used) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (unsigned i = 0; i < cfg->n_buses; i++) {
		const struct evgw_bus_config *bc = &cfg->buses[i];
		r = -EINVAL;
		if (!valid_bus_name(bc->name)) {
			snprintf(err, errlen, "bus name '%s' must be 1-32 letters, digits, '_', '-' or '.'",
				 bc->name ? bc->name : "");
			goto fail;
		}
		if (bc->n_dbc > EVGW_BUS_MAX_DBC) {
			snprintf(err, errlen, "bus %s: more than %d DBC files", bc->name, EVGW_BUS_MAX_DBC);
			goto fail;
		}
		struct evgw_station *st = calloc(1, sizeof *st);
		if (!st) {
			snprintf(err, errlen, "bus %s: out of memory", bc->name);
			r = -ENOMEM;
			goto fail;
		}
		st->d = d;
		out[n++] = st;
		struct dbc_db *dbs[EVGW_BUS_MAX_DBC];
		if ((r = load_bus_dbcs(d, cfg, bc, dbs, err, errlen)) < 0)
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
		r = evgw_bus_create(&p, dbs, bc->n_dbc, &st->bus, &derr);
		if (r < 0) {
			for (unsigned k = 0; k < bc->n_dbc; k++)
				dbc_free(dbs[k]);
			snprintf(err, errlen, "bus %s: %s", bc->name, derr.msg);
			goto fail;
		}
		st->bus->index = (uint8_t)(n - 1);
		if (bc->profile && (r = load_bus_profile(cfg, bc, st, err, errlen)) < 0)
			goto fail;
		if (st->profile)
			evgw_info(&d->log, "bus %s: profile %s: %u ECUs, %u DIDs", bc->name, st->profile->name,
				  st->profile->n_ecus, st->profile->n_dids);
		if ((r = evgw_station_confirm(st, cfg, bc, used, err, errlen)) < 0)
			goto fail;
		if (st->confirmed)
			evgw_info(&d->log, "bus %s: %u definitions confirmed by the shop ([confirmed])", bc->name,
				  st->confirmed->n);
	}
	for (unsigned i = 0; i < cfg->n_confirmed; i++)
		if (!used[i])
			evgw_warn(&d->log, "%s:%u: [confirmed] %s = %s %s: no bus loads %s", cfg->path ? cfg->path : "<config>",
				  cfg->confirmed[i].line, cfg->confirmed[i].did ? "did" : "message", cfg->confirmed[i].file,
				  cfg->confirmed[i].what, cfg->confirmed[i].file);
	free(used);
	*n_out = n;
	return 0;
fail:
	free(used);
	while (n--)
		evgw_station_free(out[n]);
	return r;
}

struct evgw_station *evgw_daemon_station(struct evgw_daemon *d, const char *name)
{
	for (unsigned i = 0; i < d->n_stations; i++)
		if (!strcmp(d->stations[i]->bus->name, name))
			return d->stations[i];
	return NULL;
}

static void bus_driver_error(void *ud, struct evgw_bus *bus, const char *text)
{
	struct evgw_station *st = ud;
	evgw_warn(&st->d->log, "bus %s: %s", bus->name, text);
}

static void bus_state_changed(void *ud, struct evgw_bus *bus, enum evgw_bus_state old)
{
	struct evgw_station *st = ud;
	struct evgw_daemon *d = st->d;
	enum evgw_log_level lvl = bus->state == EVGW_BUS_ACTIVE ? EVGW_LOG_INFO : EVGW_LOG_NOTICE;
	evgw_log(&d->log, lvl, "bus %s: %s (was %s)", bus->name, evgw_bus_state_name(bus->state),
		 evgw_bus_state_name(old));
	evgw_daemon_emit_bus_state(d, st, bus->state, old);
}

void evgw_daemon_start_stations(struct evgw_daemon *d)
{
	evgw_daemon_load_dtc_text(d);
	for (unsigned i = 0; i < d->n_stations; i++) {
		struct evgw_station *st = d->stations[i];
		struct evgw_bus *b = st->bus;
		b->on_state = bus_state_changed;
		b->on_driver_error = bus_driver_error;
		b->on_state_ud = st;
		evgw_daemon_attach_fault_sources(st);
		if (evgw_j1939_wanted(st) && !st->j1939 && evgw_j1939_listener_attach(st, &st->j1939) < 0)
			evgw_err(&d->log, "bus %s: cannot start the J1939 engine", b->name);
		if (!st->ecu && evgw_ecu_requests_attach(st, &st->ecu) < 0)
			evgw_err(&d->log, "bus %s: cannot set up diagnostic requests", b->name);
		st->open_failed = false;
		st->open_err_hash = 0;
		(void)evgw_daemon_open_bus(d, st);
	}
}

static void station_free_deferred(void *p)
{
	evgw_station_free(p);
}

/* Stopped now; freed after the loop round, since events for the bus's fds
 * may already be waiting in it. */
void evgw_daemon_free_stations(struct evgw_daemon *d, struct evgw_station **sts, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct evgw_station *st = sts[i];
		evgw_recorder_stop_station(st);
		evgw_j1939_listener_free(st->j1939);
		st->j1939 = NULL;
		evgw_ecu_requests_free(st->ecu);
		st->ecu = NULL;
		st->bus->on_state = NULL;
		st->bus->on_driver_error = NULL;
		evgw_bus_stop(&d->loop, st->bus);
		if (evgw_loop_defer(&d->loop, station_free_deferred, st) < 0)
			evgw_station_free(st);
	}
}

int evgw_daemon_open_bus(struct evgw_daemon *d, struct evgw_station *st)
{
	struct evgw_bus *b = st->bus;
	struct evgw_driver_err err = {""};
	bool was_gone = b->state == EVGW_BUS_GONE;
	if (b->drv || b->n_io)
		evgw_bus_stop(&d->loop, b); /* a device that vanished while open */
	int r = evgw_bus_start(&d->loop, b, &err);
	const char *dev = b->params.device ? b->params.device : "";
	if (r == 0) {
		st->open_failed = false;
		st->open_err_hash = 0;
		evgw_info(&d->log, "bus %s: %s %s %s", b->name, b->ops->name, dev,
			  was_gone ? "is back" : "up");
		if (err.msg[0])
			evgw_notice(&d->log, "bus %s: %s", b->name, err.msg);
		return 0;
	}
	const char *why = err.msg[0] ? err.msg : strerror(-r);
	/* The same failure every 2 s is said once. */
	uint32_t h = evgw_fnv32(EVGW_FNV32_INIT, why, strlen(why)) ^ (uint32_t)-r;
	if (h != st->open_err_hash) {
		st->open_err_hash = h ? h : 1;
		if (r == -ENODEV)
			evgw_notice(&d->log, "bus %s (%s %s): %s", b->name, b->ops->name, dev, why);
		else
			evgw_err(&d->log, "bus %s (%s %s): %s", b->name, b->ops->name, dev, why);
	}
	if (r == -ENODEV) {
		evgw_bus_set_state(b, EVGW_BUS_GONE);
	} else {
		st->open_failed = true;
		if (b->state != EVGW_BUS_DOWN)
			evgw_bus_set_state(b, EVGW_BUS_DOWN);
	}
	return r;
}
