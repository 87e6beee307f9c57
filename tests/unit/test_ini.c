// SPDX-License-Identifier: MIT
/* The strict INI reader (gateway/util/ini.c) and the shared value scanners
 * (gateway/util/ini_value.c), with a schema of the test's own: what the
 * reader hands to the callbacks, and each error with its file:line(:col).
 * Expected values are worked out by hand from the grammar in ini.h. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_support.h"
#include "util/ini.h"
#include "util/ini_value.h"

/* --- a schema that writes down every call --- */

struct rec {
	char log[2048];
	size_t n;
	int begins;
};

static void note(struct rec *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct rec *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(r->log + r->n, sizeof r->log - r->n, fmt, ap);
	va_end(ap);
	assert_true(w >= 0 && (size_t)w < sizeof r->log - r->n);
	r->n += (size_t)w;
}

static bool rec_begin(struct evgw_ini *ini, const char *name, void **obj)
{
	struct rec *r = ini->user;
	note(r, "<%s@%u>", name, ini->line);
	*obj = (void *)(intptr_t)++r->begins;
	return true;
}

static bool rec_end(struct evgw_ini *ini, void *obj)
{
	struct rec *r = ini->user;
	note(r, "</%d>", (int)(intptr_t)obj);
	return true;
}

static bool rec_set(struct evgw_ini *ini, void *obj, const char *key, const char *value)
{
	struct rec *r = ini->user;
	note(r, "%d:%s=[%s]@%u;", (int)(intptr_t)obj, key, value, ini->line);
	return true;
}

/* Refuses "bad", to show a setter's own error. */
static bool rec_set_checked(struct evgw_ini *ini, void *obj, const char *key, const char *value)
{
	if (!strcmp(value, "bad"))
		return evgw_ini_fail(ini, "%s: no", key);
	return rec_set(ini, obj, key, value);
}

/* The section must have had key "must" (to show a check at its end). */
static bool rec_end_must(struct evgw_ini *ini, void *obj)
{
	struct rec *r = ini->user;
	if (!strstr(r->log, ":must="))
		return evgw_ini_fail_at(ini, ini->section_line, "[beta] without must");
	return rec_end(ini, obj);
}

static const struct evgw_ini_key alpha_keys[] = {
	{"a", rec_set, 0},
	{"b", rec_set_checked, 0},
	{"list", rec_set, EVGW_INI_LIST},
	{NULL, NULL, 0},
};

static const struct evgw_ini_key beta_keys[] = {
	{"x", rec_set, 0},
	{"must", rec_set, 0},
	{NULL, NULL, 0},
};

static const struct evgw_ini_section sections[] = {
	{"alpha", false, 1, alpha_keys, rec_begin, rec_end},
	{"beta", true, 2, beta_keys, rec_begin, rec_end_must},
	{NULL, false, 0, NULL, NULL, NULL},
};

static const struct evgw_ini_format format = {4096, sections};

/* Parses text as "t.ini"; returns the rc, the log and the message. */
static int parse(const char *text, size_t len, struct rec *r, char *err, size_t errlen)
{
	struct evgw_ini ini;
	memset(r, 0, sizeof *r);
	evgw_ini_init(&ini, "t.ini", r, err, errlen);
	return evgw_ini_parse(&ini, &format, text, len);
}

static void expect_log(const char *text, const char *want_log)
{
	struct rec r;
	char err[256];
	int rc = parse(text, strlen(text), &r, err, sizeof err);
	if (rc)
		fail_msg("for [%s]: %d %s", text, rc, err);
	assert_string_equal(err, "");
	if (strcmp(r.log, want_log))
		fail_msg("for [%s]\n got %s\nwant %s", text, r.log, want_log);
}

static void expect_err_len(const char *text, size_t len, int want_rc, const char *want)
{
	struct rec r;
	char err[256];
	int rc = parse(text, len, &r, err, sizeof err);
	if (rc != want_rc || strcmp(err, want))
		fail_msg("for [%.*s]\n got %d \"%s\"\nwant %d \"%s\"", (int)len, text, rc, err, want_rc, want);
}

static void expect_err(const char *text, const char *want)
{
	expect_err_len(text, strlen(text), -EINVAL, want);
}

/* --- the reader --- */

