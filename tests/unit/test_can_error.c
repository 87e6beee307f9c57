// SPDX-License-Identifier: MIT
/* Error frames folded into a bus state. Payloads as linux/can/error.h
 * defines them (class in the id; data[1] controller status, data[6]/[7]
 * TX/RX error counters); the expected states are the kernel's meaning of
 * each bit (Documentation/networking/can.rst). */
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "can/can_error.h"

static struct evgw_frame err(uint32_t cls, const uint8_t d[8])
{
	struct evgw_frame f;
	memset(&f, 0, sizeof f);
	f.flags = EVGW_FRAME_ERR;
	f.id = cls;
	f.len = 8;
	memcpy(f.data, d, 8);
	return f;
}

static void test_state_walk(void **state)
{
	(void)state;
	struct evgw_can_errstate s;
	memset(&s, 0, sizeof s);
	/* CRTL, data[1]=0x08 TX_WARNING, CNT with tx=97 rx=3 */
	struct evgw_frame f = err(0x004 | 0x200, (const uint8_t[8]){0, 0x08, 0, 0, 0, 0, 97, 3});
	evgw_can_error_fold(&s, &f);
	assert_int_equal(s.state, EVGW_BUS_WARNING);
	assert_int_equal(s.tx_errors, 97);
	assert_int_equal(s.rx_errors, 3);
	/* data[1]=0x24: TX_PASSIVE + RX_WARNING: the worse one wins */
	f = err(0x004, (const uint8_t[8]){0, 0x24, 0, 0, 0, 0, 0, 0});
	evgw_can_error_fold(&s, &f);
	assert_int_equal(s.state, EVGW_BUS_PASSIVE);
	f = err(0x040, (const uint8_t[8]){0});
	evgw_can_error_fold(&s, &f);
	evgw_can_error_fold(&s, &f); /* a second BUSOFF report is the same bus-off */
	assert_int_equal(s.state, EVGW_BUS_OFF);
	assert_int_equal(s.bus_offs, 1);
	f = err(0x100, (const uint8_t[8]){0});
	evgw_can_error_fold(&s, &f);
	assert_int_equal(s.state, EVGW_BUS_ACTIVE);
	assert_int_equal(s.restarts, 1);
	assert_int_equal(s.tx_errors, 0);
	/* data[1]=0x40: back to error-active */
	s.state = EVGW_BUS_WARNING;
	f = err(0x004, (const uint8_t[8]){0, 0x40, 0, 0, 0, 0, 0, 0});
	evgw_can_error_fold(&s, &f);
	assert_int_equal(s.state, EVGW_BUS_ACTIVE);
}

static void test_counters(void **state)
{
	(void)state;
	struct evgw_can_errstate s;
	memset(&s, 0, sizeof s);
	/* RX_OVERFLOW (data[1]=0x01) counts a controller overrun, state unchanged */
	struct evgw_frame f = err(0x004, (const uint8_t[8]){0, 0x01, 0, 0, 0, 0, 0, 0});
	evgw_can_error_fold(&s, &f);
	assert_int_equal(s.controller_overruns, 1);
	assert_int_equal(s.state, EVGW_BUS_ACTIVE);
	/* LOSTARB, then PROT|ACK (one bus error report) */
	f = err(0x002, (const uint8_t[8]){5});
	evgw_can_error_fold(&s, &f);
	f = err(0x008 | 0x020, (const uint8_t[8]){0});
	evgw_can_error_fold(&s, &f);
	assert_int_equal(s.lost_arbitration, 1);
	assert_int_equal(s.bus_errors, 1);
	/* A short error frame reads as zeros past its length: no crash, no state */
	f = err(0x004 | 0x200, (const uint8_t[8]){0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF});
	f.len = 1;
	evgw_can_error_fold(&s, &f);
	assert_int_equal(s.tx_errors, 0);
	assert_int_equal(s.state, EVGW_BUS_ACTIVE);
}

static void test_netlink_states(void **state)
{
	(void)state;
	/* enum can_state, linux/can/netlink.h */
	assert_int_equal(evgw_can_state_from_netlink(0), EVGW_BUS_ACTIVE);
	assert_int_equal(evgw_can_state_from_netlink(1), EVGW_BUS_WARNING);
	assert_int_equal(evgw_can_state_from_netlink(2), EVGW_BUS_PASSIVE);
	assert_int_equal(evgw_can_state_from_netlink(3), EVGW_BUS_OFF);
	assert_int_equal(evgw_can_state_from_netlink(4), EVGW_BUS_DOWN);
	assert_int_equal(evgw_can_state_from_netlink(5), EVGW_BUS_DOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_walk),
		cmocka_unit_test(test_counters),
		cmocka_unit_test(test_netlink_states),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
