// SPDX-License-Identifier: MIT
/* DBC statements, parsed in place. Grammar as Vector's "DBC File Format
 * Documentation" v1.0.5 describes it, plus what real files in the wild do
 * (names starting with digits, standard ids over 11 bits, missing ';'). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "can/frame.h"
#include "dbc/dbc_index.h"
#include "dbc/dbc_parse_internal.h"
#include "util/fnv.h"

/* Hostile-input bounds. */
#define DBC_MAX_SIGNALS_PER_MSG 4096u
#define DBC_MAX_MSG_LEN 64u
#define DBC_MAX_ENUM 65536u
#define DBC_MAX_VALUES 1000000u

void dbc_report_line(struct dbc_parser *ps, enum dbc_severity sev, uint32_t line, uint32_t col,
		     const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (sev == DBC_ERROR) {
		ps->db->n_errors++;
		if (ps->opts->strict)
			ps->failed = true;
	} else if (sev == DBC_WARNING) {
		ps->db->n_warnings++;
	}
	if (ps->opts->diag) {
		struct dbc_diag d = {ps->path, line, col, sev, msg};
		ps->opts->diag(ps->opts->diag_ud, &d);
	}
}

void dbc_report_off(struct dbc_parser *ps, enum dbc_severity sev, uint32_t off, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	uint32_t line = 0, col = 0;
	if (!ps->lines.starts)
		dbc_lines_build(ps->db, &ps->lines); /* on failure: no place, still the message */
	dbc_lines_locate(&ps->lines, off, &line, &col);
	dbc_report_line(ps, sev, line, col, "%s", msg);
}

void dbc_report(struct dbc_parser *ps, enum dbc_severity sev, const char *at, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	uint32_t line = ps->lx.line, col;
	if (!at) {
		at = ps->stmt_start;
		line = ps->stmt_line;
	}
	/* `at` is on the current line or earlier; find its line start. */
	if (at >= ps->lx.line_start) {
		col = dbc_lex_col(&ps->lx, at);
	} else {
		const char *ls = at;
		while (ls > ps->lx.base && ls[-1] != '\n')
			ls--;
		col = (uint32_t)(at - ls) + 1;
		if (line == ps->lx.line) {
			uint32_t back = 0;
			for (const char *q = at; q < ps->lx.line_start; q++)
				back += *q == '\n';
			line -= back;
		}
	}
	dbc_report_line(ps, sev, line, col, "%s", msg);
}

/* A statement failed: say so at `at` and return -EINVAL. */
#define FAIL_AT(ps, at_, ...)                                         \
	do {                                                           \
		dbc_report((ps), DBC_ERROR, (at_), __VA_ARGS__);       \
		return -EINVAL;                                        \
	} while (0)

/* A statement failed: say so at the cursor and return -EINVAL. */
#define FAIL(ps, ...)                                                  \
	do {                                                           \
		dbc_report((ps), DBC_ERROR, (ps)->lx.p, __VA_ARGS__); \
		return -EINVAL;                                        \
	} while (0)

static void *ps_alloc(struct dbc_parser *ps, size_t size)
{
	return evgw_arena_alloc(&ps->db->arena, size);
}

static const char *lex_here(struct dbc_parser *ps)
{
	dbc_lex_skip_ws(&ps->lx);
	return ps->lx.p;
}

/* The byte at the cursor, or NUL at the end of the text. */
static char here_char(const struct dbc_parser *ps)
{
	return ps->lx.p < ps->lx.end ? *ps->lx.p : '\0';
}

static bool expect_ident(struct dbc_parser *ps, struct dbc_text *t, bool warn_digit)
{
	const char *at = lex_here(ps);
	if (!dbc_lex_ident(&ps->lx, t))
		return false;
	if (warn_digit && *at >= '0' && *at <= '9')
		dbc_report(ps, DBC_WARNING, at, "name '%.*s' begins with a digit", (int)t->len, at);
	return true;
}

/* The statement's closing ';'. Real files sometimes omit it at the end of a
 * line: accept that with a warning rather than losing the statement. */
static int expect_semicolon(struct dbc_parser *ps)
{
	if (dbc_lex_punct(&ps->lx, ';'))
		return 0;
	dbc_report(ps, DBC_WARNING, ps->lx.p, "missing ';'");
	return 0;
}

struct dbc_message *dbc_parse_find_message(struct dbc_parser *ps, uint64_t dbc_id)
{
	if (dbc_id > UINT32_MAX)
		return NULL;
	return dbc_index_find(ps->db, (uint32_t)dbc_id);
}

struct dbc_signal *dbc_parse_find_signal(struct dbc_parser *ps, struct dbc_message *m,
					 struct dbc_text name)
{
	struct evgw_str want = dbc_str(ps->db, name);
	for (uint32_t i = 0; i < m->n_signals; i++)
		if (evgw_str_eq(dbc_str(ps->db, m->signals[i].name), want))
			return &m->signals[i];
	return NULL;
}

struct dbc_node *dbc_parse_find_node(struct dbc_parser *ps, struct dbc_text name)
{
	struct evgw_str want = dbc_str(ps->db, name);
	for (struct dbc_node *n = ps->db->nodes; n; n = n->next)
		if (evgw_str_eq(dbc_str(ps->db, n->name), want))
			return n;
	return NULL;
}

struct dbc_envvar *dbc_parse_find_envvar(struct dbc_parser *ps, struct dbc_text name)
{
	struct evgw_str want = dbc_str(ps->db, name);
	for (struct dbc_envvar *e = ps->db->envvars; e; e = e->next)
		if (evgw_str_eq(dbc_str(ps->db, e->name), want))
			return e;
	return NULL;
}

struct dbc_signal_extra *dbc_signal_extra(struct dbc_parser *ps, struct dbc_signal *s)
{
	if (!s->extra)
		s->extra = ps_alloc(ps, sizeof *s->extra);
	return s->extra;
}

/* Message and signal references in later statements: "<id> <signal>". */
static int parse_msg_ref(struct dbc_parser *ps, struct dbc_message **m)
{
	const char *at = lex_here(ps);
	uint64_t id;
	if (!dbc_lex_uint(&ps->lx, &id))
		FAIL(ps, "expected a message id");
	*m = dbc_parse_find_message(ps, id);
	if (!*m) {
		dbc_report(ps, DBC_WARNING, at, "unknown message id %llu", (unsigned long long)id);
		return -ENOENT;
	}
	return 0;
}

static int parse_sig_ref(struct dbc_parser *ps, struct dbc_message **m, struct dbc_signal **s)
{
	int r = parse_msg_ref(ps, m);
	if (r < 0)
		return r;
	struct dbc_text name;
	const char *at = lex_here(ps);
	if (!expect_ident(ps, &name, false))
		FAIL(ps, "expected a signal name");
	*s = dbc_parse_find_signal(ps, *m, name);
	if (!*s) {
		dbc_report(ps, DBC_WARNING, at, "message '%.*s' has no signal '%.*s'",
			   (int)(*m)->name.len, ps->db->text + (*m)->name.off, (int)name.len, at);
		return -ENOENT;
	}
	return 0;
}

