// SPDX-License-Identifier: MIT
/* evgw.conf's [mqtt] section: where the MQTT bridge connects, as whom, and
 * what it publishes (the bridge: gateway/mqtt/, the topics: docs/mqtt.md).
 * Everything a broker would refuse later (a topic with a wildcard, a URL
 * with a path) is refused here, at start, with the file and line. */
#include "config/config_mqtt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/ini_value.h"

#define MAX_SIGNALS 256
#define MAX_TOPIC 128    /* a prefix; the whole topic stays far below MQTT's 65535 */
#define MAX_CLIENT_ID 64
#define MAX_CREDENTIAL 256
#define MAX_RATE 100.0   /* publications per second per signal */
#define MIN_RATE 0.01

void evgw_mqtt_config_free(struct evgw_mqtt_config *m)
{
	free(m->broker);
	free(m->host);
	free(m->client_id);
	free(m->unit);
	free(m->username);
	free(m->password);
	free(m->ca_file);
	free(m->cert_file);
	free(m->key_file);
	free(m->prefix);
	free(m->discovery_prefix);
	for (unsigned i = 0; i < m->n_signals; i++) {
		free(m->signals[i].bus);
		free(m->signals[i].glob);
	}
	free(m->signals);
	memset(m, 0, sizeof *m);
}

static bool set_str(struct evgw_ini *ini, char **dst, const char *v, size_t len)
{
	char *s = strndup(v, len);

	if (!s)
		return evgw_ini_oom(ini);
	free(*dst);
	*dst = s;
	return true;
}

static const char *shown(char buf[EVGW_INI_SHOW], const char *v)
{
	return evgw_ini_shown(buf, v, strlen(v));
}

/* --- the broker's URL --- */

static bool host_char(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '-' ||
	       ch == '.' || ch == '_';
}

/* mqtt://HOST[:PORT] or mqtts://HOST[:PORT]; HOST a name, an IPv4 address
 * or [IPv6]. Credentials go in their own keys, not in the URL (it is
 * logged). */
static bool broker(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	struct evgw_mqtt_config *m = obj;
	char b[EVGW_INI_SHOW];
	const char *p;

	if (!strncasecmp(v, "mqtt://", 7)) {
		m->tls = false;
		p = v + 7;
	} else if (!strncasecmp(v, "mqtts://", 8)) {
		m->tls = true;
		p = v + 8;
	} else {
		return evgw_ini_fail(ini, "%s: '%s' is not mqtt://HOST[:PORT] or mqtts://HOST[:PORT]", k,
				     shown(b, v));
	}
	const char *host = p, *end;
	size_t hlen;
	if (*p == '[') {
		host = ++p;
		while ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F') ||
		       *p == ':' || *p == '.')
			p++;
		if (*p != ']' || p == host)
			return evgw_ini_fail(ini, "%s: '%s': an IPv6 address is written [hex:digits]", k,
					     shown(b, v));
		hlen = (size_t)(p - host);
		p++;
	} else {
		while (host_char(*p))
			p++;
		hlen = (size_t)(p - host);
	}
	if (strchr(host, '@'))
		return evgw_ini_fail(ini, "%s: no user or password in the URL (use username and password)", k);
	if (hlen == 0 || hlen > 253)
		return evgw_ini_fail(ini, "%s: '%s' names no host", k, shown(b, v));
	uint64_t port = m->tls ? 8883 : 1883;
	if (*p == ':') {
		end = p + 1;
		if (!evgw_ini_scan_uint(end, &port) || port < 1 || port > 65535 || *end < '0' || *end > '9')
			return evgw_ini_fail(ini, "%s: '%s': the port is a number 1..65535", k, shown(b, v));
	} else if (*p) {
		return evgw_ini_fail(ini, "%s: '%s': unexpected '%c' after the host (no path or query)", k,
				     shown(b, v), *p);
	}
	m->port = (uint16_t)port;
	return set_str(ini, &m->host, host, hlen) && set_str(ini, &m->broker, v, strlen(v));
}

/* --- names and topics --- */

/* A topic prefix: levels of printable ASCII separated by single '/', no
 * wildcard ('+', '#'), not starting with '$' (the broker's own topics). */
