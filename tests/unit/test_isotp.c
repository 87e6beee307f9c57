// SPDX-License-Identifier: MIT
/* ISO-TP (ISO 15765-2:2016). Every expected frame is written out by hand from
 * the PCI layouts of clause 9.6, with the arithmetic next to it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "diag/isotp.h"

#define MAX_SENT 1024
#define MS 1000

/* Everything the link said, in order. */
struct rig {
	struct isotp_link link;
	struct evgw_frame sent[MAX_SENT];
	size_t n_sent;
	int fail_next;          /* this many sends return fail_rc */
	int fail_rc;
	uint8_t rx[8192];
	size_t rx_len;
	int rx_count, rx_err, rx_err_count;
	int tx_count, tx_err;
	size_t ff_len;
	int ff_count;
};

static int rig_send(void *ud, const struct evgw_frame *f)
{
	struct rig *r = ud;

	if (r->fail_next > 0) {
		r->fail_next--;
		return r->fail_rc;
	}
	assert_true(r->n_sent < MAX_SENT);
	r->sent[r->n_sent++] = *f;
	return 0;
}

static void rig_rx(void *ud, const uint8_t *data, size_t len, int err, int64_t now)
{
	struct rig *r = ud;

	if (err) {
		assert_null(data);
		r->rx_err = err;
		r->rx_err_count++;
		return;
	}
	memcpy(r->rx, data, len < sizeof r->rx ? len : sizeof r->rx);
	r->rx_len = len;
	r->rx_count++;
}

static void rig_tx(void *ud, int err, int64_t now)
{
	struct rig *r = ud;

	r->tx_count++;
	r->tx_err = err;
}

static void rig_ff(void *ud, size_t len, int64_t now)
{
	struct rig *r = ud;

	r->ff_len = len;
	r->ff_count++;
}

static void cfg_for(struct isotp_cfg *cfg, struct rig *r)
{
	isotp_cfg_default(cfg, 0x7E0, 0x7E8);
	cfg->on_rx = rig_rx;
	cfg->on_tx_done = rig_tx;
	cfg->on_rx_ff = rig_ff;
	cfg->cb_ud = r;
}

static struct rig *rig_new(const struct isotp_cfg *cfg)
{
	struct rig *r = calloc(1, sizeof *r);
	struct isotp_cfg c;

	assert_non_null(r);
	if (cfg) {
		c = *cfg;
		c.cb_ud = r;
	} else {
		cfg_for(&c, r);
	}
	assert_int_equal(isotp_init(&r->link, &c, rig_send, r), 0);
	return r;
}

static struct evgw_frame mk(uint32_t id, const uint8_t *d, size_t n)
{
	struct evgw_frame f;

	memset(&f, 0, sizeof f);
	f.id = id;
	f.len = (uint8_t)n;
	f.dlc = n <= 8 ? (uint8_t)n : evgw_canfd_len_to_dlc((uint8_t)n);
	if (n > 8)
		f.flags = EVGW_FRAME_FD;
	memcpy(f.data, d, n);
	return f;
}

/* Feed bytes as a frame from the peer (0x7E8 unless told). */
#define FEED(r, t, ...)                                                             \
	do {                                                                            \
		const uint8_t b_[] = {__VA_ARGS__};                                         \
		struct evgw_frame f_ = mk((r)->link.cfg.rx_id, b_, sizeof b_);              \
		if ((r)->link.cfg.ext_id)                                                   \
			f_.flags |= EVGW_FRAME_EXT;                                             \
		assert_true(isotp_on_frame(&(r)->link, &f_, (t)));                          \
	} while (0)

#define EXPECT_SENT(r, i, ...)                                                      \
	do {                                                                            \
		const uint8_t b_[] = {__VA_ARGS__};                                         \
		assert_true((i) < (r)->n_sent);                                             \
		assert_int_equal((r)->sent[i].len, sizeof b_);                              \
		assert_memory_equal((r)->sent[i].data, b_, sizeof b_);                      \
	} while (0)

static uint8_t pattern[70000];

static void fill_pattern(void)
{
	for (size_t i = 0; i < sizeof pattern; i++)
		pattern[i] = (uint8_t)(i * 7 + (i >> 8));
}

/* ---- single frames ---- */

static void sf_send_padded(void **state)
{
	struct rig *r = rig_new(NULL);
	const uint8_t req[] = {0x22, 0xF1, 0x90};

	/* 9.6.2: SF PCI 0L with L = 3, then the data; padding 0xCC to DLC 8. */
	assert_int_equal(isotp_send(&r->link, req, sizeof req, 0), 0);
	assert_int_equal(r->n_sent, 1);
	assert_int_equal(r->sent[0].id, 0x7E0);
	assert_int_equal(r->sent[0].flags, 0);
	assert_int_equal(r->sent[0].dlc, 8);
	EXPECT_SENT(r, 0, 0x03, 0x22, 0xF1, 0x90, 0xCC, 0xCC, 0xCC, 0xCC);
	assert_int_equal(r->tx_count, 1);
	assert_int_equal(r->tx_err, 0);
	assert_false(isotp_tx_busy(&r->link));
	assert_int_equal(isotp_poll(&r->link, 0), ISOTP_NO_DEADLINE);
	free(r);
}

static void sf_send_unpadded_and_other_pads(void **state)
{
	struct isotp_cfg cfg;
	struct rig *r;
	const uint8_t req[] = {0x3E, 0x80};

	cfg_for(&cfg, NULL);
	cfg.pad = ISOTP_NO_PAD;
	r = rig_new(&cfg);
	assert_int_equal(isotp_send(&r->link, req, 2, 0), 0);
	EXPECT_SENT(r, 0, 0x02, 0x3E, 0x80);  /* DLC 3: no padding */
	assert_int_equal(r->sent[0].dlc, 3);
	free(r);

	cfg.pad = 0xAA;
	r = rig_new(&cfg);
	assert_int_equal(isotp_send(&r->link, req, 2, 0), 0);
	EXPECT_SENT(r, 0, 0x02, 0x3E, 0x80, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA);
	free(r);
}

