// SPDX-License-Identifier: MIT
/* can-utils text frames; candump.h documents the grammar. */
#include "can/candump.h"
#include "can/candump_fast.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

/* Linux interface names are at most IFNAMSIZ - 1 bytes. */
#define IFACE_MAX_LEN 15
/* Larger second counts overflow once scaled to microseconds. */
#define TS_SEC_MAX (INT64_MAX / 1000000)
#define TS_FRAC_MAX_DIGITS 9
#define TS_USEC_DIGITS 6
/* CAN_ERR_FLAG: an 8-digit id with this bit marks an error frame. */
#define ID_ERR_BIT 0x20000000u
/* Bits 30/31 are the kernel's RTR/EFF flags; they never appear in text. */
#define ID_BAD_BITS 0xC0000000u
#define FD_NIBBLE_BRS 0x1
#define FD_NIBBLE_ESI 0x2
#define FD_NIBBLE_FDF 0x4
#define FD_NIBBLE_MASK 0x7
#define FORMAT_MAX 140
#define NO_POS SIZE_MAX

struct cursor {
	const char *s;
	size_t end;             /* trailing whitespace and newline already cut off */
	size_t pos;
	size_t err_pos;
	const char *err_msg;
};

static int peek_at(const struct cursor *c, size_t off)
{
	if (c->pos >= c->end || off >= c->end - c->pos)
		return -1;
	return (unsigned char)c->s[c->pos + off];
}

static int peek(const struct cursor *c)
{
	return peek_at(c, 0);
}

static int fail(struct cursor *c, size_t pos, const char *msg)
{
	c->err_pos = pos;
	c->err_msg = msg;
	return -EINVAL;
}

/* Own classifiers (candump_fast.c's tables): <ctype.h> depends on the locale. */
static int hex_val(int ch)
{
	return ch < 0 ? -1 : (int)evgw_candump_hex_plus1[ch] - 1;
}

static int dec_val(int ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0' : -1;
}

static bool is_blank(int ch)
{
	return ch == ' ' || ch == '\t';
}

static bool is_space(int ch)
{
	return is_blank(ch) || ch == '\r' || ch == '\n';
}

static bool is_iface_char(int ch)
{
	return ch >= 0 && evgw_candump_iface_char[ch];
}

static void skip_blanks(struct cursor *c)
{
	while (is_blank(peek(c)))
		c->pos++;
}

static int expect_blanks(struct cursor *c, const char *msg)
{
	if (!is_blank(peek(c)))
		return fail(c, c->pos, msg);
	skip_blanks(c);
	return 0;
}

/* The next byte as a digit 0..9, or 10 or more when it is none (or the
 * line ends): one comparison per digit in the loops below. */
static unsigned digit_at(const struct cursor *c, size_t pos)
{
	return pos < c->end ? (unsigned)((unsigned char)c->s[pos] - '0') : 10u;
}

static int parse_ts_seconds(struct cursor *c, int64_t *sec)
{
	size_t start = c->pos, pos = start;
	int64_t v = 0;
	unsigned d;

	while ((d = digit_at(c, pos)) < 10u) {
		if (v > TS_SEC_MAX / 10 || v * 10 + (int64_t)d > TS_SEC_MAX) {
			c->pos = pos;
			return fail(c, pos, "timestamp out of range");
		}
		v = v * 10 + (int64_t)d;
		pos++;
	}
	c->pos = pos;
	*sec = v;
	if (pos == start)
		return fail(c, pos, "expected digits in timestamp");
	return 0;
}

/* Digits past the sixth are below a microsecond and are dropped. */
static int parse_ts_fraction(struct cursor *c, int64_t *usec)
{
	size_t start = c->pos, pos = start;
	size_t ndig = 0;
	int64_t v = 0;
	unsigned d;

	while ((d = digit_at(c, pos)) < 10u) {
		if (ndig == TS_FRAC_MAX_DIGITS) {
			c->pos = pos;
			return fail(c, pos, "more than 9 fraction digits in timestamp");
		}
		if (ndig < TS_USEC_DIGITS)
			v = v * 10 + (int64_t)d;
		ndig++;
		pos++;
	}
	c->pos = pos;
	if (pos == start)
		return fail(c, pos, "expected digits after '.' in timestamp");
	for (; ndig < TS_USEC_DIGITS; ndig++)
		v *= 10;
	*usec = v;
	return 0;
}

