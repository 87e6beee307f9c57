// SPDX-License-Identifier: MIT
/* The request-line validator (gateway/api/json_check.c). Expected verdicts
 * follow RFC 8259's grammar (sections 2-8, and the examples of section 13);
 * columns are counted by hand, 1-based, in bytes. The lines of the API
 * review (A1-A4, ../shared/reports/api-cli-review.md) are here as given
 * there. tests/json/json_crosscheck.py checks the verdicts against Python's
 * json module on many more lines. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/json_check.h"

/* Run the check on an exact-size heap copy, so that AddressSanitizer sees
 * any read past the n bytes. */
static int run(const char *p, size_t n, struct evgw_json_check *r)
{
	char *copy = malloc(n ? n : 1);
	assert_non_null(copy);
	memcpy(copy, p, n);
	int rc = evgw_json_check(copy, n, r);
	free(copy);
	return rc;
}

static void ok_with_id(const char *p, size_t n, long id_off, size_t id_len)
{
	struct evgw_json_check r;
	int rc = run(p, n, &r);
	if (rc != 0)
		fail_msg("refused [%.*s]: %s", (int)n, p, r.msg);
	assert_int_equal(r.col, 0);
	assert_string_equal(r.msg, "");
	if (id_off < 0) {
		assert_false(r.has_id);
		return;
	}
	if (!r.has_id || r.id_off != (size_t)id_off || r.id_len != id_len)
		fail_msg("[%.*s]: id %d at %zu+%zu, want at %ld+%zu", (int)n, p, r.has_id, r.id_off, r.id_len,
			 id_off, id_len);
}

static void refused(const char *p, size_t n, size_t col, const char *sentence)
{
	struct evgw_json_check r;
	int rc = run(p, n, &r);
	if (rc != -EINVAL)
		fail_msg("accepted [%.*s]", (int)n, p);
	char want[160];
	snprintf(want, sizeof want, "column %zu: %s", col, sentence);
	if (r.col != col || strcmp(r.msg, want))
		fail_msg("[%.*s]: got col %zu \"%s\", want \"%s\"", (int)n, p, r.col, r.msg, want);
	assert_false(r.has_id);
}

#define OK(lit) ok_with_id((lit), sizeof(lit) - 1, -1, 0)
#define OK_ID(lit, off, len) ok_with_id((lit), sizeof(lit) - 1, (off), (len))
#define BAD(lit, col, sentence) refused((lit), sizeof(lit) - 1, (col), (sentence))

/* RFC 8259, section 13: the two examples, the first as printed there (its
 * line breaks are whitespace), the second (an array) also inside an object. */
static void test_rfc_examples(void **state)
{
	OK("{\n"
	   "  \"Image\": {\n"
	   "      \"Width\":  800,\n"
	   "      \"Height\": 600,\n"
	   "      \"Title\":  \"View from 15th Floor\",\n"
	   "      \"Thumbnail\": {\n"
	   "          \"Url\":    \"http://www.example.com/image/481989943\",\n"
	   "          \"Height\": 125,\n"
	   "          \"Width\":  100\n"
	   "      },\n"
	   "      \"Animated\" : false,\n"
	   "      \"IDs\": [116, 943, 234, 38793]\n"
	   "    }\n"
	   "}");
	static const char arr[] =
		"[\n"
		"  {\n"
		"     \"precision\": \"zip\",\n"
		"     \"Latitude\":  37.7668,\n"
		"     \"Longitude\": -122.3959,\n"
		"     \"Address\":   \"\",\n"
		"     \"City\":      \"SAN FRANCISCO\",\n"
		"     \"State\":     \"CA\",\n"
		"     \"Zip\":       \"94107\",\n"
		"     \"Country\":   \"US\"\n"
		"  },\n"
		"  {\n"
		"     \"precision\": \"zip\",\n"
		"     \"Latitude\":  37.371991,\n"
		"     \"Longitude\": -122.026020,\n"
		"     \"Address\":   \"\",\n"
		"     \"City\":      \"SUNNYVALE\",\n"
		"     \"State\":     \"CA\",\n"
		"     \"Zip\":       \"94085\",\n"
		"     \"Country\":   \"US\"\n"
		"  }\n"
		"]";
	BAD(arr, 1, "the request must be a JSON object");
	char wrapped[sizeof arr + 16];
	int n = snprintf(wrapped, sizeof wrapped, "{\"a\":%s}", arr);
	ok_with_id(wrapped, (size_t)n, -1, 0);
	/* Its small texts are JSON, but not a request. */
	BAD("\"Hello world!\"", 1, "the request must be a JSON object");
	BAD("42", 1, "the request must be a JSON object");
	BAD("true", 1, "the request must be a JSON object");
	/* Section 7's examples of escapes: a backslash, the G clef. */
	OK("{\"a\":\"\\u005C\",\"b\":\"\\uD834\\uDD1E\"}");
	/* Section 8.2: an unpaired surrogate. */
	BAD("{\"a\":\"\\uDEAD\"}", 7, "\\uDEAD is the second half of a UTF-16 surrogate pair, without a first");
}

