// SPDX-License-Identifier: MIT
/* The `canalyst` driver: CANalyst-II / USBCAN-II clones (04d8:0053), which
 * no kernel driver supports, driven through libusb-1.0. Protocol from
 * python-canalystii@7ef3a4a (adapters.md §2, drivers/canalyst_proto.h).
 *
 * device = [VID:PID][@SERIAL][#CHANNEL]: the adapter's two channels are two
 * buses sharing one handle (drivers/usb_dev.h).
 *
 * The adapter only answers questions: receiving is polling. Each channel
 * has a timerfd firing every CANALYST_POLL_MS (adapters.md §8: at most 50 ms,
 * the adapter buffers ~1000-2000 frames and drops silently when full); when
 * it fires, recv starts an asynchronous cycle: MESSAGE_STATUS on the command
 * endpoint, its 64-byte reply, then one bulk read of all pending message
 * buffers; a reply announcing more than one read holds starts the next
 * cycle at once. Transfers complete inside recv (zero-timeout libusb event
 * handling), nothing blocks. An answer that is late (a reply or buffers
 * not there within the timeout) is read again rather than given up: the
 * adapter still owes it, and asking anew would leave every later answer
 * one question behind. Transmit queues frames and writes them three
 * to a 64-byte buffer; the adapter confirms nothing (adapters.md §2
 * "Limits"): a frame counts as sent when the adapter took the buffer.
 *
 * Limits of the hardware, not hidden: no error frames or bus state, no
 * overflow indication, and no listen-only mode (INIT mode 1 reportedly
 * crashes the firmware), so with mode = listen-only evgw sends nothing but
 * the controller still acknowledges frames on the bus. */
#include <errno.h>
#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "drivers/canalyst_proto.h"
#include "drivers/driver.h"
#include "drivers/drivers_builtin.h"
#include "drivers/usb_clock.h"
#include "drivers/usb_dev.h"
#include "drivers/usb_ring.h"
#include "drivers/usb_spec.h"
#include "loop/loop.h"

#define CANALYST_POLL_MS 20          /* 1 Mbit/s is ~160 frames per poll */
#define CANALYST_IO_TIMEOUT_MS 500   /* one command, reply or buffer read */
#define CANALYST_LATE_WAITS 4        /* a late answer is waited for 4 x 500 ms */
#define CANALYST_CLOSE_TIMEOUT_MS 200
#define CANALYST_WAIT_MS 500
#define CANALYST_RX_BUFS 128         /* 384 frames per read at most */
#define CANALYST_TX_BUFS 8           /* 24 frames per write at most */
#define CANALYST_TXQ 256
#define CANALYST_DEFAULT_BITRATE 500000
#define CANALYST_MAX_FDS 8

static const struct evgw_usb_id canalyst_ids[] = {{CANALYST_VID, CANALYST_PID}};

enum poll_phase { PHASE_IDLE, PHASE_STATUS_OUT, PHASE_STATUS_IN, PHASE_READ };

struct canalyst_dev;

struct canalyst_chan {
	struct canalyst_dev *d;
	uint8_t index;
	bool open, started;
	enum poll_phase phase;
	bool again;                  /* more pending than one read held */
	unsigned late;               /* timed-out reads of the answer in progress */
	struct libusb_transfer *cmd_out, *cmd_in, *rx, *tx;
	uint8_t cmd_buf[CANALYST_PACKET];
	uint8_t reply_buf[CANALYST_PACKET];
	uint8_t rx_buf[CANALYST_RX_BUFS * CANALYST_PACKET];
	uint8_t tx_buf[CANALYST_TX_BUFS * CANALYST_PACKET];
	unsigned in_flight;
	struct evgw_frame txq[CANALYST_TXQ];
	uint32_t txq_head, txq_tail; /* free-running */
	unsigned tx_batch;           /* frames in the write in flight; 0: none */
	uint32_t tx_pending;         /* the adapter's own queue, last reported */
	uint64_t bad_msgs, usb_errors, tx_dropped;
	int64_t read_at;             /* wall clock when the message read completed */
	struct evgw_usb_ring ring;
	struct evgw_usb_clock clock;
};

struct canalyst_dev {
	struct evgw_usb_dev *usb;
	/* per channel: messages out/in, commands out/in (map_endpoints) */
	uint8_t ep_msg[CANALYST_CHANNELS][2], ep_cmd[CANALYST_CHANNELS][2];
	struct canalyst_chan ch[CANALYST_CHANNELS];
	bool leaked;
};

