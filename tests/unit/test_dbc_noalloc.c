// SPDX-License-Identifier: MIT
/* The frame path allocates nothing: dbc_lookup, dbc_decode and
 * dbc_signal_label over 100000 frames leave the heap call counts unchanged.
 *
 * Counting uses the linker's symbol wrapping. This program must be linked
 * with
 *     -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free
 * so that every call to malloc (etc.) from this file and from evgw_core goes
 * to __wrap_malloc below, which counts and forwards to the real one. Without
 * those options the wrappers are never called, the __real_* references
 * (weak) stay NULL, and the tests skip. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "can/frame.h"
#include "dbc/dbc.h"
#include "dbc/dbc_decode.h"

/* ---- counting allocator -------------------------------------------------------- */

void *__real_malloc(size_t size) __attribute__((weak));
void *__real_calloc(size_t n, size_t size) __attribute__((weak));
void *__real_realloc(void *p, size_t size) __attribute__((weak));
void __real_free(void *p) __attribute__((weak));

void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
void __wrap_free(void *p);

static volatile unsigned long n_malloc, n_calloc, n_realloc, n_free;

void *__wrap_malloc(size_t size)
{
	n_malloc++;
	return __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
	n_calloc++;
	return __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
	n_realloc++;
	return __real_realloc(p, size);
}

void __wrap_free(void *p)
{
	n_free++;
	__real_free(p);
}

struct heap_counts {
	unsigned long m, c, r, f;
};

static struct heap_counts heap_now(void)
{
	struct heap_counts h = {n_malloc, n_calloc, n_realloc, n_free};
	return h;
}

/* True when malloc and free really pass through the wrappers (called
 * through volatile pointers so the compiler cannot drop the pair). */
static bool wrapping_active(void)
{
	if (!__real_malloc || !__real_calloc || !__real_realloc || !__real_free)
		return false;
	void *(*volatile mf)(size_t) = malloc;
	void (*volatile ff)(void *) = free;
	unsigned long m0 = n_malloc, f0 = n_free;
	void *p = mf(32);
	ff(p);
	return n_malloc == m0 + 1 && n_free == f0 + 1;
}

#define REQUIRE_WRAPPING()                                                                  \
	do {                                                                                \
		if (!wrapping_active()) {                                                   \
			print_message("not linked with -Wl,--wrap=malloc,--wrap=calloc,"    \
				      "--wrap=realloc,--wrap=free: skipped\n");             \
			skip();                                                             \
		}                                                                           \
	} while (0)

/* ---- a DBC with a few hundred signals -------------------------------------------------- */

#define N_STD 30    /* standard messages, 8 signals each */
#define N_J1939 10  /* PDU2 J1939 messages, 8 signals each */

struct gen {
	char *t;
	size_t len, cap;
};

static void put(struct gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct gen *g, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(g->t + g->len, g->cap - g->len, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < g->cap - g->len);
	g->len += (size_t)n;
}

