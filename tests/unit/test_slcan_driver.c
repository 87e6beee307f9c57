// SPDX-License-Identifier: MIT
/* The slcan driver against a fake adapter: the test holds the master side
 * of a pty and plays the adapter (checks the commands the driver writes,
 * answers or stays silent, injects frames, errors and garbage, and closes
 * the master to unplug it). Waits are poll()s bounded by WAIT_MS on the
 * driver's own fds, never sleeps. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "drivers/driver.h"
#include "drivers/slcan.h"
#include "test_support.h"

#define WAIT_MS 3000

struct fake {
	int master;
	int slave;              /* kept open until the driver has opened its own */
	char name[64];
	char device[128];
	const struct evgw_driver_ops *ops;
	void *drv;
	struct evgw_driver_fd fds[4];
	int n_fds;
	struct evgw_frame frames[64];
};

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void fake_pty(struct fake *a)
{
	memset(a, 0, sizeof *a);
	assert_int_equal(openpty(&a->master, &a->slave, a->name, NULL, NULL), 0);
	fcntl(a->master, F_SETFL, O_NONBLOCK);
	a->ops = evgw_driver_find("slcan");
	assert_non_null(a->ops);
}

static int try_open(struct fake *a, const char *opts, uint32_t bitrate, uint32_t data_bitrate,
		    bool listen_only, struct evgw_driver_err *err)
{
	struct evgw_bus_params p = {0};
	snprintf(a->device, sizeof a->device, "%s%s%s", a->name, opts ? " " : "", opts ? opts : "");
	p.name = "test";
	p.driver = "slcan";
	p.device = a->device;
	p.bitrate = bitrate;
	p.data_bitrate = data_bitrate;
	p.listen_only = listen_only;
	memset(err, 0, sizeof *err);
	return a->ops->open(&p, &a->drv, err);
}

static void open_ok(struct fake *a, const char *opts, uint32_t bitrate, uint32_t data_bitrate,
		    bool listen_only)
{
	struct evgw_driver_err err;
	fake_pty(a);
	int64_t t0 = mono_ms();
	int rc = try_open(a, opts, bitrate, data_bitrate, listen_only, &err);
	if (rc != 0)
		fail_msg("open: %d %s", rc, err.msg);
	/* open never waits for the adapter, which has not answered anything */
	assert_true(mono_ms() - t0 < 500);
	close(a->slave);
	a->slave = -1;
	a->n_fds = a->ops->fds(a->drv, a->fds, 4);
	assert_int_equal(a->n_fds, 2);
}

static void fake_close(struct fake *a)
{
	if (a->drv)
		a->ops->close(a->drv);
	if (a->master >= 0)
		close(a->master);
	if (a->slave >= 0)
		close(a->slave);
}

/* Read what the driver wrote until it is exactly `want` (or time out). */
static void expect_written(struct fake *a, const char *want)
{
	char got[1024];
	size_t n = 0, wn = strlen(want);
	int64_t end = mono_ms() + WAIT_MS;
	while (n < wn && mono_ms() < end) {
		struct pollfd p = {a->master, POLLIN, 0};
		poll(&p, 1, 50);
		ssize_t r = read(a->master, got + n, sizeof got - 1 - n);
		if (r > 0)
			n += (size_t)r;
	}
	got[n] = '\0';
	assert_string_equal(got, want);
}

/* Nothing more written for a short while. */
static void expect_silence(struct fake *a, int ms)
{
	struct pollfd p = {a->master, POLLIN, 0};
	char c[64];
	if (poll(&p, 1, ms) > 0) {
		ssize_t r = read(a->master, c, sizeof c - 1);
		if (r > 0) {
			c[r] = '\0';
			fail_msg("unexpected output \"%s\"", c);
		}
	}
}

static void adapter_says(struct fake *a, const char *text)
{
	assert_int_equal(write(a->master, text, strlen(text)), (ssize_t)strlen(text));
}

/* Wait on the driver's fds and receive until `want` frames came or an
 * error; returns the count, or the negative error. */
static int recv_until(struct fake *a, int want)
{
	int got = 0;
	int64_t end = mono_ms() + WAIT_MS;
	while (got < want && mono_ms() < end) {
		struct pollfd p[4];
		for (int i = 0; i < a->n_fds; i++)
			p[i] = (struct pollfd){a->fds[i].fd, POLLIN, 0};
		poll(p, (nfds_t)a->n_fds, 50);
		int n = a->ops->recv(a->drv, a->frames + got, (unsigned)(64 - got));
		if (n < 0)
			return got ? got : n;
		got += n;
	}
	return got;
}

