// SPDX-License-Identifier: MIT
/* can-utils text frame parser and formatter. Expected values are worked by hand
 * from the grammar in candump.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "can/candump.h"
#include "can/candump_fast.h"
#include "test_support.h"

struct parsed {
	int rc;
	struct evgw_candump_line l;
	char iface[16];         /* copy: the line buffer is gone by the time we look */
	size_t col;
	const char *msg;
};

/* Parse from an exact-size heap copy so that ASan sees any read past len. */
static struct parsed parse_n(const char *s, size_t len)
{
	struct parsed p;
	char *buf = malloc(len ? len : 1);

	assert_non_null(buf);
	memcpy(buf, s, len);
	memset(&p, 0, sizeof p);
	p.rc = evgw_candump_parse_line(buf, len, &p.l, &p.col, &p.msg);
	if (p.l.iface_len > 0) {
		assert_true(p.l.iface >= buf && p.l.iface + p.l.iface_len <= buf + len);
		assert_true(p.l.iface_len < sizeof p.iface);
		memcpy(p.iface, p.l.iface, p.l.iface_len);
	}
	free(buf);
	return p;
}

static struct parsed parse_ok(const char *s)
{
	struct parsed p = parse_n(s, strlen(s));

	if (p.rc != EVGW_CANDUMP_FRAME)
		fail_msg("\"%s\": rc %d col %zu: %s", s, p.rc, p.col, p.msg ? p.msg : "-");
	assert_int_equal(p.col, 0);
	assert_null(p.msg);
	return p;
}

static void assert_data(const struct evgw_frame *f, const uint8_t *want, size_t n)
{
	assert_int_equal(f->len, n);
	assert_memory_equal(f->data, want, n);
	for (size_t i = n; i < EVGW_CANFD_MAX_DLEN; i++)
		assert_int_equal(f->data[i], 0);
}

static void test_log_line(void **state)
{
	static const uint8_t want[] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
	struct parsed p = parse_ok("(1436509052.249713) can0 123#1122334455667788");

	(void)state;
	assert_true(p.l.has_ts);
	assert_true(p.l.frame.ts_us == INT64_C(1436509052249713));
	assert_int_equal(p.l.iface_len, 4);
	assert_string_equal(p.iface, "can0");
	assert_int_equal(p.l.frame.id, 0x123);
	assert_int_equal(p.l.frame.flags, 0);
	assert_int_equal(p.l.frame.dlc, 8);
	assert_int_equal(p.l.frame.bus, 0);
	assert_data(&p.l.frame, want, sizeof want);
}

/* candump -l -x's direction mark: " R" received, " T" transmitted. */
static void test_direction_mark(void **state)
{
	static const uint8_t want[] = {0x02, 0x01, 0x0D};
	(void)state;
	struct parsed p = parse_ok("(1436509052.249713) can0 7DF#02010D T");
	assert_true(p.l.tx);
	assert_int_equal(p.l.frame.id, 0x7DF);
	assert_int_equal(p.l.frame.flags, 0); /* the frame itself is as it was on the bus */
	assert_data(&p.l.frame, want, sizeof want);
	p = parse_ok("(1436509052.249713) can0 7DF#02010D R\r\n");
	assert_false(p.l.tx);
	assert_data(&p.l.frame, want, sizeof want);
	p = parse_ok("(1.000000) can0 123#R T"); /* a remote frame, sent */
	assert_true(p.l.tx);
	assert_true(p.l.frame.flags & EVGW_FRAME_RTR);
	p = parse_ok("(1.000000) can0 123#R"); /* the remote mark is no direction */
	assert_false(p.l.tx);
	assert_true(p.l.frame.flags & EVGW_FRAME_RTR);
	p = parse_ok("(1.000000) can0 123##1AA\tT");
	assert_true(p.l.tx);
	assert_true(p.l.frame.flags & EVGW_FRAME_FD);
	/* Only after a log line's frame, and only one mark. */
	struct parsed bad = parse_n("123#11 T", 8);
	assert_int_equal(bad.rc, -EINVAL);
	assert_string_equal(bad.msg, "unexpected text after frame");
	bad = parse_n("(1.000000) can0 123#11 X", 24);
	assert_int_equal(bad.rc, -EINVAL);
	assert_int_equal(bad.col, 24); /* the X */
	bad = parse_n("(1.000000) can0 123#11 T T", 26);
	assert_int_equal(bad.rc, -EINVAL);
	assert_string_equal(bad.msg, "unexpected text after frame");
}

static void test_compact_std(void **state)
{
	static const uint8_t want[] = {0xDE, 0xAD, 0xbe};
	struct parsed p = parse_ok("7FF#deADbe");

	(void)state;
	assert_false(p.l.has_ts);
	assert_null(p.l.iface);
	assert_int_equal(p.l.iface_len, 0);
	assert_true(p.l.frame.ts_us == 0);
	assert_int_equal(p.l.frame.id, 0x7FF);
	assert_int_equal(p.l.frame.flags, 0);
	assert_int_equal(p.l.frame.dlc, 3);
	assert_data(&p.l.frame, want, sizeof want);

	p = parse_ok("000#");
	assert_int_equal(p.l.frame.id, 0);
	assert_int_equal(p.l.frame.dlc, 0);
	assert_data(&p.l.frame, want, 0);
}

