// SPDX-License-Identifier: MIT
#include "discover/disc_checksum.h"

#include <stdio.h>
#include <string.h>

#include "discover/disc_crc8.h"
#include "discover/disc_fields.h"

/* Bytes lo, hi are a value's when 256 * dhi + dlo varies less than this
 * share of what the two vary apart (0.7 to 0.9 equal on the benchmark;
 * 0.9 also catches a fast value with a ripple). */
#define DISC_CARRY_SHARE 0.9

/* A frame's covered bytes, in order, the checksum's own left out. */
static size_t covered(const uint8_t *data, unsigned first, unsigned last, unsigned cs_byte, uint8_t *out)
{
	size_t n = 0;
	for (unsigned i = first; i <= last; i++)
		if (i != cs_byte)
			out[n++] = data[i];
	return n;
}

static uint8_t family_value(int fam, const uint8_t *b, size_t n)
{
	/* fam 0 sum, 1 xor, 2.. CRC-8 polynomial fam-2 with init 0, xorout 0 */
	uint8_t acc = 0;
	if (fam == 0) {
		for (size_t i = 0; i < n; i++)
			acc = (uint8_t)(acc + b[i]);
	} else if (fam == 1) {
		for (size_t i = 0; i < n; i++)
			acc ^= b[i];
	} else {
		const struct disc_crc8_poly *p = &disc_crc8_polys[fam - 2];
		acc = disc_crc8(p->poly, p->reflected, 0, 0, b, n);
	}
	return acc;
}

uint8_t disc_checksum_compute(const struct disc_checksum *cs, const uint8_t *data)
{
	uint8_t b[DISC_MAX_BYTES];
	size_t n = covered(data, cs->first, cs->last, cs->byte, b);
	switch (cs->kind) {
	case DISC_CS_SUM: return (uint8_t)(family_value(0, b, n) + cs->add);
	case DISC_CS_SUM_INV: return (uint8_t)~(family_value(0, b, n) + cs->add);
	case DISC_CS_XOR: return (uint8_t)(family_value(1, b, n) ^ cs->xorout);
	case DISC_CS_CRC8: return disc_crc8(cs->poly, cs->reflected, cs->init, cs->xorout, b, n);
	default: return 0;
	}
}

/* Whether the relation holds in (nearly) every frame: op 0 cs - f, 1
 * cs + f, 2 cs ^ f constant. *k: the constant. */
static bool holds(const struct disc_id *d, unsigned len, unsigned c, unsigned first, unsigned last, int fam,
		  int op, uint8_t *k, uint32_t *frames)
{
	uint32_t counts[256] = {0}, n = 0;
	uint8_t cs_seen[32] = {0};
	unsigned distinct = 0;
	for (uint32_t i = 0; i < d->n_sample; i++) {
		if (d->pairs[i].len != len)
			continue;
		const uint8_t *f = disc_pair_cur(d, i);
		uint8_t b[DISC_MAX_BYTES];
		size_t nb = covered(f, first, last, c, b);
		uint8_t v = family_value(fam, b, nb), cs = f[c];
		uint8_t r = op == 0 ? (uint8_t)(cs - v) : op == 1 ? (uint8_t)(cs + v) : (uint8_t)(cs ^ v);
		counts[r]++;
		n++;
		if (!(cs_seen[cs / 8] >> (cs % 8) & 1)) {
			cs_seen[cs / 8] |= (uint8_t)(1u << (cs % 8));
			distinct++;
		}
		/* Give up early once two constants are both common. */
		if (n >= 32 && counts[r] < n / 2 && n - counts[r] > n / 50 + 1) {
			unsigned best = 0;
			for (unsigned j = 1; j < 256; j++)
				best = counts[j] > counts[best] ? j : best;
			if (n - counts[best] > n / 50 + 1)
				return false;
		}
	}
	unsigned best = 0;
	for (unsigned j = 1; j < 256; j++)
		best = counts[j] > counts[best] ? j : best;
	if (distinct < 8 || n - counts[best] > n / 50)
		return false;
	*k = (uint8_t)best;
	*frames = n;
	return true;
}

