// SPDX-License-Identifier: MIT
/* The MO layout (GNU gettext manual, "The Format of GNU MO Files"): a
 * 32-bit magic 0x950412de in the file's byte order, revision, N, the offset
 * of the originals' table, the offset of the translations' table; each
 * table holds N (length, offset) pairs of 32-bit words, and each string is
 * NUL-terminated after its length. */
#include "web/web_mo.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "util/regular_file.h"

#define MO_MAGIC 0x950412deu

static uint32_t word(const unsigned char *p, bool swap)
{
	uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	if (swap)
		v = __builtin_bswap32(v);
	return v;
}

/* Entry i of the table at tab: its string's bytes (without the NUL). */
static int entry(const unsigned char *d, size_t len, uint32_t tab, uint32_t i, bool swap, const char **s,
		 size_t *n, char *err, size_t errlen)
{
	uint64_t at = (uint64_t)tab + (uint64_t)i * 8;
	if (at + 8 > len) {
		snprintf(err, errlen, "offset %llu: the string table runs past the end", (unsigned long long)at);
		return -EINVAL;
	}
	uint32_t l = word(d + at, swap), o = word(d + at + 4, swap);
	if ((uint64_t)o + l + 1 > len || d[(uint64_t)o + l] != '\0') {
		snprintf(err, errlen, "offset %llu: string %u (length %u at %u) runs past the end or is not terminated",
			 (unsigned long long)at, (unsigned)i, (unsigned)l, (unsigned)o);
		return -EINVAL;
	}
	*s = (const char *)d + o;
	*n = l;
	return 0;
}

int web_mo_json(const unsigned char *d, size_t len, struct evgw_textbuf *out, char *err, size_t errlen)
{
	if (len < 20) {
		snprintf(err, errlen, "offset 0: too short for a catalog (%zu bytes)", len);
		return -EINVAL;
	}
	bool swap;
	if (word(d, false) == MO_MAGIC)
		swap = false;
	else if (word(d, true) == MO_MAGIC)
		swap = true;
	else {
		snprintf(err, errlen, "offset 0: not a gettext catalog (no MO magic number)");
		return -EINVAL;
	}
	uint32_t rev = word(d + 4, swap), n = word(d + 8, swap), orig = word(d + 12, swap),
		 trans = word(d + 16, swap);
	if (rev >> 16) {
		snprintf(err, errlen, "offset 4: unknown major revision %u", (unsigned)(rev >> 16));
		return -EINVAL;
	}
	if ((uint64_t)n * 16 > len) {
		snprintf(err, errlen, "offset 8: %u strings cannot fit in %zu bytes", (unsigned)n, len);
		return -EINVAL;
	}
	size_t start = out->len;
	evgw_textbuf_putc(out, '{');
	bool first = true;
	for (uint32_t i = 0; i < n; i++) {
		const char *k, *v;
		size_t kl, vl;
		int r = entry(d, len, orig, i, swap, &k, &kl, err, errlen);
		if (r == 0)
			r = entry(d, len, trans, i, swap, &v, &vl, err, errlen);
		if (r < 0) {
			out->len = start;
			if (out->buf)
				out->buf[start] = '\0';
			return r;
		}
		if (kl == 0)
			continue; /* the header */
		/* A context ("ctx\4id") is kept as written; plurals give the
		 * singular (the text up to the first NUL). */
		kl = strnlen(k, kl);
		vl = strnlen(v, vl);
		if (!vl)
			continue; /* untranslated */
		if (!first)
			evgw_textbuf_putc(out, ',');
		first = false;
		evgw_textbuf_json_string(out, k, kl, false);
		evgw_textbuf_putc(out, ':');
		evgw_textbuf_json_string(out, v, vl, false);
	}
	evgw_textbuf_putc(out, '}');
	return out->failed ? -ENOMEM : 0;
}

int web_mo_file_json(const char *path, struct evgw_textbuf *out, char *err, size_t errlen)
{
	struct stat st;
	int fd = evgw_open_regular(path, &st);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-fd));
		return fd;
	}
	if (st.st_size > (4 << 20)) {
		close(fd);
		snprintf(err, errlen, "%s: larger than 4 MiB", path);
		return -EFBIG;
	}
	unsigned char *d = malloc((size_t)st.st_size + 1);
	if (!d) {
		close(fd);
		return -ENOMEM;
	}
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t k = read(fd, d + got, (size_t)st.st_size - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	char why[200];
	int r = web_mo_json(d, got, out, why, sizeof why);
	if (r < 0)
		snprintf(err, errlen, "%s: %s", path, why);
	free(d);
	return r;
}
