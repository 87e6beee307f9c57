// SPDX-License-Identifier: MIT
/* DID value expressions: see did_expr.h. A recursive-descent parser with a
 * depth bound writes postfix bytecode; the evaluator runs it on a fixed
 * stack whose need the parser has already counted, so evaluation cannot
 * overflow it. */
#include "vehicle/did_expr.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum op {
	OP_BYTE = 1, /* idx16 (little-endian) */
	OP_RANGE,    /* lowest16, count7 | 0x80 when little-endian: unsigned */
	OP_CONST,    /* k index */
	OP_ADD,
	OP_SUB,
	OP_MUL,
	OP_DIV,
	OP_AND,
	OP_OR,
	OP_XOR,
	OP_SHL,
	OP_SHR,
	OP_NEG,
	OP_NOT,
	OP_SIGNED, /* bits8 */
};

/* Binding strength, for parsing and for printing with few parentheses. */
enum prec { P_OR = 1, P_XOR, P_AND, P_SHIFT, P_ADD, P_MUL, P_UNARY, P_ATOM };

struct parser {
	const char *s, *end, *start;
	enum evgw_expr_dialect d;
	struct evgw_expr *e;
	unsigned depth, stack, max_stack;
	int rc;
	unsigned col;
	char *msg;
	size_t msglen;
};

__attribute__((format(printf, 3, 4))) static bool fail(struct parser *p, const char *at, const char *fmt, ...)
{
	if (p->rc)
		return false;
	p->rc = -EINVAL;
	p->col = (unsigned)(at - p->start) + 1;
	if (p->msg && p->msglen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->msg, p->msglen, fmt, ap);
		va_end(ap);
	}
	return false;
}

static void blanks(struct parser *p)
{
	while (p->s < p->end && (*p->s == ' ' || *p->s == '\t'))
		p->s++;
}

static bool emit(struct parser *p, const uint8_t *b, unsigned n, int push)
{
	if (p->e->n_code + n > EVGW_EXPR_MAX_CODE)
		return fail(p, p->s, "expression too long (more than %d bytes of code)", EVGW_EXPR_MAX_CODE);
	memcpy(p->e->code + p->e->n_code, b, n);
	p->e->n_code = (uint8_t)(p->e->n_code + n);
	p->stack = (unsigned)((int)p->stack + push);
	if (p->stack > p->max_stack)
		p->max_stack = p->stack;
	if (p->stack > EVGW_EXPR_MAX_DEPTH)
		return fail(p, p->s, "expression too deep (more than %d values at once)", EVGW_EXPR_MAX_DEPTH);
	return true;
}

static bool emit_op(struct parser *p, enum op op, int push)
{
	uint8_t b = (uint8_t)op;
	return emit(p, &b, 1, push);
}

static bool emit_const(struct parser *p, double v)
{
	struct evgw_expr *e = p->e;
	unsigned i;
	for (i = 0; i < e->n_k && memcmp(&e->k[i], &v, sizeof v); i++)
		;
	if (i == e->n_k) {
		if (e->n_k == EVGW_EXPR_MAX_CONST)
			return fail(p, p->s, "too many constants (at most %d)", EVGW_EXPR_MAX_CONST);
		e->k[e->n_k++] = v;
	}
	uint8_t b[2] = {OP_CONST, (uint8_t)i};
	return emit(p, b, 2, 1);
}

static void need(struct parser *p, unsigned idx, unsigned count)
{
	if (idx + count > p->e->min_len)
		p->e->min_len = (uint16_t)(idx + count);
}

static bool emit_byte(struct parser *p, unsigned idx)
{
	uint8_t b[3] = {OP_BYTE, (uint8_t)idx, (uint8_t)(idx >> 8)};
	need(p, idx, 1);
	return emit(p, b, 3, 1);
}

/* Bytes first..last as written, the first most significant: [B2:B3] is
 * big-endian, [B3:B2] little-endian. */
static bool emit_range(struct parser *p, const char *at, unsigned first, unsigned last)
{
	unsigned lo = first < last ? first : last, n = (first < last ? last - first : first - last) + 1;
	if (n < 2 || n > 8)
		return fail(p, at, "a byte range holds 2 to 8 bytes");
	uint8_t b[4] = {OP_RANGE, (uint8_t)lo, (uint8_t)(lo >> 8), (uint8_t)(n | (first > last ? 0x80 : 0))};
	need(p, lo, n);
	return emit(p, b, 4, 1);
}