static void test_ext(void **state)
{
	static const uint8_t want[] = {0x11, 0x22, 0x33};
	struct parsed p = parse_ok("12345678#112233");

	(void)state;
	assert_int_equal(p.l.frame.id, 0x12345678);
	assert_int_equal(p.l.frame.flags, EVGW_FRAME_EXT);
	assert_int_equal(p.l.frame.dlc, 3);
	assert_data(&p.l.frame, want, sizeof want);

	/* Leading zeros still make it extended: the digit count decides. */
	p = parse_ok("00000123#");
	assert_int_equal(p.l.frame.id, 0x123);
	assert_int_equal(p.l.frame.flags, EVGW_FRAME_EXT);

	p = parse_ok("1FFFFFFF#00");
	assert_int_equal(p.l.frame.id, 0x1FFFFFFF);
}

static void test_remote(void **state)
{
	struct parsed p = parse_ok("12345678#R");

	(void)state;
	assert_int_equal(p.l.frame.id, 0x12345678);
	assert_int_equal(p.l.frame.flags, EVGW_FRAME_EXT | EVGW_FRAME_RTR);
	assert_int_equal(p.l.frame.len, 0);
	assert_int_equal(p.l.frame.dlc, 0);

	p = parse_ok("12345678#R5");
	assert_int_equal(p.l.frame.flags, EVGW_FRAME_EXT | EVGW_FRAME_RTR);
	assert_int_equal(p.l.frame.len, 5);
	assert_int_equal(p.l.frame.dlc, 5);
	assert_data(&p.l.frame, (const uint8_t *)"\0\0\0\0\0", 5);

	p = parse_ok("123#R8");
	assert_int_equal(p.l.frame.flags, EVGW_FRAME_RTR);
	assert_int_equal(p.l.frame.len, 8);

	p = parse_ok("123#R0");
	assert_int_equal(p.l.frame.len, 0);
}

static void test_dotted(void **state)
{
	static const uint8_t want[] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
	struct parsed p = parse_ok("123#11.22.33.44.55.66.77.88");

	(void)state;
	assert_int_equal(p.l.frame.id, 0x123);
	assert_data(&p.l.frame, want, sizeof want);

	/* Separators are optional per gap. */
	p = parse_ok("123#1122.3344");
	assert_data(&p.l.frame, want, 4);
}

static void test_error_frame(void **state)
{
	static const uint8_t want[] = {0x11, 0x22, 0x33};
	struct parsed p = parse_ok("32345678#112233");

	(void)state;
	/* 0x32345678 & ~0x20000000 = 0x12345678 */
	assert_int_equal(p.l.frame.id, 0x12345678);
	assert_int_equal(p.l.frame.flags, EVGW_FRAME_ERR);
	assert_int_equal(p.l.frame.dlc, 3);
	assert_data(&p.l.frame, want, sizeof want);

	p = parse_ok("20000004#0004000000000000");
	assert_int_equal(p.l.frame.id, 0x4);
	assert_int_equal(p.l.frame.flags, EVGW_FRAME_ERR);
	assert_int_equal(p.l.frame.len, 8);
}

static void test_fd_flags(void **state)
{
	static const uint8_t want[] = {0x11, 0x22, 0x33};
	static const struct {
		const char *line;
		uint8_t flags;
	} cases[] = {
		{"123##0112233", EVGW_FRAME_FD},
		{"123##1112233", EVGW_FRAME_FD | EVGW_FRAME_BRS},
		{"123##2112233", EVGW_FRAME_FD | EVGW_FRAME_ESI},
		{"123##3112233", EVGW_FRAME_FD | EVGW_FRAME_BRS | EVGW_FRAME_ESI},
		{"123##4112233", EVGW_FRAME_FD},
		{"123##5112233", EVGW_FRAME_FD | EVGW_FRAME_BRS},
		{"123##6112233", EVGW_FRAME_FD | EVGW_FRAME_ESI},
		{"123##7112233", EVGW_FRAME_FD | EVGW_FRAME_BRS | EVGW_FRAME_ESI},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct parsed p = parse_ok(cases[i].line);

		assert_int_equal(p.l.frame.id, 0x123);
		assert_int_equal(p.l.frame.flags, cases[i].flags);
		assert_int_equal(p.l.frame.dlc, 3);
		assert_data(&p.l.frame, want, sizeof want);
	}

	struct parsed p = parse_ok("1ABCDEF0##5");
	assert_int_equal(p.l.frame.id, 0x1ABCDEF0);
	assert_int_equal(p.l.frame.flags, EVGW_FRAME_EXT | EVGW_FRAME_FD | EVGW_FRAME_BRS);
	assert_int_equal(p.l.frame.len, 0);
	assert_int_equal(p.l.frame.dlc, 0);
}

