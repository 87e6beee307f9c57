// SPDX-License-Identifier: MIT
/* Asking ECUs on a bus (diagnostic mode only), one service for every
 * protocol: UDS over ISO-TP (with the KWP2000 fallback when an ECU refuses
 * a UDS service with NRC 0x11: 0x19 → KWP 0x18, 0x14 → KWP 0x14), OBD-II by
 * functional request, and J1939 by Request from the tool address 0xF9
 * (through the bus's J1939 listener). A request names its ECUs once
 * (ecu_target.h); the answers come back as data (ecu_result.h). Requests
 * on one bus run one after the other, queued; every transmission is logged.
 * DTCs read become faults (protocol uds, kwp, obd or j1939). */
#ifndef EVGW_DAEMON_ECU_REQUESTS_H
#define EVGW_DAEMON_ECU_REQUESTS_H

#include <stdint.h>

#include "daemon/ecu_result.h"
#include "daemon/ecu_target.h"

struct evgw_station;
struct evgw_ecu_requests;

#define EVGW_ECU_QUEUE 8 /* requests waiting per bus, the one running not counted */

struct evgw_ecu_query {
	enum evgw_ecu_ask ask;
	uint16_t did;      /* EVGW_ASK_READ_DID */
	uint8_t j1939_dm;  /* EVGW_ASK_CLEAR_DTC on J1939: 11 (active DTCs, the default) or 3 (previously active) */
	/* EVGW_ASK_READ_PIDS: only these PIDs (when supported); none = every
	 * supported PID that obd_pid_info() knows. */
	uint8_t n_pids;
	uint8_t pids[EVGW_ECU_MAX_PIDS];
};

/* The answer; r is the caller's to read during the call only. */
typedef void (*evgw_ecu_done_fn)(void *ud, const struct evgw_ecu_result *r);

int evgw_ecu_requests_attach(struct evgw_station *st, struct evgw_ecu_requests **out);
/* Requests still queued or running end with EVGW_ECU_GONE. */
void evgw_ecu_requests_free(struct evgw_ecu_requests *g);

/* Queue a request: -EPERM on a listen-only bus, -EBUSY when EVGW_ECU_QUEUE
 * requests already wait, -ENOMEM. done is called exactly once, later
 * (never from inside this call). */
int evgw_ecu_request(struct evgw_ecu_requests *g, const struct evgw_ecu_target *t,
		     const struct evgw_ecu_query *q, evgw_ecu_done_fn done, void *ud);

#endif
