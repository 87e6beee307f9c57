// SPDX-License-Identifier: MIT
/* The `gsusb` driver: candleLight / CANable / CANtact (gs_usb protocol)
 * adapters driven from userspace through libusb-1.0, for machines whose
 * kernel cannot (no module, an unknown VID:PID) or where listen-only,
 * hardware timestamps and several channels are wanted without root.
 *
 * device = [VID:PID][@SERIAL][#CHANNEL] (drivers/usb_spec.h). The adapter is
 * opened once (drivers/usb_dev.h) and each configured channel is a bus.
 * Bring-up follows adapters.md §1.7 (mirroring linux gs_usb.c@0024675
 * gs_usb_probe / gs_can_open / gs_can_close): HOST_FORMAT, DEVICE_CONFIG,
 * then per channel BT_CONST (+ BT_CONST_EXT), BITTIMING (+ DATA_BITTIMING),
 * MODE START; MODE RESET on close.
 *
 * Frames: one host frame per bulk transfer (§1.5). GSUSB_RX_TRANSFERS bulk
 * IN transfers stay queued and are resubmitted from their completion
 * callbacks, which libusb runs inside recv (zero-timeout event handling);
 * each frame goes to its channel's ring. That is two usbfs system calls
 * per frame (reap, resubmit), so while frames stream the core reads every
 * GSUSB_BATCH_US rather than on each completion (driver.h batch_us), with
 * enough transfers queued to hold what a saturated bus sends meanwhile.
 * A sent frame holds one of the
 * channel's ten echo ids until the device echoes it back (§1.6): that echo
 * is the confirmation; echoes are not delivered as received frames.
 * Control requests are synchronous with a bounded timeout at open, close
 * and on bitrate/mode changes; the one asked while running, GET_STATE at
 * the status tick, is asynchronous. */
#include <errno.h>
#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "can/can_error.h"
#include "drivers/driver.h"
#include "drivers/drivers_builtin.h"
#include "drivers/gsusb_proto.h"
#include "drivers/usb_clock.h"
#include "drivers/usb_dev.h"
#include "drivers/usb_ring.h"
#include "drivers/usb_spec.h"
#include "loop/loop.h"

/* The kernel queues 30 (§1.6); 1 Mbit/s is at most ~20 frames per ms. */
#define GSUSB_RX_TRANSFERS 32
#define GSUSB_BATCH_US 1000
#define GSUSB_CTRL_TIMEOUT_MS 1000 /* the kernel's (§1.3) */
#define GSUSB_CLOSE_TIMEOUT_MS 200 /* MODE RESET on close: a dying adapter must not hold us */
/* An adapter that stops reading frees the echo id, and the frame is dropped
 * before the UDS client's P2 (150 ms, daemon/ecu_requests.c) says timeout: a request
 * never reaches the bus after its caller was told it failed. */
#define GSUSB_TX_TIMEOUT_MS 100
#define GSUSB_WAIT_MS 500          /* for cancelled transfers to come back */
#define GSUSB_DEFAULT_BITRATE 500000
#define GSUSB_CHANNELS_MAX 8       /* the kernel takes 3; ours is only a sanity bound */
#define GSUSB_MAX_FDS 8

/* adapters.md §1.1 (linux gs_usb.c gs_usb_table, CANnectivity rules). */
static const struct evgw_usb_id gsusb_ids[] = {
	{0x1d50, 0x606f}, /* candleLight, CANable, CANtact, GS USB2CAN */
	{0x1209, 0x2323}, /* candleLight (pid.codes) */
	{0x1cd2, 0x606f}, /* CES CANext FD */
	{0x16d0, 0x10b8}, /* ABE CANdebugger FD */
	{0x16d0, 0x0f30}, /* Xylanta SAINT3 */
	{0x1209, 0xca01}, /* CANnectivity */
};

struct gsusb_dev;

