// SPDX-License-Identifier: MIT
#include "dbc/dbc_json.h"

#include "dbc/dbc_scale.h"
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
