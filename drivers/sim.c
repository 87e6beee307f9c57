// SPDX-License-Identifier: MIT
/* The `sim` driver: a simulated vehicle (gateway/sim) as a bus. device is
 * the vehicle's name, params->dbc_dir where its DBC files are. A timerfd is
 * armed at the vehicle's next due frame; recv hands out what is due, stamped
 * with the wall clock. Frames sent to the bus go to the vehicle. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "drivers/driver.h"
#include "drivers/drivers_builtin.h"
#include "loop/loop.h"
#include "sim/sim_vehicle.h"

struct sim_bus {
	struct evgw_sim_vehicle *v;
	int fd;
};

static int arm_at(int fd, int64_t due_us)
{
	struct itimerspec its = {0};
	if (due_us < 1)
		due_us = 1; /* already due (0 would disarm) */
	its.it_value.tv_sec = (time_t)(due_us / 1000000);
	its.it_value.tv_nsec = (long)(due_us % 1000000) * 1000;
	return timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL) < 0 ? -errno : 0;
}

static void sim_close(void *state)
{
	struct sim_bus *b = state;
	if (!b)
		return;
	if (b->fd >= 0)
		close(b->fd);
	evgw_sim_vehicle_free(b->v);
	free(b);
}

static int sim_open(const struct evgw_bus_params *p, void **state, struct evgw_driver_err *err)
{
	struct evgw_driver_err scratch;
	if (!err)
		err = &scratch;
	struct sim_bus *b = calloc(1, sizeof *b);
	if (!b) {
		snprintf(err->msg, sizeof err->msg, "sim: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	b->fd = -1;
	int rc = evgw_sim_vehicle_create(p->device, p->dbc_dir, &b->v, err->msg, sizeof err->msg);
	if (rc < 0)
		goto fail;
	b->fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (b->fd < 0) {
		rc = -errno;
		snprintf(err->msg, sizeof err->msg, "sim: %s: cannot create the timer: %s", p->device,
			 strerror(-rc));
		goto fail;
	}
	/* The vehicle starts on the first poll: fire at once. */
	rc = arm_at(b->fd, evgw_sim_vehicle_next_due(b->v));
	if (rc < 0) {
		snprintf(err->msg, sizeof err->msg, "sim: %s: cannot arm the timer: %s", p->device,
			 strerror(-rc));
		goto fail;
	}
	*state = b;
	return 0;
fail:
	sim_close(b);
	return rc;
}

static int sim_fds(void *state, struct evgw_driver_fd *fds, int max)
{
	struct sim_bus *b = state;
	if (max < 1)
		return 0;
	fds[0].fd = b->fd;
	fds[0].events = EPOLLIN;
	return 1;
}

static int sim_recv(void *state, struct evgw_frame *frames, unsigned max)
{
	struct sim_bus *b = state;
	uint64_t expirations;
	/* Non-blocking: EAGAIN only means recv was called before the timer fired. */
	if (read(b->fd, &expirations, sizeof expirations) < 0 && errno != EAGAIN)
		return -errno;
	int n = evgw_sim_vehicle_poll(b->v, evgw_now_mono_us(), frames, max);
	int64_t wall = evgw_now_real_us();
	for (int i = 0; i < n; i++)
		frames[i].ts_us = wall;
	/* Frames left over (max reached) are already due: the timer fires at once. */
	int rc = arm_at(b->fd, evgw_sim_vehicle_next_due(b->v));
	return rc < 0 && n == 0 ? rc : n;
}

static int sim_send(void *state, const struct evgw_frame *f)
{
	struct sim_bus *b = state;
	evgw_sim_vehicle_receive(b->v, f);
	/* An ECU may answer: wake for its reply, not at the next broadcast. */
	arm_at(b->fd, evgw_sim_vehicle_next_due(b->v));
	return 0;
}

static int sim_set_bitrate(void *state, uint32_t bitrate, uint32_t data_bitrate)
{
	(void)state;
	(void)bitrate;
	(void)data_bitrate;
	return 0; /* an in-process bus runs at any rate */
}

static int sim_set_listen_only(void *state, bool on)
{
	(void)state;
	(void)on;
	return 0;
}

static int sim_get_status(void *state, struct evgw_bus_status *st)
{
	(void)state;
	memset(st, 0, sizeof *st);
	st->state = EVGW_BUS_ACTIVE;
	return 0;
}

const struct evgw_driver_ops evgw_driver_sim = {
	.name = "sim",
	.open = sim_open,
	.close = sim_close,
	.fds = sim_fds,
	.recv = sim_recv,
	.send = sim_send,
	.set_bitrate = sim_set_bitrate,
	.set_listen_only = sim_set_listen_only,
	.get_status = sim_get_status,
};
