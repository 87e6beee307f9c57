// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "test_support.h"

#define ERRLEN 512

/* Root defaults, then text; the name in messages is "t.conf". */
static int load(struct evgw_config *c, const char *text, char *err)
{
	assert_int_equal(evgw_config_defaults(c, true), 0);
	return evgw_config_load_string(c, text, "t.conf", err, ERRLEN);
}

static void load_ok(struct evgw_config *c, const char *text)
{
	char err[ERRLEN];
	int rc = load(c, text, err);

	if (rc != 0)
		fail_msg("load failed (%d): %s", rc, err);
	assert_string_equal(err, "");
}

/* Exactly one error, and exactly this message. */
static void expect_error(const char *text, int want_rc, const char *want)
{
	struct evgw_config c;
	char err[ERRLEN];
	int rc = load(&c, text, err);

	if (rc != want_rc || strcmp(err, want) != 0)
		fail_msg("for [%s]\n got %d \"%s\"\nwant %d \"%s\"", text, rc, err, want_rc, want);
	evgw_config_free(&c);
}

static const char full_config[] =
	"; every key once\n"
	"[gateway]\n"
	"socket = /run/test/evgw.sock\n"
	"state_dir = /var/lib/test\n"
	"socket_group = evgw\n"
	"admin_group = shopadmin\n"
	"dbc_dir = /opt/evgw/dbc\n"
	"log_level = debug\n"
	"max_clients_per_uid = 8\n"
	"max_clients = 100\n"
	"record_max_bytes = 512MiB\n"
	"\n"
	"[bus car]\n"                               /* line 13 */
	"driver = sim\n"
	"device = byd-atto3\n"
	"bitrate = 500k\n"
	"data_bitrate = 2M\n"
	"mode = diagnostic\n"
	"dbc = byd_atto3.dbc, /opt/extra.dbc\n"
	"profile = byd-atto3\n"
	"protocols = uds, obd isotp\n"
	"replay_speed = 2.5\n"
	"replay_loop = yes\n"
	"\n"
	"# a J1939 bus with defaults for the rest\n"
	"[bus truck]\n"                             /* line 26 */
	"driver = socketcan\n"
	"device = can1\n"
	"bitrate = 250000\n"
	"protocols = j1939\n";

static void test_full_config(void **state)
{
	struct evgw_config c;
	const struct evgw_bus_config *b;

	(void)state;
	load_ok(&c, full_config);
	assert_string_equal(c.path, "t.conf");
	assert_string_equal(c.socket_path, "/run/test/evgw.sock");
	assert_string_equal(c.state_dir, "/var/lib/test");
	assert_string_equal(c.socket_group, "evgw");
	assert_string_equal(c.admin_group, "shopadmin");
	assert_string_equal(c.dbc_dir, "/opt/evgw/dbc");
	assert_int_equal(c.log_level, EVGW_LOG_DEBUG);
	assert_int_equal(c.max_clients_per_uid, 8);
	assert_int_equal(c.max_clients, 100);
	assert_int_equal(c.record_max_bytes, 512u * 1024 * 1024);
	assert_int_equal(c.n_buses, 2);

	b = evgw_config_bus(&c, "car");
	assert_non_null(b);
	assert_string_equal(b->name, "car");
	assert_string_equal(b->driver, "sim");
	assert_string_equal(b->device, "byd-atto3");
	assert_int_equal(b->bitrate, 500000);
	assert_int_equal(b->data_bitrate, 2000000);
	assert_false(b->listen_only);
	assert_int_equal(b->n_dbc, 2);
	assert_string_equal(b->dbc[0], "byd_atto3.dbc");
	assert_string_equal(b->dbc[1], "/opt/extra.dbc");
	assert_string_equal(b->profile, "byd-atto3");
	assert_int_equal(b->n_protocols, 3);
	assert_string_equal(b->protocols[0], "uds");
	assert_string_equal(b->protocols[1], "obd");
	assert_string_equal(b->protocols[2], "isotp");
	assert_true(b->replay_speed == 2.5);
	assert_true(b->replay_loop);
	assert_int_equal(b->line, 13);

	b = evgw_config_bus(&c, "truck");
	assert_non_null(b);
	assert_ptr_equal(b, &c.buses[1]);
	assert_string_equal(b->driver, "socketcan");
	assert_string_equal(b->device, "can1");
	assert_int_equal(b->bitrate, 250000);
	assert_int_equal(b->data_bitrate, 0);
	assert_true(b->listen_only);
	assert_int_equal(b->n_dbc, 0);
	assert_null(b->dbc);
	assert_null(b->profile);
	assert_int_equal(b->n_protocols, 1);
	assert_string_equal(b->protocols[0], "j1939");
	assert_true(b->replay_speed == 1.0);
	assert_false(b->replay_loop);
	assert_int_equal(b->line, 26);

	assert_null(evgw_config_bus(&c, "bus"));
	assert_null(evgw_config_bus(&c, "Car"));
	assert_null(evgw_config_bus(&c, NULL));
	assert_null(evgw_config_bus(NULL, "car"));
	evgw_config_free(&c);
}

static void check_dbc_dir(const struct evgw_config *c)
{
#ifdef EVGW_DATADIR
	assert_string_equal(c->dbc_dir, EVGW_DATADIR "/dbc");
#else
	/* the library may be built with its own EVGW_DATADIR */
	size_t n = strlen(c->dbc_dir);
	assert_true(c->dbc_dir[0] == '/' && n > 4);
	assert_string_equal(c->dbc_dir + n - 4, "/dbc");
#endif
}

static void check_common_defaults(const struct evgw_config *c)
{
	assert_null(c->path);
	assert_null(c->socket_group);
	assert_null(c->admin_group);
	check_dbc_dir(c);
	assert_int_equal(c->log_level, EVGW_LOG_INFO);
	assert_int_equal(c->max_clients_per_uid, 64);
	assert_int_equal(c->max_clients, 1024);
	assert_int_equal(c->record_max_bytes, 1073741824ULL);
	assert_int_equal(c->record_user_quota, 2147483648ULL);
	assert_int_equal(c->record_total_quota, 4294967296ULL);
	assert_int_equal(c->n_buses, 0);
	assert_null(c->buses);
}

static void test_defaults_root(void **state)
{
	struct evgw_config c;

	(void)state;
	setenv("XDG_RUNTIME_DIR", "/run/user/4242", 1); /* ignored as root */
	assert_int_equal(evgw_config_defaults(&c, true), 0);
	assert_string_equal(c.socket_path, "/run/evgw/evgw.sock");
	assert_string_equal(c.state_dir, "/var/lib/evgw");
	check_common_defaults(&c);
	evgw_config_free(&c);
}

