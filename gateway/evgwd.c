// SPDX-License-Identifier: MIT
/* evgwd: the gateway daemon. One epoll loop. main() wires the parts: the
 * daemon's engines (gateway/daemon/) and, as observers of their events,
 * the socket API (gateway/api/), the MQTT bridge (gateway/mqtt/, whose
 * network runs in a thread of its own) and the socketcand server
 * (gateway/socketcand/): the one file that knows them all. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef EVGW_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "api/api.h"
#include "daemon/daemon.h"
#include "daemon/demo.h"
#include "daemon/fault_sources.h"
#include "daemon/hotplug.h"
#include "daemon/own_dir.h"
#include "daemon/reload.h"
#include "daemon/stations.h"
#ifdef EVGW_HAVE_MQTT
#include <mosquitto.h>

#include "mqtt/bridge.h"
#include "socketcand/server.h"
#endif

#ifndef EVGW_VERSION
#define EVGW_VERSION "0.0.0"
#endif
#ifndef EVGW_SOURCE_DBC_DIR
#define EVGW_SOURCE_DBC_DIR ""
#endif

static void notify(const char *state)
{
#ifdef EVGW_HAVE_SYSTEMD
	sd_notify(0, state);
#else
	(void)state;
#endif
}

static void usage(FILE *out)
{
	fputs("usage: evgwd [--config FILE] [--demo] [--socket PATH] [--state-dir DIR]\n"
	      "             [--dbc-dir DIR] [--log-level LEVEL] [--foreground]\n"
	      "\n"
	      "  --config FILE     configuration (default " EVGW_CONFIG_DEFAULT_PATH ")\n"
	      "  --demo            two simulated vehicles, no configuration or hardware needed\n"
	      "  --socket PATH     the API socket (overrides the configuration)\n"
	      "  --state-dir DIR   recordings and state (overrides the configuration)\n"
	      "  --dbc-dir DIR     where relative DBC file names are found\n"
	      "  --log-level L     err, warning, notice, info or debug\n"
	      "  --foreground      accepted for compatibility: evgwd never forks\n",
	      out);
}

static void on_signal(struct evgw_loop *loop, struct evgw_io *io, uint32_t events)
{
	struct evgw_daemon *d = io->ud;
	struct signalfd_siginfo si;
	while (read(io->fd, &si, sizeof si) == sizeof si) {
		if (si.ssi_signo == SIGHUP) {
			notify("RELOADING=1");
			evgw_daemon_reload(d);
			notify("READY=1");
		} else {
			evgw_notice(&d->log, "%s: stopping", strsignal((int)si.ssi_signo));
			notify("STOPPING=1");
			evgw_loop_stop(loop, 0);
		}
	}
}

static void on_tick(struct evgw_loop *loop, struct evgw_timer *t)
{
	struct evgw_daemon *d = t->ud;
	int64_t now = evgw_now_mono_us();
	for (unsigned i = 0; i < d->n_stations; i++)
		evgw_bus_tick(d->stations[i]->bus, now);
}

static bool is_dir(const char *p)
{
	struct stat st;
	return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int setup_signals(struct evgw_daemon *d)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	signal(SIGPIPE, SIG_IGN); /* a client that hangs up is an EPIPE, not a death */
	d->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sigfd < 0)
		return -errno;
	return evgw_loop_add(&d->loop, &d->sigio, d->sigfd, EPOLLIN, on_signal, d);
}

