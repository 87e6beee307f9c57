// SPDX-License-Identifier: MIT
/* Bytes from a file descriptor, decompressed on the fly when they are a
 * gzip, xz or zstd stream: a recording of hours of traffic compresses ten
 * to twenty times, and is read here without unpacking it to disk first.
 *
 * The format is recognised by its magic bytes, not by a file name, so a
 * pipe works too: gzip 1F 8B, xz FD 37 7A 58 5A 00, zstd 28 B5 2F FD.
 * Concatenated members (`cat a.gz b.gz`, pzstd, pixz) are read one after the
 * other. Memory is bounded: one input buffer plus the decoder's window,
 * which is capped (EVGW_INSTREAM_WINDOW_MAX) against hostile headers. */
#ifndef EVGW_UTIL_INSTREAM_H
#define EVGW_UTIL_INSTREAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum evgw_instream_format {
	EVGW_INSTREAM_PLAIN = 0,
	EVGW_INSTREAM_GZIP,
	EVGW_INSTREAM_XZ,
	EVGW_INSTREAM_ZSTD,
};

/* The largest decoder window accepted: xz -9 and zstd -19 stay below
 * (64 MiB, 8 MiB); zstd --long=27 is exactly 128 MiB. */
#define EVGW_INSTREAM_WINDOW_MAX (128u << 20)

struct evgw_instream;

/* Start reading fd (which stays the caller's to close). Reads the first
 * bytes to tell the format. Returns 0 and *out, or a negative errno: a
 * read error, -ENOMEM. */
int evgw_instream_open(int fd, struct evgw_instream **out);

/* Up to cap decompressed bytes into buf. Returns the count (> 0), 0 at
 * the end of the stream, or a negative errno: a read error from fd,
 * -EBADMSG for corrupt or truncated compressed data, -EFBIG for data whose
 * window exceeds EVGW_INSTREAM_WINDOW_MAX (not -E2BIG: the line reader
 * says "line too long" with that, and a reader took the stream's lasting
 * error for one long line after another), -ENOMEM. After an error every
 * later read returns the same error. */
ssize_t evgw_instream_read(struct evgw_instream *s, void *buf, size_t cap);

enum evgw_instream_format evgw_instream_format(const struct evgw_instream *s);
/* "plain", "gzip", "xz", "zstd". */
const char *evgw_instream_format_name(enum evgw_instream_format f);
/* Bytes taken from fd so far (compressed bytes for compressed input), for
 * error messages that point into the file. */
uint64_t evgw_instream_offset(const struct evgw_instream *s);

/* Frees the decoder; NULL is fine. Does not close fd. */
void evgw_instream_close(struct evgw_instream *s);

#endif
