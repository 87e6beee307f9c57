// SPDX-License-Identifier: MIT
/* Malformed DBC input: where each problem is reported, what strict and
 * lenient loading do with it, and that no input makes the loader read past
 * the end of its text or crash.
 *
 * Where a diagnostic points, worked out by hand for each case: at the first
 * byte of the offending token; for a token that is missing, at whatever
 * stands in its place; for a statement that cannot stand where it is (SG_
 * without a message), at the statement's keyword. Columns are 1-based bytes.
 *
 * The crash tests copy the text so that its last byte sits right before an
 * inaccessible page (as a mapped file that ends on a page boundary would),
 * and load it in a child process: reading even one byte past the end, or any
 * crash, shows up as the child dying from a signal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "can/frame.h"
#include "dbc/dbc.h"
#include "dbc/dbc_decode.h"
#include "test_support.h"

/* ---- helpers -------------------------------------------------------------- */


static int load(const char *text, bool strict, struct diags *dg, struct dbc_db **db)
{
	memset(dg, 0, sizeof *dg);
	struct dbc_load_opts o = {strict, diag_cb, dg};
	*db = (struct dbc_db *)(uintptr_t)1; /* must be overwritten */
	return dbc_load_buffer(text, strlen(text), "e.dbc", &o, db);
}

/* Lenient load that must succeed. */
static struct dbc_db *load_lenient(const char *text, struct diags *dg)
{
	struct dbc_db *db;
	int r = load(text, false, dg, &db);
	if (r != 0 || !db) {
		dump_diags(dg);
		fail_msg("lenient load returned %d", r);
	}
	return db;
}

struct want_diag {
	uint32_t line, col;
	enum dbc_severity sev;
};

/* True when the diagnostics are exactly `want`, in order; else says how not. */
static bool diags_match(const char *what, const struct diags *dg, const struct want_diag *want,
			unsigned n)
{
	bool ok = dg->n == n;
	for (unsigned i = 0; ok && i < n; i++)
		ok = dg->d[i].line == want[i].line && dg->d[i].col == want[i].col &&
		     dg->d[i].sev == want[i].sev;
	if (!ok) {
		print_message("%s: want", what);
		for (unsigned i = 0; i < n; i++)
			print_message(" %u:%u(%s)", want[i].line, want[i].col,
				      want[i].sev == DBC_ERROR ? "error" : "warning");
		print_message(", got:\n");
		dump_diags(dg);
	}
	return ok;
}

static void expect_diags(const char *what, const struct diags *dg, const struct want_diag *want,
			 unsigned n)
{
	if (!diags_match(what, dg, want, n))
		fail_msg("%s: diagnostics differ", what);
}

static const struct dbc_message *find_msg(const struct dbc_db *db, const char *name)
{
	return dbc_find_message_by_name(db, name);
}

static bool has_signal(const struct dbc_db *db, const char *msg, const char *sig)
{
	const struct dbc_message *m = find_msg(db, msg);
	return m && dbc_find_signal(db, m, sig);
}

#define E(l, c) {(l), (c), DBC_ERROR}
#define W(l, c) {(l), (c), DBC_WARNING}
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* One malformed input in lenient mode: the exact diagnostics, then (when
 * the input has an error) strict mode fails with -EINVAL and reports only the
 * first error. */
struct err_case {
	const char *name;
	const char *text;
	struct want_diag want[4];
	unsigned n_want;
};

/* Checks one case; a mismatch is printed and counted, so that every case
 * of a test runs (the test fails at its end, see CASES_DONE). */
static bool run_case(const struct err_case *c)
{
	struct diags dg;
	struct dbc_db *db;
	bool ok = true;
	int r = load(c->text, false, &dg, &db);
	if (r != 0) {
		dump_diags(&dg);
		print_message("%s: lenient load returned %d\n", c->name, r);
		return false;
	}
	ok &= diags_match(c->name, &dg, c->want, c->n_want);
	unsigned n_err = 0;
	for (unsigned i = 0; i < c->n_want; i++)
		n_err += c->want[i].sev == DBC_ERROR;
	if (db->n_errors != n_err) {
		print_message("%s: n_errors %u, want %u\n", c->name, db->n_errors, n_err);
		ok = false;
	}
	dbc_free(db);

	r = load(c->text, true, &dg, &db);
	if (n_err) {
		if (r != -EINVAL || db) {
			print_message("%s: strict load returned %d, want -EINVAL\n", c->name, r);
			dbc_free(r == 0 ? db : NULL);
			return false;
		}
		/* Everything up to and including the first error, nothing after. */
		unsigned first = 0;
		while (c->want[first].sev != DBC_ERROR)
			first++;
		char what[96];
		snprintf(what, sizeof what, "%s (strict)", c->name);
		ok &= diags_match(what, &dg, c->want, first + 1);
	} else {
		if (r != 0) {
			print_message("%s: strict load returned %d, want 0\n", c->name, r);
			return false;
		}
		dbc_free(db);
	}
	return ok;
}

#define CASES_BEGIN unsigned bad_cases_ = 0, all_cases_ = 0
#define CASE(nm, txt, ...)                                                              \
	do {                                                                            \
		const struct want_diag w_[] = {__VA_ARGS__};                             \
		struct err_case c_ = {(nm), (txt), {{0}}, N_OF(w_)};                    \
		memcpy(c_.want, w_, sizeof w_);                                          \
		all_cases_++;                                                            \
		bad_cases_ += !run_case(&c_);                                            \
	} while (0)
