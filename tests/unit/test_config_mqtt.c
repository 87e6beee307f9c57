// SPDX-License-Identifier: MIT
/* evgw.conf's [mqtt] section (gateway/config/config_mqtt.c): every key,
 * the defaults, and the message for each kind of mistake. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "test_support.h"

#define ERRLEN 512

static const char buses[] =
	"[bus car]\n"     /* line 1 */
	"driver = sim\n"
	"[bus ebus]\n"    /* line 3 */
	"driver = sim\n";

static int load(struct evgw_config *c, const char *mqtt, char *err)
{
	char text[4096];

	snprintf(text, sizeof text, "%s%s", buses, mqtt);
	assert_int_equal(evgw_config_defaults(c, true), 0);
	return evgw_config_load_string(c, text, "t.conf", err, ERRLEN);
}

static void expect_error(const char *mqtt, const char *want)
{
	struct evgw_config c;
	char err[ERRLEN] = "";
	int rc = load(&c, mqtt, err);

	if (rc != -22 || strcmp(err, want) != 0)
		fail_msg("for [%s]\n got %d \"%s\"\nwant -22 \"%s\"", mqtt, rc, err, want);
	evgw_config_free(&c);
}

static void test_every_key(void **state)
{
	struct evgw_config c;
	char err[ERRLEN] = "";

	(void)state;
	int rc = load(&c,
		      "[mqtt]\n" /* line 5 */
		      "broker = mqtts://broker.depot.example:8884\n"
		      "client_id = evgw-bench-7\n"
		      "unit = bench7\n"
		      "username = depot\n"
		      "password = s3cret#1\n"
		      "ca_file = /etc/evgw/ca.pem\n"
		      "cert_file = /etc/evgw/bench7.pem\n"
		      "key_file = /etc/evgw/bench7.key\n"
		      "prefix = depot/evgw\n"
		      "discovery = yes\n"
		      "discovery_prefix = ha\n"
		      "keepalive = 60\n"
		      "health_interval = 5\n"
		      "signals = car/SOC@0.5, car/ESC_SPEED.VEHICLE_SPEED\n"
		      "signals = ebus/BMS_*@2\n", /* line 20 */
		      err);
	if (rc)
		fail_msg("%s", err);
	const struct evgw_mqtt_config *m = &c.mqtt;
	assert_true(m->enabled);
	assert_true(m->tls);
	assert_string_equal(m->broker, "mqtts://broker.depot.example:8884");
	assert_string_equal(m->host, "broker.depot.example");
	assert_int_equal(m->port, 8884);
	assert_string_equal(m->client_id, "evgw-bench-7");
	assert_string_equal(m->unit, "bench7");
	assert_string_equal(m->username, "depot");
	assert_string_equal(m->password, "s3cret#1"); /* '#' in a value is text */
	assert_string_equal(m->ca_file, "/etc/evgw/ca.pem");
	assert_string_equal(m->cert_file, "/etc/evgw/bench7.pem");
	assert_string_equal(m->key_file, "/etc/evgw/bench7.key");
	assert_string_equal(m->prefix, "depot/evgw");
	assert_true(m->discovery);
	assert_string_equal(m->discovery_prefix, "ha");
	assert_int_equal(m->keepalive, 60);
	assert_int_equal(m->health_interval, 5);
	assert_int_equal(m->n_signals, 3);
	assert_string_equal(m->signals[0].bus, "car");
	assert_string_equal(m->signals[0].glob, "SOC");
	assert_true(m->signals[0].rate == 0.5);
	assert_int_equal(m->signals[0].line, 19);
	assert_string_equal(m->signals[1].glob, "ESC_SPEED.VEHICLE_SPEED");
	assert_true(m->signals[1].rate == 1);
	assert_string_equal(m->signals[2].bus, "ebus");
	assert_string_equal(m->signals[2].glob, "BMS_*");
	assert_true(m->signals[2].rate == 2);
	assert_int_equal(m->signals[2].line, 20);
	evgw_config_free(&c);
	evgw_config_free(&c); /* twice is harmless */
}

static void test_defaults(void **state)
{
	struct evgw_config c;
	char err[ERRLEN] = "";

	(void)state;
	assert_int_equal(load(&c, "", err), 0);
	assert_false(c.mqtt.enabled); /* no section, no bridge */
	evgw_config_free(&c);

	assert_int_equal(load(&c, "[mqtt]\nbroker = mqtt://127.0.0.1\n", err), 0);
	assert_true(c.mqtt.enabled);
	assert_false(c.mqtt.tls);
	assert_string_equal(c.mqtt.host, "127.0.0.1");
	assert_int_equal(c.mqtt.port, 1883);
	assert_null(c.mqtt.client_id);
	assert_null(c.mqtt.unit);
	assert_null(c.mqtt.username);
	assert_string_equal(c.mqtt.prefix, "evgw");
	assert_false(c.mqtt.discovery);
	assert_string_equal(c.mqtt.discovery_prefix, "homeassistant");
	assert_int_equal(c.mqtt.keepalive, 30);
	assert_int_equal(c.mqtt.health_interval, 10);
	assert_int_equal(c.mqtt.n_signals, 0);
	evgw_config_free(&c);

	/* mqtts defaults to 8883; an IPv6 address in brackets; a scheme in
	 * capitals. */
	assert_int_equal(load(&c, "[mqtt]\nbroker = MQTTS://[::1]\n", err), 0);
	assert_true(c.mqtt.tls);
	assert_string_equal(c.mqtt.host, "::1");
	assert_int_equal(c.mqtt.port, 8883);
	evgw_config_free(&c);
	assert_int_equal(load(&c, "[mqtt]\nbroker = mqtt://[fe80::1]:1884\n", err), 0);
	assert_string_equal(c.mqtt.host, "fe80::1");
	assert_int_equal(c.mqtt.port, 1884);
	evgw_config_free(&c);
}

