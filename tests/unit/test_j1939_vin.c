// SPDX-License-Identifier: MIT
/* J1939-71 PGN 65260 Vehicle Identification: SPN 237 VIN, ASCII, ended by
 * '*'. Payloads written out by hand; the VIN used is the e-bus simulator's
 * invented one, "LZYTBGBW5R1001237":
 *   L  Z  Y  T  B  G  B  W  5  R  1  0  0  1  2  3  7  *
 *   4C 5A 59 54 42 47 42 57 35 52 31 30 30 31 32 33 37 2A   (18 bytes) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "j1939/j1939_id.h"
#include "j1939/j1939_tp.h"
#include "j1939/j1939_vin.h"

#define B(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})
#define VIN_BYTES 0x4C, 0x5A, 0x59, 0x54, 0x42, 0x47, 0x42, 0x57, 0x35, 0x52, 0x31, 0x30, 0x30, \
		  0x31, 0x32, 0x33, 0x37
#define VIN_TEXT "LZYTBGBW5R1001237"

static void vin_with_delimiter(void **state)
{
	char vin[32];

	assert_int_equal(j1939_vin_parse(B(VIN_BYTES, 0x2A), vin, sizeof vin), 17);
	assert_string_equal(vin, VIN_TEXT);
	/* Exactly room for 17 characters and the NUL; one byte less is refused. */
	assert_int_equal(j1939_vin_parse(B(VIN_BYTES, 0x2A), vin, 18), 17);
	assert_int_equal(j1939_vin_parse(B(VIN_BYTES, 0x2A), vin, 17), -ENOSPC);
	assert_string_equal(vin, "");
	/* Bytes after the '*' are no part of SPN 237, whatever they are. */
	assert_int_equal(j1939_vin_parse(B('A', 'B', 'C', 0x2A, 0x01, 0xFF, 'X', 0x2A), vin, sizeof vin), 3);
	assert_string_equal(vin, "ABC");
	/* A short one in a single frame: "ABC*" then FF padding to 8 bytes. */
	assert_int_equal(j1939_vin_parse(B('A', 'B', 'C', 0x2A, 0xFF, 0xFF, 0xFF, 0xFF), vin, sizeof vin), 3);
	assert_string_equal(vin, "ABC");
	/* Spaces are printable and kept. */
	assert_int_equal(j1939_vin_parse(B(' ', 'A', ' ', 0x2A), vin, sizeof vin), 3);
	assert_string_equal(vin, " A ");
}

static void vin_without_delimiter(void **state)
{
	char vin[32];

	/* 17 bytes, no '*': all of it. */
	assert_int_equal(j1939_vin_parse(B(VIN_BYTES), vin, sizeof vin), 17);
	assert_string_equal(vin, VIN_TEXT);
	/* 7 characters and one FF of frame padding. */
	assert_int_equal(j1939_vin_parse(B('1', '2', '3', '4', '5', '6', '7', 0xFF), vin, sizeof vin), 7);
	assert_string_equal(vin, "1234567");
}

static void vin_refused(void **state)
{
	char vin[32] = "old";
	uint8_t big[J1939_TP_MAX_SIZE + 1];

	/* Empty: "*" alone, padding alone, nothing. */
	assert_int_equal(j1939_vin_parse(B(0x2A), vin, sizeof vin), -ENODATA);
	assert_int_equal(j1939_vin_parse(B(0x2A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF), vin, sizeof vin),
			 -ENODATA);
	assert_int_equal(j1939_vin_parse(B(0xFF, 0xFF, 0xFF), vin, sizeof vin), -ENODATA);
	assert_int_equal(j1939_vin_parse(big, 0, vin, sizeof vin), -ENODATA);
	/* Not printable inside the VIN: NUL, DEL, 0x80, an FF before the '*', a tab. */
	assert_int_equal(j1939_vin_parse(B('L', 'Z', 'Y', 0x00, 'T', 0x2A), vin, sizeof vin), -EBADMSG);
	assert_string_equal(vin, "");
	assert_int_equal(j1939_vin_parse(B('L', 0x7F, 0x2A), vin, sizeof vin), -EBADMSG);
	assert_int_equal(j1939_vin_parse(B('L', 0x80, 0x2A), vin, sizeof vin), -EBADMSG);
	assert_int_equal(j1939_vin_parse(B('A', 'B', 0xFF, 'C', 'D', 0x2A), vin, sizeof vin), -EBADMSG);
	assert_int_equal(j1939_vin_parse(B('A', 0x09, 'B'), vin, sizeof vin), -EBADMSG);
	/* No data, no buffer, more than a TP message. */
	assert_int_equal(j1939_vin_parse(NULL, 4, vin, sizeof vin), -EBADMSG);
	assert_int_equal(j1939_vin_parse(B('A', 0x2A), NULL, 0), -EBADMSG);
	memset(big, 'A', sizeof big);
	assert_int_equal(j1939_vin_parse(big, sizeof big, vin, sizeof vin), -EBADMSG);
	assert_int_equal(j1939_vin_parse(big, sizeof big - 1, vin, sizeof vin), -ENOSPC);
}

