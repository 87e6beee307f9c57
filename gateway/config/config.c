// SPDX-License-Identifier: MIT
/* The configuration loader: the keys of evgw.conf and what they mean. The
 * reading itself (lines, sections, comments, duplicates, the forms of
 * numbers, bit rates and booleans) is the strict INI reader shared with the
 * vehicle profiles (util/ini.h, util/ini_value.h). The text is untrusted:
 * every value is checked, every list and string is bounded, and errors say
 * "file:line: what". */
#include "config/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "config/config_mqtt.h"
#include "util/ini.h"
#include "util/ini_value.h"

#ifndef EVGW_DATADIR
#define EVGW_DATADIR "/usr/share/evgw"
#endif

#define MAX_BUSES 64
#define MAX_DBC 64
#define MAX_FILE_BYTES (1 << 20)
#define MAX_CONFIRMED 4096 /* [confirmed] lines */
#define MAX_CLIENTS 65536
#define MAX_RECORD_BYTES (1ULL << 50)
#define MAX_REPLAY_SPEED 1e6
#define MAX_FILTERS 512 /* what CAN_RAW_FILTER takes */
#define SUN_PATH_MAX (sizeof(((struct sockaddr_un *)0)->sun_path) - 1)

const char *const evgw_bus_protocols[] = {"j1939", "uds", "kwp", "obd", "isotp", NULL};

/* --- log levels --- */

int evgw_log_level_parse(const char *s, enum evgw_log_level *out)
{
	static const struct {
		const char *name;
		enum evgw_log_level level;
	} names[] = {
		{"err", EVGW_LOG_ERR},	       {"error", EVGW_LOG_ERR},	  {"warning", EVGW_LOG_WARNING},
		{"warn", EVGW_LOG_WARNING},    {"notice", EVGW_LOG_NOTICE}, {"info", EVGW_LOG_INFO},
		{"debug", EVGW_LOG_DEBUG},
	};

	for (size_t i = 0; s && i < sizeof names / sizeof *names; i++)
		if (!strcasecmp(s, names[i].name)) {
			*out = names[i].level;
			return 0;
		}
	return -EINVAL;
}

/* --- memory --- */

