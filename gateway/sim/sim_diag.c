// SPDX-License-Identifier: MIT
/* Simulated diagnostic ECUs of the "byd-atto3" vehicle: see sim_diag.h.
 *
 * The request and response layouts are the ones gateway/diag's clients
 * expect (ISO 14229-1, ISO 14230-3 0x18, SAE J1979), as summarised in
 * shared/reference/vehicles-and-protocols.md §3b, §3d and §4. The DID
 * numbers 0x0101-0x0104 and their scalings, and the DTC codes and statuses,
 * are this simulator's own: made up, not BYD's (no public BYD BMS DID or DTC
 * list exists, reference §4.2 and §6). */
#include "sim/sim_diag.h"

#include <math.h>
#include <string.h>

#include "diag/dtc.h"
#include "diag/uds.h"

#define PAD 0xAA
#define LATENCY_US 1000            /* a server answers 1 ms after the request */
#define PENDING_US 300000          /* the real answer after 7F 19 78 */
#define P2_MS 50                   /* sent in 50 xx: P2server_max, 1 ms units */
#define P2_STAR_10MS 500           /* P2*server_max 5000 ms, 10 ms units */
#define AVAIL_MASK 0xFF            /* every status bit is supported */
#define DTC_FORMAT_14229 0x01

/* BMS data DIDs: the simulator's own numbers and encodings (big-endian):
 *   0x0101 SOC, uint16, 0.1 % per bit;
 *   0x0102 pack voltage, uint16, 0.1 V per bit;
 *   0x0103 pack current, uint16, 0.1 A per bit, offset -1000 A
 *          (raw 10000 = 0 A; positive = discharging);
 *   0x0104 highest cell temperature, uint8, 1 C per bit, offset -40 C. */
#define DID_SOC 0x0101u
#define DID_PACK_V 0x0102u
#define DID_PACK_A 0x0103u
#define DID_CELL_T_MAX 0x0104u
/* The DIDs and layouts of dbc/profiles/byd_atto3.ini (OVMS3, WiCAN,
 * Battery-Emulator, loryanstrant; little-endian, counted from the first
 * byte after the DID), so that read-did and battery decode them in the
 * demo. Live quantities come from the model; the pack's history is a fixed
 * one (round figures of a two-year-old Atto 3, 60 kWh, 150 Ah LFP):
 *   0x0005 SOC, uint8, 1 %;  0x0008 pack voltage, uint16, 1 V;
 *   0x0009 pack current, uint16, 0.1 A, offset -500 A (positive: discharging);
 *   0x1FFC SOC uint16 0.01 %, present capacity uint16 0.01 Ah (141.30 Ah);
 *   0x1FFE the same when new: SOC 100.00 %, capacity 150.00 Ah;
 *   0x000B charge count 312; 0x0004 times at full power 27;
 *   0x000F / 0x0010 charged / discharged Ah 48210 / 47655;
 *   0x0011 / 0x0012 charged / discharged kWh 19430 / 19210;
 *   0x002A lowest cell's number (37), 0x002B its voltage, uint16 mV;
 *   0x002C highest cell's number (112), 0x002D its voltage, uint16 mV;
 *   0x002E coldest sensor (3), 0x002F coldest temperature, offset -40 C;
 *   0x0030 warmest sensor (9), 0x0031 warmest temperature, offset -40 C;
 *   0x0032 average temperature (the mean of the two), offset -40 C. */
#define DID_P_SOC 0x0005u
#define DID_P_PACK_V 0x0008u
#define DID_P_PACK_A 0x0009u
#define DID_P_CELL_T_MAX 0x0031u
#define SIM_CAPACITY_CAHS 14130u       /* 141.30 Ah */
#define SIM_CAPACITY_NEW_CAHS 15000u   /* 150.00 Ah */
#define SIM_SOC_NEW_CPCT 10000u        /* 100.00 % */
#define SIM_CELL_MIN_NUMBER 37u
#define SIM_CELL_MAX_NUMBER 112u
#define SIM_TEMP_MIN_SENSOR 3u
#define SIM_TEMP_MAX_SENSOR 9u