static void sf_receive_tolerates_padding(void **state)
{
	struct rig *r = rig_new(NULL);
	const uint8_t want[] = {0x62, 0xF1, 0x90, 0x57, 0x50};

	/* 05 = SF of 5 bytes; the 0xAA tail is padding and must not be delivered. */
	FEED(r, 0, 0x05, 0x62, 0xF1, 0x90, 0x57, 0x50, 0xAA, 0xAA);
	assert_int_equal(r->rx_count, 1);
	assert_int_equal(r->rx_len, 5);
	assert_memory_equal(r->rx, want, 5);
	/* Unpadded: DLC 6 for the same SF. */
	FEED(r, 0, 0x05, 0x62, 0xF1, 0x90, 0x57, 0x50);
	assert_int_equal(r->rx_count, 2);
	assert_int_equal(r->n_sent, 0);  /* SFs get no flow control */
	free(r);
}

static void sf_receive_rejects_bad_lengths(void **state)
{
	struct rig *r = rig_new(NULL);
	struct evgw_frame other;
	const uint8_t d[] = {0x02, 0x50, 0x01};

	FEED(r, 0, 0x00, 0x11, 0x22);        /* SF_DL 0 is invalid (9.6.2) */
	FEED(r, 0, 0x07, 0x62, 0xF1);        /* SF_DL 7 but only 2 bytes follow */
	FEED(r, 0, 0x40, 0x01);              /* PCI type 4 is reserved */
	assert_int_equal(r->rx_count, 0);
	assert_int_equal(r->link.stats.ignored, 3);
	/* Another identifier, or a 29-bit frame with our number, is not ours. */
	other = mk(0x7E9, d, sizeof d);
	assert_false(isotp_on_frame(&r->link, &other, 0));
	other = mk(0x7E8, d, sizeof d);
	other.flags = EVGW_FRAME_EXT;
	assert_false(isotp_on_frame(&r->link, &other, 0));
	other.flags = EVGW_FRAME_RTR;
	assert_false(isotp_on_frame(&r->link, &other, 0));
	free(r);
}

/* ---- segmented send ---- */

static void send_ff_cf_bs0(void **state)
{
	struct rig *r = rig_new(NULL);

	/* 20 bytes > 7: FF 1H LL with FF_DL 0x014 and 6 data bytes, then CFs of 7:
	 * 6 + 7 + 7 = 20, so two CFs, SN 1 and 2. */
	assert_int_equal(isotp_send(&r->link, pattern, 20, 0), 0);
	assert_int_equal(r->n_sent, 1);
	EXPECT_SENT(r, 0, 0x10, 0x14, pattern[0], pattern[1], pattern[2], pattern[3], pattern[4],
		    pattern[5]);
	assert_int_equal(r->tx_count, 0);
	/* Waiting for FC: N_Bs = 1000 ms. */
	assert_int_equal(isotp_poll(&r->link, 0), 1000 * MS);
	/* FC CTS, BS 0 (no more FCs), STmin 0: both CFs go at once. */
	FEED(r, 5 * MS, 0x30, 0x00, 0x00, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC);
	assert_int_equal(r->n_sent, 3);
	EXPECT_SENT(r, 1, 0x21, pattern[6], pattern[7], pattern[8], pattern[9], pattern[10],
		    pattern[11], pattern[12]);
	EXPECT_SENT(r, 2, 0x22, pattern[13], pattern[14], pattern[15], pattern[16], pattern[17],
		    pattern[18], pattern[19]);
	assert_int_equal(r->tx_count, 1);
	assert_int_equal(r->tx_err, 0);
	assert_int_equal(isotp_poll(&r->link, 5 * MS), ISOTP_NO_DEADLINE);
	free(r);
}

static void send_bs2_with_stmin_ms_and_us(void **state)
{
	struct rig *r = rig_new(NULL);

	/* 40 bytes: FF carries 6, 34 left = CFs of 7, 7, 7, 7, 6 (SN 1..5). */
	assert_int_equal(isotp_send(&r->link, pattern, 40, 0), 0);
	EXPECT_SENT(r, 0, 0x10, 0x28, pattern[0], pattern[1], pattern[2], pattern[3], pattern[4],
		    pattern[5]);
	/* FC: BS 2, STmin 0x0A = 10 ms. The first CF goes at once. */
	FEED(r, 1 * MS, 0x30, 0x02, 0x0A);
	assert_int_equal(r->n_sent, 2);
	assert_int_equal(r->sent[1].data[0], 0x21);
	/* The next CF waits STmin: due at 1 ms + 10 ms. An early poll sends nothing. */
	assert_int_equal(isotp_poll(&r->link, 1 * MS), 11 * MS);
	assert_int_equal(isotp_poll(&r->link, 5 * MS), 11 * MS);
	assert_int_equal(r->n_sent, 2);
	assert_int_equal(isotp_poll(&r->link, 11 * MS), 11 * MS + 1000 * MS);
	/* That was CF 2 of the block of 2: now we wait for FC again (N_Bs). */
	assert_int_equal(r->n_sent, 3);
	assert_int_equal(r->sent[2].data[0], 0x22);
	assert_memory_equal(r->sent[2].data + 1, pattern + 13, 7);
	/* FC: BS 2, STmin 0xF5 = 500 us. */
	FEED(r, 20 * MS, 0x30, 0x02, 0xF5);
	assert_int_equal(r->n_sent, 4);
	assert_int_equal(r->sent[3].data[0], 0x23);
	assert_int_equal(isotp_poll(&r->link, 20 * MS), 20 * MS + 500);
	assert_int_equal(isotp_poll(&r->link, 20 * MS + 500), 20 * MS + 500 + 1000 * MS);
	assert_int_equal(r->n_sent, 5);
	assert_int_equal(r->sent[4].data[0], 0x24);
	/* A CTS without blocks for the rest: the last CF, 6 bytes + one 0xCC pad. */
	FEED(r, 30 * MS, 0x30, 0x00, 0x00);
	assert_int_equal(r->n_sent, 6);
	EXPECT_SENT(r, 5, 0x25, pattern[34], pattern[35], pattern[36], pattern[37], pattern[38],
		    pattern[39], 0xCC);
	assert_int_equal(r->tx_count, 1);
	assert_int_equal(r->tx_err, 0);
	free(r);
}

