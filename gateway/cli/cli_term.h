// SPDX-License-Identifier: MIT
/* Where the output goes: colour only on a terminal (and not with NO_COLOR
 * or --color=never), tables fitted to the terminal's width (a pipe gets
 * every character). */
#ifndef EVGW_CLI_CLI_TERM_H
#define EVGW_CLI_CLI_TERM_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cli_args.h"

enum cli_style {
	CLI_PLAIN,
	CLI_BOLD,
	CLI_DIM,
	CLI_RED,
	CLI_BOLD_RED,
	CLI_YELLOW,
	CLI_GREEN,
};

struct cli_term {
	bool color;
	unsigned width; /* columns; 0: no limit (not a terminal) */
};

/* From the mode asked for, the environment (NO_COLOR, TERM=dumb, COLUMNS)
 * and whether fd is a terminal. */
void cli_term_init(struct cli_term *t, enum cli_color_mode mode, int fd);

/* The escape sequence that starts a style, and the one that ends it; ""
 * without colour. */
const char *cli_style_on(const struct cli_term *t, enum cli_style s);
const char *cli_style_off(const struct cli_term *t, enum cli_style s);

/* critical/error red, warning yellow, info dim. */
enum cli_style cli_severity_style(const char *severity);
/* A lamp list ("red stop, amber warning"): red for a red stop lamp, yellow
 * for amber, MIL or protect, plain for none. */
enum cli_style cli_lamp_style(const char *lamps);

/* Columns a UTF-8 text takes (one per character). */
size_t cli_text_width(const char *s);
/* The printf field width ("%-*s") that pads s to `cols` columns: a
 * translated word is wider in bytes than on the screen. */
int cli_pad(const char *s, int cols);
/* Copy s into out, cut to at most `cols` columns with "…" at the end when
 * it is longer. */
void cli_text_fit(const char *s, size_t cols, char *out, size_t cap);

#endif
