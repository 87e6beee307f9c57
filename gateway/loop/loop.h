// SPDX-License-Identifier: MIT
/* The event loop: one epoll set, timers on timerfds, deferred frees.
 *
 * Objects embed a struct evgw_io and ride in the epoll data pointer. An
 * object is never freed inside its own callback: evgw_loop_del marks the
 * io dead at once (so events already fetched for it in the same round are
 * dropped) and the owner frees through evgw_loop_defer, which runs after
 * the round's callbacks. */
#ifndef EVGW_LOOP_LOOP_H
#define EVGW_LOOP_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct evgw_loop;
struct evgw_io;

typedef void (*evgw_io_fn)(struct evgw_loop *loop, struct evgw_io *io, uint32_t events);

struct evgw_io {
	int fd;           /* -1 when not registered */
	uint32_t events;  /* EPOLLIN | EPOLLOUT ... */
	evgw_io_fn fn;
	void *ud;
};

struct evgw_deferred {
	void (*fn)(void *p);
	void *p;
};

struct evgw_loop {
	int epfd;
	bool stop;
	int exit_code;
	struct evgw_deferred *deferred;
	uint32_t n_deferred, cap_deferred;
	uint64_t round;       /* rounds run so far: "already handled this round" */
	int64_t pace_until_us; /* monotonic; 0: the next wait starts at once */
};

int evgw_loop_init(struct evgw_loop *l);
/* Runs pending deferred frees, closes the epoll fd. */
void evgw_loop_fini(struct evgw_loop *l);

/* Register fd (the io does not own it). 0 or negative errno. */
int evgw_loop_add(struct evgw_loop *l, struct evgw_io *io, int fd, uint32_t events, evgw_io_fn fn,
		  void *ud);
int evgw_loop_mod(struct evgw_loop *l, struct evgw_io *io, uint32_t events);
/* Unregister; safe inside any callback, and on an io never added. */
void evgw_loop_del(struct evgw_loop *l, struct evgw_io *io);

/* Call fn(p) after the current round of callbacks (or at fini). */
int evgw_loop_defer(struct evgw_loop *l, void (*fn)(void *p), void *p);

/* The next round's wait starts no earlier than until_us (monotonic): work
 * that costs a system call per event (a USB transfer per frame) is done in
 * batches while it streams, at the price of that much latency. The
 * earliest of several requests wins. */
void evgw_loop_pace(struct evgw_loop *l, int64_t until_us);

/* One round: wait up to timeout_ms (-1: forever), dispatch, run deferred.
 * Returns the number of events dispatched or a negative errno. */
int evgw_loop_run_once(struct evgw_loop *l, int timeout_ms);
/* Rounds until evgw_loop_stop; returns the exit code given to it. */
int evgw_loop_run(struct evgw_loop *l);
void evgw_loop_stop(struct evgw_loop *l, int exit_code);

/* Monotonic and wall-clock time in microseconds. */
int64_t evgw_now_mono_us(void);
int64_t evgw_now_real_us(void);

/* A timer on its own timerfd. */
struct evgw_timer;
typedef void (*evgw_timer_fn)(struct evgw_loop *loop, struct evgw_timer *t);

struct evgw_timer {
	struct evgw_io io;
	evgw_timer_fn fn;
	void *ud;
};

int evgw_timer_init(struct evgw_loop *l, struct evgw_timer *t, evgw_timer_fn fn, void *ud);
/* First expiry after first_us (0: disarm), then every interval_us (0: once). */
int evgw_timer_arm(struct evgw_timer *t, uint64_t first_us, uint64_t interval_us);
void evgw_timer_fini(struct evgw_loop *l, struct evgw_timer *t);

#endif