static void stmin_encoding(void **state)
{
	/* 9.6.5.5 */
	assert_int_equal(isotp_stmin_us(0x00), 0);
	assert_int_equal(isotp_stmin_us(0x01), 1000);
	assert_int_equal(isotp_stmin_us(0x7F), 127000);
	assert_int_equal(isotp_stmin_us(0xF1), 100);
	assert_int_equal(isotp_stmin_us(0xF9), 900);
	/* Reserved: 0x80-0xF0 and 0xFA-0xFF count as 0x7F. */
	assert_int_equal(isotp_stmin_us(0x80), 127000);
	assert_int_equal(isotp_stmin_us(0xF0), 127000);
	assert_int_equal(isotp_stmin_us(0xFA), 127000);
}

static void reserved_stmin_paces_at_127ms(void **state)
{
	struct rig *r = rig_new(NULL);

	assert_int_equal(isotp_send(&r->link, pattern, 30, 0), 0);
	FEED(r, 0, 0x30, 0x00, 0xFB);
	assert_int_equal(isotp_poll(&r->link, 0), 127 * MS);
	free(r);
}

static void fc_wait_then_wft_overrun(void **state)
{
	struct isotp_cfg cfg;
	struct rig *r;

	cfg_for(&cfg, NULL);
	cfg.wft_max = 2;
	r = rig_new(&cfg);
	assert_int_equal(isotp_send(&r->link, pattern, 20, 0), 0);
	/* 9.6.5: each FC.WAIT restarts N_Bs. */
	FEED(r, 500 * MS, 0x31, 0x00, 0x00);
	assert_int_equal(isotp_poll(&r->link, 500 * MS), 1500 * MS);
	FEED(r, 1400 * MS, 0x31, 0x00, 0x00);
	assert_int_equal(isotp_poll(&r->link, 1400 * MS), 2400 * MS);
	assert_int_equal(r->tx_count, 0);
	/* The third WAIT exceeds N_WFTmax = 2. */
	FEED(r, 1500 * MS, 0x31, 0x00, 0x00);
	assert_int_equal(r->tx_count, 1);
	assert_int_equal(r->tx_err, ISOTP_ERR_WFT_OVRN);
	assert_int_equal(r->n_sent, 1);
	free(r);
}

static void fc_wait_then_cts_resumes(void **state)
{
	struct rig *r = rig_new(NULL);

	assert_int_equal(isotp_send(&r->link, pattern, 20, 0), 0);
	FEED(r, 10 * MS, 0x31, 0x00, 0x00);
	FEED(r, 20 * MS, 0x30, 0x00, 0x00);
	assert_int_equal(r->n_sent, 3);
	assert_int_equal(r->tx_err, 0);
	assert_int_equal(r->tx_count, 1);
	free(r);
}

static void fc_overflow_and_invalid_fs(void **state)
{
	struct rig *r = rig_new(NULL);

	assert_int_equal(isotp_send(&r->link, pattern, 100, 0), 0);
	FEED(r, 1 * MS, 0x32, 0x00, 0x00);  /* FS 2 = overflow: abort */
	assert_int_equal(r->tx_count, 1);
	assert_int_equal(r->tx_err, ISOTP_ERR_PEER_OVFLW);
	assert_int_equal(r->n_sent, 1);

	assert_int_equal(isotp_send(&r->link, pattern, 100, 2 * MS), 0);
	FEED(r, 3 * MS, 0x35, 0x00, 0x00);  /* FS 5 is reserved: N_INVALID_FS */
	assert_int_equal(r->tx_count, 2);
	assert_int_equal(r->tx_err, ISOTP_ERR_INVALID_FS);
	free(r);
}

static void fc_when_idle_is_ignored(void **state)
{
	struct rig *r = rig_new(NULL);

	FEED(r, 0, 0x30, 0x00, 0x00);
	assert_int_equal(r->link.stats.ignored, 1);
	assert_int_equal(r->n_sent, 0);
	free(r);
}

static void n_bs_timeout(void **state)
{
	struct rig *r = rig_new(NULL);

	assert_int_equal(isotp_send(&r->link, pattern, 20, 0), 0);
	assert_int_equal(isotp_poll(&r->link, 999999), 1000000);
	assert_int_equal(r->tx_count, 0);
	assert_int_equal(isotp_poll(&r->link, 1000000), ISOTP_NO_DEADLINE);
	assert_int_equal(r->tx_count, 1);
	assert_int_equal(r->tx_err, ISOTP_ERR_TIMEOUT);
	/* The link is free again. */
	assert_int_equal(isotp_send(&r->link, pattern, 3, 1000000), 0);
	free(r);
}

static void send_busy_and_bad_args(void **state)
{
	struct rig *r = rig_new(NULL);

	assert_int_equal(isotp_send(&r->link, pattern, 20, 0), 0);
	assert_int_equal(isotp_send(&r->link, pattern, 3, 0), -EBUSY);
	assert_int_equal(isotp_send(&r->link, pattern, 0, 0), -EINVAL);
	assert_int_equal(isotp_send(&r->link, NULL, 3, 0), -EINVAL);
	free(r);
}

static void driver_again_until_n_as(void **state)
{
	struct rig *r = rig_new(NULL);

	/* -EAGAIN: retried every retry_us (1 ms) until N_As (1000 ms). */
	r->fail_next = 1;
	r->fail_rc = -EAGAIN;
	assert_int_equal(isotp_send(&r->link, pattern, 3, 0), 0);
	assert_int_equal(r->n_sent, 0);
	assert_int_equal(isotp_poll(&r->link, 0), 1 * MS);
	assert_int_equal(isotp_poll(&r->link, 1 * MS), ISOTP_NO_DEADLINE);
	assert_int_equal(r->n_sent, 1);
	assert_int_equal(r->tx_count, 1);
	assert_int_equal(r->tx_err, 0);

	r->fail_next = 100000;
	r->fail_rc = -ENOBUFS;
	assert_int_equal(isotp_send(&r->link, pattern, 3, 10 * MS), 0);
	for (int64_t t = 10 * MS; t < 1010 * MS; t = isotp_poll(&r->link, t))
		assert_int_equal(r->tx_count, 1);
	assert_int_equal(isotp_poll(&r->link, 1010 * MS), ISOTP_NO_DEADLINE);
	assert_int_equal(r->tx_count, 2);
	assert_int_equal(r->tx_err, ISOTP_ERR_TIMEOUT);
	free(r);
}