static void test_lines_sections_keys(void **state)
{
	(void)state;
	expect_log("", "");
	expect_log("\n\n   \n\t\n", "");
	expect_log("[alpha]\na = 1\nb=two words\n[beta one]\nmust = x\n",
		   "<@1>1:a=[1]@2;1:b=[two words]@3;</1><one@4>2:must=[x]@5;</2>");
	/* comments, indentation, CRLF, a BOM, no final newline, ':' */
	expect_log("\xef\xbb\xbf# top\r\n; also\r\n  [alpha]   ; the first\r\n"
		   "\ta : v ; comment\r\n  b = x;y # kept\r\n\r\n[ beta\t  two ];\nmust=",
		   "<@3>1:a=[v]@4;1:b=[x;y # kept]@5;</1><two@7>2:must=[]@8;</2>");
	/* a value may hold '=' and ':'; the first of them splits */
	expect_log("[alpha]\na = k=v:w\nb: c = d\n", "<@1>1:a=[k=v:w]@2;1:b=[c = d]@3;</1>");
	/* a list key repeats, each line handed over */
	expect_log("[alpha]\nlist = a b\nlist = c\nlist =\n",
		   "<@1>1:list=[a b]@2;1:list=[c]@3;1:list=[]@4;</1>");
	/* the same key in two sections, names with every allowed byte */
	expect_log("[beta A-z_0.9]\nmust = 1\nx = 1\n[beta b]\nx = 2\nmust = 2\n",
		   "<A-z_0.9@1>1:must=[1]@2;1:x=[1]@3;</1><b@4>2:x=[2]@5;2:must=[2]@6;</2>");
}

static void test_end_is_called_with_the_section(void **state)
{
	(void)state;
	/* the end check runs when the next section starts, or at the end */
	expect_err("[beta a]\nx = 1\n[alpha]\n", "t.ini:1: [beta] without must");
	expect_err("[alpha]\na = 1\n\n[beta b]\nx = 1\n", "t.ini:4: [beta] without must");
	/* a setter's error is the reader's error */
	expect_err("[alpha]\nb = bad\n", "t.ini:2: b: no");
}

static void test_errors(void **state)
{
	(void)state;
	expect_err("a = 1\n", "t.ini:1: key 'a' comes before any [section]");
	expect_err("[alpha]\nnope\n", "t.ini:2: expected 'key = value', '[section]' or a comment");
	expect_err("[alpha]\na ; = 1\n", "t.ini:2: expected 'key = value', '[section]' or a comment");
	expect_err("[alpha]\n   = 1\n", "t.ini:2:4: no key before '='");
	expect_err("[alpha]\nA = 1\n", "t.ini:2: unknown key 'A' in [alpha]");
	expect_err("[beta b]\ny = 1\n", "t.ini:2: unknown key 'y' in [beta b]");
	expect_err("[alpha]\na = 1\n\na = 2\n", "t.ini:4: duplicate key 'a' in [alpha] (first at line 2)");
	expect_err("[gamma]\n", "t.ini:1: unknown section '[gamma]' (allowed: [alpha], [beta NAME])");
	expect_err("[Alpha]\n", "t.ini:1: unknown section '[Alpha]' (allowed: [alpha], [beta NAME])");
	expect_err("[alpha]\n[alpha]\n", "t.ini:2: duplicate section [alpha] (first at line 1)");
	expect_err("[beta a]\nmust=1\n[beta a]\n", "t.ini:3: duplicate section [beta a] (first at line 1)");
	/* names are case-sensitive: a and A are two sections */
	expect_err("[beta a]\nmust=1\n[beta A]\nmust=1\n[beta c]\n", "t.ini:5: too many [beta] sections (max 2)");
	expect_err("[beta]\n", "t.ini:1: [beta] needs a name: [beta NAME]");
	expect_err("[alpha x]\n", "t.ini:1: [alpha] takes no name");
	expect_err("[beta a b]\n", "t.ini:1: bad name 'a b' in [beta NAME] (letters, digits, '-', '_', '.'; at most 32)");
	expect_err("[beta a/b]\n", "t.ini:1: bad name 'a/b' in [beta NAME] (letters, digits, '-', '_', '.'; at most 32)");
	expect_err("[beta 123456789012345678901234567890123]\n",
		   "t.ini:1: bad name '123456789012345678901234567890123' in [beta NAME] (letters, digits, '-', '_', "
		   "'.'; at most 32)");
	expect_log("[beta 12345678901234567890123456789012]\nmust=1\n",
		   "<12345678901234567890123456789012@1>1:must=[1]@2;</1>");
	/* columns count bytes from 1, indentation included */
	expect_err("  [alpha\n", "t.ini:1:3: missing ']' in section header");
	expect_err("[alpha] x\n", "t.ini:1:9: unexpected text after ']'");
	expect_err("[alpha]\na = \x01\n", "t.ini:2:5: control character 0x01 in line");
	expect_err("[alpha]\na = x\ry\n", "t.ini:2:6: control character 0x0D in line");
	expect_err("[alpha]\na = \x1b[1m\n", "t.ini:2:5: control character 0x1B in line");
	expect_err_len("[alpha]\na = x\0y\n", 16, -EINVAL, "t.ini:2:6: NUL byte in line");
	/* the first error stops the reader: nothing after it is read */
	struct rec r;
	char err[256];
	const char *stop = "[alpha]\nzz = 1\na = 2\n";
	assert_int_equal(parse(stop, strlen(stop), &r, err, sizeof err), -EINVAL);
	assert_string_equal(r.log, "<@1>");
	/* non-ASCII bytes are text; in messages they show as '?' */
	expect_log("[alpha]\na = \xc3\xa9t\xc3\xa9\n", "<@1>1:a=[\xc3\xa9t\xc3\xa9]@2;</1>");
	expect_err("[alpha]\n\xc3\xa9 = 1\n", "t.ini:2: unknown key '?" "?' in [alpha]");
}

