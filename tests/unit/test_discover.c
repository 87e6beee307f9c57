// SPDX-License-Identifier: MIT
/* Signal discovery (gateway/discover/): CRC-8 against the catalogue's
 * check values and AUTOSAR's examples, and each detector on frames made
 * here by hand (values packed byte by byte, checksums from their
 * definitions), then the draft read back by evgw's own DBC engine. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dbc/dbc.h"
#include "dbc/dbc_decode.h"
#include "discover/disc_checksum.h"
#include "discover/disc_collect.h"
#include "discover/disc_correlate.h"
#include "discover/disc_counter.h"
#include "discover/disc_crc8.h"
#include "discover/disc_draft.h"
#include "discover/disc_message.h"
#include "discover/disc_obd.h"
#include "test_support.h"

static const uint8_t check_input[] = "123456789";

/* reveng's CRC catalogue: the CRC of the nine ASCII digits. */
static void test_crc8_check_values(void **state)
{
	(void)state;
	assert_int_equal(disc_crc8(0x1D, false, 0xFF, 0xFF, check_input, 9), 0x4B); /* SAE-J1850 */
	assert_int_equal(disc_crc8(0x2F, false, 0xFF, 0xFF, check_input, 9), 0xDF); /* AUTOSAR */
	assert_int_equal(disc_crc8(0x07, false, 0x00, 0x00, check_input, 9), 0xF4); /* SMBUS */
	assert_int_equal(disc_crc8(0x1D, false, 0xFD, 0x00, check_input, 9), 0x7E); /* I-CODE */
	assert_int_equal(disc_crc8(0x1D, false, 0x00, 0x00, check_input, 9), 0x37); /* GSM-A */
	assert_int_equal(disc_crc8(0x31, true, 0x00, 0x00, check_input, 9), 0xA1);  /* MAXIM-DOW */
	assert_string_equal(disc_crc8_name(0x1D, false, 0xFF, 0xFF), "CRC-8/SAE-J1850");
	assert_null(disc_crc8_name(0x1D, false, 0x12, 0x34));
}

/* AUTOSAR's CRC library specification lists example results for its
 * 8-bit CRCs (SAE J1850 and 8H2F) over short inputs. */
static void test_crc8_autosar_examples(void **state)
{
	(void)state;
	static const struct {
		uint8_t data[9];
		size_t len;
		uint8_t j1850, h2f;
	} ex[] = {
		{{0x00, 0x00, 0x00, 0x00}, 4, 0x59, 0x12},
		{{0xF2, 0x01, 0x83}, 3, 0x37, 0xC2},
		{{0x0F, 0xAA, 0x00, 0x55}, 4, 0x79, 0xC6},
		{{0x00, 0xFF, 0x55, 0x11}, 4, 0xB8, 0x77},
		{{0x33, 0x22, 0x55, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF}, 9, 0xCB, 0x11},
		{{0x92, 0x6B, 0x55}, 3, 0x8C, 0x33},
		{{0xFF, 0xFF, 0xFF, 0xFF}, 4, 0x74, 0x6C},
	};
	for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
		assert_int_equal(disc_crc8(0x1D, false, 0xFF, 0xFF, ex[i].data, ex[i].len), ex[i].j1850);
		assert_int_equal(disc_crc8(0x2F, false, 0xFF, 0xFF, ex[i].data, ex[i].len), ex[i].h2f);
	}
}

/* A CRC-8 written here from the definition: the message's bits, MSB
 * first, through a register that XORs in the polynomial when a 1 leaves. */
static uint8_t crc8_by_definition(uint8_t poly, uint8_t init, uint8_t xorout, const uint8_t *p, size_t n)
{
	unsigned reg = init;
	for (size_t i = 0; i < n; i++)
		for (int b = 7; b >= 0; b--) {
			unsigned out = (reg >> 7) & 1u, in = (p[i] >> b) & 1u;
			reg = (reg << 1) & 0xFFu;
			if (out ^ in)
				reg ^= poly;
		}
	return (uint8_t)(reg ^ xorout);
}

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 16;
}

enum cs_kind { CS_NONE, CS_SUM_INV, CS_XOR, CS_J1850_FIRST, CS_SUM_ID };

/* n frames of 8 bytes at 10 ms: bytes 1-2 a 16-bit Intel value moving
 * smoothly (a sine over most of its range), byte 3 a random byte, byte 4 a
 * 4-bit counter wrapping at `ctr_mod` in its low nibble, byte 5 a flag in
 * bit 0 toggling every 50 frames; byte 0 or 7 the checksum. */