static void driver_hard_error_on_first_frame(void **state)
{
	struct rig *r = rig_new(NULL);

	r->fail_next = 1;
	r->fail_rc = -ENETDOWN;
	assert_int_equal(isotp_send(&r->link, pattern, 3, 0), -ENETDOWN);
	assert_int_equal(r->tx_count, 0);  /* no callback for a refused send */
	assert_false(isotp_tx_busy(&r->link));
	free(r);
}

/* ---- segmented receive ---- */

static void receive_ff_cf_sends_fc(void **state)
{
	struct rig *r = rig_new(NULL);

	/* FF_DL 0x014 = 20: 6 + 7 + 7. */
	FEED(r, 0, 0x10, 0x14, 0x59, 0x02, 0xFF, 0x01, 0x23, 0x45);
	assert_int_equal(r->ff_count, 1);
	assert_int_equal(r->ff_len, 20);
	/* Our FC: CTS, BS 0, STmin 0, padded. */
	assert_int_equal(r->n_sent, 1);
	assert_int_equal(r->sent[0].id, 0x7E0);
	EXPECT_SENT(r, 0, 0x30, 0x00, 0x00, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC);
	/* N_Cr from the FC. */
	assert_int_equal(isotp_poll(&r->link, 0), 1000 * MS);
	FEED(r, 1 * MS, 0x21, 0x2F, 0x01, 0x33, 0x00, 0x08, 0xC1, 0x23);
	assert_int_equal(isotp_poll(&r->link, 1 * MS), 1001 * MS);
	FEED(r, 2 * MS, 0x22, 0x00, 0x09, 0x12, 0x34, 0x56, 0x2F, 0x00);
	assert_int_equal(r->rx_count, 1);
	assert_int_equal(r->rx_len, 20);
	{
		const uint8_t want[20] = {0x59, 0x02, 0xFF, 0x01, 0x23, 0x45, 0x2F, 0x01, 0x33, 0x00,
					  0x08, 0xC1, 0x23, 0x00, 0x09, 0x12, 0x34, 0x56, 0x2F, 0x00};
		assert_memory_equal(r->rx, want, 20);
	}
	assert_int_equal(r->n_sent, 1);
	assert_int_equal(isotp_poll(&r->link, 2 * MS), ISOTP_NO_DEADLINE);
	free(r);
}

static void receive_with_our_bs_and_stmin(void **state)
{
	struct isotp_cfg cfg;
	struct rig *r;

	cfg_for(&cfg, NULL);
	cfg.bs = 2;
	cfg.stmin = 0xF3;  /* 300 us */
	r = rig_new(&cfg);
	/* FF_DL 30: 6 in the FF, 24 = 7 + 7 + 7 + 3 in four CFs. */
	FEED(r, 0, 0x10, 0x1E, 0, 1, 2, 3, 4, 5);
	EXPECT_SENT(r, 0, 0x30, 0x02, 0xF3, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC);
	FEED(r, 1 * MS, 0x21, 6, 7, 8, 9, 10, 11, 12);
	assert_int_equal(r->n_sent, 1);
	FEED(r, 2 * MS, 0x22, 13, 14, 15, 16, 17, 18, 19);
	/* Block of 2 done: a new FC. */
	assert_int_equal(r->n_sent, 2);
	EXPECT_SENT(r, 1, 0x30, 0x02, 0xF3, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC);
	FEED(r, 3 * MS, 0x23, 20, 21, 22, 23, 24, 25, 26);
	FEED(r, 4 * MS, 0x24, 27, 28, 29);  /* last CF, unpadded */
	assert_int_equal(r->rx_count, 1);
	assert_int_equal(r->rx_len, 30);
	for (int i = 0; i < 30; i++)
		assert_int_equal(r->rx[i], i);
	assert_int_equal(r->n_sent, 2);  /* complete: no FC after the final block */
	free(r);
}

static void n_cr_timeout(void **state)
{
	struct rig *r = rig_new(NULL);

	FEED(r, 0, 0x10, 0x14, 0, 1, 2, 3, 4, 5);
	FEED(r, 400 * MS, 0x21, 6, 7, 8, 9, 10, 11, 12);
	/* N_Cr restarts with each CF: 400 ms + 1000 ms. */
	assert_int_equal(isotp_poll(&r->link, 1399 * MS), 1400 * MS);
	assert_int_equal(r->rx_err_count, 0);
	assert_int_equal(isotp_poll(&r->link, 1400 * MS), ISOTP_NO_DEADLINE);
	assert_int_equal(r->rx_err_count, 1);
	assert_int_equal(r->rx_err, ISOTP_ERR_TIMEOUT);
	/* A late CF is then ignored. */
	FEED(r, 1500 * MS, 0x22, 13, 14, 15, 16, 17, 18, 19);
	assert_int_equal(r->rx_count, 0);
	free(r);
}

static void wrong_sequence_number(void **state)
{
	struct rig *r = rig_new(NULL);

	FEED(r, 0, 0x10, 0x14, 0, 1, 2, 3, 4, 5);
	FEED(r, 1 * MS, 0x22, 6, 7, 8, 9, 10, 11, 12);  /* SN 2 where 1 is due */
	assert_int_equal(r->rx_err_count, 1);
	assert_int_equal(r->rx_err, ISOTP_ERR_WRONG_SN);
	assert_false(isotp_rx_busy(&r->link));
	free(r);
}