struct canalyst_bus {
	struct canalyst_dev *d;
	struct canalyst_chan *c;
	int timer_fd;
	struct evgw_driver_fd fds[CANALYST_MAX_FDS];
	int n_fds;
	uint32_t bitrate;
};


static void mark_gone(struct canalyst_dev *d)
{
	if (d->usb->gone)
		return;
	evgw_usb_dev_mark_gone(d->usb);
	for (unsigned i = 0; i < CANALYST_CHANNELS; i++)
		if (d->ch[i].open)
			evgw_usb_ring_wake(&d->ch[i].ring);
}

/* A command written synchronously (open, close): 0 or -errno. */
static int cmd_sync(struct canalyst_chan *c, const uint8_t pkt[CANALYST_PACKET], unsigned timeout)
{
	int done = 0;
	int r = libusb_bulk_transfer(c->d->usb->h, c->d->ep_cmd[c->index][0], (unsigned char *)pkt,
				     CANALYST_PACKET, &done, timeout);
	if (r == LIBUSB_ERROR_NO_DEVICE)
		mark_gone(c->d);
	return r ? evgw_usb_errno(r) : done == (int)CANALYST_PACKET ? 0 : -EPROTO;
}

/* A transfer of the poll cycle ended other than as planned. */
static bool cycle_failed(struct canalyst_chan *c, struct libusb_transfer *t)
{
	if (t->status == LIBUSB_TRANSFER_COMPLETED)
		return false;
	c->phase = PHASE_IDLE;
	if (t->status == LIBUSB_TRANSFER_NO_DEVICE)
		mark_gone(c->d);
	else if (t->status != LIBUSB_TRANSFER_CANCELLED)
		c->usb_errors++;
	return true;
}

static int submit(struct canalyst_chan *c, struct libusb_transfer *t)
{
	if (c->d->usb->gone || !c->started)
		return -ENODEV;
	int r = libusb_submit_transfer(t);
	if (r != 0) {
		if (r == LIBUSB_ERROR_NO_DEVICE)
			mark_gone(c->d);
		else
			c->usb_errors++;
		return evgw_usb_errno(r);
	}
	c->in_flight++;
	return 0;
}

/* A read of an answer timed out: read again while it may still come. */
static bool wait_longer(struct canalyst_chan *c, struct libusb_transfer *t)
{
	if (t->status != LIBUSB_TRANSFER_TIMED_OUT || ++c->late >= CANALYST_LATE_WAITS)
		return false;
	c->usb_errors++; /* a slow adapter is a link problem worth seeing */
	return submit(c, t) == 0;
}

static void start_cycle(struct canalyst_chan *c)
{
	if (c->phase != PHASE_IDLE)
		return;
	c->again = false;
	c->late = 0;
	c->phase = PHASE_STATUS_OUT;
	if (submit(c, c->cmd_out) < 0)
		c->phase = PHASE_IDLE;
}

static void deliver(void *ud, const struct canalyst_msg *m)
{
	struct canalyst_chan *c = ud;
	struct evgw_frame f;
	if (canalyst_msg_to_evgw(m, &f) < 0) {
		c->bad_msgs++;
		return;
	}
	struct evgw_frame *slot = evgw_usb_ring_slot(&c->ring);
	if (!slot)
		return;
	f.ts_us = evgw_usb_clock_map(&c->clock, m->timestamp, c->read_at);
	*slot = f;
	evgw_usb_ring_commit(&c->ring);
}

static void LIBUSB_CALL cmd_out_cb(struct libusb_transfer *t)
{
	struct canalyst_chan *c = t->user_data;
	c->in_flight--;
	if (cycle_failed(c, t))
		return;
	c->phase = PHASE_STATUS_IN;
	if (submit(c, c->cmd_in) < 0)
		c->phase = PHASE_IDLE;
}

static void LIBUSB_CALL cmd_in_cb(struct libusb_transfer *t)
{
	struct canalyst_chan *c = t->user_data;
	c->in_flight--;
	if (wait_longer(c, t) || cycle_failed(c, t))
		return;
	struct canalyst_status st;
	if (canalyst_status_decode(t->buffer, (size_t)t->actual_length, &st) < 0) {
		c->bad_msgs++;
		c->phase = PHASE_IDLE;
		return;
	}
	c->tx_pending = st.tx_pending;
	if (st.rx_pending == 0) {
		c->phase = PHASE_IDLE;
		return;
	}
	size_t want = canalyst_rx_read_size(st.rx_pending);
	c->again = want > sizeof c->rx_buf;
	c->rx->length = (int)(c->again ? sizeof c->rx_buf : want);
	c->phase = PHASE_READ;
	c->late = 0;
	if (submit(c, c->rx) < 0)
		c->phase = PHASE_IDLE;
}

