// SPDX-License-Identifier: MIT
/* libFuzzer target: a byte stream read as a run of bus events (frames with
 * ids and times, polls, sends of our own, driver refusals, address changes)
 * fed to the J1939-21 transport engine. Checks: no crash, sessions bounded,
 * every frame we send is well-formed and from our address, every delivered
 * message fits 1785 bytes, poll never asks to be called again at or before
 * now, every transfer we start ends exactly once, and with time running on
 * every session ends.
 *
 * Input: one config byte, then records. Config: bits 0-1 cts_max (1, 2, 16,
 * 255); bit 2 we have address 0xF9 (else listen only); bit 3 RTS/CTS packet
 * gap 10 ms (else 0); bits 4-5 BAM gap (50, 100, 200, 10 = clamped).
 * Record: op byte, time advance (op & 0x1F) * 25 ms, then by op >> 5:
 *   0-3  frame: pf, sa, da, len|flags, data[len & 15 capped at 8]
 *        pf: 0 TP.CM, 1 TP.DT, else the byte
 *   4    poll
 *   5    send: da, len.lo, len.hi (3 bits), pgn selector
 *   6    refuse the next (byte & 63) sends
 *   7    set our address to the byte
 * Addresses: a byte with bit 7 set is taken as is, else one of 8 usual ones. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "j1939/j1939_id.h"
#include "j1939/j1939_tp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MS(x) ((int64_t)(x) * 1000)

static const uint8_t addrs[8] = {0x00, 0x03, 0x17, 0x21, 0xF9, 0xFF, 0xFE, 0x0B};

static struct j1939_tp tp;
static int64_t now;
static unsigned refuse;
static unsigned started, ended;
static uint8_t payload[J1939_TP_MAX_SIZE];

static int f_send(void *ud, const struct evgw_frame *f)
{
	(void)ud;
	if ((f->flags & ~EVGW_FRAME_EXT) || f->len > 8 || !(f->flags & EVGW_FRAME_EXT))
		abort();
	if (tp.cfg.our_sa >= J1939_ADDR_NULL)
		abort();   /* listen only must never transmit */
	if (j1939_id_sa(f->id) != tp.cfg.our_sa)
		abort();
	if (j1939_id_pgn(f->id) == J1939_PGN_TP_DT && (f->len != 8 || f->data[0] == 0))
		abort();
	if (j1939_id_pgn(f->id) == J1939_PGN_TP_CM && f->len != 8)
		abort();
	if (refuse) {
		refuse--;
		return -11;   /* -EAGAIN */
	}
	return 0;
}

static void f_deliver(void *ud, uint32_t pgn, uint8_t sa, uint8_t da, const uint8_t *d, size_t len,
		      int64_t t)
{
	uint32_t sum = 0, again = 0;

	(void)ud;
	if (len == 0 || len > J1939_TP_MAX_SIZE || pgn > J1939_PGN_MASK || sa >= J1939_ADDR_NULL ||
	    t != now)
		abort();
	if (tp.cfg.our_sa < J1939_ADDR_NULL && sa == tp.cfg.our_sa)
		abort();
	(void)da;
	for (size_t i = 0; i < len; i++)
		sum = sum * 31 + d[i];   /* ASan checks the whole buffer is readable */
	/* Answering from the callback is allowed, and leaves data alone. */
	if (len & 1) {
		int rc = j1939_tp_send(&tp, 0xEF00, sa, payload, 9 + len % 64, 6, t);
		if (rc == 1)
			started++;
		for (size_t i = 0; i < len; i++)
			again = again * 31 + d[i];
		if (again != sum)
			abort();
	}
}

static void f_tx_done(void *ud, uint32_t pgn, uint8_t da, int err, uint8_t reason, int64_t t)
{
	(void)ud;
	(void)pgn;
	(void)da;
	(void)reason;
	if (err > 0 || t != now)
		abort();
	ended++;
}

static const struct j1939_tp_ops ops = {f_send, f_deliver, f_tx_done};