struct gsusb_chan {
	struct gsusb_dev *g;
	uint8_t index;
	bool open;       /* a bus holds it */
	bool started;    /* MODE START acknowledged */
	bool ts;         /* frames carry hardware timestamps */
	bool fd;         /* CAN FD mode */
	struct gsusb_bt_const btc;
	struct gsusb_echo echo;
	uint16_t tx_out; /* bit i: the transfer of echo id i is submitted */
	unsigned in_flight;  /* TX transfers and GET_STATE submitted */
	struct libusb_transfer *tx[GSUSB_MAX_ECHO];
	uint8_t tx_buf[GSUSB_MAX_ECHO][GSUSB_FRAME_MAX];
	struct evgw_bus_status st;
	uint64_t usb_errors; /* transfers that failed (not frames on the bus) */
	uint64_t tx_dropped; /* frames whose write failed: they never reached the adapter */
	struct libusb_transfer *state_xfer; /* GET_STATE, asked at the status tick */
	bool state_pending;
	uint8_t state_buf[LIBUSB_CONTROL_SETUP_SIZE + GSUSB_STATE_SIZE];
	struct evgw_usb_ring ring;
	struct evgw_usb_clock clock;
};

struct gsusb_dev {
	struct evgw_usb_dev *usb;
	struct gsusb_device_config cfg;
	unsigned n_chan;
	struct gsusb_chan ch[GSUSB_CHANNELS_MAX];
	struct libusb_transfer *rx[GSUSB_RX_TRANSFERS];
	bool rx_active[GSUSB_RX_TRANSFERS];
	unsigned rx_in_flight;
	size_t rx_len;
	bool streaming;
	bool closing;
	bool stalled;        /* bulk IN stalled: clear it and resubmit from recv */
	bool leaked;         /* transfers that never came back: not freed */
	int64_t now_us;      /* wall clock of this round of events; 0: read it per frame */
	uint64_t bad_frames; /* transfers no frame could be read from */
};

/* One bus = one channel. */
struct gsusb_bus {
	struct gsusb_dev *g;
	struct gsusb_chan *c;
	struct evgw_driver_fd fds[GSUSB_MAX_FDS]; /* dup()s of libusb's fds */
	int n_fds;
	uint32_t bitrate, data_bitrate;           /* as last applied */
	bool listen_only;
};


static const char *usb_strerror(int neg_errno)
{
	return neg_errno == -EPIPE ? "request refused (stall)" : strerror(-neg_errno);
}

static void mark_gone(struct gsusb_dev *g)
{
	if (g->usb->gone)
		return;
	evgw_usb_dev_mark_gone(g->usb);
	for (unsigned i = 0; i < g->n_chan; i++)
		if (g->ch[i].open)
			evgw_usb_ring_wake(&g->ch[i].ring);
}

/* Vendor requests to the interface (§1.3); 0 or -errno. */
static int ctrl_out(struct gsusb_dev *g, uint8_t req, uint16_t value, uint16_t index,
		    const uint8_t *data, uint16_t len, unsigned timeout)
{
	int r = libusb_control_transfer(g->usb->h, GSUSB_RT_OUT, req, value, index,
					(unsigned char *)data, len, timeout);
	if (r == LIBUSB_ERROR_NO_DEVICE)
		mark_gone(g);
	return r < 0 ? evgw_usb_errno(r) : r == len ? 0 : -EPROTO;
}

static int ctrl_in(struct gsusb_dev *g, uint8_t req, uint16_t value, uint16_t index,
		   uint8_t *data, uint16_t len)
{
	int r = libusb_control_transfer(g->usb->h, GSUSB_RT_IN, req, value, index, data, len,
					GSUSB_CTRL_TIMEOUT_MS);
	if (r == LIBUSB_ERROR_NO_DEVICE)
		mark_gone(g);
	return r < 0 ? evgw_usb_errno(r) : r;
}

/* One bulk IN transfer's worth of bytes: a host frame, maybe padded. */
static void handle_in(struct gsusb_dev *g, const uint8_t *buf, size_t len, int64_t now)
{
	if (len < GSUSB_FRAME_HDR || buf[9] >= g->n_chan) {
		g->bad_frames++; /* short, or a channel the adapter does not have */
		return;
	}
	struct gsusb_chan *c = &g->ch[buf[9]];
	struct gsusb_host_frame h;
	if (gsusb_frame_decode(buf, len, c->ts, &h) < 0) {
		g->bad_frames++;
		return;
	}
	if (h.echo_id != GSUSB_ECHO_RX) {
		/* Our own frame, sent: confirmed. Unknown ids are dropped as the kernel does. */
		gsusb_echo_done(&c->echo, h.echo_id);
		return;
	}
	struct evgw_frame f;
	if (gsusb_frame_to_evgw(&h, &f) < 0) {
		g->bad_frames++;
		return;
	}
	if (!c->open)
		return;
	f.ts_us = c->ts ? evgw_usb_clock_map(&c->clock, h.ts_us, now) : now;
	/* The overflow flag becomes the error frame the kernel makes of it
	 * (§1.6: CAN_ERR_CRTL, data[1] CAN_ERR_CRTL_RX_OVERFLOW), ahead of the
	 * frame; the core counts it. Error frames themselves need nothing
	 * here: the core folds them into the bus state (can/can_error.h). */
	if (h.flags & GSUSB_FLAG_OVERFLOW) {
		struct evgw_frame *e = evgw_usb_ring_slot(&c->ring);
		if (e) {
			*e = (struct evgw_frame){.id = EVGW_CAN_ERR_CRTL, .flags = EVGW_FRAME_ERR,
						 .len = 8, .dlc = 8, .ts_us = f.ts_us};
			e->data[1] = EVGW_CAN_ERR_CRTL_RX_OVERFLOW;
			evgw_usb_ring_commit(&c->ring);
		}
	}
	struct evgw_frame *slot = evgw_usb_ring_slot(&c->ring);
	if (!slot)
		return;
	*slot = f;
	evgw_usb_ring_commit(&c->ring);
}

