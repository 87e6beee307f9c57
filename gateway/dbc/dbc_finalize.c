// SPDX-License-Identifier: MIT
/* After parsing: message kinds from attributes, multiplexing resolved, and
 * each signal's decode plan compiled (load window, shift, needed length). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dbc/dbc_index.h"
#include "dbc/dbc_parse_internal.h"
#include "dbc/dbc_scale.h"

static bool text_has(struct evgw_str s, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= s.len; i++)
		if (memcmp(s.ptr + i, needle, n) == 0)
			return true;
	return false;
}

/* The attributes finalize reads, found once per file. */
struct known_attrs {
	const struct dbc_attr_def *frame_format, *brs, *cycle_time;
	const struct dbc_attr_def *msg_long_name, *sig_long_name;
};

/* Names longer than 32 characters live in attributes (Vector's convention
 * for its 32-character name limit); the model uses the long form. */
static void apply_long_name(struct dbc_db *db, const struct dbc_attr_def *d, enum dbc_obj_kind kind,
			    const void *obj, struct dbc_text *name)
{
	const struct dbc_attr_value *v = dbc_attr_value_of(db, d, kind, obj);
	if (v && v->is_string && v->str.len > 0)
		*name = v->str;
}

static void classify_message(struct dbc_db *db, const struct known_attrs *ka, struct dbc_message *m,
			     bool j1939_network)
{
	apply_long_name(db, ka->msg_long_name, DBC_OBJ_MESSAGE, m, &m->name);
	if (ka->sig_long_name)
		for (uint32_t i = 0; i < m->n_signals; i++)
			if (m->signals[i].extra)
				apply_long_name(db, ka->sig_long_name, DBC_OBJ_SIGNAL, &m->signals[i],
						&m->signals[i].name);
	struct evgw_str ff = {"", 0};
	if (ka->frame_format)
		ff = dbc_attr_text_of(db, ka->frame_format, DBC_OBJ_MESSAGE, m);
	bool ext = m->flags & DBC_MSG_EXTENDED;
	if (ext && !(m->flags & DBC_MSG_PSEUDO) && (evgw_str_eq_cstr(ff, "J1939PG") || (j1939_network && ff.len == 0)))
		m->flags |= DBC_MSG_J1939;
	if (text_has(ff, "FD"))
		m->flags |= DBC_MSG_FD;
	if (ka->brs && dbc_attr_num_of(db, ka->brs, DBC_OBJ_MESSAGE, m, 0) == 1)
		m->flags |= DBC_MSG_BRS;
	if (m->flags & DBC_MSG_J1939)
		m->pgn = dbc_j1939_pgn(m->id);
	double ct = ka->cycle_time ? dbc_attr_num_of(db, ka->cycle_time, DBC_OBJ_MESSAGE, m, 0) : 0;
	if (ct > 0 && ct < 86400000.0)
		m->cycle_time_ms = (uint32_t)ct;
}

/* Bit layout to load window. Motorola start bits count the MSB in DBC's
 * sawtooth order; "lin" numbers bits from the MSB of byte 0 onwards. */
static void compile_plan(struct dbc_signal *s)
{
	unsigned lo, hi;
	if (s->flags & DBC_SIG_LITTLE_ENDIAN) {
		lo = s->start_bit / 8u;
		hi = (s->start_bit + s->length - 1u) / 8u;
	} else {
		unsigned lin_msb = 8u * (s->start_bit / 8u) + 7u - s->start_bit % 8u;
		unsigned lin_lsb = lin_msb + s->length - 1u;
		lo = lin_msb / 8u;
		hi = lin_lsb / 8u;
	}
	if (hi >= 64u) {
		s->need_len = 0xFF; /* never present: runs past 64 bytes */
		s->flags |= DBC_SIG_SLOW;
		return;
	}
	s->need_len = (uint8_t)(hi + 1u);
	if (hi - lo > 7u) {
		s->flags |= DBC_SIG_SLOW;
		s->win = (uint8_t)lo;
		return;
	}
	unsigned win = lo <= 56u ? lo : 56u;
	s->win = (uint8_t)win;
	if (s->flags & DBC_SIG_LITTLE_ENDIAN) {
		s->shift = (uint8_t)(s->start_bit - 8u * win);
	} else {
		unsigned lin_msb = 8u * (s->start_bit / 8u) + 7u - s->start_bit % 8u;
		unsigned lin_lsb = lin_msb + s->length - 1u;
		s->shift = (uint8_t)(63u - (lin_lsb - 8u * win));
	}
}

static struct dbc_signal *find_switch_by_name(struct dbc_db *db, struct dbc_message *m,
					      struct dbc_text name)
{
	struct evgw_str want = dbc_str(db, name);
	for (uint32_t i = 0; i < m->n_signals; i++)
		if ((m->signals[i].flags & DBC_SIG_MUX_SWITCH) &&
		    evgw_str_eq(dbc_str(db, m->signals[i].name), want))
			return &m->signals[i];
	return NULL;
}

struct mux_order {
	uint32_t depth;
	uint32_t idx;
};

static int cmp_order(const void *a, const void *b)
{
	const struct mux_order *x = a, *y = b;
	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx); /* keep file order */
}

