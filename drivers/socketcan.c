// SPDX-License-Identifier: MIT
/* The SocketCAN driver: any CAN interface the kernel drives (gs_usb,
 * peak_usb, kvaser_usb, mcp251x on a Pi, slcan via slcand, vcan).
 *
 * One CAN_RAW socket per bus with CAN FD frames enabled, every error class
 * subscribed, SO_RXQ_OVFL drop counting and kernel receive timestamps.
 * Frames are read in batches with recvmmsg(), each frame's payload
 * scattered straight into the core's frame array (the 8-byte header goes
 * to a small side array). Socket options and layouts: adapters.md §6 and
 * the kernel's Documentation/networking/can.rst. */
#include <errno.h>
#include <linux/can.h>
#include <linux/can/error.h>
#include <linux/can/raw.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "drivers/driver.h"
#include "drivers/drivers_builtin.h"
#include "drivers/socketcan_find.h"
#include "drivers/socketcan_setup.h"
#include "can/can_error.h"

#define BATCH 64                  /* frames per recvmmsg() */
#define RCVBUF_BYTES (4 << 20)    /* ~30 000 classic frames of kernel queue */
#define CMSG_BYTES 128            /* a timeval and a drop counter fit */
#define HDR_BYTES 8               /* can_id, len, flags, res0, len8_dlc */

#ifndef SO_TIMESTAMP_NEW
#define SO_TIMESTAMP_NEW 63       /* asm-generic/socket.h: 64-bit seconds */
#endif

struct sc_hdr {
	uint32_t can_id;
	uint8_t len, flags, res0, len8_dlc;
};

struct sc {
	int fd;
	char ifname[IFNAMSIZ];
	bool fd_frames;               /* the socket accepts CAN FD */
	uint32_t last_drops;          /* SO_RXQ_OVFL is cumulative */
	uint64_t socket_drops;
	bool net_down;                /* read said ENETDOWN; cleared by frames */
	bool has_netlink_state;       /* a real controller (not vcan) */
	int32_t restart_ms;
	enum evgw_bus_state state;
	uint32_t rx_errors, tx_errors;
	bool off_reported;            /* bus-off shown before restarting */
	struct sc_hdr hdr[BATCH];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH][2];
	uint8_t cmsg[BATCH][CMSG_BYTES];
};

static void sc_close(void *state)
{
	struct sc *s = state;
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}

static int set_filters(struct sc *s, const struct evgw_bus_params *p)
{
	if (p->n_filters == 0)
		return 0;
	struct can_filter *f = calloc(p->n_filters, sizeof *f);
	if (!f)
		return -ENOMEM;
	for (unsigned i = 0; i < p->n_filters; i++) {
		const struct evgw_can_filter *c = &p->filters[i];
		/* Matching CAN_EFF_FLAG in the mask keeps 11- and 29-bit ids apart. */
		f[i].can_id = c->id | (c->ext ? CAN_EFF_FLAG : 0);
		f[i].can_mask = c->mask | CAN_EFF_FLAG | CAN_RTR_FLAG;
	}
	int r = setsockopt(s->fd, SOL_CAN_RAW, CAN_RAW_FILTER, f,
			   (socklen_t)(p->n_filters * sizeof *f)) < 0 ? -errno : 0;
	free(f);
	return r;
}

