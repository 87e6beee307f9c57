// SPDX-License-Identifier: MIT
/* The two halves of evgw_candump_parse_line (candump.h), apart so that a
 * test can hold one against the other.
 *
 * The fast path reads the line candump -l and evgw's recorder write,
 * "(1700000000.001000) can0 1AB#0011223344556677" (FD "##F" too, an
 * optional " R"/" T"), straight through with eight hex digits at a time;
 * on anything else, including every error, it declines and the careful
 * parser reads the line, so messages and columns come from one place.
 * Whatever the fast path accepts, the careful parser reads the same. */
#ifndef EVGW_CAN_CANDUMP_FAST_H
#define EVGW_CAN_CANDUMP_FAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "can/candump.h"

/* Both parsers' classifiers (<ctype.h> depends on the locale): a hex
 * digit's value + 1 (0: not one), and 1 for what an interface name may
 * hold (letters, digits, '_', '.', '-'). */
extern const uint8_t evgw_candump_hex_plus1[256];
extern const uint8_t evgw_candump_iface_char[256];

/* True when the line was read; *out is then complete (zeroed first).
 * False: nothing is promised about *out. */
bool evgw_candump_parse_fast(const char *line, size_t len, struct evgw_candump_line *out);

/* The careful parser alone: evgw_candump_parse_line without the fast path. */
int evgw_candump_parse_careful(const char *line, size_t len, struct evgw_candump_line *out, size_t *err_col,
			       const char **err_msg);

#endif