static void fill_hex(char *dst, const uint8_t *data, size_t n)
{
	static const char digits[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		dst[2 * i] = digits[data[i] >> 4];
		dst[2 * i + 1] = digits[data[i] & 0xF];
	}
	dst[2 * n] = '\0';
}

static void test_fd_lengths(void **state)
{
	uint8_t data[64];
	char line[160];
	struct parsed p;

	(void)state;
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(0xA0 + i);

	memcpy(line, "123##1", 6);
	fill_hex(line + 6, data, 12);
	p = parse_ok(line);
	assert_int_equal(p.l.frame.flags, EVGW_FRAME_FD | EVGW_FRAME_BRS);
	assert_int_equal(p.l.frame.dlc, 9);
	assert_data(&p.l.frame, data, 12);

	memcpy(line, "12345678##4", 11);
	fill_hex(line + 11, data, 64);
	p = parse_ok(line);
	assert_int_equal(p.l.frame.flags, EVGW_FRAME_FD | EVGW_FRAME_EXT);
	assert_int_equal(p.l.frame.dlc, 15);
	assert_data(&p.l.frame, data, 64);

	/* 9 bytes is no CAN FD length; the column is where a byte is missing. */
	memcpy(line, "123##0", 6);
	fill_hex(line + 6, data, 9);
	p = parse_n(line, strlen(line));
	assert_int_equal(p.rc, -EINVAL);
	assert_int_equal(p.col, 6 + 18 + 1);
	assert_string_equal(p.msg, "invalid CAN FD length");

	/* 65 bytes: the 65th byte starts at index 6 + 128. */
	fill_hex(line + 6, data, 64);
	memcpy(line + 6 + 128, "AA", 3);
	p = parse_n(line, strlen(line));
	assert_int_equal(p.rc, -EINVAL);
	assert_int_equal(p.col, 6 + 128 + 1);
	assert_string_equal(p.msg, "more than 64 data bytes in a CAN FD frame");
}

static void test_raw_dlc(void **state)
{
	static const uint8_t want[] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
	struct parsed p = parse_ok("123#1122334455667788_C");

	(void)state;
	assert_int_equal(p.l.frame.flags, 0);
	assert_int_equal(p.l.frame.dlc, 12);
	assert_data(&p.l.frame, want, sizeof want);

	p = parse_ok("123#11.22.33.44.55.66.77.88_9");
	assert_int_equal(p.l.frame.dlc, 9);
	p = parse_ok("123#1122334455667788_f");
	assert_int_equal(p.l.frame.dlc, 15);
}

static void test_line_endings(void **state)
{
	static const char *const lines[] = {
		"123#1122\n", "123#1122\r\n", "123#1122 \t \r\n", "  123#1122", "\t123#1122  ",
	};

	(void)state;
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		struct parsed p = parse_ok(lines[i]);

		assert_int_equal(p.l.frame.id, 0x123);
		assert_data(&p.l.frame, (const uint8_t *)"\x11\x22", 2);
	}

	struct parsed p = parse_ok("(1.5)\tvcan0  \t123#R\r\n");
	assert_true(p.l.frame.ts_us == 1500000);
	assert_string_equal(p.iface, "vcan0");
	assert_int_equal(p.l.frame.flags, EVGW_FRAME_RTR);
}

static void test_blank(void **state)
{
	static const char *const lines[] = {
		"", "\n", "\r\n", "   ", " \t \r\n", "#", "# comment 123#11", "   # indented",
		"\t#123#11\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		struct parsed p = parse_n(lines[i], strlen(lines[i]));

		assert_int_equal(p.rc, EVGW_CANDUMP_BLANK);
		assert_int_equal(p.col, 0);
		assert_null(p.msg);
	}

	/* A NULL line of length 0 is an empty line. */
	struct evgw_candump_line l;
	assert_int_equal(evgw_candump_parse_line(NULL, 0, &l, NULL, NULL), EVGW_CANDUMP_BLANK);
}

static void test_timestamps(void **state)
{
	static const struct {
		const char *line;
		int64_t ts_us;
	} cases[] = {
		{"(0.0) c 123#", 0},
		{"(1.5) c 123#", 1500000},
		{"(1.05) c 123#", 1050000},
		{"(1.000001) c 123#", 1000001},
		{"(1.1234567) c 123#", 1123456},
		{"(1.123456789) c 123#", 1123456},
		{"(0001.000) c 123#", 1000000},
		{"(9223372036854.775807) c 123#", INT64_MAX},
		{"(9223372036854.7758079) c 123#", INT64_MAX},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct parsed p = parse_ok(cases[i].line);

		assert_true(p.l.has_ts);
		assert_true(p.l.frame.ts_us == cases[i].ts_us);
	}
}

