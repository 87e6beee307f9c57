// SPDX-License-Identifier: MIT
/* The decoder: bit layouts, multiplexing, presence, and message lookup.
 *
 * The layout sweep writes values with a bit writer of its own (below; it
 * walks the DBC bit numbering directly and shares nothing with the library)
 * and checks that dbc_decode reads back exactly what was written. The spot
 * checks have their frame bytes and results worked out by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "can/frame.h"
#include "dbc/dbc.h"
#include "dbc/dbc_decode.h"
#include "test_support.h"

/* ---- helpers -------------------------------------------------------------- */

static void diag_print(void *ud, const struct dbc_diag *d)
{
	(void)ud;
	print_message("  diag %u:%u (%d): %s\n", d->line, d->col, (int)d->severity, d->msg);
}

static struct dbc_db *load_text(const char *text)
{
	struct dbc_load_opts o = {true, diag_print, NULL};
	struct dbc_db *db = NULL;
	int r = dbc_load_buffer(text, strlen(text), "d.dbc", &o, &db);
	if (r != 0 || !db)
		fail_msg("strict load returned %d", r);
	return db;
}


static struct evgw_frame make_frame(uint32_t id, uint8_t flags, uint8_t len, const uint8_t *data)
{
	struct evgw_frame f;
	memset(&f, 0, sizeof f);
	f.id = id;
	f.flags = flags;
	f.len = len;
	f.dlc = len;
	if (data)
		memcpy(f.data, data, len);
	return f;
}

static const struct dbc_value *value_of(const struct dbc_db *db, const struct dbc_value *v,
					uint32_t n, const char *name)
{
	for (uint32_t i = 0; i < n; i++)
		if (evgw_str_eq_cstr(dbc_str(db, v[i].sig->name), name))
			return &v[i];
	return NULL;
}

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A comma-separated list of names, sorted (the decoder promises switches
 * before what they select, not an order among the rest). */
static void canon_list(const char *in, char *out, size_t cap)
{
	char tmp[256];
	char *names[64];
	size_t n = 0;
	snprintf(tmp, sizeof tmp, "%s", in);
	for (char *save = NULL, *t = strtok_r(tmp, ",", &save); t && n < 64;
	     t = strtok_r(NULL, ",", &save))
		names[n++] = t;
	qsort(names, n, sizeof names[0], cmp_cstr);
	size_t pos = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		pos += (size_t)snprintf(out + pos, cap - pos, "%s%s", i ? "," : "", names[i]);
}

/* Decode and return the names present, as a sorted list. */
static const char *present(const struct dbc_db *db, const struct dbc_message *m,
			   const struct evgw_frame *f)
{
	static char buf[256], sorted[256];
	struct dbc_value out[64];
	assert_true(m->n_signals <= 64);
	uint32_t n = dbc_decode(m, f, out);
	assert_true(n <= m->n_signals);
	size_t pos = 0;
	buf[0] = '\0';
	for (uint32_t i = 0; i < n; i++) {
		struct evgw_str s = dbc_str(db, out[i].sig->name);
		pos += (size_t)snprintf(buf + pos, sizeof buf - pos, "%s%.*s", i ? "," : "", (int)s.len,
					s.ptr);
	}
	canon_list(buf, sorted, sizeof sorted);
	return sorted;
}

/* The names decoded must be exactly `want` (any order). */
static bool same_names(const char *got_sorted, const char *want)
{
	char w[256];
	canon_list(want, w, sizeof w);
	return strcmp(got_sorted, w) == 0;
}

#define assert_present(db, m, f, want)                                                  \
	do {                                                                            \
		const char *got_ = present((db), (m), (f));                             \
		if (!same_names(got_, (want)))                                          \
			fail_msg("decoded {%s}, want {%s}", got_, (want));              \
	} while (0)

/* ---- the independent bit writer -------------------------------------------- */

/* Intel (@1): value bit i is frame bit start+i, where frame bit b is bit
 * b%8 (LSB = 0) of byte b/8. Returns the last byte touched, or -1 when the
 * signal does not fit in 64 bytes (bits past byte 63 are dropped). */
static int put_intel(uint8_t *d, unsigned start, unsigned len, uint64_t v)
{
	int last = -1;
	for (unsigned i = 0; i < len; i++) {
		unsigned pos = start + i;
		if (pos >= 512)
			return -1;
		uint8_t mask = (uint8_t)(1u << (pos % 8));
		if ((v >> i) & 1)
			d[pos / 8] |= mask;
		else
			d[pos / 8] &= (uint8_t)~mask;
		last = (int)(pos / 8);
	}
	return last;
}

/* Motorola (@0): the MSB sits at frame bit `start`; each following (less
 * significant) bit is one position lower in the same byte, and after bit 0
 * of a byte comes bit 7 of the next byte: the DBC "sawtooth". */
static int put_motorola(uint8_t *d, unsigned start, unsigned len, uint64_t v)
{
	unsigned pos = start;
	int last = -1;
	for (unsigned i = len; i-- > 0;) {
		if (pos >= 512)
			return -1;
		uint8_t mask = (uint8_t)(1u << (pos % 8));
		if ((v >> i) & 1)
			d[pos / 8] |= mask;
		else
			d[pos / 8] &= (uint8_t)~mask;
		last = (int)(pos / 8);
		pos = pos % 8 == 0 ? pos + 15 : pos - 1;
	}
	return last;
}