static bool topic_text(struct evgw_ini *ini, const char *k, const char *v, char **dst)
{
	size_t n = strlen(v);

	if (n == 0 || n > MAX_TOPIC)
		return evgw_ini_fail(ini, "%s: 1..%d characters", k, MAX_TOPIC);
	if (v[0] == '$')
		return evgw_ini_fail(ini, "%s: may not start with '$' (the broker's own topics)", k);
	if (v[0] == '/' || v[n - 1] == '/' || strstr(v, "//"))
		return evgw_ini_fail(ini, "%s: no empty topic level (a '/' at either end, or '//')", k);
	for (size_t i = 0; i < n; i++)
		if (v[i] == '+' || v[i] == '#' || (unsigned char)v[i] <= ' ' || (unsigned char)v[i] >= 0x7f)
			return evgw_ini_fail(ini, "%s: '%c' is not allowed in a topic here (printable ASCII, no "
					     "blanks, no + or #)", k, (unsigned char)v[i] < 0x7f && v[i] > ' ' ? v[i] : '?');
	return set_str(ini, dst, v, n);
}

static bool prefix(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	return topic_text(ini, k, v, &((struct evgw_mqtt_config *)obj)->prefix);
}

static bool discovery_prefix(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	return topic_text(ini, k, v, &((struct evgw_mqtt_config *)obj)->discovery_prefix);
}

/* One topic level: the unit's name, as a bus's. */
static bool unit(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	char b[EVGW_INI_SHOW];

	if (!evgw_ini_valid_name(v, strlen(v)))
		return evgw_ini_fail(ini, "%s: '%s' is not 1..%d letters, digits, '-', '_' or '.'", k,
				     shown(b, v), EVGW_INI_NAME_MAX);
	return set_str(ini, &((struct evgw_mqtt_config *)obj)->unit, v, strlen(v));
}

static bool client_id(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n > MAX_CLIENT_ID)
		return evgw_ini_fail(ini, "%s: 1..%d characters", k, MAX_CLIENT_ID);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] <= ' ' || (unsigned char)v[i] >= 0x7f)
			return evgw_ini_fail(ini, "%s: printable ASCII without blanks", k);
	return set_str(ini, &((struct evgw_mqtt_config *)obj)->client_id, v, n);
}

static bool credential(struct evgw_ini *ini, const char *k, const char *v, char **dst)
{
	size_t n = strlen(v);

	if (n == 0 || n > MAX_CREDENTIAL)
		return evgw_ini_fail(ini, "%s: 1..%d bytes", k, MAX_CREDENTIAL);
	return set_str(ini, dst, v, n);
}

static bool username(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	return credential(ini, k, v, &((struct evgw_mqtt_config *)obj)->username);
}

static bool password(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	return credential(ini, k, v, &((struct evgw_mqtt_config *)obj)->password);
}

static bool path(struct evgw_ini *ini, const char *k, const char *v, char **dst)
{
	if (v[0] != '/')
		return evgw_ini_fail(ini, "%s: must be an absolute path", k);
	return set_str(ini, dst, v, strlen(v));
}

static bool ca_file(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	return path(ini, k, v, &((struct evgw_mqtt_config *)obj)->ca_file);
}

static bool cert_file(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	return path(ini, k, v, &((struct evgw_mqtt_config *)obj)->cert_file);
}

static bool key_file(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	return path(ini, k, v, &((struct evgw_mqtt_config *)obj)->key_file);
}

static bool discovery(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	return evgw_ini_bool(ini, k, v, &((struct evgw_mqtt_config *)obj)->discovery);
}

static bool keepalive(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	uint64_t n;

	if (!evgw_ini_uint(ini, k, v, 5, 3600, &n))
		return false;
	((struct evgw_mqtt_config *)obj)->keepalive = (unsigned)n;
	return true;
}

static bool health_interval(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	uint64_t n;

	if (!evgw_ini_uint(ini, k, v, 1, 3600, &n))
		return false;
	((struct evgw_mqtt_config *)obj)->health_interval = (unsigned)n;
	return true;
}

/* --- signals = BUS/SIGNAL[@RATE] ... --- */

static bool glob_char(char ch)
{
	return host_char(ch) || ch == '*' || ch == '?' || ch == '[' || ch == ']' || ch == '!';
}