static int parse_timestamp(struct cursor *c, int64_t *ts_us)
{
	int64_t sec, usec;
	size_t frac_pos;
	int rc;

	c->pos++; /* '(' */
	rc = parse_ts_seconds(c, &sec);
	if (rc < 0)
		return rc;
	if (peek(c) != '.')
		return fail(c, c->pos, "expected '.' in timestamp");
	c->pos++;
	frac_pos = c->pos;
	rc = parse_ts_fraction(c, &usec);
	if (rc < 0)
		return rc;
	if (usec > INT64_MAX - sec * 1000000)
		return fail(c, frac_pos, "timestamp out of range");
	if (peek(c) != ')')
		return fail(c, c->pos, "expected ')' after timestamp");
	c->pos++;
	*ts_us = sec * 1000000 + usec;
	return 0;
}

static int parse_iface(struct cursor *c, struct evgw_candump_line *out)
{
	size_t start = c->pos;

	while (is_iface_char(peek(c))) {
		if (c->pos - start == IFACE_MAX_LEN)
			return fail(c, c->pos, "interface name longer than 15 characters");
		c->pos++;
	}
	if (c->pos == start)
		return fail(c, c->pos, "expected interface name");
	out->iface = c->s + start;
	out->iface_len = c->pos - start;
	return 0;
}

/* "(sec.usec) iface " in front of a log line. */
static int parse_log_prefix(struct cursor *c, struct evgw_candump_line *out)
{
	int rc = parse_timestamp(c, &out->frame.ts_us);

	if (rc < 0)
		return rc;
	out->has_ts = true;
	rc = expect_blanks(c, "expected space after timestamp");
	if (rc < 0)
		return rc;
	rc = parse_iface(c, out);
	if (rc < 0)
		return rc;
	return expect_blanks(c, "expected space after interface name");
}

static int parse_id(struct cursor *c, struct evgw_frame *f)
{
	size_t start = c->pos;
	size_t ndig = 0;
	uint32_t v = 0;
	int h;

	while ((h = hex_val(peek(c))) >= 0) {
		if (ndig == 8)
			return fail(c, c->pos, "CAN ID must be 3 or 8 hex digits");
		v = v << 4 | (uint32_t)h;
		ndig++;
		c->pos++;
	}
	if (ndig != 3 && ndig != 8)
		return fail(c, c->pos, "CAN ID must be 3 or 8 hex digits");
	if (peek(c) != '#')
		return fail(c, c->pos, "expected '#' after CAN ID");
	if (ndig == 3) {
		if (v > EVGW_CAN_SFF_MASK)
			return fail(c, start, "standard CAN ID above 7FF");
		f->id = v;
		return 0;
	}
	if (v & ID_BAD_BITS)
		return fail(c, start, "CAN ID bits 30 and 31 must be 0");
	f->id = v & EVGW_CAN_EFF_MASK;
	f->flags |= (v & ID_ERR_BIT) ? EVGW_FRAME_ERR : EVGW_FRAME_EXT;
	return 0;
}

/* Hex pairs with an optional '.' between two bytes. The inner loop takes
 * whole pairs while two bytes remain; everything else (separators, an odd
 * digit, the end) goes through the checked path below it. */
static int parse_data(struct cursor *c, struct evgw_frame *f, uint8_t max, const char *too_long)
{
	size_t sep = NO_POS;
	const unsigned char *s = (const unsigned char *)c->s;

	for (;;) {
		/* Locals: stores to data (bytes) could alias the cursor. */
		size_t pos = c->pos, end = c->end;
		uint8_t len = f->len;
		while (pos + 1 < end && len < max) {
			unsigned hi = evgw_candump_hex_plus1[s[pos]], lo = evgw_candump_hex_plus1[s[pos + 1]];
			if (!hi || !lo)
				break;
			f->data[len++] = (uint8_t)((hi - 1) << 4 | (lo - 1));
			pos += 2;
			sep = NO_POS;
		}
		c->pos = pos;
		f->len = len;
		int ch = peek(c);
		int hi = hex_val(ch);
		int lo;

		if (hi < 0 && ch == '.') {
			if (f->len == 0 || sep != NO_POS)
				return fail(c, c->pos, "misplaced '.' in data");
			sep = c->pos++;
			continue;
		}
		if (hi < 0)
			break;
		lo = hex_val(peek_at(c, 1));
		if (lo < 0)
			return fail(c, c->pos + 1, "odd number of hex digits in data");
		if (f->len == max)
			return fail(c, c->pos, too_long);
		f->data[f->len++] = (uint8_t)(hi << 4 | lo);
		c->pos += 2;
		sep = NO_POS;
	}
	if (sep != NO_POS)
		return fail(c, sep, "misplaced '.' in data");
	if (peek(c) >= 0 && !is_blank(peek(c)) && peek(c) != '_')
		return fail(c, c->pos, "invalid character in data");
	return 0;
}

