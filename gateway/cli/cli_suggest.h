// SPDX-License-Identifier: MIT
/* "did you mean ...?": the closest of a few names to a misspelt one. */
#ifndef EVGW_CLI_CLI_SUGGEST_H
#define EVGW_CLI_CLI_SUGGEST_H

#include <stddef.h>

/* Edit distance with transpositions (Damerau-Levenshtein, optimal string
 * alignment): "cra" is 1 from "car". Words longer than 63 bytes: a large
 * number. */
unsigned cli_edit_distance(const char *a, const char *b);

/* The name closest to word when it is close enough to be a slip (at most
 * 1 edit for short words, 2 from 5 letters on, never the whole word), or
 * NULL. Ties go to the first. */
const char *cli_suggest(const char *word, const char *const *names, size_t n);

#endif