static void feed(struct disc_collect *c, unsigned n, enum cs_kind cs, unsigned ctr_mod, uint32_t id)
{
	uint32_t seed = 7;
	for (unsigned i = 0; i < n; i++) {
		struct evgw_frame f = {.ts_us = 1000000 + (int64_t)i * 10000, .id = id, .len = 8};
		unsigned v = (unsigned)(30000 + 29000 * sin(i / 150.0));
		f.data[1] = (uint8_t)(v & 0xFF);
		f.data[2] = (uint8_t)(v >> 8);
		f.data[3] = (uint8_t)lcg(&seed);
		f.data[4] = (uint8_t)(i % ctr_mod);
		f.data[5] = (uint8_t)((i / 50) & 1);
		unsigned sum = 0, x = 0;
		switch (cs) {
		case CS_SUM_INV:
			for (int k = 0; k < 7; k++)
				sum += f.data[k];
			f.data[7] = (uint8_t)~sum;
			break;
		case CS_XOR:
			for (int k = 0; k < 7; k++)
				x ^= f.data[k];
			f.data[7] = (uint8_t)x;
			break;
		case CS_J1850_FIRST:
			f.data[0] = crc8_by_definition(0x1D, 0xFF, 0xFF, f.data + 1, 7);
			break;
		case CS_SUM_ID:
			for (int k = 0; k < 7; k++)
				sum += f.data[k];
			f.data[7] = (uint8_t)(sum + (id & 0xFF) + (id >> 8));
			break;
		default:
			break;
		}
		assert_int_equal(disc_collect_frame(c, &f, NAN), 0);
	}
}

static void analyze_one(enum cs_kind cs, unsigned ctr_mod, uint32_t id, struct disc_collect *c, struct disc_message *m)
{
	assert_int_equal(disc_collect_init(c), 0);
	feed(c, 3000, cs, ctr_mod, id);
	assert_int_equal(c->n_ids, 1);
	disc_analyze(&c->ids[0], m);
}

static void test_checksum_sum8_inv(void **state)
{
	(void)state;
	struct disc_collect c;
	struct disc_message m;
	analyze_one(CS_SUM_INV, 16, 0x1E2, &c, &m);
	assert_int_equal(m.checksum.kind, DISC_CS_SUM_INV);
	assert_int_equal(m.checksum.byte, 7);
	assert_string_equal(m.checksum.algo, "sum8_inv"); /* bus_integrity.c's spelling */
	disc_collect_free(&c);
}

/* An XOR over every byte holds for every byte: the one that is not a
 * value's is told. */
static void test_checksum_xor8_byte(void **state)
{
	(void)state;
	struct disc_collect c;
	struct disc_message m;
	analyze_one(CS_XOR, 16, 0x100, &c, &m);
	assert_int_equal(m.checksum.kind, DISC_CS_XOR);
	assert_int_equal(m.checksum.byte, 7);
	assert_string_equal(m.checksum.algo, "xor8");
	disc_collect_free(&c);
}

static void test_checksum_crc_j1850_first_byte(void **state)
{
	(void)state;
	struct disc_collect c;
	struct disc_message m;
	analyze_one(CS_J1850_FIRST, 16, 0x101, &c, &m);
	assert_int_equal(m.checksum.kind, DISC_CS_CRC8);
	assert_int_equal(m.checksum.byte, 0);
	assert_int_equal(m.checksum.poly, 0x1D);
	assert_int_equal(m.checksum.init, 0xFF);
	assert_int_equal(m.checksum.xorout, 0xFF);
	assert_string_equal(m.checksum.algo, "crc8:poly=0x1D,init=0xFF,xorout=0xFF");
	assert_non_null(strstr(m.checksum.what, "CRC-8/SAE-J1850"));
	disc_collect_free(&c);
}

/* Toyota-style: the id's bytes added in. 0x2E4: 0xE4 + 0x02 = 0xE6. */
static void test_checksum_sum_with_id(void **state)
{
	(void)state;
	struct disc_collect c;
	struct disc_message m;
	analyze_one(CS_SUM_ID, 16, 0x2E4, &c, &m);
	assert_int_equal(m.checksum.kind, DISC_CS_SUM);
	assert_int_equal(m.checksum.byte, 7);
	assert_int_equal(m.checksum.add, 0xE6);
	assert_string_equal(m.checksum.algo, "sum8:add=0xE6");
	disc_collect_free(&c);
}

static void test_counter_wraps(void **state)
{
	(void)state;
	struct disc_collect c;
	struct disc_message m;
	analyze_one(CS_SUM_INV, 15, 0x1E2, &c, &m);
	assert_true(m.counter.found);
	assert_int_equal(disc_span_start_bit(&m.counter.span), 32);
	assert_int_equal(m.counter.span.w, 4);
	assert_int_equal(m.counter.modulo, 15);
	disc_collect_free(&c);

	analyze_one(CS_NONE, 16, 0x1E3, &c, &m);
	assert_true(m.counter.found);
	assert_int_equal(m.counter.modulo, 16);
	disc_collect_free(&c);
}

/* n frames: byte 0 random, from byte 1 an Intel counter from `start`
 * (+1 per frame), 16 bits wide or 8 bits with `above` in byte 2. */
