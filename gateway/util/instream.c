// SPDX-License-Identifier: MIT
/* Plain or compressed input as one byte stream; see instream.h.
 *
 * One input buffer feeds whichever decoder the magic bytes chose; each
 * decoder step turns some of it into the caller's buffer. Reaching the end
 * of fd before the decoder has seen the end of its stream means the file
 * was cut short, which is reported, never taken as a normal end. */
#include "util/instream.h"

#include <errno.h>
#include <lzma.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#define IN_BUF_SIZE (128u << 10)
#define MAGIC_MAX 6

struct evgw_instream {
	int fd;
	enum evgw_instream_format format;
	int err;           /* sticky negative errno, 0 while fine */
	bool fd_eof;
	bool stream_end;   /* the decoder saw a complete member/frame last */
	unsigned char *in; /* IN_BUF_SIZE bytes */
	size_t in_pos, in_len;
	uint64_t consumed; /* bytes of in handed to the decoder or caller */
	z_stream z;
	bool z_live;
	lzma_stream lz;
	bool lz_live;
	ZSTD_DStream *zs;
};

static ssize_t read_fd(int fd, void *buf, size_t cap)
{
	for (;;) {
		ssize_t r = read(fd, buf, cap);
		if (r >= 0 || errno != EINTR)
			return r < 0 ? -errno : r;
	}
}

/* Refill the input buffer once it is used up. Returns 0 (possibly at
 * fd's end: fd_eof) or a negative errno. */
static int refill(struct evgw_instream *s)
{
	if (s->in_pos < s->in_len || s->fd_eof)
		return 0;
	ssize_t r = read_fd(s->fd, s->in, IN_BUF_SIZE);
	if (r < 0)
		return (int)r;
	s->in_pos = 0;
	s->in_len = (size_t)r;
	if (r == 0)
		s->fd_eof = true;
	return 0;
}

static enum evgw_instream_format sniff(const unsigned char *p, size_t n)
{
	static const unsigned char gz[] = {0x1F, 0x8B};
	static const unsigned char xz[] = {0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00};
	static const unsigned char zst[] = {0x28, 0xB5, 0x2F, 0xFD};
	if (n >= sizeof gz && !memcmp(p, gz, sizeof gz))
		return EVGW_INSTREAM_GZIP;
	if (n >= sizeof xz && !memcmp(p, xz, sizeof xz))
		return EVGW_INSTREAM_XZ;
	if (n >= sizeof zst && !memcmp(p, zst, sizeof zst))
		return EVGW_INSTREAM_ZSTD;
	return EVGW_INSTREAM_PLAIN;
}

static int start_decoder(struct evgw_instream *s)
{
	switch (s->format) {
	case EVGW_INSTREAM_GZIP:
		/* 15 + 16: gzip wrapper only, with the largest window (32 KiB). */
		if (inflateInit2(&s->z, 15 + 16) != Z_OK)
			return -ENOMEM;
		s->z_live = true;
		return 0;
	case EVGW_INSTREAM_XZ: {
		/* The memory limit covers the dictionary a header asks for. */
		lzma_stream init = LZMA_STREAM_INIT;
		s->lz = init;
		lzma_ret r = lzma_stream_decoder(&s->lz, EVGW_INSTREAM_WINDOW_MAX + (16u << 20),
						 LZMA_CONCATENATED);
		if (r != LZMA_OK)
			return -ENOMEM;
		s->lz_live = true;
		return 0;
	}
	case EVGW_INSTREAM_ZSTD:
		s->zs = ZSTD_createDStream();
		if (!s->zs)
			return -ENOMEM;
		if (ZSTD_isError(ZSTD_DCtx_setParameter(s->zs, ZSTD_d_windowLogMax, 27)))
			return -ENOMEM;
		return 0;
	case EVGW_INSTREAM_PLAIN:
		break;
	}
	return 0;
}

int evgw_instream_open(int fd, struct evgw_instream **out)
{
	*out = NULL;
	struct evgw_instream *s = calloc(1, sizeof *s);
	if (!s)
		return -ENOMEM;
	s->fd = fd;
	s->in = calloc(1, IN_BUF_SIZE);
	if (!s->in) {
		free(s);
		return -ENOMEM;
	}
	/* A pipe may deliver the magic in pieces. */
	while (s->in_len < MAGIC_MAX) {
		ssize_t r = read_fd(fd, s->in + s->in_len, IN_BUF_SIZE - s->in_len);
		if (r < 0) {
			evgw_instream_close(s);
			return (int)r;
		}
		if (r == 0) {
			s->fd_eof = true;
			break;
		}
		s->in_len += (size_t)r;
	}
	s->format = sniff(s->in, s->in_len);
	int e = start_decoder(s);
	if (e < 0) {
		evgw_instream_close(s);
		return e;
	}
	*out = s;
	return 0;
}

static ssize_t read_plain(struct evgw_instream *s, unsigned char *buf, size_t cap)
{
	if (s->in_pos < s->in_len) {
		size_t n = s->in_len - s->in_pos;
		if (n > cap)
			n = cap;
		memcpy(buf, s->in + s->in_pos, n);
		s->in_pos += n;
		s->consumed += n;
		return (ssize_t)n;
	}
	if (s->fd_eof)
		return 0;
	ssize_t r = read_fd(s->fd, buf, cap);
	if (r == 0)
		s->fd_eof = true;
	if (r > 0)
		s->consumed += (uint64_t)r;
	return r;
}

/* gzip members one after another; the end of fd is fine only right after
 * a member ended. At fd's end inflate still runs with no input, to hand
 * out what it holds back for a full output buffer. */
