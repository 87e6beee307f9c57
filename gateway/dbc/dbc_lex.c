// SPDX-License-Identifier: MIT
#include "dbc/dbc_lex.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void dbc_lex_init(struct dbc_lex *lx, const char *text, size_t len)
{
	lx->base = text;
	lx->p = text;
	lx->end = text + len;
	lx->line_start = text;
	lx->line = 1;
	/* A UTF-8 byte-order mark is not part of the grammar. */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		lx->p += 3;
		lx->line_start = lx->p;
	}
}

static inline void lex_newline(struct dbc_lex *lx, const char *after)
{
	lx->line++;
	lx->line_start = after;
}

void dbc_lex_skip_ws(struct dbc_lex *lx)
{
	const char *p = lx->p, *end = lx->end;
	while (p < end) {
		char c = *p;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			p++;
		} else if (c == '\n') {
			p++;
			lex_newline(lx, p);
		} else if (c == '/' && p + 1 < end && p[1] == '/') {
			/* C++-style line comments: not in the grammar, common in the wild. */
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			p = nl ? nl : end;
		} else {
			break;
		}
	}
	lx->p = p;
}

bool dbc_lex_skip_blank_to_eol(struct dbc_lex *lx)
{
	const char *p = lx->p, *end = lx->end;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	if (p + 1 < end && p[0] == '/' && p[1] == '/') {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl : end;
	}
	lx->p = p;
	return p >= end || *p == '\n';
}

void dbc_lex_skip_line(struct dbc_lex *lx)
{
	const char *nl = memchr(lx->p, '\n', (size_t)(lx->end - lx->p));
	if (!nl) {
		lx->p = lx->end;
		return;
	}
	lx->p = nl + 1;
	lex_newline(lx, lx->p);
}

static inline bool is_ident_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool dbc_lex_ident(struct dbc_lex *lx, struct dbc_text *out)
{
	dbc_lex_skip_ws(lx);
	const char *s = lx->p, *p = s, *end = lx->end;
	while (p < end && is_ident_char((unsigned char)*p))
		p++;
	if (p == s)
		return false;
	*out = dbc_lex_text(lx, s, p);
	lx->p = p;
	return true;
}

bool dbc_lex_punct(struct dbc_lex *lx, char c)
{
	dbc_lex_skip_ws(lx);
	if (lx->p < lx->end && *lx->p == c) {
		lx->p++;
		return true;
	}
	return false;
}

int dbc_lex_string(struct dbc_lex *lx, struct dbc_text *out)
{
	dbc_lex_skip_ws(lx);
	if (lx->p >= lx->end || *lx->p != '"')
		return -1;
	const char *s = lx->p + 1, *p = s, *end = lx->end;
	for (;;) {
		/* memchr finds the candidates fast; escapes and newlines are rare. */
		const char *q = memchr(p, '"', (size_t)(end - p));
		if (!q)
			return -2;
		/* Count newlines and check the quote is not escaped. */
		for (const char *n = p; n < q; n++) {
			if (*n == '\\' && n + 1 < q) {
				if (n[1] == '\n')
					lex_newline(lx, n + 2);
				n++;
			} else if (*n == '\n') {
				lex_newline(lx, n + 1);
			}
		}
		size_t bs = 0;
		for (const char *b = q; b > s && b[-1] == '\\'; b--)
			bs++;
		if (bs % 2 == 0) {
			*out = dbc_lex_text(lx, s, q);
			lx->p = q + 1;
			return 0;
		}
		p = q + 1;
	}
}

static inline int hex_digit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool lex_uint_here(struct dbc_lex *lx, uint64_t *out)
{
	const char *p = lx->p, *end = lx->end;
	uint64_t v = 0;
	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && hex_digit((unsigned char)p[2]) >= 0) {
		p += 2;
		int d;
		while (p < end && (d = hex_digit((unsigned char)*p)) >= 0) {
			if (v > (UINT64_MAX >> 4))
				return false;
			v = (v << 4) | (uint64_t)d;
			p++;
		}
	} else {
		const char *s = p;
		while (p < end && *p >= '0' && *p <= '9') {
			unsigned d = (unsigned)(*p - '0');
			if (v > (UINT64_MAX - d) / 10)
				return false;
			v = v * 10 + d;
			p++;
		}
		if (p == s)
			return false;
	}
	/* "12abc" is not a number. */
	if (p < end && is_ident_char((unsigned char)*p))
		return false;
	*out = v;
	lx->p = p;
	return true;
}

