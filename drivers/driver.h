// SPDX-License-Identifier: MIT
/* The one interface every bus back-end implements: a const ops table per
 * driver (drivers/<name>.c), all listed in drivers/registry.c. NULL hooks
 * mean "not supported". The core owns the loop: a driver only reports the
 * fds to poll and fills frames in place when asked. */
#ifndef EVGW_DRIVERS_DRIVER_H
#define EVGW_DRIVERS_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "can/bus_state.h"

#include "can/frame.h"

struct evgw_usb_hub; /* drivers/usb_dev.h */

/* A bus's settings as the config gives them (strings are owned by the
 * config and outlive the driver). */
struct evgw_bus_params {
	const char *name;          /* bus name, e.g. "car" */
	const char *driver;        /* "replay", "sim", ... */
	const char *device;        /* driver-specific: log file, vehicle, interface */
	uint32_t bitrate;          /* bit/s; 0 = leave as configured */
	uint32_t data_bitrate;     /* CAN FD data phase; 0 = none */
	bool listen_only;          /* mode = listen-only (the default) */
	double replay_speed;       /* replay: 1 = recorded pace, N = N x, 0 = as fast as possible */
	bool replay_loop;          /* replay: start over at the end */
	const char *dbc_dir;       /* where the vehicle definitions are (sim) */
	int32_t restart_ms;        /* bus-off restart: N ms, 0 = stay off, -1 = unset */
	const struct evgw_can_filter *filters; /* receive only these; n_filters 0 = all */
	unsigned n_filters;
	int8_t termination;        /* gsusb: 120 ohm resistor 1 on, 0 off, -1 = leave as is */
	struct evgw_usb_hub *usb_hub; /* USB drivers: adapters shared by buses; NULL: none */
};


struct evgw_bus_status {
	enum evgw_bus_state state;
	uint32_t rx_errors, tx_errors; /* controller error counters */
	uint64_t overruns;             /* frames the adapter or kernel dropped */
	uint64_t link_errors;          /* what came from the adapter unreadable: garbage,
					  failed USB transfers, over-long lines */
	uint64_t tx_dropped;           /* frames send() took that never reached the
					  adapter (a failed or timed-out USB write) */
	/* Something the driver met while running that people should hear of
	 * (a replayed log that shrank under it): the text, and a number that
	 * moves each time there is a new one. The core logs each once. */
	uint32_t error_seq;
	char error[200];
};

struct evgw_driver_fd {
	int fd;
	uint32_t events; /* EPOLLIN / EPOLLOUT */
};

/* Error text for the daemon's log: a driver fills it and returns -errno;
 * the core logs it once, with the bus name. */
struct evgw_driver_err {
	char msg[256];
};

struct evgw_driver_ops {
	const char *name;
	/* Open the bus; *state is the driver's own struct. */
	int (*open)(const struct evgw_bus_params *p, void **state, struct evgw_driver_err *err);
	void (*close)(void *state);
	/* The fds to poll (at most max); returns how many. */
	int (*fds)(void *state, struct evgw_driver_fd *fds, int max);
	/* Fill up to max frames in place; returns the count (0: none now),
	 * -ENODEV when the device is gone, -ENODATA at the end of a replay. */
	int (*recv)(void *state, struct evgw_frame *frames, unsigned max);
	/* Optional. */
	int (*send)(void *state, const struct evgw_frame *f);
	int (*set_bitrate)(void *state, uint32_t bitrate, uint32_t data_bitrate);
	int (*set_listen_only)(void *state, bool on);
	int (*get_status)(void *state, struct evgw_bus_status *st);
	/* Optional: reading costs a system call per frame (one USB transfer
	 * each), so while frames stream the core reads every batch_us instead
	 * of on every arrival (evgw_loop_pace). 0: read on arrival. */
	uint32_t batch_us;
};

/* Write a message into err (NULL is allowed); drivers' one way to say why
 * open() failed. evgw_driver_fail() also returns r, for `return fail(...)`. */
__attribute__((format(printf, 2, 3))) void evgw_driver_set_err(struct evgw_driver_err *err,
							      const char *fmt, ...);
__attribute__((format(printf, 3, 4))) int evgw_driver_fail(struct evgw_driver_err *err, int r,
							  const char *fmt, ...);

/* The driver called `name`, or NULL. */
const struct evgw_driver_ops *evgw_driver_find(const char *name);
/* NULL-terminated list of all drivers. */
extern const struct evgw_driver_ops *const evgw_drivers[];

#endif
