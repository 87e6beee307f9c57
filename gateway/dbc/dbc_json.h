// SPDX-License-Identifier: MIT
/* Decoded values as JSON: shared by `evgw decode` and the daemon's API so
 * that both print the same shapes. */
#ifndef EVGW_DBC_DBC_JSON_H
#define EVGW_DBC_DBC_JSON_H

#include "dbc/dbc.h"
#include "dbc/dbc_decode.h"
#include "util/textbuf.h"

/* A DBC text (name, unit, label) as a JSON string: escapes undone, the
 * bytes taken as UTF-8 or else Windows-1252, always valid UTF-8 out. */
void dbc_json_text(struct evgw_textbuf *tb, const struct dbc_db *db, struct dbc_text t);

/* One physical value, at the precision its scale implies (dbc_scale.h):
 * factor 0.1 raw 848 prints 84.8, factor 0.05 raw 2 prints 0.10; integer
 * signals with factor 1 and offset 0 print their raw value exactly (64-bit
 * values do not fit a double); IEEE float signals and scales without a
 * decimal grid print the shortest round-trip form; non-finite values print
 * as the strings "nan", "inf", "-inf". For a value without its raw bits,
 * evgw_textbuf_value(tb, phys, dbc_signal_decimals(sig)) prints the same
 * digits (for values below 2^50 / 10^decimals). */
void dbc_json_value(struct evgw_textbuf *tb, const struct dbc_value *v);

/* {"name": value, ...} and {"name": "label", ...} for decoded values. */
void dbc_json_signals(struct evgw_textbuf *tb, const struct dbc_db *db, const struct dbc_value *v,
		      uint32_t n);
void dbc_json_labels(struct evgw_textbuf *tb, const struct dbc_db *db, const struct dbc_value *v,
		     uint32_t n);

#endif
