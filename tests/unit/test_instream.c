// SPDX-License-Identifier: MIT
/* Compressed and plain input as one stream, and lines over it. The
 * compressed inputs are made here with each library's own encoder (zlib's
 * gzip wrapper, liblzma's easy encoder, libzstd), so what is checked is the
 * streaming around the decoders: format detection, buffer boundaries,
 * concatenated members, truncation and corruption. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "util/instream.h"
#include "util/linereader.h"

struct bytes {
	unsigned char *p;
	size_t n, cap;
};

/* Doubling: sanitizer builds copy on every realloc. */
static void bytes_add(struct bytes *b, const void *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

/* Lines of varied length, like a candump log: about `size` bytes. */
static struct bytes sample_text(size_t size)
{
	struct bytes b = {0};
	char line[128];
	uint32_t x = 12345;
	for (unsigned i = 0; b.n < size; i++) {
		x = x * 1103515245u + 12345u;
		int n = snprintf(line, sizeof line, "(%u.%06u) can0 %03X#%0*X\n", 1700000000u + i / 1000,
				 (i % 1000) * 1000, x % 0x800, (int)(x >> 28) + 2, x & 0xFFFFFF);
		bytes_add(&b, line, (size_t)n);
	}
	return b;
}

static struct bytes gzip_of(const struct bytes *in)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	struct bytes out = {malloc(deflateBound(&z, in->n)), 0, 0};
	z.next_in = in->p;
	z.avail_in = (uInt)in->n;
	z.next_out = out.p;
	z.avail_out = (uInt)deflateBound(&z, in->n);
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	out.n = z.total_out;
	deflateEnd(&z);
	return out;
}

static struct bytes xz_of(const struct bytes *in)
{
	size_t cap = lzma_stream_buffer_bound(in->n);
	struct bytes out = {malloc(cap), 0, 0};
	assert_int_equal(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, in->p, in->n, out.p, &out.n, cap),
			 LZMA_OK);
	return out;
}

static struct bytes zstd_of(const struct bytes *in, bool checksum)
{
	ZSTD_CCtx *c = ZSTD_createCCtx();
	ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, checksum);
	size_t cap = ZSTD_compressBound(in->n);
	struct bytes out = {malloc(cap), 0, 0};
	out.n = ZSTD_compress2(c, out.p, cap, in->p, in->n);
	assert_false(ZSTD_isError(out.n));
	ZSTD_freeCCtx(c);
	return out;
}

/* A file descriptor holding exactly these bytes. */
static int fd_of(const struct bytes *b)
{
	int fd = memfd_create("instream-test", 0);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b->p, b->n), (ssize_t)b->n);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

/* Read the whole stream in pieces of `step` bytes. Returns 0 or the
 * error; the bytes read so far are in *got. */
static int read_all(const struct bytes *input, size_t step, enum evgw_instream_format want_fmt,
		    struct bytes *got)
{
	int fd = fd_of(input);
	struct evgw_instream *s = NULL;
	assert_int_equal(evgw_instream_open(fd, &s), 0);
	assert_int_equal(evgw_instream_format(s), want_fmt);
	memset(got, 0, sizeof *got);
	unsigned char *buf = malloc(step);
	int rc = 0;
	for (;;) {
		ssize_t r = evgw_instream_read(s, buf, step);
		if (r < 0) {
			rc = (int)r;
			/* Errors are sticky. */
			assert_int_equal(evgw_instream_read(s, buf, step), r);
			break;
		}
		if (r == 0)
			break;
		assert_true((size_t)r <= step);
		bytes_add(got, buf, (size_t)r);
	}
	free(buf);
	evgw_instream_close(s);
	close(fd);
	return rc;
}

static void expect_same(const struct bytes *input, size_t step, enum evgw_instream_format fmt,
			const struct bytes *want)
{
	struct bytes got;
	assert_int_equal(read_all(input, step, fmt, &got), 0);
	assert_int_equal(got.n, want->n);
	assert_memory_equal(got.p, want->p, want->n);
	free(got.p);
}

