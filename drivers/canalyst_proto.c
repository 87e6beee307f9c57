// SPDX-License-Identifier: MIT
/* CANalyst-II codecs. Layouts from python-canalystii@7ef3a4a
 * canalystii/protocol.py (ctypes structs, _pack_ = 1, little-endian) as
 * summarised in adapters.md §2; offsets below are worked out from them. */
#include "drivers/canalyst_proto.h"

#include <errno.h>
#include <string.h>

#include "drivers/usb_bittiming.h"
#include "util/le.h"

/* SimpleCommand: u32 command + 15 u32 of padding. */
void canalyst_cmd_simple(uint32_t cmd, uint8_t out[CANALYST_PACKET])
{
	memset(out, 0, CANALYST_PACKET);
	le32_put(out, cmd);
}

/* InitCommand: command 0, acc_code 4, acc_mask 8, unknown0 12, filter 16,
 * unknown1 20, timing0 24, timing1 28, mode 32, unknown2 36. An all-ones
 * mask accepts every id, whatever the code; mode 1 reportedly crashes the
 * firmware (adapters.md §2), so 0. */
void canalyst_cmd_init(uint8_t btr0, uint8_t btr1, uint8_t out[CANALYST_PACKET])
{
	canalyst_cmd_simple(CANALYST_CMD_INIT, out);
	le32_put(out + 4, 1);
	le32_put(out + 8, 0xFFFFFFFFu);
	le32_put(out + 16, 1);
	le32_put(out + 24, btr0);
	le32_put(out + 28, btr1);
	le32_put(out + 36, 1);
}

/* MessageStatusResponse: command 0, rx_pending u32 at 4, tx_pending at 8
 * (u16 + unknown u16 per adapters.md; older protocol.py reads a u32). */
int canalyst_status_decode(const uint8_t *buf, size_t len, struct canalyst_status *st)
{
	if (len < 12)
		return -EBADMSG;
	st->rx_pending = le32_get(buf + 4);
	st->tx_pending = (uint16_t)(buf[8] | buf[9] << 8);
	return 0;
}

/* device.py receive(): ((rx_pending + 2) // 3 + 1) buffers of 64 bytes. */
size_t canalyst_rx_read_size(uint32_t rx_pending)
{
	return ((size_t)(rx_pending / 3u) + (rx_pending % 3u ? 1u : 0u) + 1u) * CANALYST_PACKET;
}

/* Message: can_id 0, timestamp 4, time_flag 8, send_type 9, remote 10,
 * extended 11, data_len 12, data 13..20. */
void canalyst_msg_encode(const struct canalyst_msg *m, uint8_t out[CANALYST_MSG_SIZE])
{
	le32_put(out, m->can_id);
	le32_put(out + 4, m->timestamp);
	out[8] = m->time_flag;
	out[9] = m->send_type;
	out[10] = m->remote;
	out[11] = m->extended;
	out[12] = m->data_len;
	memcpy(out + 13, m->data, 8);
}

void canalyst_msg_decode(const uint8_t in[CANALYST_MSG_SIZE], struct canalyst_msg *m)
{
	m->can_id = le32_get(in);
	m->timestamp = le32_get(in + 4);
	m->time_flag = in[8];
	m->send_type = in[9];
	m->remote = in[10];
	m->extended = in[11];
	m->data_len = in[12];
	memcpy(m->data, in + 13, 8);
}

/* MessageBuffer: count 0, then three Messages at 1, 22 and 43. */
int canalyst_parse_buffers(const uint8_t *buf, size_t len, canalyst_msg_fn fn, void *ud)
{
	if (len % CANALYST_PACKET)
		return -EBADMSG;
	int n = 0;
	for (size_t off = 0; off < len; off += CANALYST_PACKET) {
		const uint8_t *b = buf + off;
		if (b[0] > CANALYST_MSGS_PER_BUF)
			return -EBADMSG;
		for (unsigned i = 0; i < b[0]; i++) {
			struct canalyst_msg m;
			canalyst_msg_decode(b + 1 + i * CANALYST_MSG_SIZE, &m);
			fn(ud, &m);
			n++;
		}
	}
	return n;
}

int canalyst_msg_to_evgw(const struct canalyst_msg *m, struct evgw_frame *f)
{
	memset(f, 0, sizeof *f);
	if (m->data_len > EVGW_CAN_MAX_DLEN)
		return -EBADMSG;
	if (m->can_id > (m->extended ? EVGW_CAN_EFF_MASK : EVGW_CAN_SFF_MASK))
		return -EBADMSG;
	f->id = m->can_id;
	if (m->extended)
		f->flags |= EVGW_FRAME_EXT;
	f->len = f->dlc = m->data_len;
	if (m->remote)
		f->flags |= EVGW_FRAME_RTR;
	else
		memcpy(f->data, m->data, f->len);
	return 0;
}

