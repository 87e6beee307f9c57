// SPDX-License-Identifier: MIT
/* J1939-73 DM1/DM2 payloads, DM requests and the J1939-21 Acknowledgment;
 * layouts in j1939_dm.h. */
#include "j1939/j1939_dm.h"

#include <errno.h>
#include <string.h>

#include "j1939/j1939_cur.h"
#include "j1939/j1939_id.h"
#include "j1939/j1939_tp.h"

void j1939_dtc_decode(const uint8_t b[4], uint8_t method, struct j1939_dtc *out)
{
	uint32_t low3 = b[2] >> 5;   /* b2 bits 7-5 */

	switch (method) {
	case J1939_SPN_V1:
		/* The 16 high bits MSB first, then the 3 low bits. */
		out->spn = ((uint32_t)b[0] << 8 | b[1]) << 3 | low3;
		break;
	case J1939_SPN_V2:
		/* The 16 high bits LSB first, then the 3 low bits. */
		out->spn = ((uint32_t)b[1] << 8 | b[0]) << 3 | low3;
		break;
	default:
		/* v3 and v4 (J1939-73 DM1): b0 | b1 << 8 | b2[7:5] << 16. */
		method = method == J1939_SPN_V3 ? J1939_SPN_V3 : J1939_SPN_V4;
		out->spn = b[0] | (uint32_t)b[1] << 8 | low3 << 16;
		break;
	}
	out->fmi = b[2] & 0x1Fu;
	out->cm = b[3] >> 7;
	out->oc = b[3] & 0x7Fu;
	out->method = method;
}

int j1939_dtc_encode(const struct j1939_dtc *d, uint8_t b[4])
{
	if (d->spn >> 19 || d->fmi >> 5 || d->oc >> 7 || d->cm > 1)
		return -EINVAL;
	b[0] = (uint8_t)d->spn;
	b[1] = (uint8_t)(d->spn >> 8);
	b[2] = (uint8_t)((d->spn >> 16) << 5 | d->fmi);
	b[3] = (uint8_t)(d->cm << 7 | d->oc);
	return 0;
}

void j1939_dm_lamps_decode(uint8_t status, uint8_t flash, struct j1939_dm_lamps *out)
{
	/* J1939 numbers bits 8..1; MIL is 8-7, i.e. bits 7-6 here. */
	out->mil = status >> 6 & 3u;
	out->red_stop = status >> 4 & 3u;
	out->amber = status >> 2 & 3u;
	out->protect = status & 3u;
	out->mil_flash = flash >> 6 & 3u;
	out->red_stop_flash = flash >> 4 & 3u;
	out->amber_flash = flash >> 2 & 3u;
	out->protect_flash = flash & 3u;
}

/* "No fault" (J1939-73: SPN 0, FMI 0, OC 0), with the OC "not available"
 * variant, and the all-0xFF slot some senders pad with. */
static bool dtc_is_empty(const uint8_t b[4])
{
	if (b[0] == 0xFF && b[1] == 0xFF && b[2] == 0xFF && b[3] == 0xFF)
		return true;
	return b[0] == 0 && b[1] == 0 && b[2] == 0 && ((b[3] & 0x7Fu) == 0 || (b[3] & 0x7Fu) == 0x7Fu);
}

int j1939_dm_parse(const uint8_t *data, size_t len, uint8_t sa, const struct j1939_dm_cm_table *cm,
		   struct j1939_dm_msg *out)
{
	struct j1939_cur c = j1939_cur_make(data, len);
	size_t slots, tail;

	memset(&out->lamps, 0, sizeof out->lamps);
	out->count = 0;
	if (!data || len < 6 || len > J1939_TP_MAX_SIZE)
		return -EBADMSG;
	slots = (len - 2) / 4;
	tail = (len - 2) % 4;
	/* A single frame is 8 bytes whatever it carries; past that, a length
	 * that is not 2 + 4n must be 0xFF padding (J1939-21: unused bytes are
	 * sent as 0xFF). */
	if (len > 8 && tail) {
		for (size_t i = len - tail; i < len; i++)
			if (data[i] != 0xFF)
				return -EBADMSG;
	}
	uint8_t status = j1939_cur_u8(&c);
	uint8_t flash = j1939_cur_u8(&c);
	j1939_dm_lamps_decode(status, flash, &out->lamps);
	for (size_t i = 0; i < slots; i++) {
		const uint8_t *b = j1939_cur_take(&c, 4);

		if (!b)
			return -EBADMSG;
		if (dtc_is_empty(b))
			continue;
		uint8_t method = J1939_SPN_V4;
		if ((b[3] >> 7) && cm)
			method = cm->method[sa];
		j1939_dtc_decode(b, method, &out->dtc[out->count++]);
	}
	return out->count;
}

int j1939_dm_encode(const struct j1939_dm_lamps *l, const struct j1939_dtc *dtc, size_t n,
		    uint8_t *out, size_t cap)
{
	size_t len = n <= 1 ? 8 : 2 + 4 * n;
	const uint8_t v[8] = {l->mil, l->red_stop, l->amber, l->protect, l->mil_flash,
			      l->red_stop_flash, l->amber_flash, l->protect_flash};

	if (n > J1939_DM_MAX_DTC || (n && !dtc))
		return -EINVAL;
	for (unsigned i = 0; i < 8; i++)
		if (v[i] > 3)
			return -EINVAL;
	if (!out || cap < len)
		return -ENOSPC;
	out[0] = (uint8_t)(l->mil << 6 | l->red_stop << 4 | l->amber << 2 | l->protect);
	out[1] = (uint8_t)(l->mil_flash << 6 | l->red_stop_flash << 4 | l->amber_flash << 2 |
			   l->protect_flash);
	memset(out + 2, 0, 4);   /* the "no fault" DTC when n == 0 */
	for (size_t i = 0; i < n; i++)
		if (j1939_dtc_encode(&dtc[i], out + 2 + 4 * i) < 0)
			return -EINVAL;
	if (n <= 1) {
		out[6] = 0xFF;
		out[7] = 0xFF;
	}
	return (int)len;
}

void j1939_dm_build_request(struct evgw_frame *f, uint32_t pgn, uint8_t da, uint8_t sa)
{
	j1939_request_build(f, pgn, da, sa);
}

int j1939_ack_parse(const uint8_t *data, size_t len, struct j1939_ack *out)
{
	struct j1939_cur c = j1939_cur_make(data, len);

	out->control = j1939_cur_u8(&c);
	out->group_function = j1939_cur_u8(&c);
	(void)j1939_cur_take(&c, 2);   /* reserved */
	out->address = j1939_cur_u8(&c);
	out->pgn = j1939_cur_le24(&c);
	if (c.bad || out->control > J1939_ACK_CANNOT_RESPOND || out->pgn > J1939_PGN_MASK)
		return -EBADMSG;
	return 0;
}

void j1939_ack_build(struct evgw_frame *f, const struct j1939_ack *a, uint8_t sa)
{
	uint8_t d[8] = {a->control, a->group_function, 0xFF, 0xFF, a->address, (uint8_t)a->pgn,
			(uint8_t)(a->pgn >> 8), (uint8_t)(a->pgn >> 16)};

	j1939_frame_init(f, J1939_PRIO_DEFAULT, J1939_PGN_ACK, J1939_ADDR_GLOBAL, sa, d, 8);
}
