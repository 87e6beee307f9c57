// SPDX-License-Identifier: MIT
/* Accept-Language (RFC 9110 12.5.4): "ru-RU,ru;q=0.9,en;q=0.8". Each
 * item's primary subtag against ours; q from 0 to 1 (absent: 1; 0: not
 * wanted); anything malformed is skipped, never an error. */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_server.h"

static const char *const langs[WEB_LANGS] = {"en", "ru"};

/* q's value at p (after "q="): 0..1000 or -1. */
static int qvalue(const char *p, const char *end)
{
	if (p >= end || (*p != '0' && *p != '1'))
		return -1;
	int v = (*p - '0') * 1000;
	p++;
	if (p < end && *p == '.') {
		p++;
		int scale = 100;
		for (int i = 0; i < 3 && p < end && isdigit((unsigned char)*p); i++, p++, scale /= 10)
			v += (*p - '0') * scale;
	}
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p == end && v <= 1000 ? v : -1;
}

const char *web_pick_lang(const char *h)
{
	if (!h)
		return "en";
	const char *best = "en";
	int best_q = -1;
	const char *p = h;
	while (*p) {
		const char *item = p;
		const char *comma = strchr(p, ',');
		const char *end = comma ? comma : p + strlen(p);
		p = comma ? comma + 1 : end;
		while (item < end && (*item == ' ' || *item == '\t'))
			item++;
		const char *tag_end = item;
		while (tag_end < end && (isalpha((unsigned char)*tag_end) || *tag_end == '-' || *tag_end == '*'))
			tag_end++;
		int q = 1000;
		const char *semi = memchr(tag_end, ';', (size_t)(end - tag_end));
		if (semi) {
			const char *qs = semi + 1;
			while (qs < end && (*qs == ' ' || *qs == '\t'))
				qs++;
			if (end - qs >= 2 && (qs[0] == 'q' || qs[0] == 'Q') && qs[1] == '=')
				q = qvalue(qs + 2, end);
			else
				q = -1;
		}
		size_t primary = 0;
		while (item + primary < tag_end && item[primary] != '-')
			primary++;
		if (q <= 0 || primary != 2)
			continue;
		for (unsigned i = 0; i < WEB_LANGS; i++)
			if (tolower((unsigned char)item[0]) == langs[i][0] &&
			    tolower((unsigned char)item[1]) == langs[i][1] && q > best_q) {
				best = langs[i];
				best_q = q;
			}
	}
	return best;
}
