// SPDX-License-Identifier: MIT
/* J1939-21 identifiers: priority, PGN (PDU1/PDU2), destination, source,
 * worked by hand from the bit layout in j1939_id.h, and cross-checked
 * against the DBC engine's own PGN rule (dbc_j1939_pgn, written apart). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "dbc/dbc_index.h"
#include "j1939/j1939_id.h"
#include "test_support.h"

/* 0x18FECA00 = 110 0 0 11111110 11001010 00000000:
 * prio 6, PF 0xFE (PDU2), PS 0xCA, SA 0x00 -> PGN 0xFECA (DM1), global. */
static void test_split_pdu2(void **state)
{
	(void)state;
	assert_int_equal(j1939_id_prio(0x18FECA00), 6);
	assert_int_equal(j1939_id_pf(0x18FECA00), 0xFE);
	assert_int_equal(j1939_id_ps(0x18FECA00), 0xCA);
	assert_int_equal(j1939_id_sa(0x18FECA00), 0x00);
	assert_int_equal(j1939_id_pgn(0x18FECA00), 0xFECA);
	assert_int_equal(j1939_id_da(0x18FECA00), 0xFF);
	/* EEC1 0x0CF00400: prio 3, PGN 0xF004 = 61444, SA 0. */
	assert_int_equal(j1939_id_prio(0x0CF00400), 3);
	assert_int_equal(j1939_id_pgn(0x0CF00400), 61444);
	assert_int_equal(j1939_id_da(0x0CF00400), 0xFF);
}

/* 0x18EA17F9: PF 0xEA = 234 < 240, PDU1: PS 0x17 is the destination and
 * drops out of the PGN -> Request 0xEA00 from 0xF9 to 0x17. */
static void test_split_pdu1(void **state)
{
	(void)state;
	assert_int_equal(j1939_id_pgn(0x18EA17F9), 0xEA00);
	assert_int_equal(j1939_id_da(0x18EA17F9), 0x17);
	assert_int_equal(j1939_id_sa(0x18EA17F9), 0xF9);
	assert_true(j1939_pgn_is_pdu1(0xEA00));
	assert_false(j1939_pgn_is_pdu1(0xF000));   /* PF 240 is the first PDU2 */
	assert_true(j1939_pgn_is_pdu1(0xEF00));
	/* The data page bit is part of the PGN: 0x19FECA00 -> 0x1FECA. */
	assert_int_equal(j1939_id_pgn(0x19FECA00), 0x1FECA);
	assert_int_equal(j1939_id_pgn(0x1DEC1700), 0x1EC00);
}

static void test_make(void **state)
{
	(void)state;
	assert_int_equal(j1939_id_make(6, 0xEA00, 0x17, 0xF9), 0x18EA17F9);
	/* PDU1: a stray low byte in the PGN is replaced by the destination. */
	assert_int_equal(j1939_id_make(6, 0xEA55, 0x17, 0xF9), 0x18EA17F9);
	/* PDU2: the destination is ignored. */
	assert_int_equal(j1939_id_make(6, 0xFECA, 0x17, 0x00), 0x18FECA00);
	assert_int_equal(j1939_id_make(7, 0xEC00, 0xFF, 0x00), 0x1CECFF00);
	assert_int_equal(j1939_id_make(3, 0x1FECA, 0, 0x21), 0x0DFECA21);
	/* Priority is 3 bits. */
	assert_int_equal(j1939_id_make(9, 0xFECA, 0, 0), j1939_id_make(1, 0xFECA, 0, 0));
}

/* Every PF value with a few PS/SA/prio patterns: split(make(x)) == x, and
 * the PGN agrees with the DBC engine's rule. */
static void test_roundtrip_and_peer(void **state)
{
	(void)state;
	for (uint32_t dp = 0; dp < 4; dp++)
		for (uint32_t pf = 0; pf < 256; pf++)
			for (uint32_t ps = 0; ps < 256; ps += 17) {
				uint32_t pgn = dp << 16 | pf << 8 | ps;
				uint32_t id = j1939_id_make((uint8_t)(pf & 7), pgn, (uint8_t)ps, (uint8_t)(pf ^ ps));

				assert_int_equal(j1939_id_pgn(id), dbc_j1939_pgn(id));
				assert_int_equal(j1939_id_sa(id), (pf ^ ps) & 0xFF);
				assert_int_equal(j1939_id_prio(id), pf & 7);
				if (pf < 240) {
					assert_int_equal(j1939_id_pgn(id), pgn & 0x3FF00);
					assert_int_equal(j1939_id_da(id), ps);
				} else {
					assert_int_equal(j1939_id_pgn(id), pgn);
					assert_int_equal(j1939_id_da(id), 0xFF);
				}
			}
}

/* Request for DM2 from 0xF9 to everyone: 0x18EAFFF9, CB FE 00. */
static void test_request(void **state)
{
	struct evgw_frame f;
	const uint8_t want[3] = {0xCB, 0xFE, 0x00};

	(void)state;
	j1939_request_build(&f, 0xFECB, 0xFF, 0xF9);
	assert_int_equal(f.id, 0x18EAFFF9);
	assert_int_equal(f.flags, EVGW_FRAME_EXT);
	assert_int_equal(f.len, 3);
	assert_memory_equal(f.data, want, 3);
	assert_int_equal(j1939_request_pgn(&f), 0xFECB);
	f.len = 2;
	assert_int_equal(j1939_request_pgn(&f), -EBADMSG);
}

static void test_frame_ok(void **state)
{
	struct evgw_frame f;

	(void)state;
	memset(&f, 0, sizeof f);
	f.flags = EVGW_FRAME_EXT;
	f.len = 8;
	assert_true(j1939_frame_ok(&f));
	f.flags = 0;
	assert_false(j1939_frame_ok(&f));
	f.flags = EVGW_FRAME_EXT | EVGW_FRAME_ERR;
	assert_false(j1939_frame_ok(&f));
	f.flags = EVGW_FRAME_EXT | EVGW_FRAME_FD;
	assert_false(j1939_frame_ok(&f));
	f.flags = EVGW_FRAME_EXT;
	f.len = 12;
	assert_false(j1939_frame_ok(&f));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_pdu2),
		cmocka_unit_test(test_split_pdu1),
		cmocka_unit_test(test_make),
		cmocka_unit_test(test_roundtrip_and_peer),
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_frame_ok),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