static void sf_interrupts_reception(void **state)
{
	struct rig *r = rig_new(NULL);

	FEED(r, 0, 0x10, 0x14, 0, 1, 2, 3, 4, 5);
	/* Unexpected N_PDU: a SF mid-reception aborts it (N_UNEXP_PDU) and is itself received. */
	FEED(r, 1 * MS, 0x03, 0x7F, 0x19, 0x78);
	assert_int_equal(r->rx_err_count, 1);
	assert_int_equal(r->rx_err, ISOTP_ERR_UNEXP_PDU);
	assert_int_equal(r->rx_count, 1);
	assert_int_equal(r->rx_len, 3);
	free(r);
}

static void ff_too_short_is_ignored(void **state)
{
	struct rig *r = rig_new(NULL);

	/* FF_DL 7 fits a classic SF (9.6.3): ignored, no FC. */
	FEED(r, 0, 0x10, 0x07, 0, 1, 2, 3, 4, 5);
	/* A FF must fill the frame: DLC 6 is too short. */
	FEED(r, 0, 0x10, 0x14, 0, 1, 2, 3);
	/* 32-bit escape carrying a length that fits 12 bits. */
	FEED(r, 0, 0x10, 0x00, 0x00, 0x00, 0x0F, 0xFF, 0, 1);
	assert_int_equal(r->n_sent, 0);
	assert_int_equal(r->link.stats.ignored, 3);
	assert_false(isotp_rx_busy(&r->link));
	free(r);
}

static void receive_overflow_sends_fc_ovflw(void **state)
{
	struct isotp_cfg cfg;
	struct rig *r;
	uint8_t *small = malloc(100);

	cfg_for(&cfg, NULL);
	cfg.rx_buf = small;
	cfg.rx_cap = 100;
	r = rig_new(&cfg);
	/* FF_DL 0x0C8 = 200 > 100: FC with FS 2 (overflow). */
	FEED(r, 0, 0x10, 0xC8, 0, 1, 2, 3, 4, 5);
	assert_int_equal(r->n_sent, 1);
	EXPECT_SENT(r, 0, 0x32, 0x00, 0x00, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC);
	assert_int_equal(r->rx_err, ISOTP_ERR_TOO_BIG);
	assert_false(isotp_rx_busy(&r->link));
	/* 100 bytes fit exactly. */
	FEED(r, 0, 0x10, 0x64, 0, 1, 2, 3, 4, 5);
	assert_true(isotp_rx_busy(&r->link));
	free(r);
	free(small);
}

/* ---- lengths: 12-bit limit and the 32-bit escape ---- */

static void send_4095_uses_12_bits(void **state)
{
	struct rig *r = rig_new(NULL);

	/* 4095 = 0xFFF: FF 1F FF. 4095 - 6 = 4089 = 584 * 7 + 1: 585 CFs. */
	assert_int_equal(isotp_send(&r->link, pattern, 4095, 0), 0);
	EXPECT_SENT(r, 0, 0x1F, 0xFF, pattern[0], pattern[1], pattern[2], pattern[3], pattern[4],
		    pattern[5]);
	FEED(r, 0, 0x30, 0x00, 0x00);
	assert_int_equal(r->n_sent, 1 + 585);
	/* CF k has SN k mod 16: CF 585 -> 585 % 16 = 9. */
	EXPECT_SENT(r, 585, 0x29, pattern[4094], 0xCC, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC);
	assert_int_equal(r->sent[16].data[0], 0x20);  /* CF 16: SN wraps to 0 */
	assert_int_equal(r->tx_err, 0);
	free(r);
}

static void send_5000_uses_32_bit_escape(void **state)
{
	struct rig *r = rig_new(NULL);

	/* 5000 = 0x1388 > 4095: FF 10 00 then 00 00 13 88, 2 data bytes.
	 * 4998 = 714 * 7: 714 full CFs. */
	assert_int_equal(isotp_send(&r->link, pattern, 5000, 0), 0);
	EXPECT_SENT(r, 0, 0x10, 0x00, 0x00, 0x00, 0x13, 0x88, pattern[0], pattern[1]);
	FEED(r, 0, 0x30, 0x00, 0x00);
	assert_int_equal(r->n_sent, 1 + 714);
	/* 714 % 16 = 10 */
	EXPECT_SENT(r, 714, 0x2A, pattern[4993], pattern[4994], pattern[4995], pattern[4996],
		    pattern[4997], pattern[4998], pattern[4999]);
	free(r);
}

static void receive_32_bit_length_into_caller_buffer(void **state)
{
	struct isotp_cfg cfg;
	struct rig *r;
	uint8_t *big = malloc(70000);
	struct evgw_frame f;
	size_t off;
	uint8_t sn = 1;
	const size_t total = 65536;

	cfg_for(&cfg, NULL);
	cfg.rx_buf = big;
	cfg.rx_cap = 70000;
	r = rig_new(&cfg);
	/* 65536 = 0x00010000: FF 10 00 00 01 00 00 + 2 bytes. */
	FEED(r, 0, 0x10, 0x00, 0x00, 0x01, 0x00, 0x00, pattern[0], pattern[1]);
	assert_int_equal(r->ff_len, total);
	for (off = 2; off < total; off += 7) {
		size_t n = total - off < 7 ? total - off : 7;
		uint8_t d[8] = {(uint8_t)(0x20 | sn)};

		memcpy(d + 1, pattern + off, n);
		f = mk(0x7E8, d, 1 + n);
		assert_true(isotp_on_frame(&r->link, &f, 0));
		sn = (sn + 1) & 0x0F;
	}
	assert_int_equal(r->rx_err_count, 0);
	/* The rig copies at most 8192 bytes; check the length and the
	 * caller's buffer directly. */
	assert_int_equal(r->link.stats.rx_msgs, 1);
	assert_memory_equal(big, pattern, total);
	free(r);
	free(big);
}

/* ---- CAN FD ---- */

static void fd_cfg(struct isotp_cfg *cfg)
{
	cfg_for(cfg, NULL);
	cfg->fd = true;
	cfg->brs = true;
	cfg->tx_dl = 64;
}