static void counter_log(struct disc_collect *c, unsigned n, uint32_t start, bool wide, uint8_t above,
			struct disc_message *m)
{
	uint32_t seed = 11;
	assert_int_equal(disc_collect_init(c), 0);
	for (unsigned i = 0; i < n; i++) {
		uint32_t v = start + i;
		struct evgw_frame f = {.ts_us = (int64_t)i * 100000, .id = 0x2A0, .len = 4,
				       .data = {(uint8_t)lcg(&seed), (uint8_t)v, wide ? (uint8_t)(v >> 8) : above, 0}};
		assert_int_equal(disc_collect_frame(c, &f, NAN), 0);
	}
	disc_analyze(&c->ids[0], m);
}

/* A counter that never wrapped shows only the bits it reached: 20000 to
 * 21499 moves bits 0-12 of a 16-bit counter (0x4E20..0x53FB), and 16 to
 * 215 an 8-bit one's 0-7; bytes then, with a byte above that holds set
 * bits (not padding) taken as the high byte. One that wrapped keeps the
 * width it showed. */
static void test_counter_never_wrapped(void **state)
{
	(void)state;
	struct disc_collect c;
	struct disc_message m;
	counter_log(&c, 1500, 20000, true, 0, &m);
	assert_true(m.counter.found);
	assert_false(m.counter.wrapped);
	assert_int_equal(disc_span_start_bit(&m.counter.span), 8);
	assert_int_equal(m.counter.span.w, 16);
	assert_int_equal(m.counter.modulo, 65536);
	disc_collect_free(&c);

	counter_log(&c, 200, 16, false, 0x00, &m);
	assert_true(m.counter.found);
	assert_false(m.counter.wrapped);
	assert_int_equal(m.counter.span.w, 8);
	assert_int_equal(m.counter.modulo, 256);
	disc_collect_free(&c);

	counter_log(&c, 200, 16, false, 0x9A, &m);
	assert_true(m.counter.found);
	assert_int_equal(disc_span_start_bit(&m.counter.span), 8);
	assert_int_equal(m.counter.span.w, 16);
	disc_collect_free(&c);

	/* 16..55: bits 0-5 moved; the byte is the counter's. */
	counter_log(&c, 40, 16, false, 0x00, &m);
	assert_true(m.counter.found);
	assert_int_equal(m.counter.span.w, 8);
	disc_collect_free(&c);

	/* 300 frames from 16 wrap an 8-bit counter once: 8 bits, as shown. */
	counter_log(&c, 300, 16, false, 0x9A, &m);
	assert_true(m.counter.found);
	assert_true(m.counter.wrapped);
	assert_int_equal(m.counter.span.w, 8);
	assert_int_equal(m.counter.modulo, 256);
	disc_collect_free(&c);
}

/* Ford's AWD_Torque_Data: bytes 0-1 a fast 16-bit Motorola value (byte 1
 * its low byte, random from frame to frame), byte 2 the XOR of every
 * other byte ^ 0xFF, a 4-bit counter in byte 3's high nibble. The XOR
 * holds for every byte, and bytes 1 and 2 flip alike (bit 7 of byte 1
 * flips too often to show the carry into byte 0); byte 1 is the one
 * whose change cancels its high byte's (a carry), so byte 2 is the
 * checksum. */
static void test_checksum_xor_beside_a_fast_value(void **state)
{
	(void)state;
	struct disc_collect c;
	assert_int_equal(disc_collect_init(&c), 0);
	for (unsigned i = 0; i < 3000; i++) {
		unsigned v = (unsigned)(30000 + 27000 * sin(i / 80.0) + 2000 * sin(i / 8.0));
		struct evgw_frame f = {.ts_us = (int64_t)i * 10000, .id = 0x20C, .len = 8,
				       .data = {(uint8_t)(v >> 8), (uint8_t)v, 0, (uint8_t)((i % 16) << 4), 0, 0, 0, 0}};
		f.data[2] = (uint8_t)(f.data[0] ^ f.data[1] ^ f.data[3] ^ 0xFF);
		assert_int_equal(disc_collect_frame(&c, &f, NAN), 0);
	}
	struct disc_message m;
	disc_analyze(&c.ids[0], &m);
	assert_int_equal(m.checksum.kind, DISC_CS_XOR);
	assert_int_equal(m.checksum.byte, 2);
	assert_int_equal(m.checksum.xorout, 0xFF);
	assert_true(m.counter.found);
	assert_int_equal(disc_bit_at((enum disc_order)m.counter.span.order, 8, m.counter.span.lo), 28);
	assert_int_equal(m.counter.span.w, 4);
	disc_collect_free(&c);
}

/* Hyundai ODS13-like: five independent 8-bit values, none carrying into
 * another, byte 1 = ~(sum of the others), so the sum of all five bytes is
 * 0xFF in every frame and the complemented sum holds for every byte. The
 * values stay in their ranges (they turn round: b0 28..228, b2 30..210,
 * b3 20..240, b4 20..180); their sum mod 256 goes round 255 -> 0 as the
 * total (about 98..858) crosses multiples of 256, in small steps: byte 1
 * is the one that wraps so, and is the checksum although byte 0 and byte
 * 4 get the first and last byte's head start. */
