// SPDX-License-Identifier: MIT
/* The sim driver through the driver contract: open by vehicle name, wait on
 * its fd, receive what the vehicle sends. Counts only, no durations. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <cmocka.h>

#include "drivers/driver.h"
#include "test_support.h"

#define SRC_DBC_DIR EVGW_TEST_DATA "/../../dbc"
#define WAIT_MS 5000
#define MAX_ROUNDS 2000

static int64_t wall_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void test_receives_every_message(void **state)
{
	static const uint32_t ids[] = {0x11F, 0x121, 0x1F0, 0x1FC, 0x242, 0x3F0};
	struct evgw_bus_params p = {.name = "car", .driver = "sim", .device = "byd-atto3",
				    .listen_only = true, .dbc_dir = SRC_DBC_DIR};
	struct evgw_driver_err err = {{0}};
	struct evgw_driver_fd fds[2];
	struct evgw_frame f[4];
	struct evgw_bus_status st;
	void *bus = NULL;
	unsigned seen = 0;

	(void)state;
	const struct evgw_driver_ops *ops = evgw_driver_find("sim");
	assert_non_null(ops);
	int rc = ops->open(&p, &bus, &err);
	if (rc != 0)
		fail_msg("open: %d: %s", rc, err.msg);
	assert_int_equal(ops->fds(bus, fds, 2), 1);
	assert_int_equal(fds[0].events, EPOLLIN);
	int64_t t0 = wall_us();
	/* Small batches: leftovers must keep the fd readable. */
	for (int round = 0; round < MAX_ROUNDS && seen != (1u << 6) - 1; round++) {
		struct pollfd pfd = {.fd = fds[0].fd, .events = POLLIN};
		assert_int_equal(poll(&pfd, 1, WAIT_MS), 1);
		int n = ops->recv(bus, f, 4);
		assert_true(n >= 0 && n <= 4);
		for (int i = 0; i < n; i++) {
			assert_true(f[i].ts_us >= t0 && f[i].ts_us <= wall_us());
			for (unsigned k = 0; k < 6; k++)
				if (f[i].id == ids[k])
					seen |= 1u << k;
		}
	}
	assert_int_equal(seen, (1u << 6) - 1);
	assert_int_equal(ops->send(bus, &f[0]), 0);
	assert_int_equal(ops->set_bitrate(bus, 500000, 0), 0);
	assert_int_equal(ops->set_listen_only(bus, false), 0);
	assert_int_equal(ops->get_status(bus, &st), 0);
	assert_int_equal(st.state, EVGW_BUS_ACTIVE);
	ops->close(bus);
}

static void test_open_errors(void **state)
{
	struct evgw_bus_params p = {.name = "car", .driver = "sim", .device = "tractor",
				    .dbc_dir = SRC_DBC_DIR};
	struct evgw_driver_err err = {{0}};
	void *bus = NULL;

	(void)state;
	const struct evgw_driver_ops *ops = evgw_driver_find("sim");
	assert_int_equal(ops->open(&p, &bus, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "\"tractor\""));
	p.device = "yutong-bus";
	p.dbc_dir = "/nonexistent";
	assert_int_equal(ops->open(&p, &bus, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "/nonexistent/yutong_ebus.dbc"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_receives_every_message),
		cmocka_unit_test(test_open_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
