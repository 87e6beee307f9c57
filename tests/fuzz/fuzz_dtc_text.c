// SPDX-License-Identifier: MIT
/* libFuzzer target: the DTC description tables (the TSV files in dbc/dtc). The first
 * byte picks the table kind (byte % 5) and language (byte / 5 % 2: en, ru),
 * the rest is its text. A table loads or is
 * refused with "name:line:" and -EINVAL; whatever loaded, every describe
 * function writes a non-empty, terminated text within its buffer, in both
 * languages, also for codes taken from the input itself; a text that is cut
 * is cut between UTF-8 characters. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vehicle/dtc_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A byte that is not a UTF-8 continuation ends a character: the text must
 * not end inside one (the tables are checked UTF-8 when loaded). */
static bool ends_whole(const char *s, size_t n)
{
	size_t i = n;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return n == 0;
	unsigned c = (unsigned char)s[i - 1];
	size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	return i - 1 + len == n;
}

static void check(size_t n, const char *out, size_t cap)
{
	if (!n || n >= cap || strlen(out) != n || !ends_whole(out, n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const kinds[] = {"fmi", "spn", "status", "groups", "codes"};
	static const char *const langs[] = {"en", "ru"};
	if (!size)
		return 0;
	struct evgw_dtc_text *t = evgw_dtc_text_new();
	if (!t)
		return 0;
	char err[256] = "";
	int r = evgw_dtc_text_add_buffer_lang(t, langs[data[0] / 5 % 2], kinds[data[0] % 5], (const char *)data + 1,
					      size - 1, "f", err, sizeof err);
	if (r && ((r != -EINVAL && r != -ENOMEM) || (r == -EINVAL && strncmp(err, "f:", 2))))
		abort();
	/* Codes from the input, and the edges of each range. */
	uint32_t v = 0;
	memcpy(&v, data + 1, size - 1 < sizeof v ? size - 1 : sizeof v);
	const uint32_t spns[] = {v & 0x7FFFF, 0, 84, 520192, 524287};
	char out[64];
	for (size_t l = 0; l < 2; l++) {
		const char *lang = langs[l];
		for (size_t i = 0; i < sizeof spns / sizeof spns[0]; i++) {
			check(evgw_dtc_describe_j1939_lang(t, lang, spns[i], (v >> 19) & 31, out, sizeof out), out,
			      sizeof out);
			check(evgw_dtc_describe_j1939_lang(t, lang, spns[i], 40, out, sizeof out), out, sizeof out);
		}
		check(evgw_dtc_describe_obd_lang(t, lang, (uint16_t)v, out, sizeof out), out, sizeof out);
		check(evgw_dtc_describe_obd_lang(t, lang, 0xFFFF, out, sizeof out), out, sizeof out);
		check(evgw_dtc_describe_uds_lang(t, lang, v & 0xFFFFFF, out, sizeof out), out, sizeof out);
		check(evgw_dtc_describe_status_lang(t, lang, (uint8_t)v, out, sizeof out), out, sizeof out);
		check(evgw_dtc_describe_status_lang(t, lang, 0xFF, out, 8), out, 8);
		/* A tiny buffer still gets a terminated, non-empty text. */
		check(evgw_dtc_describe_uds_lang(t, lang, v & 0xFFFFFF, out, 2), out, 2);
	}
	evgw_dtc_text_free(t);
	return 0;
}
