// SPDX-License-Identifier: MIT
/* Finding a message's 8-bit checksum byte in sampled frames.
 *
 * Every family tried is affine in the frame's bytes: a byte sum plus a
 * constant, its complement, an XOR with a constant, and CRC-8, whose
 * register start and final XOR only add a constant for a given length. So
 * a byte c is the family's checksum over the covered bytes exactly when
 *   cs (op) f(covered bytes)
 * is the same in every frame, op being - (sum), + (complement of a sum) or
 * ^ (XOR, CRC-8 with init 0 and no final XOR). That one test finds the
 * plain forms and those that also cover the id's bytes, a length byte, a
 * secret start value or an AUTOSAR data id: the constant absorbs them. The
 * constant is then told as init/xorout (or add) in the algorithm's name.
 * Covered bytes tried: every other byte; those before c; those after c. */
#ifndef EVGW_DISCOVER_DISC_CHECKSUM_H
#define EVGW_DISCOVER_DISC_CHECKSUM_H

#include <stdbool.h>
#include <stdint.h>

#include "discover/disc_collect.h"

enum disc_cs_kind {
	DISC_CS_SUM = 1,  /* cs = (add + sum) & 0xFF */
	DISC_CS_SUM_INV,  /* cs = ~(add + sum) & 0xFF */
	DISC_CS_XOR,      /* cs = xorout ^ XOR of the bytes */
	DISC_CS_CRC8,     /* cs = CRC-8(poly, init, xorout) */
};

struct disc_checksum {
	uint8_t kind;             /* enum disc_cs_kind; 0: none found */
	uint8_t byte;             /* the checksum's byte */
	uint8_t first, last;      /* covered bytes first..last, the checksum's own left out */
	uint8_t len;              /* the frame length it holds for */
	uint8_t add;              /* SUM, SUM_INV: the constant added */
	uint8_t poly, init, xorout;
	bool reflected;
	uint32_t frames;          /* sampled frames it was checked on */
	char algo[96];            /* the EvgwChecksum value */
	char what[96];            /* in words, for the comment */
};

/* Look for a checksum byte in d's sampled frames of its longest length,
 * among the bytes none of whose bits `taken` marks (a counter's). Returns
 * true and *cs when one holds in every frame (at least 8 distinct
 * checksum values). */
bool disc_find_checksum(const struct disc_id *d, const bool *taken, struct disc_checksum *cs);

/* The checksum of one frame (data of cs->len bytes) as cs describes it. */
uint8_t disc_checksum_compute(const struct disc_checksum *cs, const uint8_t *data);

#endif
