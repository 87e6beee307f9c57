// SPDX-License-Identifier: MIT
#include "web/web_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/ini.h"
#include "util/ini_value.h"

#ifndef EVGW_WEB_WWW_DIR
#define EVGW_WEB_WWW_DIR "/usr/share/evgw/web"
#endif
#ifndef EVGW_WEB_LOCALE_DIR
#define EVGW_WEB_LOCALE_DIR "/usr/share/locale"
#endif

void web_config_defaults(struct web_config *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->listen, sizeof c->listen, "127.0.0.1:8080");
	if (geteuid() == 0) {
		snprintf(c->password_file, sizeof c->password_file, "/var/lib/evgw-web/password");
		snprintf(c->recordings_dir, sizeof c->recordings_dir, "/var/lib/evgw/recordings");
	} else {
		const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
		if (xdg && *xdg)
			snprintf(c->password_file, sizeof c->password_file, "%s/evgw/web-password", xdg);
		else if (home && *home)
			snprintf(c->password_file, sizeof c->password_file, "%s/.config/evgw/web-password", home);
		const char *run = getenv("XDG_RUNTIME_DIR");
		if (run && *run)
			snprintf(c->recordings_dir, sizeof c->recordings_dir, "%s/evgw/state/recordings", run);
		else
			snprintf(c->recordings_dir, sizeof c->recordings_dir, "/tmp/evgw-%u/state/recordings",
				 (unsigned)geteuid());
	}
	snprintf(c->www_dir, sizeof c->www_dir, "%s", EVGW_WEB_WWW_DIR);
	snprintf(c->locale_dir, sizeof c->locale_dir, "%s", EVGW_WEB_LOCALE_DIR);
#ifdef EVGW_WEB_SOURCE_WWW_DIR
	/* Run from a build tree (not installed): the files beside it. */
	if (access(EVGW_WEB_WWW_DIR "/index.html", R_OK) < 0) {
		snprintf(c->www_dir, sizeof c->www_dir, "%s", EVGW_WEB_SOURCE_WWW_DIR);
		snprintf(c->locale_dir, sizeof c->locale_dir, "%s", EVGW_WEB_BUILD_LOCALE_DIR);
	}
#endif
	snprintf(c->chartjs, sizeof c->chartjs, "/usr/share/javascript/chart.js/chart.min.js");
	c->max_connections = 256;
	c->max_per_ip = 160;
	c->max_streams = 128;
	c->idle_timeout = 30;
	c->session_hours = 12;
}

static bool set_text(struct evgw_ini *ini, char *dst, size_t cap, const char *key, const char *v)
{
	return evgw_ini_one_word(ini, key, v) && evgw_ini_text(ini, key, v, dst, cap);
}

static bool set_uint(struct evgw_ini *ini, unsigned *dst, const char *key, const char *v, uint64_t min,
		     uint64_t max)
{
	uint64_t u;
	if (!evgw_ini_uint(ini, key, v, min, max, &u))
		return false;
	*dst = (unsigned)u;
	return true;
}

static bool web_set(struct evgw_ini *ini, void *obj, const char *key, const char *v)
{
	struct web_config *c = obj;
	if (!strcmp(key, "listen")) {
		char host[128];
		unsigned port;
		if (!set_text(ini, c->listen, sizeof c->listen, key, v))
			return false;
		if (web_config_listen(v, host, sizeof host, &port) < 0)
			return evgw_ini_fail(ini, "listen: '%s' is not ADDR:PORT (e.g. 127.0.0.1:8080, [::1]:8080)", v);
		return true;
	}
	if (!strcmp(key, "socket"))
		return set_text(ini, c->socket, sizeof c->socket, key, v);
	if (!strcmp(key, "password_file"))
		return set_text(ini, c->password_file, sizeof c->password_file, key, v);
	if (!strcmp(key, "recordings_dir"))
		return set_text(ini, c->recordings_dir, sizeof c->recordings_dir, key, v);
	if (!strcmp(key, "www_dir"))
		return set_text(ini, c->www_dir, sizeof c->www_dir, key, v);
	if (!strcmp(key, "chartjs"))
		return set_text(ini, c->chartjs, sizeof c->chartjs, key, v);
	if (!strcmp(key, "locale_dir"))
		return set_text(ini, c->locale_dir, sizeof c->locale_dir, key, v);
	if (!strcmp(key, "network"))
		return evgw_ini_bool(ini, key, v, &c->network);
	if (!strcmp(key, "max_connections"))
		return set_uint(ini, &c->max_connections, key, v, 8, 4096);
	if (!strcmp(key, "max_per_ip"))
		return set_uint(ini, &c->max_per_ip, key, v, 1, 4096);
	if (!strcmp(key, "max_streams"))
		return set_uint(ini, &c->max_streams, key, v, 1, 4096);
	if (!strcmp(key, "idle_timeout"))
		return set_uint(ini, &c->idle_timeout, key, v, 1, 3600);
	if (!strcmp(key, "session_hours"))
		return set_uint(ini, &c->session_hours, key, v, 1, 24 * 30);
	return evgw_ini_fail(ini, "unknown key '%s'", key);
}

static bool web_begin(struct evgw_ini *ini, const char *name, void **obj)
{
	*obj = ini->user;
	return true;
}

static const struct evgw_ini_key web_keys[] = {
	{"listen", web_set, 0},          {"socket", web_set, 0},         {"password_file", web_set, 0},
	{"recordings_dir", web_set, 0},  {"www_dir", web_set, 0},        {"chartjs", web_set, 0},
	{"locale_dir", web_set, 0},      {"network", web_set, 0},        {"max_connections", web_set, 0},
	{"max_per_ip", web_set, 0},      {"max_streams", web_set, 0},    {"idle_timeout", web_set, 0},
	{"session_hours", web_set, 0},   {NULL, NULL, 0},
};

static const struct evgw_ini_section web_sections[] = {
	{"web", false, 1, web_keys, web_begin, NULL},
	{NULL, false, 0, NULL, NULL, NULL},
};

int web_config_load(struct web_config *c, const char *path, char *err, size_t errlen)
{
	static const struct evgw_ini_format format = {.max_bytes = 64 * 1024, .sections = web_sections};
	char *text = NULL;
	size_t len = 0;
	int rc = evgw_ini_read_file(path, format.max_bytes, &text, &len, err, errlen);
	if (rc)
		return rc;
	struct evgw_ini ini;
	evgw_ini_init(&ini, path, c, err, errlen);
	rc = evgw_ini_parse(&ini, &format, text, len);
	free(text);
	return rc;
}

int web_config_listen(const char *listen, char *host, size_t hostlen, unsigned *port)
{
	const char *colon;
	const char *h = listen;
	size_t hl;
	if (*listen == '[') {
		const char *close = strchr(listen, ']');
		if (!close || close[1] != ':')
			return -EINVAL;
		h = listen + 1;
		hl = (size_t)(close - h);
		colon = close + 1;
	} else {
		colon = strrchr(listen, ':');
		if (!colon || strchr(listen, ':') != colon)
			return -EINVAL;
		hl = (size_t)(colon - listen);
	}
	if (hl == 0 || hl >= hostlen)
		return -EINVAL;
	char *end;
	errno = 0;
	unsigned long p = strtoul(colon + 1, &end, 10);
	if (errno || *end || colon[1] < '0' || colon[1] > '9' || p > 65535)
		return -EINVAL;
	memcpy(host, h, hl);
	host[hl] = '\0';
	*port = (unsigned)p;
	return 0;
}
