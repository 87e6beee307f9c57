// SPDX-License-Identifier: MIT
/* Bit positions of a frame in the two orders a DBC signal can have.
 *
 * A field is a run of bits that are consecutive in significance. In Intel
 * (little-endian, @1) order that run is DBC bit numbers lsb..lsb+w-1. In
 * Motorola (big-endian, @0) order the significance runs from the last byte
 * up to the first: bit 0..7 of byte L-1, then bit 0..7 of byte L-2, and so
 * on. Both are described here as one "significance sequence" per order, so
 * that every detector walks a field the same way whatever its order. */
#ifndef EVGW_DISCOVER_DISC_BITS_H
#define EVGW_DISCOVER_DISC_BITS_H

#include <stdbool.h>
#include <stdint.h>

#define DISC_MAX_BYTES 64
#define DISC_MAX_BITS (DISC_MAX_BYTES * 8)

enum disc_order {
	DISC_INTEL = 0,
	DISC_MOTOROLA = 1,
};

/* A field: `w` bits from significance index `lo` (its least significant
 * bit) of its order, in a message of `nbytes` bytes. */
struct disc_span {
	uint8_t order;   /* enum disc_order */
	uint16_t lo;     /* index in the significance sequence */
	uint8_t w;       /* 1..64 */
	uint8_t nbytes;  /* the message length the sequence is for */
};

/* The DBC bit number (byte*8 + bit, bit 0 the byte's LSB) of significance
 * index k of an order, in a message of nbytes bytes. */
static inline uint16_t disc_bit_at(enum disc_order o, unsigned nbytes, unsigned k)
{
	if (o == DISC_INTEL)
		return (uint16_t)k;
	return (uint16_t)(8 * (nbytes - 1 - k / 8) + k % 8);
}

/* The inverse: the significance index of DBC bit b. */
static inline uint16_t disc_index_of(enum disc_order o, unsigned nbytes, unsigned b)
{
	if (o == DISC_INTEL)
		return (uint16_t)b;
	return (uint16_t)(8 * (nbytes - 1 - b / 8) + b % 8);
}

static inline bool disc_get_bit(const uint8_t *data, unsigned b)
{
	return (data[b / 8] >> (b % 8)) & 1u;
}

/* The field's raw value (unsigned) in data, which holds span->nbytes bytes. */
static inline uint64_t disc_span_value(const struct disc_span *s, const uint8_t *data)
{
	uint64_t v = 0;
	for (unsigned i = s->w; i-- > 0;)
		v = v << 1 | disc_get_bit(data, disc_bit_at((enum disc_order)s->order, s->nbytes, s->lo + i));
	return v;
}

/* The DBC start bit: the LSB's bit number for Intel, the MSB's for
 * Motorola, as DBC files write them. */
static inline uint16_t disc_span_start_bit(const struct disc_span *s)
{
	unsigned k = s->order == DISC_INTEL ? s->lo : s->lo + s->w - 1u;
	return disc_bit_at((enum disc_order)s->order, s->nbytes, k);
}

/* Whether the span covers DBC bit b. */
static inline bool disc_span_has_bit(const struct disc_span *s, unsigned b)
{
	unsigned k = disc_index_of((enum disc_order)s->order, s->nbytes, b);
	return k >= s->lo && k < (unsigned)s->lo + s->w;
}

#endif