static int parse_remote(struct cursor *c, struct evgw_frame *f)
{
	int d;

	if (f->flags & EVGW_FRAME_ERR)
		return fail(c, c->pos, "error frames cannot be remote");
	c->pos++; /* 'R' */
	d = dec_val(peek(c));
	if (d > EVGW_CAN_MAX_DLEN)
		return fail(c, c->pos, "remote frame length must be 0..8");
	if (d >= 0) {
		f->len = (uint8_t)d;
		c->pos++;
	}
	f->flags |= EVGW_FRAME_RTR;
	f->dlc = f->len;
	return 0;
}

/* "_L" keeps a raw DLC 9..15 that an 8-byte classic frame was sent with. */
static int parse_raw_dlc(struct cursor *c, struct evgw_frame *f)
{
	int raw;

	if (f->len != EVGW_CAN_MAX_DLEN)
		return fail(c, c->pos, "raw DLC needs exactly 8 data bytes");
	raw = hex_val(peek_at(c, 1));
	if (raw <= EVGW_CAN_MAX_DLEN)
		return fail(c, c->pos + 1, "raw DLC must be a hex digit 9..F");
	f->dlc = (uint8_t)raw;
	c->pos += 2;
	return 0;
}

/* Classic frames carry 8 bytes, but logs written by other tools (and the
 * independent decoder's corpus) put longer payloads after a single '#':
 * those are read as they are, up to 64 bytes, without the FD flag. */
static int parse_classic(struct cursor *c, struct evgw_frame *f)
{
	bool err = f->flags & EVGW_FRAME_ERR;
	int rc = parse_data(c, f, err ? EVGW_CAN_MAX_DLEN : EVGW_CANFD_MAX_DLEN,
			    err ? "more than 8 data bytes in an error frame"
				: "more than 64 data bytes in a frame");

	if (rc < 0)
		return rc;
	f->dlc = f->len;
	if (peek(c) == '_')
		return parse_raw_dlc(c, f);
	return 0;
}

static int parse_fd(struct cursor *c, struct evgw_frame *f)
{
	int nib;
	int rc;

	if (f->flags & EVGW_FRAME_ERR)
		return fail(c, c->pos, "error frames cannot be CAN FD");
	c->pos++; /* second '#' */
	nib = hex_val(peek(c));
	if (nib < 0)
		return fail(c, c->pos, "expected CAN FD flags nibble");
	if (nib & ~FD_NIBBLE_MASK)
		return fail(c, c->pos, "unknown CAN FD flag bit");
	c->pos++;
	if (peek(c) == 'R')
		return fail(c, c->pos, "CAN FD frames cannot be remote");
	rc = parse_data(c, f, EVGW_CANFD_MAX_DLEN, "more than 64 data bytes in a CAN FD frame");
	if (rc < 0)
		return rc;
	if (peek(c) == '_')
		return fail(c, c->pos, "raw DLC only in classic frames");
	if (!evgw_canfd_len_valid(f->len))
		return fail(c, c->pos, "invalid CAN FD length");
	f->flags |= EVGW_FRAME_FD;
	if (nib & FD_NIBBLE_BRS)
		f->flags |= EVGW_FRAME_BRS;
	if (nib & FD_NIBBLE_ESI)
		f->flags |= EVGW_FRAME_ESI;
	f->dlc = evgw_canfd_len_to_dlc(f->len);
	return 0;
}

static int parse_frame(struct cursor *c, struct evgw_frame *f)
{
	int rc = parse_id(c, f);

	if (rc < 0)
		return rc;
	c->pos++; /* '#' */
	if (peek(c) == '#')
		rc = parse_fd(c, f);
	else if (peek(c) == 'R')
		rc = parse_remote(c, f);
	else
		rc = parse_classic(c, f);
	if (rc < 0)
		return rc;
	skip_blanks(c);
	if (peek(c) >= 0)
		return fail(c, c->pos, "unexpected text after frame");
	return 0;
}

/* " R" / " T" after a log line's frame: which way it went. */
static void parse_direction(struct cursor *c, struct evgw_candump_line *out)
{
	size_t end = c->end;
	if (end >= 3 && (c->s[end - 1] == 'T' || c->s[end - 1] == 'R') && is_blank((unsigned char)c->s[end - 2])) {
		out->tx = c->s[end - 1] == 'T';
		c->end = end - 2;
		while (c->end > c->pos && is_blank((unsigned char)c->s[c->end - 1]))
			c->end--;
	}
}