int canalyst_msg_from_evgw(const struct evgw_frame *f, uint8_t send_type, struct canalyst_msg *m)
{
	memset(m, 0, sizeof *m);
	if (f->flags & (EVGW_FRAME_ERR | EVGW_FRAME_FD) || f->len > EVGW_CAN_MAX_DLEN)
		return -EINVAL;
	bool ext = f->flags & EVGW_FRAME_EXT;
	if (f->id > (ext ? EVGW_CAN_EFF_MASK : EVGW_CAN_SFF_MASK))
		return -EINVAL;
	m->can_id = f->id;
	m->extended = ext;
	m->remote = (f->flags & EVGW_FRAME_RTR) != 0;
	m->send_type = send_type;
	m->data_len = f->len;
	if (!m->remote)
		memcpy(m->data, f->data, f->len);
	return 0;
}

int canalyst_pack_buffer(const struct evgw_frame *frames, unsigned n, uint8_t send_type,
			 uint8_t out[CANALYST_PACKET])
{
	memset(out, 0, CANALYST_PACKET);
	unsigned k = 0;
	for (; k < n && k < CANALYST_MSGS_PER_BUF; k++) {
		struct canalyst_msg m;
		if (canalyst_msg_from_evgw(&frames[k], send_type, &m) < 0) {
			if (k == 0)
				return -EINVAL;
			break;
		}
		canalyst_msg_encode(&m, out + 1 + k * CANALYST_MSG_SIZE);
	}
	out[0] = (uint8_t)k;
	return (int)k;
}

/* device.py TIMINGS: bitrate key -> (BTR0, BTR1). */
static const struct {
	uint32_t key;
	uint8_t btr0, btr1;
} btr_table[] = {
	{5000, 0xBF, 0xFF},    {10000, 0x31, 0x1C},  {20000, 0x18, 0x1C},   {33330, 0x09, 0x6F},
	{40000, 0x87, 0xFF},   {50000, 0x09, 0x1C},  {66660, 0x04, 0x6F},   {80000, 0x83, 0xFF},
	{83330, 0x03, 0x6F},   {100000, 0x04, 0x1C}, {125000, 0x03, 0x1C},  {200000, 0x81, 0xFA},
	{250000, 0x01, 0x1C},  {400000, 0x80, 0xFA}, {500000, 0x00, 0x1C},  {666000, 0x80, 0xB6},
	{800000, 0x00, 0x16},  {1000000, 0x00, 0x14},
};

/* SJA1000 BTR decode (adapters.md §2, derived): brp = BTR0[5:0]+1,
 * tseg1 = BTR1[3:0]+1, tseg2 = BTR1[6:4]+1, 16 MHz crystal halved. */
uint32_t canalyst_btr_bitrate(uint8_t btr0, uint8_t btr1)
{
	uint32_t brp = (btr0 & 0x3Fu) + 1u;
	uint32_t tseg1 = (btr1 & 0x0Fu) + 1u;
	uint32_t tseg2 = ((btr1 >> 4) & 0x07u) + 1u;
	return 16000000u / (2u * brp * (1u + tseg1 + tseg2));
}

int canalyst_btr_lookup(uint32_t bitrate, uint8_t *btr0, uint8_t *btr1)
{
	for (size_t i = 0; i < sizeof btr_table / sizeof btr_table[0]; i++) {
		uint32_t real = canalyst_btr_bitrate(btr_table[i].btr0, btr_table[i].btr1);
		uint32_t d = bitrate > real ? bitrate - real : real - bitrate;
		if (bitrate == btr_table[i].key || (uint64_t)d * 1000 <= real) {
			*btr0 = btr_table[i].btr0;
			*btr1 = btr_table[i].btr1;
			return 0;
		}
	}
	return -EINVAL;
}

/* The kernel's SJA1000 limits and register packing (linux
 * drivers/net/can/sja1000/sja1000.c sja1000_bittiming_const and
 * sja1000_set_bittiming; not in adapters.md): tseg1 1-16, tseg2 1-8, sjw 4,
 * brp 1-64; BTR0 = (sjw-1)<<6 | (brp-1), BTR1 = (tseg2-1)<<4 | (tseg1-1). */
int canalyst_btr_for(uint32_t bitrate, uint8_t *btr0, uint8_t *btr1)
{
	if (canalyst_btr_lookup(bitrate, btr0, btr1) == 0)
		return 0;
	static const struct evgw_bt_limits sja1000 = {
		.tseg1_min = 1, .tseg1_max = 16, .tseg2_min = 1, .tseg2_max = 8,
		.sjw_max = 4, .brp_min = 1, .brp_max = 64, .brp_inc = 1,
	};
	struct evgw_bittiming bt;
	int r = evgw_bt_calc(8000000u, &sja1000, bitrate, 0, &bt);
	if (r < 0)
		return r;
	*btr0 = (uint8_t)(((bt.sjw - 1) & 3u) << 6 | ((bt.brp - 1) & 0x3Fu));
	*btr1 = (uint8_t)(((bt.phase_seg2 - 1) & 7u) << 4 | ((bt.prop_seg + bt.phase_seg1 - 1) & 0xFu));
	return 0;
}