/* The register start and final XOR that give the constant k for frames of
 * n covered bytes: a named set if one fits, else init 0 and xorout k. */
static void crc_params(struct disc_checksum *cs, uint8_t k, size_t n)
{
	static const uint8_t inits[] = {0xFF, 0x00, 0xFD, 0xC7};
	uint8_t zeros[DISC_MAX_BYTES] = {0};
	for (unsigned i = 0; i < sizeof inits; i++) {
		/* The start value's part of the CRC: the CRC of n zero bytes. */
		uint8_t part = disc_crc8(cs->poly, cs->reflected, inits[i], 0, zeros, n);
		uint8_t xorout = (uint8_t)(k ^ part);
		if (disc_crc8_name(cs->poly, cs->reflected, inits[i], xorout) || xorout == 0 || xorout == 0xFF) {
			cs->init = inits[i];
			cs->xorout = xorout;
			return;
		}
	}
	cs->init = 0;
	cs->xorout = k;
}

static void describe(struct disc_checksum *cs, bool all_others)
{
	char bytes[32] = "";
	if (!all_others)
		snprintf(bytes, sizeof bytes, ",bytes=%u-%u", cs->first, cs->last);
	const char *cov = all_others ? "every other byte" : cs->first == cs->last ? "one byte" : "bytes";
	switch (cs->kind) {
	case DISC_CS_SUM:
		if (!cs->add && all_others)
			snprintf(cs->algo, sizeof cs->algo, "sum8");
		else
			snprintf(cs->algo, sizeof cs->algo, "sum8:add=0x%02X%s", cs->add, bytes);
		snprintf(cs->what, sizeof cs->what, "sum of %s %u-%u plus 0x%02X", cov, cs->first, cs->last, cs->add);
		break;
	case DISC_CS_SUM_INV:
		if (!cs->add && all_others)
			snprintf(cs->algo, sizeof cs->algo, "sum8_inv");
		else
			snprintf(cs->algo, sizeof cs->algo, "sum8_inv:add=0x%02X%s", cs->add, bytes);
		snprintf(cs->what, sizeof cs->what, "complement of the sum of %s %u-%u plus 0x%02X", cov, cs->first,
			 cs->last, cs->add);
		break;
	case DISC_CS_XOR:
		if (!cs->xorout && all_others)
			snprintf(cs->algo, sizeof cs->algo, "xor8");
		else
			snprintf(cs->algo, sizeof cs->algo, "xor8:xorout=0x%02X%s", cs->xorout, bytes);
		snprintf(cs->what, sizeof cs->what, "XOR of %s %u-%u, XOR 0x%02X", cov, cs->first, cs->last, cs->xorout);
		break;
	default: {
		const char *name = disc_crc8_name(cs->poly, cs->reflected, cs->init, cs->xorout);
		snprintf(cs->algo, sizeof cs->algo, "crc8:poly=0x%02X%s,init=0x%02X,xorout=0x%02X%s", cs->poly,
			 cs->reflected ? ",reflected" : "", cs->init, cs->xorout, bytes);
		snprintf(cs->what, sizeof cs->what, "%s over %s %u-%u", name ? name : "CRC-8", cov, cs->first, cs->last);
		break;
	}
	}
}

/* How much a byte looks like a checksum: how often its bits flip (each
 * bit of a CRC or sum flips in about half the frames; an XOR changes
 * whenever any byte it covers does, so at least as often as they). */
static double byte_spread(const struct disc_id *d, unsigned c)
{
	double sum = 0;
	for (unsigned b = 0; b < 8; b++) {
		double r = d->n_pairs ? (double)d->flips[c * 8 + b] / (double)d->n_pairs : 0;
		sum += r > 0.5 ? 1 - r : r;
	}
	return sum;
}

