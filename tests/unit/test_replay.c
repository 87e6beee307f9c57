// SPDX-License-Identifier: MIT
/* The replay driver: candump logs played back through the driver contract.
 * Timing is never asserted as a duration: paced tests wait on the driver's
 * fd with poll() in a bounded loop and check order and counts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "drivers/driver.h"
#include "test_support.h"

#define WAIT_MS 5000     /* generous: only a broken driver waits this long */
#define MAX_ROUNDS 10000

/* Five frames of different kinds, with a comment, a blank line and a compact
 * line (no timestamp) among them. */
static const char small_log[] =
	"# a comment\n"
	"(1700000000.000000) can0 123#1122\n"
	"\n"
	"(1700000000.500000) can0 12345678#AABBCCDD\n"
	"321#R\n"
	"(1700000001.000000) can1 456##3DEADBEEF\n"
	"(1700000002.000000) can0 7FF#0102030405060708";

static const uint32_t small_ids[] = {0x123, 0x12345678, 0x321, 0x456, 0x7FF};
#define SMALL_N (sizeof small_ids / sizeof small_ids[0])

struct bus {
	const struct evgw_driver_ops *ops;
	void *st;
	int fd;
	char path[64];
};

static int64_t wall_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int open_log(struct bus *b, const char *text, double speed, bool loop, struct evgw_driver_err *err)
{
	struct evgw_bus_params p = {0};
	memset(b, 0, sizeof *b);
	b->ops = evgw_driver_find("replay");
	assert_non_null(b->ops);
	if (text)
		snprintf(b->path, sizeof b->path, "%s", test_write_temp(text, strlen(text)));
	p.name = "test";
	p.driver = "replay";
	p.device = b->path;
	p.listen_only = true;
	p.replay_speed = speed;
	p.replay_loop = loop;
	int rc = b->ops->open(&p, &b->st, err);
	if (rc == 0) {
		struct evgw_driver_fd fds[4];
		assert_int_equal(b->ops->fds(b->st, fds, 4), 1);
		assert_true(fds[0].events & EPOLLIN);
		b->fd = fds[0].fd;
	}
	return rc;
}

static void open_ok(struct bus *b, const char *text, double speed, bool loop)
{
	struct evgw_driver_err err = {{0}};
	int rc = open_log(b, text, speed, loop, &err);
	if (rc != 0)
		fail_msg("open: %d: %s", rc, err.msg);
}

static void close_bus(struct bus *b)
{
	b->ops->close(b->st);
	if (b->path[0])
		unlink(b->path);
}

static bool readable(int fd, int timeout_ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	int rc = poll(&pfd, 1, timeout_ms);
	assert_true(rc >= 0);
	return rc == 1;
}

/* Receive, max frames at a time, until -ENODATA or `want` frames. Returns
 * the count; *end says whether -ENODATA was seen. */
static unsigned drain_bus(struct bus *b, struct evgw_frame *out, unsigned cap, unsigned max,
			  unsigned want, bool *end)
{
	unsigned n = 0;
	*end = false;
	for (int round = 0; round < MAX_ROUNDS && n < want; round++) {
		assert_true(readable(b->fd, WAIT_MS));
		unsigned room = cap - n < max ? cap - n : max;
		if (room > want - n)
			room = want - n;
		int rc = b->ops->recv(b->st, out + n, room);
		if (rc == -ENODATA) {
			*end = true;
			return n;
		}
		assert_true(rc >= 0);
		n += (unsigned)rc;
	}
	return n;
}

