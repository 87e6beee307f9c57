// SPDX-License-Identifier: MIT
/* SAE J1939-81 network management, as an observer: who holds which address.
 *
 * Address Claimed (PGN 60928, 0xEE00) carries the sender's 8-byte NAME,
 * least significant byte first. The NAME's 64 bits (J1939-81, "NAME
 * fields"), from bit 0:
 *
 *   0..20   identity number (21)       40..47  function (8)
 *   21..31  manufacturer code (11)     48      reserved
 *   32..34  ECU instance (3)           49..55  vehicle system (7)
 *   35..39  function instance (5)      56..59  vehicle system instance (4)
 *                                      60..62  industry group (3)
 *                                      63      arbitrary address capable
 *
 * Contention: the NAME with the lower value (higher priority) keeps an
 * address. A holder that sees a claim from a NAME of lower priority answers
 * with its own claim; a claimant that hears no answer within 250 ms owns the
 * address. A node that cannot get an address sends Cannot Claim: the same
 * message from the null address 0xFE. */
#ifndef EVGW_J1939_J1939_ADDR_H
#define EVGW_J1939_J1939_ADDR_H

#include <stdbool.h>
#include <stdint.h>

#include "can/frame.h"
#include "j1939/j1939_id.h"

/* J1939-81: a claimant may use its address 250 ms after claiming, unless
 * a NAME of higher priority has contested it. */
#define J1939_ADDR_CLAIM_WAIT_US 250000

struct j1939_name {
	uint32_t identity;            /* 21 bits */
	uint16_t manufacturer;        /* 11 bits */
	uint8_t ecu_instance;         /* 3 bits */
	uint8_t function_instance;    /* 5 bits */
	uint8_t function;             /* 8 bits */
	uint8_t vehicle_system;       /* 7 bits */
	uint8_t vehicle_system_instance; /* 4 bits */
	uint8_t industry_group;       /* 3 bits */
	bool arbitrary_address;       /* 1 bit */
};

/* NAME as a number <-> the 8 bytes on the wire (little-endian). */
uint64_t j1939_name_from_bytes(const uint8_t b[8]);
void j1939_name_to_bytes(uint64_t name, uint8_t b[8]);
void j1939_name_decode(uint64_t name, struct j1939_name *out);
/* -EINVAL when a field does not fit its width; the reserved bit is 0. */
int j1939_name_encode(const struct j1939_name *n, uint64_t *out);

struct j1939_addr_entry {
	bool used;
	bool contested;           /* a lower-priority NAME claimed it; see contender */
	uint64_t name;
	uint64_t contender;
	int64_t contest_until_us; /* no defence by then: the contender has it */
	int64_t first_us;         /* when this NAME got the address */
	int64_t last_us;          /* its latest claim */
	uint32_t claims;          /* claims heard from it at this address */
};

struct j1939_addr_table {
	struct j1939_addr_entry a[J1939_ADDR_COUNT];
	uint32_t cannot_claim;    /* Cannot Claim messages heard */
	uint32_t conflicts;       /* contested claims */
};

enum j1939_addr_result {
	J1939_AC_NONE = 0,        /* not an address claim frame */
	J1939_AC_NEW,             /* a NAME took a free address */
	J1939_AC_REFRESH,         /* the holder claimed again */
	J1939_AC_MOVED,           /* a known NAME claimed another address (old_sa) */
	J1939_AC_TAKEN,           /* a higher-priority NAME displaced other_name */
	J1939_AC_CONTESTED,       /* a lower-priority NAME claimed a held address */
	J1939_AC_DEFENDED,        /* the holder answered a contest; other_name lost */
	J1939_AC_CANNOT_CLAIM,    /* from 0xFE; the NAME's old address, if any, in old_sa */
};

struct j1939_addr_event {
	uint8_t result;           /* enum j1939_addr_result */
	uint8_t sa;               /* the claimed address (0xFE for cannot claim) */
	uint8_t old_sa;           /* MOVED / CANNOT_CLAIM: where the NAME was; else 0xFE */
	uint64_t name;            /* the NAME in the frame */
	uint64_t other_name;      /* TAKEN: displaced; CONTESTED: holder; DEFENDED: loser */
};

void j1939_addr_init(struct j1939_addr_table *t);

/* Feed one frame. J1939_AC_NONE (0) for anything but Address Claimed;
 * -EBADMSG for a claim that is not 8 bytes or comes from 0xFF; else the
 * result, also in *ev when ev is not NULL. */
int j1939_addr_rx(struct j1939_addr_table *t, const struct evgw_frame *f, int64_t now_us,
		  struct j1939_addr_event *ev);

/* The NAME holding sa at now_us (settling a contest whose 250 ms passed
 * without defence): true and *name, or false when nobody holds it. */
bool j1939_addr_lookup(struct j1939_addr_table *t, uint8_t sa, int64_t now_us, uint64_t *name);

/* The address a NAME holds, or 0xFE. */
uint8_t j1939_addr_find(const struct j1939_addr_table *t, uint64_t name);

/* Forget an address (e.g. its node went silent for long). */
void j1939_addr_forget(struct j1939_addr_table *t, uint8_t sa);

/* Request for Address Claimed: Request (PGN 59904) for PGN 60928, from sa
 * (0xFE is allowed for this request, J1939-81) to da (0xFF: every node). */
void j1939_addr_build_request(struct evgw_frame *f, uint8_t da, uint8_t sa);

/* Address Claimed from sa (0xFE: Cannot Claim) to global, priority 6. */
void j1939_addr_build_claim(struct evgw_frame *f, uint8_t sa, uint64_t name);

#endif
