// SPDX-License-Identifier: MIT
/* A bounded reader over untrusted bytes, internal to gateway/j1939/. Every
 * read checks what is left first; a short read returns 0 and marks the cursor
 * bad, so a parser reads a whole record and checks `bad` once. */
#ifndef EVGW_J1939_J1939_CUR_H
#define EVGW_J1939_J1939_CUR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct j1939_cur {
	const uint8_t *p;
	size_t len;
	size_t pos;
	bool bad;
};

static inline struct j1939_cur j1939_cur_make(const uint8_t *p, size_t len)
{
	struct j1939_cur c = {p, p ? len : 0, 0, false};
	return c;
}

static inline size_t j1939_cur_left(const struct j1939_cur *c)
{
	return c->len - c->pos;
}

static inline bool j1939_cur_need(struct j1939_cur *c, size_t n)
{
	if (c->bad || n > c->len - c->pos) {
		c->bad = true;
		return false;
	}
	return true;
}

static inline uint8_t j1939_cur_u8(struct j1939_cur *c)
{
	if (!j1939_cur_need(c, 1))
		return 0;
	return c->p[c->pos++];
}

/* J1939 sends multi-byte numbers least significant byte first (J1939-71
 * 5.1.2 "transmission of parameters"). */
static inline uint16_t j1939_cur_le16(struct j1939_cur *c)
{
	if (!j1939_cur_need(c, 2))
		return 0;
	uint16_t v = (uint16_t)(c->p[c->pos] | c->p[c->pos + 1] << 8);
	c->pos += 2;
	return v;
}

static inline uint32_t j1939_cur_le24(struct j1939_cur *c)
{
	if (!j1939_cur_need(c, 3))
		return 0;
	uint32_t v = c->p[c->pos] | (uint32_t)c->p[c->pos + 1] << 8 | (uint32_t)c->p[c->pos + 2] << 16;
	c->pos += 3;
	return v;
}

/* A pointer to the next n bytes, or NULL (and bad) when fewer are left. */
static inline const uint8_t *j1939_cur_take(struct j1939_cur *c, size_t n)
{
	if (!j1939_cur_need(c, n))
		return NULL;
	const uint8_t *q = c->p + c->pos;
	c->pos += n;
	return q;
}

#endif