static bool word_is(const char *w, size_t n, const char *name)
{
	return strlen(name) == n && !strncasecmp(w, name, n);
}

/* A byte reference at p->s, in the dialect's spelling. Returns 1 and *idx
 * (0 = the first byte after the DID), 0 when there is none, -1 on error. */
static int byte_ref(struct parser *p, unsigned *idx)
{
	const char *s = p->s, *w = s;
	while (s < p->end && (isalnum((unsigned char)*s) || *s == '_'))
		s++;
	size_t n = (size_t)(s - w);
	if (!n)
		return 0;
	if (p->d == EVGW_EXPR_TORQUE) {
		/* A..Z, AA..: letters only, at most 2, not a function's name. */
		if (n > 2)
			return 0;
		for (size_t i = 0; i < n; i++)
			if (!isalpha((unsigned char)w[i]))
				return 0;
		unsigned v = 0;
		for (size_t i = 0; i < n; i++)
			v = v * 26 + (unsigned)(toupper((unsigned char)w[i]) - 'A') + (i + 1 < n ? 1 : 0);
		*idx = v;
		p->s = s;
		return 1;
	}
	if ((w[0] != 'B' && w[0] != 'b') || n < 2)
		return 0;
	unsigned long v = 0;
	for (size_t i = 1; i < n; i++) {
		if (!isdigit((unsigned char)w[i]))
			return 0;
		v = v * 10 + (unsigned long)(w[i] - '0');
		if (v > EVGW_EXPR_MAX_BYTE + 4)
			break;
	}
	if (p->d == EVGW_EXPR_WICAN && v < 4) {
		fail(p, w, "%.*s is in the response's header (the data after the DID starts at B4)", (int)n, w);
		return -1;
	}
	if (p->d == EVGW_EXPR_WICAN)
		v -= 4;
	if (v > EVGW_EXPR_MAX_BYTE) {
		fail(p, w, "byte %.*s is past the last one (%d)", (int)(n > 16 ? 16 : n), w, EVGW_EXPR_MAX_BYTE);
		return -1;
	}
	*idx = (unsigned)v;
	p->s = s;
	return 1;
}

/* The number text the parser reads: at most this many characters, so its
 * values need at most this many digits after the point to be written. */
#define NUMBER_TEXT_MAX 158

static bool expr(struct parser *p, enum prec min);

static bool number(struct parser *p)
{
	const char *s = p->s;
	double v;
	if (p->end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		const char *q = s + 2;
		uint64_t u = 0;
		if (q == p->end || !isxdigit((unsigned char)*q))
			return fail(p, s, "hex number without digits");
		for (; q < p->end && isxdigit((unsigned char)*q); q++) {
			if (u >> 60)
				return fail(p, s, "hex number too large (at most 16 digits)");
			u = u << 4 | (uint64_t)(isdigit((unsigned char)*q) ? *q - '0' : (tolower((unsigned char)*q) - 'a' + 10));
		}
		v = (double)u;
		/* From 0xFFFFFFFFFFFFFC00 a double rounds to 2^64, which a decimal may not be either. */
		if (!(v < 18446744073709551616.0))
			return fail(p, p->s, "number too large (must round below 2^64)");
		s = q;
	} else {
		char buf[NUMBER_TEXT_MAX + 2];
		size_t n = 0;
		while (s < p->end && isdigit((unsigned char)*s) && n < sizeof buf - 2)
			buf[n++] = *s++;
		if (s < p->end && *s == '.') {
			buf[n++] = *s++;
			if (s == p->end || !isdigit((unsigned char)*s))
				return fail(p, s, "a digit must follow '.'");
			while (s < p->end && isdigit((unsigned char)*s) && n < sizeof buf - 1)
				buf[n++] = *s++;
		}
		if (s < p->end && isdigit((unsigned char)*s))
			return fail(p, p->s, "number too long");
		buf[n] = '\0';
		v = strtod(buf, NULL);
		if (!(v < 18446744073709551616.0))
			return fail(p, p->s, "number too large (must round below 2^64)");
	}
	if (s < p->end && (isalpha((unsigned char)*s) || *s == '_'))
		return fail(p, s, "unexpected '%c' after a number", *s);
	p->s = s;
	return emit_const(p, v);
}

static bool expect(struct parser *p, char c)
{
	blanks(p);
	if (p->s == p->end)
		return fail(p, p->s, "expected '%c' at the end", c);
	if (*p->s != c)
		return fail(p, p->s, "expected '%c', found '%c'", c, *p->s);
	p->s++;
	return true;
}

