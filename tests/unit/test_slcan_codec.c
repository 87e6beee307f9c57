// SPDX-License-Identifier: MIT
/* The slcan codec alone: every expected string and byte below is written by
 * hand from the protocol descriptions (Lawicel / kernel slcan-core.c
 * comments and examples, canable2-fw README, linux/can/error.h values),
 * not produced by the code under test. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/slcan_codec.h"

static struct evgw_frame mk(uint32_t id, uint8_t flags, uint8_t len, const char *bytes)
{
	struct evgw_frame f = {0};
	f.id = id;
	f.flags = flags;
	f.len = len;
	if (bytes)
		memcpy(f.data, bytes, len);
	return f;
}

static void expect_enc(const struct evgw_frame *f, const char *want)
{
	char buf[160];
	int n = evgw_slcan_encode_frame(f, buf, sizeof buf);
	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(buf, want);
}

static void encode_classic(void **st)
{
	(void)st;
	struct evgw_frame f = mk(0x123, 0, 2, "\x11\x22");
	expect_enc(&f, "t12321122\r");
	f = mk(0x12ABCDEF, EVGW_FRAME_EXT, 2, "\xAA\x55"); /* kernel slcan-core.c example */
	expect_enc(&f, "T12ABCDEF2AA55\r");
	f = mk(0x7FF, 0, 8, "\x01\x23\x45\x67\x89\xAB\xCD\xEF");
	expect_enc(&f, "t7FF80123456789ABCDEF\r");
	f = mk(0x000, 0, 0, NULL);
	expect_enc(&f, "t0000\r");
	f = mk(0x5, EVGW_FRAME_EXT, 1, "\x0f");
	expect_enc(&f, "T0000000510F\r");
}

static void encode_remote(void **st)
{
	(void)st;
	struct evgw_frame f = mk(0x123, EVGW_FRAME_RTR, 0, NULL);
	expect_enc(&f, "r1230\r");
	/* A remote frame's length is its DLC; no data follows. */
	f = mk(0x123, EVGW_FRAME_RTR, 4, "\x99\x99\x99\x99");
	expect_enc(&f, "r1234\r");
	f = mk(0x1ABCDEF0, EVGW_FRAME_RTR | EVGW_FRAME_EXT, 8, NULL);
	expect_enc(&f, "R1ABCDEF08\r");
}

static void encode_fd(void **st)
{
	(void)st;
	char data[64];
	for (int i = 0; i < 64; i++)
		data[i] = (char)i;
	struct evgw_frame f = mk(0x456, EVGW_FRAME_FD | EVGW_FRAME_BRS, 12, data);
	expect_enc(&f, "b4569000102030405060708090A0B\r");
	f = mk(0x456, EVGW_FRAME_FD, 12, data);
	expect_enc(&f, "d4569000102030405060708090A0B\r");
	f = mk(0x1, EVGW_FRAME_FD, 20, data);
	expect_enc(&f, "d001B000102030405060708090A0B0C0D0E0F10111213\r");
	/* 64 bytes, extended, BRS: code F, 1 + 8 + 1 + 128 + 1 characters. */
	f = mk(0x10, EVGW_FRAME_FD | EVGW_FRAME_EXT | EVGW_FRAME_BRS, 64, data);
	char want[160] = "B00000010F";
	for (int i = 0; i < 64; i++) {
		char two[3] = {"0123456789ABCDEF"[i >> 4], "0123456789ABCDEF"[i & 15], 0};
		strcat(want, two);
	}
	strcat(want, "\r");
	assert_int_equal(strlen(want), 139);
	assert_int_equal(EVGW_SLCAN_FRAME_TEXT_MAX, 139);
	expect_enc(&f, want);
	/* An FD frame of up to 8 bytes keeps its plain DLC. */
	f = mk(0x7, EVGW_FRAME_FD, 3, "\xA1\xB2\xC3");
	expect_enc(&f, "d0073A1B2C3\r");
}

