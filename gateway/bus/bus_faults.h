// SPDX-License-Identifier: MIT
/* DBC fault signals: a signal is a fault source when its DBC marks it with
 * the attribute "EvgwFault" (ENUM or STRING: info, warning, error,
 * critical; active while its raw value is not 0), or when its value table
 * has entries whose text is a fault word (FAULT, ERROR, FAIL..., DEFECT,
 * MALFUNCTION; not "NoFault", "No error", "OK"...): active while the value
 * is one of those. Found once per bus; checked on each update. */
#ifndef EVGW_BUS_BUS_FAULTS_H
#define EVGW_BUS_BUS_FAULTS_H

#include <stdbool.h>
#include <stdint.h>

#include "dbc/dbc.h"

struct evgw_bus;

struct evgw_sig_fault {
	uint32_t slot;
	uint8_t severity;    /* enum evgw_fault_severity */
	bool by_attribute;   /* EvgwFault: active when raw != 0 */
	bool active;
	int64_t *values;     /* fault values of the value table, sorted */
	uint32_t n_values;
	const char *text;    /* checksum/counter faults (bus_integrity.h): the description */
	/* A fault clears only after its signal has said "no fault" for
	 * EVGW_FAULT_CLEAR_HOLD_US (checked at the bus tick): a signal that
	 * flickers stays one active fault instead of a storm of raise/clear
	 * events, each with a freeze frame and a store write. */
	int64_t clear_since_us;          /* monotonic; 0 = no clear pending */
	const struct dbc_message *clear_msg;
	const struct dbc_signal *clear_sig;
	uint8_t clear_db;
	uint32_t clear_id;               /* the frame that said "no fault" */
	uint8_t clear_flags;
	int64_t clear_ts_us;
};

#define EVGW_FAULT_CLEAR_HOLD_US 200000

/* True when the value-table text names a fault. */
bool evgw_fault_word(struct evgw_str text);

/* Find the fault signals of the bus's DBC files (at set-up). */
int evgw_bus_find_fault_signals(struct evgw_bus *bus);
void evgw_bus_free_fault_signals(struct evgw_bus *bus);

/* Whether this raw value means "fault" for the signal. */
bool evgw_sig_fault_active(const struct evgw_sig_fault *sf, uint64_t raw);

#endif
