// SPDX-License-Identifier: MIT
/* evgw decode: a candump log through DBC files, as JSON lines or a table. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "can/candump.h"
#include "cli/cli.h"
#include "dbc/dbc_decode.h"
#include "dbc/dbc_json.h"
#include "util/textbuf.h"

#define MAX_DBC 64
#define MAX_TRACKED_UNKNOWN 4096

struct unknown_id {
	uint32_t key; /* id | 0x80000000 for extended */
	uint64_t count;
};

struct decode_run {
	struct dbc_db *dbs[MAX_DBC];
	int n_dbs;
	bool json;
	bool quiet;
	struct dbc_value *values;
	struct evgw_textbuf out;
	uint64_t frames, decoded, unknown, remote, errors, bad_lines;
	struct unknown_id *unknown_ids;
	uint32_t n_unknown_ids;
};

static void track_unknown(struct decode_run *r, const struct evgw_frame *f)
{
	uint32_t key = f->id | ((f->flags & EVGW_FRAME_EXT) ? 0x80000000u : 0);
	r->unknown++;
	for (uint32_t i = 0; i < r->n_unknown_ids; i++)
		if (r->unknown_ids[i].key == key) {
			r->unknown_ids[i].count++;
			return;
		}
	if (r->n_unknown_ids < MAX_TRACKED_UNKNOWN) {
		r->unknown_ids[r->n_unknown_ids].key = key;
		r->unknown_ids[r->n_unknown_ids].count = 1;
		r->n_unknown_ids++;
	}
}

static void put_ts(struct evgw_textbuf *tb, const struct evgw_candump_line *cl)
{
	if (!cl->has_ts) {
		evgw_textbuf_puts(tb, "null");
		return;
	}
	int64_t us = cl->frame.ts_us;
	evgw_textbuf_printf(tb, "%s%" PRId64 ".%06" PRId64, us < 0 ? "-" : "",
			    (us < 0 ? -us : us) / 1000000, (us < 0 ? -us : us) % 1000000);
}

static void emit_json(struct decode_run *r, unsigned long line, const struct evgw_candump_line *cl,
		      const struct dbc_db *db, const struct dbc_message *m, int sa, uint32_t n)
{
	struct evgw_textbuf *tb = &r->out;
	const struct evgw_frame *f = &cl->frame;
	evgw_textbuf_printf(tb, "{\"line\":%lu,\"ts\":", line);
	put_ts(tb, cl);
	evgw_textbuf_puts(tb, ",\"bus\":");
	if (cl->iface_len)
		evgw_textbuf_json_string(tb, cl->iface, cl->iface_len, false);
	else
		evgw_textbuf_puts(tb, "null");
	evgw_textbuf_printf(tb, ",\"id\":%" PRIu32 ",\"extended\":%s,\"fd\":%s,\"message\":", f->id,
			    (f->flags & EVGW_FRAME_EXT) ? "true" : "false",
			    (f->flags & EVGW_FRAME_FD) ? "true" : "false");
	dbc_json_text(tb, db, m->name);
	if (sa >= 0)
		evgw_textbuf_printf(tb, ",\"pgn\":%" PRIu32 ",\"source_address\":%d", m->pgn, sa);
	evgw_textbuf_puts(tb, ",\"signals\":");
	dbc_json_signals(tb, db, r->values, n);
	evgw_textbuf_puts(tb, ",\"labels\":");
	dbc_json_labels(tb, db, r->values, n);
	evgw_textbuf_puts(tb, "}\n");
}

/* Table text goes through the same UTF-8 conversion, minus the quotes. */
static void put_text(struct evgw_textbuf *tb, const struct dbc_db *db, struct dbc_text t)
{
	struct evgw_textbuf tmp;
	evgw_textbuf_init(&tmp);
	dbc_json_text(&tmp, db, t);
	if (tmp.len >= 2)
		evgw_textbuf_append(tb, tmp.buf + 1, tmp.len - 2);
	evgw_textbuf_free(&tmp);
}

