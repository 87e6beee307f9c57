// SPDX-License-Identifier: MIT
/* Words for fault codes, from the tables in dbc/dtc/ (TSV, documented in
 * dbc/README.md): J1939 FMI meanings (all 32), J1939 SPN names, UDS status
 * bits, the OBD-II code structure, the SAE-defined hybrid/EV and network
 * codes (sae_generic.tsv), and vehicle-specific code tables a profile
 * names; each in English and, where dbc/dtc/ru/ has the table, Russian.
 * Loaded once; lookups allocate nothing.
 *
 * Every describe function writes a non-empty (for cap >= 5), terminated,
 * UTF-8 text, cut only between characters, and returns its length: the
 * table's words when there are some, else the code with its decoded parts
 * ("P0301: powertrain, generic (SAE-defined), ignition system or misfire;
 * no text known"). t may be NULL: decoded parts only.
 *
 * Languages: "en" (the default: NULL, "" and any language evgw has no
 * tables for mean it) and "ru". A text missing from the Russian tables is
 * given in English; the decoded parts and the words evgw adds ("no text
 * known", "failure type") are in the language asked for. */
#ifndef EVGW_VEHICLE_DTC_TEXT_H
#define EVGW_VEHICLE_DTC_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct evgw_dtc_text;

/* Load j1939_fmi.tsv, j1939_spn.tsv, uds_status.tsv, obd_groups.tsv and
 * (if present) sae_generic.tsv from dir (e.g. <dbc_dir>/dtc), and the same
 * names from dir/ru/ where present. Returns 0 and *out, or a negative errno with
 * "file:line: what" in err. */
int evgw_dtc_text_load(const char *dir, struct evgw_dtc_text **out, char *err, size_t errlen);
/* Add a vehicle-specific table (code <TAB> text [<TAB> source]); codes are
 * written as read ("P1A0100", "U0100", "SPN 520200 FMI 14"). Its Russian
 * texts are read from ru/<the same name> beside it, if that file exists. */
int evgw_dtc_text_add_codes(struct evgw_dtc_text *t, const char *path, char *err, size_t errlen);
/* One table file, in one language (no ru/ sibling is read). */
int evgw_dtc_text_add_codes_lang(struct evgw_dtc_text *t, const char *lang, const char *path, char *err,
				 size_t errlen);
/* The same from text (tests, fuzzing): kind is "fmi", "spn", "status",
 * "groups" or "codes"; the English table. */
int evgw_dtc_text_add_buffer(struct evgw_dtc_text *t, const char *kind, const char *text, size_t len,
			     const char *name, char *err, size_t errlen);
/* The same into the tables of a language ("en", "ru"); -EINVAL for another. */
int evgw_dtc_text_add_buffer_lang(struct evgw_dtc_text *t, const char *lang, const char *kind, const char *text,
				  size_t len, const char *name, char *err, size_t errlen);
struct evgw_dtc_text *evgw_dtc_text_new(void);
void evgw_dtc_text_free(struct evgw_dtc_text *t);

/* Whether evgw has texts in this language ("en", "ru"; NULL and "" are
 * "en"): for an API that wants to refuse an unknown one rather than answer
 * in English. */
bool evgw_dtc_lang_known(const char *lang);

/* A J1939 DTC: "Engine speed: data erratic, intermittent or incorrect". */
size_t evgw_dtc_describe_j1939(const struct evgw_dtc_text *t, uint32_t spn, unsigned fmi, char *out, size_t cap);
/* A 2-byte OBD-II / KWP code (J2012 layout). */
size_t evgw_dtc_describe_obd(const struct evgw_dtc_text *t, uint16_t code, char *out, size_t cap);
/* A 3-byte UDS DTC (2-byte code + failure type byte). */
size_t evgw_dtc_describe_uds(const struct evgw_dtc_text *t, uint32_t dtc, char *out, size_t cap);
/* A UDS status byte: the set bits' names, ", "-separated; "no status bit set". */
size_t evgw_dtc_describe_status(const struct evgw_dtc_text *t, uint8_t status, char *out, size_t cap);

/* The same four in a language (see above); the functions without _lang are
 * these with "en". */
size_t evgw_dtc_describe_j1939_lang(const struct evgw_dtc_text *t, const char *lang, uint32_t spn, unsigned fmi,
				    char *out, size_t cap);
size_t evgw_dtc_describe_obd_lang(const struct evgw_dtc_text *t, const char *lang, uint16_t code, char *out,
				  size_t cap);
size_t evgw_dtc_describe_uds_lang(const struct evgw_dtc_text *t, const char *lang, uint32_t dtc, char *out,
				  size_t cap);
size_t evgw_dtc_describe_status_lang(const struct evgw_dtc_text *t, const char *lang, uint8_t status, char *out,
				     size_t cap);

#endif