static void LIBUSB_CALL rx_cb(struct libusb_transfer *t)
{
	struct canalyst_chan *c = t->user_data;
	c->in_flight--;
	if (t->status == LIBUSB_TRANSFER_TIMED_OUT && t->actual_length > 0) {
		/* Part came: deliver its whole buffers, wait for the rest. */
		size_t got = (size_t)t->actual_length / CANALYST_PACKET * CANALYST_PACKET;
		c->read_at = evgw_now_real_us();
		if (canalyst_parse_buffers(t->buffer, got, deliver, c) < 0)
			c->bad_msgs++;
		t->length -= (int)got;
	}
	if (wait_longer(c, t) || cycle_failed(c, t))
		return;
	/* A ragged tail is dropped; whole buffers before it were delivered. */
	c->read_at = evgw_now_real_us();
	if (canalyst_parse_buffers(t->buffer, (size_t)t->actual_length, deliver, c) < 0)
		c->bad_msgs++;
	c->phase = PHASE_IDLE;
	if (c->again)
		start_cycle(c);
}

static void tx_flush(struct canalyst_chan *c);

static void LIBUSB_CALL tx_cb(struct libusb_transfer *t)
{
	struct canalyst_chan *c = t->user_data;
	c->in_flight--;
	if (t->status != LIBUSB_TRANSFER_COMPLETED || t->actual_length != t->length) {
		c->tx_dropped += c->tx_batch;
		if (t->status == LIBUSB_TRANSFER_NO_DEVICE)
			mark_gone(c->d);
		else if (t->status != LIBUSB_TRANSFER_CANCELLED)
			c->usb_errors++;
	}
	c->tx_batch = 0;
	if (t->status != LIBUSB_TRANSFER_CANCELLED)
		tx_flush(c);
}

/* Write what is queued, three frames to a buffer (device.py send()). */
static void tx_flush(struct canalyst_chan *c)
{
	if (c->tx_batch || c->txq_head == c->txq_tail || c->d->usb->gone)
		return;
	unsigned bufs = 0, frames = 0;
	while (bufs < CANALYST_TX_BUFS && c->txq_tail + frames != c->txq_head) {
		struct evgw_frame three[CANALYST_MSGS_PER_BUF];
		unsigned k = 0;
		while (k < CANALYST_MSGS_PER_BUF && c->txq_tail + frames + k != c->txq_head) {
			three[k] = c->txq[(c->txq_tail + frames + k) % CANALYST_TXQ];
			k++;
		}
		/* Frames were checked when queued: all of them pack. */
		int n = canalyst_pack_buffer(three, k, 0, c->tx_buf + bufs * CANALYST_PACKET);
		if (n <= 0)
			break;
		frames += (unsigned)n;
		bufs++;
	}
	if (!bufs)
		return;
	c->txq_tail += frames;
	c->tx->length = (int)(bufs * CANALYST_PACKET);
	c->tx_batch = frames;
	if (submit(c, c->tx) < 0) {
		c->tx_dropped += frames;
		c->tx_batch = 0;
	}
}

static struct libusb_transfer *new_transfer(struct canalyst_chan *c, uint8_t ep, uint8_t *buf,
					    int len, libusb_transfer_cb_fn cb)
{
	struct libusb_transfer *t = libusb_alloc_transfer(0);
	if (t)
		libusb_fill_bulk_transfer(t, c->d->usb->h, ep, buf, len, cb, c,
					  CANALYST_IO_TIMEOUT_MS);
	return t;
}

static void chan_release(struct canalyst_chan *c)
{
	struct libusb_transfer *ts[] = {c->cmd_out, c->cmd_in, c->rx, c->tx};
	c->started = false; /* no resubmission from the callbacks */
	for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++)
		if (ts[i])
			libusb_cancel_transfer(ts[i]); /* NOT_FOUND when idle: fine */
	if (evgw_usb_dev_wait(c->d->usb, &c->in_flight, CANALYST_WAIT_MS) < 0) {
		c->d->leaked = true; /* still owned by libusb: never freed */
	} else {
		for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++)
			libusb_free_transfer(ts[i]);
	}
	c->cmd_out = c->cmd_in = c->rx = c->tx = NULL;
	evgw_usb_ring_free(&c->ring);
	c->open = false;
	c->phase = PHASE_IDLE;
	c->tx_batch = 0;
	c->txq_head = c->txq_tail = 0;
}

