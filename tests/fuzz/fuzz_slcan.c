// SPDX-License-Identifier: MIT
/* libFuzzer target: bytes from an adapter go through the line splitter (in
 * chunks whose sizes the input picks) and the line parser. Every line is
 * bounded, every parsed frame survives encode -> parse unchanged, error
 * frames have the error.h shape, and timestamps are never in the future
 * nor far behind the host clock. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/slcan_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same_frame(const struct evgw_frame *a, const struct evgw_frame *b)
{
	return a->id == b->id && a->len == b->len && a->flags == b->flags && a->dlc == b->dlc &&
	       memcmp(a->data, b->data, sizeof a->data) == 0;
}

static void check_frame(const struct evgw_frame *f)
{
	char text[EVGW_SLCAN_FRAME_TEXT_MAX + 1];
	struct evgw_slcan_msg again;
	bool fd = f->flags & EVGW_FRAME_FD;

	if (f->len > (fd ? EVGW_CANFD_MAX_DLEN : EVGW_CAN_MAX_DLEN) || f->ts_us || f->bus)
		abort();
	for (size_t i = f->len; i < sizeof f->data; i++)
		if (f->data[i])
			abort();
	int n = evgw_slcan_encode_frame(f, text, sizeof text);
	if (n < 6 || n > EVGW_SLCAN_FRAME_TEXT_MAX || text[n - 1] != '\r' || strlen(text) != (size_t)n)
		abort();
	if (evgw_slcan_encode_frame(f, text, (size_t)n) >= 0)
		abort(); /* no room for the NUL */
	n = evgw_slcan_encode_frame(f, text, sizeof text);
	if (evgw_slcan_parse_line(text, (size_t)n - 1, false, &again) != 0 ||
	    again.kind != EVGW_SLCAN_FRAME || again.has_ts || !same_frame(f, &again.frame))
		abort();
}

static void check_error_frame(const struct evgw_frame *f)
{
	if (f->flags != EVGW_FRAME_ERR || f->len != 8 || f->dlc != 8 || f->id >= 0x400)
		abort();
}

/* An exact-size copy, so that ASan sees a read past the line. */
static void one_line(const char *p, size_t len, bool bell, struct evgw_slcan_clock *clk,
		     int64_t *now)
{
	char *line = malloc(len ? len : 1);
	struct evgw_slcan_msg m;

	if (!line)
		return;
	memcpy(line, p, len);
	if (len > EVGW_SLCAN_LINE_MAX)
		abort();
	if (evgw_slcan_parse_line(line, len, bell, &m) == 0) {
		if (bell && m.kind != EVGW_SLCAN_NACK)
			abort();
		if (m.kind == EVGW_SLCAN_FRAME) {
			check_frame(&m.frame);
			if (m.has_ts) {
				*now += 1000;
				int64_t t = evgw_slcan_clock_stamp(clk, m.ts_ms, *now);
				if (t > *now || t < *now - 500000)
					abort();
			}
		} else if (m.kind == EVGW_SLCAN_BUS_ERROR || m.kind == EVGW_SLCAN_STATE) {
			check_error_frame(&m.frame);
		}
	}
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evgw_slcan_lines lb;
	struct evgw_slcan_clock clk = {0};
	int64_t now = 1700000000000000;
	/* The first byte picks the read size, as a tty would cut the stream. */
	size_t step = size ? (size_t)(data[0] % 64) + 1 : 1;
	const char *in = (const char *)data + (size ? 1 : 0);
	size_t n = size ? size - 1 : 0;

	memset(&lb, 0, sizeof lb);
	for (size_t off = 0; off < n;) {
		size_t chunk = n - off < step ? n - off : step;
		size_t used = 0;
		while (used < chunk) {
			bool got, bell;
			const char *line;
			size_t len;
			size_t c = evgw_slcan_lines_next(&lb, in + off + used, chunk - used, &got, &line,
							 &len, &bell);
			if (c == 0 || c > chunk - used)
				abort();
			used += c;
			if (got)
				one_line(line, len, bell, &clk, &now);
		}
		off += chunk;
	}
	if (lb.len > EVGW_SLCAN_LINE_MAX)
		abort();
	return 0;
}
