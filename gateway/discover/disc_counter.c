// SPDX-License-Identifier: MIT
#include "discover/disc_counter.h"

#include <string.h>

#include "discover/disc_fields.h"

static bool span_free(const struct disc_span *s, const bool *taken)
{
	for (unsigned i = 0; i < s->w; i++)
		if (taken[disc_bit_at((enum disc_order)s->order, s->nbytes, s->lo + i)])
			return false;
	return true;
}

/* How many sampled pairs step by st modulo m; *n: pairs counted. */
static uint32_t count_steps(const struct disc_id *d, const struct disc_span *s, uint64_t m, uint64_t st, uint32_t *n)
{
	uint32_t good = 0;
	*n = 0;
	for (uint32_t i = 0; i < d->n_sample; i++) {
		if (d->pairs[i].len != d->max_len)
			continue;
		uint64_t x = disc_span_value(s, disc_pair_prev(d, i)), y = disc_span_value(s, disc_pair_cur(d, i));
		(*n)++;
		good += (x + st) % m == y;
	}
	return good;
}

/* The wrap a counter stepping by delta (signed, as its plain steps go)
 * shows where it goes round: a + delta - b for an up counter's pair a, b
 * with b < a (b - a - delta for a down counter's). A counter that visits
 * every value wraps at its largest + 1 anyway; one whose step and wrap
 * share a factor (+3 modulo 15: 1, 4, 7, 10, 13, 1) does not. 0 when no
 * pair goes round so, or the wrap is not above maxv and within the span. */
static uint64_t wrap_of(const struct disc_id *d, const struct disc_span *s, int64_t delta, uint64_t maxv)
{
	for (uint32_t i = 0; i < d->n_sample; i++) {
		if (d->pairs[i].len != d->max_len)
			continue;
		int64_t a = (int64_t)disc_span_value(s, disc_pair_prev(d, i));
		int64_t b = (int64_t)disc_span_value(s, disc_pair_cur(d, i));
		int64_t m = delta > 0 && b < a ? a + delta - b : delta < 0 && b > a ? b - a - delta : 0;
		if (m > 0) {
			bool fits = (uint64_t)m > maxv + 1 && (s->w >= 63 || (uint64_t)m <= (1ull << s->w));
			return fits ? (uint64_t)m : 0;
		}
	}
	return 0;
}

/* The share of sampled pairs in which the span stepped by the same
 * constant modulo its wrap; *mod: that wrap, *step: the constant. The
 * step is the most common one among the first few pairs' (a counter's,
 * at 90 % or more, is among the first four's but for one log in 10^4);
 * the wrap is the largest value seen + 1, or where the counter is seen
 * going round (wrap_of). */
static double step_share(const struct disc_id *d, const struct disc_span *s, uint32_t *mod, uint32_t *step)
{
	uint64_t maxv = 0;
	for (uint32_t i = 0; i < d->n_sample; i++) {
		if (d->pairs[i].len != d->max_len)
			continue;
		uint64_t a = disc_span_value(s, disc_pair_prev(d, i)), b = disc_span_value(s, disc_pair_cur(d, i));
		maxv = a > maxv ? a : maxv;
		maxv = b > maxv ? b : maxv;
	}
	int64_t tried[4];
	unsigned n_tried = 0;
	uint32_t best = 0, n = 0;
	*mod = (uint32_t)(maxv + 1);
	*step = 1;
	for (uint32_t j = 0; j < d->n_sample && n_tried < 4; j++) {
		if (d->pairs[j].len != d->max_len)
			continue;
		int64_t delta = (int64_t)disc_span_value(s, disc_pair_cur(d, j)) -
				(int64_t)disc_span_value(s, disc_pair_prev(d, j));
		bool seen = delta == 0;
		for (unsigned k = 0; k < n_tried; k++)
			seen |= tried[k] == delta;
		if (seen)
			continue;
		tried[n_tried++] = delta;
		uint64_t mods[2] = {maxv + 1, wrap_of(d, s, delta, maxv)};
		for (int k = 0; k < 2; k++) {
			uint64_t m = mods[k];
			if (!m)
				continue;
			uint64_t st = (uint64_t)((delta % (int64_t)m + (int64_t)m) % (int64_t)m);
			if (!st)
				continue;
			uint32_t good = count_steps(d, s, m, st, &n);
			/* +1 on a tie: a 2-bit counter steps by 1 and by 3 alike
			 * often only when it is none. */
			if (good > best || (good == best && st == 1 && *step != 1)) {
				best = good;
				*step = (uint32_t)st;
				*mod = (uint32_t)m;
			}
		}
	}
	return n ? (double)best / n : 0;
}

