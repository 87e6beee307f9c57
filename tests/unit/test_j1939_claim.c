// SPDX-License-Identifier: MIT
/* Our own J1939 address: frames worked out by hand from J1939-21/-81.
 * Address Claimed = PGN 60928 (0xEE00), priority 6, to global:
 *   id = 6 << 26 | 0xEE << 16 | 0xFF << 8 | SA = 0x18EEFFF9 for SA 0xF9,
 *   0x18EEFFFE for Cannot Claim (from the null address 0xFE).
 * evgw's NAME for identity 0x12345: function 0xFF at bits 40..47 and
 * vehicle system 0x7F at bits 49..55, everything else 0:
 *   0x00FEFF0000012345 -> bytes (LSB first) 45 23 01 00 00 FF FE 00. */
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "j1939/j1939_claim.h"

static const uint8_t our_bytes[8] = {0x45, 0x23, 0x01, 0x00, 0x00, 0xFF, 0xFE, 0x00};

static struct evgw_frame ext(uint32_t id, const uint8_t *d, uint8_t len)
{
	struct evgw_frame f;
	memset(&f, 0, sizeof f);
	f.id = id;
	f.flags = EVGW_FRAME_EXT;
	f.len = len;
	memcpy(f.data, d, len);
	return f;
}

static void expect_frame(const struct evgw_frame *f, uint32_t id, const uint8_t d[8])
{
	assert_int_equal(f->id, id);
	assert_true(f->flags & EVGW_FRAME_EXT);
	assert_int_equal(f->len, 8);
	assert_memory_equal(f->data, d, 8);
}

static void test_name_and_claim(void **state)
{
	(void)state;
	uint64_t name = j1939_claim_tool_name(0x12345);
	assert_true(name == 0x00FEFF0000012345ull);
	struct j1939_claim c;
	j1939_claim_init(&c, name, 0xF9);
	assert_int_equal(j1939_claim_poll(&c, 0), J1939_CLAIM_NONE);
	struct evgw_frame f;
	j1939_claim_start(&c, 1000000, &f);
	expect_frame(&f, 0x18EEFFF9, our_bytes);
	assert_int_equal(j1939_claim_poll(&c, 1000000 + 249999), J1939_CLAIM_PENDING);
	assert_int_equal(j1939_claim_poll(&c, 1000000 + 250000), J1939_CLAIM_HELD);
}

static void test_defend_and_lose(void **state)
{
	(void)state;
	struct j1939_claim c;
	struct evgw_frame f, out;
	j1939_claim_init(&c, j1939_claim_tool_name(0x12345), 0xF9);
	j1939_claim_start(&c, 0, &f);
	j1939_claim_poll(&c, 300000);
	/* A NAME of lower priority (larger) claims 0xF9: we claim again. */
	const uint8_t weaker[8] = {0, 0, 0, 0, 0, 0, 0, 0x80};
	struct evgw_frame in = ext(0x18EEFFF9, weaker, 8);
	assert_int_equal(j1939_claim_rx(&c, &in, 310000, &out), 1);
	expect_frame(&out, 0x18EEFFF9, our_bytes);
	assert_int_equal(c.state, J1939_CLAIM_HELD);
	/* A claim for another address is none of our business. */
	in = ext(0x18EEFF00, weaker, 8);
	assert_int_equal(j1939_claim_rx(&c, &in, 320000, &out), 0);
	/* A vehicle ECU's NAME (smaller: higher priority) takes 0xF9: Cannot Claim. */
	const uint8_t stronger[8] = {1, 0, 0, 0, 0, 0, 0, 0};
	in = ext(0x18EEFFF9, stronger, 8);
	assert_int_equal(j1939_claim_rx(&c, &in, 330000, &out), 1);
	expect_frame(&out, 0x18EEFFFE, our_bytes);
	assert_int_equal(j1939_claim_poll(&c, 400000), J1939_CLAIM_LOST);
	assert_true(c.winner == 1);
	/* Lost: later claims change nothing and draw no answer. */
	in = ext(0x18EEFFF9, weaker, 8);
	assert_int_equal(j1939_claim_rx(&c, &in, 410000, &out), 0);
}

static void test_request_for_address_claimed(void **state)
{
	(void)state;
	struct j1939_claim c;
	struct evgw_frame f, out;
	j1939_claim_init(&c, j1939_claim_tool_name(0x12345), 0xF9);
	/* Request PGN 59904 (0xEA00) to global from SA 0x00, asking for 60928:
	 * id 0x18EAFF00, data = 0xEE00 little-endian: 00 EE 00. */
	const uint8_t ask_claim[3] = {0x00, 0xEE, 0x00};
	struct evgw_frame req = ext(0x18EAFF00, ask_claim, 3);
	assert_int_equal(j1939_claim_rx(&c, &req, 0, &out), 0); /* nothing claimed yet */
	j1939_claim_start(&c, 0, &f);
	assert_int_equal(j1939_claim_rx(&c, &req, 1000, &out), 0); /* silent in the 250 ms */
	j1939_claim_poll(&c, 250000);
	assert_int_equal(j1939_claim_rx(&c, &req, 260000, &out), 1);
	expect_frame(&out, 0x18EEFFF9, our_bytes);
	/* To us (DA 0xF9): 0x18EAF900 -> answered; to another node: not. */
	struct evgw_frame to_us = ext(0x18EAF900, ask_claim, 3);
	assert_int_equal(j1939_claim_rx(&c, &to_us, 270000, &out), 1);
	struct evgw_frame to_other = ext(0x18EA0300, ask_claim, 3);
	assert_int_equal(j1939_claim_rx(&c, &to_other, 270000, &out), 0);
	/* A request for another PGN (DM2, 0xFECB: CB FE 00) is not ours to answer here. */
	const uint8_t ask_dm2[3] = {0xCB, 0xFE, 0x00};
	struct evgw_frame other_pgn = ext(0x18EAFF00, ask_dm2, 3);
	assert_int_equal(j1939_claim_rx(&c, &other_pgn, 280000, &out), 0);
	/* Lost: the answer is Cannot Claim. */
	const uint8_t stronger[8] = {1, 0, 0, 0, 0, 0, 0, 0};
	struct evgw_frame take = ext(0x18EEFFF9, stronger, 8);
	assert_int_equal(j1939_claim_rx(&c, &take, 290000, &out), 1);
	assert_int_equal(j1939_claim_rx(&c, &req, 300000, &out), 1);
	expect_frame(&out, 0x18EEFFFE, our_bytes);
	/* Short or 11-bit frames are ignored. */
	struct evgw_frame shortf = ext(0x18EAFF00, ask_claim, 2);
	assert_int_equal(j1939_claim_rx(&c, &shortf, 310000, &out), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_and_claim),
		cmocka_unit_test(test_defend_and_lose),
		cmocka_unit_test(test_request_for_address_claimed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
