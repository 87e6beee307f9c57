// SPDX-License-Identifier: MIT
/* A table for people: columns as wide as their widest cell, a header, a
 * style per cell, and the last column cut with "…" to fit a terminal. */
#ifndef EVGW_CLI_CLI_TABLE_H
#define EVGW_CLI_CLI_TABLE_H

#include <stdio.h>

#include "cli/cli_term.h"

#define CLI_TABLE_MAX_COLS 12

struct cli_column {
	const char *head;
	bool right; /* numbers */
};

struct cli_cell {
	char *text;
	enum cli_style style;
};

struct cli_table {
	unsigned n_cols;
	struct cli_column cols[CLI_TABLE_MAX_COLS];
	struct cli_cell *cells; /* row-major */
	size_t n_cells, cap;
	bool failed; /* out of memory: print says so */
};

void cli_table_init(struct cli_table *t, const struct cli_column *cols, unsigned n_cols);
/* The next cell (rows fill left to right); NULL prints "-", "" nothing. */
void cli_table_add(struct cli_table *t, enum cli_style style, const char *text);
void cli_table_addf(struct cli_table *t, enum cli_style style, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
size_t cli_table_rows(const struct cli_table *t);
void cli_table_print(const struct cli_table *t, const struct cli_term *term, FILE *out);
void cli_table_free(struct cli_table *t);

#endif