static char *make_dbc(void)
{
	struct gen g = {malloc(1u << 18), 0, 1u << 18};
	assert_non_null(g.t);
	put(&g, "VERSION \"\"\nBU_: ECU Engine Tool\n");
	/* Standard messages 0x100.., bytes 0..7: Intel and Motorola, signed and
	 * not, scaled, with value tables. */
	for (int i = 0; i < N_STD; i++) {
		put(&g, "BO_ %d Std%d: 8 ECU\n", 0x100 + i, i);
		for (int k = 0; k < 8; k++) {
			if (k % 2)
				put(&g, " SG_ S%d_%d : %d|8@0%c (0.5,-10) [0|0] \"u\" ECU\n", i, k, k * 8 + 7,
				    k % 4 == 1 ? '-' : '+');
			else
				put(&g, " SG_ S%d_%d : %d|8@1%c (1,0) [0|0] \"\" ECU\n", i, k, k * 8,
				    k % 4 == 0 ? '-' : '+');
		}
	}
	/* Simple and cascaded multiplexing, 0x200. */
	put(&g, "BO_ 512 Mux: 8 ECU\n SG_ Sel M : 0|8@1+ (1,0) [0|0] \"\" ECU\n");
	for (int v = 0; v < 16; v++)
		put(&g, " SG_ MuxA%d m%d : 8|16@1+ (1,0) [0|0] \"\" ECU\n", v, v);
	put(&g, " SG_ Sub m16M : 24|8@1+ (1,0) [0|0] \"\" ECU\n"
		" SG_ Leaf m3 : 32|32@0- (0.1,0) [0|0] \"\" ECU\n");
	/* J1939 PDU2 messages 0x18FF00xx..: PGN 0xFF00+i. */
	for (int i = 0; i < N_J1939; i++) {
		put(&g, "BO_ %u J%d: 8 Engine\n", 0x80000000u | 0x18FF0000u | (unsigned)i << 8, i);
		for (int k = 0; k < 8; k++)
			put(&g, " SG_ J%d_%d : %d|8@1+ (1,0) [0|0] \"\" ECU\n", i, k, k * 8);
	}
	/* PDU1 (Request, 0x18EAFFFE) and a 64-byte FD message with a nine-byte
	 * signal (the bitwise path). */
	put(&g, "BO_ %u Req: 3 Tool\n SG_ ReqPGN : 0|24@1+ (1,0) [0|0] \"\" ECU\n",
	    0x80000000u | 0x18EAFFFEu);
	put(&g, "BO_ 1024 Fd: 64 ECU\n");
	for (int k = 0; k < 15; k++)
		put(&g, " SG_ Fd%d : %d|32@1+ (1,0) [0|0] \"\" ECU\n", k, k * 32);
	put(&g, " SG_ FdWide : 444|64@1+ (1,0) [0|0] \"\" ECU\n");
	/* Value tables on every standard signal and the switch. */
	for (int i = 0; i < N_STD; i++)
		for (int k = 0; k < 8; k++)
			put(&g, "VAL_ %d S%d_%d 0 \"Zero\" 1 \"One\" 2 \"Two\" -1 \"MinusOne\" 100 \"Hundred\";\n",
			    0x100 + i, i, k);
	put(&g, "VAL_ 512 Sel 0 \"A\" 3 \"D\" 16 \"Sub\";\n");
	put(&g, "SG_MUL_VAL_ 512 Sub Sel 16-16;\nSG_MUL_VAL_ 512 Leaf Sub 3-3, 5-9;\n");
	put(&g, "BA_DEF_ \"ProtocolType\" STRING ;\nBA_ \"ProtocolType\" \"J1939\";\n");
	return g.t;
}

/* ---- frames --------------------------------------------------------------------------------- */

static uint64_t rng_state = 0x853C49E6748FEA9Bull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

#define N_FRAMES 4096

static struct evgw_frame frames[N_FRAMES];

static void make_frames(void)
{
	for (int i = 0; i < N_FRAMES; i++) {
		struct evgw_frame *f = &frames[i];
		memset(f, 0, sizeof *f);
		f->len = 8;
		for (int k = 0; k < 64; k++)
			f->data[k] = (uint8_t)rnd();
		unsigned kind = (unsigned)(rnd() % 10);
		unsigned prio = (unsigned)(rnd() % 8), sa = (unsigned)(rnd() % 256);
		switch (kind) {
		case 0: case 1: case 2:
			f->id = 0x100 + (uint32_t)(rnd() % N_STD);
			break;
		case 3:
			f->id = 0x200;
			/* The switch: mostly the values that select something. */
			f->data[0] = (uint8_t)(rnd() % 2 ? 16 : rnd() % 20);
			f->data[3] = (uint8_t)(rnd() % 10);
			break;
		case 4: case 5:
			/* J1939 PDU2 from any priority and source. */
			f->id = prio << 26 | (0xFF00u + (uint32_t)(rnd() % N_J1939)) << 8 | sa;
			f->flags = EVGW_FRAME_EXT;
			break;
		case 6:
			/* J1939 PDU1 request to any destination. */
			f->id = prio << 26 | 0xEA00u << 8 | (uint32_t)(rnd() % 256) << 8 | sa;
			f->flags = EVGW_FRAME_EXT;
			f->len = 3;
			break;
		case 7:
			f->id = 1024;
			f->flags = EVGW_FRAME_FD;
			f->len = rnd() % 4 ? 64 : 32;
			break;
		case 8:
			/* Unknown ids, both kinds. */
			f->id = (uint32_t)(rnd() & EVGW_CAN_EFF_MASK);
			f->flags = rnd() % 2 ? EVGW_FRAME_EXT : 0;
			if (!(f->flags & EVGW_FRAME_EXT))
				f->id &= EVGW_CAN_SFF_MASK;
			break;
		default:
			/* Short frames, remote and error frames of known ids. */
			f->id = 0x100 + (uint32_t)(rnd() % N_STD);
			f->len = (uint8_t)(rnd() % 8);
			if (rnd() % 3 == 0)
				f->flags = rnd() % 2 ? EVGW_FRAME_RTR : EVGW_FRAME_ERR;
			break;
		}
		f->dlc = f->len;
	}
}

