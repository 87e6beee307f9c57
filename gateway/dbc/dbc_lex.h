// SPDX-License-Identifier: MIT
/* The DBC lexer: a bounded cursor over the text. It never reads past
 * `end`, never allocates and never copies: tokens are slices of the input. */
#ifndef EVGW_DBC_DBC_LEX_H
#define EVGW_DBC_DBC_LEX_H

#include <stdbool.h>
#include <stdint.h>

#include "dbc/dbc.h"

struct dbc_lex {
	const char *base;       /* start of the text */
	const char *p;          /* cursor */
	const char *end;
	const char *line_start; /* for columns */
	uint32_t line;          /* 1-based */
};

void dbc_lex_init(struct dbc_lex *lx, const char *text, size_t len);

static inline bool dbc_lex_eof(const struct dbc_lex *lx)
{
	return lx->p >= lx->end;
}

static inline uint32_t dbc_lex_col(const struct dbc_lex *lx, const char *at)
{
	return (uint32_t)(at - lx->line_start) + 1;
}

static inline struct dbc_text dbc_lex_text(const struct dbc_lex *lx, const char *p, const char *e)
{
	struct dbc_text t = {(uint32_t)(p - lx->base), (uint32_t)(e - p)};
	return t;
}

/* Skip spaces, tabs and newlines (counting lines). Returns the new cursor. */
void dbc_lex_skip_ws(struct dbc_lex *lx);
/* Skip spaces and tabs only; true if the cursor is now at a newline or EOF. */
bool dbc_lex_skip_blank_to_eol(struct dbc_lex *lx);
/* Move to the start of the next line. */
void dbc_lex_skip_line(struct dbc_lex *lx);

/* Identifier: [A-Za-z0-9_]+ (names that begin with a digit are accepted;
 * the caller may warn). False, cursor unchanged, when none is here. */
bool dbc_lex_ident(struct dbc_lex *lx, struct dbc_text *out);
/* Accept one punctuation byte after optional whitespace. */
bool dbc_lex_punct(struct dbc_lex *lx, char c);
/* A quoted string; *out is the raw text between the quotes (escapes kept).
 * The string may span lines. -1 if not at a quote, -2 if unterminated. */
int dbc_lex_string(struct dbc_lex *lx, struct dbc_text *out);
/* Numbers. Unsigned decimal (or 0x hex) into uint64; false on no digits or overflow. */
bool dbc_lex_uint(struct dbc_lex *lx, uint64_t *out);
/* Signed decimal integer (also 0x hex); false on no digits or overflow. */
bool dbc_lex_int(struct dbc_lex *lx, int64_t *out);
/* Decimal floating point with optional sign, fraction, exponent; also
 * "inf"/"nan" spellings are refused. Exact (correctly rounded). */
bool dbc_lex_double(struct dbc_lex *lx, double *out);

/* Skip to just after the next ';' outside quoted strings, or to EOF. */
void dbc_lex_skip_statement(struct dbc_lex *lx);

#endif
