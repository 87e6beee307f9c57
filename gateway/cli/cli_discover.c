// SPDX-License-Identifier: MIT
/* evgw discover: a candump recording in, a draft DBC out, for the ids no
 * loaded DBC file describes (the analysis is in gateway/discover/). The
 * log streams through the same reader as evgw decode (plain, gzip, xz,
 * zstd; a pipe too); memory per id is bounded (disc_collect.h). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "can/candump.h"
#include "cli/cli.h"
#include "cli/cli_i18n.h"
#include "cli/cli_term.h"
#include "dbc/dbc_decode.h"
#include "discover/disc_collect.h"
#include "discover/disc_correlate.h"
#include "discover/disc_draft.h"
#include "discover/disc_message.h"
#include "discover/disc_obd.h"
#include "diag/obd.h"
#include "util/instream.h"
#include "util/linereader.h"

#define MAX_DBC 64
#define MAX_LINE (64u << 10)
#define MAX_REPORTED_BAD_LINES 20
#define CORRELATE_SHOWN 10
#define MIN_FRAMES 2 /* an id seen once has nothing to compare */

struct discover_args {
	const char *dbc_paths[MAX_DBC];
	int n_paths;
	const char *log, *out, *bus, *correlate;
	bool quiet;
};

/* The known signal --correlate follows: a DBC signal, or an OBD-II PID
 * whose answers are in the same log. */
struct reference {
	bool obd;
	uint8_t pid;     /* obd: the mode 01 PID */
	const char *bus; /* NULL: any */
	size_t bus_len;
	const struct dbc_db *db;
	const struct dbc_message *msg;
	const struct dbc_signal *sig;
	double value;    /* latest, NAN before its first frame */
	uint64_t frames;
};

struct discover_run {
	const struct discover_args *a;
	struct dbc_db *dbs[MAX_DBC];
	int n_dbs;
	struct dbc_value *values;
	struct reference ref;
	struct disc_collect col;
	uint64_t frames, known, bad_lines;
	const char *name;
};

static const char usage_line[] =
	"evgw discover LOG [--bus NAME] [--dbc FILE...] --out DRAFT.dbc [--correlate BUS.MESSAGE.SIGNAL|obd:PID] "
	"[--quiet]";

static int usage(void)
{
	fprintf(stderr, _("usage: %s\n"), usage_line);
	return CLI_USAGE;
}

static const struct option long_opts[] = {
	{"dbc", required_argument, NULL, 'd'},
	{"out", required_argument, NULL, 'o'},
	{"bus", required_argument, NULL, 'b'},
	{"correlate", required_argument, NULL, 'c'},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, struct discover_args *a)
{
	optind = 0; /* 0, not 1: GNU getopt re-reads the "-" ordering only then */
	opterr = 0;
	int c;
	/* "-": operands come back in order as 1, wherever they stand. */
	while ((c = getopt_long(argc, argv, "-:qh", long_opts, NULL)) != -1) {
		switch (c) {
		case 1:
			if (a->log) {
				fprintf(stderr, _("evgw discover: one log at a time ('%s' is one too many)\n"), optarg);
				return usage();
			}
			a->log = optarg;
			break;
		case 'd':
			if (a->n_paths == MAX_DBC) {
				fprintf(stderr, _("evgw discover: at most %d DBC files\n"), MAX_DBC);
				return CLI_USAGE;
			}
			a->dbc_paths[a->n_paths++] = optarg;
			break;
		case 'o': a->out = optarg; break;
		case 'b': a->bus = optarg; break;
		case 'c': a->correlate = optarg; break;
		case 'q': a->quiet = true; break;
		case 'h':
			printf(_("usage: %s\n"), usage_line);
			return CLI_OK;
		case ':':
			fprintf(stderr, _("evgw discover: option '%s' needs a value\n"), argv[optind - 1]);
			return usage();
		default:
			fprintf(stderr, _("evgw discover: unknown option '%s'\n"), argv[optind - 1]);
			return usage();
		}
	}
	if (!a->log) {
		fputs(_("evgw discover: LOG is required (- for standard input)\n"), stderr);
		return usage();
	}
	if (!a->out) {
		fputs(_("evgw discover: --out DRAFT.dbc is required\n"), stderr);
		return usage();
	}
	return -1;
}

