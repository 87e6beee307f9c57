// SPDX-License-Identifier: MIT
/* J1939-81 address claim tracking; the rules are in j1939_addr.h. */
#include "j1939/j1939_addr.h"

#include <errno.h>
#include <string.h>

uint64_t j1939_name_from_bytes(const uint8_t b[8])
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

void j1939_name_to_bytes(uint64_t name, uint8_t b[8])
{
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(name >> (8 * i));
}

/* Field positions and widths, J1939-81 "NAME fields" (see the header). */
#define NAME_FIELD(v, lsb, width) ((v) >> (lsb) & ((UINT64_C(1) << (width)) - 1u))

void j1939_name_decode(uint64_t v, struct j1939_name *out)
{
	out->identity = (uint32_t)NAME_FIELD(v, 0, 21);
	out->manufacturer = (uint16_t)NAME_FIELD(v, 21, 11);
	out->ecu_instance = (uint8_t)NAME_FIELD(v, 32, 3);
	out->function_instance = (uint8_t)NAME_FIELD(v, 35, 5);
	out->function = (uint8_t)NAME_FIELD(v, 40, 8);
	out->vehicle_system = (uint8_t)NAME_FIELD(v, 49, 7);
	out->vehicle_system_instance = (uint8_t)NAME_FIELD(v, 56, 4);
	out->industry_group = (uint8_t)NAME_FIELD(v, 60, 3);
	out->arbitrary_address = NAME_FIELD(v, 63, 1) != 0;
}

int j1939_name_encode(const struct j1939_name *n, uint64_t *out)
{
	if (n->identity >> 21 || n->manufacturer >> 11 || n->ecu_instance >> 3 ||
	    n->function_instance >> 5 || n->vehicle_system >> 7 || n->vehicle_system_instance >> 4 ||
	    n->industry_group >> 3)
		return -EINVAL;
	*out = (uint64_t)n->identity | (uint64_t)n->manufacturer << 21 |
	       (uint64_t)n->ecu_instance << 32 | (uint64_t)n->function_instance << 35 |
	       (uint64_t)n->function << 40 | (uint64_t)n->vehicle_system << 49 |
	       (uint64_t)n->vehicle_system_instance << 56 | (uint64_t)n->industry_group << 60 |
	       (uint64_t)(n->arbitrary_address ? 1u : 0u) << 63;
	return 0;
}

void j1939_addr_init(struct j1939_addr_table *t)
{
	memset(t, 0, sizeof *t);
}

uint8_t j1939_addr_find(const struct j1939_addr_table *t, uint64_t name)
{
	for (unsigned i = 0; i < J1939_ADDR_COUNT; i++)
		if (t->a[i].used && t->a[i].name == name)
			return (uint8_t)i;
	return J1939_ADDR_NULL;
}

void j1939_addr_forget(struct j1939_addr_table *t, uint8_t sa)
{
	if (sa < J1939_ADDR_COUNT)
		memset(&t->a[sa], 0, sizeof t->a[sa]);
}

static void hold(struct j1939_addr_entry *e, uint64_t name, int64_t now_us)
{
	memset(e, 0, sizeof *e);
	e->used = true;
	e->name = name;
	e->first_us = now_us;
	e->last_us = now_us;
	e->claims = 1;
}

/* Remove name from any address but keep; returns where it was, or 0xFE. */
static uint8_t unhold(struct j1939_addr_table *t, uint64_t name, unsigned keep)
{
	uint8_t at = j1939_addr_find(t, name);
	if (at != J1939_ADDR_NULL && at != keep) {
		j1939_addr_forget(t, at);
		return at;
	}
	return J1939_ADDR_NULL;
}

/* A contest whose 250 ms ran out without the holder's answer goes to the
 * contender (J1939-81: a claim unanswered for 250 ms stands). */
static void settle(struct j1939_addr_table *t, unsigned sa, int64_t now_us)
{
	struct j1939_addr_entry *e = &t->a[sa];

	if (!e->used || !e->contested || now_us < e->contest_until_us)
		return;
	uint64_t name = e->contender;
	int64_t since = e->contest_until_us;
	unhold(t, name, sa);
	hold(e, name, since);
}

bool j1939_addr_lookup(struct j1939_addr_table *t, uint8_t sa, int64_t now_us, uint64_t *name)
{
	if (sa >= J1939_ADDR_COUNT)
		return false;
	settle(t, sa, now_us);
	if (!t->a[sa].used)
		return false;
	if (name)
		*name = t->a[sa].name;
	return true;
}

int j1939_addr_rx(struct j1939_addr_table *t, const struct evgw_frame *f, int64_t now_us,
		  struct j1939_addr_event *ev)
{
	struct j1939_addr_event e = {J1939_AC_NONE, 0, J1939_ADDR_NULL, 0, 0};
	struct j1939_addr_entry *h;

	if (!j1939_frame_ok(f) || j1939_id_pgn(f->id) != J1939_PGN_ADDR_CLAIM)
		return J1939_AC_NONE;
	e.sa = j1939_id_sa(f->id);
	/* J1939-81: the NAME is exactly 8 bytes; 0xFF is no source. */
	if (f->len != 8 || e.sa == J1939_ADDR_GLOBAL)
		return -EBADMSG;
	e.name = j1939_name_from_bytes(f->data);
	if (e.sa == J1939_ADDR_NULL) {
		t->cannot_claim++;
		e.result = J1939_AC_CANNOT_CLAIM;
		e.old_sa = unhold(t, e.name, J1939_ADDR_COUNT);
		goto out;
	}
	settle(t, e.sa, now_us);
	h = &t->a[e.sa];
	if (!h->used) {
		e.old_sa = unhold(t, e.name, e.sa);
		e.result = e.old_sa == J1939_ADDR_NULL ? J1939_AC_NEW : J1939_AC_MOVED;
		hold(h, e.name, now_us);
	} else if (h->name == e.name) {
		e.result = h->contested ? J1939_AC_DEFENDED : J1939_AC_REFRESH;
		e.other_name = h->contested ? h->contender : 0;
		h->contested = false;
		h->last_us = now_us;
		h->claims++;
	} else if (e.name < h->name) {
		/* The lower NAME has the higher priority and wins at once. */
		e.result = J1939_AC_TAKEN;
		e.other_name = h->name;
		e.old_sa = unhold(t, e.name, e.sa);
		hold(h, e.name, now_us);
		t->conflicts++;
	} else {
		e.result = J1939_AC_CONTESTED;
		e.other_name = h->name;
		if (!h->contested || h->contender != e.name) {
			h->contested = true;
			h->contender = e.name;
			h->contest_until_us = now_us + J1939_ADDR_CLAIM_WAIT_US;
		}
		t->conflicts++;
	}
out:
	if (ev)
		*ev = e;
	return e.result;
}

void j1939_addr_build_request(struct evgw_frame *f, uint8_t da, uint8_t sa)
{
	j1939_request_build(f, J1939_PGN_ADDR_CLAIM, da, sa);
}

void j1939_addr_build_claim(struct evgw_frame *f, uint8_t sa, uint64_t name)
{
	uint8_t b[8];

	j1939_name_to_bytes(name, b);
	j1939_frame_init(f, J1939_PRIO_DEFAULT, J1939_PGN_ADDR_CLAIM, J1939_ADDR_GLOBAL, sa, b, 8);
}