static void free_list(char **list, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

static void free_bus(struct evgw_bus_config *b)
{
	free(b->name);
	free(b->driver);
	free(b->device);
	free_list(b->dbc, b->n_dbc);
	free(b->profile);
	free_list(b->protocols, b->n_protocols);
	free(b->filters);
}

void evgw_config_free(struct evgw_config *c)
{
	if (!c)
		return;
	free(c->path);
	free(c->socket_path);
	free(c->state_dir);
	free(c->socket_group);
	free(c->admin_group);
	free(c->dbc_dir);
	free(c->socketcand.listen);
	for (unsigned i = 0; i < c->n_buses; i++)
		free_bus(&c->buses[i]);
	free(c->buses);
	for (unsigned i = 0; i < c->n_confirmed; i++) {
		free(c->confirmed[i].file);
		free(c->confirmed[i].what);
	}
	free(c->confirmed);
	evgw_mqtt_config_free(&c->mqtt);
	memset(c, 0, sizeof *c); /* a second free is a no-op */
}

static bool set_str(struct evgw_ini *ini, char **dst, const char *v)
{
	char *s = strdup(v);

	if (!s)
		return evgw_ini_oom(ini);
	free(*dst);
	*dst = s;
	return true;
}

/* An empty value unsets an optional string. */
static bool set_opt_str(struct evgw_ini *ini, char **dst, const char *v)
{
	if (*v)
		return set_str(ini, dst, v);
	free(*dst);
	*dst = NULL;
	return true;
}

/* --- lists --- */

/* The protocol an item names, in its stored spelling, or NULL. */
static const char *canon_protocol(const char *s, size_t len)
{
	char word[16];

	if (len >= sizeof word)
		return NULL;
	memcpy(word, s, len);
	word[len] = '\0';
	int i = evgw_ini_scan_word(word, evgw_bus_protocols);
	return i < 0 ? NULL : evgw_bus_protocols[i];
}

static bool add_item(struct evgw_ini *ini, const char *k, char ***items, unsigned *n, unsigned max,
		     const char *s, size_t len, bool protocol)
{
	char buf[EVGW_INI_SHOW];
	const char *name = protocol ? canon_protocol(s, len) : NULL;

	if (protocol && !name)
		return evgw_ini_fail(ini, "%s: unknown protocol '%s' (allowed: j1939, uds, kwp, obd, isotp)", k,
				     evgw_ini_shown(buf, s, len));
	if (name) {
		s = name;
		len = strlen(name);
	}
	for (unsigned i = 0; i < *n; i++)
		if (strlen((*items)[i]) == len && !memcmp((*items)[i], s, len))
			return evgw_ini_fail(ini, "%s: '%s' listed twice", k, evgw_ini_shown(buf, s, len));
	if (*n == max)
		return evgw_ini_fail(ini, "%s: too many items (max %u)", k, max);
	char **grown = realloc(*items, (*n + 1) * sizeof *grown);
	if (!grown)
		return evgw_ini_oom(ini);
	*items = grown;
	if (!(grown[*n] = strndup(s, len)))
		return evgw_ini_oom(ini);
	(*n)++;
	return true;
}

/* Each line of a list key adds its items. */
static bool add_list(struct evgw_ini *ini, const char *k, const char *v, unsigned max, bool protocol,
		     char ***list, unsigned *n_list)
{
	const char *s;
	size_t len;

	while ((s = evgw_ini_next_item(&v, &len)))
		if (!add_item(ini, k, list, n_list, max, s, len, protocol))
			return false;
	return true;
}

/* --- [gateway] --- */

static bool abs_path(struct evgw_ini *ini, const char *k, const char *v)
{
	if (v[0] != '/')
		return evgw_ini_fail(ini, "%s: must be an absolute path", k);
	return true;
}

static bool gw_socket(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_config *c = obj;

	if (!abs_path(ini, k, v))
		return false;
	if (strlen(v) > SUN_PATH_MAX)
		return evgw_ini_fail(ini, "%s: too long for a Unix socket (max %zu bytes)", k, SUN_PATH_MAX);
	return set_str(ini, &c->socket_path, v);
}

static bool gw_state_dir(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_config *c = obj;
	return abs_path(ini, k, v) && set_str(ini, &c->state_dir, v);
}

static bool gw_dbc_dir(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_config *c = obj;
	return abs_path(ini, k, v) && set_str(ini, &c->dbc_dir, v);
}

static bool gw_socket_group(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_config *c = obj;
	return evgw_ini_one_word(ini, k, v) && set_opt_str(ini, &c->socket_group, v);
}

static bool gw_admin_group(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_config *c = obj;
	return evgw_ini_one_word(ini, k, v) && set_opt_str(ini, &c->admin_group, v);
}

static bool gw_log_level(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_config *c = obj;
	char s[EVGW_INI_SHOW];

	if (evgw_log_level_parse(v, &c->log_level) < 0)
		return evgw_ini_fail(ini, "%s: '%s' is not %s", k, evgw_ini_shown(s, v, strlen(v)),
				     EVGW_LOG_LEVEL_NAMES);
	return true;
}

static bool gw_max_per_uid(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_config *c = obj;
	uint64_t n;

	if (!evgw_ini_uint(ini, k, v, 1, MAX_CLIENTS, &n))
		return false;
	c->max_clients_per_uid = (unsigned)n;
	return true;
}

static bool gw_max_clients(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_config *c = obj;
	uint64_t n;

	if (!evgw_ini_uint(ini, k, v, 1, MAX_CLIENTS, &n))
		return false;
	c->max_clients = (unsigned)n;
	return true;
}

/* A number of bytes, or with an IEC unit: "512MiB", "2GiB". No bare "G":
 * in this file k and M already mean 1000 and 1000000 (bit rates). */
static bool scan_size(struct evgw_ini *ini, const char *k, const char *v, uint64_t *out)
{
	static const struct {
		const char *unit;
		unsigned shift;
	} units[] = {{"KiB", 10}, {"MiB", 20}, {"GiB", 30}, {"TiB", 40}, {"", 0}};
	char s[EVGW_INI_SHOW];
	size_t len = strlen(v);

	for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
		size_t ulen = strlen(units[i].unit);
		if (len < ulen || strcmp(v + len - ulen, units[i].unit))
			continue;
		char *num = strndup(v, len - ulen);
		uint64_t n;
		if (!num)
			return evgw_ini_oom(ini);
		bool ok = evgw_ini_scan_uint(num, &n);
		free(num);
		if (!ok)
			break;
		if (n < 1 || n > MAX_RECORD_BYTES >> units[i].shift)
			return evgw_ini_fail(ini, "%s: %s out of range (1..1024TiB)", k,
					     evgw_ini_shown(s, v, len));
		*out = n << units[i].shift;
		return true;
	}
	return evgw_ini_fail(ini, "%s: '%s' is not a size (e.g. 1073741824, 512MiB, 1GiB)", k,
			     evgw_ini_shown(s, v, len));
}

