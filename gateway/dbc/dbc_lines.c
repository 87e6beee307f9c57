// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dbc/dbc.h"

int dbc_lines_build(const struct dbc_db *db, struct dbc_lines *li)
{
	uint32_t n = 1;
	const char *p = db->text, *end = db->text + db->text_len;
	while ((p = memchr(p, '\n', (size_t)(end - p)))) {
		n++;
		p++;
	}
	li->starts = malloc((size_t)n * sizeof *li->starts);
	if (!li->starts) {
		li->n = 0;
		return -ENOMEM;
	}
	li->n = 0;
	li->starts[li->n++] = 0;
	for (p = db->text; (p = memchr(p, '\n', (size_t)(end - p)));) {
		p++;
		li->starts[li->n++] = (uint32_t)(p - db->text);
	}
	return 0;
}

void dbc_lines_locate(const struct dbc_lines *li, uint32_t off, uint32_t *line, uint32_t *col)
{
	if (!li->n) {
		*line = 0;
		*col = 0;
		return;
	}
	uint32_t lo = 0, hi = li->n; /* last start <= off */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (li->starts[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = lo + 1;
	*col = off - li->starts[lo] + 1;
}

void dbc_lines_free(struct dbc_lines *li)
{
	free(li->starts);
	li->starts = NULL;
	li->n = 0;
}
