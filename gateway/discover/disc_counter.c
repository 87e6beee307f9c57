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

/* The share of sampled pairs in which the span stepped by one (wrapping
 * at its largest value seen + 1); *mod: that wrap. */
static double step_share(const struct disc_id *d, const struct disc_span *s, uint32_t *mod)
{
	uint64_t maxv = 0;
	uint32_t n = 0, good = 0;
	for (uint32_t i = 0; i < d->n_sample; i++) {
		if (d->pairs[i].len != d->max_len)
			continue;
		uint64_t a = disc_span_value(s, disc_pair_prev(d, i)), b = disc_span_value(s, disc_pair_cur(d, i));
		maxv = a > maxv ? a : maxv;
		maxv = b > maxv ? b : maxv;
	}
	uint64_t m = maxv + 1;
	for (uint32_t i = 0; i < d->n_sample; i++) {
		if (d->pairs[i].len != d->max_len)
			continue;
		uint64_t a = disc_span_value(s, disc_pair_prev(d, i)), b = disc_span_value(s, disc_pair_cur(d, i));
		n++;
		good += (a + 1) % m == b;
	}
	*mod = (uint32_t)m;
	return n ? (double)good / n : 0;
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
					if (!taken[above] && disc_bit_varies(d, above) &&
					    disc_bits_join_how(d, (enum disc_order)o, top, above) >= DISC_JOIN_TOGETHER)
						continue;
				}

				uint32_t mod;
				double share = step_share(d, &s, &mod);
				if (share < DISC_CTR_SHARE || mod < 3)
					continue;
				/* The steadiest wins (a flag above a counter makes a wider
				 * field that fails at each wrap), the widest on a tie, the
				 * lowest on a tie of both. */
				if (!out->found || share > out->share + 1e-9 ||
				    (share > out->share - 1e-9 && w > out->span.w)) {
					out->found = true;
					out->span = s;
					out->modulo = mod;
					out->share = share;
				}
			}
		}
	}
	/* Best over every starting bit, not the first: a checksum that only
	 * the counter moves (a sum of the counter and constants) counts up in
	 * its low bits too, but wraps unevenly. */
	return out->found;
}