static int rx_index(struct gsusb_dev *g, const struct libusb_transfer *t)
{
	for (int i = 0; i < GSUSB_RX_TRANSFERS; i++)
		if (g->rx[i] == t)
			return i;
	return 0;
}

static void rx_done(struct gsusb_dev *g, int i)
{
	g->rx_active[i] = false;
	g->rx_in_flight--;
}

static void LIBUSB_CALL rx_cb(struct libusb_transfer *t)
{
	struct gsusb_dev *g = t->user_data;
	int i = rx_index(g, t);
	switch (t->status) {
	case LIBUSB_TRANSFER_COMPLETED:
		handle_in(g, t->buffer, (size_t)t->actual_length,
			  g->now_us ? g->now_us : evgw_now_real_us());
		break;
	case LIBUSB_TRANSFER_NO_DEVICE:
		mark_gone(g);
		rx_done(g, i);
		return;
	case LIBUSB_TRANSFER_CANCELLED:
		rx_done(g, i);
		return;
	case LIBUSB_TRANSFER_STALL:
		/* Clearing the halt is a control request: not from a callback. */
		g->stalled = true;
		rx_done(g, i);
		return;
	default: /* ERROR, OVERFLOW (more than a frame), TIMED_OUT */
		g->bad_frames++;
		break;
	}
	if (g->closing || g->usb->gone) {
		rx_done(g, i);
		return;
	}
	int r = libusb_submit_transfer(t);
	if (r != 0) {
		rx_done(g, i);
		if (r == LIBUSB_ERROR_NO_DEVICE)
			mark_gone(g);
	}
}

static int rx_submit_idle(struct gsusb_dev *g)
{
	for (int i = 0; i < GSUSB_RX_TRANSFERS; i++) {
		if (g->rx_active[i])
			continue;
		int r = libusb_submit_transfer(g->rx[i]);
		if (r != 0) {
			if (r == LIBUSB_ERROR_NO_DEVICE)
				mark_gone(g);
			return evgw_usb_errno(r);
		}
		g->rx_active[i] = true;
		g->rx_in_flight++;
	}
	return 0;
}

static int rx_start(struct gsusb_dev *g)
{
	/* A whole number of packets, room for the largest frame and a pad byte. */
	size_t mps = g->usb->mps_in ? g->usb->mps_in : 64;
	g->rx_len = (GSUSB_FRAME_MAX + 1 + mps - 1) / mps * mps;
	for (int i = 0; i < GSUSB_RX_TRANSFERS; i++) {
		if (!g->rx[i]) {
			g->rx[i] = libusb_alloc_transfer(0);
			uint8_t *buf = malloc(g->rx_len);
			if (!g->rx[i] || !buf) {
				free(buf);
				return -ENOMEM;
			}
			libusb_fill_bulk_transfer(g->rx[i], g->usb->h, g->usb->ep_in, buf,
						  (int)g->rx_len, rx_cb, g, 0);
			g->rx[i]->flags = LIBUSB_TRANSFER_FREE_BUFFER;
		}
	}
	g->streaming = true;
	return rx_submit_idle(g);
}

