// SPDX-License-Identifier: MIT
#include <string.h>
#include <strings.h>

#include "cli/cli_suggest.h"

#define MAX_WORD 64

unsigned cli_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la >= MAX_WORD || lb >= MAX_WORD)
		return 1000;
	unsigned d[MAX_WORD + 1][MAX_WORD + 1];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			unsigned cost = a[i - 1] != b[j - 1];
			unsigned best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

const char *cli_suggest(const char *word, const char *const *names, size_t n)
{
	size_t len = strlen(word);
	unsigned limit = len >= 5 ? 2 : 1;
	if (limit >= len)
		limit = len ? (unsigned)len - 1 : 0;
	const char *best = NULL;
	unsigned best_d = limit + 1;
	for (size_t i = 0; i < n; i++) {
		/* A different case only ("CAR") is the closest there is. */
		unsigned dist = !strcasecmp(word, names[i]) ? 0 : cli_edit_distance(word, names[i]);
		if (dist < best_d && strcmp(word, names[i])) {
			best = names[i];
			best_d = dist;
		}
	}
	return best;
}