static int parse_line(struct cursor *c, struct evgw_candump_line *out)
{
	while (c->end > 0 && is_space((unsigned char)c->s[c->end - 1]))
		c->end--;
	skip_blanks(c);
	if (peek(c) < 0 || peek(c) == '#')
		return EVGW_CANDUMP_BLANK;
	if (peek(c) == '(') {
		int rc = parse_log_prefix(c, out);

		if (rc < 0)
			return rc;
		parse_direction(c, out);
	}
	return parse_frame(c, &out->frame) < 0 ? -EINVAL : EVGW_CANDUMP_FRAME;
}

int evgw_candump_parse_careful(const char *line, size_t len, struct evgw_candump_line *out, size_t *err_col,
			       const char **err_msg)
{
	struct cursor c = {.s = line, .end = line ? len : 0};
	int rc;

	memset(out, 0, sizeof *out);
	rc = parse_line(&c, out);
	if (err_col)
		*err_col = rc < 0 ? c.err_pos + 1 : 0;
	if (err_msg)
		*err_msg = rc < 0 ? c.err_msg : NULL;
	return rc;
}

int evgw_candump_parse_line(const char *line, size_t len, struct evgw_candump_line *out,
			    size_t *err_col, const char **err_msg)
{
	if (evgw_candump_parse_fast(line, len, out)) {
		if (err_col)
			*err_col = 0;
		if (err_msg)
			*err_msg = NULL;
		return EVGW_CANDUMP_FRAME;
	}
	return evgw_candump_parse_careful(line, len, out, err_col, err_msg);
}

static char *put_hex(char *p, uint32_t v, int ndig)
{
	static const char digits[] = "0123456789ABCDEF";

	for (int i = ndig - 1; i >= 0; i--)
		*p++ = digits[(v >> (4 * i)) & 0xF];
	return p;
}

/* The text form cannot carry these, so refuse rather than write a lie. */
static bool frame_formattable(const struct evgw_frame *f)
{
	if (f->flags & EVGW_FRAME_ERR) {
		if (f->flags & (EVGW_FRAME_RTR | EVGW_FRAME_FD) || f->id > EVGW_CAN_EFF_MASK)
			return false;
	} else if (f->id > ((f->flags & EVGW_FRAME_EXT) ? EVGW_CAN_EFF_MASK : EVGW_CAN_SFF_MASK)) {
		return false;
	}
	if (f->flags & EVGW_FRAME_FD)
		return !(f->flags & EVGW_FRAME_RTR) && evgw_canfd_len_valid(f->len);
	if (f->len > ((f->flags & EVGW_FRAME_ERR) ? EVGW_CAN_MAX_DLEN : EVGW_CANFD_MAX_DLEN))
		return false;
	return f->dlc <= 15 || f->len != EVGW_CAN_MAX_DLEN || (f->flags & EVGW_FRAME_RTR);
}

static char *put_id(char *p, const struct evgw_frame *f)
{
	if (f->flags & EVGW_FRAME_ERR)
		return put_hex(p, f->id | ID_ERR_BIT, 8);
	if (f->flags & EVGW_FRAME_EXT)
		return put_hex(p, f->id, 8);
	return put_hex(p, f->id, 3);
}

static char *put_body(char *p, const struct evgw_frame *f)
{
	if (f->flags & EVGW_FRAME_RTR) {
		*p++ = 'R';
		if (f->len > 0)
			*p++ = (char)('0' + f->len);
		return p;
	}
	if (f->flags & EVGW_FRAME_FD) {
		uint32_t nib = FD_NIBBLE_FDF;

		if (f->flags & EVGW_FRAME_BRS)
			nib |= FD_NIBBLE_BRS;
		if (f->flags & EVGW_FRAME_ESI)
			nib |= FD_NIBBLE_ESI;
		*p++ = '#';
		p = put_hex(p, nib, 1);
	}
	for (uint8_t i = 0; i < f->len; i++)
		p = put_hex(p, f->data[i], 2);
	if (!(f->flags & EVGW_FRAME_FD) && f->len == EVGW_CAN_MAX_DLEN && f->dlc > EVGW_CAN_MAX_DLEN) {
		*p++ = '_';
		p = put_hex(p, f->dlc, 1);
	}
	return p;
}

int evgw_candump_format_frame(const struct evgw_frame *f, char *buf, size_t cap)
{
	char tmp[FORMAT_MAX];
	char *p = tmp;
	size_t n;

	if (!frame_formattable(f))
		return -EINVAL;
	p = put_id(p, f);
	*p++ = '#';
	p = put_body(p, f);
	*p = '\0';
	n = (size_t)(p - tmp);
	if (n + 1 > cap) {
		if (cap > 0)
			buf[0] = '\0';
		return -ENOSPC;
	}
	memcpy(buf, tmp, n + 1);
	return (int)n;
}
