// SPDX-License-Identifier: MIT
#include "discover/disc_fields.h"

#include <math.h>
#include <string.h>

/* Whether n or more coincidences are unlikely (below 2 %) when `expect`
 * are expected by chance: the Poisson tail, or for a large expectation its
 * normal approximation. (Stricter tests split the rare steps of a short
 * log; looser ones join independent flags: measured on the bench.) */
static bool unlikely_by_chance(double n, double expect)
{
	if (n <= expect)
		return false;
	if (expect > 50)
		return (n - expect) / sqrt(expect) >= 2;
	double term = exp(-expect), below = 0;
	for (unsigned k = 0; k < (unsigned)n && k < 400; k++) {
		below += term;
		term *= expect / (k + 1);
	}
	return 1 - below < 0.02;
}

enum disc_join disc_bits_join_how(const struct disc_id *d, enum disc_order o, unsigned a, unsigned b)
{
	/* co_intel[b] counts b with b-1, co_moto[b] (b a byte's bit 0) counts
	 * b with bit 7 of the next byte. */
	uint64_t nab;
	if (a + 1 == b)
		nab = d->co_intel[b];
	else if (o == DISC_MOTOROLA && b % 8 == 0 && a == b + 15)
		nab = d->co_moto[b];
	else
		return DISC_JOIN_NONE;
	double n = (double)d->n_pairs, na = (double)d->flips[a], nb = (double)d->flips[b];
	if (n < 1 || na < 1 || nb < 1)
		return DISC_JOIN_NONE;
	double ra = na / n, rb = nb / n, c = (double)nab / nb, lift = c / ra;
	if (c >= 0.75 && lift >= 1.15)
		return DISC_JOIN_CARRY;
	/* Changes at the same moments, more often than chance (nb * ra
	 * expected), so that a few coincidences are not taken for one field. */
	double expect = nb * ra;
	if (c >= 0.15 && lift >= 2 && unlikely_by_chance((double)nab, expect))
		return DISC_JOIN_TOGETHER;
	/* The near-random low bits of one value: both flip often (their rates
	 * need not fall steadily), or b a little less than a. */
	if (ra >= 0.3 && rb >= 0.3)
		return DISC_JOIN_NOISE;
	/* Below that, b flipping no more often than a joins them only when
	 * they also flip together more than chance: independent flags that
	 * happen to change as often as each other stay apart. */
	if (ra >= 0.2 && rb >= 0.1 && rb <= ra * 1.1 + 0.02 && (double)nab >= expect + 2 * sqrt(expect))
		return DISC_JOIN_NOISE;
	return DISC_JOIN_NONE;
}

bool disc_bits_join(const struct disc_id *d, enum disc_order o, unsigned a, unsigned b)
{
	return disc_bits_join_how(d, o, a, b) != DISC_JOIN_NONE;
}

static int64_t as_signed(uint64_t v, unsigned w)
{
	if (w >= 64)
		return (int64_t)v;
	uint64_t sign = 1ull << (w - 1);
	return (int64_t)((v ^ sign) - sign);
}

bool disc_span_signed(const struct disc_id *d, const struct disc_span *s)
{
	if (s->w < 2 || s->w > 63)
		return false;
	double half = ldexp(1.0, s->w - 1);
	uint32_t big_u = 0, big_s = 0, n = 0, neg = 0, changed = 0;
	double su = 0, su2 = 0, ss = 0, ss2 = 0;
	for (uint32_t i = 0; i < d->n_sample; i++) {
		if (d->pairs[i].len != d->max_len)
			continue;
		uint64_t a = disc_span_value(s, disc_pair_prev(d, i)), b = disc_span_value(s, disc_pair_cur(d, i));
		double du = fabs((double)b - (double)a);
		double ds = fabs((double)as_signed(b, s->w) - (double)as_signed(a, s->w));
		changed += a != b;
		big_u += du >= half;
		big_s += ds >= half;
		double vu = (double)b, vs = (double)as_signed(b, s->w);
		su += vu;
		su2 += vu * vu;
		ss += vs;
		ss2 += vs * vs;
		neg += vs < 0;
		n++;
	}
	if (!n || !neg)
		return false;
	/* Only a value that moves in small steps says anything: one that jumps
	 * at random across its range jumps as far read either way. */
	if (big_s > changed / 20 && big_u > changed / 20)
		return false;
	if (big_u > changed / 5)
		return false;
	if ((big_u >= 1 && big_s == 0) || big_u >= 3 * big_s + 2)
		return true;
	double var_u = su2 / n - (su / n) * (su / n), var_s = ss2 / n - (ss / n) * (ss / n);
	return var_s >= 0 && var_u > 4 * var_s + 1; /* spread twice as far read unsigned */
}

