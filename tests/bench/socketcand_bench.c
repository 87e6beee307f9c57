// SPDX-License-Identifier: MIT
/* evgw-socketcand-bench: the CPU per frame one socketcand client adds to
 * the daemon, and the memory it holds, in one process: the replay driver at
 * a paced 20,000 frames/s -> bus -> socketcand server -> a client in a
 * child process (python-can's part, reading as fast as it can). The same
 * run without a client is subtracted; the child's CPU is not counted.
 * Prints key=value lines.
 *
 *   evgw-socketcand-bench [--frames N] */
#include <arpa/inet.h>
#include <inttypes.h>
#include <malloc.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/daemon.h"
#include "daemon/stations.h"
#include "socketcand/server.h"

#define SPACING_US 50

static double cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
	       (double)ru.ru_stime.tv_usec * 1e-6;
}

/* The child: open, rawmode, then count frame messages until the end. */
static void client(unsigned port, int report)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		_exit(1);
	const char *hello = "< open bench >< rawmode >";
	if (write(fd, hello, strlen(hello)) < 0)
		_exit(1);
	static char buf[1 << 16];
	uint64_t frames = 0;
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < n; i++)
			frames += buf[i] == '\n';
	if (write(report, &frames, sizeof frames) < 0)
		_exit(1);
	_exit(0);
}

struct result {
	double cpu_ns;
	uint64_t frames, client_frames, dropped;
	long heap;
};

/* paced: the log's own pace and the default client buffer; else as fast
 * as possible with a buffer that holds it all (nothing dropped). */
static int run(const char *dir, const char *log, bool with_client, bool paced, unsigned port, struct result *out)
{
	static struct evgw_daemon dd;
	struct evgw_daemon *d = &dd;
	memset(d, 0, sizeof *d);
	char conf[1024], err[512] = "";
	snprintf(conf, sizeof conf,
		 "[gateway]\nsocket = %s/s.sock\nstate_dir = %s\nlog_level = err\n"
		 "[bus bench]\ndriver = replay\ndevice = %s\nreplay_speed = %s\n"
		 "[socketcand]\nport = %u\n%s",
		 dir, dir, log, paced ? "1" : "max", port, paced ? "" : "client_buffer = 64MiB\n");
	if (evgw_config_defaults(&d->cfg, false) < 0 ||
	    evgw_config_load_string(&d->cfg, conf, "<bench>", err, sizeof err) < 0) {
		fprintf(stderr, "config: %s\n", err);
		return -1;
	}
	evgw_log_init(&d->log, EVGW_LOG_ERR);
	d->sigio.fd = d->tick.io.fd = -1;
	struct evgw_sc_server *sc = NULL;
	if (evgw_loop_init(&d->loop) < 0 ||
	    evgw_daemon_build_stations(d, &d->cfg, d->stations, &d->n_stations, err, sizeof err) < 0 ||
	    evgw_sc_open(d, &sc, err, sizeof err) < 0) {
		fprintf(stderr, "setup: %s\n", err);
		return -1;
	}
	long heap0 = (long)mallinfo2().uordblks;
	int pipefd[2] = {-1, -1};
	pid_t child = -1;
	if (with_client) {
		if (pipe(pipefd) < 0)
			return -1;
		child = fork();
		if (child == 0)
			client(port, pipefd[1]);
		/* The child's open and rawmode, and the 100 ms hold after it. */
		for (int i = 0; i < 30; i++)
			evgw_loop_run_once(&d->loop, 10);
	}
	double c0 = cpu_s();
	evgw_daemon_start_stations(d);
	struct evgw_bus *b = d->stations[0]->bus;
	while (b->state != EVGW_BUS_STOPPED && b->state != EVGW_BUS_DOWN)
		evgw_loop_run_once(&d->loop, 100);
	/* Until everything queued is out: the loop goes quiet. */
	for (int quiet = 0; quiet < 3;)
		quiet = evgw_loop_run_once(&d->loop, 30) > 0 ? 0 : quiet + 1;
	out->cpu_ns = cpu_s() - c0;
	out->heap = (long)mallinfo2().uordblks - heap0;
	struct evgw_consumer_status st = {0};
	struct evgw_daemon_observer o = evgw_sc_observer(sc);
	o.status(o.ud, &st);
	out->dropped = st.skipped;
	out->frames = b->rx_frames;
	out->cpu_ns = b->rx_frames ? out->cpu_ns * 1e9 / (double)b->rx_frames : 0;
	evgw_sc_close(sc);
	out->client_frames = 0;
	if (with_client) {
		if (read(pipefd[0], &out->client_frames, sizeof out->client_frames) < 0)
			out->client_frames = 0;
		waitpid(child, NULL, 0);
		close(pipefd[0]);
		close(pipefd[1]);
	}
	evgw_daemon_free_stations(d, d->stations, d->n_stations);
	evgw_loop_fini(&d->loop);
	evgw_config_free(&d->cfg);
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t frames = 100000;
	for (int i = 1; i + 1 < argc; i += 2)
		if (!strcmp(argv[i], "--frames"))
			frames = strtoull(argv[i + 1], NULL, 10);
	signal(SIGPIPE, SIG_IGN);
	char dir[] = "/tmp/evgw-sc-bench-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	char log[256];
	snprintf(log, sizeof log, "%s/in.log", dir);
	FILE *f = fopen(log, "w");
	if (!f)
		return 1;
	uint64_t x = 0x9E3779B97F4A7C15ull;
	for (uint64_t i = 0; i < frames; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		uint64_t us = i * SPACING_US;
		fprintf(f, "(%" PRIu64 ".%06" PRIu64 ") can0 %03" PRIX64 "#%016" PRIX64 "\n", 1700000000 + us / 1000000,
			us % 1000000, (x >> 50) & 0x7FF, x);
	}
	fclose(f);
	/* A port of the kernel's choosing, free now. */
	int probe = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof sa;
	if (probe < 0 || bind(probe, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    getsockname(probe, (struct sockaddr *)&sa, &len) < 0)
		return 1;
	unsigned port = ntohs(sa.sin_port);
	close(probe);
	/* CPU: as fast as possible, best of three each; memory: at a
	 * saturated CAN FD bus's pace, with the default buffer. */
	struct result none = {0}, one = {0}, r, paced;
	for (int k = 0; k < 3; k++) {
		if (run(dir, log, false, false, port, &r) < 0)
			return 1;
		if (!k || r.cpu_ns < none.cpu_ns)
			none = r;
		if (run(dir, log, true, false, port, &r) < 0)
			return 1;
		if (!k || r.cpu_ns < one.cpu_ns)
			one = r;
	}
	if (run(dir, log, true, true, port, &paced) < 0)
		return 1;
	printf("frames=%" PRIu64 "\n", one.frames);
	printf("cpu_ns_per_frame_no_client=%.1f\n", none.cpu_ns);
	printf("cpu_ns_per_frame_one_client=%.1f\n", one.cpu_ns);
	printf("socketcand_cpu_ns_per_frame_added=%.1f\n", one.cpu_ns - none.cpu_ns);
	printf("client_frames_received=%" PRIu64 "\n", one.client_frames);
	printf("client_frames_dropped=%" PRIu64 "\n", one.dropped);
	printf("paced_frames_per_s=%d\n", 1000000 / SPACING_US);
	printf("paced_client_frames_received=%" PRIu64 "\n", paced.client_frames);
	printf("paced_client_frames_dropped=%" PRIu64 "\n", paced.dropped);
	printf("paced_heap_bytes_one_client=%ld\n", paced.heap);
	unlink(log);
	rmdir(dir);
	return 0;
}