static bool is_statement_start(struct dbc_parser *ps);

/* ---- VERSION, NS_, BS_, BU_ ------------------------------------------- */

static int parse_version(struct dbc_parser *ps)
{
	if (dbc_lex_string(&ps->lx, &ps->db->version) != 0)
		FAIL(ps, "expected a quoted version string");
	return 0;
}

/* NS_ : followed by indented symbol lines; it ends at the first line that
 * starts in column 1. */
static int parse_ns(struct dbc_parser *ps)
{
	dbc_lex_punct(&ps->lx, ':');
	dbc_lex_skip_line(&ps->lx);
	while (!dbc_lex_eof(&ps->lx)) {
		char c = *ps->lx.p;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			dbc_lex_skip_line(&ps->lx);
		else
			break;
	}
	return 0;
}

static int parse_bs(struct dbc_parser *ps)
{
	if (!dbc_lex_punct(&ps->lx, ':'))
		FAIL(ps, "expected ':' after BS_");
	/* Optional "baudrate : BTR1 , BTR2" is obsolete; skip the rest of the line. */
	if (!dbc_lex_skip_blank_to_eol(&ps->lx))
		dbc_lex_skip_line(&ps->lx);
	return 0;
}

static int parse_bu(struct dbc_parser *ps)
{
	if (!dbc_lex_punct(&ps->lx, ':'))
		FAIL(ps, "expected ':' after BU_");
	struct dbc_node **tail = &ps->db->nodes;
	while (*tail)
		tail = &(*tail)->next;
	/* Node names, usually on one line, sometimes one per line after it:
	 * they run up to the next statement keyword. */
	for (;;) {
		dbc_lex_skip_ws(&ps->lx);
		if (dbc_lex_eof(&ps->lx) || is_statement_start(ps))
			break;
		struct dbc_text name;
		uint32_t line = ps->lx.line;
		if (!expect_ident(ps, &name, true))
			FAIL(ps, "expected a node name");
		struct dbc_node *n = ps_alloc(ps, sizeof *n);
		if (!n)
			return -ENOMEM;
		n->name = name;
		n->line = line;
		*tail = n;
		tail = &n->next;
		ps->db->n_nodes++;
		if (!dbc_lex_skip_blank_to_eol(&ps->lx) && *ps->lx.p == ',')
			ps->lx.p++;
	}
	return 0;
}

/* ---- VAL_TABLE_ and VAL_ ----------------------------------------------- */

static int cmp_val_entry(const void *a, const void *b)
{
	const struct dbc_val_entry *x = a, *y = b;
	return (x->value > y->value) - (x->value < y->value);
}

/* "<int> "text" ..." up to ';'. The entries go into the arena as one array. */
static int parse_value_list(struct dbc_parser *ps, struct dbc_val_entry **out, uint32_t *n_out)
{
	struct dbc_val_entry *arr = NULL;
	uint32_t n = 0;
	for (;;) {
		dbc_lex_skip_ws(&ps->lx);
		if (dbc_lex_eof(&ps->lx) || *ps->lx.p == ';' || is_statement_start(ps))
			break;
		int64_t v;
		double dv;
		if (!dbc_lex_int(&ps->lx, &v)) {
			/* Some tools write "1.0"; accept integral floats in range. */
			if (!dbc_lex_double(&ps->lx, &dv) || !(dv >= -9.2e18 && dv <= 9.2e18) ||
			    dv != floor(dv))
				FAIL(ps, "expected an integer value");
			v = (int64_t)dv;
		}
		struct dbc_text text;
		int r = dbc_lex_string(&ps->lx, &text);
		if (r == -2)
			FAIL(ps, "unterminated string");
		if (r < 0)
			FAIL(ps, "expected a quoted value description");
		if (n >= DBC_MAX_VALUES)
			FAIL(ps, "too many value descriptions");
		arr = evgw_arena_extend(&ps->db->arena, arr, (size_t)(n + 1) * sizeof *arr);
		if (!arr)
			return -ENOMEM;
		arr[n].value = v;
		arr[n].text = text;
		n++;
	}
	if (!dbc_lex_punct(&ps->lx, ';'))
		dbc_report(ps, DBC_WARNING, ps->lx.p, "missing ';'");
	/* Sorted for binary search; stable order for equal values is not needed. */
	if (n)
		qsort(arr, n, sizeof *arr, cmp_val_entry);
	*out = arr;
	*n_out = n;
	return 0;
}

static int parse_val_table(struct dbc_parser *ps)
{
	struct dbc_text name;
	if (!expect_ident(ps, &name, true))
		FAIL(ps, "expected a value table name");
	struct dbc_val_table *t = ps_alloc(ps, sizeof *t);
	if (!t)
		return -ENOMEM;
	t->name = name;
	int r = parse_value_list(ps, &t->entries, &t->count);
	if (r < 0)
		return r;
	t->next = ps->db->val_tables;
	ps->db->val_tables = t;
	ps->db->n_val_tables++;
	return 0;
}

static int parse_val(struct dbc_parser *ps)
{
	dbc_lex_skip_ws(&ps->lx);
	struct dbc_val_entry *vals;
	uint32_t n;
	if (!dbc_lex_eof(&ps->lx) && *ps->lx.p >= '0' && *ps->lx.p <= '9') {
		struct dbc_message *m;
		struct dbc_signal *s;
		int r = parse_sig_ref(ps, &m, &s);
		if (r < 0)
			return r;
		r = parse_value_list(ps, &vals, &n);
		if (r < 0)
			return r;
		struct dbc_signal_extra *x = dbc_signal_extra(ps, s);
		if (!x)
			return -ENOMEM;
		x->values = vals;
		x->n_values = n;
		return 0;
	}
	struct dbc_text name;
	const char *at = lex_here(ps);
	if (!expect_ident(ps, &name, false))
		FAIL(ps, "expected a message id or environment variable name");
	int r = parse_value_list(ps, &vals, &n);
	if (r < 0)
		return r;
	struct dbc_envvar *e = dbc_parse_find_envvar(ps, name);
	if (!e) {
		dbc_report(ps, DBC_WARNING, at, "VAL_ for unknown environment variable '%.*s'",
			   (int)name.len, at);
		return 0; /* the list and its ';' are already consumed */
	}
	e->values = vals;
	e->n_values = n;
	return 0;
}

/* ---- BO_ and SG_ ------------------------------------------------------- */

