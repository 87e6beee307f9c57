// SPDX-License-Identifier: MIT
/* evgw-bench: how fast the DBC engine loads and decodes, as key=value lines.
 *
 *   evgw-bench --dbc FILE [--frames LOG] [--repeat N]
 *
 * Without --frames it decodes frames it generates for every message (random
 * payloads, multiplexor switches steered to values the DBC selects). Times
 * are the best of N repeats, so a busy machine makes them worse, not noisy. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alloc_count.h"
#include "can/candump.h"
#include "dbc/dbc.h"
#include "dbc/dbc_decode.h"

/* Allocation counting through the linker's --wrap (see tests/CMakeLists.txt). */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct frame_set {
	struct evgw_frame *v;
	size_t n, cap;
};

static int push_frame(struct frame_set *fs, const struct evgw_frame *f)
{
	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 1024;
		struct evgw_frame *v = realloc(fs->v, cap * sizeof *v);
		if (!v)
			return -ENOMEM;
		fs->v = v;
		fs->cap = cap;
	}
	fs->v[fs->n++] = *f;
	return 0;
}

static int read_frames(const char *path, struct frame_set *fs)
{
	FILE *in = fopen(path, "r");
	if (!in)
		return -errno;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, in)) >= 0) {
		struct evgw_candump_line cl;
		if (evgw_candump_parse_line(line, (size_t)len, &cl, NULL, NULL) == EVGW_CANDUMP_FRAME)
			if (push_frame(fs, &cl.frame) < 0)
				break;
	}
	free(line);
	fclose(in);
	return 0;
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Frames for every message: random bytes, switches set to a value that
 * selects some of the message's multiplexed signals. */
