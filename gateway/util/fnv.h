// SPDX-License-Identifier: MIT
/* FNV-1a (Fowler/Noll/Vo, the public-domain reference constants): a small,
 * fast hash for names and messages, where an attacker gains nothing from
 * a collision. One copy for the whole tree. */
#ifndef EVGW_UTIL_FNV_H
#define EVGW_UTIL_FNV_H

#include <stddef.h>
#include <stdint.h>

#define EVGW_FNV32_INIT 2166136261u
#define EVGW_FNV64_INIT 1469598103934665603ull

static inline uint32_t evgw_fnv32(uint32_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

static inline uint64_t evgw_fnv64(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

#endif