static void test_formats_roundtrip(void **state)
{
	(void)state;
	struct bytes text = sample_text(600000);
	struct bytes gz = gzip_of(&text), xz = xz_of(&text), zs = zstd_of(&text, false);
	static const size_t steps[] = {1 << 20, 65536, 4093, 7};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		if (steps[i] == 7 && text.n > 100000) {
			/* Byte dribbles over a prefix are enough for the small step. */
			struct bytes small = sample_text(20000);
			struct bytes sgz = gzip_of(&small), sxz = xz_of(&small), szs = zstd_of(&small, false);
			expect_same(&sgz, 7, EVGW_INSTREAM_GZIP, &small);
			expect_same(&sxz, 7, EVGW_INSTREAM_XZ, &small);
			expect_same(&szs, 7, EVGW_INSTREAM_ZSTD, &small);
			expect_same(&small, 7, EVGW_INSTREAM_PLAIN, &small);
			free(small.p), free(sgz.p), free(sxz.p), free(szs.p);
			continue;
		}
		expect_same(&text, steps[i], EVGW_INSTREAM_PLAIN, &text);
		expect_same(&gz, steps[i], EVGW_INSTREAM_GZIP, &text);
		expect_same(&xz, steps[i], EVGW_INSTREAM_XZ, &text);
		expect_same(&zs, steps[i], EVGW_INSTREAM_ZSTD, &text);
	}
	/* Compressed is much smaller than the text, and the offset says how
	 * much of the file was taken. */
	assert_true(gz.n * 3 < text.n);
	free(text.p), free(gz.p), free(xz.p), free(zs.p);
}

/* cat a.gz b.gz, and the same for xz and zstd: one stream of both. */
static void test_concatenated(void **state)
{
	(void)state;
	struct bytes a = sample_text(50000), b = {0};
	bytes_add(&b, "second part\n", 12);
	struct bytes both = {0};
	bytes_add(&both, a.p, a.n);
	bytes_add(&both, b.p, b.n);

	struct bytes (*enc[2])(const struct bytes *) = {gzip_of, xz_of};
	enum evgw_instream_format fmt[2] = {EVGW_INSTREAM_GZIP, EVGW_INSTREAM_XZ};
	for (int k = 0; k < 2; k++) {
		struct bytes ca = enc[k](&a), cb = enc[k](&b), cat = {0};
		bytes_add(&cat, ca.p, ca.n);
		bytes_add(&cat, cb.p, cb.n);
		expect_same(&cat, 65536, fmt[k], &both);
		free(ca.p), free(cb.p), free(cat.p);
	}
	struct bytes ca = zstd_of(&a, true), cb = zstd_of(&b, false), cat = {0};
	bytes_add(&cat, ca.p, ca.n);
	bytes_add(&cat, cb.p, cb.n);
	expect_same(&cat, 65536, EVGW_INSTREAM_ZSTD, &both);
	free(ca.p), free(cb.p), free(cat.p), free(a.p), free(b.p), free(both.p);
}

/* A file cut short is an error, never a quiet early end. */
static void test_truncated(void **state)
{
	(void)state;
	struct bytes text = sample_text(200000);
	struct bytes enc[3] = {gzip_of(&text), xz_of(&text), zstd_of(&text, false)};
	enum evgw_instream_format fmt[3] = {EVGW_INSTREAM_GZIP, EVGW_INSTREAM_XZ, EVGW_INSTREAM_ZSTD};
	for (int k = 0; k < 3; k++) {
		size_t full = enc[k].n;
		size_t cuts[] = {full - 1, full - 4, full / 2, 10};
		for (size_t c = 0; c < sizeof cuts / sizeof cuts[0]; c++) {
			enc[k].n = cuts[c];
			struct bytes got;
			assert_int_equal(read_all(&enc[k], 65536, fmt[k], &got), -EBADMSG);
			assert_true(got.n <= text.n); /* a cut trailer loses no data, but still fails */
			assert_memory_equal(got.p ? got.p : (unsigned char *)"", text.p, got.n);
			free(got.p);
		}
		free(enc[k].p);
	}
	free(text.p);
}

/* A damaged byte in the middle: the checks (gzip CRC-32, xz CRC-64, the
 * zstd frame checksum when written) catch it. */
