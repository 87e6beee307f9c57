// SPDX-License-Identifier: MIT
/* A bus: a driver, the DBC files that describe it, per-id statistics and
 * the live signal table, all updated in place as frames arrive.
 *
 * The frame path (evgw_bus_dispatch) allocates nothing: the id table and
 * the signal table are sized when the bus is set up. */
#ifndef EVGW_BUS_BUS_H
#define EVGW_BUS_BUS_H

#include <stdbool.h>
#include <stdint.h>

#include "can/can_error.h"
#include "bus/bus_integrity.h"
#include "can/frame.h"
#include "dbc/dbc.h"
#include "dbc/dbc_decode.h"
#include "drivers/driver.h"
#include "loop/loop.h"

#define EVGW_BUS_BATCH 256        /* frames read from a driver at once */
#define EVGW_BUS_MAX_IDS 4096     /* distinct ids tracked per bus */
#define EVGW_BUS_MAX_DBC 64       /* as many as the config allows */
#define EVGW_BUS_MAX_LISTENERS 64
#define EVGW_BUS_MAX_FDS 8

/* The latest value of one signal. */
struct evgw_sig_slot {
	uint64_t raw;
	double phys;
	int64_t ts_us;    /* wall clock of the frame */
	uint64_t seq;     /* bus frame counter at the update; 0 = never seen */
	int16_t sa;       /* J1939 source address of the last update, or -1 */
	uint32_t fault;   /* 1 + index in bus->faults when a fault source, else 0 */
};

/* Statistics of one CAN id on this bus. */
struct evgw_id_stats {
	uint32_t key;     /* id | 0x80000000 for extended; 0xFFFFFFFF = free */
	uint64_t count;
	int64_t first_us, last_us;  /* monotonic */
	int64_t period_us;          /* smoothed interval between frames */
	const struct dbc_message *msg; /* NULL: no DBC describes it */
	uint32_t sig_base;          /* msg's first slot in the signal table */
	uint8_t db;                 /* which DBC file */
	bool missing;               /* known cycle time, not seen for 3 cycles */
	struct evgw_integrity_state integ; /* checksum/counter errors (bus_integrity.h) */
};

struct evgw_bus;

/* Called for every frame after decoding (frame subscribers, recorder);
 * with tx set, also for every frame evgw sends (flag EVGW_FRAME_TX), so a
 * recording or a frames subscription shows both sides of a request. */
struct evgw_frame_listener {
	void (*fn)(void *ud, struct evgw_bus *bus, const struct evgw_frame *f);
	void *ud;
	bool tx;
};

struct evgw_sig_fault;

/* Called when a DBC fault signal turns active or inactive. */
typedef void (*evgw_bus_fault_fn)(void *ud, struct evgw_bus *bus, const struct evgw_frame *f,
				  const struct dbc_message *msg, unsigned db, const struct dbc_signal *sig,
				  const struct evgw_sig_fault *sf);

/* Called when the bus state changes (bus events). */
typedef void (*evgw_bus_state_fn)(void *ud, struct evgw_bus *bus, enum evgw_bus_state old_state);
/* Called with each new error text of the driver (evgw_bus_status.error),
 * before the state change it may bring. */
typedef void (*evgw_bus_error_fn)(void *ud, struct evgw_bus *bus, const char *text);

struct evgw_bus {
	char *name;
	uint8_t index;                    /* position among the daemon's buses */
	const struct evgw_driver_ops *ops;
	void *drv;                        /* driver state */
	struct evgw_bus_params params;
	struct evgw_io io[EVGW_BUS_MAX_FDS];
	int n_io;
	enum evgw_bus_state state;
	struct evgw_bus_status drv_status;

	struct dbc_db *dbs[EVGW_BUS_MAX_DBC];
	unsigned n_dbs;
	uint32_t *msg_base[EVGW_BUS_MAX_DBC]; /* per db: message index -> first slot */
	struct evgw_sig_slot *slots;
	uint32_t n_slots;
	struct dbc_value *values;         /* decode scratch, max signals per message */