static uint64_t mask_of(unsigned len)
{
	return len == 64 ? UINT64_MAX : (1ull << len) - 1;
}

/* ---- the layout sweep ----------------------------------------------------------- */

/* Start bits chosen to begin on and off byte boundaries, to cross one and
 * many boundaries, to need the nine-byte span (an unaligned 64-bit signal:
 * Intel 4, 60, 444; Motorola 0, 3, 440) and to run into the end of a
 * 64-byte CAN FD frame. */
static const uint16_t intel_starts[] = {0, 1, 4, 7, 8, 12, 31, 57, 60, 63, 100, 255,
					444, 447, 450, 480, 505, 511};
static const uint16_t moto_starts[] = {7, 0, 3, 12, 15, 56, 60, 63, 100, 255,
				       440, 447, 455, 487, 500, 504, 511};

struct sweep_msg {
	bool intel, is_signed;
	uint16_t start;
	char name[32];
};

#define MAX_SWEEP 80

static struct sweep_msg sweep[MAX_SWEEP];
static unsigned n_sweep;

static char *sweep_dbc(void)
{
	size_t cap = 1u << 20, len = 0;
	char *t = malloc(cap);
	assert_non_null(t);
	n_sweep = 0;
	for (int order = 0; order < 2; order++) {
		const uint16_t *starts = order ? moto_starts : intel_starts;
		size_t ns = order ? sizeof moto_starts / 2 : sizeof intel_starts / 2;
		for (size_t i = 0; i < ns; i++) {
			for (int sg = 0; sg < 2; sg++) {
				assert_true(n_sweep < MAX_SWEEP);
				struct sweep_msg *sm = &sweep[n_sweep];
				sm->intel = order == 0;
				sm->is_signed = sg;
				sm->start = starts[i];
				snprintf(sm->name, sizeof sm->name, "%s_%u_%c", sm->intel ? "I" : "M",
					 sm->start, sg ? 's' : 'u');
				len += (size_t)snprintf(t + len, cap - len, "BO_ %u %s: 64 ECU\n",
							0x100 + n_sweep, sm->name);
				for (unsigned l = 1; l <= 64; l++)
					len += (size_t)snprintf(t + len, cap - len,
								" SG_ L%u : %u|%u@%c%c (1,0) [0|0] \"\" X\n", l,
								sm->start, l, sm->intel ? '1' : '0',
								sg ? '-' : '+');
				n_sweep++;
			}
		}
	}
	assert_true(len < cap - 1);
	return t;
}

static unsigned sweep_fail;

static void sweep_report(const struct sweep_msg *sm, unsigned l, uint64_t v, const char *what,
			 uint64_t got, uint64_t want)
{
	if (sweep_fail++ < 20)
		print_message("%s L%u value 0x%llx: %s: got 0x%llx want 0x%llx\n", sm->name, l,
			      (unsigned long long)v, what, (unsigned long long)got,
			      (unsigned long long)want);
}

static const struct dbc_value *find_sig(const struct dbc_value *out, uint32_t n,
					const struct dbc_signal *s)
{
	for (uint32_t i = 0; i < n; i++)
		if (out[i].sig == s)
			return &out[i];
	return NULL;
}

static void test_layout_sweep(void **state)
{
	(void)state;
	char *text = sweep_dbc();
	struct dbc_db *db = load_text(text);
	sweep_fail = 0;
	unsigned checked = 0;
	struct dbc_value out[64];
	for (unsigned k = 0; k < n_sweep; k++) {
		const struct sweep_msg *sm = &sweep[k];
		const struct dbc_message *m = msg_named(db, sm->name);
		assert_int_equal(m->n_signals, 64);
		for (unsigned l = 1; l <= 64; l++) {
			char nm[8];
			snprintf(nm, sizeof nm, "L%u", l);
			const struct dbc_signal *s = sig_named(db, m, nm);
			uint64_t mask = mask_of(l);
			const uint64_t values[] = {
				0, 1, mask, 1ull << (l - 1), 0x5555555555555555ull & mask,
				0xAAAAAAAAAAAAAAAAull & mask, rnd() & mask, rnd() & mask,
			};
			for (size_t vi = 0; vi < sizeof values / sizeof values[0]; vi++) {
				uint64_t v = values[vi];
				uint8_t bg[64], a[64], b[64];
				for (int i = 0; i < 64; i++)
					bg[i] = (uint8_t)rnd();
				memcpy(a, bg, 64);
				memcpy(b, bg, 64);
				int last = sm->intel ? put_intel(a, sm->start, l, v)
						     : put_motorola(a, sm->start, l, v);
				/* dbc_insert_raw writes the same bits, touching nothing else. */
				dbc_insert_raw(s, b, v);
				if (memcmp(a, b, 64) != 0) {
					int i = 0;
					while (a[i] == b[i])
						i++;
					sweep_report(sm, l, v, "dbc_insert_raw byte differs", b[i], a[i]);
				}
				uint64_t want = v;
				if (sm->is_signed && l < 64 && (v >> (l - 1)) & 1)
					want = v | ~mask; /* sign-extended */
				struct evgw_frame f = make_frame(0x100 + k, EVGW_FRAME_FD, 64, a);
				uint32_t n = dbc_decode(m, &f, out);
				const struct dbc_value *got = find_sig(out, n, s);
				checked++;
				if (last < 0) {
					/* Runs past byte 63: never present. */
					if (got)
						sweep_report(sm, l, v, "present though past 64 bytes", got->raw, 0);
					continue;
				}
				if (!got) {
					sweep_report(sm, l, v, "missing from a 64-byte frame", 0, want);
					continue;
				}
				if (got->raw != want)
					sweep_report(sm, l, v, "raw", got->raw, want);
				double phys = sm->is_signed ? (double)(int64_t)want : (double)want;
				if (got->phys != phys)
					sweep_report(sm, l, v, "phys (as integer)", (uint64_t)(int64_t)got->phys,
						     (uint64_t)(int64_t)phys);
				/* Present exactly when the frame has its last byte. */
				f.len = (uint8_t)(last + 1);
				n = dbc_decode(m, &f, out);
				got = find_sig(out, n, s);
				if (!got || got->raw != want)
					sweep_report(sm, l, v, "with the frame cut after its last byte",
						     got ? got->raw : 0, want);
				f.len = (uint8_t)last;
				n = dbc_decode(m, &f, out);
				if (find_sig(out, n, s))
					sweep_report(sm, l, v, "present in a frame one byte short", 1, 0);
			}
		}
	}
	print_message("layout sweep: %u signal/value cases\n", checked);
	dbc_free(db);
	free(text);
	if (sweep_fail)
		fail_msg("%u layout checks failed", sweep_fail);
}

