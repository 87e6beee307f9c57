// SPDX-License-Identifier: MIT
/* Our own J1939 address (J1939-81), for a tool that sends requests: claim
 * it, defend it against lower-priority NAMEs, give it up to higher-priority
 * ones (then send Cannot Claim and stay silent), and answer Requests for
 * Address Claimed. Pure state machine: frames in, frames to send out, time
 * passed in. */
#ifndef EVGW_J1939_J1939_CLAIM_H
#define EVGW_J1939_J1939_CLAIM_H

#include <stdbool.h>
#include <stdint.h>

#include "can/frame.h"

enum j1939_claim_state {
	J1939_CLAIM_NONE = 0,  /* not claimed yet: must not transmit */
	J1939_CLAIM_PENDING,   /* claimed, waiting the 250 ms for a contest */
	J1939_CLAIM_HELD,      /* ours: requests may go out */
	J1939_CLAIM_LOST,      /* a higher-priority NAME has it: silent */
};

struct j1939_claim {
	uint64_t name;
	uint8_t sa;
	uint8_t state;         /* enum j1939_claim_state */
	int64_t claimed_us;    /* when our last claim went out */
	uint64_t winner;       /* LOST: the NAME that took the address */
};

/* The NAME evgw claims with: identity from `identity` (21 bits, e.g. a
 * hash of the machine id so two bench units differ), no manufacturer code
 * (none is assigned to evgw), not arbitrary-address capable, and the
 * largest function and vehicle-system values, so that any vehicle ECU's
 * NAME has priority over ours: a tool yields, never displaces. */
uint64_t j1939_claim_tool_name(uint32_t identity);

void j1939_claim_init(struct j1939_claim *c, uint64_t name, uint8_t sa);

/* Claim now: fills f with our Address Claimed; PENDING. */
void j1939_claim_start(struct j1939_claim *c, int64_t now_us, struct evgw_frame *f);

/* PENDING turns HELD 250 ms after the claim. Returns the state. */
enum j1939_claim_state j1939_claim_poll(struct j1939_claim *c, int64_t now_us);

/* A frame from the bus. Returns 1 with *out filled when we must send it
 * (our claim again, in defence or as an answer to a request; or Cannot
 * Claim once lost), else 0. */
int j1939_claim_rx(struct j1939_claim *c, const struct evgw_frame *f, int64_t now_us,
		   struct evgw_frame *out);

#endif
