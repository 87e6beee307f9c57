// SPDX-License-Identifier: MIT
/* Read pacing: evgw_loop_pace holds the next wait back, and the core reads
 * a bus once per loop round however many of its fds are ready, pacing
 * reads while a batch_us driver streams. Real epoll, eventfds and sleeps;
 * only lower bounds on time are asserted (a sleep is never shorter). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <cmocka.h>

#include "bus/bus.h"
#include "drivers/driver.h"
#include "loop/loop.h"
#include "test_support.h"

#define PACE_US 30000

static void noop_io(struct evgw_loop *l, struct evgw_io *io, uint32_t events)
{
	(void)l;
	(void)events;
	(*(int *)io->ud)++;
}

static void test_pace_holds_the_next_wait(void **state)
{
	(void)state;
	struct evgw_loop l;
	assert_int_equal(evgw_loop_init(&l), 0);
	int fd = eventfd(1, EFD_NONBLOCK | EFD_CLOEXEC); /* readable at once */
	assert_true(fd >= 0);
	int calls = 0;
	struct evgw_io io;
	assert_int_equal(evgw_loop_add(&l, &io, fd, EPOLLIN, noop_io, &calls), 0);

	int64_t t0 = evgw_now_mono_us();
	evgw_loop_pace(&l, t0 + 10 * PACE_US);
	evgw_loop_pace(&l, t0 + PACE_US); /* the earliest wins */
	assert_int_equal(l.pace_until_us, t0 + PACE_US);
	assert_int_equal(evgw_loop_run_once(&l, -1), 1);
	assert_true(evgw_now_mono_us() - t0 >= PACE_US);
	assert_int_equal(calls, 1);
	assert_int_equal(l.pace_until_us, 0); /* one round only */

	/* A zero timeout is not stretched by a pace far ahead. */
	t0 = evgw_now_mono_us();
	evgw_loop_pace(&l, t0 + 60 * 1000000LL);
	assert_int_equal(evgw_loop_run_once(&l, 0), 1);
	assert_true(evgw_now_mono_us() - t0 < 30 * 1000000LL);

	evgw_loop_del(&l, &io);
	close(fd);
	evgw_loop_fini(&l);
}

/* A driver with two fds (as a libusb one has) that hands out one frame per
 * read while frames are pending. */
struct two_fd {
	int fd[2];
	unsigned reads, pending;
};

static struct two_fd g_drv;

static int two_open(const struct evgw_bus_params *p, void **st, struct evgw_driver_err *err)
{
	(void)p;
	(void)err;
	*st = &g_drv;
	return 0;
}

static void two_close(void *st)
{
	(void)st;
}

static int two_fds(void *st, struct evgw_driver_fd *fds, int max)
{
	struct two_fd *d = st;
	assert_true(max >= 2);
	for (int i = 0; i < 2; i++)
		fds[i] = (struct evgw_driver_fd){d->fd[i], EPOLLIN};
	return 2;
}

static int two_recv(void *st, struct evgw_frame *f, unsigned max)
{
	struct two_fd *d = st;
	(void)max;
	d->reads++;
	if (!d->pending)
		return 0;
	d->pending--;
	memset(f, 0, sizeof *f);
	f->id = 0x123;
	return 1;
}

static const struct evgw_driver_ops two_ops = {
	.name = "two-fd", .open = two_open, .close = two_close, .fds = two_fds,
	.recv = two_recv, .batch_us = PACE_US,
};

static void test_bus_reads_once_per_round_and_paces_a_stream(void **state)
{
	(void)state;
	struct evgw_loop l;
	assert_int_equal(evgw_loop_init(&l), 0);
	for (int i = 0; i < 2; i++) {
		g_drv.fd[i] = eventfd(1, EFD_NONBLOCK | EFD_CLOEXEC); /* both stay readable */
		assert_true(g_drv.fd[i] >= 0);
	}
	struct evgw_bus_params p = {.name = "u", .driver = "sim", .device = "byd-atto3"};
	struct evgw_driver_err err = {{0}};
	struct evgw_bus *bus;
	assert_int_equal(evgw_bus_create(&p, NULL, 0, &bus, &err), 0);
	bus->ops = &two_ops;
	assert_int_equal(evgw_bus_start(&l, bus, &err), 0);

	/* Both fds ready: two events, one read. The first frame after a quiet
	 * spell is read at once: no pace. */
	g_drv.pending = 3;
	assert_int_equal(evgw_loop_run_once(&l, 0), 2);
	assert_int_equal(g_drv.reads, 1);
	assert_int_equal(bus->rx_frames, 1);
	assert_int_equal(l.pace_until_us, 0);

	/* Frames again within two batches: a stream; the next read waits. */
	int64_t t0 = evgw_now_mono_us();
	assert_int_equal(evgw_loop_run_once(&l, 0), 2);
	assert_int_equal(g_drv.reads, 2);
	assert_true(l.pace_until_us >= t0 + PACE_US);
	assert_int_equal(evgw_loop_run_once(&l, -1), 2);
	assert_true(evgw_now_mono_us() - t0 >= PACE_US);
	assert_int_equal(g_drv.reads, 3);
	assert_int_equal(bus->rx_frames, 3);

	/* Nothing found: no pace. */
	assert_int_equal(evgw_loop_run_once(&l, -1), 2);
	assert_int_equal(g_drv.reads, 4);
	assert_int_equal(l.pace_until_us, 0);

	evgw_bus_stop(&l, bus);
	evgw_bus_free(bus);
	for (int i = 0; i < 2; i++)
		close(g_drv.fd[i]);
	evgw_loop_fini(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pace_holds_the_next_wait),
		cmocka_unit_test(test_bus_reads_once_per_round_and_paces_a_stream),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
