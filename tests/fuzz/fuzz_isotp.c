// SPDX-License-Identifier: MIT
/* libFuzzer target: an ISO-TP link fed a hostile sequence of frames, clock
 * steps, sends of our own and driver refusals. Checks: nothing crashes or
 * reads out of bounds (the receive buffer is an exact-size heap block), every
 * frame we emit is a valid CAN/CAN FD frame on our identifier, every
 * delivered message fits the buffer, and poll() never returns a deadline
 * that has already passed.
 *
 * Input: byte 0 picks the configuration; then records
 *   op 0: frame  <len> <dt> <flags> <len bytes>
 *   op 1: poll   <dt>  (clock += dt * 10 ms)
 *   op 2: send   <hi> <lo> (length % 5000 + 1)
 *   op 3: driver <n> (the next n % 8 sends fail, -EAGAIN or -EIO) */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag/isotp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ctx {
	struct isotp_link link;
	size_t rx_cap;
	int fail_next;
	int fail_rc;
	int tx_pending;   /* sends started minus completions */
	unsigned sink;
};

static uint8_t source[5000];

static int fz_send(void *ud, const struct evgw_frame *f)
{
	struct ctx *c = ud;

	if (f->id != c->link.cfg.tx_id || f->len > EVGW_CANFD_MAX_DLEN)
		abort();
	if (c->link.cfg.fd ? !evgw_canfd_len_valid(f->len) : f->len > 8)
		abort();
	if (!(f->flags & EVGW_FRAME_EXT) != !c->link.cfg.ext_id)
		abort();
	if (c->fail_next > 0) {
		c->fail_next--;
		return c->fail_rc;
	}
	return 0;
}

static void fz_rx(void *ud, const uint8_t *d, size_t len, int err, int64_t now)
{
	struct ctx *c = ud;

	if (err) {
		if (d || err > 0)
			abort();
		return;
	}
	/* Single frames come straight from the frame (<= 62 bytes); the rest
	 * from the buffer. */
	if (!d || len == 0 || (len > 62 && len > c->rx_cap))
		abort();
	for (size_t i = 0; i < len; i++)
		c->sink += d[i];
}

static void fz_tx(void *ud, int err, int64_t now)
{
	struct ctx *c = ud;

	if (--c->tx_pending < 0 || err > 0)
		abort();
}

static void check_deadline(const struct ctx *c, int64_t next, int64_t now)
{
	if (next != ISOTP_NO_DEADLINE && next <= now)
		abort();
	if (isotp_tx_busy(&c->link) != (c->tx_pending > 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ctx c;
	struct isotp_cfg cfg;
	uint8_t *buf = NULL;
	size_t i = 1;
	int64_t now = 1000000;

	if (size < 1)
		return 0;
	for (size_t k = 0; k < sizeof source; k++)
		source[k] = (uint8_t)k;
	c.fail_next = c.tx_pending = 0;
	c.sink = 0;
	isotp_cfg_default(&cfg, 0x7E0, 0x7E8);
	cfg.use_ae = data[0] & 0x01;
	cfg.tx_ae = 0x55;
	cfg.rx_ae = 0xF1;
	cfg.fd = data[0] & 0x02;
	cfg.tx_dl = cfg.fd ? 64 : 8;
	cfg.pad = (data[0] & 0x04) ? ISOTP_NO_PAD : 0xCC;
	cfg.bs = (const uint8_t[]){0, 1, 2, 8}[(data[0] >> 3) & 3];
	cfg.stmin = (data[0] & 0x80) ? 0xF5 : 0;
	if (data[0] & 0x40) {
		cfg.ext_id = true;
		cfg.tx_id = 0x18DA10F1;
		cfg.rx_id = 0x18DAF110;
	}
	c.rx_cap = ISOTP_DEFAULT_MAX;
	if (data[0] & 0x20) {
		/* An exact-size caller buffer: ASan sees any write past it. */
		c.rx_cap = (data[0] & 0x01) ? 64 : 300;
		buf = malloc(c.rx_cap);
		if (!buf)
			return 0;
		cfg.rx_buf = buf;
		cfg.rx_cap = c.rx_cap;
	}
	cfg.on_rx = fz_rx;
	cfg.on_tx_done = fz_tx;
	cfg.cb_ud = &c;
	if (isotp_init(&c.link, &cfg, fz_send, &c) != 0)
		abort();

	while (i < size) {
		uint8_t op = data[i++] & 3;
		struct evgw_frame f;
		size_t len;
		int rc;

		switch (op) {
		case 0:
			if (size - i < 3)
				goto out;
			memset(&f, 0, sizeof f);
			len = data[i] & 0x7F;
			if (len > 64)
				len = 64;
			now += data[i + 1] * 997;
			f.flags = data[i + 2] & (EVGW_FRAME_EXT | EVGW_FRAME_RTR | EVGW_FRAME_FD);
			f.id = (data[i + 2] & 0x80) ? 0x7E9 : c.link.cfg.rx_id;
			i += 3;
			if (len > size - i)
				len = size - i;
			memcpy(f.data, data + i, len);
			f.len = (uint8_t)len;
			i += len;
			isotp_on_frame(&c.link, &f, now);
			break;
		case 1:
			if (i >= size)
				goto out;
			now += (int64_t)data[i++] * 10000;
			break;
		case 2:
			if (size - i < 2)
				goto out;
			len = ((size_t)data[i] << 8 | data[i + 1]) % sizeof source + 1;
			i += 2;
			c.tx_pending++;
			rc = isotp_send(&c.link, source, len, now);
			if (rc != 0)
				c.tx_pending--;
			if (rc != 0 && rc != -EBUSY && rc != -EIO)
				abort();
			break;
		default:
			if (i >= size)
				goto out;
			c.fail_next = data[i] & 7;
			c.fail_rc = (data[i] & 8) ? -EIO : -EAGAIN;
			i++;
			break;
		}
		check_deadline(&c, isotp_poll(&c.link, now), now);
	}
out:
	/* Run the clock out: everything must end (N_Bs, N_Cr, N_As, N_Ar). */
	c.fail_next = 0;
	for (int k = 0; k < 10000; k++) {
		int64_t next = isotp_poll(&c.link, now);

		check_deadline(&c, next, now);
		if (next == ISOTP_NO_DEADLINE)
			break;
		now = next;
	}
	if (isotp_tx_busy(&c.link) || isotp_rx_busy(&c.link))
		abort();
	free(buf);
	return 0;
}
