// SPDX-License-Identifier: MIT
/* A strict RFC 8259 check of one request line, run before json-c sees it:
 * json-c's tokener is lenient (single quotes, comments, NaN, trailing
 * commas, leading zeros) and re-writes numbers, so the daemon decides what
 * is JSON here and echoes the request's "id" from its own bytes.
 *
 * Accepted: exactly one JSON object, optionally surrounded by whitespace
 * (space, tab, CR, LF), strings in valid UTF-8, values nested at most
 * EVGW_JSON_MAX_DEPTH levels deep: the object is level 1, a member or an
 * element is one level below its container, so an empty array or object
 * may be the 32nd level and a non-empty one may not (json-c's tokener, made
 * with the same depth, counts the same way). The top-level key
 * "id" may appear once; a second one is an error (which value would be
 * echoed?). Other repeated keys are allowed, as RFC 8259 allows them.
 * No allocation, no recursion; reads exactly the n bytes given. */
#ifndef EVGW_API_JSON_CHECK_H
#define EVGW_API_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#define EVGW_JSON_MAX_DEPTH 32

struct evgw_json_check {
	size_t col;     /* the error's 1-based byte column (n + 1: the line ended early); 0 if valid */
	char msg[112];  /* "column N: <a sentence for people>"; "" if valid */
	bool has_id;    /* the object has a top-level "id" member */
	size_t id_off;  /* its value's bytes, as written: p[id_off .. id_off + id_len) */
	size_t id_len;
};

/* 0 when p[0..n) is one valid JSON object; -EINVAL otherwise, with the
 * first error's column and sentence in *res. */
int evgw_json_check(const char *p, size_t n, struct evgw_json_check *res);

#endif