static void gsusb_dev_free(struct evgw_usb_dev *usb)
{
	struct gsusb_dev *g = usb->proto;
	if (!g)
		return;
	g->closing = true;
	for (int i = 0; i < GSUSB_RX_TRANSFERS; i++)
		if (g->rx_active[i])
			libusb_cancel_transfer(g->rx[i]);
	if (evgw_usb_dev_wait(usb, &g->rx_in_flight, GSUSB_WAIT_MS) < 0)
		g->leaked = true;
	for (int i = 0; i < GSUSB_RX_TRANSFERS && !g->leaked; i++)
		libusb_free_transfer(g->rx[i]);
	usb->proto = NULL;
	/* Still-flying transfers point at g: keep it rather than free under them. */
	if (!g->leaked)
		free(g);
}

static int dev_setup(struct gsusb_dev *g, struct evgw_driver_err *err)
{
	uint8_t fmt[4] = {0xef, 0xbe, 0x00, 0x00}; /* 0x0000beef, LE (§1.3) */
	uint16_t iface = (uint16_t)g->usb->iface;
	int r = ctrl_out(g, GSUSB_REQ_HOST_FORMAT, 1, iface, fmt, sizeof fmt, GSUSB_CTRL_TIMEOUT_MS);
	if (r < 0) {
		evgw_driver_set_err(err, "HOST_FORMAT: %s", usb_strerror(r));
		return r;
	}
	uint8_t buf[GSUSB_DEVICE_CONFIG_SIZE];
	r = ctrl_in(g, GSUSB_REQ_DEVICE_CONFIG, 1, iface, buf, sizeof buf);
	if (r >= 0 && gsusb_device_config_decode(buf, (size_t)r, &g->cfg) < 0)
		r = -EPROTO;
	if (r < 0) {
		evgw_driver_set_err(err, "DEVICE_CONFIG: %s", usb_strerror(r));
		return r;
	}
	g->n_chan = (unsigned)g->cfg.icount + 1;
	if (g->n_chan > GSUSB_CHANNELS_MAX) {
		evgw_driver_set_err(err, "the adapter reports %u channels", g->n_chan);
		return -EPROTO;
	}
	for (unsigned i = 0; i < g->n_chan; i++) {
		g->ch[i].g = g;
		g->ch[i].index = (uint8_t)i;
	}
	return 0;
}

static int read_bt_const(struct gsusb_chan *c, bool want_fd, struct evgw_driver_err *err)
{
	uint8_t buf[GSUSB_BT_CONST_EXT_SIZE];
	int r = ctrl_in(c->g, GSUSB_REQ_BT_CONST, c->index, 0, buf, GSUSB_BT_CONST_SIZE);
	if (r >= 0 && gsusb_bt_const_decode(buf, (size_t)r, &c->btc) < 0)
		r = -EPROTO;
	if (r < 0) {
		evgw_driver_set_err(err, "BT_CONST: %s", usb_strerror(r));
		return r;
	}
	if (!want_fd)
		return 0;
	if (!(c->btc.feature & GSUSB_FEAT_FD)) {
		evgw_driver_set_err(err, "the adapter has no CAN FD (data_bitrate is set)");
		return -EOPNOTSUPP;
	}
	if (!(c->btc.feature & GSUSB_FEAT_BT_CONST_EXT)) {
		c->btc.data = c->btc.nominal; /* no separate data-phase limits */
		return 0;
	}
	r = ctrl_in(c->g, GSUSB_REQ_BT_CONST_EXT, c->index, 0, buf, sizeof buf);
	if (r >= 0 && (r < (int)GSUSB_BT_CONST_EXT_SIZE ||
		       gsusb_bt_const_decode(buf, (size_t)r, &c->btc) < 0))
		r = -EPROTO;
	if (r < 0)
		evgw_driver_set_err(err, "BT_CONST_EXT: %s", usb_strerror(r));
	return r < 0 ? r : 0;
}

static int send_timing(struct gsusb_chan *c, uint8_t req, const struct evgw_bt_limits *lim,
		       uint32_t rate, const char *what, struct evgw_driver_err *err)
{
	struct evgw_bittiming bt;
	int r = evgw_bt_calc(c->btc.fclk_can, lim, rate, 0, &bt);
	if (r < 0) {
		evgw_driver_set_err(err, "%s %u bit/s cannot be reached within 5%% with a %u Hz clock",
				    what, rate, c->btc.fclk_can);
		return r;
	}
	uint8_t buf[GSUSB_BITTIMING_SIZE];
	gsusb_bittiming_encode(&bt, buf);
	r = ctrl_out(c->g, req, c->index, 0, buf, sizeof buf, GSUSB_CTRL_TIMEOUT_MS);
	if (r < 0)
		evgw_driver_set_err(err, "setting the %s (%u bit/s): %s", what, rate, usb_strerror(r));
	return r;
}