static int parse_bo(struct dbc_parser *ps)
{
	struct dbc_db *db = ps->db;
	ps->cur_msg = NULL;
	uint64_t id;
	const char *at = lex_here(ps);
	if (!dbc_lex_uint(&ps->lx, &id) || id > UINT32_MAX)
		FAIL_AT(ps, at, "expected a message id (0..4294967295)");
	bool ext = (id & DBC_EXT_FLAG) != 0;
	uint32_t raw = (uint32_t)id & ~DBC_EXT_FLAG;
	/* Vector's holder for signals not sent in any message: id 0x40000000
	 * (with or without bit 31). Kept, so references to it resolve, but it
	 * matches no frame. */
	bool pseudo = raw == DBC_PSEUDO_MSG_ID;
	if (!pseudo && raw > EVGW_CAN_EFF_MASK) {
		/* Kept so the file's other statements resolve; lenient tools do the same. */
		dbc_report(ps, DBC_WARNING, at, "message id 0x%X is wider than 29 bits; it matches no frame",
			   raw);
		pseudo = true;
	} else if (!pseudo && !ext && raw > 0x7FFu) {
		dbc_report(ps, DBC_WARNING, at,
			   "standard message id 0x%X is wider than 11 bits (bit 31 not set)", raw);
	}
	struct dbc_text name;
	if (!expect_ident(ps, &name, true))
		FAIL(ps, "expected a message name");
	if (!dbc_lex_punct(&ps->lx, ':'))
		FAIL(ps, "expected ':' after the message name");
	uint64_t len;
	const char *len_at = lex_here(ps);
	if (!dbc_lex_uint(&ps->lx, &len))
		FAIL(ps, "expected the message length");
	if (len > DBC_MAX_MSG_LEN) {
		ps->lx.p = len_at;
		FAIL(ps, "message length %llu is over 64 bytes", (unsigned long long)len);
	}
	struct dbc_text tx = {0, 0};
	if (!dbc_lex_skip_blank_to_eol(&ps->lx) && !expect_ident(ps, &tx, false))
		FAIL(ps, "expected the transmitter name");
	if (db->n_messages >= UINT32_MAX / 8)
		FAIL(ps, "too many messages");

	struct dbc_message *m = ps_alloc(ps, sizeof *m);
	if (!m)
		return -ENOMEM;
	m->id = raw;
	m->flags = (uint8_t)((ext ? DBC_MSG_EXTENDED : 0) | (pseudo ? DBC_MSG_PSEUDO : 0));
	m->name = name;
	m->transmitter = tx;
	m->length = (uint8_t)len;
	if ((db->n_messages & (db->n_messages - 1)) == 0) {
		/* Power-of-two growth of the pointer array. */
		uint32_t cap = db->n_messages ? db->n_messages * 2 : 16;
		struct dbc_message **arr = realloc(db->messages, cap * sizeof *arr);
		if (!arr)
			return -ENOMEM;
		db->messages = arr;
	}
	m->index = db->n_messages;
	db->messages[db->n_messages] = m;
	if (dbc_index_insert(db, (uint32_t)id, db->n_messages) < 0)
		return -ENOMEM;
	db->n_messages++;
	ps->cur_msg = m;
	return 0;
}

/* The multiplexer indicator between the name and ':': M, mN or mNM. */
static int parse_mux_indicator(struct dbc_parser *ps, struct dbc_signal *s)
{
	struct dbc_text t;
	const char *at = lex_here(ps);
	if (here_char(ps) == ':')
		return 0;
	if (!dbc_lex_ident(&ps->lx, &t))
		FAIL(ps, "expected ':' or a multiplexer indicator");
	const char *p = at, *e = at + t.len;
	if (t.len == 1 && *p == 'M') {
		s->flags |= DBC_SIG_MUX_SWITCH;
		return 0;
	}
	if (*p != 'm' || t.len < 2)
		goto bad;
	p++;
	uint64_t v = 0;
	const char *digits = p;
	while (p < e && *p >= '0' && *p <= '9') {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX)
			goto bad;
		p++;
	}
	if (p == digits)
		goto bad;
	s->flags |= DBC_SIG_MUXED;
	s->mux_value = (uint32_t)v;
	if (p < e && *p == 'M' && p + 1 == e) {
		s->flags |= DBC_SIG_MUX_SWITCH;
		return 0;
	}
	if (p == e)
		return 0;
bad:
	ps->lx.p = at;
	FAIL(ps, "bad multiplexer indicator '%.*s'", (int)t.len, at);
}

/* A message's signals stay one array, grown one slot at a time: the arena
 * extends its latest allocation in place, so there is no spare capacity to
 * waste (a move to a fresh block happens once per block). */
static struct dbc_signal *new_signal_slot(struct dbc_parser *ps, struct dbc_message *m)
{
	if (m->n_signals >= DBC_MAX_SIGNALS_PER_MSG)
		return NULL;
	struct dbc_signal *arr = evgw_arena_extend(&ps->db->arena, m->signals,
						   (size_t)(m->n_signals + 1) * sizeof *arr);
	if (!arr)
		return NULL;
	m->signals = arr;
	return &m->signals[m->n_signals];
}

