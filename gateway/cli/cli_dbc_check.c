// SPDX-License-Identifier: MIT
/* evgw dbc check: load DBC files, print what they hold and what is wrong,
 * in line order (the loader's findings and the lint's come separately). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus/bus_integrity.h"
#include "cli/cli.h"
#include "cli/cli_commands.h"
#include "cli/cli_i18n.h"
#include "dbc/dbc_json.h"
#include "dbc/dbc_lint.h"
#include "util/textbuf.h"

struct check_opts {
	bool json;
	bool strict;
	bool quiet;
};

struct finding {
	uint32_t line, col, seq;
	enum dbc_severity severity;
	char *msg;
};

/* Findings kept until the file is done, then sorted by place. */
struct findings {
	const char *path;
	struct finding *v;
	size_t n, cap;
	bool failed;
};

static void collect_finding(void *ud, const struct dbc_diag *d)
{
	struct findings *f = ud;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 32;
		struct finding *v = realloc(f->v, cap * sizeof *v);
		if (!v) {
			f->failed = true;
			return;
		}
		f->v = v;
		f->cap = cap;
	}
	char *msg = strdup(d->msg);
	if (!msg) {
		f->failed = true;
		return;
	}
	struct finding *nf = &f->v[f->n];
	nf->line = d->line;
	nf->col = d->col;
	nf->seq = (uint32_t)f->n;
	nf->severity = d->severity;
	nf->msg = msg;
	f->n++;
}

/* Line, column, then the order they were found in (qsort is not stable).
 * Findings without a place (line 0) come first: they are about the file. */
static int by_place(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void findings_text(const struct findings *f, bool quiet)
{
	for (size_t i = 0; i < f->n; i++) {
		struct dbc_diag d = {f->path, f->v[i].line, f->v[i].col, f->v[i].severity, f->v[i].msg};
		cli_print_diag(&quiet, &d);
	}
}

static void findings_json(const struct findings *f, struct evgw_textbuf *tb)
{
	static const char *const names[] = {"note", "warning", "error"};
	for (size_t i = 0; i < f->n; i++) {
		evgw_textbuf_printf(tb, "%s{\"line\":%u,\"col\":%u,\"severity\":\"%s\",\"message\":", i ? "," : "",
				    f->v[i].line, f->v[i].col, names[f->v[i].severity]);
		evgw_textbuf_json_string(tb, f->v[i].msg, strlen(f->v[i].msg), false);
		evgw_textbuf_putc(tb, '}');
	}
}

static void findings_free(struct findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i].msg);
	free(f->v);
}

static void print_summary_text(const char *path, const struct dbc_db *db, uint32_t errors, uint32_t warnings)
{
	printf(_("%s: %u nodes, %u messages, %u signals, %u value tables, %u attribute definitions, "
		 "%u attribute values, %u comments\n"),
	       path, db->n_nodes, db->n_messages, db->n_signals, db->n_val_tables, db->n_attr_defs,
	       db->n_attrs, db->n_comments);
	char e[48], w[48];
	snprintf(e, sizeof e, ngettext("%u error", "%u errors", errors), errors);
	snprintf(w, sizeof w, ngettext("%u warning", "%u warnings", warnings), warnings);
	printf("%s: %s, %s\n", path, e, w);
}

/* Where to point a bad EvgwChecksum/EvgwCounter: the attribute's value on
 * the signal the message names ("MSG.SIG: ..."), else the message. */
static uint32_t integrity_place(const struct dbc_db *db, const struct dbc_message *m, const char *err)
{
	struct evgw_str mn = dbc_str(db, m->name);
	const char *dot = err + mn.len;
	bool counter = strstr(err, "EvgwCounter") != NULL;
	const struct dbc_attr_def *def = dbc_attr_def_find(db, counter ? "EvgwCounter" : "EvgwChecksum");
	if (def && *dot == '.') {
		const char *end = strchr(dot + 1, ':');
		size_t len = end ? (size_t)(end - dot - 1) : 0;
		for (uint32_t i = 0; i < m->n_signals; i++) {
			const struct dbc_signal *sg = &m->signals[i];
			struct evgw_str sn = dbc_str(db, sg->name);
			const struct dbc_attr_value *v = dbc_attr_value_of(db, def, DBC_OBJ_SIGNAL, sg);
			if (sn.len == len && !memcmp(sn.ptr, dot + 1, len) && v && v != &def->def && v->is_string)
				return v->str.off;
		}
	}
	return m->name.off;
}

/* Checksum and counter attributes (bus_integrity.h) that evgwd would
 * ignore: warnings, since the message itself still decodes. */
