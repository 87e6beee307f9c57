// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "test_support.h"

const char *test_write_temp(const char *text, size_t len)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/evgw-test-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

void diag_cb(void *ud, const struct dbc_diag *d)
{
	struct diags *dg = ud;
	if (d->severity == DBC_ERROR)
		dg->n_err++;
	else if (d->severity == DBC_WARNING)
		dg->n_warn++;
	if (dg->n < MAX_DIAGS) {
		struct diag_rec *r = &dg->d[dg->n];
		r->line = d->line;
		r->col = d->col;
		r->sev = d->severity;
		snprintf(r->msg, sizeof r->msg, "%s", d->msg);
	}
	dg->n++;
}

void dump_diags(const struct diags *dg)
{
	static const char *const sev[] = {"note", "warning", "error"};
	for (unsigned i = 0; i < dg->n && i < MAX_DIAGS; i++)
		print_message("  diag %u: %u:%u %s: %s\n", i, dg->d[i].line, dg->d[i].col,
			      sev[dg->d[i].sev], dg->d[i].msg);
}

const struct dbc_message *msg_named(const struct dbc_db *db, const char *name)
{
	const struct dbc_message *m = dbc_find_message_by_name(db, name);
	if (!m)
		fail_msg("no message %s", name);
	return m;
}

const struct dbc_signal *sig_named(const struct dbc_db *db, const struct dbc_message *m,
					  const char *name)
{
	const struct dbc_signal *s = dbc_find_signal(db, m, name);
	if (!s)
		fail_msg("no signal %s", name);
	return s;
}
