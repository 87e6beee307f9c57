// SPDX-License-Identifier: MIT
/* socketcand's text; proto.h gives the messages. */
#include "socketcand/proto.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct cur {
	const char *s;
	size_t pos, end;
};

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The next word: [*w, *w + *n), or false at the end. */
static bool word(struct cur *c, const char **w, size_t *n)
{
	while (c->pos < c->end && blank(c->s[c->pos]))
		c->pos++;
	if (c->pos == c->end)
		return false;
	size_t start = c->pos;
	while (c->pos < c->end && !blank(c->s[c->pos]))
		c->pos++;
	*w = c->s + start;
	*n = c->pos - start;
	return true;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static bool hex(const char *w, size_t n, size_t max_digits, uint32_t *out)
{
	if (!n || n > max_digits)
		return false;
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++) {
		int d = hexval(w[i]);
		if (d < 0)
			return false;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return true;
}

static bool dec(const char *w, size_t n, uint32_t max, uint32_t *out)
{
	if (!n || n > 3)
		return false;
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (w[i] < '0' || w[i] > '9')
			return false;
		v = v * 10 + (uint32_t)(w[i] - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

static int fail(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	return -EINVAL;
}

static bool is(const char *w, size_t n, const char *lit)
{
	return n == strlen(lit) && !memcmp(w, lit, n);
}

/* "ID" of send/fdsend: 8 digits, a value above 0x7FF or bit 31 mean a
 * 29-bit id. */
static int parse_id(struct cur *c, struct evgw_frame *f, char *err, size_t errlen)
{
	const char *w;
	size_t n;
	uint32_t v;
	if (!word(c, &w, &n) || !hex(w, n, 8, &v))
		return fail(err, errlen, "the id must be 1 to 8 hex digits");
	bool ext = n == 8 || (v & 0x80000000u) || v > EVGW_CAN_SFF_MASK;
	v &= 0x7FFFFFFFu;
	if (v > EVGW_CAN_EFF_MASK)
		return fail(err, errlen, "the id is wider than 29 bits");
	f->id = v;
	f->flags = ext ? EVGW_FRAME_EXT : 0;
	return 0;
}

static int parse_data(struct cur *c, struct evgw_frame *f, char *err, size_t errlen)
{
	const char *w;
	size_t n;
	for (unsigned i = 0; i < f->len; i++) {
		uint32_t b;
		if (!word(c, &w, &n))
			return fail(err, errlen, "fewer data bytes than the length says");
		if (!hex(w, n, 2, &b))
			return fail(err, errlen, "a data byte must be 1 or 2 hex digits");
		f->data[i] = (uint8_t)b;
	}
	if (word(c, &w, &n))
		return fail(err, errlen, "more data bytes than the length says");
	return 0;
}

static int parse_send(struct cur *c, struct evgw_sc_command *cmd, bool fd, char *err, size_t errlen)
{
	struct evgw_frame *f = &cmd->frame;
	memset(f, 0, sizeof *f);
	int r = parse_id(c, f, err, errlen);
	if (r < 0)
		return r;
	const char *w;
	size_t n;
	uint32_t v;
	if (fd) {
		if (!word(c, &w, &n) || !hex(w, n, 2, &v) || v > 0x0F)
			return fail(err, errlen, "the CAN FD flags must be hex 0..F");
		f->flags |= EVGW_FRAME_FD | ((v & 1) ? EVGW_FRAME_BRS : 0) | ((v & 2) ? EVGW_FRAME_ESI : 0);
		if (!word(c, &w, &n) || !dec(w, n, EVGW_CANFD_MAX_DLEN, &v) || !evgw_canfd_len_valid((uint8_t)v))
			return fail(err, errlen, "the length must be a CAN FD length (0..8, 12, 16, 20, 24, 32, 48, 64)");
		f->len = (uint8_t)v;
		f->dlc = evgw_canfd_len_to_dlc(f->len);
	} else {
		if (!word(c, &w, &n) || !dec(w, n, EVGW_CAN_MAX_DLEN, &v))
			return fail(err, errlen, "the length must be 0..8");
		f->len = f->dlc = (uint8_t)v;
	}
	r = parse_data(c, f, err, errlen);
	if (r < 0)
		return r;
	cmd->kind = EVGW_SC_SEND;
	return 0;
}

/* The words between "<" and ">". */
static int parse_body(struct cur *c, struct evgw_sc_command *cmd, char *err, size_t errlen)
{
	const char *w, *b;
	size_t n, bn;
	if (!word(c, &w, &n))
		return fail(err, errlen, "an empty message");
	if (is(w, n, "open")) {
		if (!word(c, &b, &bn))
			return fail(err, errlen, "open needs a bus name");
		if (bn > EVGW_SC_MAX_BUS)
			return fail(err, errlen, "the bus name is too long");
		memcpy(cmd->bus, b, bn);
		cmd->bus[bn] = '\0';
		if (word(c, &b, &bn))
			return fail(err, errlen, "open takes one bus name");
		cmd->kind = EVGW_SC_OPEN;
		return 0;
	}
	if (is(w, n, "send") || is(w, n, "fdsend"))
		return parse_send(c, cmd, n == 6, err, errlen);
	enum evgw_sc_kind k = is(w, n, "rawmode") ? EVGW_SC_RAWMODE : is(w, n, "bcmmode") ? EVGW_SC_BCMMODE
			       : is(w, n, "echo") ? EVGW_SC_ECHO : EVGW_SC_UNKNOWN;
	if (k != EVGW_SC_UNKNOWN && word(c, &b, &bn))
		return fail(err, errlen, "this command takes no arguments");
	cmd->kind = k;
	if (k == EVGW_SC_UNKNOWN) {
		size_t cut = n < sizeof cmd->word - 1 ? n : sizeof cmd->word - 1;
		for (size_t i = 0; i < cut; i++) /* shown back to the client: printable only */
			cmd->word[i] = (w[i] > ' ' && w[i] < 0x7F && w[i] != '<' && w[i] != '>') ? w[i] : '?';
		cmd->word[cut] = '\0';
	}
	return 0;
}

int evgw_sc_parse(const char *buf, size_t len, size_t *used, struct evgw_sc_command *cmd, char *err,
		  size_t errlen)
{
	memset(cmd, 0, sizeof *cmd);
	if (errlen)
		err[0] = '\0';
	*used = 0;
	const char *lt = memchr(buf, '<', len);
	if (!lt) { /* nothing but what comes between messages */
		*used = len;
		return 0;
	}
	size_t start = (size_t)(lt - buf);
	size_t avail = len - start;
	size_t look = avail < EVGW_SC_MAX_MESSAGE ? avail : EVGW_SC_MAX_MESSAGE;
	const char *gt = memchr(lt, '>', look);
	if (!gt) {
		*used = start;
		if (avail >= EVGW_SC_MAX_MESSAGE) {
			*used = len;
			fail(err, errlen, "a message of 512 bytes without its '>'");
			return -E2BIG;
		}
		return 0;
	}
	/* A '<' inside: the message before it was cut; take the later one. */
	const char *again = memchr(lt + 1, '<', (size_t)(gt - lt - 1));
	if (again) {
		*used = (size_t)(again - buf);
		return fail(err, errlen, "a message without its '>'");
	}
	*used = (size_t)(gt - buf) + 1;
	struct cur c = {lt + 1, 0, (size_t)(gt - lt - 1)};
	int r = parse_body(&c, cmd, err, errlen);
	return r < 0 ? r : 1;
}

static char *put_hex(char *p, uint32_t v, int digits)
{
	static const char hx[] = "0123456789ABCDEF";
	for (int i = digits - 1; i >= 0; i--)
		*p++ = hx[(v >> (4 * i)) & 0xF];
	return p;
}

/* "SECS.USECS" */
static char *put_ts(char *p, int64_t us)
{
	if (us < 0)
		us = 0;
	char tmp[24];
	int n = 0;
	int64_t s = us / 1000000;
	do
		tmp[n++] = (char)('0' + s % 10);
	while ((s /= 10) > 0);
	while (n)
		*p++ = tmp[--n];
	*p++ = '.';
	int64_t frac = us % 1000000;
	for (int64_t d = 100000; d > 0; d /= 10)
		*p++ = (char)('0' + (frac / d) % 10);
	return p;
}

static char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

int evgw_sc_format_frame(const struct evgw_frame *f, char *buf)
{
	char *p = buf;
	bool ext = f->flags & EVGW_FRAME_EXT;
	if (f->len > EVGW_CANFD_MAX_DLEN)
		return -EINVAL;
	if (f->flags & EVGW_FRAME_ERR) {
		p = put_str(p, "< error ");
		p = put_hex(p, f->id & EVGW_CAN_EFF_MASK, 3);
		*p++ = ' ';
		p = put_ts(p, f->ts_us);
		p = put_str(p, " >\n");
		return (int)(p - buf);
	}
	uint32_t id = f->id & (ext ? EVGW_CAN_EFF_MASK : EVGW_CAN_SFF_MASK);
	if (f->flags & EVGW_FRAME_RTR) {
		p = put_str(p, "< rtr ");
		p = put_hex(p, id, ext ? 8 : 3);
		*p++ = ' ';
		p = put_ts(p, f->ts_us);
		*p++ = ' ';
		*p++ = (char)('0' + (f->len > 8 ? 8 : f->len));
		p = put_str(p, " >\n");
		return (int)(p - buf);
	}
	bool fd = f->flags & EVGW_FRAME_FD;
	p = put_str(p, fd ? "< fdframe " : "< frame ");
	p = put_hex(p, id, ext ? 8 : 3);
	*p++ = ' ';
	if (fd) {
		p = put_hex(p, ((f->flags & EVGW_FRAME_BRS) ? 1u : 0u) | ((f->flags & EVGW_FRAME_ESI) ? 2u : 0u), 2);
		*p++ = ' ';
	}
	p = put_ts(p, f->ts_us);
	*p++ = ' ';
	for (unsigned i = 0; i < f->len; i++)
		p = put_hex(p, f->data[i], 2);
	p = put_str(p, " >\n");
	return (int)(p - buf);
}