static void encode_refused(void **st)
{
	(void)st;
	char buf[160];
	struct evgw_frame f = mk(0x20, EVGW_FRAME_ERR, 8, NULL);
	assert_int_equal(evgw_slcan_encode_frame(&f, buf, sizeof buf), -EINVAL);
	f = mk(0x800, 0, 0, NULL);
	assert_int_equal(evgw_slcan_encode_frame(&f, buf, sizeof buf), -EINVAL);
	f = mk(0x20000000, EVGW_FRAME_EXT, 0, NULL);
	assert_int_equal(evgw_slcan_encode_frame(&f, buf, sizeof buf), -EINVAL);
	f = mk(0x1, 0, 9, NULL);
	assert_int_equal(evgw_slcan_encode_frame(&f, buf, sizeof buf), -EINVAL);
	f = mk(0x1, EVGW_FRAME_FD, 9, NULL);
	assert_int_equal(evgw_slcan_encode_frame(&f, buf, sizeof buf), -EINVAL);
	f = mk(0x1, EVGW_FRAME_FD | EVGW_FRAME_RTR, 0, NULL);
	assert_int_equal(evgw_slcan_encode_frame(&f, buf, sizeof buf), -EINVAL);
	/* "t12321122\r" is 10 characters and needs an 11th for the NUL. */
	f = mk(0x123, 0, 2, "\x11\x22");
	assert_int_equal(evgw_slcan_encode_frame(&f, buf, 10), -ENOSPC);
	assert_int_equal(evgw_slcan_encode_frame(&f, buf, 11), 10);
}

static struct evgw_slcan_msg parse_ok(const char *line)
{
	struct evgw_slcan_msg m;
	int rc = evgw_slcan_parse_line(line, strlen(line), false, &m);
	if (rc != 0)
		fail_msg("\"%s\" was refused", line);
	return m;
}

static void parse_bad(const char *line)
{
	struct evgw_slcan_msg m;
	if (evgw_slcan_parse_line(line, strlen(line), false, &m) != -EINVAL)
		fail_msg("\"%s\" was accepted", line);
}

static void parse_classic(void **st)
{
	(void)st;
	struct evgw_slcan_msg m = parse_ok("t12321122");
	assert_int_equal(m.kind, EVGW_SLCAN_FRAME);
	assert_int_equal(m.frame.id, 0x123);
	assert_int_equal(m.frame.flags, 0);
	assert_int_equal(m.frame.len, 2);
	assert_int_equal(m.frame.dlc, 2);
	assert_memory_equal(m.frame.data, "\x11\x22", 2);
	assert_false(m.has_ts);

	m = parse_ok("T12ABCDEF2AA55");
	assert_int_equal(m.frame.id, 0x12ABCDEF);
	assert_int_equal(m.frame.flags, EVGW_FRAME_EXT);
	assert_memory_equal(m.frame.data, "\xAA\x55", 2);

	m = parse_ok("t4563112233"); /* kernel example: 0x456, 3 bytes */
	assert_int_equal(m.frame.id, 0x456);
	assert_int_equal(m.frame.len, 3);
	assert_memory_equal(m.frame.data, "\x11\x22\x33", 3);

	m = parse_ok("t7ff2abcd"); /* lower-case hex is read too */
	assert_int_equal(m.frame.id, 0x7FF);
	assert_memory_equal(m.frame.data, "\xAB\xCD", 2);

	m = parse_ok("t1230");
	assert_int_equal(m.frame.len, 0);

	/* With a Z1 timestamp: 0x04D2 = 1234 ms, 0xEA5F = 59999 ms. */
	m = parse_ok("t1232112204D2");
	assert_true(m.has_ts);
	assert_int_equal(m.ts_ms, 1234);
	assert_memory_equal(m.frame.data, "\x11\x22", 2);
	m = parse_ok("T000000010EA5F");
	assert_int_equal(m.frame.id, 1);
	assert_int_equal(m.frame.len, 0);
	assert_int_equal(m.ts_ms, 59999);
}

