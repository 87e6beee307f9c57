// SPDX-License-Identifier: MIT
/* evgw-subs-bench: what the socket API's text costs the daemon. Prints
 * key=value lines.
 *
 *   evgw-subs-bench --dbc FILE [--clients N] [--fps F] [--seconds S] [--repeat R]
 *
 * frames: a replay bus at its recorded pace (F frames per second for S
 * seconds, a saturated 1 Mbit/s bus by default), first with no client, then
 * with N clients (another process) each subscribed to "frames"; the
 * daemon's CPU time with them less without them is what they cost, given
 * as a share of one core. Each run happens in a child process of its own,
 * so none inherits another's state; each is repeated R times and the least
 * CPU time kept (load elsewhere makes a run slower, never faster).
 *
 * signals: the reply to "signals" with 2000 signals (the text the daemon
 * builds for it, best of 50 builds) once every message has been seen. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "api/api_internal.h"
#include "can/candump.h"
#include "daemon/daemon.h"
#include "daemon/stations.h"
#include "dbc/dbc.h"
#include "util/textbuf.h"

#define MAX_CLIENTS 256
#define REPLY_SIGNALS 2000

static double user_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6;
}

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

/* Frames for every message of the DBC in turn (8 random bytes each), fps
 * of them per second of timestamps. */
static int write_log(const char *dbc_path, const char *log_path, uint64_t frames, double fps)
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
			uint64_t us = (uint64_t)((double)n * 1e6 / fps);
			fprintf(f, "(%" PRIu64 ".%06" PRIu64 ") can0 %s\n", 1700000000 + us / 1000000, us % 1000000, text);
			n++;
		}
	}
	dbc_free(db);
	return fclose(f);
}

/* The clients: n connections, each subscribed to frames, read until the
 * daemon closes them. Writes the event count to out_fd. */
static void clients_main(const char *sock, int n, int ready_fd, int out_fd)
{
	struct pollfd pfd[MAX_CLIENTS];
	static char buf[1 << 16];
	for (int i = 0; i < n; i++) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		struct sockaddr_un sa = {.sun_family = AF_UNIX};
		snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock);
		if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
			_exit(1);
		static const char req[] = "{\"cmd\":\"subscribe\",\"id\":1,\"topic\":\"frames\"}\n";
		if (write(fd, req, sizeof req - 1) != (ssize_t)(sizeof req - 1))
			_exit(1);
		pfd[i].fd = fd;
		pfd[i].events = POLLIN;
	}
	if (write(ready_fd, "r", 1) != 1)
		_exit(1);
	uint64_t events = 0;
	int open = n;
	while (open > 0) {
		if (poll(pfd, (nfds_t)n, 30000) <= 0)
			break;
		for (int i = 0; i < n; i++) {
			if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t r = read(pfd[i].fd, buf, sizeof buf);
			if (r <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				open--;
				continue;
			}
			for (ssize_t k = 0; k < r; k++)
				events += buf[k] == '\n';
		}
	}
	if (write(out_fd, &events, sizeof events) != (ssize_t)sizeof events)
		_exit(1);
	_exit(0);
}

struct run_result {
	double cpu, user, wall;
	uint64_t frames, events;
	double reply_us;
	uint32_t reply_signals;
	size_t reply_bytes;
};

struct reply_build {
	struct evgw_textbuf *tb;
	uint32_t n;
};

static int add_signal(void *ud, struct evgw_bus *b, unsigned db, const struct dbc_message *m,
		      const struct dbc_signal *s, struct evgw_sig_slot *slot)
{
	struct reply_build *rb = ud;
	if (!slot->seq)
		return 0;
	if (rb->n)
		evgw_textbuf_putc(rb->tb, ',');
	api_signal_json(rb->tb, b, db, m, s, slot);
	return ++rb->n == REPLY_SIGNALS;
}