static void test_checksum_sum_inv_among_bounded_bytes(void **state)
{
	(void)state;
	struct disc_collect c;
	assert_int_equal(disc_collect_init(&c), 0);
	for (unsigned i = 0; i < 600; i++) {
		uint8_t b0 = (uint8_t)(128 + 100 * sin(i / 7.0)), b2 = (uint8_t)(120 + 90 * sin(i / 11.0 + 1));
		uint8_t b3 = (uint8_t)(130 + 110 * sin(i / 5.0 + 2)), b4 = (uint8_t)(100 + 80 * sin(i / 13.0 + 3));
		uint8_t b1 = (uint8_t)~(b0 + b2 + b3 + b4);
		struct evgw_frame f = {.ts_us = (int64_t)i * 200000, .id = 0x5FC, .len = 5, .data = {b0, b1, b2, b3, b4}};
		assert_int_equal(disc_collect_frame(&c, &f, NAN), 0);
	}
	struct disc_message m;
	disc_analyze(&c.ids[0], &m);
	assert_int_equal(m.checksum.kind, DISC_CS_SUM_INV);
	assert_int_equal(m.checksum.byte, 1);
	assert_int_equal(m.checksum.add, 0);
	disc_collect_free(&c);
}

/* Mazda PEDALS-like: byte 7 = ~(sum of bytes 0-6), beside a level in byte
 * 6 that steps every 40 frames by up to 0xD2 (0x05, 0x9D, 0x18, 0xEA, 0x03,
 * 0x71, 0xC7, 0x1C); flags in byte 0 (bits 2-7) and a 16-bit value in
 * bytes 1-2 rising by one every 8 frames. The complemented sum holds for
 * byte 0 too. Byte 7's top bit flips in about half of the level's steps
 * and seldom otherwise (the value moves it by one): "together" with the
 * level's bit 0 (its neighbour in Motorola order), but not a carry (byte
 * 7 changes in every frame the value does, the level's bits stay). Byte 7
 * carries into no neighbour and its bits flip most: the checksum. (Read
 * as coupled, byte 7 was taken for part of a value and byte 0 for the
 * checksum.) */
static void test_checksum_beside_a_step(void **state)
{
	(void)state;
	struct disc_collect c;
	assert_int_equal(disc_collect_init(&c), 0);
	static const uint8_t levels[8] = {0x05, 0x9D, 0x18, 0xEA, 0x03, 0x71, 0xC7, 0x1C};
	for (unsigned i = 0; i < 3000; i++) {
		unsigned v = 3000 + i / 8;
		uint8_t b0 = (uint8_t)(((i / 70) & 1) << 2 | ((i / 130) & 1) << 3 | ((i / 110) & 1) << 4 |
				       ((i / 170) & 1) << 5 | ((i / 190) & 1) << 6 | ((i / 230) & 1) << 7);
		struct evgw_frame f = {.ts_us = (int64_t)i * 20000, .id = 0x165, .len = 8,
				       .data = {b0, (uint8_t)v, (uint8_t)(v >> 8), 0, 0, 0, levels[(i / 40) % 8], 0}};
		unsigned sum = 0;
		for (int k = 0; k < 7; k++)
			sum += f.data[k];
		f.data[7] = (uint8_t)~sum;
		assert_int_equal(disc_collect_frame(&c, &f, NAN), 0);
	}
	struct disc_message m;
	disc_analyze(&c.ids[0], &m);
	assert_int_equal(m.checksum.kind, DISC_CS_SUM_INV);
	assert_int_equal(m.checksum.byte, 7);
	disc_collect_free(&c);
}

/* BREMSE_53's 2-bit counter (bits 2-3 of byte 0) under a flag (bit 4)
 * that toggles every 100 frames, each time in a frame where the counter's
 * top bit flips too (i % 4 == 2): the flag is not a carry out of the
 * counter (that would flip once every 4 frames), so the counter stands. */
static void test_counter_under_a_rare_flag(void **state)
{
	(void)state;
	struct disc_collect c;
	assert_int_equal(disc_collect_init(&c), 0);
	unsigned flag = 0;
	for (unsigned i = 0; i < 3000; i++) {
		if (i % 100 == 2)
			flag ^= 1;
		struct evgw_frame f = {.ts_us = (int64_t)i * 10000, .id = 0x5C0, .len = 2,
				       .data = {(uint8_t)((i % 4) << 2 | flag << 4), 0x11}};
		assert_int_equal(disc_collect_frame(&c, &f, NAN), 0);
	}
	struct disc_message m;
	disc_analyze(&c.ids[0], &m);
	assert_true(m.counter.found);
	assert_int_equal(disc_bit_at((enum disc_order)m.counter.span.order, 2, m.counter.span.lo), 2);
	assert_int_equal(m.counter.span.w, 2);
	assert_int_equal(m.counter.modulo, 4);
	disc_collect_free(&c);
}

