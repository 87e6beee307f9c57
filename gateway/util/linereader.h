// SPDX-License-Identifier: MIT
/* Lines from an instream, handed out in place from one fixed buffer: no
 * copy per line, no allocation after init, and memory that does not grow
 * with the input however long it runs. A line longer than the limit is
 * skipped and reported, so one damaged line cannot make the reader grow. */
#ifndef EVGW_UTIL_LINEREADER_H
#define EVGW_UTIL_LINEREADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/instream.h"

struct evgw_linereader {
	struct evgw_instream *in;
	char *buf;
	size_t cap;       /* buffer size: max_line plus room to read ahead */
	size_t max_line;  /* longest line handed out, newline excluded */
	size_t pos, end;  /* unread bytes are buf[pos..end) */
	bool eof;
	uint64_t line;    /* number of the line last returned (1-based) */
};

/* max_line: the longest line accepted (bytes, without the newline). The
 * buffer is max_line + 1 MiB. 0 or -ENOMEM. */
int evgw_linereader_init(struct evgw_linereader *lr, struct evgw_instream *in, size_t max_line);

/* The next line, without its "\n" (a "\r" before it stays): *line points
 * into the buffer and stays valid until the next call. A last line without
 * a newline is returned too. Returns 1 for a line, 0 at the end, -E2BIG
 * for a line over max_line (skipped; lr->line is its number and the next
 * call goes on after it), or the instream's negative errno. */
int evgw_linereader_next(struct evgw_linereader *lr, const char **line, size_t *len);

void evgw_linereader_free(struct evgw_linereader *lr);

#endif