static int parse_sg(struct dbc_parser *ps)
{
	struct dbc_message *m = ps->cur_msg;
	if (!m)
		FAIL_AT(ps, ps->stmt_start, "SG_ outside a message (or after a message that failed to parse)");
	/* The signal array must stay the arena's latest allocation. */
	if (ps->db->arena.last != (void *)m->signals && m->signals)
		FAIL(ps, "SG_ separated from its message by other statements");
	struct dbc_signal s;
	memset(&s, 0, sizeof s);
	if (!expect_ident(ps, &s.name, true))
		FAIL(ps, "expected a signal name");
	int r = parse_mux_indicator(ps, &s);
	if (r < 0)
		return r;
	if (!dbc_lex_punct(&ps->lx, ':'))
		FAIL(ps, "expected ':' after the signal name");
	uint64_t start, len;
	const char *at = lex_here(ps);
	if (!dbc_lex_uint(&ps->lx, &start))
		FAIL(ps, "expected the start bit");
	if (!dbc_lex_punct(&ps->lx, '|'))
		FAIL(ps, "expected '|' after the start bit");
	const char *len_at = lex_here(ps);
	if (!dbc_lex_uint(&ps->lx, &len))
		FAIL(ps, "expected the signal length");
	if (start >= DBC_MAX_MSG_LEN * 8) {
		ps->lx.p = at;
		FAIL(ps, "start bit %llu is beyond 64 bytes", (unsigned long long)start);
	}
	if (len < 1 || len > 64)
		FAIL_AT(ps, len_at, "signal length %llu is not 1..64 bits", (unsigned long long)len);
	s.start_bit = (uint16_t)start;
	s.length = (uint8_t)len;
	if (!dbc_lex_punct(&ps->lx, '@'))
		FAIL(ps, "expected '@' before the byte order");
	if (dbc_lex_eof(&ps->lx) || (*ps->lx.p != '0' && *ps->lx.p != '1'))
		FAIL(ps, "byte order must be 0 (Motorola) or 1 (Intel)");
	if (*ps->lx.p++ == '1')
		s.flags |= DBC_SIG_LITTLE_ENDIAN;
	if (dbc_lex_eof(&ps->lx) || (*ps->lx.p != '+' && *ps->lx.p != '-'))
		FAIL(ps, "expected '+' (unsigned) or '-' (signed)");
	if (*ps->lx.p++ == '-')
		s.flags |= DBC_SIG_SIGNED;
	if (!dbc_lex_punct(&ps->lx, '('))
		FAIL(ps, "expected '(' before factor,offset");
	if (!dbc_lex_double(&ps->lx, &s.factor))
		FAIL(ps, "expected the factor");
	if (!dbc_lex_punct(&ps->lx, ','))
		FAIL(ps, "expected ',' between factor and offset");
	if (!dbc_lex_double(&ps->lx, &s.offset))
		FAIL(ps, "expected the offset");
	if (!dbc_lex_punct(&ps->lx, ')'))
		FAIL(ps, "expected ')' after the offset");
	if (!dbc_lex_punct(&ps->lx, '['))
		FAIL(ps, "expected '[' before min|max");
	if (!dbc_lex_double(&ps->lx, &s.min))
		FAIL(ps, "expected the minimum");
	if (!dbc_lex_punct(&ps->lx, '|'))
		FAIL(ps, "expected '|' between minimum and maximum");
	if (!dbc_lex_double(&ps->lx, &s.max))
		FAIL(ps, "expected the maximum");
	if (!dbc_lex_punct(&ps->lx, ']'))
		FAIL(ps, "expected ']' after the maximum");
	r = dbc_lex_string(&ps->lx, &s.unit);
	if (r == -2)
		FAIL(ps, "unterminated unit string");
	if (r < 0)
		FAIL(ps, "expected the quoted unit");
	/* Receivers: names separated by commas (some writers add spaces). */
	const char *rx_start = NULL, *rx_end = NULL;
	while (!dbc_lex_skip_blank_to_eol(&ps->lx)) {
		struct dbc_text rx;
		const char *rat = ps->lx.p;
		if (!dbc_lex_ident(&ps->lx, &rx))
			FAIL(ps, "expected a receiver name");
		if (!rx_start)
			rx_start = rat;
		rx_end = ps->lx.p;
		dbc_lex_skip_blank_to_eol(&ps->lx);
		if (!dbc_lex_eof(&ps->lx) && *ps->lx.p == ',')
			ps->lx.p++;
	}
	if (rx_start)
		s.receivers = dbc_lex_text(&ps->lx, rx_start, rx_end);
	struct dbc_signal *slot = new_signal_slot(ps, m);
	if (!slot)
		FAIL(ps, "too many signals in message (or out of memory)");
	*slot = s;
	m->n_signals++;
	ps->db->n_signals++;
	return 0;
}

static int parse_bo_tx_bu(struct dbc_parser *ps)
{
	struct dbc_message *m;
	int r = parse_msg_ref(ps, &m);
	if (r < 0)
		return r;
	if (!dbc_lex_punct(&ps->lx, ':'))
		FAIL(ps, "expected ':' after the message id");
	dbc_lex_skip_ws(&ps->lx);
	const char *s = ps->lx.p;
	while (!dbc_lex_eof(&ps->lx) && *ps->lx.p != ';' && *ps->lx.p != '\n')
		ps->lx.p++;
	const char *e = ps->lx.p;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	m->tx_nodes = dbc_lex_text(&ps->lx, s, e);
	return expect_semicolon(ps);
}

/* ---- CM_ ---------------------------------------------------------------- */

static int parse_cm(struct dbc_parser *ps)
{
	struct dbc_text kw, text;
	struct dbc_text *dst = NULL;
	const char *at = lex_here(ps);
	int r;
	if (here_char(ps) == '"') {
		dst = &ps->db->comment;
	} else if (!dbc_lex_ident(&ps->lx, &kw)) {
		FAIL(ps, "expected a comment target or a string");
	} else if (evgw_str_eq_cstr(dbc_str(ps->db, kw), "BO_")) {
		struct dbc_message *m;
		if ((r = parse_msg_ref(ps, &m)) < 0)
			return r;
		dst = &m->comment;
	} else if (evgw_str_eq_cstr(dbc_str(ps->db, kw), "SG_")) {
		struct dbc_message *m;
		struct dbc_signal *s;
		if ((r = parse_sig_ref(ps, &m, &s)) < 0)
			return r;
		struct dbc_signal_extra *x = dbc_signal_extra(ps, s);
		if (!x)
			return -ENOMEM;
		dst = &x->comment;
	} else if (evgw_str_eq_cstr(dbc_str(ps->db, kw), "BU_")) {
		struct dbc_text name;
		const char *nat = lex_here(ps);
		if (!expect_ident(ps, &name, false))
			FAIL(ps, "expected a node name");
		struct dbc_node *n = dbc_parse_find_node(ps, name);
		if (!n) {
			dbc_report(ps, DBC_WARNING, nat, "comment for unknown node '%.*s'",
				   (int)name.len, nat);
			return -ENOENT;
		}
		dst = &n->comment;
	} else if (evgw_str_eq_cstr(dbc_str(ps->db, kw), "EV_")) {
		struct dbc_text name;
		const char *nat = lex_here(ps);
		if (!expect_ident(ps, &name, false))
			FAIL(ps, "expected an environment variable name");
		struct dbc_envvar *e = dbc_parse_find_envvar(ps, name);
		if (!e) {
			dbc_report(ps, DBC_WARNING, nat,
				   "comment for unknown environment variable '%.*s'", (int)name.len, nat);
			return -ENOENT;
		}
		dst = &e->comment;
	} else {
		ps->lx.p = at;
		FAIL(ps, "unknown comment target '%.*s'", (int)kw.len, at);
	}
	r = dbc_lex_string(&ps->lx, &text);
	if (r == -2)
		FAIL(ps, "unterminated comment string");
	if (r < 0)
		FAIL(ps, "expected the quoted comment");
	*dst = text;
	ps->db->n_comments++;
	return expect_semicolon(ps);
}

/* ---- SIG_VALTYPE_, SG_MUL_VAL_, SIG_GROUP_ -------------------------------- */

static int parse_sig_valtype(struct dbc_parser *ps)
{
	struct dbc_message *m;
	struct dbc_signal *s;
	int r = parse_sig_ref(ps, &m, &s);
	if (r < 0)
		return r;
	dbc_lex_punct(&ps->lx, ':');
	uint64_t t;
	if (!dbc_lex_uint(&ps->lx, &t) || t > 2)
		FAIL(ps, "signal value type must be 0 (integer), 1 (float) or 2 (double)");
	s->flags &= (uint8_t)~(DBC_SIG_FLOAT32 | DBC_SIG_FLOAT64);
	if (t == 1) {
		if (s->length != 32)
			FAIL(ps, "an IEEE float signal must be 32 bits long, not %u", s->length);
		s->flags |= DBC_SIG_FLOAT32;
	} else if (t == 2) {
		if (s->length != 64)
			FAIL(ps, "an IEEE double signal must be 64 bits long, not %u", s->length);
		s->flags |= DBC_SIG_FLOAT64;
	}
	return expect_semicolon(ps);
}

