// SPDX-License-Identifier: MIT
/* libFuzzer target for the CANalyst-II parsers: a message-endpoint transfer
 * (64-byte buffers of up to three 21-byte messages) and a status reply.
 * Every message converted to a frame must be well-formed and pack back to
 * the same bytes. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/canalyst_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(void *ud, const struct canalyst_msg *m)
{
	unsigned *count = ud;
	struct evgw_frame f;
	(*count)++;
	if (canalyst_msg_to_evgw(m, &f) < 0)
		return;
	if (f.len > EVGW_CAN_MAX_DLEN || (f.flags & ~(EVGW_FRAME_EXT | EVGW_FRAME_RTR)))
		abort();
	uint8_t out[CANALYST_PACKET];
	if (canalyst_pack_buffer(&f, 1, m->send_type, out) != 1 || out[0] != 1)
		abort();
	struct canalyst_msg back;
	canalyst_msg_decode(out + 1, &back);
	if (back.can_id != m->can_id || back.data_len != m->data_len ||
	    (!m->remote && memcmp(back.data, m->data, m->data_len)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	unsigned count = 0;
	int n = canalyst_parse_buffers(buf, size, one, &count);
	if (n >= 0 && (unsigned)n != count)
		abort();
	if (n >= 0 && (size % CANALYST_PACKET || (unsigned)n > size / CANALYST_PACKET * 3))
		abort();
	struct canalyst_status st;
	if (canalyst_status_decode(buf, size, &st) == 0) {
		size_t want = canalyst_rx_read_size(st.rx_pending);
		if (want % CANALYST_PACKET || want < CANALYST_PACKET)
			abort();
	}
	if (size >= 4) {
		uint32_t rate = (uint32_t)buf[0] | (uint32_t)buf[1] << 8 | (uint32_t)buf[2] << 16 |
				(uint32_t)buf[3] << 24;
		uint8_t b0, b1;
		if (canalyst_btr_for(rate, &b0, &b1) == 0) {
			uint32_t real = canalyst_btr_bitrate(b0, b1);
			uint32_t d = real > rate ? real - rate : rate - real;
			/* The kernel's limit: 5.0 % in truncated tenths of a percent. */
			if ((uint64_t)d * 1000 / rate > 50)
				abort();
		}
	}
	free(buf);
	return 0;
}