/* The fixed history DIDs: number and value (uint16 LE). */
static const struct {
	uint16_t did, value;
} bms_history[] = {
	{0x0004, 27}, {0x000B, 312}, {0x000F, 48210}, {0x0010, 47655}, {0x0011, 19430}, {0x0012, 19210},
};

/* BMS DTCs (3-byte, ISO 14229-1 D.1 layout). Made-up choices, named by their
 * generic SAE J2012 meaning: */
#define DTC_BMS_TEMP_SENSOR 0x0A9B00u   /* P0A9B-00 stored, confirmed */
#define DTC_BMS_DCDC 0x0A1200u          /* P0A12-00 stored, pending + confirmed + failedSinceClear */
#define DTC_BMS_ISOLATION 0x0AA600u     /* P0AA6-00 active during the fault window */
#define STATUS_TEMP_SENSOR 0x08
#define STATUS_DCDC 0x2C
#define STATUS_ACTIVE (UDS_DTC_TEST_FAILED | UDS_DTC_CONFIRMED) /* 0x09 */

/* Body module DTCs (2-byte, KWP2000 0x18) and their statusOfDTC: 0x60
 * presentAtRequest, 0x20 storedNotPresent (bits 6-5, dtc.c layout). */
#define DTC_BODY_1 0x9A00u              /* B1A00 */
#define DTC_BODY_1_STATUS 0x60
#define DTC_BODY_2 0xC100u              /* U0100 */
#define DTC_BODY_2_STATUS 0x20
#define KWP_GROUP_CLASS_MASK 0x3FFFu    /* 0x0000 P, 0x4000 C, 0x8000 B, 0xC000 U groups */

/* OBD-II: mode 03 DTC P0A80 (replace hybrid battery pack). */
#define OBD_DTC 0x0A80u

/* OBD-II mode 01: the PIDs this ECU supports (0x20 and 0x40 chain the
 * bitmaps: each says the next range exists). Formulas from SAE J1979 (ISO
 * 15031-5) annex B, the same as gateway/diag/obd.c's table; fixed values
 * where the model has none:
 *   0x01 monitor status: A bit 7 MIL (off), bits 6-0 the confirmed DTC count
 *        (the mode 03 DTC, 0 after mode 04); B, C, D readiness, none here;
 *   0x0C engine speed (256A+B)/4 rpm: the traction motor's speed;
 *   0x0D vehicle speed A km/h;
 *   0x1C OBD requirements, an enumeration: 0x06 EOBD (Europe) (J1979's PID
 *        1C table, as python-OBD obd/codes.py OBD_COMPLIANCE lists it);
 *   0x42 control module voltage (256A+B)/1000 V (J1979 scaling ID 0x0B,
 *        0.001 V per bit): a fixed 13.5 V, 0x34BC;
 *   0x46 ambient air temperature A-40 degC: a fixed 20 degC, 0x3C;
 *   0x5B hybrid/EV battery pack remaining life A*100/255 %: the SOC. */
static const uint8_t obd_pids[] = {0x01, 0x0C, 0x0D, 0x1C, 0x20, 0x40, 0x42, 0x46, 0x5B};
#define OBD_1C_EOBD 0x06
#define OBD_42_MILLIVOLT 13500u
#define OBD_46_AMBIENT_C 20

/* ---- the queue of frames the ECUs send ---- */

static int send_frame(void *ud, const struct evgw_frame *f)
{
	struct sim_diag_ecu *e = ud;
	struct sim_diag *d = e->d;
	if (d->count == SIM_DIAG_QUEUE) {
		d->dropped++;
		return -ENOBUFS; /* the link retries from isotp_poll */
	}
	struct evgw_frame *q = &d->queue[(d->head + d->count) % SIM_DIAG_QUEUE];
	*q = *f;
	q->ts_us = d->now + LATENCY_US;
	q->bus = 0;
	d->count++;
	return 0;
}