static void test_registry(void **state)
{
	(void)state;
	assert_non_null(evgw_driver_find("replay"));
	assert_non_null(evgw_driver_find("sim"));
	assert_string_equal(evgw_driver_find("sim")->name, "sim");
	assert_null(evgw_driver_find("nope"));
	assert_null(evgw_driver_find(NULL));
	unsigned n = 0;
	for (; evgw_drivers[n]; n++)
		assert_non_null(evgw_drivers[n]->open);
	/* replay, sim, slcan, socketcan, gsusb, canalyst */
	assert_int_equal(n, 6);
	static const char *const names[] = {"replay", "sim", "slcan", "socketcan", "gsusb", "canalyst"};
	for (unsigned i = 0; i < 6; i++)
		assert_string_equal(evgw_driver_find(names[i])->name, names[i]);
	assert_string_equal(evgw_bus_state_name(EVGW_BUS_ACTIVE), "active");
	assert_string_equal(evgw_bus_state_name(EVGW_BUS_WARNING), "warning");
	assert_string_equal(evgw_bus_state_name(EVGW_BUS_PASSIVE), "passive");
	assert_string_equal(evgw_bus_state_name(EVGW_BUS_OFF), "bus-off");
	assert_string_equal(evgw_bus_state_name(EVGW_BUS_RESTARTING), "restarting");
	assert_string_equal(evgw_bus_state_name(EVGW_BUS_DOWN), "down");
	assert_string_equal(evgw_bus_state_name(EVGW_BUS_GONE), "gone");
	assert_string_equal(evgw_bus_state_name(EVGW_BUS_STOPPED), "stopped");
	assert_string_equal(evgw_bus_state_name((enum evgw_bus_state)99), "unknown");
}

static void check_small(const struct evgw_frame *f, unsigned n, int64_t t0, int64_t t1)
{
	static const uint8_t d0[] = {0x11, 0x22};
	static const uint8_t d1[] = {0xAA, 0xBB, 0xCC, 0xDD};
	static const uint8_t d3[] = {0xDE, 0xAD, 0xBE, 0xEF};
	static const uint8_t d4[] = {1, 2, 3, 4, 5, 6, 7, 8};
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(f[i].id, small_ids[i % SMALL_N]);
		/* Delivery time, not the recorded 2023 time. */
		assert_true(f[i].ts_us >= t0 && f[i].ts_us <= t1);
		if (i > 0)
			assert_true(f[i].ts_us >= f[i - 1].ts_us);
		switch (i % SMALL_N) {
		case 0:
			assert_int_equal(f[i].len, 2);
			assert_memory_equal(f[i].data, d0, 2);
			assert_int_equal(f[i].flags, 0);
			break;
		case 1:
			assert_int_equal(f[i].len, 4);
			assert_memory_equal(f[i].data, d1, 4);
			assert_int_equal(f[i].flags, EVGW_FRAME_EXT);
			break;
		case 2:
			assert_int_equal(f[i].flags, EVGW_FRAME_RTR);
			break;
		case 3:
			assert_int_equal(f[i].len, 4);
			assert_memory_equal(f[i].data, d3, 4);
			assert_true(f[i].flags & EVGW_FRAME_FD);
			assert_true(f[i].flags & EVGW_FRAME_BRS);
			break;
		case 4:
			assert_int_equal(f[i].len, 8);
			assert_memory_equal(f[i].data, d4, 8);
			break;
		}
	}
}

static void test_fast_delivers_all_in_order(void **state)
{
	struct bus b;
	struct evgw_frame f[16];
	struct evgw_bus_status st;
	bool end;

	(void)state;
	int64_t t0 = wall_us();
	open_ok(&b, small_log, 0, false);
	assert_int_equal(b.ops->get_status(b.st, &st), 0);
	assert_int_equal(st.state, EVGW_BUS_ACTIVE);
	/* Two at a time: every call returns up to max. */
	unsigned n = drain_bus(&b, f, 16, 2, 16, &end);
	int64_t t1 = wall_us();
	assert_true(end);
	assert_int_equal(n, SMALL_N);
	check_small(f, n, t0, t1);
	assert_int_equal(b.ops->get_status(b.st, &st), 0);
	assert_int_equal(st.state, EVGW_BUS_STOPPED);
	assert_int_equal(st.rx_errors, 0);
	/* The end is reported once, then the fd goes quiet; recv keeps saying so. */
	assert_false(readable(b.fd, 0));
	assert_int_equal(b.ops->recv(b.st, f, 16), -ENODATA);
	close_bus(&b);
}

