// SPDX-License-Identifier: MIT
/* libFuzzer target: the strict INI reader and its value scanners (through a
 * schema with one key of each kind), then evgw.conf's loader on the same
 * bytes. Each reading succeeds or fails with "f:" and a known error code;
 * setters only ever see trimmed values without control bytes, and every
 * accepted value lies in its range. (Profiles: fuzz_profile.c.) */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "util/ini.h"
#include "util/ini_value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_value(const char *v)
{
	size_t n = strlen(v);
	if (n > EVGW_INI_LINE_MAX || (n && (v[0] == ' ' || v[0] == '\t' || v[n - 1] == ' ' || v[n - 1] == '\t')))
		abort();
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)v[i] < 0x20 && v[i] != '\t') || v[i] == 0x7f)
			abort();
}

static bool set_u(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	uint64_t n = 0;
	check_value(v);
	if (evgw_ini_uint(ini, k, v, 3, 0x1FFFFFFF, &n) && (n < 3 || n > 0x1FFFFFFF))
		abort();
	return !ini->rc;
}

static bool set_rate(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	uint32_t r = 0;
	bool data = k[0] == 'd';
	check_value(v);
	if (evgw_ini_bitrate(ini, k, v, data, &r) &&
	    (r < EVGW_INI_BITRATE_MIN || r > (data ? EVGW_INI_DATA_BITRATE_MAX : EVGW_INI_BITRATE_MAX)))
		abort();
	return !ini->rc;
}

static bool set_y(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	bool b;
	check_value(v);
	return evgw_ini_bool(ini, k, v, &b);
}

static bool set_r(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	double d = 0;
	check_value(v);
	if (evgw_ini_real(ini, k, v, -1e9, 1e9, &d) && !(d >= -1e9 && d <= 1e9))
		abort();
	return !ini->rc;
}

static bool set_w(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	static const char *const words[] = {"listen-only", "diagnostic", "max", NULL};
	int i = -1;
	check_value(v);
	if (evgw_ini_word(ini, k, v, words, &i) && (i < 0 || i > 2))
		abort();
	return !ini->rc;
}

static bool set_t(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	char buf[16];
	check_value(v);
	if (evgw_ini_text(ini, k, v, buf, sizeof buf) && strcmp(buf, v))
		abort();
	return !ini->rc && evgw_ini_one_word(ini, k, v);
}

/* A list of hex ids. */
static bool set_l(struct evgw_ini *ini, void *obj, const char *k, const char *v)
{
	const char *s;
	size_t len;
	check_value(v);
	while ((s = evgw_ini_next_item(&v, &len))) {
		uint32_t id;
		if (len == 0 || memchr(s, ',', len) || memchr(s, ' ', len) || memchr(s, '\t', len))
			abort();
		if (!evgw_ini_scan_hex(s, len, &id))
			return evgw_ini_fail(ini, "%s: not hex", k);
	}
	return true;
}

static bool begin(struct evgw_ini *ini, const char *name, void **obj)
{
	if (*name && !evgw_ini_valid_name(name, strlen(name)))
		abort();
	*obj = NULL;
	return true;
}

static bool end(struct evgw_ini *ini, void *obj)
{
	return true;
}

static const struct evgw_ini_key keys[] = {
	{"u", set_u, 0}, {"bitrate", set_rate, 0}, {"data_bitrate", set_rate, 0}, {"y", set_y, 0},
	{"r", set_r, 0}, {"w", set_w, 0},	     {"t", set_t, 0},		      {"l", set_l, EVGW_INI_LIST},
	{NULL, NULL, 0},
};

static const struct evgw_ini_section sections[] = {
	{"s", false, 1, keys, begin, end},
	{"bus", true, 4, keys, begin, end},
	{NULL, false, 0, NULL, NULL, NULL},
};

static const struct evgw_ini_format format = {1 << 16, sections};

static void check_error(int r, const char *err)
{
	if (r && ((r != -EINVAL && r != -EFBIG && r != -ENOMEM) || strncmp(err, "f:", 2)))
		abort();
	if (!r && err[0])
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evgw_ini ini;
	char err[256];

	evgw_ini_init(&ini, "f", NULL, err, sizeof err);
	check_error(evgw_ini_parse(&ini, &format, (const char *)data, size), err);

	/* evgw.conf's loader takes text up to its first NUL */
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct evgw_config c;
	if (evgw_config_defaults(&c, false) == 0) {
		int r = evgw_config_load_string(&c, text, "f", err, sizeof err);
		check_error(r, err);
		for (unsigned i = 0; !r && i < c.n_buses; i++) {
			const struct evgw_bus_config *b = &c.buses[i];
			if (!b->driver || !evgw_ini_valid_name(b->name, strlen(b->name)) ||
			    (b->bitrate && b->bitrate < EVGW_INI_BITRATE_MIN) || b->bitrate > EVGW_INI_BITRATE_MAX ||
			    !(b->replay_speed >= 0 && b->replay_speed <= 1e6))
				abort();
		}
		/* [confirmed]: two non-empty words without blanks or commas each. */
		for (unsigned i = 0; !r && i < c.n_confirmed; i++) {
			const struct evgw_confirmed_def *e = &c.confirmed[i];
			if (!e->file[0] || !e->what[0] || strpbrk(e->file, " \t,") || strpbrk(e->what, " \t,"))
				abort();
		}
		/* [mqtt]: a host and a port, topic prefixes without wildcards,
		 * signals of buses the file has at rates in range. */
		const struct evgw_mqtt_config *m = &c.mqtt;
		if (!r && m->enabled) {
			if (!m->broker || !m->host || !m->host[0] || !m->port || !m->prefix || strpbrk(m->prefix, "+# ") ||
			    m->prefix[0] == '/' || m->prefix[0] == '$' || strpbrk(m->discovery_prefix, "+# ") ||
			    (m->unit && !evgw_ini_valid_name(m->unit, strlen(m->unit))) ||
			    (!m->tls && (m->ca_file || m->cert_file || m->key_file)) || (m->password && !m->username))
				abort();
			for (unsigned i = 0; i < m->n_signals; i++)
				if (!evgw_config_bus(&c, m->signals[i].bus) ||
				    !(m->signals[i].rate >= 0.01 && m->signals[i].rate <= 100) || !m->signals[i].glob[0] ||
				    strpbrk(m->signals[i].glob, "/+#@ "))
					abort();
		}
		evgw_config_free(&c);
	}
	free(text);
	return 0;
}