static void test_iface(void **state)
{
	struct parsed p = parse_ok("(1.0) abcdefghijklmno 123#");

	(void)state;
	assert_int_equal(p.l.iface_len, 15);
	assert_string_equal(p.iface, "abcdefghijklmno");

	p = parse_ok("(1.0) A-b_9.x 123#");
	assert_string_equal(p.iface, "A-b_9.x");
}

static const struct {
	const char *line;
	size_t col;
	const char *msg;
} malformed[] = {
	/* identifier */
	{"12#11", 3, "CAN ID must be 3 or 8 hex digits"},
	{"1234#11", 5, "CAN ID must be 3 or 8 hex digits"},
	{"1234567#11", 8, "CAN ID must be 3 or 8 hex digits"},
	{"123456789#11", 9, "CAN ID must be 3 or 8 hex digits"},
	{"G#11", 1, "CAN ID must be 3 or 8 hex digits"},
	{"can0 123#11", 3, "CAN ID must be 3 or 8 hex digits"},
	{"x", 1, "CAN ID must be 3 or 8 hex digits"},
	{"800#11", 1, "standard CAN ID above 7FF"},
	{"  FFF#11", 3, "standard CAN ID above 7FF"},
	{"40000000#11", 1, "CAN ID bits 30 and 31 must be 0"},
	{"80000000#", 1, "CAN ID bits 30 and 31 must be 0"},
	{"123", 4, "expected '#' after CAN ID"},
	{"123 #11", 4, "expected '#' after CAN ID"},
	{"123:11", 4, "expected '#' after CAN ID"},
	/* classic data */
	{"123#1", 6, "odd number of hex digits in data"},
	{"123#112", 8, "odd number of hex digits in data"},
	{"123#112\n", 8, "odd number of hex digits in data"},
	{"123#1.22", 6, "odd number of hex digits in data"},
	{"123#1 1", 6, "odd number of hex digits in data"},
	{"123#11.", 7, "misplaced '.' in data"},
	{"123#11.\r\n", 7, "misplaced '.' in data"},
	{"123#.11", 5, "misplaced '.' in data"},
	{"123#.", 5, "misplaced '.' in data"},
	{"123#11..22", 8, "misplaced '.' in data"},
	{"123#1122334455667788._C", 21, "misplaced '.' in data"},
	{"123#00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF00", 133, "more than 64 data bytes in a frame"},
	{"20000080#112233445566778899", 26, "more than 8 data bytes in an error frame"},
	{"123#11G2", 7, "invalid character in data"},
	{"123#11\n456#22", 7, "invalid character in data"},
	{"123#r", 5, "invalid character in data"},
	{"123#11 22", 8, "unexpected text after frame"},
	{"123#11 #x", 8, "unexpected text after frame"},
	/* raw DLC */
	{"123#1122_C", 9, "raw DLC needs exactly 8 data bytes"},
	{"123#_C", 5, "raw DLC needs exactly 8 data bytes"},
	{"123#1122334455667788_8", 22, "raw DLC must be a hex digit 9..F"},
	{"123#1122334455667788_G", 22, "raw DLC must be a hex digit 9..F"},
	{"123#1122334455667788_", 22, "raw DLC must be a hex digit 9..F"},
	{"123#1122334455667788_CC", 23, "unexpected text after frame"},
	/* remote */
	{"123#R9", 6, "remote frame length must be 0..8"},
	{"123#R12", 7, "unexpected text after frame"},
	{"123#RX", 6, "unexpected text after frame"},
	{"123#R11", 7, "unexpected text after frame"},
	{"32345678#R", 10, "error frames cannot be remote"},
	/* CAN FD */
	{"123##", 6, "expected CAN FD flags nibble"},
	{"123##G11", 6, "expected CAN FD flags nibble"},
	{"123##.11", 6, "expected CAN FD flags nibble"},
	{"123##8", 6, "unknown CAN FD flag bit"},
	{"123##F11", 6, "unknown CAN FD flag bit"},
	{"123##1R", 7, "CAN FD frames cannot be remote"},
	{"123##1112", 10, "odd number of hex digits in data"},
	{"123##01122334455667788_C", 23, "raw DLC only in classic frames"},
	{"123##0112233445566778899", 25, "invalid CAN FD length"},
	{"123##0112233445566778899 ", 25, "invalid CAN FD length"},
	{"123###", 6, "expected CAN FD flags nibble"},
	{"32345678##0", 10, "error frames cannot be CAN FD"},
	/* timestamp */
	{"(1436509052.249713)can0 123#11", 20, "expected space after timestamp"},
	{"(1436509052.249713) can0", 25, "expected space after interface name"},
	{"(1436509052.249713) can0 \r\n", 25, "expected space after interface name"},
	{"(1436509052.249713) can0#123#11", 25, "expected space after interface name"},
	{"(1436509052) can0 123#11", 12, "expected '.' in timestamp"},
	{"(.5) can0 123#11", 2, "expected digits in timestamp"},
	{"(-1.5) can0 123#11", 2, "expected digits in timestamp"},
	{"(", 2, "expected digits in timestamp"},
	{"(1.) can0 123#11", 4, "expected digits after '.' in timestamp"},
	{"(1.5 can0 123#11", 5, "expected ')' after timestamp"},
	{"(1.5", 5, "expected ')' after timestamp"},
	{"(1.5x) can0 123#11", 5, "expected ')' after timestamp"},
	{"(1.1234567890) can0 123#11", 13, "more than 9 fraction digits in timestamp"},
	{"(9223372036855.0) can0 123#11", 14, "timestamp out of range"},
	{"(99999999999999999999.0) can0 123#11", 14, "timestamp out of range"},
	{"(9223372036854.775808) can0 123#11", 16, "timestamp out of range"},
	{"(1.5)", 6, "expected space after timestamp"},
	/* interface */
	{"(1.5) #123#11", 7, "expected interface name"},
	{"(1.5) ", 6, "expected space after timestamp"},
	{"(1.5) abcdefghijklmnop 123#11", 22, "interface name longer than 15 characters"},
	{"(1.5) can/0 123#11", 10, "expected space after interface name"},
	{"(1.5)  123#11", 11, "expected space after interface name"},
	{"(1.5) can0 (1.5) can0 123#11", 12, "CAN ID must be 3 or 8 hex digits"},
	{"(1.5) can0 can0 123#11", 14, "CAN ID must be 3 or 8 hex digits"},
};