/* Let the driver read everything now pending (acks, garbage). */
static void settle(struct fake *a)
{
	assert_int_equal(recv_until(a, 0), 0);
	struct pollfd p = {a->fds[0].fd, POLLIN, 0};
	for (int i = 0; i < 20 && poll(&p, 1, 20) > 0; i++)
		assert_true(a->ops->recv(a->drv, a->frames, 64) >= 0);
}

static struct evgw_slcan_stats stats_of(struct fake *a)
{
	struct evgw_slcan_stats s;
	evgw_slcan_get_stats(a->drv, &s);
	return s;
}

static enum evgw_bus_state state_of(struct fake *a)
{
	struct evgw_bus_status st;
	assert_int_equal(a->ops->get_status(a->drv, &st), 0);
	return st.state;
}

static void init_listen_only(void **state)
{
	(void)state;
	struct fake a;
	open_ok(&a, NULL, 500000, 0, true);
	/* close (twice: the first may end a stale command), S6 = 500k,
	 * timestamps, open listen-only */
	expect_written(&a, "C\rC\rS6\rZ1\rL\r");
	adapter_says(&a, "\a\r\r\r\r");
	settle(&a);
	struct evgw_slcan_stats s = stats_of(&a);
	assert_int_equal(s.acks, 4);
	assert_int_equal(s.nacks, 1);
	assert_int_equal(s.refused, 0);
	assert_true(s.timestamps);
	assert_int_equal(state_of(&a), EVGW_BUS_ACTIVE);
	struct evgw_frame f = {.id = 0x123, .len = 1};
	assert_int_equal(a.ops->send(a.drv, &f), -EPERM);
	fake_close(&a);
}

static void init_normal_fd(void **state)
{
	(void)state;
	struct fake a;
	open_ok(&a, NULL, 1000000, 2000000, false);
	expect_written(&a, "C\rC\rS8\rY2\rZ1\rO\r");
	fake_close(&a);
}

static void init_no_bitrate(void **state)
{
	(void)state;
	struct fake a;
	open_ok(&a, "fw=lawicel", 0, 0, true);
	expect_written(&a, "C\rC\rZ1\rL\r");
	fake_close(&a);
}

static void close_sends_c(void **state)
{
	(void)state;
	struct fake a;
	open_ok(&a, NULL, 250000, 0, true);
	expect_written(&a, "C\rC\rS5\rZ1\rL\r");
	a.ops->close(a.drv);
	a.drv = NULL;
	expect_written(&a, "C\r");
	fake_close(&a);
}

static void s7_rule(void **state)
{
	(void)state;
	struct fake a;
	struct evgw_driver_err err;
	fake_pty(&a);
	assert_int_equal(try_open(&a, NULL, 800000, 0, true, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "fw=lawicel or fw=canable"));
	assert_int_equal(try_open(&a, NULL, 750000, 0, true, &err), -EINVAL);
	assert_int_equal(try_open(&a, "fw=lawicel", 750000, 0, true, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "800k"));
	assert_int_equal(try_open(&a, "fw=canable", 800000, 0, true, &err), -EINVAL);
	assert_int_equal(try_open(&a, NULL, 83333, 0, true, &err), -EINVAL);
	assert_int_equal(try_open(&a, NULL, 500000, 3500000, true, &err), -EINVAL);
	assert_int_equal(try_open(&a, "speed=fast", 500000, 0, true, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "speed=fast"));
	assert_int_equal(try_open(&a, "baud=12345", 500000, 0, true, &err), -EINVAL);
	a.drv = NULL;
	/* Nothing was written by the refused opens. */
	expect_silence(&a, 20);

	assert_int_equal(try_open(&a, "fw=lawicel baud=115200", 800000, 0, true, &err), 0);
	expect_written(&a, "C\rC\rS7\rZ1\rL\r");
	a.ops->close(a.drv);
	a.drv = NULL;
	expect_written(&a, "C\r");
	/* CANable firmware: S7 is 750k, listen-only is M1 then O, no Z1. */
	assert_int_equal(try_open(&a, "fw=canable", 750000, 0, true, &err), 0);
	expect_written(&a, "C\rC\rS7\rM1\rO\r");
	a.ops->close(a.drv);
	a.drv = NULL;
	expect_written(&a, "C\r");
	assert_int_equal(try_open(&a, "fw=canable", 125000, 0, false, &err), 0);
	expect_written(&a, "C\rC\rS4\rM0\rO\r");
	fake_close(&a);
}