/* ---- tests ------------------------------------------------------------------------------------ */

/* The counters see evgw_core's allocations: loading does allocate. */
static void test_counting_reaches_the_library(void **state)
{
	(void)state;
	REQUIRE_WRAPPING();
	char *text = make_dbc();
	struct heap_counts h0 = heap_now();
	struct dbc_db *db = NULL;
	assert_int_equal(dbc_load_buffer(text, strlen(text), "n.dbc", NULL, &db), 0);
	struct heap_counts h1 = heap_now();
	assert_true(h1.m + h1.c + h1.r > h0.m + h0.c + h0.r);
	dbc_free(db);
	assert_true(heap_now().f > h1.f);
	free(text);
}

static void test_decode_path_allocates_nothing(void **state)
{
	(void)state;
	REQUIRE_WRAPPING();
	char *text = make_dbc();
	struct dbc_db *db = NULL;
	assert_int_equal(dbc_load_buffer(text, strlen(text), "n.dbc", NULL, &db), 0);
	assert_true(db->n_signals >= 300);
	make_frames();
	static struct dbc_value out[64];
	uint32_t max_sigs = 0;
	for (uint32_t i = 0; i < db->n_messages; i++)
		if (db->messages[i]->n_signals > max_sigs)
			max_sigs = db->messages[i]->n_signals;
	assert_true(max_sigs <= 64);

	unsigned long hits = 0, j1939_hits = 0, mux_hits = 0, labels = 0, values = 0;
	double acc = 0;
	struct heap_counts h0 = heap_now();
	for (int i = 0; i < 100000; i++) {
		const struct evgw_frame *f = &frames[i % N_FRAMES];
		int sa;
		const struct dbc_message *m = dbc_lookup(db, f, &sa);
		if (!m)
			continue;
		hits++;
		if (sa >= 0)
			j1939_hits++;
		if (m->has_mux)
			mux_hits++;
		uint32_t n = dbc_decode(m, f, out);
		values += n;
		for (uint32_t k = 0; k < n; k++) {
			const struct dbc_text *t = dbc_signal_label(out[k].sig, out[k].raw);
			if (t) {
				labels++;
				acc += t->len;
			}
			acc += out[k].phys;
		}
	}
	struct heap_counts h1 = heap_now();
	print_message("%lu hits (%lu J1939, %lu multiplexed), %lu values, %lu labels (%g)\n", hits,
		      j1939_hits, mux_hits, values, labels, acc);
	if (h1.m != h0.m || h1.c != h0.c || h1.r != h0.r || h1.f != h0.f)
		fail_msg("the frame path called malloc %lu, calloc %lu, realloc %lu, free %lu times",
			 h1.m - h0.m, h1.c - h0.c, h1.r - h0.r, h1.f - h0.f);
	/* The loop did exercise every path. */
	assert_true(hits > 50000);
	assert_true(j1939_hits > 10000);
	assert_true(mux_hits > 5000);
	assert_true(labels > 1000);
	dbc_free(db);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counting_reaches_the_library),
		cmocka_unit_test(test_decode_path_allocates_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
