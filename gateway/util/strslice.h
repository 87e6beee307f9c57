// SPDX-License-Identifier: MIT
/* A read-only byte slice: pointer + length into memory someone else owns
 * (usually a DBC file read into memory). Never NUL-terminated. */
#ifndef EVGW_UTIL_STRSLICE_H
#define EVGW_UTIL_STRSLICE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct evgw_str {
	const char *ptr;
	uint32_t len;
};

static inline struct evgw_str evgw_str_make(const char *p, uint32_t len)
{
	struct evgw_str s = {p, len};
	return s;
}

static inline bool evgw_str_eq(struct evgw_str a, struct evgw_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static inline bool evgw_str_eq_cstr(struct evgw_str a, const char *c)
{
	size_t n = strlen(c);
	return a.len == n && (n == 0 || memcmp(a.ptr, c, n) == 0);
}

#endif