static void test_malformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
		struct parsed p = parse_n(malformed[i].line, strlen(malformed[i].line));

		if (p.rc != -EINVAL || p.col != malformed[i].col || !p.msg ||
		    strcmp(p.msg, malformed[i].msg) != 0)
			fail_msg("\"%s\": rc %d col %zu (want %zu) msg \"%s\" (want \"%s\")",
				 malformed[i].line, p.rc, p.col, malformed[i].col,
				 p.msg ? p.msg : "(null)", malformed[i].msg);
	}
}

static void test_embedded_nul(void **state)
{
	static const char line[] = "123#11\0" "22";
	struct parsed p = parse_n(line, sizeof line - 1);

	(void)state;
	assert_int_equal(p.rc, -EINVAL);
	assert_int_equal(p.col, 7);
	assert_string_equal(p.msg, "invalid character in data");
}

static void test_null_err_pointers(void **state)
{
	struct evgw_candump_line l;
	size_t col = 99;

	(void)state;
	assert_int_equal(evgw_candump_parse_line("12#", 3, &l, NULL, NULL), -EINVAL);
	assert_int_equal(evgw_candump_parse_line("12#", 3, &l, &col, NULL), -EINVAL);
	assert_int_equal(col, 3);
	assert_int_equal(evgw_candump_parse_line("123#", 4, &l, NULL, NULL), EVGW_CANDUMP_FRAME);
}

static const char fd64_line[] =
	"123##7000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"
	"202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F";

static const char *const valid_lines[] = {
	"(1436509052.249713) can0 123#1122334455667788\r\n",
	"(0.5) vcan-long_name 12345678#R5",
	"123#11.22.33.44.55.66.77.88_C",
	"32345678#112233",
	"1ABCDEF0##5AABB",
	fd64_line,
	"  # comment",
};

/* Every truncation of a valid line either parses or is rejected cleanly. */
static void test_prefixes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof valid_lines / sizeof valid_lines[0]; i++) {
		size_t n = strlen(valid_lines[i]);

		for (size_t k = 0; k <= n; k++) {
			struct parsed p = parse_n(valid_lines[i], k);

			if (p.rc == -EINVAL) {
				assert_non_null(p.msg);
				assert_in_range(p.col, 1, k + 1);
				continue;
			}
			assert_true(p.rc == EVGW_CANDUMP_FRAME || p.rc == EVGW_CANDUMP_BLANK);
			assert_int_equal(p.col, 0);
			assert_true(p.l.frame.len <= EVGW_CANFD_MAX_DLEN);
		}
		assert_int_equal(parse_n(valid_lines[i], n).rc,
				 i == 6 ? EVGW_CANDUMP_BLANK : EVGW_CANDUMP_FRAME);
		assert_int_equal(parse_n(valid_lines[i], 0).rc, EVGW_CANDUMP_BLANK);
	}
}

