// SPDX-License-Identifier: MIT
/* Shared between the DBC parser's files; not a public interface. */
#ifndef EVGW_DBC_PARSE_INTERNAL_H
#define EVGW_DBC_PARSE_INTERNAL_H

#include "dbc/dbc.h"
#include "dbc/dbc_lex.h"

struct dbc_parser {
	struct dbc_db *db;
	struct dbc_lex lx;
	const struct dbc_load_opts *opts;
	const char *path;
	struct dbc_message *cur_msg;    /* the BO_ whose SG_ lines follow */
	struct dbc_message *msg_head, *msg_tail;
	bool failed;                    /* strict mode hit an error */
	uint32_t n_statements;          /* known keywords met: none means not a DBC file */
	uint32_t stmt_line;             /* where the current statement began */
	const char *stmt_start;
	const char *stmt_line_start;
	struct dbc_lines lines;
	struct dbc_attr_def *last_def;  /* find_attr_def's cache */
	/* Attribute definitions by name hash (open addressing); files define
	 * a hundred or so and assign thousands. Past the table's size, the
	 * linear list still finds them. */
	struct dbc_attr_def *def_table[512];         /* built on the first report by offset */
	/* Pending SG_MUL_VAL_ entries are applied after all messages exist. */
};

/* Report at a place in the text (at == NULL: the statement start). Errors
 * mark the statement as failed; the caller then recovers or stops. */
void dbc_report(struct dbc_parser *ps, enum dbc_severity sev, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void dbc_report_off(struct dbc_parser *ps, enum dbc_severity sev, uint32_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void dbc_report_line(struct dbc_parser *ps, enum dbc_severity sev, uint32_t line, uint32_t col,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Statement-level parse, then the model's finishing pass. */
int dbc_parse_text(struct dbc_parser *ps);
int dbc_finalize(struct dbc_parser *ps);

/* Lookups used while parsing (before the hash tables exist). */
struct dbc_message *dbc_parse_find_message(struct dbc_parser *ps, uint64_t dbc_id);
struct dbc_signal *dbc_parse_find_signal(struct dbc_parser *ps, struct dbc_message *m,
					 struct dbc_text name);
struct dbc_node *dbc_parse_find_node(struct dbc_parser *ps, struct dbc_text name);
struct dbc_envvar *dbc_parse_find_envvar(struct dbc_parser *ps, struct dbc_text name);
struct dbc_signal_extra *dbc_signal_extra(struct dbc_parser *ps, struct dbc_signal *s);

#endif
