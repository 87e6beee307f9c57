// SPDX-License-Identifier: MIT
/* evgw convert: candump log <-> pcapng (LINKTYPE_CAN_SOCKETCAN), streaming.
 *
 * Memory is fixed whatever the input's length: one line or one block at a
 * time, through gateway/util/instream.c (so either input may be gzip, xz
 * or zstd compressed) and a buffered output. The input's format is told by
 * its first bytes (a pcapng section header), the output's by --to or the
 * output name (".pcapng"; else candump).
 *
 * What maps to what, so that candump -> pcapng -> candump gives back the
 * same bytes for a log as evgw and candump -l write it:
 *   each interface name          one Interface Description Block (if_name)
 *   "(sec.usec)"                 the packet's timestamp (if_tsresol 6)
 *   a trailing " T" (sent)       epb_flags outbound
 *   "# text" / "#text" lines     opt_comment "text" / "#text": before the
 *                                first frame on the section header, later
 *                                on the next frame's packet block */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "can/candump.h"
#include "can/pcapng.h"
#include "cli/cli.h"
#include "cli/cli_i18n.h"
#include "util/instream.h"

#define MAX_LINE (64u << 10)
#define READ_CHUNK (256u << 10)
#define OUT_BUF (256u << 10)
#define MAX_REPORTED 20
#define MAX_PENDING_COMMENT_BYTES (32u << 10)

enum fmt { FMT_CANDUMP, FMT_PCAPNG };

/* The input: the first bytes peeked to tell the format, then the rest. */
struct src {
	struct evgw_instream *in;
	uint8_t peek[4];
	size_t n_peek, peek_pos;
};

static ssize_t src_read(void *ud, void *buf, size_t cap)
{
	struct src *s = ud;
	if (s->peek_pos < s->n_peek) {
		size_t n = s->n_peek - s->peek_pos;
		n = n < cap ? n : cap;
		memcpy(buf, s->peek + s->peek_pos, n);
		s->peek_pos += n;
		return (ssize_t)n;
	}
	return evgw_instream_read(s->in, buf, cap);
}

struct conv {
	const char *in_name, *out_name;
	struct src src;
	FILE *out;
	uint64_t frames, bad, comments_dropped;
	/* candump -> pcapng */
	char (*ifnames)[16];
	unsigned n_ifaces;
	unsigned last_if;
	bool shb_done;
	char *pending[EVGW_PCAPNG_MAX_COMMENTS]; /* comment lines waiting for a block */
	size_t pending_len[EVGW_PCAPNG_MAX_COMMENTS];
	unsigned n_pending;
	size_t pending_bytes;
	uint8_t *block;
	size_t block_cap;
};

static int write_out(struct conv *c, const void *p, size_t n)
{
	if (fwrite(p, 1, n, c->out) != n) {
		fprintf(stderr, _("%s: write error: %s\n"), c->out_name, strerror(errno));
		return -1;
	}
	return 0;
}

static void bad_line(struct conv *c, uint64_t line, size_t col, const char *msg)
{
	if (++c->bad <= MAX_REPORTED)
		fprintf(stderr, _("%s:%llu:%zu: error: %s\n"), c->in_name, (unsigned long long)line, col, msg);
}

static void drop_pending(struct conv *c)
{
	for (unsigned i = 0; i < c->n_pending; i++)
		free(c->pending[i]);
	c->n_pending = 0;
	c->pending_bytes = 0;
}

/* A candump comment line -> its pcapng comment (see the top). */
static void keep_comment(struct conv *c, const char *line, size_t len)
{
	while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	if (len >= 2 && line[1] == ' ') {
		line += 2;
		len -= 2;
	}
	char *copy = c->n_pending < EVGW_PCAPNG_MAX_COMMENTS && c->pending_bytes + len <= MAX_PENDING_COMMENT_BYTES
			     ? strndup(line, len) : NULL;
	if (!copy) {
		c->comments_dropped++;
		return;
	}
	c->pending[c->n_pending] = copy;
	c->pending_len[c->n_pending++] = len;
	c->pending_bytes += len;
}

static int put_block(struct conv *c, int n)
{
	if (n < 0) {
		fprintf(stderr, _("%s: cannot encode a block: %s\n"), c->out_name, strerror(-n));
		return -1;
	}
	return write_out(c, c->block, (size_t)n);
}

static int write_shb(struct conv *c)
{
	c->shb_done = true;
	int n = evgw_pcapng_put_shb(c->block, c->block_cap, (const char *const *)c->pending, c->n_pending);
	drop_pending(c);
	return put_block(c, n);
}

