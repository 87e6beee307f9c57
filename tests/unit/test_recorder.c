// SPDX-License-Identifier: MIT
/* Recordings: a replay bus (as fast as it goes) recorded plain and zstd
 * compressed, in parts of a given size. Read back through the same stream
 * reader `evgw decode` uses, every frame must be there once, in order, and
 * each part must be a complete file of about the asked size. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/daemon.h"
#include "can/candump.h"
#include "can/pcapng.h"
#include "daemon/recorder.h"
#include "daemon/station.h"
#include "daemon/stations.h"
#include "util/instream.h"
#include "util/linereader.h"

#define N_FRAMES 3000

struct fixture {
	char dir[64];
	char log[128];
	char frames[N_FRAMES][40]; /* "ID#DATA" as the log has them */
};

static struct fixture fx;

static void write_log(void)
{
	snprintf(fx.dir, sizeof fx.dir, "/tmp/evgw-rec-XXXXXX");
	assert_non_null(mkdtemp(fx.dir));
	snprintf(fx.log, sizeof fx.log, "%s/in.log", fx.dir);
	FILE *f = fopen(fx.log, "w");
	assert_non_null(f);
	for (unsigned i = 0; i < N_FRAMES; i++) {
		snprintf(fx.frames[i], sizeof fx.frames[i], "%03X#%016llX", 0x100 + i % 0x600,
			 (unsigned long long)i * 0x9E3779B97F4A7C15ull);
		fprintf(f, "(1700000000.%06u) can0 %s\n", i * 100, fx.frames[i]);
	}
	assert_int_equal(fclose(f), 0);
}

/* Record the whole replay to `name`; returns the number of files. */
static unsigned record(const char *name, uint64_t rotate, uint64_t *bytes_out)
{
	static struct evgw_daemon dd;
	struct evgw_daemon *d = &dd;
	memset(d, 0, sizeof *d);
	char conf[1024], err[512] = "";
	snprintf(conf, sizeof conf,
		 "[gateway]\nsocket = %s/s.sock\nstate_dir = %s\nlog_level = err\n"
		 "[bus rec]\ndriver = replay\ndevice = %s\nreplay_speed = max\n",
		 fx.dir, fx.dir, fx.log);
	assert_int_equal(evgw_config_defaults(&d->cfg, false), 0);
	assert_int_equal(evgw_config_load_string(&d->cfg, conf, "<test>", err, sizeof err), 0);
	evgw_log_init(&d->log, EVGW_LOG_ERR);
	d->sigio.fd = d->tick.io.fd = -1;
	assert_int_equal(evgw_loop_init(&d->loop), 0);
	assert_int_equal(evgw_daemon_build_stations(d, &d->cfg, d->stations, &d->n_stations, err, sizeof err), 0);
	char path[4096];
	assert_int_equal(evgw_recorder_start(d->stations[0], name, EVGW_RECORD_BY_NAME, rotate, 1000, false, path, sizeof path, err, sizeof err),
			 0);
	/* A second recording of the bus is refused while this one runs. */
	assert_int_equal(evgw_recorder_start(d->stations[0], name, EVGW_RECORD_BY_NAME, rotate, 1000, false, path, sizeof path, err, sizeof err),
			 -EBUSY);
	evgw_daemon_start_stations(d);
	struct evgw_bus *b = d->stations[0]->bus;
	while (b->state != EVGW_BUS_STOPPED && b->state != EVGW_BUS_DOWN)
		evgw_loop_run_once(&d->loop, 100);
	struct evgw_recording_end end;
	assert_int_equal(evgw_recorder_stop(d->stations[0], 1000, false, &end), 0);
	assert_int_equal(end.frames, N_FRAMES);
	assert_string_equal(end.error, "");
	*bytes_out = end.bytes;
	unsigned parts = end.files;
	evgw_daemon_free_stations(d, d->stations, d->n_stations);
	evgw_loop_fini(&d->loop);
	evgw_config_free(&d->cfg);
	return parts;
}

/* Read one part back; checks its header and appends its frames' texts
 * (the "ID#DATA" word) at frames[*n]. */
static void read_part(const char *path, unsigned part, bool zstd, unsigned *n)
{
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	struct evgw_instream *s = NULL;
	assert_int_equal(evgw_instream_open(fd, &s), 0);
	assert_int_equal(evgw_instream_format(s), zstd ? EVGW_INSTREAM_ZSTD : EVGW_INSTREAM_PLAIN);
	struct evgw_linereader lr;
	assert_int_equal(evgw_linereader_init(&lr, s, 4096), 0);
	const char *line;
	size_t len;
	int rc;
	bool header = false;
	while ((rc = evgw_linereader_next(&lr, &line, &len)) == 1) {
		if (lr.line == 1) {
			char want[64];
			snprintf(want, sizeof want, "# evgw recording of bus rec (driver replay");
			assert_memory_equal(line, want, strlen(want));
			/* Whose it is, for the quotas: in every part. */
			assert_non_null(memmem(line, len, ", by uid 1000", 13));
			char tag[32];
			snprintf(tag, sizeof tag, ", part %u,", part);
			bool has = memmem(line, len, tag, strlen(tag)) != NULL;
			assert_int_equal(has, part > 1);
			header = true;
			continue;
		}
		/* "(ts) rec ID#DATA" */
		const char *sp = memchr(line, ' ', len);
		assert_non_null(sp);
		assert_memory_equal(sp, " rec ", 5);
		size_t wl = len - (size_t)(sp + 5 - line);
		assert_true(*n < N_FRAMES);
		assert_int_equal(wl, strlen(fx.frames[*n]));
		assert_memory_equal(sp + 5, fx.frames[*n], wl);
		(*n)++;
	}
	assert_int_equal(rc, 0); /* a complete file: no truncated zstd frame */
	assert_true(header);
	evgw_linereader_free(&lr);
	evgw_instream_close(s);
	close(fd);
}

