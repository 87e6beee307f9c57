// SPDX-License-Identifier: MIT
#include "dbc/dbc_json.h"

#include <math.h>

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util/numfmt.h"

void dbc_json_text(struct evgw_textbuf *tb, const struct dbc_db *db, struct dbc_text t)
{
	struct evgw_str s = dbc_str(db, t);
	evgw_textbuf_json_string(tb, s.ptr, s.len, true);
}

void dbc_json_value(struct evgw_textbuf *tb, const struct dbc_value *v)
{
	char *p = evgw_textbuf_reserve(tb, EVGW_NUMFMT_MAX);
	if (!p)
		return;
	char *end = dbc_fmt_value(p, v);
	if (end)
		evgw_textbuf_commit(tb, end);
	else
		evgw_textbuf_json_double(tb, v->phys); /* "nan", "inf", "-inf" */
}

void dbc_json_signals(struct evgw_textbuf *tb, const struct dbc_db *db, const struct dbc_value *v,
		      uint32_t n)
{
	evgw_textbuf_putc(tb, '{');
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			evgw_textbuf_putc(tb, ',');
		dbc_json_text(tb, db, v[i].sig->name);
		evgw_textbuf_putc(tb, ':');
		dbc_json_value(tb, &v[i]);
	}
	evgw_textbuf_putc(tb, '}');
}

void dbc_json_labels(struct evgw_textbuf *tb, const struct dbc_db *db, const struct dbc_value *v,
		     uint32_t n)
{
	bool first = true;
	evgw_textbuf_putc(tb, '{');
	for (uint32_t i = 0; i < n; i++) {
		const struct dbc_text *label = dbc_signal_label(v[i].sig, v[i].raw);
		if (!label)
			continue;
		if (!first)
			evgw_textbuf_putc(tb, ',');
		first = false;
		dbc_json_text(tb, db, v[i].sig->name);
		evgw_textbuf_putc(tb, ':');
		dbc_json_text(tb, db, *label);
	}
	evgw_textbuf_putc(tb, '}');
}

char *dbc_json_put_value(char *p, const struct dbc_scale_plan *pl, const struct dbc_value *v)
{
	char *end = dbc_scale_put(p, pl, v);
	if (end)
		return end;
	/* Not finite: the strings the JSON encoder uses. */
	const char *t = isnan(v->phys) ? "\"nan\"" : v->phys > 0 ? "\"inf\"" : "\"-inf\"";
	size_t n = strlen(t);
	memcpy(p, t, n);
	return p + n;
}

/* ---- Pre-rendered texts ---- */

static struct dbc_json_slice render(struct evgw_textbuf *tb, const struct dbc_db *db, struct dbc_text t)
{
	size_t off = tb->len;
	dbc_json_text(tb, db, t);
	struct dbc_json_slice sl = {(uint32_t)off, (uint32_t)(tb->len - off)};
	return sl;
}

static void widen(uint32_t *w, struct dbc_json_slice sl)
{
	if (sl.len - 2 > *w)
		*w = sl.len - 2;
}

/* The direct table's length for s's value table, or 0 for none. */
static uint32_t lut_len(const struct dbc_signal *s)
{
	uint32_t n = s->extra ? s->extra->n_values : 0;
	if (!n || (s->flags & (DBC_SIG_FLOAT32 | DBC_SIG_FLOAT64)))
		return 0;
	const struct dbc_val_entry *e = s->extra->values; /* sorted */
	uint64_t span = (uint64_t)e[n - 1].value - (uint64_t)e[0].value;
	return span < DBC_JSON_LUT_MAX ? (uint32_t)span + 1 : 0;
}