static void fd_send_sf_forms(void **state)
{
	struct isotp_cfg cfg;
	struct rig *r;

	fd_cfg(&cfg);
	r = rig_new(&cfg);
	/* 5 bytes fit the classic SF form: 05 + data, padded to 8. */
	assert_int_equal(isotp_send(&r->link, pattern, 5, 0), 0);
	assert_int_equal(r->sent[0].flags, EVGW_FRAME_FD | EVGW_FRAME_BRS);
	EXPECT_SENT(r, 0, 0x05, pattern[0], pattern[1], pattern[2], pattern[3], pattern[4], 0xCC,
		    0xCC);
	/* 20 bytes: escape 00 14, 22 bytes used -> next FD length 24 (DLC 12). */
	assert_int_equal(isotp_send(&r->link, pattern, 20, 0), 0);
	assert_int_equal(r->sent[1].len, 24);
	assert_int_equal(r->sent[1].dlc, 12);
	assert_int_equal(r->sent[1].data[0], 0x00);
	assert_int_equal(r->sent[1].data[1], 20);
	assert_memory_equal(r->sent[1].data + 2, pattern, 20);
	assert_int_equal(r->sent[1].data[22], 0xCC);
	assert_int_equal(r->sent[1].data[23], 0xCC);
	/* 62 = 64 - 2: the largest SF. */
	assert_int_equal(isotp_send(&r->link, pattern, 62, 0), 0);
	assert_int_equal(r->sent[2].len, 64);
	assert_int_equal(r->sent[2].data[1], 62);
	assert_int_equal(r->tx_count, 3);
	free(r);
}

static void fd_padding_off_still_fills_to_valid_length(void **state)
{
	struct isotp_cfg cfg;
	struct rig *r;

	fd_cfg(&cfg);
	cfg.pad = ISOTP_NO_PAD;
	r = rig_new(&cfg);
	/* 3 bytes: 03 + data, 4 bytes, a valid FD length: no fill. */
	assert_int_equal(isotp_send(&r->link, pattern, 3, 0), 0);
	assert_int_equal(r->sent[0].len, 4);
	/* 10 bytes: 00 0A + 10 = 12, valid. 11 bytes: 13 -> 16 with 0xCC (10.4). */
	assert_int_equal(isotp_send(&r->link, pattern, 10, 0), 0);
	assert_int_equal(r->sent[1].len, 12);
	assert_int_equal(isotp_send(&r->link, pattern, 11, 0), 0);
	assert_int_equal(r->sent[2].len, 16);
	assert_int_equal(r->sent[2].data[13], 0xCC);
	assert_int_equal(r->sent[2].data[15], 0xCC);
	free(r);
}

static void fd_send_ff_cf(void **state)
{
	struct isotp_cfg cfg;
	struct rig *r;

	fd_cfg(&cfg);
	r = rig_new(&cfg);
	/* 100 bytes > 62: FF 10 64 fills the 64-byte frame with 62 data bytes;
	 * the remaining 38 go in one CF: 21 + 38 = 39 -> FD length 48. */
	assert_int_equal(isotp_send(&r->link, pattern, 100, 0), 0);
	assert_int_equal(r->sent[0].len, 64);
	assert_int_equal(r->sent[0].data[0], 0x10);
	assert_int_equal(r->sent[0].data[1], 100);
	assert_memory_equal(r->sent[0].data + 2, pattern, 62);
	FEED(r, 0, 0x30, 0x00, 0x00);
	assert_int_equal(r->n_sent, 2);
	assert_int_equal(r->sent[1].len, 48);
	assert_int_equal(r->sent[1].dlc, 14);
	assert_int_equal(r->sent[1].data[0], 0x21);
	assert_memory_equal(r->sent[1].data + 1, pattern + 62, 38);
	assert_int_equal(r->sent[1].data[39], 0xCC);
	assert_int_equal(r->tx_err, 0);
	free(r);
}

static void fd_receive(void **state)
{
	struct rig *r = rig_new(NULL);
	uint8_t d[64];
	struct evgw_frame f;

	/* SF escape in a 12-byte frame: 00 0A + 10 bytes. */
	d[0] = 0x00;
	d[1] = 10;
	memcpy(d + 2, pattern, 10);
	f = mk(0x7E8, d, 12);
	assert_true(isotp_on_frame(&r->link, &f, 0));
	assert_int_equal(r->rx_count, 1);
	assert_int_equal(r->rx_len, 10);
	assert_memory_equal(r->rx, pattern, 10);
	/* CAN_DL > 8 with a classic SF PCI (05) is invalid: ignored. */
	d[0] = 0x05;
	f = mk(0x7E8, d, 12);
	assert_true(isotp_on_frame(&r->link, &f, 0));
	assert_int_equal(r->rx_count, 1);
	/* FF in 64 bytes (RX_DL 64): FF_DL 100, 62 data bytes. */
	d[0] = 0x10;
	d[1] = 100;
	memcpy(d + 2, pattern, 62);
	f = mk(0x7E8, d, 64);
	assert_true(isotp_on_frame(&r->link, &f, 0));
	assert_int_equal(r->n_sent, 1);  /* our FC */
	/* Last CF: 38 bytes, padded to 48. */
	memset(d, 0xCC, sizeof d);
	d[0] = 0x21;
	memcpy(d + 1, pattern + 62, 38);
	f = mk(0x7E8, d, 48);
	assert_true(isotp_on_frame(&r->link, &f, 0));
	assert_int_equal(r->rx_count, 2);
	assert_int_equal(r->rx_len, 100);
	assert_memory_equal(r->rx, pattern, 100);
	free(r);
}

static void fd_cf_shorter_than_rx_dl_is_ignored(void **state)
{
	struct rig *r = rig_new(NULL);
	uint8_t d[64];
	struct evgw_frame f;

	/* FF of 64 bytes announces 200 bytes; 138 left, so a CF must carry 63. */
	d[0] = 0x10;
	d[1] = 200;
	memcpy(d + 2, pattern, 62);
	f = mk(0x7E8, d, 64);
	assert_true(isotp_on_frame(&r->link, &f, 0));
	d[0] = 0x21;
	f = mk(0x7E8, d, 8);
	assert_true(isotp_on_frame(&r->link, &f, 0));
	assert_int_equal(r->link.stats.ignored, 1);
	assert_true(isotp_rx_busy(&r->link));
	free(r);
}

/* ---- addressing ---- */