/* BUS.MESSAGE.SIGNAL, split from the right (a bus name may hold dots), or
 * obd:PID. */
static int find_reference(struct discover_run *r, const char *spec)
{
	r->ref.value = NAN;
	if (!strncasecmp(spec, "obd:", 4)) {
		int e = disc_obd_parse_spec(spec, &r->ref.pid);
		if (e == -ENOTSUP)
			fprintf(stderr,
				_("evgw discover: --correlate '%s': evgw knows no formula for that PID "
				  "(`evgw read-pids` lists what it decodes)\n"),
				spec);
		else if (e < 0)
			fprintf(stderr, _("evgw discover: --correlate '%s': expected obd:PID, the PID in hex (obd:0D)\n"),
				spec);
		if (e < 0)
			return CLI_USAGE;
		r->ref.obd = true;
		return -1;
	}
	const char *last = strrchr(spec, '.');
	const char *mid = NULL;
	for (const char *p = spec; last && p < last; p++)
		if (*p == '.')
			mid = p;
	if (!last || !mid || mid == spec || last == mid + 1 || !last[1]) {
		fprintf(stderr, _("evgw discover: --correlate '%s': expected BUS.MESSAGE.SIGNAL (BUS may be *)\n"), spec);
		return CLI_USAGE;
	}
	char msg[256], sig[256];
	snprintf(msg, sizeof msg, "%.*s", (int)(last - mid - 1), mid + 1);
	snprintf(sig, sizeof sig, "%s", last + 1);
	r->ref.bus = spec;
	r->ref.bus_len = (size_t)(mid - spec);
	if (r->ref.bus_len == 1 && spec[0] == '*')
		r->ref.bus = NULL;
	r->ref.value = NAN;
	for (int i = 0; i < r->n_dbs; i++) {
		const struct dbc_message *m = dbc_find_message_by_name(r->dbs[i], msg);
		if (!m)
			continue;
		const struct dbc_signal *s = dbc_find_signal(r->dbs[i], m, sig);
		if (!s) {
			fprintf(stderr, _("evgw discover: --correlate: message %s has no signal %s\n"), msg, sig);
			return CLI_USAGE;
		}
		r->ref.db = r->dbs[i];
		r->ref.msg = m;
		r->ref.sig = s;
		return -1;
	}
	fprintf(stderr, _("evgw discover: --correlate: no loaded DBC file (--dbc) has a message %s\n"), msg);
	return CLI_USAGE;
}

static bool bus_is(const struct evgw_candump_line *cl, const char *name, size_t len)
{
	return cl->iface_len == len && !memcmp(cl->iface, name, len);
}

static int take_frame(struct discover_run *r, const struct evgw_candump_line *cl)
{
	const struct evgw_frame *f = &cl->frame;
	if (f->flags & (EVGW_FRAME_ERR | EVGW_FRAME_RTR))
		return 0;
	/* OBD-II requests and answers are the reference, not the vehicle's
	 * own messages (any bus). */
	if (r->ref.obd && disc_obd_traffic(f)) {
		double v;
		if (disc_obd_value(r->ref.pid, f, &v)) {
			r->ref.value = v;
			r->ref.frames++;
		}
		return 0;
	}
	/* Frames of another bus serve only as the reference. */
	bool on_bus = !r->a->bus || bus_is(cl, r->a->bus, strlen(r->a->bus));
	for (int i = 0; i < r->n_dbs; i++) {
		int sa;
		const struct dbc_message *m = dbc_lookup(r->dbs[i], f, &sa);
		if (!m)
			continue;
		if (m == r->ref.msg && (!r->ref.bus || bus_is(cl, r->ref.bus, r->ref.bus_len))) {
			uint32_t n = dbc_decode(m, f, r->values);
			for (uint32_t k = 0; k < n; k++)
				if (r->values[k].sig == r->ref.sig) {
					r->ref.value = r->values[k].phys;
					r->ref.frames++;
				}
		}
		r->known += on_bus;
		return 0;
	}
	if (!on_bus)
		return 0;
	r->frames++;
	return disc_collect_frame(&r->col, f, r->ref.value);
}

