// SPDX-License-Identifier: MIT
/* evgw decode: a candump log through DBC files, as text for people, a
 * table, or JSON lines.
 *
 * Built for logs of hours (a saturated bus is 30+ million frames an hour):
 * the input streams through a fixed buffer (plain, gzip, xz or zstd), every
 * DBC text is rendered once at start (dbc_json_names), and each decoded
 * frame is written in one pass into reserved space with printf-free number
 * formatting. Memory does not grow with the log. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "can/candump.h"
#include "cli/cli.h"
#include "cli/cli_i18n.h"
#include "dbc/dbc_decode.h"
#include "dbc/dbc_json.h"
#include "util/instream.h"
#include "util/linereader.h"
#include "util/numfmt.h"
#include "util/textbuf.h"
#include "cli/decode_rows.h"

#define MAX_DBC 64
#define MAX_TRACKED_UNKNOWN 4096
#define UNKNOWN_SLOTS 8192         /* hash slots, twice the tracked ids */
#define MAX_LINE (64u << 10)       /* longer lines are reported and skipped */
#define FLUSH_AT (256u << 10)      /* output written in blocks of about this */
#define MAX_REPORTED_BAD_LINES 20
/* Table columns whose width comes from the DBC are capped at these. */
#define TABLE_MAX_MSG 40
#define TABLE_MAX_SIG 40
#define TABLE_MAX_UNIT 12
#define TABLE_VALUE 14
#define TEXT_NAME_COL 32           /* signal names padded to this in text mode */

enum out_mode { OUT_TEXT, OUT_TABLE, OUT_JSON };

struct unknown_id {
	uint32_t key; /* id | 0x80000000 for extended; 0xFFFFFFFF: empty slot */
	uint64_t count;
};

/* Local time of the last second printed: a log has thousands of frames
 * per second, and localtime_r is far slower than a copy. */
struct local_clock {
	int64_t sec;
	bool valid;
	size_t len;
	char text[64];
};

struct epoch_clock {
	uint64_t sec;
	size_t len; /* 0: nothing kept yet */
	char text[EVGW_NUMFMT_MAX];
};

#define LINE_TEXT_END 24
/* The line number as text, made ready for the next line: most frames are
 * the next line, one digit changes. The text is counted on right after it
 * is copied, so the copy never waits for a byte just stored. */
struct line_text {
	uint64_t line; /* the number the text holds; 0: none yet */
	unsigned start; /* the digits are text[start..LINE_TEXT_END) */
	char text[2 * LINE_TEXT_END]; /* copied LINE_TEXT_END bytes at once */
};

struct decode_run {
	struct dbc_db *dbs[MAX_DBC];
	struct decode_rows rows[MAX_DBC]; /* text form only */
	int n_dbs;
	enum out_mode mode;
	bool quiet;
	const char *name;          /* the input, for messages */
	struct dbc_value *values;
	struct evgw_textbuf out;
	int write_err;             /* errno of a failed write to stdout */
	struct local_clock clock;
	struct epoch_clock epoch;
	struct line_text line_text;
	uint32_t w_msg, w_sig, w_unit; /* table column widths */
	uint64_t frames, decoded, unknown, remote, errors, bad_lines;
	struct unknown_id *unknown_ids; /* UNKNOWN_SLOTS, open addressing */
	uint32_t n_unknown_ids;
};

/* ---- unknown ids ---- */

static void track_unknown(struct decode_run *r, const struct evgw_frame *f)
{
	uint32_t key = f->id | ((f->flags & EVGW_FRAME_EXT) ? 0x80000000u : 0);
	r->unknown++;
	uint32_t i = (key * 2654435761u) & (UNKNOWN_SLOTS - 1);
	for (;; i = (i + 1) & (UNKNOWN_SLOTS - 1)) {
		struct unknown_id *u = &r->unknown_ids[i];
		if (u->key == key) {
			u->count++;
			return;
		}
		if (u->key == 0xFFFFFFFFu)
			break;
	}
	if (r->n_unknown_ids < MAX_TRACKED_UNKNOWN) {
		r->unknown_ids[i].key = key;
		r->unknown_ids[i].count = 1;
		r->n_unknown_ids++;
	}
}