static void test_defaults_user_xdg(void **state)
{
	struct evgw_config c;

	(void)state;
	setenv("XDG_RUNTIME_DIR", "/run/user/4242", 1);
	setenv("XDG_STATE_HOME", "/home/mech/.state", 1);
	assert_int_equal(evgw_config_defaults(&c, false), 0);
	assert_string_equal(c.socket_path, "/run/user/4242/evgw/evgw.sock");
	assert_string_equal(c.state_dir, "/home/mech/.state/evgw");
	check_common_defaults(&c);
	evgw_config_free(&c);
}

static void test_defaults_user_home(void **state)
{
	struct evgw_config c;
	char sock[64];

	(void)state;
	unsetenv("XDG_RUNTIME_DIR");
	unsetenv("XDG_STATE_HOME");
	setenv("HOME", "/home/mech", 1);
	snprintf(sock, sizeof sock, "/tmp/evgw-%u/evgw.sock", (unsigned)geteuid());
	assert_int_equal(evgw_config_defaults(&c, false), 0);
	assert_string_equal(c.socket_path, sock);
	assert_string_equal(c.state_dir, "/home/mech/.local/state/evgw");
	check_common_defaults(&c);
	evgw_config_free(&c);
}

static void test_defaults_user_nothing_set(void **state)
{
	struct evgw_config c;
	char dir[64], sock[80];

	(void)state;
	unsetenv("XDG_RUNTIME_DIR");
	unsetenv("XDG_STATE_HOME");
	unsetenv("HOME");
	snprintf(dir, sizeof dir, "/tmp/evgw-%u", (unsigned)geteuid());
	snprintf(sock, sizeof sock, "%s/evgw.sock", dir);
	assert_int_equal(evgw_config_defaults(&c, false), 0);
	assert_string_equal(c.socket_path, sock);
	assert_string_equal(c.state_dir, dir);
	evgw_config_free(&c);

	/* relative XDG dirs are to be ignored; a socket path must fit sun_path */
	setenv("XDG_RUNTIME_DIR", "run/user/1", 1);
	setenv("XDG_STATE_HOME", "state", 1);
	assert_int_equal(evgw_config_defaults(&c, false), 0);
	assert_string_equal(c.socket_path, sock);
	assert_string_equal(c.state_dir, dir);
	evgw_config_free(&c);

	char longdir[200];
	memset(longdir, 'd', sizeof longdir - 1);
	longdir[0] = '/';
	longdir[sizeof longdir - 1] = '\0';
	setenv("XDG_RUNTIME_DIR", longdir, 1);
	assert_int_equal(evgw_config_defaults(&c, false), 0);
	assert_string_equal(c.socket_path, sock);
	evgw_config_free(&c);
}

/* A file only sets what it names; the rest stays as defaults() left it. */
/* [socketcand]: off without the section, its defaults with it. */
static void test_socketcand(void **state)
{
	(void)state;
	struct evgw_config c;
	char err[ERRLEN] = "";
	assert_int_equal(evgw_config_defaults(&c, false), 0);
	assert_false(c.socketcand.enabled);
	evgw_config_free(&c);
	assert_int_equal(load(&c, "[socketcand]\n", err), 0); /* defaults, then the text */
	assert_true(c.socketcand.enabled);
	assert_string_equal(c.socketcand.listen, "127.0.0.1");
	assert_int_equal(c.socketcand.port, 29536);
	assert_false(c.socketcand.beacon);
	assert_int_equal(c.socketcand.beacon_port, 42000);
	assert_false(c.socketcand.allow_send);
	assert_int_equal(c.socketcand.max_clients, 8);
	assert_int_equal(c.socketcand.client_buffer, 256 * 1024);
	evgw_config_free(&c);
	assert_int_equal(load(&c, "[socketcand]\nlisten = ::\nport = 2000\nbeacon = yes\nallow_send = yes\n"
				  "max_clients = 2\nclient_buffer = 1MiB\nenabled = no\n", err), 0);
	assert_false(c.socketcand.enabled);
	assert_string_equal(c.socketcand.listen, "::");
	assert_int_equal(c.socketcand.port, 2000);
	assert_true(c.socketcand.beacon && c.socketcand.allow_send);
	assert_int_equal(c.socketcand.max_clients, 2);
	assert_int_equal(c.socketcand.client_buffer, 1 << 20);
	evgw_config_free(&c);
}

static void test_partial_over_defaults(void **state)
{
	struct evgw_config c;

	(void)state;
	setenv("XDG_RUNTIME_DIR", "/run/user/7", 1);
	assert_int_equal(evgw_config_defaults(&c, false), 0);
	assert_int_equal(evgw_config_load_string(&c, "[gateway]\nlog_level = err\n", "p.conf",
						 NULL, 0),
			 0);
	assert_string_equal(c.socket_path, "/run/user/7/evgw/evgw.sock");
	assert_int_equal(c.log_level, EVGW_LOG_ERR);
	assert_int_equal(c.max_clients, 1024);
	assert_string_equal(c.path, "p.conf");
	evgw_config_free(&c);
}

/* A key once per section and a section once per file; list keys are the
 * exception: each of their lines adds to the list (as in the profiles). */
static void test_duplicates_and_list_lines(void **state)
{
	struct evgw_config c;
	const struct evgw_bus_config *b;

	(void)state;
	load_ok(&c, "[bus a]\n"
		    "driver = sim\n"
		    "dbc = a.dbc b.dbc\n"
		    "dbc = c.dbc\n"
		    "dbc =\n"
		    "protocols = uds\n"
		    "protocols = j1939, obd\n"
		    "filter = 7E8\n"
		    "filter = 7E0/7F0\n");
	b = evgw_config_bus(&c, "a");
	assert_non_null(b);
	assert_int_equal(b->n_dbc, 3);
	assert_string_equal(b->dbc[0], "a.dbc");
	assert_string_equal(b->dbc[1], "b.dbc");
	assert_string_equal(b->dbc[2], "c.dbc");
	assert_int_equal(b->n_protocols, 3);
	assert_string_equal(b->protocols[0], "uds");
	assert_string_equal(b->protocols[1], "j1939");
	assert_string_equal(b->protocols[2], "obd");
	assert_int_equal(b->n_filters, 2);
	assert_int_equal(b->filters[1].mask, 0x7F0);
	evgw_config_free(&c);

	expect_error("[gateway]\nlog_level = debug\nlog_level = warning\n", -EINVAL,
		     "t.conf:3: duplicate key 'log_level' in [gateway] (first at line 2)");
	expect_error("[gateway]\nsocket_group = evgw\n\nsocket_group =\n", -EINVAL,
		     "t.conf:4: duplicate key 'socket_group' in [gateway] (first at line 2)");
	expect_error("[bus a]\ndriver = sim\ndevice = x\ndriver = replay\n", -EINVAL,
		     "t.conf:4: duplicate key 'driver' in [bus a] (first at line 2)");
	expect_error("[bus a]\ndriver = sim\nmode = diagnostic\nmode = listen-only\n", -EINVAL,
		     "t.conf:4: duplicate key 'mode' in [bus a] (first at line 3)");
	/* the same key in two sections is no duplicate; a section twice is */
	load_ok(&c, "[bus a]\ndriver = sim\n[bus b]\ndriver = sim\n");
	evgw_config_free(&c);
	expect_error("[gateway]\nlog_level = debug\n[bus a]\ndriver = sim\n[gateway]\nmax_clients = 5\n",
		     -EINVAL, "t.conf:5: duplicate section [gateway] (first at line 1)");
	/* a list line repeats nothing the earlier lines hold */
	expect_error("[bus a]\ndriver = sim\ndbc = a.dbc b.dbc\ndbc = b.dbc\n", -EINVAL,
		     "t.conf:4: dbc: 'b.dbc' listed twice");
	expect_error("[bus a]\ndriver = sim\nprotocols = uds\nprotocols = UDS\n", -EINVAL,
		     "t.conf:4: protocols: 'uds' listed twice");
}

