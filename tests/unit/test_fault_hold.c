// SPDX-License-Identifier: MIT
/* DBC fault signals on a real bus (evgw_bus_dispatch + evgw_bus_tick): a
 * fault is raised on the first frame that says so, and cleared only after
 * its signal has said "no fault" for EVGW_FAULT_CLEAR_HOLD_US (200 ms); a
 * signal that flickers frame by frame stays one fault. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bus/bus.h"
#include "dbc/dbc.h"
#include "test_support.h"

/* 0x1F0 (496) byte 1 bit 5 = bit 13: FAULT_FL, value 1 "FAULT" (a fault word). */
static const char dbc_text[] =
	"VERSION \"t\"\n"
	"BO_ 496 WHEELS: 8 ESP\n"
	" SG_ FAULT_FL : 13|1@1+ (1,0) [0|1] \"\" Vector__XXX\n"
	"VAL_ 496 FAULT_FL 0 \"OK\" 1 \"FAULT\" ;\n";

struct seen {
	unsigned raised, cleared;
	int64_t last_ts;
};

static void on_fault(void *ud, struct evgw_bus *bus, const struct evgw_frame *f, const struct dbc_message *msg,
		     unsigned db, const struct dbc_signal *sig, const struct evgw_sig_fault *sf)
{
	(void)bus;
	(void)msg;
	(void)db;
	(void)sig;
	struct seen *s = ud;
	if (sf->active)
		s->raised++;
	else
		s->cleared++;
	assert_int_equal(f->id, 0x1F0);
	s->last_ts = f->ts_us;
}

static struct evgw_bus *make_bus(struct seen *seen)
{
	struct diags dg = {0};
	struct dbc_load_opts o = {false, diag_cb, &dg};
	struct dbc_db *db = NULL;
	assert_int_equal(dbc_load_buffer(dbc_text, strlen(dbc_text), "t.dbc", &o, &db), 0);
	struct evgw_bus_params bp;
	memset(&bp, 0, sizeof bp);
	bp.name = "car";
	bp.driver = "replay";
	struct evgw_bus *bus = NULL;
	struct evgw_driver_err err;
	assert_int_equal(evgw_bus_create(&bp, &db, 1, &bus, &err), 0);
	assert_int_equal(bus->n_faults, 1);
	bus->on_fault = on_fault;
	bus->on_fault_ud = seen;
	return bus;
}

static void frame(struct evgw_bus *bus, int64_t t_us, bool fault)
{
	struct evgw_frame f;
	memset(&f, 0, sizeof f);
	f.id = 0x1F0;
	f.len = 8;
	f.data[1] = fault ? 0x20 : 0x00;
	f.ts_us = 1700000000000000 + t_us;
	evgw_bus_dispatch(bus, &f, t_us);
}

static void test_raise_then_clear_after_hold(void **state)
{
	(void)state;
	struct seen s = {0, 0, 0};
	struct evgw_bus *bus = make_bus(&s);
	frame(bus, 1000000, true);
	assert_int_equal(s.raised, 1);
	frame(bus, 1010000, false); /* says OK from t = 1.010 s */
	frame(bus, 1020000, false);
	evgw_bus_tick(bus, 1100000);
	evgw_bus_tick(bus, 1209999); /* 199.999 ms: still held */
	assert_int_equal(s.cleared, 0);
	evgw_bus_tick(bus, 1210000); /* 200 ms */
	assert_int_equal(s.cleared, 1);
	/* The clear carries the time of the frame that first said OK. */
	assert_true(s.last_ts == 1700000000000000 + 1010000);
	evgw_bus_tick(bus, 1500000);
	assert_int_equal(s.cleared, 1);
	frame(bus, 1600000, true); /* a new occurrence */
	assert_int_equal(s.raised, 2);
	evgw_bus_free(bus);
}

static void test_flicker_is_one_fault(void **state)
{
	(void)state;
	struct seen s = {0, 0, 0};
	struct evgw_bus *bus = make_bus(&s);
	int64_t t = 0;
	for (int i = 0; i < 1000; i++) {
		frame(bus, t += 10000, i % 2 == 0); /* fault, OK, fault, ... every 10 ms */
		if (i % 10 == 0)
			evgw_bus_tick(bus, t);
	}
	assert_int_equal(s.raised, 1);
	assert_int_equal(s.cleared, 0);
	evgw_bus_free(bus);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raise_then_clear_after_hold),
		cmocka_unit_test(test_flicker_is_one_fault),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