/* The review's A1: each line was answered ok:true; each is not JSON. */
static void test_review_a1(void **state)
{
	BAD("{'cmd':'hello'}", 2, "strings and keys must be in double quotes, not single quotes");
	BAD("{\"cmd\":\"hello\",\"id\":2,}", 22, "a trailing comma is not allowed");
	BAD("{\"cmd\":\"hello\",\"id\":4 /* c */}", 23, "comments are not allowed");
	BAD("{\"cmd\":\"hello\",\"id\":NaN}", 21, "NaN is not a JSON number");
	BAD("{\"cmd\":\"hello\",\"id\":Infinity}", 21, "Infinity is not a JSON number");
	BAD("{\"cmd\":\"hello\",\"id\":True}", 21,
	    "not a JSON value (the literals are true, false and null, in lowercase)");
	BAD("{\"cmd\":\"hello\",\"id\":007}", 21, "a number may not have a leading zero");
	BAD("{\"cmd\":\"hello\",\"id\":1.}", 23, "a number may not end with '.'");
}

/* A2/A3: the id's bytes as written, so they can be echoed. */
static void test_review_a2_a3_id_spans(void **state)
{
	OK_ID("{\"cmd\":\"hello\",\"id\":123456789012345678901234567890}", 20, 30);
	OK_ID("{\"cmd\":\"hello\",\"id\":\"\\u00e9\"}", 20, 8);
	OK_ID("{\"id\":7,\"cmd\":\"hello\"}", 6, 1);
	OK_ID("{\"id\" : \"\\u00e9\" }", 8, 8);
	OK_ID("{\"id\":[1, {\"a\" : null} ]  ,\"cmd\":\"x\"}", 6, 18);
	OK_ID("{\"id\": 5 }", 7, 1);
	OK_ID("{\"id\":{}}", 6, 2);
	OK_ID("{\"id\":[]}", 6, 2);
	OK_ID("{\"id\":\"\"}", 6, 2);
	OK_ID("{\"id\":-0.5e+3}", 6, 7);
	OK_ID("{\"id\":1E400}", 6, 5);
	OK_ID("{\"id\":null}", 6, 4);
	/* The key written with an escape is still "id". */
	OK_ID("{\"\\u0069d\":1}", 11, 1);
	/* Not the top-level "id". */
	OK("{\"x\":{\"id\":1}}");
	OK("{\"id\\u0000\":1}");
	OK("{\"i\":1,\"idd\":2,\"ID\":3}");
	OK_ID("{\"x\":{\"id\":1},\"id\":2}", 19, 1);
	/* Repeated keys are allowed (RFC 8259, 4: SHOULD be unique), except the id. */
	OK("{\"a\":1,\"a\":2}");
	OK_ID("{\"id\":{\"id\":1,\"id\":2}}", 6, 15);
	BAD("{\"id\":1,\"id\":2}", 9, "the key \"id\" appears twice");
	BAD("{\"id\":1,\"\\u0069d\":2}", 9, "the key \"id\" appears twice");
}

/* A4: the error says what is wrong and where, not the parser's state. */
static void test_review_a4(void **state)
{
	BAD("{\"cmd\":\"sta", 12, "unexpected end of the line: a string is not closed");
	BAD("42", 1, "the request must be a JSON object");
	BAD("null", 1, "the request must be a JSON object");
	BAD("{\"cmd\":\"hello\",\"id\":5} // c", 24, "comments are not allowed");
}

