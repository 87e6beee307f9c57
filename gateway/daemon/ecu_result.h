// SPDX-License-Identifier: MIT
/* What asking ECUs found, as data: one entry per ECU asked or answering,
 * with its DTCs, DID, VIN, PIDs or its error. The daemon fills it; each
 * consumer renders it in its own format (the socket API: api/render_ecu.c). */
#ifndef EVGW_DAEMON_ECU_RESULT_H
#define EVGW_DAEMON_ECU_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag/obd.h"
#include "faults/fault.h"

#define EVGW_ECU_MAX_ENTRIES 48   /* a profile's ECUs (32) and the OBD responders (8) */
#define EVGW_ECU_MAX_DTCS 255
#define EVGW_ECU_MAX_VALUES 8
#define EVGW_ECU_MAX_PIDS 32

enum evgw_ecu_ask {
	EVGW_ASK_READ_DTC = 1,
	EVGW_ASK_CLEAR_DTC,
	EVGW_ASK_READ_DID,
	EVGW_ASK_VIN,
	EVGW_ASK_READ_PIDS,
};

/* Why an ECU gave no result. */
enum evgw_ecu_err {
	EVGW_ECU_OK = 0,
	EVGW_ECU_TIMEOUT,         /* no answer within P2/P2* (or the J1939 window) */
	EVGW_ECU_NEGATIVE,        /* it refused: nrc */
	EVGW_ECU_BAD_RESPONSE,    /* it answered something malformed */
	EVGW_ECU_IO,              /* the request could not be sent */
	EVGW_ECU_GONE,            /* the bus went away meanwhile (reload, exit) */
	EVGW_ECU_ADDRESS_IN_USE,  /* J1939: our address 0xF9 was taken */
	EVGW_ECU_UNSUPPORTED,     /* that ECU cannot be asked that (a DID of a J1939 ECU) */
};

enum evgw_ecu_target_kind {
	EVGW_TARGET_ECU = 1, /* one ECU: an id, or a profile's ECU by name */
	EVGW_TARGET_ALL,     /* every ECU the bus's profile names */
	EVGW_TARGET_OBD,     /* OBD-II functional request: whoever answers */
	EVGW_TARGET_J1939,   /* J1939: every ECU (global request) or one address */
};

struct evgw_ecu_dtc {
	char code[64];
	uint32_t raw;
	int16_t status;           /* UDS/KWP status byte, -1: none */
	const char *obd_kind;     /* OBD: "stored", "pending", "permanent"; else NULL */
	bool j1939;
	uint32_t spn;
	uint8_t fmi, oc;
	enum evgw_fault_status fault_status; /* 0: the status bits say no fault (not raised) */
	char description[EVGW_FAULT_TEXT];
};

/* A quantity a vehicle profile decodes from a DID. */
struct evgw_ecu_value {
	char name[33];
	char unit[16];
	double value;
	int decimals;             /* for printing: the profile's scale, -1: shortest */
};

struct evgw_ecu_pid {
	uint8_t pid;
	const struct obd_pid_info *info; /* NULL: a PID evgw does not know */
	bool has_value, has_monitor;
	double value;
	bool mil;
	uint8_t dtc_count;
	uint8_t len;
	uint8_t data[32];
};

struct evgw_ecu_entry {
	int32_t ecu;              /* the physical request id (UDS, KWP, OBD) or J1939 source address */
	char name[33];            /* the profile's name for it; "" when it has none */
	enum evgw_fault_protocol protocol;
	int32_t request_id, response_id; /* 11-bit ids; -1 on J1939 */
	enum evgw_ecu_err err;
	uint8_t nrc;              /* EVGW_ECU_NEGATIVE */
	char message[192];        /* a sentence for people when err is set */
	/* read-dtc */
	struct evgw_ecu_dtc *dtcs;
	unsigned n_dtcs;
	/* clear-dtc */
	bool cleared;
	int8_t j1939_ack;         /* J1939 ACK control byte (0 ack, 1 nack, 2 denied, 3 cannot respond); -1 */
	/* read-did, vin */
	bool has_did;
	uint16_t did;
	uint8_t *data;
	size_t len;
	char vin[18];
	struct evgw_ecu_value values[EVGW_ECU_MAX_VALUES];
	unsigned n_values;
	/* read-pids */
	bool has_pids;
	struct obd_pid_set supported;
	struct evgw_ecu_pid pids[EVGW_ECU_MAX_PIDS];
	unsigned n_pids;
};

struct evgw_ecu_result {
	enum evgw_ecu_ask ask;
	enum evgw_ecu_target_kind kind;
	char target[48];          /* as the request named it */
	char profile[33];         /* the bus's profile, "" when none */
	int asked;                /* ECUs asked; -1 for functional/broadcast requests */
	/* A broadcast that could not be sent at all (no entries then). */
	enum evgw_ecu_err err;
	char message[192];
	struct evgw_ecu_entry entries[EVGW_ECU_MAX_ENTRIES];
	unsigned n;
};

struct evgw_ecu_result *evgw_ecu_result_new(enum evgw_ecu_ask ask);
void evgw_ecu_result_free(struct evgw_ecu_result *r);
/* A new entry (zeroed, ids -1, j1939_ack -1), or NULL when full. */
struct evgw_ecu_entry *evgw_ecu_entry_add(struct evgw_ecu_result *r);
/* The entry of that ECU and protocol, or NULL. */
struct evgw_ecu_entry *evgw_ecu_entry_find(struct evgw_ecu_result *r, enum evgw_fault_protocol p,
					   int32_t ecu);
/* A new DTC of the entry, or NULL (out of memory, or at the limit). */
struct evgw_ecu_dtc *evgw_ecu_dtc_add(struct evgw_ecu_entry *e);
/* Set the entry's error with a sentence. */
void evgw_ecu_entry_fail(struct evgw_ecu_entry *e, enum evgw_ecu_err err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Entries with a result (err == EVGW_ECU_OK). */
unsigned evgw_ecu_result_answered(const struct evgw_ecu_result *r);

#endif
