// SPDX-License-Identifier: MIT
/* The kernel's bit-timing search (drivers/usb_bittiming.c). Expected values:
 * the 48 MHz candleLight table of adapters.md §1.8, and cases worked out by
 * hand from the algorithm's steps (noted at each test). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <cmocka.h>

#include "drivers/usb_bittiming.h"

/* candleLight bxCAN (adapters.md §1.4): tseg1 1-16, tseg2 1-8, sjw 4, brp 1-1024. */
static const struct evgw_bt_limits candle = {
	.tseg1_min = 1, .tseg1_max = 16, .tseg2_min = 1, .tseg2_max = 8,
	.sjw_max = 4, .brp_min = 1, .brp_max = 1024, .brp_inc = 1,
};

/* An FD data phase with wider limits (M_CAN-like; chosen for the test). */
static const struct evgw_bt_limits fd_data = {
	.tseg1_min = 1, .tseg1_max = 32, .tseg2_min = 1, .tseg2_max = 16,
	.sjw_max = 16, .brp_min = 1, .brp_max = 32, .brp_inc = 1,
};

static void expect_bt(uint32_t clk, const struct evgw_bt_limits *lim, uint32_t rate, uint32_t sp,
		      uint32_t brp, uint32_t prop, uint32_t ph1, uint32_t ph2, uint32_t sjw,
		      uint32_t sp_out)
{
	struct evgw_bittiming bt;
	assert_int_equal(evgw_bt_calc(clk, lim, rate, sp, &bt), 0);
	assert_int_equal(bt.brp, brp);
	assert_int_equal(bt.prop_seg, prop);
	assert_int_equal(bt.phase_seg1, ph1);
	assert_int_equal(bt.phase_seg2, ph2);
	assert_int_equal(bt.sjw, sjw);
	assert_int_equal(bt.sample_point, sp_out);
}

/* adapters.md §1.8 table. */
static void test_candlelight_table(void **state)
{
	(void)state;
	static const struct {
		uint32_t rate, brp;
	} sp875[] = {
		{10000, 300}, {20000, 150}, {33333, 90}, {50000, 60}, {83333, 36},
		{100000, 30}, {125000, 24}, {250000, 12}, {500000, 6},
	};
	for (size_t i = 0; i < sizeof sp875 / sizeof sp875[0]; i++)
		expect_bt(48000000, &candle, sp875[i].rate, 0, sp875[i].brp, 6, 7, 2, 1, 875);
	expect_bt(48000000, &candle, 800000, 0, 3, 7, 8, 4, 2, 800);
	expect_bt(48000000, &candle, 1000000, 0, 3, 5, 6, 4, 2, 750);
}

/* Real bitrate and time quantum: 500 kbit/s at 48 MHz, brp 6 -> tq 125 ns,
 * 16 tq per bit. */
static void test_outputs(void **state)
{
	(void)state;
	struct evgw_bittiming bt;
	assert_int_equal(evgw_bt_calc(48000000, &candle, 500000, 0, &bt), 0);
	assert_int_equal(bt.tq_ns, 125);
	assert_int_equal(bt.bitrate, 500000);
	/* 33.333k: 48e6 / (90 * 16) = 33333.33, truncated. */
	assert_int_equal(evgw_bt_calc(48000000, &candle, 33333, 0, &bt), 0);
	assert_int_equal(bt.bitrate, 33333);
}

/* 80 MHz, 2 Mbit/s data phase, sample point 750 (>800k). By hand: the first
 * exact candidate from the top is tsegall 40 (tseg 78, brp 1); tseg2 =
 * 40 - 30 = 10, tseg1 = 29, sample point 30/40 = 750, error 0: stop.
 * prop 14, phase1 15, phase2 10, sjw min(15, 10/2) = 5; tq 12.5 -> 12 ns. */
