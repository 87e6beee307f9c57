// SPDX-License-Identifier: MIT
/* evgw.conf and the vehicle profiles take the same words for the same kind
 * of value (they once did not: "83.333k" and "Yes" worked in one file only).
 * Each word goes through both real loaders and must give the value listed
 * here, or be refused by both. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config/config.h"
#include "vehicle/profile.h"

/* 1/0 for a boolean, -1 when refused. */
static int config_bool(const char *word)
{
	struct evgw_config c;
	char text[256], err[256];
	int r;

	snprintf(text, sizeof text, "[bus a]\ndriver = replay\nreplay_loop = %s\n", word);
	assert_int_equal(evgw_config_defaults(&c, true), 0);
	r = evgw_config_load_string(&c, text, "t.conf", err, sizeof err) ? -1 : c.buses[0].replay_loop;
	evgw_config_free(&c);
	return r;
}

/* tmpl with each '@' replaced by word. */
static void fill(char *out, size_t cap, const char *tmpl, const char *word)
{
	size_t n = 0;

	for (; *tmpl; tmpl++) {
		const char *add = *tmpl == '@' ? word : tmpl;
		size_t len = *tmpl == '@' ? strlen(word) : 1;
		assert_true(n + len < cap);
		memcpy(out + n, add, len);
		n += len;
	}
	out[n] = '\0';
}

/* A profile from tmpl with word for each '@', or NULL when refused. */
static struct evgw_profile *profile(const char *tmpl, const char *word)
{
	char text[512], err[256];
	struct evgw_profile *p = NULL;

	fill(text, sizeof text, tmpl, word);
	if (evgw_profile_load_buffer(text, strlen(text), "t.ini", &p, err, sizeof err))
		return NULL;
	return p;
}

static int profile_bool(const char *word, bool did_signed)
{
	struct evgw_profile *p = profile(
		"[vehicle]\nname = t\n[bus b]\n[ecu e]\nprotocol = uds\nrequest = 1\nresponse = 2\ndm1 = @\n"
		"[did d]\necu = e\ndid = 1\nsigned = @\n",
		word);
	int r = p ? (did_signed ? p->dids[0].is_signed : p->ecus[0].dm1) : -1;
	evgw_profile_free(p);
	return r;
}

static void test_booleans(void **state)
{
	static const struct {
		const char *word;
		int value;
	} words[] = {
		{"yes", 1}, {"no", 0}, {"true", 1}, {"false", 0}, {"on", 1}, {"off", 0}, {"1", 1}, {"0", 0},
		{"Yes", 1}, {"NO", 0}, {"True", 1}, {"FALSE", 0}, {"On", 1}, {"oFF", 0},
		{"y", -1}, {"n", -1}, {"2", -1}, {"01", -1}, {"enabled", -1}, {"", -1}, {"yes please", -1},
	};

	(void)state;
	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		int c = config_bool(words[i].word), d = profile_bool(words[i].word, false),
		    s = profile_bool(words[i].word, true);
		if (c != words[i].value || d != words[i].value || s != words[i].value)
			fail_msg("'%s': config %d, profile dm1 %d, signed %d; want %d", words[i].word, c, d, s,
				 words[i].value);
	}
}

/* The bit rate in bit/s, or -1 when refused. */
static int64_t config_rate(const char *key, const char *word)
{
	struct evgw_config c;
	char text[256], err[256];
	int64_t r;

	snprintf(text, sizeof text, "[bus a]\ndriver = sim\n%s = %s\n", key, word);
	assert_int_equal(evgw_config_defaults(&c, true), 0);
	if (evgw_config_load_string(&c, text, "t.conf", err, sizeof err))
		r = -1;
	else
		r = strcmp(key, "bitrate") ? c.buses[0].data_bitrate : c.buses[0].bitrate;
	evgw_config_free(&c);
	return r;
}

static int64_t profile_rate(const char *key, const char *word)
{
	char tmpl[128];
	snprintf(tmpl, sizeof tmpl, "[vehicle]\nname = t\n[bus b]\n%s = @\n", key);
	struct evgw_profile *p = profile(tmpl, word);
	int64_t r = -1;
	if (p)
		r = strcmp(key, "bitrate") ? p->buses[0].data_bitrate : p->buses[0].bitrate;
	evgw_profile_free(p);
	return r;
}