#define CASES_DONE                                                                      \
	do {                                                                            \
		if (bad_cases_)                                                          \
			fail_msg("%u of %u cases failed (see above)", bad_cases_, all_cases_); \
	} while (0)

/* ---- the loader in a child, text before a guard page ---------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

/* In the child: use what loaded, the way the gateway would. */
static void exercise(const struct dbc_db *db)
{
	struct dbc_value out[4096];
	for (uint32_t i = 0; i < db->n_messages; i++) {
		const struct dbc_message *m = db->messages[i];
		struct evgw_frame f;
		memset(&f, 0, sizeof f);
		f.id = m->id & (m->flags & DBC_MSG_EXTENDED ? EVGW_CAN_EFF_MASK : EVGW_CAN_SFF_MASK);
		f.flags = (m->flags & DBC_MSG_EXTENDED ? EVGW_FRAME_EXT : 0) | EVGW_FRAME_FD;
		f.len = 64;
		for (int k = 0; k < 64; k++)
			f.data[k] = (uint8_t)rnd();
		int sa;
		const struct dbc_message *hit = dbc_lookup(db, &f, &sa);
		if (!hit || hit->n_signals > 4096)
			continue;
		uint32_t n = dbc_decode(hit, &f, out);
		for (uint32_t k = 0; k < n; k++)
			(void)dbc_signal_label(out[k].sig, out[k].raw);
	}
}

enum { CHILD_LOADED = 0, CHILD_EINVAL = 1, CHILD_OTHER = 2 };

/* CHILD_* from the child's exit, or -signal when it died. */
static int guarded_load(const char *text, size_t len, bool strict)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t np = len ? (len + pg - 1) / pg : 1;
	char *base = mmap(NULL, (np + 1) * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	assert_true(base != MAP_FAILED);
	char *end = base + np * pg;
	assert_int_equal(mprotect(end, pg, PROT_NONE), 0);
	char *p = end - len;
	memcpy(p, text, len);
	assert_int_equal(mprotect(base, np * pg, PROT_READ), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct dbc_load_opts o = {strict, NULL, NULL};
		struct dbc_db *db = NULL;
		int r = dbc_load_buffer(p, len, "g.dbc", &o, &db);
		if (r == 0)
			exercise(db);
		dbc_free(db);
		_exit(r == 0 ? CHILD_LOADED : r == -EINVAL ? CHILD_EINVAL : CHILD_OTHER);
	}
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	munmap(base, (np + 1) * pg);
	if (WIFSIGNALED(st))
		return -WTERMSIG(st);
	return WEXITSTATUS(st);
}

/* Print a text with control and high bytes escaped. */
static void print_escaped(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			print_message("\\n");
		else if (c < 0x20 || c >= 0x7F)
			print_message("\\x%02X", c);
		else
			print_message("%c", c);
	}
}

/* ---- unterminated strings ------------------------------------------------------------ */

static void test_unterminated_string_at_eof(void **state)
{
	(void)state;
	CASES_BEGIN;
	/* "CM_ \"never...": the opening quote is column 5 of line 2. */
	CASE("comment", "BU_: A\nCM_ \"never closed\nstill open", E(2, 5));
	/* " SG_ S : 0|8@1+ (1,0) [0|255] \"deg": count 1 ' ', 2-4 SG_, 5 ' ',
	 * 6 S, 7 ' ', 8 ':', 9 ' ', 10 '0', 11 '|', 12 '8', 13 '@', 14 '1',
	 * 15 '+', 16 ' ', 17-21 (1,0), 22 ' ', 23-29 [0|255], 30 ' ', 31 '"'. */
	CASE("unit", "BO_ 256 M: 8 E\n SG_ S : 0|8@1+ (1,0) [0|255] \"deg", E(2, 31));
	/* "VAL_ 256 S 0 \"Off\" 1 \"On": the last quote is column 22. */
	CASE("value text",
	     "BO_ 256 M: 8 E\n SG_ S : 0|8@1+ (1,0) [0|255] \"\" X\nVAL_ 256 S 0 \"Off\" 1 \"On",
	     E(3, 22));
	/* An escaped quote does not close the string. "VERSION \"": column 9. */
	CASE("escaped quote", "VERSION \"1.0\\\"", E(1, 9));

	struct diags dg;
	struct dbc_db *db = load_lenient("BU_: A\nCM_ \"never closed\nstill open", &dg);
	assert_int_equal(db->n_nodes, 1);
	assert_int_equal(db->n_comments, 0);
	dbc_free(db);
	db = load_lenient("BO_ 256 M: 8 E\n SG_ S : 0|8@1+ (1,0) [0|255] \"deg", &dg);
	assert_int_equal(find_msg(db, "M")->n_signals, 0);
	dbc_free(db);
	CASES_DONE;
}

/* ---- SG_ fields ---------------------------------------------------------------------- */

