// SPDX-License-Identifier: MIT
/* Simulated J1939 ECUs for the bus demo and the tests: each claims its
 * address at start (PGN 60928) and broadcasts DM1 every second, with the
 * "no fault" form most of the time and active DTCs in windows of the drive
 * cycle: one DTC in a single frame, and three DTCs in a BAM transfer
 * (J1939-21 TP.CM_BAM + TP.DT, 50 ms apart). */
#ifndef EVGW_SIM_SIM_J1939_H
#define EVGW_SIM_SIM_J1939_H

#include <stdint.h>

#include "can/frame.h"

#define SIM_J1939_QUEUE 64

struct sim_j1939 {
	int64_t t0;
	int64_t next_dm1;
	struct evgw_frame queue[SIM_J1939_QUEUE]; /* due-time order */
	unsigned head, count;
	uint32_t cycles;
	bool bms_dm2_cleared;   /* DM3 or DM11 received: DM2 answers empty */
};

void sim_j1939_start(struct sim_j1939 *j, int64_t now_us);
/* The earliest due frame, or INT64_MAX. */
int64_t sim_j1939_next_due(struct sim_j1939 *j);
/* Take the next frame if due by now_us: 1, else 0. */
int sim_j1939_pop(struct sim_j1939 *j, int64_t now_us, struct evgw_frame *out);
/* A frame sent on the bus: Requests (PGN 59904) for DM2 are answered with
 * each ECU's previously active DTCs; for DM3 / DM11 with an Acknowledgment
 * (PGN 59392), after which the BMS's DM2 is empty. */
void sim_j1939_receive(struct sim_j1939 *j, const struct evgw_frame *f, int64_t now_us);

#endif