static void extended_addressing(void **state)
{
	struct isotp_cfg cfg;
	struct rig *r;
	struct evgw_frame f;
	const uint8_t theirs[] = {0xF1, 0x03, 0x7E, 0x00, 0x00};
	const uint8_t other[] = {0xF2, 0x02, 0x7E, 0x00};

	cfg_for(&cfg, NULL);
	cfg.use_ae = true;
	cfg.tx_ae = 0x55;
	cfg.rx_ae = 0xF1;
	r = rig_new(&cfg);
	/* 10.3 extended addressing: N_TA first, then the PCI; an SF now holds at most 6 bytes. */
	assert_int_equal(isotp_send(&r->link, pattern, 2, 0), 0);
	EXPECT_SENT(r, 0, 0x55, 0x02, pattern[0], pattern[1], 0xCC, 0xCC, 0xCC, 0xCC);
	/* 7 bytes need FF 55 10 07 + 5 bytes. */
	assert_int_equal(isotp_send(&r->link, pattern, 7, 0), 0);
	EXPECT_SENT(r, 1, 0x55, 0x10, 0x07, pattern[0], pattern[1], pattern[2], pattern[3],
		    pattern[4]);
	f = mk(0x7E8, theirs, sizeof theirs);
	assert_true(isotp_on_frame(&r->link, &f, 0));
	assert_int_equal(r->rx_count, 1);
	assert_int_equal(r->rx_len, 3);
	/* Same identifier, other address byte: someone else's. */
	f = mk(0x7E8, other, sizeof other);
	assert_false(isotp_on_frame(&r->link, &f, 0));
	/* The FC for our FF, behind the address byte. */
	{
		const uint8_t fc[] = {0xF1, 0x30, 0x00, 0x00};

		f = mk(0x7E8, fc, sizeof fc);
		assert_true(isotp_on_frame(&r->link, &f, 0));
	}
	EXPECT_SENT(r, 2, 0x55, 0x21, pattern[5], pattern[6], 0xCC, 0xCC, 0xCC, 0xCC);
	free(r);
}

static void normal_fixed_29bit(void **state)
{
	struct isotp_cfg cfg;
	struct rig *r = calloc(1, sizeof *r);
	struct evgw_frame f;
	const uint8_t resp[] = {0x02, 0x7E, 0x00};

	/* 10.3 normal fixed: physical 0x18DA<TA><SA>: ECU 0x10 from tester 0xF1. */
	assert_int_equal(isotp_fixed_id(0x10, 0xF1, false), 0x18DA10F1);
	assert_int_equal(isotp_fixed_id(0x33, 0xF1, true), 0x18DB33F1);
	isotp_cfg_fixed(&cfg, 0x10, 0xF1);
	assert_int_equal(cfg.tx_id, 0x18DA10F1);
	assert_int_equal(cfg.rx_id, 0x18DAF110);
	assert_true(cfg.ext_id);
	cfg.on_rx = rig_rx;
	cfg.cb_ud = r;
	assert_int_equal(isotp_init(&r->link, &cfg, rig_send, r), 0);
	assert_int_equal(isotp_send(&r->link, pattern, 2, 0), 0);
	assert_int_equal(r->sent[0].id, 0x18DA10F1);
	assert_int_equal(r->sent[0].flags, EVGW_FRAME_EXT);
	f = mk(0x18DAF110, resp, sizeof resp);
	assert_false(isotp_on_frame(&r->link, &f, 0));  /* no EXT flag: an 11-bit id */
	f.flags = EVGW_FRAME_EXT;
	assert_true(isotp_on_frame(&r->link, &f, 0));
	assert_int_equal(r->rx_count, 1);
	free(r);
}

static void init_validation(void **state)
{
	struct isotp_cfg cfg;
	struct isotp_link *l = malloc(sizeof *l);

	isotp_cfg_default(&cfg, 0x7E0, 0x7E8);
	assert_int_equal(isotp_init(l, &cfg, NULL, NULL), -EINVAL);
	cfg.stmin = 0x80;  /* reserved: we never advertise it */
	assert_int_equal(isotp_init(l, &cfg, rig_send, NULL), -EINVAL);
	isotp_cfg_default(&cfg, 0x800, 0x7E8);  /* 12 bits without ext_id */
	assert_int_equal(isotp_init(l, &cfg, rig_send, NULL), -EINVAL);
	isotp_cfg_default(&cfg, 0x7E0, 0x7E8);
	cfg.fd = true;
	cfg.tx_dl = 10;  /* no FD frame is 10 bytes */
	assert_int_equal(isotp_init(l, &cfg, rig_send, NULL), -EINVAL);
	cfg.fd = false;
	cfg.tx_dl = 64;  /* classic frames are 8 */
	assert_int_equal(isotp_init(l, &cfg, rig_send, NULL), -EINVAL);
	cfg.tx_dl = 8;
	cfg.rx_cap = 5000;  /* more than the built-in buffer, without one of ours */
	assert_int_equal(isotp_init(l, &cfg, rig_send, NULL), -EINVAL);
	cfg.rx_cap = 0;
	cfg.pad = 256;
	assert_int_equal(isotp_init(l, &cfg, rig_send, NULL), -EINVAL);
	cfg.pad = ISOTP_NO_PAD;
	assert_int_equal(isotp_init(l, &cfg, rig_send, NULL), 0);
	free(l);
}

static void fc_send_retry_until_n_ar(void **state)
{
	struct rig *r = rig_new(NULL);

	r->fail_next = 1;
	r->fail_rc = -EAGAIN;
	FEED(r, 0, 0x10, 0x14, 0, 1, 2, 3, 4, 5);
	assert_int_equal(r->n_sent, 0);
	assert_int_equal(isotp_poll(&r->link, 0), 1 * MS);  /* retry the FC */
	assert_int_equal(isotp_poll(&r->link, 1 * MS), 1001 * MS);  /* sent; N_Cr */
	assert_int_equal(r->n_sent, 1);
	EXPECT_SENT(r, 0, 0x30, 0x00, 0x00, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC);
	/* A driver that never takes the FC: N_Ar ends the reception. */
	isotp_reset(&r->link);
	r->fail_next = 100000;
	FEED(r, 0, 0x10, 0x14, 0, 1, 2, 3, 4, 5);
	for (int64_t t = 0; t < 1000 * MS; t = isotp_poll(&r->link, t))
		assert_int_equal(r->rx_err_count, 0);
	isotp_poll(&r->link, 1000 * MS);
	assert_int_equal(r->rx_err_count, 1);
	assert_int_equal(r->rx_err, ISOTP_ERR_TIMEOUT);
	free(r);
}