static int generate_frames(const struct dbc_db *db, struct frame_set *fs)
{
	uint64_t seed = 0x9E3779B97F4A7C15ull;
	for (int round = 0; round < 8; round++) {
		for (uint32_t i = 0; i < db->n_messages; i++) {
			const struct dbc_message *m = db->messages[i];
			if (m->flags & DBC_MSG_PSEUDO)
				continue;
			struct evgw_frame f;
			memset(&f, 0, sizeof f);
			f.id = m->id;
			f.flags = (m->flags & DBC_MSG_EXTENDED) ? EVGW_FRAME_EXT : 0;
			f.len = m->length;
			if (m->flags & DBC_MSG_FD)
				f.flags |= EVGW_FRAME_FD;
			for (unsigned b = 0; b < sizeof f.data; b += 8) {
				uint64_t r = xorshift(&seed);
				memcpy(f.data + b, &r, 8);
			}
			for (uint32_t k = 0; k < m->n_signals; k++) {
				const struct dbc_signal *s = &m->signals[k];
				if (!(s->flags & DBC_SIG_MUXED) || s->sw_of == DBC_NO_SLOT)
					continue;
				if ((uint32_t)round % 2)
					continue; /* half the rounds keep random selectors */
				for (uint32_t j = 0; j < m->n_signals; j++)
					if (m->signals[j].sw_slot == s->sw_of) {
						uint64_t v = (s->flags & DBC_SIG_MUX_RANGES) ? s->extra->mux_ranges[0].lo
											     : s->mux_value;
						dbc_insert_raw(&m->signals[j], f.data, v);
					}
				break;
			}
			if (push_frame(fs, &f) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

/* The floor: read the file and touch every byte, as cheaply as C can. */
static double read_floor_s(const char *path, size_t size, unsigned long *sink)
{
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return -1;
	double t0 = now_s();
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return -1;
	}
	size_t got = 0;
	while (got < size) {
		ssize_t r = read(fd, buf + got, size - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	unsigned long lines = 0;
	for (size_t i = 0; i < got; i++)
		lines += buf[i] == '\n';
	double t = now_s() - t0;
	*sink += lines;
	free(buf);
	return t;
}

int main(int argc, char **argv)
{
	const char *dbc_path = NULL, *frames_path = NULL;
	int repeat = 5;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dbc") && i + 1 < argc)
			dbc_path = argv[++i];
		else if (!strcmp(argv[i], "--frames") && i + 1 < argc)
			frames_path = argv[++i];
		else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
			repeat = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: evgw-bench --dbc FILE [--frames LOG] [--repeat N]\n");
			return 2;
		}
	}
	if (!dbc_path || repeat < 1) {
		fprintf(stderr, "usage: evgw-bench --dbc FILE [--frames LOG] [--repeat N]\n");
		return 2;
	}
	struct stat st;
	if (stat(dbc_path, &st) < 0) {
		fprintf(stderr, "%s: %s\n", dbc_path, strerror(errno));
		return 2;
	}
	size_t bytes = (size_t)st.st_size;
	double best_load = 1e9, best_floor = 1e9;
	unsigned long sink = 0;
	struct dbc_db *db = NULL;
	for (int r = 0; r < repeat; r++) {
		double f = read_floor_s(dbc_path, bytes, &sink);
		if (f >= 0 && f < best_floor)
			best_floor = f;
		struct dbc_db *tmp;
		double t0 = now_s();
		int e = dbc_load_file(dbc_path, NULL, &tmp);
		double t = now_s() - t0;
		if (e < 0) {
			fprintf(stderr, "%s: cannot load: %s\n", dbc_path, strerror(-e));
			return 1;
		}
		if (t < best_load)
			best_load = t;
		if (db)
			dbc_free(db);
		db = tmp;
	}
	struct frame_set fs = {0};
	int e = frames_path ? read_frames(frames_path, &fs) : generate_frames(db, &fs);
	if (e < 0) {
		fprintf(stderr, "frames: %s\n", strerror(-e));
		return 1;
	}
	uint32_t max_sig = 1;
	for (uint32_t i = 0; i < db->n_messages; i++)
		if (db->messages[i]->n_signals > max_sig)
			max_sig = db->messages[i]->n_signals;
	struct dbc_value *vals = calloc(max_sig, sizeof *vals);
	if (!vals)
		return 1;
	/* Enough passes that one timing covers at least ~2M frames. */
	size_t passes = fs.n ? (2000000 + fs.n - 1) / fs.n : 0;
	double best_decode = 1e9, acc = 0;
	uint64_t frames = 0, signals = 0, matched = 0;
	unsigned long long allocs_before = alloc_count_get();
	for (int r = 0; r < repeat && fs.n; r++) {
		uint64_t sig_pass = 0, matched_pass = 0;
		double t0 = now_s();
		for (size_t p = 0; p < passes; p++) {
			for (size_t i = 0; i < fs.n; i++) {
				int sa;
				const struct dbc_message *m = dbc_lookup(db, &fs.v[i], &sa);
				if (!m)
					continue;
				uint32_t n = dbc_decode(m, &fs.v[i], vals);
				sig_pass += n;
				matched_pass++;
				if (n)
					acc += vals[n - 1].phys;
			}
		}
		double t = now_s() - t0;
		if (t < best_decode)
			best_decode = t;
		frames = (uint64_t)passes * fs.n;
		signals = sig_pass;
		matched = matched_pass;
	}
	unsigned long long allocs = alloc_count_get() - allocs_before;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	size_t model = dbc_model_bytes(db);
	printf("dbc_file=%s\n", dbc_path);
	printf("dbc_bytes=%zu\n", bytes);
	printf("messages=%u\n", db->n_messages);
	printf("signals=%u\n", db->n_signals);
	printf("dbc_load_ms=%.3f\n", best_load * 1e3);
	printf("dbc_load_mb_s=%.1f\n", bytes / best_load / 1e6);
	printf("read_floor_mb_s=%.1f\n", bytes / best_floor / 1e6);
	printf("frames=%" PRIu64 "\n", frames);
	printf("frames_matched=%" PRIu64 "\n", matched * (uint64_t)(passes ? 1 : 0));
	printf("signals_decoded=%" PRIu64 "\n", signals);
	printf("decode_ns_per_frame=%.2f\n", frames ? best_decode * 1e9 / (double)frames : 0.0);
	printf("decode_ns_per_signal=%.2f\n", signals ? best_decode * 1e9 / (double)signals : 0.0);
	printf("allocs_per_frame=%.6f\n", frames ? (double)allocs / ((double)frames * repeat) : 0.0);
	printf("model_bytes=%zu\n", model);
	printf("model_arena_used_bytes=%zu\n", db->arena.used);
	printf("model_ratio=%.2f\n", bytes ? (double)model / (double)bytes : 0.0);
	printf("peak_rss_kb=%ld\n", ru.ru_maxrss);
	if (acc == 12345.678 && sink == 1)
		puts("#");
	free(vals);
	free(fs.v);
	dbc_free(db);
	return 0;
}