static bool one_signal(struct evgw_ini *ini, struct evgw_mqtt_config *m, const char *k, const char *s,
		       size_t len)
{
	char b[EVGW_INI_SHOW], item[EVGW_INI_LINE_MAX + 1];
	const char *shown_item = evgw_ini_shown(b, s, len);

	memcpy(item, s, len);
	item[len] = '\0';
	char *slash = strchr(item, '/'), *at = strchr(item, '@');
	if (!slash || slash == item || (at && at < slash))
		return evgw_ini_fail(ini, "%s: '%s' is not BUS/SIGNAL or BUS/SIGNAL@RATE (e.g. car/SOC@0.5)", k,
				     shown_item);
	*slash = '\0';
	if (!evgw_ini_valid_name(item, strlen(item)))
		return evgw_ini_fail(ini, "%s: '%s': '%s' is not a bus name", k, shown_item, item);
	double rate = 1;
	if (at) {
		*at = '\0';
		if (!evgw_ini_scan_real(at + 1, &rate) || !(rate >= MIN_RATE && rate <= MAX_RATE))
			return evgw_ini_fail(ini, "%s: '%s': the rate is publications per second, %g..%g", k,
					     shown_item, MIN_RATE, MAX_RATE);
	}
	const char *glob = slash + 1;
	if (!*glob)
		return evgw_ini_fail(ini, "%s: '%s' names no signal", k, shown_item);
	for (const char *p = glob; *p; p++)
		if (!glob_char(*p))
			return evgw_ini_fail(ini, "%s: '%s': '%c' is not in a signal name or glob", k, shown_item,
					     *p >= ' ' && *p < 0x7f ? *p : '?');
	for (unsigned i = 0; i < m->n_signals; i++)
		if (!strcmp(m->signals[i].bus, item) && !strcmp(m->signals[i].glob, glob))
			return evgw_ini_fail(ini, "%s: '%s/%s' listed twice", k, item, glob);
	if (m->n_signals == MAX_SIGNALS)
		return evgw_ini_fail(ini, "%s: too many items (max %d)", k, MAX_SIGNALS);
	struct evgw_mqtt_signal *grown = realloc(m->signals, (m->n_signals + 1) * sizeof *grown);
	if (!grown)
		return evgw_ini_oom(ini);
	m->signals = grown;
	struct evgw_mqtt_signal *sg = &grown[m->n_signals];
	memset(sg, 0, sizeof *sg);
	sg->rate = rate;
	sg->line = ini->line;
	sg->bus = strdup(item);
	sg->glob = strdup(glob);
	m->n_signals++; /* counted before the check: freed either way */
	if (!sg->bus || !sg->glob)
		return evgw_ini_oom(ini);
	return true;
}

static bool signals(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	const char *s;
	size_t len;

	while ((s = evgw_ini_next_item(&v, &len)))
		if (!one_signal(ini, obj, k, s, len))
			return false;
	return true;
}

/* --- the section --- */

bool evgw_config_mqtt_begin(struct evgw_ini *ini, const char *name, void **obj)
{
	struct evgw_config *c = ini->user;
	struct evgw_mqtt_config *m = &c->mqtt;

	(void)name;
	evgw_mqtt_config_free(m);
	m->enabled = true;
	m->keepalive = 30;
	m->health_interval = 10;
	m->line = ini->line;
	*obj = m;
	if (!(m->prefix = strdup("evgw")) || !(m->discovery_prefix = strdup("homeassistant")))
		return evgw_ini_oom(ini);
	return true;
}

bool evgw_config_mqtt_end(struct evgw_ini *ini, void *obj)
{
	const struct evgw_mqtt_config *m = obj;

	if (!m->broker)
		return evgw_ini_fail_at(ini, m->line, "[mqtt] has no broker (e.g. broker = mqtt://localhost)");
	if (!m->tls && (m->ca_file || m->cert_file || m->key_file))
		return evgw_ini_fail_at(ini, m->line, "[mqtt]: ca_file, cert_file and key_file need an "
					"mqtts:// broker (broker = %s)", m->broker);
	if (!m->cert_file != !m->key_file)
		return evgw_ini_fail_at(ini, m->line, "[mqtt]: cert_file and key_file go together");
	if (m->password && !m->username)
		return evgw_ini_fail_at(ini, m->line, "[mqtt]: a password needs a username");
	return true;
}

bool evgw_config_mqtt_check(struct evgw_ini *ini, const struct evgw_config *c)
{
	for (unsigned i = 0; i < c->mqtt.n_signals; i++) {
		const struct evgw_mqtt_signal *sg = &c->mqtt.signals[i];
		if (!evgw_config_bus(c, sg->bus))
			return evgw_ini_fail_at(ini, sg->line, "signals: no [bus %s] in this file", sg->bus);
	}
	return true;
}

const struct evgw_ini_key evgw_config_mqtt_keys[] = {
	{"broker", broker, 0},
	{"client_id", client_id, 0},
	{"unit", unit, 0},
	{"username", username, 0},
	{"password", password, 0},
	{"ca_file", ca_file, 0},
	{"cert_file", cert_file, 0},
	{"key_file", key_file, 0},
	{"prefix", prefix, 0},
	{"discovery", discovery, 0},
	{"discovery_prefix", discovery_prefix, 0},
	{"keepalive", keepalive, 0},
	{"health_interval", health_interval, 0},
	{"signals", signals, EVGW_INI_LIST},
	{NULL, NULL, 0},
};