static void test_lists(void **state)
{
	struct evgw_config c;
	const struct evgw_bus_config *b;

	(void)state;
	load_ok(&c, "[bus a]\n"
		    "driver = sim\n"
		    "dbc = one.dbc,two.dbc , three.dbc\t four.dbc,,five.dbc,\n"
		    "protocols = ,J1939 Uds,kwp\n");
	b = evgw_config_bus(&c, "a");
	assert_int_equal(b->n_dbc, 5);
	assert_string_equal(b->dbc[0], "one.dbc");
	assert_string_equal(b->dbc[1], "two.dbc");
	assert_string_equal(b->dbc[2], "three.dbc");
	assert_string_equal(b->dbc[3], "four.dbc");
	assert_string_equal(b->dbc[4], "five.dbc");
	assert_int_equal(b->n_protocols, 3);
	assert_string_equal(b->protocols[0], "j1939"); /* stored as spelled here */
	assert_string_equal(b->protocols[1], "uds");
	assert_string_equal(b->protocols[2], "kwp");
	evgw_config_free(&c);
}

static uint32_t bitrate_of(const char *value)
{
	struct evgw_config c;
	char text[128];
	uint32_t r;

	snprintf(text, sizeof text, "[bus a]\ndriver = sim\nbitrate = %s\n", value);
	load_ok(&c, text);
	r = c.buses[0].bitrate;
	evgw_config_free(&c);
	return r;
}

static void test_bitrates(void **state)
{
	(void)state;
	assert_int_equal(bitrate_of("500000"), 500000);
	assert_int_equal(bitrate_of("500k"), 500000);
	assert_int_equal(bitrate_of("500K"), 500000);
	assert_int_equal(bitrate_of("125k"), 125000);
	assert_int_equal(bitrate_of("1M"), 1000000);
	assert_int_equal(bitrate_of("1.0M"), 1000000);
	assert_int_equal(bitrate_of("0.5M"), 500000);
	assert_int_equal(bitrate_of("83.333k"), 83333);
	assert_int_equal(bitrate_of("33.3k"), 33300);
	assert_int_equal(bitrate_of("1000"), 1000);
	assert_int_equal(bitrate_of("1k"), 1000);
	assert_int_equal(bitrate_of("8M"), 8000000);
	assert_int_equal(bitrate_of("0008000000"), 8000000);

	struct evgw_config c;
	load_ok(&c, "[bus a]\ndriver = sim\ndata_bitrate = 16M\n");
	assert_int_equal(c.buses[0].data_bitrate, 16000000);
	assert_int_equal(c.buses[0].bitrate, 0);
	evgw_config_free(&c);
}

static void test_bad_bitrates(void **state)
{
	static const char *const not_rates[] = {
		"", "500x", "500 k", "k", "1.5", "500.", ".5M", "0x1F4", "-500k", "+500k",
		"1.0000001M", "83.3333k", "1e6", "500kk", "1m", "2 M",
	};
	char text[128], want[256];

	(void)state;
	for (size_t i = 0; i < sizeof not_rates / sizeof *not_rates; i++) {
		snprintf(text, sizeof text, "[bus a]\ndriver = sim\nbitrate = %s\n", not_rates[i]);
		snprintf(want, sizeof want,
			 "t.conf:3: bitrate: '%s' is not a bit rate (e.g. 500000, 500k, 83.333k, 1M)",
			 not_rates[i]);
		expect_error(text, -EINVAL, want);
	}
	expect_error("[bus a]\ndriver = sim\nbitrate = 999\n", -EINVAL,
		     "t.conf:3: bitrate: 999 out of range (1000..8000000)");
	expect_error("[bus a]\ndriver = sim\nbitrate = 0\n", -EINVAL,
		     "t.conf:3: bitrate: 0 out of range (1000..8000000)");
	expect_error("[bus a]\ndriver = sim\nbitrate = 8000001\n", -EINVAL,
		     "t.conf:3: bitrate: 8000001 out of range (1000..8000000)");
	expect_error("[bus a]\ndriver = sim\nbitrate = 99999999999999999999999k\n", -EINVAL,
		     "t.conf:3: bitrate: 99999999999999999999999k out of range (1000..8000000)");
	expect_error("[bus a]\ndriver = sim\nbitrate = 4294967296\n", -EINVAL,
		     "t.conf:3: bitrate: 4294967296 out of range (1000..8000000)");
	expect_error("[bus a]\ndriver = sim\ndata_bitrate = 16000001\n", -EINVAL,
		     "t.conf:3: data_bitrate: 16000001 out of range (1000..16000000)");
	expect_error("[bus a]\ndriver = sim\ndata_bitrate = 20M\n", -EINVAL,
		     "t.conf:3: data_bitrate: 20M out of range (1000..16000000)");
}

static void test_numbers(void **state)
{
	struct evgw_config c;

	(void)state;
	load_ok(&c, "[gateway]\nmax_clients = 65536\nmax_clients_per_uid = 1\n"
		    "record_max_bytes = 1073741824\n");
	assert_int_equal(c.max_clients, 65536);
	assert_int_equal(c.max_clients_per_uid, 1);
	assert_int_equal(c.record_max_bytes, 1ULL << 30);
	evgw_config_free(&c);
	/* numbers are decimal or 0x hex, as in the profiles: 0x40 = 64 */
	load_ok(&c, "[gateway]\nmax_clients = 0x40\nmax_clients_per_uid = 0X0a\n"
		    "record_max_bytes = 0x10MiB\n");
	assert_int_equal(c.max_clients, 64);
	assert_int_equal(c.max_clients_per_uid, 10);
	assert_int_equal(c.record_max_bytes, 16u << 20);
	evgw_config_free(&c);

	static const struct {
		const char *text;
		uint64_t bytes;
	} sizes[] = {
		{"1", 1}, {"1KiB", 1024}, {"2GiB", 2ULL << 30}, {"3TiB", 3ULL << 40},
		{"1024TiB", 1ULL << 50},
	};
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		char text[128];
		snprintf(text, sizeof text, "[gateway]\nrecord_max_bytes = %s\n", sizes[i].text);
		load_ok(&c, text);
		assert_int_equal(c.record_max_bytes, sizes[i].bytes);
		evgw_config_free(&c);
	}
	/* The quotas are sizes of the same kind. */
	load_ok(&c, "[gateway]\nrecord_user_quota = 16KiB\nrecord_total_quota = 0x3MiB\n");
	assert_int_equal(c.record_user_quota, 16384);
	assert_int_equal(c.record_total_quota, 3u << 20);
	assert_int_equal(c.record_max_bytes, 1ULL << 30);
	evgw_config_free(&c);
}