static bool gw_record_max(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	return scan_size(ini, k, v, &((struct evgw_config *)obj)->record_max_bytes);
}

static bool gw_record_user_quota(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	return scan_size(ini, k, v, &((struct evgw_config *)obj)->record_user_quota);
}

static bool gw_record_total_quota(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	return scan_size(ini, k, v, &((struct evgw_config *)obj)->record_total_quota);
}

/* --- [bus NAME] --- */

static bool bus_driver(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_bus_config *b = obj;

	if (!*v)
		return evgw_ini_fail(ini, "%s: must not be empty", k);
	return evgw_ini_one_word(ini, k, v) && set_str(ini, &b->driver, v);
}

static bool bus_device(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_bus_config *b = obj;
	(void)k;
	return set_opt_str(ini, &b->device, v);
}

static bool bus_bitrate(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_bus_config *b = obj;
	return evgw_ini_bitrate(ini, k, v, false, &b->bitrate);
}

static bool bus_data_bitrate(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_bus_config *b = obj;
	return evgw_ini_bitrate(ini, k, v, true, &b->data_bitrate);
}

static bool bus_mode(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	static const char *const modes[] = {"listen-only", "diagnostic", NULL};
	struct evgw_bus_config *b = obj;
	int i;

	if (!evgw_ini_word(ini, k, v, modes, &i))
		return false;
	b->listen_only = i == 0;
	return true;
}

static bool bus_dbc(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_bus_config *b = obj;
	return add_list(ini, k, v, MAX_DBC, false, &b->dbc, &b->n_dbc);
}

static bool bus_profile(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_bus_config *b = obj;
	return evgw_ini_one_word(ini, k, v) && set_opt_str(ini, &b->profile, v);
}

static bool bus_protocols(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_bus_config *b = obj;
	return add_list(ini, k, v, sizeof evgw_bus_protocols / sizeof *evgw_bus_protocols - 1, true,
			&b->protocols, &b->n_protocols);
}

/* A number >= 0 or "max" (= 0, as fast as possible). */
static bool bus_replay_speed(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_bus_config *b = obj;
	char s[EVGW_INI_SHOW];
	double d;

	if (!strcasecmp(v, "max")) {
		b->replay_speed = 0;
		return true;
	}
	if (!evgw_ini_scan_real(v, &d))
		return evgw_ini_fail(ini, "%s: '%s' is not a number >= 0 or max", k,
				     evgw_ini_shown(s, v, strlen(v)));
	return evgw_ini_real(ini, k, v, 0, MAX_REPLAY_SPEED, &b->replay_speed);
}

static bool bus_replay_loop(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_bus_config *b = obj;
	return evgw_ini_bool(ini, k, v, &b->replay_loop);
}

