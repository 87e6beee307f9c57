// SPDX-License-Identifier: MIT
/* The RFC 8259 grammar as an explicit state machine over a bounded cursor:
 * a container stack of EVGW_JSON_MAX_DEPTH bytes instead of recursion, so
 * a hostile line costs at most one pass and no stack growth. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "api/json_check.h"

struct cursor {
	const unsigned char *p;
	size_t n, i;
	struct evgw_json_check *res;
	unsigned char stack[EVGW_JSON_MAX_DEPTH]; /* '{' or '[' per open container */
	unsigned depth;
};

static int fail(struct cursor *c, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Record the error at byte offset `at` (0-based) and return -EINVAL. */
static int fail(struct cursor *c, size_t at, const char *fmt, ...)
{
	struct evgw_json_check *r = c->res;
	r->col = at + 1;
	int k = snprintf(r->msg, sizeof r->msg, "column %zu: ", r->col);
	if (k > 0 && (size_t)k < sizeof r->msg) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(r->msg + k, sizeof r->msg - (size_t)k, fmt, ap);
		va_end(ap);
	}
	r->has_id = false;
	r->id_off = r->id_len = 0;
	return -EINVAL;
}

static bool at_end(const struct cursor *c)
{
	return c->i >= c->n;
}

static void skip_ws(struct cursor *c)
{
	while (c->i < c->n) {
		unsigned char b = c->p[c->i];
		if (b != ' ' && b != '\t' && b != '\r' && b != '\n')
			return;
		c->i++;
	}
}

/* The line ended inside the innermost open thing. */
static int fail_end(struct cursor *c, const char *what)
{
	if (!what)
		what = c->depth && c->stack[c->depth - 1] == '[' ? "an array is not closed"
								: "the object is not closed";
	return fail(c, c->n, "unexpected end of the line: %s", what);
}

/* One UTF-8 sequence at p[i..n) (RFC 3629: no overlongs, no surrogates,
 * at most U+10FFFF). Returns its length and code point, or 0 if invalid. */
static size_t utf8_decode(const unsigned char *p, size_t n, size_t i, uint32_t *cp)
{
	unsigned char b = p[i];
	size_t len;
	unsigned char lo = 0x80, hi = 0xBF;
	if (b < 0x80) {
		*cp = b;
		return 1;
	} else if (b >= 0xC2 && b <= 0xDF) {
		len = 2;
		*cp = b & 0x1F;
	} else if (b >= 0xE0 && b <= 0xEF) {
		len = 3;
		*cp = b & 0x0F;
		if (b == 0xE0)
			lo = 0xA0; /* overlong below U+0800 */
		else if (b == 0xED)
			hi = 0x9F; /* U+D800..DFFF are surrogates */
	} else if (b >= 0xF0 && b <= 0xF4) {
		len = 4;
		*cp = b & 0x07;
		if (b == 0xF0)
			lo = 0x90; /* overlong below U+10000 */
		else if (b == 0xF4)
			hi = 0x8F; /* above U+10FFFF */
	} else {
		return 0;
	}
	if (n - i < len)
		return 0;
	for (size_t k = 1; k < len; k++) {
		unsigned char t = p[i + k];
		if (t < lo || t > hi)
			return 0;
		lo = 0x80;
		hi = 0xBF;
		*cp = (*cp << 6) | (t & 0x3F);
	}
	return len;
}

/* A byte that does not belong where it is: say what was expected, and
 * name the common mistakes. */
static int fail_unexpected(struct cursor *c, const char *expected)
{
	size_t at = c->i;
	unsigned char b = c->p[at];
	uint32_t cp;
	if (b == '/')
		return fail(c, at, "comments are not allowed");
	if (b == '\'')
		return fail(c, at, "strings and keys must be in double quotes, not single quotes");
	if (b >= 0x80) {
		if (!utf8_decode(c->p, c->n, at, &cp))
			return fail(c, at, "the request is not valid UTF-8");
		return fail(c, at, "%s, not the character U+%04X", expected, (unsigned)cp);
	}
	if (b < 0x20 || b == 0x7F)
		return fail(c, at, "%s, not the control character 0x%02X", expected, b);
	return fail(c, at, "%s, not '%c'", expected, b);
}

static int hex_digit(unsigned char b)
{
	if (b >= '0' && b <= '9')
		return b - '0';
	if (b >= 'a' && b <= 'f')
		return b - 'a' + 10;
	if (b >= 'A' && b <= 'F')
		return b - 'A' + 10;
	return -1;
}