static int parse_sg_mul_val(struct dbc_parser *ps)
{
	struct dbc_message *m;
	struct dbc_signal *s;
	int r = parse_sig_ref(ps, &m, &s);
	if (r < 0)
		return r;
	struct dbc_text sw;
	if (!expect_ident(ps, &sw, false))
		FAIL(ps, "expected the multiplexer switch name");
	struct dbc_mux_range *arr = NULL;
	uint32_t n = 0;
	for (;;) {
		uint64_t lo, hi;
		const char *range_at = lex_here(ps);
		if (!dbc_lex_uint(&ps->lx, &lo))
			FAIL(ps, "expected a range 'low-high'");
		if (!dbc_lex_punct(&ps->lx, '-') || !dbc_lex_uint(&ps->lx, &hi))
			FAIL(ps, "expected '-high' in the range");
		if (lo > hi)
			FAIL_AT(ps, range_at, "range %llu-%llu is empty", (unsigned long long)lo,
				(unsigned long long)hi);
		if (n >= 4096)
			FAIL(ps, "too many ranges");
		arr = evgw_arena_extend(&ps->db->arena, arr, (size_t)(n + 1) * sizeof *arr);
		if (!arr)
			return -ENOMEM;
		arr[n].lo = lo;
		arr[n].hi = hi;
		n++;
		if (!dbc_lex_punct(&ps->lx, ','))
			break;
	}
	struct dbc_signal_extra *x = dbc_signal_extra(ps, s);
	if (!x)
		return -ENOMEM;
	x->mux_ranges = arr;
	x->n_mux_ranges = n;
	x->mux_switch_name = sw;
	s->flags |= DBC_SIG_MUX_RANGES;
	return expect_semicolon(ps);
}

static int parse_sig_group(struct dbc_parser *ps)
{
	struct dbc_message *m;
	int r = parse_msg_ref(ps, &m);
	if (r < 0)
		return r;
	struct dbc_text name;
	uint64_t rep;
	if (!expect_ident(ps, &name, false))
		FAIL(ps, "expected the signal group name");
	if (!dbc_lex_uint(&ps->lx, &rep))
		FAIL(ps, "expected the repetition count");
	if (!dbc_lex_punct(&ps->lx, ':'))
		FAIL(ps, "expected ':' before the group's signals");
	dbc_lex_skip_ws(&ps->lx);
	const char *s = ps->lx.p;
	while (!dbc_lex_eof(&ps->lx) && *ps->lx.p != ';')
		if (*ps->lx.p++ == '\n')
			dbc_lex_skip_ws(&ps->lx); /* counts the line */
	const char *e = ps->lx.p;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		e--;
	struct dbc_sig_group *g = ps_alloc(ps, sizeof *g);
	if (!g)
		return -ENOMEM;
	g->name = name;
	g->msg = m;
	g->repetitions = (uint32_t)(rep > UINT32_MAX ? UINT32_MAX : rep);
	g->members = dbc_lex_text(&ps->lx, s, e);
	g->next = ps->db->sig_groups;
	ps->db->sig_groups = g;
	ps->db->n_sig_groups++;
	return expect_semicolon(ps);
}

/* ---- EV_ and ENVVAR_DATA_ ----------------------------------------------- */

static int parse_ev(struct dbc_parser *ps)
{
	struct dbc_envvar *e = ps_alloc(ps, sizeof *e);
	if (!e)
		return -ENOMEM;
	e->line = ps->stmt_line;
	uint64_t t, dummy;
	if (!expect_ident(ps, &e->name, true))
		FAIL(ps, "expected the environment variable name");
	if (!dbc_lex_punct(&ps->lx, ':'))
		FAIL(ps, "expected ':' after the environment variable name");
	if (!dbc_lex_uint(&ps->lx, &t) || t > 2)
		FAIL(ps, "environment variable type must be 0, 1 or 2");
	e->var_type = (uint8_t)t;
	if (!dbc_lex_punct(&ps->lx, '[') || !dbc_lex_double(&ps->lx, &e->min) ||
	    !dbc_lex_punct(&ps->lx, '|') || !dbc_lex_double(&ps->lx, &e->max) ||
	    !dbc_lex_punct(&ps->lx, ']'))
		FAIL(ps, "expected [min|max]");
	if (dbc_lex_string(&ps->lx, &e->unit) != 0)
		FAIL(ps, "expected the quoted unit");
	if (!dbc_lex_double(&ps->lx, &e->initial))
		FAIL(ps, "expected the initial value");
	if (!dbc_lex_uint(&ps->lx, &dummy))
		FAIL(ps, "expected the environment variable id");
	struct dbc_text access;
	if (!expect_ident(ps, &access, false))
		FAIL(ps, "expected the access type (DUMMY_NODE_VECTORn)");
	/* Access nodes up to ';'. */
	dbc_lex_skip_statement(&ps->lx);
	e->next = ps->db->envvars;
	ps->db->envvars = e;
	ps->db->n_envvars++;
	return 0;
}

static int parse_envvar_data(struct dbc_parser *ps)
{
	struct dbc_text name;
	const char *at = lex_here(ps);
	uint64_t size;
	if (!expect_ident(ps, &name, false))
		FAIL(ps, "expected the environment variable name");
	if (!dbc_lex_punct(&ps->lx, ':') || !dbc_lex_uint(&ps->lx, &size))
		FAIL(ps, "expected ': <data size>'");
	struct dbc_envvar *e = dbc_parse_find_envvar(ps, name);
	if (!e) {
		dbc_report(ps, DBC_WARNING, at, "ENVVAR_DATA_ for unknown variable '%.*s'",
			   (int)name.len, at);
		return -ENOENT;
	}
	e->data_size = (uint32_t)(size > UINT32_MAX ? UINT32_MAX : size);
	return expect_semicolon(ps);
}

/* ---- attributes ------------------------------------------------------- */

static bool kw_is(struct dbc_parser *ps, struct dbc_text t, const char *kw)
{
	return evgw_str_eq_cstr(dbc_str(ps->db, t), kw);
}

#define DEF_TABLE_SIZE (sizeof ((struct dbc_parser *)0)->def_table / sizeof(void *))

static uint32_t name_hash(struct evgw_str s)
{
	return evgw_fnv32(EVGW_FNV32_INIT, s.ptr, s.len);
}

/* Remember a definition by name, unless the table is 3/4 full. */
static void def_table_put(struct dbc_parser *ps, struct dbc_attr_def *d)
{
	if (ps->db->n_attr_defs >= DEF_TABLE_SIZE * 3 / 4)
		return;
	uint32_t i = name_hash(dbc_str(ps->db, d->name)) & (DEF_TABLE_SIZE - 1);
	while (ps->def_table[i])
		i = (i + 1) & (DEF_TABLE_SIZE - 1);
	ps->def_table[i] = d;
}

