// SPDX-License-Identifier: MIT
#include "daemon/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void evgw_log_init(struct evgw_log *l, enum evgw_log_level level)
{
	l->level = level;
	l->journal = getenv("JOURNAL_STREAM") != NULL;
}

void evgw_log(const struct evgw_log *l, enum evgw_log_level level, const char *fmt, ...)
{
	if (level > l->level)
		return;
	static const char *const names[] = {"", "", "", "error: ", "warning: ", "", "", "debug: "};
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	/* One write per line so lines from a restart never interleave. */
	if (l->journal)
		fprintf(stderr, "<%d>%s\n", (int)level, line);
	else
		fprintf(stderr, "evgwd: %s%s\n", names[level], line);
}
