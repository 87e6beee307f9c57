// SPDX-License-Identifier: MIT
/* The daemon's seam without a socket: a consumer registered with
 * evgw_daemon_observe hears the bus states and the faults of a replayed
 * capture, typed, with nothing of the socket API linked in its path.
 *
 * The capture is tests/golden/byd_atto3_integrity.log, whose expected
 * faults are worked out by hand in byd_atto3_integrity.expected: the
 * WHEEL_SPEED_STATUS frame says FAULT_FL = 1 ("FAULT" in its value table),
 * a DBC fault of severity error from the DBC's transmitter ESP_ECU. The
 * replay runs as fast as it can (replay_speed = 0) and then stops. */
#include <setjmp.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/daemon.h"
#include "daemon/fault_sources.h"
#include "daemon/stations.h"

struct heard {
	unsigned states, faults, rebuilt;
	enum evgw_bus_state last_state;
	char fault_code[64], fault_ecu_name[64];
	enum evgw_fault_event fault_event;
	enum evgw_fault_severity severity;
	enum evgw_fault_status status;
};

static void on_state(void *ud, const struct evgw_station *st, enum evgw_bus_state now, enum evgw_bus_state was)
{
	struct heard *h = ud;
	assert_string_equal(st->bus->name, "car");
	assert_int_not_equal(now, was);
	h->states++;
	h->last_state = now;
}

static void on_fault(void *ud, const struct evgw_fault *f, enum evgw_fault_event ev)
{
	struct heard *h = ud;
	h->faults++;
	if (strcmp(f->code, "WHEEL_SPEED_STATUS.FAULT_FL"))
		return;
	snprintf(h->fault_code, sizeof h->fault_code, "%s", f->code);
	snprintf(h->fault_ecu_name, sizeof h->fault_ecu_name, "%s", f->ecu_name);
	h->fault_event = ev;
	h->severity = f->severity;
	h->status = f->status;
	/* Told only once it is in the store: it has a row. */
	assert_true(f->id > 0);
}

static void on_rebuilt(void *ud)
{
	((struct heard *)ud)->rebuilt++;
}

static void test_faults_and_states_reach_an_observer(void **state)
{
	(void)state;
	static struct evgw_daemon dd;
	struct evgw_daemon *d = &dd;
	char tmp[] = "/tmp/evgw-events-XXXXXX", conf[1024], err[512] = "";
	assert_non_null(mkdtemp(tmp));
	snprintf(conf, sizeof conf,
		 "[gateway]\nstate_dir = %s\ndbc_dir = %s/../../dbc\n"
		 "[bus car]\ndriver = replay\ndevice = %s/../golden/byd_atto3_integrity.log\n"
		 "replay_speed = 0\ndbc = byd_atto3.dbc\n",
		 tmp, EVGW_TEST_DATA, EVGW_TEST_DATA);
	d->sigfd = d->sigio.fd = d->tick.io.fd = d->fault_flush.io.fd = -1;
	d->hotplug_rtnl.fd = d->hotplug_uevent.fd = -1;
	d->hotplug_retry.io.fd = d->hotplug_settle.io.fd = -1;
	assert_int_equal(evgw_config_defaults(&d->cfg, false), 0);
	assert_int_equal(evgw_config_load_string(&d->cfg, conf, "<test>", err, sizeof err), 0);
	evgw_log_init(&d->log, EVGW_LOG_ERR);
	assert_int_equal(evgw_loop_init(&d->loop), 0);
	assert_int_equal(evgw_daemon_build_stations(d, &d->cfg, d->stations, &d->n_stations, err, sizeof err), 0);

	struct heard h = {0};
	struct evgw_daemon_observer o = {on_state, on_fault, on_rebuilt, &h, NULL};
	assert_int_equal(evgw_daemon_observe(d, &o), 0);
	evgw_daemon_faults_init(d);
	evgw_daemon_start_stations(d);
	/* The fault store flushes every 100 ms; the replay ends within a round. */
	for (int i = 0; i < 100 && (!h.fault_code[0] || h.last_state != EVGW_BUS_STOPPED); i++)
		evgw_loop_run_once(&d->loop, 50);

	assert_string_equal(h.fault_code, "WHEEL_SPEED_STATUS.FAULT_FL");
	assert_int_equal(h.fault_event, EVGW_FAULT_RAISED);
	assert_int_equal(h.severity, EVGW_SEV_ERROR);
	assert_int_equal(h.status, EVGW_FS_ACTIVE);
	assert_string_equal(h.fault_ecu_name, "ESP_ECU");
	assert_true(h.states >= 1);
	assert_int_equal(h.last_state, EVGW_BUS_STOPPED);
	assert_int_equal(h.rebuilt, 0);

	evgw_daemon_free_stations(d, d->stations, d->n_stations);
	evgw_loop_fini(&d->loop);
	evgw_daemon_faults_fini(d);
	evgw_config_free(&d->cfg);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
	assert_int_equal(system(cmd), 0);
}

static void test_observers_are_bounded(void **state)
{
	(void)state;
	static struct evgw_daemon dd;
	struct evgw_daemon_observer o = {NULL, NULL, NULL, NULL, NULL};
	for (int i = 0; i < EVGW_MAX_OBSERVERS; i++)
		assert_int_equal(evgw_daemon_observe(&dd, &o), 0);
	assert_int_equal(evgw_daemon_observe(&dd, &o), -ENOSPC);
	/* Hooks left NULL are skipped. */
	evgw_daemon_emit_buses_changed(&dd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_faults_and_states_reach_an_observer),
		cmocka_unit_test(test_observers_are_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
