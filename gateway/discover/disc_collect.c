// SPDX-License-Identifier: MIT
#include "discover/disc_collect.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS (DISC_MAX_IDS * 2)

int disc_collect_init(struct disc_collect *c)
{
	memset(c, 0, sizeof *c);
	c->ids = calloc(DISC_MAX_IDS, sizeof *c->ids);
	c->slots = calloc(SLOTS, sizeof *c->slots);
	c->rng = 0x9E3779B97F4A7C15ull;
	if (!c->ids || !c->slots) {
		disc_collect_free(c);
		return -ENOMEM;
	}
	return 0;
}

static void id_free(struct disc_id *d)
{
	free(d->flips);
	free(d->co_intel);
	free(d->co_moto);
	free(d->sample);
	free(d->pairs);
}

void disc_collect_free(struct disc_collect *c)
{
	for (uint32_t i = 0; c->ids && i < c->n_ids; i++)
		id_free(&c->ids[i]);
	free(c->ids);
	free(c->slots);
	memset(c, 0, sizeof *c);
}

static uint64_t next_rand(struct disc_collect *c)
{
	/* xorshift64*: fixed seed, so the same log gives the same sample. */
	c->rng ^= c->rng >> 12;
	c->rng ^= c->rng << 25;
	c->rng ^= c->rng >> 27;
	return c->rng * 2685821657736338717ull;
}

/* Space for an id's statistics at `width` bytes; a wider frame later (a
 * CAN FD id) widens them, keeping what was counted. */
static int id_widen(struct disc_id *d, uint8_t width)
{
	unsigned bits = width * 8u, old_bits = d->width * 8u;
	uint64_t *fl = calloc(bits, sizeof *fl), *ci = calloc(bits, sizeof *ci), *cm = calloc(bits, sizeof *cm);
	uint8_t *s = calloc((size_t)DISC_SAMPLE_PAIRS * 2, width);
	struct disc_pair *p = d->pairs ? d->pairs : calloc(DISC_SAMPLE_PAIRS, sizeof *p);
	if (!fl || !ci || !cm || !s || !p) {
		free(fl);
		free(ci);
		free(cm);
		free(s);
		if (!d->pairs)
			free(p);
		return -ENOMEM;
	}
	if (d->width) {
		memcpy(fl, d->flips, old_bits * sizeof *fl);
		memcpy(ci, d->co_intel, old_bits * sizeof *ci);
		memcpy(cm, d->co_moto, old_bits * sizeof *cm);
		for (uint32_t i = 0; i < d->n_sample; i++)
			for (int h = 0; h < 2; h++)
				memcpy(s + ((size_t)i * 2 + h) * width, d->sample + ((size_t)i * 2 + h) * d->width, d->width);
	}
	free(d->flips);
	free(d->co_intel);
	free(d->co_moto);
	free(d->sample);
	d->flips = fl;
	d->co_intel = ci;
	d->co_moto = cm;
	d->sample = s;
	d->pairs = p;
	d->width = width;
	return 0;
}

static struct disc_id *find(struct disc_collect *c, uint32_t key, bool *is_new)
{
	uint32_t h = (key * 2654435761u) % SLOTS;
	*is_new = false;
	for (uint32_t n = 0; n < SLOTS; n++, h = (h + 1) % SLOTS) {
		uint32_t s = c->slots[h];
		if (!s) {
			if (c->n_ids == DISC_MAX_IDS)
				return NULL;
			struct disc_id *d = &c->ids[c->n_ids++];
			c->slots[h] = c->n_ids;
			memset(d, 0, sizeof *d);
			d->key = key;
			*is_new = true;
			return d;
		}
		if (c->ids[s - 1].key == key)
			return &c->ids[s - 1];
	}
	return NULL;
}

static void count_flips(struct disc_id *d, const uint8_t *a, const uint8_t *b, unsigned len)
{
	for (unsigned i = 0; i < len; i++) {
		unsigned x = a[i] ^ b[i];
		/* The bits below each flipped bit: in Intel order b-1 (across bytes
		 * too); in Motorola order, for a byte's bit 0, bit 7 of the next byte. */
		unsigned below = (x << 1) | (i > 0 ? (unsigned)((a[i - 1] ^ b[i - 1]) >> 7) : 0u);
		while (x) {
			unsigned k = (unsigned)__builtin_ctz(x);
			unsigned bit = i * 8 + k;
			d->flips[bit]++;
			if ((below >> k) & 1u)
				d->co_intel[bit]++;
			if (k == 0 && i + 1 < len && ((a[i + 1] ^ b[i + 1]) & 0x80))
				d->co_moto[bit]++;
			x &= x - 1;
		}
	}
}

int disc_collect_frame(struct disc_collect *c, const struct evgw_frame *f, double ref)
{
	uint32_t key = f->id | ((f->flags & EVGW_FRAME_EXT) ? DISC_KEY_EXT : 0);
	bool is_new;
	struct disc_id *d = find(c, key, &is_new);
	if (!d) {
		c->dropped_ids++;
		return 0;
	}
	unsigned len = f->len > DISC_MAX_BYTES ? DISC_MAX_BYTES : f->len;
	if (len > d->width || !d->width) {
		int e = id_widen(d, len > 8 ? DISC_MAX_BYTES : 8);
		if (e < 0)
			return e;
	}
	if (is_new) {
		d->first_us = f->ts_us;
		d->min_len = (uint8_t)len;
	}
	d->frames++;
	d->last_us = f->ts_us;
	if (len < d->min_len)
		d->min_len = (uint8_t)len;
	if (len > d->max_len)
		d->max_len = (uint8_t)len;
	for (unsigned i = 0; i < len; i++) {
		d->ones[i] |= f->data[i];
		d->zeros[i] |= (uint8_t)~f->data[i];
	}
	if (d->have_prev && d->prev_len == len) {
		count_flips(d, d->prev, f->data, len);
		d->n_pairs++;
		/* Reservoir sampling (Vitter's algorithm R): every pair of the log
		 * has the same chance to be among the kept ones. */
		uint64_t slot = d->n_pairs <= DISC_SAMPLE_PAIRS ? d->n_pairs - 1 : next_rand(c) % d->n_pairs;
		if (slot < DISC_SAMPLE_PAIRS) {
			uint8_t *s = d->sample + (size_t)slot * 2 * d->width;
			memset(s, 0, 2u * d->width);
			memcpy(s, d->prev, len);
			memcpy(s + d->width, f->data, len);
			d->pairs[slot].len = (uint8_t)len;
			d->pairs[slot].ref = ref;
			if (d->n_sample < DISC_SAMPLE_PAIRS)
				d->n_sample++;
		}
	}
	memcpy(d->prev, f->data, len);
	d->prev_len = (uint8_t)len;
	d->have_prev = true;
	return 0;
}
