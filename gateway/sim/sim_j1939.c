// SPDX-License-Identifier: MIT
/* The e-bus's simulated J1939 ECUs: see sim_j1939.h. Transport protocol
 * frames as J1939-21 lays them out (j1939/j1939_tp.h has the table): the
 * simulator sends its own, independently of j1939_tp.c, which receives
 * them in the daemon. */
#include "sim/sim_j1939.h"

#include <string.h>

#include "j1939/j1939_addr.h"
#include "j1939/j1939_dm.h"
#include "j1939/j1939_id.h"
#include "j1939/j1939_tp.h"
#include "j1939/j1939_vin.h"
#include "sim/sim_model.h"

#define SA_BMS SIM_J1939_SA_BMS
#define SA_MOTOR SIM_J1939_SA_MOTOR
#define DM1_PERIOD_US 1000000
#define BAM_GAP_US 50000
#define DT_GAP_US 1000      /* RTS/CTS data packets 1 ms apart (J1939-21 sets no minimum) */
#define ANSWER_US 2000      /* the first ECU answers a request 2 ms after it, the next 1 ms later */
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

static const uint8_t ecus[SIM_J1939_ECUS] = {SA_BMS, SA_MOTOR};

/* Into the queue in due-time order (after frames due at the same time):
 * transfers of two ECUs and the DM1 rounds interleave. */