	struct evgw_id_stats *ids;        /* open addressing, EVGW_BUS_MAX_IDS * 2 */
	uint32_t n_ids;
	uint64_t ids_dropped;             /* frames of ids beyond the table */

	uint64_t rx_frames, tx_frames, rx_decoded, rx_unknown, rx_error_frames;
	struct evgw_can_errstate errs;    /* what the error frames said */
	uint64_t seq;                     /* frames dispatched, for slot freshness */
	double fps;                       /* frames per second, smoothed */
	uint64_t fps_last_count;
	int64_t fps_last_us;
	int64_t opened_us;
	uint64_t polled_round;            /* the loop round of the last read */
	int64_t busy_us;                  /* when the last read found frames */

	struct evgw_frame batch[EVGW_BUS_BATCH];
	struct evgw_frame_listener listeners[EVGW_BUS_MAX_LISTENERS];
	unsigned n_listeners;
	evgw_bus_state_fn on_state;
	evgw_bus_error_fn on_driver_error;
	void *on_state_ud;                /* for both */
	struct evgw_sig_fault *faults;    /* the DBC fault signals */
	uint32_t n_faults;
	evgw_bus_fault_fn on_fault;
	void *on_fault_ud;
	struct evgw_bus_integrity *integrity; /* checksum/counter plans, NULL if none */
};

/* Set up a bus from its parameters and DBC files (already loaded; the bus
 * takes ownership of dbs). Returns 0 or negative errno with err filled. */
int evgw_bus_create(const struct evgw_bus_params *p, struct dbc_db **dbs, unsigned n_dbs,
		    struct evgw_bus **out, struct evgw_driver_err *err);
/* Open the driver and register its fds with the loop. */
int evgw_bus_start(struct evgw_loop *loop, struct evgw_bus *bus, struct evgw_driver_err *err);
/* Unregister and close the driver (the bus keeps its tables). */
void evgw_bus_stop(struct evgw_loop *loop, struct evgw_bus *bus);
void evgw_bus_free(struct evgw_bus *bus);

/* Read from the driver until it has nothing more (or a batch limit) and
 * dispatch every frame. Returns frames dispatched or negative errno. */
int evgw_bus_poll(struct evgw_bus *bus);
/* The per-frame path: statistics, decode, signal table, listeners. */
void evgw_bus_dispatch(struct evgw_bus *bus, const struct evgw_frame *f, int64_t now_mono_us);
/* Periodic work (about 10 Hz): frames per second, "missing" messages,
 * driver status. */
void evgw_bus_tick(struct evgw_bus *bus, int64_t now_mono_us);
void evgw_bus_set_state(struct evgw_bus *bus, enum evgw_bus_state s);

int evgw_bus_add_listener(struct evgw_bus *bus, const struct evgw_frame_listener *l);
void evgw_bus_remove_listener(struct evgw_bus *bus, void *ud);

/* Transmit (diagnostic mode only): -EPERM on a listen-only bus. */
int evgw_bus_send(struct evgw_bus *bus, const struct evgw_frame *f);

/* Call fn for every signal of the bus's DBC files, with its slot; stops
 * early (and returns it) when fn returns non-zero. */
typedef int (*evgw_bus_signal_fn)(void *ud, struct evgw_bus *bus, unsigned db,
				  const struct dbc_message *msg, const struct dbc_signal *sig,
				  struct evgw_sig_slot *slot);
int evgw_bus_for_each_signal(struct evgw_bus *bus, evgw_bus_signal_fn fn, void *ud);

/* The slot of a signal (sig belongs to message msg of DBC number db). */
static inline struct evgw_sig_slot *evgw_bus_slot(struct evgw_bus *bus, unsigned db,
						  const struct dbc_message *msg,
						  const struct dbc_signal *sig)
{
	return &bus->slots[bus->msg_base[db][msg->index] + sig->index];
}

#endif