static void test_structure(void **state)
{
	OK("{}");
	OK(" \t\r\n{}\r\n\t ");
	OK("{\"a\":[],\"b\":{},\"c\":[[]],\"d\":[{}]}");
	OK("{ \"a\" : [ 1 , 2 ] , \"b\" : { } }");
	BAD("", 1, "the request must be a JSON object");
	BAD("   ", 4, "the request must be a JSON object");
	BAD("[1]", 1, "the request must be a JSON object");
	BAD("{\"a\":1}x", 8, "text after the end of the object");
	BAD("{\"a\":1}{}", 8, "text after the end of the object");
	BAD("{\"a\":1}\f", 8, "text after the end of the object");
	BAD("\v{}", 1, "the request must be a JSON object");
	BAD("{", 2, "unexpected end of the line: the object is not closed");
	BAD("{\"a\":1", 7, "unexpected end of the line: the object is not closed");
	BAD("{\"a\":[1", 8, "unexpected end of the line: an array is not closed");
	BAD("{\"a\":[", 7, "unexpected end of the line: an array is not closed");
	BAD("{\"a\"", 5, "unexpected end of the line: the object is not closed");
	BAD("{\"a\"}", 5, "expected ':' after the key, not '}'");
	BAD("{\"a\" 1}", 6, "expected ':' after the key, not '1'");
	BAD("{\"a\":}", 6, "expected a value, not '}'");
	BAD("{\"a\":1 \"b\":2}", 8, "expected ',' or '}' after a value, not '\"'");
	BAD("{,}", 2, "expected a key in double quotes or '}', not ','");
	BAD("{\"a\":1,,}", 8, "expected a key in double quotes, not ','");
	BAD("{a:1}", 2, "expected a key in double quotes or '}', not 'a'");
	BAD("{1:2}", 2, "expected a key in double quotes or '}', not '1'");
	BAD("{\"a\":[1,2,]}", 10, "a trailing comma is not allowed");
	BAD("{\"a\":{\"b\":1,}}", 12, "a trailing comma is not allowed");
	BAD("{\"a\":[,1]}", 7, "expected a value, not ','");
	BAD("{\"a\":[1,,2]}", 9, "expected a value, not ','");
	BAD("{\"a\":[1}", 8, "expected ',' or ']' after a value, not '}'");
	BAD("{\"a\":1]", 7, "expected ',' or '}' after a value, not ']'");
	BAD("{\"a\":1,\x01}", 8, "expected a key in double quotes, not the control character 0x01");
	BAD("{\"a\":\xc2\xa0" "1}", 6, "expected a value, not the character U+00A0");
	BAD("{/*c*/}", 2, "comments are not allowed");
	BAD("{\"a\":1}\n//", 9, "comments are not allowed");
}

static void test_numbers(void **state)
{
	OK("{\"a\":0,\"b\":-0,\"c\":0.5,\"d\":1e5,\"e\":1E+5,\"f\":1e-5,\"g\":0e0,\"h\":-0.0E-0}");
	OK("{\"a\":123.456e-789,\"b\":1e400,\"c\":123456789012345678901234567890}");
	OK("{\"a\":[0,1,-1,10,9.99]}");
	BAD("{\"a\":.5}", 6, "a number must start with a digit, not '.'");
	BAD("{\"a\":-.5}", 7, "'-' must be followed by a digit");
	BAD("{\"a\":+1}", 6, "a number may not start with '+'");
	BAD("{\"a\":1e}", 8, "an exponent needs at least one digit");
	BAD("{\"a\":1e+}", 9, "an exponent needs at least one digit");
	BAD("{\"a\":1.e5}", 8, "a number may not end with '.'");
	BAD("{\"a\":1.", 8, "a number may not end with '.'");
	BAD("{\"a\":-01}", 7, "a number may not have a leading zero");
	BAD("{\"a\":00}", 6, "a number may not have a leading zero");
	BAD("{\"a\":0x10}", 7, "expected ',' or '}' after a value, not 'x'");
	BAD("{\"a\":1.5.5}", 9, "expected ',' or '}' after a value, not '.'");
	BAD("{\"a\":-}", 7, "'-' must be followed by a digit");
	BAD("{\"a\":-", 7, "unexpected end of the line: a number is not complete");
	BAD("{\"a\":--1}", 7, "'-' must be followed by a digit");
	BAD("{\"a\":-Infinity}", 6, "-Infinity is not a JSON number");
	BAD("{\"a\":NaN}", 6, "NaN is not a JSON number");
}