static void test_limits(void **state)
{
	char line[1100];

	(void)state;
	/* 1024 bytes is a line; 1025 is not */
	memcpy(line, "[alpha]\na = ", 12);
	memset(line + 12, 'v', 1024 - 4);
	strcpy(line + 12 + 1024 - 4, "\n");
	struct rec r;
	char err[256];
	assert_int_equal(parse(line, strlen(line), &r, err, sizeof err), 0);
	strcpy(line + 12 + 1024 - 4, "w\n");
	expect_err(line, "t.ini:2: line too long (max 1024 bytes)");
	/* the CR of a CRLF is not counted */
	strcpy(line + 12 + 1024 - 4, "\r\n");
	assert_int_equal(parse(line, strlen(line), &r, err, sizeof err), 0);
	/* the format's byte limit, before anything is read */
	char *big = malloc(4097);
	assert_non_null(big);
	memset(big, '\n', 4097);
	expect_err_len(big, 4096, 0, "");
	expect_err_len(big, 4097, -EFBIG, "t.ini: larger than 4096 bytes");
	free(big);
}

static void test_messages_are_bounded(void **state)
{
	struct evgw_ini ini;
	struct rec r;
	char err[12];

	(void)state;
	memset(err, 'X', sizeof err);
	evgw_ini_init(&ini, "t.ini", &r, err, sizeof err);
	assert_int_equal(evgw_ini_parse(&ini, &format, "[nope]\n", 7), -EINVAL);
	assert_string_equal(err, "t.ini:1: un");
	/* no buffer: still the code */
	evgw_ini_init(&ini, "t.ini", &r, NULL, 0);
	assert_int_equal(evgw_ini_parse(&ini, &format, "[nope]\n", 7), -EINVAL);
	/* only the first error is kept */
	char big[256];
	evgw_ini_init(&ini, "t.ini", &r, big, sizeof big);
	ini.line = 7;
	assert_false(evgw_ini_fail(&ini, "first %d", 1));
	assert_false(evgw_ini_fail_at(&ini, 2, "second"));
	assert_false(evgw_ini_oom(&ini));
	assert_int_equal(ini.rc, -EINVAL);
	assert_string_equal(big, "t.ini:7: first 1");

	char out[EVGW_INI_SHOW];
	assert_string_equal(evgw_ini_shown(out, "a\tb\x7f\xff", 5), "a?b??");
	char longtext[100];
	memset(longtext, 'z', sizeof longtext);
	evgw_ini_shown(out, longtext, sizeof longtext);
	assert_int_equal(strlen(out), EVGW_INI_SHOW - 1);
	assert_string_equal(out + EVGW_INI_SHOW - 4, "...");
}