/* Whether byte c moves as a sum of smooth values mod 256 does: in small
 * steps (circular change under 64) in at least 4 of 5 of its changes, and
 * across the wrap (255 -> 0 or back) in at least two sampled pairs. A sum
 * of every byte mod 256 wraps whenever the total crosses a multiple of
 * 256; a value byte that carries into no neighbour stays within its range
 * and turns round instead; a byte of random bits or of a signal that
 * jumps (a step, an enum) changes by more than 64 in about half its
 * changes. (A complemented sum over every byte holds for every byte; this
 * tells the one the ECU computes among bounded 8-bit values.) */
static bool byte_wraps(const struct disc_id *d, unsigned c)
{
	uint32_t wraps = 0, jumps = 0, small = 0;
	for (uint32_t i = 0; i < d->n_sample; i++) {
		if (d->pairs[i].len != d->max_len)
			continue;
		int dp = (int)disc_pair_cur(d, i)[c] - (int)disc_pair_prev(d, i)[c];
		int circ = (dp + 384) % 256 - 128;
		if (circ >= 64 || circ <= -64)
			jumps++;
		else if (dp > 128 || dp < -128)
			wraps++;
		else if (dp)
			small++;
	}
	return wraps >= 2 && small + wraps >= 4 * jumps;
}

/* A carry from bit a into bit b: b flips only with a. Bits that merely
 * change at the same moments are not enough: a checksum's bits flip with
 * every step of a field it covers, the field beside it too. */
static bool coupled(const struct disc_id *d, enum disc_order o, unsigned a, unsigned b)
{
	return disc_bits_join_how(d, o, a, b) >= DISC_JOIN_CARRY;
}

/* Whether bytes lo and hi read as one number hi:lo move by less than
 * they do apart: a value's low byte wraps (-256) as its high byte steps
 * (+1), so the two changes cancel in 256 * dhi + dlo. This holds when the
 * low byte changes too fast for its top bit to show the carry (a fast
 * value's random low byte); a checksum beside a byte does not cancel so
 * (its change is as wide apart as together, whatever it covers). */
static bool bytes_carry(const struct disc_id *d, unsigned lo, unsigned hi)
{
	double n = 0, sl = 0, sh = 0, sll = 0, shh = 0, slh = 0;
	for (uint32_t i = 0; i < d->n_sample; i++) {
		if (d->pairs[i].len != d->max_len)
			continue;
		const uint8_t *p = disc_pair_prev(d, i), *q = disc_pair_cur(d, i);
		double dl = (double)q[lo] - p[lo], dh = 256.0 * ((double)q[hi] - p[hi]);
		n++;
		sl += dl;
		sh += dh;
		sll += dl * dl;
		shh += dh * dh;
		slh += dl * dh;
	}
	if (n < 8)
		return false;
	double vl = sll / n - (sl / n) * (sl / n), vh = shh / n - (sh / n) * (sh / n);
	double cov = slh / n - (sl / n) * (sh / n);
	if (vl <= 0 || vh <= 0)
		return false;
	return vl + vh + 2 * cov < DISC_CARRY_SHARE * (vl + vh);
}

/* Whether byte c carries into a neighbour byte, in either order: then it
 * is part of a wider value, not a checksum. (Bits that merely both flip
 * often say nothing: a checksum's do.) */
static bool byte_joined(const struct disc_id *d, unsigned c, unsigned len)
{
	if (c + 1 < len && (bytes_carry(d, c, c + 1) || bytes_carry(d, c + 1, c)))
		return true;
	if (c > 0 && (bytes_carry(d, c, c - 1) || bytes_carry(d, c - 1, c)))
		return true;
	bool v0 = disc_bit_varies(d, c * 8), v7 = disc_bit_varies(d, c * 8 + 7);
	if (c + 1 < len) {
		if (v7 && disc_bit_varies(d, c * 8 + 8) && coupled(d, DISC_INTEL, c * 8 + 7, c * 8 + 8))
			return true;
		if (v0 && disc_bit_varies(d, c * 8 + 15) && coupled(d, DISC_MOTOROLA, c * 8 + 15, c * 8))
			return true;
	}
	if (c > 0) {
		if (v0 && disc_bit_varies(d, c * 8 - 1) && coupled(d, DISC_INTEL, c * 8 - 1, c * 8))
			return true;
		if (v7 && disc_bit_varies(d, c * 8 - 8) && coupled(d, DISC_MOTOROLA, c * 8 + 7, c * 8 - 8))
			return true;
	}
	return false;
}