static void canalyst_dev_free(struct evgw_usb_dev *usb)
{
	struct canalyst_dev *d = usb->proto;
	usb->proto = NULL;
	/* Channels are released by their buses; a leak keeps d for the callbacks. */
	if (d && !d->leaked)
		free(d);
}

static void canalyst_close(void *state)
{
	struct canalyst_bus *b = state;
	if (!b)
		return;
	evgw_usb_fds_close(b->fds, b->n_fds);
	if (b->timer_fd >= 0)
		close(b->timer_fd);
	if (b->c) {
		if (b->c->started && !b->d->usb->gone) {
			uint8_t pkt[CANALYST_PACKET];
			canalyst_cmd_simple(CANALYST_CMD_STOP, pkt);
			cmd_sync(b->c, pkt, CANALYST_CLOSE_TIMEOUT_MS);
		}
		chan_release(b->c);
	}
	if (b->d)
		evgw_usb_dev_put(b->d->usb);
	free(b);
}

/* INIT with the bitrate's BTR0/BTR1, then START (device.py init()). */
static int chan_start(struct canalyst_chan *c, uint32_t bitrate, struct evgw_driver_err *err)
{
	uint8_t btr0, btr1, pkt[CANALYST_PACKET];
	if (!bitrate)
		bitrate = CANALYST_DEFAULT_BITRATE;
	if (canalyst_btr_for(bitrate, &btr0, &btr1) < 0) {
		evgw_driver_set_err(err, "bitrate %u bit/s cannot be reached within 5%%", bitrate);
		return -EINVAL;
	}
	canalyst_cmd_init(btr0, btr1, pkt);
	int r = cmd_sync(c, pkt, CANALYST_IO_TIMEOUT_MS);
	if (r == 0) {
		canalyst_cmd_simple(CANALYST_CMD_START, pkt);
		r = cmd_sync(c, pkt, CANALYST_IO_TIMEOUT_MS);
	}
	if (r < 0) {
		evgw_driver_set_err(err, "starting the channel: %s", strerror(-r));
		return r;
	}
	c->started = true;
	return 0;
}