/* ---- hand-worked spot checks --------------------------------------------------------- */

struct spot {
	const char *why;
	bool intel, is_signed;
	uint16_t start;
	uint8_t len;
	double factor, offset;
	uint8_t data[64];
	uint8_t frame_len;
	uint64_t raw;
	double phys;
};

static const struct spot spots[] = {
	{"Intel 0|16: byte0 is the low byte; 34 12 -> 0x1234",
	 true, false, 0, 16, 1, 0, {0x34, 0x12}, 8, 0x1234, 4660},
	{"Motorola 7|16: byte0 is the high byte; 12 34 -> 0x1234",
	 false, false, 7, 16, 1, 0, {0x12, 0x34}, 8, 0x1234, 4660},
	{"Motorola 7|12: byte0 bits 7..0 then byte1 bits 7..4; AB C0 -> 0xABC",
	 false, false, 7, 12, 1, 0, {0xAB, 0xC0}, 8, 0xABC, 2748},
	{"Motorola 3|12: byte0 bits 3..0 (A) then byte1 bits 7..0 (BC); FA BC -> 0xABC",
	 false, false, 3, 12, 1, 0, {0xFA, 0xBC}, 8, 0xABC, 2748},
	{"Intel 4|12 signed: bits 4..15 of F0 FF all set -> 0xFFF = -1",
	 true, true, 4, 12, 1, 0, {0xF0, 0xFF}, 8, UINT64_MAX, -1},
	{"Intel 4|12 signed: only bit 15 (value bit 11) of 00 80 -> 0x800 = -2048",
	 true, true, 4, 12, 1, 0, {0x00, 0x80}, 8, (uint64_t)-2048, -2048},
	{"Intel 12|8: low nibble = byte1 bits 7..4 (A), high = byte2 bits 3..0 (B) -> 0xBA",
	 true, false, 12, 8, 1, 0, {0x00, 0xA0, 0x0B}, 8, 0xBA, 186},
	{"Motorola 12|8: byte1 bits 4..0 (10101) then byte2 bits 7..5 (101) -> 0xAD",
	 false, false, 12, 8, 1, 0, {0x00, 0x15, 0xA0}, 8, 0xAD, 173},
	{"factor/offset: E8 03 = 1000; 1000 * 0.1 + -40 = 60",
	 true, false, 0, 16, 0.1, -40, {0xE8, 0x03}, 8, 1000, 60.0},
	{"Motorola 7|16 signed: FF 38 = 0xFF38 = -200; * 0.5 = -100",
	 false, true, 7, 16, 0.5, 0, {0xFF, 0x38}, 8, (uint64_t)-200, -100.0},
	{"Motorola 7|8 signed: 80 -> -128",
	 false, true, 7, 8, 1, 0, {0x80}, 8, (uint64_t)-128, -128},
	{"Intel 63|1: byte7 bit7",
	 true, false, 63, 1, 1, 0, {0, 0, 0, 0, 0, 0, 0, 0x80}, 8, 1, 1},
	{"Motorola 0|2: byte0 bit0 (MSB) then byte1 bit7; 01 00 -> 0b10",
	 false, false, 0, 2, 1, 0, {0x01, 0x00}, 8, 2, 2},
	{"Intel 0|64 aligned: 21 43 65 87 A9 CB ED 0F -> 0x0FEDCBA987654321",
	 true, false, 0, 64, 1, 0, {0x21, 0x43, 0x65, 0x87, 0xA9, 0xCB, 0xED, 0x0F}, 8,
	 0x0FEDCBA987654321ull, (double)0x0FEDCBA987654321ull},
	{"Motorola 7|64: 01 23 45 67 89 AB CD EF -> 0x0123456789ABCDEF",
	 false, false, 7, 64, 1, 0, {0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF}, 8,
	 0x0123456789ABCDEFull, 81985529216486895.0},
	{"Intel 0|64 signed: FF x8 -> -1",
	 true, true, 0, 64, 1, 0, {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, 8, UINT64_MAX, -1},
	{"Intel 4|64, nine bytes: byte0 bits 7..4 (1) are bits 3..0, bytes 1..7 the "
	 "next 56 bits, byte8 bits 3..0 (A) the top -> 0xAFEDCBA987654321",
	 true, false, 4, 64, 1, 0, {0x10, 0x32, 0x54, 0x76, 0x98, 0xBA, 0xDC, 0xFE, 0x0A}, 12,
	 0xAFEDCBA987654321ull, (double)0xAFEDCBA987654321ull},
	{"Motorola 0|64, nine bytes: byte0 bit0 (1) is bit 63, bytes 1..7 bits 62..7, "
	 "byte8 bits 7..1 (0x02 >> 1 = 1) bits 6..0 -> 1<<63 | 0x23456789ABCDEF<<7 | 1 "
	 "= 0x91A2B3C4D5E6F781",
	 false, false, 0, 64, 1, 0, {0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0x02}, 12,
	 0x91A2B3C4D5E6F781ull, (double)0x91A2B3C4D5E6F781ull},
	{"CAN FD Intel 480|32: bytes 60..63 = 78 56 34 12 -> 0x12345678",
	 true, false, 480, 32, 1, 0, {[60] = 0x78, 0x56, 0x34, 0x12}, 64, 0x12345678, 305419896},
	{"CAN FD Motorola 487|32: byte60 bit7 is the MSB; 12 34 56 78 -> 0x12345678",
	 false, false, 487, 32, 1, 0, {[60] = 0x12, 0x34, 0x56, 0x78}, 64, 0x12345678, 305419896},
	{"CAN FD Intel 444|64: byte55 bit4 up to byte63 bit3 (nine bytes at the end)",
	 true, false, 444, 64, 1, 0,
	 {[55] = 0x10, 0x32, 0x54, 0x76, 0x98, 0xBA, 0xDC, 0xFE, 0x0A}, 64,
	 0xAFEDCBA987654321ull, (double)0xAFEDCBA987654321ull},
	{"CAN FD Motorola 440|64: byte55 bit0 down to byte63 bit1 (nine bytes at the end)",
	 false, false, 440, 64, 1, 0,
	 {[55] = 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0x02}, 64,
	 0x91A2B3C4D5E6F781ull, (double)0x91A2B3C4D5E6F781ull},
	{"CAN FD Motorola 511|8: byte63 -> 0x5A",
	 false, false, 511, 8, 1, 0, {[63] = 0x5A}, 64, 0x5A, 90},
};

static void test_spot_checks(void **state)
{
	(void)state;
	size_t n = sizeof spots / sizeof spots[0];
	char *text = malloc(n * 128);
	assert_non_null(text);
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		const struct spot *sp = &spots[i];
		len += (size_t)sprintf(text + len,
				       "BO_ %zu S%zu: 64 E\n SG_ V : %u|%u@%c%c (%.17g,%.17g) [0|0] \"\" X\n",
				       0x200 + i, i, sp->start, sp->len, sp->intel ? '1' : '0',
				       sp->is_signed ? '-' : '+', sp->factor, sp->offset);
	}
	struct dbc_db *db = load_text(text);
	unsigned bad = 0;
	for (size_t i = 0; i < n; i++) {
		const struct spot *sp = &spots[i];
		char nm[16];
		snprintf(nm, sizeof nm, "S%zu", i);
		const struct dbc_message *m = msg_named(db, nm);
		struct evgw_frame f = make_frame((uint32_t)(0x200 + i),
						 sp->frame_len > 8 ? EVGW_FRAME_FD : 0, sp->frame_len,
						 sp->data);
		struct dbc_value out[1];
		uint32_t got = dbc_decode(m, &f, out);
		if (got != 1) {
			print_message("%s: %u values\n", sp->why, got);
			bad++;
			continue;
		}
		if (out[0].raw != sp->raw || fabs(out[0].phys - sp->phys) > 1e-9 * fmax(1, fabs(sp->phys))) {
			print_message("%s: raw 0x%llx phys %.17g, want raw 0x%llx phys %.17g\n", sp->why,
				      (unsigned long long)out[0].raw, out[0].phys,
				      (unsigned long long)sp->raw, sp->phys);
			bad++;
		}
		/* dbc_insert_raw rebuilds the hand-made bytes from the raw value. */
		uint8_t buf[64];
		memset(buf, 0, sizeof buf);
		dbc_insert_raw(&m->signals[0], buf, sp->raw);
		/* Spot data may carry bits outside the signal (FA BC): compare
		 * through the decoder instead of bytewise for those. */
		struct evgw_frame g = make_frame(f.id, f.flags, f.len, buf);
		if (dbc_decode(m, &g, out) != 1 || out[0].raw != sp->raw) {
			print_message("%s: dbc_insert_raw did not round-trip\n", sp->why);
			bad++;
		}
	}
	dbc_free(db);
	free(text);
	if (bad)
		fail_msg("%u spot checks failed", bad);
}