static void test_fast_loop_restarts(void **state)
{
	struct bus b;
	struct evgw_frame f[64];
	struct evgw_bus_status st;
	bool end;

	(void)state;
	int64_t t0 = wall_us();
	open_ok(&b, small_log, 0, true);
	unsigned n = drain_bus(&b, f, 64, 3, 3 * SMALL_N + 1, &end);
	assert_false(end);
	assert_int_equal(n, 3 * SMALL_N + 1);
	check_small(f, n, t0, wall_us());
	assert_int_equal(b.ops->get_status(b.st, &st), 0);
	assert_int_equal(st.state, EVGW_BUS_ACTIVE);
	close_bus(&b);
}

/* A log spanning 2 s at speed 1000 plays in about 2 ms: every frame, in order. */
static void test_paced_fast_factor(void **state)
{
	struct bus b;
	struct evgw_frame f[16];
	bool end;

	(void)state;
	int64_t t0 = wall_us();
	open_ok(&b, small_log, 1000, false);
	unsigned n = drain_bus(&b, f, 16, 16, 16, &end);
	assert_true(end);
	assert_int_equal(n, SMALL_N);
	check_small(f, n, t0, wall_us());
	close_bus(&b);
}

/* Paced with max 1: frames already due stay signalled until taken. */
static void test_paced_max_one(void **state)
{
	struct bus b;
	struct evgw_frame f[16];
	bool end;

	(void)state;
	open_ok(&b, small_log, 1e6, true);
	unsigned n = drain_bus(&b, f, 16, 1, 2 * SMALL_N, &end);
	assert_false(end);
	assert_int_equal(n, 2 * SMALL_N);
	check_small(f, n, 0, wall_us());
	close_bus(&b);
}

/* At recorded pace, a frame 1000 s after the first is held back. */
static void test_paced_holds_back(void **state)
{
	static const char log[] = "(100.000000) can0 001#01\n"
				  "002#02\n" /* no timestamp: due with the frame before */
				  "(1100.000000) can0 003#03\n";
	struct bus b;
	struct evgw_frame f[4];
	struct evgw_bus_status st;
	bool end;

	(void)state;
	open_ok(&b, log, 1, false);
	unsigned n = drain_bus(&b, f, 4, 4, 2, &end);
	assert_false(end);
	assert_int_equal(n, 2);
	assert_int_equal(f[0].id, 1);
	assert_int_equal(f[1].id, 2);
	assert_false(readable(b.fd, 0));
	assert_int_equal(b.ops->recv(b.st, f, 4), 0);
	assert_int_equal(b.ops->get_status(b.st, &st), 0);
	assert_int_equal(st.state, EVGW_BUS_ACTIVE);
	close_bus(&b);
}

static void test_malformed_lines_counted(void **state)
{
	static const char log[] = "(1.000000) can0 100#00\n"
				  "this is not a frame\n"
				  "(1.100000) can0 101#0\n" /* odd number of hex digits */
				  "(1.200000) can0 102#0102\r\n";
	struct bus b;
	struct evgw_frame f[16];
	struct evgw_bus_status st;
	bool end;

	(void)state;
	open_ok(&b, log, 0, true);
	/* Three passes: bad lines are counted once, not per pass. */
	unsigned n = drain_bus(&b, f, 16, 16, 6, &end);
	assert_int_equal(n, 6);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(f[i].id, i % 2 ? 0x102 : 0x100);
	assert_int_equal(f[1].len, 2);
	assert_int_equal(b.ops->get_status(b.st, &st), 0);
	assert_int_equal(st.rx_errors, 2);
	close_bus(&b);
}

static void test_missing_file(void **state)
{
	struct evgw_bus_params p = {.name = "t", .driver = "replay", .device = "/nonexistent/evgw.log"};
	struct evgw_driver_err err = {{0}};
	void *st = NULL;

	(void)state;
	assert_int_equal(evgw_driver_find("replay")->open(&p, &st, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "/nonexistent/evgw.log"));
	assert_non_null(strstr(err.msg, "No such file"));
}

