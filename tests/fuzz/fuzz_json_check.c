// SPDX-License-Identifier: MIT
/* libFuzzer target: the request-line validator (gateway/api/json_check.c).
 * Whatever the bytes, it answers 0 or -EINVAL with a column inside the line
 * (or just past it) and a "column N: " sentence. Whenever it accepts, json-c
 * (set up as in server.c) must parse the same bytes, all of them, to an
 * object: the daemon relies on that. The id bytes it points at must be a
 * JSON value of their own, as the reply echoes them. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "api/json_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static json_object *parse(const char *p, size_t n, size_t *end)
{
	struct json_tokener *tok = json_tokener_new_ex(EVGW_JSON_MAX_DEPTH);
	if (!tok)
		abort();
	json_object *o = json_tokener_parse_ex(tok, p, (int)n);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(o);
		o = NULL;
	}
	*end = o ? (size_t)json_tokener_get_parse_end(tok) : 0;
	json_tokener_free(tok);
	return o;
}

static void check_rest_is_ws(const char *p, size_t from, size_t n)
{
	for (size_t i = from; i < n; i++)
		if (!strchr(" \t\r\n", p[i]) || !p[i])
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 20)
		return 0;
	const char *p = (const char *)data;
	struct evgw_json_check r;
	int rc = evgw_json_check(p, size, &r);
	if (rc == -EINVAL) {
		char head[32];
		snprintf(head, sizeof head, "column %zu: ", r.col);
		if (r.col < 1 || r.col > size + 1 || strncmp(r.msg, head, strlen(head)) || r.has_id)
			abort();
		return 0;
	}
	if (rc != 0 || r.col || r.msg[0])
		abort();
	size_t end;
	json_object *o = parse(p, size, &end);
	if (!o || !json_object_is_type(o, json_type_object))
		abort();
	check_rest_is_ws(p, end, size);
	json_object_put(o);
	if (!r.has_id) {
		if (r.id_len)
			abort();
		return 0;
	}
	/* The id's bytes as a reply carries them: a member's value. */
	if (!r.id_len || r.id_off + r.id_len > size)
		abort();
	char *wrapped = malloc(r.id_len + 6);
	if (!wrapped)
		return 0;
	memcpy(wrapped, "{\"v\":", 5);
	memcpy(wrapped + 5, p + r.id_off, r.id_len);
	wrapped[5 + r.id_len] = '}';
	struct evgw_json_check again;
	if (evgw_json_check(wrapped, r.id_len + 6, &again) != 0)
		abort();
	o = parse(wrapped, r.id_len + 6, &end);
	if (!o || end != r.id_len + 6)
		abort();
	json_object_put(o);
	free(wrapped);
	return 0;
}