static void test_80mhz_2m(void **state)
{
	(void)state;
	struct evgw_bittiming bt;
	expect_bt(80000000, &fd_data, 2000000, 0, 1, 14, 15, 10, 5, 750);
	assert_int_equal(evgw_bt_calc(80000000, &fd_data, 2000000, 0, &bt), 0);
	assert_int_equal(bt.tq_ns, 12);
	assert_int_equal(bt.bitrate, 2000000);
}

/* 80 MHz, 5 Mbit/s: odd tseg rounds brp up (tsegall 17 -> brp 1 gives
 * 4.705M, best so far); tsegall 16, brp 1 is exact; tseg2 = 16 - 12 = 4,
 * tseg1 = 11, sample point 750. prop 5, phase1 6, phase2 4, sjw 2. */
static void test_80mhz_5m(void **state)
{
	(void)state;
	expect_bt(80000000, &fd_data, 5000000, 0, 1, 5, 6, 4, 2, 750);
}

/* 500k at 48 MHz with a sample point of 800 asked: exact splits are tsegall
 * 24 (sp 708 after the tseg1 cap), 16 (tseg2 16-12 = 4: 750; tseg2 3: 812
 * passes 800), 12 (750, not better), 8, 6, 4, 3 (none better): brp 6,
 * tseg1 15-4 = 11, tseg2 4 -> prop 5, phase1 6, phase2 4, sjw 2, sp 750. */
static void test_sample_point_ref(void **state)
{
	(void)state;
	expect_bt(48000000, &candle, 500000, 800, 6, 5, 6, 4, 2, 750);
}

/* 3 Mbit/s from 8 MHz cannot be met within 5 %: the closest is 8e6/3 =
 * 2.667M (11 % off). */
static void test_rejects(void **state)
{
	(void)state;
	struct evgw_bittiming bt;
	assert_int_equal(evgw_bt_calc(8000000, &candle, 3000000, 0, &bt), -EINVAL);
	assert_int_equal(evgw_bt_calc(0, &candle, 500000, 0, &bt), -EINVAL);
	assert_int_equal(evgw_bt_calc(48000000, &candle, 0, 0, &bt), -EINVAL);
	struct evgw_bt_limits bad = candle;
	bad.brp_inc = 0;
	assert_int_equal(evgw_bt_calc(48000000, &bad, 500000, 0, &bt), -EINVAL);
	bad = candle;
	bad.tseg1_min = 17;
	assert_int_equal(evgw_bt_calc(48000000, &bad, 500000, 0, &bt), -EINVAL);
}

/* brp_inc 2 forbids brp 3 at 1M/48 MHz: exact tsegall 24 needs brp 2
 * (tseg1 capped at 16 -> tseg2 7, sp 708); tsegall 12 (odd tseg 23: brp
 * 4 + 1 = 5, rounded down to 4) is exact with tseg2 = 12 - 9 = 3, tseg1 8,
 * sample point 750, error 0: stop there.
 * prop 4, phase1 4, phase2 3, sjw min(4, 1) = 1. */
static void test_brp_inc(void **state)
{
	(void)state;
	struct evgw_bt_limits lim = candle;
	lim.brp_inc = 2;
	expect_bt(48000000, &lim, 1000000, 0, 4, 4, 4, 3, 1, 750);
}

static void test_default_sample_point(void **state)
{
	(void)state;
	assert_int_equal(evgw_bt_default_sample_point(1000000), 750);
	assert_int_equal(evgw_bt_default_sample_point(800001), 750);
	assert_int_equal(evgw_bt_default_sample_point(800000), 800);
	assert_int_equal(evgw_bt_default_sample_point(500001), 800);
	assert_int_equal(evgw_bt_default_sample_point(500000), 875);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_candlelight_table),
		cmocka_unit_test(test_outputs),
		cmocka_unit_test(test_80mhz_2m),
		cmocka_unit_test(test_80mhz_5m),
		cmocka_unit_test(test_sample_point_ref),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_brp_inc),
		cmocka_unit_test(test_default_sample_point),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
