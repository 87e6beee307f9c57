// SPDX-License-Identifier: MIT
/* The value scanners shared by evgw.conf and the vehicle profiles, so that
 * one kind of value is written the same way in both (the words are
 * documented for users in udev/evgw.conf.example and dbc/README.md):
 *
 *   number     decimal or 0x hex digits: 64, 0x7E8; no sign, no blanks
 *   hex        1..8 hex digits without 0x (CAN ids in filters): 7E8
 *   real       -2.5, 0.01, 10., .5, 1e-3; no '+', inf, nan or hex
 *   bit rate   bit/s, or with k (x1000) or M (x1000000) and up to six
 *              decimals that leave a whole number: 500000, 500k, 83.333k,
 *              1M; 1000..8000000 (CAN FD data phase: ..16000000)
 *   boolean    yes/no, true/false, on/off, 1/0, in any case
 *   word       one of a key's fixed words, in any case: listen-only
 *   list       items separated by blanks and/or commas
 *
 * The scan functions only answer "is it one, and which"; the others report
 * "KEY: ..." at the reader's current line and return false on error. */
#ifndef EVGW_UTIL_INI_VALUE_H
#define EVGW_UTIL_INI_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/ini.h"

#define EVGW_INI_BITRATE_MIN 1000u
#define EVGW_INI_BITRATE_MAX 8000000u       /* nominal (arbitration) phase */
#define EVGW_INI_DATA_BITRATE_MAX 16000000u /* CAN FD data phase */

/* A number (the whole of s); one too large for 64 bits gives UINT64_MAX,
 * so that it shows up as out of range. */
bool evgw_ini_scan_uint(const char *s, uint64_t *out);
/* s[0..len) as 1..8 hex digits. */
bool evgw_ini_scan_hex(const char *s, size_t len, uint32_t *out);
/* A bit rate in bit/s; a huge one gives UINT64_MAX. No range check. */
bool evgw_ini_scan_bitrate(const char *s, uint64_t *out);
bool evgw_ini_scan_bool(const char *s, bool *out);
/* A real; one too large for a double gives +-HUGE_VAL. */
bool evgw_ini_scan_real(const char *s, double *out);
/* The index of s in words (NULL-terminated), ignoring case, or -1. */
int evgw_ini_scan_word(const char *s, const char *const *words);
/* The next list item after *p (advanced past it) and its length, or NULL
 * at the end. */
const char *evgw_ini_next_item(const char **p, size_t *len);

bool evgw_ini_uint(struct evgw_ini *ini, const char *key, const char *v, uint64_t min, uint64_t max,
		   uint64_t *out);
/* data_phase: the CAN FD data-phase range. */
bool evgw_ini_bitrate(struct evgw_ini *ini, const char *key, const char *v, bool data_phase, uint32_t *out);
bool evgw_ini_bool(struct evgw_ini *ini, const char *key, const char *v, bool *out);
bool evgw_ini_real(struct evgw_ini *ini, const char *key, const char *v, double min, double max, double *out);
/* *out = the index of v in words. */
bool evgw_ini_word(struct evgw_ini *ini, const char *key, const char *v, const char *const *words, int *out);
/* v into dst[0..cap), NUL-terminated; longer is an error. */
bool evgw_ini_text(struct evgw_ini *ini, const char *key, const char *v, char *dst, size_t cap);
/* v has no blanks (it would hide a "#" comment, which is text here). */
bool evgw_ini_one_word(struct evgw_ini *ini, const char *key, const char *v);

/* "a, b or c" from words, for messages; returns out. */
const char *evgw_ini_word_list(const char *const *words, char *out, size_t cap);

#endif
