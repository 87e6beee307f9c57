// SPDX-License-Identifier: MIT
#include "web/web_api.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/textbuf.h"
#include "web/web_daemon.h"

#define SESSION_COOKIE "evgw_session"
#define CSRF_COOKIE "evgw_csrf"
#define LANG_COOKIE "evgw_lang"

static const char *cookie(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_COOKIE_KIND, name);
}

/* The page's language: the switch's cookie, else Accept-Language. */
static const char *lang_of(struct MHD_Connection *c)
{
	const char *l = cookie(c, LANG_COOKIE);
	if (l && (!strcmp(l, "en") || !strcmp(l, "ru")))
		return l;
	return web_pick_lang(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language"));
}

static bool token_shaped(const char *t)
{
	if (!t || strlen(t) != WEB_TOKEN_LEN)
		return false;
	for (const char *p = t; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      *p == '_'))
			return false;
	return true;
}

/* A state-changing request must come from our own page: its Origin (when
 * the browser sends one) names this host, and it echoes the CSRF cookie's
 * token in X-CSRF-Token, which another site's page cannot read. */
static bool csrf_ok(struct MHD_Connection *c, const char **why)
{
	const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
	if (origin) {
		const char *o = !strncmp(origin, "http://", 7) ? origin + 7
				: !strncmp(origin, "https://", 8) ? origin + 8
								  : NULL;
		if (!o || !host || strcmp(o, host)) {
			*why = "the request comes from another site (Origin)";
			return false;
		}
	}
	const char *tok = cookie(c, CSRF_COOKIE);
	const char *hdr = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
	if (!token_shaped(tok) || !hdr || !web_token_equal(tok, hdr)) {
		*why = "the request lacks this page's CSRF token (reload the page)";
		return false;
	}
	return true;
}

static bool logged_in(struct web_server *s, struct MHD_Connection *c)
{
	const char *t = cookie(c, SESSION_COOKIE);
	return token_shaped(t) && web_auth_session(s->auth, t);
}

/* GET /api/session: language, login, and the CSRF token (a new cookie when
 * the browser has none). */
static enum MHD_Result session_info(struct web_server *s, struct MHD_Connection *c)
{
	const char *tok = cookie(c, CSRF_COOKIE);
	char fresh[WEB_TOKEN_LEN + 1], set[160];
	const char *set_cookie = NULL;
	if (!token_shaped(tok)) {
		if (web_token(fresh) < 0)
			return web_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "no randomness");
		tok = fresh;
		snprintf(set, sizeof set, CSRF_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict", fresh);
		set_cookie = set;
	}
	char body[256];
	int n = snprintf(body, sizeof body,
			 "{\"ok\":true,\"result\":{\"lang\":\"%s\",\"logged_in\":%s,\"password_set\":%s,\"csrf\":\"%s\"}}",
			 lang_of(c), logged_in(s, c) ? "true" : "false",
			 web_auth_has_password(s->auth) ? "true" : "false", tok);
	return web_reply(c, MHD_HTTP_OK, "application/json", body, (size_t)n, set_cookie);
}