static int iface_id(struct conv *c, const char *name, size_t len, uint32_t *id)
{
	if (c->last_if < c->n_ifaces && strlen(c->ifnames[c->last_if]) == len &&
	    !memcmp(c->ifnames[c->last_if], name, len)) {
		*id = c->last_if;
		return 0;
	}
	for (unsigned i = 0; i < c->n_ifaces; i++)
		if (strlen(c->ifnames[i]) == len && !memcmp(c->ifnames[i], name, len)) {
			*id = c->last_if = i;
			return 0;
		}
	if (c->n_ifaces == EVGW_PCAPNG_MAX_IFACES)
		return 1;
	memcpy(c->ifnames[c->n_ifaces], name, len); /* at most 15 bytes: the parser's limit */
	c->ifnames[c->n_ifaces][len] = '\0';
	if (put_block(c, evgw_pcapng_put_idb(c->block, c->block_cap, c->ifnames[c->n_ifaces])) < 0)
		return -1;
	*id = c->last_if = c->n_ifaces++;
	return 0;
}

/* A candump line's frame to a packet block. */
static int candump_frame(struct conv *c, uint64_t lineno, const char *line, size_t len)
{
	size_t n = len;
	while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	bool tx = false;
	/* candump -x's direction mark: " T" sent, " R" received. */
	if (n >= 2 && (line[n - 1] == 'T' || line[n - 1] == 'R') && (line[n - 2] == ' ' || line[n - 2] == '\t')) {
		tx = line[n - 1] == 'T';
		n -= 2;
	}
	struct evgw_candump_line cl;
	size_t col = 0;
	const char *msg = NULL;
	int pr = evgw_candump_parse_line(line, n, &cl, &col, &msg);
	if (pr < 0) {
		bad_line(c, lineno, col, msg);
		return 0;
	}
	if (pr != EVGW_CANDUMP_FRAME)
		return 0;
	if (!cl.has_ts || !cl.iface_len) {
		bad_line(c, lineno, 1, "a frame without \"(seconds) interface\" (candump -l writes them)");
		return 0;
	}
	if (!c->shb_done && write_shb(c) < 0)
		return -1;
	uint32_t ifid;
	int r = iface_id(c, cl.iface, cl.iface_len, &ifid);
	if (r < 0)
		return -1;
	if (r > 0) {
		bad_line(c, lineno, 1, "more than 256 interfaces");
		return 0;
	}
	if (tx)
		cl.frame.flags |= EVGW_FRAME_TX;
	int k = evgw_pcapng_put_epb(c->block, c->block_cap, ifid, &cl.frame, (const char *const *)c->pending,
				     c->pending_len, c->n_pending);
	drop_pending(c);
	if (k == -EINVAL) {
		bad_line(c, lineno, 1, "a frame LINKTYPE_CAN_SOCKETCAN cannot hold");
		return 0;
	}
	if (put_block(c, k) < 0)
		return -1;
	c->frames++;
	return 0;
}

static int candump_to_pcapng(struct conv *c)
{
	c->ifnames = calloc(EVGW_PCAPNG_MAX_IFACES, sizeof *c->ifnames);
	c->block_cap = 28 + 72 + 12 + EVGW_PCAPNG_MAX_COMMENTS * 8 + MAX_PENDING_COMMENT_BYTES + 64;
	c->block = malloc(c->block_cap);
	char *buf = malloc(MAX_LINE + READ_CHUNK);
	int rc = -1;
	if (!c->ifnames || !c->block || !buf) {
		fputs(_("evgw convert: out of memory\n"), stderr);
		goto out;
	}
	size_t have = 0;
	uint64_t lineno = 0;
	bool eof = false, skipping = false;
	while (!eof || have) {
		ssize_t got = 0;
		if (!eof) {
			got = src_read(&c->src, buf + have, MAX_LINE + READ_CHUNK - have);
			if (got < 0) {
				fprintf(stderr, _("%s: %s (at byte %llu of the file)\n"), c->in_name,
					got == -EBADMSG ? _("corrupt or truncated compressed data") : strerror((int)-got),
					(unsigned long long)evgw_instream_offset(c->src.in));
				goto out;
			}
			eof = got == 0;
			have += (size_t)got;
		}
		size_t pos = 0;
		for (;;) {
			char *nl = memchr(buf + pos, '\n', have - pos);
			if (!nl && !(eof && pos < have))
				break;
			size_t len = nl ? (size_t)(nl - (buf + pos)) : have - pos;
			const char *line = buf + pos;
			pos += len + (nl ? 1 : 0);
			if (skipping) { /* the rest of an over-long line */
				skipping = false;
				continue;
			}
			lineno++;
			size_t s = 0;
			while (s < len && (line[s] == ' ' || line[s] == '\t'))
				s++;
			if (s < len && line[s] == '#')
				keep_comment(c, line + s, len - s);
			else if (candump_frame(c, lineno, line, len) < 0)
				goto out;
		}
		memmove(buf, buf + pos, have - pos);
		have -= pos;
		if (have >= MAX_LINE) {
			bad_line(c, ++lineno, MAX_LINE + 1, "line longer than 65536 bytes");
			have = 0;
			skipping = true;
		}
	}
	if (!c->shb_done && write_shb(c) < 0)
		goto out;
	if (c->n_pending) {
		fprintf(stderr,
			ngettext("%s: %u comment line after the last frame not carried (pcapng keeps comments on blocks)\n",
				 "%s: %u comment lines after the last frame not carried (pcapng keeps comments on blocks)\n",
				 c->n_pending),
			c->in_name, c->n_pending);
		drop_pending(c);
	}
	rc = 0;
out:
	drop_pending(c);
	free(buf);
	free(c->block);
	free(c->ifnames);
	return rc;
}