/* The first definition with this name (BA_ statements come in runs of the
 * same attribute, hence the one-entry cache in front of the table). */
static struct dbc_attr_def *find_attr_def(struct dbc_parser *ps, struct dbc_text name)
{
	struct evgw_str want = dbc_str(ps->db, name);
	if (ps->last_def && evgw_str_eq(dbc_str(ps->db, ps->last_def->name), want))
		return ps->last_def;
	for (uint32_t i = name_hash(want) & (DEF_TABLE_SIZE - 1); ps->def_table[i];
	     i = (i + 1) & (DEF_TABLE_SIZE - 1))
		if (evgw_str_eq(dbc_str(ps->db, ps->def_table[i]->name), want))
			return ps->last_def = ps->def_table[i];
	if (ps->db->n_attr_defs < DEF_TABLE_SIZE * 3 / 4)
		return NULL; /* every definition is in the table */
	for (struct dbc_attr_def *d = ps->db->attr_defs; d; d = d->next)
		if (evgw_str_eq(dbc_str(ps->db, d->name), want))
			return ps->last_def = d;
	return NULL;
}

static int parse_attr_def(struct dbc_parser *ps, bool rel)
{
	struct dbc_attr_def *d = ps_alloc(ps, sizeof *d);
	if (!d)
		return -ENOMEM;
	d->line = ps->stmt_line;
	d->obj_kind = rel ? DBC_OBJ_REL_NODE_SIGNAL : DBC_OBJ_NETWORK;
	struct dbc_text kw;
	const char *at = lex_here(ps);
	if (here_char(ps) != '"') {
		if (!dbc_lex_ident(&ps->lx, &kw))
			FAIL(ps, "expected an object type or the attribute name");
		if (!rel && kw_is(ps, kw, "BU_"))
			d->obj_kind = DBC_OBJ_NODE;
		else if (!rel && kw_is(ps, kw, "BO_"))
			d->obj_kind = DBC_OBJ_MESSAGE;
		else if (!rel && kw_is(ps, kw, "SG_"))
			d->obj_kind = DBC_OBJ_SIGNAL;
		else if (!rel && kw_is(ps, kw, "EV_"))
			d->obj_kind = DBC_OBJ_ENVVAR;
		else if (rel && kw_is(ps, kw, "BU_SG_REL_"))
			d->obj_kind = DBC_OBJ_REL_NODE_SIGNAL;
		else if (rel && kw_is(ps, kw, "BU_BO_REL_"))
			d->obj_kind = DBC_OBJ_REL_NODE_MESSAGE;
		else if (rel && kw_is(ps, kw, "BU_EV_REL_"))
			d->obj_kind = DBC_OBJ_REL_NODE_ENVVAR;
		else {
			ps->lx.p = at;
			FAIL(ps, "unknown attribute object type '%.*s'", (int)kw.len, at);
		}
	}
	if (dbc_lex_string(&ps->lx, &d->name) != 0)
		FAIL(ps, "expected the quoted attribute name");
	struct dbc_text type;
	const char *tat = lex_here(ps);
	if (!dbc_lex_ident(&ps->lx, &type))
		FAIL(ps, "expected the attribute type (INT, HEX, FLOAT, STRING, ENUM)");
	if (kw_is(ps, type, "INT") || kw_is(ps, type, "HEX") || kw_is(ps, type, "FLOAT")) {
		d->type = kw_is(ps, type, "INT") ? DBC_ATTR_INT
			  : kw_is(ps, type, "HEX") ? DBC_ATTR_HEX : DBC_ATTR_FLOAT;
		if (!dbc_lex_double(&ps->lx, &d->min) || !dbc_lex_double(&ps->lx, &d->max))
			FAIL(ps, "expected the attribute's minimum and maximum");
	} else if (kw_is(ps, type, "STRING")) {
		d->type = DBC_ATTR_STRING;
	} else if (kw_is(ps, type, "ENUM")) {
		d->type = DBC_ATTR_ENUM;
		struct dbc_text *arr = NULL;
		uint32_t n = 0;
		for (;;) {
			struct dbc_text v;
			int r = dbc_lex_string(&ps->lx, &v);
			if (r == -2)
				FAIL(ps, "unterminated string");
			if (r < 0)
				break;
			if (n >= DBC_MAX_ENUM)
				FAIL(ps, "too many enum values");
			arr = evgw_arena_extend(&ps->db->arena, arr, (size_t)(n + 1) * sizeof *arr);
			if (!arr)
				return -ENOMEM;
			arr[n++] = v;
			if (!dbc_lex_punct(&ps->lx, ','))
				break;
		}
		d->enum_values = arr;
		d->n_enum = n;
	} else {
		ps->lx.p = tat;
		FAIL(ps, "unknown attribute type '%.*s'", (int)type.len, tat);
	}
	int r = expect_semicolon(ps);
	if (r < 0)
		return r;
	/* A name defined twice keeps its first definition for lookups. */
	if (!find_attr_def(ps, d->name))
		def_table_put(ps, d);
	struct dbc_attr_def **tail = &ps->db->attr_defs;
	while (*tail)
		tail = &(*tail)->next;
	*tail = d;
	ps->db->n_attr_defs++;
	return 0;
}

/* A value: number or quoted string. */
static int parse_attr_value(struct dbc_parser *ps, struct dbc_attr_value *v)
{
	int r = dbc_lex_string(&ps->lx, &v->str);
	if (r == -2)
		FAIL(ps, "unterminated string");
	if (r == 0) {
		v->is_string = true;
		return 0;
	}
	if (!dbc_lex_double(&ps->lx, &v->num))
		FAIL(ps, "expected an attribute value");
	return 0;
}

static int parse_attr_def_default(struct dbc_parser *ps)
{
	struct dbc_text name;
	const char *at = lex_here(ps);
	if (dbc_lex_string(&ps->lx, &name) != 0)
		FAIL(ps, "expected the quoted attribute name");
	struct dbc_attr_value v;
	memset(&v, 0, sizeof v);
	int r = parse_attr_value(ps, &v);
	if (r < 0)
		return r;
	struct dbc_attr_def *d = find_attr_def(ps, name);
	if (!d) {
		dbc_report(ps, DBC_WARNING, at, "default for undefined attribute \"%.*s\"",
			   (int)name.len, at + 1);
		return -ENOENT;
	}
	d->def = v;
	d->has_default = true;
	return expect_semicolon(ps);
}

static int attach_attr(struct dbc_parser *ps, struct dbc_attr **list, const struct dbc_attr_def *d,
		       const struct dbc_attr_value *v, const void *rel_other)
{
	struct dbc_attr *a = ps_alloc(ps, sizeof *a);
	if (!a)
		return -ENOMEM;
	a->def = d;
	a->value = *v;
	a->rel_other = rel_other;
	a->next = *list;
	*list = a;
	ps->db->n_attrs++;
	return 0;
}

