// SPDX-License-Identifier: MIT
/* evgw-web's readers of outside input and its small pieces: Accept-Language
 * (RFC 9110 12.5.4 examples and hand-made headers), gettext catalogs (a .mo
 * laid out by hand from the GNU gettext manual's format, and msgfmt's own
 * output for po/ru.po), ADDR:PORT, tokens, and the event hub's bounds. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/textbuf.h"
#include "web/web_auth.h"
#include "web/web_config.h"
#include "web/web_hub.h"
#include "web/web_mo.h"
#include "web/web_server.h"

static void test_accept_language(void **state)
{
	(void)state;
	assert_string_equal(web_pick_lang(NULL), "en");
	assert_string_equal(web_pick_lang(""), "en");
	assert_string_equal(web_pick_lang("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7"), "ru");
	assert_string_equal(web_pick_lang("en-US,en;q=0.9,ru;q=0.8"), "en");
	assert_string_equal(web_pick_lang("de-DE, ru;q=0.5"), "ru");    /* German not offered */
	assert_string_equal(web_pick_lang("en;q=0.5, ru;q=0.7"), "ru");  /* highest q wins */
	assert_string_equal(web_pick_lang("ru;q=0.7, en;q=0.7"), "ru");  /* first on a tie */
	assert_string_equal(web_pick_lang("ru;q=0, en;q=0.1"), "en");    /* q=0: not wanted */
	assert_string_equal(web_pick_lang("RU"), "ru");                  /* case-insensitive */
	assert_string_equal(web_pick_lang("ru;q=2"), "en");              /* q above 1: skipped */
	assert_string_equal(web_pick_lang("ru;q=abc"), "en");
	assert_string_equal(web_pick_lang("ru;level=1"), "en");          /* not a q: skipped */
	assert_string_equal(web_pick_lang("rus, russian"), "en");        /* not 2-letter primary tags */
	assert_string_equal(web_pick_lang("*"), "en");
	assert_string_equal(web_pick_lang(",,,;;;q=,"), "en");
	assert_string_equal(web_pick_lang("ru;q=0.001"), "ru");
	assert_string_equal(web_pick_lang("en;q=0.0001, ru;q=0.001"), "ru"); /* 4th digit ignored: 0 */
}

/* A .mo written out by hand: 32-bit little-endian words, as the manual's
 * "The Format of GNU MO Files" lays them out. */
static size_t put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
	return 4;
}

static size_t make_mo(unsigned char *d, const char *const *ids, const char *const *strs, uint32_t n)
{
	uint32_t orig = 28, trans = 28 + 8 * n, at = 28 + 16 * n;
	put32(d, 0x950412de);
	put32(d + 4, 0);
	put32(d + 8, n);
	put32(d + 12, orig);
	put32(d + 16, trans);
	put32(d + 20, 0);
	put32(d + 24, 0);
	for (uint32_t i = 0; i < n; i++) {
		size_t l = strlen(ids[i]);
		put32(d + orig + 8 * i, (uint32_t)l);
		put32(d + orig + 8 * i + 4, at);
		memcpy(d + at, ids[i], l + 1);
		at += (uint32_t)l + 1;
	}
	for (uint32_t i = 0; i < n; i++) {
		size_t l = strlen(strs[i]);
		put32(d + trans + 8 * i, (uint32_t)l);
		put32(d + trans + 8 * i + 4, at);
		memcpy(d + at, strs[i], l + 1);
		at += (uint32_t)l + 1;
	}
	return at;
}

static void test_mo_by_hand(void **state)
{
	(void)state;
	const char *ids[] = {"", "A\"b", "Yes", "Untranslated"};
	const char *strs[] = {"Content-Type: text/plain; charset=UTF-8\n", "\xd0\x94\"", "\xd0\x94\xd0\xb0", ""};
	unsigned char d[512];
	size_t len = make_mo(d, ids, strs, 4);
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	char err[200];
	assert_int_equal(web_mo_json(d, len, &tb, err, sizeof err), 0);
	/* The header and the untranslated text are left out. */
	assert_string_equal(tb.buf, "{\"A\\\"b\":\"\xd0\x94\\\"\",\"Yes\":\"\xd0\x94\xd0\xb0\"}");

	/* Big-endian files are read too. */
	unsigned char b[512];
	memcpy(b, d, len);
	for (size_t w = 0; w < 28 + 16 * 4; w += 4) { /* the header and both tables */
		unsigned char t0 = b[w], t1 = b[w + 1];
		b[w] = b[w + 3];
		b[w + 1] = b[w + 2];
		b[w + 2] = t1;
		b[w + 3] = t0;
	}
	evgw_textbuf_reset(&tb);
	assert_int_equal(web_mo_json(b, len, &tb, err, sizeof err), 0);
	assert_string_equal(tb.buf, "{\"A\\\"b\":\"\xd0\x94\\\"\",\"Yes\":\"\xd0\x94\xd0\xb0\"}");

	/* Damage: cut short, a string past the end, no terminator, a bad magic, a huge count. */
	evgw_textbuf_reset(&tb);
	assert_int_equal(web_mo_json(d, 19, &tb, err, sizeof err), -EINVAL); /* no room for the 5 header words */
	assert_non_null(strstr(err, "offset 0"));
	assert_int_equal(web_mo_json(d, len - 3, &tb, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "runs past the end"));
	unsigned char c[512];
	memcpy(c, d, len);
	c[len - 1] = 'x'; /* the last string's NUL */
	assert_int_equal(web_mo_json(c, len, &tb, err, sizeof err), -EINVAL);
	memcpy(c, d, len);
	c[0] = 0;
	assert_int_equal(web_mo_json(c, len, &tb, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "magic"));
	memcpy(c, d, len);
	put32(c + 8, 0x10000000);
	assert_int_equal(web_mo_json(c, len, &tb, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "offset 8"));
	memcpy(c, d, len);
	put32(c + 12, 0xFFFFFFF0u); /* the table's offset near 4 GiB */
	assert_int_equal(web_mo_json(c, len, &tb, err, sizeof err), -EINVAL);
	/* A failed reading leaves the buffer as it was. */
	assert_true(tb.len == 0);
	evgw_textbuf_free(&tb);
}