/* Whether the span went round within the log. A counter that never did
 * climbed by one per frame from its first value to its last, so the values
 * sampled span about as many steps as there were pairs; one that did has
 * either stepped down somewhere or spans fewer (it came round) or more (it
 * came round part way, leaving a gap) steps than there were pairs. The
 * sample's extremes miss the log's by about n_pairs / n_sample each. */
static bool went_round(const struct disc_id *d, const struct disc_span *s)
{
	uint64_t minv = UINT64_MAX, maxv = 0;
	for (uint32_t i = 0; i < d->n_sample; i++) {
		if (d->pairs[i].len != d->max_len)
			continue;
		uint64_t a = disc_span_value(s, disc_pair_prev(d, i)), b = disc_span_value(s, disc_pair_cur(d, i));
		if (b < a)
			return true;
		minv = a < minv ? a : minv;
		maxv = b > maxv ? b : maxv;
	}
	if (maxv < minv)
		return true;
	double steps = (double)d->n_pairs, range = (double)(maxv - minv);
	double slack = 2.0 * steps / (d->n_sample ? d->n_sample : 1) + 2;
	return range + slack < 0.9 * steps || range > 1.2 * steps + 2;
}

/* Whether the bit above the span flips whenever the span goes round (its
 * value falls), as the next bit of a wider number does at every wrap: in
 * at least 3 of 4 sampled wraps. (A wider counter's, or that of a checksum
 * only the counter moves, the counter plus a constant.) A field of its own
 * above a counter (an enum, a flag) that changes often enough to meet the
 * top bit's flips now and then is still at most wraps: it flips there as
 * often as anywhere. */
static bool carries_into(const struct disc_id *d, const struct disc_span *s, unsigned above)
{
	uint32_t wraps = 0, carried = 0;
	for (uint32_t i = 0; i < d->n_sample; i++) {
		if (d->pairs[i].len != d->max_len)
			continue;
		const uint8_t *p = disc_pair_prev(d, i), *q = disc_pair_cur(d, i);
		if (disc_span_value(s, q) >= disc_span_value(s, p))
			continue;
		wraps++;
		carried += disc_get_bit(p, above) != disc_get_bit(q, above);
	}
	return wraps && 4 * carried >= 3 * wraps;
}

/* A counter that never went round shows only the bits it reached; a DBC
 * gives a counter a whole number of bytes (4-bit counters go round within
 * 16 frames). So its width is taken up to 8, or 16 when over 8, through
 * bits that never moved; and an 8-bit one to 16 when the byte above never
 * moved and holds neither 0x00 nor 0xFF (what unused bytes are padded
 * with: set bits there are the counter's high byte). If those bits are
 * not all free and unmoving, the width seen is kept. */
static bool free_still(const struct disc_id *d, const bool *taken, const struct disc_span *s, unsigned from,
		       unsigned to, unsigned *value)
{
	unsigned nbits = d->max_len * 8u;
	*value = 0;
	for (unsigned k = from; k < to; k++) {
		if (k >= nbits)
			return false;
		unsigned b = disc_bit_at((enum disc_order)s->order, d->max_len, k);
		if (taken[b] || disc_bit_varies(d, b))
			return false;
		*value |= (unsigned)((d->ones[b / 8] >> (b % 8)) & 1u) << (k - from);
	}
	return true;
}

static unsigned widened(const struct disc_id *d, const bool *taken, const struct disc_span *s)
{
	unsigned lo = s->lo, w = s->w, want = w <= 8 ? 8 : 16, v;
	if (free_still(d, taken, s, lo + w, lo + want, &v))
		w = want;
	if (w == 8 && free_still(d, taken, s, lo + 8, lo + 16, &v) && v != 0 && v != 0xFF)
		w = 16;
	return w;
}