static void test_start_bit_limit(void **state)
{
	(void)state;
	CASES_BEGIN;
	/* " SG_ S : 512|...": the start bit starts in column 10. */
	CASE("start 512", "BO_ 256 M: 64 E\n SG_ S : 512|8@1+ (1,0) [0|255] \"\" X\n", E(2, 10));
	CASE("start 70000", "BO_ 256 M: 64 E\n SG_ S : 70000|8@1+ (1,0) [0|255] \"\" X\n",
	     E(2, 10));
	CASE("start 2^64", "BO_ 256 M: 64 E\n SG_ S : 18446744073709551616|8@1+ (1,0) [0|255] \"\" X\n",
	     E(2, 10));
	/* 511 is the last bit of a 64-byte frame: fine. */
	struct diags dg;
	struct dbc_db *db = load_lenient("BO_ 256 M: 64 E\n SG_ S : 511|1@1+ (1,0) [0|1] \"\" X\n", &dg);
	assert_int_equal(dg.n, 0);
	assert_true(has_signal(db, "M", "S"));
	dbc_free(db);
	CASES_DONE;
}

static void test_length_limits(void **state)
{
	(void)state;
	CASES_BEGIN;
	/* " SG_ S : 0|0@1+": 10 '0', 11 '|', 12 the length. */
	CASE("length 0", "BO_ 256 M: 8 E\n SG_ S : 0|0@1+ (1,0) [0|255] \"\" X\n", E(2, 12));
	CASE("length 65", "BO_ 256 M: 8 E\n SG_ S : 0|65@1+ (1,0) [0|255] \"\" X\n", E(2, 12));
	/* 1 and 64 are fine. */
	struct diags dg;
	struct dbc_db *db = load_lenient("BO_ 256 M: 8 E\n"
					 " SG_ One : 0|1@1+ (1,0) [0|1] \"\" X\n"
					 " SG_ Full : 0|64@1+ (1,0) [0|1] \"\" X\n",
					 &dg);
	assert_int_equal(dg.n, 0);
	assert_int_equal(find_msg(db, "M")->n_signals, 2);
	dbc_free(db);
	CASES_DONE;
}

static void test_byte_order_and_sign(void **state)
{
	(void)state;
	CASES_BEGIN;
	/* " SG_ S : 0|8@2+": 12 '8', 13 '@', 14 the byte order. */
	CASE("@2", "BO_ 256 M: 8 E\n SG_ S : 0|8@2+ (1,0) [0|255] \"\" X\n", E(2, 14));
	/* ... 14 '1', 15 the sign. */
	CASE("sign *", "BO_ 256 M: 8 E\n SG_ S : 0|8@1* (1,0) [0|255] \"\" X\n", E(2, 15));
	/* " SG_ S : 0|8@1+ (1;0)": 17 '(', 18 '1', 19 ';' where ',' belongs. */
	CASE("factor,offset", "BO_ 256 M: 8 E\n SG_ S : 0|8@1+ (1;0) [0|255] \"\" X\n", E(2, 19));
	CASES_DONE;
}

static void test_signal_without_message(void **state)
{
	(void)state;
	CASES_BEGIN;
	CASE("first statement", "SG_ S : 0|8@1+ (1,0) [0|255] \"\" X\n", E(1, 1));
	CASE("indented", "VERSION \"\"\n SG_ S : 0|8@1+ (1,0) [0|255] \"\" X\n", E(2, 2));
	/* After a message that failed ("BO_ 256 M: 65 E": length at column 12),
	 * its signals have no message either. */
	CASE("after a bad BO_",
	     "BO_ 256 M: 65 E\n SG_ S : 0|8@1+ (1,0) [0|255] \"\" X\n", E(1, 12), E(2, 2));
	/* Another statement between BO_ and SG_ ends the message. */
	CASE("after CM_",
	     "BO_ 256 M: 8 E\nCM_ \"x\";\n SG_ S : 0|8@1+ (1,0) [0|255] \"\" X\n", E(3, 2));
	CASES_DONE;
}

/* ---- BO_ fields ------------------------------------------------------------------------ */

static void test_message_length(void **state)
{
	(void)state;
	CASES_BEGIN;
	/* "BO_ 256 M: 65 E": B1 O2 _3 ' '4 '256' 5-7 ' '8 M9 :10 ' '11 -> 12. */
	CASE("length 65", "BO_ 256 M: 65 E\n", E(1, 12));
	CASE("length 1000", "BO_ 256 M: 1000 E\n", E(1, 12));
	struct diags dg;
	struct dbc_db *db = load_lenient("BO_ 256 M: 65 E\nBO_ 257 N: 64 E\n", &dg);
	assert_int_equal(db->n_messages, 1);
	assert_null(find_msg(db, "M"));
	assert_int_equal(find_msg(db, "N")->length, 64);
	dbc_free(db);
	CASES_DONE;
}

