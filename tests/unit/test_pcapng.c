// SPDX-License-Identifier: MIT
/* pcapng blocks (can/pcapng.h). The expected bytes are worked out by hand
 * from the pcapng draft's block layouts and tcpdump.org's
 * LINKTYPE_CAN_SOCKETCAN page (id big-endian, length, FD flags, two
 * reserved octets, payload); the reader gets a big-endian file with
 * nanosecond timestamps built by hand, and damaged copies of it. */
#include <errno.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "can/pcapng.h"

static void test_shb_idb_bytes(void **state)
{
	(void)state;
	uint8_t b[128];
	static const uint8_t shb[] = {0x0A, 0x0D, 0x0D, 0x0A, 0x1C, 0, 0, 0, 0x4D, 0x3C, 0x2B, 0x1A, 1, 0, 0, 0,
				      0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1C, 0, 0, 0};
	assert_int_equal(evgw_pcapng_put_shb(b, sizeof b, NULL, 0), sizeof shb);
	assert_memory_equal(b, shb, sizeof shb);
	/* type 1, length 40, link type 227, snap length 0x40000, if_name "can0",
	 * if_tsresol 6, end of options, length. */
	static const uint8_t idb[] = {1, 0, 0, 0, 40, 0, 0, 0, 0xE3, 0, 0, 0, 0, 0, 4, 0, 2, 0, 4, 0, 'c', 'a', 'n', '0',
				      9, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 40, 0, 0, 0};
	assert_int_equal(evgw_pcapng_put_idb(b, sizeof b, "can0"), sizeof idb);
	assert_memory_equal(b, idb, sizeof idb);
	assert_int_equal(evgw_pcapng_put_idb(b, 39, "can0"), -ENOSPC);
	/* A comment of 5 bytes: option 4 + 8 padded, end 4: 28 + 16. */
	const char *c = "hello";
	assert_int_equal(evgw_pcapng_put_shb(b, sizeof b, &c, 1), 44);
	static const uint8_t opt[] = {1, 0, 5, 0, 'h', 'e', 'l', 'l', 'o', 0, 0, 0, 0, 0, 0, 0, 44, 0, 0, 0};
	assert_memory_equal(b + 24, opt, sizeof opt);
}

static void test_epb_bytes(void **state)
{
	(void)state;
	uint8_t b[256];
	struct evgw_frame f = {.ts_us = 0x100000002LL, .id = 0x123, .len = 2, .dlc = 2, .data = {0x11, 0x22}};
	static const uint8_t epb[] = {6, 0, 0, 0, 48, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 16, 0, 0, 0, 16, 0, 0, 0,
				      0x00, 0x00, 0x01, 0x23, 2, 0, 0, 0, 0x11, 0x22, 0, 0, 0, 0, 0, 0, 48, 0, 0, 0};
	assert_int_equal(evgw_pcapng_put_epb(b, sizeof b, 0, &f, NULL, NULL, 0), sizeof epb);
	assert_memory_equal(b, epb, sizeof epb);
	/* Extended, sent by evgw: 0x80000000 | id; epb_flags outbound (2). */
	struct evgw_frame x = {.id = 0x18DAF110, .len = 1, .dlc = 1, .flags = EVGW_FRAME_EXT | EVGW_FRAME_TX, .data = {0xAB}};
	int n = evgw_pcapng_put_epb(b, sizeof b, 3, &x, NULL, NULL, 0);
	assert_int_equal(n, 48 + 12);
	static const uint8_t head[] = {0x98, 0xDA, 0xF1, 0x10, 1, 0, 0, 0, 0xAB};
	assert_memory_equal(b + 28, head, sizeof head);
	static const uint8_t flags[] = {2, 0, 4, 0, 2, 0, 0, 0, 0, 0, 0, 0, 60, 0, 0, 0};
	assert_memory_equal(b + 44, flags, sizeof flags);
	assert_int_equal(b[8], 3);
	/* CAN FD, 12 bytes, BRS: a 72-byte packet, FD flags FDF|BRS = 0x05. */
	struct evgw_frame fd = {.id = 0x456, .len = 12, .dlc = 9, .flags = EVGW_FRAME_FD | EVGW_FRAME_BRS};
	assert_int_equal(evgw_pcapng_put_epb(b, sizeof b, 0, &fd, NULL, NULL, 0), 28 + 72 + 4);
	assert_int_equal(b[20], 72);
	assert_int_equal(b[28 + 4], 12);
	assert_int_equal(b[28 + 5], 0x05);
	/* Raw DLC 0xC of an 8-byte classic frame in len8_dlc; remote frame. */
	struct evgw_frame rd = {.id = 0x7FF, .len = 8, .dlc = 0xC};
	evgw_pcapng_put_epb(b, sizeof b, 0, &rd, NULL, NULL, 0);
	assert_int_equal(b[28 + 7], 0xC);
	struct evgw_frame rtr = {.id = 0x7DF, .len = 4, .dlc = 4, .flags = EVGW_FRAME_RTR};
	evgw_pcapng_put_epb(b, sizeof b, 0, &rtr, NULL, NULL, 0);
	static const uint8_t rh[] = {0x40, 0x00, 0x07, 0xDF, 4};
	assert_memory_equal(b + 28, rh, sizeof rh);
	struct evgw_frame bad = {.id = 0x123, .len = 9, .flags = EVGW_FRAME_FD};
	assert_int_equal(evgw_pcapng_put_epb(b, sizeof b, 0, &bad, NULL, NULL, 0), -EINVAL);
}

