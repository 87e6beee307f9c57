// SPDX-License-Identifier: MIT
/* OBD-II (SAE J1979 / ISO 15031-5 over ISO 15765-4): request builders and
 * response parsers. Pure functions over whole payloads (the ISO-TP message,
 * mode byte first); obd_session.h runs the functional request and sorts the
 * answers of several ECUs by their response identifier.
 *
 * Addressing (ISO 15765-4, reference §3d): functional requests go to 0x7DF
 * (11-bit) or 0x18DB33F1 (29-bit); ECUs answer from 0x7E8-0x7EF (physical
 * request id = response id - 8) or 0x18DAF1xx (physical 0x18DAxxF1). */
#ifndef EVGW_DIAG_OBD_H
#define EVGW_DIAG_OBD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "can/frame.h"

#define OBD_FUNC_ID_11 0x7DFu
#define OBD_FUNC_ID_29 0x18DB33F1u
#define OBD_TESTER_ADDR 0xF1u
#define OBD_VIN_LEN 17

enum obd_mode {
	OBD_MODE_CURRENT = 0x01,
	OBD_MODE_FREEZE = 0x02,
	OBD_MODE_STORED_DTC = 0x03,
	OBD_MODE_CLEAR_DTC = 0x04,
	OBD_MODE_PENDING_DTC = 0x07,
	OBD_MODE_VEHICLE_INFO = 0x09,
	OBD_MODE_PERMANENT_DTC = 0x0A,
};

#define OBD_PID_VIN 0x02  /* mode 09 */

/* Response id -> ECU: 0..7 for 0x7E8..0x7EF, the source address for
 * 0x18DAF1xx; -1 when the id is no OBD response. */
int obd_response_ecu(uint32_t id, bool ext);
/* The physical request id of the ECU answering from resp_id (where our FCs go). */
uint32_t obd_physical_request_id(uint32_t resp_id, bool ext);

/* mode [pids...]: modes 03/04/07/0A take no PID; 01/02/09 take 1..6 (J1979
 * allows up to six PIDs in one CAN request). Returns the length, -EINVAL,
 * or -ENOSPC. */
int obd_build_request(uint8_t *buf, size_t cap, uint8_t mode, const uint8_t *pids, size_t npids);
/* The functional request as one single frame (ISO 15765-4 allows no more),
 * DLC 8 with `pad` bytes. -EMSGSIZE above 7 bytes. */
int obd_functional_frame(struct evgw_frame *f, bool ext, const uint8_t *payload, size_t len,
			 uint8_t pad);

/* ---- DTCs: modes 03, 07, 0A ---- */

struct obd_dtc_list {
	uint8_t mode;          /* 0x03, 0x07 or 0x0A */
	uint8_t count;         /* the count byte (CAN), or records present (no count) */
	const uint8_t *rec;    /* 2-byte records inside the payload */
	size_t n_rec;
};
/* 43|47|4A [count] {A B}*. On CAN (has_count) byte 1 is the count and
 * exactly that many records must follow (more bytes are ignored); legacy
 * responses have none. -ENOMSG for another mode, -EBADMSG when short. */
int obd_parse_dtcs(const uint8_t *d, size_t n, bool has_count, struct obd_dtc_list *out);
/* Next code from *pos on, skipping 00 00 padding: 1 with *code set, 0 at the end. */
int obd_dtc_next(const struct obd_dtc_list *l, size_t *pos, uint16_t *code);

/* 44: mode 04 accepted. -ENOMSG otherwise (a 7F 04 <NRC> means refused). */
int obd_parse_clear(const uint8_t *d, size_t n);

/* 49 02 [01] <17 chars>: the VIN, terminated. Leading 00 fill (some ECUs
 * fill a 20-byte record) is skipped. -EBADMSG when it is not 17 alphanumerics. */
int obd_parse_vin(const uint8_t *d, size_t n, char vin[OBD_VIN_LEN + 1]);

/* ---- mode 01 PIDs ---- */

struct obd_pid_info {
	uint8_t pid;
	uint8_t len;           /* data bytes A, B, ... */
	const char *name;
	const char *unit;      /* "" when unitless */
};
/* Table entry for a PID this module decodes or knows the length of; NULL otherwise. */
const struct obd_pid_info *obd_pid_info(uint8_t pid);

/* The PID's value in its unit: e.g. 0x0C (256A+B)/4 rpm. -ENOTSUP for PIDs
 * without a scalar formula here (bitmaps, 0x01), -EBADMSG when len is short. */
int obd_decode_pid(uint8_t pid, const uint8_t *data, size_t len, double *value);

/* PID 0x01: MIL and DTC count (A), ignition type and readiness (B, C, D). */
struct obd_monitor_status {
	bool mil;
	uint8_t dtc_count;
	bool compression;      /* B bit 3: compression ignition (diesel) monitors */
	uint8_t b, c, d;       /* raw readiness bytes */
};
int obd_decode_monitor_status(const uint8_t *data, size_t len, struct obd_monitor_status *out);

/* Supported-PID bitmaps (PIDs 0x00, 0x20, ... 0xE0): bit 7 of A is base+1,
 * bit 0 of D is base+0x20. */
struct obd_pid_set {
	uint8_t bits[32];      /* bit n set: PID n supported */
};
int obd_pid_set_add(struct obd_pid_set *s, uint8_t base, const uint8_t *data, size_t len);
bool obd_pid_set_has(const struct obd_pid_set *s, uint8_t pid);

/* Walk a mode 01 response, 41 {PID data}* (a request may ask for up to six
 * PIDs). A PID of unknown length takes the rest of the payload. */
struct obd_pid_cursor {
	const uint8_t *p;
	size_t n, off;
};
int obd_mode01_begin(struct obd_pid_cursor *c, const uint8_t *d, size_t n);
/* 1 with pid/data/len set, 0 at the end, -EBADMSG when a known PID is short. */
int obd_mode01_next(struct obd_pid_cursor *c, uint8_t *pid, const uint8_t **data, size_t *len);

#endif