static void state_at(const struct sim_diag *d, int64_t now, struct evgw_sim_state *st)
{
	double t = now > d->t0 ? (double)(now - d->t0) / 1e6 : 0;
	evgw_sim_model_at(d->p, t, st);
}

static uint16_t clamp_u16(double x)
{
	x = round(x);
	return x < 0 ? 0 : x > 65535 ? 65535 : (uint16_t)x;
}

static uint8_t clamp_u8(double x)
{
	x = round(x);
	return x < 0 ? 0 : x > 255 ? 255 : (uint8_t)x;
}

static size_t put16(uint8_t *p, size_t n, uint16_t v)
{
	p[n] = (uint8_t)(v >> 8);
	p[n + 1] = (uint8_t)v;
	return n + 2;
}

static size_t put24(uint8_t *p, size_t n, uint32_t v)
{
	p[n] = (uint8_t)(v >> 16);
	return put16(p, n + 1, (uint16_t)v);
}

static size_t nrc(uint8_t *r, uint8_t sid, uint8_t code)
{
	r[0] = UDS_SID_NEGATIVE;
	r[1] = sid;
	r[2] = code;
	return 3;
}

/* ---- BMS (UDS) ---- */

struct bms_dtc {
	uint32_t code;
	uint8_t status;
};

static unsigned bms_dtcs(const struct sim_diag *d, int64_t now, struct bms_dtc out[3])
{
	struct evgw_sim_state st;
	state_at(d, now, &st);
	out[0] = (struct bms_dtc){DTC_BMS_TEMP_SENSOR, d->bms_cleared ? 0 : STATUS_TEMP_SENSOR};
	out[1] = (struct bms_dtc){DTC_BMS_DCDC, d->bms_cleared ? 0 : STATUS_DCDC};
	out[2] = (struct bms_dtc){DTC_BMS_ISOLATION, st.fault ? STATUS_ACTIVE : 0};
	return 3;
}

/* 0x19, request already checked. */
static size_t bms_read_dtc(struct sim_diag *d, const uint8_t *q, size_t len, int64_t now,
			   uint8_t *r)
{
	struct bms_dtc dtc[3];
	unsigned n = bms_dtcs(d, now, dtc);
	uint8_t sub = q[1];
	size_t k = 0;
	r[k++] = 0x59;
	r[k++] = sub;
	r[k++] = AVAIL_MASK;
	if (sub == UDS_DTC_REPORT_COUNT_BY_MASK) {
		uint16_t count = 0;
		for (unsigned i = 0; i < n; i++)
			count += (dtc[i].status & q[2]) != 0;
		r[k++] = DTC_FORMAT_14229;
		return put16(r, k, count);
	}
	for (unsigned i = 0; i < n; i++) {
		if (sub == UDS_DTC_REPORT_BY_MASK && !(dtc[i].status & q[2]))
			continue;
		k = put24(r, k, dtc[i].code);
		r[k++] = dtc[i].status;
	}
	return k;
}

static size_t put16le(uint8_t *r, size_t k, uint16_t v)
{
	r[k] = (uint8_t)v;
	r[k + 1] = (uint8_t)(v >> 8);
	return k + 2;
}

/* The value bytes of one profile-layout DID at state st, or 0 when the
 * DID is not this BMS's. */
