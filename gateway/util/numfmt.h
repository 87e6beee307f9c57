// SPDX-License-Identifier: MIT
/* Numbers to text without printf, for the paths that print millions of
 * values (decoded logs, live signal streams): integers, fixed-point values
 * held as a scaled integer, and a double at a given number of decimals.
 *
 * Each writer stores its text at p (no terminator) and returns the end.
 * The caller provides room: EVGW_NUMFMT_MAX bytes always suffice. */
#ifndef EVGW_UTIL_NUMFMT_H
#define EVGW_UTIL_NUMFMT_H

#include <stdbool.h>
#include <stdint.h>

/* "-" + 20 digits + "." + up to 19 leading fraction zeros, or a
 * "%.17g" double ("-2.2250738585072014e-308" is 24). */
#define EVGW_NUMFMT_MAX 48

/* The most decimals a fixed-point value is printed with; past this a
 * scale gains nothing over the shortest round-trip form. */
#define EVGW_NUMFMT_MAX_DECIMALS 9

/* "00".."99": two digits at a time. */
extern const char evgw_digit_pairs[201];

/* Values of three digits and more; evgw_fmt_u64 for all. */
char *evgw_fmt_u64_long(char *p, uint64_t v);

/* Inline for the small values most signals hold (flags, counters, enums):
 * a call through two files cost more than the digits. */
static inline char *evgw_fmt_u64(char *p, uint64_t v)
{
	if (v < 10) {
		*p = (char)('0' + v);
		return p + 1;
	}
	if (v < 100) {
		__builtin_memcpy(p, evgw_digit_pairs + 2 * v, 2);
		return p + 2;
	}
	return evgw_fmt_u64_long(p, v);
}

static inline char *evgw_fmt_i64(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return evgw_fmt_u64(p, 0 - (uint64_t)v);
	}
	return evgw_fmt_u64(p, (uint64_t)v);
}

/* v / 10^decimals with exactly `decimals` fraction digits ("0.05",
 * "-12.5", "3" for decimals 0); a zero value has no sign. decimals is
 * 0..EVGW_NUMFMT_MAX_DECIMALS. */
char *evgw_fmt_scaled(char *p, int64_t v, int decimals);

/* The same, then trailing zeros dropped past min_decimals (and the point
 * when none remain): 30.00000000 at min 3 is "30.000", 30.00390625 stays. */
char *evgw_fmt_scaled_trim(char *p, int64_t v, int decimals, int min_decimals);

/* A finite double at `decimals` fraction digits: v * 10^decimals rounded to
 * the nearest integer, then evgw_fmt_scaled_trim. Returns NULL, writing nothing,
 * when decimals is out of range or |v| * 10^decimals reaches 2^50 (past
 * that the rounding could land on a neighbour); the caller then falls back
 * to evgw_fmt_double. */
char *evgw_fmt_fixed(char *p, double v, int decimals, int min_decimals);

/* A finite double in the fewest of 15, 16 or 17 significant digits that
 * read back to the same double; integers below 2^53 without a fraction or
 * exponent. */
char *evgw_fmt_double(char *p, double v);

/* Microseconds as seconds with six decimals, "1764340000.010000" (a
 * negative time with its sign in front: "-1.500000"). */
char *evgw_fmt_epoch_us(char *p, int64_t us);

/* 10^d for d in 0..EVGW_NUMFMT_MAX_DECIMALS. */
extern const double evgw_pow10[EVGW_NUMFMT_MAX_DECIMALS + 1];

#endif
