// SPDX-License-Identifier: MIT
/* One bus as the daemon keeps it: the frame path (struct evgw_bus) and
 * everything the daemon hangs on it — the vehicle profile and its DTC
 * words, the recorder, the ECU requests, the J1939 listener and the state
 * of opening its adapter. One record per bus instead of parallel arrays. */
#ifndef EVGW_DAEMON_STATION_H
#define EVGW_DAEMON_STATION_H

#include <stdbool.h>
#include <stdint.h>

struct evgw_daemon;
struct evgw_bus;
struct evgw_profile;
struct evgw_dtc_text;
struct evgw_recorder;
struct evgw_ecu_requests;
struct evgw_j1939_listener;
struct evgw_confirmations;

struct evgw_station {
	struct evgw_daemon *d;
	struct evgw_bus *bus;              /* owned */
	struct evgw_profile *profile;      /* owned: the config's profile = NAME, or NULL */
	struct evgw_dtc_text *dtc_text;    /* owned: the profile's tables (+ the common ones), or NULL */
	struct evgw_recorder *recorder;    /* NULL when the bus is not being recorded */
	struct evgw_ecu_requests *ecu;     /* asking ECUs; NULL until started */
	struct evgw_j1939_listener *j1939; /* NULL: the bus does not speak J1939 */
	struct evgw_confirmations *confirmed; /* owned: what the shop confirmed here (daemon/confirmed.h), or NULL */
	bool open_failed;                  /* open() failed for a reason other than ENODEV */
	uint32_t open_err_hash;            /* the last failure logged */
};

/* Free a station that was never started, or whose parts were stopped. */
void evgw_station_free(struct evgw_station *st);

#endif
