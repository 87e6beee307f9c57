// SPDX-License-Identifier: MIT
/* The pieces the USB drivers share: the device string (drivers/usb_spec.c),
 * the per-channel frame ring (usb_ring.c) and the adapter clock (usb_clock.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/usb_clock.h"
#include "drivers/usb_ring.h"
#include "drivers/usb_spec.h"

static void test_spec_ok(void **state)
{
	(void)state;
	struct evgw_usb_spec s;
	char err[200];
	assert_int_equal(evgw_usb_spec_parse("", &s, err, sizeof err), 0);
	assert_false(s.has_id);
	assert_string_equal(s.serial, "");
	assert_int_equal(s.channel, 0);
	assert_int_equal(evgw_usb_spec_parse(NULL, &s, err, sizeof err), 0);
	assert_int_equal(evgw_usb_spec_parse("1d50:606f@0042001C5346#1", &s, err, sizeof err), 0);
	assert_true(s.has_id);
	assert_int_equal(s.vid, 0x1d50);
	assert_int_equal(s.pid, 0x606f);
	assert_string_equal(s.serial, "0042001C5346");
	assert_int_equal(s.channel, 1);
	assert_int_equal(evgw_usb_spec_parse("4d8:53", &s, err, sizeof err), 0);
	assert_int_equal(s.vid, 0x04d8);
	assert_int_equal(s.pid, 0x0053);
	assert_int_equal(evgw_usb_spec_parse("#15", &s, err, sizeof err), 0);
	assert_int_equal(s.channel, 15);
	assert_int_equal(evgw_usb_spec_parse("@A-1", &s, err, sizeof err), 0);
	assert_string_equal(s.serial, "A-1");
}

static void test_spec_bad(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"1d50", "1d50:", "12345:1", "1d50:606f0", "@", "#", "#16", "#1x", "1d50:606f@a b",
		"zz", "1d50:606f#1@x", "can0", "@#1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct evgw_usb_spec s;
		char err[200] = "";
		assert_int_equal(evgw_usb_spec_parse(bad[i], &s, err, sizeof err), -EINVAL);
		assert_non_null(strstr(err, bad[i]));
	}
	char longs[80];
	memset(longs, 'x', sizeof longs);
	longs[0] = '@';
	longs[79] = '\0';
	struct evgw_usb_spec s;
	assert_int_equal(evgw_usb_spec_parse(longs, &s, NULL, 0), -EINVAL);
}

static void test_spec_match(void **state)
{
	(void)state;
	static const struct evgw_usb_id ids[] = {{0x1d50, 0x606f}, {0x1209, 0x2323}};
	struct evgw_usb_spec s;
	assert_int_equal(evgw_usb_spec_parse("", &s, NULL, 0), 0);
	assert_true(evgw_usb_spec_matches(&s, ids, 2, 0x1209, 0x2323, NULL));
	assert_false(evgw_usb_spec_matches(&s, ids, 2, 0x04d8, 0x0053, "x"));
	/* A configured VID:PID outside the table. */
	assert_int_equal(evgw_usb_spec_parse("dead:beef@S1", &s, NULL, 0), 0);
	assert_true(evgw_usb_spec_matches(&s, ids, 2, 0xdead, 0xbeef, "S1"));
	assert_false(evgw_usb_spec_matches(&s, ids, 2, 0xdead, 0xbeef, "S2"));
	assert_false(evgw_usb_spec_matches(&s, ids, 2, 0xdead, 0xbeef, NULL));
	assert_false(evgw_usb_spec_matches(&s, ids, 2, 0x1d50, 0x606f, "S1"));
}

static bool readable(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	return poll(&p, 1, 0) == 1;
}

static void test_ring(void **state)
{
	(void)state;
	struct evgw_usb_ring r;
	assert_int_equal(evgw_usb_ring_init(&r), 0);
	assert_false(readable(r.wake_fd));
	for (uint32_t i = 0; i < 5; i++) {
		struct evgw_frame *f = evgw_usb_ring_slot(&r);
		assert_non_null(f);
		f->id = i;
		evgw_usb_ring_commit(&r);
	}
	assert_true(readable(r.wake_fd));
	struct evgw_frame out[3];
	assert_int_equal(evgw_usb_ring_take(&r, out, 3), 3);
	assert_int_equal(out[2].id, 2);
	assert_true(readable(r.wake_fd)); /* two left: still readable */
	assert_int_equal(evgw_usb_ring_take(&r, out, 3), 2);
	assert_int_equal(out[1].id, 4);
	assert_false(readable(r.wake_fd));
	/* Fill it: the one past the capacity is dropped and counted. */
	for (uint32_t i = 0; i < EVGW_USB_RING_FRAMES; i++) {
		assert_non_null(evgw_usb_ring_slot(&r));
		evgw_usb_ring_commit(&r);
	}
	assert_null(evgw_usb_ring_slot(&r));
	assert_int_equal(r.dropped, 1);
	assert_int_equal(evgw_usb_ring_count(&r), EVGW_USB_RING_FRAMES);
	evgw_usb_ring_clear(&r);
	assert_int_equal(evgw_usb_ring_count(&r), 0);
	assert_false(readable(r.wake_fd));
	/* Held (the reader runs the events): commits stay quiet, the frames are there. */
	evgw_usb_ring_hold(&r);
	assert_non_null(evgw_usb_ring_slot(&r));
	evgw_usb_ring_commit(&r);
	evgw_usb_ring_release(&r);
	assert_false(readable(r.wake_fd));
	assert_int_equal(evgw_usb_ring_take(&r, out, 3), 1);
	/* Woken from outside (another channel's bus ran the events). */
	assert_non_null(evgw_usb_ring_slot(&r));
	evgw_usb_ring_commit(&r);
	assert_true(readable(r.wake_fd));
	assert_int_equal(evgw_usb_ring_take(&r, out, 3), 1);
	assert_false(readable(r.wake_fd));
	evgw_usb_ring_free(&r);
}

static void test_clock(void **state)
{
	(void)state;
	struct evgw_usb_clock c;
	evgw_usb_clock_init(&c, 100);
	int64_t now = 1700000000000000;
	/* First frame anchors at the arrival time. */
	assert_int_equal(evgw_usb_clock_map(&c, 1000, now), now);
	/* 50 ticks later = 5 ms later, received 6 ms later: keeps the device's gap. */
	assert_int_equal(evgw_usb_clock_map(&c, 1050, now + 6000), now + 5000);
	/* The counter wraps: 0xFFFFFFF0 -> 0x10 is 0x20 ticks forward. */
	evgw_usb_clock_init(&c, 1);
	assert_int_equal(evgw_usb_clock_map(&c, 0xFFFFFFF0u, now), now);
	assert_int_equal(evgw_usb_clock_map(&c, 0x10, now + 100), now + 32);
	/* Ahead of the host clock: re-anchored at now. */
	assert_int_equal(evgw_usb_clock_map(&c, 0x10 + 5000, now + 200), now + 200);
	/* Too far behind (a stalled counter): re-anchored too. */
	assert_int_equal(evgw_usb_clock_map(&c, 0x10 + 5000, now + 10000000), now + 10000000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_ok),
		cmocka_unit_test(test_spec_bad),
		cmocka_unit_test(test_spec_match),
		cmocka_unit_test(test_ring),
		cmocka_unit_test(test_clock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
