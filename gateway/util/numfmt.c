// SPDX-License-Identifier: MIT
/* Numbers to text; see numfmt.h. Digits are produced two at a time from a
 * table, right to left into a scratch buffer, then copied forward. */
#include "util/numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const double evgw_pow10[EVGW_NUMFMT_MAX_DECIMALS + 1] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
};

const char evgw_digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Writes the digits of v ending just before `end`; returns where they start. */
static char *digits_backwards(char *end, uint64_t v)
{
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		end -= 2;
		memcpy(end, evgw_digit_pairs + 2 * r, 2);
	}
	if (v >= 10) {
		end -= 2;
		memcpy(end, evgw_digit_pairs + 2 * v, 2);
	} else {
		*--end = (char)('0' + v);
	}
	return end;
}

static unsigned count_digits(uint64_t v)
{
	unsigned n = 1;
	while (v >= 10000) {
		v /= 10000;
		n += 4;
	}
	return n + (v >= 10) + (v >= 100) + (v >= 1000);
}

char *evgw_fmt_u64_long(char *p, uint64_t v)
{
	char *end = p + count_digits(v);
	digits_backwards(end, v);
	return end;
}

char *evgw_fmt_scaled(char *p, int64_t v, int decimals)
{
	if (decimals <= 0)
		return evgw_fmt_i64(p, v);
	uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	if (v < 0)
		*p++ = '-';
	/* At least decimals + 1 digits, so that there is a "0." in front. */
	char tmp[32];
	char *end = tmp + sizeof tmp;
	char *s = digits_backwards(end, mag);
	while (end - s < decimals + 1)
		*--s = '0';
	size_t int_digits = (size_t)(end - s) - (size_t)decimals;
	memcpy(p, s, int_digits);
	p += int_digits;
	*p++ = '.';
	memcpy(p, s + int_digits, (size_t)decimals);
	return p + decimals;
}

char *evgw_fmt_epoch_us(char *p, int64_t us)
{
	uint64_t mag = us < 0 ? 0 - (uint64_t)us : (uint64_t)us;
	if (us < 0)
		*p++ = '-';
	p = evgw_fmt_u64(p, mag / 1000000);
	*p++ = '.';
	uint32_t frac = (uint32_t)(mag % 1000000);
	memcpy(p, evgw_digit_pairs + 2 * (frac / 10000), 2);
	memcpy(p + 2, evgw_digit_pairs + 2 * (frac / 100 % 100), 2);
	memcpy(p + 4, evgw_digit_pairs + 2 * (frac % 100), 2);
	return p + 6;
}

char *evgw_fmt_scaled_trim(char *p, int64_t v, int decimals, int min_decimals)
{
	/* Trailing zeros dropped from the number itself: one pass of digits. */
	int keep = decimals;
	while (keep > min_decimals && v % 10 == 0) {
		v /= 10;
		keep--;
	}
	return keep ? evgw_fmt_scaled(p, v, keep) : evgw_fmt_i64(p, v);
}

/* 2^50: |x| * 10^d below this leaves the product's rounding error far
 * under half a unit, so llround finds the intended integer. */
#define FIXED_LIMIT 1125899906842624.0

char *evgw_fmt_fixed(char *p, double v, int decimals, int min_decimals)
{
	if (decimals < 0 || decimals > EVGW_NUMFMT_MAX_DECIMALS)
		return NULL;
	double scaled = v * evgw_pow10[decimals];
	if (!(fabs(scaled) < FIXED_LIMIT)) /* also NaN and infinities */
		return NULL;
	return evgw_fmt_scaled_trim(p, (int64_t)llround(scaled), decimals, min_decimals);
}

/* Below 2^53 every integer is exact, so it can go out without "%g"'s
 * exponent or rounding. -0.0 prints as "0". */
#define EXACT_INT_LIMIT 9007199254740992.0

char *evgw_fmt_double(char *p, double v)
{
	if (fabs(v) < EXACT_INT_LIMIT && v == trunc(v))
		return evgw_fmt_i64(p, (int64_t)v);
	/* The fewest of 15, 16 or 17 significant digits that read back to the
	 * same double (17 always do). */
	char num[32];
	int n = 0;
	for (int digits = 15; digits <= 17; digits++) {
		n = snprintf(num, sizeof num, "%.*g", digits, v);
		if (strtod(num, NULL) == v)
			break;
	}
	if (n < 0 || n >= EVGW_NUMFMT_MAX)
		n = 0;
	memcpy(p, num, (size_t)n);
	return p + n;
}
