// SPDX-License-Identifier: MIT
/* A DBC finding (from the loader or the lint) for people, on stderr. */
#include <stdbool.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/cli_i18n.h"

void cli_print_diag(void *ud, const struct dbc_diag *d)
{
	const bool *quiet = ud;
	/* The severity in the mechanic's language (as gcc says it); the
	 * finding itself as the loader wrote it. */
	static const char *const names[] = {NC_("severity", "note"), NC_("severity", "warning"),
					    NC_("severity", "error")};
	if (quiet && *quiet && d->severity != DBC_ERROR)
		return;
	const char *sev = cli_in_context("severity", names[d->severity]);
	if (d->line)
		fprintf(stderr, "%s:%u:%u: %s: %s\n", d->path, d->line, d->col, sev, d->msg);
	else
		fprintf(stderr, "%s: %s: %s\n", d->path, sev, d->msg);
}