/* [Bi:Bj], or in Torque "X:Y" after a byte already read. */
static bool range_rest(struct parser *p, const char *at, unsigned first)
{
	unsigned last;
	blanks(p);
	int r = byte_ref(p, &last);
	if (r < 0)
		return false;
	if (!r)
		return fail(p, p->s, "expected a byte after ':'");
	return emit_range(p, at, first, last);
}

static bool function(struct parser *p, const char *w, size_t n)
{
	bool int16 = word_is(w, n, "INT16");
	if (!int16 && !word_is(w, n, "SIGNED"))
		return fail(p, w, "unknown function '%.*s' (SIGNED and INT16 are known)", (int)(n > 32 ? 32 : n), w);
	p->s++; /* '(' */
	if (!expr(p, P_OR))
		return false;
	unsigned long bits = int16 ? 16 : 8;
	blanks(p);
	if (!int16 && p->s < p->end && *p->s == ',') {
		p->s++;
		blanks(p);
		const char *b = p->s;
		bits = 0;
		while (p->s < p->end && isdigit((unsigned char)*p->s) && bits <= 64)
			bits = bits * 10 + (unsigned long)(*p->s++ - '0');
		if (b == p->s || bits < 1 || bits > 64)
			return fail(p, b, "SIGNED's second argument is a bit count, 1 to 64");
	}
	if (!expect(p, ')'))
		return false;
	uint8_t c[2] = {OP_SIGNED, (uint8_t)bits};
	return emit(p, c, 2, 0);
}

static bool primary(struct parser *p)
{
	blanks(p);
	if (p->s == p->end)
		return fail(p, p->s, "expected a value at the end");
	const char *at = p->s;
	char c = *p->s;
	if (isdigit((unsigned char)c))
		return number(p);
	if (c == '(') {
		p->s++;
		return expr(p, P_OR) && expect(p, ')');
	}
	if (c == '[') {
		unsigned first;
		p->s++;
		blanks(p);
		int r = byte_ref(p, &first);
		if (r < 0)
			return false;
		if (!r)
			return fail(p, p->s, "expected a byte after '['");
		return expect(p, ':') && range_rest(p, at, first) && expect(p, ']');
	}
	if (c == '{' && p->d == EVGW_EXPR_TORQUE) {
		/* {A:n}: bit n of byte A. */
		unsigned idx;
		p->s++;
		blanks(p);
		int r = byte_ref(p, &idx);
		if (r < 0)
			return false;
		if (!r)
			return fail(p, p->s, "expected a byte after '{'");
		if (!expect(p, ':'))
			return false;
		blanks(p);
		const char *b = p->s;
		unsigned bit = 0;
		while (p->s < p->end && isdigit((unsigned char)*p->s) && bit < 100)
			bit = bit * 10 + (unsigned)(*p->s++ - '0');
		if (b == p->s || bit > 7)
			return fail(p, b, "the bit of {X:n} is 0 to 7");
		/* Printed as evgw text the bit is (B0>>n&1): two levels deeper than
		 * an atom, which the text read back must still fit. */
		if (p->depth + 2 > EVGW_EXPR_MAX_DEPTH)
			return fail(p, at, "expression nested too deeply (at most %d; {X:n} counts 2)",
				    EVGW_EXPR_MAX_DEPTH);
		return expect(p, '}') && emit_byte(p, idx) && emit_const(p, bit) && emit_op(p, OP_SHR, -1) &&
		       emit_const(p, 1) && emit_op(p, OP_AND, -1);
	}
	if (isalpha((unsigned char)c) || c == '_') {
		const char *w = p->s, *s = p->s;
		while (s < p->end && (isalnum((unsigned char)*s) || *s == '_'))
			s++;
		const char *after = s;
		while (after < p->end && (*after == ' ' || *after == '\t'))
			after++;
		if (after < p->end && *after == '(') {
			p->s = after;
			return function(p, w, (size_t)(s - w));
		}
		unsigned idx;
		int r = byte_ref(p, &idx);
		if (r < 0)
			return false;
		if (r) {
			if (p->d == EVGW_EXPR_TORQUE && p->s < p->end && *p->s == ':') {
				p->s++;
				return range_rest(p, at, idx);
			}
			return emit_byte(p, idx);
		}
		return fail(p, w, "unknown name '%.*s' (%s)", (int)((s - w) > 32 ? 32 : (s - w)), w,
			    p->d == EVGW_EXPR_TORQUE ? "bytes are A, B, C..." : "bytes are B0, B1, ...");
	}
	return fail(p, at, "unexpected '%c'", c);
}