static int cmp_unknown(const void *a, const void *b)
{
	const struct unknown_id *x = a, *y = b;
	if (x->count != y->count)
		return (x->count < y->count) - (x->count > y->count);
	return (x->key > y->key) - (x->key < y->key);
}

static void print_summary(struct decode_run *r)
{
	if (r->quiet)
		return;
	fprintf(stderr,
		_("evgw decode: %llu frames, %llu decoded, %llu unknown id, %llu remote, %llu error frames, "
		  "%llu bad lines\n"),
		(unsigned long long)r->frames, (unsigned long long)r->decoded, (unsigned long long)r->unknown,
		(unsigned long long)r->remote, (unsigned long long)r->errors, (unsigned long long)r->bad_lines);
	if (!r->n_unknown_ids)
		return;
	/* Gather the used slots to the front, most frequent first. */
	uint32_t n = 0;
	for (uint32_t i = 0; i < UNKNOWN_SLOTS; i++)
		if (r->unknown_ids[i].key != 0xFFFFFFFFu)
			r->unknown_ids[n++] = r->unknown_ids[i];
	qsort(r->unknown_ids, n, sizeof *r->unknown_ids, cmp_unknown);
	fputs(_("evgw decode: unknown ids:"), stderr);
	for (uint32_t i = 0; i < n && i < 16; i++) {
		uint32_t k = r->unknown_ids[i].key;
		fprintf(stderr, (k & 0x80000000u) ? " %08" PRIX32 " (%" PRIu64 ")" : " %03" PRIX32 " (%" PRIu64 ")",
			k & 0x1FFFFFFFu, r->unknown_ids[i].count);
	}
	fputs(n > 16 ? " ...\n" : "\n", stderr);
}

/* ---- small writers into reserved space ---- */