static void open_missing(void **state)
{
	(void)state;
	const struct evgw_driver_ops *ops = evgw_driver_find("slcan");
	struct evgw_bus_params p = {.name = "t", .driver = "slcan", .bitrate = 500000,
				    .device = "/dev/serial/by-id/usb-no-such-adapter-if00"};
	struct evgw_driver_err err = {{0}};
	void *drv = NULL;
	assert_int_equal(ops->open(&p, &drv, &err), -ENODEV);
	assert_non_null(strstr(err.msg, "usb-no-such-adapter"));
	p.device = "";
	assert_int_equal(ops->open(&p, &drv, &err), -EINVAL);
	p.device = test_write_temp("x", 1); /* a file, not a tty */
	assert_int_equal(ops->open(&p, &drv, &err), -ENOTTY);
}

static void receive_frames(void **state)
{
	(void)state;
	struct fake a;
	open_ok(&a, NULL, 500000, 2000000, true);
	expect_written(&a, "C\rC\rS6\rY2\rZ1\rL\r");
	adapter_says(&a, "t12321122\rT12ABCDEF2AA55\rgarbage\rr1234\r"
			 "b4569000102030405060708090A0B\r\n");
	assert_int_equal(recv_until(&a, 4), 4);
	assert_int_equal(a.frames[0].id, 0x123);
	assert_int_equal(a.frames[0].len, 2);
	assert_memory_equal(a.frames[0].data, "\x11\x22", 2);
	assert_int_equal(a.frames[1].id, 0x12ABCDEF);
	assert_int_equal(a.frames[1].flags, EVGW_FRAME_EXT);
	assert_int_equal(a.frames[2].flags, EVGW_FRAME_RTR);
	assert_int_equal(a.frames[2].len, 4);
	assert_int_equal(a.frames[3].flags, EVGW_FRAME_FD | EVGW_FRAME_BRS);
	assert_int_equal(a.frames[3].len, 12);
	assert_int_equal(a.frames[3].data[11], 0x0B);
	int64_t now = (int64_t)time(NULL) * 1000000;
	for (int i = 0; i < 4; i++)
		assert_true(a.frames[i].ts_us > now - 5000000 && a.frames[i].ts_us < now + 5000000);
	assert_int_equal(stats_of(&a).bad_lines, 1);

	/* A line split across writes is put together. */
	adapter_says(&a, "t7FF3AA");
	struct pollfd pf = {a.fds[0].fd, POLLIN, 0};
	assert_int_equal(poll(&pf, 1, WAIT_MS), 1);
	assert_int_equal(a.ops->recv(a.drv, a.frames, 64), 0);
	adapter_says(&a, "BBCC\r");
	assert_int_equal(recv_until(&a, 1), 1);
	assert_int_equal(a.frames[0].id, 0x7FF);
	assert_memory_equal(a.frames[0].data, "\xAA\xBB\xCC", 3);

	/* Over-long garbage is dropped, counted, and the next line is read. */
	char junk[400];
	memset(junk, '7', sizeof junk - 2);
	junk[sizeof junk - 2] = '\r';
	junk[sizeof junk - 1] = '\0';
	adapter_says(&a, junk);
	adapter_says(&a, "t0010\r");
	assert_int_equal(recv_until(&a, 1), 1);
	assert_int_equal(a.frames[0].id, 0x001);
	assert_int_equal(stats_of(&a).long_lines, 1);
	struct evgw_bus_status st;
	a.ops->get_status(a.drv, &st);
	/* Garbage is a link error (this test sent one unknown line earlier and
	 * this over-long one), not a lost frame. */
	assert_int_equal(stats_of(&a).bad_lines, 1);
	assert_int_equal(st.link_errors, 2);
	assert_int_equal(st.overruns, 0);
	fake_close(&a);
}

/* Two frames stamped with the same adapter ms, read one after the other:
 * the same time when the adapter's timestamps are used, the host's clock
 * (later) when Z1 was refused. */
static void two_reads_same_stamp(struct fake *a, int64_t *t1, int64_t *t2)
{
	adapter_says(a, "t100003E8\r");
	assert_int_equal(recv_until(a, 1), 1);
	*t1 = a->frames[0].ts_us;
	adapter_says(a, "t100003E8\r");
	assert_int_equal(recv_until(a, 1), 1);
	*t2 = a->frames[0].ts_us;
}