static void parse_remote(void **st)
{
	(void)st;
	struct evgw_slcan_msg m = parse_ok("r1234");
	assert_int_equal(m.frame.flags, EVGW_FRAME_RTR);
	assert_int_equal(m.frame.len, 4);
	assert_false(m.has_ts);
	m = parse_ok("R1ABCDEF080FA0");
	assert_int_equal(m.frame.flags, EVGW_FRAME_RTR | EVGW_FRAME_EXT);
	assert_int_equal(m.frame.id, 0x1ABCDEF0);
	assert_int_equal(m.frame.len, 8);
	assert_true(m.has_ts);
	assert_int_equal(m.ts_ms, 0x0FA0);
	/* canable-fw writes the DLC's bytes after a remote frame: skipped. */
	m = parse_ok("r1231AA");
	assert_int_equal(m.frame.len, 1);
	assert_false(m.has_ts);
	m = parse_ok("r1231AA1234");
	assert_true(m.has_ts);
	assert_int_equal(m.ts_ms, 0x1234);
	/* DLC 2 and 4 digits: read as a timestamp. */
	m = parse_ok("r1232AABB");
	assert_true(m.has_ts);
	assert_int_equal(m.ts_ms, 0xAABB);
	parse_bad("r1231A");
	parse_bad("r1231AX");
}

