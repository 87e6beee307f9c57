// SPDX-License-Identifier: MIT
/* Growable text buffer and the JSON encoders built on it. See textbuf.h.
 *
 * The buffer is kept NUL-terminated whenever buf is non-NULL, so callers may
 * hand tb->buf to string functions; len never counts the terminator. */
#include "util/textbuf.h"

#include "util/numfmt.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXTBUF_MIN_CAP 64

void evgw_textbuf_init(struct evgw_textbuf *tb)
{
	tb->buf = NULL;
	tb->len = 0;
	tb->cap = 0;
	tb->failed = false;
}

/* Zeroing after free makes a second free (or a free of a zeroed buffer)
 * harmless. */
void evgw_textbuf_free(struct evgw_textbuf *tb)
{
	free(tb->buf);
	evgw_textbuf_init(tb);
}

/* Keeps the allocation for reuse. Clears failed too: a new message gets a
 * fresh chance, and the old partial text is gone anyway. */
void evgw_textbuf_reset(struct evgw_textbuf *tb)
{
	tb->len = 0;
	tb->failed = false;
	if (tb->buf)
		tb->buf[0] = '\0';
}

/* Make room for `extra` more bytes plus the terminator. On failure (size
 * overflow or realloc) marks the buffer failed and leaves it as it was. */
static bool textbuf_reserve(struct evgw_textbuf *tb, size_t extra)
{
	if (tb->failed)
		return false;
	if (extra > SIZE_MAX - 1 - tb->len) {
		tb->failed = true;
		return false;
	}
	size_t need = tb->len + extra + 1;
	if (need <= tb->cap)
		return true;
	size_t cap = tb->cap ? tb->cap : TEXTBUF_MIN_CAP;
	while (cap < need) {
		if (cap > SIZE_MAX / 2) {
			cap = need;
			break;
		}
		cap *= 2;
	}
	char *nb = realloc(tb->buf, cap);
	if (!nb) {
		tb->failed = true;
		return false;
	}
	tb->buf = nb;
	tb->cap = cap;
	return true;
}

void evgw_textbuf_append_slow(struct evgw_textbuf *tb, const char *p, size_t n)
{
	if (!textbuf_reserve(tb, n))
		return;
	if (n)
		memcpy(tb->buf + tb->len, p, n);
	tb->len += n;
	tb->buf[tb->len] = '\0';
}

char *evgw_textbuf_reserve(struct evgw_textbuf *tb, size_t n)
{
	if (!textbuf_reserve(tb, n))
		return NULL;
	return tb->buf + tb->len;
}

void evgw_textbuf_u64(struct evgw_textbuf *tb, uint64_t v)
{
	char *p = evgw_textbuf_reserve(tb, EVGW_NUMFMT_MAX);
	if (p)
		evgw_textbuf_commit(tb, evgw_fmt_u64(p, v));
}

void evgw_textbuf_i64(struct evgw_textbuf *tb, int64_t v)
{
	char *p = evgw_textbuf_reserve(tb, EVGW_NUMFMT_MAX);
	if (p)
		evgw_textbuf_commit(tb, evgw_fmt_i64(p, v));
}

void evgw_textbuf_puts(struct evgw_textbuf *tb, const char *s)
{
	evgw_textbuf_append(tb, s, strlen(s));
}

/* Format straight into the spare capacity; only when that is too small,
 * grow once to the exact size and format again. */
void evgw_textbuf_printf(struct evgw_textbuf *tb, const char *fmt, ...)
{
	if (tb->failed)
		return;
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	size_t room = tb->cap > tb->len ? tb->cap - tb->len : 0;
	char *dst = tb->buf ? tb->buf + tb->len : NULL;
	int r = vsnprintf(dst, room, fmt, ap);
	va_end(ap);
	if (r < 0) {
		/* An encoding error: the text is incomplete, so say so. */
		tb->failed = true;
	} else if ((size_t)r < room) {
		tb->len += (size_t)r;
	} else if (textbuf_reserve(tb, (size_t)r)) {
		vsnprintf(tb->buf + tb->len, (size_t)r + 1, fmt, ap2);
		tb->len += (size_t)r;
	} else if (tb->buf) {
		tb->buf[tb->len] = '\0'; /* undo the truncated partial output */
	}
	va_end(ap2);
}

/* ---- Reading the input, with DBC escapes undone on the fly ---- */

/* Yields the logical bytes of a string without copying it, so validation
 * and conversion can each make their own pass over the same input. */
struct byte_reader {
	const unsigned char *p;
	size_t n;
	size_t i;
	bool dbc_escapes;
};

static void reader_init(struct byte_reader *r, const char *p, size_t n, bool dbc_escapes)
{
	r->p = (const unsigned char *)p;
	r->n = n;
	r->i = 0;
	r->dbc_escapes = dbc_escapes;
}

/* A backslash followed by any byte stands for that byte; a backslash at the
 * very end has nothing to escape and is kept as itself. */
static bool reader_next(struct byte_reader *r, unsigned char *out)
{
	if (r->i >= r->n)
		return false;
	if (r->dbc_escapes && r->p[r->i] == '\\' && r->i + 1 < r->n)
		r->i++;
	*out = r->p[r->i++];
	return true;
}

/* ---- UTF-8 validation (RFC 3629) ---- */

/* For a lead byte, the sequence length and the allowed range of the second
 * byte. The narrowed ranges are what reject overlongs (E0, F0), surrogates
 * (ED) and code points above U+10FFFF (F4). */
