// SPDX-License-Identifier: MIT
#include "util/json_member.h"

#include <inttypes.h>
#include <string.h>

void evgw_json_member_str(struct evgw_textbuf *tb, const char *key, const char *v)
{
	evgw_textbuf_printf(tb, ",\"%s\":", key);
	evgw_textbuf_json_string(tb, v, strlen(v), false);
}

void evgw_json_member_str_or_null(struct evgw_textbuf *tb, const char *key, const char *v)
{
	if (v && v[0])
		evgw_json_member_str(tb, key, v);
	else
		evgw_textbuf_printf(tb, ",\"%s\":null", key);
}

void evgw_json_member_time(struct evgw_textbuf *tb, const char *key, int64_t us)
{
	evgw_textbuf_printf(tb, ",\"%s\":%" PRId64 ".%06" PRId64, key, us / 1000000, us % 1000000);
}
