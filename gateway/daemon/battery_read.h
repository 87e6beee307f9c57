// SPDX-License-Identifier: MIT
/* Reading a battery's health (vehicle/battery.h) on one bus: the vehicle
 * profile's BMS DIDs that the battery table names, each by one UDS 0x22
 * ReadDataByIdentifier through the ECU service (ecu_requests.h; nothing
 * else is ever sent: no session change, no security access, no routine,
 * no write), then the latest decoded DBC signals for what no DID gave (a
 * J1939 e-bus: all of it, from broadcast frames, with no request). */
#ifndef EVGW_DAEMON_BATTERY_READ_H
#define EVGW_DAEMON_BATTERY_READ_H

#include <stdbool.h>

#include "vehicle/battery.h"

struct evgw_station;

/* The record is the callee's; read it during the call only. */
typedef void (*evgw_battery_done_fn)(void *ud, const struct evgw_battery *b);

/* How many DID requests a read would send on st (0: none to send, a
 * listen-only bus, or a bus without the ECU service). */
unsigned evgw_battery_dids_wanted(const struct evgw_station *st);

/* Fill b from st's DBC signals, for every quantity no DID gave, and
 * finish it (evgw_battery_finish). Sends nothing. */
void evgw_battery_from_signals(const struct evgw_station *st, struct evgw_battery *b);

/* Read the DIDs one after the other, then the signals; done is called
 * exactly once, later (never from inside this call). admin: the caller's
 * rights (a non-admin reads only what ecu_target.h allows). Returns 0, or
 * -ENOMEM, -ENODATA (no DID to ask: use evgw_battery_from_signals), or
 * the ECU service's refusal (-EPERM listen-only, -EBUSY queue full). */
int evgw_battery_read(struct evgw_station *st, bool admin, evgw_battery_done_fn done, void *ud);

#endif