static void test_literals(void **state)
{
	OK("{\"a\":true,\"b\":false,\"c\":null}");
	const char *lower = "not a JSON value (the literals are true, false and null, in lowercase)";
	BAD("{\"a\":TRUE}", 6, lower);
	BAD("{\"a\":False}", 6, lower);
	BAD("{\"a\":None}", 6, lower);
	BAD("{\"a\":nul}", 6, lower);
	BAD("{\"a\":undefined}", 6, lower);
	BAD("{\"a\":nulll}", 10, "expected ',' or '}' after a value, not 'l'");
	BAD("{\"a\":nul", 9, "unexpected end of the line: the object is not closed");
	BAD("{\"a\":[tr", 9, "unexpected end of the line: an array is not closed");
}

static void test_strings(void **state)
{
	OK("{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}");
	OK("{\"a\":\"\\u0000\\u001f\\u00E9\\uFFFF\\uDBFF\\uDFFF\"}");
	OK("{\"a\":\"\x7f\"}");                          /* DEL needs no escape */
	OK("{\"a\":\"\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e\"}"); /* U+00E9, U+20AC, U+1D11E */
	OK("{\"a\":\"\xf4\x8f\xbf\xbf\"}");              /* U+10FFFF, the last */
	OK("{\"a\":\"\xef\xbb\xbf\"}");                  /* U+FEFF inside a string */
	OK("{\"\xc3\xa9\":1}");
	BAD("{\"a\":\"tab\there\"}", 10, "a control character (0x09) in a string must be written as an escape");
	BAD("{\"a\":\"\x00\"}", 7, "a control character (0x00) in a string must be written as an escape");
	BAD("{\"a\":\"\\x41\"}", 7, "'\\x' is not an escape; a backslash is written '\\\\'");
	BAD("{\"a\":\"\\'\"}", 7, "'\\'' is not an escape; a backslash is written '\\\\'");
	BAD("{\"a\":\"\\U00e9\"}", 7, "'\\U' is not an escape; a backslash is written '\\\\'");
	BAD("{\"a\":\"\\\x01\"}", 7,
	    "a backslash in a string must start an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
	BAD("{\"a\":\"\\u12\"}", 7, "\\u must be followed by four hex digits");
	BAD("{\"a\":\"\\u12G4\"}", 7, "\\u must be followed by four hex digits");
	BAD("{\"a\":\"\\u12", 7, "\\u must be followed by four hex digits");
	BAD("{\"a\":\"\\ud834\"}", 7, "\\uD834 is the first half of a UTF-16 surrogate pair, without a second");
	BAD("{\"a\":\"\\ud834\\u0041\"}", 7,
	    "\\uD834 is the first half of a UTF-16 surrogate pair, without a second");
	BAD("{\"a\":\"\\ud834x\\udd1e\"}", 7,
	    "\\uD834 is the first half of a UTF-16 surrogate pair, without a second");
	BAD("{\"a\":\"\\ud834\\udd1e\\udd1e\"}", 19,
	    "\\uDD1E is the second half of a UTF-16 surrogate pair, without a first");
	BAD("{\"a\":\"\\ud834\\ud834\\udd1e\"}", 7,
	    "\\uD834 is the first half of a UTF-16 surrogate pair, without a second");
	BAD("{\"a\":\"x", 8, "unexpected end of the line: a string is not closed");
	BAD("{\"a\":\"x\\", 9, "unexpected end of the line: a string is not closed");
	BAD("{\"a\":\"x\\\"}", 11, "unexpected end of the line: a string is not closed");
	BAD("{'a':1}", 2, "strings and keys must be in double quotes, not single quotes");
	BAD("{\"a\":'x'}", 6, "strings and keys must be in double quotes, not single quotes");
}

/* RFC 3629 UTF-8, in strings and out of them. */
static void test_utf8(void **state)
{
	const char *bad = "the request is not valid UTF-8";
	BAD("{\"a\":\"\xc3\"}", 7, bad);            /* a lead byte without its continuation */
	BAD("{\"a\":\"\xc3", 7, bad);               /* ... at the end of the line */
	BAD("{\"a\":\"\xc0\x80\"}", 7, bad);        /* overlong NUL */
	BAD("{\"a\":\"\xc1\xbf\"}", 7, bad);        /* overlong */
	BAD("{\"a\":\"\xe0\x80\x80\"}", 7, bad);    /* overlong, 3 bytes */
	BAD("{\"a\":\"\xf0\x80\x80\x80\"}", 7, bad); /* overlong, 4 bytes */
	BAD("{\"a\":\"\xed\xa0\x80\"}", 7, bad);    /* U+D800 encoded */
	BAD("{\"a\":\"\xed\xbf\xbf\"}", 7, bad);    /* U+DFFF encoded */
	BAD("{\"a\":\"\xf4\x90\x80\x80\"}", 7, bad); /* U+110000 */
	BAD("{\"a\":\"\xf8\x88\x80\x80\x80\"}", 7, bad);
	BAD("{\"a\":\"\xff\"}", 7, bad);
	BAD("{\"a\":\"\x80\"}", 7, bad);            /* a lone continuation byte */
	BAD("{\"a\":\"ab\xe2\x82\"}", 9, bad);      /* cut short */
	BAD("\xff{}", 1, bad);
	BAD("{\"a\":1\xff}", 7, bad);
	/* A byte order mark is valid UTF-8 but not JSON whitespace. */
	BAD("\xef\xbb\xbf{}", 1, "the request must be a JSON object");
}

/* Build "{"a":" + `arrays` '[' + inner + as many ']' + "}". */
static size_t nest(char *buf, int arrays, const char *inner)
{
	size_t n = 0;
	memcpy(buf, "{\"a\":", 5);
	n = 5;
	for (int i = 0; i < arrays; i++)
		buf[n++] = '[';
	memcpy(buf + n, inner, strlen(inner));
	n += strlen(inner);
	for (int i = 0; i < arrays; i++)
		buf[n++] = ']';
	buf[n++] = '}';
	return n;
}

/* Values nested 32 levels deep at most, counted as json-c's tokener (made
 * with depth 32 in server.c) counts them: the object is level 1, each
 * member or element one below its container. So 31 containers may hold a
 * scalar; a 32nd container must be empty. */
static void test_depth(void **state)
{
	const char *deep = "nested deeper than 32 levels";
	char buf[256];
	size_t n = nest(buf, 30, "1"); /* 1 is the 32nd level */
	ok_with_id(buf, n, -1, 0);
	n = nest(buf, 31, "");         /* the empty array is the 32nd */
	ok_with_id(buf, n, -1, 0);
	n = nest(buf, 30, "{}");
	ok_with_id(buf, n, -1, 0);
	n = nest(buf, 31, "1");        /* 1 would be the 33rd */
	refused(buf, n, 5 + 31 + 1, deep);
	n = nest(buf, 31, "\"x\"");
	refused(buf, n, 5 + 31 + 1, deep);
	n = nest(buf, 32, "");         /* the 32nd '[' is the 33rd level */
	refused(buf, n, 5 + 32, deep);
	n = nest(buf, 30, "{\"b\":1}");   /* the object is the 32nd, its 1 the 33rd */
	refused(buf, n, 5 + 30 + 5 + 1, deep);
	n = nest(buf, 30, "[[1]]");
	refused(buf, n, 5 + 30 + 2, deep);

	/* Objects count the same: 31 of them around a scalar... */
	n = 0;
	for (int i = 0; i < 31; i++) {
		memcpy(buf + n, "{\"b\":", 5);
		n += 5;
	}
	buf[n++] = '1';
	for (int i = 0; i < 31; i++)
		buf[n++] = '}';
	ok_with_id(buf, n, -1, 0);
	/* ... but not 32. */
	memmove(buf + 5, buf, n);
	memcpy(buf, "{\"b\":", 5);
	buf[n + 5] = '}';
	refused(buf, n + 6, 5 * 32 + 1, deep);
}

/* Only the n bytes given are read: what follows them does not count. */
static void test_length_is_respected(void **state)
{
	refused("{\"a\":1}", 6, 7, "unexpected end of the line: the object is not closed");
	refused("{\"a\":\"x\"}", 7, 8, "unexpected end of the line: a string is not closed");
	refused("{\"a\":tru", 7, 8, "unexpected end of the line: the object is not closed");
	refused("{\"a\":\"\\u00e9\"}", 10, 7, "\\u must be followed by four hex digits");
	refused("{\"a\":\"\xc3\xa9\"}", 7, 7, "the request is not valid UTF-8");
	ok_with_id("{\"a\":1}xyz", 7, -1, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc_examples),
		cmocka_unit_test(test_review_a1),
		cmocka_unit_test(test_review_a2_a3_id_spans),
		cmocka_unit_test(test_review_a4),
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_length_is_respected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