/* The line is a slice of a bigger buffer: bytes past len must not count. */
static void test_not_terminated(void **state)
{
	static const char buf[] = "123#11223344ZZZZ";
	static const char noterm[8] = {'1', '2', '3', '#', '1', '1', '2', '2'};
	static const char log[] = "(1.5) can0 123#11" "22" "(2.0) can1 456#33";
	struct evgw_candump_line l;
	size_t col;
	const char *msg;

	(void)state;
	assert_int_equal(evgw_candump_parse_line(buf, 8, &l, &col, &msg), EVGW_CANDUMP_FRAME);
	assert_data(&l.frame, (const uint8_t *)"\x11\x22", 2);

	assert_int_equal(evgw_candump_parse_line(noterm, sizeof noterm, &l, &col, &msg),
			 EVGW_CANDUMP_FRAME);
	assert_data(&l.frame, (const uint8_t *)"\x11\x22", 2);

	assert_int_equal(evgw_candump_parse_line(log, 17, &l, &col, &msg), EVGW_CANDUMP_FRAME);
	assert_true(l.frame.ts_us == 1500000);
	assert_ptr_equal(l.iface, log + 6);
	assert_int_equal(l.iface_len, 4);
	assert_data(&l.frame, (const uint8_t *)"\x11", 1);

	/* Cut inside the id: the hex digits after the cut must not be taken. */
	assert_int_equal(evgw_candump_parse_line(buf, 2, &l, &col, &msg), -EINVAL);
	assert_int_equal(col, 3);
}

static void check_format(const struct evgw_frame *f, const char *want)
{
	char buf[140];
	int n = evgw_candump_format_frame(f, buf, sizeof buf);

	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(buf, want);
}

/* The fast path (candump_fast.c) on the lines recordings are made of:
 * values worked by hand, and the careful parser agreeing field by field. */
static void expect_fast_same(const char *line, struct evgw_candump_line *fast)
{
	struct evgw_candump_line careful;
	size_t col;
	const char *msg;
	assert_true(evgw_candump_parse_fast(line, strlen(line), fast));
	assert_int_equal(evgw_candump_parse_careful(line, strlen(line), &careful, &col, &msg), EVGW_CANDUMP_FRAME);
	assert_memory_equal(&fast->frame, &careful.frame, sizeof careful.frame);
	assert_int_equal(fast->has_ts, careful.has_ts);
	assert_ptr_equal(fast->iface, careful.iface);
	assert_int_equal(fast->iface_len, careful.iface_len);
	assert_int_equal(fast->tx, careful.tx);
}

static void test_fast_path(void **state)
{
	(void)state;
	struct evgw_candump_line l;
	/* FD, flags nibble 0, 16 digits: 8 bytes through two SWAR steps. */
	expect_fast_same("(1700000000.001000) can0 337##0E2388B52875B8AB9", &l);
	assert_int_equal(l.frame.ts_us, 1700000000001000LL);
	assert_int_equal(l.frame.id, 0x337);
	assert_int_equal(l.frame.flags, EVGW_FRAME_FD);
	assert_int_equal(l.frame.len, 8);
	assert_int_equal(l.frame.dlc, 8);
	static const uint8_t fd8[] = {0xE2, 0x38, 0x8B, 0x52, 0x87, 0x5B, 0x8A, 0xB9};
	assert_memory_equal(l.frame.data, fd8, sizeof fd8);
	assert_int_equal(l.iface_len, 4);
	/* Extended id, lower-case digits, 5 bytes (one SWAR step and a pair), " T". */
	expect_fast_same("(12.000007) vcan-1.x 18fef100#0aFf10c3e2 T", &l);
	assert_int_equal(l.frame.ts_us, 12000007);
	assert_int_equal(l.frame.id, 0x18FEF100);
	assert_int_equal(l.frame.flags, EVGW_FRAME_EXT);
	static const uint8_t ext5[] = {0x0A, 0xFF, 0x10, 0xC3, 0xE2};
	assert_int_equal(l.frame.len, 5);
	assert_memory_equal(l.frame.data, ext5, sizeof ext5);
	assert_true(l.tx);
	/* FD with BRS|ESI|FDF (7), 12 bytes: DLC 9. */
	expect_fast_same("(0.000000) can0 7FF##7000102030405060708090A0B R\r\n", &l);
	assert_int_equal(l.frame.flags, EVGW_FRAME_FD | EVGW_FRAME_BRS | EVGW_FRAME_ESI);
	assert_int_equal(l.frame.len, 12);
	assert_int_equal(l.frame.dlc, 9);
	assert_int_equal(l.frame.data[11], 0x0B);
	assert_false(l.tx);
	/* Empty classic payload; a classic 64-byte payload (as some tools write). */
	expect_fast_same("(5.500000) can0 123#", &l);
	assert_int_equal(l.frame.len, 0);
	char big[200] = "(1.000000) can0 123#";
	for (int i = 0; i < 64; i++)
		sprintf(big + strlen(big), "%02X", (unsigned)(i * 7 + 1) & 0xFFu);
	expect_fast_same(big, &l);
	assert_int_equal(l.frame.len, 64);
	assert_int_equal(l.frame.dlc, 64);
	assert_int_equal(l.frame.data[63], (63 * 7 + 1) & 0xFF);
	/* Declined, so that the careful parser reads (or refuses) them. */
	static const char *const declined[] = {
		"123#1122",                              /* compact form */
		"(1.000000) can0 123#11.22",             /* separator */
		"(1.000000) can0 123#112",               /* odd digit */
		"(1.0000001) can0 123#11",               /* seven fraction digits */
		"(1.00000) can0 123#11",                 /* five */
		"(1234567890123.000000) can0 123#11",    /* thirteen second digits */
		"(1.000000)  can0 123#11",               /* two blanks */
		"(1.000000) can0\t123#11",               /* a tab */
		"(1.000000) can0 800#11",                /* standard id above 7FF */
		"(1.000000) can0 20000080#0000000000000000", /* error frame */
		"(1.000000) can0 40000000#11",           /* bit 30 */
		"(1.000000) can0 123#R",                 /* remote */
		"(1.000000) can0 123#1122334455667788_9", /* raw DLC */
		"(1.000000) can0 123##8",                /* FD flag bit 3 */
		"(1.000000) can0 123##0112233445566778899", /* FD length 9 */
		"(1.000000) can0 123#11223344G5667788",  /* not hex inside a SWAR step */
		"(1.000000) can0 123#11 22",             /* blank inside */
		"(1.000000) can0 1234#11",               /* four id digits */
	};
	for (size_t i = 0; i < sizeof declined / sizeof declined[0]; i++)
		assert_false(evgw_candump_parse_fast(declined[i], strlen(declined[i]), &l));
	char huge[200] = "(1.000000) can0 123#";
	for (int i = 0; i < 65; i++)
		strcat(huge, "AB");
	assert_false(evgw_candump_parse_fast(huge, strlen(huge), &l));
}

