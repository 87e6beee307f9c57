// SPDX-License-Identifier: MIT
/* Cells are kept until print so that every column gets the width of its
 * widest cell: a table of two buses is as narrow as their names. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_i18n.h"
#include "cli/cli_table.h"
#include "util/textbuf.h"

/* Below this many columns the last one is not cut any more (the line
 * wraps instead: a description of 3 letters helps nobody). */
#define MIN_LAST_COL 20

void cli_table_init(struct cli_table *t, const struct cli_column *cols, unsigned n_cols)
{
	memset(t, 0, sizeof *t);
	t->n_cols = n_cols < CLI_TABLE_MAX_COLS ? n_cols : CLI_TABLE_MAX_COLS;
	memcpy(t->cols, cols, t->n_cols * sizeof cols[0]);
}

void cli_table_add(struct cli_table *t, enum cli_style style, const char *text)
{
	if (t->n_cells == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct cli_cell *c = realloc(t->cells, cap * sizeof *c);
		if (!c) {
			t->failed = true;
			return;
		}
		t->cells = c;
		t->cap = cap;
	}
	char *copy = strdup(text ? text : "-");
	if (!copy) {
		t->failed = true;
		return;
	}
	struct cli_cell *cell = &t->cells[t->n_cells++];
	cell->text = copy;
	cell->style = style;
}

void cli_table_addf(struct cli_table *t, enum cli_style style, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	cli_table_add(t, style, buf);
}

size_t cli_table_rows(const struct cli_table *t)
{
	return t->n_cols ? t->n_cells / t->n_cols : 0;
}

static void put_cell(struct evgw_textbuf *line, const struct cli_term *term, const char *text,
		     enum cli_style style, size_t width, bool right)
{
	size_t w = cli_text_width(text), pad = width > w ? width - w : 0;
	if (right)
		evgw_textbuf_printf(line, "%*s", (int)pad, "");
	evgw_textbuf_printf(line, "%s%s%s", cli_style_on(term, style), text, cli_style_off(term, style));
	if (!right)
		evgw_textbuf_printf(line, "%*s", (int)pad, "");
}

void cli_table_print(const struct cli_table *t, const struct cli_term *term, FILE *out)
{
	if (t->failed) {
		fputs(_("evgw: out of memory\n"), stderr);
		return;
	}
	size_t widths[CLI_TABLE_MAX_COLS] = {0}, rows = cli_table_rows(t);
	for (unsigned c = 0; c < t->n_cols; c++)
		widths[c] = cli_text_width(cli_column_head(t->cols[c].head));
	for (size_t i = 0; i < rows * t->n_cols; i++) {
		size_t w = cli_text_width(t->cells[i].text);
		if (w > widths[i % t->n_cols])
			widths[i % t->n_cols] = w;
	}
	/* What the last column may take on a terminal. */
	size_t used = 0, last = t->n_cols - 1;
	for (unsigned c = 0; c < last; c++)
		used += widths[c] + 2;
	size_t room = 0;
	if (term->width && used + MIN_LAST_COL <= term->width)
		room = term->width - used;
	else if (term->width)
		room = MIN_LAST_COL;
	struct evgw_textbuf line;
	evgw_textbuf_init(&line);
	for (size_t r = 0; r <= rows; r++) {
		evgw_textbuf_reset(&line);
		for (unsigned c = 0; c < t->n_cols; c++) {
			const struct cli_cell *cell = r ? &t->cells[(r - 1) * t->n_cols + c] : NULL;
			const char *text = cell ? cell->text : cli_column_head(t->cols[c].head);
			char cut[1024];
			if (c == last && room) {
				cli_text_fit(text, room, cut, sizeof cut);
				text = cut;
			}
			if (c)
				evgw_textbuf_puts(&line, "  ");
			put_cell(&line, term, text, cell ? cell->style : CLI_BOLD, widths[c], t->cols[c].right);
		}
		/* No padding at the end of a line (empty last cells, a short last one). */
		while (line.len && line.buf[line.len - 1] == ' ')
			line.buf[--line.len] = '\0';
		fprintf(out, "%s\n", line.buf ? line.buf : "");
	}
	evgw_textbuf_free(&line);
}

void cli_table_free(struct cli_table *t)
{
	for (size_t i = 0; i < t->n_cells; i++)
		free(t->cells[i].text);
	free(t->cells);
	t->cells = NULL;
	t->n_cells = t->cap = 0;
}