/* A boolean, or 120 (ohm, as systemd-networkd has it). */
static bool bus_termination(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_bus_config *b = obj;
	char s[EVGW_INI_SHOW];
	bool on;

	if (!strcmp(v, "120"))
		on = true;
	else if (!evgw_ini_scan_bool(v, &on))
		return evgw_ini_fail(ini, "%s: '%s' is not on (120 ohm) or off", k,
				     evgw_ini_shown(s, v, strlen(v)));
	b->termination = on;
	return true;
}

static bool bus_restart_ms(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_bus_config *b = obj;
	uint64_t n;

	if (!evgw_ini_uint(ini, k, v, 0, 60000, &n))
		return false;
	b->restart_ms = (int32_t)n;
	return true;
}

/* One "ID" or "ID/MASK" in hex; an ID above 0x7FF or written with 8 digits
 * is a 29-bit filter. */
static bool scan_filter(const char *s, size_t len, struct evgw_can_filter *f)
{
	const char *slash = memchr(s, '/', len);
	size_t idlen = slash ? (size_t)(slash - s) : len;
	uint32_t id, mask;

	if (!evgw_ini_scan_hex(s, idlen, &id) || id > EVGW_CAN_EFF_MASK)
		return false;
	f->ext = idlen == 8 || id > EVGW_CAN_SFF_MASK;
	if (slash) {
		if (!evgw_ini_scan_hex(slash + 1, len - idlen - 1, &mask) || mask > EVGW_CAN_EFF_MASK)
			return false;
	} else {
		mask = f->ext ? EVGW_CAN_EFF_MASK : EVGW_CAN_SFF_MASK;
	}
	f->id = id;
	f->mask = mask;
	return true;
}

static bool bus_filter(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_bus_config *b = obj;
	char shown[EVGW_INI_SHOW];
	const char *s;
	size_t len;

	while ((s = evgw_ini_next_item(&v, &len))) {
		struct evgw_can_filter f;
		if (b->n_filters == MAX_FILTERS)
			return evgw_ini_fail(ini, "%s: too many filters (max %d)", k, MAX_FILTERS);
		if (!scan_filter(s, len, &f))
			return evgw_ini_fail(ini, "%s: '%s' is not a hex CAN id or ID/MASK (e.g. 7E8, "
					     "18DAF100/1FFFFF00)", k, evgw_ini_shown(shown, s, len));
		struct evgw_can_filter *grown = realloc(b->filters, (b->n_filters + 1) * sizeof *grown);
		if (!grown)
			return evgw_ini_oom(ini);
		b->filters = grown;
		b->filters[b->n_filters++] = f;
	}
	return true;
}

/* --- [socketcand] --- */

static bool sc_enabled(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	return evgw_ini_bool(ini, k, v, &((struct evgw_config *)obj)->socketcand.enabled);
}

static bool sc_listen(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_config *c = obj;
	unsigned char a[16];
	char s[EVGW_INI_SHOW];
	if (inet_pton(AF_INET, v, a) != 1 && inet_pton(AF_INET6, v, a) != 1)
		return evgw_ini_fail(ini, "%s: '%s' is not an IPv4 or IPv6 address (e.g. 127.0.0.1, 0.0.0.0, ::1)", k,
				     evgw_ini_shown(s, v, strlen(v)));
	return set_str(ini, &c->socketcand.listen, v);
}

static bool sc_port(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	uint64_t n;
	if (!evgw_ini_uint(ini, k, v, 1, 65535, &n))
		return false;
	((struct evgw_config *)obj)->socketcand.port = (uint16_t)n;
	return true;
}

static bool sc_beacon(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	return evgw_ini_bool(ini, k, v, &((struct evgw_config *)obj)->socketcand.beacon);
}

static bool sc_beacon_port(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	uint64_t n;
	if (!evgw_ini_uint(ini, k, v, 1, 65535, &n))
		return false;
	((struct evgw_config *)obj)->socketcand.beacon_port = (uint16_t)n;
	return true;
}