/* The switch each signal depends on, as an index (n = none). */
static void find_parents(struct dbc_parser *ps, struct dbc_message *m, uint32_t *parent)
{
	uint32_t n = m->n_signals;
	struct dbc_signal *top = NULL;
	for (uint32_t i = 0; i < n && !top; i++)
		if ((m->signals[i].flags & DBC_SIG_MUX_SWITCH) && !(m->signals[i].flags & DBC_SIG_MUXED))
			top = &m->signals[i];
	for (uint32_t i = 0; i < n; i++) {
		struct dbc_signal *s = &m->signals[i];
		parent[i] = n;
		if (s->flags & DBC_SIG_MUX_RANGES) {
			struct dbc_signal *sw = find_switch_by_name(ps->db, m, s->extra->mux_switch_name);
			if (sw && sw != s) {
				parent[i] = (uint32_t)(sw - m->signals);
				s->flags |= DBC_SIG_MUXED;
				continue;
			}
			struct evgw_str sn = dbc_str(ps->db, s->extra->mux_switch_name);
			dbc_report_off(ps, DBC_WARNING, s->name.off,
					"SG_MUL_VAL_ names '%.*s', which is not a multiplexer switch of this message",
					(int)sn.len, sn.ptr);
			s->flags &= (uint8_t)~DBC_SIG_MUX_RANGES;
		}
		if ((s->flags & DBC_SIG_MUXED) && top && top != s)
			parent[i] = (uint32_t)(top - m->signals);
	}
}

/* Resolve each multiplexed signal's switch, order switches before the
 * signals they select, and number the switches for the decoder. */
static int resolve_mux(struct dbc_parser *ps, struct dbc_message *m)
{
	uint32_t n = m->n_signals;
	for (uint32_t i = 0; i < n; i++)
		if (m->signals[i].flags & (DBC_SIG_MUX_SWITCH | DBC_SIG_MUXED | DBC_SIG_MUX_RANGES))
			m->has_mux = 1;
	for (uint32_t i = 0; i < n; i++) {
		m->signals[i].sw_of = DBC_NO_SLOT;
		m->signals[i].sw_slot = DBC_NO_SLOT;
	}
	if (!m->has_mux)
		return 0;
	uint32_t *parent = malloc((size_t)n * 2 * sizeof *parent);
	struct mux_order *order = malloc((size_t)n * sizeof *order);
	struct dbc_signal *copy = malloc((size_t)n * sizeof *copy);
	int rc = 0;
	if (!parent || !order || !copy) {
		rc = -ENOMEM;
		goto out;
	}
	uint32_t *newpos = parent + n;
	find_parents(ps, m, parent);
	/* Depth by walking parents; a cycle (bad SG_MUL_VAL_ chain) is cut. */
	for (uint32_t i = 0; i < n; i++) {
		uint32_t d = 0, j = i;
		while (parent[j] != n && d <= n) {
			j = parent[j];
			d++;
		}
		if (d > n) {
			dbc_report_off(ps, DBC_ERROR, m->signals[i].name.off,
					"multiplexer switches form a cycle");
			parent[i] = n;
			d = 0;
		}
		order[i].depth = d;
		order[i].idx = i;
	}
	qsort(order, n, sizeof *order, cmp_order);
	memcpy(copy, m->signals, (size_t)n * sizeof *copy);
	for (uint32_t i = 0; i < n; i++) {
		m->signals[i] = copy[order[i].idx];
		newpos[order[i].idx] = i;
	}
	uint8_t next_slot = 0;
	for (uint32_t i = 0; i < n && rc == 0; i++) {
		uint32_t orig_parent = parent[order[i].idx];
		if (orig_parent == n)
			continue;
		struct dbc_signal *p = &m->signals[newpos[orig_parent]];
		if (p->sw_slot == DBC_NO_SLOT) {
			if (next_slot >= DBC_MAX_MUX_SWITCHES) {
				dbc_report_off(ps, DBC_ERROR, p->name.off,
						"more than %d multiplexer switches in one message",
						DBC_MAX_MUX_SWITCHES);
				rc = -EINVAL;
				break;
			}
			p->sw_slot = next_slot++;
		}
		m->signals[i].sw_of = p->sw_slot;
	}
	m->n_switches = next_slot;
out:
	free(parent);
	free(order);
	free(copy);
	return rc;
}

int dbc_finalize(struct dbc_parser *ps)
{
	struct dbc_db *db = ps->db;
	struct evgw_str proto = dbc_attr_text(db, DBC_OBJ_NETWORK, NULL, "ProtocolType");
	bool j1939_network = evgw_str_eq_cstr(proto, "J1939");
	const struct dbc_attr_def *node_long = dbc_attr_def_find(db, "SystemNodeLongSymbol");
	for (struct dbc_node *n = db->nodes; n && node_long; n = n->next)
		apply_long_name(db, node_long, DBC_OBJ_NODE, n, &n->name);
	struct known_attrs ka = {
		dbc_attr_def_find(db, "VFrameFormat"),
		dbc_attr_def_find(db, "CANFD_BRS"),
		dbc_attr_def_find(db, "GenMsgCycleTime"),
		dbc_attr_def_find(db, "SystemMessageLongSymbol"),
		dbc_attr_def_find(db, "SystemSignalLongSymbol"),
	};
	for (uint32_t i = 0; i < db->n_messages; i++) {
		struct dbc_message *m = db->messages[i];
		classify_message(db, &ka, m, j1939_network);
		for (uint32_t k = 0; k < m->n_signals; k++) {
			compile_plan(&m->signals[k]);
			dbc_scale_compile(&m->signals[k]);
		}
		int r = resolve_mux(ps, m);
		if (r == -ENOMEM)
			return r;
		if (ps->failed)
			return -EINVAL;
		for (uint32_t k = 0; k < m->n_signals; k++)
			m->signals[k].index = k;
	}
	return dbc_index_build_pgn(db);
}
