// SPDX-License-Identifier: MIT
/* J1939 on a bus: transport protocol reassembly, address claims (the ECU
 * table) and DM1 active DTCs into the fault engine. Listen-only buses
 * still collect DM1: nothing here transmits. */
#ifndef EVGW_DAEMON_J1939_LISTENER_H
#define EVGW_DAEMON_J1939_LISTENER_H

#include <stdbool.h>

#include "bus/bus.h"

#include "daemon/ecu_requests.h"

struct evgw_station;
struct evgw_j1939_listener;

/* Does the bus speak J1939 (protocols = j1939, or J1939 messages in its DBC)? */
bool evgw_j1939_wanted(const struct evgw_station *st);
int evgw_j1939_listener_attach(struct evgw_station *st, struct evgw_j1939_listener **out);
void evgw_j1939_listener_free(struct evgw_j1939_listener *s);

/* The ECUs heard claiming addresses (PGN 60928). */
struct j1939_addr_table;
const struct j1939_addr_table *evgw_j1939_listener_addresses(const struct evgw_j1939_listener *s);

/* Asking J1939 ECUs (diagnostic buses only; we transmit as 0xF9, the
 * J1939 preferred address of an off-board diagnostic tool): pgn DM2 reads
 * previously active DTCs (they become "stored" faults), DM3 / DM11 clear
 * previously active / active DTCs. da 0xFF asks every ECU. The answers are
 * collected for 1.25 s; done gets {"protocol":"j1939","ecus":[...]}.
 * -EPERM on a listen-only bus, -EBUSY while a request runs. */
int evgw_j1939_request(struct evgw_j1939_listener *s, uint32_t pgn, uint8_t da, evgw_diag_done_fn done,
		       void *ud);


#endif