static ssize_t read_gzip(struct evgw_instream *s, unsigned char *buf, size_t cap)
{
	for (;;) {
		int e = refill(s);
		if (e < 0)
			return e;
		if (s->stream_end) {
			if (s->in_pos == s->in_len)
				return 0;
			if (inflateReset(&s->z) != Z_OK)
				return -EBADMSG;
			s->stream_end = false;
		}
		s->z.next_in = s->in + s->in_pos;
		s->z.avail_in = (uInt)(s->in_len - s->in_pos);
		s->z.next_out = buf;
		s->z.avail_out = (uInt)(cap > UINT32_MAX ? UINT32_MAX : cap);
		int r = inflate(&s->z, Z_NO_FLUSH);
		size_t used = (size_t)(s->z.next_in - (s->in + s->in_pos));
		s->in_pos += used;
		s->consumed += used;
		size_t done = (size_t)(s->z.next_out - buf);
		if (r == Z_STREAM_END)
			s->stream_end = true;
		else if (r == Z_MEM_ERROR)
			return -ENOMEM;
		else if (r != Z_OK) /* Z_BUF_ERROR here: input ended mid-member */
			return -EBADMSG;
		if (done)
			return (ssize_t)done;
	}
}

static ssize_t read_xz(struct evgw_instream *s, unsigned char *buf, size_t cap)
{
	size_t done = 0;
	while (done == 0) {
		int e = refill(s);
		if (e < 0)
			return e;
		if (s->stream_end)
			return 0;
		s->lz.next_in = s->in + s->in_pos;
		s->lz.avail_in = s->in_len - s->in_pos;
		s->lz.next_out = buf;
		s->lz.avail_out = cap;
		/* LZMA_FINISH at fd's end: LZMA_CONCATENATED needs it to know
		 * that no further stream follows. */
		lzma_ret r = lzma_code(&s->lz, s->fd_eof ? LZMA_FINISH : LZMA_RUN);
		size_t used = (size_t)(s->lz.next_in - (s->in + s->in_pos));
		s->in_pos += used;
		s->consumed += used;
		done = (size_t)(s->lz.next_out - buf);
		switch (r) {
		case LZMA_OK:
			break;
		case LZMA_STREAM_END:
			s->stream_end = true;
			break;
		case LZMA_MEM_ERROR:
			return -ENOMEM;
		case LZMA_MEMLIMIT_ERROR:
			return -EFBIG;
		case LZMA_BUF_ERROR: /* no progress possible: cut short */
		default:
			return -EBADMSG;
		}
		if (done == 0 && s->fd_eof && !s->stream_end && r == LZMA_OK && used == 0)
			return -EBADMSG;
	}
	return (ssize_t)done;
}

static ssize_t read_zstd(struct evgw_instream *s, unsigned char *buf, size_t cap)
{
	size_t done = 0;
	while (done == 0) {
		int e = refill(s);
		if (e < 0)
			return e;
		ZSTD_inBuffer in = {s->in + s->in_pos, s->in_len - s->in_pos, 0};
		ZSTD_outBuffer out = {buf, cap, 0};
		if (in.size == 0 && s->fd_eof) {
			/* Flush what a finished input still holds; a frame left
			 * open means the file was cut short. */
			size_t r = ZSTD_decompressStream(s->zs, &out, &in);
			if (ZSTD_isError(r))
				return -EBADMSG;
			if (out.pos) {
				s->stream_end = r == 0;
				return (ssize_t)out.pos;
			}
			return s->stream_end ? 0 : -EBADMSG;
		}
		size_t r = ZSTD_decompressStream(s->zs, &out, &in);
		s->in_pos += in.pos;
		s->consumed += in.pos;
		done = out.pos;
		if (ZSTD_isError(r)) {
			ZSTD_ErrorCode c = ZSTD_getErrorCode(r);
			if (c == ZSTD_error_memory_allocation)
				return -ENOMEM;
			if (c == ZSTD_error_frameParameter_windowTooLarge)
				return -EFBIG;
			return -EBADMSG;
		}
		/* 0: a frame is complete and fully flushed. */
		s->stream_end = r == 0;
	}
	return (ssize_t)done;
}

ssize_t evgw_instream_read(struct evgw_instream *s, void *buf, size_t cap)
{
	if (s->err)
		return s->err;
	if (cap == 0)
		return 0;
	ssize_t r = 0;
	switch (s->format) {
	case EVGW_INSTREAM_PLAIN: r = read_plain(s, buf, cap); break;
	case EVGW_INSTREAM_GZIP: r = read_gzip(s, buf, cap); break;
	case EVGW_INSTREAM_XZ: r = read_xz(s, buf, cap); break;
	case EVGW_INSTREAM_ZSTD: r = read_zstd(s, buf, cap); break;
	}
	if (r < 0)
		s->err = (int)r;
	return r;
}

enum evgw_instream_format evgw_instream_format(const struct evgw_instream *s)
{
	return s->format;
}

const char *evgw_instream_format_name(enum evgw_instream_format f)
{
	switch (f) {
	case EVGW_INSTREAM_GZIP: return "gzip";
	case EVGW_INSTREAM_XZ: return "xz";
	case EVGW_INSTREAM_ZSTD: return "zstd";
	case EVGW_INSTREAM_PLAIN: break;
	}
	return "plain";
}

uint64_t evgw_instream_offset(const struct evgw_instream *s)
{
	return s->consumed;
}

void evgw_instream_close(struct evgw_instream *s)
{
	if (!s)
		return;
	if (s->z_live)
		inflateEnd(&s->z);
	if (s->lz_live)
		lzma_end(&s->lz);
	ZSTD_freeDStream(s->zs);
	free(s->in);
	free(s);
}
