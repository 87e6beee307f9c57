// SPDX-License-Identifier: MIT
#include "loop/loop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define LOOP_MAX_EVENTS 64

int evgw_loop_init(struct evgw_loop *l)
{
	memset(l, 0, sizeof *l);
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	return l->epfd < 0 ? -errno : 0;
}

static void run_deferred(struct evgw_loop *l)
{
	/* A deferred call may defer more: run until none are left. */
	for (uint32_t i = 0; i < l->n_deferred; i++)
		l->deferred[i].fn(l->deferred[i].p);
	l->n_deferred = 0;
}

void evgw_loop_fini(struct evgw_loop *l)
{
	run_deferred(l);
	free(l->deferred);
	l->deferred = NULL;
	l->cap_deferred = 0;
	if (l->epfd >= 0)
		close(l->epfd);
	l->epfd = -1;
}

int evgw_loop_add(struct evgw_loop *l, struct evgw_io *io, int fd, uint32_t events, evgw_io_fn fn,
		  void *ud)
{
	struct epoll_event ev = {.events = events, .data.ptr = io};
	io->fd = fd;
	io->events = events;
	io->fn = fn;
	io->ud = ud;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		io->fd = -1;
		return -errno;
	}
	return 0;
}

int evgw_loop_mod(struct evgw_loop *l, struct evgw_io *io, uint32_t events)
{
	if (io->fd < 0)
		return -EBADF;
	if (events == io->events)
		return 0;
	struct epoll_event ev = {.events = events, .data.ptr = io};
	if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, io->fd, &ev) < 0)
		return -errno;
	io->events = events;
	return 0;
}

void evgw_loop_del(struct evgw_loop *l, struct evgw_io *io)
{
	if (io->fd < 0)
		return;
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, io->fd, NULL);
	io->fd = -1;
	io->fn = NULL;
}

int evgw_loop_defer(struct evgw_loop *l, void (*fn)(void *p), void *p)
{
	if (l->n_deferred == l->cap_deferred) {
		uint32_t cap = l->cap_deferred ? l->cap_deferred * 2 : 16;
		struct evgw_deferred *d = realloc(l->deferred, cap * sizeof *d);
		if (!d)
			return -ENOMEM;
		l->deferred = d;
		l->cap_deferred = cap;
	}
	l->deferred[l->n_deferred].fn = fn;
	l->deferred[l->n_deferred].p = p;
	l->n_deferred++;
	return 0;
}

void evgw_loop_pace(struct evgw_loop *l, int64_t until_us)
{
	if (!l->pace_until_us || until_us < l->pace_until_us)
		l->pace_until_us = until_us;
}

/* Sleep until the paced time; returns the wait left of timeout_ms. */
static int pace(struct evgw_loop *l, int timeout_ms)
{
	int64_t until = l->pace_until_us, now = evgw_now_mono_us();
	l->pace_until_us = 0;
	if (until <= now)
		return timeout_ms;
	int64_t us = until - now;
	if (timeout_ms >= 0 && us > (int64_t)timeout_ms * 1000)
		us = (int64_t)timeout_ms * 1000;
	struct timespec ts = {(time_t)(us / 1000000), (long)(us % 1000000) * 1000};
	nanosleep(&ts, NULL); /* a signal cuts it short: fine */
	if (timeout_ms < 0)
		return timeout_ms;
	int left = timeout_ms - (int)(us / 1000);
	return left > 0 ? left : 0;
}

int evgw_loop_run_once(struct evgw_loop *l, int timeout_ms)
{
	struct epoll_event evs[LOOP_MAX_EVENTS];
	if (l->pace_until_us)
		timeout_ms = pace(l, timeout_ms);
	l->round++;
	int n = epoll_wait(l->epfd, evs, LOOP_MAX_EVENTS, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		struct evgw_io *io = evs[i].data.ptr;
		/* Deleted by an earlier callback of this round: its memory is
		 * still valid (frees are deferred), its events are stale. */
		if (io->fd < 0 || !io->fn)
			continue;
		io->fn(l, io, evs[i].events);
	}
	run_deferred(l);
	return n;
}

int evgw_loop_run(struct evgw_loop *l)
{
	while (!l->stop) {
		int r = evgw_loop_run_once(l, -1);
		if (r < 0)
			return r;
	}
	return l->exit_code;
}

void evgw_loop_stop(struct evgw_loop *l, int exit_code)
{
	l->stop = true;
	l->exit_code = exit_code;
}

static int64_t clock_us(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t evgw_now_mono_us(void)
{
	return clock_us(CLOCK_MONOTONIC);
}

int64_t evgw_now_real_us(void)
{
	return clock_us(CLOCK_REALTIME);
}

static void timer_ready(struct evgw_loop *l, struct evgw_io *io, uint32_t events)
{
	struct evgw_timer *t = (struct evgw_timer *)io;
	uint64_t expirations;
	/* Reading clears the expiry; several missed ticks count as one call. */
	if (read(io->fd, &expirations, sizeof expirations) != sizeof expirations)
		return;
	t->fn(l, t);
}

int evgw_timer_init(struct evgw_loop *l, struct evgw_timer *t, evgw_timer_fn fn, void *ud)
{
	t->fn = fn;
	t->ud = ud;
	t->io.fd = -1;
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = evgw_loop_add(l, &t->io, fd, EPOLLIN, timer_ready, ud);
	if (r < 0)
		close(fd);
	return r;
}

int evgw_timer_arm(struct evgw_timer *t, uint64_t first_us, uint64_t interval_us)
{
	struct itimerspec its = {
		.it_value = {(time_t)(first_us / 1000000), (long)(first_us % 1000000) * 1000},
		.it_interval = {(time_t)(interval_us / 1000000), (long)(interval_us % 1000000) * 1000},
	};
	return timerfd_settime(t->io.fd, 0, &its, NULL) < 0 ? -errno : 0;
}

void evgw_timer_fini(struct evgw_loop *l, struct evgw_timer *t)
{
	int fd = t->io.fd;
	evgw_loop_del(l, &t->io);
	if (fd >= 0)
		close(fd);
}