static bool unary(struct parser *p)
{
	blanks(p);
	if (p->s < p->end && (*p->s == '-' || *p->s == '+' || *p->s == '~')) {
		char c = *p->s++;
		if (++p->depth > EVGW_EXPR_MAX_DEPTH)
			return fail(p, p->s - 1, "expression nested too deeply (at most %d)", EVGW_EXPR_MAX_DEPTH);
		bool ok = unary(p);
		p->depth--;
		if (!ok)
			return false;
		return c == '+' || emit_op(p, c == '-' ? OP_NEG : OP_NOT, 0);
	}
	return primary(p);
}

/* The binary operator at p->s: its op, level and length; 0 when none. */
static unsigned binop(const struct parser *p, enum op *op, enum prec *lv)
{
	const char *s = p->s;
	if (s == p->end)
		return 0;
	char c = s[0], n = s + 1 < p->end ? s[1] : '\0';
	switch (c) {
	case '|': *op = OP_OR; *lv = P_OR; return n == '|' ? 0 : 1;
	case '^': *op = OP_XOR; *lv = P_XOR; return 1;
	case '&': *op = OP_AND; *lv = P_AND; return n == '&' ? 0 : 1;
	case '<': *op = OP_SHL; *lv = P_SHIFT; return n == '<' ? 2 : 0;
	case '>': *op = OP_SHR; *lv = P_SHIFT; return n == '>' ? 2 : 0;
	case '+': *op = OP_ADD; *lv = P_ADD; return 1;
	case '-': *op = OP_SUB; *lv = P_ADD; return 1;
	case '*': *op = OP_MUL; *lv = P_MUL; return 1;
	case '/': *op = OP_DIV; *lv = P_MUL; return 1;
	default: return 0;
	}
}

/* Operators of level min and above, left-associative (precedence climbing). */
static bool expr(struct parser *p, enum prec min)
{
	if (++p->depth > EVGW_EXPR_MAX_DEPTH)
		return fail(p, p->s, "expression nested too deeply (at most %d)", EVGW_EXPR_MAX_DEPTH);
	if (!unary(p))
		return false;
	for (;;) {
		enum op op;
		enum prec lv;
		blanks(p);
		unsigned n = binop(p, &op, &lv);
		if (!n || lv < min)
			break;
		if (op == OP_XOR && p->d == EVGW_EXPR_TORQUE)
			return fail(p, p->s, "'^' is a power in Torque equations: not supported");
		p->s += n;
		if (!expr(p, (enum prec)(lv + 1)) || !emit_op(p, op, -1))
			return false;
	}
	p->depth--;
	return true;
}

int evgw_expr_parse(struct evgw_expr *e, const char *text, size_t len, enum evgw_expr_dialect d, unsigned *col,
		    char *msg, size_t msglen)
{
	struct parser p = {.s = text, .end = text + len, .start = text, .d = d, .e = e, .msg = msg, .msglen = msglen};
	memset(e, 0, sizeof *e);
	if (msg && msglen)
		msg[0] = '\0';
	*col = 0;
	if (len > EVGW_EXPR_TEXT_MAX)
		fail(&p, text + EVGW_EXPR_TEXT_MAX, "expression longer than %d bytes", EVGW_EXPR_TEXT_MAX);
	for (size_t i = 0; !p.rc && i < len; i++)
		if ((unsigned char)text[i] < 0x20 || (unsigned char)text[i] > 0x7E) {
			if (text[i] != '\t')
				fail(&p, text + i, "byte 0x%02X in an expression", (unsigned char)text[i]);
		}
	if (!p.rc && expr(&p, P_OR)) {
		blanks(&p);
		if (p.s < p.end) {
			if (*p.s == ')')
				fail(&p, p.s, "unexpected ')'");
			else if (*p.s == '=' || *p.s == '<' || *p.s == '>' || *p.s == '!' || *p.s == '|' ||
				 *p.s == '&')
				fail(&p, p.s, "comparisons and logical operators are not supported");
			else
				fail(&p, p.s, "unexpected '%c'", *p.s);
		}
	}
	if (p.rc) {
		*col = p.col;
		memset(e, 0, sizeof *e);
		return p.rc;
	}
	return 0;
}

