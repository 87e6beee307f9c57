// SPDX-License-Identifier: MIT
/* Runs evgw_json_check over lines given in hex on stdin (so that any byte,
 * '\n' included, can be tested) and prints one verdict per line:
 *   ok ID_OFF ID_LEN      (ID_OFF -1 when the object has no top-level "id")
 *   error COL MESSAGE
 * Used by json_crosscheck.py against Python's json module. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/json_check.h"

static int nibble(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

int main(void)
{
	static char hex[2 * 70000 + 2];
	static char bytes[70000];
	while (fgets(hex, sizeof hex, stdin)) {
		size_t h = strcspn(hex, "\r\n");
		if (h % 2 || h / 2 > sizeof bytes) {
			fprintf(stderr, "json_check_driver: a line is not hex or is too long\n");
			return 2;
		}
		for (size_t i = 0; i < h / 2; i++) {
			int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
			if (hi < 0 || lo < 0) {
				fprintf(stderr, "json_check_driver: not hex: %.*s\n", (int)h, hex);
				return 2;
			}
			bytes[i] = (char)(hi * 16 + lo);
		}
		struct evgw_json_check r;
		if (evgw_json_check(bytes, h / 2, &r) == 0)
			printf("ok %ld %zu\n", r.has_id ? (long)r.id_off : -1L, r.id_len);
		else
			printf("error %zu %s\n", r.col, r.msg);
	}
	return ferror(stdin) ? 2 : 0;
}
