// SPDX-License-Identifier: MIT
/* One CAN id as discovery reads it: period, length, constant bits, its
 * counter, checksum and value fields, in the message's byte order. The
 * detectors run in that order, each on the bits the ones before it left:
 * a counter's byte is not the checksum; neither is a value. */
#ifndef EVGW_DISCOVER_DISC_MESSAGE_H
#define EVGW_DISCOVER_DISC_MESSAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "discover/disc_checksum.h"
#include "discover/disc_collect.h"
#include "discover/disc_counter.h"
#include "discover/disc_fields.h"

struct disc_message {
	const struct disc_id *id;
	double period_ms;         /* mean time between frames; 0 for a single frame */
	uint8_t dlc;              /* the longest length seen */
	bool length_varies;
	struct disc_checksum checksum;
	struct disc_counter counter;
	struct disc_layout layout;
	/* Bits that never changed: 1 in const_mask, their value in const_value. */
	uint8_t const_mask[DISC_MAX_BYTES], const_value[DISC_MAX_BYTES];
};

/* Run every detector on one id. */
void disc_analyze(const struct disc_id *d, struct disc_message *m);

/* Run every detector on every id of c seen at least min_frames times,
 * into msgs (room for c->n_ids); returns how many. A message whose bits
 * say nothing about byte order (no field crosses a byte) takes the order
 * most of the others show: a vehicle's DBC files keep to one. */
size_t disc_analyze_all(const struct disc_collect *c, uint64_t min_frames, struct disc_message *msgs);

/* A span written in the message's order when it lies in one byte (where
 * both orders are the same bits), so that a draft is consistent. */
struct disc_span disc_span_in_order(struct disc_span s, enum disc_order o);

#endif