static int parse_ba(struct dbc_parser *ps)
{
	struct dbc_text name, kw;
	const char *at = lex_here(ps);
	if (dbc_lex_string(&ps->lx, &name) != 0)
		FAIL(ps, "expected the quoted attribute name");
	struct dbc_attr **list = &ps->db->attrs;
	enum dbc_obj_kind kind = DBC_OBJ_NETWORK;
	const char *kat = lex_here(ps);
	int r;
	char c0 = here_char(ps);
	bool letter = (c0 >= 'A' && c0 <= 'Z') || (c0 >= 'a' && c0 <= 'z');
	if (letter && dbc_lex_ident(&ps->lx, &kw)) {
		if (kw_is(ps, kw, "BU_")) {
			struct dbc_text n;
			if (!expect_ident(ps, &n, false))
				FAIL(ps, "expected a node name");
			struct dbc_node *node = dbc_parse_find_node(ps, n);
			if (!node) {
				dbc_report(ps, DBC_WARNING, kat, "attribute for unknown node");
				return -ENOENT;
			}
			list = &node->attrs;
			kind = DBC_OBJ_NODE;
		} else if (kw_is(ps, kw, "BO_")) {
			struct dbc_message *m;
			if ((r = parse_msg_ref(ps, &m)) < 0)
				return r;
			list = &m->attrs;
			kind = DBC_OBJ_MESSAGE;
		} else if (kw_is(ps, kw, "SG_")) {
			struct dbc_message *m;
			struct dbc_signal *s;
			if ((r = parse_sig_ref(ps, &m, &s)) < 0)
				return r;
			struct dbc_signal_extra *x = dbc_signal_extra(ps, s);
			if (!x)
				return -ENOMEM;
			list = &x->attrs;
			kind = DBC_OBJ_SIGNAL;
		} else if (kw_is(ps, kw, "EV_")) {
			struct dbc_text n;
			if (!expect_ident(ps, &n, false))
				FAIL(ps, "expected an environment variable name");
			struct dbc_envvar *e = dbc_parse_find_envvar(ps, n);
			if (!e) {
				dbc_report(ps, DBC_WARNING, kat, "attribute for unknown environment variable");
				return -ENOENT;
			}
			list = &e->attrs;
			kind = DBC_OBJ_ENVVAR;
		} else {
			/* An unquoted enum text or similar: treat as the value. */
			ps->lx.p = kat;
			FAIL(ps, "unknown attribute object '%.*s'", (int)kw.len, kat);
		}
	}
	struct dbc_attr_value v;
	memset(&v, 0, sizeof v);
	if ((r = parse_attr_value(ps, &v)) < 0)
		return r;
	struct dbc_attr_def *d = find_attr_def(ps, name);
	if (!d) {
		dbc_report(ps, DBC_WARNING, at, "value for undefined attribute \"%.*s\"", (int)name.len,
			   at + 1);
		return -ENOENT;
	}
	if (d->obj_kind != kind)
		dbc_report(ps, DBC_WARNING, at, "attribute \"%.*s\" is not defined for this object type",
			   (int)name.len, at + 1);
	if ((r = attach_attr(ps, list, d, &v, NULL)) < 0)
		return r;
	return expect_semicolon(ps);
}

/* BA_REL_ "name" BU_SG_REL_ node SG_ id sig value;
 *        "name" BU_BO_REL_ node id value;   "name" BU_EV_REL_ node ev value; */
static int parse_ba_rel(struct dbc_parser *ps)
{
	struct dbc_text name, kw, node_name;
	const char *at = lex_here(ps);
	if (dbc_lex_string(&ps->lx, &name) != 0)
		FAIL(ps, "expected the quoted attribute name");
	if (!dbc_lex_ident(&ps->lx, &kw))
		FAIL(ps, "expected BU_SG_REL_, BU_BO_REL_ or BU_EV_REL_");
	const char *nat = lex_here(ps);
	if (!expect_ident(ps, &node_name, false))
		FAIL(ps, "expected a node name");
	struct dbc_node *node = dbc_parse_find_node(ps, node_name);
	if (!node) {
		dbc_report(ps, DBC_WARNING, nat, "relation attribute for unknown node '%.*s'",
			   (int)node_name.len, nat);
		return -ENOENT;
	}
	struct dbc_attr **list;
	int r;
	if (kw_is(ps, kw, "BU_SG_REL_")) {
		struct dbc_text sg;
		if (!dbc_lex_ident(&ps->lx, &sg) || !kw_is(ps, sg, "SG_"))
			FAIL(ps, "expected SG_");
		struct dbc_message *m;
		struct dbc_signal *s;
		if ((r = parse_sig_ref(ps, &m, &s)) < 0)
			return r;
		struct dbc_signal_extra *x = dbc_signal_extra(ps, s);
		if (!x)
			return -ENOMEM;
		list = &x->attrs;
	} else if (kw_is(ps, kw, "BU_BO_REL_")) {
		struct dbc_message *m;
		if ((r = parse_msg_ref(ps, &m)) < 0)
			return r;
		list = &m->attrs;
	} else if (kw_is(ps, kw, "BU_EV_REL_")) {
		struct dbc_text ev;
		if (!expect_ident(ps, &ev, false))
			FAIL(ps, "expected an environment variable name");
		struct dbc_envvar *e = dbc_parse_find_envvar(ps, ev);
		if (!e)
			return -ENOENT;
		list = &e->attrs;
	} else {
		FAIL(ps, "expected BU_SG_REL_, BU_BO_REL_ or BU_EV_REL_");
	}
	struct dbc_attr_value v;
	memset(&v, 0, sizeof v);
	if ((r = parse_attr_value(ps, &v)) < 0)
		return r;
	struct dbc_attr_def *d = find_attr_def(ps, name);
	if (!d) {
		dbc_report(ps, DBC_WARNING, at, "value for undefined attribute \"%.*s\"", (int)name.len,
			   at + 1);
		return -ENOENT;
	}
	if ((r = attach_attr(ps, list, d, &v, node)) < 0)
		return r;
	return expect_semicolon(ps);
}

/* ---- the statement loop --------------------------------------------------- */

typedef int (*stmt_fn)(struct dbc_parser *ps);

static int parse_attr_def_plain(struct dbc_parser *ps)
{
	return parse_attr_def(ps, false);
}

static int parse_attr_def_rel(struct dbc_parser *ps)
{
	return parse_attr_def(ps, true);
}

/* Statements we know and deliberately do not model: skipped to their ';'. */
static int skip_known(struct dbc_parser *ps)
{
	dbc_lex_skip_statement(&ps->lx);
	return 0;
}

#define KW(s) s, sizeof(s) - 1