static int chan_open(struct canalyst_bus *b, unsigned index, uint32_t bitrate,
		     struct evgw_driver_err *err)
{
	if (index >= CANALYST_CHANNELS) {
		evgw_driver_set_err(err, "the adapter has 2 channels, #%u asked for", index);
		return -EINVAL;
	}
	struct canalyst_chan *c = &b->d->ch[index];
	if (c->open) {
		evgw_driver_set_err(err, "channel #%u is used by another bus", index);
		return -EBUSY;
	}
	int r = evgw_usb_ring_init(&c->ring);
	if (r < 0) {
		evgw_driver_set_err(err, "%s", strerror(-r));
		return r;
	}
	c->d = b->d;
	c->index = (uint8_t)index;
	c->open = true;
	b->c = c;
	c->bad_msgs = c->usb_errors = c->tx_dropped = 0;
	c->tx_pending = 0;
	evgw_usb_clock_init(&c->clock, CANALYST_TICK_US);
	canalyst_cmd_simple(CANALYST_CMD_MESSAGE_STATUS, c->cmd_buf);
	const uint8_t *ep_cmd = b->d->ep_cmd[index], *ep_msg = b->d->ep_msg[index];
	c->cmd_out = new_transfer(c, ep_cmd[0], c->cmd_buf, CANALYST_PACKET, cmd_out_cb);
	c->cmd_in = new_transfer(c, ep_cmd[1], c->reply_buf, CANALYST_PACKET, cmd_in_cb);
	c->rx = new_transfer(c, ep_msg[1], c->rx_buf, sizeof c->rx_buf, rx_cb);
	c->tx = new_transfer(c, ep_msg[0], c->tx_buf, CANALYST_PACKET, tx_cb);
	if (!c->cmd_out || !c->cmd_in || !c->rx || !c->tx) {
		evgw_driver_set_err(err, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	return chan_start(c, bitrate, err);
}

/* The real adapter's endpoint numbers (device.py CHANNEL_TO_*_EP) when the
 * interface has them; otherwise its bulk OUT and IN endpoints paired in
 * descriptor order (messages #0, commands #0, messages #1, commands #1), as
 * a device whose controller numbers endpoints differently lists them (the
 * emulated adapter of tests/usb/canalyst_emu.c on dummy_hcd). */
static int map_endpoints(struct canalyst_dev *d, struct evgw_driver_err *err)
{
	struct libusb_config_descriptor *cfg;
	if (libusb_get_active_config_descriptor(libusb_get_device(d->usb->h), &cfg) != 0) {
		evgw_driver_set_err(err, "cannot read the configuration descriptor");
		return -EIO;
	}
	uint8_t outs[16], ins[16];
	unsigned n_out = 0, n_in = 0, canonical = 0;
	if (d->usb->iface < cfg->bNumInterfaces && cfg->interface[d->usb->iface].num_altsetting) {
		const struct libusb_interface_descriptor *alt =
			&cfg->interface[d->usb->iface].altsetting[0];
		for (unsigned e = 0; e < alt->bNumEndpoints; e++) {
			const struct libusb_endpoint_descriptor *ep = &alt->endpoint[e];
			if ((ep->bmAttributes & 3) != LIBUSB_TRANSFER_TYPE_BULK)
				continue;
			uint8_t a = ep->bEndpointAddress;
			if ((a & 0x7f) >= 1 && (a & 0x7f) <= 2 * CANALYST_CHANNELS)
				canonical++;
			if ((a & LIBUSB_ENDPOINT_IN) && n_in < 16)
				ins[n_in++] = a;
			else if (!(a & LIBUSB_ENDPOINT_IN) && n_out < 16)
				outs[n_out++] = a;
		}
	}
	libusb_free_config_descriptor(cfg);
	for (unsigned ch = 0; ch < CANALYST_CHANNELS; ch++) {
		if (canonical == 4 * CANALYST_CHANNELS) {
			d->ep_msg[ch][0] = CANALYST_EP_MSG(ch);
			d->ep_cmd[ch][0] = CANALYST_EP_CMD(ch);
		} else if (n_out >= 2 * CANALYST_CHANNELS && n_in >= 2 * CANALYST_CHANNELS) {
			d->ep_msg[ch][0] = outs[2 * ch];
			d->ep_msg[ch][1] = ins[2 * ch];
			d->ep_cmd[ch][0] = outs[2 * ch + 1];
			d->ep_cmd[ch][1] = ins[2 * ch + 1];
			continue;
		} else {
			evgw_driver_set_err(err, "the interface lacks the adapter's bulk endpoints");
			return -EPROTO;
		}
		d->ep_msg[ch][1] = d->ep_msg[ch][0] | LIBUSB_ENDPOINT_IN;
		d->ep_cmd[ch][1] = d->ep_cmd[ch][0] | LIBUSB_ENDPOINT_IN;
	}
	return 0;
}

static int arm_timer(int fd)
{
	struct itimerspec its = {
		.it_interval = {0, CANALYST_POLL_MS * 1000000L},
		.it_value = {0, CANALYST_POLL_MS * 1000000L},
	};
	return timerfd_settime(fd, 0, &its, NULL) < 0 ? -errno : 0;
}

static int canalyst_open(const struct evgw_bus_params *p, void **state, struct evgw_driver_err *err)
{
	struct evgw_usb_spec spec;
	void *mem;
	int r = evgw_usb_bus_new("canalyst", p->device, sizeof(struct canalyst_bus), &spec, &mem, err);
	if (r < 0)
		return r;
	struct canalyst_bus *b = mem;
	b->timer_fd = -1;
	/* python-canalystii: configuration 1, one interface (adapters.md §2). */
	const struct evgw_usb_match m = {
		.kind = "canalyst", .ids = canalyst_ids, .n_ids = 1, .iface = 0, .config = 1,
	};
	struct evgw_usb_dev *usb;
	bool fresh;
	struct evgw_driver_err e = {""};
	r = evgw_usb_dev_get_proto(p->usb_hub, &spec, &m, sizeof(struct canalyst_dev),
				   canalyst_dev_free, &usb, &fresh, err);
	if (r < 0) {
		free(b);
		return r;
	}
	b->d = usb->proto;
	b->bitrate = p->bitrate;
	if ((fresh && (r = map_endpoints(b->d, &e)) < 0) ||
	    (r = chan_open(b, spec.channel, p->bitrate, &e)) < 0)
		goto fail;
	b->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (b->timer_fd < 0 || (r = arm_timer(b->timer_fd)) < 0) {
		r = b->timer_fd < 0 ? -errno : r;
		snprintf(e.msg, sizeof e.msg, "cannot create the poll timer: %s", strerror(-r));
		goto fail;
	}
	r = evgw_usb_dev_dup_fds(usb, b->fds, CANALYST_MAX_FDS - 2);
	if (r < 0) {
		snprintf(e.msg, sizeof e.msg, "cannot poll libusb: %s", strerror(-r));
		goto fail;
	}
	b->n_fds = r;
	*state = b;
	return 0;
fail:
	evgw_driver_set_err(err, "canalyst %04x:%04x%s%s #%u: %s", usb->vid, usb->pid,
		usb->serial[0] ? " " : "", usb->serial, spec.channel, e.msg);
	if (usb->gone)
		r = -ENODEV;
	canalyst_close(b);
	return r;
}

static int canalyst_fds(void *state, struct evgw_driver_fd *fds, int max)
{
	struct canalyst_bus *b = state;
	int n = 0;
	for (int i = 0; i < b->n_fds && n < max; i++)
		fds[n++] = b->fds[i];
	if (n < max)
		fds[n++] = (struct evgw_driver_fd){b->timer_fd, EPOLLIN};
	if (n < max)
		fds[n++] = (struct evgw_driver_fd){b->c->ring.wake_fd, EPOLLIN};
	return n;
}

static int canalyst_recv(void *state, struct evgw_frame *frames, unsigned max)
{
	struct canalyst_bus *b = state;
	struct canalyst_chan *c = b->c;
	uint64_t ticks = 0;
	if (!b->d->usb->gone) {
		evgw_usb_ring_hold(&c->ring); /* read just below */
		evgw_usb_dev_events(b->d->usb);
		evgw_usb_ring_release(&c->ring);
	}
	if (read(b->timer_fd, &ticks, sizeof ticks) == (ssize_t)sizeof ticks && ticks > 0)
		start_cycle(c);
	unsigned n = evgw_usb_ring_take(&c->ring, frames, max);
	if (n > 0)
		return (int)n;
	return b->d->usb->gone ? -ENODEV : 0;
}

static int canalyst_send(void *state, const struct evgw_frame *f)
{
	struct canalyst_bus *b = state;
	struct canalyst_chan *c = b->c;
	struct canalyst_msg m;
	if (b->d->usb->gone)
		return -ENODEV;
	if (!c->started)
		return -ENETDOWN;
	if (canalyst_msg_from_evgw(f, 0, &m) < 0)
		return -EINVAL;
	if (c->txq_head - c->txq_tail >= CANALYST_TXQ)
		return -ENOBUFS;
	c->txq[c->txq_head++ % CANALYST_TXQ] = *f;
	tx_flush(c);
	return 0;
}

static int canalyst_set_bitrate(void *state, uint32_t bitrate, uint32_t data_bitrate)
{
	struct canalyst_bus *b = state;
	if (data_bitrate)
		return -EOPNOTSUPP; /* no CAN FD */
	if (b->d->usb->gone)
		return -ENODEV;
	struct evgw_driver_err e;
	int r = chan_start(b->c, bitrate, &e);
	if (r == 0)
		b->bitrate = bitrate;
	return r;
}

static int canalyst_set_listen_only(void *state, bool on)
{
	(void)state;
	(void)on;
	return 0; /* the core stops sending; the hardware cannot stop acknowledging */
}

static int canalyst_get_status(void *state, struct evgw_bus_status *st)
{
	struct canalyst_bus *b = state;
	memset(st, 0, sizeof *st);
	st->state = b->d->usb->gone ? EVGW_BUS_GONE
		    : b->c->started  ? EVGW_BUS_ACTIVE
				     : EVGW_BUS_DOWN;
	st->overruns = b->c->ring.dropped;
	/* The CANalyst-II protocol has no controller error counters to report. */
	st->link_errors = b->c->bad_msgs + b->c->usb_errors;
	st->tx_dropped = b->c->tx_dropped;
	return 0;
}

const struct evgw_driver_ops evgw_driver_canalyst = {
	.name = "canalyst",
	.open = canalyst_open,
	.close = canalyst_close,
	.fds = canalyst_fds,
	.recv = canalyst_recv,
	.send = canalyst_send,
	.set_bitrate = canalyst_set_bitrate,
	.set_listen_only = canalyst_set_listen_only,
	.get_status = canalyst_get_status,
};