/* --- evaluation --- */

/* x as a whole number for the bit operators. */
static bool whole(double x, int64_t *out)
{
	if (!(x > -9223372036854775808.0 && x < 9223372036854775808.0) || x != trunc(x))
		return false;
	*out = (int64_t)x;
	return true;
}

int evgw_expr_eval(const struct evgw_expr *e, const uint8_t *data, size_t len, double *out)
{
	double st[EVGW_EXPR_MAX_DEPTH];
	unsigned sp = 0;
	if (len < e->min_len)
		return -ENODATA;
	for (unsigned pc = 0; pc < e->n_code;) {
		uint8_t op = e->code[pc++];
		int64_t a, b;
		switch (op) {
		case OP_BYTE:
			st[sp++] = data[e->code[pc] | e->code[pc + 1] << 8];
			pc += 2;
			continue;
		case OP_RANGE: {
			unsigned lo = e->code[pc] | (unsigned)e->code[pc + 1] << 8, n = e->code[pc + 2] & 0x7Fu;
			bool le = e->code[pc + 2] & 0x80;
			uint64_t u = 0;
			for (unsigned i = 0; i < n; i++)
				u = u << 8 | data[lo + (le ? n - 1 - i : i)];
			st[sp++] = (double)u;
			pc += 3;
			continue;
		}
		case OP_CONST:
			st[sp++] = e->k[e->code[pc++]];
			continue;
		case OP_NEG:
			st[sp - 1] = -st[sp - 1];
			continue;
		case OP_NOT:
			if (!whole(st[sp - 1], &a))
				return -EDOM;
			st[sp - 1] = (double)~a;
			continue;
		case OP_SIGNED: {
			unsigned bits = e->code[pc++];
			if (!whole(st[sp - 1], &a))
				return -EDOM;
			uint64_t u = (uint64_t)a;
			if (bits < 64) {
				u &= (UINT64_C(1) << bits) - 1;
				if (u >> (bits - 1) & 1)
					u |= ~UINT64_C(0) << bits;
			}
			st[sp - 1] = (double)(int64_t)u;
			continue;
		}
		default:
			break;
		}
		double x = st[sp - 2], y = st[sp - 1], r;
		sp--;
		switch (op) {
		case OP_ADD: r = x + y; break;
		case OP_SUB: r = x - y; break;
		case OP_MUL: r = x * y; break;
		case OP_DIV:
			if (y == 0)
				return -EDOM;
			r = x / y;
			break;
		default:
			if (!whole(x, &a) || !whole(y, &b))
				return -EDOM;
			switch (op) {
			case OP_AND: r = (double)(a & b); break;
			case OP_OR: r = (double)(a | b); break;
			case OP_XOR: r = (double)(a ^ b); break;
			case OP_SHL:
				if (b < 0 || b > 63)
					return -EDOM;
				r = (double)(int64_t)((uint64_t)a << b);
				break;
			default: /* OP_SHR: arithmetic, written without shifting a negative number */
				if (b < 0 || b > 63)
					return -EDOM;
				r = a >= 0 ? (double)(a >> b) : (double)~(~a >> b);
				break;
			}
		}
		st[sp - 1] = r;
	}
	if (sp != 1 || !isfinite(st[0]))
		return -EDOM;
	*out = st[0];
	return 0;
}

/* --- printing --- */

struct item {
	size_t off, len; /* in the scratch */
	enum prec lv;
};