static void test_bad_numbers(void **state)
{
	static const char *const not_numbers[] = {"12abc", "-1", "+1", "1 2", "0x", "0x1G", "1.0", "", "ten"};
	char text[128], want[256];

	(void)state;
	for (size_t i = 0; i < sizeof not_numbers / sizeof *not_numbers; i++) {
		snprintf(text, sizeof text, "[gateway]\nmax_clients = %s\n", not_numbers[i]);
		snprintf(want, sizeof want, "t.conf:2: max_clients: '%s' is not a number",
			 not_numbers[i]);
		expect_error(text, -EINVAL, want);
	}
	expect_error("[gateway]\nmax_clients = 0\n", -EINVAL,
		     "t.conf:2: max_clients: 0 out of range (1..65536)");
	expect_error("[gateway]\nmax_clients = 0x10001\n", -EINVAL,
		     "t.conf:2: max_clients: 0x10001 out of range (1..65536)");
	expect_error("[gateway]\nmax_clients = 18446744073709551616\n", -EINVAL,
		     "t.conf:2: max_clients: 18446744073709551616 out of range (1..65536)");
	expect_error("[gateway]\nmax_clients_per_uid = 65537\n", -EINVAL,
		     "t.conf:2: max_clients_per_uid: 65537 out of range (1..65536)");
	expect_error("[gateway]\nrecord_max_bytes = 1GB\n", -EINVAL,
		     "t.conf:2: record_max_bytes: '1GB' is not a size (e.g. 1073741824, 512MiB, 1GiB)");
	expect_error("[gateway]\nrecord_max_bytes = 1 GiB\n", -EINVAL,
		     "t.conf:2: record_max_bytes: '1 GiB' is not a size (e.g. 1073741824, 512MiB, 1GiB)");
	expect_error("[gateway]\nrecord_max_bytes = 0\n", -EINVAL,
		     "t.conf:2: record_max_bytes: 0 out of range (1..1024TiB)");
	expect_error("[gateway]\nrecord_max_bytes = 1025TiB\n", -EINVAL,
		     "t.conf:2: record_max_bytes: 1025TiB out of range (1..1024TiB)");
	expect_error("[gateway]\nrecord_max_bytes = 99999999999999999999999\n", -EINVAL,
		     "t.conf:2: record_max_bytes: 99999999999999999999999 out of range (1..1024TiB)");
	expect_error("[gateway]\nrecord_user_quota = 0\n", -EINVAL,
		     "t.conf:2: record_user_quota: 0 out of range (1..1024TiB)");
	expect_error("[gateway]\n\nrecord_total_quota = 2G\n", -EINVAL,
		     "t.conf:3: record_total_quota: '2G' is not a size (e.g. 1073741824, 512MiB, 1GiB)");
}

static double speed_of(const char *value)
{
	struct evgw_config c;
	char text[128];
	double r;

	snprintf(text, sizeof text, "[bus a]\ndriver = replay\nreplay_speed = %s\n", value);
	load_ok(&c, text);
	r = c.buses[0].replay_speed;
	evgw_config_free(&c);
	return r;
}

static void test_replay(void **state)
{
	static const char *const bad_speeds[] = {"inf", "nan", "", ".", "1.2.3", "2x", "0x10", "+1",
						 "1e", "-", "max2"};
	char text[128], want[256];

	(void)state;
	assert_true(speed_of("max") == 0);
	assert_true(speed_of("MAX") == 0);
	assert_true(speed_of("0") == 0);
	assert_true(speed_of("1") == 1);
	assert_true(speed_of("2.5") == 2.5);
	assert_true(speed_of("0.25") == 0.25);
	assert_true(speed_of(".5") == 0.5);
	assert_true(speed_of("10.") == 10);
	assert_true(speed_of("1000000") == 1e6);
	assert_true(speed_of("1e3") == 1000);
	assert_true(speed_of("2.5E-1") == 0.25);
	assert_true(speed_of("-0") == 0);
	for (size_t i = 0; i < sizeof bad_speeds / sizeof *bad_speeds; i++) {
		snprintf(text, sizeof text, "[bus a]\ndriver = replay\nreplay_speed = %s\n",
			 bad_speeds[i]);
		snprintf(want, sizeof want, "t.conf:3: replay_speed: '%s' is not a number >= 0 or max",
			 bad_speeds[i]);
		expect_error(text, -EINVAL, want);
	}
	expect_error("[bus a]\ndriver = replay\nreplay_speed = -1\n", -EINVAL,
		     "t.conf:3: replay_speed: -1 out of range (0..1000000)");
	expect_error("[bus a]\ndriver = replay\nreplay_speed = 1e400\n", -EINVAL,
		     "t.conf:3: replay_speed: 1e400 out of range (0..1000000)");
	expect_error("[bus a]\ndriver = replay\nreplay_speed = 1000000.5\n", -EINVAL,
		     "t.conf:3: replay_speed: 1000000.5 out of range (0..1000000)");
	expect_error("[bus a]\ndriver = replay\nreplay_speed = 1" "000000000000000000000000000000000"
		     "00000000000000000000000000000000000000000000000000000000000000000000000000\n",
		     -EINVAL,
		     "t.conf:3: replay_speed: 10000000000000000000000000000000000000000000000000000000"
		     "0000... out of range (0..1000000)");

	static const struct {
		const char *text;
		bool loop;
	} bools[] = {
		{"yes", true}, {"no", false}, {"true", true}, {"false", false}, {"1", true},
		{"0", false},  {"YES", true}, {"False", false}, {"on", true}, {"OFF", false},
	};
	for (size_t i = 0; i < sizeof bools / sizeof *bools; i++) {
		struct evgw_config c;
		snprintf(text, sizeof text, "[bus a]\ndriver = replay\nreplay_loop = %s\n",
			 bools[i].text);
		load_ok(&c, text);
		assert_int_equal(c.buses[0].replay_loop, bools[i].loop);
		evgw_config_free(&c);
	}
	expect_error("[bus a]\ndriver = replay\nreplay_loop = maybe\n", -EINVAL,
		     "t.conf:3: replay_loop: 'maybe' is not yes/no, true/false, on/off or 1/0");
	expect_error("[bus a]\ndriver = replay\nreplay_loop = 2\n", -EINVAL,
		     "t.conf:3: replay_loop: '2' is not yes/no, true/false, on/off or 1/0");
}