static void test_read_file(void **state)
{
	char *text, err[256], want[300];
	size_t len;

	(void)state;
	const char *path = test_write_temp("[alpha]\na = 1\n", 14);
	assert_int_equal(evgw_ini_read_file(path, 14, &text, &len, err, sizeof err), 0);
	assert_int_equal(len, 14);
	assert_string_equal(text, "[alpha]\na = 1\n");
	free(text);
	assert_int_equal(evgw_ini_read_file(path, 13, &text, &len, err, sizeof err), -EFBIG);
	assert_null(text);
	snprintf(want, sizeof want, "%s: larger than 13 bytes", path);
	assert_string_equal(err, want);
	unlink(path);
	assert_int_equal(evgw_ini_read_file("/nonexistent/t.ini", 100, &text, &len, err, sizeof err), -ENOENT);
	assert_string_equal(err, "/nonexistent/t.ini: No such file or directory");
	assert_int_equal(evgw_ini_read_file("/", 100, &text, &len, err, sizeof err), -EISDIR);
	assert_string_equal(err, "/: Is a directory");
	/* Devices and FIFOs are refused, never read (/dev/zero never ends) and
	 * never waited on (a FIFO without a writer; the alarm fails a hang). */
	assert_int_equal(evgw_ini_read_file("/dev/zero", 100, &text, &len, err, sizeof err), -EINVAL);
	assert_string_equal(err, "/dev/zero: a character device, not a regular file");
	char dir[] = "/tmp/evgw-ini-fifo-XXXXXX", fifo[64];
	assert_non_null(mkdtemp(dir));
	snprintf(fifo, sizeof fifo, "%s/evgw.conf", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(10);
	assert_int_equal(evgw_ini_read_file(fifo, 100, &text, &len, err, sizeof err), -EINVAL);
	alarm(0);
	snprintf(want, sizeof want, "%s: a FIFO, not a regular file", fifo);
	assert_string_equal(err, want);
	assert_null(text);
	unlink(fifo);
	rmdir(dir);
	/* larger than the first read buffer (16 KiB) */
	static char many[40000];
	memset(many, ';', sizeof many);
	path = test_write_temp(many, sizeof many);
	assert_int_equal(evgw_ini_read_file(path, sizeof many, &text, &len, err, sizeof err), 0);
	assert_int_equal(len, sizeof many);
	assert_int_equal(memcmp(text, many, len), 0);
	free(text);
	unlink(path);
}

/* --- the value scanners --- */

static void test_uint(void **state)
{
	static const struct {
		const char *s;
		uint64_t v;
	} good[] = {
		{"0", 0}, {"007", 7}, {"65536", 65536}, {"0x0", 0}, {"0x7E8", 0x7E8}, {"0X7e8", 0x7E8},
		{"0x1FFFFFFF", 0x1FFFFFFF}, {"18446744073709551615", UINT64_MAX},
		{"0xFFFFFFFFFFFFFFFF", UINT64_MAX},
		/* one more saturates, so a range check calls it out of range */
		{"18446744073709551616", UINT64_MAX}, {"0x10000000000000000", UINT64_MAX},
	};
	static const char *const bad[] = {"", "x", "0x", "0x-1", "-1", "+1", " 1", "1 ", "1.0", "1e3", "12abc", "7E8",
					  "0b1", "0xG"};
	uint64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		v = 12345;
		if (!evgw_ini_scan_uint(good[i].s, &v) || v != good[i].v)
			fail_msg("'%s' gave %llu", good[i].s, (unsigned long long)v);
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (evgw_ini_scan_uint(bad[i], &v))
			fail_msg("'%s' taken as a number", bad[i]);
}

static void test_hex(void **state)
{
	uint32_t v;

	(void)state;
	assert_true(evgw_ini_scan_hex("7E8", 3, &v));
	assert_int_equal(v, 0x7E8);
	assert_true(evgw_ini_scan_hex("18daf100/x", 8, &v)); /* only the length given */
	assert_int_equal(v, 0x18DAF100);
	assert_true(evgw_ini_scan_hex("FFFFFFFF", 8, &v));
	assert_int_equal(v, 0xFFFFFFFF);
	assert_false(evgw_ini_scan_hex("123456789", 9, &v));
	assert_false(evgw_ini_scan_hex("", 0, &v));
	assert_false(evgw_ini_scan_hex("0x7E8", 5, &v));
	assert_false(evgw_ini_scan_hex("7G", 2, &v));
}

static void test_bitrate(void **state)
{
	static const struct {
		const char *s;
		uint64_t v;
	} good[] = {
		{"500000", 500000}, {"500k", 500000}, {"500K", 500000}, {"1M", 1000000}, {"0.5M", 500000},
		{"1.0M", 1000000}, {"83.333k", 83333}, {"33.3k", 33300}, {"1.000001M", 1000001}, {"1000", 1000},
		{"0", 0}, {"12.000000k", 12000}, {"99999999999999999999999k", UINT64_MAX},
	};
	static const char *const bad[] = {"", "k", "M", "500x", "500 k", "1.5", "500.", ".5M", "0x1F4", "-500k",
					  "+500k", "1.0000001M", "83.3333k", "1e6", "500kk", "1m", "2 M", "1.1234567M"};
	uint64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		if (!evgw_ini_scan_bitrate(good[i].s, &v) || v != good[i].v)
			fail_msg("'%s' gave %llu", good[i].s, (unsigned long long)v);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (evgw_ini_scan_bitrate(bad[i], &v))
			fail_msg("'%s' taken as a bit rate", bad[i]);
}

static void test_bool_and_words(void **state)
{
	static const char *const yes[] = {"yes", "YES", "Yes", "true", "TRUE", "on", "On", "1"};
	static const char *const no[] = {"no", "NO", "false", "False", "off", "OFF", "0"};
	static const char *const neither[] = {"", "y", "n", "t", "f", "yes ", "2", "01", "enable", "oui", "nein"};
	bool b;

	(void)state;
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		assert_true(evgw_ini_scan_bool(yes[i], &b) && b);
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		assert_true(evgw_ini_scan_bool(no[i], &b) && !b);
	for (size_t i = 0; i < sizeof neither / sizeof *neither; i++)
		if (evgw_ini_scan_bool(neither[i], &b))
			fail_msg("'%s' taken as a boolean", neither[i]);

	static const char *const words[] = {"listen-only", "diagnostic", NULL};
	assert_int_equal(evgw_ini_scan_word("Listen-Only", words), 0);
	assert_int_equal(evgw_ini_scan_word("DIAGNOSTIC", words), 1);
	assert_int_equal(evgw_ini_scan_word("listen", words), -1);
	assert_int_equal(evgw_ini_scan_word("", words), -1);
	char list[64];
	assert_string_equal(evgw_ini_word_list(words, list, sizeof list), "listen-only or diagnostic");
	static const char *const three[] = {"a", "b", "c", NULL}, *const one[] = {"kwp", NULL};
	assert_string_equal(evgw_ini_word_list(three, list, sizeof list), "a, b or c");
	assert_string_equal(evgw_ini_word_list(one, list, sizeof list), "kwp");
}

static void test_real(void **state)
{
	static const struct {
		const char *s;
		double v;
	} good[] = {
		{"0", 0}, {"-40", -40}, {"0.01", 0.01}, {"10.", 10}, {".5", 0.5}, {"-.5", -0.5}, {"1e3", 1000},
		{"2.5E-1", 0.25}, {"1e+2", 100}, {"007.50", 7.5},
	};
	static const char *const bad[] = {"", ".", "-", "+1", "1e", "1e+", "e3", "inf", "nan", "0x10", "1.2.3", "1 ",
					  " 1", "1,5", "--1", "1f"};
	double v;

	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		if (!evgw_ini_scan_real(good[i].s, &v) || v != good[i].v)
			fail_msg("'%s' gave %g", good[i].s, v);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (evgw_ini_scan_real(bad[i], &v))
			fail_msg("'%s' taken as a real", bad[i]);
	assert_true(evgw_ini_scan_real("1e999", &v) && isinf(v)); /* the range check refuses it */
}

static void test_list_items(void **state)
{
	const char *p = " ,a.dbc,b c\t,, d ,", *s;
	static const char *const want[] = {"a.dbc", "b", "c", "d"};
	size_t len, n = 0;

	(void)state;
	while ((s = evgw_ini_next_item(&p, &len))) {
		assert_true(n < 4);
		assert_int_equal(len, strlen(want[n]));
		assert_memory_equal(s, want[n], len);
		n++;
	}
	assert_int_equal(n, 4);
	p = " , ,";
	assert_null(evgw_ini_next_item(&p, &len));
}

/* The reporting forms: one message shape per kind, at the current line. */
static void expect_value_error(bool (*check)(struct evgw_ini *), const char *want)
{
	struct evgw_ini ini;
	char err[256];

	evgw_ini_init(&ini, "v.conf", NULL, err, sizeof err);
	ini.line = 9;
	assert_false(check(&ini));
	assert_int_equal(ini.rc, -EINVAL);
	assert_string_equal(err, want);
}

static uint64_t u64;
static uint32_t u32;
static double dbl;
static bool flag;
static int idx;
static char text8[8];
static const char *const modes[] = {"listen-only", "diagnostic", NULL};

static bool bad_uint(struct evgw_ini *i) { return evgw_ini_uint(i, "n", "12abc", 0, 9, &u64); }
static bool range_uint(struct evgw_ini *i) { return evgw_ini_uint(i, "n", "0x10", 1, 15, &u64); }
static bool bad_rate(struct evgw_ini *i) { return evgw_ini_bitrate(i, "bitrate", "5 k", false, &u32); }
static bool low_rate(struct evgw_ini *i) { return evgw_ini_bitrate(i, "bitrate", "999", false, &u32); }
static bool high_rate(struct evgw_ini *i) { return evgw_ini_bitrate(i, "bitrate", "8000001", false, &u32); }
static bool high_data(struct evgw_ini *i) { return evgw_ini_bitrate(i, "data_bitrate", "17M", true, &u32); }
static bool bad_bool(struct evgw_ini *i) { return evgw_ini_bool(i, "dm1", "maybe", &flag); }
static bool bad_real(struct evgw_ini *i) { return evgw_ini_real(i, "scale", "1,5", -HUGE_VAL, HUGE_VAL, &dbl); }
static bool range_real(struct evgw_ini *i) { return evgw_ini_real(i, "speed", "-0.5", 0, 1e6, &dbl); }
static bool huge_real(struct evgw_ini *i) { return evgw_ini_real(i, "scale", "1e400", -HUGE_VAL, HUGE_VAL, &dbl); }
static bool bad_word(struct evgw_ini *i) { return evgw_ini_word(i, "mode", "active", modes, &idx); }
static bool long_text(struct evgw_ini *i) { return evgw_ini_text(i, "unit", "12345678", text8, sizeof text8); }
static bool two_words(struct evgw_ini *i) { return evgw_ini_one_word(i, "driver", "sim #x"); }

static void test_value_messages(void **state)
{
	struct evgw_ini ini;

	(void)state;
	expect_value_error(bad_uint, "v.conf:9: n: '12abc' is not a number");
	expect_value_error(range_uint, "v.conf:9: n: 0x10 out of range (1..15)");
	expect_value_error(bad_rate, "v.conf:9: bitrate: '5 k' is not a bit rate (e.g. 500000, 500k, 83.333k, 1M)");
	expect_value_error(low_rate, "v.conf:9: bitrate: 999 out of range (1000..8000000)");
	expect_value_error(high_rate, "v.conf:9: bitrate: 8000001 out of range (1000..8000000)");
	expect_value_error(high_data, "v.conf:9: data_bitrate: 17M out of range (1000..16000000)");
	expect_value_error(bad_bool, "v.conf:9: dm1: 'maybe' is not yes/no, true/false, on/off or 1/0");
	expect_value_error(bad_real, "v.conf:9: scale: '1,5' is not a number");
	expect_value_error(range_real, "v.conf:9: speed: -0.5 out of range (0..1000000)");
	expect_value_error(huge_real, "v.conf:9: scale: 1e400 out of range");
	expect_value_error(bad_word, "v.conf:9: mode: 'active' is not listen-only or diagnostic");
	expect_value_error(long_text, "v.conf:9: unit: longer than 7 bytes");
	expect_value_error(two_words, "v.conf:9: driver: must be one word (inline comments start with ' ;')");

	/* and the good ones store their value */
	evgw_ini_init(&ini, "v.conf", NULL, NULL, 0);
	assert_true(evgw_ini_bitrate(&ini, "bitrate", "16M", true, &u32));
	assert_int_equal(u32, 16000000);
	assert_true(evgw_ini_bitrate(&ini, "bitrate", "1k", false, &u32));
	assert_int_equal(u32, 1000);
	assert_true(evgw_ini_word(&ini, "mode", "Diagnostic", modes, &idx));
	assert_int_equal(idx, 1);
	assert_true(evgw_ini_text(&ini, "unit", "1234567", text8, sizeof text8));
	assert_string_equal(text8, "1234567");
	assert_true(evgw_ini_uint(&ini, "n", "15", 1, 15, &u64));
	assert_int_equal(u64, 15);
	assert_int_equal(ini.rc, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_sections_keys),
		cmocka_unit_test(test_end_is_called_with_the_section),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_messages_are_bounded),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_uint),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_bitrate),
		cmocka_unit_test(test_bool_and_words),
		cmocka_unit_test(test_real),
		cmocka_unit_test(test_list_items),
		cmocka_unit_test(test_value_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