/* The "signals" reply text for (up to) 2000 signals, best of 50. */
static void time_reply(struct evgw_bus *b, struct run_result *res)
{
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	res->reply_us = 1e9;
	for (int k = 0; k < 50; k++) {
		evgw_textbuf_reset(&tb);
		struct reply_build rb = {&tb, 0};
		double t0 = wall_s();
		evgw_textbuf_puts(&tb, "{\"type\":\"reply\",\"id\":1,\"ok\":true,\"result\":[");
		evgw_bus_for_each_signal(b, add_signal, &rb);
		evgw_textbuf_puts(&tb, "]}\n");
		double t = (wall_s() - t0) * 1e6;
		if (t < res->reply_us)
			res->reply_us = t;
		res->reply_signals = rb.n;
		res->reply_bytes = tb.len;
	}
	evgw_textbuf_free(&tb);
}

static int run(const char *dbc, const char *log, const char *dir, int nclients, struct run_result *res)
{
	static struct evgw_daemon dd;
	struct evgw_daemon *d = &dd;
	struct evgw_api *api = NULL;
	char err[512] = "", sock[100], conf[2048];
	snprintf(sock, sizeof sock, "%s/evgw-%d.sock", dir, nclients);
	snprintf(conf, sizeof conf,
		 "[gateway]\nsocket = %s\nstate_dir = %s\nlog_level = warning\nmax_clients = %d\n"
		 "max_clients_per_uid = %d\n"
		 "[bus bench]\ndriver = replay\ndevice = %s\nreplay_speed = 1\ndbc = %s\n",
		 sock, dir, MAX_CLIENTS + 8, MAX_CLIENTS + 8, log, dbc);
	if (evgw_config_defaults(&d->cfg, false) < 0 ||
	    evgw_config_load_string(&d->cfg, conf, "<bench>", err, sizeof err) < 0) {
		fprintf(stderr, "config: %s\n", err);
		return -1;
	}
	evgw_log_init(&d->log, EVGW_LOG_WARNING);
	d->sigio.fd = d->tick.io.fd = -1;
	if (evgw_loop_init(&d->loop) < 0 ||
	    evgw_daemon_build_stations(d, &d->cfg, d->stations, &d->n_stations, err, sizeof err) < 0 ||
	    evgw_api_open(d, &api, err, sizeof err) < 0) {
		fprintf(stderr, "setup: %s\n", err);
		return -1;
	}
	int ready[2], out[2];
	if (pipe(ready) < 0 || pipe(out) < 0)
		return -1;
	pid_t child = -1;
	if (nclients) {
		child = fork();
		if (child == 0) /* leaves the daemon's copy alone: closing it would unlink the socket */
			clients_main(sock, nclients, ready[1], out[1]);
		close(ready[1]);
		close(out[1]);
		char c;
		if (read(ready[0], &c, 1) != 1)
			return -1;
		/* Accept them and answer their subscriptions. */
		double until = wall_s() + 5;
		while (wall_s() < until) {
			evgw_loop_run_once(&d->loop, 10);
			unsigned subscribed = 0;
			for (struct evgw_client *cl = api->clients; cl; cl = cl->next)
				subscribed += cl->n_subs;
			if (subscribed == (unsigned)nclients)
				break;
		}
	}
	double c0 = cpu_s(), u0 = user_s(), w0 = wall_s();
	evgw_daemon_start_stations(d);
	struct evgw_bus *b = d->stations[0]->bus;
	while (b->state != EVGW_BUS_STOPPED && b->state != EVGW_BUS_DOWN)
		evgw_loop_run_once(&d->loop, 100);
	res->cpu = cpu_s() - c0;
	res->user = user_s() - u0;
	res->wall = wall_s() - w0;
	res->frames = b->rx_frames;
	/* Let the clients read the last events, then hang up on them. */
	for (int i = 0; i < 20; i++)
		evgw_loop_run_once(&d->loop, 10);
	time_reply(b, res);
	evgw_api_close(api);
	res->events = 0;
	if (nclients) {
		if (read(out[0], &res->events, sizeof res->events) != (ssize_t)sizeof res->events)
			res->events = 0;
		waitpid(child, NULL, 0);
	}
	evgw_daemon_free_stations(d, d->stations, d->n_stations);
	evgw_loop_fini(&d->loop);
	evgw_config_free(&d->cfg);
	return 0;
}

