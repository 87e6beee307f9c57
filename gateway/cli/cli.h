// SPDX-License-Identifier: MIT
/* What the parts of `evgw` share with each other: the exit statuses and the
 * offline commands' entry points. */
#ifndef EVGW_CLI_CLI_H
#define EVGW_CLI_CLI_H

#include "dbc/dbc.h"

/* Exit statuses, the same for every command (man/evgw.1, EXIT STATUS):
 * 0 fine; 1 the request failed, nothing matched, an ECU failed or the input
 * had problems (lint errors, bad log lines); 2 a usage error, or a file that
 * could not be used at all; 3 the daemon cannot be reached. */
enum cli_exit {
	CLI_OK = 0,
	CLI_FAILED = 1,
	CLI_FINDINGS = CLI_FAILED,
	CLI_USAGE = 2,
	CLI_NO_DAEMON = 3,
};

/* "path:line:col: warning: message" on stderr. ud: pointer to a bool
 * "quiet" that suppresses notes and warnings (errors always print). */
void cli_print_diag(void *ud, const struct dbc_diag *d);

/* evgw decode; argv[0] is "decode". */
int cli_decode(int argc, char **argv);
/* evgw discover; argv[0] is "discover". */
int cli_discover(int argc, char **argv);
/* evgw convert; argv[0] is "convert". */
int cli_convert(int argc, char **argv);

#endif
