// SPDX-License-Identifier: MIT
#include "sim/sim_j1939.h"

#include <stdbool.h>
#include <string.h>

#include "j1939/j1939_addr.h"
#include "j1939/j1939_dm.h"
#include "j1939/j1939_id.h"
#include "sim/sim_model.h"

#define SA_BMS 0xF3u        /* as on Chinese e-buses (reference doc) */
#define SA_MOTOR 0xEFu      /* the traction motor controller */
#define DM1_PERIOD_US 1000000
#define BAM_GAP_US 50000
/* Windows of the 60 s cycle (seconds). */
#define BMS_FAULT_FROM 25.0 /* the same window as the BMS status fault bits */
#define BMS_FAULT_TO 35.0
#define MOTOR_FAULT_FROM 40.0
#define MOTOR_FAULT_TO 50.0

/* Proprietary SPNs (520192..524287 are the manufacturer range of J1939-71)
 * and one standard one: SPN 190 engine (here: motor) speed. */
#define SPN_BMS_INSULATION 520200u
#define SPN_MOTOR_TEMP 520300u
#define SPN_MOTOR_SPEED 190u
#define SPN_MOTOR_CURRENT 520301u

static void push(struct sim_j1939 *j, const struct evgw_frame *f)
{
	if (j->count == SIM_J1939_QUEUE)
		return; /* the queue only lags when polled too rarely; drop */
	j->queue[(j->head + j->count) % SIM_J1939_QUEUE] = *f;
	j->count++;
}

static void frame(struct evgw_frame *f, int64_t due, uint32_t id, const uint8_t *data, uint8_t len)
{
	memset(f, 0, sizeof *f);
	f->ts_us = due;
	f->id = id;
	f->flags = EVGW_FRAME_EXT;
	f->len = f->dlc = len;
	memcpy(f->data, data, len);
}

static void claim(struct sim_j1939 *j, int64_t due, uint8_t sa, uint8_t function, uint32_t identity)
{
	struct j1939_name n = {
		.identity = identity,
		.manufacturer = 0x7FF & 1234u, /* not a registered code: a simulator */
		.function = function,
		.vehicle_system = 0,
		.industry_group = 1, /* on-highway */
		.arbitrary_address = false,
	};
	uint64_t name;
	struct evgw_frame f;
	if (j1939_name_encode(&n, &name) == 0) {
		j1939_addr_build_claim(&f, sa, name);
		f.ts_us = due;
		push(j, &f);
	}
}

void sim_j1939_start(struct sim_j1939 *j, int64_t now_us)
{
	memset(j, 0, sizeof *j);
	j->t0 = now_us;
	j->next_dm1 = now_us + 500000;
	claim(j, now_us, SA_BMS, 0x80, 1001);   /* J1939 function codes 128+ are industry-group specific */
	claim(j, now_us + 1000, SA_MOTOR, 0x81, 1002);
}

static void dm1_single(struct sim_j1939 *j, int64_t due, uint8_t sa, const struct j1939_dm_lamps *l,
		       const struct j1939_dtc *dtc, unsigned n)
{
	uint8_t data[8];
	int len = j1939_dm_encode(l, dtc, n, data, sizeof data);
	struct evgw_frame f;
	if (len < 0)
		return;
	while (len < 8)
		data[len++] = 0xFF;
	frame(&f, due, j1939_id_make(6, 0xFECA, 0xFF, sa), data, 8);
	push(j, &f);
}

/* A DM1 longer than 8 bytes: TP.CM_BAM then the TP.DT packets (J1939-21 5.10.3). */
static void dm1_bam(struct sim_j1939 *j, int64_t due, uint8_t sa, const struct j1939_dm_lamps *l,
		    const struct j1939_dtc *dtc, unsigned n)
{
	uint8_t msg[64];
	int len = j1939_dm_encode(l, dtc, n, msg, sizeof msg);
	if (len <= 8)
		return;
	uint8_t packets = (uint8_t)((len + 6) / 7);
	uint8_t cm[8] = {0x20, (uint8_t)len, (uint8_t)(len >> 8), packets, 0xFF, 0xCA, 0xFE, 0x00};
	struct evgw_frame f;
	frame(&f, due, j1939_id_make(7, 0xEC00, 0xFF, sa), cm, 8);
	push(j, &f);
	for (uint8_t p = 0; p < packets; p++) {
		uint8_t dt[8];
		memset(dt, 0xFF, sizeof dt);
		dt[0] = (uint8_t)(p + 1);
		for (int k = 0; k < 7 && p * 7 + k < len; k++)
			dt[1 + k] = msg[p * 7 + k];
		frame(&f, due + (int64_t)(p + 1) * BAM_GAP_US, j1939_id_make(7, 0xEB00, 0xFF, sa), dt, 8);
		push(j, &f);
	}
}

