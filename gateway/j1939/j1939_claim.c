// SPDX-License-Identifier: MIT
/* J1939-81 address claiming, as j1939_addr.h summarises it: the lower NAME
 * value wins an address; a claimant owns it when no higher-priority claim
 * answers within 250 ms; a node that loses sends Cannot Claim (the same
 * message from 0xFE). A Request for Address Claimed (PGN 59904 asking for
 * 60928) is answered by every node that holds or lost an address; one
 * still in its 250 ms is silent (as e.g. HMS's J1939 interface manual
 * describes the behaviour). Addresses 249/250 (0xF9/0xFA) are the ones
 * set aside for off-board diagnostic-service tools (B&B Electronics
 * 1939STB manual, citing J1939-81). */
#include "j1939/j1939_claim.h"

#include "j1939/j1939_addr.h"
#include "j1939/j1939_id.h"

uint64_t j1939_claim_tool_name(uint32_t identity)
{
	struct j1939_name n = {
		.identity = identity & 0x1FFFFFu,
		.manufacturer = 0,
		.ecu_instance = 0,
		.function_instance = 0,
		.function = 0xFF,
		.vehicle_system = 0x7F,
		.vehicle_system_instance = 0,
		.industry_group = 0,
		.arbitrary_address = false,
	};
	uint64_t v = 0;
	(void)j1939_name_encode(&n, &v); /* every field fits its width */
	return v;
}

void j1939_claim_init(struct j1939_claim *c, uint64_t name, uint8_t sa)
{
	c->name = name;
	c->sa = sa;
	c->state = J1939_CLAIM_NONE;
	c->claimed_us = 0;
	c->winner = 0;
}

void j1939_claim_start(struct j1939_claim *c, int64_t now_us, struct evgw_frame *f)
{
	c->state = J1939_CLAIM_PENDING;
	c->claimed_us = now_us;
	j1939_addr_build_claim(f, c->sa, c->name);
}

enum j1939_claim_state j1939_claim_poll(struct j1939_claim *c, int64_t now_us)
{
	if (c->state == J1939_CLAIM_PENDING && now_us - c->claimed_us >= J1939_ADDR_CLAIM_WAIT_US)
		c->state = J1939_CLAIM_HELD;
	return (enum j1939_claim_state)c->state;
}

static bool is_ext_len(const struct evgw_frame *f, uint8_t len)
{
	return (f->flags & EVGW_FRAME_EXT) && !(f->flags & (EVGW_FRAME_ERR | EVGW_FRAME_RTR)) &&
	       f->len >= len;
}

int j1939_claim_rx(struct j1939_claim *c, const struct evgw_frame *f, int64_t now_us,
		   struct evgw_frame *out)
{
	if (c->state == J1939_CLAIM_NONE || !is_ext_len(f, 3))
		return 0;
	uint32_t pgn = j1939_id_pgn(f->id);
	uint8_t sa = j1939_id_sa(f->id);
	if (pgn == J1939_PGN_ADDR_CLAIM && f->len == 8 && sa == c->sa) {
		uint64_t theirs = j1939_name_from_bytes(f->data);
		if (theirs == c->name || c->state == J1939_CLAIM_LOST)
			return 0;
		if (theirs < c->name) {
			c->state = J1939_CLAIM_LOST;
			c->winner = theirs;
			j1939_addr_build_claim(out, J1939_ADDR_NULL, c->name);
			return 1;
		}
		/* A lower-priority NAME wants our address: claim it again. */
		j1939_addr_build_claim(out, c->sa, c->name);
		(void)now_us;
		return 1;
	}
	if (pgn == J1939_PGN_REQUEST) {
		uint32_t asked = (uint32_t)f->data[0] | (uint32_t)f->data[1] << 8 |
				 (uint32_t)(f->data[2] & 0x03) << 16;
		uint8_t da = j1939_id_da(f->id);
		if (asked != J1939_PGN_ADDR_CLAIM || (da != c->sa && da != J1939_ADDR_GLOBAL))
			return 0;
		if (c->state == J1939_CLAIM_HELD) {
			j1939_addr_build_claim(out, c->sa, c->name);
			return 1;
		}
		if (c->state == J1939_CLAIM_LOST) {
			j1939_addr_build_claim(out, J1939_ADDR_NULL, c->name);
			return 1;
		}
	}
	return 0;
}