static void emit_table(struct decode_run *r, unsigned long line, const struct evgw_candump_line *cl,
		       const struct dbc_db *db, const struct dbc_message *m, int sa, uint32_t n)
{
	struct evgw_textbuf *tb = &r->out;
	const struct evgw_frame *f = &cl->frame;
	evgw_textbuf_printf(tb, "%lu ", line);
	if (cl->has_ts) {
		put_ts(tb, cl);
		evgw_textbuf_putc(tb, ' ');
	}
	if (cl->iface_len)
		evgw_textbuf_printf(tb, "%.*s ", (int)cl->iface_len, cl->iface);
	evgw_textbuf_printf(tb, (f->flags & EVGW_FRAME_EXT) ? "%08" PRIX32 " " : "%03" PRIX32 " ", f->id);
	put_text(tb, db, m->name);
	if (sa >= 0)
		evgw_textbuf_printf(tb, " (PGN %" PRIu32 ", SA 0x%02X)", m->pgn, (unsigned)sa);
	evgw_textbuf_putc(tb, '\n');
	for (uint32_t i = 0; i < n; i++) {
		const struct dbc_value *v = &r->values[i];
		size_t start = tb->len;
		evgw_textbuf_puts(tb, "    ");
		put_text(tb, db, v->sig->name);
		while (tb->len < start + 36)
			evgw_textbuf_putc(tb, ' ');
		evgw_textbuf_putc(tb, ' ');
		dbc_json_value(tb, v);
		if (v->sig->unit.len) {
			evgw_textbuf_putc(tb, ' ');
			put_text(tb, db, v->sig->unit);
		}
		const struct dbc_text *label = dbc_signal_label(v->sig, v->raw);
		if (label) {
			evgw_textbuf_puts(tb, "  \"");
			put_text(tb, db, *label);
			evgw_textbuf_putc(tb, '"');
		}
		evgw_textbuf_putc(tb, '\n');
	}
}

static void decode_frame(struct decode_run *r, unsigned long line, const struct evgw_candump_line *cl)
{
	const struct evgw_frame *f = &cl->frame;
	r->frames++;
	if (f->flags & EVGW_FRAME_ERR) {
		r->errors++;
		return;
	}
	if (f->flags & EVGW_FRAME_RTR) {
		r->remote++;
		return;
	}
	for (int i = 0; i < r->n_dbs; i++) {
		int sa;
		const struct dbc_message *m = dbc_lookup(r->dbs[i], f, &sa);
		if (!m)
			continue;
		uint32_t n = dbc_decode(m, f, r->values);
		r->decoded++;
		if (r->json)
			emit_json(r, line, cl, r->dbs[i], m, sa, n);
		else
			emit_table(r, line, cl, r->dbs[i], m, sa, n);
		if (r->out.len >= 65536) {
			fwrite(r->out.buf, 1, r->out.len, stdout);
			evgw_textbuf_reset(&r->out);
		}
		return;
	}
	track_unknown(r, f);
}

static int cmp_unknown(const void *a, const void *b)
{
	const struct unknown_id *x = a, *y = b;
	return (x->count < y->count) - (x->count > y->count);
}

static void print_summary(struct decode_run *r)
{
	if (r->quiet)
		return;
	fprintf(stderr,
		"evgw decode: %" PRIu64 " frames, %" PRIu64 " decoded, %" PRIu64 " unknown id, %" PRIu64
		" remote, %" PRIu64 " error frames, %" PRIu64 " bad lines\n",
		r->frames, r->decoded, r->unknown, r->remote, r->errors, r->bad_lines);
	if (!r->n_unknown_ids)
		return;
	qsort(r->unknown_ids, r->n_unknown_ids, sizeof *r->unknown_ids, cmp_unknown);
	fputs("evgw decode: unknown ids:", stderr);
	for (uint32_t i = 0; i < r->n_unknown_ids && i < 16; i++) {
		uint32_t k = r->unknown_ids[i].key;
		fprintf(stderr, (k & 0x80000000u) ? " %08" PRIX32 " (%" PRIu64 ")" : " %03" PRIX32 " (%" PRIu64 ")",
			k & 0x1FFFFFFFu, r->unknown_ids[i].count);
	}
	fputs(r->n_unknown_ids > 16 ? " ...\n" : "\n", stderr);
}