static size_t bms_did_value(uint16_t did, const struct evgw_sim_state *st, uint8_t *r)
{
	for (size_t i = 0; i < sizeof bms_history / sizeof bms_history[0]; i++)
		if (bms_history[i].did == did)
			return put16le(r, 0, bms_history[i].value);
	switch (did) {
	case DID_P_SOC: r[0] = clamp_u8(st->soc_pct); return 1;
	case DID_P_PACK_V: return put16le(r, 0, clamp_u16(st->pack_v));
	case DID_P_PACK_A: return put16le(r, 0, clamp_u16(st->pack_a * 10 + 5000));
	case 0x1FFC:
		put16le(r, 0, clamp_u16(st->soc_pct * 100));
		return put16le(r, 2, SIM_CAPACITY_CAHS);
	case 0x1FFE:
		put16le(r, 0, SIM_SOC_NEW_CPCT);
		return put16le(r, 2, SIM_CAPACITY_NEW_CAHS);
	case 0x002A: r[0] = SIM_CELL_MIN_NUMBER; return 1;
	case 0x002B: return put16le(r, 0, clamp_u16(st->cell_v_min * 1000));
	case 0x002C: r[0] = SIM_CELL_MAX_NUMBER; return 1;
	case 0x002D: return put16le(r, 0, clamp_u16(st->cell_v_max * 1000));
	case 0x002E: r[0] = SIM_TEMP_MIN_SENSOR; return 1;
	case 0x002F: r[0] = clamp_u8(st->cell_temp_min + 40); return 1;
	case 0x0030: r[0] = SIM_TEMP_MAX_SENSOR; return 1;
	case DID_P_CELL_T_MAX: r[0] = clamp_u8(st->cell_temp_max + 40); return 1;
	case 0x0032: r[0] = clamp_u8((st->cell_temp_max + st->cell_temp_min) / 2 + 40); return 1;
	default: return 0;
	}
}

static size_t bms_read_did(struct sim_diag *d, const uint8_t *q, size_t len, int64_t now,
			   uint8_t *r)
{
	if (len < 3 || (len - 1) % 2)
		return nrc(r, UDS_SID_READ_DID, UDS_NRC_INCORRECT_LENGTH);
	struct evgw_sim_state st;
	state_at(d, now, &st);
	size_t k = 0;
	r[k++] = 0x62;
	for (size_t i = 1; i + 1 < len; i += 2) {
		uint16_t did = (uint16_t)(q[i] << 8 | q[i + 1]);
		uint8_t val[UDS_VIN_LEN];
		size_t need;
		switch (did) {
		case UDS_DID_VIN: memcpy(val, SIM_DIAG_VIN, UDS_VIN_LEN); need = UDS_VIN_LEN; break;
		case DID_SOC: need = put16(val, 0, clamp_u16(st.soc_pct * 10)); break;
		case DID_PACK_V: need = put16(val, 0, clamp_u16(st.pack_v * 10)); break;
		case DID_PACK_A: need = put16(val, 0, clamp_u16(st.pack_a * 10 + 10000)); break;
		case DID_CELL_T_MAX: val[0] = clamp_u8(st.cell_temp_max + 40); need = 1; break;
		default: need = bms_did_value(did, &st, val);
		}
		if (!need)
			return nrc(r, UDS_SID_READ_DID, UDS_NRC_REQUEST_OUT_OF_RANGE);
		if (k + 2 + need > SIM_DIAG_RESP_MAX)
			return nrc(r, UDS_SID_READ_DID, UDS_NRC_RESPONSE_TOO_LONG);
		k = put16(r, k, did);
		memcpy(r + k, val, need);
		k += need;
	}
	return k;
}

