// SPDX-License-Identifier: MIT
/* The CLI's words and numbers for people (gateway/cli/cli_format.c,
 * cli_suggest.c, cli_term.c): expected values worked out by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli_format.h"
#include "cli/cli_suggest.h"
#include "cli/cli_term.h"

static void check_duration(double s, const char *want)
{
	char buf[32];
	cli_fmt_duration(s, buf, sizeof buf);
	assert_string_equal(buf, want);
}

static void durations(void **state)
{
	(void)state;
	check_duration(0, "0 s");
	check_duration(-3, "0 s");
	check_duration(45.9, "45 s");
	check_duration(60, "1 min");
	check_duration(125, "2 min 5 s");
	check_duration(3600, "1 h");
	check_duration(3781.5, "1 h 3 min"); /* 1 h 3 min 1 s: the two largest units */
	check_duration(90061, "1 d 1 h");    /* 86400 + 3600 + 60 + 1 */
	check_duration(86400 * 3, "3 d");
}

static void counts(void **state)
{
	(void)state;
	char buf[32];
	cli_fmt_count(1, "DTC", "DTCs", buf, sizeof buf);
	assert_string_equal(buf, "1 DTC");
	cli_fmt_count(2, "DTC", "DTCs", buf, sizeof buf);
	assert_string_equal(buf, "2 DTCs");
	cli_fmt_count(0, "DTC", "DTCs", buf, sizeof buf);
	assert_string_equal(buf, "0 DTCs");
}

static void check_ecu(int64_t addr, const char *name, bool j1939, const char *want)
{
	char buf[64];
	cli_fmt_ecu(addr, name, j1939, buf, sizeof buf);
	assert_string_equal(buf, want);
}

static void ecus(void **state)
{
	(void)state;
	check_ecu(0x7E7, "bms", false, "bms (0x7E7)");
	check_ecu(0x7E7, NULL, false, "0x7E7");
	check_ecu(0x7E7, "", false, "0x7E7");
	check_ecu(0xF3, "bms", true, "bms (SA 0xF3)");
	check_ecu(0x00, NULL, true, "SA 0x00");
	check_ecu(0x18DA00F1, NULL, false, "0x18DA00F1");
	check_ecu(-1, "hvac", false, "hvac");
	check_ecu(-1, NULL, false, "?");
	/* Older daemons put the address in the name: kept as it is. */
	check_ecu(0x7E0, "OBD ECU 0x7E8", false, "OBD ECU 0x7E8");
	assert_string_equal(cli_protocol_name("kwp"), "KWP2000");
	assert_string_equal(cli_protocol_name("obd"), "OBD-II");
	assert_string_equal(cli_protocol_name("xcp"), "xcp");
}

static void times(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	char buf[40];
	/* 1764340000 = 20420 days (2025-11-28) and 52000 s = 14:26:40. */
	cli_fmt_time(1764340000.25, CLI_TIME_CLOCK_MS, buf, sizeof buf);
	assert_string_equal(buf, "14:26:40.250");
	cli_fmt_time(1764340000.25, CLI_TIME_DATE, buf, sizeof buf);
	assert_string_equal(buf, "2025-11-28 14:26:40");
	cli_fmt_time(1764340000.25, CLI_TIME_CLOCK, buf, sizeof buf);
	assert_string_equal(buf, "14:26:40");
	cli_fmt_time(1e100, CLI_TIME_DATE, buf, sizeof buf); /* no calendar date: the number */
	assert_string_equal(buf, "1e+100");
	cli_fmt_time(1764340000.25, CLI_TIME_RECENT, buf, sizeof buf); /* not today */
	assert_string_equal(buf, "2025-11-28 14:26");
	time_t now = time(NULL);
	struct tm tm;
	char want[16];
	gmtime_r(&now, &tm);
	strftime(want, sizeof want, "%H:%M:%S", &tm);
	cli_fmt_time((double)now, CLI_TIME_RECENT, buf, sizeof buf); /* today: the clock */
	assert_string_equal(buf, want);
}

static void distances(void **state)
{
	(void)state;
	assert_int_equal(cli_edit_distance("cra", "car"), 1); /* one transposition */
	assert_int_equal(cli_edit_distance("kitten", "sitting"), 3);
	assert_int_equal(cli_edit_distance("", "abc"), 3);
	assert_int_equal(cli_edit_distance("bus", "bus"), 0);
	const char *buses[] = {"car", "ebus"};
	assert_string_equal(cli_suggest("cra", buses, 2), "car");
	assert_string_equal(cli_suggest("CAR", buses, 2), "car");
	assert_string_equal(cli_suggest("ebsu", buses, 2), "ebus");
	assert_null(cli_suggest("xyz", buses, 2));
	assert_null(cli_suggest("car", buses, 2)); /* the name itself is no suggestion */
	assert_null(cli_suggest("c", buses, 2));   /* one letter: anything would be 1 away */
	const char *cmds[] = {"status", "signals", "buses"};
	assert_string_equal(cli_suggest("stauts", cmds, 3), "status");
	assert_string_equal(cli_suggest("signal", cmds, 3), "signals");
}

static void check_fit(const char *s, size_t cols, const char *want)
{
	char buf[64];
	cli_text_fit(s, cols, buf, sizeof buf);
	assert_string_equal(buf, want);
}

static void fitting(void **state)
{
	(void)state;
	check_fit("abcdef", 6, "abcdef");
	check_fit("abcdef", 4, "abc\xE2\x80\xA6");
	check_fit("\xC3\xA4\xC3\xB6\xC3\xBC\xC3\x9F", 3, "\xC3\xA4\xC3\xB6\xE2\x80\xA6"); /* äöüß -> äö… */
	check_fit("abc", 0, "");
	assert_int_equal(cli_text_width("\xC3\xA4x\xE2\x80\xA6"), 3);
	struct cli_term t = {.color = false, .width = 0};
	assert_string_equal(cli_style_on(&t, CLI_RED), "");
	assert_string_equal(cli_style_off(&t, CLI_RED), "");
	t.color = true;
	assert_string_equal(cli_style_on(&t, CLI_RED), "\033[31m");
	assert_string_equal(cli_style_off(&t, CLI_RED), "\033[0m");
	assert_int_equal(cli_severity_style("critical"), CLI_BOLD_RED);
	assert_int_equal(cli_severity_style("info"), CLI_DIM);
	assert_int_equal(cli_lamp_style("red stop, amber warning"), CLI_RED);
	assert_int_equal(cli_lamp_style("amber warning"), CLI_YELLOW);
	assert_int_equal(cli_lamp_style(""), CLI_PLAIN);
}

static void colour_choice(void **state)
{
	(void)state;
	/* stdin of a ctest run is not a terminal: auto means no colour. */
	int fd = 0;
	struct cli_term t;
	unsetenv("NO_COLOR");
	cli_term_init(&t, CLI_COLOR_ALWAYS, fd);
	assert_true(t.color);
	cli_term_init(&t, CLI_COLOR_NEVER, fd);
	assert_false(t.color);
	setenv("NO_COLOR", "1", 1);
	cli_term_init(&t, CLI_COLOR_ALWAYS, fd); /* asked for: wins over NO_COLOR */
	assert_true(t.color);
	unsetenv("NO_COLOR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(durations), cmocka_unit_test(counts),	  cmocka_unit_test(ecus),
		cmocka_unit_test(times),	  cmocka_unit_test(distances),
		cmocka_unit_test(fitting),   cmocka_unit_test(colour_choice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