static char *put_mem(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

#define PUT_LIT(p, lit) put_mem((p), (lit), sizeof(lit) - 1)

static char *put_pad(char *p, size_t n)
{
	memset(p, ' ', n);
	return p + n;
}

/* Left-aligned in `width` (no padding when `last`, so lines do not end in
 * blanks); a longer text pushes the next column. */
static char *put_bare_col(char *p, const struct dbc_json_names *nm, struct dbc_json_slice sl, uint32_t width)
{
	p = dbc_json_put_bare(p, nm, sl);
	return sl.len - 2 < width ? put_pad(p, width - (sl.len - 2)) : p;
}

/* v < 1000000, zero-padded: three pairs of digits. */
static char *put_6digits(char *p, uint32_t v)
{
	static const char pairs[201] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	memcpy(p, pairs + 2 * (v / 10000), 2);
	memcpy(p + 2, pairs + 2 * (v / 100 % 100), 2);
	memcpy(p + 4, pairs + 2 * (v % 100), 2);
	return p + 6;
}

static char *put_hex(char *p, uint32_t v, int ndig)
{
	static const char digits[] = "0123456789ABCDEF";
	for (int i = ndig - 1; i >= 0; i--)
		*p++ = digits[(v >> (4 * i)) & 0xF];
	return p;
}

/* 3 hex digits for standard ids, 8 for extended ones, as candump. */
static char *put_id(char *p, const struct evgw_frame *f)
{
	return put_hex(p, f->id, (f->flags & EVGW_FRAME_EXT) ? 8 : 3);
}

/* Seconds with microseconds, as the log wrote them: "1764340000.010000".
 * The seconds' digits are kept from the last frame: most repeat. */
static char *put_epoch(char *p, struct epoch_clock *ec, int64_t us)
{
	if (us < 0)
		return evgw_fmt_epoch_us(p, us);
	uint64_t sec = (uint64_t)us / 1000000;
	if (!ec->len || ec->sec != sec) {
		ec->sec = sec;
		ec->len = (size_t)(evgw_fmt_u64(ec->text, sec) - ec->text);
	}
	p = put_mem(p, ec->text, ec->len);
	*p++ = '.';
	return put_6digits(p, (uint32_t)((uint64_t)us % 1000000));
}

/* Local time with microseconds, "2025-11-28 14:26:40.010000", the form of
 * candump -ta. A time localtime cannot represent prints as epoch seconds. */
static char *put_local(char *p, struct local_clock *lc, struct epoch_clock *ec, int64_t us)
{
	int64_t sec = us / 1000000, frac = us % 1000000;
	if (frac < 0) {
		sec--;
		frac += 1000000;
	}
	if (!lc->valid || lc->sec != sec) {
		time_t t = (time_t)sec;
		struct tm tm;
		lc->len = 0;
		if (localtime_r(&t, &tm))
			lc->len = strftime(lc->text, sizeof lc->text, "%Y-%m-%d %H:%M:%S", &tm);
		lc->sec = sec;
		lc->valid = true;
	}
	if (!lc->len)
		return put_epoch(p, ec, us);
	/* A fixed-size copy where it fits (19 bytes for years 0..9999, in a
	 * buffer of 64): no call. */
	if (lc->len <= 32)
		__builtin_memcpy(p, lc->text, 32);
	else
		memcpy(p, lc->text, lc->len);
	p += lc->len;
	*p++ = '.';
	return put_6digits(p, (uint32_t)frac);
}

static char *put_line(char *p, struct line_text *lt, uint64_t line)
{
	if (!lt->line || line != lt->line) {
		char tmp[EVGW_NUMFMT_MAX];
		size_t n = (size_t)(evgw_fmt_u64(tmp, line) - tmp);
		lt->start = (unsigned)(LINE_TEXT_END - n);
		memcpy(lt->text + lt->start, tmp, n);
	}
	__builtin_memcpy(p, lt->text + lt->start, LINE_TEXT_END);
	p += LINE_TEXT_END - lt->start;
	/* Ready for line + 1. */
	char *d = lt->text + LINE_TEXT_END - 1;
	while (d >= lt->text + lt->start && *d == '9')
		*d-- = '0';
	if (d >= lt->text + lt->start)
		(*d)++;
	else
		lt->text[--lt->start] = '1';
	lt->line = line + 1;
	return p;
}

/* ---- the three output forms ---- */

static char *emit_json(struct decode_run *r, char *p, uint64_t line, const struct evgw_candump_line *cl,
		       const struct dbc_json_names *nm, const struct dbc_message *m, int sa, uint32_t n)
{
	const struct evgw_frame *f = &cl->frame;
	p = PUT_LIT(p, "{\"line\":");
	p = put_line(p, &r->line_text, line);
	p = PUT_LIT(p, ",\"ts\":");
	p = cl->has_ts ? put_epoch(p, &r->epoch, f->ts_us) : PUT_LIT(p, "null");
	p = PUT_LIT(p, ",\"bus\":");
	if (cl->iface_len) {
		/* The parser admits only [A-Za-z0-9_.-] here: nothing to escape. */
		*p++ = '"';
		p = put_mem(p, cl->iface, cl->iface_len);
		*p++ = '"';
	} else {
		p = PUT_LIT(p, "null");
	}
	p = PUT_LIT(p, ",\"id\":");
	p = evgw_fmt_u64(p, f->id);
	p = (f->flags & EVGW_FRAME_EXT) ? PUT_LIT(p, ",\"extended\":true") : PUT_LIT(p, ",\"extended\":false");
	p = (f->flags & EVGW_FRAME_FD) ? PUT_LIT(p, ",\"fd\":true") : PUT_LIT(p, ",\"fd\":false");
	p = PUT_LIT(p, ",\"message\":");
	p = dbc_json_put_slice(p, nm, nm->msg_name[m->index]);
	if (sa >= 0) {
		p = PUT_LIT(p, ",\"pgn\":");
		p = evgw_fmt_u64(p, m->pgn);
		p = PUT_LIT(p, ",\"source_address\":");
		p = evgw_fmt_u64(p, (uint64_t)sa);
	}
	p = PUT_LIT(p, ",\"signals\":");
	p = dbc_json_put_signals_labels(p, nm, m, r->values, n);
	return PUT_LIT(p, "}\n");
}

static char *put_value(char *p, const struct dbc_json_sig *js, const struct dbc_value *v)
{
	return dbc_json_put_value(p, &js->plan, v);
}

/* One line per frame, its signals indented below:
 *   16 2025-11-28 14:26:41.010000 can0 121 ESC_SPEED
 *       VEHICLE_SPEED                    50.0250 km/h */
static char *emit_text(struct decode_run *r, char *p, uint64_t line, const struct evgw_candump_line *cl,
		       const struct dbc_json_names *nm, const struct decode_rows *dr, const struct dbc_message *m,
		       int sa, uint32_t n)
{
	const struct evgw_frame *f = &cl->frame;
	p = put_line(p, &r->line_text, line);
	*p++ = ' ';
	if (cl->has_ts) {
		p = put_local(p, &r->clock, &r->epoch, f->ts_us);
		*p++ = ' ';
	}
	if (cl->iface_len) {
		p = put_mem(p, cl->iface, cl->iface_len);
		*p++ = ' ';
	}
	p = put_id(p, f);
	*p++ = ' ';
	p = dbc_json_put_bare(p, nm, nm->msg_name[m->index]);
	if (sa >= 0) {
		p = PUT_LIT(p, " (PGN ");
		p = evgw_fmt_u64(p, m->pgn);
		p = PUT_LIT(p, ", SA 0x");
		p = put_hex(p, (uint32_t)sa, 2);
		*p++ = ')';
	}
	*p++ = '\n';
	uint32_t first = nm->msg_sigs[m->index];
	for (uint32_t i = 0; i < n; i++) {
		const struct dbc_value *v = &r->values[i];
		uint32_t k = first + v->sig->index;
		const struct dbc_json_sig *js = &nm->sigs[k];
		const struct decode_row *row = &dr->rows[k];
		p = decode_rows_put(p, dr->text, row->head_off, row->head_len);
		p = put_value(p, js, v);
		p = decode_rows_put(p, dr->text, row->unit_off, row->unit_len);
		const struct dbc_json_slice *label = dbc_json_names_label(nm, js, v);
		if (label) {
			p = PUT_LIT(p, "  \"");
			p = dbc_json_put_bare(p, nm, *label);
			*p++ = '"';
		}
		*p++ = '\n';
	}
	return p;
}

#define TABLE_LINE_W 8
#define TABLE_TIME_W 26
#define TABLE_BUS_W 6
#define TABLE_ID_W 8

static void table_header(struct decode_run *r)
{
	char *p = evgw_textbuf_reserve(&r->out, 512);
	if (!p)
		return;
	p += sprintf(p, "%*s  %-*s  %-*s  %*s  %-*s  %-*s  %*s  %-*s  LABEL\n", TABLE_LINE_W, "LINE",
		     TABLE_TIME_W, "TIME", TABLE_BUS_W, "BUS", TABLE_ID_W, "ID", (int)r->w_msg, "MESSAGE",
		     (int)r->w_sig, "SIGNAL", TABLE_VALUE, "VALUE", (int)r->w_unit, "UNIT");
	evgw_textbuf_commit(&r->out, p);
}

static char *put_right(char *p, const char *s, size_t n, size_t width)
{
	if (n < width)
		p = put_pad(p, width - n);
	return put_mem(p, s, n);
}

/* One row per signal, the frame's columns repeated, so that every row
 * stands alone for sort, grep and spreadsheets:
 *   LINE  TIME  BUS  ID  MESSAGE  SIGNAL  VALUE  UNIT  LABEL */
static char *emit_table(struct decode_run *r, char *p, uint64_t line, const struct evgw_candump_line *cl,
			const struct dbc_json_names *nm, const struct dbc_message *m, int sa, uint32_t n)
{
	(void)sa; /* the source address is the id's low byte */
	const struct evgw_frame *f = &cl->frame;
	/* The frame's columns once, then copied for each row. */
	char prefix[256];
	char *q = prefix, tmp[EVGW_NUMFMT_MAX];
	q = put_right(q, tmp, (size_t)(evgw_fmt_u64(tmp, line) - tmp), TABLE_LINE_W);
	q = put_pad(q, 2);
	char *col = q;
	q = cl->has_ts ? put_local(q, &r->clock, &r->epoch, f->ts_us) : PUT_LIT(q, "-");
	if ((size_t)(q - col) < TABLE_TIME_W)
		q = put_pad(q, TABLE_TIME_W - (size_t)(q - col));
	q = put_pad(q, 2);
	col = q;
	q = cl->iface_len ? put_mem(q, cl->iface, cl->iface_len) : PUT_LIT(q, "-");
	if ((size_t)(q - col) < TABLE_BUS_W)
		q = put_pad(q, TABLE_BUS_W - (size_t)(q - col));
	q = put_pad(q, 2);
	char id[8];
	q = put_right(q, id, (size_t)(put_id(id, f) - id), TABLE_ID_W);
	q = put_pad(q, 2);
	size_t prefix_len = (size_t)(q - prefix);
	for (uint32_t i = 0; i < n; i++) {
		const struct dbc_value *v = &r->values[i];
		const struct dbc_json_sig *js = dbc_json_names_sig(nm, m, v->sig);
		p = put_mem(p, prefix, prefix_len);
		p = put_bare_col(p, nm, nm->msg_name[m->index], r->w_msg);
		p = put_pad(p, 2);
		p = put_bare_col(p, nm, js->name, r->w_sig);
		p = put_pad(p, 2);
		char num[EVGW_NUMFMT_MAX];
		p = put_right(p, num, (size_t)(put_value(num, js, v) - num), TABLE_VALUE);
		const struct dbc_json_slice *label = dbc_json_names_label(nm, js, v);
		if (label) {
			p = put_pad(p, 2);
			p = put_bare_col(p, nm, js->unit, r->w_unit);
			p = put_pad(p, 2);
			p = dbc_json_put_bare(p, nm, *label);
		} else if (js->unit.len > 2) {
			p = put_pad(p, 2);
			p = dbc_json_put_bare(p, nm, js->unit);
		}
		*p++ = '\n';
	}
	return p;
}

/* ---- output ---- */

static void flush_out(struct decode_run *r)
{
	const char *p = r->out.buf;
	size_t n = r->out.len;
	while (n && !r->write_err) {
		ssize_t w = write(STDOUT_FILENO, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			r->write_err = w < 0 ? errno : EIO;
			break;
		}
		p += w;
		n -= (size_t)w;
	}
	evgw_textbuf_reset(&r->out);
}

/* The most one frame of m can print in the current mode. */
static size_t frame_bound(const struct decode_run *r, const struct dbc_json_names *nm, const struct dbc_message *m)
{
	size_t text = dbc_json_names_bound(nm, m);
	size_t row = 256 + 2 * DECODE_ROWS_SLACK + (size_t)r->w_msg + r->w_sig + r->w_unit + TABLE_VALUE + nm->msg_name[m->index].len;
	return 512 + DBC_JSON_SLACK + text + (size_t)m->n_signals * row;
}

static void decode_frame(struct decode_run *r, uint64_t line, const struct evgw_candump_line *cl)
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
		const struct dbc_json_names *nm = r->dbs[i]->json;
		char *p = evgw_textbuf_reserve(&r->out, frame_bound(r, nm, m));
		if (!p)
			return; /* out of memory: failed, reported at the end */
		if (r->mode == OUT_JSON)
			p = emit_json(r, p, line, cl, nm, m, sa, n);
		else if (r->mode == OUT_TABLE)
			p = emit_table(r, p, line, cl, nm, m, sa, n);
		else
			p = emit_text(r, p, line, cl, nm, &r->rows[i], m, sa, n);
		evgw_textbuf_commit(&r->out, p);
		if (r->out.len >= FLUSH_AT)
			flush_out(r);
		return;
	}
	track_unknown(r, f);
}