static const struct {
	const char *kw;
	uint32_t len;
	stmt_fn fn;
} statements[] = {
	{KW("VERSION"), parse_version},
	{KW("NS_"), parse_ns},
	{KW("BS_"), parse_bs},
	{KW("BU_"), parse_bu},
	{KW("VAL_TABLE_"), parse_val_table},
	{KW("BO_"), parse_bo},
	{KW("SG_"), parse_sg},
	{KW("BO_TX_BU_"), parse_bo_tx_bu},
	{KW("CM_"), parse_cm},
	{KW("BA_DEF_"), parse_attr_def_plain},
	{KW("BA_DEF_REL_"), parse_attr_def_rel},
	{KW("BA_DEF_DEF_"), parse_attr_def_default},
	{KW("BA_DEF_DEF_REL_"), parse_attr_def_default},
	{KW("BA_"), parse_ba},
	{KW("BA_REL_"), parse_ba_rel},
	{KW("VAL_"), parse_val},
	{KW("SIG_VALTYPE_"), parse_sig_valtype},
	{KW("SG_MUL_VAL_"), parse_sg_mul_val},
	{KW("SIG_GROUP_"), parse_sig_group},
	{KW("EV_"), parse_ev},
	{KW("ENVVAR_DATA_"), parse_envvar_data},
	{KW("SGTYPE_"), skip_known},
	{KW("SGTYPE_VAL_"), skip_known},
	{KW("BA_DEF_SGTYPE_"), skip_known},
	{KW("BA_SGTYPE_"), skip_known},
	{KW("SIG_TYPE_REF_"), skip_known},
	{KW("SIGTYPE_VALTYPE_"), skip_known},
	{KW("CAT_DEF_"), skip_known},
	{KW("CAT_"), skip_known},
	{KW("FILTER"), skip_known},
	{KW("EV_DATA_"), skip_known},
	{KW("BU_SG_REL_"), skip_known},
	{KW("BU_EV_REL_"), skip_known},
	{KW("BU_BO_REL_"), skip_known},
};

static stmt_fn find_statement(struct evgw_str kw)
{
	for (size_t i = 0; i < sizeof statements / sizeof statements[0]; i++)
		if (kw.len == statements[i].len && kw.ptr[0] == statements[i].kw[0] &&
		    memcmp(kw.ptr, statements[i].kw, kw.len) == 0)
			return statements[i].fn;
	return NULL;
}

static bool is_statement_start(struct dbc_parser *ps)
{
	const char *p = ps->lx.p, *e = ps->lx.end;
	const char *s = p;
	while (p < e && ((*p >= 'A' && *p <= 'Z') || *p == '_'))
		p++;
	if (p == s || (p < e && ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))))
		return false;
	return find_statement(evgw_str_make(s, (uint32_t)(p - s))) != NULL;
}

/* After a failed statement: continue at the next line that begins with a
 * statement keyword, so one bad line costs one statement. */
/* An upper-case word alone at the start of a line: an unknown keyword's
 * statement ends where another keyword, known or not, begins. */
static bool looks_like_keyword(struct dbc_parser *ps)
{
	const char *p = ps->lx.p, *e = ps->lx.end;
	if (p >= e || *p < 'A' || *p > 'Z')
		return false;
	while (p < e && ((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
		p++;
	return p >= e || *p == ' ' || *p == '\t' || *p == ':' || *p == '\r' || *p == '\n';
}

static void recover_to(struct dbc_parser *ps, bool any_keyword)
{
	/* From the statement's own line: an error found on the next line (a
	 * statement cut short) must not cost that line too. */
	ps->lx.p = ps->stmt_start;
	ps->lx.line = ps->stmt_line;
	ps->lx.line_start = ps->stmt_line_start;
	for (;;) {
		dbc_lex_skip_line(&ps->lx);
		if (dbc_lex_eof(&ps->lx))
			return;
		const char *save = ps->lx.p;
		uint32_t line = ps->lx.line;
		const char *ls = ps->lx.line_start;
		while (ps->lx.p < ps->lx.end && (*ps->lx.p == ' ' || *ps->lx.p == '\t'))
			ps->lx.p++;
		if (is_statement_start(ps) || (any_keyword && looks_like_keyword(ps))) {
			ps->lx.p = save;
			ps->lx.line = line;
			ps->lx.line_start = ls;
			return;
		}
	}
}

static void recover(struct dbc_parser *ps)
{
	recover_to(ps, false);
}

/* Text without one DBC statement is not a DBC file (random bytes, a log,
 * nothing at all): an error in either mode, placed at its first character
 * when it has one, so that it cannot pass for an empty database. */
static int no_statement(struct dbc_parser *ps, uint32_t line, uint32_t col)
{
	if (line)
		dbc_report_line(ps, DBC_ERROR, line, col,
				"not a DBC file: no DBC statement (VERSION, BU_, BO_, ...)");
	else
		dbc_report_line(ps, DBC_ERROR, 0, 0, "not a DBC file: %s",
				ps->db->text_len ? "nothing but blanks and comments" : "the file is empty");
	ps->failed = true;
	return -EINVAL;
}

int dbc_parse_text(struct dbc_parser *ps)
{
	struct dbc_lex *lx = &ps->lx;
	uint32_t first_line = 0, first_col = 0; /* of the first thing that is not blank */
	for (;;) {
		dbc_lex_skip_ws(lx);
		if (dbc_lex_eof(lx))
			return ps->n_statements ? 0 : no_statement(ps, first_line, first_col);
		if (!first_line) {
			first_line = lx->line;
			first_col = dbc_lex_col(lx, lx->p);
		}
		ps->stmt_start = lx->p;
		ps->stmt_line = lx->line;
		ps->stmt_line_start = lx->line_start;
		struct dbc_text kw;
		int r;
		if (!dbc_lex_ident(lx, &kw)) {
			dbc_report(ps, DBC_ERROR, lx->p, "expected a keyword, found '%c'",
				   (unsigned char)*lx->p >= 0x20 && (unsigned char)*lx->p < 0x7F ? *lx->p : '?');
			r = -EINVAL;
		} else {
			stmt_fn fn = find_statement(dbc_str(ps->db, kw));
			if (fn != parse_sg)
				ps->cur_msg = NULL;
			if (!fn) {
				dbc_report(ps, DBC_WARNING, ps->stmt_start, "unknown keyword '%.*s' skipped",
					   (int)kw.len, ps->stmt_start);
				recover_to(ps, true);
				continue;
			}
			ps->n_statements++;
			r = fn(ps);
		}
		if (r == -ENOMEM)
			return r;
		if (ps->failed)
			return -EINVAL;
		if (r == -ENOENT) {
			/* A reference to something unknown: warned; drop the statement. */
			if (ps->lx.p > ps->stmt_start && !dbc_lex_eof(lx))
				dbc_lex_skip_statement(lx);
			continue;
		}
		if (r < 0)
			recover(ps);
	}
}