static int open_socket(struct sc *s, const struct evgw_bus_params *p, struct evgw_driver_err *err)
{
	s->fd = socket(PF_CAN, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, CAN_RAW);
	if (s->fd < 0)
		return evgw_driver_fail(err, -errno, "no CAN_RAW sockets on this kernel (%s)", strerror(errno));
	int on = 1;
	s->fd_frames = setsockopt(s->fd, SOL_CAN_RAW, CAN_RAW_FD_FRAMES, &on, sizeof on) == 0;
	can_err_mask_t errs = CAN_ERR_MASK;
	if (setsockopt(s->fd, SOL_CAN_RAW, CAN_RAW_ERR_FILTER, &errs, sizeof errs) < 0 ||
	    setsockopt(s->fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof on) < 0 ||
	    setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMP, &on, sizeof on) < 0)
		return evgw_driver_fail(err, -errno, "%s: socket options: %s", s->ifname, strerror(errno));
	int rcvbuf = RCVBUF_BYTES;
	/* FORCE passes rmem_max with CAP_NET_ADMIN; otherwise take what we get. */
	if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
		(void)setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
	int r = set_filters(s, p);
	if (r < 0)
		return evgw_driver_fail(err, r, "%s: kernel filters: %s", s->ifname, strerror(-r));
	struct sockaddr_can addr;
	memset(&addr, 0, sizeof addr);
	addr.can_family = AF_CAN;
	addr.can_ifindex = (int)if_nametoindex(s->ifname);
	if (addr.can_ifindex == 0)
		return evgw_driver_fail(err, -ENODEV, "%s: interface gone", s->ifname);
	if (bind(s->fd, (struct sockaddr *)&addr, sizeof addr) < 0)
		return evgw_driver_fail(err, errno == ENODEV ? -ENODEV : -errno, "%s: bind: %s", s->ifname,
			    strerror(errno));
	return 0;
}

static int sc_open(const struct evgw_bus_params *p, void **state, struct evgw_driver_err *err)
{
	if (!p->device || !*p->device)
		return evgw_driver_fail(err, -EINVAL, "socketcan needs device = an interface (can0) or "
			    "usb:VVVV:PPPP[:SERIAL]");
	struct sc *s = calloc(1, sizeof *s);
	if (!s)
		return -ENOMEM;
	s->fd = -1;
	s->restart_ms = p->restart_ms;
	int r = evgw_sc_find("/sys", p->device, s->ifname, sizeof s->ifname);
	if (r < 0) {
		sc_close(s);
		if (r == -ENODEV)
			return evgw_driver_fail(err, r, "no CAN interface %s (yet): waiting for it to appear",
				    p->device);
		if (r == -EMEDIUMTYPE)
			return evgw_driver_fail(err, -EINVAL, "%s is not a CAN interface", p->device);
		return evgw_driver_fail(err, r, "device '%s' is not an interface name or "
			    "usb:VVVV:PPPP[:SERIAL]", p->device);
	}
	struct evgw_sc_setup setup = {p->bitrate, p->data_bitrate, p->listen_only, p->restart_ms};
	r = evgw_sc_setup(s->ifname, &setup, err->msg, sizeof err->msg);
	if (r < 0) {
		sc_close(s);
		return r;
	}
	/* err->msg may hold a note for the log even though we go on. */
	char note[sizeof err->msg];
	snprintf(note, sizeof note, "%s", err->msg);
	r = open_socket(s, p, err);
	if (r < 0) {
		sc_close(s);
		return r;
	}
	snprintf(err->msg, sizeof err->msg, "%s", note);
	int cs;
	uint32_t rx, tx;
	char kind[16] = "";
	s->has_netlink_state = evgw_sc_link_kind(s->ifname, kind, sizeof kind) == 0 &&
			       !strcmp(kind, "can") && evgw_sc_query(s->ifname, &cs, &rx, &tx) == 0;
	s->state = s->has_netlink_state ? evgw_can_state_from_netlink(cs) : EVGW_BUS_ACTIVE;
	/* restart_ms 0 leaves a bus-off controller off until asked: opening the
	 * bus (start, SIGHUP) is the asking. */
	if (s->state == EVGW_BUS_OFF && evgw_sc_can_admin() && evgw_sc_restart(s->ifname) == 0)
		s->state = EVGW_BUS_ACTIVE;
	if (s->has_netlink_state && s->restart_ms < 0) {
		uint32_t ms;
		s->restart_ms = evgw_sc_restart_ms(s->ifname, &ms) == 0 ? (int32_t)ms : 0;
	}
	for (int i = 0; i < BATCH; i++) {
		s->iov[i][0] = (struct iovec){&s->hdr[i], HDR_BYTES};
		s->msgs[i].msg_hdr.msg_iov = s->iov[i];
		s->msgs[i].msg_hdr.msg_iovlen = 2;
	}
	*state = s;
	return 0;
}