static void full_duplex_send_and_receive(void **state)
{
	struct rig *r = rig_new(NULL);

	/* Our FF goes out; the peer sends its own FF before its FC. */
	assert_int_equal(isotp_send(&r->link, pattern, 20, 0), 0);
	FEED(r, 1 * MS, 0x10, 0x0A, 0, 1, 2, 3, 4, 5);
	EXPECT_SENT(r, 1, 0x30, 0x00, 0x00, 0xCC, 0xCC, 0xCC, 0xCC, 0xCC);
	FEED(r, 2 * MS, 0x30, 0x00, 0x00);
	assert_int_equal(r->tx_count, 1);
	FEED(r, 3 * MS, 0x21, 6, 7, 8, 9);
	assert_int_equal(r->rx_count, 1);
	assert_int_equal(r->rx_len, 10);
	free(r);
}


static void ff_interrupts_reception(void **state)
{
	struct rig *r = rig_new(NULL);

	FEED(r, 0, 0x10, 0x14, 0, 1, 2, 3, 4, 5);
	/* A new FF mid-reception: the old message is lost (N_UNEXP_PDU), the new
	 * one starts with its own FC. FF_DL 0x00A = 10: 6 + 4. */
	FEED(r, 1 * MS, 0x10, 0x0A, 10, 11, 12, 13, 14, 15);
	assert_int_equal(r->rx_err, ISOTP_ERR_UNEXP_PDU);
	assert_int_equal(r->n_sent, 2);
	FEED(r, 2 * MS, 0x21, 16, 17, 18, 19);
	assert_int_equal(r->rx_count, 1);
	assert_int_equal(r->rx_len, 10);
	assert_int_equal(r->rx[9], 19);
	free(r);
}

static void driver_hard_error_mid_message(void **state)
{
	struct rig *r = rig_new(NULL);

	assert_int_equal(isotp_send(&r->link, pattern, 20, 0), 0);
	r->fail_next = 1;
	r->fail_rc = -EIO;
	FEED(r, 1 * MS, 0x30, 0x00, 0x00);  /* the first CF is refused */
	assert_int_equal(r->tx_count, 1);
	assert_int_equal(r->tx_err, -EIO);
	assert_false(isotp_tx_busy(&r->link));
	/* A hard error on our FC ends the reception. */
	r->fail_next = 1;
	FEED(r, 2 * MS, 0x10, 0x14, 0, 1, 2, 3, 4, 5);
	assert_int_equal(r->rx_err, -EIO);
	assert_false(isotp_rx_busy(&r->link));
	free(r);
}

static void empty_frame_and_error_text(void **state)
{
	struct rig *r = rig_new(NULL);
	struct evgw_frame f = mk(0x7E8, pattern, 0);

	assert_true(isotp_on_frame(&r->link, &f, 0));  /* ours, but nothing in it */
	assert_int_equal(r->link.stats.ignored, 1);
	assert_string_equal(isotp_strerror(ISOTP_ERR_WRONG_SN),
			    "wrong consecutive frame sequence number");
	assert_string_equal(isotp_strerror(ISOTP_ERR_PEER_OVFLW), "receiver reported buffer overflow");
	assert_string_equal(isotp_strerror(-ENETDOWN), "transport error");
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sf_send_padded),
		cmocka_unit_test(sf_send_unpadded_and_other_pads),
		cmocka_unit_test(sf_receive_tolerates_padding),
		cmocka_unit_test(sf_receive_rejects_bad_lengths),
		cmocka_unit_test(send_ff_cf_bs0),
		cmocka_unit_test(send_bs2_with_stmin_ms_and_us),
		cmocka_unit_test(stmin_encoding),
		cmocka_unit_test(reserved_stmin_paces_at_127ms),
		cmocka_unit_test(fc_wait_then_wft_overrun),
		cmocka_unit_test(fc_wait_then_cts_resumes),
		cmocka_unit_test(fc_overflow_and_invalid_fs),
		cmocka_unit_test(fc_when_idle_is_ignored),
		cmocka_unit_test(n_bs_timeout),
		cmocka_unit_test(send_busy_and_bad_args),
		cmocka_unit_test(driver_again_until_n_as),
		cmocka_unit_test(driver_hard_error_on_first_frame),
		cmocka_unit_test(receive_ff_cf_sends_fc),
		cmocka_unit_test(receive_with_our_bs_and_stmin),
		cmocka_unit_test(n_cr_timeout),
		cmocka_unit_test(wrong_sequence_number),
		cmocka_unit_test(sf_interrupts_reception),
		cmocka_unit_test(ff_too_short_is_ignored),
		cmocka_unit_test(receive_overflow_sends_fc_ovflw),
		cmocka_unit_test(send_4095_uses_12_bits),
		cmocka_unit_test(send_5000_uses_32_bit_escape),
		cmocka_unit_test(receive_32_bit_length_into_caller_buffer),
		cmocka_unit_test(fd_send_sf_forms),
		cmocka_unit_test(fd_padding_off_still_fills_to_valid_length),
		cmocka_unit_test(fd_send_ff_cf),
		cmocka_unit_test(fd_receive),
		cmocka_unit_test(fd_cf_shorter_than_rx_dl_is_ignored),
		cmocka_unit_test(extended_addressing),
		cmocka_unit_test(normal_fixed_29bit),
		cmocka_unit_test(init_validation),
		cmocka_unit_test(fc_send_retry_until_n_ar),
		cmocka_unit_test(full_duplex_send_and_receive),
		cmocka_unit_test(ff_interrupts_reception),
		cmocka_unit_test(driver_hard_error_mid_message),
		cmocka_unit_test(empty_frame_and_error_text),
	};

	fill_pattern();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