static void test_message_id_too_large(void **state)
{
	(void)state;
	CASES_BEGIN;
	/* The id starts in column 5. 4294967296 = 2^32 does not fit 32 bits. */
	CASE("2^32", "BO_ 4294967296 M: 8 E\n", E(1, 5));
	CASE("over 2^64", "BO_ 99999999999999999999 M: 8 E\n", E(1, 5));
	/* 2684354560 = 0xA0000000: extended, but 0x20000000 needs 30 bits:
	 * a warning, kept (references resolve), matching no frame. */
	CASE("30-bit extended", "BO_ 2684354560 W: 8 E\n", W(1, 5));
	/* 2048 = 0x800 without bit 31: a standard id wider than 11 bits. */
	CASE("12-bit standard", "BO_ 2048 S: 8 E\n", W(1, 5));

	struct diags dg;
	struct dbc_db *db = load_lenient("BO_ 2684354560 W: 8 E\n", &dg);
	const struct dbc_message *w = find_msg(db, "W");
	assert_non_null(w);
	assert_true(w->flags & DBC_MSG_PSEUDO);
	struct evgw_frame f;
	memset(&f, 0, sizeof f);
	f.flags = EVGW_FRAME_EXT;
	f.len = 8;
	static const uint32_t ids[] = {0, 0x20000000 & EVGW_CAN_EFF_MASK, 0x1FFFFFFF};
	for (size_t i = 0; i < N_OF(ids); i++) {
		f.id = ids[i];
		assert_null(dbc_lookup(db, &f, NULL));
	}
	dbc_free(db);
	CASES_DONE;
}

/* ---- other statements ------------------------------------------------------------------ */

static void test_other_statement_errors(void **state)
{
	(void)state;
	CASES_BEGIN;
	/* "BO_ 256 M 8 E": the ':' is missing, '8' stands at column 11; the
	 * SG_ below then has no message. */
	CASE("BO_ without ':'", "BO_ 256 M 8 E\n SG_ S : 0|8@1+ (1,0) [0|255] \"\" X\n", E(1, 11),
	     E(2, 2));
	/* "BA_DEF_ BO_ \"X\" INTEGER 0 1;": INTEGER at column 17. */
	CASE("attribute type", "BA_DEF_ BO_ \"X\" INTEGER 0 1;\n", E(1, 17));
	/* "CM_ XX_ 1 \"x\";": XX_ at column 5. */
	CASE("comment target", "CM_ XX_ 1 \"x\";\n", E(1, 5));
	/* "  {oops}": no keyword, '{' at column 3. The BO_ after it loads. */
	CASE("no keyword", "VERSION \"\"\n  {oops}\nBO_ 256 M: 8 E\n", E(2, 3));
	/* "SG_MUL_VAL_ 768 Sub Sw 5-3;": the empty range starts at column 24. */
	CASE("empty range",
	     "BO_ 768 X: 8 E\n"
	     " SG_ Sw M : 0|8@1+ (1,0) [0|255] \"\" X\n"
	     " SG_ Sub m1 : 8|8@1+ (1,0) [0|255] \"\" X\n"
	     "SG_MUL_VAL_ 768 Sub Sw 5-3;\n",
	     E(4, 24));
	/* "VAL_ 256 S 0 \"Off\" 1 ;": a value without its text; ';' at column 22. */
	CASE("value without text",
	     "BO_ 256 M: 8 E\n SG_ S : 0|8@1+ (1,0) [0|255] \"\" X\nVAL_ 256 S 0 \"Off\" 1 ;\n",
	     E(3, 22));
	/* References to unknown objects are warnings at the reference:
	 * "CM_ BO_ 999 \"x\";" -> 999 at column 9;
	 * "VAL_ 256 Nope 1 \"x\";" -> Nope at column 10. */
	CASE("unknown message", "CM_ BO_ 999 \"x\";\n", W(1, 9));
	CASE("unknown signal", "BO_ 256 M: 8 E\nVAL_ 256 Nope 1 \"x\";\n", W(2, 10));
	CASES_DONE;
}

static void test_lines_counted_through_strings(void **state)
{
	(void)state;
	CASES_BEGIN;
	/* A comment over three lines: the bad BO_ is on line 4. */
	CASE("multi-line", "CM_ \"a\nb\nc\";\nBO_ 256 M: 65 E\n", E(4, 12));
	/* A backslash-newline inside a string still ends a line. */
	CASE("escaped newline", "CM_ \"a\\\nb\";\nBO_ 256 M: 65 E\n", E(3, 12));
	/* CRLF line ends: '\r' is not a column of the next line. */
	CASE("CRLF", "BU_: A\r\nCM_ \"x\r\ny\";\r\nBO_ 256 M: 65 E\r\n", E(4, 12));
	/* Tabs count as one column. */
	CASE("tab", "BO_ 256 M: 8 E\n\tSG_ S : 0|8@9+ (1,0) [0|255] \"\" X\n", E(2, 14));
	CASES_DONE;
}

/* ---- strict and lenient ------------------------------------------------------------------- */

static const char four_signals[] =
	"BO_ 256 M: 8 E\n"
	" SG_ A : 0|8@1+ (1,0) [0|255] \"\" X\n"
	" SG_ B : 8|8@2+ (1,0) [0|255] \"\" X\n"   /* '2' at column 14 */
	" SG_ C : 16|8@1+ (1,0) [0|255] \"\" X\n"
	" SG_ D : 24|8@3+ (1,0) [0|255] \"\" X\n"  /* '3' at column 15 */
	"BU_: N1\n";

static void test_strict_fails_on_first_error(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db;
	int r = load(four_signals, true, &dg, &db);
	assert_int_equal(r, -EINVAL);
	assert_null(db);
	const struct want_diag w[] = {E(3, 14)};
	expect_diags("strict", &dg, w, 1);

	/* Warnings alone do not fail a strict load. */
	r = load("FOO_ x;\nBU_: 1ECU\nBO_ 256 M: 8 1ECU\n", true, &dg, &db);
	if (r != 0) {
		dump_diags(&dg);
		fail_msg("strict load with warnings only returned %d", r);
	}
	assert_int_equal(dg.n_warn, 2);
	assert_int_equal(db->n_messages, 1);
	dbc_free(db);
}