/* termination (gsusb): on/off words or 120 (ohm, as systemd-networkd
 * writes it); refused for a driver that has no way to switch it. */
static void test_termination_key(void **state)
{
	(void)state;
	struct evgw_config c;
	load_ok(&c, "[bus a]\ndriver = gsusb\n[bus b]\ndriver = gsusb\ntermination = 120\n"
		    "[bus c]\ndriver = gsusb\ntermination = Off\n");
	assert_int_equal(c.buses[0].termination, -1);
	assert_int_equal(c.buses[1].termination, 1);
	assert_int_equal(c.buses[2].termination, 0);
	evgw_config_free(&c);
	expect_error("[bus a]\ndriver = gsusb\ntermination = 60\n", -EINVAL,
		     "t.conf:3: termination: '60' is not on (120 ohm) or off");
	expect_error("[bus a]\ndriver = socketcan\ntermination = on\n", -EINVAL,
		     "t.conf:1: bus 'a': termination can only be switched with driver = gsusb "
		     "(driver = socketcan)");
}

/* restart_ms and kernel filters (socketcan): hex ids, widths chosen as
 * SocketCAN's CAN_EFF_FLAG would be: 8 digits or an id past 0x7FF. */
static void test_socketcan_keys(void **state)
{
	(void)state;
	struct evgw_config c;
	load_ok(&c, "[bus a]\ndriver = socketcan\n");
	assert_int_equal(c.buses[0].restart_ms, -1);
	assert_int_equal(c.buses[0].n_filters, 0);
	evgw_config_free(&c);

	load_ok(&c, "[bus a]\ndriver = socketcan\nrestart_ms = 0\n"
		    "filter = 7E8, 7e0/7F0 18DAF100/1FFFFF00 00000123 800\n");
	const struct evgw_bus_config *b = &c.buses[0];
	assert_int_equal(b->restart_ms, 0);
	assert_int_equal(b->n_filters, 5);
	assert_int_equal(b->filters[0].id, 0x7E8);
	assert_int_equal(b->filters[0].mask, 0x7FF);
	assert_false(b->filters[0].ext);
	assert_int_equal(b->filters[1].id, 0x7E0);
	assert_int_equal(b->filters[1].mask, 0x7F0);
	assert_int_equal(b->filters[2].id, 0x18DAF100);
	assert_int_equal(b->filters[2].mask, 0x1FFFFF00);
	assert_true(b->filters[2].ext);
	assert_int_equal(b->filters[3].id, 0x123);
	assert_true(b->filters[3].ext);
	assert_int_equal(b->filters[3].mask, 0x1FFFFFFF);
	assert_true(b->filters[4].ext);
	evgw_config_free(&c);

	load_ok(&c, "[bus a]\ndriver = socketcan\nrestart_ms = 60000\n");
	assert_int_equal(c.buses[0].restart_ms, 60000);
	evgw_config_free(&c);

	expect_error("[bus a]\ndriver = socketcan\nrestart_ms = 60001\n", -EINVAL,
		     "t.conf:3: restart_ms: 60001 out of range (0..60000)");
	expect_error("[bus a]\ndriver = socketcan\nrestart_ms = -1\n", -EINVAL,
		     "t.conf:3: restart_ms: '-1' is not a number");
	expect_error("[bus a]\ndriver = socketcan\nfilter = 7E8 xyz\n", -EINVAL,
		     "t.conf:3: filter: 'xyz' is not a hex CAN id or ID/MASK (e.g. 7E8, "
		     "18DAF100/1FFFFF00)");
	expect_error("[bus a]\ndriver = socketcan\nfilter = 20000000\n", -EINVAL,
		     "t.conf:3: filter: '20000000' is not a hex CAN id or ID/MASK (e.g. 7E8, "
		     "18DAF100/1FFFFF00)");
	expect_error("[bus a]\ndriver = socketcan\nfilter = 7E8/\n", -EINVAL,
		     "t.conf:3: filter: '7E8/' is not a hex CAN id or ID/MASK (e.g. 7E8, "
		     "18DAF100/1FFFFF00)");
}