static void test_format(void **state)
{
	struct evgw_frame f;

	(void)state;
	memset(&f, 0, sizeof f);
	f.id = 0x123;
	f.len = 2;
	f.dlc = 2;
	f.data[0] = 0x11;
	f.data[1] = 0x22;
	check_format(&f, "123#1122");

	f.id = 0x1ABCDEF0;
	f.flags = EVGW_FRAME_EXT | EVGW_FRAME_FD | EVGW_FRAME_BRS;
	f.data[0] = 0xAA;
	f.data[1] = 0xBB;
	check_format(&f, "1ABCDEF0##5AABB");
	f.flags = EVGW_FRAME_EXT | EVGW_FRAME_FD | EVGW_FRAME_ESI;
	check_format(&f, "1ABCDEF0##6AABB");
	f.flags = EVGW_FRAME_FD;
	f.id = 0x5;
	f.len = 0;
	check_format(&f, "005##4");

	f.flags = EVGW_FRAME_RTR;
	f.id = 0x123;
	f.len = 4;
	check_format(&f, "123#R4");
	f.len = 0;
	check_format(&f, "123#R");
	f.flags = EVGW_FRAME_RTR | EVGW_FRAME_EXT;
	f.id = 0xAB;
	check_format(&f, "000000AB#R");

	f.flags = 0;
	f.id = 0x7FF;
	f.len = 8;
	f.dlc = 0xC;
	memcpy(f.data, "\x01\x23\x45\x67\x89\xab\xcd\xef", 8);
	check_format(&f, "7FF#0123456789ABCDEF_C");
	f.dlc = 8;
	check_format(&f, "7FF#0123456789ABCDEF");

	f.flags = EVGW_FRAME_ERR;
	f.id = 0x4;
	check_format(&f, "20000004#0123456789ABCDEF");
	f.flags = 0;
	f.id = 0x7FF;
	f.len = 0;
	f.dlc = 0;
	check_format(&f, "7FF#");
}

static void test_format_limits(void **state)
{
	struct evgw_frame f;
	char buf[140];

	(void)state;
	memset(&f, 0, sizeof f);
	f.id = 0x1FFFFFFF;
	f.flags = EVGW_FRAME_EXT | EVGW_FRAME_FD | EVGW_FRAME_BRS | EVGW_FRAME_ESI;
	f.len = 64;
	f.dlc = 15;
	memset(f.data, 0xFF, 64);
	/* 8 id + "##" + nibble + 128 = 139, plus the NUL: the header's 140. */
	assert_int_equal(evgw_candump_format_frame(&f, buf, 140), 139);
	assert_int_equal(evgw_candump_format_frame(&f, buf, 139), -ENOSPC);
	assert_string_equal(buf, "");

	memset(&f, 0, sizeof f);
	f.id = 0x123;
	assert_int_equal(evgw_candump_format_frame(&f, buf, 5), 4);
	assert_string_equal(buf, "123#");
	assert_int_equal(evgw_candump_format_frame(&f, buf, 4), -ENOSPC);
	assert_int_equal(evgw_candump_format_frame(&f, NULL, 0), -ENOSPC);
}

