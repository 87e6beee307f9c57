// SPDX-License-Identifier: MIT
/* Vehicle profiles: one small INI file per model family in dbc/profiles/
 * (format in dbc/README.md), read by the strict INI reader the daemon's
 * config uses (util/ini.h), with the same words for the same values.
 *
 *   [vehicle]      name, description, make, models, status, source, dtc_tables
 *   [bus NAME]     bitrate, data_bitrate, dbc, protocols
 *   [ecu NAME]     bus, label, protocol (uds|kwp|obd|j1939), fallback (kwp),
 *                  request, response (11- or 29-bit ids), address (J1939 SA),
 *                  dm1 (yes|no), spn_cm1 (v1|v2|v3|v4), freeze_frame, source,
 *                  confidence (confirmed|public|assumed)
 *   [did NAME]     ecu, did, start, length, order (little|big), signed,
 *                  scale, offset, or instead of those six expr (an
 *                  expression of the bytes, vehicle/did_expr.h), unit,
 *                  source, confidence
 *   [freeze_frame] signals
 * List keys (dtc_tables, dbc, protocols, freeze_frame, signals) may be
 * repeated: each line adds to the list.
 *
 * The text is untrusted: every value is checked, every list is bounded,
 * unknown sections and keys are errors, and errors read "file:line: what".
 * The profile is one allocation with fixed-size tables. */
#ifndef EVGW_VEHICLE_PROFILE_H
#define EVGW_VEHICLE_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vehicle/did_expr.h"

#define EVGW_PROFILE_NAME 33
#define EVGW_PROFILE_TEXT 200
#define EVGW_PROFILE_PATH 128
#define EVGW_PROFILE_SIGNAL 96
#define EVGW_PROFILE_MAX_BUSES 8
#define EVGW_PROFILE_MAX_DBC 8
#define EVGW_PROFILE_MAX_PROTOCOLS 8
#define EVGW_PROFILE_MAX_ECUS 32
#define EVGW_PROFILE_MAX_DIDS 128
#define EVGW_PROFILE_MAX_FREEZE 32
#define EVGW_PROFILE_MAX_TABLES 8
#define EVGW_PROFILE_MAX_BYTES (256 * 1024)

enum evgw_profile_protocol {
	EVGW_PROFILE_UDS = 1,
	EVGW_PROFILE_KWP,
	EVGW_PROFILE_OBD,
	EVGW_PROFILE_J1939,
};

struct evgw_profile_bus {
	char name[EVGW_PROFILE_NAME];
	uint32_t bitrate, data_bitrate;   /* bit/s; 0 = not given */
	char dbc[EVGW_PROFILE_MAX_DBC][EVGW_PROFILE_PATH]; /* relative to the DBC directory */
	unsigned n_dbc;
	char protocols[EVGW_PROFILE_MAX_PROTOCOLS][16];
	unsigned n_protocols;
	unsigned line;
};

struct evgw_profile_ecu {
	char name[EVGW_PROFILE_NAME];
	char label[64];                 /* "Battery management system" */
	int bus;                        /* index in buses[] */
	enum evgw_profile_protocol protocol;
	enum evgw_profile_protocol fallback; /* 0 = none (kwp: 0x18 when 0x19 is refused) */
	uint32_t request, response;     /* CAN ids (uds, kwp, obd) */
	bool extended;                  /* 29-bit ids */
	int16_t address;                /* J1939 source address, -1 = none */
	bool dm1;                       /* J1939: expected to broadcast DM1 */
	uint8_t spn_cm1;                /* J1939: SPN layout when CM = 1 (1..4; 4 = the default) */
	char freeze[EVGW_PROFILE_MAX_FREEZE][EVGW_PROFILE_SIGNAL]; /* MESSAGE.SIGNAL or SIGNAL */
	unsigned n_freeze;
	char source[EVGW_PROFILE_TEXT];
	char confidence[16];            /* confirmed | public | assumed; "" = not given */
	unsigned line;
};