static void render_signal(struct dbc_json_names *nm, struct evgw_textbuf *tb, const struct dbc_signal *s,
			  struct dbc_json_sig *js, uint32_t *label_i, uint32_t *lut_i)
{
	const struct dbc_db *db = nm->db;
	js->name = render(tb, db, s->name);
	js->unit = render(tb, db, s->unit);
	widen(&nm->max_sig_name, js->name);
	widen(&nm->max_unit, js->unit);
	dbc_scale_plan(s, &js->plan);
	js->labels = *label_i;
	js->max_label = 0;
	uint32_t n = s->extra ? s->extra->n_values : 0;
	for (uint32_t i = 0; i < n; i++) {
		struct dbc_json_slice sl = render(tb, db, s->extra->values[i].text);
		nm->labels[*label_i + i] = sl;
		if (sl.len > js->max_label)
			js->max_label = sl.len;
	}
	js->lut_len = lut_len(s);
	if (js->lut_len) {
		const struct dbc_val_entry *e = s->extra->values; /* sorted */
		js->lut_min = e[0].value;
		js->lut_off = *lut_i;
		/* The first of equal values wins, as in dbc_signal_label. */
		for (uint32_t i = n; i-- > 0;)
			nm->lut[*lut_i + ((uint64_t)e[i].value - (uint64_t)e[0].value)] = *label_i + i + 1;
		*lut_i += js->lut_len;
	}
	*label_i += n;
}

int dbc_json_names_build(struct dbc_json_names *nm, const struct dbc_db *db)
{
	memset(nm, 0, sizeof *nm);
	nm->db = db;
	size_t n_sigs = 0, n_labels = 0, n_lut = 0;
	for (uint32_t i = 0; i < db->n_messages; i++) {
		const struct dbc_message *m = db->messages[i];
		n_sigs += m->n_signals;
		for (uint32_t k = 0; k < m->n_signals; k++)
			if (m->signals[k].extra) {
				n_labels += m->signals[k].extra->n_values;
				n_lut += lut_len(&m->signals[k]);
			}
	}
	nm->msg_name = calloc(db->n_messages + 1u, sizeof *nm->msg_name);
	nm->msg_sigs = calloc(db->n_messages + 1u, sizeof *nm->msg_sigs);
	nm->msg_text = calloc(db->n_messages + 1u, sizeof *nm->msg_text);
	nm->sigs = calloc(n_sigs + 1, sizeof *nm->sigs);
	nm->labels = calloc(n_labels + 1, sizeof *nm->labels);
	nm->lut = calloc(n_lut + 1, sizeof *nm->lut);
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	int rc = -ENOMEM;
	if (!nm->msg_name || !nm->msg_sigs || !nm->msg_text || !nm->sigs || !nm->labels || !nm->lut)
		goto fail;
	uint32_t sig_i = 0, label_i = 0, lut_i = 0;
	for (uint32_t i = 0; i < db->n_messages; i++) {
		const struct dbc_message *m = db->messages[i];
		nm->msg_name[i] = render(&tb, db, m->name);
		widen(&nm->max_msg_name, nm->msg_name[i]);
		nm->msg_sigs[i] = sig_i;
		uint64_t text = nm->msg_name[i].len;
		for (uint32_t k = 0; k < m->n_signals; k++) {
			struct dbc_json_sig *js = &nm->sigs[sig_i++];
			render_signal(nm, &tb, &m->signals[k], js, &label_i, &lut_i);
			text += 2u * js->name.len + js->unit.len + js->max_label;
		}
		if (text > UINT32_MAX / 2 || tb.len > UINT32_MAX / 2) {
			rc = -EFBIG;
			goto fail;
		}
		nm->msg_text[i] = (uint32_t)text;
	}
	/* Room for the fixed-size copies of the last slices. */
	static const char zeros[DBC_JSON_SLACK];
	evgw_textbuf_append(&tb, zeros, sizeof zeros);
	if (tb.failed)
		goto fail;
	nm->text = tb.buf;
	nm->text_len = tb.len;
	return 0;
fail:
	evgw_textbuf_free(&tb);
	dbc_json_names_free(nm);
	return rc;
}

void dbc_json_names_free(struct dbc_json_names *nm)
{
	free(nm->text);
	free(nm->msg_name);
	free(nm->msg_sigs);
	free(nm->msg_text);
	free(nm->sigs);
	free(nm->labels);
	free(nm->lut);
	memset(nm, 0, sizeof *nm);
}

