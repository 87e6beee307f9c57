// SPDX-License-Identifier: MIT
/* J1939-81 address claim tracking and NAME fields. The NAME is built by hand
 * from the field table in j1939_addr.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "j1939/j1939_addr.h"
#include "test_support.h"

#define MS(x) ((int64_t)(x) * 1000)
#define T0 INT64_C(1000000000)

/* identity 0x12345, manufacturer 0x145, ECU instance 2, function instance 3,
 * function 0x81, vehicle system 0x23, vehicle system instance 5, industry
 * group 1 (on-highway), arbitrary address capable:
 *   low 32 bits  = 0x145 << 21 | 0x12345 = 0x28A00000 | 0x12345 = 0x28A12345
 *   byte 4       = function instance 3 << 3 | ECU instance 2  = 0x1A
 *   byte 5       = function                                   = 0x81
 *   byte 6       = vehicle system 0x23 << 1 (bit 48 reserved)  = 0x46
 *   byte 7       = AAC 1 << 7 | group 1 << 4 | instance 5      = 0x95
 * -> 0x9546811A28A12345, on the wire LSB first: 45 23 A1 28 1A 81 46 95. */
#define NAME_X UINT64_C(0x9546811A28A12345)
static const uint8_t name_x_bytes[8] = {0x45, 0x23, 0xA1, 0x28, 0x1A, 0x81, 0x46, 0x95};

static void test_name_decode(void **state)
{
	struct j1939_name n;

	(void)state;
	assert_true(j1939_name_from_bytes(name_x_bytes) == NAME_X);
	j1939_name_decode(NAME_X, &n);
	assert_int_equal(n.identity, 0x12345);
	assert_int_equal(n.manufacturer, 0x145);
	assert_int_equal(n.ecu_instance, 2);
	assert_int_equal(n.function_instance, 3);
	assert_int_equal(n.function, 0x81);
	assert_int_equal(n.vehicle_system, 0x23);
	assert_int_equal(n.vehicle_system_instance, 5);
	assert_int_equal(n.industry_group, 1);
	assert_true(n.arbitrary_address);
}

static void test_name_encode(void **state)
{
	struct j1939_name n = {0x12345, 0x145, 2, 3, 0x81, 0x23, 5, 1, true};
	uint64_t v = 0;
	uint8_t b[8];

	(void)state;
	assert_int_equal(j1939_name_encode(&n, &v), 0);
	assert_true(v == NAME_X);
	j1939_name_to_bytes(v, b);
	assert_memory_equal(b, name_x_bytes, 8);
	/* All ones in every field but the reserved bit 48. */
	n = (struct j1939_name){0x1FFFFF, 0x7FF, 7, 31, 255, 127, 15, 7, true};
	assert_int_equal(j1939_name_encode(&n, &v), 0);
	assert_true(v == UINT64_C(0xFFFEFFFFFFFFFFFF));
	n.identity = 0x200000;
	assert_int_equal(j1939_name_encode(&n, &v), -EINVAL);
	n.identity = 0;
	n.vehicle_system = 128;
	assert_int_equal(j1939_name_encode(&n, &v), -EINVAL);
}

static struct evgw_frame claim(uint8_t sa, uint64_t name)
{
	struct evgw_frame f;

	j1939_addr_build_claim(&f, sa, name);
	return f;
}

/* Address Claimed from 0x80 with NAME_X: id 0x18EEFF80 (prio 6, PF 0xEE,
 * global), the NAME bytes LSB first. */
static void test_claim_frame(void **state)
{
	struct evgw_frame f = claim(0x80, NAME_X);

	(void)state;
	assert_int_equal(f.id, 0x18EEFF80);
	assert_int_equal(f.len, 8);
	assert_memory_equal(f.data, name_x_bytes, 8);
}

/* Request for Address Claimed from the null address to everyone:
 * id 0x18EAFFFE (Request PGN 0xEA00, DA FF, SA FE), data = PGN 0x00EE00
 * least significant byte first: 00 EE 00. */
static void test_request_frame(void **state)
{
	struct evgw_frame f;
	const uint8_t want[3] = {0x00, 0xEE, 0x00};

	(void)state;
	j1939_addr_build_request(&f, 0xFF, 0xFE);
	assert_int_equal(f.id, 0x18EAFFFE);
	assert_int_equal(f.len, 3);
	assert_memory_equal(f.data, want, 3);
}

static int feed(struct j1939_addr_table *t, uint8_t sa, uint64_t name, int64_t now,
		struct j1939_addr_event *ev)
{
	struct evgw_frame f = claim(sa, name);
	return j1939_addr_rx(t, &f, now, ev);
}

/* New, refresh, move, take-over by a higher-priority NAME. */
static void test_table_updates(void **state)
{
	struct j1939_addr_table *t = malloc(sizeof *t);
	struct j1939_addr_event ev;
	uint64_t n;
	const uint64_t a = 0xA000000000000001u, b = 0x9000000000000001u;

	(void)state;
	assert_non_null(t);
	j1939_addr_init(t);
	assert_int_equal(feed(t, 0x00, a, T0, &ev), J1939_AC_NEW);
	assert_int_equal(ev.sa, 0x00);
	assert_true(j1939_addr_lookup(t, 0x00, T0, &n));
	assert_true(n == a);
	assert_int_equal(feed(t, 0x00, a, T0 + MS(1000), &ev), J1939_AC_REFRESH);
	assert_int_equal(t->a[0].claims, 2);
	assert_int_equal(t->a[0].first_us, T0);
	assert_int_equal(t->a[0].last_us, T0 + MS(1000));
	/* a moves to 0x01; 0x00 is free again. */
	assert_int_equal(feed(t, 0x01, a, T0 + MS(2000), &ev), J1939_AC_MOVED);
	assert_int_equal(ev.old_sa, 0x00);
	assert_false(j1939_addr_lookup(t, 0x00, T0, NULL));
	assert_int_equal(j1939_addr_find(t, a), 0x01);
	/* b < a: b has the higher priority and takes 0x01 at once. */
	assert_int_equal(feed(t, 0x01, b, T0 + MS(3000), &ev), J1939_AC_TAKEN);
	assert_true(ev.other_name == a);
	assert_int_equal(j1939_addr_find(t, b), 0x01);
	assert_int_equal(j1939_addr_find(t, a), J1939_ADDR_NULL);
	assert_int_equal(t->conflicts, 1);
	free(t);
}