/* msgfmt's catalog for po/ru.po (built beside the tests). */
static void test_mo_from_msgfmt(void **state)
{
	(void)state;
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	char err[300];
	int r = web_mo_file_json(EVGW_TEST_MO, &tb, err, sizeof err);
	if (r == -ENOENT) {
		evgw_textbuf_free(&tb);
		skip();
	}
	assert_int_equal(r, 0);
	assert_non_null(strstr(tb.buf, "\"Vehicle\":\"\xd0\x90\xd0\xb2\xd1\x82\xd0\xbe\xd0\xbc\xd0\xbe\xd0\xb1\xd0\xb8\xd0\xbb\xd1\x8c\""));
	assert_true(evgw_utf8_valid(tb.buf, tb.len));
	evgw_textbuf_free(&tb);
	assert_int_equal(web_mo_file_json("/nonexistent/evgw.mo", &tb, err, sizeof err), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/evgw.mo"));
	assert_int_equal(web_mo_file_json("/dev/null", &tb, err, sizeof err), -EINVAL);
	evgw_textbuf_free(&tb);
}

static void test_listen(void **state)
{
	(void)state;
	char host[64];
	unsigned port;
	assert_int_equal(web_config_listen("127.0.0.1:8080", host, sizeof host, &port), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 8080);
	assert_int_equal(web_config_listen("[::1]:80", host, sizeof host, &port), 0);
	assert_string_equal(host, "::1");
	assert_int_equal(port, 80);
	assert_int_equal(web_config_listen("0.0.0.0:0", host, sizeof host, &port), 0);
	const char *bad[] = {"::1:80", "127.0.0.1", "127.0.0.1:", ":80", "1.2.3.4:65536", "1.2.3.4:-1",
			     "1.2.3.4:8o", "[::1]80", "[::1", "[]:80", "1.2.3.4:+80"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(web_config_listen(bad[i], host, sizeof host, &port), -EINVAL);
}

static void test_tokens(void **state)
{
	(void)state;
	char a[WEB_TOKEN_LEN + 1], b[WEB_TOKEN_LEN + 1];
	assert_int_equal(web_token(a), 0);
	assert_int_equal(web_token(b), 0);
	assert_int_equal(strlen(a), 43);
	assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), 43);
	assert_string_not_equal(a, b);
	assert_true(web_token_equal(a, a));
	assert_false(web_token_equal(a, b));
	assert_false(web_token_equal("", ""));
	assert_false(web_token_equal("abc", "abcd"));
}

static void test_hub_bounds(void **state)
{
	(void)state;
	struct web_hub h;
	assert_int_equal(web_hub_init(&h, 2), 0);
	struct web_hub_reader r1, r2, r3;
	assert_true(web_hub_open(&h, &r1));
	assert_true(web_hub_open(&h, &r2));
	assert_false(web_hub_open(&h, &r3)); /* max_streams */
	char *t;
	size_t n;
	assert_int_equal(web_hub_next(&h, &r1, 0, &t, &n), 0); /* nothing yet */
	assert_int_equal(web_hub_publish(&h, "faults", "{\"a\":1}", 7), 0);
	assert_int_equal(web_hub_next(&h, &r1, 0, &t, &n), 1);
	assert_string_equal(t, "event: faults\ndata: {\"a\":1}\n\n");
	assert_int_equal(n, strlen(t));
	free(t);
	/* r2 falls behind by more than the ring: one resync, then the newest. */
	for (int i = 0; i < WEB_HUB_RING + 5; i++) {
		char j[32];
		int l = snprintf(j, sizeof j, "{\"i\":%d}", i);
		assert_int_equal(web_hub_publish(&h, "signals", j, (size_t)l), 0);
	}
	assert_int_equal(web_hub_next(&h, &r2, 0, &t, &n), 1);
	assert_string_equal(t, "event: resync\ndata: {}\n\n");
	free(t);
	assert_int_equal(web_hub_next(&h, &r2, 0, &t, &n), 0);
	web_hub_close(&h);
	assert_true(web_hub_open(&h, &r3));
	web_hub_stop(&h);
	assert_int_equal(web_hub_next(&h, &r3, 1000, &t, &n), -ESHUTDOWN);
	web_hub_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept_language), cmocka_unit_test(test_mo_by_hand),
		cmocka_unit_test(test_mo_from_msgfmt),   cmocka_unit_test(test_listen),
		cmocka_unit_test(test_tokens),           cmocka_unit_test(test_hub_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