static void test_phys_to_raw(void **state)
{
	(void)state;
	struct dbc_db *db = load_text("BO_ 256 M: 8 E\n"
				      " SG_ T : 0|16@1+ (0.1,-40) [-40|6513.5] \"degC\" X\n"
				      " SG_ S : 16|8@1- (1,0) [-128|127] \"\" X\n");
	const struct dbc_message *m = msg_named(db, "M");
	const struct dbc_signal *t = sig_named(db, m, "T"), *s = sig_named(db, m, "S");
	uint64_t raw = 0;
	/* (60 - -40) / 0.1 = 1000. */
	assert_int_equal(dbc_phys_to_raw(t, 60.0, &raw), 0);
	assert_int_equal(raw, 1000);
	/* Nearest step: 60.04 -> 1000.4 -> 1000. */
	assert_int_equal(dbc_phys_to_raw(t, 60.04, &raw), 0);
	assert_int_equal(raw, 1000);
	/* Above 16 bits: saturated to 0xFFFF. Below 0: saturated to 0. */
	assert_int_equal(dbc_phys_to_raw(t, 1e9, &raw), -ERANGE);
	assert_int_equal(raw, 0xFFFF);
	assert_int_equal(dbc_phys_to_raw(t, -100, &raw), -ERANGE);
	assert_int_equal(raw, 0);
	/* Signed 8 bits: -5 -> 0xFB; -200 saturates to -128 = 0x80. */
	assert_int_equal(dbc_phys_to_raw(s, -5, &raw), 0);
	assert_int_equal(raw, 0xFB);
	assert_int_equal(dbc_phys_to_raw(s, -200, &raw), -ERANGE);
	assert_int_equal(raw, 0x80);
	dbc_free(db);
}

