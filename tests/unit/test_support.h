// SPDX-License-Identifier: MIT
/* Small helpers shared by the cmocka tests. */
#ifndef EVGW_TEST_SUPPORT_H
#define EVGW_TEST_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "dbc/dbc.h"

/* Write `len` bytes to a fresh temporary file and return its path (static
 * storage, valid until the next call). Fails the test on error. */
const char *test_write_temp(const char *text, size_t len);

/* A message or signal by name; fails the test when there is none. */
const struct dbc_message *msg_named(const struct dbc_db *db, const char *name);
const struct dbc_signal *sig_named(const struct dbc_db *db, const struct dbc_message *m, const char *name);

/* DBC diagnostics captured for assertions (the first MAX_DIAGS kept). */
#define MAX_DIAGS 32

struct diag_rec {
	uint32_t line, col;
	enum dbc_severity sev;
	char msg[160];
};

struct diags {
	struct diag_rec d[MAX_DIAGS];
	unsigned n, n_err, n_warn;
};

/* A dbc_diag_fn: ud is a struct diags. */
void diag_cb(void *ud, const struct dbc_diag *d);
/* Print them (on a failing test, for the log). */
void dump_diags(const struct diags *dg);

#endif
