// SPDX-License-Identifier: MIT
/* gs_usb codecs: byte buffers in and out, bounds checked, no I/O. Layouts
 * are adapters.md §1.4/§1.5 (linux gs_usb.c@0024675, candleLight_fw
 * include/gs_usb.h). */
#include "drivers/gsusb_proto.h"

#include <errno.h>
#include <string.h>

#include "util/le.h"

size_t gsusb_frame_size(bool fd, bool ts)
{
	return GSUSB_FRAME_HDR + (fd ? 64u : 8u) + (ts ? 4u : 0u);
}

/* Host frame (§1.5): echo_id 0, can_id 4, can_dlc 8, channel 9, flags 10,
 * reserved 11, data 12 (8 or 64), timestamp after the data. */
int gsusb_frame_encode(const struct gsusb_host_frame *f, uint8_t *buf, size_t cap)
{
	bool fd = f->flags & GSUSB_FLAG_FD;
	size_t dlen = fd ? 64u : 8u;
	size_t n = gsusb_frame_size(fd, f->has_ts);
	if (cap < n)
		return -ENOSPC;
	le32_put(buf, f->echo_id);
	le32_put(buf + 4, f->can_id);
	buf[8] = f->can_dlc;
	buf[9] = f->channel;
	buf[10] = f->flags;
	buf[11] = f->reserved;
	memcpy(buf + GSUSB_FRAME_HDR, f->data, dlen);
	if (f->has_ts)
		le32_put(buf + GSUSB_FRAME_HDR + dlen, f->ts_us);
	return (int)n;
}

int gsusb_frame_decode(const uint8_t *buf, size_t len, bool ts, struct gsusb_host_frame *f)
{
	memset(f, 0, sizeof *f);
	if (len < GSUSB_FRAME_HDR)
		return -EBADMSG;
	f->flags = buf[10];
	bool fd = f->flags & GSUSB_FLAG_FD;
	size_t dlen = fd ? 64u : 8u;
	if (len < gsusb_frame_size(fd, ts))
		return -EBADMSG;
	f->echo_id = le32_get(buf);
	f->can_id = le32_get(buf + 4);
	f->can_dlc = buf[8];
	f->channel = buf[9];
	f->reserved = buf[11];
	memcpy(f->data, buf + GSUSB_FRAME_HDR, dlen);
	f->has_ts = ts;
	if (ts)
		f->ts_us = le32_get(buf + GSUSB_FRAME_HDR + dlen);
	return 0;
}

int gsusb_frame_to_evgw(const struct gsusb_host_frame *h, struct evgw_frame *f)
{
	memset(f, 0, sizeof *f);
	if (h->can_id & GSUSB_CAN_ERR) {
		/* Error frames: class bits in the id, 8 bytes of detail (§1.6). */
		f->flags = EVGW_FRAME_ERR;
		f->id = h->can_id & EVGW_CAN_EFF_MASK;
		f->len = f->dlc = EVGW_CAN_MAX_DLEN;
		memcpy(f->data, h->data, EVGW_CAN_MAX_DLEN);
		return 0;
	}
	if (h->can_id & GSUSB_CAN_EFF) {
		f->flags |= EVGW_FRAME_EXT;
		f->id = h->can_id & EVGW_CAN_EFF_MASK;
	} else {
		f->id = h->can_id & EVGW_CAN_SFF_MASK;
	}
	if (h->flags & GSUSB_FLAG_FD) {
		if (h->can_id & GSUSB_CAN_RTR || h->can_dlc > 15)
			return -EBADMSG;
		f->flags |= EVGW_FRAME_FD;
		if (h->flags & GSUSB_FLAG_BRS)
			f->flags |= EVGW_FRAME_BRS;
		if (h->flags & GSUSB_FLAG_ESI)
			f->flags |= EVGW_FRAME_ESI;
		f->dlc = h->can_dlc;
		f->len = evgw_canfd_dlc_to_len(h->can_dlc);
		memcpy(f->data, h->data, f->len);
		return 0;
	}
	if (h->can_dlc > 15)
		return -EBADMSG;
	f->dlc = h->can_dlc;
	if (h->can_id & GSUSB_CAN_RTR) {
		/* A remote request carries its length, no data (candump.c convention). */
		if (h->can_dlc > EVGW_CAN_MAX_DLEN)
			return -EBADMSG;
		f->flags |= EVGW_FRAME_RTR;
		f->len = h->can_dlc;
		return 0;
	}
	/* DLC 9..15 on a classic frame still means 8 bytes (CC_LEN8_DLC, §1.5). */
	f->len = h->can_dlc > EVGW_CAN_MAX_DLEN ? EVGW_CAN_MAX_DLEN : h->can_dlc;
	memcpy(f->data, h->data, f->len);
	return 0;
}

