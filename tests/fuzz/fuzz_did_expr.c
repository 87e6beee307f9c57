// SPDX-License-Identifier: MIT
/* libFuzzer target: DID expressions (vehicle/did_expr.c). The first byte
 * picks the dialect, the rest is the text. A refused text names a column
 * inside it (or just past its end); a compiled one evaluates on short and
 * long data to a value, -ENODATA or -EDOM without reading past the data,
 * and prints as evgw text that compiles to the same code. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vehicle/did_expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	enum evgw_expr_dialect d = (enum evgw_expr_dialect)(data[0] % 3);
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	struct evgw_expr e;
	unsigned col;
	char msg[160];
	if (evgw_expr_parse(&e, text, len, d, &col, msg, sizeof msg)) {
		if (col < 1 || col > len + 1 || !msg[0] || e.n_code)
			abort();
		return 0;
	}
	if (!e.n_code || e.min_len > EVGW_EXPR_MAX_BYTE + 1)
		abort();
	/* Data exactly as long as needed (ASan sees a read past it), and one byte short. */
	size_t n = e.min_len ? e.min_len : 1;
	uint8_t *buf = malloc(n);
	if (!buf)
		return 0;
	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t)(i * 37 + len);
	double v;
	int r = evgw_expr_eval(&e, buf, e.min_len, &v);
	if (r != 0 && r != -EDOM)
		abort();
	if (e.min_len && evgw_expr_eval(&e, buf, e.min_len - 1u, &v) != -ENODATA)
		abort();
	free(buf);
	char out[2 * EVGW_EXPR_TEXT_MAX + 64];
	int k = evgw_expr_format(&e, out, sizeof out);
	if (k == -ENOSPC)
		return 0;
	if (k <= 0 || (size_t)k != strlen(out))
		abort();
	struct evgw_expr back;
	if ((size_t)k <= EVGW_EXPR_TEXT_MAX) {
		if (evgw_expr_parse(&back, out, (size_t)k, EVGW_EXPR_EVGW, &col, msg, sizeof msg))
			abort();
		if (back.n_code != e.n_code || memcmp(back.code, e.code, e.n_code) || back.min_len != e.min_len)
			abort();
	}
	return 0;
}
