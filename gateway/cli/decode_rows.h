// SPDX-License-Identifier: MIT
/* `evgw decode`'s text form prints each signal as a row,
 *     NAME (padded to a column)  VALUE UNIT  "LABEL"
 * and the parts that never change, "    NAME<pad> " and " UNIT", are
 * rendered once per signal at start: a frame's rows are then a copy, a
 * number, a copy. */
#ifndef EVGW_CLI_DECODE_ROWS_H
#define EVGW_CLI_DECODE_ROWS_H

#include <stdint.h>

#include "dbc/dbc_json.h"

/* Copies of these pieces move DECODE_ROWS_SLACK bytes at once: the
 * destination needs that much room past each piece. */
#define DECODE_ROWS_SLACK 64

struct decode_row {
	uint32_t head_off, head_len, unit_off, unit_len;
};

struct decode_rows {
	char *text;
	struct decode_row *rows; /* indexed like names->sigs */
};

/* For every signal of names' database; name_col is the padded width. */
int decode_rows_build(struct decode_rows *dr, const struct dbc_json_names *names, uint32_t name_col);
void decode_rows_free(struct decode_rows *dr);

static inline char *decode_rows_put(char *p, const char *text, uint32_t off, uint32_t len)
{
	if (len <= DECODE_ROWS_SLACK)
		__builtin_memcpy(p, text + off, DECODE_ROWS_SLACK);
	else
		__builtin_memcpy(p, text + off, len);
	return p + len;
}

#endif
