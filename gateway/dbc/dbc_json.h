// SPDX-License-Identifier: MIT
/* Decoded values as JSON: shared by `evgw decode` and the daemon's API so
 * that both print the same shapes. */
#ifndef EVGW_DBC_DBC_JSON_H
#define EVGW_DBC_DBC_JSON_H

#include "dbc/dbc.h"
#include "dbc/dbc_decode.h"
#include "dbc/dbc_scale.h"
#include "util/textbuf.h"

/* A DBC text (name, unit, label) as a JSON string: escapes undone, the
 * bytes taken as UTF-8 or else Windows-1252, always valid UTF-8 out. */
void dbc_json_text(struct evgw_textbuf *tb, const struct dbc_db *db, struct dbc_text t);

/* One physical value, at the precision its scale implies (dbc_scale.h):
 * factor 0.1 raw 848 prints 84.8, factor 0.05 raw 2 prints 0.10, factor
 * 1/256 raw 7680 prints 30.000; integer signals with factor 1 and offset 0
 * print their raw value exactly (64-bit values do not fit a double); IEEE
 * float signals and scales without a decimal grid print the shortest
 * round-trip form; non-finite values print as the strings "nan", "inf",
 * "-inf". For a value without its raw bits, evgw_textbuf_value(tb, phys,
 * dbc_signal_decimals(sig), dbc_signal_min_decimals(sig)) prints the same
 * digits (for values below 2^50 / 10^decimals). */
void dbc_json_value(struct evgw_textbuf *tb, const struct dbc_value *v);

/* {"name": value, ...} and {"name": "label", ...} for decoded values. */
void dbc_json_signals(struct evgw_textbuf *tb, const struct dbc_db *db, const struct dbc_value *v,
		      uint32_t n);
void dbc_json_labels(struct evgw_textbuf *tb, const struct dbc_db *db, const struct dbc_value *v,
		     uint32_t n);

/* dbc_json_value into raw memory with EVGW_NUMFMT_MAX bytes of room. */
char *dbc_json_put_value(char *p, const struct dbc_scale_plan *pl, const struct dbc_value *v);

/* ---- Pre-rendered texts, for printing many frames ----
 *
 * Every DBC text a decoded frame prints (message and signal names, units,
 * value-table texts), rendered once as JSON strings (quotes included,
 * escapes undone, UTF-8) with each signal's value plan beside it, so that a
 * frame prints with copies instead of re-validating and re-escaping the
 * same names millions of times. The bare text for tables is the JSON
 * string without its quotes (JSON escapes kept, so a label cannot break a
 * line). */
struct dbc_json_slice {
	uint32_t off, len; /* in names->text */
};

struct dbc_json_sig {
	struct dbc_json_slice name, unit;
	struct dbc_scale_plan plan;
	uint32_t labels;    /* its first value-table text in names->labels */
	uint32_t max_label; /* the longest of them (0: none) */
	/* Value tables over a small range of integers (most are 0..N enums)
	 * are also a direct table: lut[lut_off + raw - lut_min] is the label's
	 * index in names->labels + 1, or 0. lut_len 0: binary search. */
	int64_t lut_min;
	uint32_t lut_off, lut_len;
};

/* Value-table ranges up to this many values get a direct table. */
#define DBC_JSON_LUT_MAX 256

/* Slices are copied in fixed 32-byte blocks when they fit one (a call to
 * memcpy per name costs more than the name): whoever writes them needs
 * DBC_JSON_SLACK bytes of room past what it prints. */
#define DBC_JSON_SLACK 32

struct dbc_json_names {
	const struct dbc_db *db;
	char *text;
	size_t text_len;
	struct dbc_json_slice *msg_name; /* by message index */
	uint32_t *msg_sigs;              /* by message index: its first signal in sigs */
	uint32_t *msg_text;              /* by message index: its name + all its signals' texts */
	struct dbc_json_sig *sigs;
	struct dbc_json_slice *labels;
	uint32_t *lut;
	uint32_t max_msg_name, max_sig_name, max_unit; /* widest bare texts */
};

/* 0, or -ENOMEM (nothing to free then). db must outlive names. */
int dbc_json_names_build(struct dbc_json_names *names, const struct dbc_db *db);
void dbc_json_names_free(struct dbc_json_names *names);

static inline const struct dbc_json_sig *dbc_json_names_sig(const struct dbc_json_names *names,
							    const struct dbc_message *m,
							    const struct dbc_signal *s)
{
	return &names->sigs[names->msg_sigs[m->index] + s->index];
}

const struct dbc_json_slice *dbc_json_names_label_search(const struct dbc_json_names *names,
							 const struct dbc_json_sig *js,
							 const struct dbc_value *v);

/* The rendered value-table text for v, or NULL when it has none. */
static inline const struct dbc_json_slice *dbc_json_names_label(const struct dbc_json_names *names,
								const struct dbc_json_sig *js,
								const struct dbc_value *v)
{
	if (!js->max_label)
		return NULL;
	if (js->lut_len) {
		/* Unsigned difference: wraps instead of overflowing. */
		uint64_t i = v->raw - (uint64_t)js->lut_min;
		uint32_t l = i < js->lut_len ? names->lut[js->lut_off + i] : 0;
		return l ? &names->labels[l - 1] : NULL;
	}
	return dbc_json_names_label_search(names, js, v);
}

/* A rendered text (quotes included, or bare: without them) at p; p needs
 * DBC_JSON_SLACK bytes of room past its end. */
static inline char *dbc_json_put_slice(char *p, const struct dbc_json_names *names, struct dbc_json_slice sl)
{
	const char *src = names->text + sl.off;
	if (sl.len <= DBC_JSON_SLACK)
		__builtin_memcpy(p, src, DBC_JSON_SLACK);
	else
		__builtin_memcpy(p, src, sl.len);
	return p + sl.len;
}

static inline char *dbc_json_put_bare(char *p, const struct dbc_json_names *names, struct dbc_json_slice sl)
{
	struct dbc_json_slice bare = {sl.off + 1, sl.len - 2};
	return dbc_json_put_slice(p, names, bare);
}

/* Bytes dbc_json_put_signals + dbc_json_put_labels can write for m,
 * DBC_JSON_SLACK included. */
size_t dbc_json_names_bound(const struct dbc_json_names *names, const struct dbc_message *m);

/* The same as dbc_json_signals and dbc_json_labels, into raw memory with
 * dbc_json_names_bound(m) bytes of room; v are m's decoded values. */
char *dbc_json_put_signals(char *p, const struct dbc_json_names *names, const struct dbc_message *m,
			   const struct dbc_value *v, uint32_t n);
char *dbc_json_put_labels(char *p, const struct dbc_json_names *names, const struct dbc_message *m,
			  const struct dbc_value *v, uint32_t n);
/* Both at once, as {signals},"labels":{labels}: one pass over the values. */
char *dbc_json_put_signals_labels(char *p, const struct dbc_json_names *names, const struct dbc_message *m,
				  const struct dbc_value *v, uint32_t n);

#endif