static int put(char *buf, size_t cap, size_t *n, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int put(char *buf, size_t cap, size_t *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(buf + *n, cap - *n, fmt, ap);
	va_end(ap);
	if (r < 0 || (size_t)r >= cap - *n)
		return -ENOSPC;
	*n += (size_t)r;
	return 0;
}

/* The shortest plain decimal (no exponent: the parser takes none) that
 * reads back as v (0 <= v < 2^64: 20 digits before the point at most; a
 * fraction the parser read has at most NUMBER_TEXT_MAX digits). */
static void number_text(double v, char out[NUMBER_TEXT_MAX + 32])
{
	if (v == trunc(v)) {
		snprintf(out, NUMBER_TEXT_MAX + 32, "%.0f", v);
		return;
	}
	for (int digits = 1; digits <= NUMBER_TEXT_MAX; digits++) {
		snprintf(out, NUMBER_TEXT_MAX + 32, "%.*f", digits, v);
		if (strtod(out, NULL) == v)
			return;
	}
}

int evgw_expr_format(const struct evgw_expr *e, char *out, size_t cap)
{
	/* Each item's text is built in scratch; a combined item is written
	 * after the others and the stack's texts stay in order, so scratch
	 * grows by at most the output's size per step: twice cap bounds it. */
	char scratch[4 * EVGW_EXPR_TEXT_MAX + 256];
	struct item st[EVGW_EXPR_MAX_DEPTH];
	unsigned sp = 0;
	size_t used = 0;
	static const char *const sym[] = {[OP_ADD] = "+", [OP_SUB] = "-", [OP_MUL] = "*", [OP_DIV] = "/",
					  [OP_AND] = "&", [OP_OR] = "|",  [OP_XOR] = "^", [OP_SHL] = "<<",
					  [OP_SHR] = ">>"};
	static const enum prec lvl[] = {[OP_ADD] = P_ADD, [OP_SUB] = P_ADD, [OP_MUL] = P_MUL, [OP_DIV] = P_MUL,
					[OP_AND] = P_AND, [OP_OR] = P_OR,   [OP_XOR] = P_XOR, [OP_SHL] = P_SHIFT,
					[OP_SHR] = P_SHIFT};
	if (!e->n_code)
		return -EINVAL;
	for (unsigned pc = 0; pc < e->n_code;) {
		uint8_t op = e->code[pc++];
		size_t start = used;
		int rc = 0;
		switch (op) {
		case OP_BYTE:
			rc = put(scratch, sizeof scratch, &used, "B%u", e->code[pc] | (unsigned)e->code[pc + 1] << 8);
			pc += 2;
			st[sp++] = (struct item){start, 0, P_ATOM};
			break;
		case OP_RANGE: {
			unsigned lo = e->code[pc] | (unsigned)e->code[pc + 1] << 8, hi = lo + (e->code[pc + 2] & 0x7Fu) - 1u;
			bool le = e->code[pc + 2] & 0x80;
			rc = put(scratch, sizeof scratch, &used, "[B%u:B%u]", le ? hi : lo, le ? lo : hi);
			pc += 3;
			st[sp++] = (struct item){start, 0, P_ATOM};
			break;
		}
		case OP_CONST: {
			char t[NUMBER_TEXT_MAX + 32];
			number_text(e->k[e->code[pc++]], t);
			rc = put(scratch, sizeof scratch, &used, "%s", t);
			st[sp++] = (struct item){start, 0, P_ATOM};
			break;
		}
		case OP_NEG:
		case OP_NOT: {
			struct item *a = &st[sp - 1];
			bool par = a->lv < P_UNARY;
			rc = put(scratch, sizeof scratch, &used, "%s%s%.*s%s", op == OP_NEG ? "-" : "~", par ? "(" : "",
				 (int)a->len, scratch + a->off, par ? ")" : "");
			*a = (struct item){start, 0, P_UNARY};
			break;
		}
		case OP_SIGNED: {
			struct item *a = &st[sp - 1];
			rc = put(scratch, sizeof scratch, &used, "SIGNED(%.*s, %u)", (int)a->len, scratch + a->off,
				 e->code[pc++]);
			*a = (struct item){start, 0, P_ATOM};
			break;
		}
		default: {
			struct item *a = &st[sp - 2], *b = &st[sp - 1];
			enum prec lv = lvl[op];
			bool pa = a->lv < lv, pb = b->lv <= lv;
			rc = put(scratch, sizeof scratch, &used, "%s%.*s%s%s%s%.*s%s", pa ? "(" : "", (int)a->len,
				 scratch + a->off, pa ? ")" : "", sym[op], pb ? "(" : "", (int)b->len, scratch + b->off,
				 pb ? ")" : "");
			sp--;
			*a = (struct item){start, 0, lv};
			break;
		}
		}
		if (rc)
			return rc;
		st[sp - 1].len = used - start;
		/* Move the new text down over what it replaced, keeping scratch
		 * no larger than the live texts. */
		size_t live = sp >= 2 ? st[sp - 2].off + st[sp - 2].len : 0;
		if (live < start) {
			memmove(scratch + live, scratch + start, used - start);
			st[sp - 1].off = live;
			used = live + st[sp - 1].len;
		}
	}
	if (sp != 1 || st[0].len >= cap)
		return -ENOSPC;
	memcpy(out, scratch + st[0].off, st[0].len);
	out[st[0].len] = '\0';
	return (int)st[0].len;
}
