// SPDX-License-Identifier: MIT
/* evgw dbc check: load DBC files, print what they hold and what is wrong. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bus/bus_integrity.h"
#include "cli/cli.h"
#include "dbc/dbc_json.h"
#include "dbc/dbc_lint.h"
#include "util/textbuf.h"

struct check_opts {
	bool json;
	bool strict;
	bool quiet;
};

/* JSON mode gathers findings into an array instead of stderr. */
struct json_findings {
	struct evgw_textbuf *tb;
	uint32_t n;
};

static void collect_finding(void *ud, const struct dbc_diag *d)
{
	static const char *const names[] = {"note", "warning", "error"};
	struct json_findings *jf = ud;
	if (jf->n++)
		evgw_textbuf_putc(jf->tb, ',');
	evgw_textbuf_printf(jf->tb, "{\"line\":%u,\"col\":%u,\"severity\":\"%s\",\"message\":", d->line,
			    d->col, names[d->severity]);
	evgw_textbuf_json_string(jf->tb, d->msg, strlen(d->msg), false);
	evgw_textbuf_putc(jf->tb, '}');
}

static void print_summary_text(const char *path, const struct dbc_db *db,
			       const struct dbc_lint_counts *lc)
{
	printf("%s: %u nodes, %u messages, %u signals, %u value tables, %u attribute definitions, "
	       "%u attribute values, %u comments\n",
	       path, db->n_nodes, db->n_messages, db->n_signals, db->n_val_tables, db->n_attr_defs,
	       db->n_attrs, db->n_comments);
	printf("%s: %u errors, %u warnings\n", path, db->n_errors + lc->errors,
	       db->n_warnings + lc->warnings);
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
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	struct json_findings jf = {&tb, 0};
	bool quiet = o->quiet;
	struct dbc_load_opts lo = {o->strict, o->json ? collect_finding : cli_print_diag,
				   o->json ? (void *)&jf : (void *)&quiet};
	struct dbc_db *db;
	int r = dbc_load_file(path, &lo, &db);
	if (r < 0) {
		if (o->json) {
			printf("{\"file\":");
			fflush(stdout);
			struct evgw_textbuf head;
			evgw_textbuf_init(&head);
			evgw_textbuf_json_string(&head, path, strlen(path), false);
			printf("%s,\"ok\":false,\"error\":\"%s\",\"findings\":[%s]}\n", head.buf ? head.buf : "\"\"",
			       strerror(-r), tb.buf ? tb.buf : "");
			evgw_textbuf_free(&head);
		} else {
			fprintf(stderr, "%s: cannot load: %s\n", path,
				r == -EINVAL ? "malformed DBC file" : strerror(-r));
		}
		evgw_textbuf_free(&tb);
		return CLI_USAGE;
	}
	struct dbc_lint_counts lc = dbc_lint(db, lo.diag, lo.diag_ud);
	lc.warnings += check_integrity(db, path, lo.diag, lo.diag_ud);
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
		print_summary_text(path, db, &lc);
	}
	evgw_textbuf_free(&tb);
	dbc_free(db);
	return errors ? CLI_FINDINGS : CLI_OK;
}

int cli_dbc_check(int argc, char **argv)
{
	struct check_opts o = {false, false, false};
	int first = 1;
	for (; first < argc && argv[first][0] == '-' && argv[first][1]; first++) {
		if (!strcmp(argv[first], "--json"))
			o.json = true;
		else if (!strcmp(argv[first], "--strict"))
			o.strict = true;
		else if (!strcmp(argv[first], "--quiet") || !strcmp(argv[first], "-q"))
			o.quiet = true;
		else if (!strcmp(argv[first], "--")) {
			first++;
			break;
		} else {
			fprintf(stderr, "evgw dbc check: unknown option '%s'\n", argv[first]);
			return CLI_USAGE;
		}
	}
	if (first >= argc) {
		fputs("usage: evgw dbc check [--json] [--strict] [--quiet] FILE...\n", stderr);
		return CLI_USAGE;
	}
	int worst = CLI_OK;
	for (int i = first; i < argc; i++) {
		int r = check_one(argv[i], &o);
		if (r > worst)
			worst = r;
	}
	return worst;
}
