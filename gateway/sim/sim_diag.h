// SPDX-License-Identifier: MIT
/* Simulated diagnostic ECUs (the server side) for the "byd-atto3" vehicle.
 *
 * Three ECUs, each one ISO-TP link (gateway/diag/isotp.h) with tx = its
 * response id and rx = its request id, classic frames padded with 0xAA:
 *
 *   BMS       requests 0x7E7, responses 0x7EF: UDS 0x10, 0x3E, 0x19 (01, 02,
 *             0A), 0x14, 0x22 (F190 VIN, the simulator's own DIDs 0x0101-0x0104
 *             and the BMS DIDs of dbc/profiles/byd_atto3.ini, sim_diag.c);
 *   body      requests 0x7E3, responses 0x7EB: an older module that refuses
 *             UDS 0x19 and 0x14 (7F 19 11, 7F 14 11) and answers KWP2000
 *             0x18 ReadDTCByStatus (B1A00 status 60, U0100 status 20) and
 *             0x14 ClearDiagnosticInformation with a 2-byte group;
 *   OBD-II    functional 0x7DF and physical 0x7E0, responses 0x7E8: modes
 *             01 (PIDs 01 0C 0D 1C 42 46 5B, bitmaps 00 20 40), 03, 04, 07,
 *             09, 0A (SAE J1979).
 *
 * Frames the ECUs send go into a queue in due-time order; the vehicle merges
 * them into its poll output. Requests come in through sim_diag_receive.
 * Values (SOC, speed, the fault window) come from the vehicle's model at the
 * request's time. Deterministic; no allocation; everything lives in the
 * struct (which must not move after sim_diag_start: the links point into it). */
#ifndef EVGW_SIM_SIM_DIAG_H
#define EVGW_SIM_SIM_DIAG_H

#include <stdbool.h>
#include <stdint.h>

#include "can/frame.h"
#include "diag/isotp.h"
#include "sim/sim_model.h"

#define SIM_DIAG_QUEUE 64
#define SIM_DIAG_RESP_MAX 64

#define SIM_DIAG_BMS_REQ 0x7E7u
#define SIM_DIAG_BMS_RESP 0x7EFu
#define SIM_DIAG_BODY_REQ 0x7E3u
#define SIM_DIAG_BODY_RESP 0x7EBu
#define SIM_DIAG_OBD_FUNC 0x7DFu
#define SIM_DIAG_OBD_REQ 0x7E0u
#define SIM_DIAG_OBD_RESP 0x7E8u

#define SIM_DIAG_VIN "LGXCE4CB0N0123456"
#define SIM_DIAG_BODY_DTCS 2

enum sim_diag_kind { SIM_DIAG_BMS, SIM_DIAG_BODY, SIM_DIAG_OBD, SIM_DIAG_N_ECUS };

struct sim_diag;

struct sim_diag_ecu {
	struct sim_diag *d;
	enum sim_diag_kind kind;
	struct isotp_link link;
	uint8_t resp[SIM_DIAG_RESP_MAX];   /* the response being sent (isotp_send does not copy) */
	uint8_t req[8];                    /* a request answered late (after 7F xx 78) */
	uint8_t req_len;
	int64_t delayed_at;                /* when to answer req; INT64_MAX when none */
	bool functional;                   /* the request being handled came on 0x7DF */
};

struct sim_diag {
	const struct evgw_sim_profile *p;
	int64_t t0;                        /* the vehicle's cycle start */
	int64_t now;                       /* time of the engine call in progress */
	struct evgw_frame queue[SIM_DIAG_QUEUE]; /* due-time order */
	unsigned head, count;
	struct sim_diag_ecu ecu[SIM_DIAG_N_ECUS];
	/* Server state. */
	bool bms_cleared;                  /* 0x14 cleared the stored DTCs */
	bool bms_pending_next;             /* answer the next 0x19 with 0x78 first */
	uint8_t bms_session;
	bool obd_cleared;                  /* mode 04 cleared the mode 03 DTC */
	bool body_cleared[SIM_DIAG_BODY_DTCS]; /* KWP 0x14 cleared the body module's DTC */
	uint32_t dropped;                  /* frames lost to a full queue (never, when polled) */
};

/* Reset and set up the ECUs; t0 is the vehicle's cycle start (model time 0). */
void sim_diag_start(struct sim_diag *d, const struct evgw_sim_profile *p, int64_t t0);
/* A frame sent to the vehicle at now_us: requests (and flow control) for the ECUs. */
void sim_diag_receive(struct sim_diag *d, const struct evgw_frame *f, int64_t now_us);
/* Run the links' timers and the late answers up to now_us. */
void sim_diag_run(struct sim_diag *d, int64_t now_us);
/* The earliest queued frame or timer, or INT64_MAX. */
int64_t sim_diag_next_due(const struct sim_diag *d);
/* Take the next queued frame if due by now_us: 1, else 0. */
int sim_diag_pop(struct sim_diag *d, int64_t now_us, struct evgw_frame *out);

#endif
