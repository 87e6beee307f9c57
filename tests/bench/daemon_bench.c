// SPDX-License-Identifier: MIT
/* evgw-daemon-bench: frames per second through the daemon's whole path,
 * in one process: the replay driver (as fast as possible) -> decode ->
 * signal table -> one "signals" subscriber (a real socket client, rate
 * limited) -> its socket. Prints key=value lines.
 *
 *   evgw-daemon-bench --dbc FILE [--frames N] [--rate HZ]
 *
 * The log is generated from the DBC (random payloads for every message)
 * into a temporary file first; only the replay itself is timed. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "alloc_count.h"
#include "can/candump.h"
#include "daemon/daemon.h"
#include "daemon/stations.h"
#include "dbc/dbc.h"
#include "dbc/dbc_decode.h"


static double cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

static double wall_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int write_log(const char *dbc_path, const char *log_path, uint64_t frames)
{
	struct dbc_db *db;
	if (dbc_load_file(dbc_path, NULL, &db) < 0)
		return -1;
	FILE *f = fopen(log_path, "w");
	if (!f) {
		dbc_free(db);
		return -1;
	}
	uint64_t seed = 0x2545F4914F6CDD1Dull, n = 0;
	char text[160];
	while (n < frames) {
		for (uint32_t i = 0; i < db->n_messages && n < frames; i++) {
			const struct dbc_message *m = db->messages[i];
			if (m->flags & DBC_MSG_PSEUDO)
				continue;
			struct evgw_frame fr;
			memset(&fr, 0, sizeof fr);
			fr.id = m->id;
			fr.flags = (m->flags & DBC_MSG_EXTENDED) ? EVGW_FRAME_EXT : 0;
			fr.len = m->length > 8 ? 8 : m->length;
			for (unsigned b = 0; b < 8; b++) {
				seed ^= seed << 13;
				seed ^= seed >> 7;
				seed ^= seed << 17;
				fr.data[b] = (uint8_t)seed;
			}
			if (evgw_candump_format_frame(&fr, text, sizeof text) < 0)
				continue;
			fprintf(f, "(%" PRIu64 ".%06" PRIu64 ") can0 %s\n", 1700000000 + n / 1000000, n % 1000000, text);
			n++;
		}
	}
	dbc_free(db);
	return fclose(f);
}

struct reader {
	struct evgw_io io;
	uint64_t bytes, events;
	char buf[65536];
};

static void reader_ready(struct evgw_loop *loop, struct evgw_io *io, uint32_t events)
{
	struct reader *r = io->ud;
	ssize_t n;
	while ((n = read(io->fd, r->buf, sizeof r->buf)) > 0) {
		r->bytes += (uint64_t)n;
		for (ssize_t i = 0; i < n; i++)
			r->events += r->buf[i] == '\n';
	}
}

int main(int argc, char **argv)
{
	const char *dbc = NULL;
	uint64_t nframes = 2000000;
	double rate = 10;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dbc") && i + 1 < argc)
			dbc = argv[++i];
		else if (!strcmp(argv[i], "--frames") && i + 1 < argc)
			nframes = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--rate") && i + 1 < argc)
			rate = atof(argv[++i]);
		else
			dbc = NULL, i = argc;
	}
	if (!dbc || !nframes) {
		fprintf(stderr, "usage: evgw-daemon-bench --dbc FILE [--frames N] [--rate HZ]\n");
		return 2;
	}
	char dir[] = "/tmp/evgw-dbench-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	char log[96], sock[96], conf[1024];
	snprintf(log, sizeof log, "%s/frames.log", dir);
	snprintf(sock, sizeof sock, "%s/evgw.sock", dir);
	if (write_log(dbc, log, nframes) != 0) {
		fprintf(stderr, "cannot write the frame log\n");
		return 1;
	}
	static struct evgw_daemon dd;
	struct evgw_api *api = NULL;
	struct evgw_daemon *d = &dd;
	char err[512] = "";
	snprintf(conf, sizeof conf,
		 "[gateway]\nsocket = %s\nstate_dir = %s\nlog_level = warning\n"
		 "[bus bench]\ndriver = replay\ndevice = %s\nreplay_speed = max\ndbc = %s\n",
		 sock, dir, log, dbc);
	if (evgw_config_defaults(&d->cfg, false) < 0 ||
	    evgw_config_load_string(&d->cfg, conf, "<bench>", err, sizeof err) < 0) {
		fprintf(stderr, "config: %s\n", err);
		return 1;
	}
	evgw_log_init(&d->log, EVGW_LOG_WARNING);
	d->sigio.fd = d->tick.io.fd = -1;
	if (evgw_loop_init(&d->loop) < 0 ||
	    evgw_daemon_build_stations(d, &d->cfg, d->stations, &d->n_stations, err, sizeof err) < 0 ||
	    evgw_api_open(d, &api, err, sizeof err) < 0) {
		fprintf(stderr, "setup: %s\n", err);
		return 1;
	}
	/* The subscriber: a real client on the socket, read in the same loop. */
	int cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock);
	if (cfd < 0 || connect(cfd, (struct sockaddr *)&sa, sizeof sa) < 0)
		return 1;
	char req[128];
	int rl = snprintf(req, sizeof req, "{\"cmd\":\"subscribe\",\"id\":1,\"topic\":\"signals\",\"max_rate\":%g}\n", rate);
	if (write(cfd, req, (size_t)rl) != rl)
		return 1;
	fcntl(cfd, F_SETFL, O_NONBLOCK);
	static struct reader rd;
	/* Accept and answer the subscription before the replay starts. */
	for (int i = 0; i < 10; i++)
		evgw_loop_run_once(&d->loop, 10);
	if (evgw_loop_add(&d->loop, &rd.io, cfd, EPOLLIN, reader_ready, &rd) < 0)
		return 1;
	evgw_loop_run_once(&d->loop, 10);
	unsigned long long a0 = alloc_count_get();
	double c0 = cpu_s(), w0 = wall_s();
	evgw_daemon_start_stations(d);
	unsigned long long a_started = alloc_count_get();
	struct evgw_bus *b = d->stations[0]->bus;
	while (b->state != EVGW_BUS_STOPPED && b->state != EVGW_BUS_DOWN)
		evgw_loop_run_once(&d->loop, 100);
	double c1 = cpu_s(), w1 = wall_s();
	unsigned long long a1 = alloc_count_get();
	evgw_loop_run_once(&d->loop, 200); /* the last signal event */
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double cpu = c1 - c0, wall = w1 - w0;
	printf("dbc_file=%s\n", dbc);
	printf("frames=%" PRIu64 "\n", b->rx_frames);
	printf("frames_decoded=%" PRIu64 "\n", b->rx_decoded);
	printf("subscriber_events=%" PRIu64 "\n", rd.events);
	printf("wall_s=%.3f\n", wall);
	printf("cpu_s=%.3f\n", cpu);
	printf("frames_per_s=%.0f\n", wall > 0 ? (double)b->rx_frames / wall : 0.0);
	printf("frames_per_cpu_s=%.0f\n", cpu > 0 ? (double)b->rx_frames / cpu : 0.0);
	printf("cpu_ns_per_frame=%.1f\n", b->rx_frames ? cpu * 1e9 / (double)b->rx_frames : 0.0);
	printf("allocs_bus_start=%llu\n", a_started - a0);
	printf("allocs_per_frame=%.6f\n", b->rx_frames ? (double)(a1 - a_started) / (double)b->rx_frames : 0.0);
	printf("peak_rss_kb=%ld\n", ru.ru_maxrss);
	close(cfd);
	evgw_api_close(api);
	evgw_daemon_free_stations(d, d->stations, d->n_stations);
	evgw_loop_fini(&d->loop);
	evgw_config_free(&d->cfg);
	unlink(log);
	rmdir(dir);
	return 0;
}