static int set_mode(struct gsusb_chan *c, uint32_t mode, uint32_t flags, unsigned timeout)
{
	uint8_t buf[GSUSB_MODE_SIZE];
	gsusb_mode_encode(mode, flags, buf);
	return ctrl_out(c->g, GSUSB_REQ_MODE, c->index, 0, buf, sizeof buf, timeout);
}

/* (Re)start a channel: stop, timing, start with the wanted flags. */
static int chan_start(struct gsusb_chan *c, uint32_t bitrate, uint32_t data_bitrate,
		      bool listen_only, struct evgw_driver_err *err)
{
	int r = read_bt_const(c, data_bitrate > 0, err);
	if (r < 0)
		return r;
	uint32_t flags = 0;
	if (listen_only) {
		if (!(c->btc.feature & GSUSB_FEAT_LISTEN_ONLY)) {
			evgw_driver_set_err(err, "the adapter cannot listen without acknowledging (no "
				"listen-only mode); set mode = diagnostic to use it");
			return -EOPNOTSUPP;
		}
		flags |= GSUSB_FEAT_LISTEN_ONLY;
	}
	if (c->btc.feature & GSUSB_FEAT_HW_TIMESTAMP)
		flags |= GSUSB_FEAT_HW_TIMESTAMP;
	if (data_bitrate)
		flags |= GSUSB_FEAT_FD;
	/* A channel left running (by a crashed program) refuses new timing. */
	c->started = false;
	if ((r = set_mode(c, GSUSB_MODE_RESET, 0, GSUSB_CTRL_TIMEOUT_MS)) < 0) {
		evgw_driver_set_err(err, "MODE reset: %s", usb_strerror(r));
		return r;
	}
	c->echo.busy = 0; /* a reset adapter echoes nothing more */
	if ((r = send_timing(c, GSUSB_REQ_BITTIMING, &c->btc.nominal,
			     bitrate ? bitrate : GSUSB_DEFAULT_BITRATE, "bitrate", err)) < 0)
		return r;
	if (data_bitrate && (r = send_timing(c, GSUSB_REQ_DATA_BITTIMING, &c->btc.data, data_bitrate,
					     "data bitrate", err)) < 0)
		return r;
	c->ts = flags & GSUSB_FEAT_HW_TIMESTAMP;
	c->fd = data_bitrate > 0;
	evgw_usb_clock_init(&c->clock, 1);
	if ((r = set_mode(c, GSUSB_MODE_START, flags, GSUSB_CTRL_TIMEOUT_MS)) < 0) {
		evgw_driver_set_err(err, "MODE start: %s", usb_strerror(r));
		return r;
	}
	c->started = true;
	c->st.state = EVGW_BUS_ACTIVE;
	return 0;
}

/* §1.3 SET_TERMINATION: wValue the channel, a u32 0 off / 1 on. */
static int set_termination(struct gsusb_chan *c, bool on, struct evgw_driver_err *err)
{
	if (!(c->btc.feature & GSUSB_FEAT_TERMINATION)) {
		evgw_driver_set_err(err, "the adapter cannot switch its terminating resistor; "
			"remove termination = %s", on ? "on" : "off");
		return -EOPNOTSUPP;
	}
	uint8_t buf[4] = {on ? 1 : 0, 0, 0, 0};
	int r = ctrl_out(c->g, GSUSB_REQ_SET_TERMINATION, c->index, 0, buf, sizeof buf,
			 GSUSB_CTRL_TIMEOUT_MS);
	if (r < 0)
		evgw_driver_set_err(err, "SET_TERMINATION: %s", usb_strerror(r));
	return r;
}

static int tx_index(const struct gsusb_chan *c, const struct libusb_transfer *t)
{
	for (int i = 0; i < (int)GSUSB_MAX_ECHO; i++)
		if (c->tx[i] == t)
			return i;
	return 0;
}

