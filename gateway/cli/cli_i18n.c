// SPDX-License-Identifier: MIT
/* glibc's gettext takes the language from LANGUAGE unless the messages
 * locale is plain "C"; C.UTF-8 is always there and is not "C", so the
 * language decided by --lang or the environment (cli_lang) is put in
 * LANGUAGE and the catalog is found without any ru_RU locale installed. */
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli/cli_i18n.h"

#ifndef EVGW_LOCALE_DIR
#define EVGW_LOCALE_DIR "/usr/share/locale"
#endif

/* Installed, the package's catalog; run from a build tree, the one built
 * beside it; EVGW_LOCALEDIR overrides both (tests). */
static const char *locale_dir(void)
{
	const char *env = getenv("EVGW_LOCALEDIR");
	if (env && *env)
		return env;
#ifdef EVGW_BUILD_LOCALE_DIR
	if (access(EVGW_LOCALE_DIR "/ru/LC_MESSAGES/evgw.mo", R_OK) < 0)
		return EVGW_BUILD_LOCALE_DIR;
#endif
	return EVGW_LOCALE_DIR;
}

void cli_i18n_init(const char *lang)
{
	if (!lang || !strcmp(lang, "en"))
		return;
	if (setenv("LANGUAGE", lang, 1) < 0 || !setlocale(LC_MESSAGES, "C.UTF-8"))
		return; /* English, then */
	bindtextdomain("evgw", locale_dir());
	bind_textdomain_codeset("evgw", "UTF-8");
	textdomain("evgw");
}

/* The daemon's words the printers show (gateway/api/PROTOCOL.md), short
 * for the tables' columns; any other word is shown as it came. */
static const char *const daemon_words[] = {
	NC_("fault", "active"), NC_("fault", "stored"),	 NC_("fault", "pending"),
	NC_("fault", "cleared"), NC_("fault", "permanent"), NC_("fault", "info"),
	NC_("fault", "warning"), NC_("fault", "error"),	 NC_("fault", "critical"),
};

const char *cli_in_context(const char *ctx, const char *s)
{
	char key[64];
	if (snprintf(key, sizeof key, "%s\004%s", ctx, s) >= (int)sizeof key)
		return s;
	const char *t = gettext(key);
	return t == key ? s : t;
}

const char *cli_word(const char *s)
{
	for (size_t i = 0; s && i < sizeof daemon_words / sizeof daemon_words[0]; i++)
		if (!strcmp(s, daemon_words[i]))
			return cli_in_context("fault", s);
	return s;
}

const char *cli_pgettext(const char *key, const char *s)
{
	const char *t = gettext(key);
	return t == key ? s : t;
}

static const char *const bus_words[] = {
	NC_("bus", "active"),	  NC_("bus", "warning"), NC_("bus", "passive"), NC_("bus", "bus-off"),
	NC_("bus", "restarting"), NC_("bus", "down"),	 NC_("bus", "gone"),	NC_("bus", "stopped"),
};

const char *cli_bus_word(const char *s)
{
	for (size_t i = 0; s && i < sizeof bus_words / sizeof bus_words[0]; i++)
		if (!strcmp(s, bus_words[i]))
			return cli_in_context("bus", s);
	return s;
}

const char *cli_column_head(const char *head)
{
	return cli_in_context("column", head);
}

/* One template into out (room cap, n used): its translation with every
 * {0}..{9} filled; false when the text is not a template. */
static bool put_text(json_object *t, char *out, size_t cap, size_t *n, int depth)
{
	json_object *tpl, *args;
	if (depth > 8 || !json_object_is_type(t, json_type_object) || !json_object_object_get_ex(t, "text", &tpl) ||
	    !json_object_is_type(tpl, json_type_string))
		return false;
	if (!json_object_object_get_ex(t, "args", &args) || !json_object_is_type(args, json_type_array))
		args = NULL;
	const char *en = json_object_get_string(tpl), *p = *en ? gettext(en) : en;
	while (*p && *n + 1 < cap) {
		if (p[0] == '{' && p[1] >= '0' && p[1] <= '9' && p[2] == '}' && args &&
		    (size_t)(p[1] - '0') < json_object_array_length(args)) {
			json_object *a = json_object_array_get_idx(args, (size_t)(p[1] - '0'));
			if (!put_text(a, out, cap, n, depth + 1)) {
				const char *v = json_object_is_type(a, json_type_string) ? json_object_get_string(a) : "";
				*n += (size_t)snprintf(out + *n, cap - *n, "%s", v);
				if (*n >= cap)
					*n = cap - 1;
			}
			p += 3;
			continue;
		}
		out[(*n)++] = *p++;
	}
	out[*n] = '\0';
	return true;
}

const char *cli_daemon_text(json_object *text, const char *english, char *out, size_t cap)
{
	size_t n = 0;
	if (!cap)
		return english;
	out[0] = '\0';
	return put_text(text, out, cap, &n, 0) ? out : english;
}

/* The J1939 lamps as the daemon names them (daemon/j1939_listener.c),
 * and how they flash; evgw-web's page says them with the same texts. */
static const char *const lamp_words[] = {N_("red stop"), N_("amber warning"), N_("MIL"), N_("protect")};
static const char *const flash_words[] = {N_(" (fast flash)"), N_(" (slow flash)")};

const char *cli_lamp_words(const char *lamps, char *out, size_t cap)
{
	if (!lamps || !cap)
		return lamps;
	size_t n = 0;
	out[0] = '\0';
	for (const char *p = lamps; *p && n + 1 < cap;) {
		while (*p == ' ' && n + 1 < cap) /* ", " between lamps */
			out[n++] = *p++;
		out[n] = '\0';
		size_t len = strcspn(p, ","), name = len;
		const char *flash = NULL;
		for (size_t i = 0; i < sizeof flash_words / sizeof flash_words[0]; i++) {
			size_t fl = strlen(flash_words[i]);
			if (len >= fl && !strncmp(p + len - fl, flash_words[i], fl)) {
				flash = flash_words[i];
				name = len - fl;
			}
		}
		const char *word = NULL;
		for (size_t i = 0; i < sizeof lamp_words / sizeof lamp_words[0]; i++)
			if (strlen(lamp_words[i]) == name && !strncmp(p, lamp_words[i], name))
				word = lamp_words[i];
		int w = word ? snprintf(out + n, cap - n, "%s%s", _(word), flash ? _(flash) : "")
			     : snprintf(out + n, cap - n, "%.*s", (int)len, p);
		n = w < 0 ? n : n + (size_t)w < cap ? n + (size_t)w : cap - 1;
		p += len;
		if (*p == ',') {
			int k = snprintf(out + n, cap - n, ",");
			n = k < 0 ? n : n + (size_t)k < cap ? n + (size_t)k : cap - 1;
			p++;
		}
	}
	return out;
}