bool dbc_lex_uint(struct dbc_lex *lx, uint64_t *out)
{
	dbc_lex_skip_ws(lx);
	if (lx->p < lx->end && *lx->p == '+')
		lx->p++;
	return lex_uint_here(lx, out);
}

bool dbc_lex_int(struct dbc_lex *lx, int64_t *out)
{
	dbc_lex_skip_ws(lx);
	const char *save = lx->p;
	bool neg = false;
	if (lx->p < lx->end && (*lx->p == '-' || *lx->p == '+')) {
		neg = *lx->p == '-';
		lx->p++;
	}
	uint64_t u;
	if (!lex_uint_here(lx, &u)) {
		lx->p = save;
		return false;
	}
	if (neg ? u > (uint64_t)INT64_MAX + 1 : u > (uint64_t)INT64_MAX) {
		lx->p = save;
		return false;
	}
	*out = neg ? (int64_t)(0 - u) : (int64_t)u;
	return true;
}

/* Powers of ten that are exact doubles (10^0..10^22). */
static const double exact_pow10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

bool dbc_lex_double(struct dbc_lex *lx, double *out)
{
	dbc_lex_skip_ws(lx);
	const char *s = lx->p, *p = s, *end = lx->end;
	bool neg = false;
	if (p < end && (*p == '-' || *p == '+')) {
		neg = *p == '-';
		p++;
	}
	uint64_t mant = 0;
	int digits = 0, exp10 = 0, int_digits = 0, frac_digits = 0;
	while (p < end && *p >= '0' && *p <= '9') {
		if (mant < 1000000000000000000ull) {
			mant = mant * 10 + (uint64_t)(*p - '0');
			if (mant)
				digits++;
		} else {
			exp10++;
			digits++;
		}
		int_digits++;
		p++;
	}
	if (p < end && *p == '.') {
		p++;
		while (p < end && *p >= '0' && *p <= '9') {
			if (mant < 1000000000000000000ull) {
				mant = mant * 10 + (uint64_t)(*p - '0');
				exp10--;
				if (mant)
					digits++;
			}
			frac_digits++;
			p++;
		}
	}
	if (int_digits + frac_digits == 0)
		return false;
	if (p < end && (*p == 'e' || *p == 'E')) {
		const char *e = p + 1;
		bool eneg = false;
		if (e < end && (*e == '-' || *e == '+')) {
			eneg = *e == '-';
			e++;
		}
		if (e >= end || *e < '0' || *e > '9')
			return false;
		int ev = 0;
		while (e < end && *e >= '0' && *e <= '9') {
			if (ev < 100000)
				ev = ev * 10 + (*e - '0');
			e++;
		}
		exp10 += eneg ? -ev : ev;
		p = e;
	}
	if (p < end && (is_ident_char((unsigned char)*p) || *p == '.'))
		return false;
	double v;
	/* Clinger's fast path: both operands exact, one rounding. */
	if (digits <= 15 && mant < (1ull << 53) && exp10 >= -22 && exp10 <= 22) {
		v = (double)mant;
		v = exp10 < 0 ? v / exact_pow10[-exp10] : v * exact_pow10[exp10];
	} else {
		char buf[128];
		size_t n = (size_t)(p - s);
		if (n >= sizeof buf)
			return false;
		memcpy(buf, s, n);
		buf[n] = '\0';
		v = strtod(buf, NULL);
		neg = false;
	}
	*out = neg ? -v : v;
	lx->p = p;
	return true;
}

void dbc_lex_skip_statement(struct dbc_lex *lx)
{
	while (lx->p < lx->end) {
		char c = *lx->p;
		if (c == ';') {
			lx->p++;
			return;
		}
		if (c == '"') {
			struct dbc_text t;
			if (dbc_lex_string(lx, &t) < 0) {
				lx->p = lx->end;
				return;
			}
			continue;
		}
		if (c == '\n') {
			lx->p++;
			lex_newline(lx, lx->p);
			continue;
		}
		lx->p++;
	}
}