static int run(struct decode_run *r, FILE *in, const char *name)
{
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long line = 0;
	while ((len = getline(&buf, &cap, in)) >= 0) {
		line++;
		struct evgw_candump_line cl;
		size_t col = 0;
		const char *msg = NULL;
		int pr = evgw_candump_parse_line(buf, (size_t)len, &cl, &col, &msg);
		if (pr < 0) {
			r->bad_lines++;
			if (r->bad_lines <= 20)
				fprintf(stderr, "%s:%lu:%zu: error: %s\n", name, line, col, msg);
			continue;
		}
		if (pr == EVGW_CANDUMP_FRAME)
			decode_frame(r, line, &cl);
	}
	int err = ferror(in) ? errno : 0;
	free(buf);
	fwrite(r->out.buf ? r->out.buf : "", 1, r->out.len, stdout);
	evgw_textbuf_reset(&r->out);
	fflush(stdout);
	if (err) {
		fprintf(stderr, "%s: read error: %s\n", name, strerror(err));
		return CLI_USAGE;
	}
	print_summary(r);
	return r->bad_lines ? CLI_FINDINGS : CLI_OK;
}

static int usage(void)
{
	fputs("usage: evgw decode --dbc FILE [--dbc FILE...] [--json|--table] [--strict] [--quiet] [LOG|-]\n",
	      stderr);
	return CLI_USAGE;
}

int cli_decode(int argc, char **argv)
{
	static struct decode_run zero;
	struct decode_run r = zero;
	const char *dbc_paths[MAX_DBC];
	int n_paths = 0;
	const char *log = NULL;
	bool strict = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--dbc") && i + 1 < argc) {
			if (n_paths == MAX_DBC) {
				fprintf(stderr, "evgw decode: at most %d DBC files\n", MAX_DBC);
				return CLI_USAGE;
			}
			dbc_paths[n_paths++] = argv[++i];
		} else if (!strncmp(a, "--dbc=", 6) && n_paths < MAX_DBC) {
			dbc_paths[n_paths++] = a + 6;
		} else if (!strcmp(a, "--json")) {
			r.json = true;
		} else if (!strcmp(a, "--table")) {
			r.json = false;
		} else if (!strcmp(a, "--strict")) {
			strict = true;
		} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			r.quiet = true;
		} else if ((a[0] != '-' || !strcmp(a, "-")) && !log) {
			log = a;
		} else {
			return usage();
		}
	}
	if (!n_paths)
		return usage();
	int rc = CLI_USAGE;
	FILE *in = NULL;
	uint32_t max_signals = 1;
	struct dbc_load_opts lo = {strict, cli_print_diag, &r.quiet};
	for (int i = 0; i < n_paths; i++) {
		int e = dbc_load_file(dbc_paths[i], &lo, &r.dbs[i]);
		if (e < 0) {
			fprintf(stderr, "%s: cannot load: %s\n", dbc_paths[i],
				e == -EINVAL ? "malformed DBC file" : strerror(-e));
			goto out;
		}
		r.n_dbs++;
		for (uint32_t k = 0; k < r.dbs[i]->n_messages; k++)
			if (r.dbs[i]->messages[k]->n_signals > max_signals)
				max_signals = r.dbs[i]->messages[k]->n_signals;
	}
	r.values = calloc(max_signals, sizeof *r.values);
	r.unknown_ids = calloc(MAX_TRACKED_UNKNOWN, sizeof *r.unknown_ids);
	if (!r.values || !r.unknown_ids) {
		fputs("evgw decode: out of memory\n", stderr);
		goto out;
	}
	evgw_textbuf_init(&r.out);
	if (!log || !strcmp(log, "-")) {
		rc = run(&r, stdin, "<stdin>");
	} else {
		in = fopen(log, "r");
		if (!in) {
			fprintf(stderr, "%s: %s\n", log, strerror(errno));
			goto out;
		}
		rc = run(&r, in, log);
	}
out:
	if (in)
		fclose(in);
	evgw_textbuf_free(&r.out);
	free(r.values);
	free(r.unknown_ids);
	for (int i = 0; i < r.n_dbs; i++)
		dbc_free(r.dbs[i]);
	return rc;
}