static uint32_t check_integrity(const struct dbc_db *db, const char *path, dbc_diag_fn diag, void *ud)
{
	struct dbc_lines li = {0};
	bool have_lines = dbc_lines_build(db, &li) == 0;
	uint32_t n = 0;
	for (uint32_t i = 0; i < db->n_messages; i++) {
		struct evgw_integrity_plan plan;
		char err[256] = "";
		if (evgw_integrity_plan_build(db, 0, db->messages[i], &plan, err, sizeof err) != -EINVAL)
			continue;
		char msg[320];
		snprintf(msg, sizeof msg, "%s; evgwd will not check this message", err);
		struct dbc_diag dg = {path, 0, 0, DBC_WARNING, msg};
		if (have_lines)
			dbc_lines_locate(&li, integrity_place(db, db->messages[i], err), &dg.line, &dg.col);
		diag(ud, &dg);
		n++;
	}
	if (have_lines)
		dbc_lines_free(&li);
	return n;
}

static int check_one(const char *path, const struct check_opts *o)
{
	struct findings f = {.path = path};
	struct dbc_load_opts lo = {o->strict, collect_finding, &f};
	struct dbc_db *db;
	int r = dbc_load_file(path, &lo, &db);
	struct dbc_lint_counts lc = {0};
	if (r == 0) {
		lc = dbc_lint(db, lo.diag, lo.diag_ud);
		lc.warnings += check_integrity(db, path, lo.diag, lo.diag_ud);
		if (!db->n_messages) { /* it loads, but describes nothing */
			struct dbc_diag d = {path, 0, 0, DBC_WARNING, "no messages: is this a DBC file?"};
			collect_finding(&f, &d);
			lc.warnings++;
		}
	}
	if (f.n)
		qsort(f.v, f.n, sizeof f.v[0], by_place);
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	if (o->json)
		findings_json(&f, &tb);
	else
		findings_text(&f, o->quiet);
	if (f.failed)
		fprintf(stderr, _("%s: out of memory: some findings are not shown\n"), path);
	if (r < 0) {
		if (o->json) {
			struct evgw_textbuf head;
			evgw_textbuf_init(&head);
			evgw_textbuf_json_string(&head, path, strlen(path), false);
			printf("{\"file\":%s,\"ok\":false,\"error\":\"%s\",\"findings\":[%s]}\n", head.buf ? head.buf : "\"\"",
			       strerror(-r), tb.buf ? tb.buf : "");
			evgw_textbuf_free(&head);
		} else {
			fprintf(stderr, _("%s: cannot load: %s\n"), path,
				r == -EINVAL ? _("see the errors above") : strerror(-r));
		}
		evgw_textbuf_free(&tb);
		findings_free(&f);
		return CLI_USAGE;
	}
	uint32_t errors = db->n_errors + lc.errors, warnings = db->n_warnings + lc.warnings;
	if (o->json) {
		struct evgw_textbuf out;
		evgw_textbuf_init(&out);
		evgw_textbuf_puts(&out, "{\"file\":");
		evgw_textbuf_json_string(&out, path, strlen(path), false);
		evgw_textbuf_printf(&out,
				    ",\"ok\":%s,\"version\":", errors ? "false" : "true");
		dbc_json_text(&out, db, db->version);
		evgw_textbuf_printf(&out,
				    ",\"nodes\":%u,\"messages\":%u,\"signals\":%u,\"value_tables\":%u,"
				    "\"attribute_definitions\":%u,\"attributes\":%u,\"comments\":%u,"
				    "\"errors\":%u,\"warnings\":%u,\"findings\":[%s]}\n",
				    db->n_nodes, db->n_messages, db->n_signals, db->n_val_tables,
				    db->n_attr_defs, db->n_attrs, db->n_comments, errors, warnings,
				    tb.buf ? tb.buf : "");
		fwrite(out.buf, 1, out.len, stdout);
		evgw_textbuf_free(&out);
	} else {
		print_summary_text(path, db, errors, warnings);
	}
	evgw_textbuf_free(&tb);
	findings_free(&f);
	dbc_free(db);
	return errors ? CLI_FINDINGS : CLI_OK;
}

int cli_run_dbc_check(struct cli_ctx *x)
{
	struct check_opts o = {x->o->json, x->o->strict, x->o->quiet};
	int worst = CLI_OK;
	for (int i = 0; i < x->n_args; i++) {
		int r = check_one(x->args[i], &o);
		if (r > worst)
			worst = r;
	}
	return worst;
}