/* The four hex digits after "\u" at p[i]; -1 if they are not there. */
static long hex4(const struct cursor *c, size_t i)
{
	if (c->n - i < 4)
		return -1;
	long v = 0;
	for (size_t k = 0; k < 4; k++) {
		int d = hex_digit(c->p[i + k]);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* A string at c->i (its opening quote). *is_id (when not NULL) tells
 * whether its decoded text is exactly "id". */
static int scan_string(struct cursor *c, bool *is_id)
{
	static const char id[] = "id";
	size_t ncp = 0;       /* code points decoded so far */
	bool match = true;    /* ... and all of them equal to id[] so far */
	c->i++;
	for (;;) {
		if (at_end(c))
			return fail_end(c, "a string is not closed");
		size_t at = c->i;
		unsigned char b = c->p[at];
		uint32_t cp;
		if (b == '"') {
			c->i++;
			break;
		}
		if (b < 0x20)
			return fail(c, at, "a control character (0x%02X) in a string must be written as an escape", b);
		if (b >= 0x80) {
			size_t len = utf8_decode(c->p, c->n, at, &cp);
			if (!len)
				return fail(c, at, "the request is not valid UTF-8");
			c->i += len;
		} else if (b != '\\') {
			cp = b;
			c->i++;
		} else {
			if (c->n - at < 2)
				return fail_end(c, "a string is not closed");
			unsigned char e = c->p[at + 1];
			c->i += 2;
			switch (e) {
			case '"': case '\\': case '/': cp = e; break;
			case 'b': cp = '\b'; break;
			case 'f': cp = '\f'; break;
			case 'n': cp = '\n'; break;
			case 'r': cp = '\r'; break;
			case 't': cp = '\t'; break;
			case 'u': {
				long u = hex4(c, c->i);
				if (u < 0)
					return fail(c, at, "\\u must be followed by four hex digits");
				c->i += 4;
				if (u >= 0xDC00 && u <= 0xDFFF)
					return fail(c, at, "\\u%04lX is the second half of a UTF-16 surrogate pair, "
							   "without a first", u);
				if (u >= 0xD800 && u <= 0xDBFF) {
					long lo = -1;
					if (c->n - c->i >= 6 && c->p[c->i] == '\\' && c->p[c->i + 1] == 'u')
						lo = hex4(c, c->i + 2);
					if (lo < 0xDC00 || lo > 0xDFFF)
						return fail(c, at, "\\u%04lX is the first half of a UTF-16 surrogate pair, "
								   "without a second", u);
					c->i += 6;
					u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
				}
				cp = (uint32_t)u;
				break;
			}
			default:
				if (e < 0x20 || e >= 0x7F)
					return fail(c, at, "a backslash in a string must start an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
				return fail(c, at, "'\\%c' is not an escape; a backslash is written '\\\\'", e);
			}
		}
		match = match && ncp < 2 && cp == (unsigned char)id[ncp];
		ncp++;
	}
	if (is_id)
		*is_id = match && ncp == 2;
	return 0;
}

static bool is_digit(const struct cursor *c)
{
	return !at_end(c) && c->p[c->i] >= '0' && c->p[c->i] <= '9';
}

static void skip_digits(struct cursor *c)
{
	while (is_digit(c))
		c->i++;
}

/* number = [ minus ] int [ frac ] [ exp ] (RFC 8259, section 6). */
static int scan_number(struct cursor *c)
{
	if (c->p[c->i] == '-') {
		c->i++;
		if (at_end(c))
			return fail_end(c, "a number is not complete");
		if (c->p[c->i] == 'I')
			return fail(c, c->i - 1, "-Infinity is not a JSON number");
		if (!is_digit(c))
			return fail(c, c->i, "'-' must be followed by a digit");
	}
	if (c->p[c->i] == '0') {
		c->i++;
		if (is_digit(c))
			return fail(c, c->i - 1, "a number may not have a leading zero");
	} else {
		skip_digits(c);
	}
	if (!at_end(c) && c->p[c->i] == '.') {
		c->i++;
		if (!is_digit(c))
			return fail(c, c->i, "a number may not end with '.'");
		skip_digits(c);
	}
	if (!at_end(c) && (c->p[c->i] == 'e' || c->p[c->i] == 'E')) {
		c->i++;
		if (!at_end(c) && (c->p[c->i] == '+' || c->p[c->i] == '-'))
			c->i++;
		if (!is_digit(c))
			return fail(c, c->i, "an exponent needs at least one digit");
		skip_digits(c);
	}
	return 0;
}

/* Where a value should start but none does. */
static int fail_value(struct cursor *c)
{
	size_t at = c->i;
	const unsigned char *s = c->p + at;
	size_t left = c->n - at;
	if (left >= 3 && !memcmp(s, "NaN", 3))
		return fail(c, at, "NaN is not a JSON number");
	if (left >= 8 && !memcmp(s, "Infinity", 8))
		return fail(c, at, "Infinity is not a JSON number");
	if (s[0] == '+')
		return fail(c, at, "a number may not start with '+'");
	if (s[0] == '.')
		return fail(c, at, "a number must start with a digit, not '.'");
	if ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))
		return fail(c, at, "not a JSON value (the literals are true, false and null, in lowercase)");
	return fail_unexpected(c, "expected a value");
}

static int scan_literal(struct cursor *c, const char *word)
{
	size_t len = strlen(word);
	size_t left = c->n - c->i;
	size_t k = 0;
	while (k < len && k < left && c->p[c->i + k] == (unsigned char)word[k])
		k++;
	if (k == len) {
		c->i += len;
		return 0;
	}
	if (k == left)
		return fail_end(c, NULL);
	return fail_value(c);
}

enum state {
	S_VALUE,       /* a value must start here */
	S_OBJ_FIRST,   /* after '{': a key or '}' */
	S_ARR_FIRST,   /* after '[': a value or ']' */
	S_KEY,         /* after ',' in an object: a key */
	S_ARR_NEXT,    /* after ',' in an array: a value */
};

int evgw_json_check(const char *p, size_t n, struct evgw_json_check *res)
{
	memset(res, 0, sizeof *res);
	struct cursor c = {.p = (const unsigned char *)p, .n = n, .res = res};
	skip_ws(&c);
	if (at_end(&c) || c.p[c.i] != '{') {
		uint32_t cp;
		if (!at_end(&c) && !utf8_decode(c.p, c.n, c.i, &cp))
			return fail(&c, c.i, "the request is not valid UTF-8");
		return fail(&c, c.i, "the request must be a JSON object");
	}
	enum state st = S_VALUE;
	size_t comma = 0;       /* where the last ',' was */
	bool id_next = false;   /* the next value is the top-level "id"'s */
	bool in_id = false;     /* inside that value: its end is still to come */
	for (;;) {
		skip_ws(&c);
		if (at_end(&c))
			return fail_end(&c, NULL);
		unsigned char b = c.p[c.i];
		int r = 0;
		switch (st) {
		case S_VALUE:
		case S_ARR_FIRST:
		case S_ARR_NEXT:
			if (b == ']' && st != S_VALUE) {
				if (st == S_ARR_NEXT)
					return fail(&c, comma, "a trailing comma is not allowed");
				c.i++;
				c.depth--;
				break; /* an empty array */
			}
			/* This value is one level below its container. */
			if (c.depth == EVGW_JSON_MAX_DEPTH)
				return fail(&c, c.i, "nested deeper than %d levels", EVGW_JSON_MAX_DEPTH);
			if (id_next) {
				id_next = false;
				in_id = true;
				res->id_off = c.i;
			}
			if (b == '{' || b == '[') {
				c.stack[c.depth++] = b;
				c.i++;
				st = b == '{' ? S_OBJ_FIRST : S_ARR_FIRST;
				continue;
			} else if (b == '"') {
				r = scan_string(&c, NULL);
			} else if (b == '-' || (b >= '0' && b <= '9')) {
				r = scan_number(&c);
			} else if (b == 't') {
				r = scan_literal(&c, "true");
			} else if (b == 'f') {
				r = scan_literal(&c, "false");
			} else if (b == 'n') {
				r = scan_literal(&c, "null");
			} else {
				return fail_value(&c);
			}
			if (r < 0)
				return r;
			break;
		case S_OBJ_FIRST:
		case S_KEY: {
			if (b == '}') {
				if (st == S_KEY)
					return fail(&c, comma, "a trailing comma is not allowed");
				c.i++;
				c.depth--;
				break;
			}
			if (b != '"')
				return fail_unexpected(&c, st == S_KEY ? "expected a key in double quotes"
								     : "expected a key in double quotes or '}'");
			size_t key_at = c.i;
			bool is_id = false;
			r = scan_string(&c, c.depth == 1 ? &is_id : NULL);
			if (r < 0)
				return r;
			skip_ws(&c);
			if (at_end(&c))
				return fail_end(&c, NULL);
			if (c.p[c.i] != ':')
				return fail_unexpected(&c, "expected ':' after the key");
			c.i++;
			if (is_id) {
				if (res->has_id)
					return fail(&c, key_at, "the key \"id\" appears twice");
				res->has_id = true;
				id_next = true;
			}
			st = S_VALUE;
			continue;
		}
		}
		/* A value has ended at c.i: a comma, closing brackets, or the end. */
		for (;;) {
			if (in_id && c.depth == 1) {
				in_id = false;
				res->id_len = c.i - res->id_off;
			}
			skip_ws(&c);
			if (c.depth == 0) {
				if (at_end(&c))
					return 0;
				if (c.p[c.i] == '/')
					return fail(&c, c.i, "comments are not allowed");
				return fail(&c, c.i, "text after the end of the object");
			}
			if (at_end(&c))
				return fail_end(&c, NULL);
			unsigned char top = c.stack[c.depth - 1];
			b = c.p[c.i];
			if (b == ',') {
				comma = c.i++;
				st = top == '{' ? S_KEY : S_ARR_NEXT;
				break;
			}
			if (b != (top == '{' ? '}' : ']'))
				return fail_unexpected(&c, top == '{' ? "expected ',' or '}' after a value"
								      : "expected ',' or ']' after a value");
			c.i++;
			c.depth--;
		}
	}
}