/* Each run in a process of its own; the result comes back over a pipe. */
static int run_apart(const char *dbc, const char *log, const char *dir, int nclients, struct run_result *res)
{
	int p[2];
	if (pipe(p) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		struct run_result r = {0};
		int rc = run(dbc, log, dir, nclients, &r);
		if (rc == 0 && write(p[1], &r, sizeof r) == (ssize_t)sizeof r)
			_exit(0);
		_exit(1);
	}
	close(p[1]);
	ssize_t n = read(p[0], res, sizeof *res);
	close(p[0]);
	int status = 0;
	waitpid(pid, &status, 0);
	return n == (ssize_t)sizeof *res && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *dbc = NULL;
	int clients = 64;
	double fps = 9000, seconds = 5;
	int repeat = 2;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dbc") && i + 1 < argc)
			dbc = argv[++i];
		else if (!strcmp(argv[i], "--clients") && i + 1 < argc)
			clients = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--fps") && i + 1 < argc)
			fps = atof(argv[++i]);
		else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			seconds = atof(argv[++i]);
		else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
			repeat = atoi(argv[++i]);
		else
			dbc = NULL, i = argc;
	}
	if (!dbc || clients < 1 || clients > MAX_CLIENTS || fps <= 0 || seconds <= 0 || repeat < 1) {
		fprintf(stderr,
			"usage: evgw-subs-bench --dbc FILE [--clients N<=%d] [--fps F] [--seconds S] [--repeat R]\n",
			MAX_CLIENTS);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	char dir[] = "/tmp/evgw-subsbench-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	char log[96];
	snprintf(log, sizeof log, "%s/frames.log", dir);
	uint64_t nframes = (uint64_t)(fps * seconds);
	if (write_log(dbc, log, nframes, fps) != 0) {
		fprintf(stderr, "cannot write the frame log\n");
		return 1;
	}
	struct run_result alone = {.cpu = 1e9}, with = {.cpu = 1e9};
	int rc = 1, ok = 0;
	for (int k = 0; k < repeat; k++) {
		struct run_result a, w;
		if (run_apart(dbc, log, dir, 0, &a) == 0 && run_apart(dbc, log, dir, clients, &w) == 0) {
			ok++;
			if (a.cpu < alone.cpu)
				alone = a;
			if (w.cpu < with.cpu)
				with = w;
		}
	}
	if (ok == repeat) {
		double ns_event = with.events ? (with.cpu - alone.cpu) * 1e9 / (double)with.events : 0.0;
		printf("dbc_file=%s\n", dbc);
		printf("frames=%" PRIu64 "\n", with.frames);
		printf("frames_per_s=%.0f\n", (double)with.frames / with.wall);
		printf("frames_clients=%d\n", clients);
		printf("frames_events_delivered=%" PRIu64 "\n", with.events);
		printf("frames_events_expected=%" PRIu64 "\n", with.frames * (uint64_t)clients);
		printf("daemon_cpu_s_without_clients=%.3f\n", alone.cpu);
		printf("daemon_cpu_s_with_clients=%.3f\n", with.cpu);
		printf("daemon_user_s_without_clients=%.3f\n", alone.user);
		printf("daemon_user_s_with_clients=%.3f\n", with.user);
		printf("frames_cpu_ns_per_event=%.0f\n", ns_event);
		/* At the bus's rate, whatever the run's wall time was (a daemon
		 * that cannot keep up stretches it). */
		printf("frames_subscriptions_core_percent=%.2f\n", ns_event * fps * clients * 1e-7);
		printf("signals_reply_signals=%" PRIu32 "\n", alone.reply_signals);
		printf("signals_reply_bytes=%zu\n", alone.reply_bytes);
		printf("signals_reply_us=%.0f\n", alone.reply_us);
		rc = 0;
	} else {
		fprintf(stderr, "a run failed\n");
	}
	unlink(log);
	char sock[256];
	snprintf(sock, sizeof sock, "%s/evgw-%d.sock", dir, clients);
	unlink(sock);
	snprintf(sock, sizeof sock, "%s/evgw-0.sock", dir);
	unlink(sock);
	rmdir(dir);
	return rc;
}
