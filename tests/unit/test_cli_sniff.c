// SPDX-License-Identifier: MIT
/* evgw sniff's rows (gateway/cli/cli_sniff_table.c): changed bits, rates,
 * the order (unknown ids first), the keys, and a row as a pipe sees it,
 * against bytes and times worked out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/cli_sniff.h"

static char *row_text(const struct sniff *s, const struct sniff_row *r, double now)
{
	static char buf[512];
	struct cli_term t = {.color = false, .width = 0};
	FILE *f = fmemopen(buf, sizeof buf, "w");
	sniff_render_row(s, r, &t, false, now, f);
	fclose(f);
	return buf;
}

static void test_changed_bits_and_rate(void **state)
{
	(void)state;
	struct sniff s;
	sniff_init(&s, 100.0);
	const uint8_t a[] = {0x12, 0x34, 0x00}, b[] = {0x13, 0x34, 0x80};
	/* 5 frames in 0.5 s: 10 per second; bits 0 of byte 0 and 7 of byte 2 changed */
	for (int i = 0; i < 5; i++)
		sniff_frame(&s, 0x121, false, i % 2 ? b : a, 3, 100.0 + i * 0.1);
	sniff_message(&s, 0x121, false, "ESC_SPEED");
	sniff_value(&s, "ESC_SPEED", "VEHICLE_SPEED", "12.5", "km/h");
	sniff_value(&s, "ESC_SPEED", "VEHICLE_SPEED", "12.75", "km/h");
	sniff_value(&s, "OTHER", "X", "1", "");
	sniff_tick(&s, 100.5);
	const struct sniff_row *r = &s.rows[0];
	assert_float_equal(r->rate, 10.0, 1e-9);
	/* the last frame was a: 12 34 00 */
	assert_string_equal(row_text(&s, r, 100.5),
			    "121         10.0   3 12 34 00                 010080           ESC_SPEED  VEHICLE_SPEED=12.75 km/h\n");
	/* a window without frames: rate 0, nothing changed */
	sniff_tick(&s, 101.5);
	assert_float_equal(s.rows[0].rate, 0, 0);
	assert_string_equal(row_text(&s, &s.rows[0], 101.5),
			    "121          0.0   3 12 34 00                 000000           ESC_SPEED  VEHICLE_SPEED=12.75 km/h\n");
	sniff_free(&s);
}

static void test_order_and_keys(void **state)
{
	(void)state;
	struct sniff s;
	sniff_init(&s, 0);
	const uint8_t z[8] = {0}, one[8] = {1};
	sniff_frame(&s, 0x300, false, z, 8, 0.1);
	sniff_frame(&s, 0x7EF, false, z, 8, 0.1);
	sniff_frame(&s, 0x100, false, z, 8, 0.1);
	sniff_frame(&s, 0x18FECAEF, true, z, 8, 0.1);
	assert_true(s.new_ids);
	sniff_message(&s, 0x300, false, "B");
	sniff_message(&s, 0x100, false, "A");
	sniff_message(&s, 0x7EF, false, NULL);
	sniff_message(&s, 0x18FECAEF, true, "DM1");
	const struct sniff_row *out[8];
	size_t n = sniff_order(&s, 1.0, out, 8);
	assert_int_equal(n, 4);
	/* unknown first, then 11-bit ids by number, then 29-bit */
	assert_int_equal(out[0]->id, 0x7EF);
	assert_int_equal(out[1]->id, 0x100);
	assert_int_equal(out[2]->id, 0x300);
	assert_int_equal(out[3]->id, 0x18FECAEF);
	assert_true(strstr(row_text(&s, out[0], 1.0), " ?\n") != NULL);
	assert_true(strncmp(row_text(&s, out[3], 1.0), "18FECAEF ", 9) == 0);

	/* u: unknown only */
	assert_true(sniff_key(&s, 'u'));
	assert_int_equal(sniff_order(&s, 1.0, out, 8), 1);
	assert_true(sniff_key(&s, 'u'));
	/* c: only ids that changed in the last SNIFF_HOLD_S seconds */
	sniff_frame(&s, 0x300, false, one, 8, 5.0);
	assert_true(sniff_key(&s, 'c'));
	assert_int_equal(sniff_order(&s, 5.5, out, 8), 1);
	assert_int_equal(out[0]->id, 0x300);
	assert_int_equal(sniff_order(&s, 5.0 + SNIFF_HOLD_S + 0.1, out, 8), 0);
	assert_true(sniff_key(&s, 'c'));
	/* m: what differs from the mark, however long ago */
	assert_true(sniff_key(&s, 'm'));
	const uint8_t two[8] = {1, 2};
	sniff_frame(&s, 0x300, false, two, 8, 6.0);
	sniff_tick(&s, 7.0);
	const struct sniff_row *r300 = NULL;
	for (size_t i = 0; i < s.n; i++)
		if (s.rows[i].id == 0x300)
			r300 = &s.rows[i];
	assert_true(strstr(row_text(&s, r300, 100.0), " 0002000000000000 B") != NULL);
	assert_true(sniff_key(&s, 'm'));
	assert_true(strstr(row_text(&s, r300, 100.0), " 0102000000000000 B") != NULL); /* the window's changes */
	/* / 30 Enter: ids starting with 30; typing ignores the other keys */
	assert_true(sniff_key(&s, '/'));
	assert_true(sniff_key(&s, '3'));
	assert_true(sniff_key(&s, '9'));
	assert_true(sniff_key(&s, 127)); /* backspace */
	assert_true(sniff_key(&s, '0'));
	assert_false(sniff_key(&s, 'q'));
	assert_false(s.quit);
	assert_true(sniff_key(&s, '\r'));
	assert_int_equal(sniff_order(&s, 7.0, out, 8), 1);
	assert_int_equal(out[0]->id, 0x300);
	/* 18f: the 29-bit id, case as typed */
	sniff_key(&s, '/');
	sniff_key(&s, '1');
	sniff_key(&s, '8');
	sniff_key(&s, 'f');
	sniff_key(&s, '\n');
	assert_int_equal(sniff_order(&s, 7.0, out, 8), 1);
	assert_int_equal(out[0]->id, 0x18FECAEF);
	/* Escape forgets the typing, Enter alone shows all again */
	sniff_key(&s, '/');
	sniff_key(&s, '7');
	sniff_key(&s, 27);
	assert_int_equal(sniff_order(&s, 7.0, out, 8), 1);
	sniff_key(&s, '/');
	sniff_key(&s, '\r');
	assert_int_equal(sniff_order(&s, 7.0, out, 8), 4);
	/* space freezes, q quits, others mean nothing */
	assert_true(sniff_key(&s, ' '));
	assert_true(s.frozen);
	assert_false(sniff_key(&s, 'x'));
	assert_false(s.quit);
	assert_true(sniff_key(&s, 'q'));
	assert_true(s.quit);
	sniff_free(&s);
}

static void test_limits(void **state)
{
	(void)state;
	struct sniff s;
	sniff_init(&s, 0);
	uint8_t d[64] = {0};
	for (uint32_t i = 0; i < SNIFF_MAX_IDS; i++)
		assert_non_null(sniff_frame(&s, i, true, d, 64, 0));
	assert_null(sniff_frame(&s, 0x1FFFFFFF, true, d, 64, 0));
	/* an FD frame shows its first 8 bytes */
	assert_int_equal(s.rows[0].len, 64);
	sniff_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_changed_bits_and_rate),
		cmocka_unit_test(test_order_and_keys),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