/* A 4-bit counter (byte 1, bits 0-3) under a flag (bit 4) that toggles
 * whenever the counter reaches 8 (bit 3 rising): each flag flip comes with
 * a flip of the counter's top bit, so the two change together (lift 8),
 * and often enough (every 16 frames) to pass for a carry by rate. But a
 * carry comes when the counter goes round (15 -> 0), and none of the
 * flag's flips do (7 -> 8): the counter is its 4 bits, not the low part of
 * a wider number. (5 bits fail at 2 of 16 steps: 87.5 %.) */
static void test_counter_under_a_flag_that_is_no_carry(void **state)
{
	(void)state;
	struct disc_collect c;
	assert_int_equal(disc_collect_init(&c), 0);
	unsigned flag = 0;
	for (unsigned i = 0; i < 800; i++) {
		if (i % 16 == 8)
			flag ^= 1;
		struct evgw_frame f = {.ts_us = (int64_t)i * 500000, .id = 0x150, .len = 3,
				       .data = {(uint8_t)(i / 10), (uint8_t)(0x40 | flag << 4 | (i % 16)), 0}};
		assert_int_equal(disc_collect_frame(&c, &f, NAN), 0);
	}
	struct disc_message m;
	disc_analyze(&c.ids[0], &m);
	assert_true(m.counter.found);
	assert_int_equal(disc_bit_at((enum disc_order)m.counter.span.order, 3, m.counter.span.lo), 8);
	assert_int_equal(m.counter.span.w, 4);
	assert_int_equal(m.counter.modulo, 16);
	assert_int_equal(m.counter.step, 1);
	disc_collect_free(&c);
}

/* The draft text of one message, for the attributes it names. */
static char *draft_of(struct disc_message *m)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	assert_int_equal(disc_draft_write(out, m, 1, "t"), 0);
	fclose(out);
	return text;
}

/* Counters that step by another constant: byte 0 holds a +3 counter in
 * bits 4-7 (0x00, 0x30, 0x60, 0x90, 0xC0, 0xF0, 0x20, ...: 3i mod 16,
 * every bit moves) over a level in bits 0-3 that changes every 50 frames;
 * byte 1 counts down (0xFF, 0xFE, ..., 0x00, 0xFF: +255 mod 256) in a
 * message of its own. Hand-worked: EvgwCounter "inc,step=3" at 4|4,
 * "inc,step=255" at 8|8. Byte 2 counts +3 modulo 15 from 1 (1, 4, 7, 10,
 * 13, 1: five values, the largest 13, yet the wrap is 13 + 3 - 1 = 15):
 * "inc:15,step=3" at 16|4. A +4 counter in bits 4-7 (0x00, 0x40, 0x80, 0xC0)
 * never moves bits 4-5: it is the same frames as a +1 counter in bits 6-7
 * beside two unused bits, and is read so (docs/discovery.md, Limits). */
static void test_counter_steps(void **state)
{
	(void)state;
	for (int kind = 0; kind < 4; kind++) {
		struct disc_collect c;
		assert_int_equal(disc_collect_init(&c), 0);
		for (unsigned i = 0; i < 2000; i++) {
			struct evgw_frame f = {.ts_us = (int64_t)i * 20000, .id = 0x410, .len = 4};
			unsigned level = (i / 50) % 3 == 0 ? 0x5 : (i / 50) % 3 == 1 ? 0x9 : 0x2;
			if (kind == 0)
				f.data[0] = (uint8_t)(((3 * i) % 16) << 4 | level);
			else if (kind == 1)
				f.data[1] = (uint8_t)(255 - i % 256);
			else if (kind == 2)
				f.data[0] = (uint8_t)(((4 * i) % 16) << 4 | level);
			else
				f.data[2] = (uint8_t)((1 + 3 * i) % 15);
			f.data[3] = (uint8_t)(i / 40);
			assert_int_equal(disc_collect_frame(&c, &f, NAN), 0);
		}
		struct disc_message m;
		disc_analyze(&c.ids[0], &m);
		assert_true(m.counter.found);
		unsigned lsb = disc_bit_at((enum disc_order)m.counter.span.order, 4, m.counter.span.lo);
		char *text = draft_of(&m);
		if (kind == 0) {
			assert_int_equal(lsb, 4);
			assert_int_equal(m.counter.span.w, 4);
			assert_int_equal(m.counter.step, 3);
			assert_int_equal(m.counter.modulo, 16);
			assert_non_null(strstr(text, "COUNTER \"inc,step=3\""));
		} else if (kind == 1) {
			assert_int_equal(lsb, 8);
			assert_int_equal(m.counter.span.w, 8);
			assert_int_equal(m.counter.step, 255);
			assert_non_null(strstr(text, "COUNTER \"inc,step=255\""));
			assert_non_null(strstr(text, "(counting down)"));
		} else if (kind == 3) {
			assert_int_equal(lsb, 16);
			assert_int_equal(m.counter.span.w, 4);
			assert_int_equal(m.counter.step, 3);
			assert_int_equal(m.counter.modulo, 15);
			assert_non_null(strstr(text, "COUNTER \"inc:15,step=3\""));
		} else {
			assert_int_equal(lsb, 6);
			assert_int_equal(m.counter.span.w, 2);
			assert_int_equal(m.counter.step, 1);
			assert_non_null(strstr(text, "COUNTER \"inc\""));
		}
		free(text);
		disc_collect_free(&c);
	}
}