/* A pcapng comment as a candump comment line (see the top). */
static int put_comment(struct conv *c, const char *s, size_t n)
{
	if (n && s[0] == '#') {
		s++;
		n--;
		putc('#', c->out);
	} else {
		fputs("# ", c->out);
	}
	for (size_t i = 0; i < n; i++) /* one line, whatever it holds */
		putc((unsigned char)s[i] < 0x20 ? ' ' : s[i], c->out);
	return write_out(c, "\n", 1);
}

static bool iface_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
	       ch == '.' || ch == '-';
}

static int pcapng_to_candump(struct conv *c)
{
	struct evgw_pcapng_reader r;
	if (evgw_pcapng_reader_init(&r, src_read, &c->src) < 0) {
		fputs(_("evgw convert: out of memory\n"), stderr);
		return -1;
	}
	struct evgw_pcapng_record rec;
	char err[256];
	int e, rc = 0;
	while ((e = evgw_pcapng_next(&r, &rec, err, sizeof err)) > 0) {
		for (unsigned i = 0; i < rec.n_comments && rc == 0; i++)
			rc = put_comment(c, rec.comments[i], rec.comment_lens[i]);
		if (rc < 0)
			break;
		if (rec.kind != EVGW_PCAPNG_FRAME)
			continue;
		char name[16];
		size_t n = 0;
		for (const char *p = rec.iface->name; *p && n < sizeof name - 1; p++)
			name[n++] = iface_char(*p) ? *p : '_';
		if (!n)
			n = (size_t)snprintf(name, sizeof name, "can%" PRIu32, rec.ifid);
		name[n] = '\0';
		char text[160], line[256];
		int t = evgw_candump_format_frame(&rec.frame, text, sizeof text);
		if (t < 0) {
			fprintf(stderr, _("%s: byte %llu: a frame candump's text cannot hold\n"), c->in_name,
				(unsigned long long)rec.offset);
			c->bad++;
			continue;
		}
		int64_t us = rec.frame.ts_us;
		int k = snprintf(line, sizeof line, "(%" PRId64 ".%06" PRId64 ") %s %s%s\n", us / 1000000, us % 1000000,
				 name, text, (rec.frame.flags & EVGW_FRAME_TX) ? " T" : "");
		if ((rc = write_out(c, line, (size_t)k)) < 0)
			break;
		c->frames++;
	}
	if (e < 0 && rc == 0) {
		if (e == -EINVAL || e == -EBADMSG)
			fprintf(stderr, "%s: %s\n", c->in_name, err);
		else
			fprintf(stderr, _("%s: %s (at byte %llu of the file)\n"), c->in_name,
				e == -EBADMSG ? _("corrupt or truncated compressed data") : strerror(-e),
				(unsigned long long)evgw_instream_offset(c->src.in));
		rc = -1;
	}
	if (r.skipped)
		fprintf(stderr, _("%s: %llu blocks or packets that are not CAN frames skipped\n"), c->in_name,
			(unsigned long long)r.skipped);
	evgw_pcapng_reader_free(&r);
	return rc;
}

static const char usage_line[] = "evgw convert [--to candump|pcapng] IN|- OUT|-";