static void test_bit_rates(void **state)
{
	static const struct {
		const char *word;
		int64_t nominal, data; /* -1: refused */
	} words[] = {
		{"500000", 500000, 500000}, {"500k", 500000, 500000}, {"500K", 500000, 500000},
		{"83.333k", 83333, 83333},  {"33.33k", 33330, 33330},  {"1M", 1000000, 1000000},
		{"0.5M", 500000, 500000},   {"5k", 5000, 5000},        {"1000", 1000, 1000},
		{"8M", 8000000, 8000000},   {"16M", -1, 16000000},     {"999", -1, -1},
		{"20M", -1, -1},            {"83.3333k", -1, -1},      {"1.5", -1, -1},
		{"500 k", -1, -1},          {"0x1F4", -1, -1},         {"1m", -1, -1},
		{"-500k", -1, -1},          {"", -1, -1},
	};

	(void)state;
	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		int64_t cn = config_rate("bitrate", words[i].word), pn = profile_rate("bitrate", words[i].word);
		int64_t cd = config_rate("data_bitrate", words[i].word),
			pd = profile_rate("data_bitrate", words[i].word);
		if (cn != words[i].nominal || pn != words[i].nominal || cd != words[i].data || pd != words[i].data)
			fail_msg("'%s': config %lld/%lld, profile %lld/%lld; want %lld/%lld", words[i].word,
				 (long long)cn, (long long)cd, (long long)pn, (long long)pd,
				 (long long)words[i].nominal, (long long)words[i].data);
	}
}

/* A bus's protocols list: the same words, stored in the same spelling. */
static void test_protocol_lists(void **state)
{
	struct evgw_config c;
	char err[256];

	(void)state;
	assert_int_equal(evgw_config_defaults(&c, true), 0);
	assert_int_equal(evgw_config_load_string(&c, "[bus a]\ndriver = sim\nprotocols = J1939, Uds kwp OBD isotp\n",
						 "t.conf", err, sizeof err),
			 0);
	struct evgw_profile *p = profile("[vehicle]\nname = t\n[bus b]\nprotocols = @\n", "J1939, Uds kwp OBD isotp");
	assert_non_null(p);
	static const char *const want[] = {"j1939", "uds", "kwp", "obd", "isotp"};
	assert_int_equal(c.buses[0].n_protocols, 5);
	assert_int_equal(p->buses[0].n_protocols, 5);
	for (unsigned i = 0; i < 5; i++) {
		assert_string_equal(c.buses[0].protocols[i], want[i]);
		assert_string_equal(p->buses[0].protocols[i], want[i]);
	}
	evgw_config_free(&c);
	evgw_profile_free(p);
	assert_null(profile("[vehicle]\nname = t\n[bus b]\nprotocols = @\n", "can"));
}

/* One set of log level names for evgw.conf and evgwd --log-level. */
static void test_log_levels(void **state)
{
	static const struct {
		const char *word;
		int level;
	} words[] = {
		{"err", EVGW_LOG_ERR},	     {"error", EVGW_LOG_ERR},	  {"ERROR", EVGW_LOG_ERR},
		{"warning", EVGW_LOG_WARNING}, {"warn", EVGW_LOG_WARNING}, {"notice", EVGW_LOG_NOTICE},
		{"info", EVGW_LOG_INFO},       {"Debug", EVGW_LOG_DEBUG},  {"crit", -1},
		{"verbose", -1},	       {"", -1},		   {"errors", -1},
	};

	(void)state;
	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		enum evgw_log_level l = EVGW_LOG_INFO;
		int parsed = evgw_log_level_parse(words[i].word, &l) ? -1 : (int)l;
		struct evgw_config c;
		char text[128], err[256];
		snprintf(text, sizeof text, "[gateway]\nlog_level = %s\n", words[i].word);
		assert_int_equal(evgw_config_defaults(&c, true), 0);
		int conf = evgw_config_load_string(&c, text, "t.conf", err, sizeof err) ? -1 : (int)c.log_level;
		evgw_config_free(&c);
		if (parsed != words[i].level || conf != words[i].level)
			fail_msg("'%s': parser %d, config %d; want %d", words[i].word, parsed, conf, words[i].level);
	}
	enum evgw_log_level l;
	assert_int_equal(evgw_log_level_parse(NULL, &l), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_booleans),
		cmocka_unit_test(test_bit_rates),
		cmocka_unit_test(test_protocol_lists),
		cmocka_unit_test(test_log_levels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