static void test_lenient_keeps_good_statements(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_lenient(four_signals, &dg);
	const struct want_diag w[] = {E(3, 14), E(5, 15)};
	expect_diags("lenient", &dg, w, 2);
	assert_int_equal(db->n_errors, 2);
	const struct dbc_message *m = find_msg(db, "M");
	assert_non_null(m);
	assert_int_equal(m->n_signals, 2);
	assert_true(has_signal(db, "M", "A"));
	assert_true(has_signal(db, "M", "C"));
	assert_false(has_signal(db, "M", "B"));
	assert_int_equal(db->n_nodes, 1);
	dbc_free(db);
}

/* A bad line whose problem shows only at the next line (the unit is
 * missing): still one bad line costs one statement. */
static void test_lenient_error_found_on_next_line(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_lenient("BO_ 256 M: 8 E\n"
					 " SG_ A : 0|8@1+ (1,0) [0|255] \"\" X\n"
					 " SG_ B : 8|8@1+ (1,0) [0|255]\n"
					 " SG_ C : 16|8@1+ (1,0) [0|255] \"\" X\n"
					 "BU_: N1\n",
					 &dg);
	assert_int_equal(dg.n_err, 1);
	assert_true(has_signal(db, "M", "A"));
	assert_false(has_signal(db, "M", "B"));
	if (!has_signal(db, "M", "C")) {
		dump_diags(&dg);
		fail_msg("signal C on the line after the bad one was lost");
	}
	assert_int_equal(db->n_nodes, 1);
	dbc_free(db);
}

/* An unknown keyword whose line has no ';' (statements like BO_ and SG_
 * have none) must not take the following statements with it. */
static void test_unknown_keyword_without_semicolon(void **state)
{
	(void)state;
	struct diags dg;
	struct dbc_db *db = load_lenient("FOO_ 1 2\n"
					 "BO_ 256 M: 8 E\n"
					 " SG_ S : 0|8@1+ (1,0) [0|255] \"\" X\n"
					 "BU_: N1\n",
					 &dg);
	const struct want_diag w[] = {W(1, 1)};
	expect_diags("unknown keyword", &dg, w, 1);
	if (!has_signal(db, "M", "S") || db->n_nodes != 1)
		fail_msg("statements after the unknown keyword were lost (%u messages, %u nodes)",
			 db->n_messages, db->n_nodes);
	dbc_free(db);
}

/* ---- truncation ---------------------------------------------------------------------------- */

static const char full_sg_line[] = " SG_ Sig m3M : 12|16@0- (0.5,-3) [-10|10] \"km/h\" A,B";

/* Every prefix of a SG_ line at the end of the file, strict and lenient:
 * no crash, no read past the end. */
static void test_truncated_sg_at_eof(void **state)
{
	(void)state;
	static const char head[] = "BO_ 256 M: 8 E\n SG_ Sw M : 0|8@1+ (1,0) [0|255] \"\" X\n";
	char text[512];
	size_t n = strlen(full_sg_line);
	unsigned bad = 0;
	for (size_t k = 0; k <= n; k++) {
		size_t len = (size_t)snprintf(text, sizeof text, "%s%.*s", head, (int)k, full_sg_line);
		for (int strict = 0; strict < 2; strict++) {
			int r = guarded_load(text, len, strict);
			if (r < 0 || r == CHILD_OTHER) {
				if (bad++ < 10) {
					print_message("prefix %zu (%s): %s: [", k, strict ? "strict" : "lenient",
						      r < 0 ? strsignal(-r) : "unexpected errno");
					print_escaped(full_sg_line, k);
					print_message("]\n");
				}
			}
			/* The complete line loads even in strict mode. */
			if (k == n && r != CHILD_LOADED)
				fail_msg("the complete SG_ line did not load (%d)", r);
		}
	}
	if (bad)
		fail_msg("%u truncated loads crashed", bad);
}

/* The same prefixes followed by good lines: lenient mode keeps them
 * (prefixes that leave a string open are left out: a DBC string may span
 * lines, so the rest of the file is inside it). */
static void test_truncated_sg_recovery(void **state)
{
	(void)state;
	char text[512];
	size_t n = strlen(full_sg_line);
	unsigned lost = 0, tried = 0;
	for (size_t k = strlen(" SG_ "); k <= n; k++) {
		unsigned quotes = 0;
		for (size_t i = 0; i < k; i++)
			quotes += full_sg_line[i] == '"';
		if (quotes % 2)
			continue;
		snprintf(text, sizeof text,
			 "BO_ 256 M: 8 E\n"
			 " SG_ Sw M : 0|8@1+ (1,0) [0|255] \"\" X\n"
			 "%.*s\n"
			 " SG_ C : 56|8@1+ (1,0) [0|255] \"\" X\n"
			 "BU_: N1\n",
			 (int)k, full_sg_line);
		struct diags dg;
		struct dbc_db *db;
		tried++;
		int r = load(text, false, &dg, &db);
		assert_int_equal(r, 0);
		if (!has_signal(db, "M", "Sw") || !has_signal(db, "M", "C") || db->n_nodes != 1) {
			if (lost++ < 8) {
				print_message("prefix %zu lost the next line: [", k);
				print_escaped(full_sg_line, k);
				print_message("]\n");
			}
		}
		dbc_free(db);
	}
	if (lost)
		fail_msg("%u of %u truncated SG_ lines also lost the good line after them", lost, tried);
}