static void dm1_round(struct sim_j1939 *j, int64_t due)
{
	double c = (double)((due - j->t0) % (int64_t)(EVGW_SIM_CYCLE_S * 1e6)) / 1e6;
	struct j1939_dm_lamps off = {0, 0, 0, 0, 3, 3, 3, 3};
	struct j1939_dm_lamps amber = off, red = off;
	amber.amber = J1939_LAMP_ON;
	red.red_stop = J1939_LAMP_ON;
	red.amber = J1939_LAMP_ON;
	if (c >= BMS_FAULT_FROM && c < BMS_FAULT_TO) {
		struct j1939_dtc d = {SPN_BMS_INSULATION, 14, 1, 0, 0};
		dm1_single(j, due, SA_BMS, &amber, &d, 1);
	} else {
		dm1_single(j, due, SA_BMS, &off, NULL, 0);
	}
	if (c >= MOTOR_FAULT_FROM && c < MOTOR_FAULT_TO) {
		struct j1939_dtc d[3] = {
			{SPN_MOTOR_TEMP, 16, 2, 0, 0},
			{SPN_MOTOR_SPEED, 2, 1, 0, 0},
			{SPN_MOTOR_CURRENT, 6, 3, 0, 0},
		};
		dm1_bam(j, due + 5000, SA_MOTOR, &red, d, 3);
	} else {
		dm1_single(j, due + 5000, SA_MOTOR, &off, NULL, 0);
	}
}

int64_t sim_j1939_next_due(struct sim_j1939 *j)
{
	int64_t q = j->count ? j->queue[j->head].ts_us : INT64_MAX;
	return q < j->next_dm1 ? q : j->next_dm1;
}

int sim_j1939_pop(struct sim_j1939 *j, int64_t now_us, struct evgw_frame *out)
{
	if (j->next_dm1 <= now_us && (!j->count || j->queue[j->head].ts_us >= j->next_dm1)) {
		int64_t due = j->next_dm1;
		j->next_dm1 += DM1_PERIOD_US;
		if (j->next_dm1 <= now_us) /* far behind: one round, not a burst */
			j->next_dm1 = now_us + DM1_PERIOD_US;
		dm1_round(j, due);
	}
	if (!j->count || j->queue[j->head].ts_us > now_us)
		return 0;
	*out = j->queue[j->head];
	j->head = (j->head + 1) % SIM_J1939_QUEUE;
	j->count--;
	return 1;
}

/* Previously active: the BMS remembers its insulation fault (3 times),
 * the motor controller nothing. */
static void answer_dm2(struct sim_j1939 *j, int64_t due, uint8_t sa)
{
	struct j1939_dm_lamps off = {0, 0, 0, 0, 3, 3, 3, 3};
	uint8_t data[8];
	struct j1939_dtc d = {SPN_BMS_INSULATION, 14, 3, 0, 0};
	bool any = sa == SA_BMS && !j->bms_dm2_cleared;
	int len = j1939_dm_encode(&off, any ? &d : NULL, any ? 1 : 0, data, sizeof data);
	if (len < 0)
		return;
	while (len < 8)
		data[len++] = 0xFF;
	struct evgw_frame f;
	frame(&f, due, j1939_id_make(6, 0xFECB, 0xFF, sa), data, 8);
	push(j, &f);
}

static void answer_ack(struct sim_j1939 *j, int64_t due, uint8_t sa, uint8_t requester, uint32_t pgn)
{
	struct j1939_ack a = {J1939_ACK, 0xFF, requester, pgn};
	struct evgw_frame f;
	j1939_ack_build(&f, &a, sa);
	f.ts_us = due;
	push(j, &f);
}

void sim_j1939_receive(struct sim_j1939 *j, const struct evgw_frame *f, int64_t now_us)
{
	if (!(f->flags & EVGW_FRAME_EXT) || f->len < 3 || j1939_id_pgn(f->id) != J1939_PGN_REQUEST)
		return;
	uint8_t da = j1939_id_da(f->id), requester = j1939_id_sa(f->id);
	uint32_t pgn = (uint32_t)f->data[0] | (uint32_t)f->data[1] << 8 | (uint32_t)f->data[2] << 16;
	static const uint8_t ecus[] = {SA_BMS, SA_MOTOR};
	for (size_t i = 0; i < sizeof ecus; i++) {
		if (da != 0xFF && da != ecus[i])
			continue;
		int64_t due = now_us + 2000 + (int64_t)i * 1000; /* each ECU a moment apart */
		if (pgn == J1939_PGN_DM2) {
			answer_dm2(j, due, ecus[i]);
		} else if (pgn == J1939_PGN_DM3 || pgn == J1939_PGN_DM11) {
			if (ecus[i] == SA_BMS)
				j->bms_dm2_cleared = true;
			/* A global request is acknowledged only by NACKs (J1939-21); answer
			 * an addressed one, and the global one too so a tool sees who cleared. */
			answer_ack(j, due, ecus[i], requester, pgn);
		}
	}
}
