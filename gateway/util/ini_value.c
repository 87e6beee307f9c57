// SPDX-License-Identifier: MIT
/* The value scanners shared by evgw.conf and the vehicle profiles (the
 * forms are listed in ini_value.h). Every value is untrusted text: the
 * scanners read only what they accept and quote values through
 * evgw_ini_shown(). */
#include "util/ini_value.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static int hex_digit(char ch)
{
	if (is_digit(ch))
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Digits in base at *s (at least one), saturating at UINT64_MAX. */
static bool scan_digits(const char **s, unsigned base, uint64_t *v)
{
	const char *p = *s;
	uint64_t n = 0;
	int d;

	for (; (d = hex_digit(*p)) >= 0 && (unsigned)d < base; p++)
		n = n > (UINT64_MAX - (unsigned)d) / base ? UINT64_MAX : n * base + (unsigned)d;
	if (p == *s)
		return false;
	*s = p;
	*v = n;
	return true;
}

bool evgw_ini_scan_uint(const char *s, uint64_t *out)
{
	unsigned base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	return scan_digits(&s, base, out) && *s == '\0';
}

bool evgw_ini_scan_hex(const char *s, size_t len, uint32_t *out)
{
	uint32_t n = 0;

	if (len == 0 || len > 8)
		return false;
	for (size_t i = 0; i < len; i++) {
		int d = hex_digit(s[i]);
		if (d < 0)
			return false;
		n = n << 4 | (uint32_t)d;
	}
	*out = n;
	return true;
}

bool evgw_ini_scan_bitrate(const char *s, uint64_t *out)
{
	uint64_t ip, frac = 0, scale = 1, mult = 1;

	if (!scan_digits(&s, 10, &ip))
		return false;
	if (*s == '.') {
		const char *f = ++s;
		if (!scan_digits(&s, 10, &frac) || s - f > 6)
			return false;
		while (f++ < s)
			scale *= 10;
	}
	if (*s == 'k' || *s == 'K')
		mult = 1000;
	else if (*s == 'M')
		mult = 1000000;
	if (mult > 1)
		s++;
	if (*s || frac * mult % scale)
		return false;
	*out = ip > UINT32_MAX ? UINT64_MAX : ip * mult + frac * mult / scale;
	return true;
}

bool evgw_ini_scan_bool(const char *s, bool *out)
{
	static const char *const words[] = {"no", "yes", "false", "true", "off", "on", "0", "1", NULL};
	int i = evgw_ini_scan_word(s, words);

	if (i < 0)
		return false;
	*out = i % 2;
	return true;
}

bool evgw_ini_scan_real(const char *s, double *out)
{
	const char *p = s;
	bool digits = false;

	if (*p == '-')
		p++;
	for (; is_digit(*p); p++)
		digits = true;
	if (*p == '.')
		for (p++; is_digit(*p); p++)
			digits = true;
	if (!digits)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!is_digit(*p))
			return false;
		while (is_digit(*p))
			p++;
	}
	if (*p)
		return false;
	*out = strtod(s, NULL); /* the C locale: evgw never calls setlocale() */
	return true;
}

int evgw_ini_scan_word(const char *s, const char *const *words)
{
	for (int i = 0; words[i]; i++)
		if (!strcasecmp(s, words[i]))
			return i;
	return -1;
}

const char *evgw_ini_next_item(const char **p, size_t *len)
{
	const char *s = *p;

	while (*s == ',' || *s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return NULL;
	*len = strcspn(s, ", \t");
	*p = s + *len;
	return s;
}

const char *evgw_ini_word_list(const char *const *words, char *out, size_t cap)
{
	size_t n = 0;

	out[0] = '\0';
	for (int i = 0; words[i] && n < cap; i++) {
		const char *sep = i == 0 ? "" : words[i + 1] ? ", " : " or ";
		int w = snprintf(out + n, cap - n, "%s%s", sep, words[i]);
		n += w > 0 ? (size_t)w : 0;
	}
	return out;
}

/* --- with messages --- */

static const char *shown(char out[EVGW_INI_SHOW], const char *v)
{
	return evgw_ini_shown(out, v, strlen(v));
}

bool evgw_ini_uint(struct evgw_ini *ini, const char *key, const char *v, uint64_t min, uint64_t max,
		   uint64_t *out)
{
	char s[EVGW_INI_SHOW];
	uint64_t n;

	if (!evgw_ini_scan_uint(v, &n))
		return evgw_ini_fail(ini, "%s: '%s' is not a number", key, shown(s, v));
	if (n < min || n > max)
		return evgw_ini_fail(ini, "%s: %s out of range (%llu..%llu)", key, shown(s, v),
				     (unsigned long long)min, (unsigned long long)max);
	*out = n;
	return true;
}

bool evgw_ini_bitrate(struct evgw_ini *ini, const char *key, const char *v, bool data_phase, uint32_t *out)
{
	uint64_t max = data_phase ? EVGW_INI_DATA_BITRATE_MAX : EVGW_INI_BITRATE_MAX;
	char s[EVGW_INI_SHOW];
	uint64_t n;

	if (!evgw_ini_scan_bitrate(v, &n))
		return evgw_ini_fail(ini, "%s: '%s' is not a bit rate (e.g. 500000, 500k, 83.333k, 1M)", key,
				     shown(s, v));
	if (n < EVGW_INI_BITRATE_MIN || n > max)
		return evgw_ini_fail(ini, "%s: %s out of range (%u..%llu)", key, shown(s, v), EVGW_INI_BITRATE_MIN,
				     (unsigned long long)max);
	*out = (uint32_t)n;
	return true;
}

bool evgw_ini_bool(struct evgw_ini *ini, const char *key, const char *v, bool *out)
{
	char s[EVGW_INI_SHOW];

	if (!evgw_ini_scan_bool(v, out))
		return evgw_ini_fail(ini, "%s: '%s' is not yes/no, true/false, on/off or 1/0", key, shown(s, v));
	return true;
}

bool evgw_ini_real(struct evgw_ini *ini, const char *key, const char *v, double min, double max, double *out)
{
	char s[EVGW_INI_SHOW];
	double d;

	if (!evgw_ini_scan_real(v, &d))
		return evgw_ini_fail(ini, "%s: '%s' is not a number", key, shown(s, v));
	if (!isfinite(d) || d < min || d > max) {
		if (isfinite(min) && isfinite(max))
			return evgw_ini_fail(ini, "%s: %s out of range (%.15g..%.15g)", key, shown(s, v), min, max);
		return evgw_ini_fail(ini, "%s: %s out of range", key, shown(s, v));
	}
	*out = d;
	return true;
}

bool evgw_ini_word(struct evgw_ini *ini, const char *key, const char *v, const char *const *words, int *out)
{
	char s[EVGW_INI_SHOW], list[256];
	int i = evgw_ini_scan_word(v, words);

	if (i < 0)
		return evgw_ini_fail(ini, "%s: '%s' is not %s", key, shown(s, v),
				     evgw_ini_word_list(words, list, sizeof list));
	*out = i;
	return true;
}

bool evgw_ini_text(struct evgw_ini *ini, const char *key, const char *v, char *dst, size_t cap)
{
	size_t n = strlen(v);

	if (n >= cap)
		return evgw_ini_fail(ini, "%s: longer than %zu bytes", key, cap - 1);
	memcpy(dst, v, n + 1);
	return true;
}

bool evgw_ini_one_word(struct evgw_ini *ini, const char *key, const char *v)
{
	if (strpbrk(v, " \t"))
		return evgw_ini_fail(ini, "%s: must be one word (inline comments start with ' ;')", key);
	return true;
}