/* The answer to q, or 0 for none. May defer it (7F 19 78 now, the rest later). */
static size_t bms_handle(struct sim_diag_ecu *e, const uint8_t *q, size_t len, int64_t now)
{
	struct sim_diag *d = e->d;
	uint8_t *r = e->resp;
	uint8_t sid = q[0];
	switch (sid) {
	case UDS_SID_SESSION_CONTROL: {
		if (len != 2)
			return nrc(r, sid, UDS_NRC_INCORRECT_LENGTH);
		uint8_t s = q[1] & 0x7F;
		if (s != UDS_SESSION_DEFAULT && s != UDS_SESSION_EXTENDED)
			return nrc(r, sid, UDS_NRC_SUBFUNCTION_NOT_SUPPORTED);
		d->bms_session = s;
		if (q[1] & 0x80)
			return 0; /* suppressPosRspMsgIndicationBit */
		r[0] = 0x50;
		r[1] = s;
		put16(r, 2, P2_MS);
		put16(r, 4, P2_STAR_10MS);
		return 6;
	}
	case UDS_SID_TESTER_PRESENT:
		if (len != 2)
			return nrc(r, sid, UDS_NRC_INCORRECT_LENGTH);
		if ((q[1] & 0x7F) != 0)
			return nrc(r, sid, UDS_NRC_SUBFUNCTION_NOT_SUPPORTED);
		if (q[1] & 0x80)
			return 0;
		r[0] = 0x7E;
		r[1] = 0x00;
		return 2;
	case UDS_SID_READ_DTC_INFO: {
		if (len < 2)
			return nrc(r, sid, UDS_NRC_INCORRECT_LENGTH);
		uint8_t sub = q[1];
		if (sub != UDS_DTC_REPORT_COUNT_BY_MASK && sub != UDS_DTC_REPORT_BY_MASK &&
		    sub != UDS_DTC_REPORT_SUPPORTED)
			return nrc(r, sid, UDS_NRC_SUBFUNCTION_NOT_SUPPORTED);
		if (len != (sub == UDS_DTC_REPORT_SUPPORTED ? 2u : 3u))
			return nrc(r, sid, UDS_NRC_INCORRECT_LENGTH);
		if (d->bms_pending_next) {
			/* The first read after a clear takes a while: say so. */
			d->bms_pending_next = false;
			memcpy(e->req, q, len);
			e->req_len = (uint8_t)len;
			e->delayed_at = now + PENDING_US;
			return nrc(r, sid, UDS_NRC_RESPONSE_PENDING);
		}
		return bms_read_dtc(d, q, len, now, r);
	}
	case UDS_SID_CLEAR_DTC:
		if (len != 4)
			return nrc(r, sid, UDS_NRC_INCORRECT_LENGTH);
		if (q[1] != 0xFF || q[2] != 0xFF || q[3] != 0xFF)
			return nrc(r, sid, UDS_NRC_REQUEST_OUT_OF_RANGE);
		d->bms_cleared = true;
		d->bms_pending_next = true;
		r[0] = 0x54;
		return 1;
	case UDS_SID_READ_DID:
		return bms_read_did(d, q, len, now, r);
	default:
		return nrc(r, sid, UDS_NRC_SERVICE_NOT_SUPPORTED);
	}
}

/* ---- the older body module (KWP2000 0x18, 0x14) ---- */

static const struct {
	uint16_t code;
	uint8_t status;
} body_dtcs[SIM_DIAG_BODY_DTCS] = {
	{DTC_BODY_1, DTC_BODY_1_STATUS},
	{DTC_BODY_2, DTC_BODY_2_STATUS},
};

/* Does a KWP 0x14 groupOfDiagnosticInformation take in this DTC? FF00 all;
 * 0000, 4000, 8000, C000 the P, C, B, U codes (bits 15-14); else one DTC. */
static bool kwp_group_has(uint16_t group, uint16_t dtc)
{
	if (group == KWP_DTC_GROUP_ALL)
		return true;
	if ((group & KWP_GROUP_CLASS_MASK) == 0)
		return (dtc & ~KWP_GROUP_CLASS_MASK) == group;
	return dtc == group;
}

/* 14 <group hi lo> -> 54 <group hi lo>. Only the 2-byte KWP form: the
 * UDS form (14 + 3 bytes) gets serviceNotSupported, as 0x19 does, so that
 * a tester falls back to KWP (a real KWP server might say
 * incorrectMessageLength instead). */