static void test_bad_params(void **state)
{
	struct evgw_bus_params p = {.name = "t", .driver = "replay", .device = ""};
	struct evgw_driver_err err = {{0}};
	void *st = NULL;

	(void)state;
	const struct evgw_driver_ops *ops = evgw_driver_find("replay");
	assert_int_equal(ops->open(&p, &st, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "no candump log"));
	p.device = NULL;
	assert_int_equal(ops->open(&p, &st, &err), -EINVAL);
	p.device = "/tmp";
	assert_int_equal(ops->open(&p, &st, &err), -EISDIR);
	assert_non_null(strstr(err.msg, "/tmp"));
	struct bus b;
	assert_int_equal(open_log(&b, "(1.0) can0 123#00\n", -1, false, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "speed"));
	unlink(b.path);
}

/* A file with nothing but garbage is the wrong file: say where it went wrong. */
static void test_no_frames(void **state)
{
	struct bus b;
	struct evgw_driver_err err = {{0}};

	(void)state;
	assert_int_equal(open_log(&b, "# header\nVERSION \"x\"\nBO_ 1 A: 8 X\n", 0, true, &err), -EINVAL);
	assert_non_null(strstr(err.msg, b.path));
	assert_non_null(strstr(err.msg, "line 2"));
	unlink(b.path);
}

/* An empty log (or only comments) is a silent recording: it opens and ends. */
static void test_empty_log(void **state)
{
	static const char *const logs[] = {"", "# nothing\n\n"};
	struct evgw_frame f[4];
	struct evgw_bus_status st;

	(void)state;
	for (unsigned i = 0; i < 2; i++) {
		for (int speed = 0; speed <= 1; speed++) {
			struct bus b;
			open_ok(&b, logs[i], speed, true);
			assert_true(readable(b.fd, WAIT_MS));
			assert_int_equal(b.ops->recv(b.st, f, 4), -ENODATA);
			assert_int_equal(b.ops->get_status(b.st, &st), 0);
			assert_int_equal(st.state, EVGW_BUS_STOPPED);
			assert_false(readable(b.fd, 0));
			close_bus(&b);
		}
	}
}

static void test_listen_only(void **state)
{
	struct bus b;
	struct evgw_frame f = {.id = 0x123, .len = 1};

	(void)state;
	open_ok(&b, small_log, 0, false);
	assert_int_equal(b.ops->send(b.st, &f), -EOPNOTSUPP);
	assert_int_equal(b.ops->set_listen_only(b.st, true), 0);
	assert_int_equal(b.ops->set_listen_only(b.st, false), -EOPNOTSUPP);
	close_bus(&b);
}

/* ---- the file changing under the replay ---------------------------------------------------- */

/* n frames, id 0x123, data = the line number (big-endian, 4 bytes): every
 * line is 38 bytes, so line k starts at byte 38 * k. Several read buffers
 * (64 KiB) long for n in the thousands. */
#define BIG_LINE 38
static char *big_log(unsigned n)
{
	char *t = malloc((size_t)n * BIG_LINE + 1);
	assert_non_null(t);
	for (unsigned i = 0; i < n; i++)
		snprintf(t + (size_t)i * BIG_LINE, BIG_LINE + 1, "(1700000000.%06u) can0 123#%08X\n", i % 1000000, i);
	assert_int_equal(strlen(t), (size_t)n * BIG_LINE);
	return t;
}

static uint32_t line_of(const struct evgw_frame *f)
{
	return (uint32_t)f->data[0] << 24 | (uint32_t)f->data[1] << 16 | (uint32_t)f->data[2] << 8 | f->data[3];
}

/* An unchanged log loops for ever: every pass, every line, in order, and
 * nothing said. */