static void timestamps(void **state)
{
	(void)state;
	struct fake a;
	int64_t t1, t2;
	open_ok(&a, NULL, 500000, 0, true);
	expect_written(&a, "C\rC\rS6\rZ1\rL\r");
	two_reads_same_stamp(&a, &t1, &t2);
	assert_true(t1 == t2);
	/* 0x3E8 -> 0x3E7 is a wrap: 59999 ms later, far ahead of the host
	 * clock: stamped now, never in the future. */
	adapter_says(&a, "t100003E7\r");
	assert_int_equal(recv_until(&a, 1), 1);
	int64_t now = (int64_t)time(NULL) * 1000000;
	assert_true(a.frames[0].ts_us > t2 && a.frames[0].ts_us < now + 2000000);
	fake_close(&a);

	open_ok(&a, NULL, 500000, 0, true);
	expect_written(&a, "C\rC\rS6\rZ1\rL\r");
	adapter_says(&a, "\r\r\r\a\r");
	settle(&a);
	assert_false(stats_of(&a).timestamps);
	assert_int_equal(stats_of(&a).refused, 0);
	two_reads_same_stamp(&a, &t1, &t2);
	assert_true(t2 > t1);
	fake_close(&a);
}

static void refused_listen_only(void **state)
{
	(void)state;
	struct fake a;
	open_ok(&a, NULL, 500000, 0, true);
	expect_written(&a, "C\rC\rS6\rZ1\rL\r");
	adapter_says(&a, "\r\r\r\r\a"); /* L refused */
	settle(&a);
	assert_int_equal(stats_of(&a).refused, 1);
	assert_int_equal(state_of(&a), EVGW_BUS_DOWN);
	/* and never retried as O */
	expect_silence(&a, 50);
	fake_close(&a);
}

static void send_frames(void **state)
{
	(void)state;
	struct fake a;
	open_ok(&a, NULL, 500000, 0, false);
	expect_written(&a, "C\rC\rS6\rZ1\rO\r");
	adapter_says(&a, "\r\r\r\r\r");
	settle(&a);
	struct evgw_frame f = {.id = 0x123, .len = 2, .data = {0x11, 0x22}};
	assert_int_equal(a.ops->send(a.drv, &f), 0);
	expect_written(&a, "t12321122\r");
	adapter_says(&a, "z\r");
	f = (struct evgw_frame){.id = 0x18DAF110, .flags = EVGW_FRAME_EXT, .len = 3,
				.data = {0x02, 0x10, 0x03}};
	assert_int_equal(a.ops->send(a.drv, &f), 0);
	expect_written(&a, "T18DAF1103021003\r");
	adapter_says(&a, "\a");
	settle(&a);
	struct evgw_slcan_stats s = stats_of(&a);
	assert_int_equal(s.tx_acks, 1);
	assert_int_equal(s.tx_nacks, 1);
	assert_int_equal(s.refused, 0);
	/* No data bitrate: no FD frames. Error frames cannot be sent. */
	f = (struct evgw_frame){.id = 0x1, .flags = EVGW_FRAME_FD, .len = 12};
	assert_int_equal(a.ops->send(a.drv, &f), -EINVAL);
	f = (struct evgw_frame){.id = 0x20, .flags = EVGW_FRAME_ERR, .len = 8};
	assert_int_equal(a.ops->send(a.drv, &f), -EINVAL);
	fake_close(&a);
}

static void bus_state(void **state)
{
	(void)state;
	struct fake a;
	open_ok(&a, NULL, 500000, 0, true);
	expect_written(&a, "C\rC\rS6\rZ1\rL\r");
	/* F reply: error passive and an overrun -> one error frame. */
	adapter_says(&a, "F28\r");
	assert_int_equal(recv_until(&a, 1), 1);
	assert_int_equal(a.frames[0].flags, EVGW_FRAME_ERR);
	assert_int_equal(a.frames[0].id, 0x04);
	assert_int_equal(a.frames[0].data[1], 0x01 | 0x30);
	assert_int_equal(state_of(&a), EVGW_BUS_PASSIVE);
	assert_int_equal(stats_of(&a).overruns, 1);
	/* Same level, no event: nothing. */
	adapter_says(&a, "F20\r");
	settle(&a);
	assert_int_equal(stats_of(&a).status_replies, 2);

	/* State lines rule once seen; a frame only on a change. */
	adapter_says(&a, "sw100090\rsw101090\rsb256256\re1a\r");
	assert_int_equal(recv_until(&a, 3), 3);
	assert_int_equal(a.frames[0].id, 0x204);
	assert_int_equal(a.frames[0].data[1], 0x04);
	assert_int_equal(a.frames[1].id, 0x240);
	assert_int_equal(a.frames[2].id, 0xA8);
	struct evgw_bus_status st;
	a.ops->get_status(a.drv, &st);
	assert_int_equal(st.state, EVGW_BUS_OFF);
	assert_int_equal(st.rx_errors, 256);
	assert_int_equal(st.tx_errors, 256);
	adapter_says(&a, "F00\r"); /* F no longer decides the state */
	settle(&a);
	assert_int_equal(state_of(&a), EVGW_BUS_OFF);
	adapter_says(&a, "sa000000\r");
	assert_int_equal(recv_until(&a, 1), 1);
	assert_int_equal(a.frames[0].data[1], 0x40);
	assert_int_equal(state_of(&a), EVGW_BUS_ACTIVE);
	fake_close(&a);
}

