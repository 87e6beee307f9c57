// SPDX-License-Identifier: MIT
/* `,"key":value` members appended to a JSON object being written, for the
 * writers that share a record's shape (a fault for the socket API and for
 * MQTT). */
#ifndef EVGW_UTIL_JSON_MEMBER_H
#define EVGW_UTIL_JSON_MEMBER_H

#include <stdint.h>

#include "util/textbuf.h"

/* ,"key":"v" (v escaped). */
void evgw_json_member_str(struct evgw_textbuf *tb, const char *key, const char *v);
/* The same, or ,"key":null for NULL or "" ("none", not an empty text). */
void evgw_json_member_str_or_null(struct evgw_textbuf *tb, const char *key, const char *v);
/* ,"key":S.UUUUUU, microseconds as seconds. */
void evgw_json_member_time(struct evgw_textbuf *tb, const char *key, int64_t us);

#endif
