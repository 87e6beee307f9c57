// SPDX-License-Identifier: MIT
/* gs_usb codecs (drivers/gsusb_proto.c). Byte strings are written out by
 * hand from the layouts in adapters.md §1.4/§1.5 and linux/can/error.h;
 * error frames are folded by the core (tests/unit/test_can_error.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/gsusb_proto.h"

static void test_sizes(void **state)
{
	(void)state;
	assert_int_equal(gsusb_frame_size(false, false), 20);
	assert_int_equal(gsusb_frame_size(false, true), 24);
	assert_int_equal(gsusb_frame_size(true, false), 76);
	assert_int_equal(gsusb_frame_size(true, true), 80);
}

/* A received standard frame 0x123 [3] 11 22 33, channel 0, no timestamp. */
static void test_decode_classic(void **state)
{
	(void)state;
	static const uint8_t wire[20] = {
		0xFF, 0xFF, 0xFF, 0xFF, 0x23, 0x01, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
		0x11, 0x22, 0x33, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	struct gsusb_host_frame h;
	struct evgw_frame f;
	assert_int_equal(gsusb_frame_decode(wire, sizeof wire, false, &h), 0);
	assert_int_equal(h.echo_id, GSUSB_ECHO_RX);
	assert_int_equal(h.channel, 0);
	assert_false(h.has_ts);
	assert_int_equal(gsusb_frame_to_evgw(&h, &f), 0);
	assert_int_equal(f.id, 0x123);
	assert_int_equal(f.flags, 0);
	assert_int_equal(f.len, 3);
	assert_int_equal(f.dlc, 3);
	assert_memory_equal(f.data, "\x11\x22\x33\x00", 4);
	/* One byte short of the layout. */
	assert_int_equal(gsusb_frame_decode(wire, 19, false, &h), -EBADMSG);
	/* A timestamp was asked for in MODE but the transfer has none. */
	assert_int_equal(gsusb_frame_decode(wire, 20, true, &h), -EBADMSG);
	/* Trailing padding (PAD_PKTS, the LPC546xx quirk byte) is ignored. */
	uint8_t padded[64] = {0};
	memcpy(padded, wire, sizeof wire);
	assert_int_equal(gsusb_frame_decode(padded, sizeof padded, false, &h), 0);
	assert_int_equal(h.can_id, 0x123);
}

/* Extended 0x18FEF100 (EFF bit set: 0x98FEF100), 8 bytes, channel 1,
 * timestamp 0x12345678 at offset 20. */
static void test_decode_ext_ts(void **state)
{
	(void)state;
	static const uint8_t wire[24] = {
		0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0xF1, 0xFE, 0x98, 0x08, 0x01, 0x00, 0x00,
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x78, 0x56, 0x34, 0x12,
	};
	struct gsusb_host_frame h;
	struct evgw_frame f;
	assert_int_equal(gsusb_frame_decode(wire, sizeof wire, true, &h), 0);
	assert_int_equal(h.channel, 1);
	assert_true(h.has_ts);
	assert_int_equal(h.ts_us, 0x12345678);
	assert_int_equal(gsusb_frame_to_evgw(&h, &f), 0);
	assert_int_equal(f.id, 0x18FEF100);
	assert_int_equal(f.flags, EVGW_FRAME_EXT);
	assert_int_equal(f.len, 8);
	assert_memory_equal(f.data, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
}

/* FD frame: flags FD|BRS (0x06), DLC 13 = 32 bytes, 64 data bytes on the
 * wire, timestamp at offset 76. */
static void test_decode_fd(void **state)
{
	(void)state;
	uint8_t wire[80] = {0};
	static const uint8_t hdr[12] = {0xFF, 0xFF, 0xFF, 0xFF, 0x55, 0x05, 0x00, 0x00,
					0x0D, 0x00, 0x06, 0x00};
	memcpy(wire, hdr, sizeof hdr);
	for (int i = 0; i < 64; i++)
		wire[12 + i] = (uint8_t)(0xA0 + i);
	wire[76] = 0x01; /* ts 1 */
	struct gsusb_host_frame h;
	struct evgw_frame f;
	assert_int_equal(gsusb_frame_decode(wire, 76, false, &h), 0);
	assert_int_equal(gsusb_frame_decode(wire, 79, true, &h), -EBADMSG);
	assert_int_equal(gsusb_frame_decode(wire, 80, true, &h), 0);
	assert_int_equal(h.ts_us, 1);
	assert_int_equal(gsusb_frame_to_evgw(&h, &f), 0);
	assert_int_equal(f.id, 0x555);
	assert_int_equal(f.flags, EVGW_FRAME_FD | EVGW_FRAME_BRS);
	assert_int_equal(f.dlc, 13);
	assert_int_equal(f.len, 32);
	assert_int_equal(f.data[0], 0xA0);
	assert_int_equal(f.data[31], 0xA0 + 31);
	assert_int_equal(f.data[32], 0); /* bytes past len are not copied */
	/* An FD flag with only a classic-sized transfer. */
	assert_int_equal(gsusb_frame_decode(wire, 20, false, &h), -EBADMSG);
}

static void test_decode_special(void **state)
{
	(void)state;
	struct gsusb_host_frame h = {.echo_id = GSUSB_ECHO_RX};
	struct evgw_frame f;
	/* Remote request 0x7DF, length 8. */
	h.can_id = 0x7DF | GSUSB_CAN_RTR;
	h.can_dlc = 8;
	assert_int_equal(gsusb_frame_to_evgw(&h, &f), 0);
	assert_int_equal(f.flags, EVGW_FRAME_RTR);
	assert_int_equal(f.len, 8);
	/* Classic DLC 12 (CC_LEN8_DLC): 8 bytes, raw DLC kept. */
	h.can_id = 0x100;
	h.can_dlc = 12;
	assert_int_equal(gsusb_frame_to_evgw(&h, &f), 0);
	assert_int_equal(f.len, 8);
	assert_int_equal(f.dlc, 12);
	/* DLC 16 exists on no bus. */
	h.can_dlc = 16;
	assert_int_equal(gsusb_frame_to_evgw(&h, &f), -EBADMSG);
	/* Error frame: class in the id, detail kept. */
	h.can_id = GSUSB_CAN_ERR | 0x4;
	h.can_dlc = 8;
	h.data[1] = 0x10;
	assert_int_equal(gsusb_frame_to_evgw(&h, &f), 0);
	assert_int_equal(f.flags, EVGW_FRAME_ERR);
	assert_int_equal(f.id, 4);
	assert_int_equal(f.data[1], 0x10);
}

/* TX: OBD request 7DF [8] 02 01 0C ..., echo id 3, channel 0. */
static void test_encode_tx(void **state)
{
	(void)state;
	static const uint8_t want[20] = {
		0x03, 0x00, 0x00, 0x00, 0xDF, 0x07, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00,
		0x02, 0x01, 0x0C, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	struct evgw_frame f = {.id = 0x7DF, .len = 8, .dlc = 8, .data = {0x02, 0x01, 0x0C}};
	struct gsusb_host_frame h;
	uint8_t buf[GSUSB_FRAME_MAX];
	assert_int_equal(gsusb_frame_from_evgw(&f, false, 0, 3, &h), 0);
	assert_int_equal(gsusb_frame_encode(&h, buf, sizeof buf), 20);
	assert_memory_equal(buf, want, 20);
	assert_int_equal(gsusb_frame_encode(&h, buf, 19), -ENOSPC);

	/* Extended id on channel 2: 0x18DA10F1 | EFF = 0x98DA10F1. */
	struct evgw_frame e = {.id = 0x18DA10F1, .flags = EVGW_FRAME_EXT, .len = 1, .data = {0x3E}};
	assert_int_equal(gsusb_frame_from_evgw(&e, false, 2, 9, &h), 0);
	assert_int_equal(gsusb_frame_encode(&h, buf, sizeof buf), 20);
	assert_memory_equal(buf, "\x09\x00\x00\x00\xF1\x10\xDA\x98\x01\x02\x00\x00\x3E", 13);

	/* FD frame of 20 bytes: DLC 11, 76-byte layout, flags FD. */
	struct evgw_frame d = {.id = 0x10, .flags = EVGW_FRAME_FD, .len = 20};
	assert_int_equal(gsusb_frame_from_evgw(&d, false, 0, 0, &h), -EINVAL);
	assert_int_equal(gsusb_frame_from_evgw(&d, true, 0, 0, &h), 0);
	assert_int_equal(gsusb_frame_encode(&h, buf, sizeof buf), 76);
	assert_int_equal(buf[8], 11);
	assert_int_equal(buf[10], GSUSB_FLAG_FD);

	/* Things that cannot be sent. */
	struct evgw_frame bad = {.id = 0x800, .len = 1};
	assert_int_equal(gsusb_frame_from_evgw(&bad, false, 0, 0, &h), -EINVAL);
	bad = (struct evgw_frame){.id = 1, .flags = EVGW_FRAME_ERR, .len = 8};
	assert_int_equal(gsusb_frame_from_evgw(&bad, false, 0, 0, &h), -EINVAL);
	bad = (struct evgw_frame){.id = 1, .len = 9};
	assert_int_equal(gsusb_frame_from_evgw(&bad, false, 0, 0, &h), -EINVAL);
}

/* Round trip RX decode of what TX encodes, every classic DLC. */
static void test_roundtrip(void **state)
{
	(void)state;
	for (uint8_t len = 0; len <= 8; len++) {
		struct evgw_frame f = {.id = 0x321, .len = len, .dlc = len}, g;
		for (int i = 0; i < len; i++)
			f.data[i] = (uint8_t)(i * 17);
		struct gsusb_host_frame h;
		uint8_t buf[GSUSB_FRAME_MAX];
		assert_int_equal(gsusb_frame_from_evgw(&f, false, 0, 1, &h), 0);
		int n = gsusb_frame_encode(&h, buf, sizeof buf);
		assert_int_equal(gsusb_frame_decode(buf, (size_t)n, false, &h), 0);
		assert_int_equal(gsusb_frame_to_evgw(&h, &g), 0);
		assert_int_equal(g.id, f.id);
		assert_int_equal(g.len, len);
		assert_memory_equal(g.data, f.data, len);
	}
}

/* DEVICE_CONFIG: reserved x3, icount 1, sw 2, hw 3. */
static void test_device_config(void **state)
{
	(void)state;
	static const uint8_t wire[12] = {0, 0, 0, 1, 2, 0, 0, 0, 3, 0, 0, 0};
	struct gsusb_device_config c;
	assert_int_equal(gsusb_device_config_decode(wire, 12, &c), 0);
	assert_int_equal(c.icount, 1);
	assert_int_equal(c.sw_version, 2);
	assert_int_equal(c.hw_version, 3);
	assert_int_equal(gsusb_device_config_decode(wire, 11, &c), -EBADMSG);
}

/* candleLight BT_CONST: features LISTEN_ONLY|LOOP_BACK|HW_TIMESTAMP|IDENTIFY
 * (0x33), 48 MHz (0x02DC6C00), tseg1 1-16, tseg2 1-8, sjw 4, brp 1-1024, 1. */
static void test_bt_const(void **state)
{
	(void)state;
	static const uint8_t wire[40] = {
		0x33, 0, 0, 0, 0x00, 0x6C, 0xDC, 0x02, 1, 0, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0,
		8, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0x00, 0x04, 0, 0, 1, 0, 0, 0,
	};
	struct gsusb_bt_const c;
	assert_int_equal(gsusb_bt_const_decode(wire, 40, &c), 0);
	assert_int_equal(c.feature, GSUSB_FEAT_LISTEN_ONLY | GSUSB_FEAT_LOOP_BACK |
					    GSUSB_FEAT_HW_TIMESTAMP | GSUSB_FEAT_IDENTIFY);
	assert_int_equal(c.fclk_can, 48000000);
	assert_int_equal(c.nominal.tseg1_min, 1);
	assert_int_equal(c.nominal.tseg1_max, 16);
	assert_int_equal(c.nominal.tseg2_min, 1);
	assert_int_equal(c.nominal.tseg2_max, 8);
	assert_int_equal(c.nominal.sjw_max, 4);
	assert_int_equal(c.nominal.brp_min, 1);
	assert_int_equal(c.nominal.brp_max, 1024);
	assert_int_equal(c.nominal.brp_inc, 1);
	assert_int_equal(c.data.brp_max, 0);
	assert_int_equal(gsusb_bt_const_decode(wire, 39, &c), -EBADMSG);

	/* BT_CONST_EXT: data limits after the first 40 bytes. */
	uint8_t ext[72] = {0};
	memcpy(ext, wire, 40);
	ext[40 + 4] = 32;  /* dtseg1_max */
	ext[40 + 28] = 2;  /* dbrp_inc */
	assert_int_equal(gsusb_bt_const_decode(ext, 72, &c), 0);
	assert_int_equal(c.data.tseg1_max, 32);
	assert_int_equal(c.data.brp_inc, 2);
}

/* 500k at 48 MHz as the kernel sends it (usb-gadget.md): prop 6, phase1 7,
 * phase2 2, sjw 1, brp 6. MODE START with HW_TIMESTAMP|LISTEN_ONLY. */
static void test_bittiming_mode(void **state)
{
	(void)state;
	static const uint8_t want_bt[20] = {6, 0, 0, 0, 7, 0, 0, 0, 2, 0, 0, 0,
					    1, 0, 0, 0, 6, 0, 0, 0};
	struct evgw_bittiming bt = {.prop_seg = 6, .phase_seg1 = 7, .phase_seg2 = 2, .sjw = 1,
				    .brp = 6};
	uint8_t buf[GSUSB_BITTIMING_SIZE];
	gsusb_bittiming_encode(&bt, buf);
	assert_memory_equal(buf, want_bt, 20);
	uint8_t mode[GSUSB_MODE_SIZE];
	gsusb_mode_encode(GSUSB_MODE_START, GSUSB_FEAT_HW_TIMESTAMP | GSUSB_FEAT_LISTEN_ONLY, mode);
	assert_memory_equal(mode, "\x01\x00\x00\x00\x11\x00\x00\x00", 8);

	static const uint8_t st_wire[12] = {3, 0, 0, 0, 0, 1, 0, 0, 0xFF, 0, 0, 0};
	struct gsusb_state st;
	assert_int_equal(gsusb_state_decode(st_wire, 12, &st), 0);
	assert_int_equal(st.state, GSUSB_STATE_BUS_OFF);
	assert_int_equal(st.rxerr, 256);
	assert_int_equal(st.txerr, 255);
}

static void test_echo(void **state)
{
	(void)state;
	struct gsusb_echo e = {0};
	for (int i = 0; i < 10; i++)
		assert_int_equal(gsusb_echo_take(&e, 0), i);
	assert_int_equal(gsusb_echo_take(&e, 0), -ENOBUFS);
	assert_int_equal(gsusb_echo_in_flight(&e), 10);
	assert_true(gsusb_echo_done(&e, 3));
	assert_int_equal(e.confirmed, 1);
	/* An id whose transfer is still out is not handed out again. */
	assert_int_equal(gsusb_echo_take(&e, 1u << 3), -ENOBUFS);
	assert_int_equal(gsusb_echo_take(&e, 0), 3);
	assert_true(gsusb_echo_done(&e, 3));
	assert_false(gsusb_echo_done(&e, 3));
	assert_false(gsusb_echo_done(&e, 10));
	assert_false(gsusb_echo_done(&e, GSUSB_ECHO_RX));
	assert_int_equal(e.unknown, 3);
	gsusb_echo_release(&e, 0);
	assert_int_equal(gsusb_echo_in_flight(&e), 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_decode_classic),
		cmocka_unit_test(test_decode_ext_ts),
		cmocka_unit_test(test_decode_fd),
		cmocka_unit_test(test_decode_special),
		cmocka_unit_test(test_encode_tx),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_device_config),
		cmocka_unit_test(test_bt_const),
		cmocka_unit_test(test_bittiming_mode),
		cmocka_unit_test(test_echo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
