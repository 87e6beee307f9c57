// SPDX-License-Identifier: MIT
#include "discover/disc_message.h"

#include <string.h>

struct disc_span disc_span_in_order(struct disc_span s, enum disc_order o)
{
	if (s.order == o)
		return s;
	unsigned lo_bit = disc_bit_at((enum disc_order)s.order, s.nbytes, s.lo);
	unsigned hi_bit = disc_bit_at((enum disc_order)s.order, s.nbytes, s.lo + s.w - 1u);
	if (lo_bit / 8 != hi_bit / 8)
		return s; /* crosses a byte: its order is its own */
	s.order = (uint8_t)o;
	s.lo = disc_index_of(o, s.nbytes, lo_bit);
	return s;
}

static void set_order(struct disc_message *m, enum disc_order o)
{
	m->layout.order = (uint8_t)o;
	if (m->counter.found)
		m->counter.span = disc_span_in_order(m->counter.span, o);
	for (uint32_t i = 0; i < m->layout.n_fields; i++)
		m->layout.fields[i].span = disc_span_in_order(m->layout.fields[i].span, o);
}

size_t disc_analyze_all(const struct disc_collect *c, uint64_t min_frames, struct disc_message *msgs)
{
	size_t n = 0;
	uint32_t votes[2] = {0, 0};
	for (uint32_t i = 0; i < c->n_ids; i++) {
		if (c->ids[i].frames < min_frames)
			continue;
		disc_analyze(&c->ids[i], &msgs[n]);
		const struct disc_layout *l = &msgs[n].layout;
		if (l->joins[DISC_INTEL] != l->joins[DISC_MOTOROLA])
			votes[l->order]++;
		n++;
	}
	enum disc_order o = votes[DISC_MOTOROLA] > votes[DISC_INTEL] ? DISC_MOTOROLA : DISC_INTEL;
	for (size_t i = 0; i < n; i++)
		if (msgs[i].layout.joins[DISC_INTEL] == msgs[i].layout.joins[DISC_MOTOROLA])
			set_order(&msgs[i], o);
	return n;
}

static void take_span(const struct disc_id *d, const struct disc_span *s, bool *taken, bool on)
{
	for (unsigned i = 0; i < s->w; i++)
		taken[disc_bit_at((enum disc_order)s->order, d->max_len, s->lo + i)] = on;
}

void disc_analyze(const struct disc_id *d, struct disc_message *m)
{
	memset(m, 0, sizeof *m);
	m->id = d;
	m->dlc = d->max_len;
	m->length_varies = d->min_len != d->max_len;
	if (d->frames > 1)
		m->period_ms = (double)(d->last_us - d->first_us) / 1000.0 / (double)(d->frames - 1);
	bool taken[DISC_MAX_BITS] = {0};
	for (unsigned b = 0; b < d->max_len * 8u; b++) {
		if (!disc_bit_varies(d, b)) {
			m->const_mask[b / 8] |= (uint8_t)(1u << (b % 8));
			m->const_value[b / 8] |= (uint8_t)(d->ones[b / 8] & (1u << (b % 8)));
		}
	}
	/* The counter first: an XOR or complemented sum over every byte holds
	 * for every byte, and the one holding a counter is not the checksum. */
	if (disc_find_counter(d, taken, &m->counter))
		take_span(d, &m->counter.span, taken, true);
	disc_find_checksum(d, taken, &m->checksum);
	if (m->checksum.kind)
		for (unsigned b = 0; b < 8; b++)
			taken[m->checksum.byte * 8u + b] = true;
	disc_find_fields(d, taken, &m->layout);
	set_order(m, (enum disc_order)m->layout.order);
}
