// SPDX-License-Identifier: MIT
/* The frame path: find a frame's message and decode its signals.
 * Nothing here allocates, logs or copies frame bytes into the heap. */
#ifndef EVGW_DBC_DBC_DECODE_H
#define EVGW_DBC_DBC_DECODE_H

#include "can/frame.h"
#include "dbc/dbc.h"

struct dbc_value {
	const struct dbc_signal *sig;
	uint64_t raw;  /* raw bits; sign-extended for signed integer signals */
	double phys;   /* raw (or the IEEE value) * factor + offset */
};

/* The message for a frame: by exact id (11-bit and 29-bit ids are distinct),
 * else, for 29-bit frames, by J1939 PGN among the J1939 messages, whatever
 * the frame's priority and source address. *sa receives the J1939 source
 * address (0..255) for J1939 messages and -1 otherwise; sa may be NULL.
 * Remote and error frames match nothing. */
const struct dbc_message *dbc_lookup(const struct dbc_db *db, const struct evgw_frame *f, int *sa);

/* Decode the signals of m that are present in f: multiplexing applied, and
 * only signals whose bytes the frame carries. out needs room for
 * m->n_signals values. Returns the number written. f->data must be the full
 * 64-byte array of struct evgw_frame (bytes past f->len are never used). */
uint32_t dbc_decode(const struct dbc_message *m, const struct evgw_frame *f, struct dbc_value *out);

/* One signal's raw value from frame data (no presence check). */
uint64_t dbc_extract_raw(const struct dbc_signal *s, const uint8_t data[EVGW_CANFD_MAX_DLEN]);
/* Raw bits to the physical value. */
double dbc_raw_to_phys(const struct dbc_signal *s, uint64_t raw);

/* The value-table text for a raw value, or NULL. */
const struct dbc_text *dbc_signal_label(const struct dbc_signal *s, uint64_t raw);

/* Encoding, for tests and simulators: physical value to raw bits (rounded
 * to the nearest step, saturated to the signal's bit range; -ERANGE when it
 * had to saturate, 0 otherwise), and raw bits into frame data. */
int dbc_phys_to_raw(const struct dbc_signal *s, double phys, uint64_t *raw);
void dbc_insert_raw(const struct dbc_signal *s, uint8_t data[EVGW_CANFD_MAX_DLEN], uint64_t raw);

#endif