static int read_log(struct discover_run *r, int fd)
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
	const char *text;
	size_t len;
	int rc = CLI_OK;
	while ((e = evgw_linereader_next(&lr, &text, &len)) != 0) {
		if (e == -E2BIG) {
			if (++r->bad_lines <= MAX_REPORTED_BAD_LINES)
				fprintf(stderr, _("%s:%llu:%zu: error: %s\n"), r->name, (unsigned long long)lr.line,
					(size_t)MAX_LINE + 1, _("line longer than 65536 bytes"));
			continue;
		}
		if (e < 0)
			break;
		struct evgw_candump_line cl;
		size_t col = 0;
		const char *msg = NULL;
		int pr = evgw_candump_parse_line(text, len, &cl, &col, &msg);
		if (pr < 0) {
			if (++r->bad_lines <= MAX_REPORTED_BAD_LINES)
				fprintf(stderr, _("%s:%llu:%zu: error: %s\n"), r->name, (unsigned long long)lr.line, col, msg);
			continue;
		}
		if (pr == EVGW_CANDUMP_FRAME && take_frame(r, &cl) < 0) {
			fputs(_("evgw discover: out of memory\n"), stderr);
			rc = CLI_USAGE;
			break;
		}
	}
	if (e < 0) {
		fprintf(stderr, _("%s:%llu: %s (at byte %llu of the file)\n"), r->name, (unsigned long long)lr.line + 1,
			e == -EBADMSG ? _("corrupt or truncated compressed data") : strerror(-e),
			(unsigned long long)evgw_instream_offset(in));
		rc = CLI_USAGE;
	}
	evgw_linereader_free(&lr);
	evgw_instream_close(in);
	return rc;
}

static void print_correlation(struct discover_run *r, const struct disc_message *msgs, size_t n)
{
	size_t n_fields = 0;
	for (size_t i = 0; i < n; i++)
		n_fields += msgs[i].layout.n_fields;
	struct disc_corr *c = calloc(n_fields ? n_fields : 1, sizeof *c);
	if (!c) {
		fputs(_("evgw discover: out of memory\n"), stderr);
		return;
	}
	size_t k = disc_correlate(msgs, n, c, n_fields);
	if (r->ref.obd) {
		const struct obd_pid_info *pi = obd_pid_info(r->ref.pid);
		printf(_("Draft fields following OBD-II PID %02X, %s in %s (%llu answers), best first:\n"), r->ref.pid,
		       pi->name, pi->unit, (unsigned long long)r->ref.frames);
	} else {
		struct evgw_str mn = dbc_str(r->ref.db, r->ref.msg->name), sn = dbc_str(r->ref.db, r->ref.sig->name);
		printf(_("Draft fields following %.*s.%.*s (%llu frames), best first:\n"), (int)mn.len, mn.ptr,
		       (int)sn.len, sn.ptr, (unsigned long long)r->ref.frames);
	}
	/* The heads padded by characters (Russian). */
	const char *rank = cli_column_head(NC_("column", "RANK")), *field = cli_column_head(NC_("column", "FIELD"));
	const char *scale = cli_column_head(NC_("column", "SCALE")), *offset = cli_column_head(NC_("column", "OFFSET"));
	const char *samples = cli_column_head(NC_("column", "SAMPLES"));
	printf("%*s  %-*s  %8s  %*s  %*s  %*s\n", cli_pad(rank, 4), rank, cli_pad(field, 28), field, "R",
	       cli_pad(scale, 14), scale, cli_pad(offset, 14), offset, cli_pad(samples, 6), samples);
	for (size_t i = 0; i < k && i < CORRELATE_SHOWN; i++) {
		char name[64], mname[32], fname[32];
		disc_message_name(&msgs[c[i].msg], mname, sizeof mname);
		disc_field_name(&msgs[c[i].msg].layout.fields[c[i].field], fname, sizeof fname);
		snprintf(name, sizeof name, "%s.%s", mname, fname);
		printf("%4zu  %-28s  %8.4f  %14.6g  %14.6g  %6" PRIu32 "\n", i + 1, name, c[i].r, c[i].scale, c[i].offset,
		       c[i].n);
	}
	if (!k)
		fputs(_("(none: the reference and the unknown ids were not seen together)\n"), stdout);
	free(c);
}