static ssize_t instream_read(void *ud, void *buf, size_t cap)
{
	return evgw_instream_read(ud, buf, cap);
}

/* A pcapng part (can/pcapng.h): the header's words as the section's
 * comment, the bus as its interface, then the frames. */
static void read_part_pcapng(const char *path, unsigned part, bool zstd, unsigned *n)
{
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	struct evgw_instream *s = NULL;
	assert_int_equal(evgw_instream_open(fd, &s), 0);
	assert_int_equal(evgw_instream_format(s), zstd ? EVGW_INSTREAM_ZSTD : EVGW_INSTREAM_PLAIN);
	struct evgw_pcapng_reader r;
	assert_int_equal(evgw_pcapng_reader_init(&r, instream_read, s), 0);
	struct evgw_pcapng_record rec;
	char err[256];
	assert_int_equal(evgw_pcapng_next(&r, &rec, err, sizeof err), 1);
	assert_int_equal(rec.kind, EVGW_PCAPNG_SECTION);
	assert_int_equal(rec.n_comments, 1);
	const char *want = "evgw recording of bus rec (driver replay";
	assert_memory_equal(rec.comments[0], want, strlen(want));
	assert_non_null(memmem(rec.comments[0], rec.comment_lens[0], ", by uid 1000", 13));
	char tag[32];
	snprintf(tag, sizeof tag, ", part %u,", part);
	assert_int_equal(memmem(rec.comments[0], rec.comment_lens[0], tag, strlen(tag)) != NULL, part > 1);
	int rc;
	while ((rc = evgw_pcapng_next(&r, &rec, err, sizeof err)) == 1) {
		assert_int_equal(rec.kind, EVGW_PCAPNG_FRAME);
		assert_string_equal(rec.iface->name, "rec");
		char text[160];
		assert_true(evgw_candump_format_frame(&rec.frame, text, sizeof text) > 0);
		assert_true(*n < N_FRAMES);
		assert_string_equal(text, fx.frames[*n]);
		(*n)++;
	}
	assert_int_equal(rc, 0); /* whole blocks only */
	evgw_pcapng_reader_free(&r);
	evgw_instream_close(s);
	close(fd);
}

static void check_recording(const char *name, const char *part2_name, uint64_t rotate, bool zstd)
{
	uint64_t bytes = 0;
	unsigned parts = record(name, rotate, &bytes);
	if (rotate)
		assert_true(parts > 1);
	else
		assert_int_equal(parts, 1);
	unsigned n = 0;
	uint64_t on_disk = 0;
	for (unsigned p = 1; p <= parts; p++) {
		char path[512];
		if (p == 1) {
			snprintf(path, sizeof path, "%s/recordings/%s", fx.dir, name);
		} else {
			/* part2_name with its digit replaced: "rec-2.log.zst" -> "rec-N.log.zst" */
			char pn[128];
			snprintf(pn, sizeof pn, "%s", part2_name);
			char *dash = strchr(pn, '-');
			snprintf(path, sizeof path, "%s/recordings/%.*s-%u%s", fx.dir, (int)(dash - pn), pn, p,
				 strchr(dash, '.'));
		}
		struct stat st;
		assert_int_equal(stat(path, &st), 0);
		on_disk += (uint64_t)st.st_size;
		/* Every part but the last reached the rotation size, and
		 * went at most one line (or one zstd flush) past it. */
		if (p < parts) {
			assert_true((uint64_t)st.st_size >= rotate);
			assert_true((uint64_t)st.st_size < rotate + (zstd ? (1u << 17) : 256));
		}
		if (strstr(name, ".pcapng"))
			read_part_pcapng(path, p, zstd, &n);
		else
			read_part(path, p, zstd, &n);
		unlink(path);
	}
	assert_int_equal(n, N_FRAMES);
	assert_int_equal(bytes, on_disk);
}

static void test_plain(void **state)
{
	(void)state;
	check_recording("rec.log", NULL, 0, false);
}

static void test_plain_rotated(void **state)
{
	(void)state;
	/* 3000 lines of about 46 bytes: about 34 parts of 4 KiB. */
	check_recording("rec.log", "rec-2.log", 4096, false);
}

static void test_zstd(void **state)
{
	(void)state;
	check_recording("rec.log.zst", NULL, 0, true);
}

static void test_zstd_rotated(void **state)
{
	(void)state;
	check_recording("rec.log.zst", "rec-2.log.zst", 4096, true);
}

static void test_pcapng(void **state)
{
	(void)state;
	check_recording("rec.pcapng", NULL, 0, false);
}

static void test_pcapng_zstd_rotated(void **state)
{
	(void)state;
	check_recording("rec.pcapng.zst", "rec-2.pcapng.zst", 4096, true);
}

static int setup(void **state)
{
	(void)state;
	write_log();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char p[256];
	snprintf(p, sizeof p, "%s/recordings", fx.dir);
	rmdir(p);
	unlink(fx.log);
	snprintf(p, sizeof p, "%s/faults.db", fx.dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/faults.db-wal", fx.dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/faults.db-shm", fx.dir);
	unlink(p);
	rmdir(fx.dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_plain_rotated),
		cmocka_unit_test(test_zstd),
		cmocka_unit_test(test_zstd_rotated),
		cmocka_unit_test(test_pcapng),
		cmocka_unit_test(test_pcapng_zstd_rotated),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