static json_object *parse_body(const char *body, size_t len)
{
	json_tokener *t = json_tokener_new_ex(8);
	if (!t)
		return NULL;
	json_object *o = json_tokener_parse_ex(t, body, (int)len);
	bool whole = json_tokener_get_error(t) == json_tokener_success &&
		     (size_t)json_tokener_get_parse_end(t) == len;
	json_tokener_free(t);
	if (!whole || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static enum MHD_Result login(struct web_server *s, struct MHD_Connection *c, json_object *in)
{
	const char *pw = jstr(in, "password");
	if (!pw)
		return web_error(c, MHD_HTTP_BAD_REQUEST, "bad_request", "\"password\" (a string) is missing");
	char tok[WEB_TOKEN_LEN + 1];
	int r = web_auth_login(s->auth, pw, tok);
	if (r == -ENOENT)
		return web_error(c, MHD_HTTP_FORBIDDEN, "no_password",
				 "no password is set: run 'evgw-web --set-password' on the bench unit");
	if (r == -EAGAIN)
		return web_error(c, MHD_HTTP_TOO_MANY_REQUESTS, "limit", "too many failed logins: wait a second");
	if (r == -EACCES)
		return web_error(c, MHD_HTTP_FORBIDDEN, "wrong_password", "wrong password");
	if (r < 0)
		return web_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", strerror(-r));
	char set[200];
	snprintf(set, sizeof set, SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%u", tok,
		 s->auth->session_seconds);
	static const char ok[] = "{\"ok\":true,\"result\":{}}";
	return web_reply(c, MHD_HTTP_OK, "application/json", ok, sizeof ok - 1, set);
}

/* Forward req to evgwd and pass its reply on. */
static enum MHD_Result forward(struct web_server *s, struct MHD_Connection *c, json_object *req, int timeout_ms)
{
	size_t n;
	const char *line = json_object_to_json_string_length(req, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE,
							      &n);
	char *reply = NULL, err[300];
	size_t rl;
	int r = web_daemon_request(s->cfg->socket, line, n, timeout_ms, &reply, &rl, err, sizeof err);
	if (r < 0)
		return web_error(c, MHD_HTTP_BAD_GATEWAY, "daemon_down", err);
	enum MHD_Result ret = web_reply(c, MHD_HTTP_OK, "application/json", reply, rl, NULL);
	free(reply);
	return ret;
}

/* A query argument as a bounded string, added to req when present. */
static bool add_arg(struct MHD_Connection *c, json_object *req, const char *name)
{
	const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
	if (!v)
		return true;
	if (strlen(v) > 256)
		return false;
	json_object_object_add(req, name, json_object_new_string(v));
	return true;
}

/* What a GET may ask: nothing that sends a frame on a vehicle bus (those
 * are POSTs, with the CSRF token). */
static const char *const read_cmds[] = {"hello", "status", "buses", "signals", "faults", "ecus",
					"dbc", "charging", NULL};
/* Arguments of those, from the query string. */
static const char *const read_args[] = {"bus", "glob", "status", NULL};

static enum MHD_Result read_cmd(struct web_server *s, struct MHD_Connection *c, const char *cmd)
{
	json_object *req = json_object_new_object();
	json_object_object_add(req, "cmd", json_object_new_string(cmd));
	json_object_object_add(req, "id", json_object_new_int(1));
	json_object_object_add(req, "lang", json_object_new_string(lang_of(c)));
	for (unsigned i = 0; read_args[i]; i++)
		if (!add_arg(c, req, read_args[i])) {
			json_object_put(req);
			return web_error(c, MHD_HTTP_BAD_REQUEST, "bad_request", "an argument is over 256 bytes");
		}
	const char *h = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "history");
	if (h && (!strcmp(h, "1") || !strcmp(h, "true")))
		json_object_object_add(req, "history", json_object_new_boolean(1));
	enum MHD_Result ret = forward(s, c, req, 10000);
	json_object_put(req);
	return ret;
}

/* POSTed commands: what the page may send, which need a login. */
static const struct {
	const char *cmd;
	bool login;
	const char *args[5];
} post_cmds[] = {
	{"read-dtc", false, {"bus", "ecu", NULL}},
	{"battery", false, {"bus", NULL}},
	{"vin", false, {"bus", "ecu", NULL}},
	{"read-pids", false, {"bus", "ecu", NULL}},
	{"clear-dtc", true, {"bus", "ecu", "dm", NULL}},
	{"record", true, {"action", "bus", "file", "rotate_bytes", NULL}},
};

static enum MHD_Result post_cmd(struct web_server *s, struct MHD_Connection *c, const char *what, json_object *in)
{
	for (size_t i = 0; i < sizeof post_cmds / sizeof post_cmds[0]; i++) {
		if (strcmp(what, post_cmds[i].cmd))
			continue;
		if (post_cmds[i].login && !logged_in(s, c))
			return web_error(c, MHD_HTTP_UNAUTHORIZED, "login_required",
					 "log in first: this changes the vehicle or the bench unit");
		json_object *req = json_object_new_object();
		json_object_object_add(req, "cmd", json_object_new_string(what));
		json_object_object_add(req, "id", json_object_new_int(1));
		json_object_object_add(req, "lang", json_object_new_string(lang_of(c)));
		for (unsigned k = 0; post_cmds[i].args[k]; k++) {
			json_object *v;
			if (json_object_object_get_ex(in, post_cmds[i].args[k], &v) &&
			    (json_object_is_type(v, json_type_string) || json_object_is_type(v, json_type_int)))
				json_object_object_add(req, post_cmds[i].args[k], json_object_get(v));
		}
		/* Asking every ECU of a profile takes a while per ECU. */
		enum MHD_Result ret = forward(s, c, req, 60000);
		json_object_put(req);
		return ret;
	}
	return web_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no such API request");
}

/* Browsers say where a request comes from (Fetch Metadata): another site's
 * page may not even read through the API. */
bool web_same_site(struct MHD_Connection *c)
{
	const char *site = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site");
	return !site || !strcmp(site, "same-origin") || !strcmp(site, "none");
}

enum MHD_Result web_api(struct web_server *s, struct MHD_Connection *c, const char *what, bool post,
			const char *body, size_t len)
{
	if (!web_same_site(c))
		return web_error(c, MHD_HTTP_FORBIDDEN, "csrf", "the request comes from another site (Sec-Fetch-Site)");
	if (!post) {
		if (!strcmp(what, "session"))
			return session_info(s, c);
		for (unsigned i = 0; read_cmds[i]; i++)
			if (!strcmp(what, read_cmds[i]))
				return read_cmd(s, c, what);
		return web_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no such API request (GET)");
	}
	const char *why;
	if (!csrf_ok(c, &why))
		return web_error(c, MHD_HTTP_FORBIDDEN, "csrf", why);
	json_object *in = parse_body(body, len);
	if (!in)
		return web_error(c, MHD_HTTP_BAD_REQUEST, "bad_json", "the body is not one JSON object");
	enum MHD_Result ret;
	if (!strcmp(what, "login")) {
		ret = login(s, c, in);
	} else if (!strcmp(what, "logout")) {
		const char *t = cookie(c, SESSION_COOKIE);
		if (token_shaped(t))
			web_auth_logout(s->auth, t);
		static const char ok[] = "{\"ok\":true,\"result\":{}}";
		ret = web_reply(c, MHD_HTTP_OK, "application/json", ok, sizeof ok - 1,
				SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	} else {
		ret = post_cmd(s, c, what, in);
	}
	json_object_put(in);
	return ret;
}