/* The way the answer comes: a BAM from 0xF3 reassembled by the TP receiver.
 * 18 bytes = 3 packets of 7 (the last padded with FF):
 *   1CECFFF3  20 12 00 03 FF EC FE 00   BAM, size 0x0012, 3 packets, PGN 00FEEC
 *   1CEBFFF3  01 4C 5A 59 54 42 47 42   L Z Y T B G B
 *   1CEBFFF3  02 57 35 52 31 30 30 31   W 5 R 1 0 0 1
 *   1CEBFFF3  03 32 33 37 2A FF FF FF   2 3 7 * */
struct got {
	uint32_t pgn;
	uint8_t sa;
	char vin[32];
	int rc;
	int n;
};

static void deliver(void *ud, uint32_t pgn, uint8_t sa, uint8_t da, const uint8_t *data, size_t len,
		    int64_t now_us)
{
	struct got *g = ud;

	g->n++;
	g->pgn = pgn;
	g->sa = sa;
	g->rc = j1939_vin_parse(data, len, g->vin, sizeof g->vin);
}

static void frame(struct evgw_frame *f, uint32_t id, const uint8_t d[8])
{
	memset(f, 0, sizeof *f);
	f->id = id;
	f->flags = EVGW_FRAME_EXT;
	f->len = f->dlc = 8;
	memcpy(f->data, d, 8);
}

static void vin_by_bam(void **state)
{
	static const uint8_t cm[8] = {0x20, 0x12, 0x00, 0x03, 0xFF, 0xEC, 0xFE, 0x00};
	static const uint8_t dt[3][8] = {
		{0x01, 0x4C, 0x5A, 0x59, 0x54, 0x42, 0x47, 0x42},
		{0x02, 0x57, 0x35, 0x52, 0x31, 0x30, 0x30, 0x31},
		{0x03, 0x32, 0x33, 0x37, 0x2A, 0xFF, 0xFF, 0xFF},
	};
	static const struct j1939_tp_ops ops = {NULL, deliver, NULL};
	struct j1939_tp *tp = calloc(1, sizeof *tp);
	struct j1939_tp_config cfg;
	struct got g = {0};
	struct evgw_frame f;
	int64_t t = 1000000;

	assert_non_null(tp);
	j1939_tp_config_default(&cfg);
	assert_int_equal(j1939_tp_init(tp, &cfg, &ops, &g), 0);
	/* The request that asks for it: 18EAFFF9 EC FE 00. */
	j1939_request_build(&f, J1939_PGN_VI, 0xFF, 0xF9);
	assert_int_equal(f.id, 0x18EAFFF9u);
	assert_int_equal(f.len, 3);
	assert_memory_equal(f.data, ((const uint8_t[]){0xEC, 0xFE, 0x00}), 3);
	frame(&f, 0x1CECFFF3u, cm);
	assert_int_equal(j1939_tp_rx(tp, &f, t), 1);
	for (int i = 0; i < 3; i++) {
		t += 50000;
		frame(&f, 0x1CEBFFF3u, dt[i]);
		assert_int_equal(j1939_tp_rx(tp, &f, t), 1);
	}
	assert_int_equal(g.n, 1);
	assert_int_equal(g.pgn, 65260);
	assert_int_equal(g.sa, 0xF3);
	assert_int_equal(g.rc, 17);
	assert_string_equal(g.vin, VIN_TEXT);
	free(tp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vin_with_delimiter),
		cmocka_unit_test(vin_without_delimiter),
		cmocka_unit_test(vin_refused),
		cmocka_unit_test(vin_by_bam),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