/* Every prefix of a file that uses every statement kind. */
static const char full_file[] =
	"VERSION \"1.0\"\n"
	"NS_ :\n\tCM_\n\tBA_DEF_\n\n"
	"BS_:\n"
	"BU_: ECU1 ECU2\n"
	"VAL_TABLE_ T 1 \"One\" 0 \"Zero\" ;\n"
	"BO_ 256 M1: 8 ECU1\n"
	" SG_ Sw M : 0|8@1+ (1,0) [0|255] \"\" ECU2\n"
	" SG_ A m1 : 8|16@0- (0.5,-3) [-10|10] \"\xB0" "C\" ECU2,ECU1\n"
	" SG_ F : 32|32@1- (1,0) [0|0] \"\" ECU2\n"
	"BO_ 2566844672 J: 8 ECU1\n"
	" SG_ Sub m2M : 8|8@1+ (1,0) [0|255] \"\" ECU2\n"
	"BO_TX_BU_ 256 : ECU1,ECU2;\n"
	"EV_ EnvA: 0 [0|100] \"\" 0 1 DUMMY_NODE_VECTOR0 ECU1;\n"
	"ENVVAR_DATA_ EnvA: 4;\n"
	"CM_ \"net\";\n"
	"CM_ BU_ ECU1 \"node\";\n"
	"CM_ BO_ 256 \"msg\";\n"
	"CM_ SG_ 256 A \"two\nlines \\\"q\\\"\";\n"
	"CM_ EV_ EnvA \"env\";\n"
	"BA_DEF_ \"ProtocolType\" STRING ;\n"
	"BA_DEF_ BU_ \"NodeHex\" HEX 0 255;\n"
	"BA_DEF_ BO_ \"VFrameFormat\" ENUM \"StandardCAN\",\"ExtendedCAN\",\"J1939PG\";\n"
	"BA_DEF_ SG_ \"SigFloat\" FLOAT -1.5 1.5;\n"
	"BA_DEF_ EV_ \"EvInt\" INT 0 10;\n"
	"BA_DEF_REL_ BU_SG_REL_ \"RelInt\" INT 0 10;\n"
	"BA_DEF_DEF_ \"NodeHex\" 16;\n"
	"BA_DEF_DEF_REL_ \"RelInt\" 3;\n"
	"BA_ \"ProtocolType\" \"J1939\";\n"
	"BA_ \"NodeHex\" BU_ ECU1 255;\n"
	"BA_ \"VFrameFormat\" BO_ 2566844672 2;\n"
	"BA_ \"SigFloat\" SG_ 256 A -0.5;\n"
	"BA_ \"EvInt\" EV_ EnvA 3;\n"
	"BA_REL_ \"RelInt\" BU_SG_REL_ ECU2 SG_ 256 A 9;\n"
	"VAL_ 256 Sw 1 \"One\" 0 \"Zero\" ;\n"
	"VAL_ EnvA 1 \"On\";\n"
	"SIG_VALTYPE_ 256 F : 1;\n"
	"SG_MUL_VAL_ 256 A Sw 1-1, 3-4;\n"
	"SIG_GROUP_ 256 G 1 : Sw A;\n"
	"SGTYPE_ T : 8@1+ (1,0) [0|255] \"\" 0 Vt;\n"
	"// the end\n";

static void test_every_prefix_of_a_full_file(void **state)
{
	(void)state;
	size_t n = sizeof full_file - 1;
	unsigned bad = 0;
	for (size_t k = 0; k <= n; k++) {
		for (int strict = 0; strict < 2; strict++) {
			int r = guarded_load(full_file, k, strict);
			if (r < 0 || r == CHILD_OTHER) {
				if (bad++ < 10) {
					print_message("prefix of %zu bytes (%s) %s, ending [", k,
						      strict ? "strict" : "lenient",
						      r < 0 ? strsignal(-r) : "failed with an unexpected errno");
					size_t from = k > 40 ? k - 40 : 0;
					print_escaped(full_file + from, k - from);
					print_message("]\n");
				}
			}
		}
		if (k == n) {
			/* The whole file is well formed. */
			struct diags dg;
			struct dbc_db *db;
			int r = load(full_file, true, &dg, &db);
			if (r != 0) {
				dump_diags(&dg);
				fail_msg("the full file did not load strictly (%d)", r);
			}
			dbc_free(db);
		}
	}
	if (bad)
		fail_msg("%u prefixes crashed or read past the end", bad);
}

/* ---- empty and garbage input ------------------------------------------------------------------ */

/* A text without one DBC statement is not a DBC file, in either mode: one
 * error, placed at the first thing that is not blank, or nowhere (line 0)
 * when there is nothing. Worked out by hand for each text. */