static void LIBUSB_CALL tx_cb(struct libusb_transfer *t)
{
	struct gsusb_chan *c = t->user_data;
	int i = tx_index(c, t);
	c->tx_out &= (uint16_t) ~(1u << i);
	c->in_flight--;
	if (t->status == LIBUSB_TRANSFER_COMPLETED && t->actual_length == t->length)
		return; /* the echo id stays taken until the echo comes back */
	gsusb_echo_release(&c->echo, (uint32_t)i);
	if (t->status != LIBUSB_TRANSFER_CANCELLED)
		c->tx_dropped++;
	if (t->status == LIBUSB_TRANSFER_NO_DEVICE)
		mark_gone(c->g);
	else if (t->status != LIBUSB_TRANSFER_CANCELLED)
		c->usb_errors++;
}

/* GET_STATE's answer (§1.3 {state, rxerr, txerr}, the kernel's can_state
 * numbering): the controller's state and error counters, which error
 * frames alone do not give. Closing waits for it with the TX transfers. */
static void LIBUSB_CALL state_cb(struct libusb_transfer *t)
{
	static const enum evgw_bus_state states[] = {EVGW_BUS_ACTIVE, EVGW_BUS_WARNING,
						     EVGW_BUS_PASSIVE, EVGW_BUS_OFF};
	struct gsusb_chan *c = t->user_data;
	struct gsusb_state s;
	c->in_flight--;
	c->state_pending = false;
	if (t->status == LIBUSB_TRANSFER_STALL) {
		c->btc.feature &= ~GSUSB_FEAT_GET_STATE; /* offered but refused: stop asking */
		return;
	}
	if (t->status != LIBUSB_TRANSFER_COMPLETED) {
		if (t->status == LIBUSB_TRANSFER_NO_DEVICE)
			mark_gone(c->g);
		else if (t->status != LIBUSB_TRANSFER_CANCELLED)
			c->usb_errors++;
		return;
	}
	if (gsusb_state_decode(libusb_control_transfer_get_data(t), (size_t)t->actual_length, &s) < 0) {
		c->usb_errors++;
		return;
	}
	if (c->started && s.state < sizeof states / sizeof states[0])
		c->st.state = states[s.state]; /* stopped or sleeping: as the driver knows it */
	c->st.rx_errors = s.rxerr;
	c->st.tx_errors = s.txerr;
}

static void state_ask(struct gsusb_chan *c)
{
	if (!(c->btc.feature & GSUSB_FEAT_GET_STATE) || !c->started || c->state_pending ||
	    c->g->usb->gone || c->g->closing)
		return;
	if (!c->state_xfer && !(c->state_xfer = libusb_alloc_transfer(0)))
		return; /* asked again at the next tick */
	libusb_fill_control_setup(c->state_buf, GSUSB_RT_IN, GSUSB_REQ_GET_STATE, c->index, 0,
				  GSUSB_STATE_SIZE);
	libusb_fill_control_transfer(c->state_xfer, c->g->usb->h, c->state_buf, state_cb, c,
				     GSUSB_CTRL_TIMEOUT_MS);
	int r = libusb_submit_transfer(c->state_xfer);
	if (r == 0) {
		c->state_pending = true;
		c->in_flight++;
	} else if (r == LIBUSB_ERROR_NO_DEVICE) {
		mark_gone(c->g);
	}
}

static void chan_release(struct gsusb_chan *c, struct evgw_usb_dev *usb)
{
	for (unsigned i = 0; i < GSUSB_MAX_ECHO; i++)
		if (c->tx_out & (1u << i))
			libusb_cancel_transfer(c->tx[i]);
	if (c->state_pending)
		libusb_cancel_transfer(c->state_xfer);
	bool stuck = evgw_usb_dev_wait(usb, &c->in_flight, GSUSB_WAIT_MS) < 0;
	for (unsigned i = 0; i < GSUSB_MAX_ECHO; i++) {
		if (!stuck)
			libusb_free_transfer(c->tx[i]);
		c->tx[i] = NULL;
	}
	if (!stuck)
		libusb_free_transfer(c->state_xfer);
	c->state_xfer = NULL;
	c->state_pending = false;
	if (stuck)
		c->g->leaked = true;
	evgw_usb_ring_free(&c->ring);
	c->open = c->started = false;
	c->echo = (struct gsusb_echo){0};
	c->tx_out = 0;
}

static void gsusb_close(void *state)
{
	struct gsusb_bus *b = state;
	if (!b)
		return;
	evgw_usb_fds_close(b->fds, b->n_fds);
	if (b->c) {
		if (b->c->started && !b->g->usb->gone)
			set_mode(b->c, GSUSB_MODE_RESET, 0, GSUSB_CLOSE_TIMEOUT_MS);
		chan_release(b->c, b->g->usb);
	}
	if (b->g)
		evgw_usb_dev_put(b->g->usb);
	free(b);
}

