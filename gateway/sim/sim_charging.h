// SPDX-License-Identifier: MIT
/* A GB/T 27930 DC charge on the simulated e-bus, both sides played by the
 * simulator (the charger at 0x56, the BMS at 0xF4): once per drive cycle,
 * while the bus stands (SIM_CHARGING_AT_S into the cycle), a 2015-style
 * session: handshake (CHM, BHM), recognition (CRM, the BRM by RTS/CTS),
 * parameters (the BCP by RTS/CTS, CTS, CML, BRO, CRO), three seconds of
 * charging (BCL, CCS, BSM every 250 ms, the BCS by RTS/CTS every 500 ms,
 * BMV, BMT and BSP by BAM) while the hottest cell warms, then the BMS stops
 * it for battery pack over-temperature (BST), the charger answers (CST),
 * and both send their statistics (BSD, CSD). So `evgw charging --bus ebus`
 * shows an abnormal end, and `evgw faults` its fault, once a minute.
 *
 * The frames are laid out by hand from the table in
 * gateway/charging/gbt27930.h (and J1939-21's TP frames), independently
 * of the decoder that reads them. The clock is the caller's; nothing here
 * allocates, logs or sleeps. */
#ifndef EVGW_SIM_SIM_CHARGING_H
#define EVGW_SIM_SIM_CHARGING_H

#include <stdint.h>

#include "can/frame.h"

#define SIM_CHARGING_AT_S 52.0     /* the bus has stopped (sim_model.c: T_STOP) */
#define SIM_CHARGING_FRAMES 192

struct sim_charging {
	int64_t t0;                   /* the drive cycle's start */
	uint32_t cycle;               /* the cycle whose session comes next */
	struct evgw_frame frames[SIM_CHARGING_FRAMES]; /* one session, due-time order */
	unsigned n, next;
};

void sim_charging_start(struct sim_charging *c, int64_t now_us);
/* The next frame's due time (the next session's first when none is laid out). */
int64_t sim_charging_next_due(const struct sim_charging *c);
/* Take the next frame if due by now_us: 1, else 0. */
int sim_charging_pop(struct sim_charging *c, int64_t now_us, struct evgw_frame *out);

#endif