static bool sc_allow_send(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	return evgw_ini_bool(ini, k, v, &((struct evgw_config *)obj)->socketcand.allow_send);
}

static bool sc_max_clients(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	uint64_t n;
	if (!evgw_ini_uint(ini, k, v, 1, 256, &n))
		return false;
	((struct evgw_config *)obj)->socketcand.max_clients = (unsigned)n;
	return true;
}

static bool sc_send_rate(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	uint64_t n;
	if (!evgw_ini_uint(ini, k, v, 1, 100000, &n))
		return false;
	((struct evgw_config *)obj)->socketcand.send_rate = (uint32_t)n;
	return true;
}

static bool sc_client_buffer(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	uint64_t n;
	if (!scan_size(ini, k, v, &n))
		return false;
	if (n < 4096 || n > (64u << 20))
		return evgw_ini_fail(ini, "%s: must be 4KiB..64MiB", k);
	((struct evgw_config *)obj)->socketcand.client_buffer = (uint32_t)n;
	return true;
}

/* --- sections --- */

static bool gateway_begin(struct evgw_ini *ini, const char *name, void **obj)
{
	(void)name;
	*obj = ini->user;
	return true;
}

static bool socketcand_begin(struct evgw_ini *ini, const char *name, void **obj)
{
	(void)name;
	struct evgw_config *c = ini->user;
	c->socketcand.enabled = true; /* the section asks for it */
	*obj = c;
	return true;
}

static bool bus_begin(struct evgw_ini *ini, const char *name, void **obj)
{
	struct evgw_config *c = ini->user;
	struct evgw_bus_config *b;

	b = realloc(c->buses, (c->n_buses + 1) * sizeof *b);
	if (!b)
		return evgw_ini_oom(ini);
	c->buses = b;
	b += c->n_buses;
	memset(b, 0, sizeof *b);
	if (!(b->name = strdup(name)))
		return evgw_ini_oom(ini);
	b->listen_only = true; /* a vehicle bus is not ours */
	b->replay_speed = 1;
	b->restart_ms = -1;
	b->termination = -1;
	b->line = ini->line;
	c->n_buses++;
	*obj = b;
	return true;
}

static bool bus_end(struct evgw_ini *ini, void *obj)
{
	const struct evgw_bus_config *b = obj;

	if (!b->driver)
		return evgw_ini_fail_at(ini, b->line, "bus '%s' has no driver", b->name);
	/* Only gs_usb has a request for it; elsewhere it would be ignored. */
	if (b->termination >= 0 && strcmp(b->driver, "gsusb") != 0)
		return evgw_ini_fail_at(ini, b->line, "bus '%s': termination can only be switched "
					"with driver = gsusb (driver = %s)", b->name, b->driver);
	return true;
}

static const struct evgw_ini_key gateway_keys[] = {
	{"socket", gw_socket, 0},
	{"state_dir", gw_state_dir, 0},
	{"socket_group", gw_socket_group, 0},
	{"admin_group", gw_admin_group, 0},
	{"dbc_dir", gw_dbc_dir, 0},
	{"log_level", gw_log_level, 0},
	{"max_clients_per_uid", gw_max_per_uid, 0},
	{"max_clients", gw_max_clients, 0},
	{"record_max_bytes", gw_record_max, 0},
	{"record_user_quota", gw_record_user_quota, 0},
	{"record_total_quota", gw_record_total_quota, 0},
	{NULL, NULL, 0},
};

static const struct evgw_ini_key socketcand_keys[] = {
	{"enabled", sc_enabled, 0},
	{"listen", sc_listen, 0},
	{"port", sc_port, 0},
	{"beacon", sc_beacon, 0},
	{"beacon_port", sc_beacon_port, 0},
	{"allow_send", sc_allow_send, 0},
	{"max_clients", sc_max_clients, 0},
	{"client_buffer", sc_client_buffer, 0},
	{"send_rate", sc_send_rate, 0},
	{NULL, NULL, 0},
};

