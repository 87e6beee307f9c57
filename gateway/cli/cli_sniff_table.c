// SPDX-License-Identifier: MIT
/* evgw sniff's rows: see cli_sniff.h. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_sniff.h"

void sniff_init(struct sniff *s, double now)
{
	memset(s, 0, sizeof *s);
	s->tick_at = now;
}

void sniff_free(struct sniff *s)
{
	free(s->rows);
	s->rows = NULL;
	s->n = s->cap = 0;
}

static struct sniff_row *find(const struct sniff *s, uint32_t id, bool ext)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->rows[i].id == id && s->rows[i].ext == ext)
			return &s->rows[i];
	return NULL;
}

struct sniff_row *sniff_frame(struct sniff *s, uint32_t id, bool ext, const uint8_t *data, uint8_t len, double now)
{
	struct sniff_row *r = find(s, id, ext);
	if (len > 64)
		len = 64;
	if (!r) {
		if (s->n == SNIFF_MAX_IDS)
			return NULL;
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 64;
			struct sniff_row *rows = realloc(s->rows, cap * sizeof *rows);
			if (!rows)
				return NULL;
			s->rows = rows;
			s->cap = cap;
		}
		r = &s->rows[s->n++];
		memset(r, 0, sizeof *r);
		r->id = id;
		r->ext = ext;
		r->known = -1;
		r->len = len;
		memcpy(r->data, data, len);
		memcpy(r->mark, data, len);
		s->new_ids = true;
	} else {
		for (unsigned i = 0; i < 64; i++) {
			uint8_t now_b = i < len ? data[i] : 0, was = i < r->len ? r->data[i] : 0;
			if (now_b != was || (i < len) != (i < r->len)) {
				r->changed[i] |= (uint8_t)(now_b ^ was);
				r->changed_at[i] = now;
			}
		}
		r->len = len;
		memcpy(r->data, data, len);
	}
	r->frames++;
	return r;
}

void sniff_message(struct sniff *s, uint32_t id, bool ext, const char *message)
{
	struct sniff_row *r = find(s, id, ext);
	if (!r)
		return;
	r->known = message != NULL;
	snprintf(r->message, sizeof r->message, "%s", message ? message : "");
}

void sniff_value(struct sniff *s, const char *message, const char *signal, const char *value, const char *unit)
{
	for (size_t i = 0; i < s->n; i++) {
		struct sniff_row *r = &s->rows[i];
		if (r->known != 1 || strcmp(r->message, message))
			continue;
		unsigned k = 0;
		while (k < r->n_values && strcmp(r->values[k].signal, signal))
			k++;
		if (k == r->n_values) {
			if (k == SNIFF_MAX_VALUES)
				continue;
			r->n_values++;
			snprintf(r->values[k].signal, sizeof r->values[k].signal, "%s", signal);
		}
		snprintf(r->values[k].text, sizeof r->values[k].text, "%s%s%s", value, unit && unit[0] ? " " : "",
			 unit ? unit : "");
	}
}

/* A key while a filter is typed after '/'. */
static bool filter_key(struct sniff *s, int key)
{
	size_t n = strlen(s->typed);
	if (key == '\r' || key == '\n') {
		memcpy(s->filter, s->typed, sizeof s->filter);
		s->typing = false;
	} else if (key == 27) {
		s->typing = false;
	} else if (key == 127 || key == 8) {
		if (n)
			s->typed[n - 1] = '\0';
	} else if (isxdigit(key) && n < sizeof s->typed - 1) {
		s->typed[n] = (char)toupper(key);
		s->typed[n + 1] = '\0';
	} else {
		return false;
	}
	return true;
}

