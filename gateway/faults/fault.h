// SPDX-License-Identifier: MIT
/* One fault, whatever reported it: a J1939 DM1 DTC, a UDS or KWP DTC, an
 * OBD-II code, or a DBC signal whose value says "fault". */
#ifndef EVGW_FAULTS_FAULT_H
#define EVGW_FAULTS_FAULT_H

#include <stdbool.h>
#include <stdint.h>

enum evgw_fault_protocol {
	EVGW_FP_DBC = 1,   /* a DBC fault signal */
	EVGW_FP_J1939,     /* DM1 / DM2 */
	EVGW_FP_UDS,       /* 0x19 */
	EVGW_FP_KWP,       /* 0x18 */
	EVGW_FP_OBD,       /* modes 03 / 07 / 0A */
	EVGW_FP_GBT27930,  /* a GB/T 27930 charge stopped on a fault, error or timeout */
};

enum evgw_fault_status {
	EVGW_FS_ACTIVE = 1,
	EVGW_FS_STORED,    /* previously active (DM2, confirmed but not failing now) */
	EVGW_FS_PENDING,
	EVGW_FS_CLEARED,
};

enum evgw_fault_severity {
	EVGW_SEV_INFO = 1,
	EVGW_SEV_WARNING,
	EVGW_SEV_ERROR,
	EVGW_SEV_CRITICAL,
};

#define EVGW_FAULT_TEXT 320 /* bytes of UTF-8: every Russian table row fits (test_dtc_lang) */

struct evgw_fault {
	int64_t id;                /* store row; 0 before it is stored */
	int64_t session_id;
	char bus[33];
	int32_t ecu;               /* J1939 SA, diagnostic address, or -1 */
	char ecu_name[64];         /* e.g. the DBC transmitter or the J1939 NAME's function */
	enum evgw_fault_protocol protocol;
	uint64_t raw_code;         /* J1939: SPN | FMI << 19; UDS: 3-byte DTC; OBD: 2 bytes; DBC: slot;
	                            GB/T 27930: PGN << 32 | the message's fault bits */
	char code[64];             /* as a mechanic reads it: "SPN 190 FMI 2", "P0133", "MSG.SIGNAL" */
	char description[EVGW_FAULT_TEXT];
	enum evgw_fault_status status;
	enum evgw_fault_severity severity;
	char lamp[48];             /* J1939 lamps, e.g. "amber", or "" */
	/* From a definition below "public" confidence that no shop confirmed
	 * (vehicle/confidence.h): an observation, never more than info. */
	bool unconfirmed;
	int64_t first_seen_us;     /* wall clock */
	int64_t last_seen_us;
	uint32_t occurrences;      /* times it became active (plus the ECU's count where given) */
	char *freeze_frame;        /* JSON object of related signals at first sight, owned */
};

const char *evgw_fault_protocol_name(enum evgw_fault_protocol p);
const char *evgw_fault_status_name(enum evgw_fault_status s);
const char *evgw_fault_severity_name(enum evgw_fault_severity s);
int evgw_fault_status_parse(const char *s);

#endif
