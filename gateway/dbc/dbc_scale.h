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

/* Set s->scale_digits: the decimals of its factor and offset for integer
 * signals; none for IEEE float signals, whose values have no decimal grid.
 * A signal never compiled (zeroed) prints in the round-trip form. */
void dbc_scale_compile(struct dbc_signal *s);

/* Write v's physical value at p (EVGW_NUMFMT_MAX bytes of room) and return
 * the end: for integer signals with decimals >= 0, the exact decimal
 * (raw * factor + offset computed in integers, as the DBC text means it)
 * with `decimals` fraction digits; factor 1 offset 0 prints the raw
 * integer (64-bit values included). Otherwise, or when the integers would
 * overflow, the shortest round-trip form of v->phys. Non-finite values
 * write nothing and return NULL (JSON wants them as strings). */
char *dbc_fmt_value(char *p, const struct dbc_value *v);

#endif