/* Only the counter moves: the sum in byte 0 is then the counter plus a
 * constant and counts up too. The counter is the nibble that wraps
 * evenly; the checksum is still found, in the byte next to it. */
static void test_checksum_moved_only_by_the_counter(void **state)
{
	(void)state;
	struct disc_collect c;
	assert_int_equal(disc_collect_init(&c), 0);
	for (unsigned i = 0; i < 1000; i++) {
		struct evgw_frame f = {.ts_us = (int64_t)i * 20000, .id = 0x351, .len = 8,
				       .data = {0, (uint8_t)(0x30 | (i % 16)), 0x12, 0x12, 0x12, 0x12, 0x12, 0x12}};
		unsigned sum = 0;
		for (int k = 1; k < 8; k++)
			sum += f.data[k];
		f.data[0] = (uint8_t)sum; /* 0x30 + 6 * 0x12 + counter = 0x9C + counter */
		assert_int_equal(disc_collect_frame(&c, &f, NAN), 0);
	}
	struct disc_message m;
	disc_analyze(&c.ids[0], &m);
	assert_true(m.counter.found);
	assert_int_equal(disc_span_start_bit(&m.counter.span), 8);
	assert_int_equal(m.counter.span.w, 4);
	assert_int_equal(m.checksum.kind, DISC_CS_SUM);
	assert_int_equal(m.checksum.byte, 0);
	assert_string_equal(m.checksum.algo, "sum8");
	disc_collect_free(&c);
}

static const struct disc_field *field_at(const struct disc_message *m, unsigned start)
{
	for (uint32_t i = 0; i < m->layout.n_fields; i++)
		if (disc_span_start_bit(&m->layout.fields[i].span) == start)
			return &m->layout.fields[i];
	return NULL;
}

/* The 16-bit Intel value (bits 8-23), the random byte (24-31) and the
 * flag (bit 40) come out as fields of their own. */
static void test_fields_intel(void **state)
{
	(void)state;
	struct disc_collect c;
	struct disc_message m;
	analyze_one(CS_SUM_INV, 16, 0x1E2, &c, &m);
	assert_int_equal(m.layout.order, DISC_INTEL);
	const struct disc_field *f = field_at(&m, 8);
	assert_non_null(f);
	assert_int_equal(f->span.w, 16);
	assert_false(f->is_signed);
	f = field_at(&m, 40);
	assert_non_null(f);
	assert_int_equal(f->span.w, 1);
	disc_collect_free(&c);
}

/* A signed 12-bit Motorola value (MSB at bit 7 of byte 2: start bit 23,
 * down to bit 4 of byte 3) swinging through zero, and an 8-bit step. */
static void test_fields_motorola_signed(void **state)
{
	(void)state;
	struct disc_collect c;
	assert_int_equal(disc_collect_init(&c), 0);
	for (unsigned i = 0; i < 4000; i++) {
		struct evgw_frame f = {.ts_us = (int64_t)i * 20000, .id = 0x300, .len = 8};
		int v = (int)lround(1900 * sin(i / 97.0) + 60 * sin(i / 3.1));
		unsigned raw = (unsigned)v & 0xFFF;
		f.data[2] = (uint8_t)(raw >> 4);
		f.data[3] = (uint8_t)((raw & 0xF) << 4);
		f.data[6] = (uint8_t)((i / 173) * 37);
		assert_int_equal(disc_collect_frame(&c, &f, NAN), 0);
	}
	struct disc_message m;
	disc_analyze(&c.ids[0], &m);
	assert_int_equal(m.layout.order, DISC_MOTOROLA);
	const struct disc_field *f = field_at(&m, 23);
	assert_non_null(f);
	assert_int_equal(f->span.w, 12);
	assert_true(f->is_signed);
	assert_int_equal(m.period_ms, 20.0);
	disc_collect_free(&c);
}

/* A message of single-byte fields says nothing about byte order; it takes
 * the order of the log's other messages (here one Motorola 16-bit value):
 * its 4-bit step in bits 4-7 of byte 0 is written with start bit 7 (the
 * MSB), as a Motorola DBC writes it. */
