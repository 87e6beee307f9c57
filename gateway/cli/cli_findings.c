// SPDX-License-Identifier: MIT
/* A DBC finding (from the loader or the lint) for people, on stderr. */
#include <stdbool.h>
#include <stdio.h>

#include "cli/cli.h"

void cli_print_diag(void *ud, const struct dbc_diag *d)
{
	const bool *quiet = ud;
	static const char *const names[] = {"note", "warning", "error"};
	if (quiet && *quiet && d->severity != DBC_ERROR)
		return;
	if (d->line)
		fprintf(stderr, "%s:%u:%u: %s: %s\n", d->path, d->line, d->col, names[d->severity],
			d->msg);
	else
		fprintf(stderr, "%s: %s: %s\n", d->path, names[d->severity], d->msg);
}