static void bad_line(struct decode_run *r, uint64_t line, size_t col, const char *msg)
{
	r->bad_lines++;
	if (r->bad_lines <= MAX_REPORTED_BAD_LINES)
		fprintf(stderr, _("%s:%llu:%zu: error: %s\n"), r->name, (unsigned long long)line, col, msg);
}

static const char *stream_error(int e, enum evgw_instream_format fmt, char *buf, size_t cap)
{
	if (e == -EBADMSG)
		snprintf(buf, cap, _("corrupt or truncated %s data"), evgw_instream_format_name(fmt));
	else if (e == -EFBIG)
		snprintf(buf, cap, _("%s data needs a window over %u MiB"), evgw_instream_format_name(fmt),
			 EVGW_INSTREAM_WINDOW_MAX >> 20);
	else
		snprintf(buf, cap, _("read error: %s"), strerror(-e));
	return buf;
}

static int run(struct decode_run *r, int fd)
{
	struct evgw_instream *in = NULL;
	struct evgw_linereader lr = {0};
	int e = evgw_instream_open(fd, &in);
	if (e == 0)
		e = evgw_linereader_init(&lr, in, MAX_LINE);
	if (e < 0) {
		fprintf(stderr, "%s: %s\n", r->name, strerror(-e));
		evgw_linereader_free(&lr);
		evgw_instream_close(in);
		return CLI_USAGE;
	}
	if (r->mode == OUT_TABLE)
		table_header(r);
	const char *text;
	size_t len;
	while (!r->write_err && (e = evgw_linereader_next(&lr, &text, &len)) != 0) {
		if (e == -E2BIG) {
			bad_line(r, lr.line, MAX_LINE + 1, _("line longer than 65536 bytes"));
			continue;
		}
		if (e < 0)
			break;
		struct evgw_candump_line cl;
		size_t col = 0;
		const char *msg = NULL;
		int pr = evgw_candump_parse_line(text, len, &cl, &col, &msg);
		if (pr < 0)
			bad_line(r, lr.line, col, msg);
		else if (pr == EVGW_CANDUMP_FRAME)
			decode_frame(r, lr.line, &cl);
	}
	flush_out(r);
	int rc = r->bad_lines ? CLI_FINDINGS : CLI_OK;
	if (e < 0) {
		char buf[192];
		fprintf(stderr, _("%s:%llu: %s (at byte %llu of the file)\n"), r->name, (unsigned long long)lr.line + 1,
			stream_error(e, evgw_instream_format(in), buf, sizeof buf),
			(unsigned long long)evgw_instream_offset(in));
		rc = CLI_USAGE;
	} else if (r->out.failed) {
		fputs(_("evgw decode: out of memory\n"), stderr);
		rc = CLI_USAGE;
	}
	if (r->write_err) {
		fprintf(stderr, _("evgw decode: write error: %s\n"), strerror(r->write_err));
		rc = CLI_USAGE;
	}
	evgw_linereader_free(&lr);
	evgw_instream_close(in);
	if (rc != CLI_USAGE)
		print_summary(r);
	return rc;
}