static void test_order_from_the_other_messages(void **state)
{
	(void)state;
	struct disc_collect c;
	assert_int_equal(disc_collect_init(&c), 0);
	for (unsigned i = 0; i < 3000; i++) {
		struct evgw_frame f = {.ts_us = (int64_t)i * 10000, .id = 0x200, .len = 8};
		unsigned v = (unsigned)(30000 + 29000 * sin(i / 120.0));
		f.data[0] = (uint8_t)(v >> 8); /* big-endian: start bit 7 */
		f.data[1] = (uint8_t)(v & 0xFF);
		assert_int_equal(disc_collect_frame(&c, &f, NAN), 0);
		struct evgw_frame g = {.ts_us = (int64_t)i * 10000 + 5000, .id = 0x201, .len = 2};
		g.data[0] = (uint8_t)(((i / 97) * 7 % 16) << 4);
		g.data[1] = (uint8_t)((i / 151) & 1);
		assert_int_equal(disc_collect_frame(&c, &g, NAN), 0);
	}
	struct disc_message m[2];
	assert_int_equal(disc_analyze_all(&c, 2, m), 2);
	assert_int_equal(m[0].layout.order, DISC_MOTOROLA);
	assert_non_null(field_at(&m[0], 7));
	assert_int_equal(field_at(&m[0], 7)->span.w, 16);
	assert_int_equal(m[1].layout.order, DISC_MOTOROLA);
	const struct disc_field *f = field_at(&m[1], 7);
	assert_non_null(f);
	assert_int_equal(f->span.w, 4);
	assert_int_equal(f->span.order, DISC_MOTOROLA);
	disc_collect_free(&c);
}

static void test_fit_line(void **state)
{
	(void)state;
	const double x[] = {0, 1, 2, 3, 4}, y[] = {1, 3, 5, 7, 9}, z[] = {4, 3, 2, 1, 0};
	double a, b;
	assert_float_equal(disc_fit_line(x, y, 5, &a, &b), 1.0, 1e-12);
	assert_float_equal(a, 2.0, 1e-12);
	assert_float_equal(b, 1.0, 1e-12);
	assert_float_equal(disc_fit_line(x, z, 5, &a, &b), -1.0, 1e-12);
	assert_float_equal(a, -1.0, 1e-12);
	assert_float_equal(b, 4.0, 1e-12);
	/* By hand: means 2 and 3; sxy = 8, sxx = syy = 10: scale 0.8,
	 * offset 3 - 0.8 * 2 = 1.4, r = 8 / 10. */
	const double u[] = {1, 3, 2, 5, 4};
	assert_float_equal(disc_fit_line(x, u, 5, &a, &b), 0.8, 1e-12);
	assert_float_equal(a, 0.8, 1e-12);
	assert_float_equal(b, 1.4, 1e-12);
	/* A constant says nothing. */
	const double k[] = {2, 2, 2, 2, 2};
	assert_float_equal(disc_fit_line(x, k, 5, &a, &b), 0.0, 0);
}

/* The draft, read back by evgw's DBC engine: the message, its period, the
 * checksum and counter attributes as bus_integrity.c reads them, and every
 * signal marked assumed. */
static void test_draft_loads(void **state)
{
	(void)state;
	struct disc_collect c;
	struct disc_message m;
	analyze_one(CS_SUM_INV, 16, 0x1E2, &c, &m);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	assert_int_equal(disc_draft_write(out, &m, 1, "test \"log\""), 0);
	fclose(out);
	struct diags dg = {0};
	struct dbc_load_opts lo = {true, diag_cb, &dg};
	struct dbc_db *db = NULL;
	int e = dbc_load_buffer(text, len, "draft", &lo, &db);
	if (e < 0 || dg.n_err || dg.n_warn)
		dump_diags(&dg);
	assert_int_equal(e, 0);
	assert_int_equal(dg.n_warn, 0);
	const struct dbc_message *dm = msg_named(db, "DISC_1E2");
	assert_int_equal(dm->id, 0x1E2);
	assert_int_equal(dm->length, 8);
	assert_int_equal(dm->cycle_time_ms, 10);
	const struct dbc_signal *cs = sig_named(db, dm, "CHECKSUM");
	struct evgw_str v = dbc_attr_text(db, DBC_OBJ_SIGNAL, cs, "EvgwChecksum");
	assert_true(evgw_str_eq_cstr(v, "sum8_inv"));
	const struct dbc_signal *ctr = sig_named(db, dm, "COUNTER");
	assert_int_equal(ctr->start_bit, 32);
	assert_int_equal(ctr->length, 4);
	assert_true(evgw_str_eq_cstr(dbc_attr_text(db, DBC_OBJ_SIGNAL, ctr, "EvgwCounter"), "inc"));
	const struct dbc_signal *val = sig_named(db, dm, "F8_16");
	assert_int_equal(val->flags & DBC_SIG_LITTLE_ENDIAN, DBC_SIG_LITTLE_ENDIAN);
	for (uint32_t i = 0; i < dm->n_signals; i++)
		assert_true(evgw_str_eq_cstr(dbc_attr_text(db, DBC_OBJ_SIGNAL, &dm->signals[i], "EvgwSignalConfidence"),
					     "assumed"));
	assert_true(evgw_str_eq_cstr(dbc_attr_text(db, DBC_OBJ_MESSAGE, dm, "EvgwConfidence"), "assumed"));
	dbc_free(db);
	free(text);
	disc_collect_free(&c);
}

