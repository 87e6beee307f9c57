// SPDX-License-Identifier: MIT
/* CANalyst-II codecs (drivers/canalyst_proto.c). Bytes worked out by hand
 * from the packed ctypes structs of python-canalystii protocol.py
 * (adapters.md §2); BTR values from its device.py TIMINGS table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/canalyst_proto.h"

static void test_commands(void **state)
{
	(void)state;
	uint8_t p[CANALYST_PACKET], want[CANALYST_PACKET] = {0};
	canalyst_cmd_simple(CANALYST_CMD_MESSAGE_STATUS, p);
	want[0] = 0x0A;
	assert_memory_equal(p, want, sizeof want);

	/* INIT at 500k: BTR0 0x00, BTR1 0x1C. */
	canalyst_cmd_init(0x00, 0x1C, p);
	memset(want, 0, sizeof want);
	want[0] = 0x01;                                        /* command */
	want[4] = 0x01;                                        /* acc_code */
	want[8] = want[9] = want[10] = want[11] = 0xFF;        /* acc_mask */
	want[16] = 0x01;                                       /* filter */
	want[24] = 0x00;                                       /* timing0 */
	want[28] = 0x1C;                                       /* timing1 */
	want[36] = 0x01;                                       /* unknown2 */
	assert_memory_equal(p, want, sizeof want);
}

static void test_status(void **state)
{
	(void)state;
	uint8_t r[CANALYST_PACKET] = {0x0A, 0, 0, 0, 0x05, 0x01, 0, 0, 0x02, 0, 0x77, 0x77};
	struct canalyst_status st;
	assert_int_equal(canalyst_status_decode(r, sizeof r, &st), 0);
	assert_int_equal(st.rx_pending, 261);
	assert_int_equal(st.tx_pending, 2);
	assert_int_equal(canalyst_status_decode(r, 11, &st), -EBADMSG);
	/* ((n + 2) / 3 + 1) buffers of 64 bytes. */
	assert_int_equal(canalyst_rx_read_size(0), 64);
	assert_int_equal(canalyst_rx_read_size(1), 128);
	assert_int_equal(canalyst_rx_read_size(3), 128);
	assert_int_equal(canalyst_rx_read_size(4), 192);
	assert_int_equal(canalyst_rx_read_size(261), 88 * 64);
}

struct got {
	struct canalyst_msg m[8];
	int n;
};

static void collect(void *ud, const struct canalyst_msg *m)
{
	struct got *g = ud;
	if (g->n < 8)
		g->m[g->n] = *m;
	g->n++;
}

/* Two buffers: the first holds 2 messages, the second 0. Message 1: id
 * 0x123, ts 1000 ticks (0x3E8), time_flag 1, std, data AA BB. Message 2 at
 * offset 22: id 0x18DAF110, extended, 8 bytes 01..08. */
static void test_parse_buffers(void **state)
{
	(void)state;
	uint8_t buf[128] = {0};
	static const uint8_t m1[21] = {0x23, 0x01, 0, 0, 0xE8, 0x03, 0, 0, 1, 0, 0, 0, 2,
				       0xAA, 0xBB, 0, 0, 0, 0, 0, 0};
	static const uint8_t m2[21] = {0x10, 0xF1, 0xDA, 0x18, 0, 0, 0, 0, 1, 0, 0, 1, 8,
				       1, 2, 3, 4, 5, 6, 7, 8};
	buf[0] = 2;
	memcpy(buf + 1, m1, 21);
	memcpy(buf + 22, m2, 21);
	struct got g = {.n = 0};
	assert_int_equal(canalyst_parse_buffers(buf, sizeof buf, collect, &g), 2);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.m[0].can_id, 0x123);
	assert_int_equal(g.m[0].timestamp, 1000);
	assert_int_equal(g.m[0].time_flag, 1);
	struct evgw_frame f;
	assert_int_equal(canalyst_msg_to_evgw(&g.m[0], &f), 0);
	assert_int_equal(f.id, 0x123);
	assert_int_equal(f.flags, 0);
	assert_int_equal(f.len, 2);
	assert_memory_equal(f.data, "\xAA\xBB", 2);
	assert_int_equal(canalyst_msg_to_evgw(&g.m[1], &f), 0);
	assert_int_equal(f.id, 0x18DAF110);
	assert_int_equal(f.flags, EVGW_FRAME_EXT);
	assert_int_equal(f.len, 8);
	assert_memory_equal(f.data, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);

	/* A ragged transfer and a count above 3 are refused. */
	g.n = 0;
	assert_int_equal(canalyst_parse_buffers(buf, 100, collect, &g), -EBADMSG);
	buf[64] = 4;
	g.n = 0;
	assert_int_equal(canalyst_parse_buffers(buf, sizeof buf, collect, &g), -EBADMSG);
	assert_int_equal(g.n, 2); /* the good first buffer was delivered */
}

static void test_msg_checks(void **state)
{
	(void)state;
	struct canalyst_msg m = {.can_id = 0x800, .data_len = 1};
	struct evgw_frame f;
	assert_int_equal(canalyst_msg_to_evgw(&m, &f), -EBADMSG); /* 12 bits, not extended */
	m.extended = 1;
	assert_int_equal(canalyst_msg_to_evgw(&m, &f), 0);
	m.data_len = 9;
	assert_int_equal(canalyst_msg_to_evgw(&m, &f), -EBADMSG);
	m = (struct canalyst_msg){.can_id = 0x7E0, .remote = 1, .data_len = 8, .data = {9}};
	assert_int_equal(canalyst_msg_to_evgw(&m, &f), 0);
	assert_int_equal(f.flags, EVGW_FRAME_RTR);
	assert_int_equal(f.len, 8);
	assert_int_equal(f.data[0], 0);
}