static int chan_open(struct gsusb_bus *b, unsigned index, const struct evgw_bus_params *p,
		     struct evgw_driver_err *err)
{
	struct gsusb_dev *g = b->g;
	if (index >= g->n_chan) {
		evgw_driver_set_err(err, "the adapter has %u channel%s, #%u asked for", g->n_chan,
			g->n_chan == 1 ? "" : "s", index);
		return -EINVAL;
	}
	struct gsusb_chan *c = &g->ch[index];
	if (c->open) {
		evgw_driver_set_err(err, "channel #%u is used by another bus", index);
		return -EBUSY;
	}
	int r = evgw_usb_ring_init(&c->ring);
	if (r < 0) {
		evgw_driver_set_err(err, "%s", strerror(-r));
		return r;
	}
	c->open = true;
	b->c = c;
	c->st = (struct evgw_bus_status){.state = EVGW_BUS_DOWN};
	c->usb_errors = c->tx_dropped = 0;
	for (unsigned i = 0; i < GSUSB_MAX_ECHO; i++) {
		c->tx[i] = libusb_alloc_transfer(0);
		if (!c->tx[i]) {
			evgw_driver_set_err(err, "%s", strerror(ENOMEM));
			return -ENOMEM;
		}
	}
	r = chan_start(c, p->bitrate, p->data_bitrate, p->listen_only, err);
	if (r == 0 && p->termination >= 0)
		r = set_termination(c, p->termination > 0, err);
	return r;
}

static int gsusb_open(const struct evgw_bus_params *p, void **state, struct evgw_driver_err *err)
{
	struct evgw_usb_spec spec;
	void *mem;
	int r = evgw_usb_bus_new("gsusb", p->device, sizeof(struct gsusb_bus), &spec, &mem, err);
	if (r < 0)
		return r;
	struct gsusb_bus *b = mem;
	const struct evgw_usb_match m = {
		.kind = "gsusb", .ids = gsusb_ids, .n_ids = sizeof gsusb_ids / sizeof gsusb_ids[0],
		.iface = 0, /* the kernel matches interface 0 only (§1.1) */
	};
	struct evgw_usb_dev *usb;
	bool fresh;
	struct evgw_driver_err e = {""};
	r = evgw_usb_dev_get_proto(p->usb_hub, &spec, &m, sizeof(struct gsusb_dev), gsusb_dev_free,
				   &usb, &fresh, err);
	if (r < 0) {
		free(b);
		return r;
	}
	b->g = usb->proto;
	if ((fresh && (r = dev_setup(b->g, &e)) < 0) ||
	    (r = chan_open(b, spec.channel, p, &e)) < 0 ||
	    (!b->g->streaming && (r = rx_start(b->g)) < 0)) {
		if (!e.msg[0])
			snprintf(e.msg, sizeof e.msg, "%s", strerror(-r));
		goto fail;
	}
	r = evgw_usb_dev_dup_fds(usb, b->fds, GSUSB_MAX_FDS - 1);
	if (r < 0) {
		snprintf(e.msg, sizeof e.msg, "cannot poll libusb: %s", strerror(-r));
		goto fail;
	}
	b->n_fds = r;
	b->bitrate = p->bitrate;
	b->data_bitrate = p->data_bitrate;
	b->listen_only = p->listen_only;
	*state = b;
	return 0;
fail:
	evgw_driver_set_err(err, "gsusb %04x:%04x%s%s #%u: %s", usb->vid, usb->pid,
			    usb->serial[0] ? " " : "", usb->serial, spec.channel, e.msg);
	if (usb->gone)
		r = -ENODEV;
	gsusb_close(b);
	return r;
}

static int gsusb_fds(void *state, struct evgw_driver_fd *fds, int max)
{
	struct gsusb_bus *b = state;
	int n = 0;
	for (int i = 0; i < b->n_fds && n < max; i++)
		fds[n++] = b->fds[i];
	if (n < max) {
		fds[n].fd = b->c->ring.wake_fd;
		fds[n++].events = EPOLLIN;
	}
	return n;
}