static void test_corrupt(void **state)
{
	(void)state;
	struct bytes text = sample_text(100000);
	struct bytes enc[3] = {gzip_of(&text), xz_of(&text), zstd_of(&text, true)};
	enum evgw_instream_format fmt[3] = {EVGW_INSTREAM_GZIP, EVGW_INSTREAM_XZ, EVGW_INSTREAM_ZSTD};
	for (int k = 0; k < 3; k++) {
		enc[k].p[enc[k].n / 2] ^= 0x55;
		struct bytes got;
		assert_int_equal(read_all(&enc[k], 65536, fmt[k], &got), -EBADMSG);
		free(got.p);
		free(enc[k].p);
	}
	/* gzip's magic in front of something that is not gzip. */
	struct bytes fake = {0};
	bytes_add(&fake, "\x1f\x8bnot really gzip\n", 18);
	struct bytes got;
	assert_int_equal(read_all(&fake, 64, EVGW_INSTREAM_GZIP, &got), -EBADMSG);
	free(got.p), free(fake.p), free(text.p);
}

/* A zstd frame asking for a 256 MiB window is refused, not honoured. */
static void test_zstd_window_limit(void **state)
{
	(void)state;
	struct bytes text = sample_text(1000);
	ZSTD_CCtx *c = ZSTD_createCCtx();
	ZSTD_CCtx_setParameter(c, ZSTD_c_windowLog, 28);
	ZSTD_CCtx_setParameter(c, ZSTD_c_enableLongDistanceMatching, 1);
	struct bytes out = {malloc(ZSTD_compressBound(text.n) + 64), 0, 0};
	ZSTD_outBuffer ob = {out.p, ZSTD_compressBound(text.n) + 64, 0};
	ZSTD_inBuffer ib = {text.p, text.n, 0};
	/* Streaming without a known size keeps the window in the header. */
	assert_false(ZSTD_isError(ZSTD_compressStream2(c, &ob, &ib, ZSTD_e_continue)));
	ZSTD_inBuffer none = {NULL, 0, 0};
	assert_int_equal(ZSTD_compressStream2(c, &ob, &none, ZSTD_e_end), 0);
	out.n = ob.pos;
	ZSTD_freeCCtx(c);
	struct bytes got;
	assert_int_equal(read_all(&out, 65536, EVGW_INSTREAM_ZSTD, &got), -EFBIG);
	/* Through the line reader: the stream's error, not "line too long"
	 * (-E2BIG), which readers skip and go on from: they went on forever. */
	int fd = fd_of(&out);
	struct evgw_instream *s = NULL;
	struct evgw_linereader lr;
	const char *line;
	size_t len;
	assert_int_equal(evgw_instream_open(fd, &s), 0);
	assert_int_equal(evgw_linereader_init(&lr, s, 4096), 0);
	assert_int_equal(evgw_linereader_next(&lr, &line, &len), -EFBIG);
	assert_int_equal(lr.line, 0);
	evgw_linereader_free(&lr);
	evgw_instream_close(s);
	close(fd);
	free(got.p), free(out.p), free(text.p);
}

static void test_plain_short(void **state)
{
	(void)state;
	struct bytes empty = {0}, two = {0}, got;
	expect_same(&empty, 16, EVGW_INSTREAM_PLAIN, &empty);
	bytes_add(&two, "ab", 2);
	expect_same(&two, 16, EVGW_INSTREAM_PLAIN, &two);
	/* Five of xz's six magic bytes are plain text (odd, but not xz). */
	struct bytes almost = {0};
	bytes_add(&almost, "\xfd" "7zXZ", 5);
	expect_same(&almost, 16, EVGW_INSTREAM_PLAIN, &almost);
	(void)got;
	free(two.p), free(almost.p);
}

/* ---- lines ---- */

struct line_rec {
	int rc;
	uint64_t no;
	char text[200];
};

