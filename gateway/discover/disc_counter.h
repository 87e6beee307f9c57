// SPDX-License-Identifier: MIT
/* Finding a message counter: a field that goes up by a constant (1, or
 * an odd step such as 3, or N-1: counting down) from each frame to the
 * next, modulo N (2^width, or a smaller N as AUTOSAR's 0..14 counters).
 *
 * Its least significant bit flips in nearly every frame, so only such bits
 * start a candidate; widths 2..16 are tried in both byte orders from
 * every such bit, and of those whose top bit moves, the one whose steps
 * are the same constant mod N in the most sampled pairs (at least
 * DISC_CTR_SHARE) wins, the widest on a tie. (A counter stepping by 2^j
 * leaves its j lowest bits still: it reads as a +1 counter over the bits
 * that move, which is what two unused bits under a 2-bit counter look
 * like too; docs/discovery.md, Limits.) A lost frame is a step
 * of two: the share allows for a few. A counter that never went round in
 * the log is widened over the unmoving bits above it to 8 or 16 bits
 * (disc_counter.c says when). */
#ifndef EVGW_DISCOVER_DISC_COUNTER_H
#define EVGW_DISCOVER_DISC_COUNTER_H

#include <stdbool.h>
#include <stdint.h>

#include "discover/disc_bits.h"
#include "discover/disc_collect.h"

#define DISC_CTR_SHARE 0.9

struct disc_counter {
	bool found;
	struct disc_span span;
	uint32_t modulo;  /* it wraps to 0 after modulo - 1 */
	uint32_t step;    /* +step per frame (modulo - 1: a down counter) */
	double share;     /* pairs that stepped so */
	bool wrapped;     /* went round in the log; if not, the width is assumed */
};

/* Look for a counter among d's bits; `taken` marks DBC bits already
 * explained (a checksum byte). */
bool disc_find_counter(const struct disc_id *d, const bool *taken, struct disc_counter *out);

#endif