static int gsusb_recv(void *state, struct evgw_frame *frames, unsigned max)
{
	struct gsusb_bus *b = state;
	struct gsusb_dev *g = b->g;
	if (!g->usb->gone) {
		evgw_usb_ring_hold(&b->c->ring); /* read just below */
		/* One clock read for all the transfers this round completes. */
		g->now_us = evgw_now_real_us();
		evgw_usb_dev_events(g->usb);
		g->now_us = 0;
		evgw_usb_ring_release(&b->c->ring);
	}
	if (g->stalled && !g->usb->gone && !g->closing) {
		g->stalled = false;
		int r = libusb_clear_halt(g->usb->h, g->usb->ep_in);
		if (r == LIBUSB_ERROR_NO_DEVICE)
			mark_gone(g);
		else if (r == 0)
			rx_submit_idle(g);
	}
	unsigned n = evgw_usb_ring_take(&b->c->ring, frames, max);
	if (n > 0)
		return (int)n;
	/* Every receive transfer lost (errors on resubmit): as good as unplugged. */
	if (g->usb->gone || (g->streaming && g->rx_in_flight == 0 && !g->stalled))
		return -ENODEV;
	return 0;
}

static int gsusb_send(void *state, const struct evgw_frame *f)
{
	struct gsusb_bus *b = state;
	struct gsusb_chan *c = b->c;
	if (b->g->usb->gone)
		return -ENODEV;
	if (!c->started)
		return -ENETDOWN;
	int id = gsusb_echo_take(&c->echo, c->tx_out);
	if (id < 0)
		return id; /* ten frames unconfirmed: the bus is not taking them */
	struct gsusb_host_frame h;
	int r = gsusb_frame_from_evgw(f, c->fd, c->index, (uint32_t)id, &h);
	int n = r < 0 ? r : gsusb_frame_encode(&h, c->tx_buf[id], sizeof c->tx_buf[id]);
	if (n < 0) {
		gsusb_echo_release(&c->echo, (uint32_t)id);
		return n;
	}
	libusb_fill_bulk_transfer(c->tx[id], b->g->usb->h, b->g->usb->ep_out, c->tx_buf[id], n,
				  tx_cb, c, GSUSB_TX_TIMEOUT_MS);
	r = libusb_submit_transfer(c->tx[id]);
	if (r != 0) {
		gsusb_echo_release(&c->echo, (uint32_t)id);
		if (r == LIBUSB_ERROR_NO_DEVICE)
			mark_gone(b->g);
		return evgw_usb_errno(r);
	}
	c->tx_out |= (uint16_t)(1u << id);
	c->in_flight++;
	return 0;
}

/* Restart the channel with new settings; remembered only when they took. */
static int gsusb_restart(struct gsusb_bus *b, uint32_t bitrate, uint32_t data_bitrate,
			 bool listen_only)
{
	if (b->g->usb->gone)
		return -ENODEV;
	struct evgw_driver_err e;
	int r = chan_start(b->c, bitrate, data_bitrate, listen_only, &e);
	if (r == 0) {
		b->bitrate = bitrate;
		b->data_bitrate = data_bitrate;
		b->listen_only = listen_only;
	}
	return r;
}

static int gsusb_set_bitrate(void *state, uint32_t bitrate, uint32_t data_bitrate)
{
	struct gsusb_bus *b = state;
	return gsusb_restart(b, bitrate, data_bitrate, b->listen_only);
}

static int gsusb_set_listen_only(void *state, bool on)
{
	struct gsusb_bus *b = state;
	return gsusb_restart(b, b->bitrate, b->data_bitrate, on);
}

static int gsusb_get_status(void *state, struct evgw_bus_status *st)
{
	struct gsusb_bus *b = state;
	state_ask(b->c); /* the answer shows at the next tick */
	*st = b->c->st;
	st->overruns += b->c->ring.dropped;
	st->link_errors = b->g->bad_frames + b->c->usb_errors;
	st->tx_dropped = b->c->tx_dropped;
	if (b->g->usb->gone)
		st->state = EVGW_BUS_GONE;
	else if (!b->c->started)
		st->state = EVGW_BUS_DOWN;
	return 0;
}

const struct evgw_driver_ops evgw_driver_gsusb = {
	.name = "gsusb",
	.open = gsusb_open,
	.close = gsusb_close,
	.fds = gsusb_fds,
	.recv = gsusb_recv,
	.send = gsusb_send,
	.set_bitrate = gsusb_set_bitrate,
	.set_listen_only = gsusb_set_listen_only,
	.get_status = gsusb_get_status,
	.batch_us = GSUSB_BATCH_US,
};