bool sniff_key(struct sniff *s, int key)
{
	if (s->typing)
		return filter_key(s, key);
	switch (key) {
	case '/':
		s->typing = true;
		s->typed[0] = '\0';
		return true;
	case 'q':
	case 'Q':
	case 3: /* Ctrl-C arrives as a byte in raw mode without ISIG */
		s->quit = true;
		return true;
	case ' ':
		s->frozen = !s->frozen;
		return true;
	case 'u':
		s->unknown_only = !s->unknown_only;
		return true;
	case 'c':
		s->changed_only = !s->changed_only;
		return true;
	case 'm':
		s->marked = !s->marked;
		for (size_t i = 0; s->marked && i < s->n; i++)
			memcpy(s->rows[i].mark, s->rows[i].data, sizeof s->rows[i].mark);
		return true;
	default:
		return false;
	}
}

void sniff_tick(struct sniff *s, double now)
{
	double dt = now - s->tick_at;
	for (size_t i = 0; i < s->n; i++) {
		struct sniff_row *r = &s->rows[i];
		r->rate = dt > 0 ? r->frames / dt : 0;
		r->frames = 0;
		memcpy(r->window, r->changed, sizeof r->window);
		memset(r->changed, 0, sizeof r->changed);
	}
	s->tick_at = now;
}

static bool recently_changed(const struct sniff_row *r, double now)
{
	for (unsigned i = 0; i < r->len; i++)
		if (r->changed_at[i] > 0 && now - r->changed_at[i] < SNIFF_HOLD_S)
			return true;
	return false;
}

static int order(const void *a, const void *b)
{
	const struct sniff_row *x = *(const struct sniff_row *const *)a, *y = *(const struct sniff_row *const *)b;
	int kx = x->known == 1, ky = y->known == 1;
	if (kx != ky)
		return kx - ky; /* unknown first */
	if (x->ext != y->ext)
		return x->ext - y->ext;
	return x->id < y->id ? -1 : x->id > y->id;
}

size_t sniff_order(const struct sniff *s, double now, const struct sniff_row **out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n && n < cap; i++) {
		const struct sniff_row *r = &s->rows[i];
		if (s->unknown_only && r->known == 1)
			continue;
		if (s->changed_only && !recently_changed(r, now))
			continue;
		if (s->filter[0]) {
			char id[16];
			snprintf(id, sizeof id, r->ext ? "%08X" : "%03X", r->id);
			if (strncmp(id, s->filter, strlen(s->filter)))
				continue;
		}
		out[n++] = r;
	}
	qsort(out, n, sizeof *out, order);
	return n;
}

void sniff_render_row(const struct sniff *s, const struct sniff_row *r, const struct cli_term *t, bool tty,
		      double now, FILE *f)
{
	char id[16];
	snprintf(id, sizeof id, r->ext ? "%08X" : "%03X", r->id);
	fprintf(f, "%-8s %7.1f %3u ", id, r->rate, r->len);
	unsigned shown = r->len > 8 ? 8 : r->len;
	for (unsigned i = 0; i < 8; i++) {
		if (i >= shown) {
			fputs("   ", f);
			continue;
		}
		bool hot = s->marked ? r->data[i] != r->mark[i]
				     : r->changed_at[i] > 0 && now - r->changed_at[i] < SNIFF_HOLD_S;
		enum cli_style st = s->marked ? CLI_BOLD_RED : CLI_YELLOW;
		if (tty && hot)
			fprintf(f, "%s%02X%s ", cli_style_on(t, st), r->data[i], cli_style_off(t, st));
		else
			fprintf(f, "%02X ", r->data[i]);
	}
	if (!tty) {
		/* The bits that changed in this window (or differ from the mark), as
		 * hex bytes: a pipe has no colour. */
		fputs(" ", f);
		for (unsigned i = 0; i < 8; i++)
			if (i < shown)
				fprintf(f, "%02X", s->marked ? (unsigned)(r->data[i] ^ r->mark[i]) : r->window[i]);
			else
				fputs("  ", f);
	}
	fprintf(f, " %s", r->known == 1 ? r->message : "?");
	for (unsigned k = 0; k < r->n_values; k++)
		fprintf(f, "%s%s=%s", k ? " " : "  ", r->values[k].signal, r->values[k].text);
	fputc('\n', f);
}