static size_t body_clear(struct sim_diag *d, const uint8_t *q, size_t len, uint8_t *r)
{
	if (len == 4)
		return nrc(r, KWP_SID_CLEAR_DTC, UDS_NRC_SERVICE_NOT_SUPPORTED);
	if (len != 3)
		return nrc(r, KWP_SID_CLEAR_DTC, UDS_NRC_INCORRECT_LENGTH);
	uint16_t group = (uint16_t)(q[1] << 8 | q[2]);
	bool known = group == KWP_DTC_GROUP_ALL || (group & KWP_GROUP_CLASS_MASK) == 0;
	for (unsigned i = 0; i < SIM_DIAG_BODY_DTCS; i++)
		known |= body_dtcs[i].code == group;
	if (!known)
		return nrc(r, KWP_SID_CLEAR_DTC, UDS_NRC_REQUEST_OUT_OF_RANGE);
	for (unsigned i = 0; i < SIM_DIAG_BODY_DTCS; i++)
		if (kwp_group_has(group, body_dtcs[i].code))
			d->body_cleared[i] = true;
	r[0] = 0x54;
	put16(r, 1, group);
	return 3;
}

static size_t body_handle(struct sim_diag_ecu *e, const uint8_t *q, size_t len, int64_t now)
{
	struct sim_diag *d = e->d;
	uint8_t *r = e->resp;
	uint8_t sid = q[0];
	size_t k = 2;
	switch (sid) {
	case KWP_SID_READ_DTC_BY_STATUS:
		/* 18 <status> <group, 2 bytes (ISO 14230-3) or 3 (BYD, reference §4.2)> */
		if (len != 4 && len != 5)
			return nrc(r, sid, UDS_NRC_INCORRECT_LENGTH);
		r[0] = 0x58;
		r[1] = 0;
		for (unsigned i = 0; i < SIM_DIAG_BODY_DTCS; i++) {
			if (d->body_cleared[i])
				continue;
			k = put16(r, k, body_dtcs[i].code);
			r[k++] = body_dtcs[i].status;
			r[1]++;
		}
		return k;
	case KWP_SID_CLEAR_DTC:
		return body_clear(d, q, len, r);
	case UDS_SID_TESTER_PRESENT:
		if (len == 2 && (q[1] & 0x80))
			return 0;
		r[0] = 0x7E;
		r[1] = 0x00;
		return 2;
	default: /* 0x19 included: this module predates UDS */
		return nrc(r, sid, UDS_NRC_SERVICE_NOT_SUPPORTED);
	}
}

/* ---- OBD-II (SAE J1979) ---- */

static bool obd_pid_supported(uint8_t pid)
{
	for (size_t i = 0; i < sizeof obd_pids; i++)
		if (obd_pids[i] == pid)
			return true;
	return pid == 0x00;
}

/* Supported-PID bitmap for base: bit 7 of A is base+1 ... bit 0 of D is base+0x20. */
static size_t pid_bitmap(uint8_t *r, size_t k, uint8_t base)
{
	uint8_t *b = r + k;
	memset(b, 0, 4);
	for (size_t i = 0; i < sizeof obd_pids; i++) {
		unsigned off = (unsigned)obd_pids[i] - base - 1u;
		if (obd_pids[i] > base && off < 32)
			b[off / 8] |= (uint8_t)(0x80 >> (off % 8));
	}
	return k + 4;
}

