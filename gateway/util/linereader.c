// SPDX-License-Identifier: MIT
/* Line splitting over a fixed buffer; see linereader.h. */
#include "util/linereader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define READ_AHEAD (1u << 20)

int evgw_linereader_init(struct evgw_linereader *lr, struct evgw_instream *in, size_t max_line)
{
	memset(lr, 0, sizeof *lr);
	lr->in = in;
	lr->max_line = max_line;
	lr->cap = max_line + READ_AHEAD;
	lr->buf = malloc(lr->cap);
	return lr->buf ? 0 : -ENOMEM;
}

void evgw_linereader_free(struct evgw_linereader *lr)
{
	free(lr->buf);
	lr->buf = NULL;
}

/* Move the unread tail to the front and read into the space after it.
 * Returns the byte count read (0 at the end) or a negative errno. */
static int fill(struct evgw_linereader *lr)
{
	if (lr->pos > 0) {
		memmove(lr->buf, lr->buf + lr->pos, lr->end - lr->pos);
		lr->end -= lr->pos;
		lr->pos = 0;
	}
	ssize_t r = evgw_instream_read(lr->in, lr->buf + lr->end, lr->cap - lr->end);
	if (r < 0)
		return (int)r;
	if (r == 0)
		lr->eof = true;
	lr->end += (size_t)r;
	return (int)(r > 0);
}

/* Drop bytes up to and including the next newline (or the end). */
static int skip_line(struct evgw_linereader *lr)
{
	for (;;) {
		char *nl = memchr(lr->buf + lr->pos, '\n', lr->end - lr->pos);
		if (nl) {
			lr->pos = (size_t)(nl - lr->buf) + 1;
			return 0;
		}
		lr->pos = lr->end = 0;
		if (lr->eof)
			return 0;
		int r = fill(lr);
		if (r < 0)
			return r;
	}
}

int evgw_linereader_next(struct evgw_linereader *lr, const char **line, size_t *len)
{
	size_t scanned = 0; /* bytes after pos already known to hold no newline */
	for (;;) {
		char *start = lr->buf + lr->pos;
		char *nl = memchr(start + scanned, '\n', lr->end - lr->pos - scanned);
		size_t n = nl ? (size_t)(nl - start) : lr->end - lr->pos;
		if (n > lr->max_line) {
			lr->line++;
			lr->pos += nl ? n + 1 : n;
			if (!nl) {
				int r = skip_line(lr);
				if (r < 0)
					return r;
			}
			return -E2BIG;
		}
		if (nl || (lr->eof && n > 0)) {
			lr->line++;
			*line = start;
			*len = n;
			lr->pos += nl ? n + 1 : n;
			return 1;
		}
		if (lr->eof)
			return 0;
		scanned = n;
		int r = fill(lr);
		if (r < 0)
			return r;
	}
}
