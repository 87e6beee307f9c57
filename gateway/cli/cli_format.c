// SPDX-License-Identifier: MIT
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli_format.h"
#include "cli/cli_i18n.h"

void cli_fmt_duration(double seconds, char *out, size_t cap)
{
	static const struct {
		const char *unit;
		uint64_t secs;
	} units[] = {{NC_("unit", "d"), 86400}, {NC_("unit", "h"), 3600}, {NC_("unit", "min"), 60}, {NC_("unit", "s"), 1}};
	/* Up to ~3 million years; beyond that (or NaN) the daemon is wrong. */
	uint64_t s = seconds > 0 && seconds < 1e14 ? (uint64_t)seconds : 0;
	for (size_t i = 0; i < 3; i++) {
		if (s < units[i].secs)
			continue;
		uint64_t big = s / units[i].secs, small = s % units[i].secs / units[i + 1].secs;
		if (small)
			snprintf(out, cap, "%" PRIu64 " %s %" PRIu64 " %s", big, cli_in_context("unit", units[i].unit), small,
				 cli_in_context("unit", units[i + 1].unit));
		else
			snprintf(out, cap, "%" PRIu64 " %s", big, cli_in_context("unit", units[i].unit));
		return;
	}
	snprintf(out, cap, "%" PRIu64 " %s", s, cli_in_context("unit", "s"));
}

void cli_fmt_count(int64_t n, const char *one, const char *many, char *out, size_t cap)
{
	snprintf(out, cap, "%" PRId64 " %s", n, ngettext(one, many, n < 0 ? (unsigned long)-n : (unsigned long)n));
}

void cli_fmt_time(double ts, enum cli_time_form form, char *out, size_t cap)
{
	if (!(ts > -1e11 && ts < 1e11)) { /* NaN, or no date a calendar shows */
		snprintf(out, cap, "%g", ts);
		return;
	}
	time_t t = (time_t)ts, now = time(NULL);
	struct tm tm, today;
	bool date = form == CLI_TIME_DATE, minutes = false;
	if (form == CLI_TIME_RECENT && localtime_r(&now, &today) && localtime_r(&t, &tm) &&
	    (tm.tm_year != today.tm_year || tm.tm_yday != today.tm_yday))
		date = minutes = true;
	size_t n = 0;
	if (localtime_r(&t, &tm))
		n = minutes ? strftime(out, cap, "%Y-%m-%d %H:%M", &tm)
		    : date  ? strftime(out, cap, "%Y-%m-%d %H:%M:%S", &tm)
			    : strftime(out, cap, "%H:%M:%S", &tm);
	if (!n) {
		snprintf(out, cap, "%.3f", ts);
		return;
	}
	if (form == CLI_TIME_CLOCK_MS) {
		size_t len = strlen(out);
		int milli = (int)((ts - (double)t) * 1000.0);
		snprintf(out + len, cap - len, ".%03d", milli < 0 ? 0 : milli > 999 ? 999 : milli);
	}
}

void cli_fmt_ecu(int64_t addr, const char *name, bool j1939, char *out, size_t cap)
{
	bool named = name && *name;
	if (named && strstr(name, "0x")) {
		snprintf(out, cap, "%s", name);
		return;
	}
	char a[24] = "";
	if (addr >= 0)
		snprintf(a, sizeof a, j1939 ? "SA 0x%02" PRIX64 : "0x%03" PRIX64, addr);
	if (named && *a)
		snprintf(out, cap, "%s (%s)", name, a);
	else
		snprintf(out, cap, "%s", named ? name : *a ? a : "?");
}

const char *cli_protocol_name(const char *protocol)
{
	static const char *const names[][2] = {
		{"uds", "UDS"}, {"kwp", "KWP2000"}, {"obd", "OBD-II"}, {"j1939", "J1939"}, {"dbc", "DBC"},
		{"gbt27930", "GB/T 27930"},
	};
	if (!protocol)
		return "?";
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(protocol, names[i][0]))
			return names[i][1];
	return protocol;
}