/* Each error has one exact message naming the line to fix. */
static void test_errors(void **state)
{
	static const struct {
		const char *text;
		const char *msg;
	} cases[] = {
		{"[bus car]\ndriver = sim\n\n[bus car]\ndriver = sim\n",
		 "t.conf:4: duplicate section [bus car] (first at line 1)"},
		{"[bus car]\ndevice = x\n", "t.conf:1: bus 'car' has no driver"},
		{"[bus car]\n", "t.conf:1: bus 'car' has no driver"},
		{"[gateway]\n\n[bus car]\nbitrate = 500k\n[bus b]\ndriver = sim\n",
		 "t.conf:3: bus 'car' has no driver"},
		{"[bus car]\nbitrate = 500k\n[gateway]\n", "t.conf:1: bus 'car' has no driver"},
		{"[bus]\ndriver = sim\n", "t.conf:1: [bus] needs a name: [bus NAME]"},
		{"[gateway]\n[bus   ]\n", "t.conf:2: [bus] needs a name: [bus NAME]"},
		{"[gateway main]\n", "t.conf:1: [gateway] takes no name"},
		{"[bus my car]\n",
		 "t.conf:1: bad name 'my car' in [bus NAME] (letters, digits, '-', '_', '.'; at most 32)"},
		{"[bus aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\n",
		 "t.conf:1: bad name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' in [bus NAME] (letters, digits, "
		 "'-', '_', '.'; at most 32)"},
		{"[gateway]\n[gatway]\n",
		 "t.conf:2: unknown section '[gatway]' (allowed: [gateway], [bus NAME], [confirmed], [mqtt], [socketcand])"},
		{"[busy]\n", "t.conf:1: unknown section '[busy]' (allowed: [gateway], [bus NAME], [confirmed], [mqtt], [socketcand])"},
		{"[Gateway]\n", "t.conf:1: unknown section '[Gateway]' (allowed: [gateway], [bus NAME], [confirmed], [mqtt], [socketcand])"},
		{"[]\n", "t.conf:1: unknown section '[]' (allowed: [gateway], [bus NAME], [confirmed], [mqtt], [socketcand])"},
		{"[gateway\n", "t.conf:1:1: missing ']' in section header"},
		{"[socketcand]\nlisten = localhost\n",
		 "t.conf:2: listen: 'localhost' is not an IPv4 or IPv6 address (e.g. 127.0.0.1, 0.0.0.0, ::1)"},
		{"[socketcand]\nclient_buffer = 1KiB\n", "t.conf:2: client_buffer: must be 4KiB..64MiB"},
		{"[socketcand]\nmax_clients = 0\n", "t.conf:2: max_clients: 0 out of range (1..256)"},
		{"  [gateway] extra\n", "t.conf:1:13: unexpected text after ']'"},
		{"[gateway] # not a comment here\n", "t.conf:1:11: unexpected text after ']'"},
		{"[gateway]\nsockt = /x\n", "t.conf:2: unknown key 'sockt' in [gateway]"},
		{"[gateway]\nSocket = /x\n", "t.conf:2: unknown key 'Socket' in [gateway]"},
		{"[gateway]\n= /x\n", "t.conf:2:1: no key before '='"},
		{"[gateway]\n  : /x\n", "t.conf:2:3: no key before ':'"},
		{"[bus car]\ndriver = sim\nbaudrate = 500k\n",
		 "t.conf:3: unknown key 'baudrate' in [bus car]"},
		{"[bus car]\ndriver = sim\nsocket = /x\n",
		 "t.conf:3: unknown key 'socket' in [bus car]"},
		{"socket = /x\n", "t.conf:1: key 'socket' comes before any [section]"},
		{"[gateway]\njust some words\n",
		 "t.conf:2: expected 'key = value', '[section]' or a comment"},
		{"[gateway]\nlog_level ; = debug\n",
		 "t.conf:2: expected 'key = value', '[section]' or a comment"},
		/* the first error in reading order stops the reader */
		{"[gateway]\nnonsense\nsockt = x\n",
		 "t.conf:2: expected 'key = value', '[section]' or a comment"},
		{"[gateway]\nsockt = x\nnonsense\n", "t.conf:2: unknown key 'sockt' in [gateway]"},
		{"[bus a]\nnonsense\n[bus b]\ndriver = sim\n",
		 "t.conf:2: expected 'key = value', '[section]' or a comment"},
		{"[bus a]\n[bus b]\nnonsense\n", "t.conf:1: bus 'a' has no driver"},
		{"[gateway]\nsocket = run/evgw.sock\n", "t.conf:2: socket: must be an absolute path"},
		{"[gateway]\nsocket =\n", "t.conf:2: socket: must be an absolute path"},
		{"[gateway]\nstate_dir = var/lib\n",
		 "t.conf:2: state_dir: must be an absolute path"},
		{"[gateway]\ndbc_dir = dbc\n", "t.conf:2: dbc_dir: must be an absolute path"},
		{"[gateway]\nsocket = /run/evgw/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sock\n",
		 "t.conf:2: socket: too long for a Unix socket (max 107 bytes)"},
		{"[gateway]\nsocket_group = evgw # shop\n",
		 "t.conf:2: socket_group: must be one word (inline comments start with ' ;')"},
		{"[gateway]\nlog_level = verbose\n",
		 "t.conf:2: log_level: 'verbose' is not err, warning, notice, info or debug"},
		{"[bus car]\ndriver =\n", "t.conf:2: driver: must not be empty"},
		{"[bus car]\ndriver = sim x\n",
		 "t.conf:2: driver: must be one word (inline comments start with ' ;')"},
		{"[bus car]\ndriver = sim\nmode = active\n",
		 "t.conf:3: mode: 'active' is not listen-only or diagnostic"},
		{"[bus car]\ndriver = sim\nprotocols = uds, can\n",
		 "t.conf:3: protocols: unknown protocol 'can' (allowed: j1939, uds, kwp, obd, isotp)"},
		{"[bus car]\ndriver = sim\nprotocols = uds UDS\n",
		 "t.conf:3: protocols: 'uds' listed twice"},
		{"[bus car]\ndriver = sim\ndbc = a.dbc b.dbc a.dbc\n",
		 "t.conf:3: dbc: 'a.dbc' listed twice"},
		{"[bus car]\ndriver = sim\nprofile = byd atto3\n",
		 "t.conf:3: profile: must be one word (inline comments start with ' ;')"},
		{"[bus car]\ndriver = sim\ndevice = a\x1b[2Jb\n",
		 "t.conf:3:11: control character 0x1B in line"},
		{"[gateway]\nx\x1b[31m = 1\n", "t.conf:2:2: control character 0x1B in line"},
		{"[gateway]\nlog_level = info\rx\n", "t.conf:2:17: control character 0x0D in line"},
		{"[gateway]\nlog_level = info\x7f\n", "t.conf:2:17: control character 0x7F in line"},
		{"[gateway]\n\xef\xbb\xbf[bus x]\n",
		 "t.conf:2: expected 'key = value', '[section]' or a comment"},
		{"[gateway]\ns\xc3\xb6" "cket = /x\n", "t.conf:2: unknown key 's??cket' in [gateway]"},
		{"[bus  car ]\n", "t.conf:1: bus 'car' has no driver"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		expect_error(cases[i].text, -EINVAL, cases[i].msg);
}

static void test_limits(void **state)
{
	char *text = malloc(64 * 1024);
	size_t n = 0;

	(void)state;
	assert_non_null(text);
	for (int i = 0; i < 65; i++)
		n += (size_t)sprintf(text + n, "[bus b%d]\ndriver = sim\n", i);
	expect_error(text, -EINVAL, "t.conf:129: too many [bus] sections (max 64)");

	n = (size_t)sprintf(text, "[bus a]\ndriver = sim\ndbc =");
	for (int i = 0; i < 65; i++)
		n += (size_t)sprintf(text + n, "%c%d", i % 2 ? ',' : ' ', i);
	strcpy(text + n, "\n");
	expect_error(text, -EINVAL, "t.conf:3: dbc: too many items (max 64)");

	/* a line holds 1024 bytes (CR LF not counted); a longer one is refused,
	 * never split in two */
	n = (size_t)sprintf(text, "[gateway]\nstate_dir = /");
	memset(text + n, 'a', 1024 - 13);
	strcpy(text + n + 1024 - 13, "\r\n");
	struct evgw_config c;
	load_ok(&c, text);
	assert_int_equal(strlen(c.state_dir), 1024 - 12);
	evgw_config_free(&c);
	strcpy(text + n + 1024 - 13, "a\n");
	expect_error(text, -EINVAL, "t.conf:2: line too long (max 1024 bytes)");
	n = (size_t)sprintf(text, "[gateway]\nsocket = /");
	memset(text + n, 'a', 4000);
	strcpy(text + n + 4000, "\n");
	expect_error(text, -EINVAL, "t.conf:2: line too long (max 1024 bytes)");

	/* a huge file of comments stops at 1 MiB */
	char *big = malloc((1 << 20) + 64);
	assert_non_null(big);
	for (n = 0; n < (1 << 20) + 32; n += 8)
		memcpy(big + n, "; pad..\n", 8);
	big[n] = '\0';
	expect_error(big, -EFBIG, "t.conf: larger than 1048576 bytes");
	free(big);
	free(text);
}

static void test_syntax_features(void **state)
{
	struct evgw_config c;
	const struct evgw_bus_config *b;

	(void)state;
	load_ok(&c, "\xef\xbb\xbf[gateway]\r\n"
		    "# hash comment\r\n"
		    "; semicolon comment\r\n"
		    "   log_level = notice ; why\r\n"
		    "admin_group: wheel\r\n"
		    "  [bus car]   ; the car\r\n"
		    "\tdriver = sim\r\n"
		    "\tdevice = byd-atto3\r\n" /* indented: a key, not a continuation */
		    "\tdbc = x;y.dbc\r\n"      /* ';' without a space before is text */
		    "\r\n");
	assert_int_equal(c.log_level, EVGW_LOG_NOTICE);
	assert_string_equal(c.admin_group, "wheel");
	b = evgw_config_bus(&c, "car");
	assert_non_null(b);
	assert_string_equal(b->driver, "sim");
	assert_string_equal(b->device, "byd-atto3");
	assert_int_equal(b->n_dbc, 1);
	assert_string_equal(b->dbc[0], "x;y.dbc");
	assert_int_equal(b->line, 6);
	evgw_config_free(&c);

	load_ok(&c, "");
	assert_int_equal(c.n_buses, 0);
	evgw_config_free(&c);
	load_ok(&c, "[bus car]\ndriver = sim"); /* no final newline */
	assert_string_equal(c.buses[0].driver, "sim");
	evgw_config_free(&c);
	load_ok(&c, "[bus car]\nmode = Diagnostic\ndriver = sim\n[bus car2]\ndriver=sim\n");
	assert_false(c.buses[0].listen_only);
	assert_true(c.buses[1].listen_only);
	evgw_config_free(&c);
}

static void test_load_file(void **state)
{
	static const char bad_text[] = "[gateway]\n\nlog_level = loud\n";
	struct evgw_config c;
	char err[ERRLEN], want[ERRLEN];
	const char *path;

	(void)state;
	path = test_write_temp(full_config, strlen(full_config));
	assert_int_equal(evgw_config_defaults(&c, true), 0);
	assert_int_equal(evgw_config_load_file(&c, path, err, sizeof err), 0);
	assert_string_equal(c.path, path);
	assert_int_equal(c.n_buses, 2);
	assert_string_equal(evgw_config_bus(&c, "car")->device, "byd-atto3");
	assert_int_equal(evgw_config_bus(&c, "truck")->line, 26);
	evgw_config_free(&c);
	unlink(path);

	path = test_write_temp(bad_text, strlen(bad_text));
	assert_int_equal(evgw_config_defaults(&c, true), 0);
	assert_int_equal(evgw_config_load_file(&c, path, err, sizeof err), -EINVAL);
	snprintf(want, sizeof want,
		 "%s:3: log_level: 'loud' is not err, warning, notice, info or debug", path);
	assert_string_equal(err, want);
	evgw_config_free(&c);
	unlink(path);

	/* a NUL byte cannot hide the rest of a line */
	static const char nul_text[] = "[gateway]\nlog_level = info\0x\n";
	path = test_write_temp(nul_text, sizeof nul_text - 1);
	assert_int_equal(evgw_config_defaults(&c, true), 0);
	assert_int_equal(evgw_config_load_file(&c, path, err, sizeof err), -EINVAL);
	snprintf(want, sizeof want, "%s:2:17: NUL byte in line", path);
	assert_string_equal(err, want);
	evgw_config_free(&c);
	unlink(path);
}

static void test_missing_file(void **state)
{
	struct evgw_config c;
	char err[ERRLEN];

	(void)state;
	assert_int_equal(evgw_config_defaults(&c, true), 0);
	assert_int_equal(evgw_config_load_file(&c, "/nonexistent/evgw.conf", err, sizeof err),
			 -ENOENT);
	assert_string_equal(err, "/nonexistent/evgw.conf: No such file or directory");
	assert_string_equal(c.socket_path, "/run/evgw/evgw.sock"); /* untouched */
	assert_int_equal(evgw_config_load_file(&c, "/tmp", err, sizeof err), -EISDIR);
	assert_string_equal(err, "/tmp: Is a directory");
	assert_int_equal(evgw_config_load_file(&c, NULL, err, sizeof err), -EINVAL);
	assert_int_equal(evgw_config_load_string(&c, NULL, "x", err, sizeof err), -EINVAL);
	evgw_config_free(&c);
}

static void test_error_buffer(void **state)
{
	struct evgw_config c;
	char err[12];

	(void)state;
	memset(err, 'X', sizeof err);
	assert_int_equal(evgw_config_defaults(&c, true), 0);
	assert_int_equal(evgw_config_load_string(&c, "[nope]\n", "t.conf", err, sizeof err),
			 -EINVAL);
	assert_string_equal(err, "t.conf:1: u");
	assert_int_equal(evgw_config_load_string(&c, "[nope]\n", "a-very-long-name.conf", err, 4),
			 -EINVAL);
	assert_string_equal(err, "a-v");
	assert_int_equal(evgw_config_load_string(&c, "[nope]\n", "t.conf", NULL, 0), -EINVAL);
	assert_int_equal(evgw_config_load_string(&c, "[nope]\n", NULL, err, sizeof err), -EINVAL);
	assert_string_equal(err, "<string>:1:");
	evgw_config_free(&c);
}

static void test_free_is_safe(void **state)
{
	struct evgw_config c;

	(void)state;
	memset(&c, 0, sizeof c);
	evgw_config_free(&c);
	evgw_config_free(NULL);
	load_ok(&c, full_config);
	evgw_config_free(&c);
	evgw_config_free(&c);
	assert_null(c.buses);
	assert_int_equal(c.n_buses, 0);

	/* a failed load leaves c safe to free */
	char err[ERRLEN];
	assert_int_equal(load(&c, "[bus a]\ndriver = sim\ndbc = a b\n[bus b]\nmode = x\n", err),
			 -EINVAL);
	evgw_config_free(&c);
	evgw_config_free(&c);
}

#ifndef EVGW_TEST_DATA
#define EVGW_TEST_DATA "tests/data" /* built by hand from the source root */
#endif
#define EXAMPLE_PATH EVGW_TEST_DATA "/../../udev/evgw.conf.example"

/* Uncomment "#key = ..." and "#[bus ...]" lines; prose comments are "# ...". */
static char *uncommented(const char *text)
{
	char *out = malloc(strlen(text) + 1), *o = out;

	assert_non_null(out);
	for (const char *s = text; *s; s++) {
		bool line_start = s == text || s[-1] == '\n';
		if (!(line_start && s[0] == '#' && ((s[1] >= 'a' && s[1] <= 'z') || s[1] == '[')))
			*o++ = *s;
	}
	*o = '\0';
	return out;
}

/* The example is valid as shipped and with every commented key turned on,
 * and the defaults it documents are the real ones. */
static void test_example_file(void **state)
{
	struct evgw_config c, d;
	char err[ERRLEN], text[16384];
	FILE *f = fopen(EXAMPLE_PATH, "r");
	size_t len;

	(void)state;
	if (!f)
		fail_msg("cannot open %s", EXAMPLE_PATH);
	len = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[len] = '\0';

	assert_int_equal(evgw_config_defaults(&c, true), 0);
	if (evgw_config_load_file(&c, EXAMPLE_PATH, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(c.n_buses, 1);
	const struct evgw_bus_config *b = evgw_config_bus(&c, "car");
	assert_non_null(b);
	assert_string_equal(b->driver, "sim");
	assert_string_equal(b->device, "byd-atto3");
	assert_int_equal(b->bitrate, 500000);
	assert_true(b->listen_only);
	assert_int_equal(b->n_dbc, 1);
	assert_string_equal(b->dbc[0], "byd_atto3.dbc");
	evgw_config_free(&c);

	char *all = uncommented(text);
	load_ok(&c, all);
	free(all);
	assert_int_equal(evgw_config_defaults(&d, true), 0);
	assert_string_equal(c.socket_path, d.socket_path);
	assert_string_equal(c.state_dir, d.state_dir);
	assert_null(c.socket_group);
	assert_null(c.admin_group);
	assert_string_equal(c.dbc_dir, "/usr/share/evgw/dbc");
	assert_int_equal(c.log_level, d.log_level);
	assert_int_equal(c.max_clients_per_uid, d.max_clients_per_uid);
	assert_int_equal(c.max_clients, d.max_clients);
	assert_int_equal(c.record_max_bytes, d.record_max_bytes);
	evgw_config_free(&d);

	assert_int_equal(c.n_buses, 4);
	assert_int_equal(evgw_config_bus(&c, "car")->n_protocols, 3);
	b = evgw_config_bus(&c, "obd");
	assert_non_null(b);
	assert_string_equal(b->driver, "slcan");
	b = evgw_config_bus(&c, "truck");
	assert_non_null(b);
	assert_string_equal(b->driver, "socketcan");
	assert_int_equal(b->bitrate, 250000);
	assert_int_equal(b->n_protocols, 1);
	assert_string_equal(b->protocols[0], "j1939");
	b = evgw_config_bus(&c, "drive");
	assert_non_null(b);
	assert_true(b->replay_speed == 2);
	assert_true(b->replay_loop);
	evgw_config_free(&c);
}

/* Mutated and random text: any result is fine as long as nothing breaks
 * (run under ASan/UBSan) and an error always comes with a message. */
static void test_hostile_input(void **state)
{
	static const char alphabet[] = "[]=:;# \t\r\n,.-_kMx0123456789\xef\xbb\xbf\x01\x7f\xff";
	uint32_t seed = 12345;
	char text[sizeof full_config + 64];
	char err[ERRLEN];

	(void)state;
	for (int iter = 0; iter < 4000; iter++) {
		struct evgw_config c;
		size_t len = sizeof full_config - 1;
		memcpy(text, full_config, sizeof full_config);
		for (int m = 0; m < 1 + iter % 8; m++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % len;
			seed = seed * 1103515245u + 12345u;
			text[at] = iter % 3 ? alphabet[(seed >> 8) % (sizeof alphabet - 1)]
					    : (char)(seed >> 16);
		}
		text[len] = '\0';
		int rc = load(&c, text, err);
		assert_true(rc == 0 || rc == -EINVAL);
		if (rc)
			assert_true(strncmp(err, "t.conf:", 7) == 0);
		evgw_config_free(&c);
	}
	for (int iter = 0; iter < 2000; iter++) {
		struct evgw_config c;
		size_t len = (size_t)iter % 200;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			text[i] = alphabet[(seed >> 8) % (sizeof alphabet - 1)];
		}
		text[len] = '\0';
		int rc = load(&c, text, err);
		assert_true(rc == 0 || rc == -EINVAL);
		evgw_config_free(&c);
	}
}

/* [confirmed]: two words a line, in order, each line once; a note after ';'. */
static void test_confirmed_section(void **state)
{
	(void)state;
	struct evgw_config c;
	load_ok(&c, "[confirmed]\n"
		    "message = byd_atto3.dbc WHEEL_SPEED_STATUS   ; checked 2026-12-01\n"
		    "message = /opt/dbc/bus.dbc 0x18FF2B49\n"
		    "did = byd_atto3 soc\n");
	assert_int_equal(c.n_confirmed, 3);
	assert_false(c.confirmed[0].did);
	assert_string_equal(c.confirmed[0].file, "byd_atto3.dbc");
	assert_string_equal(c.confirmed[0].what, "WHEEL_SPEED_STATUS");
	assert_int_equal(c.confirmed[0].line, 2);
	assert_string_equal(c.confirmed[1].file, "/opt/dbc/bus.dbc");
	assert_string_equal(c.confirmed[1].what, "0x18FF2B49");
	assert_true(c.confirmed[2].did);
	assert_string_equal(c.confirmed[2].file, "byd_atto3");
	assert_string_equal(c.confirmed[2].what, "soc");
	assert_int_equal(c.confirmed[2].line, 4);
	evgw_config_free(&c);

	expect_error("[confirmed]\nmessage = byd_atto3.dbc\n", -EINVAL,
		     "t.conf:2: message: expected two words, FILE MESSAGE (e.g. byd_atto3.dbc WHEEL_SPEED_STATUS "
		     "or byd_atto3.dbc 0x1F0)");
	expect_error("[confirmed]\ndid = a b c\n", -EINVAL,
		     "t.conf:2: did: expected two words, PROFILE DID (e.g. byd_atto3 soc)");
	expect_error("[confirmed]\nmessage = a.dbc M\nmessage = a.dbc M\n", -EINVAL,
		     "t.conf:3: message: 'M' listed twice (line 2)");
	expect_error("[confirmed]\nconfirm = a.dbc M\n", -EINVAL, "t.conf:2: unknown key 'confirm' in [confirmed]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_config),
		cmocka_unit_test(test_defaults_root),
		cmocka_unit_test(test_defaults_user_xdg),
		cmocka_unit_test(test_defaults_user_home),
		cmocka_unit_test(test_defaults_user_nothing_set),
		cmocka_unit_test(test_partial_over_defaults),
		cmocka_unit_test(test_socketcand),
		cmocka_unit_test(test_duplicates_and_list_lines),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_bitrates),
		cmocka_unit_test(test_bad_bitrates),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_bad_numbers),
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_syntax_features),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_error_buffer),
		cmocka_unit_test(test_free_is_safe),
		cmocka_unit_test(test_socketcan_keys),
		cmocka_unit_test(test_termination_key),
		cmocka_unit_test(test_example_file),
		cmocka_unit_test(test_hostile_input),
		cmocka_unit_test(test_confirmed_section),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
