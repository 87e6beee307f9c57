// SPDX-License-Identifier: MIT
/* The socketcand protocol's text (socketcand/proto.h). Expected values
 * from linux-can/socketcand's doc/protocol.md examples ("< send 1AAAAAAA 2
 * 1 F1 >", "< frame 123 23.424242 11 22 33 44 >" written without spaces
 * between the bytes as socketcand's raw mode does) and SavvyCAN's
 * extended-id mark (bit 31). */
#include <errno.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "socketcand/proto.h"

static int parse(const char *s, size_t *used, struct evgw_sc_command *cmd, char *err)
{
	return evgw_sc_parse(s, strlen(s), used, cmd, err, 128);
}

static void test_commands(void **state)
{
	(void)state;
	struct evgw_sc_command c;
	size_t used;
	char err[128];
	assert_int_equal(parse("< open can0 >", &used, &c, err), 1);
	assert_int_equal(c.kind, EVGW_SC_OPEN);
	assert_string_equal(c.bus, "can0");
	assert_int_equal(used, 13);
	/* Two messages: one at a time, whatever lies between. */
	const char *two = "\n< rawmode >  < echo >";
	assert_int_equal(parse(two, &used, &c, err), 1);
	assert_int_equal(c.kind, EVGW_SC_RAWMODE);
	assert_int_equal(used, 12);
	assert_int_equal(parse(two + used, &used, &c, err), 1);
	assert_int_equal(c.kind, EVGW_SC_ECHO);
	assert_int_equal(parse("< bcmmode >", &used, &c, err), 1);
	assert_int_equal(c.kind, EVGW_SC_BCMMODE);
	assert_int_equal(parse("< add 1 0 123 8 11 22 33 44 55 66 77 88 >", &used, &c, err), 1);
	assert_int_equal(c.kind, EVGW_SC_UNKNOWN);
	assert_string_equal(c.word, "add");
}

static void test_send(void **state)
{
	(void)state;
	struct evgw_sc_command c;
	size_t used;
	char err[128];
	assert_int_equal(parse("< send 1AAAAAAA 2 1 F1 >", &used, &c, err), 1);
	assert_int_equal(c.kind, EVGW_SC_SEND);
	assert_int_equal(c.frame.id, 0x1AAAAAAA);
	assert_int_equal(c.frame.flags, EVGW_FRAME_EXT);
	assert_int_equal(c.frame.len, 2);
	assert_int_equal(c.frame.data[0], 0x01);
	assert_int_equal(c.frame.data[1], 0xF1);
	assert_int_equal(parse("< send 123 0 >", &used, &c, err), 1);
	assert_int_equal(c.frame.id, 0x123);
	assert_int_equal(c.frame.flags, 0);
	assert_int_equal(c.frame.len, 0);
	/* SavvyCAN marks a 29-bit id with bit 31; python-can writes it as is. */
	assert_int_equal(parse("< send 80000123 1 ff >", &used, &c, err), 1);
	assert_int_equal(c.frame.id, 0x123);
	assert_int_equal(c.frame.flags, EVGW_FRAME_EXT);
	assert_int_equal(c.frame.data[0], 0xFF);
	assert_int_equal(parse("< send 18DAF110 3 2 10 3 >", &used, &c, err), 1);
	assert_int_equal(c.frame.id, 0x18DAF110);
	/* CAN FD: flags 1 (BRS), 12 bytes. */
	assert_int_equal(parse("< fdsend 456 1 12 1 2 3 4 5 6 7 8 9 a b c >", &used, &c, err), 1);
	assert_int_equal(c.frame.flags, EVGW_FRAME_FD | EVGW_FRAME_BRS);
	assert_int_equal(c.frame.len, 12);
	assert_int_equal(c.frame.dlc, 9);
	assert_int_equal(c.frame.data[11], 0x0C);
	assert_int_equal(parse("< send 123 2 11 >", &used, &c, err), -EINVAL);
	assert_string_equal(err, "fewer data bytes than the length says");
	assert_int_equal(used, 17); /* the bad message is taken */
	assert_int_equal(parse("< send 123 1 11 22 >", &used, &c, err), -EINVAL);
	assert_string_equal(err, "more data bytes than the length says");
	assert_int_equal(parse("< send 123 9 >", &used, &c, err), -EINVAL);
	assert_int_equal(parse("< send 3FFFFFFF 0 >", &used, &c, err), -EINVAL);
	assert_string_equal(err, "the id is wider than 29 bits");
	assert_int_equal(parse("< send 12G 0 >", &used, &c, err), -EINVAL);
	assert_int_equal(parse("< fdsend 1 0 9 >", &used, &c, err), -EINVAL);
}

static void test_partial_and_bounds(void **state)
{
	(void)state;
	struct evgw_sc_command c;
	size_t used;
	char err[128];
	assert_int_equal(parse("junk< open ca", &used, &c, err), 0);
	assert_int_equal(used, 4); /* the junk goes, the start of the message stays */
	assert_int_equal(parse("no message here", &used, &c, err), 0);
	assert_int_equal(used, 15);
	/* A message cut by another: the later one is read. */
	assert_int_equal(parse("< open < echo >", &used, &c, err), -EINVAL);
	assert_int_equal(used, 7);
	char big[EVGW_SC_MAX_MESSAGE + 10];
	memset(big, 'x', sizeof big);
	big[0] = '<';
	assert_int_equal(evgw_sc_parse(big, sizeof big, &used, &c, err, sizeof err), -E2BIG);
	assert_int_equal(used, sizeof big);
}

static void test_format(void **state)
{
	(void)state;
	char buf[EVGW_SC_FRAME_MAX];
	struct evgw_frame f = {.ts_us = 23424242, .id = 0x123, .len = 4, .dlc = 4, .data = {0x11, 0x22, 0x33, 0x44}};
	int n = evgw_sc_format_frame(&f, buf);
	assert_int_equal(n, (int)strlen("< frame 123 23.424242 11223344 >\n"));
	assert_memory_equal(buf, "< frame 123 23.424242 11223344 >\n", (size_t)n);
	struct evgw_frame x = {.ts_us = 1700000000000001LL, .id = 0x18FEF100, .flags = EVGW_FRAME_EXT};
	n = evgw_sc_format_frame(&x, buf);
	/* No data: two spaces, as socketcand writes it (python-can splits on them). */
	assert_memory_equal(buf, "< frame 18FEF100 1700000000.000001  >\n", (size_t)n);
	struct evgw_frame e = {.ts_us = 5000000, .id = 0x004, .len = 8, .flags = EVGW_FRAME_ERR};
	n = evgw_sc_format_frame(&e, buf);
	assert_memory_equal(buf, "< error 004 5.000000 >\n", (size_t)n);
	struct evgw_frame r = {.ts_us = 23424242, .id = 0x123, .len = 4, .dlc = 4, .flags = EVGW_FRAME_RTR};
	n = evgw_sc_format_frame(&r, buf);
	assert_memory_equal(buf, "< rtr 123 23.424242 4 >\n", (size_t)n);
	struct evgw_frame fd = {.ts_us = 1, .id = 0x456, .len = 12, .flags = EVGW_FRAME_FD | EVGW_FRAME_BRS,
				.data = {0xAA}};
	n = evgw_sc_format_frame(&fd, buf);
	assert_memory_equal(buf, "< fdframe 456 01 0.000001 AA0000000000000000000000 >\n", (size_t)n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_send),
		cmocka_unit_test(test_partial_and_bounds),
		cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