/* ---- options ---- */

static const char usage_line[] = "evgw decode --dbc FILE [--dbc FILE...] [--json|--table] [--strict] [--quiet] [LOG|-]";

static int usage(void)
{
	fprintf(stderr, _("usage: %s\n"), usage_line);
	return CLI_USAGE;
}

static const struct option long_opts[] = {
	{"dbc", required_argument, NULL, 'd'},
	{"json", no_argument, NULL, 'j'},
	{"table", no_argument, NULL, 't'},
	{"strict", no_argument, NULL, 's'},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

struct decode_args {
	const char *dbc_paths[MAX_DBC];
	int n_paths;
	const char *log;
	bool strict;
};

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, struct decode_run *r, struct decode_args *a)
{
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":qh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (a->n_paths == MAX_DBC) {
				fprintf(stderr, _("evgw decode: at most %d DBC files\n"), MAX_DBC);
				return CLI_USAGE;
			}
			a->dbc_paths[a->n_paths++] = optarg;
			break;
		case 'j': r->mode = OUT_JSON; break;
		case 't': r->mode = OUT_TABLE; break;
		case 's': a->strict = true; break;
		case 'q': r->quiet = true; break;
		case 'h': /* evgw.c answers --help from the command table first */
			printf(_("usage: %s\n"), usage_line);
			return CLI_OK;
		case ':':
			fprintf(stderr, _("evgw decode: option '%s' needs a value\n"), argv[optind - 1]);
			return usage();
		default:
			fprintf(stderr, _("evgw decode: unknown option '%s'\n"), argv[optind - 1]);
			return usage();
		}
	}
	if (optind < argc)
		a->log = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, _("evgw decode: one log at a time ('%s' is one too many)\n"), argv[optind]);
		return usage();
	}
	if (!a->n_paths) {
		fputs(_("evgw decode: --dbc FILE is required\n"), stderr);
		return usage();
	}
	return -1;
}