static void status_polled(void **state)
{
	(void)state;
	struct fake a;
	open_ok(&a, NULL, 500000, 0, true);
	expect_written(&a, "C\rC\rS6\rZ1\rL\r");
	adapter_says(&a, "\r\r\r\r\r");
	/* About a second later the driver asks for the flags, woken by its timer. */
	int64_t t0 = mono_ms();
	char got[8] = {0};
	size_t n = 0;
	while (n < 2 && mono_ms() - t0 < WAIT_MS) {
		assert_true(a.ops->recv(a.drv, a.frames, 64) >= 0);
		struct pollfd p[3] = {{a.fds[0].fd, POLLIN, 0}, {a.fds[1].fd, POLLIN, 0},
				      {a.master, POLLIN, 0}};
		poll(p, 3, 100);
		ssize_t r = read(a.master, got + n, 2 - n);
		if (r > 0)
			n += (size_t)r;
	}
	assert_string_equal(got, "F\r");
	assert_true(mono_ms() - t0 >= 800);
	/* An adapter without F: BELL, and it is not asked again. */
	adapter_says(&a, "\a");
	settle(&a);
	assert_false(stats_of(&a).status_polling);
	assert_int_equal(stats_of(&a).refused, 0);
	assert_int_equal(state_of(&a), EVGW_BUS_ACTIVE);
	fake_close(&a);
}

/* The original CANable firmware acknowledges nothing: no waits, no limits
 * reached, frames flow, and late noise is not taken for a refusal. */
static void never_acks(void **state)
{
	(void)state;
	struct fake a;
	open_ok(&a, "fw=canable", 500000, 0, false);
	expect_written(&a, "C\rC\rS6\rM0\rO\r");
	for (int i = 0; i < 100; i++) {
		struct evgw_frame f = {.id = (uint32_t)i, .len = 1, .data = {(uint8_t)i}};
		assert_int_equal(a.ops->send(a.drv, &f), 0);
		char want[16];
		snprintf(want, sizeof want, "t%03X1%02X\r", i, i);
		expect_written(&a, want);
	}
	adapter_says(&a, "t1230\r");
	assert_int_equal(recv_until(&a, 1), 1);
	assert_int_equal(a.frames[0].id, 0x123);
	assert_int_equal(state_of(&a), EVGW_BUS_ACTIVE);
	/* No F polling and no Z1 on this firmware. */
	assert_false(stats_of(&a).status_polling);
	assert_false(stats_of(&a).timestamps);
	fake_close(&a);
}

static void unplug(void **state)
{
	(void)state;
	struct fake a;
	open_ok(&a, NULL, 500000, 0, false);
	expect_written(&a, "C\rC\rS6\rZ1\rO\r");
	adapter_says(&a, "t1230\r");
	assert_int_equal(recv_until(&a, 1), 1);
	close(a.master);
	a.master = -1;
	int rc = recv_until(&a, 1);
	assert_int_equal(rc, -ENODEV);
	/* and again, without spinning or crashing */
	assert_int_equal(a.ops->recv(a.drv, a.frames, 64), -ENODEV);
	assert_int_equal(state_of(&a), EVGW_BUS_GONE);
	struct evgw_frame f = {.id = 1};
	assert_int_equal(a.ops->send(a.drv, &f), -ENODEV);
	fake_close(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(init_listen_only), cmocka_unit_test(init_normal_fd),
		cmocka_unit_test(init_no_bitrate),  cmocka_unit_test(close_sends_c),
		cmocka_unit_test(s7_rule),          cmocka_unit_test(open_missing),
		cmocka_unit_test(receive_frames),   cmocka_unit_test(timestamps),
		cmocka_unit_test(refused_listen_only), cmocka_unit_test(send_frames),
		cmocka_unit_test(bus_state),        cmocka_unit_test(status_polled),
		cmocka_unit_test(never_acks),       cmocka_unit_test(unplug),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