static int usage(void)
{
	fprintf(stderr, _("usage: %s\n"), usage_line);
	return CLI_USAGE;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

int cli_convert(int argc, char **argv)
{
	static const struct option opts[] = {{"to", required_argument, NULL, 't'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	optind = 1;
	opterr = 0;
	int ch, to = -1;
	while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (ch == 't' && (!strcmp(optarg, "candump") || !strcmp(optarg, "pcapng"))) {
			to = !strcmp(optarg, "pcapng") ? FMT_PCAPNG : FMT_CANDUMP;
		} else if (ch == 't') {
			fprintf(stderr, _("evgw convert: --to must be candump or pcapng, not '%s'\n"), optarg);
			return usage();
		} else if (ch == 'h') {
			printf(_("usage: %s\n"), usage_line);
			return CLI_OK;
		} else {
			fprintf(stderr,
				ch == ':' ? _("evgw convert: option needs a value: '%s'\n") : _("evgw convert: unknown option '%s'\n"),
				argv[optind - 1]);
			return usage();
		}
	}
	if (argc - optind != 2)
		return usage();
	struct conv c = {.in_name = argv[optind], .out_name = argv[optind + 1]};
	bool in_stdin = !strcmp(c.in_name, "-"), out_stdout = !strcmp(c.out_name, "-");
	int in_fd = in_stdin ? STDIN_FILENO : open(c.in_name, O_RDONLY | O_CLOEXEC);
	if (in_fd < 0) {
		fprintf(stderr, "%s: %s\n", c.in_name, strerror(errno));
		return CLI_USAGE;
	}
	if (in_stdin)
		c.in_name = "<stdin>";
	int rc = CLI_USAGE;
	int e = evgw_instream_open(in_fd, &c.src.in);
	if (e < 0) {
		fprintf(stderr, "%s: %s\n", c.in_name, strerror(-e));
		goto out;
	}
	while (c.src.n_peek < 4) {
		ssize_t n = evgw_instream_read(c.src.in, c.src.peek + c.src.n_peek, 4 - c.src.n_peek);
		if (n < 0) {
			fprintf(stderr, "%s: %s\n", c.in_name,
				n == -EBADMSG ? _("corrupt or truncated compressed data") : strerror((int)-n));
			goto out;
		}
		if (n == 0)
			break;
		c.src.n_peek += (size_t)n;
	}
	enum fmt from = c.src.n_peek == 4 && !memcmp(c.src.peek, EVGW_PCAPNG_MAGIC, 4) ? FMT_PCAPNG : FMT_CANDUMP;
	if (to < 0)
		to = !out_stdout && ends_with(c.out_name, ".pcapng") ? FMT_PCAPNG : FMT_CANDUMP;
	if ((int)from == to) {
		fprintf(stderr,
			from == FMT_PCAPNG ? _("evgw convert: %s is already pcapng; nothing to convert\n")
					   : _("evgw convert: %s is already a candump log; nothing to convert\n"),
			c.in_name);
		goto out;
	}
	if (out_stdout) {
		c.out = stdout;
		c.out_name = "<stdout>";
	} else {
		/* Never over an existing file, as recordings. */
		int fd = open(c.out_name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		c.out = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (!c.out) {
			fprintf(stderr, "%s: %s\n", c.out_name, strerror(errno));
			if (fd >= 0)
				close(fd);
			goto out;
		}
	}
	setvbuf(c.out, NULL, _IOFBF, OUT_BUF);
	int r = from == FMT_CANDUMP ? candump_to_pcapng(&c) : pcapng_to_candump(&c);
	if (fflush(c.out) != 0 && r == 0) {
		fprintf(stderr, _("%s: write error: %s\n"), c.out_name, strerror(errno));
		r = -1;
	}
	if (!out_stdout && fclose(c.out) != 0 && r == 0) {
		fprintf(stderr, _("%s: write error: %s\n"), c.out_name, strerror(errno));
		r = -1;
	}
	if (c.comments_dropped)
		fprintf(stderr, _("%s: %llu comment lines not carried (more than %d, or %u KiB, before one frame)\n"),
			c.in_name, (unsigned long long)c.comments_dropped, EVGW_PCAPNG_MAX_COMMENTS,
			MAX_PENDING_COMMENT_BYTES >> 10);
	rc = r < 0 ? CLI_USAGE : c.bad ? CLI_FINDINGS : CLI_OK;
	if (r == 0)
		fprintf(stderr, _("%s -> %s: %llu frames%s\n"), c.in_name, c.out_name, (unsigned long long)c.frames,
			c.bad ? _(" (with errors above)") : "");
out:
	evgw_instream_close(c.src.in);
	if (!in_stdin)
		close(in_fd);
	return rc;
}
