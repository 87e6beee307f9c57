// SPDX-License-Identifier: MIT
/* The offline subcommands of `evgw` and what they share. */
#ifndef EVGW_CLI_CLI_H
#define EVGW_CLI_CLI_H

#include "dbc/dbc.h"

/* Exit statuses: 0 fine, 1 the input had problems (lint errors, bad log
 * lines), 2 usage or a file that could not be used at all. */
enum { CLI_OK = 0, CLI_FINDINGS = 1, CLI_USAGE = 2 };

/* "path:line:col: warning: message" on stderr. ud: pointer to a bool
 * "quiet" that suppresses notes and warnings (errors always print). */
void cli_print_diag(void *ud, const struct dbc_diag *d);

int cli_dbc_check(int argc, char **argv);
int cli_decode(int argc, char **argv);
/* The daemon's commands; argv without the program name. */
int cli_client(int argc, char **argv);

#endif