static void test_big_log_loops_unchanged(void **state)
{
	enum { N = 5000 };
	struct bus b;
	struct evgw_bus_status st;
	bool end;
	static struct evgw_frame f[3 * N];

	(void)state;
	char *text = big_log(N);
	open_ok(&b, text, 0, true);
	unsigned n = drain_bus(&b, f, 3 * N, 64, 3 * N, &end);
	assert_false(end);
	assert_int_equal(n, 3 * N);
	for (unsigned i = 0; i < n; i++)
		if (line_of(&f[i]) != i % N)
			fail_msg("frame %u: line %u", i, line_of(&f[i]));
	assert_int_equal(b.ops->get_status(b.st, &st), 0);
	assert_int_equal(st.state, EVGW_BUS_ACTIVE);
	assert_int_equal(st.link_errors, 0);
	assert_int_equal(st.error_seq, 0);
	assert_string_equal(st.error, "");
	close_bus(&b);
	free(text);
}

/* Truncated to nothing in the middle (the SIGBUS of a mapped log): what was
 * read is delivered, then the replay ends, down, saying why. */
static void test_truncated_to_zero(void **state)
{
	enum { N = 10000 };
	struct bus b;
	struct evgw_bus_status st;
	bool end;
	static struct evgw_frame f[N];

	(void)state;
	char *text = big_log(N);
	open_ok(&b, text, 0, false);
	unsigned n = drain_bus(&b, f, N, 64, 100, &end);
	assert_int_equal(n, 100);
	assert_int_equal(truncate(b.path, 0), 0);
	n += drain_bus(&b, f + n, N - n, 64, N - n, &end);
	assert_true(end);
	/* At most what one 64 KiB buffer held past the first reads. */
	assert_true(n >= 100 && n < 100 + 65536 / BIG_LINE + 2);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(line_of(&f[i]), i);
	assert_int_equal(b.ops->get_status(b.st, &st), 0);
	assert_int_equal(st.state, EVGW_BUS_DOWN);
	assert_true(st.link_errors >= 1);
	assert_true(st.error_seq >= 1);
	assert_non_null(strstr(st.error, b.path));
	assert_non_null(strstr(st.error, "shrank from 380000 to 0 bytes"));
	close_bus(&b);
	free(text);
}

/* Cut to its first half while looping: the pass ends where the bytes end,
 * and the replay goes on with the half the file still has. */
static void test_truncated_to_half_loops_on(void **state)
{
	enum { N = 10000, HALF = N / 2, WANT = 4 * N };
	struct bus b;
	struct evgw_bus_status st;
	bool end;
	static struct evgw_frame f[WANT];

	(void)state;
	char *text = big_log(N);
	open_ok(&b, text, 0, true);
	unsigned n = drain_bus(&b, f, WANT, 64, 200, &end);
	assert_int_equal(truncate(b.path, (off_t)HALF * BIG_LINE), 0);
	n += drain_bus(&b, f + n, WANT - n, 64, WANT - n, &end);
	assert_false(end);
	assert_int_equal(n, WANT);
	/* In order up to where the first pass ended, then passes of HALF lines. */
	unsigned i = 1, wraps = 0;
	for (; i < n; i++) {
		uint32_t want = line_of(&f[i - 1]) + 1;
		if (line_of(&f[i]) == 0)
			wraps++;
		else if (line_of(&f[i]) != want)
			fail_msg("frame %u: line %u after %u", i, line_of(&f[i]), want - 1);
		if (wraps > 1 && line_of(&f[i]) >= HALF)
			fail_msg("frame %u: line %u, past the cut", i, line_of(&f[i]));
	}
	assert_true(wraps >= 2);
	assert_int_equal(b.ops->get_status(b.st, &st), 0);
	assert_int_equal(st.state, EVGW_BUS_ACTIVE);
	assert_int_equal(st.link_errors, 1);
	assert_non_null(strstr(st.error, "shrank from 380000 to 190000 bytes"));
	close_bus(&b);
	free(text);
}

/* Overwritten in place with bytes of the same size: read as they are, and
 * said once. */