/* The first family and covered bytes that make byte c a checksum. */
static bool try_byte(const struct disc_id *d, unsigned len, unsigned c, struct disc_checksum *cs)
{
	const unsigned ranges[3][2] = {{0, len - 1}, {0, c ? c - 1 : 0}, {c + 1, len - 1}};
	for (unsigned r = 0; r < 3; r++) {
		unsigned first = ranges[r][0], last = ranges[r][1];
		if ((r == 1 && (c == 0 || c == len - 1)) || (r == 2 && (c + 1 >= len || c == 0)))
			continue; /* the same bytes as "every other byte" */
		if (last < first)
			continue;
		size_t n = last - first + 1 - (c >= first && c <= last);
		if (!n)
			continue;
		for (int fam = 0; fam < 2 + (int)disc_crc8_n_polys; fam++) {
			for (int op = 0; op < 3; op++) {
				if ((fam == 0 && op == 2) || (fam > 0 && op != 2))
					continue;
				uint8_t k;
				uint32_t frames;
				if (!holds(d, len, c, first, last, fam, op, &k, &frames))
					continue;
				memset(cs, 0, sizeof *cs);
				cs->byte = (uint8_t)c;
				cs->first = (uint8_t)first;
				cs->last = (uint8_t)last;
				cs->len = (uint8_t)len;
				cs->frames = frames;
				if (fam == 0) {
					cs->kind = op == 0 ? DISC_CS_SUM : DISC_CS_SUM_INV;
					/* cs = add + S, or cs = ~(add + S) = -add - S - 1 */
					cs->add = op == 0 ? k : (uint8_t)(0xFF - k);
				} else if (fam == 1) {
					cs->kind = DISC_CS_XOR;
					cs->xorout = k;
				} else {
					cs->kind = DISC_CS_CRC8;
					cs->poly = disc_crc8_polys[fam - 2].poly;
					cs->reflected = disc_crc8_polys[fam - 2].reflected;
					crc_params(cs, k, n);
				}
				describe(cs, r == 0);
				return true;
			}
		}
	}
	return false;
}

bool disc_find_checksum(const struct disc_id *d, const bool *taken, struct disc_checksum *cs)
{
	memset(cs, 0, sizeof *cs);
	unsigned len = d->max_len;
	if (len < 2)
		return false;
	/* An XOR, or the complement of a sum, over every byte makes every
	 * byte the others' checksum. The one the ECU computes carries into no
	 * neighbour byte (the low byte of a 16-bit value does), and of those
	 * its bits flip most (a value's high bits hardly move). The last and
	 * the first byte, where checksums usually are, get a head start of
	 * half a bit: the random low byte of a fast value flips as much as a
	 * checksum. On a tie the last byte, then the first, then the others. */
	double best = -1;
	for (unsigned t = 0; t < len; t++) {
		unsigned c = t == 0 ? len - 1 : t == 1 ? 0 : t - 1;
		unsigned vary = 0, held = 0;
		for (unsigned b = 0; b < 8; b++) {
			vary += disc_bit_varies(d, c * 8 + b);
			held += taken[c * 8 + b];
		}
		if (held)
			continue;
		bool joined = byte_joined(d, c, len);
		double score = byte_spread(d, c) + (joined ? 0 : 10) + (t < 2 ? 0.5 : 0) +
			       (!joined && byte_wraps(d, c) ? 1 : 0);
		if (vary < 4 || score <= best + 0.02)
			continue;
		struct disc_checksum tmp;
		if (try_byte(d, len, c, &tmp)) {
			*cs = tmp;
			best = score;
		}
	}
	return cs->kind != 0;
}