static int load_config(struct evgw_daemon *d, const char *path, const char *level_opt)
{
	char err[512] = "";
	int r = evgw_config_defaults(&d->cfg, d->as_root);
	if (r == 0 && path)
		r = evgw_config_load_file(&d->cfg, path, err, sizeof err);
	else if (r == 0)
		r = evgw_daemon_demo_config(&d->cfg, err, sizeof err);
	if (r < 0) {
		fprintf(stderr, "evgwd: %s\n", err[0] ? err : strerror(-r));
		if (!path || r != -ENOENT)
			return r;
		fprintf(stderr, "evgwd: (no configuration: write one from udev/evgw.conf.example, or try evgwd --demo)\n");
		return r;
	}
	evgw_daemon_apply_overrides(d, &d->cfg);
	/* Run from a build tree: the definitions are in the source tree. */
	if (!d->opt_dbc_dir && !is_dir(d->cfg.dbc_dir) && is_dir(EVGW_SOURCE_DBC_DIR)) {
		free(d->cfg.dbc_dir);
		d->cfg.dbc_dir = strdup(EVGW_SOURCE_DBC_DIR);
		free(d->opt_dbc_dir);
		d->opt_dbc_dir = d->cfg.dbc_dir ? strdup(d->cfg.dbc_dir) : NULL;
	}
	if (level_opt && evgw_log_level_parse(level_opt, &d->cfg.log_level) < 0) {
		fprintf(stderr, "evgwd: --log-level: '%s' is not " EVGW_LOG_LEVEL_NAMES "\n", level_opt);
		return -EINVAL;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'}, {"demo", no_argument, NULL, 'd'},
		{"socket", required_argument, NULL, 's'}, {"state-dir", required_argument, NULL, 'S'},
		{"dbc-dir", required_argument, NULL, 'D'}, {"log-level", required_argument, NULL, 'l'},
		{"foreground", no_argument, NULL, 'f'},   {"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},      {NULL, 0, NULL, 0},
	};
	static struct evgw_daemon daemon_state; /* zeroed; main's frame would do as well */
	struct evgw_daemon *d = &daemon_state;
	const char *config = NULL, *level = NULL;
	int opt;
	while ((opt = getopt_long(argc, argv, "c:ds:S:D:l:fhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c': config = optarg; break;
		case 'd': d->demo = true; break;
		case 's': d->opt_socket = strdup(optarg); break;
		case 'S': d->opt_state_dir = strdup(optarg); break;
		case 'D': d->opt_dbc_dir = strdup(optarg); break;
		case 'l': level = optarg; break;
		case 'f': break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("evgwd %s\n", EVGW_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	d->as_root = geteuid() == 0;
	d->sigfd = -1;
	d->sigio.fd = -1;
	d->tick.io.fd = -1;
	d->fault_flush.io.fd = -1;
	d->hotplug_rtnl.fd = d->hotplug_uevent.fd = -1;
	d->hotplug_retry.io.fd = d->hotplug_settle.io.fd = -1;
	if (!config && !d->demo)
		config = EVGW_CONFIG_DEFAULT_PATH;
	d->config_path = config ? strdup(config) : NULL;
	if (load_config(d, d->config_path, level) < 0)
		return 1;
	evgw_log_init(&d->log, d->cfg.log_level);
	int rc = 1;
	char err[512] = "";
	struct evgw_api *api = NULL;
	struct evgw_sc_server *sc = NULL;
#ifdef EVGW_HAVE_MQTT
	struct evgw_mqtt_bridge *mqtt = NULL;
	mosquitto_lib_init();
#endif
	if (evgw_loop_init(&d->loop) < 0 || setup_signals(d) < 0) {
		evgw_err(&d->log, "cannot set up the event loop: %s", strerror(errno));
		return 1;
	}
	d->start_mono_us = evgw_now_mono_us();
	if (evgw_daemon_build_stations(d, &d->cfg, d->stations, &d->n_stations, err, sizeof err) < 0) {
		evgw_err(&d->log, "%s", err);
		goto out;
	}
	/* Ours, or nothing: another user's state directory could hand the
	 * fault store and recordings to them. */
	int state_fd = evgw_own_dir_open(d->cfg.state_dir, 0750, false, "state directory", err, sizeof err);
	if (state_fd < 0) {
		evgw_err(&d->log, "%s", err);
		goto out;
	}
	close(state_fd);
	if (evgw_api_open(d, &api, err, sizeof err) < 0) {
		evgw_err(&d->log, "%s", err);
		goto out;
	}
	struct evgw_daemon_observer api_observer = evgw_api_observer(api);
	(void)evgw_daemon_observe(d, &api_observer);
	if (d->cfg.mqtt.enabled) {
#ifdef EVGW_HAVE_MQTT
		if (evgw_mqtt_open(d, &mqtt, err, sizeof err) < 0) {
			evgw_err(&d->log, "%s", err);
			goto out;
		}
		struct evgw_daemon_observer mqtt_observer = evgw_mqtt_observer(mqtt);
		(void)evgw_daemon_observe(d, &mqtt_observer);
#else
		evgw_err(&d->log, "%s:%u: [mqtt]: this evgwd was built without MQTT (libmosquitto)",
			 d->config_path ? d->config_path : "<demo>", d->cfg.mqtt.line);
		goto out;
#endif
	}
	if (d->cfg.socketcand.enabled) {
		if (evgw_sc_open(d, &sc, err, sizeof err) < 0) {
			evgw_err(&d->log, "%s", err);
			goto out;
		}
		struct evgw_daemon_observer sc_observer = evgw_sc_observer(sc);
		(void)evgw_daemon_observe(d, &sc_observer);
	}
	evgw_daemon_faults_init(d);
	evgw_daemon_start_stations(d);
	if (evgw_timer_init(&d->loop, &d->tick, on_tick, d) < 0 ||
	    evgw_timer_arm(&d->tick, 100000, 100000) < 0) {
		evgw_err(&d->log, "cannot start the statistics timer");
		goto out;
	}
	if (evgw_hotplug_init(d) < 0) {
		evgw_err(&d->log, "cannot start watching for adapters");
		goto out;
	}
	evgw_notice(&d->log, "evgwd %s%s: %u buses; listening on %s", EVGW_VERSION,
		    d->demo && !d->config_path ? " (demo)" : "", d->n_stations, evgw_api_socket_path(api));
	notify("READY=1");
	rc = evgw_loop_run(&d->loop);
out:
	evgw_api_close(api);
	evgw_sc_close(sc);
#ifdef EVGW_HAVE_MQTT
	evgw_mqtt_close(mqtt);
#endif
	d->n_observers = 0;
	evgw_timer_fini(&d->loop, &d->tick);
	evgw_hotplug_fini(d);
	evgw_daemon_free_stations(d, d->stations, d->n_stations);
	evgw_loop_del(&d->loop, &d->sigio);
	if (d->sigfd >= 0)
		close(d->sigfd);
	evgw_loop_fini(&d->loop); /* the deferred frees, before the faults go */
	evgw_daemon_faults_fini(d);
	evgw_config_free(&d->cfg);
#ifdef EVGW_HAVE_MQTT
	mosquitto_lib_cleanup();
#endif
	free(d->config_path);
	free(d->opt_socket);
	free(d->opt_state_dir);
	free(d->opt_dbc_dir);
	return rc;
}