static void widen_unwrapped(const struct disc_id *d, const bool *taken, struct disc_counter *c)
{
	if (c->step != 1 || went_round(d, &c->span))
		return;
	c->wrapped = false;
	unsigned w = widened(d, taken, &c->span);
	/* Inside one byte both orders are the same bits, but the byte above
	 * is the next one in Intel order and the one before in Motorola: when
	 * the frame ends above it in one order, the other is tried. */
	unsigned lsb = disc_bit_at((enum disc_order)c->span.order, d->max_len, c->span.lo);
	unsigned msb = disc_bit_at((enum disc_order)c->span.order, d->max_len, c->span.lo + c->span.w - 1u);
	if (lsb / 8 == msb / 8 && c->span.lo + 16u > d->max_len * 8u) {
		enum disc_order o = c->span.order == DISC_INTEL ? DISC_MOTOROLA : DISC_INTEL;
		struct disc_span other = {(uint8_t)o, disc_index_of(o, d->max_len, lsb), c->span.w, d->max_len};
		unsigned w2 = widened(d, taken, &other);
		if (w2 > w) {
			c->span = other;
			w = w2;
		}
	}
	c->span.w = (uint8_t)w;
	c->modulo = (uint32_t)1 << w;
}

bool disc_find_counter(const struct disc_id *d, const bool *taken, struct disc_counter *out)
{
	memset(out, 0, sizeof *out);
	unsigned nbits = d->max_len * 8u;
	if (d->n_pairs < 8 || d->n_sample < 8)
		return false;
	for (unsigned lsb = 0; lsb < nbits; lsb++) {
		if (taken[lsb] || d->flips[lsb] < d->n_pairs * 8 / 10)
			continue;
		for (int o = 0; o < 2; o++) {
			unsigned k0 = disc_index_of((enum disc_order)o, d->max_len, lsb);
			for (unsigned w = 16; w >= 2; w--) {
				if (k0 + w > nbits)
					continue;
				struct disc_span s = {(uint8_t)o, (uint16_t)k0, (uint8_t)w, d->max_len};
				unsigned top = disc_bit_at((enum disc_order)o, d->max_len, k0 + w - 1);
				if (!disc_bit_varies(d, top) || !span_free(&s, taken))
					continue;
				/* The bit above moving with the top one: the low bits of a
				 * wider number (a sum that only the counter moves), not a
				 * counter of their own. */
				if (k0 + w < nbits) {
					unsigned above = disc_bit_at((enum disc_order)o, d->max_len, k0 + w);
					/* (A carry out of w bits flips it once per 2^w frames;
					 * a flag that changes far less often and met the top
					 * bit's flips by chance is not one.) */
					if (!taken[above] && disc_bit_varies(d, above) &&
					    (double)d->flips[above] * 2.0 * (double)(1u << w) >= (double)d->n_pairs &&
					    disc_bits_join_how(d, (enum disc_order)o, top, above) >= DISC_JOIN_TOGETHER &&
					    carries_into(d, &s, above))
						continue;
				}

				uint32_t mod, step;
				double share = step_share(d, &s, &mod, &step);
				if (share < DISC_CTR_SHARE || mod < 3)
					continue;
				/* The steadiest wins (a flag above a counter makes a wider
				 * field that fails at each wrap); on a tie a +1 counter
				 * (a checksum that only the counter moves, complemented or
				 * XORed with it, counts down as steadily), then the
				 * widest, then the lowest. */
				bool tie = share > out->share - 1e-9, up = step == 1, was_up = out->step == 1;
				if (!out->found || share > out->share + 1e-9 || (tie && up && !was_up) ||
				    (tie && up == was_up && w > out->span.w)) {
					out->found = true;
					out->span = s;
					out->modulo = mod;
					out->step = step;
					out->share = share;
					out->wrapped = true;
				}
			}
		}
	}
	/* Best over every starting bit, not the first: a checksum that only
	 * the counter moves (a sum of the counter and constants) counts up in
	 * its low bits too, but wraps unevenly. */
	if (out->found)
		widen_unwrapped(d, taken, out);
	return out->found;
}