static void test_empty_input(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		uint32_t line, col;
		unsigned n_warn;   /* unknown keywords skipped before the error */
	} cases[] = {
		{"", 0, 0, 0},
		{"\n\n  \t\r\n", 0, 0, 0},
		{"// only a comment", 0, 0, 0},
		{"\xEF\xBB\xBF", 0, 0, 0},
		{"hello world\n", 1, 1, 1},
		{"\n\n  QQ_ x;\nZZ_\n", 3, 3, 2},
		{"\xEF\xBB\xBF" "QQ_ ;\n", 1, 1, 1},
		{"\x01\x02binary", 1, 1, 0},
	};
	for (size_t i = 0; i < N_OF(cases); i++) {
		for (int strict = 0; strict < 2; strict++) {
			struct diags dg;
			struct dbc_db *db;
			int r = load(cases[i].text, strict, &dg, &db);
			if (r != -EINVAL || db) {
				dump_diags(&dg);
				fail_msg("text %zu (%s): %d", i, strict ? "strict" : "lenient", r);
			}
			/* Unknown keywords are warnings; then, in lenient mode, a
			 * stray byte may add an error of its own before the last. */
			assert_true(dg.n >= 1 + cases[i].n_warn);
			const struct diag_rec *last = &dg.d[dg.n - 1];
			assert_int_equal(last->sev, DBC_ERROR);
			assert_int_equal(last->line, cases[i].line);
			assert_int_equal(last->col, cases[i].col);
			assert_int_equal(dg.n_warn, cases[i].n_warn);
		}
	}
	/* A NULL buffer of length 0 is an empty file too. */
	struct dbc_db *db = NULL;
	assert_int_equal(dbc_load_buffer(NULL, 0, NULL, NULL, &db), -EINVAL);
	assert_null(db);
	/* One statement is enough: an empty database, with no error. */
	struct diags dg;
	assert_int_equal(load("VERSION \"\"\n", false, &dg, &db), 0);
	assert_int_equal(dg.n, 0);
	assert_int_equal(db->n_messages, 0);
	dbc_free(db);
}

static void test_random_bytes_no_crash(void **state)
{
	(void)state;
	static char buf[4096];
	unsigned bad = 0;
	for (int iter = 0; iter < 300; iter++) {
		size_t len = (size_t)(rnd() % sizeof buf);
		for (size_t i = 0; i < len; i++)
			buf[i] = (char)rnd();
		int r = guarded_load(buf, len, iter & 1);
		if (r < 0 || r == CHILD_OTHER) {
			if (bad++ < 5)
				print_message("random input %d (%zu bytes): %s\n", iter, len,
					      r < 0 ? strsignal(-r) : "unexpected errno");
		}
	}
	if (bad)
		fail_msg("%u random inputs crashed", bad);
}

/* Random sequences of DBC tokens reach far deeper into the parser than
 * random bytes do. */
static void test_token_soup_no_crash(void **state)
{
	(void)state;
	static const char *const tok[] = {
		"BO_ ", "SG_ ", " SG_ ", "BU_:", "BU_ ", "CM_ ", "BA_ ", "BA_DEF_ ", "BA_DEF_DEF_ ",
		"BA_REL_ ", "BA_DEF_REL_ ", "VAL_ ", "VAL_TABLE_ ", "SIG_VALTYPE_ ", "SG_MUL_VAL_ ",
		"SIG_GROUP_ ", "EV_ ", "ENVVAR_DATA_ ", "BO_TX_BU_ ", "NS_ :", "BS_:", "VERSION ",
		"BU_SG_REL_ ", "SGTYPE_ ", "256 ", "2147484672 ", "3221225472 ", "0 ", "7 ", "511 ",
		"64 ", "65 ", "M ", "m3 ", "m3M ", "Sig ", "Msg ", "ECU ", ":", "|", "@1+", "@0-", "@",
		"(1,0) ", "(", ")", "[0|255] ", "[", "]", "\"", "\"x\" ", "\\", "\n", " ", "\t", ";",
		",", "-", "1-3", "1.5e3 ", "-0.5 ", "1e999 ", "0x1F ", "// c\n", "\r\n", "\xB0",
		"INT ", "HEX ", "FLOAT ", "STRING ", "ENUM ", "\"A\",\"B\" ", "DUMMY_NODE_VECTOR0 ",
	};
	static char buf[8192];
	unsigned bad = 0;
	for (int iter = 0; iter < 400; iter++) {
		size_t len = 0;
		int ntok = (int)(rnd() % 300);
		for (int t = 0; t < ntok; t++) {
			const char *s = tok[rnd() % N_OF(tok)];
			size_t sl = strlen(s);
			if (len + sl >= sizeof buf)
				break;
			memcpy(buf + len, s, sl);
			len += sl;
		}
		int r = guarded_load(buf, len, iter & 1);
		if (r < 0 || r == CHILD_OTHER) {
			if (bad++ < 3) {
				print_message("token soup %d (%zu bytes) %s: [", iter, len,
					      r < 0 ? strsignal(-r) : "unexpected errno");
				print_escaped(buf, len);
				print_message("]\n");
			}
		}
	}
	if (bad)
		fail_msg("%u token soups crashed", bad);
}

/* ---- files --------------------------------------------------------------------------------------- */