static size_t obd_handle(struct sim_diag_ecu *e, const uint8_t *q, size_t len, int64_t now)
{
	struct sim_diag *d = e->d;
	uint8_t *r = e->resp;
	uint8_t mode = q[0];
	size_t k = 0;
	struct evgw_sim_state st;
	state_at(d, now, &st);
	switch (mode) {
	case 0x01:
		if (len < 2 || len > 7)
			return e->functional ? 0 : nrc(r, mode, UDS_NRC_INCORRECT_LENGTH);
		r[k++] = 0x41;
		for (size_t i = 1; i < len; i++) {
			uint8_t pid = q[i];
			if (!obd_pid_supported(pid))
				continue;
			r[k++] = pid;
			switch (pid) {
			case 0x00:
			case 0x20:
			case 0x40:
				k = pid_bitmap(r, k, pid);
				break;
			case 0x01: /* MIL off, DTC count, no readiness data */
				r[k++] = d->obd_cleared ? 0 : 1;
				r[k++] = 0;
				r[k++] = 0;
				r[k++] = 0;
				break;
			case 0x0C: { /* (256A+B)/4 rpm */
				double rpm = fmin(fabs(st.motor_rpm), 16383.75);
				k = put16(r, k, clamp_u16(rpm * 4));
				break;
			}
			case 0x0D:
				r[k++] = clamp_u8(st.speed_kmh);
				break;
			case 0x1C:
				r[k++] = OBD_1C_EOBD;
				break;
			case 0x42:
				k = put16(r, k, OBD_42_MILLIVOLT);
				break;
			case 0x46:
				r[k++] = OBD_46_AMBIENT_C + 40;
				break;
			default: /* 0x5B: A*100/255 % */
				r[k++] = clamp_u8(st.soc_pct * 255 / 100);
				break;
			}
		}
		if (k == 1) /* nothing supported: functional requests get silence */
			return e->functional ? 0 : nrc(r, mode, UDS_NRC_REQUEST_OUT_OF_RANGE);
		return k;
	case 0x03:
		r[k++] = 0x43;
		if (d->obd_cleared) {
			r[k++] = 0;
			return k;
		}
		r[k++] = 1;
		return put16(r, k, OBD_DTC);
	case 0x07:
	case 0x0A:
		r[0] = (uint8_t)(mode + 0x40);
		r[1] = 0;
		return 2;
	case 0x04:
		d->obd_cleared = true;
		r[0] = 0x44;
		return 1;
	case 0x09:
		if (len != 2)
			return e->functional ? 0 : nrc(r, mode, UDS_NRC_INCORRECT_LENGTH);
		r[k++] = 0x49;
		r[k++] = q[1];
		if (q[1] == 0x00) {
			memset(r + k, 0, 4);
			r[k] = 0x40; /* PID 02 */
			return k + 4;
		}
		if (q[1] == 0x02) {
			r[k++] = 1; /* one data item */
			memcpy(r + k, SIM_DIAG_VIN, UDS_VIN_LEN);
			return k + UDS_VIN_LEN;
		}
		return e->functional ? 0 : nrc(r, mode, UDS_NRC_REQUEST_OUT_OF_RANGE);
	default:
		return e->functional ? 0 : nrc(r, mode, UDS_NRC_SERVICE_NOT_SUPPORTED);
	}
}

/* ---- the links ---- */

static size_t handle(struct sim_diag_ecu *e, const uint8_t *q, size_t len, int64_t now)
{
	switch (e->kind) {
	case SIM_DIAG_BMS: return bms_handle(e, q, len, now);
	case SIM_DIAG_BODY: return body_handle(e, q, len, now);
	default: return obd_handle(e, q, len, now);
	}
}

static void on_rx(void *ud, const uint8_t *data, size_t len, int err, int64_t now_us)
{
	struct sim_diag_ecu *e = ud;
	/* A response still going out owns e->resp: a request meanwhile is lost,
	 * as on an ECU that answers one request at a time. */
	if (err < 0 || len == 0 || isotp_tx_busy(&e->link))
		return;
	size_t n = handle(e, data, len, now_us);
	if (n > 0)
		(void)isotp_send(&e->link, e->resp, n, now_us);
}

static void on_tx_done(void *ud, int err, int64_t now_us)
{
	(void)ud;
	(void)err;
	(void)now_us;
}

static void ecu_init(struct sim_diag *d, enum sim_diag_kind kind, uint32_t tx, uint32_t rx)
{
	struct sim_diag_ecu *e = &d->ecu[kind];
	struct isotp_cfg cfg;
	e->d = d;
	e->kind = kind;
	e->delayed_at = INT64_MAX;
	isotp_cfg_default(&cfg, tx, rx);
	cfg.pad = PAD;
	cfg.on_rx = on_rx;
	cfg.on_tx_done = on_tx_done;
	cfg.cb_ud = e;
	(void)isotp_init(&e->link, &cfg, send_frame, e);
}