static int sc_fds(void *state, struct evgw_driver_fd *fds, int max)
{
	struct sc *s = state;
	if (max < 1)
		return 0;
	fds[0] = (struct evgw_driver_fd){s->fd, 0x001 /* EPOLLIN */};
	return 1;
}

static int64_t timeval_us(const struct cmsghdr *c)
{
	if (c->cmsg_type == SO_TIMESTAMP && c->cmsg_len >= CMSG_LEN(sizeof(struct timeval))) {
		struct timeval tv;
		memcpy(&tv, CMSG_DATA(c), sizeof tv);
		return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
	}
	if (c->cmsg_type == SO_TIMESTAMP_NEW && c->cmsg_len >= CMSG_LEN(2 * sizeof(int64_t))) {
		int64_t v[2];
		memcpy(v, CMSG_DATA(c), sizeof v);
		return v[0] * 1000000 + v[1];
	}
	return 0;
}

static int64_t wall_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Header, payload and control data of one received message into f. */
static bool to_frame(struct sc *s, unsigned i, unsigned bytes, struct evgw_frame *f)
{
	const struct sc_hdr *h = &s->hdr[i];
	if (bytes != CAN_MTU && bytes != CANFD_MTU)
		return false;
	uint32_t id = h->can_id;
	f->flags = 0;
	if (id & CAN_ERR_FLAG) {
		f->flags |= EVGW_FRAME_ERR;
		f->id = id & CAN_ERR_MASK;
	} else if (id & CAN_EFF_FLAG) {
		f->flags |= EVGW_FRAME_EXT;
		f->id = id & CAN_EFF_MASK;
	} else {
		f->id = id & CAN_SFF_MASK;
	}
	if (bytes == CANFD_MTU) {
		f->flags |= EVGW_FRAME_FD;
		if (h->flags & CANFD_BRS)
			f->flags |= EVGW_FRAME_BRS;
		if (h->flags & CANFD_ESI)
			f->flags |= EVGW_FRAME_ESI;
		f->len = h->len > CANFD_MAX_DLEN ? CANFD_MAX_DLEN : h->len;
		f->dlc = evgw_canfd_len_to_dlc(f->len);
	} else {
		if ((id & CAN_RTR_FLAG) && !(id & CAN_ERR_FLAG))
			f->flags |= EVGW_FRAME_RTR;
		f->len = h->len > CAN_MAX_DLEN ? CAN_MAX_DLEN : h->len;
		/* len8_dlc carries a raw DLC 9..15 when the sender used one */
		f->dlc = f->len == CAN_MAX_DLEN && h->len8_dlc > CAN_MAX_DLEN &&
				 h->len8_dlc <= 15 ? h->len8_dlc : f->len;
		if (f->flags & EVGW_FRAME_RTR)
			f->len = 0;
	}
	f->ts_us = 0;
	struct msghdr *m = &s->msgs[i].msg_hdr;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SO_RXQ_OVFL && c->cmsg_len >= CMSG_LEN(sizeof(uint32_t))) {
			uint32_t drops;
			memcpy(&drops, CMSG_DATA(c), sizeof drops);
			s->socket_drops += (uint32_t)(drops - s->last_drops);
			s->last_drops = drops;
		} else {
			int64_t t = timeval_us(c);
			if (t)
				f->ts_us = t;
		}
	}
	if (!f->ts_us)
		f->ts_us = wall_us();
	return true;
}