static bool utf8_lead(unsigned char b, int *len, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (b < 0x80)
		*len = 1;
	else if (b >= 0xC2 && b <= 0xDF)
		*len = 2;
	else if (b >= 0xE0 && b <= 0xEF)
		*len = 3;
	else if (b >= 0xF0 && b <= 0xF4)
		*len = 4;
	else
		return false; /* continuation byte, C0/C1 overlong lead, F5..FF */
	if (b == 0xE0)
		*lo = 0xA0;
	else if (b == 0xED)
		*hi = 0x9F;
	else if (b == 0xF0)
		*lo = 0x90;
	else if (b == 0xF4)
		*hi = 0x8F;
	return true;
}

static bool utf8_valid_reader(struct byte_reader *r)
{
	unsigned char b;
	while (reader_next(r, &b)) {
		int len;
		unsigned char lo, hi;
		if (!utf8_lead(b, &len, &lo, &hi))
			return false;
		for (int k = 1; k < len; k++) {
			if (!reader_next(r, &b) || b < lo || b > hi)
				return false;
			lo = 0x80;
			hi = 0xBF;
		}
	}
	return true;
}

bool evgw_utf8_valid(const char *p, size_t n)
{
	struct byte_reader r;
	reader_init(&r, p, n, false);
	return utf8_valid_reader(&r);
}

/* ---- JSON strings ---- */

/* Windows-1252 0x80..0x9F. The five bytes the code page leaves undefined
 * (81, 8D, 8F, 90, 9D) become U+FFFD rather than the same-numbered C1
 * controls: they are almost certainly damage, and a replacement character
 * shows that instead of hiding an invisible control in the output. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

/* Emit one byte inside a JSON string: escaped when JSON requires it, else
 * as is (bytes >= 0x80 here are parts of valid UTF-8). DEL and '/' need no
 * escape. */
static void json_put_byte(struct evgw_textbuf *tb, unsigned char b)
{
	static const char hex[] = "0123456789abcdef";
	switch (b) {
	case '"': evgw_textbuf_append(tb, "\\\"", 2); return;
	case '\\': evgw_textbuf_append(tb, "\\\\", 2); return;
	case '\n': evgw_textbuf_append(tb, "\\n", 2); return;
	case '\r': evgw_textbuf_append(tb, "\\r", 2); return;
	case '\t': evgw_textbuf_append(tb, "\\t", 2); return;
	case '\b': evgw_textbuf_append(tb, "\\b", 2); return;
	case '\f': evgw_textbuf_append(tb, "\\f", 2); return;
	default: break;
	}
	if (b < 0x20) {
		char esc[6] = { '\\', 'u', '0', '0', hex[b >> 4], hex[b & 0xF] };
		evgw_textbuf_append(tb, esc, sizeof esc);
		return;
	}
	evgw_textbuf_putc(tb, (char)b);
}

/* Code points here are all in the BMP (at most U+FFFD). */
static void put_utf8_bmp(struct evgw_textbuf *tb, uint16_t cp)
{
	char out[3];
	size_t n;
	if (cp < 0x80) {
		out[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	}
	evgw_textbuf_append(tb, out, n);
}

static void json_put_cp1252(struct evgw_textbuf *tb, unsigned char b)
{
	if (b < 0x80)
		json_put_byte(tb, b);
	else if (b < 0xA0)
		put_utf8_bmp(tb, cp1252_high[b - 0x80]);
	else
		put_utf8_bmp(tb, b); /* A0..FF equal U+00A0..U+00FF */
}

/* Two passes over the input through the reader: the first decides the
 * encoding for the whole string (mixing per byte would garble text that is
 * valid in neither), the second emits. No copy is made. */
void evgw_textbuf_json_string(struct evgw_textbuf *tb, const char *p, size_t n, bool dbc_escapes)
{
	/* Most texts (names, units, bus names) are printable ASCII with
	 * nothing to escape: then one copy. */
	size_t i = 0;
	while (i < n) {
		unsigned char b = (unsigned char)p[i];
		if (b < 0x20 || b >= 0x7F || b == '"' || b == '\\')
			break;
		i++;
	}
	if (i == n) {
		char *dst = evgw_textbuf_reserve(tb, n + 2);
		if (!dst)
			return;
		dst[0] = '"';
		if (n)
			memcpy(dst + 1, p, n);
		dst[n + 1] = '"';
		evgw_textbuf_commit(tb, dst + n + 2);
		return;
	}
	struct byte_reader r;
	reader_init(&r, p, n, dbc_escapes);
	bool utf8 = utf8_valid_reader(&r);

	reader_init(&r, p, n, dbc_escapes);
	evgw_textbuf_putc(tb, '"');
	unsigned char b;
	while (reader_next(&r, &b)) {
		if (utf8)
			json_put_byte(tb, b);
		else
			json_put_cp1252(tb, b);
	}
	evgw_textbuf_putc(tb, '"');
}

/* ---- JSON numbers ---- */

void evgw_textbuf_json_double(struct evgw_textbuf *tb, double v)
{
	if (isnan(v)) {
		evgw_textbuf_puts(tb, "\"nan\"");
		return;
	}
	if (isinf(v)) {
		evgw_textbuf_puts(tb, v > 0 ? "\"inf\"" : "\"-inf\"");
		return;
	}
	char *p = evgw_textbuf_reserve(tb, EVGW_NUMFMT_MAX);
	if (p)
		evgw_textbuf_commit(tb, evgw_fmt_double(p, v));
}

void evgw_textbuf_value(struct evgw_textbuf *tb, double v, int decimals, int min_decimals)
{
	char *p = evgw_textbuf_reserve(tb, EVGW_NUMFMT_MAX);
	if (!p)
		return;
	char *end = evgw_fmt_fixed(p, v, decimals, min_decimals);
	if (end)
		evgw_textbuf_commit(tb, end);
	else
		evgw_textbuf_json_double(tb, v);
}
