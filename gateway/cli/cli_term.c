// SPDX-License-Identifier: MIT
/* Colour and width for people, nothing for pipes: a script that greps
 * evgw's output never meets an escape sequence or a cut line. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/cli_term.h"

void cli_term_init(struct cli_term *t, enum cli_color_mode mode, int fd)
{
	bool tty = isatty(fd) == 1;
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
	/* no-color.org: set and not empty means no colour. */
	bool env_off = (no_color && *no_color) || (term && !strcmp(term, "dumb"));
	t->color = mode == CLI_COLOR_ALWAYS || (mode == CLI_COLOR_AUTO && tty && !env_off);
	t->width = 0;
	if (!tty)
		return;
	struct winsize ws;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
		t->width = ws.ws_col;
		return;
	}
	const char *cols = getenv("COLUMNS");
	long c = cols ? strtol(cols, NULL, 10) : 0;
	t->width = c > 0 && c < 10000 ? (unsigned)c : 80;
}

const char *cli_style_on(const struct cli_term *t, enum cli_style s)
{
	static const char *const sgr[] = {
		[CLI_PLAIN] = "",	  [CLI_BOLD] = "\033[1m",   [CLI_DIM] = "\033[2m",
		[CLI_RED] = "\033[31m",	  [CLI_BOLD_RED] = "\033[1;31m", [CLI_YELLOW] = "\033[33m",
		[CLI_GREEN] = "\033[32m",
	};
	return t->color ? sgr[s] : "";
}

const char *cli_style_off(const struct cli_term *t, enum cli_style s)
{
	return t->color && s != CLI_PLAIN ? "\033[0m" : "";
}

enum cli_style cli_severity_style(const char *severity)
{
	if (!severity)
		return CLI_PLAIN;
	if (!strcmp(severity, "critical"))
		return CLI_BOLD_RED;
	if (!strcmp(severity, "error"))
		return CLI_RED;
	if (!strcmp(severity, "warning"))
		return CLI_YELLOW;
	if (!strcmp(severity, "info"))
		return CLI_DIM;
	return CLI_PLAIN;
}

enum cli_style cli_lamp_style(const char *lamps)
{
	if (!lamps || !*lamps)
		return CLI_PLAIN;
	if (strcasestr(lamps, "red"))
		return CLI_RED;
	return CLI_YELLOW;
}

size_t cli_text_width(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int cli_pad(const char *s, int cols)
{
	return cols + (int)(strlen(s) - cli_text_width(s));
}

void cli_text_fit(const char *s, size_t cols, char *out, size_t cap)
{
	if (!cap)
		return;
	size_t len = strlen(s);
	if (cli_text_width(s) <= cols) {
		size_t n = len < cap - 1 ? len : cap - 1;
		memcpy(out, s, n);
		out[n] = '\0';
		return;
	}
	/* cols - 1 characters, then the ellipsis (3 bytes, one column). */
	size_t keep = 0, chars = 0;
	while (s[keep] && chars < (cols ? cols - 1 : 0)) {
		keep++;
		while (((unsigned char)s[keep] & 0xC0) == 0x80)
			keep++;
		chars++;
	}
	if (keep + 4 > cap)
		keep = cap > 4 ? cap - 4 : 0;
	while (keep && ((unsigned char)s[keep] & 0xC0) == 0x80) /* not inside a character */
		keep--;
	memcpy(out, s, keep);
	if (cols)
		memcpy(out + keep, "\xE2\x80\xA6", 4); /* U+2026 and the NUL */
	else
		out[keep] = '\0';
}