static int sc_recv(void *state, struct evgw_frame *frames, unsigned max)
{
	struct sc *s = state;
	unsigned want = max < BATCH ? max : BATCH;
	for (unsigned i = 0; i < want; i++) {
		/* The payload lands in the core's frame; 64 bytes hold CAN FD. */
		s->iov[i][1] = (struct iovec){frames[i].data, sizeof frames[i].data};
		struct msghdr *m = &s->msgs[i].msg_hdr;
		m->msg_control = s->cmsg[i];
		m->msg_controllen = CMSG_BYTES;
		m->msg_flags = 0;
	}
	int n = recvmmsg(s->fd, s->msgs, want, MSG_DONTWAIT, NULL);
	if (n < 0) {
		switch (errno) {
		case EAGAIN:
		case EINTR:
			return 0;
		case ENETDOWN:
			/* Reported once by the kernel; frames flow again once it is up. */
			s->net_down = true;
			return 0;
		case ENODEV:
			return -ENODEV;
		default:
			return 0; /* e.g. ENOBUFS: transient, the next read goes on */
		}
	}
	unsigned out = 0;
	for (int i = 0; i < n; i++) {
		if (out != (unsigned)i)
			memmove(frames[out].data, frames[i].data, sizeof frames[out].data);
		if (to_frame(s, (unsigned)i, s->msgs[i].msg_len, &frames[out]))
			out++;
	}
	if (n > 0)
		s->net_down = false;
	return (int)out;
}

static int sc_send(void *state, const struct evgw_frame *f)
{
	struct sc *s = state;
	struct canfd_frame cf;
	memset(&cf, 0, sizeof cf);
	cf.can_id = f->id | ((f->flags & EVGW_FRAME_EXT) ? CAN_EFF_FLAG : 0);
	size_t mtu = CAN_MTU;
	if (f->flags & EVGW_FRAME_FD) {
		if (!s->fd_frames)
			return -EOPNOTSUPP;
		mtu = CANFD_MTU;
		cf.flags = (uint8_t)(((f->flags & EVGW_FRAME_BRS) ? CANFD_BRS : 0) | CANFD_FDF);
		cf.len = f->len > CANFD_MAX_DLEN ? CANFD_MAX_DLEN : f->len;
	} else {
		if (f->flags & EVGW_FRAME_RTR)
			cf.can_id |= CAN_RTR_FLAG;
		cf.len = f->len > CAN_MAX_DLEN ? CAN_MAX_DLEN : f->len;
	}
	memcpy(cf.data, f->data, cf.len);
	ssize_t w = write(s->fd, &cf, mtu);
	if (w < 0) {
		/* ENOBUFS: the interface's queue is full (bus-off, no ACK): the caller retries. */
		if (errno == EAGAIN)
			return -ENOBUFS;
		return -errno;
	}
	return w == (ssize_t)mtu ? 0 : -EIO;
}

static int sc_get_status(void *state, struct evgw_bus_status *st)
{
	struct sc *s = state;
	int cs;
	uint32_t rx, tx;
	if (s->has_netlink_state && evgw_sc_query(s->ifname, &cs, &rx, &tx) == 0) {
		enum evgw_bus_state ns = evgw_can_state_from_netlink(cs);
		s->rx_errors = rx;
		s->tx_errors = tx;
		/* Bus-off is shown once; then, when the kernel will restart the
		 * controller itself after restart_ms, "restarting". */
		if (ns == EVGW_BUS_OFF && s->restart_ms > 0 && s->off_reported)
			ns = EVGW_BUS_RESTARTING;
		s->off_reported = ns == EVGW_BUS_OFF || ns == EVGW_BUS_RESTARTING;
		s->state = ns;
	} else if (!s->has_netlink_state) {
		s->state = EVGW_BUS_ACTIVE;
	}
	st->state = s->net_down ? EVGW_BUS_DOWN : s->state;
	st->rx_errors = s->rx_errors;
	st->tx_errors = s->tx_errors;
	st->overruns = s->socket_drops;
	return 0;
}

const struct evgw_driver_ops evgw_driver_socketcan = {
	.name = "socketcan",
	.open = sc_open,
	.close = sc_close,
	.fds = sc_fds,
	.recv = sc_recv,
	.send = sc_send,
	.get_status = sc_get_status,
	/* listen-only is set from the config at open; a reload re-opens */
};