static void parse_fd(void **st)
{
	(void)st;
	struct evgw_slcan_msg m = parse_ok("d1239000102030405060708090A0B");
	assert_int_equal(m.frame.flags, EVGW_FRAME_FD);
	assert_int_equal(m.frame.dlc, 9);
	assert_int_equal(m.frame.len, 12);
	assert_memory_equal(m.frame.data, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0A\x0B", 12);
	m = parse_ok("b123A00112233445566778899AABBCCDDEEFF");
	assert_int_equal(m.frame.flags, EVGW_FRAME_FD | EVGW_FRAME_BRS);
	assert_int_equal(m.frame.len, 16);
	assert_int_equal(m.frame.data[15], 0xFF);

	char line[200] = "B1ABCDEF0F";
	for (int i = 0; i < 64; i++)
		strcat(line, "5A");
	strcat(line, "EA5F");
	m = parse_ok(line);
	assert_int_equal(m.frame.flags, EVGW_FRAME_FD | EVGW_FRAME_BRS | EVGW_FRAME_EXT);
	assert_int_equal(m.frame.len, 64);
	assert_int_equal(m.frame.dlc, 15);
	assert_int_equal(m.frame.data[63], 0x5A);
	assert_int_equal(m.ts_ms, 59999);

	/* Codes C, D, E: 24, 32, 48 bytes. */
	char l2[120] = "D00000001C";
	for (int i = 0; i < 24; i++)
		strcat(l2, "01");
	assert_int_equal(parse_ok(l2).frame.len, 24);
	parse_bad("d123D00"); /* 32 bytes announced, 1 given */
}

static void parse_malformed(void **st)
{
	(void)st;
	const char *bad[] = {
		"t", "t12", "t123", "t1239", "t12391122334455667788", /* DLC 9 on classic */
		"t123211", "t1232112", "t12321122X", "t12321122123", "t123211221234A",
		"tXYZ0", "t8000", "T200000000", "T1234567", "t12G0", "Q", "x", "F", "F1",
		"FZZ", "F123", "e", "e1", "e1x", "e2a", "e9aaaaaaaaa", "s", "sx000000",
		"sa05703", "sa05a033", "sa0570331", " t1230",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		parse_bad(bad[i]);
}

static void parse_replies(void **st)
{
	(void)st;
	struct evgw_slcan_msg m;
	assert_int_equal(evgw_slcan_parse_line("", 0, false, &m), 0);
	assert_int_equal(m.kind, EVGW_SLCAN_ACK);
	assert_int_equal(evgw_slcan_parse_line("", 0, true, &m), 0);
	assert_int_equal(m.kind, EVGW_SLCAN_NACK);
	assert_int_equal(evgw_slcan_parse_line("t1", 2, true, &m), 0);
	assert_int_equal(m.kind, EVGW_SLCAN_NACK);
	assert_int_equal(parse_ok("z").kind, EVGW_SLCAN_TX_ACK);
	assert_int_equal(parse_ok("Z").kind, EVGW_SLCAN_TX_ACK);
	m = parse_ok("F0C");
	assert_int_equal(m.kind, EVGW_SLCAN_STATUS);
	assert_int_equal(m.status, 0x0C);
	assert_true(m.overrun);
	m = parse_ok("F20");
	assert_int_equal(m.status, EVGW_SLCAN_F_ERR_PASSIVE);
	assert_false(m.overrun);
	assert_int_equal(parse_ok("V1013").kind, EVGW_SLCAN_INFO);
	assert_int_equal(parse_ok("NA123").kind, EVGW_SLCAN_INFO);
}

/* linux/can/error.h: PROT 0x08, BUSERROR 0x80, ACK 0x20, CRTL 0x04,
 * BUSOFF 0x40, CNT 0x200; data[1] CRTL bits, data[2] PROT type, data[3]
 * location (ACK slot 0x19, CRC sequence 0x08). */
static void parse_bus_errors(void **st)
{
	(void)st;
	struct evgw_slcan_msg m = parse_ok("e1a");
	assert_int_equal(m.kind, EVGW_SLCAN_BUS_ERROR);
	assert_int_equal(m.frame.flags, EVGW_FRAME_ERR);
	assert_int_equal(m.frame.id, 0xA8);
	assert_int_equal(m.frame.len, 8);
	assert_memory_equal(m.frame.data, "\x00\x00\x00\x19\x00\x00\x00\x00", 8);
	assert_false(m.overrun);

	m = parse_ok("e3bcO"); /* kernel example: bit0, CRC, tx overrun */
	assert_int_equal(m.frame.id, 0x8C);
	assert_memory_equal(m.frame.data, "\x00\x02\x09\x08\x00\x00\x00\x00", 8);

	m = parse_ok("e4sfBo");
	assert_int_equal(m.frame.id, 0x8C);
	assert_memory_equal(m.frame.data, "\x00\x01\x16\x00\x00\x00\x00\x00", 8);
	assert_true(m.overrun);

	m = parse_ok("e0");
	assert_int_equal(m.frame.id, 0x88);
}

static void parse_states(void **st)
{
	(void)st;
	struct evgw_slcan_msg m = parse_ok("sa057033");
	assert_int_equal(m.kind, EVGW_SLCAN_STATE);
	assert_int_equal(m.state, EVGW_SLCAN_ST_ACTIVE);
	assert_int_equal(m.rx_errors, 57);
	assert_int_equal(m.tx_errors, 33);
	assert_int_equal(m.frame.id, 0x204);
	assert_memory_equal(m.frame.data, "\x00\x40\x00\x00\x00\x00\x21\x39", 8);

	m = parse_ok("sw100090"); /* rx 100 > tx 90: the receive side warns */
	assert_int_equal(m.state, EVGW_SLCAN_ST_WARNING);
	assert_int_equal(m.frame.id, 0x204);
	assert_memory_equal(m.frame.data, "\x00\x04\x00\x00\x00\x00\x5A\x64", 8);

	m = parse_ok("sp000130"); /* tx side passive */
	assert_memory_equal(m.frame.data, "\x00\x20\x00\x00\x00\x00\x82\x00", 8);

	m = parse_ok("sp128128"); /* equal: both sides */
	assert_int_equal(m.frame.data[1], 0x30);

	m = parse_ok("sb256256"); /* kernel example; counters clamp to 255 */
	assert_int_equal(m.state, EVGW_SLCAN_ST_BUS_OFF);
	assert_int_equal(m.rx_errors, 256);
	assert_int_equal(m.frame.id, 0x240);
	assert_memory_equal(m.frame.data, "\x00\x00\x00\x00\x00\x00\xFF\xFF", 8);
}

static void status_frames(void **st)
{
	(void)st;
	struct evgw_frame f;
	assert_true(evgw_slcan_status_frame(0x08, 0x00, &f)); /* overrun */
	assert_int_equal(f.flags, EVGW_FRAME_ERR);
	assert_int_equal(f.id, 0x04);
	assert_int_equal(f.data[1], 0x01);
	assert_true(evgw_slcan_status_frame(0x80, 0x00, &f)); /* bus error */
	assert_int_equal(f.id, 0x88);
	assert_true(evgw_slcan_status_frame(0x40, 0x00, &f)); /* lost arbitration */
	assert_int_equal(f.id, 0x02);
	assert_true(evgw_slcan_status_frame(0x24, 0x00, &f)); /* to passive */
	assert_int_equal(f.id, 0x04);
	assert_int_equal(f.data[1], 0x30);
	assert_true(evgw_slcan_status_frame(0x04, 0x00, &f)); /* to warning */
	assert_int_equal(f.data[1], 0x0C);
	assert_true(evgw_slcan_status_frame(0x00, 0x20, &f)); /* back to active */
	assert_int_equal(f.data[1], 0x40);
	assert_false(evgw_slcan_status_frame(0x00, 0x00, &f));
	assert_false(evgw_slcan_status_frame(0x03, 0x03, &f)); /* FIFO full: no frame */
	assert_false(evgw_slcan_status_frame(0x24, 0x24, &f)); /* same level */
}

static void bitrate_codes(void **st)
{
	(void)st;
	const uint32_t r[] = {10000, 20000, 50000, 100000, 125000, 250000, 500000};
	for (int i = 0; i < 7; i++)
		assert_int_equal(evgw_slcan_bitrate_code(r[i], EVGW_SLCAN_FW_UNKNOWN), i);
	assert_int_equal(evgw_slcan_bitrate_code(1000000, EVGW_SLCAN_FW_UNKNOWN), 8);
	assert_int_equal(evgw_slcan_bitrate_code(800000, EVGW_SLCAN_FW_UNKNOWN), -ENOTUNIQ);
	assert_int_equal(evgw_slcan_bitrate_code(750000, EVGW_SLCAN_FW_UNKNOWN), -ENOTUNIQ);
	assert_int_equal(evgw_slcan_bitrate_code(800000, EVGW_SLCAN_FW_LAWICEL), 7);
	assert_int_equal(evgw_slcan_bitrate_code(750000, EVGW_SLCAN_FW_LAWICEL), -EINVAL);
	assert_int_equal(evgw_slcan_bitrate_code(750000, EVGW_SLCAN_FW_CANABLE), 7);
	assert_int_equal(evgw_slcan_bitrate_code(800000, EVGW_SLCAN_FW_CANABLE), -EINVAL);
	assert_int_equal(evgw_slcan_bitrate_code(500000, EVGW_SLCAN_FW_CANABLE), 6);
	assert_int_equal(evgw_slcan_bitrate_code(83333, EVGW_SLCAN_FW_UNKNOWN), -EINVAL);
	assert_int_equal(evgw_slcan_bitrate_code(0, EVGW_SLCAN_FW_UNKNOWN), -EINVAL);
	assert_int_equal(evgw_slcan_data_bitrate_code(500000), 0);
	assert_int_equal(evgw_slcan_data_bitrate_code(1000000), 1);
	assert_int_equal(evgw_slcan_data_bitrate_code(2000000), 2);
	assert_int_equal(evgw_slcan_data_bitrate_code(4000000), 4);
	assert_int_equal(evgw_slcan_data_bitrate_code(5000000), 5);
	assert_int_equal(evgw_slcan_data_bitrate_code(8000000), 8);
	assert_int_equal(evgw_slcan_data_bitrate_code(6000000), -EINVAL);
	assert_int_equal(evgw_slcan_data_bitrate_code(0), -EINVAL);
}

/* Feed in[] in chunks of `step` bytes; collect the lines as "text|" (BELL
 * lines as "text!"). */
static void split(const char *in, size_t n, size_t step, struct evgw_slcan_lines *lb, char *out)
{
	out[0] = '\0';
	for (size_t off = 0; off < n;) {
		size_t chunk = n - off < step ? n - off : step;
		size_t used = 0;
		while (used < chunk) {
			bool got, bell;
			const char *line;
			size_t len;
			used += evgw_slcan_lines_next(lb, in + off + used, chunk - used, &got, &line, &len,
						      &bell);
			if (got) {
				strncat(out, line, len);
				strcat(out, bell ? "!" : "|");
			}
		}
		off += chunk;
	}
}

static void line_splitting(void **st)
{
	(void)st;
	static const char in[] = "t1230\rF00\r\a\rz\r\nt12321122\r\nV1013\r";
	char out[512];
	for (size_t step = 1; step <= sizeof in; step++) {
		struct evgw_slcan_lines lb = {0};
		split(in, sizeof in - 1, step, &lb, out);
		assert_string_equal(out, "t1230|F00|!|z|t12321122|V1013|");
		assert_int_equal(lb.dropped, 0);
	}

	/* 160 characters fit; 161 are dropped up to the terminator, counted. */
	char big[600];
	memset(big, 'A', 160);
	strcpy(big + 160, "\r");
	memset(big + 161, 'B', 300);
	strcpy(big + 461, "\rt1230\r");
	struct evgw_slcan_lines lb = {0};
	split(big, strlen(big), 7, &lb, out);
	assert_int_equal(strlen(out), 160 + 1 + 6);
	assert_string_equal(out + 161, "t1230|");
	assert_int_equal(lb.dropped, 1);
	/* A partial line stays buffered and bounded. */
	lb = (struct evgw_slcan_lines){0};
	split("t12", 3, 3, &lb, out);
	assert_string_equal(out, "");
	assert_int_equal(lb.len, 3);
}

static void clock_unwrap(void **st)
{
	(void)st;
	struct evgw_slcan_clock c = {0};
	const int64_t t0 = 1700000000000000;
	assert_true(evgw_slcan_clock_stamp(&c, 1000, t0) == t0);
	/* Read 50 ms later, stamped 10 ms after the first: keeps its spacing. */
	assert_true(evgw_slcan_clock_stamp(&c, 1010, t0 + 50000) == t0 + 10000);
	/* Across the 60000 wrap: 59990 -> 10 is 20 ms. */
	c = (struct evgw_slcan_clock){0};
	assert_true(evgw_slcan_clock_stamp(&c, 59990, t0) == t0);
	assert_true(evgw_slcan_clock_stamp(&c, 10, t0 + 30000) == t0 + 20000);
	/* The device runs ahead of the host: never stamped in the future. */
	assert_true(evgw_slcan_clock_stamp(&c, 1010, t0 + 40000) == t0 + 40000);
	/* ...and the new offset holds: 5 ms of device time later. */
	assert_true(evgw_slcan_clock_stamp(&c, 1015, t0 + 60000) == t0 + 45000);
	/* Far behind (a long silence, wrap ambiguous): taken again. */
	assert_true(evgw_slcan_clock_stamp(&c, 1020, t0 + 5000000) == t0 + 5000000);
	/* A value past 59999 means the counter wraps at 65536. */
	c = (struct evgw_slcan_clock){0};
	assert_true(evgw_slcan_clock_stamp(&c, 65000, t0) == t0);
	assert_int_equal(c.wrap, 65536);
	assert_true(evgw_slcan_clock_stamp(&c, 100, t0 + 700000) == t0 + 636000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(encode_classic),   cmocka_unit_test(encode_remote),
		cmocka_unit_test(encode_fd),        cmocka_unit_test(encode_refused),
		cmocka_unit_test(parse_classic),    cmocka_unit_test(parse_remote),
		cmocka_unit_test(parse_fd),         cmocka_unit_test(parse_malformed),
		cmocka_unit_test(parse_replies),    cmocka_unit_test(parse_bus_errors),
		cmocka_unit_test(parse_states),     cmocka_unit_test(status_frames),
		cmocka_unit_test(bitrate_codes),    cmocka_unit_test(line_splitting),
		cmocka_unit_test(clock_unwrap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
