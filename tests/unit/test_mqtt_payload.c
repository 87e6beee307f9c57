// SPDX-License-Identifier: MIT
/* What the MQTT bridge publishes (gateway/mqtt/payload.c), byte for byte
 * against JSON written out by hand from docs/mqtt.md, and its mark file
 * (gateway/mqtt/mark.c): written, read back, and refused when it is not
 * one. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus/bus.h"
#include "faults/engine.h"
#include "mqtt/mark.h"
#include "mqtt/payload.h"
#include "util/textbuf.h"

static struct evgw_fault dm1_fault(void)
{
	struct evgw_fault f;
	memset(&f, 0, sizeof f);
	f.id = 7;
	f.session_id = 2;
	snprintf(f.bus, sizeof f.bus, "ebus");
	f.ecu = 0xF3;
	snprintf(f.ecu_name, sizeof f.ecu_name, "bms");
	f.protocol = EVGW_FP_J1939;
	f.raw_code = 190 | (2u << 19);
	snprintf(f.code, sizeof f.code, "SPN 190 FMI 2");
	snprintf(f.description, sizeof f.description, "Engine speed: \"erratic\"");
	f.status = EVGW_FS_ACTIVE;
	f.severity = EVGW_SEV_WARNING;
	snprintf(f.lamp, sizeof f.lamp, "amber warning");
	f.first_seen_us = 1764340000000000LL;
	f.last_seen_us = 1764340001500000LL;
	f.occurrences = 3;
	return f;
}

static void test_fault_change(void **state)
{
	(void)state;
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	struct evgw_fault f = dm1_fault();
	evgw_mqtt_fault_json(&tb, 42, "raised", 1764340000250000LL, &f);
	/* raw_code 190 | 2 << 19 = 1048766; the quote escaped. */
	assert_string_equal(tb.buf,
			    "{\"seq\":42,\"event\":\"raised\",\"at\":1764340000.250000,\"id\":7,\"bus\":\"ebus\","
			    "\"ecu\":243,\"ecu_name\":\"bms\",\"protocol\":\"j1939\",\"code\":\"SPN 190 FMI 2\","
			    "\"raw_code\":1048766,\"description\":\"Engine speed: \\\"erratic\\\"\",\"status\":\"active\","
			    "\"severity\":\"warning\",\"unconfirmed\":false,\"lamp\":\"amber warning\","
			    "\"first_seen\":1764340000.000000,"
			    "\"last_seen\":1764340001.500000,\"occurrences\":3,\"freeze_frame\":{}}");
	/* No store: seq null; no ECU, no name, no lamp: null. */
	evgw_textbuf_reset(&tb);
	f.ecu = -1;
	f.ecu_name[0] = '\0';
	f.lamp[0] = '\0';
	f.status = EVGW_FS_CLEARED;
	f.unconfirmed = true;
	f.freeze_frame = (char *)"{\"BMS.SOC\":80}";
	evgw_mqtt_fault_json(&tb, 0, "cleared", 1764340002000000LL, &f);
	assert_non_null(strstr(tb.buf, "{\"seq\":null,\"event\":\"cleared\","));
	assert_non_null(strstr(tb.buf, "\"ecu\":null,\"ecu_name\":null,"));
	assert_non_null(strstr(tb.buf, "\"status\":\"cleared\",\"severity\":\"warning\",\"unconfirmed\":true,\"lamp\":null,"));
	assert_non_null(strstr(tb.buf, "\"freeze_frame\":{\"BMS.SOC\":80}}"));
	evgw_textbuf_free(&tb);
}

static void test_bus_faults(void **state)
{
	(void)state;
	struct evgw_fault_engine e;
	evgw_faults_init(&e, NULL, NULL, NULL);
	struct evgw_fault a = dm1_fault(), b = dm1_fault(), c = dm1_fault();
	b.raw_code = 84 | (9u << 19);
	snprintf(b.code, sizeof b.code, "SPN 84 FMI 9");
	snprintf(c.bus, sizeof c.bus, "car");
	evgw_faults_raise(&e, &a, NULL, 1000000);
	evgw_faults_raise(&e, &b, NULL, 1000000);
	evgw_faults_raise(&e, &c, NULL, 1000000);
	evgw_faults_clear(&e, "ebus", EVGW_FP_J1939, 0xF3, b.raw_code, 2000000);
	evgw_faults_flush(&e, 2000000);
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	evgw_mqtt_faults_json(&tb, &e, "ebus");
	/* Memory only: ids stay 0. b is cleared, c is another bus's. */
	assert_string_equal(tb.buf, "{\"active\":1,\"faults\":[{\"id\":0,\"code\":\"SPN 190 FMI 2\",\"status\":\"active\","
				    "\"severity\":\"warning\",\"unconfirmed\":false,\"lamp\":\"amber warning\","
				    "\"description\":\"Engine speed: \\\"erratic\\\"\"}]}");
	evgw_textbuf_reset(&tb);
	evgw_mqtt_faults_json(&tb, &e, "none");
	assert_string_equal(tb.buf, "{\"active\":0,\"faults\":[]}");
	evgw_textbuf_free(&tb);
	evgw_faults_fini(&e);
}