struct mem {
	const uint8_t *p;
	size_t n, pos;
};

static ssize_t mem_read(void *ud, void *buf, size_t cap)
{
	struct mem *m = ud;
	size_t k = m->n - m->pos < cap ? m->n - m->pos : cap;
	memcpy(buf, m->p + m->pos, k);
	m->pos += k;
	return (ssize_t)k;
}

static size_t be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return 4;
}

/* SHB (28) + IDB with if_name "ebus" and if_tsresol 9 (40) + EPB (48),
 * all big-endian: the EPB at byte 68. */
static size_t big_endian_file(uint8_t *b)
{
	size_t n = 0;
	n += be32(b + n, 0x0A0D0D0A);
	n += be32(b + n, 28);
	n += be32(b + n, 0x1A2B3C4D);
	n += be32(b + n, 0x00010000);
	n += be32(b + n, 0xFFFFFFFF);
	n += be32(b + n, 0xFFFFFFFF);
	n += be32(b + n, 28);
	n += be32(b + n, 1);
	n += be32(b + n, 40);
	n += be32(b + n, 0x00E30000);
	n += be32(b + n, 0);
	n += be32(b + n, 0x00020004);
	memcpy(b + n, "ebus", 4);
	n += 4;
	n += be32(b + n, 0x00090001);
	n += be32(b + n, 0x09000000);
	n += be32(b + n, 0);
	n += be32(b + n, 40);
	/* 1500000.123456789 s in nanoseconds (if_tsresol 9). */
	uint64_t ns = 1500000123456789ULL;
	n += be32(b + n, 6);
	n += be32(b + n, 48);
	n += be32(b + n, 0);
	n += be32(b + n, (uint32_t)(ns >> 32));
	n += be32(b + n, (uint32_t)ns);
	n += be32(b + n, 16);
	n += be32(b + n, 16);
	n += be32(b + n, 0x98FEF100); /* extended 0x18FEF100 */
	n += be32(b + n, 0x08000000);
	static const uint8_t d[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	memcpy(b + n, d, 8);
	n += 8;
	n += be32(b + n, 48);
	return n;
}

static void test_read_big_endian_ns(void **state)
{
	(void)state;
	uint8_t file[256];
	size_t n = big_endian_file(file);
	assert_int_equal(n, 116);
	struct mem m = {file, n, 0};
	struct evgw_pcapng_reader r;
	assert_int_equal(evgw_pcapng_reader_init(&r, mem_read, &m), 0);
	struct evgw_pcapng_record rec;
	char err[200];
	assert_int_equal(evgw_pcapng_next(&r, &rec, err, sizeof err), 1);
	assert_int_equal(rec.kind, EVGW_PCAPNG_SECTION);
	assert_int_equal(evgw_pcapng_next(&r, &rec, err, sizeof err), 1);
	assert_int_equal(rec.kind, EVGW_PCAPNG_FRAME);
	assert_int_equal(rec.offset, 68);
	assert_string_equal(rec.iface->name, "ebus");
	assert_int_equal(rec.frame.id, 0x18FEF100);
	assert_int_equal(rec.frame.flags, EVGW_FRAME_EXT);
	assert_int_equal(rec.frame.len, 8);
	assert_int_equal(rec.frame.data[7], 8);
	assert_int_equal(rec.frame.ts_us, 1500000123456LL); /* ns / 1000, rounded down */
	assert_int_equal(evgw_pcapng_next(&r, &rec, err, sizeof err), 0);
	evgw_pcapng_reader_free(&r);
}

static void expect_error(const uint8_t *file, size_t n, int e, const char *msg)
{
	struct mem m = {file, n, 0};
	struct evgw_pcapng_reader r;
	assert_int_equal(evgw_pcapng_reader_init(&r, mem_read, &m), 0);
	struct evgw_pcapng_record rec;
	char err[200] = "";
	int k;
	while ((k = evgw_pcapng_next(&r, &rec, err, sizeof err)) > 0)
		;
	assert_int_equal(k, e);
	assert_string_equal(err, msg);
	evgw_pcapng_reader_free(&r);
}

static void test_read_errors(void **state)
{
	(void)state;
	uint8_t file[256];
	size_t n = big_endian_file(file);
	expect_error(file, n - 5, -EBADMSG, "byte 68: the file ends inside a block of 48 bytes");
	file[n - 1] = 44;
	expect_error(file, n, -EINVAL, "byte 68: block's trailing length differs from its leading one");
	n = big_endian_file(file);
	file[68 + 11] = 1; /* interface 1 of 1 */
	expect_error(file, n, -EINVAL, "byte 68: packet on interface 1, but the section has 1");
	n = big_endian_file(file);
	file[68 + 28] = 0x00; /* 0x00FEF100: no extended flag, but wider than 11 bits */
	expect_error(file, n, -EINVAL, "byte 68: standard CAN id 0xFEF100 is wider than 11 bits");
	static const uint8_t text[] = "(1.000000) can0 123#11\n";
	expect_error(text, sizeof text - 1, -EINVAL, "byte 0: not a pcapng file (no section header block first)");
	n = big_endian_file(file);
	file[4 + 3] = 30; /* SHB length not a multiple of 4 */
	expect_error(file, n, -EINVAL, "byte 0: block length 30 is not a multiple of 4 of at least 12");
}

/* What the writer makes, the reader gives back. */
static void test_round_trip(void **state)
{
	(void)state;
	uint8_t file[1024];
	size_t n = 0;
	n += (size_t)evgw_pcapng_put_shb(file + n, sizeof file - n, NULL, 0);
	n += (size_t)evgw_pcapng_put_idb(file + n, sizeof file - n, "car");
	struct evgw_frame in[] = {
		{.ts_us = 1436509052249713LL, .id = 0x123, .len = 8, .dlc = 0xF, .data = {1, 2, 3, 4, 5, 6, 7, 8}},
		{.ts_us = 1436509052249714LL, .id = 0x1ABCDEF0, .len = 64, .dlc = 15,
		 .flags = EVGW_FRAME_EXT | EVGW_FRAME_FD | EVGW_FRAME_ESI, .data = {9}},
		{.ts_us = 1436509052249715LL, .id = 0x4, .len = 8, .dlc = 8, .flags = EVGW_FRAME_ERR, .data = {0, 8}},
		{.ts_us = 1436509052249716LL, .id = 0x7DF, .len = 3, .dlc = 3, .flags = EVGW_FRAME_RTR | EVGW_FRAME_TX},
	};
	for (unsigned i = 0; i < 4; i++)
		n += (size_t)evgw_pcapng_put_epb(file + n, sizeof file - n, 0, &in[i], NULL, NULL, 0);
	struct mem m = {file, n, 0};
	struct evgw_pcapng_reader r;
	assert_int_equal(evgw_pcapng_reader_init(&r, mem_read, &m), 0);
	struct evgw_pcapng_record rec;
	char err[200];
	assert_int_equal(evgw_pcapng_next(&r, &rec, err, sizeof err), 1);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(evgw_pcapng_next(&r, &rec, err, sizeof err), 1);
		assert_int_equal(rec.frame.ts_us, in[i].ts_us);
		assert_int_equal(rec.frame.id, in[i].id);
		assert_int_equal(rec.frame.flags, in[i].flags);
		assert_int_equal(rec.frame.len, in[i].len);
		assert_int_equal(rec.frame.dlc, in[i].dlc);
		if (!(in[i].flags & EVGW_FRAME_RTR))
			assert_memory_equal(rec.frame.data, in[i].data, in[i].len);
	}
	assert_int_equal(evgw_pcapng_next(&r, &rec, err, sizeof err), 0);
	evgw_pcapng_reader_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shb_idb_bytes),
		cmocka_unit_test(test_epb_bytes),
		cmocka_unit_test(test_read_big_endian_ns),
		cmocka_unit_test(test_read_errors),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
