// SPDX-License-Identifier: MIT
/* libFuzzer target for the gs_usb parsers: a bulk IN transfer as the device
 * would send it (the first byte picks the timestamp layout), and the
 * BT_CONST reply fed to the bit-timing search. Decoded frames must be
 * well-formed and survive encode -> decode unchanged. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/gsusb_proto.h"
#include "drivers/usb_bittiming.h"
#include "can/can_error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_frame(const struct evgw_frame *f)
{
	if (f->len > EVGW_CANFD_MAX_DLEN)
		abort();
	if ((f->flags & EVGW_FRAME_FD) && !evgw_canfd_len_valid(f->len))
		abort();
	if (!(f->flags & EVGW_FRAME_FD) && f->len > EVGW_CAN_MAX_DLEN)
		abort();
	for (size_t i = f->len; i < EVGW_CANFD_MAX_DLEN; i++)
		if (f->data[i])
			abort();
}

static void roundtrip(const struct evgw_frame *f)
{
	struct gsusb_host_frame h, h2;
	struct evgw_frame g;
	uint8_t buf[GSUSB_FRAME_MAX];
	if (f->flags & EVGW_FRAME_ERR)
		return;
	if (gsusb_frame_from_evgw(f, true, 1, 7, &h) < 0)
		abort(); /* everything decoded can be sent back */
	int n = gsusb_frame_encode(&h, buf, sizeof buf);
	if (n < 0 || gsusb_frame_decode(buf, (size_t)n, false, &h2) < 0)
		abort();
	if (gsusb_frame_to_evgw(&h2, &g) < 0)
		abort();
	if (g.id != f->id || g.len != f->len || g.flags != f->flags || g.dlc != f->dlc ||
	    memcmp(g.data, f->data, sizeof g.data))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	bool ts = data[0] & 1;
	/* An exact-size copy so that ASan sees a read past the transfer. */
	size_t n = size - 1;
	uint8_t *buf = malloc(n ? n : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, n);

	struct gsusb_host_frame h;
	if (gsusb_frame_decode(buf, n, ts, &h) == 0) {
		if (n < gsusb_frame_size(h.flags & GSUSB_FLAG_FD, ts))
			abort();
		struct evgw_frame f;
		if (gsusb_frame_to_evgw(&h, &f) == 0) {
			check_frame(&f);
			roundtrip(&f);
			struct evgw_can_errstate st = {0};
			if (f.flags & EVGW_FRAME_ERR)
				evgw_can_error_fold(&st, &f);
			if (st.state > EVGW_BUS_STOPPED)
				abort();
		}
	} else if (n >= GSUSB_FRAME_MAX) {
		abort(); /* 80 bytes hold every layout */
	}

	struct gsusb_bt_const c;
	if (gsusb_bt_const_decode(buf, n, &c) == 0 && n >= GSUSB_BT_CONST_SIZE + 4) {
		uint32_t rate = (uint32_t)buf[40] | (uint32_t)buf[41] << 8 | (uint32_t)buf[42] << 16 |
				(uint32_t)buf[43] << 24;
		struct evgw_bittiming bt;
		/* Keep the search short: the kernel's limits are small numbers. */
		if (c.nominal.tseg1_max <= 256 && c.nominal.tseg2_max <= 128 &&
		    evgw_bt_calc(c.fclk_can, &c.nominal, rate, 0, &bt) == 0) {
			if (bt.brp < c.nominal.brp_min || bt.brp > c.nominal.brp_max || !bt.brp)
				abort();
			if (bt.sample_point >= 1000 || bt.sjw < 1)
				abort();
			uint64_t tq = 1 + (uint64_t)bt.prop_seg + bt.phase_seg1 + bt.phase_seg2;
			if ((uint64_t)bt.bitrate != c.fclk_can / (bt.brp * tq))
				abort();
		}
	}
	struct gsusb_device_config dc;
	struct gsusb_state st;
	(void)gsusb_device_config_decode(buf, n, &dc);
	(void)gsusb_state_decode(buf, n, &st);
	free(buf);
	return 0;
}