static uint32_t cap_width(uint32_t w, uint32_t cap, uint32_t min)
{
	return w > cap ? cap : w < min ? min : w;
}

int cli_decode(int argc, char **argv)
{
	static struct decode_run zero;
	struct decode_run r = zero;
	struct decode_args a = {0};
	int rc = parse_args(argc, argv, &r, &a);
	if (rc >= 0)
		return rc;
	rc = CLI_USAGE;
	int fd = -1;
	uint32_t max_signals = 1;
	struct dbc_load_opts lo = {a.strict, cli_print_diag, &r.quiet};
	evgw_textbuf_init(&r.out);
	for (int i = 0; i < a.n_paths; i++) {
		int e = dbc_load_file(a.dbc_paths[i], &lo, &r.dbs[i]);
		if (e < 0) {
			fprintf(stderr, _("%s: cannot load: %s\n"), a.dbc_paths[i],
				e == -EINVAL ? _("see the errors above") : strerror(-e));
			goto out;
		}
		r.n_dbs++;
		const struct dbc_json_names *nm = r.dbs[i]->json;
		if (r.mode == OUT_TEXT && decode_rows_build(&r.rows[i], nm, TEXT_NAME_COL) < 0) {
			fputs(_("evgw decode: out of memory\n"), stderr);
			goto out;
		}
		r.w_msg = nm->max_msg_name > r.w_msg ? nm->max_msg_name : r.w_msg;
		r.w_sig = nm->max_sig_name > r.w_sig ? nm->max_sig_name : r.w_sig;
		r.w_unit = nm->max_unit > r.w_unit ? nm->max_unit : r.w_unit;
		for (uint32_t k = 0; k < r.dbs[i]->n_messages; k++)
			if (r.dbs[i]->messages[k]->n_signals > max_signals)
				max_signals = r.dbs[i]->messages[k]->n_signals;
	}
	r.w_msg = cap_width(r.w_msg, TABLE_MAX_MSG, 7);
	r.w_sig = cap_width(r.w_sig, TABLE_MAX_SIG, 6);
	r.w_unit = cap_width(r.w_unit, TABLE_MAX_UNIT, 4);
	r.values = calloc(max_signals, sizeof *r.values);
	r.unknown_ids = malloc(UNKNOWN_SLOTS * sizeof *r.unknown_ids);
	if (!r.values || !r.unknown_ids) {
		fputs(_("evgw decode: out of memory\n"), stderr);
		goto out;
	}
	memset(r.unknown_ids, 0xFF, UNKNOWN_SLOTS * sizeof *r.unknown_ids);
	tzset();
	if (!a.log || !strcmp(a.log, "-")) {
		r.name = "<stdin>";
		rc = run(&r, STDIN_FILENO);
	} else {
		r.name = a.log;
		fd = open(a.log, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "%s: %s\n", a.log, strerror(errno));
			goto out;
		}
		rc = run(&r, fd);
	}
out:
	if (fd >= 0)
		close(fd);
	evgw_textbuf_free(&r.out);
	free(r.values);
	free(r.unknown_ids);
	for (int i = 0; i < r.n_dbs; i++) {
		decode_rows_free(&r.rows[i]);
		dbc_free(r.dbs[i]);
	}
	return rc;
}