static void test_health(void **state)
{
	(void)state;
	struct evgw_bus b;
	memset(&b, 0, sizeof b);
	b.state = EVGW_BUS_ACTIVE;
	b.fps = 1234.56;
	b.rx_frames = 100;
	b.tx_frames = 2;
	b.rx_error_frames = 3;
	b.drv_status.overruns = 4;
	b.errs.controller_overruns = 1;
	b.errs.bus_errors = 6;
	b.errs.bus_offs = 7;
	b.drv_status.link_errors = 8;
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	evgw_mqtt_health_json(&tb, &b);
	assert_string_equal(tb.buf, "{\"state\":\"active\",\"fps\":1234.6,\"rx_frames\":100,\"tx_frames\":2,"
				    "\"error_frames\":3,\"overruns\":5,\"bus_errors\":6,\"bus_offs\":7,\"link_errors\":8}");
	evgw_textbuf_free(&tb);
}

static void test_discovery(void **state)
{
	(void)state;
	char id[32];
	evgw_mqtt_id(id, sizeof id, "bench.1/car SOC");
	assert_string_equal(id, "bench_1_car_SOC");
	evgw_mqtt_id(id, 6, "abcdefgh");
	assert_string_equal(id, "abcde");

	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	struct evgw_mqtt_sensor s = {.unit_name = "bench1", .name = "car SOC", .unique_id = "evgw_bench1_car_SOC",
				     .state_topic = "evgw/bench1/car/signal/SOC",
				     .availability_topic = "evgw/bench1/status", .unit_of_measurement = "%"};
	evgw_mqtt_discovery_json(&tb, &s);
	assert_string_equal(tb.buf,
			    "{\"name\":\"car SOC\",\"unique_id\":\"evgw_bench1_car_SOC\","
			    "\"state_topic\":\"evgw/bench1/car/signal/SOC\",\"availability_topic\":\"evgw/bench1/status\","
			    "\"unit_of_measurement\":\"%\",\"device\":{\"identifiers\":[\"evgw_bench1\"],"
			    "\"name\":\"evgw bench1\",\"manufacturer\":\"evgw\",\"model\":\"CAN diagnostic gateway\"}}");
	evgw_textbuf_free(&tb);
}

static void test_mark(void **state)
{
	(void)state;
	char dir[] = "/tmp/evgw-mark-XXXXXX", path[64], err[256];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/mqtt.mark", dir);
	int64_t seq = -1;
	assert_int_equal(evgw_mqtt_mark_read(path, &seq, err, sizeof err), -ENOENT);
	assert_int_equal(evgw_mqtt_mark_write(path, 12345678901LL), 0);
	assert_int_equal(evgw_mqtt_mark_read(path, &seq, err, sizeof err), 0);
	assert_int_equal(seq, 12345678901LL);
	FILE *f = fopen(path, "r");
	char text[64] = "";
	assert_non_null(fgets(text, sizeof text, f));
	fclose(f);
	assert_string_equal(text, "evgw-mqtt-mark 12345678901\n");
	static const char *const bad[] = {"", "evgw-mqtt-mark \n", "evgw-mqtt-mark -1\n", "evgw-mqtt-mark 12\n\n",
					  "evgw-mqtt-mark 12", "mark 12\n", "evgw-mqtt-mark 99999999999999999999\n",
					  "evgw-mqtt-mark 1x\n"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		f = fopen(path, "w");
		fputs(bad[i], f);
		fclose(f);
		if (evgw_mqtt_mark_read(path, &seq, err, sizeof err) != -EINVAL)
			fail_msg("'%s' read as a mark", bad[i]);
		char want[128];
		snprintf(want, sizeof want, "%s:1: not \"evgw-mqtt-mark NUMBER\"", path);
		assert_string_equal(err, want);
	}
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fault_change), cmocka_unit_test(test_bus_faults), cmocka_unit_test(test_health),
		cmocka_unit_test(test_discovery),    cmocka_unit_test(test_mark),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
