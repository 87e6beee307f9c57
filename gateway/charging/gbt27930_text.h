// SPDX-License-Identifier: MIT
/* Why a GB/T 27930 charge stopped, in words: the 2-bit fields of BST, CST
 * (reasons, faults, errors) and BEM, CEM (timeouts). Field positions and
 * meanings: SK's UnionBmsStopReason / Truble / Fault, UnionChgStop*,
 * UnionBEM, UnionCEM and RO's byte lists (gbt27930.h names them); a field
 * counts when it reads 01 ("yes" / "fault" / "timeout"). The words are
 * evgw's own, in English and Russian (the language a client asks for, as
 * the DTC tables are: "en" or "ru"; any other reads English). */
#ifndef EVGW_CHARGING_GBT27930_TEXT_H
#define EVGW_CHARGING_GBT27930_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "charging/gbt27930.h"

struct gbt_reason {
	uint8_t msg;          /* enum gbt_msg: BST, CST, BEM or CEM */
	uint8_t shift;        /* the field's first bit */
	bool fault;           /* a fault, error or timeout (else a normal reason to stop) */
	const char *words;    /* "insulation fault" */
	const char *words_ru; /* the same in Russian ("неисправность изоляции") */
};

/* "BMS" for BST and BEM, "charger" for CST and CEM, else "". */
const char *gbt_reason_side(enum gbt_msg m);

/* The reasons of m that bits sets (fields reading 01), in bit order, at
 * most max into out; returns how many there are. */
unsigned gbt_reasons(enum gbt_msg m, uint32_t bits, const struct gbt_reason **out, unsigned max);

/* bits with only its fault fields that read 01 kept (0: no fault). */
uint32_t gbt_fault_bits(enum gbt_msg m, uint32_t bits);

/* "insulation fault, battery pack over-temperature" (faults_only: the
 * faults only), cut to cap; returns the length written. BEM and CEM read
 * "timeout waiting for CRO (charger ready)". */
size_t gbt_reasons_text(enum gbt_msg m, uint32_t bits, bool faults_only, char *out, size_t cap);
/* The same in a language ("en", "ru"); cut only between UTF-8 characters. */
size_t gbt_reasons_text_lang(enum gbt_msg m, uint32_t bits, bool faults_only, const char *lang, char *out,
			     size_t cap);
/* A stop or error message's faults as a fault description: "BMS stopped
 * the charge: insulation fault" (BST), "Charger stopped the charge: ..."
 * (CST), "BMS charging error: timeout waiting for CRO (charger ready)"
 * (BEM), "Charger charging error: ..." (CEM); "" for another message. */
size_t gbt_fault_text(enum gbt_msg m, uint32_t bits, const char *lang, char *out, size_t cap);

#endif
