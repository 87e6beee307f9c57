// SPDX-License-Identifier: MIT
/* Where a message's value fields begin and end, their byte order and sign,
 * from how their bits flip between consecutive frames.
 *
 * Walking the bits of one byte order from least to most significant, two
 * neighbours a (lower) and b (higher) belong to one field when:
 *  - a carry couples them: when b flips, a nearly always flips too (a
 *    number crossing a multiple of 2^k flips bit k and the bits below it);
 *  - or they change at the same moments: b's flips come with a's far more
 *    often than a's own rate explains (a step or an enum jumping between
 *    values flips several of its bits at once);
 *  - or both flip often and b no more often than a: the low bits of a
 *    fast-moving value are near random, each a little steadier than the
 *    one below. A field's lowest bit flipping much more often than the
 *    bit below it is where a new field begins.
 * The two orders differ only across byte boundaries: Intel joins bit 7 of
 * byte n to bit 0 of byte n+1, Motorola bit 7 of byte n+1 to bit 0 of byte
 * n. Each message takes the order whose byte-boundary joins are more.
 * A field is signed when its values read as two's complement move smoothly
 * and read as unsigned jump across the range (a value crossing zero flips
 * every sign-extension bit at once), or spread far less. */
#ifndef EVGW_DISCOVER_DISC_FIELDS_H
#define EVGW_DISCOVER_DISC_FIELDS_H

#include <stdbool.h>
#include <stdint.h>

#include "discover/disc_bits.h"
#include "discover/disc_collect.h"

#define DISC_MAX_FIELDS 256

struct disc_field {
	struct disc_span span;
	bool is_signed;
	uint64_t min_raw, max_raw; /* seen, as unsigned raw values */
};

struct disc_layout {
	uint8_t order;            /* enum disc_order: the message's */
	uint32_t n_fields;
	struct disc_field fields[DISC_MAX_FIELDS];
	uint32_t joins[2];        /* byte-boundary joins found in each order */
};

enum disc_join {
	DISC_JOIN_NONE = 0,
	DISC_JOIN_NOISE,     /* both flip like the random low bits of a value */
	DISC_JOIN_TOGETHER,  /* they change at the same moments */
	DISC_JOIN_CARRY,     /* b's flips come with a's */
};

/* Why significance neighbours a (lower) and b (higher) of order o are one
 * field's, from d's flip counts; DISC_JOIN_NONE when they are not. */
enum disc_join disc_bits_join_how(const struct disc_id *d, enum disc_order o, unsigned a, unsigned b);
bool disc_bits_join(const struct disc_id *d, enum disc_order o, unsigned a, unsigned b);

/* The value fields among d's varying bits that `taken` leaves. */
void disc_find_fields(const struct disc_id *d, const bool *taken, struct disc_layout *out);

/* Whether the span's values read better as two's complement. */
bool disc_span_signed(const struct disc_id *d, const struct disc_span *s);

#endif