/* A lower-priority claim on a held address: contested; the holder answers
 * within 250 ms and keeps it (defended). Unanswered, the contender has it
 * 250 ms after its claim. */
static void test_contention(void **state)
{
	struct j1939_addr_table *t = malloc(sizeof *t);
	struct j1939_addr_event ev;
	uint64_t n;
	const uint64_t holder = 0x1000, contender = 0x2000;

	(void)state;
	assert_non_null(t);
	j1939_addr_init(t);
	feed(t, 0x17, holder, T0, NULL);
	assert_int_equal(feed(t, 0x17, contender, T0 + MS(10), &ev), J1939_AC_CONTESTED);
	assert_true(ev.other_name == holder);
	assert_true(j1939_addr_lookup(t, 0x17, T0 + MS(15), &n));
	assert_true(n == holder);
	assert_int_equal(feed(t, 0x17, holder, T0 + MS(20), &ev), J1939_AC_DEFENDED);
	assert_true(ev.other_name == contender);
	assert_true(j1939_addr_lookup(t, 0x17, T0 + MS(1000), &n));
	assert_true(n == holder);

	/* Unanswered. */
	feed(t, 0x17, contender, T0 + MS(2000), &ev);
	assert_true(j1939_addr_lookup(t, 0x17, T0 + MS(2250) - 1, &n));
	assert_true(n == holder);
	assert_true(j1939_addr_lookup(t, 0x17, T0 + MS(2250), &n));
	assert_true(n == contender);
	assert_int_equal(t->a[0x17].first_us, T0 + MS(2250));
	assert_int_equal(t->conflicts, 2);
	/* The old holder claiming late wins back at once: its NAME is lower. */
	assert_int_equal(feed(t, 0x17, holder, T0 + MS(3000), &ev), J1939_AC_TAKEN);
	assert_true(ev.other_name == contender);
	free(t);
}

/* Cannot Claim (from 0xFE) removes the NAME from its address. */
static void test_cannot_claim(void **state)
{
	struct j1939_addr_table *t = malloc(sizeof *t);
	struct j1939_addr_event ev;

	(void)state;
	assert_non_null(t);
	j1939_addr_init(t);
	feed(t, 0x21, NAME_X, T0, NULL);
	assert_int_equal(feed(t, 0xFE, NAME_X, T0 + 1, &ev), J1939_AC_CANNOT_CLAIM);
	assert_int_equal(ev.old_sa, 0x21);
	assert_int_equal(ev.sa, 0xFE);
	assert_false(j1939_addr_lookup(t, 0x21, T0 + 1, NULL));
	assert_int_equal(t->cannot_claim, 1);
	/* From a NAME we never saw: nothing to remove. */
	assert_int_equal(feed(t, 0xFE, 1, T0 + 2, &ev), J1939_AC_CANNOT_CLAIM);
	assert_int_equal(ev.old_sa, 0xFE);
	free(t);
}

/* Other frames, bad claims, lookups out of range, forget. */
static void test_rx_errors(void **state)
{
	struct j1939_addr_table *t = malloc(sizeof *t);
	struct evgw_frame f = claim(0x00, 5);

	(void)state;
	assert_non_null(t);
	j1939_addr_init(t);
	f.len = 7;
	assert_int_equal(j1939_addr_rx(t, &f, T0, NULL), -EBADMSG);
	f = claim(0xFF, 5);
	assert_int_equal(j1939_addr_rx(t, &f, T0, NULL), -EBADMSG);
	f.id = 0x18FECA00;
	assert_int_equal(j1939_addr_rx(t, &f, T0, NULL), J1939_AC_NONE);
	f = claim(0x00, 5);
	f.flags = 0;
	assert_int_equal(j1939_addr_rx(t, &f, T0, NULL), J1939_AC_NONE);
	/* A claim addressed to one node (reply to a specific request) counts. */
	f = claim(0x00, 5);
	f.id = 0x18EE1700;
	assert_int_equal(j1939_addr_rx(t, &f, T0, NULL), J1939_AC_NEW);
	assert_false(j1939_addr_lookup(t, 0xFE, T0, NULL));
	assert_false(j1939_addr_lookup(t, 0xFF, T0, NULL));
	j1939_addr_forget(t, 0x00);
	assert_false(j1939_addr_lookup(t, 0x00, T0, NULL));
	j1939_addr_forget(t, 0xFF);   /* harmless */
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_decode),
		cmocka_unit_test(test_name_encode),
		cmocka_unit_test(test_claim_frame),
		cmocka_unit_test(test_request_frame),
		cmocka_unit_test(test_table_updates),
		cmocka_unit_test(test_contention),
		cmocka_unit_test(test_cannot_claim),
		cmocka_unit_test(test_rx_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