static int analyze_and_write(struct discover_run *r)
{
	struct disc_message *msgs = calloc(r->col.n_ids ? r->col.n_ids : 1, sizeof *msgs);
	if (!msgs) {
		fputs(_("evgw discover: out of memory\n"), stderr);
		return CLI_USAGE;
	}
	size_t n = disc_analyze_all(&r->col, MIN_FRAMES, msgs);
	uint32_t n_cs = 0, n_ctr = 0, n_fields = 0;
	for (size_t i = 0; i < n; i++) {
		n_cs += msgs[i].checksum.kind != 0;
		n_ctr += msgs[i].counter.found;
		n_fields += msgs[i].layout.n_fields;
	}
	int rc = CLI_OK;
	FILE *out = fopen(r->a->out, "w");
	if (!out) {
		fprintf(stderr, "%s: %s\n", r->a->out, strerror(errno));
		rc = CLI_USAGE;
	} else {
		int e = disc_draft_write(out, msgs, n, r->name);
		if (fclose(out) != 0 && !e)
			e = -errno;
		if (e < 0) {
			fprintf(stderr, _("%s: write error: %s\n"), r->a->out, strerror(-e));
			rc = CLI_USAGE;
		}
	}
	if (rc == CLI_OK && !r->a->quiet)
		fprintf(stderr,
			_("evgw discover: %llu frames of %zu unknown ids (%llu frames described by the DBC files); "
			  "wrote %zu messages to %s: %u checksums, %u counters, %u value fields\n"),
			(unsigned long long)r->frames, n, (unsigned long long)r->known, n, r->a->out, n_cs, n_ctr, n_fields);
	if (r->col.dropped_ids && !r->a->quiet)
		fprintf(stderr, _("evgw discover: %llu frames of ids beyond the first %d left out\n"),
			(unsigned long long)r->col.dropped_ids, DISC_MAX_IDS);
	if (rc == CLI_OK && (r->ref.sig || r->ref.obd))
		print_correlation(r, msgs, n);
	free(msgs);
	return rc;
}

int cli_discover(int argc, char **argv)
{
	struct discover_args a = {0};
	int rc = parse_args(argc, argv, &a);
	if (rc >= 0)
		return rc;
	static struct discover_run zero;
	struct discover_run r = zero;
	r.a = &a;
	r.ref.value = NAN;
	rc = CLI_USAGE;
	int fd = -1;
	uint32_t max_signals = 1;
	struct dbc_load_opts lo = {false, cli_print_diag, &a.quiet};
	for (int i = 0; i < a.n_paths; i++) {
		int e = dbc_load_file(a.dbc_paths[i], &lo, &r.dbs[i]);
		if (e < 0) {
			fprintf(stderr, _("%s: cannot load: %s\n"), a.dbc_paths[i],
				e == -EINVAL ? _("see the errors above") : strerror(-e));
			goto out;
		}
		r.n_dbs++;
		for (uint32_t k = 0; k < r.dbs[i]->n_messages; k++)
			if (r.dbs[i]->messages[k]->n_signals > max_signals)
				max_signals = r.dbs[i]->messages[k]->n_signals;
	}
	if (a.correlate) {
		int e = find_reference(&r, a.correlate);
		if (e >= 0) {
			rc = e;
			goto out;
		}
	}
	r.values = calloc(max_signals, sizeof *r.values);
	if (!r.values || disc_collect_init(&r.col) < 0) {
		fputs(_("evgw discover: out of memory\n"), stderr);
		goto out;
	}
	if (!strcmp(a.log, "-")) {
		r.name = "<stdin>";
		rc = read_log(&r, STDIN_FILENO);
	} else {
		r.name = a.log;
		fd = open(a.log, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "%s: %s\n", a.log, strerror(errno));
			goto out;
		}
		rc = read_log(&r, fd);
	}
	if (rc == CLI_OK)
		rc = analyze_and_write(&r);
	if (rc == CLI_OK && r.bad_lines)
		rc = CLI_FINDINGS;
out:
	if (fd >= 0)
		close(fd);
	free(r.values);
	disc_collect_free(&r.col);
	for (int i = 0; i < r.n_dbs; i++)
		dbc_free(r.dbs[i]);
	return rc;
}