static size_t read_lines(const struct bytes *input, size_t max_line, struct line_rec *out, size_t cap)
{
	int fd = fd_of(input);
	struct evgw_instream *s = NULL;
	assert_int_equal(evgw_instream_open(fd, &s), 0);
	struct evgw_linereader lr;
	assert_int_equal(evgw_linereader_init(&lr, s, max_line), 0);
	size_t n = 0;
	for (;;) {
		const char *line;
		size_t len;
		int rc = evgw_linereader_next(&lr, &line, &len);
		if (rc == 0)
			break;
		assert_true(n < cap);
		out[n].rc = rc;
		out[n].no = lr.line;
		out[n].text[0] = '\0';
		if (rc == 1) {
			assert_true(len < sizeof out[n].text);
			memcpy(out[n].text, line, len);
			out[n].text[len] = '\0';
		}
		n++;
	}
	evgw_linereader_free(&lr);
	evgw_instream_close(s);
	close(fd);
	return n;
}

static void test_lines_basic(void **state)
{
	(void)state;
	struct bytes in = {0};
	const char text[] = "first\n\nthird\r\n";
	bytes_add(&in, text, sizeof text - 1);
	bytes_add(&in, "last without newline", 20);
	struct line_rec l[8];
	size_t n = read_lines(&in, 100, l, 8);
	assert_int_equal(n, 4);
	assert_string_equal(l[0].text, "first");
	assert_string_equal(l[1].text, "");
	assert_string_equal(l[2].text, "third\r");
	assert_string_equal(l[3].text, "last without newline");
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(l[i].rc, 1);
		assert_int_equal(l[i].no, i + 1);
	}
	free(in.p);
	struct bytes empty = {0};
	assert_int_equal(read_lines(&empty, 100, l, 8), 0);
}

/* A line over the limit is reported once, by number, and skipped; the
 * lines around it come through, also when it spans buffer refills. */
static void test_lines_too_long(void **state)
{
	(void)state;
	for (int big = 0; big < 2; big++) {
		size_t long_len = big ? (3u << 20) : 150; /* past the 1 MiB read-ahead, or not */
		struct bytes in = {0};
		bytes_add(&in, "one\n", 4);
		char *junk = malloc(long_len);
		memset(junk, 'x', long_len);
		bytes_add(&in, junk, long_len);
		bytes_add(&in, "\ntwo\n", 5);
		bytes_add(&in, junk, long_len); /* and one at the very end, unterminated */
		free(junk);
		struct line_rec l[8];
		size_t n = read_lines(&in, 100, l, 8);
		assert_int_equal(n, 4);
		assert_int_equal(l[0].rc, 1);
		assert_string_equal(l[0].text, "one");
		assert_int_equal(l[1].rc, -E2BIG);
		assert_int_equal(l[1].no, 2);
		assert_int_equal(l[2].rc, 1);
		assert_string_equal(l[2].text, "two");
		assert_int_equal(l[2].no, 3);
		assert_int_equal(l[3].rc, -E2BIG);
		assert_int_equal(l[3].no, 4);
		free(in.p);
	}
}

/* Many lines through a compressed stream: every one intact, in order,
 * across the reader's refills. */
static void test_lines_many(void **state)
{
	(void)state;
	struct bytes text = sample_text(3u << 20);
	struct bytes zs = zstd_of(&text, false);
	int fd = fd_of(&zs);
	struct evgw_instream *s = NULL;
	assert_int_equal(evgw_instream_open(fd, &s), 0);
	struct evgw_linereader lr;
	assert_int_equal(evgw_linereader_init(&lr, s, 4096), 0);
	size_t off = 0;
	const char *line;
	size_t len;
	int rc;
	while ((rc = evgw_linereader_next(&lr, &line, &len)) == 1) {
		assert_true(off + len < text.n);
		assert_memory_equal(line, text.p + off, len);
		assert_int_equal(text.p[off + len], '\n');
		off += len + 1;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(off, text.n);
	evgw_linereader_free(&lr);
	evgw_instream_close(s);
	close(fd);
	free(zs.p), free(text.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats_roundtrip),
		cmocka_unit_test(test_concatenated),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_zstd_window_limit),
		cmocka_unit_test(test_plain_short),
		cmocka_unit_test(test_lines_basic),
		cmocka_unit_test(test_lines_too_long),
		cmocka_unit_test(test_lines_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
