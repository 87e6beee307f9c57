// SPDX-License-Identifier: MIT
/* Simulated J1939 ECUs for the bus demo and the tests: the BMS (SA 0xF3)
 * and the motor controller (SA 0xEF). Each claims its address at start (PGN
 * 60928) and broadcasts DM1 every second, with the "no fault" form most of
 * the time and active DTCs in windows of the drive cycle: one DTC in a
 * single frame, and three DTCs in a BAM transfer (J1939-21 TP.CM_BAM +
 * TP.DT, 50 ms apart). Both answer a Request for Vehicle Identification
 * (PGN 65260) with SIM_J1939_VIN and its '*': by BAM when the request was
 * global (or came from the null address), by RTS/CTS to the requester when
 * it was addressed to the ECU (J1939-21 transport protocol; one transfer at
 * a time per ECU: a request meanwhile is not answered). */
#ifndef EVGW_SIM_SIM_J1939_H
#define EVGW_SIM_SIM_J1939_H

#include <stdbool.h>
#include <stdint.h>

#include "can/frame.h"

#define SIM_J1939_QUEUE 64
#define SIM_J1939_ECUS 2
#define SIM_J1939_SA_BMS 0xF3u     /* as on Chinese e-buses (reference doc) */
#define SIM_J1939_SA_MOTOR 0xEFu   /* the traction motor controller */
#define SIM_J1939_MSG_MAX 32
/* The bus's VIN: invented for the demo, no real vehicle's. 17 characters of
 * the ISO 3779 alphabet with a valid check digit (position 9, the weighted
 * sum mod 11 rule that North American and Chinese VINs use). */
#define SIM_J1939_VIN "LZYTBGBW5R1001237"

/* An RTS/CTS transfer an ECU is sending (J1939-21 TP.CM_RTS, then TP.DT
 * windows as the receiver's CTS grant them, until TP.CM_EndOfMsgAck). */
enum sim_j1939_tx_state { SIM_J1939_TX_IDLE, SIM_J1939_TX_WAIT_CTS, SIM_J1939_TX_WAIT_EOMA };

struct sim_j1939_tx {
	uint8_t state;          /* enum sim_j1939_tx_state */
	uint8_t peer;           /* the receiver: who asked */
	uint8_t packets;
	uint16_t size;
	uint32_t pgn;
	int64_t deadline;       /* T3 (or T4 after a hold): then Abort, reason 3 */
	uint8_t msg[SIM_J1939_MSG_MAX];
};

struct sim_j1939 {
	int64_t t0;
	int64_t next_dm1;
	struct evgw_frame queue[SIM_J1939_QUEUE]; /* due-time order */
	unsigned head, count;
	uint32_t cycles;
	bool bms_dm2_cleared;   /* DM3 or DM11 received: DM2 answers empty */
	struct sim_j1939_tx tx[SIM_J1939_ECUS]; /* per ECU, in the order BMS, motor */
};

void sim_j1939_start(struct sim_j1939 *j, int64_t now_us);
/* The earliest due frame or transfer timeout, or INT64_MAX. */
int64_t sim_j1939_next_due(struct sim_j1939 *j);
/* Take the next frame if due by now_us: 1, else 0. */
int sim_j1939_pop(struct sim_j1939 *j, int64_t now_us, struct evgw_frame *out);
/* A frame sent on the bus: Requests (PGN 59904) for DM2 are answered with
 * each ECU's previously active DTCs; for DM3 / DM11 with an Acknowledgment
 * (PGN 59392), after which the BMS's DM2 is empty; for PGN 65260 with the
 * VIN (see above). TP.CM frames to an ECU (CTS, EndOfMsgAck, Abort) drive
 * its RTS/CTS transfer. */
void sim_j1939_receive(struct sim_j1939 *j, const struct evgw_frame *f, int64_t now_us);

#endif
