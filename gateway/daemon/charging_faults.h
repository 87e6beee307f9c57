// SPDX-License-Identifier: MIT
/* GB/T 27930 charges that stop abnormally, as faults: the session
 * tracker's (charging/charging_session.h) fault and end hooks, wired to the
 * daemon's fault engine for one bus.
 *
 * Each stop or error message with fault bits (BST or BEM from the BMS,
 * CST or CEM from the charger) is one fault of that sender (ecu 0xF4 or
 * 0x56), protocol gbt27930, raw code PGN << 32 | its fault bits, code the
 * message and those bits as bytes on the wire ("BST 00 01 00 00"), the
 * reasons in words, severity error. Raised active once per session (a
 * later session that stops the same way counts one more occurrence);
 * cleared when a later session on the bus ends normally. */
#ifndef EVGW_DAEMON_CHARGING_FAULTS_H
#define EVGW_DAEMON_CHARGING_FAULTS_H

#include "charging/charging_session.h"

struct evgw_station;

/* The hooks; their ud is the station. */
extern const struct evgw_charging_ops evgw_charging_fault_ops;

#endif
