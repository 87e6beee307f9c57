// SPDX-License-Identifier: MIT
/* The gsusb and canalyst drivers through the driver contract, on a machine
 * without the adapters: what the daemon sees when a bus's adapter is not
 * plugged in (hotplug.md: -ENODEV with the device named, cheap to retry)
 * or the device string is wrong. With hardware or the emulators of
 * tests/usb/ the rest is tested end to end. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "drivers/driver.h"
#include "drivers/usb_dev.h"

static int open_bus(const char *driver, const char *device, struct evgw_usb_hub *hub,
		    struct evgw_driver_err *err, void **st)
{
	const struct evgw_driver_ops *ops = evgw_driver_find(driver);
	assert_non_null(ops);
	struct evgw_bus_params p = {
		.name = "t", .driver = driver, .device = device, .bitrate = 500000,
		.listen_only = true, .usb_hub = hub,
	};
	*st = NULL;
	memset(err, 0, sizeof *err);
	return ops->open(&p, st, err);
}

static void test_absent(void **state)
{
	(void)state;
	static const char *const drivers[] = {"gsusb", "canalyst"};
	struct evgw_usb_hub hub = {{NULL}};
	for (int i = 0; i < 2; i++) {
		struct evgw_driver_err err;
		void *st;
		/* A serial no adapter has. */
		int r = open_bus(drivers[i], "@EVGW-NO-SUCH-SERIAL#1", &hub, &err, &st);
		assert_int_equal(r, -ENODEV);
		assert_null(st);
		assert_non_null(strstr(err.msg, drivers[i]));
		assert_non_null(strstr(err.msg, "EVGW-NO-SUCH-SERIAL"));
		/* A VID:PID nothing has, without a hub. */
		r = open_bus(drivers[i], "ffff:fffe", NULL, &err, &st);
		assert_int_equal(r, -ENODEV);
		assert_non_null(strstr(err.msg, "ffff:fffe"));
		for (int k = 0; k < EVGW_USB_HUB_MAX; k++)
			assert_null(hub.devs[k]);
	}
}

/* Retried every 2 s by the daemon: a failed open must be cheap. */
static void test_absent_is_cheap(void **state)
{
	(void)state;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 20; i++) {
		struct evgw_driver_err err;
		void *st;
		assert_int_equal(open_bus("gsusb", "ffff:fffe", NULL, &err, &st), -ENODEV);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	printf("20 failed opens: %.1f ms\n", ms);
	assert_true(ms < 2000);
}

static void test_bad_device_string(void **state)
{
	(void)state;
	static const char *const bad[] = {"can0", "1d50:606f#x", "@", "/dev/ttyACM0"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct evgw_driver_err err;
		void *st;
		assert_int_equal(open_bus("gsusb", bad[i], NULL, &err, &st), -EINVAL);
		assert_non_null(strstr(err.msg, bad[i]));
		assert_int_equal(open_bus("canalyst", bad[i], NULL, &err, &st), -EINVAL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_absent),
		cmocka_unit_test(test_absent_is_cheap),
		cmocka_unit_test(test_bad_device_string),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