struct evgw_profile_did {
	char name[EVGW_PROFILE_NAME];
	int ecu;                        /* index in ecus[] */
	uint16_t did;
	uint16_t start;                 /* first byte after the DID in the 0x62 response */
	uint8_t length;                 /* 1..8 bytes */
	bool big_endian, is_signed;
	double scale, offset;           /* value = raw * scale + offset */
	struct evgw_expr expr;          /* when expr.n_code: value = expr (the six above unused) */
	char unit[16];
	char source[EVGW_PROFILE_TEXT];
	char confidence[16];            /* confirmed | public | assumed; "" = not given */
	unsigned line;
};

struct evgw_profile {
	char name[EVGW_PROFILE_NAME];
	char description[EVGW_PROFILE_TEXT];
	char make[EVGW_PROFILE_NAME];
	char models[EVGW_PROFILE_TEXT];
	char status[16];                /* confirmed | public | assumed */
	char source[EVGW_PROFILE_TEXT];
	char dtc_tables[EVGW_PROFILE_MAX_TABLES][EVGW_PROFILE_PATH];
	unsigned n_dtc_tables;
	struct evgw_profile_bus buses[EVGW_PROFILE_MAX_BUSES];
	unsigned n_buses;
	struct evgw_profile_ecu ecus[EVGW_PROFILE_MAX_ECUS];
	unsigned n_ecus;
	struct evgw_profile_did dids[EVGW_PROFILE_MAX_DIDS];
	unsigned n_dids;
	char freeze[EVGW_PROFILE_MAX_FREEZE][EVGW_PROFILE_SIGNAL]; /* [freeze_frame] signals */
	unsigned n_freeze;
};

/* Read a profile. Returns 0 and *out (free with evgw_profile_free), or a
 * negative errno with "file:line: what" in err: -EINVAL for bad content,
 * -EFBIG past EVGW_PROFILE_MAX_BYTES ("file: what"), -ENOMEM, file-system
 * errors. */
int evgw_profile_load_file(const char *path, struct evgw_profile **out, char *err, size_t errlen);
/* The same from text[0..len) (tests, fuzzing); name is used in messages. */
int evgw_profile_load_buffer(const char *text, size_t len, const char *name, struct evgw_profile **out,
			     char *err, size_t errlen);
void evgw_profile_free(struct evgw_profile *p);

/* Lookups by name; NULL when absent. */
const struct evgw_profile_ecu *evgw_profile_ecu(const struct evgw_profile *p, const char *name);
const struct evgw_profile_did *evgw_profile_did(const struct evgw_profile *p, const char *name);

/* The value of a DID from the data after the DID in a positive 0x22
 * response (data[0] is the first byte after DIDhi DIDlo). Returns 0,
 * -ENODATA when the response is too short, or -EDOM when its expr gives no
 * value (a division by zero...). */
int evgw_profile_did_decode(const struct evgw_profile_did *d, const uint8_t *data, size_t len, double *value);

/* The ECU at a J1939 source address, or with this request id (uds, kwp,
 * obd); NULL when none. */
const struct evgw_profile_ecu *evgw_profile_ecu_by_address(const struct evgw_profile *p, uint8_t sa);
const struct evgw_profile_ecu *evgw_profile_ecu_by_request(const struct evgw_profile *p, uint32_t id);
/* Is e on the daemon's bus named bus_name? Yes when its [bus] has that
 * name, or when no [bus] of the profile has it (one daemon bus carries
 * the whole profile), or when e names no bus. */
bool evgw_profile_ecu_on_bus(const struct evgw_profile *p, const struct evgw_profile_ecu *e, const char *bus_name);
/* Does a freeze-frame entry ("MESSAGE.SIGNAL" or "SIGNAL") name the
 * signal sig of message msg? */
bool evgw_profile_freeze_matches(const char *entry, const char *msg, size_t msg_len, const char *sig,
				 size_t sig_len);

const char *evgw_profile_protocol_name(enum evgw_profile_protocol p);

#endif
