// SPDX-License-Identifier: MIT
/* Which ECUs a request means: "7E7" / "0x7E7" / 2023 (an 11-bit request
 * id), a name of the bus's vehicle profile ("bms"), "all" (every ECU the
 * profile names on that bus), "obd" or "7DF" (OBD-II functional request),
 * "j1939" or "j1939:F3" (J1939 global or one source address). Decided
 * once, here; the request service then only runs the list. */
#ifndef EVGW_DAEMON_ECU_TARGET_H
#define EVGW_DAEMON_ECU_TARGET_H

#include <stddef.h>
#include <stdint.h>

#include "daemon/ecu_result.h"
#include "vehicle/profile.h"

struct evgw_station;

/* One ECU to ask, or one functional/broadcast request. */
struct evgw_ecu_address {
	enum evgw_fault_protocol protocol; /* UDS (KWP on NRC 0x11), KWP, OBD (functional), J1939 */
	uint32_t tx, rx;                   /* UDS, KWP: physical request and response ids */
	uint8_t sa;                        /* J1939: the ECU's address, 0xFF: every ECU */
	const struct evgw_profile_ecu *pe; /* the profile's entry, or NULL */
};

struct evgw_ecu_target {
	enum evgw_ecu_target_kind kind;
	char text[48];
	unsigned n;
	struct evgw_ecu_address ecus[EVGW_PROFILE_MAX_ECUS];
};

/* ecu: the request's text, or NULL with number >= 0 (a request id given
 * as a number), or NULL and -1 (not given: vin on a J1939 bus asks
 * "j1939", read-pids "obd"). rx: the response id when it is not request
 * id + 8, else 0. Returns 0, or -EINVAL (malformed or missing),
 * -ENOENT (no such profile ECU), -EOPNOTSUPP (the bus or ECU cannot be
 * asked that) with a sentence in err. */
int evgw_ecu_resolve(const struct evgw_station *st, const char *ecu, int64_t number, uint32_t rx,
		     enum evgw_ecu_ask ask, struct evgw_ecu_target *t, char *err, size_t errlen);

/* The diagnostic addresses anyone may ask: OBD-II functional 0x7DF and
 * physical 0x7E0..0x7E7, answering on 0x7E8..0x7EF (ISO 15765-4). */
#define EVGW_ECU_OBD_FUNCTIONAL 0x7DF
#define EVGW_ECU_OBD_FIRST_REQUEST 0x7E0
#define EVGW_ECU_OBD_LAST_REQUEST 0x7E7
#define EVGW_ECU_OBD_FIRST_RESPONSE 0x7E8
#define EVGW_ECU_OBD_LAST_RESPONSE 0x7EF

/* May a caller without admin rights send what t resolves to? Read
 * services only (read-dtc, read-did, vin, read-pids), to diagnostic
 * addresses only: OBD-II functional requests, physical requests on
 * 0x7E0..0x7E7, the ECUs the bus's vehicle profile names (their own
 * request and response ids), J1939 Requests (PGN 59904, to one address or
 * all); a response id ("rx") within the same ids. Returns 0, or -EPERM with
 * a sentence in err saying which ids are allowed. */
int evgw_ecu_target_check_open(const struct evgw_station *st, const struct evgw_ecu_target *t,
			       enum evgw_ecu_ask ask, char *err, size_t errlen);

#endif
