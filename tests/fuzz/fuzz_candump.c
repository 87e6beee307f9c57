// SPDX-License-Identifier: MIT
/* libFuzzer target: every line parses cleanly or is rejected with a column
 * inside the line, every parsed frame survives format -> parse unchanged,
 * and a line the fast path takes reads the same through the careful parser. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "can/candump.h"
#include "can/candump_fast.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FORMAT_CAP 140

static void check_rejected(size_t len, size_t col, const char *msg)
{
	if (!msg || col < 1 || col > len + 1)
		abort();
}

static void check_line(const struct evgw_candump_line *l, const char *line, size_t len)
{
	const struct evgw_frame *f = &l->frame;

	if (f->len > EVGW_CANFD_MAX_DLEN || f->bus != 0)
		abort();
	for (size_t i = f->len; i < EVGW_CANFD_MAX_DLEN; i++)
		if (f->data[i] != 0)
			abort();
	if (l->iface_len > 15 || (l->iface_len > 0 && !l->has_ts))
		abort();
	if (l->iface_len > 0 && (l->iface < line || l->iface + l->iface_len > line + len))
		abort();
}

/* ts_us and bus are not part of the compact text; everything else is. */
static bool same_frame(const struct evgw_frame *a, const struct evgw_frame *b)
{
	return a->id == b->id && a->len == b->len && a->flags == b->flags && a->dlc == b->dlc &&
	       memcmp(a->data, b->data, sizeof a->data) == 0;
}

static void roundtrip(const struct evgw_frame *f)
{
	char text[FORMAT_CAP];
	struct evgw_candump_line again;
	size_t col;
	const char *msg;
	int n = evgw_candump_format_frame(f, text, sizeof text);

	if (n <= 0 || (size_t)n >= sizeof text || strlen(text) != (size_t)n)
		abort();
	if (evgw_candump_format_frame(f, text, (size_t)n) != -ENOSPC)
		abort();
	n = evgw_candump_format_frame(f, text, (size_t)n + 1);
	if (evgw_candump_parse_line(text, (size_t)n, &again, &col, &msg) != EVGW_CANDUMP_FRAME)
		abort();
	if (!same_frame(f, &again.frame))
		abort();
}

/* An exact-size copy so that ASan catches a read past the line. */
static void one_line(const uint8_t *p, size_t len)
{
	char *line = malloc(len ? len : 1);
	struct evgw_candump_line l;
	size_t col = 0;
	const char *msg = NULL;
	int rc;

	if (!line)
		return;
	memcpy(line, p, len);
	struct evgw_candump_line fast, careful;
	if (evgw_candump_parse_fast(line, len, &fast)) {
		if (evgw_candump_parse_careful(line, len, &careful, &col, &msg) != EVGW_CANDUMP_FRAME ||
		    memcmp(&fast.frame, &careful.frame, sizeof careful.frame) || fast.has_ts != careful.has_ts ||
		    fast.iface != careful.iface || fast.iface_len != careful.iface_len || fast.tx != careful.tx)
			abort();
	}
	rc = evgw_candump_parse_line(line, len, &l, &col, &msg);
	if (rc == -EINVAL) {
		check_rejected(len, col, msg);
	} else if (rc == EVGW_CANDUMP_FRAME) {
		check_line(&l, line, len);
		roundtrip(&l.frame);
	} else if (rc != EVGW_CANDUMP_BLANK) {
		abort();
	}
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t start = 0;

	for (size_t i = 0; i <= size; i++) {
		if (i == size || data[i] == '\n') {
			one_line(data + start, i - start);
			start = i + 1;
		}
	}
	return 0;
}