static void test_format_unrepresentable(void **state)
{
	struct evgw_frame f;
	char buf[140];

	(void)state;
	memset(&f, 0, sizeof f);
	f.id = 0x800;
	assert_int_equal(evgw_candump_format_frame(&f, buf, sizeof buf), -EINVAL);
	f.flags = EVGW_FRAME_EXT;
	f.id = 0x20000000;
	assert_int_equal(evgw_candump_format_frame(&f, buf, sizeof buf), -EINVAL);
	f.id = 0x123;
	f.flags = EVGW_FRAME_ERR;
	f.len = 9; /* error frames carry at most 8 bytes */
	assert_int_equal(evgw_candump_format_frame(&f, buf, sizeof buf), -EINVAL);
	f.flags = 0;
	f.len = 65;
	assert_int_equal(evgw_candump_format_frame(&f, buf, sizeof buf), -EINVAL);
	f.len = 9;
	f.flags = EVGW_FRAME_FD;
	assert_int_equal(evgw_candump_format_frame(&f, buf, sizeof buf), -EINVAL);
	f.len = 65;
	assert_int_equal(evgw_candump_format_frame(&f, buf, sizeof buf), -EINVAL);
	f.len = 8;
	f.flags = EVGW_FRAME_FD | EVGW_FRAME_RTR;
	assert_int_equal(evgw_candump_format_frame(&f, buf, sizeof buf), -EINVAL);
	f.flags = EVGW_FRAME_ERR | EVGW_FRAME_RTR;
	assert_int_equal(evgw_candump_format_frame(&f, buf, sizeof buf), -EINVAL);
	f.flags = 0;
	f.dlc = 16;
	assert_int_equal(evgw_candump_format_frame(&f, buf, sizeof buf), -EINVAL);
}

static void roundtrip(const struct evgw_frame *f)
{
	char buf[140];
	struct parsed p;
	int n = evgw_candump_format_frame(f, buf, sizeof buf);

	assert_true(n > 0);
	p = parse_ok(buf);
	if (memcmp(&p.l.frame, f, sizeof *f) != 0)
		fail_msg("round trip changed \"%s\"", buf);
}

static struct evgw_frame make_frame(uint32_t id, uint8_t flags, uint8_t len, uint8_t dlc)
{
	struct evgw_frame f;

	memset(&f, 0, sizeof f);
	f.id = id;
	f.flags = flags;
	f.len = len;
	f.dlc = dlc;
	if (!(flags & EVGW_FRAME_RTR))
		for (uint8_t i = 0; i < len; i++)
			f.data[i] = (uint8_t)(i * 37 + id);
	return f;
}

static void test_roundtrip(void **state)
{
	static const uint8_t fd_lens[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 24, 32, 48, 64};
	static const uint8_t fd_flags[] = {0, EVGW_FRAME_BRS, EVGW_FRAME_ESI,
					   EVGW_FRAME_BRS | EVGW_FRAME_ESI};

	(void)state;
	for (uint8_t len = 0; len <= 8; len++) {
		struct evgw_frame f = make_frame(0x7FF, 0, len, len);

		roundtrip(&f);
		f = make_frame(0x1FFFFFFF, EVGW_FRAME_EXT, len, len);
		roundtrip(&f);
		f = make_frame(0x000, EVGW_FRAME_RTR, len, len);
		roundtrip(&f);
		f = make_frame(0x00ABCDEF, EVGW_FRAME_RTR | EVGW_FRAME_EXT, len, len);
		roundtrip(&f);
		f = make_frame(0x00000040, EVGW_FRAME_ERR, len, len);
		roundtrip(&f);
	}
	for (uint8_t dlc = 9; dlc <= 15; dlc++) {
		struct evgw_frame f = make_frame(0x321, 0, 8, dlc);

		roundtrip(&f);
		f = make_frame(0x0, EVGW_FRAME_EXT, 8, dlc);
		roundtrip(&f);
	}
	for (size_t i = 0; i < sizeof fd_lens; i++) {
		for (size_t j = 0; j < sizeof fd_flags; j++) {
			uint8_t flags = EVGW_FRAME_FD | fd_flags[j];
			uint8_t dlc = evgw_canfd_len_to_dlc(fd_lens[i]);
			struct evgw_frame f = make_frame(0x456, flags, fd_lens[i], dlc);

			roundtrip(&f);
			f = make_frame(0x1234567, flags | EVGW_FRAME_EXT, fd_lens[i], dlc);
			roundtrip(&f);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_line),
		cmocka_unit_test(test_compact_std),
		cmocka_unit_test(test_ext),
		cmocka_unit_test(test_remote),
		cmocka_unit_test(test_dotted),
		cmocka_unit_test(test_error_frame),
		cmocka_unit_test(test_fd_flags),
		cmocka_unit_test(test_fd_lengths),
		cmocka_unit_test(test_raw_dlc),
		cmocka_unit_test(test_line_endings),
		cmocka_unit_test(test_blank),
		cmocka_unit_test(test_timestamps),
		cmocka_unit_test(test_iface),
		cmocka_unit_test(test_direction_mark),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_null_err_pointers),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_not_terminated),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_limits),
		cmocka_unit_test(test_format_unrepresentable),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_fast_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
