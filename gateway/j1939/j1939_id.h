// SPDX-License-Identifier: MIT
/* SAE J1939 29-bit identifiers (J1939-21 5.2, "Message/PDU format"):
 *
 *   bits 28..26  priority (0 highest, 7 lowest)
 *   bit  25      EDP, extended data page
 *   bit  24      DP, data page
 *   bits 23..16  PF, PDU format
 *   bits 15..8   PS, PDU specific
 *   bits  7..0   SA, source address
 *
 * PF < 240 is PDU1: PS is the destination address (0xFF = global) and is not
 * part of the PGN. PF >= 240 is PDU2: PS is the group extension, part of the
 * PGN, and the message is always global. The PGN is EDP|DP|PF|PS, 18 bits.
 * Header-only: every helper is a few shifts. */
#ifndef EVGW_J1939_J1939_ID_H
#define EVGW_J1939_J1939_ID_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "can/frame.h"

/* J1939-81 4.2: 254 is the null address (no address, "cannot claim"), 255
 * the global address; 0..253 are claimable. */
#define J1939_ADDR_NULL 0xFEu
#define J1939_ADDR_GLOBAL 0xFFu
#define J1939_ADDR_COUNT 254u

#define J1939_PGN_MASK 0x3FFFFu
#define J1939_PDU2_MIN_PF 240u

/* The PGNs of the network layer (J1939-21, J1939-81). */
#define J1939_PGN_ACK 0x0E800u      /* 59392 Acknowledgment */
#define J1939_PGN_REQUEST 0x0EA00u  /* 59904 Request */
#define J1939_PGN_TP_DT 0x0EB00u    /* 60160 TP.DT */
#define J1939_PGN_TP_CM 0x0EC00u    /* 60416 TP.CM */
#define J1939_PGN_ADDR_CLAIM 0x0EE00u /* 60928 Address Claimed / Cannot Claim */

/* J1939-21 5.4.2: default priority 6 for Request and Address Claim, 7 for
 * the transport protocol frames (5.10.3). */
#define J1939_PRIO_DEFAULT 6u
#define J1939_PRIO_TP 7u

static inline uint8_t j1939_id_prio(uint32_t id)
{
	return (uint8_t)((id >> 26) & 0x7u);
}

static inline uint8_t j1939_id_pf(uint32_t id)
{
	return (uint8_t)(id >> 16);
}

static inline uint8_t j1939_id_ps(uint32_t id)
{
	return (uint8_t)(id >> 8);
}

static inline uint8_t j1939_id_sa(uint32_t id)
{
	return (uint8_t)id;
}

static inline bool j1939_pgn_is_pdu1(uint32_t pgn)
{
	return ((pgn >> 8) & 0xFFu) < J1939_PDU2_MIN_PF;
}

/* The PGN of an identifier: PDU1 drops the destination byte. */
static inline uint32_t j1939_id_pgn(uint32_t id)
{
	uint32_t pgn = (id >> 8) & J1939_PGN_MASK;
	return j1939_pgn_is_pdu1(pgn) ? (pgn & 0x3FF00u) : pgn;
}

/* The destination: PS for PDU1, global for PDU2. */
static inline uint8_t j1939_id_da(uint32_t id)
{
	return j1939_pgn_is_pdu1((id >> 8) & J1939_PGN_MASK) ? j1939_id_ps(id)
							      : (uint8_t)J1939_ADDR_GLOBAL;
}

/* Build an identifier. For a PDU1 PGN the low byte of pgn is ignored and da
 * goes in PS; for a PDU2 PGN da is ignored (PDU2 is always global). */
static inline uint32_t j1939_id_make(uint8_t prio, uint32_t pgn, uint8_t da, uint8_t sa)
{
	pgn &= J1939_PGN_MASK;
	if (j1939_pgn_is_pdu1(pgn))
		pgn = (pgn & 0x3FF00u) | da;
	return ((uint32_t)(prio & 0x7u) << 26) | (pgn << 8) | sa;
}

/* True for a frame J1939 can carry: a 29-bit classic data frame. CAN FD
 * frames belong to J1939-22, which has its own transport; not handled here. */
static inline bool j1939_frame_ok(const struct evgw_frame *f)
{
	return (f->flags & (EVGW_FRAME_EXT | EVGW_FRAME_RTR | EVGW_FRAME_ERR | EVGW_FRAME_FD)) ==
		       EVGW_FRAME_EXT &&
	       f->len <= EVGW_CAN_MAX_DLEN;
}

/* Fill a classic extended frame; len is at most 8, the rest stays zero. */
static inline void j1939_frame_init(struct evgw_frame *f, uint8_t prio, uint32_t pgn, uint8_t da,
				    uint8_t sa, const uint8_t *data, uint8_t len)
{
	memset(f, 0, sizeof *f);
	if (len > EVGW_CAN_MAX_DLEN)
		len = EVGW_CAN_MAX_DLEN;
	f->id = j1939_id_make(prio, pgn, da, sa);
	f->flags = EVGW_FRAME_EXT;
	f->len = len;
	f->dlc = len;
	if (len)
		memcpy(f->data, data, len);
}

/* J1939-21 5.4.2 Request (PGN 59904): three data bytes, the requested PGN
 * least significant byte first; priority 6. da 0xFF asks every node. */
static inline void j1939_request_build(struct evgw_frame *f, uint32_t pgn, uint8_t da, uint8_t sa)
{
	uint8_t d[3] = {(uint8_t)pgn, (uint8_t)(pgn >> 8), (uint8_t)((pgn >> 16) & 0x03u)};
	j1939_frame_init(f, J1939_PRIO_DEFAULT, J1939_PGN_REQUEST, da, sa, d, sizeof d);
}

/* The PGN a Request frame asks for, or -EBADMSG when it has fewer than three
 * bytes. Bits 18..23 of the third byte are reserved and ignored. */
static inline int32_t j1939_request_pgn(const struct evgw_frame *f)
{
	if (f->len < 3)
		return -EBADMSG;
	return (int32_t)(f->data[0] | (uint32_t)f->data[1] << 8 | ((uint32_t)f->data[2] & 0x03u) << 16);
}

#endif
