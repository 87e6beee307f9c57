// SPDX-License-Identifier: MIT
#include "dbc/dbc_lint.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbc/dbc_index.h"

struct linter {
	const struct dbc_db *db;
	struct dbc_lines lines;
	dbc_diag_fn fn;
	void *ud;
	struct dbc_lint_counts counts;
};

static void finding(struct linter *l, enum dbc_severity sev, uint32_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A finding placed at a text offset (an object's name). */
static void finding(struct linter *l, enum dbc_severity sev, uint32_t off, const char *fmt, ...)
{
	uint32_t line, col;
	dbc_lines_locate(&l->lines, off, &line, &col);
	char msg[320];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (sev == DBC_ERROR)
		l->counts.errors++;
	else
		l->counts.warnings++;
	if (l->fn) {
		struct dbc_diag d = {l->db->path, line, col, sev, msg};
		l->fn(l->ud, &d);
	}
}

#define NAME(l, t) (int)(t).len, (l)->db->text + (t).off

/* Bits of a signal as a 512-bit set over the 64-byte frame. */
struct bitset {
	uint64_t w[8];
};

static void signal_bits(const struct dbc_signal *s, struct bitset *b)
{
	memset(b, 0, sizeof *b);
	for (unsigned i = 0; i < s->length; i++) {
		unsigned bit; /* byte*8 + bit-in-byte (LSB = 0) */
		if (s->flags & DBC_SIG_LITTLE_ENDIAN) {
			bit = s->start_bit + i;
		} else {
			unsigned lin = 8u * (s->start_bit / 8u) + 7u - s->start_bit % 8u + i;
			bit = 8u * (lin / 8u) + 7u - lin % 8u;
		}
		if (bit < 512u)
			b->w[bit / 64u] |= 1ull << (bit % 64u);
	}
}

static bool bits_overlap(const struct bitset *a, const struct bitset *b)
{
	for (int i = 0; i < 8; i++)
		if (a->w[i] & b->w[i])
			return true;
	return false;
}

static bool selections_intersect(const struct dbc_signal *a, const struct dbc_signal *b)
{
	bool ra = a->flags & DBC_SIG_MUX_RANGES, rb = b->flags & DBC_SIG_MUX_RANGES;
	if (!ra && !rb)
		return a->mux_value == b->mux_value;
	struct dbc_mux_range one_a = {a->mux_value, a->mux_value}, one_b = {b->mux_value, b->mux_value};
	const struct dbc_mux_range *xa = ra ? a->extra->mux_ranges : &one_a;
	const struct dbc_mux_range *xb = rb ? b->extra->mux_ranges : &one_b;
	uint32_t na = ra ? a->extra->n_mux_ranges : 1, nb = rb ? b->extra->n_mux_ranges : 1;
	for (uint32_t i = 0; i < na; i++)
		for (uint32_t j = 0; j < nb; j++)
			if (xa[i].lo <= xb[j].hi && xb[j].lo <= xa[i].hi)
				return true;
	return false;
}

/* The switch that selects s, or NULL. */
static const struct dbc_signal *mux_parent(const struct dbc_message *m, const struct dbc_signal *s)
{
	if (!(s->flags & DBC_SIG_MUXED) || s->sw_of == DBC_NO_SLOT)
		return NULL;
	for (uint32_t i = 0; i < m->n_signals; i++)
		if (m->signals[i].sw_slot == s->sw_of)
			return &m->signals[i];
	return NULL;
}

/* Can both signals be present in one frame? Not when, somewhere up their
 * chains of switches, the same switch must take disjoint values. */
static bool coexist(const struct dbc_message *m, const struct dbc_signal *a,
		    const struct dbc_signal *b)
{
	unsigned guard_a = 0;
	for (const struct dbc_signal *x = a; x && guard_a++ < m->n_signals; x = mux_parent(m, x)) {
		unsigned guard_b = 0;
		for (const struct dbc_signal *y = b; y && guard_b++ < m->n_signals; y = mux_parent(m, y))
			if ((x->flags & DBC_SIG_MUXED) && (y->flags & DBC_SIG_MUXED) &&
			    x->sw_of == y->sw_of && x->sw_of != DBC_NO_SLOT && !selections_intersect(x, y))
				return false;
	}
	return true;
}

static void lint_signals(struct linter *l, const struct dbc_message *m)
{
	uint32_t n = m->n_signals;
	struct bitset *bits = n ? malloc((size_t)n * sizeof *bits) : NULL;
	if (n && !bits) {
		finding(l, DBC_WARNING, m->name.off, "out of memory while checking overlaps");
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		const struct dbc_signal *s = &m->signals[i];
		signal_bits(s, &bits[i]);
		if (s->need_len > m->length)
			finding(l, DBC_ERROR, s->name.off,
				"signal '%.*s' (start bit %u, %u bits) runs past the %u-byte message '%.*s'",
				NAME(l, s->name), s->start_bit, s->length, m->length, NAME(l, m->name));
		if ((s->flags & DBC_SIG_MUXED) && s->sw_of == DBC_NO_SLOT)
			finding(l, DBC_ERROR, s->name.off,
				"multiplexed signal '%.*s' has no multiplexor in message '%.*s'",
				NAME(l, s->name), NAME(l, m->name));
		if (s->factor == 0)
			finding(l, DBC_WARNING, s->name.off, "signal '%.*s' has scale 0",
				NAME(l, s->name));
		if (s->min > s->max)
			finding(l, DBC_WARNING, s->name.off,
				"signal '%.*s' has minimum %g greater than maximum %g", NAME(l, s->name),
				s->min, s->max);
	}
	for (uint32_t i = 0; i < n; i++) {
		const struct dbc_signal *a = &m->signals[i];
		for (uint32_t j = i + 1; j < n; j++) {
			const struct dbc_signal *b = &m->signals[j];
			if (evgw_str_eq(dbc_str(l->db, a->name), dbc_str(l->db, b->name))) {
				const struct dbc_signal *later = a->name.off > b->name.off ? a : b;
				finding(l, DBC_ERROR, later->name.off,
					"duplicate signal name '%.*s' in message '%.*s'",
					NAME(l, a->name), NAME(l, m->name));
			}
			if (coexist(m, a, b) && bits_overlap(&bits[i], &bits[j])) {
				const struct dbc_signal *later = a->name.off > b->name.off ? a : b;
				const struct dbc_signal *other = later == a ? b : a;
				uint32_t oline, ocol;
				dbc_lines_locate(&l->lines, other->name.off, &oline, &ocol);
				finding(l, DBC_ERROR, later->name.off,
					"signal '%.*s' overlaps signal '%.*s' (line %u) in message '%.*s'",
					NAME(l, later->name), NAME(l, other->name), oline, NAME(l, m->name));
			}
		}
	}
	free(bits);
}

struct named {
	struct evgw_str name;
	uint32_t off;
};

static int cmp_named(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	uint32_t n = x->name.len < y->name.len ? x->name.len : y->name.len;
	int c = n ? memcmp(x->name.ptr, y->name.ptr, n) : 0;
	if (!c)
		c = (x->name.len > y->name.len) - (x->name.len < y->name.len);
	return c ? c : (x->off > y->off) - (x->off < y->off);
}

static void lint_message_names(struct linter *l)
{
	uint32_t n = l->db->n_messages;
	if (n < 2)
		return;
	struct named *v = malloc((size_t)n * sizeof *v);
	if (!v)
		return;
	for (uint32_t i = 0; i < n; i++) {
		v[i].name = dbc_str(l->db, l->db->messages[i]->name);
		v[i].off = l->db->messages[i]->name.off;
	}
	qsort(v, n, sizeof *v, cmp_named);
	for (uint32_t i = 1; i < n; i++) {
		if (!evgw_str_eq(v[i - 1].name, v[i].name))
			continue;
		uint32_t fline, fcol;
		dbc_lines_locate(&l->lines, v[i - 1].off, &fline, &fcol);
		finding(l, DBC_ERROR, v[i].off, "duplicate message name '%.*s' (first on line %u)",
			(int)v[i].name.len, v[i].name.ptr, fline);
	}
	free(v);
}

struct dbc_lint_counts dbc_lint(const struct dbc_db *db, dbc_diag_fn fn, void *ud)
{
	struct linter l = {db, {NULL, 0}, fn, ud, {0, 0}};
	dbc_lines_build(db, &l.lines); /* without it, findings carry no place */
	for (uint32_t i = 0; i < db->n_messages; i++) {
		const struct dbc_message *m = db->messages[i];
		if (m->flags & DBC_MSG_PSEUDO)
			continue;
		const struct dbc_message *first = dbc_index_find(db, dbc_msg_key(m));
		if (first != m) {
			uint32_t fline, fcol;
			dbc_lines_locate(&l.lines, first->name.off, &fline, &fcol);
			finding(&l, DBC_ERROR, m->name.off,
				"duplicate message id 0x%X%s: '%.*s' and '%.*s' (line %u)", m->id,
				(m->flags & DBC_MSG_EXTENDED) ? " (extended)" : "", NAME(&l, m->name),
				NAME(&l, first->name), fline);
		}
		lint_signals(&l, m);
	}
	lint_message_names(&l);
	dbc_lines_free(&l.lines);
	return l.counts;
}
