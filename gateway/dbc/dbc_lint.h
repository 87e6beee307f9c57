// SPDX-License-Identifier: MIT
/* Consistency checks over a loaded DBC model (`evgw dbc check`).
 *
 * Errors: signals that overlap (among signals that can be present in the
 * same frame), signals that run past the message length, duplicate message
 * ids, duplicate message names, duplicate signal names in a message,
 * multiplexed signals without a multiplexor.
 * Warnings: scale (factor) 0, minimum greater than maximum. (Value tables
 * for unknown signals are reported while loading.) */
#ifndef EVGW_DBC_DBC_LINT_H
#define EVGW_DBC_DBC_LINT_H

#include "dbc/dbc.h"

struct dbc_lint_counts {
	uint32_t errors;
	uint32_t warnings;
};

/* Report each finding through fn (path:line:col as in loading) and return
 * the counts. Never fails; allocates only small temporary arrays (-ENOMEM
 * is reported as a finding). */
struct dbc_lint_counts dbc_lint(const struct dbc_db *db, dbc_diag_fn fn, void *ud);

#endif
