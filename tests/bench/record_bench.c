// SPDX-License-Identifier: MIT
/* evgw-record-bench: what a recording adds per frame, candump text against
 * pcapng, through the daemon's own path in one process: the replay driver
 * (as fast as possible) -> bus -> recorder -> file. Each mode runs the same
 * generated log; the CPU per frame of a run without a recording is
 * subtracted. Memory: the heap the recording holds while it runs
 * (mallinfo2), and the file's bytes per frame. Prints key=value lines.
 *
 *   evgw-record-bench [--frames N] [--repeat R]   (the best of R runs) */
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/daemon.h"
#include "daemon/recorder.h"
#include "daemon/stations.h"

struct result {
	double cpu_ns_per_frame;
	uint64_t frames, file_bytes;
	long heap_bytes;
};

static double cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
	       (double)ru.ru_stime.tv_usec * 1e-6;
}

/* One replay of log; file NULL: no recording. */
static int run(const char *dir, const char *log, const char *file, struct result *out)
{
	static struct evgw_daemon dd;
	struct evgw_daemon *d = &dd;
	memset(d, 0, sizeof *d);
	char conf[1024], err[512] = "";
	snprintf(conf, sizeof conf,
		 "[gateway]\nsocket = %s/s.sock\nstate_dir = %s\nlog_level = err\n"
		 "[bus bench]\ndriver = replay\ndevice = %s\nreplay_speed = max\n",
		 dir, dir, log);
	if (evgw_config_defaults(&d->cfg, false) < 0 ||
	    evgw_config_load_string(&d->cfg, conf, "<bench>", err, sizeof err) < 0) {
		fprintf(stderr, "config: %s\n", err);
		return -1;
	}
	evgw_log_init(&d->log, EVGW_LOG_ERR);
	d->sigio.fd = d->tick.io.fd = -1;
	if (evgw_loop_init(&d->loop) < 0 ||
	    evgw_daemon_build_stations(d, &d->cfg, d->stations, &d->n_stations, err, sizeof err) < 0) {
		fprintf(stderr, "setup: %s\n", err);
		return -1;
	}
	char path[4096] = "", abs[512];
	if (file)
		snprintf(abs, sizeof abs, "%s/%s", dir, file);
	long heap0 = (long)mallinfo2().uordblks;
	if (file && evgw_recorder_start(d->stations[0], abs, EVGW_RECORD_BY_NAME, 0, 0, true, path, sizeof path, err,
					sizeof err) < 0) {
		fprintf(stderr, "record: %s\n", err);
		return -1;
	}
	out->heap_bytes = (long)mallinfo2().uordblks - heap0;
	double c0 = cpu_s();
	evgw_daemon_start_stations(d);
	struct evgw_bus *b = d->stations[0]->bus;
	while (b->state != EVGW_BUS_STOPPED && b->state != EVGW_BUS_DOWN)
		evgw_loop_run_once(&d->loop, 100);
	struct evgw_recording_end end = {0};
	if (file)
		evgw_recorder_stop(d->stations[0], 0, true, &end);
	double cpu = cpu_s() - c0;
	out->frames = b->rx_frames;
	out->cpu_ns_per_frame = b->rx_frames ? cpu * 1e9 / (double)b->rx_frames : 0;
	out->file_bytes = end.bytes;
	if (file)
		unlink(path);
	evgw_daemon_free_stations(d, d->stations, d->n_stations);
	evgw_loop_fini(&d->loop);
	evgw_config_free(&d->cfg);
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t frames = 300000;
	int repeat = 3;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--frames"))
			frames = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--repeat"))
			repeat = atoi(argv[i + 1]);
	}
	char dir[] = "/tmp/evgw-record-bench-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	char log[256];
	snprintf(log, sizeof log, "%s/in.log", dir);
	FILE *f = fopen(log, "w");
	if (!f)
		return 1;
	/* A saturated bus's mix: 8-byte classic frames, some extended. */
	uint64_t x = 0x9E3779B97F4A7C15ull;
	for (uint64_t i = 0; i < frames; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		if (i % 4 == 3)
			fprintf(f, "(1700000000.%06" PRIu64 ") can0 %08" PRIX64 "#%016" PRIX64 "\n", i % 1000000,
				(x >> 35) & 0x1FFFFFFF, x);
		else
			fprintf(f, "(1700000000.%06" PRIu64 ") can0 %03" PRIX64 "#%016" PRIX64 "\n", i % 1000000,
				(x >> 50) & 0x7FF, x);
	}
	fclose(f);
	static const char *const modes[] = {NULL, "bench.log", "bench.pcapng"};
	static const char *const names[] = {"none", "candump", "pcapng"};
	struct result best[3];
	for (int m = 0; m < 3; m++) {
		for (int k = 0; k < repeat; k++) {
			struct result r;
			if (run(dir, log, modes[m], &r) < 0)
				return 1;
			if (k == 0 || r.cpu_ns_per_frame < best[m].cpu_ns_per_frame)
				best[m] = r;
		}
	}
	printf("frames=%" PRIu64 "\n", best[0].frames);
	printf("cpu_ns_per_frame_no_recording=%.1f\n", best[0].cpu_ns_per_frame);
	for (int m = 1; m < 3; m++) {
		printf("%s_cpu_ns_per_frame_added=%.1f\n", names[m], best[m].cpu_ns_per_frame - best[0].cpu_ns_per_frame);
		printf("%s_heap_bytes=%ld\n", names[m], best[m].heap_bytes);
		printf("%s_file_bytes_per_frame=%.1f\n", names[m],
		       best[m].frames ? (double)best[m].file_bytes / (double)best[m].frames : 0.0);
	}
	unlink(log);
	rmdir(dir);
	return 0;
}
