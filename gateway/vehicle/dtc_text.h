// SPDX-License-Identifier: MIT
/* Words for fault codes, from the tables in dbc/dtc/ (TSV, documented in
 * dbc/README.md): J1939 FMI meanings (all 32), J1939 SPN names, UDS status
 * bits, the OBD-II code structure, and vehicle-specific code tables a
 * profile names. Loaded once; lookups allocate nothing.
 *
 * Every describe function writes a non-empty, terminated text and returns
 * its length: the table's words when there are some, else the code with
 * its decoded parts ("P0301: powertrain, generic (SAE-defined), ignition
 * system or misfire; no text known"). t may be NULL: decoded parts only. */
#ifndef EVGW_VEHICLE_DTC_TEXT_H
#define EVGW_VEHICLE_DTC_TEXT_H

#include <stddef.h>
#include <stdint.h>

struct evgw_dtc_text;

/* Load j1939_fmi.tsv, j1939_spn.tsv, uds_status.tsv and obd_groups.tsv
 * from dir (e.g. <dbc_dir>/dtc). Returns 0 and *out, or a negative errno
 * with "file:line: what" in err. */
int evgw_dtc_text_load(const char *dir, struct evgw_dtc_text **out, char *err, size_t errlen);
/* Add a vehicle-specific table (code <TAB> text [<TAB> source]); codes are
 * written as read ("P1A0100", "U0100", "SPN 520200 FMI 14"). */
int evgw_dtc_text_add_codes(struct evgw_dtc_text *t, const char *path, char *err, size_t errlen);
/* The same from text (tests, fuzzing): kind is "fmi", "spn", "status",
 * "groups" or "codes". */
int evgw_dtc_text_add_buffer(struct evgw_dtc_text *t, const char *kind, const char *text, size_t len,
			     const char *name, char *err, size_t errlen);
struct evgw_dtc_text *evgw_dtc_text_new(void);
void evgw_dtc_text_free(struct evgw_dtc_text *t);

/* A J1939 DTC: "Engine speed: data erratic, intermittent or incorrect". */
size_t evgw_dtc_describe_j1939(const struct evgw_dtc_text *t, uint32_t spn, unsigned fmi, char *out, size_t cap);
/* A 2-byte OBD-II / KWP code (J2012 layout). */
size_t evgw_dtc_describe_obd(const struct evgw_dtc_text *t, uint16_t code, char *out, size_t cap);
/* A 3-byte UDS DTC (2-byte code + failure type byte). */
size_t evgw_dtc_describe_uds(const struct evgw_dtc_text *t, uint32_t dtc, char *out, size_t cap);
/* A UDS status byte: the set bits' names, ", "-separated; "no status bit set". */
size_t evgw_dtc_describe_status(const struct evgw_dtc_text *t, uint8_t status, char *out, size_t cap);

#endif
