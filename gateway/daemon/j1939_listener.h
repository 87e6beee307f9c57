// SPDX-License-Identifier: MIT
/* J1939 on a bus: transport protocol reassembly, address claims (the ECU
 * table), DM1 active DTCs into the fault engine, and GB/T 27930 charging
 * sessions (single frames and TP-carried BRM, BCP, BCS, BMV, BMT, BSP). Listen-only buses
 * still collect DM1: nothing here transmits. */
#ifndef EVGW_DAEMON_J1939_LISTENER_H
#define EVGW_DAEMON_J1939_LISTENER_H

#include <stdbool.h>

#include "bus/bus.h"

#include "daemon/ecu_result.h"

struct evgw_station;
struct evgw_j1939_listener;

/* Does the bus speak J1939 (protocols = j1939, or J1939 messages in its DBC)? */
bool evgw_j1939_wanted(const struct evgw_station *st);

struct evgw_bus;
struct evgw_dtc_text;
/* The words for a J1939 DTC in a language ("en", "ru"): the tables' SPN
 * name (else the name of a signal of the bus's DBC files with that SPN
 * attribute; bus may be NULL) and FMI meaning, and, for a DM2 DTC,
 * "(previously active)". Returns the length written (cut to cap, between
 * characters). */
size_t evgw_j1939_dtc_words(const struct evgw_bus *bus, const struct evgw_dtc_text *words, uint32_t spn,
			    unsigned fmi, bool previously_active, const char *lang, char *out, size_t cap);
int evgw_j1939_listener_attach(struct evgw_station *st, struct evgw_j1939_listener **out);
void evgw_j1939_listener_free(struct evgw_j1939_listener *s);

/* The ECUs heard claiming addresses (PGN 60928). */
struct j1939_addr_table;
const struct j1939_addr_table *evgw_j1939_listener_addresses(const struct evgw_j1939_listener *s);

/* GB/T 27930 charging sessions heard on the bus, brought up to now_us
 * (wall clock: a session silent for 10 s is finished). */
struct evgw_charging;
const struct evgw_charging *evgw_j1939_listener_charging(struct evgw_j1939_listener *s, int64_t now_us);

/* Asking J1939 ECUs (diagnostic buses only; we transmit as 0xF9, the
 * J1939 preferred address of an off-board diagnostic tool, claimed first
 * per J1939-81): pgn DM2 reads previously active DTCs (they become
 * "stored" faults), DM3 / DM11 clear previously active / active DTCs,
 * PGN 65260 asks the VIN. da 0xFF asks every ECU. The answers are
 * collected for 1.25 s as entries of res (an addressed ECU that does not
 * answer gets a timeout entry); then done(ud). -EPERM on a listen-only
 * bus, -EBUSY while a request runs, -EADDRINUSE when 0xF9 was lost. */
int evgw_j1939_ask(struct evgw_j1939_listener *s, uint32_t pgn, uint8_t da, struct evgw_ecu_result *res,
		   void (*done)(void *ud), void *ud);
/* Is a request of ours being answered? (false for NULL) */
bool evgw_j1939_asking(const struct evgw_j1939_listener *s);

#endif