void sim_diag_start(struct sim_diag *d, const struct evgw_sim_profile *p, int64_t t0)
{
	memset(d, 0, sizeof *d);
	d->p = p;
	d->t0 = t0;
	d->now = t0;
	d->bms_session = UDS_SESSION_DEFAULT;
	ecu_init(d, SIM_DIAG_BMS, SIM_DIAG_BMS_RESP, SIM_DIAG_BMS_REQ);
	ecu_init(d, SIM_DIAG_BODY, SIM_DIAG_BODY_RESP, SIM_DIAG_BODY_REQ);
	ecu_init(d, SIM_DIAG_OBD, SIM_DIAG_OBD_RESP, SIM_DIAG_OBD_REQ);
}

static void advance(struct sim_diag *d, int64_t now_us)
{
	if (now_us > d->now)
		d->now = now_us; /* the queue stays in due-time order */
}

void sim_diag_receive(struct sim_diag *d, const struct evgw_frame *f, int64_t now_us)
{
	advance(d, now_us);
	if (f->flags & (EVGW_FRAME_EXT | EVGW_FRAME_FD))
		return;
	for (unsigned i = 0; i < SIM_DIAG_N_ECUS; i++) {
		struct sim_diag_ecu *e = &d->ecu[i];
		if (e->kind == SIM_DIAG_OBD && f->id == SIM_DIAG_OBD_FUNC) {
			/* Functional requests are single frames (ISO 15765-4): take them
			 * as if they came on the physical id. */
			if (f->len < 1 || (f->data[0] >> 4) != 0)
				continue;
			struct evgw_frame g = *f;
			g.id = SIM_DIAG_OBD_REQ;
			e->functional = true;
			(void)isotp_on_frame(&e->link, &g, d->now);
			e->functional = false;
		} else if (!isotp_on_frame(&e->link, f, d->now)) {
			continue;
		}
		(void)isotp_poll(&e->link, d->now); /* an FC may have freed CFs */
	}
}

void sim_diag_run(struct sim_diag *d, int64_t now_us)
{
	advance(d, now_us);
	for (unsigned i = 0; i < SIM_DIAG_N_ECUS; i++) {
		struct sim_diag_ecu *e = &d->ecu[i];
		if (e->delayed_at <= d->now && !isotp_tx_busy(&e->link)) {
			e->delayed_at = INT64_MAX;
			size_t n = handle(e, e->req, e->req_len, d->now);
			if (n > 0)
				(void)isotp_send(&e->link, e->resp, n, d->now);
		}
		/* Bounded: each round sends at least one frame or moves the deadline. */
		for (int k = 0; k < SIM_DIAG_QUEUE && isotp_poll(&e->link, d->now) <= d->now; k++)
			;
	}
}

int64_t sim_diag_next_due(const struct sim_diag *d)
{
	int64_t due = d->count ? d->queue[d->head].ts_us : INT64_MAX;
	for (unsigned i = 0; i < SIM_DIAG_N_ECUS; i++) {
		const struct sim_diag_ecu *e = &d->ecu[i];
		if (e->delayed_at < due)
			due = e->delayed_at;
		/* isotp_poll is the only way to read a link's deadline; it does not
		 * change a link whose deadline is later than now. */
		if (e->link.tx.state != ISOTP_TX_IDLE && e->link.tx.deadline < due)
			due = e->link.tx.deadline;
		if (e->link.rx.state != ISOTP_RX_IDLE && e->link.rx.deadline < due)
			due = e->link.rx.deadline;
	}
	return due;
}

int sim_diag_pop(struct sim_diag *d, int64_t now_us, struct evgw_frame *out)
{
	if (!d->count || d->queue[d->head].ts_us > now_us)
		return 0;
	*out = d->queue[d->head];
	d->head = (d->head + 1) % SIM_DIAG_QUEUE;
	d->count--;
	return 1;
}
