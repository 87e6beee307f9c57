// SPDX-License-Identifier: MIT
/* What discovery keeps of a recording, per CAN id, in one pass.
 *
 * A recording may be hours long (tens of millions of frames), and may come
 * through a pipe, so it is read once and memory per id is bounded:
 *  - counts over every frame: frames, first/last time, lengths, which bits
 *    were ever 0 or 1, how often each bit flipped between consecutive
 *    frames, and how often it flipped together with its lower neighbour in
 *    either byte order (the statistics field boundaries come from);
 *  - a uniform sample (reservoir, fixed seed: the same log gives the same
 *    draft) of DISC_SAMPLE_PAIRS consecutive frame pairs, each with the
 *    reference value (--correlate) held at the later frame's time. Counters,
 *    checksums, signedness and correlation are judged on these. */
#ifndef EVGW_DISCOVER_DISC_COLLECT_H
#define EVGW_DISCOVER_DISC_COLLECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "can/frame.h"
#include "discover/disc_bits.h"

#define DISC_SAMPLE_PAIRS 2048
#define DISC_MAX_IDS 2048
#define DISC_KEY_EXT 0x80000000u /* key = id | DISC_KEY_EXT for 29-bit ids */

struct disc_pair {
	uint8_t len;      /* both frames have this length */
	double ref;       /* the reference value at the later frame; NAN: none yet */
};

struct disc_id {
	uint32_t key;
	uint64_t frames;
	int64_t first_us, last_us;
	uint8_t min_len, max_len;
	uint8_t width;            /* bytes kept per sampled frame: 8 or 64 */
	uint8_t prev[DISC_MAX_BYTES];
	uint8_t prev_len;
	bool have_prev;
	uint8_t ones[DISC_MAX_BYTES];  /* OR of every frame */
	uint8_t zeros[DISC_MAX_BYTES]; /* OR of every frame's complement (within its length) */
	uint64_t n_pairs;         /* consecutive pairs of equal length */
	uint64_t *flips;          /* [width*8]: pairs in which the bit flipped */
	uint64_t *co_intel;       /* [width*8]: bit b and bit b-1 flipped together */
	uint64_t *co_moto;        /* [width*8]: for b%8 == 0: b and b+15 (the bit below in Motorola order) */
	uint8_t *sample;          /* [DISC_SAMPLE_PAIRS][2][width] */
	struct disc_pair *pairs;  /* [DISC_SAMPLE_PAIRS] */
	uint32_t n_sample;
};

struct disc_collect {
	struct disc_id *ids;      /* DISC_MAX_IDS, in order of first sight */
	uint32_t n_ids;
	uint32_t *slots;          /* hash: index+1 into ids, 0 empty */
	uint64_t dropped_ids;     /* frames of ids beyond DISC_MAX_IDS */
	uint64_t rng;
};

int disc_collect_init(struct disc_collect *c);
void disc_collect_free(struct disc_collect *c);

/* Add a frame (data frames only; the caller skips remote and error frames).
 * ref: the reference value now (NAN when none). Returns 0, or -ENOMEM. */
int disc_collect_frame(struct disc_collect *c, const struct evgw_frame *f, double ref);

/* Sampled pair i of an id: the earlier and the later frame. */
static inline const uint8_t *disc_pair_prev(const struct disc_id *d, uint32_t i)
{
	return d->sample + (size_t)i * 2 * d->width;
}
static inline const uint8_t *disc_pair_cur(const struct disc_id *d, uint32_t i)
{
	return d->sample + (size_t)i * 2 * d->width + d->width;
}

/* Whether DBC bit b was ever 0 and ever 1. */
static inline bool disc_bit_varies(const struct disc_id *d, unsigned b)
{
	return b / 8 < d->max_len && ((d->ones[b / 8] & d->zeros[b / 8]) >> (b % 8) & 1u);
}

#endif