static const struct evgw_ini_key bus_keys[] = {
	{"driver", bus_driver, 0},
	{"device", bus_device, 0},
	{"bitrate", bus_bitrate, 0},
	{"data_bitrate", bus_data_bitrate, 0},
	{"mode", bus_mode, 0},
	{"dbc", bus_dbc, EVGW_INI_LIST},
	{"profile", bus_profile, 0},
	{"protocols", bus_protocols, EVGW_INI_LIST},
	{"replay_speed", bus_replay_speed, 0},
	{"replay_loop", bus_replay_loop, 0},
	{"restart_ms", bus_restart_ms, 0},
	{"filter", bus_filter, EVGW_INI_LIST},
	{"termination", bus_termination, 0},
	{NULL, NULL, 0},
};

/* --- [confirmed] --- */

/* "FILE MESSAGE" or "PROFILE DID": two words, each added once. */
static bool add_confirmed(struct evgw_ini *ini, struct evgw_config *c, const char *k, const char *v, bool did)
{
	const char *word[3];
	size_t len[3];
	unsigned n = 0;
	char buf[EVGW_INI_SHOW];

	while (n < 3 && (word[n] = evgw_ini_next_item(&v, &len[n])))
		n++;
	if (n != 2)
		return evgw_ini_fail(ini, did ? "%s: expected two words, PROFILE DID (e.g. byd_atto3 soc)"
					      : "%s: expected two words, FILE MESSAGE (e.g. byd_atto3.dbc "
						"WHEEL_SPEED_STATUS or byd_atto3.dbc 0x1F0)", k);
	for (unsigned i = 0; i < c->n_confirmed; i++) {
		const struct evgw_confirmed_def *o = &c->confirmed[i];
		if (o->did == did && strlen(o->file) == len[0] && !memcmp(o->file, word[0], len[0]) &&
		    strlen(o->what) == len[1] && !memcmp(o->what, word[1], len[1]))
			return evgw_ini_fail(ini, "%s: '%s' listed twice (line %u)", k,
					     evgw_ini_shown(buf, word[1], len[1]), o->line);
	}
	if (c->n_confirmed == MAX_CONFIRMED)
		return evgw_ini_fail(ini, "%s: too many confirmed definitions (max %u)", k, MAX_CONFIRMED);
	struct evgw_confirmed_def *grown = realloc(c->confirmed, (c->n_confirmed + 1) * sizeof *grown);
	if (!grown)
		return evgw_ini_oom(ini);
	c->confirmed = grown;
	struct evgw_confirmed_def *e = &grown[c->n_confirmed];
	memset(e, 0, sizeof *e);
	e->did = did;
	e->line = ini->line;
	e->file = strndup(word[0], len[0]);
	e->what = strndup(word[1], len[1]);
	c->n_confirmed++;
	if (!e->file || !e->what)
		return evgw_ini_oom(ini);
	return true;
}

static bool confirmed_message(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	return add_confirmed(ini, obj, k, v, false);
}

static bool confirmed_did(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	return add_confirmed(ini, obj, k, v, true);
}

static const struct evgw_ini_key confirmed_keys[] = {
	{"message", confirmed_message, EVGW_INI_LIST},
	{"did", confirmed_did, EVGW_INI_LIST},
	{NULL, NULL, 0},
};

static const struct evgw_ini_section sections[] = {
	{"gateway", false, 1, gateway_keys, gateway_begin, NULL},
	{"bus", true, MAX_BUSES, bus_keys, bus_begin, bus_end},
	{"confirmed", false, 1, confirmed_keys, gateway_begin, NULL},
	{"mqtt", false, 1, evgw_config_mqtt_keys, evgw_config_mqtt_begin, evgw_config_mqtt_end},
	{"socketcand", false, 1, socketcand_keys, socketcand_begin, NULL},
	{NULL, false, 0, NULL, NULL, NULL},
};

static const struct evgw_ini_format format = {MAX_FILE_BYTES, sections};

/* --- loading --- */