static void test_modified_in_place(void **state)
{
	enum { N = 10000 };
	struct bus b;
	struct evgw_bus_status st;
	bool end;
	static struct evgw_frame f[N + 1];

	(void)state;
	char *text = big_log(N);
	open_ok(&b, text, 0, false);
	unsigned n = drain_bus(&b, f, N + 1, 64, 100, &end);
	/* Every line's id becomes 0x456; timestamps later, mtime moves. */
	for (unsigned i = 0; i < N; i++)
		memcpy(text + (size_t)i * BIG_LINE + 25, "456", 3);
	struct timespec later[2] = {{0, UTIME_OMIT}, {2000000000, 0}};
	FILE *w = fopen(b.path, "r+");
	assert_non_null(w);
	assert_int_equal(fwrite(text, 1, (size_t)N * BIG_LINE, w), (size_t)N * BIG_LINE);
	assert_int_equal(fclose(w), 0);
	assert_int_equal(utimensat(AT_FDCWD, b.path, later, 0), 0);
	n += drain_bus(&b, f + n, N + 1 - n, 64, N + 1 - n, &end);
	assert_true(end);
	assert_int_equal(n, N);
	assert_int_equal(f[0].id, 0x123);
	assert_int_equal(f[N - 1].id, 0x456);
	assert_int_equal(b.ops->get_status(b.st, &st), 0);
	assert_int_equal(st.state, EVGW_BUS_STOPPED); /* nothing was lost */
	assert_int_equal(st.link_errors, 1);
	assert_non_null(strstr(st.error, "was modified while being replayed (380000 bytes now)"));
	close_bus(&b);
	free(text);
}

/* A line longer than the read buffer is one malformed line; the frames
 * around it are delivered. */
static void test_over_long_line(void **state)
{
	enum { LONG = 200000 };
	struct bus b;
	struct evgw_bus_status st;
	bool end;
	struct evgw_frame f[8];

	(void)state;
	char *text = malloc(LONG + 100);
	assert_non_null(text);
	strcpy(text, "(1.000000) can0 100#01\n");
	size_t at = strlen(text);
	memset(text + at, 'x', LONG);
	strcpy(text + at + LONG, "\n(1.100000) can0 101#02\n");
	open_ok(&b, text, 0, false);
	unsigned n = drain_bus(&b, f, 8, 8, 8, &end);
	assert_true(end);
	assert_int_equal(n, 2);
	assert_int_equal(f[0].id, 0x100);
	assert_int_equal(f[1].id, 0x101);
	assert_int_equal(b.ops->get_status(b.st, &st), 0);
	assert_int_equal(st.rx_errors, 1);
	assert_int_equal(st.state, EVGW_BUS_STOPPED);
	close_bus(&b);
	free(text);
}

/* Not regular files are refused at once, naming what they are (a FIFO
 * without a writer would block a plain open: the alarm fails a hang). */
static void test_not_a_regular_file(void **state)
{
	struct evgw_bus_params p = {.name = "t", .driver = "replay"};
	struct evgw_driver_err err = {{0}};
	void *st = NULL;
	char dir[] = "/tmp/evgw-replay-fifo-XXXXXX", fifo[64];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(fifo, sizeof fifo, "%s/live.log", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	const struct evgw_driver_ops *ops = evgw_driver_find("replay");
	alarm(10);
	p.device = fifo;
	assert_int_equal(ops->open(&p, &st, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "is a FIFO, not a candump log file"));
	p.device = "/dev/zero";
	assert_int_equal(ops->open(&p, &st, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "is a character device, not a candump log file"));
	alarm(0);
	unlink(fifo);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_fast_delivers_all_in_order),
		cmocka_unit_test(test_fast_loop_restarts),
		cmocka_unit_test(test_paced_fast_factor),
		cmocka_unit_test(test_paced_max_one),
		cmocka_unit_test(test_paced_holds_back),
		cmocka_unit_test(test_malformed_lines_counted),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_bad_params),
		cmocka_unit_test(test_no_frames),
		cmocka_unit_test(test_empty_log),
		cmocka_unit_test(test_listen_only),
		cmocka_unit_test(test_big_log_loops_unchanged),
		cmocka_unit_test(test_truncated_to_zero),
		cmocka_unit_test(test_truncated_to_half_loops_on),
		cmocka_unit_test(test_modified_in_place),
		cmocka_unit_test(test_over_long_line),
		cmocka_unit_test(test_not_a_regular_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
