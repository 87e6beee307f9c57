// SPDX-License-Identifier: MIT
/* The socket API's request handling end to end: the fuzzer's bytes go,
 * as a client writes them, into a real evgwd core (the demo's two
 * simulated vehicles, the real command table, subscriptions, the ECU
 * request service) over a real Unix socket; every line that comes back
 * must be one JSON object with a "type" that a strict parser (json-c in
 * strict mode) accepts. The daemon runs as nobody when started as root,
 * so no input can be an admin's (recordings to absolute paths, clearing).
 * A crash, a sanitizer report or an invalid reply line is a finding. */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <ftw.h>
#include <grp.h>

#include "api/api.h"
#include "daemon/daemon.h"
#include "daemon/demo.h"
#include "daemon/fault_sources.h"
#include "daemon/stations.h"

struct harness {
	struct evgw_daemon d;
	struct evgw_api *api;
	char dir[64], sock[128];
	char *reply;
	size_t cap;
};

/* One daemon for the whole run: starting one per input would spend the
 * fuzzer's time in SQLite and DBC loading. */
static struct harness *h_global;

int LLVMFuzzerInitialize(int *argc, char ***argv);

/* As root, become nobody before anything runs: the corpus directories
 * given on the command line are opened to nobody first, so libFuzzer can
 * still write new inputs there. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (geteuid() != 0)
		return 0;
	for (int i = 1; i < *argc; i++) {
		struct stat st;
		const char *a = (*argv)[i];
		if (a[0] != '-' && stat(a, &st) == 0 && S_ISDIR(st.st_mode))
			(void)chmod(a, 01777);
	}
	if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
		abort(); /* never fuzz as an admin */
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* The state directory (store, socket, recordings) goes with the run. */
static void cleanup(void)
{
	if (h_global)
		nftw(h_global->dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static struct harness *start(void)
{
	struct harness *h = calloc(1, sizeof *h);
	char err[512] = "";
	snprintf(h->dir, sizeof h->dir, "/tmp/evgw-fuzz-api-XXXXXX");
	if (!h || !mkdtemp(h->dir))
		abort();
	h_global = h;
	snprintf(h->sock, sizeof h->sock, "%s/evgw.sock", h->dir);
	struct evgw_daemon *d = &h->d;
	d->sigfd = d->sigio.fd = d->tick.io.fd = d->fault_flush.io.fd = -1;
	d->hotplug_rtnl.fd = d->hotplug_uevent.fd = -1;
	d->hotplug_retry.io.fd = d->hotplug_settle.io.fd = -1;
	d->demo = true;
	if (evgw_config_defaults(&d->cfg, false) < 0 || evgw_daemon_demo_config(&d->cfg, err, sizeof err) < 0)
		abort();
	free(d->cfg.dbc_dir);
	free(d->cfg.socket_path);
	free(d->cfg.state_dir);
	d->cfg.dbc_dir = strdup(EVGW_SOURCE_DBC_DIR);
	d->cfg.socket_path = strdup(h->sock);
	d->cfg.state_dir = strdup(h->dir);
	evgw_log_init(&d->log, EVGW_LOG_ERR);
	if (evgw_loop_init(&d->loop) < 0 ||
	    evgw_daemon_build_stations(d, &d->cfg, d->stations, &d->n_stations, err, sizeof err) < 0 ||
	    evgw_api_open(d, &h->api, err, sizeof err) < 0) {
		fprintf(stderr, "fuzz_api: %s\n", err);
		abort();
	}
	struct evgw_daemon_observer o = evgw_api_observer(h->api);
	evgw_daemon_observe(d, &o);
	evgw_daemon_faults_init(d);
	evgw_daemon_start_stations(d);
	atexit(cleanup);
	h->cap = 1 << 20;
	h->reply = malloc(h->cap);
	return h;
}

/* Every complete line must be a strict JSON object with a "type". */
static void check_lines(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break; /* a line still being written when we stopped reading */
		struct json_tokener *tok = json_tokener_new();
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
		json_object *o = json_tokener_parse_ex(tok, p, (int)(nl - p));
		bool ok = o && json_tokener_get_error(tok) == json_tokener_success &&
			  json_tokener_get_parse_end(tok) == (size_t)(nl - p) &&
			  json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, "type", NULL);
		if (!ok) {
			fprintf(stderr, "fuzz_api: reply line is not a strict JSON object: %.*s\n", (int)(nl - p), p);
			abort();
		}
		json_object_put(o);
		json_tokener_free(tok);
		p = nl + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!h_global)
		start();
	struct harness *h = h_global;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", h->sock);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		abort();
	fcntl(fd, F_SETFL, O_NONBLOCK);
	evgw_loop_run_once(&h->d.loop, 0); /* accept */
	size_t off = 0, got = 0;
	/* Write as the daemon reads: the loop runs between writes. */
	for (int round = 0; round < 64 && (off < size || round < 4); round++) {
		if (off < size) {
			ssize_t n = write(fd, data + off, size - off);
			if (n > 0)
				off += (size_t)n;
		}
		evgw_loop_run_once(&h->d.loop, 0);
		for (;;) {
			if (got == h->cap)
				got = 0; /* enough checked; keep the tail */
			ssize_t n = read(fd, h->reply + got, h->cap - got);
			if (n <= 0)
				break;
			got += (size_t)n;
		}
	}
	check_lines(h->reply, got);
	close(fd);
	evgw_loop_run_once(&h->d.loop, 0); /* the hang-up */
	return 0;
}
