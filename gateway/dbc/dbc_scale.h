// SPDX-License-Identifier: MIT
/* A signal's value as text at the precision its scale implies.
 *
 * A DBC scale is written in decimal (factor 0.1, offset -40), so every
 * physical value of an integer signal is a multiple of 10^-d for the d
 * decimals the factor and the offset are written with: raw 848 at factor
 * 0.1 is exactly 84.8, which is what a person expects and what the file
 * means, where the double 84.80000000000001 is an artefact of binary
 * arithmetic. Printing d fixed digits is also cheaper than finding the
 * shortest digits that read back to the same double. */
#ifndef EVGW_DBC_DBC_SCALE_H
#define EVGW_DBC_DBC_SCALE_H

#include "dbc/dbc.h"
#include "dbc/dbc_decode.h"

/* The fewest decimals d (0..EVGW_NUMFMT_MAX_DECIMALS) such that factor and
 * offset are both the doubles nearest to some integer / 10^d, with those
 * integers below 2^53; -1 when there is none (1/3 written with 17 digits,
 * 1e-12, NaN). Computed once per signal at load (dbc_scale_compile) and
 * read with dbc_signal_decimals. */
int dbc_scale_decimals(double factor, double offset);

/* The decimals always printed for a scale with `decimals` (>= 0): the
 * fewest m with |factor| * 10^m >= 1 (the step's resolution: 0.1 and 0.5
 * give 1, 0.05 and 0.0725 give 2, 1/256 gives 3), or the offset's own
 * decimals when finer; at most `decimals`. */
int dbc_scale_min_decimals(double factor, double offset, int decimals);

/* Set s->scale_digits and s->min_digits: the decimals of its factor and
 * offset for integer signals; none for IEEE float signals, whose values
 * have no decimal grid. A signal never compiled (zeroed) prints in the
 * round-trip form. */
void dbc_scale_compile(struct dbc_signal *s);

/* How one signal's values print, worked out once: a renderer that prints
 * millions of values keeps one per signal (dbc_json_names does). */
enum dbc_scale_kind {
	DBC_SCALE_DOUBLE = 0, /* the shortest round-trip form of phys */
	DBC_SCALE_UNSIGNED,   /* factor 1, offset 0: the raw integer */
	DBC_SCALE_SIGNED,     /* the same, sign-extended */
	DBC_SCALE_FIXED,      /* (raw * k + o) / 10^decimals, in integers */
	DBC_SCALE_FIXED_SIGNED,
};

struct dbc_scale_plan {
	int64_t k, o;     /* factor and offset times 10^decimals (FIXED kinds) */
	uint8_t kind;     /* enum dbc_scale_kind */
	uint8_t decimals;
	uint8_t min_decimals;
};

void dbc_scale_plan(const struct dbc_signal *s, struct dbc_scale_plan *pl);
/* dbc_fmt_value with the plan of v->sig made beforehand. */
char *dbc_scale_put(char *p, const struct dbc_scale_plan *pl, const struct dbc_value *v);

/* Write v's physical value at p (EVGW_NUMFMT_MAX bytes of room) and return
 * the end: for integer signals with decimals >= 0, the exact decimal
 * (raw * factor + offset computed in integers, as the DBC text means it)
 * with `decimals` fraction digits, trailing zeros dropped past the minimum
 * (factor 1/256: 30.000, 30.00390625); factor 1 offset 0 prints the raw
 * integer (64-bit values included). Otherwise, or when the integers would
 * overflow, the shortest round-trip form of v->phys. Non-finite values
 * write nothing and return NULL (JSON wants them as strings). */
char *dbc_fmt_value(char *p, const struct dbc_value *v);

#endif