static struct evgw_frame obd_frame(uint32_t id, bool ext, const char *hex)
{
	struct evgw_frame f = {0};
	f.id = id;
	f.flags = ext ? EVGW_FRAME_EXT : 0;
	for (const char *p = hex; p[0] && p[1] && f.len < 8; p += 2) {
		unsigned b;
		assert_int_equal(sscanf(p, "%2x", &b), 1);
		f.data[f.len++] = (uint8_t)b;
	}
	f.dlc = f.len;
	return f;
}

/* --correlate obd:PID's reader, on answers written by hand from J1979's
 * formulas: PID 0D is A km/h, 0C (256A+B)/4 rpm, 05 A-40 degC. */
static void test_obd_reference(void **state)
{
	(void)state;
	uint8_t pid = 0;
	assert_int_equal(disc_obd_parse_spec("obd:0D", &pid), 0);
	assert_int_equal(pid, 0x0D);
	assert_int_equal(disc_obd_parse_spec("OBD:0x0c", &pid), 0);
	assert_int_equal(pid, 0x0C);
	assert_int_equal(disc_obd_parse_spec("obd:01", &pid), -ENOTSUP);   /* a bitmap: no formula */
	assert_int_equal(disc_obd_parse_spec("obd:", &pid), -EINVAL);
	assert_int_equal(disc_obd_parse_spec("obd:100", &pid), -EINVAL);
	assert_int_equal(disc_obd_parse_spec("can0.X.Y", &pid), -EINVAL);
	double v = 0;
	struct evgw_frame f = obd_frame(0x7E8, false, "03410D3C55555555"); /* 0x3C = 60 km/h */
	assert_true(disc_obd_traffic(&f));
	assert_int_equal(disc_obd_value(0x0D, &f, &v), 1);
	assert_true(v == 60.0);
	f = obd_frame(0x7E9, false, "06410C1AF80D7B55"); /* 0x1AF8/4 = 1726 rpm, then 0x7B = 123 km/h */
	assert_int_equal(disc_obd_value(0x0D, &f, &v), 1);
	assert_true(v == 123.0);
	assert_int_equal(disc_obd_value(0x0C, &f, &v), 1);
	assert_true(v == 1726.0);
	f = obd_frame(0x18DAF110, true, "0341051E"); /* 29-bit answer: 0x1E - 40 = -10 degC */
	assert_int_equal(disc_obd_value(0x05, &f, &v), 1);
	assert_true(v == -10.0);
	f = obd_frame(0x7E8, false, "037F011255555555"); /* refused */
	assert_int_equal(disc_obd_value(0x0D, &f, &v), 0);
	f = obd_frame(0x7E8, false, "100A410D3C000000"); /* a first frame, not a single one */
	assert_int_equal(disc_obd_value(0x0D, &f, &v), 0);
	f = obd_frame(0x7E8, false, "05410D"); /* the length says more than the frame has */
	assert_int_equal(disc_obd_value(0x0D, &f, &v), 0);
	f = obd_frame(0x7E8, false, "02410D5555555555"); /* 0D without its byte */
	assert_int_equal(disc_obd_value(0x0D, &f, &v), 0);
	f = obd_frame(0x3A0, false, "03410D3C55555555"); /* not an answer's id */
	assert_false(disc_obd_traffic(&f));
	assert_int_equal(disc_obd_value(0x0D, &f, &v), 0);
	f = obd_frame(0x7DF, false, "02010D5555555555");
	assert_true(disc_obd_traffic(&f));
	assert_int_equal(disc_obd_value(0x0D, &f, &v), 0);
	f = obd_frame(0x7E0, false, "02010D5555555555");
	assert_true(disc_obd_traffic(&f));
	f = obd_frame(0x18DB33F1, true, "02010D");
	assert_true(disc_obd_traffic(&f));
	f = obd_frame(0x18DA10F1, true, "02010D");
	assert_true(disc_obd_traffic(&f));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc8_check_values),
		cmocka_unit_test(test_crc8_autosar_examples),
		cmocka_unit_test(test_checksum_sum8_inv),
		cmocka_unit_test(test_checksum_xor8_byte),
		cmocka_unit_test(test_checksum_crc_j1850_first_byte),
		cmocka_unit_test(test_checksum_sum_with_id),
		cmocka_unit_test(test_counter_wraps),
		cmocka_unit_test(test_counter_never_wrapped),
		cmocka_unit_test(test_checksum_xor_beside_a_fast_value),
		cmocka_unit_test(test_counter_under_a_rare_flag),
		cmocka_unit_test(test_checksum_beside_a_step),
		cmocka_unit_test(test_checksum_sum_inv_among_bounded_bytes),
		cmocka_unit_test(test_checksum_moved_only_by_the_counter),
		cmocka_unit_test(test_counter_steps),
		cmocka_unit_test(test_counter_under_a_flag_that_is_no_carry),
		cmocka_unit_test(test_fields_intel),
		cmocka_unit_test(test_fields_motorola_signed),
		cmocka_unit_test(test_order_from_the_other_messages),
		cmocka_unit_test(test_fit_line),
		cmocka_unit_test(test_draft_loads),
		cmocka_unit_test(test_obd_reference),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