static void test_mistakes(void **state)
{
	(void)state;
	/* [mqtt] starts at line 5, its first key is line 6. */
	expect_error("[mqtt]\nunit = x\n", "t.conf:5: [mqtt] has no broker (e.g. broker = mqtt://localhost)");
	expect_error("[mqtt]\nbroker = tcp://h\n",
		     "t.conf:6: broker: 'tcp://h' is not mqtt://HOST[:PORT] or mqtts://HOST[:PORT]");
	expect_error("[mqtt]\nbroker = mqtt://u:p@h\n",
		     "t.conf:6: broker: no user or password in the URL (use username and password)");
	expect_error("[mqtt]\nbroker = mqtt://h:0\n", "t.conf:6: broker: 'mqtt://h:0': the port is a number 1..65535");
	expect_error("[mqtt]\nbroker = mqtt://h:65536\n",
		     "t.conf:6: broker: 'mqtt://h:65536': the port is a number 1..65535");
	expect_error("[mqtt]\nbroker = mqtt://h/x\n",
		     "t.conf:6: broker: 'mqtt://h/x': unexpected '/' after the host (no path or query)");
	expect_error("[mqtt]\nbroker = mqtt://\n", "t.conf:6: broker: 'mqtt://' names no host");
	expect_error("[mqtt]\nbroker = mqtt://[zz]\n", "t.conf:6: broker: 'mqtt://[zz]': an IPv6 address is written [hex:digits]");
	expect_error("[mqtt]\nbroker = mqtt://h\nca_file = /ca.pem\n",
		     "t.conf:5: [mqtt]: ca_file, cert_file and key_file need an mqtts:// broker (broker = mqtt://h)");
	expect_error("[mqtt]\nbroker = mqtts://h\ncert_file = /c.pem\n", "t.conf:5: [mqtt]: cert_file and key_file go together");
	expect_error("[mqtt]\nbroker = mqtts://h\nca_file = ca.pem\n", "t.conf:7: ca_file: must be an absolute path");
	expect_error("[mqtt]\nbroker = mqtt://h\npassword = x\n", "t.conf:5: [mqtt]: a password needs a username");
	expect_error("[mqtt]\nbroker = mqtt://h\nprefix = a/+/b\n",
		     "t.conf:7: prefix: '+' is not allowed in a topic here (printable ASCII, no blanks, no + or #)");
	expect_error("[mqtt]\nbroker = mqtt://h\nprefix = a/#\n",
		     "t.conf:7: prefix: '#' is not allowed in a topic here (printable ASCII, no blanks, no + or #)");
	expect_error("[mqtt]\nbroker = mqtt://h\nprefix = /evgw\n",
		     "t.conf:7: prefix: no empty topic level (a '/' at either end, or '//')");
	expect_error("[mqtt]\nbroker = mqtt://h\nprefix = a//b\n",
		     "t.conf:7: prefix: no empty topic level (a '/' at either end, or '//')");
	expect_error("[mqtt]\nbroker = mqtt://h\nprefix = $SYS\n",
		     "t.conf:7: prefix: may not start with '$' (the broker's own topics)");
	expect_error("[mqtt]\nbroker = mqtt://h\nunit = bench/7\n",
		     "t.conf:7: unit: 'bench/7' is not 1..32 letters, digits, '-', '_' or '.'");
	expect_error("[mqtt]\nbroker = mqtt://h\nclient_id = a b\n", "t.conf:7: client_id: printable ASCII without blanks");
	expect_error("[mqtt]\nbroker = mqtt://h\nkeepalive = 1\n", "t.conf:7: keepalive: 1 out of range (5..3600)");
	expect_error("[mqtt]\nbroker = mqtt://h\nsignals = SOC\n",
		     "t.conf:7: signals: 'SOC' is not BUS/SIGNAL or BUS/SIGNAL@RATE (e.g. car/SOC@0.5)");
	expect_error("[mqtt]\nbroker = mqtt://h\nsignals = car/SOC@200\n",
		     "t.conf:7: signals: 'car/SOC@200': the rate is publications per second, 0.01..100");
	expect_error("[mqtt]\nbroker = mqtt://h\nsignals = car/SOC@0\n",
		     "t.conf:7: signals: 'car/SOC@0': the rate is publications per second, 0.01..100");
	expect_error("[mqtt]\nbroker = mqtt://h\nsignals = car/\n", "t.conf:7: signals: 'car/' names no signal");
	expect_error("[mqtt]\nbroker = mqtt://h\nsignals = car/S+C\n",
		     "t.conf:7: signals: 'car/S+C': '+' is not in a signal name or glob");
	expect_error("[mqtt]\nbroker = mqtt://h\nsignals = car/SOC\nsignals = car/SOC@2\n",
		     "t.conf:8: signals: 'car/SOC' listed twice");
	expect_error("[mqtt]\nbroker = mqtt://h\n\nsignals = truck/SOC\n", "t.conf:8: signals: no [bus truck] in this file");
	expect_error("[mqtt]\nbroker = mqtt://h\n[mqtt]\n", "t.conf:7: duplicate section [mqtt] (first at line 5)");
	expect_error("[mqtt]\nbroker = mqtt://h\nport = 1\n", "t.conf:7: unknown key 'port' in [mqtt]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_mistakes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