const struct dbc_json_slice *dbc_json_names_label_search(const struct dbc_json_names *nm,
							 const struct dbc_json_sig *js,
							 const struct dbc_value *v)
{
	const struct dbc_text *t = dbc_signal_label(v->sig, v->raw);
	if (!t)
		return NULL;
	/* t is the text member of one of the signal's value entries. */
	const struct dbc_val_entry *e =
		(const struct dbc_val_entry *)(const void *)((const char *)t - offsetof(struct dbc_val_entry, text));
	return &nm->labels[js->labels + (uint32_t)(e - v->sig->extra->values)];
}

size_t dbc_json_names_bound(const struct dbc_json_names *nm, const struct dbc_message *m)
{
	return nm->msg_text[m->index] + (size_t)m->n_signals * (EVGW_NUMFMT_MAX + 8) + 8 + DBC_JSON_SLACK;
}

char *dbc_json_put_signals(char *p, const struct dbc_json_names *nm, const struct dbc_message *m,
			   const struct dbc_value *v, uint32_t n)
{
	*p++ = '{';
	for (uint32_t i = 0; i < n; i++) {
		const struct dbc_json_sig *js = dbc_json_names_sig(nm, m, v[i].sig);
		if (i)
			*p++ = ',';
		p = dbc_json_put_slice(p, nm, js->name);
		*p++ = ':';
		p = dbc_json_put_value(p, &js->plan, &v[i]);
	}
	*p++ = '}';
	return p;
}

char *dbc_json_put_labels(char *p, const struct dbc_json_names *nm, const struct dbc_message *m,
			  const struct dbc_value *v, uint32_t n)
{
	char sep = '{';
	for (uint32_t i = 0; i < n; i++) {
		const struct dbc_json_sig *js = dbc_json_names_sig(nm, m, v[i].sig);
		const struct dbc_json_slice *label = dbc_json_names_label(nm, js, &v[i]);
		if (!label)
			continue;
		*p++ = sep;
		sep = ',';
		p = dbc_json_put_slice(p, nm, js->name);
		*p++ = ':';
		p = dbc_json_put_slice(p, nm, *label);
	}
	if (sep == '{')
		*p++ = '{';
	*p++ = '}';
	return p;
}

/* Signals first, remembering which have a label, so the labels object
 * visits only those (most signals of a frame have no value table). */
#define LABELLED_MAX 256

char *dbc_json_put_signals_labels(char *p, const struct dbc_json_names *nm, const struct dbc_message *m,
				  const struct dbc_value *v, uint32_t n)
{
	if (n > LABELLED_MAX) {
		p = dbc_json_put_signals(p, nm, m, v, n);
		memcpy(p, ",\"labels\":", 10);
		return dbc_json_put_labels(p + 10, nm, m, v, n);
	}
	const struct dbc_json_slice *labels[LABELLED_MAX];
	const struct dbc_json_sig *names[LABELLED_MAX];
	uint32_t n_labels = 0;
	const struct dbc_json_sig *js = &nm->sigs[nm->msg_sigs[m->index]];
	*p++ = '{';
	for (uint32_t i = 0; i < n; i++) {
		const struct dbc_json_sig *s = js + v[i].sig->index;
		if (i)
			*p++ = ',';
		p = dbc_json_put_slice(p, nm, s->name);
		*p++ = ':';
		p = dbc_json_put_value(p, &s->plan, &v[i]);
		const struct dbc_json_slice *label = dbc_json_names_label(nm, s, &v[i]);
		if (label) {
			labels[n_labels] = label;
			names[n_labels++] = s;
		}
	}
	memcpy(p, "},\"labels\":{", 12);
	p += 12;
	for (uint32_t i = 0; i < n_labels; i++) {
		if (i)
			*p++ = ',';
		p = dbc_json_put_slice(p, nm, names[i]->name);
		*p++ = ':';
		p = dbc_json_put_slice(p, nm, *labels[i]);
	}
	*p++ = '}';
	return p;
}