static int load(struct evgw_config *c, const char *text, size_t len, const char *name, char *err,
		size_t errlen)
{
	struct evgw_ini ini;
	char *path = strdup(name);

	evgw_ini_init(&ini, name, c, err, errlen);
	if (!path) {
		evgw_ini_oom(&ini);
		return ini.rc;
	}
	free(c->path);
	c->path = path;
	int rc = evgw_ini_parse(&ini, &format, text, len);
	if (rc == 0 && !evgw_config_mqtt_check(&ini, c))
		rc = ini.rc;
	return rc;
}

static int arg_error(char *err, size_t errlen)
{
	if (err && errlen)
		snprintf(err, errlen, "invalid argument");
	return -EINVAL;
}

int evgw_config_load_string(struct evgw_config *c, const char *text, const char *name, char *err,
			    size_t errlen)
{
	if (!c || !text)
		return arg_error(err, errlen);
	return load(c, text, strlen(text), name ? name : "<string>", err, errlen);
}

int evgw_config_load_file(struct evgw_config *c, const char *path, char *err, size_t errlen)
{
	char *text;
	size_t len;
	int rc;

	if (!c || !path)
		return arg_error(err, errlen);
	rc = evgw_ini_read_file(path, MAX_FILE_BYTES, &text, &len, err, errlen);
	if (rc)
		return rc;
	rc = load(c, text, len, path, err, errlen);
	free(text);
	return rc;
}

/* --- defaults --- */

/* An absolute directory from the environment; XDG says relative ones are
 * to be ignored. */
static const char *env_dir(const char *name)
{
	const char *v = getenv(name);
	return v && v[0] == '/' && strlen(v) < 4096 ? v : NULL;
}

static char *join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(la + lb + 1);

	if (s) {
		memcpy(s, a, la);
		memcpy(s + la, b, lb + 1);
	}
	return s;
}

static char *user_socket(const char *tmp)
{
	const char *run = env_dir("XDG_RUNTIME_DIR");

	if (run && strlen(run) + strlen("/evgw/evgw.sock") <= SUN_PATH_MAX)
		return join(run, "/evgw/evgw.sock");
	return join(tmp, "/evgw.sock");
}

static char *user_state(const char *tmp)
{
	const char *dir;

	if ((dir = env_dir("XDG_STATE_HOME")))
		return join(dir, "/evgw");
	if ((dir = env_dir("HOME")))
		return join(dir, "/.local/state/evgw");
	return strdup(tmp);
}

int evgw_config_defaults(struct evgw_config *c, bool as_root)
{
	char tmp[64];

	memset(c, 0, sizeof *c);
	c->log_level = EVGW_LOG_INFO;
	c->max_clients_per_uid = 64;
	c->max_clients = 1024;
	c->record_max_bytes = 1ULL << 30;
	c->record_user_quota = 2ULL << 30;
	c->record_total_quota = 4ULL << 30;
	snprintf(tmp, sizeof tmp, "/tmp/evgw-%u", (unsigned)geteuid());
	c->socket_path = as_root ? strdup("/run/evgw/evgw.sock") : user_socket(tmp);
	c->state_dir = as_root ? strdup("/var/lib/evgw") : user_state(tmp);
	c->dbc_dir = strdup(EVGW_DATADIR "/dbc");
	c->socketcand.listen = strdup("127.0.0.1");
	c->socketcand.port = 29536;
	c->socketcand.beacon_port = 42000;
	c->socketcand.max_clients = 8;
	c->socketcand.client_buffer = 256u << 10;
	c->socketcand.send_rate = 1000;
	if (!c->socket_path || !c->state_dir || !c->dbc_dir || !c->socketcand.listen) {
		evgw_config_free(c);
		return -ENOMEM;
	}
	return 0;
}

const struct evgw_bus_config *evgw_config_bus(const struct evgw_config *c, const char *name)
{
	if (!c || !name)
		return NULL;
	for (unsigned i = 0; i < c->n_buses; i++)
		if (!strcmp(c->buses[i].name, name))
			return &c->buses[i];
	return NULL;
}
