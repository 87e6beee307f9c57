// SPDX-License-Identifier: MIT
/* libFuzzer target for the pcapng reader (can/pcapng.h): any bytes end in
 * records, the end, or an error that names a byte inside the input; every
 * frame read is one the writer encodes again, and reading that back gives
 * the same frame. The input is handed out in small pieces, so that blocks
 * straddle reads. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "can/pcapng.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct mem {
	const uint8_t *p;
	size_t n, pos, step;
};

static ssize_t mem_read(void *ud, void *buf, size_t cap)
{
	struct mem *m = ud;
	size_t k = m->n - m->pos;
	k = k < cap ? k : cap;
	k = k < m->step ? k : m->step;
	memcpy(buf, m->p + m->pos, k);
	m->pos += k;
	return (ssize_t)k;
}

static void same_frame(const struct evgw_frame *a, const struct evgw_frame *b)
{
	if (a->id != b->id || a->flags != b->flags || a->len != b->len || a->dlc != b->dlc || a->ts_us != b->ts_us)
		abort();
	if (!(a->flags & EVGW_FRAME_RTR) && memcmp(a->data, b->data, a->len))
		abort();
}

static void reencode(const struct evgw_frame *f)
{
	static uint8_t file[256];
	size_t n = (size_t)evgw_pcapng_put_shb(file, sizeof file, NULL, 0);
	n += (size_t)evgw_pcapng_put_idb(file + n, sizeof file - n, "x");
	int k = evgw_pcapng_put_epb(file + n, sizeof file - n, 0, f, NULL, NULL, 0);
	if (k < 0)
		abort();
	n += (size_t)k;
	struct mem m = {file, n, 0, n};
	struct evgw_pcapng_reader r;
	if (evgw_pcapng_reader_init(&r, mem_read, &m) < 0)
		return;
	struct evgw_pcapng_record rec;
	char err[256];
	if (evgw_pcapng_next(&r, &rec, err, sizeof err) != 1 || evgw_pcapng_next(&r, &rec, err, sizeof err) != 1 ||
	    rec.kind != EVGW_PCAPNG_FRAME)
		abort();
	same_frame(f, &rec.frame);
	evgw_pcapng_reader_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mem m = {data, size, 0, size ? (size_t)(data[0] % 7) + 1 : 1};
	struct evgw_pcapng_reader r;
	if (evgw_pcapng_reader_init(&r, mem_read, &m) < 0)
		return 0;
	struct evgw_pcapng_record rec;
	char err[256];
	int k;
	while ((k = evgw_pcapng_next(&r, &rec, err, sizeof err)) > 0) {
		if (rec.offset >= size || rec.n_comments > EVGW_PCAPNG_MAX_COMMENTS)
			abort();
		if (rec.kind == EVGW_PCAPNG_FRAME) {
			struct evgw_frame f = rec.frame;
			if (f.ts_us < 0)
				abort();
			reencode(&f);
		}
	}
	if (k < 0) {
		unsigned long long at;
		if ((k != -EINVAL && k != -EBADMSG) || sscanf(err, "byte %llu:", &at) != 1 || at >= size)
			abort();
	}
	evgw_pcapng_reader_free(&r);
	return 0;
}
