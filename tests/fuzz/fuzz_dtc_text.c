// SPDX-License-Identifier: MIT
/* libFuzzer target: the DTC description tables (the TSV files in dbc/dtc). The first
 * byte picks the table kind, the rest is its text. A table loads or is
 * refused with "name:line:" and -EINVAL; whatever loaded, every describe
 * function writes a non-empty, terminated text within its buffer, also for
 * codes taken from the input itself. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vehicle/dtc_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(size_t n, const char *out, size_t cap)
{
	if (!n || n >= cap || strlen(out) != n)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const kinds[] = {"fmi", "spn", "status", "groups", "codes"};
	if (!size)
		return 0;
	struct evgw_dtc_text *t = evgw_dtc_text_new();
	if (!t)
		return 0;
	char err[256] = "";
	int r = evgw_dtc_text_add_buffer(t, kinds[data[0] % 5], (const char *)data + 1, size - 1, "f", err,
					 sizeof err);
	if (r && ((r != -EINVAL && r != -ENOMEM) || (r == -EINVAL && strncmp(err, "f:", 2))))
		abort();
	/* Codes from the input, and the edges of each range. */
	uint32_t v = 0;
	memcpy(&v, data + 1, size - 1 < sizeof v ? size - 1 : sizeof v);
	const uint32_t spns[] = {v & 0x7FFFF, 0, 84, 520192, 524287};
	char out[64];
	for (size_t i = 0; i < sizeof spns / sizeof spns[0]; i++) {
		check(evgw_dtc_describe_j1939(t, spns[i], (v >> 19) & 31, out, sizeof out), out, sizeof out);
		check(evgw_dtc_describe_j1939(t, spns[i], 40, out, sizeof out), out, sizeof out);
	}
	check(evgw_dtc_describe_obd(t, (uint16_t)v, out, sizeof out), out, sizeof out);
	check(evgw_dtc_describe_obd(t, 0xFFFF, out, sizeof out), out, sizeof out);
	check(evgw_dtc_describe_uds(t, v & 0xFFFFFF, out, sizeof out), out, sizeof out);
	check(evgw_dtc_describe_status(t, (uint8_t)v, out, sizeof out), out, sizeof out);
	check(evgw_dtc_describe_status(t, 0xFF, out, 8), out, 8);
	/* A tiny buffer still gets a terminated, non-empty text. */
	check(evgw_dtc_describe_uds(t, v & 0xFFFFFF, out, 2), out, 2);
	evgw_dtc_text_free(t);
	return 0;
}