/* ---- multiplexing -------------------------------------------------------------------- */

static void test_simple_mux(void **state)
{
	(void)state;
	struct dbc_db *db = load_text("BO_ 512 MUX: 8 ECU\n"
				      " SG_ A m1 : 8|16@1+ (1,0) [0|0] \"\" X\n"
				      " SG_ Sel M : 0|8@1+ (1,0) [0|0] \"\" X\n"
				      " SG_ B m2 : 8|8@1+ (1,0) [0|0] \"\" X\n"
				      " SG_ C m2 : 16|8@1+ (1,0) [0|0] \"\" X\n"
				      " SG_ Always : 56|8@1+ (1,0) [0|0] \"\" X\n");
	const struct dbc_message *m = msg_named(db, "MUX");
	/* Sel = 1: A (bytes 1..2 = 34 12 -> 0x1234), not B or C. The switch is
	 * decoded first although written second. */
	const uint8_t d1[8] = {1, 0x34, 0x12, 0, 0, 0, 0, 0x77};
	struct evgw_frame f = make_frame(512, 0, 8, d1);
	assert_present(db, m, &f, "Sel,A,Always");
	struct dbc_value out[8];
	uint32_t n = dbc_decode(m, &f, out);
	assert_int_equal(value_of(db, out, n, "A")->raw, 0x1234);
	assert_int_equal(value_of(db, out, n, "Always")->raw, 0x77);
	/* Sel = 2: B = 0x34, C = 0x12. */
	f.data[0] = 2;
	assert_present(db, m, &f, "Sel,B,C,Always");
	n = dbc_decode(m, &f, out);
	assert_int_equal(value_of(db, out, n, "B")->raw, 0x34);
	assert_int_equal(value_of(db, out, n, "C")->raw, 0x12);
	/* Sel = 0 and 3: nothing multiplexed. */
	f.data[0] = 0;
	assert_present(db, m, &f, "Sel,Always");
	f.data[0] = 3;
	assert_present(db, m, &f, "Sel,Always");
	dbc_free(db);
}

/* Extended multiplexing: Sw selects Sub (1) and R (2-4, 10-12); Sub, itself
 * a switch, selects Leaf (5, 7-9). */
static const char ext_mux_text[] =
	"BO_ 768 EXT: 8 ECU\n"
	" SG_ Leaf m5 : 16|16@1+ (1,0) [0|0] \"\" X\n"
	" SG_ Sub m1M : 8|8@1+ (1,0) [0|0] \"\" X\n"
	" SG_ Sw M : 0|8@1+ (1,0) [0|0] \"\" X\n"
	" SG_ R m0 : 24|8@1+ (1,0) [0|0] \"\" X\n"
	" SG_ Plain : 56|8@1+ (1,0) [0|0] \"\" X\n"
	"SG_MUL_VAL_ 768 Sub Sw 1-1;\n"
	"SG_MUL_VAL_ 768 Leaf Sub 5-5, 7-9;\n"
	"SG_MUL_VAL_ 768 R Sw 2-4, 10-12;\n";