static void span_range(const struct disc_id *d, struct disc_field *f)
{
	f->min_raw = UINT64_MAX;
	f->max_raw = 0;
	for (uint32_t i = 0; i < d->n_sample; i++) {
		if (d->pairs[i].len != d->max_len)
			continue;
		uint64_t v = disc_span_value(&f->span, disc_pair_cur(d, i));
		f->min_raw = v < f->min_raw ? v : f->min_raw;
		f->max_raw = v > f->max_raw ? v : f->max_raw;
	}
	if (f->min_raw > f->max_raw)
		f->min_raw = f->max_raw = 0;
}

/* Runs of joined, varying, untaken bits in order o; returns how many
 * joins crossed a byte boundary. */
static uint32_t segment(const struct disc_id *d, const bool *taken, enum disc_order o, struct disc_layout *out)
{
	unsigned L = d->max_len, nbits = L * 8u;
	uint32_t cross = 0;
	out->n_fields = 0;
	int start = -1;
	for (unsigned k = 0; k <= nbits; k++) {
		unsigned b = k < nbits ? disc_bit_at(o, L, k) : 0;
		bool usable = k < nbits && !taken[b] && disc_bit_varies(d, b);
		bool joined = false;
		if (usable && start >= 0) {
			unsigned a = disc_bit_at(o, L, k - 1);
			joined = k - (unsigned)start < 64 && disc_bits_join(d, o, a, b);
			if (joined && k % 8 == 0)
				cross++;
		}
		if (start >= 0 && !joined) {
			if (out->n_fields < DISC_MAX_FIELDS) {
				struct disc_field *f = &out->fields[out->n_fields++];
				memset(f, 0, sizeof *f);
				f->span = (struct disc_span){(uint8_t)o, (uint16_t)start, (uint8_t)(k - (unsigned)start),
							     (uint8_t)L};
			}
			start = -1;
		}
		if (usable && start < 0)
			start = (int)k;
	}
	return cross;
}

void disc_find_fields(const struct disc_id *d, const bool *taken, struct disc_layout *out)
{
	memset(out, 0, sizeof *out);
	if (!d->max_len || !d->n_pairs)
		return;
	/* Count each order's byte-boundary joins; the message takes the
	 * order with more (Intel on a tie: nothing crosses a byte). */
	struct disc_layout tmp;
	out->joins[DISC_INTEL] = segment(d, taken, DISC_INTEL, out);
	out->joins[DISC_MOTOROLA] = segment(d, taken, DISC_MOTOROLA, &tmp);
	out->order = DISC_INTEL;
	if (out->joins[DISC_MOTOROLA] > out->joins[DISC_INTEL]) {
		uint32_t j[2] = {out->joins[0], out->joins[1]};
		memcpy(out, &tmp, sizeof tmp);
		out->joins[0] = j[0];
		out->joins[1] = j[1];
		out->order = DISC_MOTOROLA;
	}
	for (uint32_t i = 0; i < out->n_fields; i++) {
		struct disc_field *f = &out->fields[i];
		f->is_signed = disc_span_signed(d, &f->span);
		span_range(d, f);
	}
}