static void push(struct sim_j1939 *j, const struct evgw_frame *f)
{
	unsigned k = j->count;
	if (k == SIM_J1939_QUEUE)
		return; /* the queue only lags when polled too rarely; drop */
	while (k > 0) {
		const struct evgw_frame *prev = &j->queue[(j->head + k - 1) % SIM_J1939_QUEUE];
		if (prev->ts_us <= f->ts_us)
			break;
		j->queue[(j->head + k) % SIM_J1939_QUEUE] = *prev;
		k--;
	}
	j->queue[(j->head + k) % SIM_J1939_QUEUE] = *f;
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

/* TP.CM: control byte, bytes 1-4, the packed message's PGN in 5-7. */
static void tp_cm(struct sim_j1939 *j, int64_t due, uint8_t sa, uint8_t da, const uint8_t b[5],
		  uint32_t pgn)
{
	uint8_t cm[8] = {b[0], b[1], b[2], b[3], b[4], (uint8_t)pgn, (uint8_t)(pgn >> 8),
			 (uint8_t)(pgn >> 16)};
	struct evgw_frame f;
	frame(&f, due, j1939_id_make(J1939_PRIO_TP, J1939_PGN_TP_CM, da, sa), cm, 8);
	push(j, &f);
}

/* TP.DT packet seq (1..): its 7 bytes of msg, the last packet padded with FF. */
static void tp_dt(struct sim_j1939 *j, int64_t due, uint8_t sa, uint8_t da, const uint8_t *msg,
		  size_t len, unsigned seq)
{
	uint8_t dt[8];
	size_t at = (seq - 1) * 7u;
	memset(dt, 0xFF, sizeof dt);
	dt[0] = (uint8_t)seq;
	for (size_t k = 0; k < 7 && at + k < len; k++)
		dt[1 + k] = msg[at + k];
	struct evgw_frame f;
	frame(&f, due, j1939_id_make(J1939_PRIO_TP, J1939_PGN_TP_DT, da, sa), dt, 8);
	push(j, &f);
}

static uint8_t packets_of(size_t len)
{
	return (uint8_t)((len + 6) / 7);
}

/* A message longer than 8 bytes to everyone: TP.CM_BAM, then the TP.DT
 * packets BAM_GAP_US apart (J1939-21 5.10.3). */
static void bam(struct sim_j1939 *j, int64_t due, uint8_t sa, uint32_t pgn, const uint8_t *msg,
		size_t len)
{
	uint8_t packets = packets_of(len);
	const uint8_t cm[5] = {J1939_TP_BAM, (uint8_t)len, (uint8_t)(len >> 8), packets, 0xFF};
	tp_cm(j, due, sa, J1939_ADDR_GLOBAL, cm, pgn);
	for (unsigned p = 1; p <= packets; p++)
		tp_dt(j, due + (int64_t)p * BAM_GAP_US, sa, J1939_ADDR_GLOBAL, msg, len, p);
}

static void dm1_bam(struct sim_j1939 *j, int64_t due, uint8_t sa, const struct j1939_dm_lamps *l,
		    const struct j1939_dtc *dtc, unsigned n)
{
	uint8_t msg[64];
	int len = j1939_dm_encode(l, dtc, n, msg, sizeof msg);
	if (len > 8)
		bam(j, due, sa, J1939_PGN_DM1, msg, (size_t)len);
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

/* ---- RTS/CTS transfers (J1939-21 5.10.2) ---- */

/* Open a connection to `peer` for msg: TP.CM_RTS (size, packets, no limit
 * per CTS), then wait T3 for its CTS. */
static void rts_start(struct sim_j1939 *j, unsigned i, int64_t due, uint8_t peer, uint32_t pgn,
		      const uint8_t *msg, size_t len)
{
	struct sim_j1939_tx *t = &j->tx[i];
	if (t->state != SIM_J1939_TX_IDLE || len > sizeof t->msg)
		return; /* one transfer at a time */
	t->state = SIM_J1939_TX_WAIT_CTS;
	t->peer = peer;
	t->pgn = pgn;
	t->size = (uint16_t)len;
	t->packets = packets_of(len);
	memcpy(t->msg, msg, len);
	t->deadline = due + J1939_TP_T3_US;
	const uint8_t cm[5] = {J1939_TP_RTS, (uint8_t)len, (uint8_t)(len >> 8), t->packets, 0xFF};
	tp_cm(j, due, ecus[i], peer, cm, pgn);
}

/* TP.CM_CTS: send packets next..next+count-1 (no further than the last),
 * then wait T3 for the next CTS or the EndOfMsgAck. count 0 holds the
 * connection open: wait T4 for the next CTS. A window outside the message
 * is ignored (the timeout ends the transfer). */
static void on_cts(struct sim_j1939 *j, unsigned i, uint8_t count, uint8_t next, int64_t now)
{
	struct sim_j1939_tx *t = &j->tx[i];
	if (count == 0) {
		t->state = SIM_J1939_TX_WAIT_CTS;
		t->deadline = now + J1939_TP_T4_US;
		return;
	}
	if (next < 1 || next > t->packets)
		return;
	unsigned last = (unsigned)next + count - 1;
	if (last > t->packets)
		last = t->packets;
	int64_t due = now;
	for (unsigned seq = next; seq <= last; seq++) {
		due += DT_GAP_US;
		tp_dt(j, due, ecus[i], t->peer, t->msg, t->size, seq);
	}
	t->state = last == t->packets ? SIM_J1939_TX_WAIT_EOMA : SIM_J1939_TX_WAIT_CTS;
	t->deadline = due + J1939_TP_T3_US;
}

/* A TP.CM frame to one of the ECUs from the peer of its transfer, about
 * the PGN being sent. */
static void on_tp_cm(struct sim_j1939 *j, const struct evgw_frame *f, int64_t now)
{
	uint8_t da = j1939_id_da(f->id), sa = j1939_id_sa(f->id);
	uint32_t pgn = f->data[5] | (uint32_t)f->data[6] << 8 | ((uint32_t)f->data[7] & 0x03u) << 16;
	for (unsigned i = 0; i < SIM_J1939_ECUS; i++) {
		struct sim_j1939_tx *t = &j->tx[i];
		if (da != ecus[i] || t->state == SIM_J1939_TX_IDLE || sa != t->peer || pgn != t->pgn)
			continue;
		switch (f->data[0]) {
		case J1939_TP_CTS:
			on_cts(j, i, f->data[1], f->data[2], now);
			break;
		case J1939_TP_EOMA:
			if (t->state == SIM_J1939_TX_WAIT_EOMA)
				t->state = SIM_J1939_TX_IDLE;
			break;
		case J1939_TP_ABORT:
			t->state = SIM_J1939_TX_IDLE;
			break;
		default:
			break;
		}
	}
}

/* A transfer whose peer went silent: TP.Conn_Abort, reason 3 (timeout). */
static void expire(struct sim_j1939 *j, int64_t now)
{
	for (unsigned i = 0; i < SIM_J1939_ECUS; i++) {
		struct sim_j1939_tx *t = &j->tx[i];
		if (t->state == SIM_J1939_TX_IDLE || t->deadline > now)
			continue;
		const uint8_t cm[5] = {J1939_TP_ABORT, J1939_TP_ABORT_TIMEOUT, 0xFF, 0xFF, 0xFF};
		tp_cm(j, t->deadline, ecus[i], t->peer, cm, t->pgn);
		t->state = SIM_J1939_TX_IDLE;
	}
}

int64_t sim_j1939_next_due(struct sim_j1939 *j)
{
	int64_t due = j->count ? j->queue[j->head].ts_us : INT64_MAX;
	if (j->next_dm1 < due)
		due = j->next_dm1;
	for (unsigned i = 0; i < SIM_J1939_ECUS; i++)
		if (j->tx[i].state != SIM_J1939_TX_IDLE && j->tx[i].deadline < due)
			due = j->tx[i].deadline;
	return due;
}

int sim_j1939_pop(struct sim_j1939 *j, int64_t now_us, struct evgw_frame *out)
{
	expire(j, now_us);
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

/* VI (PGN 65260): the VIN and its delimiter, 18 bytes, so by TP. A request
 * from the null address cannot be answered to it: BAM then too. */
static void answer_vin(struct sim_j1939 *j, unsigned i, int64_t due, uint8_t da, uint8_t requester)
{
	uint8_t msg[SIM_J1939_MSG_MAX];
	size_t len = sizeof SIM_J1939_VIN - 1;
	memcpy(msg, SIM_J1939_VIN, len);
	msg[len++] = J1939_VIN_DELIM;
	if (da == J1939_ADDR_GLOBAL || requester >= J1939_ADDR_NULL)
		bam(j, due, ecus[i], J1939_PGN_VI, msg, len);
	else
		rts_start(j, i, due, requester, J1939_PGN_VI, msg, len);
}

void sim_j1939_receive(struct sim_j1939 *j, const struct evgw_frame *f, int64_t now_us)
{
	if (!(f->flags & EVGW_FRAME_EXT))
		return;
	if (j1939_id_pgn(f->id) == J1939_PGN_TP_CM && f->len == 8) {
		on_tp_cm(j, f, now_us);
		return;
	}
	if (f->len < 3 || j1939_id_pgn(f->id) != J1939_PGN_REQUEST)
		return;
	uint8_t da = j1939_id_da(f->id), requester = j1939_id_sa(f->id);
	uint32_t pgn = (uint32_t)f->data[0] | (uint32_t)f->data[1] << 8 | (uint32_t)f->data[2] << 16;
	for (unsigned i = 0; i < SIM_J1939_ECUS; i++) {
		if (da != J1939_ADDR_GLOBAL && da != ecus[i])
			continue;
		int64_t due = now_us + ANSWER_US + (int64_t)i * 1000; /* each ECU a moment apart */
		if (pgn == J1939_PGN_VI) {
			answer_vin(j, i, due, da, requester);
		} else if (pgn == J1939_PGN_DM2) {
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