static void test_extended_mux(void **state)
{
	(void)state;
	struct dbc_db *db = load_text(ext_mux_text);
	const struct dbc_message *m = msg_named(db, "EXT");
	uint8_t d[8] = {0, 0, 0xCD, 0xAB, 0, 0, 0, 0x11};
	struct evgw_frame f = make_frame(768, 0, 8, d);
	struct {
		uint8_t sw, sub;
		const char *want;
	} cases[] = {
		{1, 5, "Sw,Sub,Leaf,Plain"}, /* cascade: Sw 1 -> Sub, Sub 5 -> Leaf */
		{1, 7, "Sw,Sub,Leaf,Plain"}, /* 7..9 range, low end */
		{1, 8, "Sw,Sub,Leaf,Plain"},
		{1, 9, "Sw,Sub,Leaf,Plain"}, /* high end */
		{1, 6, "Sw,Sub,Plain"},      /* the gap between the ranges */
		{1, 10, "Sw,Sub,Plain"},
		{1, 4, "Sw,Sub,Plain"},
		{2, 5, "Sw,R,Plain"},        /* Sub not selected: Leaf neither, byte1 = 5 or not */
		{3, 0, "Sw,R,Plain"},
		{4, 0, "Sw,R,Plain"},
		{5, 5, "Sw,Plain"},
		{9, 0, "Sw,Plain"},
		{10, 0, "Sw,R,Plain"},
		{12, 0, "Sw,R,Plain"},
		{13, 0, "Sw,Plain"},
		{0, 5, "Sw,Plain"},          /* R is m0, but its ranges replace the 0 */
	};
	unsigned bad = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		f.data[0] = cases[i].sw;
		f.data[1] = cases[i].sub;
		const char *got = present(db, m, &f);
		if (!same_names(got, cases[i].want)) {
			print_message("Sw=%u Sub=%u: got %s, want %s\n", cases[i].sw, cases[i].sub, got,
				      cases[i].want);
			bad++;
		}
	}
	/* Leaf = bytes 2..3 = CD AB -> 0xABCD. */
	f.data[0] = 1;
	f.data[1] = 5;
	struct dbc_value out[8];
	uint32_t n = dbc_decode(m, &f, out);
	assert_int_equal(value_of(db, out, n, "Leaf")->raw, 0xABCD);
	dbc_free(db);
	if (bad)
		fail_msg("%u extended multiplexing cases failed", bad);
}

/* A switch that is not in the frame leaves its signals out. */
static void test_mux_switch_absent(void **state)
{
	(void)state;
	struct dbc_db *db = load_text("BO_ 512 MUX: 8 ECU\n"
				      " SG_ A m1 : 0|8@1+ (1,0) [0|0] \"\" X\n"
				      " SG_ Sel M : 56|8@1+ (1,0) [0|0] \"\" X\n");
	const struct dbc_message *m = msg_named(db, "MUX");
	const uint8_t d[8] = {0x42, 0, 0, 0, 0, 0, 0, 1};
	struct evgw_frame f = make_frame(512, 0, 8, d);
	assert_present(db, m, &f, "Sel,A");
	f.len = 7; /* Sel is byte 7 */
	assert_present(db, m, &f, "");
	dbc_free(db);
}

/* ---- presence in short frames --------------------------------------------------------------- */