int gsusb_frame_from_evgw(const struct evgw_frame *f, bool fd, uint8_t channel,
			  uint32_t echo_id, struct gsusb_host_frame *h)
{
	memset(h, 0, sizeof *h);
	if (f->flags & EVGW_FRAME_ERR)
		return -EINVAL;
	bool ext = f->flags & EVGW_FRAME_EXT;
	if (f->id > (ext ? EVGW_CAN_EFF_MASK : EVGW_CAN_SFF_MASK))
		return -EINVAL;
	h->echo_id = echo_id;
	h->channel = channel;
	h->can_id = f->id | (ext ? GSUSB_CAN_EFF : 0);
	if (f->flags & EVGW_FRAME_FD) {
		if (!fd || (f->flags & EVGW_FRAME_RTR) || !evgw_canfd_len_valid(f->len))
			return -EINVAL;
		h->flags = GSUSB_FLAG_FD;
		if (f->flags & EVGW_FRAME_BRS)
			h->flags |= GSUSB_FLAG_BRS;
		if (f->flags & EVGW_FRAME_ESI)
			h->flags |= GSUSB_FLAG_ESI;
		h->can_dlc = evgw_canfd_len_to_dlc(f->len);
		memcpy(h->data, f->data, f->len);
		return 0;
	}
	if (f->len > EVGW_CAN_MAX_DLEN)
		return -EINVAL;
	if (f->flags & EVGW_FRAME_RTR) {
		h->can_id |= GSUSB_CAN_RTR;
		h->can_dlc = f->len;
		return 0;
	}
	/* Keep a raw DLC 9..15 only on an 8-byte frame, as the kernel does. */
	h->can_dlc = f->len == EVGW_CAN_MAX_DLEN && f->dlc > EVGW_CAN_MAX_DLEN && f->dlc <= 15
			     ? f->dlc
			     : f->len;
	memcpy(h->data, f->data, f->len);
	return 0;
}

/* gs_device_config: 3 reserved bytes, icount, sw_version, hw_version (§1.4). */
int gsusb_device_config_decode(const uint8_t *buf, size_t len, struct gsusb_device_config *c)
{
	if (len < GSUSB_DEVICE_CONFIG_SIZE)
		return -EBADMSG;
	c->icount = buf[3];
	c->sw_version = le32_get(buf + 4);
	c->hw_version = le32_get(buf + 8);
	return 0;
}

/* Eight u32 limits: tseg1 min/max, tseg2 min/max, sjw_max, brp min/max/inc. */
static void limits_decode(const uint8_t *p, struct evgw_bt_limits *l)
{
	l->tseg1_min = le32_get(p);
	l->tseg1_max = le32_get(p + 4);
	l->tseg2_min = le32_get(p + 8);
	l->tseg2_max = le32_get(p + 12);
	l->sjw_max = le32_get(p + 16);
	l->brp_min = le32_get(p + 20);
	l->brp_max = le32_get(p + 24);
	l->brp_inc = le32_get(p + 28);
}

/* gs_device_bt_const: feature, fclk_can, then the nominal limits; the
 * extended form appends the data-phase limits in the same order (§1.4). */
int gsusb_bt_const_decode(const uint8_t *buf, size_t len, struct gsusb_bt_const *c)
{
	memset(c, 0, sizeof *c);
	if (len < GSUSB_BT_CONST_SIZE)
		return -EBADMSG;
	c->feature = le32_get(buf);
	c->fclk_can = le32_get(buf + 4);
	limits_decode(buf + 8, &c->nominal);
	if (len >= GSUSB_BT_CONST_EXT_SIZE)
		limits_decode(buf + GSUSB_BT_CONST_SIZE, &c->data);
	return 0;
}

int gsusb_state_decode(const uint8_t *buf, size_t len, struct gsusb_state *s)
{
	if (len < GSUSB_STATE_SIZE)
		return -EBADMSG;
	s->state = le32_get(buf);
	s->rxerr = le32_get(buf + 4);
	s->txerr = le32_get(buf + 8);
	return 0;
}

void gsusb_bittiming_encode(const struct evgw_bittiming *bt, uint8_t out[GSUSB_BITTIMING_SIZE])
{
	le32_put(out, bt->prop_seg);
	le32_put(out + 4, bt->phase_seg1);
	le32_put(out + 8, bt->phase_seg2);
	le32_put(out + 12, bt->sjw);
	le32_put(out + 16, bt->brp);
}

void gsusb_mode_encode(uint32_t mode, uint32_t flags, uint8_t out[GSUSB_MODE_SIZE])
{
	le32_put(out, mode);
	le32_put(out + 4, flags);
}

int gsusb_echo_take(struct gsusb_echo *e, uint16_t exclude)
{
	for (unsigned i = 0; i < GSUSB_MAX_ECHO; i++) {
		if (!((e->busy | exclude) & (1u << i))) {
			e->busy |= (uint16_t)(1u << i);
			return (int)i;
		}
	}
	return -ENOBUFS;
}

bool gsusb_echo_done(struct gsusb_echo *e, uint32_t id)
{
	if (id >= GSUSB_MAX_ECHO || !(e->busy & (1u << id))) {
		e->unknown++;
		return false;
	}
	e->busy &= (uint16_t) ~(1u << id);
	e->confirmed++;
	return true;
}

void gsusb_echo_release(struct gsusb_echo *e, uint32_t id)
{
	if (id < GSUSB_MAX_ECHO)
		e->busy &= (uint16_t) ~(1u << id);
}

unsigned gsusb_echo_in_flight(const struct gsusb_echo *e)
{
	return (unsigned)__builtin_popcount(e->busy);
}
