// SPDX-License-Identifier: MIT
/* Asking an ECU on a bus (diagnostic mode only): UDS over ISO-TP with the
 * KWP2000 0x18 fallback, or OBD-II by functional request. One request at a
 * time per bus; every transmission is logged. DTCs read become faults
 * (protocol uds, kwp or obd). */
#ifndef EVGW_DAEMON_ECU_REQUESTS_H
#define EVGW_DAEMON_ECU_REQUESTS_H

#include <stdint.h>

#include "util/textbuf.h"

struct evgw_station;
struct evgw_ecu_requests;

enum evgw_diag_kind {
	EVGW_DIAG_READ_DTC = 1,
	EVGW_DIAG_CLEAR_DTC,
	EVGW_DIAG_READ_DID,
	/* OBD-II (SAE J1979), functional 0x7DF: every ECU that answers. */
	EVGW_DIAG_OBD_DTC,    /* modes 03, 07, 0A */
	EVGW_DIAG_OBD_CLEAR,  /* mode 04 */
	EVGW_DIAG_OBD_VIN,    /* mode 09 PID 02 */
	EVGW_DIAG_OBD_PIDS,   /* mode 01: supported-PID discovery, then the PIDs */
};

/* At most this many mode 01 PIDs asked in one request (bounds its rounds). */
#define EVGW_DIAG_MAX_PIDS 32

struct evgw_diag_request {
	enum evgw_diag_kind kind;
	uint32_t tx_id, rx_id;    /* physical request / response ids (11-bit) */
	uint16_t did;
	/* EVGW_DIAG_OBD_PIDS: only these PIDs (when supported); 0 = every
	 * supported PID that obd_pid_info() knows. */
	uint8_t n_pids;
	uint8_t pids[EVGW_DIAG_MAX_PIDS];
};

/* The outcome: result (a JSON value) or err_code + err (a sentence). */
typedef void (*evgw_diag_done_fn)(void *ud, const struct evgw_textbuf *result, const char *err_code,
				  const char *err);

int evgw_ecu_requests_attach(struct evgw_station *st, struct evgw_ecu_requests **out);
void evgw_ecu_requests_free(struct evgw_ecu_requests *g);

/* Start a request: -EBUSY while one runs, -EPERM on a listen-only bus.
 * done is called exactly once, later (never from inside this call). */
int evgw_diag_run(struct evgw_ecu_requests *g, const struct evgw_diag_request *r, evgw_diag_done_fn done,
		  void *ud);

#endif