/* Four frames to pack: three fit in a buffer; the encoding of the first is
 * id 0x7E0 std, send_type 0, len 8, data 02 10 03. */
static void test_pack(void **state)
{
	(void)state;
	struct evgw_frame fr[4] = {
		{.id = 0x7E0, .len = 8, .data = {0x02, 0x10, 0x03}},
		{.id = 0x1FFFFFFF, .flags = EVGW_FRAME_EXT, .len = 0},
		{.id = 0x100, .flags = EVGW_FRAME_RTR, .len = 2},
		{.id = 0x101, .len = 1},
	};
	uint8_t out[CANALYST_PACKET];
	assert_int_equal(canalyst_pack_buffer(fr, 4, 0, out), 3);
	assert_int_equal(out[0], 3);
	static const uint8_t m1[21] = {0xE0, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8,
				       0x02, 0x10, 0x03, 0, 0, 0, 0, 0};
	assert_memory_equal(out + 1, m1, 21);
	static const uint8_t m2[13] = {0xFF, 0xFF, 0xFF, 0x1F, 0, 0, 0, 0, 0, 0, 0, 1, 0};
	assert_memory_equal(out + 22, m2, 13);
	assert_int_equal(out[43 + 10], 1); /* remote */
	assert_int_equal(out[43 + 12], 2); /* data_len */
	/* A CAN FD frame cannot go out on this adapter. */
	struct evgw_frame fd = {.id = 1, .flags = EVGW_FRAME_FD, .len = 12};
	assert_int_equal(canalyst_pack_buffer(&fd, 1, 0, out), -EINVAL);
	/* The bad second frame ends the buffer after the first. */
	struct evgw_frame two[2] = {{.id = 1, .len = 1}, fd};
	assert_int_equal(canalyst_pack_buffer(two, 2, 0, out), 1);
}

/* SJA1000 decode by hand: 500k 00/1C: brp 1, tseg1 13, tseg2 2 ->
 * 16e6 / (2 * 1 * 16). 10k 31/1C: brp 50 -> 10000. 5k BF/FF: brp 64, tseg1
 * 16, tseg2 8 -> 16e6 / (2 * 64 * 25) = 5000. 666k 80/B6: brp 1, tseg1 7,
 * tseg2 4 -> 666666. */
static void test_btr(void **state)
{
	(void)state;
	assert_int_equal(canalyst_btr_bitrate(0x00, 0x1C), 500000);
	assert_int_equal(canalyst_btr_bitrate(0x31, 0x1C), 10000);
	assert_int_equal(canalyst_btr_bitrate(0xBF, 0xFF), 5000);
	assert_int_equal(canalyst_btr_bitrate(0x80, 0xB6), 666666);
	static const struct {
		uint32_t rate;
		uint8_t b0, b1;
	} tab[] = {
		{5000, 0xBF, 0xFF},   {10000, 0x31, 0x1C},  {20000, 0x18, 0x1C},  {33330, 0x09, 0x6F},
		{33333, 0x09, 0x6F},  {40000, 0x87, 0xFF},  {50000, 0x09, 0x1C},  {66666, 0x04, 0x6F},
		{80000, 0x83, 0xFF},  {83333, 0x03, 0x6F},  {100000, 0x04, 0x1C}, {125000, 0x03, 0x1C},
		{200000, 0x81, 0xFA}, {250000, 0x01, 0x1C}, {400000, 0x80, 0xFA}, {500000, 0x00, 0x1C},
		{666000, 0x80, 0xB6}, {666666, 0x80, 0xB6}, {800000, 0x00, 0x16}, {1000000, 0x00, 0x14},
	};
	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
		uint8_t b0 = 0xEE, b1 = 0xEE;
		assert_int_equal(canalyst_btr_lookup(tab[i].rate, &b0, &b1), 0);
		assert_int_equal(b0, tab[i].b0);
		assert_int_equal(b1, tab[i].b1);
	}
	uint8_t b0, b1;
	assert_int_equal(canalyst_btr_lookup(300000, &b0, &b1), -EINVAL);
	/* 300k by the kernel's search with SJA1000 limits at 8 MHz, by hand:
	 * tsegall 13/brp 2 gives 307692 (sp 846), then tsegall 9/brp 3 gives
	 * 296296 (1.2 % off, tseg1 6, tseg2 2, sp 777); nothing closer.
	 * BTR0 = sjw-1 0 | brp-1 2 = 0x02; BTR1 = (2-1)<<4 | (6-1) = 0x15. */
	assert_int_equal(canalyst_btr_for(300000, &b0, &b1), 0);
	assert_int_equal(b0, 0x02);
	assert_int_equal(b1, 0x15);
	assert_int_equal(canalyst_btr_for(500000, &b0, &b1), 0);
	assert_int_equal(b1, 0x1C);
	assert_int_equal(canalyst_btr_for(5000000, &b0, &b1), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_parse_buffers),
		cmocka_unit_test(test_msg_checks),
		cmocka_unit_test(test_pack),
		cmocka_unit_test(test_btr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
