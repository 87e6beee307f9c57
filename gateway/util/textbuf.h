// SPDX-License-Identifier: MIT
/* A growable output buffer for text that leaves the program (JSON lines,
 * tables). The frame path does not use it; the CLI and the socket API do. */
#ifndef EVGW_UTIL_TEXTBUF_H
#define EVGW_UTIL_TEXTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct evgw_textbuf {
	char *buf;
	size_t len;
	size_t cap;
	bool failed; /* an allocation (or formatting) failed; appends are ignored */
};

/* buf stays NULL until the first append; after that it is always
 * NUL-terminated. reset empties the text, keeps the memory, clears failed. */
void evgw_textbuf_init(struct evgw_textbuf *tb);
void evgw_textbuf_free(struct evgw_textbuf *tb);
void evgw_textbuf_reset(struct evgw_textbuf *tb);
void evgw_textbuf_append_slow(struct evgw_textbuf *tb, const char *p, size_t n);
void evgw_textbuf_puts(struct evgw_textbuf *tb, const char *s);

/* The common case (room left, not failed) inline: appends are the most
 * frequent call of every text path. */
static inline void evgw_textbuf_append(struct evgw_textbuf *tb, const char *p, size_t n)
{
	if (__builtin_expect(!tb->failed && tb->cap - tb->len > n, 1)) {
		if (n) /* p may be NULL then */
			__builtin_memcpy(tb->buf + tb->len, p, n);
		tb->len += n;
		tb->buf[tb->len] = '\0';
		return;
	}
	evgw_textbuf_append_slow(tb, p, n);
}

static inline void evgw_textbuf_putc(struct evgw_textbuf *tb, char c)
{
	evgw_textbuf_append(tb, &c, 1);
}

/* Room for n more bytes: returns where to write them (then call
 * evgw_textbuf_commit with the end of what was written, at most n bytes
 * on), or NULL when the buffer has failed or cannot grow. Lets a renderer
 * that knows a bound write a whole record without a check per piece. */
char *evgw_textbuf_reserve(struct evgw_textbuf *tb, size_t n);

static inline void evgw_textbuf_commit(struct evgw_textbuf *tb, char *end)
{
	tb->len = (size_t)(end - tb->buf);
	tb->buf[tb->len] = '\0';
}

/* Integers in decimal. */
void evgw_textbuf_u64(struct evgw_textbuf *tb, uint64_t v);
void evgw_textbuf_i64(struct evgw_textbuf *tb, int64_t v);
void evgw_textbuf_printf(struct evgw_textbuf *tb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Append `n` bytes as a JSON string literal, quotes included. The bytes are
 * taken as UTF-8 when they are valid UTF-8; otherwise as Windows-1252 (what
 * most DBC editors write), converted to UTF-8. When `dbc_escapes` is true,
 * the DBC quoted-string escapes (backslash + any byte) are undone first.
 * The result is always valid JSON and valid UTF-8. */
void evgw_textbuf_json_string(struct evgw_textbuf *tb, const char *p, size_t n, bool dbc_escapes);

/* Append a double as a JSON value: the fewest of 15, 16 or 17 significant
 * digits that read back to the same double; integers without a fraction;
 * NaN and infinities as the strings "nan", "inf", "-inf". */
void evgw_textbuf_json_double(struct evgw_textbuf *tb, double v);

/* Append a physical value at the precision its scale implies: `decimals`
 * fraction digits (dbc_signal_decimals: a DBC factor of 0.1 gives 1),
 * rounded to the nearest, trailing zeros dropped past min_decimals
 * (dbc_signal_min_decimals); "84.8", "0.05", "3", "-12.5", "30.000". A
 * negative `decimals` (no decimal scale, IEEE float signals) or a value too
 * large for fixed digits prints as evgw_textbuf_json_double does; NaN and
 * infinities too, as the JSON strings "nan", "inf", "-inf". For a decoded
 * signal, dbc_json_value does this from the raw value, exactly. */
void evgw_textbuf_value(struct evgw_textbuf *tb, double v, int decimals, int min_decimals);

/* True when the n bytes are well-formed UTF-8 (no overlongs, no surrogates). */
bool evgw_utf8_valid(const char *p, size_t n);

#endif