static void test_short_frame(void **state)
{
	(void)state;
	/* A: byte 0. B: Intel bits 24..39 = bytes 3..4. C: byte 4.
	 * D: Motorola start 31 = byte 3 bit 7, 8 bits -> byte 3 only.
	 * E: Motorola start 28 = byte 3 bit 4, 8 bits -> byte 3 bits 4..0,
	 *    byte 4 bits 7..5: bytes 3..4. */
	struct dbc_db *db = load_text("BO_ 256 M: 8 E\n"
				      " SG_ A : 0|8@1+ (1,0) [0|0] \"\" X\n"
				      " SG_ B : 24|16@1+ (1,0) [0|0] \"\" X\n"
				      " SG_ C : 32|8@1+ (1,0) [0|0] \"\" X\n"
				      " SG_ D : 31|8@0+ (1,0) [0|0] \"\" X\n"
				      " SG_ E : 28|8@0+ (1,0) [0|0] \"\" X\n");
	const struct dbc_message *m = msg_named(db, "M");
	const uint8_t d[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	struct evgw_frame f = make_frame(256, 0, 8, d);
	assert_present(db, m, &f, "A,B,C,D,E");
	f.len = 5;
	assert_present(db, m, &f, "A,B,C,D,E");
	f.len = 4;
	assert_present(db, m, &f, "A,D");
	f.len = 1;
	assert_present(db, m, &f, "A");
	f.len = 0;
	assert_present(db, m, &f, "");
	/* D at len 4 is byte 3 = 4. */
	f.len = 4;
	struct dbc_value out[5];
	uint32_t n = dbc_decode(m, &f, out);
	assert_int_equal(value_of(db, out, n, "D")->raw, 4);
	dbc_free(db);
}

/* ---- CAN FD ------------------------------------------------------------------------------------ */

static void test_canfd_64_bytes(void **state)
{
	(void)state;
	struct dbc_db *db = load_text(
		"BO_ 1024 FD: 64 E\n"
		" SG_ At60 : 480|32@1+ (1,0) [0|0] \"\" X\n"
		" SG_ Head : 0|8@1+ (1,0) [0|0] \"\" X\n"
		"BA_DEF_ BO_ \"VFrameFormat\" ENUM \"StandardCAN\",\"ExtendedCAN\",\"StandardCAN_FD\",\"ExtendedCAN_FD\";\n"
		"BA_ \"VFrameFormat\" BO_ 1024 2;\n");
	const struct dbc_message *m = msg_named(db, "FD");
	assert_int_equal(m->length, 64);
	assert_true(m->flags & DBC_MSG_FD);
	uint8_t d[64] = {[0] = 0x99, [60] = 0x78, 0x56, 0x34, 0x12};
	struct evgw_frame f = make_frame(1024, EVGW_FRAME_FD, 64, d);
	assert_ptr_equal(dbc_lookup(db, &f, NULL), m);
	struct dbc_value out[2];
	uint32_t n = dbc_decode(m, &f, out);
	assert_int_equal(n, 2);
	assert_int_equal(value_of(db, out, n, "At60")->raw, 0x12345678);
	/* A 48-byte frame (the next FD length down) does not carry byte 60. */
	f.len = 48;
	assert_present(db, m, &f, "Head");
	dbc_free(db);
}

/* ---- lookup ------------------------------------------------------------------------------------- */

static const struct dbc_message *lookup_sa(const struct dbc_db *db, uint32_t id, uint8_t flags,
					   int *sa)
{
	struct evgw_frame f = make_frame(id, flags, 8, NULL);
	*sa = 1234;
	return dbc_lookup(db, &f, sa);
}

#define X EVGW_FRAME_EXT

/* J1939 by VFrameFormat J1939PG.
 * 2566844672 = 0x98FEF100: extended 0x18FEF100, PF 0xFE >= 240 (PDU2),
 *   PGN 0xFEF1 (EEC1), source address 0x00.
 * 2565537790 = 0x98EAFFFE: extended 0x18EAFFFE, PF 0xEA < 240 (PDU1),
 *   PGN 0xEA00 (Request), destination 0xFF, source 0xFE.
 * 2566844928 = 0x98FEF200: extended 0x18FEF200 as plain ExtendedCAN. */
static const char j1939_pg_text[] =
	"BA_DEF_ BO_ \"VFrameFormat\" ENUM \"StandardCAN\",\"ExtendedCAN\",\"reserved\",\"J1939PG\";\n"
	"BA_DEF_DEF_ \"VFrameFormat\" \"StandardCAN\";\n"
	"BO_ 2566844672 EEC1: 8 Engine\n"
	" SG_ EngSpeed : 24|16@1+ (0.125,0) [0|8031.875] \"rpm\" X\n"
	"BO_ 2565537790 Req: 3 Tool\n"
	" SG_ PGN : 0|24@1+ (1,0) [0|0] \"\" X\n"
	"BO_ 2566844928 Plain: 8 ECU\n"
	"BO_ 256 Std: 8 ECU\n"
	"BA_ \"VFrameFormat\" BO_ 2566844672 3;\n"
	"BA_ \"VFrameFormat\" BO_ 2565537790 3;\n"
	"BA_ \"VFrameFormat\" BO_ 2566844928 1;\n";

static void test_j1939_vframeformat(void **state)
{
	(void)state;
	struct dbc_db *db = load_text(j1939_pg_text);
	const struct dbc_message *eec1 = msg_named(db, "EEC1"), *req = msg_named(db, "Req"),
				 *plain = msg_named(db, "Plain"), *std = msg_named(db, "Std");
	assert_true(eec1->flags & DBC_MSG_J1939);
	assert_int_equal(eec1->pgn, 0xFEF1);
	assert_true(req->flags & DBC_MSG_J1939);
	assert_int_equal(req->pgn, 0xEA00);
	assert_int_equal(plain->flags & DBC_MSG_J1939, 0);
	int sa;
	/* The exact id: source address 0x00. */
	assert_ptr_equal(lookup_sa(db, 0x18FEF100, X, &sa), eec1);
	assert_int_equal(sa, 0);
	/* 0x0CFEF103: priority 3, same PGN 0xFEF1, source 0x03. */
	assert_ptr_equal(lookup_sa(db, 0x0CFEF103, X, &sa), eec1);
	assert_int_equal(sa, 3);
	assert_ptr_equal(lookup_sa(db, 0x1CFEF1FE, X, &sa), eec1);
	assert_int_equal(sa, 0xFE);
	/* PDU1: 0x18EA00F9 is a request to 0x00 from 0xF9; the destination is
	 * not part of the PGN. */
	assert_ptr_equal(lookup_sa(db, 0x18EA00F9, X, &sa), req);
	assert_int_equal(sa, 0xF9);
	assert_ptr_equal(lookup_sa(db, 0x18EA5501, X, &sa), req);
	assert_int_equal(sa, 0x01);
	/* Data page set (0x19FEF100): PGN 0x1FEF1, another group. */
	assert_null(lookup_sa(db, 0x19FEF100, X, &sa));
	assert_int_equal(sa, -1);
	/* 0xFEF2 with another source: Plain is not J1939, so only its exact id. */
	assert_null(lookup_sa(db, 0x0CFEF203, X, &sa));
	assert_ptr_equal(lookup_sa(db, 0x18FEF200, X, &sa), plain);
	assert_int_equal(sa, -1);
	/* Standard frames are never J1939. */
	assert_ptr_equal(lookup_sa(db, 0x100, 0, &sa), std);
	assert_int_equal(sa, -1);
	assert_null(lookup_sa(db, 0x0F1, 0, &sa));
	/* sa may be NULL. */
	struct evgw_frame f = make_frame(0x0CFEF103, X, 8, NULL);
	assert_ptr_equal(dbc_lookup(db, &f, NULL), eec1);

	/* Decoding does not care which source sent it: bytes 3..4 = 80 25 ->
	 * 0x2580 = 9600 * 0.125 = 1200 rpm. */
	const uint8_t d[8] = {0xFF, 0xFF, 0xFF, 0x80, 0x25, 0xFF, 0xFF, 0xFF};
	f = make_frame(0x0CFEF103, X, 8, d);
	struct dbc_value out[1];
	assert_int_equal(dbc_decode(dbc_lookup(db, &f, NULL), &f, out), 1);
	assert_true(out[0].phys == 1200.0);
	dbc_free(db);
}

static void test_j1939_protocol_type(void **state)
{
	(void)state;
	struct dbc_db *db = load_text("BA_DEF_ \"ProtocolType\" STRING ;\n"
				      "BA_ \"ProtocolType\" \"J1939\";\n"
				      "BO_ 2566844672 EEC1: 8 Engine\n"
				      "BO_ 2565537790 Req: 3 Tool\n"
				      "BO_ 256 Std: 8 ECU\n");
	const struct dbc_message *eec1 = msg_named(db, "EEC1"), *req = msg_named(db, "Req");
	assert_true(eec1->flags & DBC_MSG_J1939);
	int sa;
	assert_ptr_equal(lookup_sa(db, 0x0CFEF103, X, &sa), eec1);
	assert_int_equal(sa, 3);
	assert_ptr_equal(lookup_sa(db, 0x18EA00F9, X, &sa), req);
	assert_int_equal(sa, 0xF9);
	/* Standard messages stay plain. */
	assert_int_equal(msg_named(db, "Std")->flags & DBC_MSG_J1939, 0);
	assert_ptr_equal(lookup_sa(db, 0x100, 0, &sa), msg_named(db, "Std"));
	assert_int_equal(sa, -1);
	dbc_free(db);
}

static void test_not_j1939_exact_id_only(void **state)
{
	(void)state;
	struct dbc_db *db = load_text("BO_ 2566844672 EEC1: 8 Engine\n"
				      "BO_ 2565537790 Req: 3 Tool\n");
	const struct dbc_message *eec1 = msg_named(db, "EEC1");
	assert_int_equal(eec1->flags & DBC_MSG_J1939, 0);
	int sa;
	assert_null(lookup_sa(db, 0x0CFEF103, X, &sa));
	assert_int_equal(sa, -1);
	assert_null(lookup_sa(db, 0x18EA00F9, X, &sa));
	assert_ptr_equal(lookup_sa(db, 0x18FEF100, X, &sa), eec1);
	assert_int_equal(sa, -1);
	/* The same number as a standard id is not the message either. */
	assert_null(lookup_sa(db, 0x100, 0, &sa));
	dbc_free(db);
}

static void test_standard_vs_extended(void **state)
{
	(void)state;
	/* 2147483904 = 0x80000100: extended 0x100. */
	struct dbc_db *db = load_text("BO_ 256 Std100: 8 E\n"
				      " SG_ A : 0|8@1+ (1,0) [0|0] \"\" X\n"
				      "BO_ 2147483904 Ext100: 8 E\n"
				      " SG_ B : 0|16@1+ (1,0) [0|0] \"\" X\n");
	const struct dbc_message *s = msg_named(db, "Std100"), *e = msg_named(db, "Ext100");
	int sa;
	assert_ptr_equal(lookup_sa(db, 0x100, 0, &sa), s);
	assert_ptr_equal(lookup_sa(db, 0x100, X, &sa), e);
	assert_null(lookup_sa(db, 0x101, 0, &sa));
	assert_null(lookup_sa(db, 0x101, X, &sa));
	/* FD flags do not change the id space. */
	assert_ptr_equal(lookup_sa(db, 0x100, EVGW_FRAME_FD | EVGW_FRAME_BRS, &sa), s);
	assert_ptr_equal(lookup_sa(db, 0x100, X | EVGW_FRAME_FD, &sa), e);
	dbc_free(db);
}

static void test_remote_and_error_frames(void **state)
{
	(void)state;
	struct dbc_db *db = load_text(j1939_pg_text);
	int sa;
	assert_null(lookup_sa(db, 0x100, EVGW_FRAME_RTR, &sa));
	assert_int_equal(sa, -1);
	assert_null(lookup_sa(db, 0x18FEF100, X | EVGW_FRAME_RTR, &sa));
	assert_int_equal(sa, -1);
	assert_null(lookup_sa(db, 0x0CFEF103, X | EVGW_FRAME_RTR, &sa));
	assert_null(lookup_sa(db, 0x100, EVGW_FRAME_ERR, &sa));
	assert_int_equal(sa, -1);
	assert_null(lookup_sa(db, 0x18FEF100, X | EVGW_FRAME_ERR, &sa));
	/* The same ids as data frames do match. */
	assert_non_null(lookup_sa(db, 0x100, 0, &sa));
	assert_non_null(lookup_sa(db, 0x18FEF100, X, &sa));
	dbc_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_sweep),
		cmocka_unit_test(test_spot_checks),
		cmocka_unit_test(test_phys_to_raw),
		cmocka_unit_test(test_simple_mux),
		cmocka_unit_test(test_extended_mux),
		cmocka_unit_test(test_mux_switch_absent),
		cmocka_unit_test(test_short_frame),
		cmocka_unit_test(test_canfd_64_bytes),
		cmocka_unit_test(test_j1939_vframeformat),
		cmocka_unit_test(test_j1939_protocol_type),
		cmocka_unit_test(test_not_j1939_exact_id_only),
		cmocka_unit_test(test_standard_vs_extended),
		cmocka_unit_test(test_remote_and_error_frames),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