static uint8_t pick_addr(uint8_t b)
{
	return (b & 0x80) ? b : addrs[b & 7];
}

static void check_bounds(void)
{
	if (j1939_tp_active(&tp) > J1939_TP_SESSIONS)
		abort();
}

static void poll_now(void)
{
	int64_t next = j1939_tp_poll(&tp, now);

	if (next <= now)
		abort();   /* the caller would spin */
	check_bounds();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t cts[4] = {1, 2, 16, 255};
	static const uint32_t bam_gap[4] = {50000, 100000, 200000, 10000};
	struct j1939_tp_config cfg;
	size_t i = 0;

	if (size < 1)
		return 0;
	for (size_t k = 0; k < sizeof payload; k++)
		payload[k] = (uint8_t)(k * 31 + 7);
	j1939_tp_config_default(&cfg);
	cfg.cts_max = cts[data[0] & 3];
	cfg.our_sa = (data[0] & 4) ? 0xF9 : J1939_ADDR_NULL;
	cfg.dt_gap_us = (data[0] & 8) ? 10000 : 0;
	cfg.bam_gap_us = bam_gap[(data[0] >> 4) & 3];
	if (j1939_tp_init(&tp, &cfg, &ops, NULL) != 0)
		abort();
	now = INT64_C(1000000000);
	refuse = 0;
	started = ended = 0;
	i = 1;
	while (i < size) {
		uint8_t op = data[i++];

		now += MS(25) * (op & 0x1F);
		switch (op >> 5) {
		case 4:
			poll_now();
			break;
		case 5: {
			if (size - i < 4) {
				i = size;
				break;
			}
			uint8_t da = pick_addr(data[i]);
			size_t len = data[i + 1] | (size_t)(data[i + 2] & 7) << 8;
			uint32_t pgn = data[i + 3] & 1 ? 0xFECA : (uint32_t)0xEF00 | data[i + 3];
			i += 4;
			int rc = j1939_tp_send(&tp, pgn, da, payload, len, 6, now);
			if (rc == 1)
				started++;
			if (rc > 1)
				abort();
			check_bounds();
			break;
		}
		case 6:
			if (i < size)
				refuse = data[i++] & 63;
			break;
		case 7:
			if (i < size)
				j1939_tp_set_address(&tp, data[i++], now);
			check_bounds();
			break;
		default: {
			struct evgw_frame f;

			if (size - i < 4) {
				i = size;
				break;
			}
			uint8_t pf = data[i] == 0 ? 0xEC : data[i] == 1 ? 0xEB : data[i];
			uint8_t sa = pick_addr(data[i + 1]);
			uint8_t da = pick_addr(data[i + 2]);
			uint8_t lf = data[i + 3];
			i += 4;
			memset(&f, 0, sizeof f);
			f.len = (lf & 15) > 8 ? 8 : (lf & 15);
			f.flags = (lf & 0x10) ? 0 : EVGW_FRAME_EXT;
			if (lf & 0x20)
				f.flags |= EVGW_FRAME_FD;
			f.id = (uint32_t)((lf >> 6) + 5) << 26 | (uint32_t)pf << 16 | (uint32_t)da << 8 | sa;
			if (size - i < f.len) {
				i = size;
				break;
			}
			memcpy(f.data, data + i, f.len);
			i += f.len;
			int rc = j1939_tp_rx(&tp, &f, now);
			if (rc != 0 && rc != 1)
				abort();
			check_bounds();
			break;
		}
		}
	}
	/* Time runs on with a driver that takes everything: all must end. */
	refuse = 0;
	poll_now();
	for (int n = 0; n < 20000; n++) {
		int64_t next = j1939_tp_next_deadline(&tp);
		if (next == INT64_MAX)
			break;
		if (next <= now)
			abort();
		now = next;
		poll_now();
	}
	if (j1939_tp_active(&tp) != 0 || started != ended)
		abort();
	return 0;
}