static void test_load_file_errors(void **state)
{
	(void)state;
	struct dbc_db *db = (struct dbc_db *)(uintptr_t)1;
	assert_int_equal(dbc_load_file("/nonexistent-evgw-dir/x.dbc", NULL, &db), -ENOENT);
	assert_null(db);
	db = (struct dbc_db *)(uintptr_t)1;
	assert_int_equal(dbc_load_file("/tmp", NULL, &db), -EISDIR);
	assert_null(db);

	/* An empty file is not a DBC file; a small good one loads. */
	const char *p = test_write_temp("", 0);
	assert_int_equal(dbc_load_file(p, NULL, &db), -EINVAL);
	assert_null(db);
	unlink(p);

	static const char good[] = "BO_ 256 M: 8 E\n SG_ S : 0|8@1+ (1,0) [0|255] \"\" X\n";
	p = test_write_temp(good, sizeof good - 1);
	assert_int_equal(dbc_load_file(p, NULL, &db), 0);
	assert_true(has_signal(db, "M", "S"));
	dbc_free(db);

	/* Strict failure from a file: -EINVAL, diagnostics carry the path. */
	static const char bad[] = "BO_ 256 M: 65 E\n";
	p = test_write_temp(bad, sizeof bad - 1);
	struct diags dg;
	memset(&dg, 0, sizeof dg);
	struct dbc_load_opts o = {true, diag_cb, &dg};
	db = (struct dbc_db *)(uintptr_t)1;
	assert_int_equal(dbc_load_file(p, &o, &db), -EINVAL);
	assert_null(db);
	const struct want_diag w[] = {E(1, 12)};
	expect_diags("file", &dg, w, 1);
	unlink(p);
}

/* Not regular files: refused with a diagnostic that names the kind, at
 * once (a FIFO without a writer would block an open() without O_NONBLOCK:
 * the alarm turns a hang into a failure). */
static void test_load_not_regular(void **state)
{
	(void)state;
	char dir[] = "/tmp/evgw-dbc-fifo-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char fifo[64];
	snprintf(fifo, sizeof fifo, "%s/car.dbc", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	static const struct {
		const char *path, *msg;
	} cases[] = {
		{NULL, "a FIFO, not a regular file"},
		{"/dev/zero", "a character device, not a regular file"},
		{"/dev/null", "a character device, not a regular file"},
	};
	alarm(10);
	for (size_t i = 0; i < N_OF(cases); i++) {
		const char *path = cases[i].path ? cases[i].path : fifo;
		struct diags dg;
		memset(&dg, 0, sizeof dg);
		struct dbc_load_opts o = {false, diag_cb, &dg};
		struct dbc_db *db = (struct dbc_db *)(uintptr_t)1;
		assert_int_equal(dbc_load_file(path, &o, &db), -EINVAL);
		assert_null(db);
		assert_int_equal(dg.n, 1);
		assert_int_equal(dg.d[0].sev, DBC_ERROR);
		assert_int_equal(dg.d[0].line, 0);
		assert_string_equal(dg.d[0].msg, cases[i].msg);
	}
	alarm(0);
	unlink(fifo);
	rmdir(dir);
}

/* The model keeps its own copy of the text: the file overwritten with
 * fewer bytes (what made a mapped file fault) or removed after loading
 * changes nothing it says. */
static void test_load_file_then_file_shrinks(void **state)
{
	(void)state;
	static const char good[] = "BO_ 256 Motor_Status: 8 ECU\n"
				   " SG_ Motor_Speed : 0|16@1+ (0.5,0) [0|32767] \"rpm\" X\n";
	const char *p = test_write_temp(good, sizeof good - 1);
	struct dbc_db *db;
	assert_int_equal(dbc_load_file(p, NULL, &db), 0);
	FILE *f = fopen(p, "w"); /* truncated in place, like `: > car.dbc` */
	assert_non_null(f);
	fclose(f);
	const struct dbc_message *m = dbc_find_message_by_name(db, "Motor_Status");
	assert_non_null(m);
	assert_non_null(dbc_find_signal(db, m, "Motor_Speed"));
	struct evgw_str unit = dbc_str(db, m->signals[0].unit);
	assert_int_equal(unit.len, 3);
	assert_memory_equal(unit.ptr, "rpm", 3);
	unlink(p);
	dbc_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unterminated_string_at_eof),
		cmocka_unit_test(test_start_bit_limit),
		cmocka_unit_test(test_length_limits),
		cmocka_unit_test(test_byte_order_and_sign),
		cmocka_unit_test(test_signal_without_message),
		cmocka_unit_test(test_message_length),
		cmocka_unit_test(test_message_id_too_large),
		cmocka_unit_test(test_other_statement_errors),
		cmocka_unit_test(test_lines_counted_through_strings),
		cmocka_unit_test(test_strict_fails_on_first_error),
		cmocka_unit_test(test_lenient_keeps_good_statements),
		cmocka_unit_test(test_lenient_error_found_on_next_line),
		cmocka_unit_test(test_unknown_keyword_without_semicolon),
		cmocka_unit_test(test_truncated_sg_at_eof),
		cmocka_unit_test(test_truncated_sg_recovery),
		cmocka_unit_test(test_every_prefix_of_a_full_file),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_random_bytes_no_crash),
		cmocka_unit_test(test_token_soup_no_crash),
		cmocka_unit_test(test_load_file_errors),
		cmocka_unit_test(test_load_not_regular),
		cmocka_unit_test(test_load_file_then_file_shrinks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
